/**
 * Words for a job run's status and trigger, the same on the Jobs screen and on
 * the command line. Exhaustive per enum: a code the contract gains is a compile
 * error here until it has its words. A code this build has no word for (a
 * newer data file) is shown as its own text, readable ("timed-out" → "Timed out").
 *
 * Pure module: no Node built-ins, no Electron.
 */
import type { RunStatus, RunTrigger } from './contract/jobs'

/** In the contract's order (the command line lists them so). */
export const RUN_STATUS_WORDS: Readonly<Record<RunStatus, string>> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  'timed-out': 'Timed out',
  interrupted: 'Interrupted',
  skipped: 'Skipped'
}

export const RUN_TRIGGER_WORDS: Readonly<Record<RunTrigger, string>> = {
  schedule: 'Scheduled',
  'catch-up': 'Catch-up',
  manual: 'Manual',
  cli: 'Command line'
}

/** "timed-out" → "Timed out": the fallback for a code with no word here. */
function humanise(code: string): string {
  const s = String(code).replace(/[-_]+/g, ' ').trim()
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : '—'
}

export const runStatusWord = (status: string): string => (RUN_STATUS_WORDS as Record<string, string>)[status] ?? humanise(status)
export const runTriggerWord = (trigger: string): string => (RUN_TRIGGER_WORDS as Record<string, string>)[trigger] ?? humanise(trigger)
