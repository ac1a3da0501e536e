/**
 * The ledger through a real core, as operators call it: bonds posting
 * (purchases, coupons paid and voided, redemptions) in the same transaction
 * as their own change, closed months, validation next to the fields, the
 * journal's append-only triggers, and who may post, withdraw, reverse and
 * close. The book's invariants are checked after each scenario
 * (test/support/ledger.ts).
 */
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type Core } from '../../src/core'
import { LedgerService } from '../../src/core/ledger'
import { DomainError } from '../../src/core/platform/errors'
import type { Holding, Payment } from '../../src/shared/contract'
import type { Account, AccountRole, JournalEntry, JournalPage, Periods } from '../../src/shared/contract/ledger'
import { TODAY, ledgerBook, ledgerProblems, rawDb } from '../support/ledger'
import { TREASURER, asOperator, prepareAndApprove } from '../support/operators'
import { runJob, seriesWithHolding } from '../support/series'
import { value } from '../support/temp-core'

const cores: Core[] = []
const dbs: Database.Database[] = []
afterEach(async () => {
  while (dbs.length) dbs.pop()?.close()
  while (cores.length) await cores.pop()?.shutdown()
})

const CLERK = { name: 'Carl Clerk', username: 'carl', password: 'clerk password 12', role: 'clerk' }
const AUDITOR = { name: 'Aud Itor', username: 'audi', password: 'auditor password 1', role: 'auditor' }

type Envelope = Awaited<ReturnType<Core['invoke']>>
/** Money as the book shows it (en-KE, KES): Intl puts a no-break space after the symbol. */
const ksh = (amount: string) => `Ksh\u00a0${amount}`
const fieldsOf = (r: Envelope) => (r.ok ? {} : (r.error.fields ?? {}))

async function rolesOf(core: Core): Promise<Record<AccountRole, Account>> {
  const accounts = value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts
  return Object.fromEntries(accounts.filter((a) => a.role).map((a) => [a.role, a])) as Record<AccountRole, Account>
}

/** An entry's lines as [role or code, debit, credit], in line order. */
function linesOf(e: JournalEntry, role: Record<AccountRole, Account>): [string, number, number][] {
  const byId = new Map(Object.entries(role).map(([r, a]) => [a.id, r]))
  return e.lines.map((l) => [byId.get(l.accountId) ?? l.accountCode, l.debitMinor, l.creditMinor])
}

async function journal(core: Core, q: Record<string, unknown> = {}): Promise<JournalEntry[]> {
  return value<JournalPage>(await core.invoke('ledger.journal', { limit: 200, ...q })).entries
}

/** The entry posted for a thing (bond_payments:12), not counting its reversal. */
async function entryFor(core: Core, sourceRef: string): Promise<JournalEntry | undefined> {
  return (await journal(core)).find((e) => e.sourceRef === sourceRef && e.reversesId === null)
}

async function sound(core: Core, dataDir: string): Promise<void> {
  const db = rawDb(dataDir)
  dbs.push(db)
  const dates = db.prepare('SELECT DISTINCT value_date FROM journal_entries ORDER BY 1').pluck().all() as string[]
  expect(await ledgerProblems(core, db, [...dates, TODAY])).toEqual([])
}

/** A LedgerService on a connection of its own to the book's file, as an area inside core holds it (for what no channel offers). */
function ledgerOn(dataDir: string, clock: ManualClock): { ledger: LedgerService; sqlite: Database.Database } {
  const sqlite = rawDb(dataDir)
  dbs.push(sqlite)
  const ledger = new LedgerService(
    { sqlite, db: drizzle({ client: sqlite }), clock, emit: () => undefined },
    { timeZone: () => 'Africa/Nairobi', locale: () => 'en-KE', currency: () => 'KES' }
  )
  return { ledger, sqlite }
}

const payments = async (core: Core, q: Record<string, unknown> = {}) => value<{ rows: Payment[] }>(await core.invoke('payments.list', q)).rows

