/**
 * Jobs used by the engine's tests: real job definitions, run by the real
 * engine (inline, in a worker thread, or in a child process).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { JobDefinition } from '../../src/core/platform/jobs/types'
import { JobAborted, throwIfAborted } from '../../src/core/platform/jobs/types'

const quickRetry = { maxAttempts: 1, baseDelayMs: 10, factor: 2, maxDelayMs: 1000 }

/** Every call is recorded here (same process only). */
export const calls: { jobId: string; trigger: string; scheduledFor: string | null }[] = []

const recorder = (id: string, cron: string, catchUp: 'once' | 'skip' = 'once'): JobDefinition => ({
  id,
  title: `Test ${id}`,
  description: 'Records that it ran.',
  defaultCron: cron,
  catchUp,
  timeLimitMs: 10_000,
  retry: quickRetry,
  supportsForce: false,
  thread: 'inline',
  run(ctx) {
    calls.push({ jobId: id, trigger: ctx.trigger, scheduledFor: ctx.scheduledFor })
    return { summary: 'ran' }
  }
})

/** Waits, checking its signal, until a file named `release` appears in the data folder. */
const waitForRelease = (id: string, thread: 'inline' | 'worker'): JobDefinition => ({
  id,
  title: `Test ${id}`,
  description: 'Waits to be released.',
  defaultCron: '0 0 1 1 *',
  catchUp: 'once',
  timeLimitMs: 60_000,
  retry: quickRetry,
  supportsForce: false,
  thread,
  async run(ctx) {
    ctx.progress(0, 1, 'waiting')
    const flag = path.join(ctx.dataDir, 'release')
    while (!fs.existsSync(flag)) {
      throwIfAborted(ctx.signal)
      await new Promise((r) => setTimeout(r, 20))
    }
    ctx.progress(1, 1, null)
    return { summary: 'released' }
  }
})

let flakyFailures = 0
export const resetFlaky = (n: number) => {
  flakyFailures = n
}

export const BULK_ROWS = 20_000

export const jobs: JobDefinition[] = [
  recorder('monthly', '0 2 1 * *'),
  recorder('daily', '0 9 * * *'),
  recorder('yearly', '0 0 1 12 *'),
  recorder('skipper', '0 9 * * *', 'skip'),
  recorder('london', '30 1 * * *'),
  waitForRelease('hold', 'inline'),
  waitForRelease('hold-worker', 'worker'),
  {
    id: 'flaky',
    title: 'Test flaky',
    description: 'Fails the first N attempts.',
    defaultCron: '0 0 1 1 *',
    catchUp: 'once',
    timeLimitMs: 10_000,
    retry: { maxAttempts: 3, baseDelayMs: 1000, factor: 4, maxDelayMs: 60_000 },
    supportsForce: true,
    thread: 'inline',
    run() {
      if (flakyFailures > 0) {
        flakyFailures--
        throw new Error('The office network share is not reachable')
      }
      return { summary: 'worked' }
    }
  },
  {
    id: 'sleepy',
    title: 'Test sleepy',
    description: 'Never finishes by itself.',
    defaultCron: '0 0 1 1 *',
    catchUp: 'once',
    timeLimitMs: 150,
    retry: quickRetry,
    supportsForce: false,
    thread: 'inline',
    run(ctx) {
      return new Promise((_, reject) => {
        ctx.signal.addEventListener('abort', () => reject(new JobAborted()), { once: true })
      })
    }
  },
  {
    // Writes BULK_ROWS rows in one transaction, slowly, in a worker thread: killed half-way, nothing stays.
    id: 'bulk-write',
    title: 'Test bulk write',
    description: 'Writes rows in one transaction.',
    defaultCron: '0 0 1 1 *',
    catchUp: 'once',
    timeLimitMs: 120_000,
    retry: quickRetry,
    supportsForce: false,
    thread: 'worker',
    run(ctx) {
      ctx.sqlite.exec('CREATE TABLE IF NOT EXISTS test_items (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, n INTEGER NOT NULL)')
      const insert = ctx.sqlite.prepare('INSERT INTO test_items (run_id, n) VALUES (?, ?)')
      const slow = fs.existsSync(path.join(ctx.dataDir, 'slow'))
      const pause = new Int32Array(new SharedArrayBuffer(4))
      ctx.sqlite.transaction(() => {
        for (let n = 0; n < BULK_ROWS; n++) {
          insert.run(ctx.runId, n)
          if (n % 1000 === 999) {
            ctx.progress(n + 1, BULK_ROWS, 'writing')
            if (slow) Atomics.wait(pause, 0, 0, 50)
          }
        }
      })()
      return { summary: `wrote ${BULK_ROWS} rows` }
    }
  }
]
