/**
 * How many rows a heavy job's next transaction should write, so that each
 * transaction holds the write lock for about `targetMs`. A call from the
 * window that writes waits for the job's current transaction (the gate lets
 * it in before the next one), so its wait is bounded by the transaction's
 * time, not by a row count: an audited row costs several times a bare one,
 * and the same job is slower on an older PC.
 *
 * After each transaction, `took(rows, ms)` moves the size halfway towards
 * what would have taken `targetMs` at the rate just seen, within [min, max].
 * Durations come from a monotonic timer (performance.now): they measure
 * work, not the time of day, so they are not the injected clock's business.
 */
export interface BatchSizerOptions {
  /** Rows in the first transaction. */
  initial: number
  min?: number
  max: number
  /** Time a transaction should take. */
  targetMs?: number
}

/** A transaction's time the window can wait without feeling it (well under the 50 ms p99 of issue 6). */
export const DEFAULT_TRANSACTION_MS = 20

export class BatchSizer {
  private current: number
  private readonly min: number
  private readonly max: number
  private readonly targetMs: number

  constructor(o: BatchSizerOptions) {
    this.min = Math.max(1, Math.floor(o.min ?? 25))
    this.max = Math.max(this.min, Math.floor(o.max))
    this.targetMs = o.targetMs ?? DEFAULT_TRANSACTION_MS
    if (!(this.targetMs > 0)) throw new RangeError(`targetMs must be positive, not ${String(o.targetMs)}`)
    this.current = this.clamp(o.initial)
  }

  private clamp(n: number): number {
    return Math.min(this.max, Math.max(this.min, Math.round(n)))
  }

  /** Rows for the next transaction. */
  get size(): number {
    return this.current
  }

  /** What the last transaction wrote and how long it took. */
  took(rows: number, ms: number): void {
    if (rows <= 0 || !(ms > 0)) return
    const ideal = (this.targetMs * rows) / ms
    this.current = this.clamp((this.current + ideal) / 2)
  }

  /** Runs `write` (one transaction of `size` rows), measures it and adjusts. */
  run<T>(write: (size: number) => { rows: number; value: T }): T {
    const t0 = performance.now()
    const r = write(this.current)
    this.took(r.rows, performance.now() - t0)
    return r.value
  }
}