describe('bonds post to the ledger in their own transaction', () => {
  it('buying units posts Dr bank / Cr bonds payable at face value, dated the purchase date; a refused purchase writes neither', async () => {
    const { core, dataDir, clock, holding, jane, series } = await seriesWithHolding(cores)
    const role = await rolesOf(core)
    const e = await entryFor(core, `bond_holdings:${holding.id}`)
    expect(e).toMatchObject({ valueDate: '2026-01-16', source: 'bond-purchase', enteredBy: 'Ada Admin', totalMinor: 1_000_000, reversedById: null })
    expect(e?.description).toMatch(/^Bond purchase: UMJ-27, 10 units, M-1 Jane Wanjiru$/)
    expect(linesOf(e!, role)).toEqual([
      ['bank', 1_000_000, 0],
      ['bonds-payable', 0, 1_000_000]
    ])

    // February closed: a purchase dated in it is refused on its date field, and no holding is left without its entry.
    clock.set('2026-03-05T06:00:00Z')
    value(await core.invoke('ledger.closePeriod', { month: '2026-02' }))
    const r = await core.invoke('bonds.buyHolding', { memberId: jane.id, seriesId: series.id, units: 3, purchaseDate: '2026-02-10' })
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { purchaseDate: expect.stringMatching(/^February 2026 is closed/) } } })
    expect(value<{ rows: Holding[] }>(await core.invoke('bonds.listHoldings', {})).rows.map((h) => h.id)).toEqual([holding.id])
    expect((await journal(core)).map((x) => x.id)).toEqual([e!.id])
    await sound(core, dataDir)
  })

  it('paying a coupon posts Dr coupon interest (gross) / Cr bank or cash by method (net) / Cr withholding tax, dated the paid date; voiding reverses it', async () => {
    const { core, dataDir, clock } = await seriesWithHolding(cores)
    const role = await rolesOf(core)
    clock.set('2026-02-03T06:00:00Z')
    await runJob(core, 'coupons')
    const [p] = await payments(core)
    // 10 x 1,000.00 at 12% from 16 Jan to 1 Feb on 30/360 (15 days): 50.00, tax 15%.
    expect(p).toMatchObject({ grossMinor: 5_000, taxMinor: 750, netMinor: 4_250 })
    await prepareAndApprove(core, [p!.id])
    const paid = value<{ paid: { voucherNumber: string }[] }>(
      await core.invoke('payments.pay', { ids: [p!.id], paidOn: '2026-02-02', method: 'cheque', reference: 'CHQ 000123' })
    ).paid
    const e = await entryFor(core, `bond_payments:${p!.id}`)
    expect(e).toMatchObject({ valueDate: '2026-02-02', source: 'bond-payment', reference: paid[0]!.voucherNumber, totalMinor: 5_000, enteredBy: 'Ada Admin' })
    expect(e?.description).toBe('Coupon paid: UMJ-27, M-1 Jane Wanjiru')
    expect(linesOf(e!, role)).toEqual([
      ['coupon-expense', 5_000, 0],
      ['bank', 0, 4_250],
      ['withholding-tax', 0, 750]
    ])

    // The cheque bounced: voided three days later, the entry is reversed that day, linked both ways.
    clock.set('2026-02-05T06:00:00Z')
    const { replacement } = value<{ replacement: Payment }>(await core.invoke('payments.void', { id: p!.id, reason: 'Cheque bounced' }))
    const reversal = (await journal(core)).find((x) => x.reversesId === e!.id)
    expect(reversal).toMatchObject({ valueDate: '2026-02-05', source: 'reversal', sourceRef: `bond_payments:${p!.id}`, reference: paid[0]!.voucherNumber })
    expect(reversal?.description).toBe(`Reversal of #${e!.id}: payment voided: Cheque bounced`)
    expect(linesOf(reversal!, role)).toEqual([
      ['coupon-expense', 0, 5_000],
      ['bank', 4_250, 0],
      ['withholding-tax', 750, 0]
    ])
    expect(value<JournalEntry>(await core.invoke('ledger.entry', { id: e!.id })).reversedById).toBe(reversal!.id)
    // The area's own entry is corrected in the area, not reversed by hand.
    const byHand = await core.invoke('ledger.reverse', { id: e!.id, valueDate: '2026-02-05', reason: 'By hand' })
    expect(byHand).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })

    // The replacement paid in cash: cash, not the bank, is credited the net.
    await prepareAndApprove(core, [replacement.id])
    value(await core.invoke('payments.pay', { ids: [replacement.id], paidOn: '2026-02-05', method: 'cash' }))
    const again = await entryFor(core, `bond_payments:${replacement.id}`)
    expect(linesOf(again!, role)).toEqual([
      ['coupon-expense', 5_000, 0],
      ['cash', 0, 4_250],
      ['withholding-tax', 0, 750]
    ])
    const dash = value<{ couponInterestYearMinor: number; taxWithheldYearMinor: number; cashMinor: number; bankMinor: number }>(
      await core.invoke('ledger.dashboard', {})
    )
    expect(dash).toMatchObject({ couponInterestYearMinor: 5_000, taxWithheldYearMinor: 750, cashMinor: -4_250, bankMinor: 1_000_000 })
    await sound(core, dataDir)
  })

  it('a pay that fails writes no entry: a payment later in the batch that cannot post takes the whole batch back, entries included', async () => {
    const { core, dataDir, clock } = await seriesWithHolding(cores)
    clock.set('2026-03-02T06:00:00Z')
    await runJob(core, 'coupons')
    const ids = (await payments(core)).map((p) => p.id).sort((a, b) => a - b)
    expect(ids).toHaveLength(2)
    await prepareAndApprove(core, ids)
    // Something already posted for the second payment (as only a damaged book could have): its posting is refused, after the first's.
    const { ledger } = ledgerOn(dataDir, clock)
    const role = await rolesOf(core)
    const stray = ledger.post({
      valueDate: '2026-03-01',
      description: 'Stray',
      source: 'bond-payment',
      sourceRef: `bond_payments:${ids[1]}`,
      lines: [
        { accountId: role['coupon-expense'].id, debitMinor: 1, creditMinor: 0 },
        { accountId: role.cash.id, debitMinor: 0, creditMinor: 1 }
      ]
    })
    const r = await core.invoke('payments.pay', { ids, paidOn: '2026-03-02', method: 'cash' })
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/already posted/) } })
    expect((await payments(core)).map((p) => [p.id, p.status, p.voucherNumber])).toEqual(ids.map((id) => [id, 'approved', null]))
    expect((await journal(core)).map((e) => e.sourceRef)).toEqual([`bond_payments:${ids[1]}`, expect.stringMatching(/^bond_holdings:/)])
    expect((await journal(core))[0]!.id).toBe(stray.id)
    await sound(core, dataDir)
  })

  it('a pay dated in a closed month is refused on paidOn, and nothing is paid or posted; a future date on paidOn too', async () => {
    const { core, dataDir, clock } = await seriesWithHolding(cores)
    clock.set('2026-03-02T06:00:00Z')
    await runJob(core, 'coupons')
    const ids = (await payments(core)).map((p) => p.id)
    await prepareAndApprove(core, ids)
    value(await core.invoke('ledger.closePeriod', { month: '2026-02' }))
    const before = await journal(core)
    const r = await core.invoke('payments.pay', { ids, paidOn: '2026-02-27', method: 'bank-transfer', reference: 'EFT 1' })
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { paidOn: expect.stringMatching(/^February 2026 is closed/) } } })
    expect(r.ok ? '' : r.error.message).toMatch(/^February 2026 is closed; nothing can be posted on .*27.*Feb.*2026.*Reopen the month in Settings, or choose a later date\.$/)
    const future = await core.invoke('payments.pay', { ids, paidOn: '2026-03-03', method: 'bank-transfer', reference: 'EFT 1' })
    expect(future).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { paidOn: expect.any(String) } } })
    expect((await payments(core)).every((p) => p.status === 'approved' && p.voucherNumber === null)).toBe(true)
    expect(await journal(core)).toEqual(before)
    // In March it is paid, and posted in March.
    value(await core.invoke('payments.pay', { ids, paidOn: '2026-03-02', method: 'bank-transfer', reference: 'EFT 1' }))
    expect((await journal(core, { source: 'bond-payment' })).map((e) => e.valueDate)).toEqual(['2026-03-02', '2026-03-02'])
    await sound(core, dataDir)
  })

  it('a redemption paid posts Dr bonds payable / Cr cash, and its accrued interest as a coupon; bonds payable is then nil', async () => {
    const { core, dataDir, clock, holding } = await seriesWithHolding(cores)
    const role = await rolesOf(core)
    clock.set('2026-03-16T06:00:00Z')
    value(await core.invoke('bonds.redeemHolding', { id: holding.id, expectedVersion: holding.version, redeemedOn: '2026-03-16' }))
    await runJob(core, 'coupons')
    const all = await payments(core)
    await prepareAndApprove(core, all.map((p) => p.id))
    value(await core.invoke('payments.pay', { ids: all.map((p) => p.id), paidOn: '2026-03-16', method: 'cash' }))
    const principal = all.find((p) => p.kind === 'principal')!
    const interest = all.find((p) => p.kind === 'interest')!
    const pe = await entryFor(core, `bond_payments:${principal.id}`)
    expect(pe?.description).toBe('Redemption paid: UMJ-27, M-1 Jane Wanjiru')
    expect(linesOf(pe!, role)).toEqual([
      ['bonds-payable', 1_000_000, 0],
      ['cash', 0, 1_000_000]
    ])
    expect(linesOf((await entryFor(core, `bond_payments:${interest.id}`))!, role)).toEqual([
      ['coupon-expense', 5_000, 0],
      ['cash', 0, 4_250],
      ['withholding-tax', 0, 750]
    ])
    const accounts = await rolesOf(core)
    expect(accounts['bonds-payable'].balanceMinor).toBe(0)
    expect(value<{ bondsPayableMinor: number }>(await core.invoke('ledger.dashboard', {})).bondsPayableMinor).toBe(0)
    await sound(core, dataDir)
  })
})

