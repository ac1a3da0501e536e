/**
 * Jobs used by the benches. A worker thread loads this module by path (its
 * `jobs` export, through tsx), so it imports nothing heavy.
 */
import type { JobDefinition } from '../../src/core/platform/jobs/types'
import { throwIfAborted } from '../../src/core/platform/jobs/types'
import { BatchSizer } from '../../src/core/platform/jobs/batch-size'

export const BENCH_WRITE_ROWS = 200_000
/** The most rows in one transaction; each holds about 20 ms of work (BatchSizer), as every heavy job's should. */
export const BENCH_WRITE_BATCH = 1_000

/** Yields to the thread's event loop, so the abort message from the engine can arrive. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * The job's table, made before the core opens (jobs.bench.ts) so that every
 * run's connection audits it, as a business table is: the audit trail's
 * triggers follow the tables there are when a connection opens.
 */
export function createBenchRows(sqlite: { exec(sql: string): unknown }): void {
  sqlite.exec(
    `CREATE TABLE IF NOT EXISTS bench_rows (
       id INTEGER PRIMARY KEY,
       run_id INTEGER NOT NULL,
       n INTEGER NOT NULL,
       member_no TEXT NOT NULL,
       amount_minor INTEGER NOT NULL,
       posted_on TEXT NOT NULL,
       note TEXT
     )`
  )
  sqlite.exec('CREATE INDEX IF NOT EXISTS bench_rows_run ON bench_rows (run_id, n)')
}

/**
 * Writes BENCH_WRITE_ROWS rows into its own table the way a real heavy job
 * should: short transactions (BEGIN IMMEDIATE, so it waits on the busy
 * timeout rather than failing to upgrade a read) of as many rows as take
 * about 20 ms (BatchSizer; at most BENCH_WRITE_BATCH), progress after each,
 * the signal checked between them.
 */
export const benchWriteJob: JobDefinition = {
  id: 'bench-write',
  title: 'Bench bulk write',
  description: `Writes ${BENCH_WRITE_ROWS.toLocaleString('en')} rows in transactions of about 20 ms (at most ${BENCH_WRITE_BATCH.toLocaleString('en')} rows).`,
  // Daily: jobs.list computes each job's next slots on every call, and a yearly cron costs
  // cron-parser several ms there; this job should not make the app's own calls slower.
  defaultCron: '30 3 * * *',
  catchUp: 'skip',
  timeLimitMs: 10 * 60_000,
  retry: { maxAttempts: 1, baseDelayMs: 1000, factor: 2, maxDelayMs: 1000 },
  supportsForce: false,
  thread: 'worker',
  async run(ctx) {
    createBenchRows(ctx.sqlite)
    const insert = ctx.sqlite.prepare(
      'INSERT INTO bench_rows (run_id, n, member_no, amount_minor, posted_on, note) VALUES (?, ?, ?, ?, ?, ?)'
    )
    const batch = (from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const day = 1 + (n % 28)
        insert.run(
          ctx.runId,
          n,
          `M-${String(1 + (n % 10_000)).padStart(6, '0')}`,
          (n * 7919) % 1_000_000,
          `2026-11-${String(day).padStart(2, '0')}`,
          n % 5 === 0 ? `Monthly contribution, batch ${Math.floor(n / BENCH_WRITE_BATCH)}` : null
        )
      }
    }
    ctx.progress(0, BENCH_WRITE_ROWS, 'Writing rows')
    const sizer = new BatchSizer({ initial: 200, max: BENCH_WRITE_BATCH })
    let transactions = 0
    for (let from = 0; from < BENCH_WRITE_ROWS; ) {
      await yieldToLoop()
      throwIfAborted(ctx.signal)
      const to = Math.min(BENCH_WRITE_ROWS, from + sizer.size)
      // Yields to the app's pending calls, then one IMMEDIATE transaction, timed.
      sizer.run(() => ({ rows: to - from, value: ctx.transaction(() => batch(from, to)) }))
      transactions++
      from = to
      ctx.progress(to, BENCH_WRITE_ROWS, 'Writing rows')
    }
    return {
      summary: `Wrote ${BENCH_WRITE_ROWS.toLocaleString('en')} rows.`,
      details: { rows: BENCH_WRITE_ROWS, transactions }
    }
  }
}

export const jobs: JobDefinition[] = [benchWriteJob]
