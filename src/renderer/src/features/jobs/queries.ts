import { keepPreviousData, useQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query'
import { CronText, type AppError, type Job, type JobRun, type Output, type RunStatus } from '../../../../shared/contract'
import { invoke } from '../../platform/api'
import { isRunning } from './labels'

export interface HistoryFilter {
  jobId: string | null
  status: RunStatus | null
}

/** Query keys of the jobs area. */
export const jobKeys = {
  all: ['jobs'] as const,
  list: () => [...jobKeys.all, 'list'] as const,
  histories: () => [...jobKeys.all, 'history'] as const,
  history: (filter: HistoryFilter) => [...jobKeys.histories(), filter] as const,
  run: (id: number) => [...jobKeys.all, 'run', id] as const,
  /** A schedule in words and its next runs (they move with the clock and the time zone). */
  describe: (cron: string) => [...jobKeys.all, 'describe', cron] as const
}

type HistoryPage = Output<'jobs.history'>

/**
 * A run's news applied to its job: a running run becomes the job's `running`,
 * an ended one its `lastRun`. News older than what the row shows is ignored
 * (a late progress event after the end, an older run finishing).
 */
export function applyRunToJob(job: Job, run: JobRun): Job {
  if (job.id !== run.jobId) return job
  if (isRunning(run)) {
    if (job.lastRun && job.lastRun.id >= run.id) return job
    if (job.running && job.running.id > run.id) return job
    return { ...job, running: run }
  }
  const running = job.running && job.running.id <= run.id ? null : job.running
  const lastRun = !job.lastRun || job.lastRun.id <= run.id ? run : job.lastRun
  return { ...job, running, lastRun }
}

const matches = (f: HistoryFilter, run: JobRun) =>
  (f.jobId === null || run.jobId === f.jobId) && (f.status === null || run.status === f.status)

/**
 * A run started, progressed or ended: put it where it is already on screen
 * (the jobs table, the run's page, a history row), without asking the app.
 * Answers the history lists that cannot be patched (a run they do not show
 * yet, or one that no longer matches their filter): those are asked again.
 */
export function patchRun(client: QueryClient, run: JobRun): Array<ReturnType<typeof jobKeys.history>> {
  client.setQueryData<Job[]>(jobKeys.list(), (jobs) => jobs?.map((j) => applyRunToJob(j, run)))
  client.setQueryData<JobRun>(jobKeys.run(run.id), (old) => (old ? run : old))
  const stale: Array<ReturnType<typeof jobKeys.history>> = []
  for (const [key, data] of client.getQueriesData<InfiniteData<HistoryPage>>({ queryKey: jobKeys.histories() })) {
    if (!data) continue
    const filter = key[2] as HistoryFilter
    const shown = data.pages.some((p) => p.rows.some((r) => r.id === run.id))
    if (!shown || !matches(filter, run)) {
      if (shown || matches(filter, run)) stale.push(jobKeys.history(filter))
      continue
    }
    client.setQueryData<InfiniteData<HistoryPage>>(key, {
      ...data,
      pages: data.pages.map((p) => ({ ...p, rows: p.rows.map((r) => (r.id === run.id ? run : r)) }))
    })
  }
  return stale
}

/** What a schedule gives: in words with its next runs, or what is wrong with it. */
export interface CronPreview {
  /** The schedule text this preview describes. */
  cron: string
  text?: string
  nextRuns?: string[]
  error?: string
}

/** The message for the cron field from an envelope: its field message, else the error's own. */
export const cronError = (error: AppError): string => error.fields?.cron ?? error.message

/** The first problem the contract's own schema finds in a schedule, before asking the app. */
export function localCronError(cron: string): string | null {
  const r = CronText.safeParse(cron)
  return r.success ? null : (r.error.issues[0]?.message ?? 'This schedule is not valid')
}

/**
 * jobs.describeSchedule as a query: what the contract's schema refuses is
 * answered here without asking; while another schedule is being described
 * the last answer stays (`preview.cron` says which schedule it is of).
 */
export function useCronPreview(cron: string, initial: CronPreview) {
  const query = useQuery({
    queryKey: jobKeys.describe(cron),
    queryFn: async (): Promise<CronPreview> => {
      const local = localCronError(cron)
      if (local) return { cron, error: local }
      const r = await invoke('jobs.describeSchedule', { cron })
      return r.ok ? { cron, text: r.value.text, nextRuns: r.value.nextRuns } : { cron, error: cronError(r.error) }
    },
    placeholderData: keepPreviousData,
    staleTime: 60_000
  })
  return query.data ?? initial
}