describe('closed months', () => {
  it('refuse a manual entry, a deposit, a share purchase, a withdrawal and a reversal dated in them, on the date field; nothing is written', async () => {
    const book = await ledgerBook()
    cores.push(book.core)
    const { core, role, members } = book
    const ma = members[0]!
    const kept = value<JournalEntry>(await core.invoke('ledger.deposit', { memberAccountId: ma.savings.id, amountMinor: 90_000, valueDate: '2026-09-03', via: 'cash' }))
    value(await core.invoke('ledger.closePeriod', { month: '2026-09' }))
    const before = await journal(core)
    const money = { memberAccountId: ma.savings.id, amountMinor: 1_000, valueDate: '2026-09-30', via: 'bank' }
    const attempts: [string, unknown][] = [
      ['ledger.post', { valueDate: '2026-09-30', description: 'Bank charges', lines: [{ accountId: role['fee-income'].id, debitMinor: 500 }, { accountId: role.bank.id, creditMinor: 500 }] }],
      ['ledger.deposit', money],
      ['ledger.withdraw', money],
      ['ledger.buyShares', { ...money, memberAccountId: ma.shares.id }],
      ['ledger.reverse', { id: kept.id, valueDate: '2026-09-04', reason: 'Wrong member' }]
    ]
    for (const [channel, input] of attempts) {
      const r = await core.invoke(channel, input)
      expect(r, channel).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { valueDate: expect.stringMatching(/^September 2026 is closed/) } } })
      expect(r.ok ? '' : r.error.message, channel).toMatch(/^September 2026 is closed; nothing can be posted on .*Sept?.*2026\. Reopen the month in Settings, or choose a later date\.$/)
    }
    expect(await journal(core)).toEqual(before)
    // The reversal dated in October, an open month, is posted.
    value(await core.invoke('ledger.reverse', { id: kept.id, valueDate: '2026-10-01', reason: 'Wrong member' }))
    // The current month cannot be closed, nor one closed twice.
    expect(await core.invoke('ledger.closePeriod', { month: '2026-11' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { month: expect.stringMatching(/not ended yet/) } } })
    expect(await core.invoke('ledger.closePeriod', { month: '2026-09' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { month: 'Already closed' } } })
    await sound(core, book.dataDir)
  })

  it('reopening needs a reason and is recorded with who closed and who reopened; the month then takes postings again', async () => {
    const book = await ledgerBook()
    cores.push(book.core)
    const { core, role } = book
    await asOperator(core, TREASURER, async () => value(await core.invoke('ledger.closePeriod', { month: '2026-08' })))
    for (const reason of ['', '   ']) {
      expect(await core.invoke('ledger.reopenPeriod', { month: '2026-08', reason }), JSON.stringify(reason)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', fields: { reason: expect.any(String) } }
      })
    }
    expect(value<Periods>(await core.invoke('ledger.periods', {})).periods).toEqual([
      expect.objectContaining({ month: '2026-08', closed: true, closedAt: expect.any(String), closedBy: 'Tom Treasurer' })
    ])
    const after = value<Periods>(await core.invoke('ledger.reopenPeriod', { month: '2026-08', reason: 'Bank charges for August came late' }))
    expect(after.periods).toEqual([])
    expect(after.events).toEqual([
      { month: '2026-08', action: 'reopened', reason: 'Bank charges for August came late', at: expect.any(String), by: 'Ada Admin' },
      { month: '2026-08', action: 'closed', reason: null, at: expect.any(String), by: 'Tom Treasurer' }
    ])
    expect(await core.invoke('ledger.reopenPeriod', { month: '2026-08', reason: 'Again' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { month: 'Not closed' } } })
    const e = value<JournalEntry>(
      await core.invoke('ledger.post', {
        valueDate: '2026-08-31',
        description: 'Bank charges, August',
        lines: [{ accountId: role['fee-income'].id, debitMinor: 1_250 }, { accountId: role.bank.id, creditMinor: 1_250 }]
      })
    )
    expect(e.valueDate).toBe('2026-08-31')
    await sound(core, book.dataDir)
  })

  it("LedgerService.post with whenClosed 'next-open-day' posts on the first open day after the closed months, with a note; without it, refuses on the caller's date field", async () => {
    const book = await ledgerBook()
    cores.push(book.core)
    const { core, role, clock, dataDir } = book
    value(await core.invoke('ledger.closePeriod', { month: '2026-08' }))
    value(await core.invoke('ledger.closePeriod', { month: '2026-09' }))
    const { ledger } = ledgerOn(dataDir, clock)
    const lines = [
      { accountId: role['salary-expense'].id, debitMinor: 250_000, creditMinor: 0 },
      { accountId: role['salaries-payable'].id, debitMinor: 0, creditMinor: 250_000 }
    ]
    const posted = ledger.post({ valueDate: '2026-08-25', description: 'Salaries, August', source: 'recurring', lines, whenClosed: 'next-open-day' })
    expect(posted.valueDate).toBe('2026-10-01')
    expect(posted.note).toMatch(/^Due 25 Aug.* 2026, in August 2026, which is closed: posted on 1 Oct.* 2026\.$/)
    const e = value<JournalEntry>(await core.invoke('ledger.entry', { id: posted.id }))
    expect(e).toMatchObject({ valueDate: '2026-10-01', note: posted.note, source: 'recurring', enteredBy: 'System' })
    expect(e.lines.map((l) => l.debitMinor + l.creditMinor)).toEqual([250_000, 250_000])
    // In an open month, posted on its date, no note.
    expect(ledger.post({ valueDate: '2026-10-25', description: 'Salaries, October', source: 'recurring', lines, whenClosed: 'next-open-day' })).toMatchObject({
      valueDate: '2026-10-25',
      note: null
    })
    // Closed across the new year: December 2025 and January 2026 closed, a posting due in December lands on 1 February.
    value(await core.invoke('ledger.closePeriod', { month: '2025-12' }))
    value(await core.invoke('ledger.closePeriod', { month: '2026-01' }))
    expect(ledger.post({ valueDate: '2025-12-31', description: 'Salaries, December', source: 'recurring', lines, whenClosed: 'next-open-day' })).toMatchObject({
      valueDate: '2026-02-01',
      note: expect.stringMatching(/in December 2025, which is closed: posted on 1 Feb.* 2026\.$/)
    })
    let refused: unknown
    try {
      ledger.post({ valueDate: '2026-09-25', description: 'Salaries, September', source: 'recurring', lines, dateField: 'dueOn' })
    } catch (err) {
      refused = err
    }
    expect(refused).toBeInstanceOf(DomainError)
    expect(refused).toMatchObject({ code: 'CONFLICT', fields: { dueOn: expect.stringMatching(/^September 2026 is closed/) } })
    // The summaries moved with the date: nothing in August, the salaries in October.
    const monthly = value<{ buckets: { bucket: string; accountId: number; debitMinor: number }[] }>(
      await core.invoke('ledger.summaries', { mode: 'monthly', from: '2026-08-01', to: '2026-10-31', accountIds: [role['salary-expense'].id] })
    ).buckets
    expect(monthly.map((b) => [b.bucket, b.debitMinor])).toEqual([['2026-10-01', 500_000]])
    expect(value<{ periods: { month: string }[] }>(await core.invoke('ledger.periods', {})).periods.map((p) => p.month)).toEqual(['2026-09', '2026-08', '2026-01', '2025-12'])
    await sound(core, dataDir)
  })
})

