/**
 * The ledger's invariants after random sequences of what operators do
 * (property-based, fast-check, seeded): general journal entries with random
 * balanced lines across accounts and member accounts, deposits, withdrawals
 * (some past the balance, refused), share purchases, back-dated postings,
 * reversals, month closes and reopenings, and (in some runs, maker-checker on
 * manual entries from a random threshold) pending entries approved or
 * rejected by another operator, all through core.invoke. A small
 * model of the book says which calls must be refused and why (future date,
 * balance, closed month, already reversed...); after each sequence the book is
 * checked against its journal read raw (test/support/ledger.ts, ledgerProblems).
 *
 * Reproducible: the seed is fixed (LEDGER_PROP_SEED and LEDGER_PROP_RUNS run
 * it longer or elsewhere); a failure prints the shrunk sequence.
 */
import fs from 'node:fs'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../src/core'
import type { JournalEntry } from '../../src/shared/contract/ledger'
import { tempCore, value } from '../support/temp-core'
import { TREASURER, asOperator } from '../support/operators'
import { TODAY, datesBetween, fastDir, ledgerBook, ledgerProblems, plusDays, rawDb, type LedgerBook } from '../support/ledger'

const SEED = Number(process.env.LEDGER_PROP_SEED ?? 20261122)
const RUNS = Number(process.env.LEDGER_PROP_RUNS ?? 20)
/** The first day a sequence posts on: a year before today, so ISO weeks straddle the new year (29 Dec 2025 - 4 Jan 2026). */
const START = '2025-11-17'
const DAYS = datesBetween(START, TODAY).length
/** Months that can be closed (the current one cannot: "not ended yet"), and the current one. */
const MONTHS = [...new Set(datesBetween(START, TODAY).map((d) => d.slice(0, 7)))]
const MEMBERS = 3

type Via = 'cash' | 'bank'
/** Where a line goes: an ordinary account of the chart (by index), or a member's savings or share capital account. */
type Target = { account: number } | { member: number; product: 'savings' | 'shares' }
type Op =
  | { op: 'post'; day: number; transfers: { from: Target; to: Target; amount: number }[] }
  | { op: 'deposit' | 'withdraw' | 'buyShares'; member: number; amount: number; day: number; via: Via }
  | { op: 'reverse'; pick: number; after: number }
  | { op: 'close'; month: number }
  /** A month closed now (the `month`-th of them), when `closedOne` and there is one; else any month. */
  | { op: 'reopen'; month: number; closedOne: boolean }
  /** Tom, the treasurer, approves or rejects an entry (the `pick`-th pending one, when `pendingOne` and there is one). */
  | { op: 'approve' | 'reject'; pick: number; pendingOne: boolean }

/** Maker-checker on manual entries for a run: entries of at least `thresholdMinor` wait for another operator. */
type Checker = { on: false } | { on: true; thresholdMinor: number }

let template: LedgerBook
let templateDir: string

beforeAll(async () => {
  template = await ledgerBook({ members: MEMBERS, dataDir: fastDir() })
  // Tom, who approves what Ada enters when maker-checker is on.
  await asOperator(template.core, TREASURER, async () => undefined)
  template.core.close()
  templateDir = template.dataDir
})

const ordinary = () => template.accounts.filter((a) => !a.controlOf)

const target = (): fc.Arbitrary<Target> =>
  fc.oneof(
    fc.record({ account: fc.nat({ max: ordinary().length - 1 }) }),
    fc.record({ member: fc.nat({ max: MEMBERS - 1 }), product: fc.constantFrom('savings' as const, 'shares' as const) })
  )

// Amounts small and large (a few cents to tens of millions), so withdrawals past the balance happen.
const amount = fc.oneof(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 5_000_000_000 }))
/** A day of the range; half of them in the last four months, where most closes fall, so postings meet closed months. */
const RECENT = datesBetween(START, '2026-07-31').length
const day = fc.oneof(fc.nat({ max: DAYS - 1 }), fc.integer({ min: RECENT, max: DAYS - 1 }))
const month = fc.oneof(fc.nat({ max: MONTHS.length - 1 }), fc.integer({ min: MONTHS.length - 5, max: MONTHS.length - 1 }))

const op = (): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('post' as const), day, transfers: fc.array(fc.record({ from: target(), to: target(), amount }), { minLength: 1, maxLength: 3 }) }) },
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constantFrom('deposit' as const, 'withdraw' as const, 'buyShares' as const),
        member: fc.nat({ max: MEMBERS - 1 }),
        amount,
        // A few days past today: refused (the value date cannot be in the future).
        day: fc.oneof({ weight: 9, arbitrary: day }, { weight: 1, arbitrary: fc.integer({ min: DAYS, max: DAYS + 2 }) }),
        via: fc.constantFrom('cash' as const, 'bank' as const)
      })
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat(), after: fc.oneof(fc.constant(0), fc.nat({ max: 60 })) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('close' as const), month }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('reopen' as const), month, closedOne: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('approve' as const, 'approve' as const, 'reject' as const), pick: fc.nat(), pendingOne: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }) }
  )

