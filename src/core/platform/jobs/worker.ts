/**
 * A job's worker thread: its own connection to the database, the job's
 * body, messages back for progress, notices and the outcome. The entry
 * (src/core/jobs-worker.ts) passes every job Coffer ships; platform knows no
 * area.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { drizzleCached } from '../db/statement-cache'
import { applyPragmas } from '../db/open'
import { openSqliteFile } from '../db/cipher'
import { runAsSystem } from '../actor'
import { installAuditTrail } from '../audit/trail'
import type { Clock } from '../clock'
import { yieldToApp } from './gate'
import { openSqliteWith, type FromWorker, type ToWorker, type WorkerData } from './executor'
import { FatalJobError, JobAborted, type JobContext, type JobDefinition } from './types'

export function runJobWorker(shipped: readonly JobDefinition[]): void {
  void main(shipped).catch((e: unknown) => {
    parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), aborted: false } satisfies FromWorker)
  })
}

async function main(shipped: readonly JobDefinition[]): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('worker-entry must run in a worker thread')
  const data = workerData as WorkerData
  const post = (m: FromWorker) => port.postMessage(m)
  const controller = new AbortController()
  port.on('message', (m: ToWorker) => {
    if (m.type === 'abort') controller.abort(m.reason)
  })

  const defs: JobDefinition[] = [...shipped]
  for (const mod of data.jobModules) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(mod) as { jobs?: JobDefinition[] }
    defs.push(...(loaded.jobs ?? []))
  }
  const job = defs.find((d) => d.id === data.jobId)
  if (!job) {
    post({ type: 'error', message: `Unknown job ${data.jobId}`, aborted: false })
    return
  }

  // An encrypted data file: the key before anything is read.
  const dbKey = data.dbKey ? { key: Buffer.from(data.dbKey.key, 'hex'), id: data.dbKey.id } : null
  const sqlite = openSqliteFile(data.databaseFile, { nativeBinding: data.nativeBinding, timeout: 5000, key: dbKey?.key })
  applyPragmas(sqlite)
  // The engine's clock at the start, running on by the thread's monotonic timer.
  const t0 = performance.now()
  const clock: Clock = { now: () => new Date(data.startedAtMs + (performance.now() - t0)) }
  // The job's writes leave their audit rows, as the system's.
  if (data.audit) installAuditTrail(sqlite, { now: () => clock.now() })
  const ctx: JobContext = {
    db: drizzleCached(sqlite),
    sqlite,
    clock,
    signal: controller.signal,
    runId: data.runId,
    trigger: data.trigger,
    force: data.force,
    params: data.params,
    scheduledFor: data.scheduledFor,
    dataDir: data.dataDir,
    resourcesDir: data.resourcesDir,
    backupsDir: data.backupsDir,
    databaseFile: data.databaseFile,
    timeZone: data.timeZone,
    locale: data.locale,
    progress: (done, total = null, note = null) => post({ type: 'progress', done, total, note }),
    notify: (notice) => post({ type: 'notice', notice }),
    openSqlite: openSqliteWith(data.nativeBinding, dbKey),
    databaseKey: dbKey,
    yieldToApp: () => yieldToApp(data.gate),
    transaction: (fn) => {
      yieldToApp(data.gate)
      return sqlite.transaction(fn).immediate()
    }
  }
  try {
    const result = await runAsSystem(`job:${job.id}`, () => job.run(ctx))
    post({ type: 'done', result })
  } catch (e) {
    post({
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
      aborted: e instanceof JobAborted || controller.signal.aborted,
      fatal: e instanceof FatalJobError
    })
  } finally {
    sqlite.close()
    port.close()
  }
}