describe('maker-checker on manual entries', () => {
  it('an entry over the threshold waits, moves no balance, is approved by another operator (checked again: not into a month closed since) or rejected, never reversed while pending', async () => {
    const book = await ledgerBook()
    cores.push(book.core)
    const { core, role } = book
    const security = value<{ makerChecker: Record<string, unknown> }>(await core.invoke('security.get', {}))
    value(await core.invoke('security.save', { ...security, makerChecker: { ...security.makerChecker, journal: true, journalThresholdMinor: 100_000 } }))
    const entry = (valueDate: string, amount: number) =>
      core.invoke('ledger.post', { valueDate, description: 'Transfer', lines: [{ accountId: role.cash.id, debitMinor: amount }, { accountId: role.bank.id, creditMinor: amount }] })
    const small = value<JournalEntry>(await entry('2026-10-05', 99_999))
    const big = value<JournalEntry & { status: string }>(await entry('2026-10-06', 100_000))
    const other = value<JournalEntry & { status: string }>(await entry('2026-10-07', 250_000))
    expect([(small as JournalEntry & { status: string }).status, big.status, other.status]).toEqual(['posted', 'pending', 'pending'])
    const balances = async () => Object.fromEntries(value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts.filter((a) => a.role === 'cash' || a.role === 'bank').map((a) => [a.role, a.balanceMinor]))
    expect(await balances()).toEqual({ cash: 99_999, bank: -99_999 })
    expect(await core.invoke('ledger.reverse', { id: big.id, valueDate: TODAY, reason: 'No' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    // Ada entered them: she may not approve them.
    expect(await core.invoke('ledger.approveEntry', { id: big.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    value(await core.invoke('ledger.closePeriod', { month: '2026-10' }))
    await asOperator(core, TREASURER, async () => {
      const closed = await core.invoke('ledger.approveEntry', { id: big.id })
      expect(closed).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { valueDate: expect.stringMatching(/^October 2026 is closed/) } } })
      value(await core.invoke('ledger.rejectEntry', { id: other.id, reason: 'Wrong account' }))
    })
    value(await core.invoke('ledger.reopenPeriod', { month: '2026-10', reason: 'Approve the transfer' }))
    await asOperator(core, TREASURER, async () => {
      expect(value<JournalEntry & { status: string }>(await core.invoke('ledger.approveEntry', { id: big.id }))).toMatchObject({ status: 'posted', valueDate: '2026-10-06' })
      expect(await core.invoke('ledger.approveEntry', { id: other.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    })
    expect(await balances()).toEqual({ cash: 199_999, bank: -199_999 })
    expect(await core.invoke('ledger.reverse', { id: other.id, valueDate: TODAY, reason: 'No' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    await sound(core, book.dataDir)
  })
})

describe('validation, next to the fields; nothing written', () => {
  it('refuses an unbalanced entry naming the difference, an inactive account, a control account without a member account, a member account under another control', async () => {
    const book = await ledgerBook()
    cores.push(book.core)
    const { core, role, members } = book
    const old = value<Account>(await core.invoke('ledger.createAccount', { code: '6100', name: 'Old expenses', type: 'expense' }))
    value(await core.invoke('ledger.setAccountActive', { id: old.id, expectedVersion: old.version, active: false }))
    const post = (lines: unknown[]) => core.invoke('ledger.post', { valueDate: '2026-11-02', description: 'Test', lines })

    const unbalanced = await post([{ accountId: role.cash.id, debitMinor: 10_000 }, { accountId: role.bank.id, creditMinor: 9_000 }])
    expect(unbalanced).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: `Debits (${ksh('100.00')}) and credits (${ksh('90.00')}) differ by ${ksh('10.00')}; nothing was posted.`, fields: { lines: `Unbalanced by ${ksh('10.00')}` } }
    })
    expect(fieldsOf(await post([{ accountId: old.id, debitMinor: 100 }, { accountId: role.cash.id, creditMinor: 100 }]))).toEqual({ 'lines.0.accountId': 'Old expenses is inactive' })
    const noMember = await post([{ accountId: role.cash.id, debitMinor: 100 }, { accountId: role['member-savings'].id, creditMinor: 100 }])
    expect(noMember).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { 'lines.1.memberAccountId': expect.stringMatching(/control account: choose the member/) } } })
    const wrongControl = await post([{ accountId: role.cash.id, debitMinor: 100 }, { accountId: role['member-savings'].id, memberAccountId: members[0]!.shares.id, creditMinor: 100 }])
    expect(fieldsOf(wrongControl)).toEqual({ 'lines.1.memberAccountId': "This member account is not under Members' savings" })
    const both = await post([{ accountId: role.cash.id, debitMinor: 100, creditMinor: 100 }, { accountId: role.bank.id, creditMinor: 0 }])
    expect(fieldsOf(both)).toEqual({ 'lines.0': 'A line is a debit or a credit, not both', 'lines.1': 'Enter a debit or a credit' })
    expect(fieldsOf(await post([{ accountId: role.cash.id, debitMinor: 100 }]))).toMatchObject({ lines: expect.any(String) })
    expect(await journal(core)).toEqual([])
    expect(value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts.every((a) => a.balanceMinor === 0 && !a.hasEntries)).toBe(true)
  })

  it('refuses a withdrawal past the balance on amountMinor, and allows exactly the balance', async () => {
    const book = await ledgerBook()
    cores.push(book.core)
    const { core, members } = book
    const savings = members[0]!.savings
    value(await core.invoke('ledger.deposit', { memberAccountId: savings.id, amountMinor: 50_000, valueDate: '2026-11-01', via: 'cash' }))
    const past = await core.invoke('ledger.withdraw', { memberAccountId: savings.id, amountMinor: 50_001, valueDate: '2026-11-02', via: 'cash' })
    expect(past).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: `Member 1’s savings balance is ${ksh('500.00')}; ${ksh('500.01')} cannot be withdrawn.`,
        fields: { amountMinor: `More than the available ${ksh('500.00')}` }
      }
    })
    // A share capital account is not withdrawn from here.
    expect(fieldsOf(await core.invoke('ledger.withdraw', { memberAccountId: members[0]!.shares.id, amountMinor: 1, valueDate: '2026-11-02', via: 'cash' }))).toEqual({
      memberAccountId: 'Not a savings account'
    })
    value(await core.invoke('ledger.withdraw', { memberAccountId: savings.id, amountMinor: 50_000, valueDate: '2026-11-02', via: 'cash' }))
    expect(value<{ accounts: { id: number; balanceMinor: number }[] }>(await core.invoke('ledger.memberAccounts', { memberId: members[0]!.member.id })).accounts.find((a) => a.id === savings.id)?.balanceMinor).toBe(0)
    expect(fieldsOf(await core.invoke('ledger.withdraw', { memberAccountId: savings.id, amountMinor: 1, valueDate: '2026-11-02', via: 'cash' }))).toEqual({
      amountMinor: `More than the available ${ksh('0.00')}`
    })
    await sound(core, book.dataDir)
  })

  it('refuses a value date in the future: member money, a general journal entry, a reversal', async () => {
    const book = await ledgerBook()
    cores.push(book.core)
    const { core, role, members } = book
    const tomorrow = '2026-11-23'
    for (const [channel, memberAccountId] of [
      ['ledger.deposit', members[0]!.savings.id],
      ['ledger.withdraw', members[0]!.savings.id],
      ['ledger.buyShares', members[0]!.shares.id]
    ] as const) {
      const r = await core.invoke(channel, { memberAccountId, amountMinor: 100, valueDate: tomorrow, via: 'cash' })
      expect(r, channel).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { valueDate: 'Cannot be in the future' } } })
    }
    const manual = await core.invoke('ledger.post', {
      valueDate: tomorrow,
      description: 'Typed the wrong year',
      lines: [{ accountId: role.cash.id, debitMinor: 100 }, { accountId: role.bank.id, creditMinor: 100 }]
    })
    expect(manual).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { valueDate: 'Cannot be in the future' } } })
    expect(await journal(core)).toEqual([])
    const e = value<JournalEntry>(await core.invoke('ledger.deposit', { memberAccountId: members[0]!.savings.id, amountMinor: 100, valueDate: TODAY, via: 'cash' }))
    const reversal = await core.invoke('ledger.reverse', { id: e.id, valueDate: tomorrow, reason: 'Wrong member' })
    expect(reversal).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { valueDate: 'Cannot be in the future' } } })
    expect((await journal(core)).map((x) => x.id)).toEqual([e.id])
  })
})