const checker: fc.Arbitrary<Checker> = fc.oneof(
  fc.constant({ on: false as const }),
  fc.record({ on: fc.constant(true as const), thresholdMinor: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000_000 })) })
)

interface ModelEntry {
  id: number
  status: 'posted' | 'pending' | 'rejected'
  date: string
  reversal: boolean
  reversed: boolean
  /** What it did to each member account's balance (credit - debit). */
  effect: Map<number, number>
}

type Outcome = { ok: true } | { ok: false; code: string; field?: string }

/**
 * The dates the trial balance is checked at. A trial balance as of a date
 * changes only on a value date, so checking each value date, the day before
 * it, and each month's first and last day (where the read switches between
 * monthly and daily buckets) covers every date of the range; `every` checks
 * each day of it anyway.
 */
function trialBalanceDates(db: ReturnType<typeof rawDb>, every: boolean): string[] {
  if (every) return datesBetween(plusDays(START, -1), TODAY)
  const dates = new Set<string>()
  for (const d of db.prepare('SELECT DISTINCT value_date FROM journal_entries').pluck().all() as string[]) {
    dates.add(d)
    dates.add(plusDays(d, -1))
  }
  for (const m of MONTHS) {
    dates.add(`${m}-01`)
    dates.add(plusDays(`${m}-01`, -1))
  }
  dates.add(TODAY)
  return [...dates].sort()
}

/** What the sequences did, over all runs: each kind of outcome must have happened (the generator is not vacuous). */
const tally = new Map<string, number>()
let runsDone = 0

