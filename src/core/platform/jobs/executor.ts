import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { runAsSystem } from '../actor'
import type { Clock } from '../clock'
import type { Db, Sqlite } from '../db/open'
import type { DbKey } from '../db/cipher'
import { keyedOpener } from '../db/keys'
import type { RunTrigger } from '../../../shared/contract'
import { FatalJobError, JobAborted, type JobContext, type JobDefinition, type JobNotice, type JobParams, type JobResult } from './types'

export interface ExecuteRequest {
  job: JobDefinition
  runId: number
  trigger: RunTrigger
  force: boolean
  params: JobParams
  scheduledFor: string | null
  signal: AbortSignal
  progress(done: number, total?: number | null, note?: string | null): void
  notify(notice: JobNotice): void
}

export interface Executor {
  execute(req: ExecuteRequest): Promise<JobResult>
}

export interface ExecutorEnv {
  db: Db
  sqlite: Sqlite
  clock: Clock
  dataDir: string
  /** resources/ (fonts); from source, the repository's when not given. */
  resourcesDir?: string
  backupsDir: string
  databaseFile: string
  timeZone: () => string
  /** The cooperative's locale. */
  locale: () => string
  nativeBinding?: string
  /** The data file's key when it is encrypted: the worker's connection and the backup copies need it. */
  dbKey?: DbKey | null
}

/** Opens SQLite files with this runtime's binding; encrypted ones (the data file's copies) with the data file's key. */
export function openSqliteWith(nativeBinding: string | undefined | null, dbKey: DbKey | null = null) {
  return keyedOpener(null, nativeBinding, dbKey ? [dbKey] : [])
}

/** resources/: the one core was given, else the repository's (running from source). */
const resourcesOf = (env: ExecutorEnv): string => env.resourcesDir ?? path.resolve(__dirname, '../../../../resources')

/** Runs the job on the calling thread, on the main connection. For light jobs and tests. */
export class InlineExecutor implements Executor {
  constructor(private readonly env: ExecutorEnv) {}

  async execute(req: ExecuteRequest): Promise<JobResult> {
    const ctx: JobContext = {
      db: this.env.db,
      sqlite: this.env.sqlite,
      clock: this.env.clock,
      signal: req.signal,
      runId: req.runId,
      trigger: req.trigger,
      force: req.force,
      params: req.params,
      scheduledFor: req.scheduledFor,
      dataDir: this.env.dataDir,
      resourcesDir: resourcesOf(this.env),
      backupsDir: this.env.backupsDir,
      databaseFile: this.env.databaseFile,
      timeZone: this.env.timeZone(),
      locale: this.env.locale(),
      progress: req.progress,
      notify: req.notify,
      openSqlite: openSqliteWith(this.env.nativeBinding, this.env.dbKey),
      databaseKey: this.env.dbKey ?? null,
      // On the app's own thread there is nobody to yield to.
      yieldToApp: () => undefined,
      transaction: (fn) => this.env.sqlite.transaction(fn).immediate()
    }
    // A job runs as the system, even when an operator's "Run now" started it.
    return runAsSystem(`job:${req.job.id}`, () => req.job.run(ctx))
  }
}

export interface WorkerScript {
  /** The worker entry: out/main/jobs-worker.js when built, src/core/jobs-worker.ts from source. */
  file: string
  /** e.g. ['--import', 'tsx'] to run the TypeScript entry. */
  execArgv?: string[]
}

/**
 * Where the worker entry is when running from source (tests, the CLI through
 * tsx): the TypeScript file, loaded through tsx's CommonJS hook.
 */
export function sourceWorkerScript(entry: string): WorkerScript {
  const req = createRequire(path.join(__dirname, 'executor.ts'))
  return { file: entry, execArgv: ['--require', req.resolve('tsx/cjs')] }
}

/** Messages between the engine and a job's worker thread. */
export type ToWorker = { type: 'abort'; reason: string }
export type FromWorker =
  | { type: 'progress'; done: number; total: number | null; note: string | null }
  | { type: 'notice'; notice: JobNotice }
  | { type: 'done'; result: JobResult }
  | { type: 'error'; message: string; aborted: boolean; fatal?: boolean }