describe('summaries in the cooperative’s calendar', () => {
  it('a week across the new year is one ISO-week bucket (Monday 28 Dec); days and months split at midnight and the 1st', async () => {
    const book = await ledgerBook({ now: '2027-01-10T09:00:00Z' })
    cores.push(book.core)
    const { core, role, members } = book
    const savings = members[0]!.savings
    const deposits: [string, number][] = [
      ['2026-12-27', 100], // Sunday: the week of 21 Dec
      ['2026-12-28', 200], // Monday
      ['2026-12-31', 300], // Thursday
      ['2027-01-03', 400], // Sunday: still the week of 28 Dec (ISO week 53 of 2026)
      ['2027-01-04', 500] // Monday: week 1 of 2027
    ]
    for (const [valueDate, amountMinor] of deposits) value(await core.invoke('ledger.deposit', { memberAccountId: savings.id, amountMinor, valueDate, via: 'cash' }))
    const read = async (mode: string, from: string, to: string) =>
      value<{ buckets: { bucket: string; debitMinor: number; count: number }[] }>(
        await core.invoke('ledger.summaries', { mode, from, to, accountIds: [role.cash.id] })
      ).buckets.map((b) => [b.bucket, b.debitMinor, b.count])
    expect(await read('weekly', '2026-12-01', '2027-01-31')).toEqual([
      ['2026-12-21', 100, 1],
      ['2026-12-28', 900, 3],
      ['2027-01-04', 500, 1]
    ])
    // A range starting mid-week takes the whole week it starts in.
    expect(await read('weekly', '2027-01-02', '2027-01-03')).toEqual([['2026-12-28', 900, 3]])
    expect(await read('monthly', '2026-12-15', '2027-01-31')).toEqual([
      ['2026-12-01', 600, 3],
      ['2027-01-01', 900, 2]
    ])
    expect((await read('daily', '2026-12-31', '2027-01-03')).map((b) => b[0])).toEqual(['2026-12-31', '2027-01-03'])
    // The member account's own buckets, by count.
    const counts = value<{ buckets: { bucket: string; memberAccountId: number | null; count: number; debitMinor: number }[] }>(
      await core.invoke('ledger.summaries', { mode: 'weekly', measure: 'count', from: '2026-12-01', to: '2027-01-31', memberAccountIds: [savings.id] })
    ).buckets
    expect(counts.map((b) => [b.bucket, b.memberAccountId, b.count, b.debitMinor])).toEqual([
      ['2026-12-21', savings.id, 1, 0],
      ['2026-12-28', savings.id, 3, 0],
      ['2027-01-04', savings.id, 1, 0]
    ])
    expect(await core.invoke('ledger.summaries', { mode: 'daily', from: '2027-01-05', to: '2027-01-04' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { from: 'After To' } }
    })
    await sound(core, book.dataDir)
  })

  it('today is the cooperative’s day: at 01:30 in Nairobi (22:30 UTC the day before), a deposit dated today is taken and tomorrow is the future', async () => {
    const book = await ledgerBook({ now: '2026-11-22T22:30:00Z' })
    cores.push(book.core)
    const savings = book.members[0]!.savings
    const today = await book.core.invoke('ledger.deposit', { memberAccountId: savings.id, amountMinor: 1_000, valueDate: '2026-11-23', via: 'cash' })
    expect(today).toMatchObject({ ok: true, value: { valueDate: '2026-11-23' } })
    const tomorrow = await book.core.invoke('ledger.deposit', { memberAccountId: savings.id, amountMinor: 1_000, valueDate: '2026-11-24', via: 'cash' })
    expect(tomorrow).toMatchObject({ ok: false, error: { fields: { valueDate: 'Cannot be in the future' } } })
    expect(value<{ asOf: string; totalDebitMinor: number }>(await book.core.invoke('ledger.trialBalance', {}))).toMatchObject({ asOf: '2026-11-23', totalDebitMinor: 1_000 })
  })
})

