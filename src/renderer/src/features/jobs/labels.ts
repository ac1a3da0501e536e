import type { JobRun } from '../../../../shared/contract'

/** Words for run statuses and triggers: the command line's too (src/shared/job-labels.ts). */
export { runStatusWord as runStatusLabel, runTriggerWord as runTriggerLabel } from '../../../../shared/job-labels'

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

export const runStatusTone = (status: string) => RUN_STATUS_TONES[status] ?? null

/** A run still in progress (everything else has ended, whatever the status is called). */
export const isRunning = (run: Pick<JobRun, 'status'>): boolean => run.status === 'running'