export interface WorkerData {
  jobId: string
  runId: number
  trigger: RunTrigger
  force: boolean
  params: JobParams
  scheduledFor: string | null
  dataDir: string
  resourcesDir: string
  backupsDir: string
  databaseFile: string
  timeZone: string
  locale: string
  nativeBinding: string | null
  /** The data file's key (hex) and its id when it is encrypted. */
  dbKey: { key: string; id: string } | null
  /** Modules whose `jobs` export adds job definitions (tests, benchmarks). */
  jobModules: string[]
  /** The engine's clock at the start; the worker's clock runs on from there. */
  startedAtMs: number
  /** The app's write gate (WriteGate.buffer). */
  gate: SharedArrayBuffer | null
  /** Whether the job's connection writes the audit trail (off only for benchmarks). */
  audit: boolean
}

/**
 * Runs the job in a worker thread with its own SQLite connection, so a long
 * job never blocks the thread that answers the window. Abort is a message;
 * a worker that does not stop within the grace period is terminated (its open
 * transaction rolls back with its connection).
 */
export class WorkerExecutor implements Executor {
  constructor(
    private readonly env: ExecutorEnv & { jobModules: string[]; gate?: SharedArrayBuffer; audit?: boolean },
    private readonly script: WorkerScript,
    private readonly graceMs = 5_000
  ) {}

  execute(req: ExecuteRequest): Promise<JobResult> {
    const data: WorkerData = {
      jobId: req.job.id,
      runId: req.runId,
      trigger: req.trigger,
      force: req.force,
      params: req.params,
      scheduledFor: req.scheduledFor,
      dataDir: this.env.dataDir,
      resourcesDir: resourcesOf(this.env),
      backupsDir: this.env.backupsDir,
      databaseFile: this.env.databaseFile,
      timeZone: this.env.timeZone(),
      locale: this.env.locale(),
      nativeBinding: this.env.nativeBinding ?? null,
      dbKey: this.env.dbKey ? { key: this.env.dbKey.key.toString('hex'), id: this.env.dbKey.id } : null,
      jobModules: this.env.jobModules,
      startedAtMs: this.env.clock.now().getTime(),
      gate: this.env.gate ?? null,
      audit: this.env.audit ?? true
    }
    return new Promise<JobResult>((resolve, reject) => {
      const worker = new Worker(this.script.file, { workerData: data, execArgv: this.script.execArgv ?? [] })
      let settled = false
      let killTimer: NodeJS.Timeout | undefined
      const settle = (f: () => void) => {
        if (settled) return
        settled = true
        if (killTimer) clearTimeout(killTimer)
        req.signal.removeEventListener('abort', onAbort)
        // One thread per run: it ends with the run.
        void worker.terminate()
        f()
      }
      const onAbort = () => {
        const reason = typeof req.signal.reason === 'string' ? req.signal.reason : 'aborted'
        worker.postMessage({ type: 'abort', reason } satisfies ToWorker)
        killTimer = setTimeout(() => {
          void worker.terminate()
          settle(() => reject(new JobAborted(reason)))
        }, this.graceMs)
      }
      if (req.signal.aborted) onAbort()
      else req.signal.addEventListener('abort', onAbort, { once: true })
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'progress') req.progress(m.done, m.total, m.note)
        else if (m.type === 'notice') req.notify(m.notice)
        else if (m.type === 'done') settle(() => resolve(m.result))
        else if (m.type === 'error')
          settle(() => reject(m.aborted ? new JobAborted(m.message) : m.fatal ? new FatalJobError(m.message) : new Error(m.message)))
      })
      worker.on('error', (e) => settle(() => reject(e)))
      worker.on('exit', (code) =>
        settle(() => reject(req.signal.aborted ? new JobAborted() : new Error(`The job's worker stopped unexpectedly (exit code ${code}).`)))
      )
    })
  }
}
