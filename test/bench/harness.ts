/**
 * Small helpers shared by the benches: timing, statistics and the report.
 * A bench measures a path (usually through the contract) against a baseline
 * measured in the same run (usually the raw SQL behind it) and states a target.
 */

export interface Stats {
  n: number
  median: number
  p95: number
  min: number
  max: number
}

export interface CaseResult {
  /** What was measured, e.g. "members.list first page". */
  name: string
  /** The path under test (e.g. through the contract). */
  measured: Stats
  /** The baseline measured in the same run (e.g. the raw SQL), for the ratio. */
  baseline?: Stats
  /** Target for the measured median, in ms. No target: information only. */
  targetMedianMs?: number
  note?: string
}

export type BenchFn = () => Promise<CaseResult[]>

type Task = () => unknown

const nsToMs = (ns: bigint): number => Number(ns) / 1e6

/** Runs fn once and returns its duration in ms; awaits it only if it returned a promise. */
async function timeOnce(fn: Task): Promise<number> {
  const t0 = process.hrtime.bigint()
  const r = fn()
  if (r instanceof Promise) await r
  return nsToMs(process.hrtime.bigint() - t0)
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number): number => {
    if (s.length === 0) return NaN
    const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))
    return s[i] as number
  }
  const median =
    s.length % 2 === 1 ? at(0.5) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2
  return { n: s.length, median, p95: at(0.95), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN }
}

export interface PairOptions {
  iterations?: number
  warmup?: number
}

/**
 * Times two tasks doing the same work, N times each, alternating which goes
 * first so that noise on a shared machine falls on both alike. Each task gets
 * the iteration number (to vary its input).
 */
export async function measurePair(
  measured: (i: number) => unknown,
  baseline: (i: number) => unknown,
  { iterations = 200, warmup = 20 }: PairOptions = {}
): Promise<{ measured: Stats; baseline: Stats }> {
  for (let i = 0; i < warmup; i++) {
    await timeOnce(() => measured(i))
    await timeOnce(() => baseline(i))
  }
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < iterations; i++) {
    if (i % 2 === 0) {
      a.push(await timeOnce(() => measured(i)))
      b.push(await timeOnce(() => baseline(i)))
    } else {
      b.push(await timeOnce(() => baseline(i)))
      a.push(await timeOnce(() => measured(i)))
    }
  }
  return { measured: stats(a), baseline: stats(b) }
}

/** Times one synchronous or async task once, in ms (for setup steps such as seeding). */
export async function timeIt<T>(fn: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = process.hrtime.bigint()
  const value = await fn()
  return { value, ms: nsToMs(process.hrtime.bigint() - t0) }
}

export const missed = (r: CaseResult): boolean =>
  r.targetMedianMs !== undefined && !(r.measured.median < r.targetMedianMs)

const fmt = (ms: number | undefined, digits = 2): string => (ms === undefined || Number.isNaN(ms) ? '-' : ms.toFixed(digits))

/** Prints the results as a table; returns the number of missed targets. */
export function printTable(title: string, results: CaseResult[]): number {
  const header = ['case', 'median ms', 'p95 ms', 'raw median ms', 'raw p95 ms', 'ratio', 'target', 'result']
  const rows = results.map((r) => [
    r.name,
    fmt(r.measured.median),
    fmt(r.measured.p95),
    fmt(r.baseline?.median, 3),
    fmt(r.baseline?.p95, 3),
    r.baseline ? `${(r.measured.median / r.baseline.median).toFixed(2)}x` : '-',
    r.targetMedianMs === undefined ? 'info' : `< ${r.targetMedianMs} ms median`,
    r.targetMedianMs === undefined ? '-' : missed(r) ? 'MISS' : 'PASS'
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  console.log(`\n${title}`)
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of rows) console.log(line(row))
  for (const r of results) if (r.note) console.log(`  ${r.name}: ${r.note}`)
  let count = 0
  for (const r of results) {
    if (missed(r)) {
      count++
      console.log(
        `TARGET MISSED: ${title} / ${r.name}: median ${fmt(r.measured.median)} ms, target < ${r.targetMedianMs} ms`
      )
    }
  }
  return count
}
