import { z } from 'zod'
import { channel } from './define'
import { Empty } from './app'

export const RunTrigger = z.enum(['schedule', 'catch-up', 'manual', 'cli'])
export type RunTrigger = z.infer<typeof RunTrigger>
export const RunStatus = z.enum(['running', 'succeeded', 'failed', 'cancelled', 'timed-out', 'interrupted', 'skipped'])
export type RunStatus = z.infer<typeof RunStatus>

export const JobId = z
  .string({ error: 'A job is required' })
  .min(1, { error: 'A job is required' })
  .max(64)
  .regex(/^[a-z][a-z0-9-]*$/, { error: 'Unknown job' })

export const CronText = z
  .string({ error: 'A schedule is required' })
  .trim()
  .min(1, { error: 'A schedule is required' })
  .max(120, { error: 'The schedule is too long' })

export const JobRun = z.object({
  id: z.number().int(),
  jobId: z.string(),
  jobTitle: z.string(),
  trigger: RunTrigger,
  scheduledFor: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  status: RunStatus,
  attempt: z.number().int(),
  force: z.boolean(),
  progress: z.object({ done: z.number().int(), total: z.number().int().nullable(), note: z.string().nullable() }),
  /** What the run did, in words and figures. */
  result: z.object({ summary: z.string(), details: z.record(z.string(), z.unknown()).optional() }).nullable(),
  error: z.string().nullable(),
  /** The lease owner id ("app:host:pid:nonce"), for support; people read `runBy`. */
  owner: z.string(),
  /** Who ran it, in words: "the Coffer app on this PC", "the command line on this PC". */
  runBy: z.string(),
  durationMs: z.number().int().nullable()
})
export type JobRun = z.infer<typeof JobRun>

/**
 * After a job's last run failed or timed out: whether the engine will try it
 * again and when (its retry policy, from the failed attempt's end), or why not.
 */
export const JobRetry = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('pending'),
    /** UTC instant the next attempt starts. */
    at: z.string(),
    /** The attempt it will be (2, 3...), of maxAttempts. */
    attempt: z.number().int()
  }),
  z.object({
    state: z.literal('none'),
    /** 'last-attempt': every attempt was used (or the job is never retried); 'stopped': no retry will come (a failure trying again cannot mend, or Coffer closed while it waited). */
    reason: z.enum(['last-attempt', 'stopped'])
  })
])
export type JobRetry = z.infer<typeof JobRetry>

export const Job = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  cron: z.string(),
  defaultCron: z.string(),
  /** "Every month on day 1 at 02:00" (a word form), else cron in words: "At 02:00, on day 1 and 15 of the month" */
  scheduleText: z.string(),
  enabled: z.boolean(),
  /** Runs only when asked for with its parameters (a report export): no schedule, no catch-up, no bare "Run now". */
  onDemand: z.boolean(),
  catchUp: z.enum(['once', 'skip']),
  supportsForce: z.boolean(),
  timeLimitMs: z.number().int(),
  maxAttempts: z.number().int(),
  /** The next five times it will run, UTC instants, in the cooperative's time zone's schedule. */
  nextRuns: z.array(z.string()),
  lastRun: JobRun.nullable(),
  running: JobRun.nullable(),
  /** Set when the last run failed or timed out and nothing runs now. */
  retry: JobRetry.nullable()
})
export type Job = z.infer<typeof Job>

export const JobHistoryQuery = z
  .object({
    jobId: JobId.optional(),
    status: RunStatus.optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(50)
  })
  .strict()

export const jobsContract = {
  'jobs.list': channel(Empty, z.array(Job)),
  'jobs.history': channel(JobHistoryQuery, z.object({ rows: z.array(JobRun), total: z.number().int() })),
  'jobs.getRun': channel(z.object({ runId: z.number().int().positive() }).strict(), JobRun),
  /** Starts a run now and answers at once with it; progress comes as jobs.runUpdated events. */
  'jobs.run': channel(z.object({ jobId: JobId, force: z.boolean().default(false) }).strict(), JobRun),
  'jobs.cancel': channel(z.object({ runId: z.number().int().positive() }).strict(), z.object({ cancelling: z.boolean() })),
  'jobs.setEnabled': channel(z.object({ jobId: JobId, enabled: z.boolean() }).strict(), Job),
  'jobs.updateSchedule': channel(z.object({ jobId: JobId, cron: CronText }).strict(), Job),
  /** Describes a schedule while it is being typed: words and next runs, or what is wrong with it. */
  'jobs.describeSchedule': channel(
    z.object({ cron: CronText }).strict(),
    z.object({ text: z.string(), nextRuns: z.array(z.string()) })
  )
}

export const JobRunUpdatedEvent = JobRun