async function runSequence(ops: Op[], mc: Checker): Promise<void> {
  // Every tenth run checks the trial balance on each day of the range.
  const every = runsDone++ % 10 === 0
  const dataDir = fastDir()
  fs.cpSync(templateDir, dataDir, { recursive: true })
  fs.rmSync(`${dataDir}/processes`, { recursive: true, force: true })
  const { core } = tempCore({ dataDir })
  const db = rawDb(dataDir)
  try {
    if (mc.on) {
      const security = value<{ makerChecker: Record<string, unknown> }>(await core.invoke('security.get', {}))
      value(await core.invoke('security.save', { ...security, makerChecker: { ...security.makerChecker, journal: true, journalThresholdMinor: mc.thresholdMinor } }))
    }
    const model = { closed: new Set<string>(), entries: [] as ModelEntry[], balance: new Map<number, number>() }
    const lineOf = (t: Target) => {
      if ('account' in t) return { accountId: ordinary()[t.account]!.id, memberAccountId: null as number | null }
      const ma = template.members[t.member]![t.product]
      return { accountId: ma.controlAccountId, memberAccountId: ma.id as number | null }
    }
    const dateOf = (d: number) => plusDays(START, d)
    const month = (d: string) => d.slice(0, 7)
    const effectOf = (e: JournalEntry) => {
      const effect = new Map<number, number>()
      for (const l of e.lines) if (l.memberAccountId !== null) effect.set(l.memberAccountId, (effect.get(l.memberAccountId) ?? 0) + l.creditMinor - l.debitMinor)
      return effect
    }
    const apply = (effect: Map<number, number>) => {
      for (const [ma, d] of effect) model.balance.set(ma, (model.balance.get(ma) ?? 0) + d)
    }
    const record = (e: JournalEntry, reversal: boolean, status: ModelEntry['status'] = 'posted') => {
      const effect = status === 'posted' ? effectOf(e) : new Map<number, number>()
      apply(effect)
      model.entries.push({ id: e.id, status, date: e.valueDate, reversal, reversed: false, effect })
    }

    for (const [i, o] of ops.entries()) {
      let expected: Outcome
      let r: Awaited<ReturnType<Core['invoke']>>
      let reversing: ModelEntry | undefined
      switch (o.op) {
        case 'post': {
          const date = dateOf(o.day)
          const lines = o.transfers.flatMap((t) => [
            { ...lineOf(t.to), debitMinor: t.amount, creditMinor: 0 },
            { ...lineOf(t.from), debitMinor: 0, creditMinor: t.amount }
          ])
          expected = model.closed.has(month(date)) ? { ok: false, code: 'CONFLICT', field: 'valueDate' } : { ok: true }
          r = await core.invoke('ledger.post', { valueDate: date, description: `Step ${i}`, lines })
          if (r.ok) {
            expect({ ok: true }, `step ${i} ${JSON.stringify(o)}: posted`).toEqual(expected)
            const total = o.transfers.reduce((t, x) => t + x.amount, 0)
            const pending = mc.on && total >= mc.thresholdMinor
            const e = r.value as JournalEntry & { status?: string }
            expect(e.status, `step ${i}: total ${total}`).toBe(pending ? 'pending' : 'posted')
            record(e, false, pending ? 'pending' : 'posted')
            const kind = `post ok${pending ? ' pending' : ''}`
            tally.set(kind, (tally.get(kind) ?? 0) + 1)
            continue
          }
          break
        }
        case 'deposit':
        case 'withdraw':
        case 'buyShares': {
          const date = dateOf(o.day)
          const ma = template.members[o.member]![o.op === 'buyShares' ? 'shares' : 'savings']
          if (date > TODAY) expected = { ok: false, code: 'VALIDATION', field: 'valueDate' }
          else if (o.op === 'withdraw' && o.amount > (model.balance.get(ma.id) ?? 0)) expected = { ok: false, code: 'VALIDATION', field: 'amountMinor' }
          else if (model.closed.has(month(date))) expected = { ok: false, code: 'CONFLICT', field: 'valueDate' }
          else expected = { ok: true }
          r = await core.invoke(`ledger.${o.op}`, { memberAccountId: ma.id, amountMinor: o.amount, valueDate: date, via: o.via })
          break
        }
        case 'reverse': {
          if (model.entries.length === 0) continue
          reversing = model.entries[o.pick % model.entries.length]!
          const date = [plusDays(reversing.date, o.after), TODAY].sort()[0]!
          if (reversing.status !== 'posted' || reversing.reversal || reversing.reversed) expected = { ok: false, code: 'CONFLICT' }
          else if (model.closed.has(month(date))) expected = { ok: false, code: 'CONFLICT', field: 'valueDate' }
          else expected = { ok: true }
          r = await core.invoke('ledger.reverse', { id: reversing.id, valueDate: date, reason: `Step ${i}` })
          break
        }
        case 'close': {
          const m = MONTHS[o.month]!
          if (m >= month(TODAY)) expected = { ok: false, code: 'VALIDATION', field: 'month' }
          else if (model.closed.has(m)) expected = { ok: false, code: 'CONFLICT', field: 'month' }
          else expected = { ok: true }
          r = await core.invoke('ledger.closePeriod', { month: m })
          if (r.ok) model.closed.add(m)
          break
        }
        case 'reopen': {
          const closed = [...model.closed].sort()
          const m = o.closedOne && closed.length > 0 ? closed[o.month % closed.length]! : MONTHS[o.month]!
          expected = model.closed.has(m) ? { ok: true } : { ok: false, code: 'CONFLICT', field: 'month' }
          r = await core.invoke('ledger.reopenPeriod', { month: m, reason: `Step ${i}` })
          if (r.ok) model.closed.delete(m)
          break
        }
        case 'approve':
        case 'reject': {
          if (model.entries.length === 0) continue
          const pending = model.entries.filter((e) => e.status === 'pending')
          const target = o.pendingOne && pending.length > 0 ? pending[o.pick % pending.length]! : model.entries[o.pick % model.entries.length]!
          if (target.status !== 'pending') expected = { ok: false, code: 'CONFLICT' }
          // Approving checks the entry again: its month may have been closed since it was entered.
          else if (o.op === 'approve' && model.closed.has(month(target.date))) expected = { ok: false, code: 'CONFLICT', field: 'valueDate' }
          else expected = { ok: true }
          r = await asOperator(core, TREASURER, () =>
            core.invoke(o.op === 'approve' ? 'ledger.approveEntry' : 'ledger.rejectEntry', { id: target.id, ...(o.op === 'reject' ? { reason: `Step ${i}` } : {}) })
          )
          if (r.ok) {
            const e = r.value as JournalEntry & { status?: string }
            expect(e.status).toBe(o.op === 'approve' ? 'posted' : 'rejected')
            expect(e.valueDate).toBe(target.date)
            target.status = o.op === 'approve' ? 'posted' : 'rejected'
            if (o.op === 'approve') {
              target.effect = effectOf(e)
              apply(target.effect)
            }
          }
          break
        }
      }
      const fields = r.ok ? {} : (r.error.fields ?? {})
      const got: Outcome = r.ok
        ? { ok: true }
        : { ok: false, code: r.error.code, ...(expected.ok === false && expected.field ? { field: expected.field in fields ? expected.field : Object.keys(fields).join() } : {}) }
      const kind = `${o.op} ${r.ok ? 'ok' : `${r.error.code} ${Object.keys(fields).join()}`.trim()}`
      tally.set(kind, (tally.get(kind) ?? 0) + 1)
      expect(got, `step ${i} ${JSON.stringify(o)}: ${r.ok ? 'posted' : r.error.message}`).toEqual(expected)
      if (r.ok && (o.op === 'deposit' || o.op === 'withdraw' || o.op === 'buyShares' || o.op === 'reverse')) {
        const e = r.value as JournalEntry
        record(e, o.op === 'reverse')
        if (reversing) {
          reversing.reversed = true
          expect(e.reversesId).toBe(reversing.id)
        }
      }
    }

    // The journal holds exactly what was posted, and what was closed is closed.
    expect(db.prepare('SELECT id FROM journal_entries ORDER BY id').pluck().all()).toEqual(model.entries.map((e) => e.id))
    const periods = (await core.invoke('ledger.periods', {})) as { ok: true; value: { periods: { month: string }[] } }
    expect(periods.value.periods.map((p) => p.month).sort()).toEqual([...model.closed].sort())
    for (const [ma, b] of model.balance) {
      expect(db.prepare('SELECT coalesce(sum(credit_minor - debit_minor), 0) FROM journal_lines WHERE member_account_id = ?').pluck().get(ma)).toBe(b)
    }
    expect(await ledgerProblems(core, db, trialBalanceDates(db, every), every ? 3 : 20)).toEqual([])
  } finally {
    db.close()
    core.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

describe('the ledger after random sequences of postings, back-dated postings, reversals and month closes', () => {
  afterAll(() => fs.rmSync(templateDir, { recursive: true, force: true }))

  it('balances at every date, keeps member accounts and control accounts equal to their lines, and keeps summaries equal to a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op(), { minLength: 1, maxLength: 40, size: 'max' }), checker, (ops, mc) => runSequence(ops, mc)),
      { seed: SEED, numRuns: RUNS, endOnFailure: false }
    )
    console.info(`ledger invariants: ${RUNS} runs (seed ${SEED}):`, Object.fromEntries([...tally].sort()))
    for (const kind of [
      'post ok',
      'post ok pending',
      'approve ok',
      'approve CONFLICT',
      'reject ok',
      'reject CONFLICT',
      'post CONFLICT valueDate',
      'deposit ok',
      'deposit VALIDATION valueDate',
      'deposit CONFLICT valueDate',
      'withdraw ok',
      'withdraw VALIDATION amountMinor',
      'buyShares ok',
      'reverse ok',
      'reverse CONFLICT',
      'reverse CONFLICT valueDate',
      'close ok',
      'close CONFLICT month',
      'close VALIDATION month',
      'reopen ok',
      'reopen CONFLICT month'
    ]) {
      expect(tally.get(kind) ?? 0, kind).toBeGreaterThan(0)
    }
  }, 120_000)

  it('the check itself is not vacuous: a bucket off by one, a line removed behind the ledger’s back are found', async () => {
    const dataDir = fastDir()
    fs.cpSync(templateDir, dataDir, { recursive: true })
    fs.rmSync(`${dataDir}/processes`, { recursive: true, force: true })
    const { core } = tempCore({ dataDir })
    const db = rawDb(dataDir)
    try {
      const jane = template.members[0]!
      const e = (await core.invoke('ledger.deposit', { memberAccountId: jane.savings.id, amountMinor: 12_345, valueDate: '2026-03-04', via: 'cash' })) as {
        ok: true
        value: JournalEntry
      }
      const dates = ['2026-03-03', '2026-03-04', TODAY]
      expect(await ledgerProblems(core, db, dates)).toEqual([])
      // A weekly bucket of the cash account off by one minor unit.
      db.prepare("UPDATE ledger_summaries SET debit_minor = debit_minor + 1 WHERE mode = 'w' AND account_id = ? AND member_account_id = 0").run(template.role.cash.id)
      const off = await ledgerProblems(core, db, dates)
      expect(off.some((p) => p.startsWith('summary differs') && p.includes('"mode":"w"'))).toBe(true)
      expect(off.some((p) => p.startsWith('weekly summaries differ'))).toBe(true)
      db.prepare("UPDATE ledger_summaries SET debit_minor = debit_minor - 1 WHERE mode = 'w' AND account_id = ? AND member_account_id = 0").run(template.role.cash.id)
      expect(await ledgerProblems(core, db, dates)).toEqual([])
      // The member's line removed (the journal's trigger dropped first, as only someone at the file could).
      db.exec('DROP TRIGGER journal_lines_no_delete')
      db.prepare('DELETE FROM journal_lines WHERE entry_id = ? AND member_account_id IS NOT NULL').run(e.value.id)
      const torn = await ledgerProblems(core, db, dates)
      expect(torn).toEqual(
        expect.arrayContaining([
          `entry #${e.value.id} has 1 line(s)`,
          `entry #${e.value.id}: debits 12345 <> credits 0`,
          `member account #${jane.savings.id}: balance 12345, its lines 0`,
          expect.stringMatching(/^summary differs/),
          expect.stringMatching(/^trial balance as of 2026-03-04: /)
        ])
      )
    } finally {
      db.close()
      core.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
