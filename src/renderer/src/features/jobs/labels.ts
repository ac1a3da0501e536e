import type { JobRun } from '../../../../shared/contract'

/**
 * Words for run statuses and triggers. Keyed by string, not by the contract's
 * enums, so a status the contract gains later (e.g. 'skipped') is shown
 * sensibly by an older screen: its own text, in grey.
 */
export const RUN_STATUS_LABELS: Record<string, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  'timed-out': 'Timed out',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
  skipped: 'Skipped'
}

/** Badge tone per status; anything not listed is shown as plain grey text. */
const RUN_STATUS_TONES: Record<string, 'running' | 'ok' | 'bad' | 'neutral' | 'warn'> = {
  running: 'running',
  succeeded: 'ok',
  failed: 'bad',
  'timed-out': 'bad',
  cancelled: 'neutral',
  skipped: 'neutral',
  interrupted: 'warn'
}

export const runStatusLabel = (status: string): string => RUN_STATUS_LABELS[status] ?? humanise(status)
export const runStatusTone = (status: string) => RUN_STATUS_TONES[status] ?? null

export const RUN_TRIGGER_LABELS: Record<string, string> = {
  schedule: 'Scheduled',
  'catch-up': 'Catch-up',
  manual: 'Manual',
  cli: 'Command line'
}

export const runTriggerLabel = (trigger: string): string => RUN_TRIGGER_LABELS[trigger] ?? humanise(trigger)

/** "timed-out" → "Timed out": the fallback for a value this screen has no word for. */
function humanise(value: string): string {
  const s = String(value).replace(/[-_]+/g, ' ').trim()
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : '—'
}

/** A run still in progress (everything else has ended, whatever the status is called). */
export const isRunning = (run: Pick<JobRun, 'status'>): boolean => run.status === 'running'
