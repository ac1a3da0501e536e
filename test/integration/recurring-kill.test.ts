/**
 * The standing-orders job killed (SIGKILL) at random moments while it
 * catches up a month of members' orders, then run to completion: every
 * occurrence exactly once, each posted one with its entry (and a bank
 * order's with its payment) and none without, the members' balances equal
 * to their deposits plus what the posted occurrences moved, and the outcome
 * the same as the same book's run never interrupted. A child process
 * (test/support/recurring-child.ts) runs the job; the file is read raw
 * after each kill, before any core opens it.
 */
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core'
import { checkSummaries } from '../../src/core/ledger'
import { fastDir, rawDb } from '../support/ledger'
import { random, runUntilKilled } from '../support/kill'
import { value } from '../support/temp-core'
import {
  bookProblems,
  deposit,
  memberBalanceRaw,
  openRecurringCore,
  recurringBook,
  recurringProblems,
  savingsToShares,
  setDay,
  type RecurringBook
} from '../support/recurring'

const KILLS = 10
const SEED = 20261122
const NOW = '2026-11-22T09:00:00Z'
const children: ChildProcess[] = []
const dirs: string[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

const doneCount = (db: ReturnType<typeof rawDb>): number => db.prepare("SELECT count(*) FROM recurring_occurrences WHERE status <> 'generated'").pluck().get() as number

/** A child running the job, killed once `target` occurrences are done; answers whether it finished first. */
function runAndKill(dataDir: string, target: number): Promise<boolean> {
  return runUntilKilled(children, 'test/support/recurring-child.ts', [dataDir, NOW], dataDir, (db) => doneCount(db) >= target)
}

/** Six members, fifteen orders from 23 Oct: all paid, some short (partial, skip), one out to a bank. */
async function setUp(b: RecurringBook): Promise<number[]> {
  value(await b.core.invoke('recurring.saveSettings', { catchUpMaxCount: 1000, catchUpMaxAmountMinor: null }))
  const s = value<{ makerChecker: Record<string, unknown> }>(await b.core.invoke('security.get', {}))
  value(await b.core.invoke('security.save', { ...s, makerChecker: { ...s.makerChecker, payments: false } }))
  const fees = { kind: 'account' as const, accountId: b.role['fee-income'].id }
  const start = '2026-10-23'
  for (let i = 0; i < 4; i++) {
    await deposit(b, b.members[i]!.savings, 200_000, '2026-09-01')
    await savingsToShares(b, i, { startDate: start, amountMinor: 1_000 + i, priority: 10 })
    await savingsToShares(b, i, { startDate: start, amountMinor: 2_000, priority: 20, target: fees })
    await savingsToShares(b, i, { startDate: start, amountMinor: 300, frequency: 'weekly', priority: 30 })
  }
  await deposit(b, b.members[4]!.savings, 50_000, '2026-09-01')
  await savingsToShares(b, 4, { startDate: start, amountMinor: 1_500, insufficientFunds: 'partial', priority: 1 })
  await savingsToShares(b, 4, { startDate: start, amountMinor: 500, priority: 2, target: fees })
  await deposit(b, b.members[5]!.savings, 100_000, '2026-09-01')
  await savingsToShares(b, 5, {
    startDate: start,
    amountMinor: 10_000,
    frequency: 'weekly',
    target: { kind: 'bank', payeeName: 'Landlord', payeeBank: 'Equity', payeeAccount: '0011223344', payeeReference: null }
  })
  return b.members.flatMap((m) => [m.savings.id, m.shares.id])
}

interface Outcome {
  key: string
  status: string
  amount: number
  carried: number
  valueDate: string | null
}
const outcomes = (db: ReturnType<typeof rawDb>): Outcome[] =>
  (
    db.prepare('SELECT standing_order_id, scheduled_date, status, amount_minor, carried_minor, value_date FROM recurring_occurrences ORDER BY standing_order_id, scheduled_date').all() as {
      standing_order_id: number
      scheduled_date: string
      status: string
      amount_minor: number
      carried_minor: number
      value_date: string | null
    }[]
  ).map((r) => ({ key: `${r.standing_order_id}@${r.scheduled_date}`, status: r.status, amount: r.amount_minor, carried: r.carried_minor, valueDate: r.value_date }))

describe('a kill during the standing-orders job', () => {
  it('leaves every occurrence once, with its entry, and the run finishes as if never interrupted', async () => {
    const b = await recurringBook({ members: 6, dataDir: fastDir('coffer-recurring-kill-') })
    setDay(b, NOW.slice(0, 10))
    const memberAccounts = await setUp(b)
    await b.close()
    dirs.push(b.dataDir)
    // The same book, run once without interruption: the reference (and how long a run takes).
    const reference = fastDir('coffer-recurring-ref-')
    dirs.push(reference)
    fs.copyFileSync(path.join(b.dataDir, 'coffer.sqlite'), path.join(reference, 'coffer.sqlite'))
    const refCore = openRecurringCore(reference, new ManualClock(NOW))
    const t0 = performance.now()
    value(await refCore.invoke('recurring.runOrders', { dryRun: false }))
    const runMs = performance.now() - t0
    await refCore.shutdown()
    const refDb = rawDb(reference)
    const expected = outcomes(refDb)
    refDb.close()
    expect(expected.length).toBe(335)
    console.info(`reference run: ${Math.round(runMs)} ms`)

    const rnd = random(SEED)
    let interrupted = 0
    for (let k = 0; k < KILLS; k++) {
      // Anywhere in what remains of the run.
      const counted = rawDb(b.dataDir)
      const before = doneCount(counted)
      counted.close()
      const t1 = performance.now()
      const finished = await runAndKill(b.dataDir, before + 1 + Math.floor(rnd() * 0.3 * (expected.length - before)))
      console.info(`kill ${k}: ${before} done before, ${Math.round(performance.now() - t1)} ms, ${finished ? 'finished' : 'killed'}`)
      if (!finished) interrupted++
      const db = rawDb(b.dataDir)
      try {
        expect(recurringProblems(db)).toEqual([])
        expect(checkSummaries(db).differences).toEqual([])
      } finally {
        db.close()
      }
    }
    expect(interrupted).toBeGreaterThanOrEqual(KILLS - 1)

    // Run to completion.
    const core = openRecurringCore(b.dataDir, new ManualClock(NOW))
    value(await core.invoke('recurring.runOrders', { dryRun: false }))
    const done = { ...b, core, db: rawDb(b.dataDir), close: async () => undefined } as RecurringBook
    try {
      const got = outcomes(done.db)
      expect(got).toEqual(expected)
      // Every order's every day (or week) from its start to today, once.
      const perOrder = done.db.prepare('SELECT standing_order_id, count(*) AS n, count(DISTINCT n) AS d FROM recurring_occurrences GROUP BY 1').all() as { n: number; d: number }[]
      expect(perOrder.map((r) => r.n)).toEqual(perOrder.map((r) => r.d))
      expect(perOrder.map((r) => r.n).sort()).toEqual([...Array<number>(5).fill(5), ...Array<number>(10).fill(31)].sort())
      // Balances: deposits plus what the posted occurrences moved.
      const moved = done.db
        .prepare(
          `SELECT o.from_member_account_id AS src, o.to_member_account_id AS dst, r.amount_minor AS amount
           FROM recurring_occurrences r JOIN standing_orders o ON o.id = r.standing_order_id WHERE r.status = 'posted'`
        )
        .all() as { src: number; dst: number | null; amount: number }[]
      const deposits = done.db.prepare("SELECT l.member_account_id AS id, sum(l.credit_minor) AS amount FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.source = 'deposit' GROUP BY 1").all() as {
        id: number
        amount: number
      }[]
      for (const id of memberAccounts) {
        const expectedBalance =
          (deposits.find((d) => d.id === id)?.amount ?? 0) - moved.filter((m) => m.src === id).reduce((s, m) => s + m.amount, 0) + moved.filter((m) => m.dst === id).reduce((s, m) => s + m.amount, 0)
        expect(memberBalanceRaw(done.db, id), `member account #${id}`).toBe(expectedBalance)
        expect(memberBalanceRaw(done.db, id)).toBeGreaterThanOrEqual(0)
      }
      expect(await bookProblems(done)).toEqual([])
      expect(value(await core.invoke('audit.verify', {}))).toMatchObject({ ok: true, brokenAt: null })
      console.info(`recurring kill test: ${KILLS} kills, ${interrupted} mid-run, ${got.length} occurrences, a run ${Math.round(runMs)} ms`)
    } finally {
      done.db.close()
      await core.shutdown()
    }
  }, 120_000)
})
