import type { PrefixHandlers } from '../module'
import type { JobEngine } from './engine'

/** The jobs screen's channels, answered by the engine. */
export function jobsHandlers(jobs: () => JobEngine): PrefixHandlers<'jobs'> {
  return {
    'jobs.list': () => jobs().list(),
    'jobs.history': (q) => jobs().history(q),
    'jobs.getRun': ({ runId }) => jobs().getRun(runId),
    'jobs.run': ({ jobId, force }) => jobs().start(jobId, { trigger: 'manual', force }).run,
    'jobs.cancel': ({ runId }) => jobs().cancel(runId),
    'jobs.setEnabled': ({ jobId, enabled }) => jobs().setEnabled(jobId, enabled),
    'jobs.updateSchedule': ({ jobId, cron }) => jobs().updateSchedule(jobId, cron),
    'jobs.describeSchedule': ({ cron }) => jobs().describe(cron)
  }
}