describe('the journal is append-only', () => {
  it('raw SQL cannot change or delete an entry or a line', async () => {
    const book = await ledgerBook()
    cores.push(book.core)
    const e = value<JournalEntry>(await book.core.invoke('ledger.deposit', { memberAccountId: book.members[0]!.savings.id, amountMinor: 700, valueDate: '2026-11-01', via: 'cash' }))
    const db = rawDb(book.dataDir)
    dbs.push(db)
    expect(() => db.prepare("UPDATE journal_entries SET description = 'Changed' WHERE id = ?").run(e.id)).toThrowError('Journal entries cannot be changed: reverse the entry instead.')
    expect(() => db.prepare('DELETE FROM journal_entries WHERE id = ?').run(e.id)).toThrowError('Journal entries cannot be deleted: reverse the entry instead.')
    expect(() => db.prepare('UPDATE journal_lines SET credit_minor = 1 WHERE entry_id = ?').run(e.id)).toThrowError('Journal lines cannot be changed: reverse the entry instead.')
    expect(() => db.prepare('DELETE FROM journal_lines WHERE entry_id = ?').run(e.id)).toThrowError('Journal lines cannot be deleted: reverse the entry instead.')
    expect(value<JournalEntry>(await book.core.invoke('ledger.entry', { id: e.id }))).toEqual(e)
    // A reversal of a reversal, or a second reversal, is refused; the correction is a new entry.
    const rev = value<JournalEntry>(await book.core.invoke('ledger.reverse', { id: e.id, valueDate: '2026-11-02', reason: 'Wrong member' }))
    expect(await book.core.invoke('ledger.reverse', { id: e.id, valueDate: '2026-11-02', reason: 'Again' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await book.core.invoke('ledger.reverse', { id: rev.id, valueDate: '2026-11-02', reason: 'Undo' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await book.core.invoke('ledger.reverse', { id: e.id, valueDate: '2026-10-31', reason: 'Before' })).toMatchObject({ ok: false })
    await sound(book.core, book.dataDir)
  })
})

describe('who may post', () => {
  it('a clerk posts entries, deposits and share purchases, but may not withdraw, reverse, or close or reopen a month; an auditor only reads', async () => {
    const book = await ledgerBook()
    cores.push(book.core)
    const { core, role, members } = book
    const ma = members[0]!
    value(await core.invoke('ledger.closePeriod', { month: '2026-07' }))
    const posted = await asOperator(core, CLERK, async () => {
      const entry = value<JournalEntry>(
        await core.invoke('ledger.post', { valueDate: '2026-11-02', description: 'Petty cash', lines: [{ accountId: role.cash.id, debitMinor: 5_000 }, { accountId: role.bank.id, creditMinor: 5_000 }] })
      )
      const deposit = value<JournalEntry>(await core.invoke('ledger.deposit', { memberAccountId: ma.savings.id, amountMinor: 20_000, valueDate: '2026-11-02', via: 'cash' }))
      value(await core.invoke('ledger.buyShares', { memberAccountId: ma.shares.id, amountMinor: 10_000, valueDate: '2026-11-02', via: 'bank' }))
      const refused: [string, unknown][] = [
        ['ledger.withdraw', { memberAccountId: ma.savings.id, amountMinor: 1_000, valueDate: '2026-11-02', via: 'cash' }],
        ['ledger.reverse', { id: deposit.id, valueDate: '2026-11-02', reason: 'Wrong member' }],
        ['ledger.closePeriod', { month: '2026-08' }],
        ['ledger.reopenPeriod', { month: '2026-07', reason: 'Late charges' }],
        ['ledger.createAccount', { code: '6200', name: 'Travel', type: 'expense' }]
      ]
      for (const [channel, input] of refused) {
        const r = await core.invoke(channel, input)
        expect(r, channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/may not/) } })
      }
      return entry
    })
    expect(posted.enteredBy).toBe('Carl Clerk')
    await asOperator(core, AUDITOR, async () => {
      expect(value<{ totalDebitMinor: number }>(await core.invoke('ledger.trialBalance', {})).totalDebitMinor).toBe(30_000)
      const r = await core.invoke('ledger.post', { valueDate: '2026-11-02', description: 'No', lines: [{ accountId: role.cash.id, debitMinor: 1 }, { accountId: role.bank.id, creditMinor: 1 }] })
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    })
    // Nothing the refused calls asked for happened.
    expect((await journal(core)).map((e) => e.source)).toEqual(['share-purchase', 'deposit', 'manual'])
    expect(value<Periods>(await core.invoke('ledger.periods', {})).periods.map((p) => p.month)).toEqual(['2026-07'])
    await sound(core, book.dataDir)
  })
})
