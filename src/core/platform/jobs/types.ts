import type { Clock } from '../clock'
import type { Db, Sqlite } from '../db/open'
import type { DbKey } from '../db/cipher'
import type { RunTrigger } from '../../../shared/contract'

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number
  /** Delay before the second attempt; each later one waits `factor` times longer, up to maxDelayMs. */
  baseDelayMs: number
  factor: number
  maxDelayMs: number
}

export interface JobResult {
  /** One sentence for the run history: "Backed up 2.4 MB; kept 9 backups, removed 1." */
  summary: string
  details?: Record<string, unknown>
  /** The run found nothing to do (a job with `pruneIdleRuns` keeps only its latest such run). */
  idle?: boolean
}

export interface JobNotice {
  kind: 'info' | 'success' | 'warning' | 'error'
  title: string
  body: string
  subject?: { type: string; id: string }
  /** The same key is announced once only. */
  dedupeKey?: string
}

/**
 * What a run was asked to do beyond its defaults (payroll: one period, by
 * whom): plain values only, so they cross to a worker thread as they are.
 * Retries of the run get the same. Scheduled and catch-up runs get {}.
 */
export type JobParams = Readonly<Record<string, string | number | boolean | null>>

/** What a job body gets. Its connection is its own when it runs in a worker thread. */
export interface JobContext {
  db: Db
  sqlite: Sqlite
  clock: Clock
  /** Aborted on cancel, on the time limit, and when the app shuts down. Check it between items. */
  signal: AbortSignal
  runId: number
  trigger: RunTrigger
  force: boolean
  params: JobParams
  /** The schedule slot this run serves (UTC ISO), null for manual and CLI runs. */
  scheduledFor: string | null
  dataDir: string
  /** resources/ (fonts for the PDFs a job writes). */
  resourcesDir: string
  backupsDir: string
  databaseFile: string
  /** The cooperative's time zone. */
  timeZone: string
  /** The cooperative's locale (BCP 47): dates and counts in summaries and notices are written in it (src/shared/words.ts). */
  locale: string
  progress(done: number, total?: number | null, note?: string | null): void
  /**
   * Between batches of writes: lets the app's pending call go first. A job
   * that writes many rows writes them in short transactions through
   * `transaction`, which yields first.
   */
  yieldToApp(): void
  /** An IMMEDIATE transaction on the job's connection, after yielding to the app. */
  transaction<T>(fn: () => T): T
  /** Opens another SQLite file with this runtime's native binding (to check a backup copy, say); a copy of an encrypted data file with its key. */
  openSqlite(file: string, readonly: boolean): Sqlite
  /** The data file's key when it is encrypted (backups of an encrypted book are encrypted), else null. */
  databaseKey: DbKey | null
  /** Tells the staff (notification centre, and the desktop when the app runs). */
  notify(notice: JobNotice): void
}

export interface JobDefinition {
  /** Stable id, e.g. 'backup'. */
  id: string
  title: string
  description: string
  defaultCron: string
  /** After the PC was off: run once for all the missed slots, or skip them. */
  catchUp: 'once' | 'skip'
  timeLimitMs: number
  retry: RetryPolicy
  supportsForce: boolean
  /** 'worker': a worker thread with its own connection (heavy work). 'inline': on the caller's thread. */
  thread: 'worker' | 'inline'
  /**
   * A job that runs often (the mail job, every minute) keeps only its latest
   * succeeded run that found nothing to do: the history stays the runs that
   * did something, not 1,440 idle rows a day.
   */
  pruneIdleRuns?: boolean
  /**
   * Runs only when asked for, with its parameters (a report export): never
   * scheduled, never caught up, never run bare from the Jobs page. Its
   * `defaultCron` is kept for the schedule row but never read; the Jobs page
   * says "On demand".
   */
  onDemand?: true
  run(ctx: JobContext): Promise<JobResult> | JobResult
}

export const defaultRetry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 30_000, factor: 4, maxDelayMs: 15 * 60_000 }

/** Delay before attempt `next` (2, 3, ...): exponential, capped. */
export function backoffDelay(policy: RetryPolicy, next: number): number {
  const raw = policy.baseDelayMs * Math.pow(policy.factor, Math.max(0, next - 2))
  return Math.min(policy.maxDelayMs, Math.round(raw))
}

/** Thrown by a job that saw its signal aborted; the engine records cancelled or timed-out. */
export class JobAborted extends Error {
  constructor(reason?: string) {
    super(reason ?? 'The run was stopped.')
    this.name = 'JobAborted'
  }
}

/**
 * A failure that trying again cannot mend (the data file is damaged): the
 * run fails at once, with no further attempts. It keeps its kind across the
 * worker-thread boundary.
 */
export class FatalJobError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FatalJobError'
  }
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new JobAborted(typeof signal.reason === 'string' ? signal.reason : undefined)
}

/** Where the engine tells the staff what happened (the notification centre; platform knows only this shape). */
export interface StaffNotifier {
  create(n: JobNotice & { desktop?: boolean }): unknown
}
