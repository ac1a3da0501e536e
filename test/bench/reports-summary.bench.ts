/**
 * Reports (issue 15): the monthly summary with 1,000,000 journal lines must
 * take under 1 s.
 *
 * The book is the ledger bench's (ledger.bench.ts makeBook: 3,000 members,
 * 1,000,000 lines over 2024-01-01..2026-11-22, summaries rebuilt, ANALYZE).
 * Measured: the monthly-summary definition built and every row read, as the
 * screen and the export do, inside one read transaction on a connection of
 * its own (as the export's worker has): (1) over 2026 (~330,000 of the
 * lines), (2) over 2024-01-01..2026-12-31 (every one of the 1,000,000 lines,
 * 36 months). Baseline in the same run: the trial-balance definition over
 * the same dates, a summaries-only read; the ratio says what the summary's
 * extra reads cost. The summary reads the ledger's summaries and the small
 * tables (payments, holdings, occurrences, payroll), never the journal: its
 * time should not grow with the journal's lines.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import fs from 'node:fs'
import { DATABASE_FILE, ManualClock } from '../../src/core'
import { applyPragmas } from '../../src/core/platform/db/open'
import { reportSource } from '../../src/core/reports/source'
import { monthlySummary } from '../../src/core/reports/defs/monthly-summary'
import { trialBalance } from '../../src/core/reports/defs/trial-balance'
import type { ReportDefinition, ReportSource } from '../../src/core/reports/model'
import type { ReportParams } from '../../src/shared/contract'
import { BIG, makeBook } from './ledger.bench'
import { measurePair, type CaseResult } from './harness'

const MAX_MS = 1000

/** Builds a report and reads every row of every table in one read transaction; answers the rows read. */
function run(db: Database.Database, src: ReportSource, def: ReportDefinition, params: ReportParams): number {
  return db.transaction(() => {
    let n = 0
    const doc = def.build(src, params)
    for (const t of doc.tables) for (const _ of t.rows()) n++
    return n
  })()
}

export default async function reportsSummaryBench(): Promise<CaseResult[]> {
  const book = await makeBook(BIG)
  const db = new Database(path.join(book.dataDir, DATABASE_FILE), { readonly: true })
  try {
    applyPragmas(db)
    const src = reportSource({ sqlite: db, db: drizzle(db), clock: new ManualClock('2026-12-31T09:00:00Z'), timeZone: 'Africa/Nairobi', locale: 'en-KE' })
    const lines = db.prepare('SELECT count(*) FROM journal_lines').pluck().get() as number
    if (lines !== BIG) throw new Error(`the book has ${lines} lines, not ${BIG}`)
    const results: CaseResult[] = []
    for (const [label, params] of [
      ['2026 (12 months)', { from: '2026-01-01', to: '2026-12-31' }],
      ['2024–2026 (36 months, all 1M lines)', { from: '2024-01-01', to: '2026-12-31' }]
    ] as const) {
      const inRange = db.prepare('SELECT count(*) FROM journal_lines WHERE value_date BETWEEN ? AND ?').pluck().get(params.from, params.to) as number
      // A sanity check that the summary read the book: deposits are there.
      const doc = monthlySummary.build(src, params)
      const deposits = [...doc.tables[0]!.rows()].find((r) => r.cells[0] === 'Deposits to members’ savings and share capital')
      if (!deposits || (deposits.cells[deposits.cells.length - 1] as number) <= 0) throw new Error('the summary found no deposits')
      const pair = await measurePair(
        () => run(db, src, monthlySummary, params),
        () => run(db, src, trialBalance, params),
        { iterations: 20, warmup: 3 }
      )
      const ratio = pair.measured.median / pair.baseline.median
      const ok = pair.measured.median < MAX_MS
      console.log(
        `monthly summary over ${label}, ${inRange.toLocaleString('en')} lines in the dates: median ${pair.measured.median.toFixed(1)} ms, p95 ${pair.measured.p95.toFixed(1)} ms ` +
          `(limit ${MAX_MS} ms): ${ok ? 'PASS' : 'FAIL'}; trial balance (baseline) ${pair.baseline.median.toFixed(1)} ms; ratio ${ratio.toFixed(2)}x`
      )
      results.push({
        name: `monthly-summary ${label} vs trial-balance (baseline)`,
        ...pair,
        targetMedianMs: MAX_MS,
        note: `${inRange.toLocaleString('en')} lines in the dates; ratio ${ratio.toFixed(2)}x`
      })
    }
    return results
  } finally {
    db.close()
    await book.core.shutdown()
    fs.rmSync(book.dataDir, { recursive: true, force: true })
  }
}
