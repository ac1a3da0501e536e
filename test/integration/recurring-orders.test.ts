/**
 * Members' standing orders (issue #12) on a real core and SQLite file with
 * a manual clock: the three targets (another of the member's accounts, a
 * society account, a bank through a payment), priorities on one account,
 * the funds policies (skip, retry, partial), the staff told after repeated
 * failures, end dates, pause/resume and cancel, schedule fields fixed once
 * used, a bank order's second pair of eyes, catch-up with its threshold,
 * dry runs, and the hourly job walked across the nights the clocks change
 * in London. Every scenario ends with the invariants sound.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { ReviewItem, RunReport, StandingOrder } from '../../src/shared/contract/recurring'
import type { Account, MemberAccount } from '../../src/shared/contract/ledger'
import type { Payment } from '../../src/shared/contract'
import { TREASURER, asOperator } from '../support/operators'
import { runJob } from '../support/series'
import { value } from '../support/temp-core'
import {
  bookProblems,
  deposit,
  notificationTitles,
  occurrencesOf,
  postedDates,
  recurringBook,
  rowCounts,
  runOrders,
  salaryTemplate,
  savingsToShares,
  setDay,
  type RecurringBook
} from '../support/recurring'

const books: RecurringBook[] = []
afterEach(async () => {
  for (const b of books.splice(0)) await b.close()
})
async function book(o: Parameters<typeof recurringBook>[0] = {}): Promise<RecurringBook> {
  const b = await recurringBook(o)
  books.push(b)
  return b
}
const balance = async (b: RecurringBook, ma: MemberAccount): Promise<number> => {
  const all = value<{ accounts: MemberAccount[] }>(await b.core.invoke('ledger.memberAccounts', { memberId: ma.memberId })).accounts
  return (all.find((a) => a.id === ma.id) as MemberAccount).balanceMinor
}
const orderOf = async (b: RecurringBook, id: number): Promise<StandingOrder> => value<{ order: StandingOrder }>(await b.core.invoke('recurring.order', { id })).order
const settings = async (b: RecurringBook, catchUpMaxCount: number) => value(await b.core.invoke('recurring.saveSettings', { catchUpMaxCount, catchUpMaxAmountMinor: null }))
const statuses = (b: RecurringBook, orderId: number) => occurrencesOf(b.db, { orderId }).map((o) => `${o.scheduled_date}:${o.status}`)
async function setMakerChecker(b: RecurringBook, payments: boolean): Promise<void> {
  const s = value<{ makerChecker: Record<string, unknown> }>(await b.core.invoke('security.get', {}))
  value(await b.core.invoke('security.save', { ...s, makerChecker: { ...s.makerChecker, payments } }))
}

describe('targets', () => {
  it('moves money to another of the member’s accounts and to a society account', async () => {
    const b = await book()
    const [m] = b.members
    await deposit(b, m!.savings, 10_000, '2026-11-01')
    const toShares = await savingsToShares(b, 0, { amountMinor: 1_500, frequency: 'weekly' })
    const toFees = await savingsToShares(b, 0, { amountMinor: 250, frequency: 'monthly', target: { kind: 'account', accountId: b.role['fee-income'].id } })
    const r = await runOrders(b)
    expect(r.lines.map((l) => [l.outcome, l.amountMinor, l.valueDate])).toEqual([
      ['posted', 1_500, '2026-11-22'],
      ['posted', 250, '2026-11-22']
    ])
    expect(await balance(b, m!.savings)).toBe(10_000 - 1_750)
    expect(await balance(b, m!.shares)).toBe(1_500)
    const fees = value<{ accounts: Account[] }>(await b.core.invoke('ledger.accounts', {})).accounts.find((a) => a.id === b.role['fee-income'].id)
    expect(fees?.balanceMinor).toBe(250)
    expect((await orderOf(b, toShares.id)).lastPaidOn).toBe('2026-11-22')
    expect((await orderOf(b, toFees.id)).targetWords).toContain(b.role['fee-income'].name)
    // Run again: nothing twice.
    expect((await runOrders(b)).lines).toEqual([])
    expect(await bookProblems(b)).toEqual([])
  })

  it('a bank order waits for another operator when payments need two; once approved, the job (on a worker thread) creates its pending payment', async () => {
    const b = await book({ worker: true })
    const [m] = b.members
    await deposit(b, m!.savings, 50_000, '2026-11-01')
    await setMakerChecker(b, true)
    const bank = { kind: 'bank' as const, payeeName: 'Mama Mboga Ltd', payeeBank: 'KCB', payeeAccount: '1234567890', payeeReference: 'School fees' }
    const o = await savingsToShares(b, 0, { amountMinor: 12_000, frequency: 'monthly', target: bank })
    expect(o.status).toBe('pending-approval')
    // Its own maker may not approve it.
    expect(await b.core.invoke('recurring.approveOrder', { id: o.id, expectedVersion: o.version })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await runOrders(b, true)).lines).toEqual([])
    const approved = await asOperator(b.core, TREASURER, async () => value<StandingOrder>(await b.core.invoke('recurring.approveOrder', { id: o.id, expectedVersion: o.version })))
    expect(approved).toMatchObject({ status: 'active', approvedBy: TREASURER.name })
    const run = await runJob(b.core, 'standing-orders')
    expect(run.status).toBe('succeeded')
    const [occ] = occurrencesOf(b.db, { orderId: o.id })
    expect(occ).toMatchObject({ status: 'posted', amount_minor: 12_000, value_date: '2026-11-22', payment_id: expect.any(Number) })
    const payments = value<{ rows: Payment[] }>(await b.core.invoke('payments.list', { kind: 'standing-order' })).rows
    expect(payments).toEqual([
      expect.objectContaining({ id: occ!.payment_id, status: 'pending', netMinor: 12_000, memberAccountId: m!.savings.id, payeeName: 'Mama Mboga Ltd', payeeAccount: '1234567890' })
    ])
    expect(await balance(b, m!.savings)).toBe(50_000 - 12_000)
    const payable = value<{ accounts: Account[] }>(await b.core.invoke('ledger.accounts', {})).accounts.find((a) => a.role === 'orders-payable')
    expect(payable?.balanceMinor).toBe(12_000)
    // The recurring job runs on the worker too.
    await salaryTemplate(b, { startDate: '2026-11-22', amountMinor: 100 })
    expect((await runJob(b.core, 'recurring')).status).toBe('succeeded')
    // With maker-checker off, a bank order is active at once.
    await setMakerChecker(b, false)
    expect((await savingsToShares(b, 1, { target: bank })).status).toBe('active')
    expect(await bookProblems(b)).toEqual([])
  }, 30_000)
})

describe('funds', () => {
  it('priorities: when the balance covers one, the lower number pays first', async () => {
    const b = await book()
    const [m] = b.members
    await deposit(b, m!.savings, 1_500, '2026-11-01')
    const later = await savingsToShares(b, 0, { amountMinor: 1_000, priority: 20 })
    const first = await savingsToShares(b, 0, { amountMinor: 1_000, priority: 10, target: { kind: 'account', accountId: b.role['fee-income'].id } })
    const r = await runOrders(b)
    expect(r.lines.map((l) => [l.name, l.outcome])).toEqual([
      [expect.stringContaining('the society'), 'posted'],
      [expect.stringContaining('M-001-SHR'), 'skipped']
    ])
    expect(statuses(b, first.id)).toEqual(['2026-11-22:posted'])
    expect(statuses(b, later.id)).toEqual(['2026-11-22:skipped'])
    expect(occurrencesOf(b.db, { orderId: later.id })[0]?.reason).toMatch(/^Not enough in M-001-SAV/)
    expect(await balance(b, m!.savings)).toBe(500)
    expect(await bookProblems(b)).toEqual([])
  })

  it('skip: the short occurrence is skipped for good, the next pays; two failures in a row tell the staff', async () => {
    const b = await book()
    const [m] = b.members
    const o = await savingsToShares(b, 0, { amountMinor: 1_000 })
    await runOrders(b)
    expect(await notificationTitles(b)).not.toContainEqual(expect.stringContaining('Standing order failed'))
    setDay(b, '2026-11-23')
    await runOrders(b)
    expect((await orderOf(b, o.id)).failuresInRow).toBe(2)
    expect(await notificationTitles(b)).toContainEqual(expect.stringContaining('Standing order failed 2 times in a row: Member 1'))
    await deposit(b, m!.savings, 5_000, '2026-11-23')
    setDay(b, '2026-11-24')
    await runOrders(b)
    await runOrders(b)
    expect(statuses(b, o.id)).toEqual(['2026-11-22:skipped', '2026-11-23:skipped', '2026-11-24:posted'])
    expect((await orderOf(b, o.id)).failuresInRow).toBe(0)
    expect(await balance(b, m!.savings)).toBe(4_000)
    expect(await bookProblems(b)).toEqual([])
  })

  it('retry: fails, is tried daily, and pays on the day the money is there, within the window', async () => {
    const b = await book()
    const [m] = b.members
    const o = await savingsToShares(b, 0, { amountMinor: 2_000, frequency: 'monthly', insufficientFunds: 'retry', retryDays: 3 })
    const r = await runOrders(b)
    expect(r.lines.map((l) => l.outcome)).toEqual(['failed'])
    expect(occurrencesOf(b.db, { orderId: o.id })[0]).toMatchObject({ status: 'failed', retry_until: '2026-11-25' })
    // Not in To review while it is being retried.
    expect(value<{ items: ReviewItem[] }>(await b.core.invoke('recurring.review', {})).items).toEqual([])
    setDay(b, '2026-11-23')
    expect((await runOrders(b)).lines.map((l) => l.outcome)).toEqual(['failed'])
    setDay(b, '2026-11-24')
    await deposit(b, m!.savings, 2_500, '2026-11-24')
    const paid = await runOrders(b)
    expect(paid.lines.map((l) => [l.scheduledDate, l.outcome])).toEqual([['2026-11-22', 'posted']])
    const [occ] = occurrencesOf(b.db, { orderId: o.id })
    expect(occ).toMatchObject({ status: 'posted', retry_until: null, amount_minor: 2_000 })
    // Paid on the day the money was there: the member's account is never overdrawn on any day.
    expect(occ!.value_date).toBe('2026-11-24')
    expect((await runOrders(b)).lines).toEqual([])
    expect(await balance(b, m!.savings)).toBe(500)
    expect(await bookProblems(b)).toEqual([])
  })

  it('retry: gives up after the window, tells the staff, and waits in To review', async () => {
    const b = await book()
    const o = await savingsToShares(b, 0, { amountMinor: 2_000, frequency: 'monthly', insufficientFunds: 'retry', retryDays: 2 })
    for (const d of ['2026-11-22', '2026-11-23', '2026-11-24']) {
      setDay(b, d)
      expect((await runOrders(b)).lines.map((l) => l.outcome)).toEqual(['failed'])
    }
    expect(await notificationTitles(b)).not.toContainEqual(expect.stringContaining('not paid'))
    setDay(b, '2026-11-25')
    const gaveUp = await runOrders(b)
    expect(gaveUp.lines).toEqual([expect.objectContaining({ outcome: 'failed', reason: expect.stringContaining('Given up') })])
    expect(await notificationTitles(b)).toContainEqual('Standing order not paid: Member 1')
    expect(occurrencesOf(b.db, { orderId: o.id })[0]).toMatchObject({ status: 'failed', retry_until: null })
    const items = value<{ items: ReviewItem[] }>(await b.core.invoke('recurring.review', {})).items
    expect(items.map((i) => [i.standingOrderId, i.scheduledDate])).toEqual([[o.id, '2026-11-22']])
    // Not tried again by later runs.
    setDay(b, '2026-11-26')
    expect((await runOrders(b)).lines).toEqual([])
    // From To review without the money: refused with why; then skipped.
    const post = value<{ done: number; failed: { id: number; reason: string }[] }>(await b.core.invoke('recurring.decide', { ids: [items[0]!.id], action: 'post' }))
    expect(post).toEqual({ done: 0, failed: [{ id: items[0]!.id, reason: expect.stringMatching(/^Not enough in M-001-SAV/) }] })
    expect(value(await b.core.invoke('recurring.decide', { ids: [items[0]!.id], action: 'skip' }))).toEqual({ done: 1, failed: [] })
    expect(await bookProblems(b)).toEqual([])
  })

  it('partial: pays what is there and carries the rest into the next payment', async () => {
    const b = await book()
    const [m] = b.members
    await deposit(b, m!.savings, 600, '2026-11-01')
    const o = await savingsToShares(b, 0, { amountMinor: 1_000, frequency: 'weekly', insufficientFunds: 'partial' })
    const r = await runOrders(b)
    expect(r.lines).toEqual([expect.objectContaining({ outcome: 'posted', amountMinor: 600, reason: expect.stringContaining('carried') })])
    expect((await orderOf(b, o.id)).carriedMinor).toBe(400)
    setDay(b, '2026-11-29')
    await deposit(b, m!.savings, 10_000, '2026-11-25')
    const next = await runOrders(b)
    expect(next.lines).toEqual([expect.objectContaining({ scheduledDate: '2026-11-29', outcome: 'posted', amountMinor: 1_400 })])
    expect((await orderOf(b, o.id)).carriedMinor).toBe(0)
    expect(occurrencesOf(b.db, { orderId: o.id }).map((x) => [x.amount_minor, x.carried_minor])).toEqual([
      [600, 400],
      [1_400, 0]
    ])
    expect(await balance(b, m!.shares)).toBe(2_000)
    expect(await bookProblems(b)).toEqual([])
  })
})

describe('life of an order', () => {
  it('completes at its end date', async () => {
    const b = await book()
    await deposit(b, b.members[0]!.savings, 100_000, '2026-11-01')
    await settings(b, 10)
    setDay(b, '2026-11-20')
    const o = await savingsToShares(b, 0, { startDate: '2026-11-18', endDate: '2026-11-21' })
    await runOrders(b) // the 18th and 19th missed: posted (under the threshold), the 20th due
    setDay(b, '2026-11-25')
    await runOrders(b)
    expect(postedDates(occurrencesOf(b.db, { orderId: o.id }))).toEqual([
      '2026-11-18→2026-11-18',
      '2026-11-19→2026-11-19',
      '2026-11-20→2026-11-20',
      '2026-11-21→2026-11-21'
    ])
    expect(await orderOf(b, o.id)).toMatchObject({ status: 'completed', nextDueDate: null })
    expect(await bookProblems(b)).toEqual([])
  })

  it('pause and resume: the paused occurrences are recorded skipped and nothing posts for them', async () => {
    const b = await book()
    await deposit(b, b.members[0]!.savings, 100_000, '2026-11-01')
    const o = await savingsToShares(b, 0)
    await runOrders(b)
    const paused = value<StandingOrder>(await b.core.invoke('recurring.pauseOrder', { id: o.id, expectedVersion: (await orderOf(b, o.id)).version, reason: 'Member asked' }))
    expect(paused.status).toBe('paused')
    setDay(b, '2026-11-26')
    expect((await runOrders(b)).lines).toEqual([])
    const resumed = value<StandingOrder>(await b.core.invoke('recurring.resumeOrder', { id: o.id, expectedVersion: paused.version, reason: null }))
    expect(resumed.status).toBe('active')
    await runOrders(b)
    setDay(b, '2026-11-27')
    await runOrders(b)
    expect(statuses(b, o.id)).toEqual([
      '2026-11-22:posted',
      '2026-11-23:skipped',
      '2026-11-24:skipped',
      '2026-11-25:skipped',
      '2026-11-26:posted',
      '2026-11-27:posted'
    ])
    expect(await balance(b, b.members[0]!.shares)).toBe(3_000)
    expect(await bookProblems(b)).toEqual([])
  })

  it('cancel skips the waiting occurrences (a retry, a catch-up in review) and nothing runs after', async () => {
    const b = await book()
    setDay(b, '2026-11-22')
    const retrying = await savingsToShares(b, 0, { insufficientFunds: 'retry', frequency: 'monthly' })
    const caughtUp = await savingsToShares(b, 1, { startDate: '2026-11-15' })
    await runOrders(b)
    expect(occurrencesOf(b.db, { orderId: retrying.id }).map((x) => x.status)).toEqual(['failed'])
    expect(occurrencesOf(b.db, { orderId: caughtUp.id }).filter((x) => x.review === 'catch-up')).toHaveLength(7)
    for (const o of [retrying, caughtUp]) {
      const c = value<StandingOrder>(await b.core.invoke('recurring.cancelOrder', { id: o.id, expectedVersion: (await orderOf(b, o.id)).version, reason: 'Closed the account' }))
      expect(c.status).toBe('cancelled')
      expect(occurrencesOf(b.db, { orderId: o.id }).every((x) => x.status === 'skipped' || x.status === 'posted')).toBe(true)
    }
    await deposit(b, b.members[0]!.savings, 100_000, '2026-11-22')
    setDay(b, '2026-11-23')
    expect((await runOrders(b)).lines).toEqual([])
    expect(value<{ items: ReviewItem[] }>(await b.core.invoke('recurring.review', {})).items).toEqual([])
    expect(await bookProblems(b)).toEqual([])
  })

  it('fixes the schedule once occurrences exist; a clerk sets orders up but cannot set templates up', async () => {
    const b = await book()
    await deposit(b, b.members[0]!.savings, 100_000, '2026-11-01')
    const clerk = { name: 'Cleo Clerk', username: 'cleo', password: 'clerk password one', role: 'clerk' }
    const o = await asOperator(b.core, clerk, () => savingsToShares(b, 0, { startDate: '2026-11-25' }))
    const input = {
      id: o.id,
      expectedVersion: o.version,
      memberId: o.memberId,
      fromMemberAccountId: o.fromMemberAccountId,
      target: { kind: 'member-account', memberAccountId: b.members[0]!.shares.id },
      amountMinor: 1_000,
      frequency: 'weekly',
      startDate: '2026-11-25'
    }
    const weekly = value<StandingOrder>(await b.core.invoke('recurring.updateOrder', input))
    expect(weekly.frequency).toBe('weekly')
    setDay(b, '2026-11-25')
    await runOrders(b)
    const locked = await b.core.invoke('recurring.updateOrder', { ...input, expectedVersion: (await orderOf(b, o.id)).version, frequency: 'daily' })
    expect(locked).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { frequency: expect.any(String) } } })
    const amount = value<StandingOrder>(await b.core.invoke('recurring.updateOrder', { ...input, expectedVersion: (await orderOf(b, o.id)).version, amountMinor: 2_000 }))
    expect(amount.amountMinor).toBe(2_000)
    const refused = await asOperator(b.core, clerk, () =>
      b.core.invoke('recurring.createTemplate', {
        name: 'Clerk rent',
        description: 'Rent',
        lines: [
          { accountId: b.role['salary-expense'].id, debitMinor: 100 },
          { accountId: b.role.bank.id, creditMinor: 100 }
        ],
        frequency: 'monthly',
        startDate: '2026-11-30'
      })
    )
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('catch-up and dry runs', () => {
  it('an order’s missed occurrences: over the threshold to review (each with its date), under it posted; post from review keeps the date', async () => {
    const b = await book()
    await deposit(b, b.members[0]!.savings, 100_000, '2026-11-01')
    await deposit(b, b.members[1]!.savings, 100_000, '2026-11-01')
    setDay(b, '2026-11-22')
    const two = await savingsToShares(b, 0, { startDate: '2026-11-20' })
    const one = await savingsToShares(b, 1, { startDate: '2026-11-21' })
    const r = await runOrders(b)
    expect(r.lines.map((l) => `${l.name.slice(0, 5)}${l.scheduledDate}:${l.outcome}`).sort()).toEqual([
      'M-0012026-11-20:review',
      'M-0012026-11-21:review',
      'M-0012026-11-22:posted',
      'M-0022026-11-21:posted',
      'M-0022026-11-22:posted'
    ])
    const items = value<{ items: ReviewItem[] }>(await b.core.invoke('recurring.review', {})).items
    expect(items.map((i) => [i.scheduledDate, i.balanceAccount, i.balanceAfterMinor])).toEqual([
      ['2026-11-20', 'M-001-SAV', 100_000 - 1_000 - 1_000],
      ['2026-11-21', 'M-001-SAV', 100_000 - 1_000 - 2_000]
    ])
    expect(value(await b.core.invoke('recurring.decide', { ids: [items[1]!.id], action: 'post' }))).toEqual({ done: 1, failed: [] })
    expect(postedDates(occurrencesOf(b.db, { orderId: two.id }))).toEqual(['2026-11-21→2026-11-21', '2026-11-22→2026-11-22'])
    expect(postedDates(occurrencesOf(b.db, { orderId: one.id }))).toEqual(['2026-11-21→2026-11-21', '2026-11-22→2026-11-22'])
    // Run again, move on: nothing twice.
    await runOrders(b)
    setDay(b, '2026-11-23')
    await runOrders(b)
    expect(occurrencesOf(b.db, { orderId: two.id }).map((x) => `${x.scheduled_date}:${x.status}`)).toEqual([
      '2026-11-20:generated',
      '2026-11-21:posted',
      '2026-11-22:posted',
      '2026-11-23:posted'
    ])
    expect(await bookProblems(b)).toEqual([])
  })

  it('a dry run reports the lines the real run then does and writes nothing', async () => {
    const b = await book({ members: 3 })
    await deposit(b, b.members[0]!.savings, 1_500, '2026-11-01')
    await deposit(b, b.members[1]!.savings, 100_000, '2026-11-01')
    await savingsToShares(b, 0, { priority: 5 })
    await savingsToShares(b, 0, { priority: 6, target: { kind: 'account', accountId: b.role['fee-income'].id } })
    await savingsToShares(b, 1, { startDate: '2026-11-10' }) // a catch-up to review
    await savingsToShares(b, 2, { insufficientFunds: 'retry' }) // fails, retried
    await savingsToShares(b, 1, { amountMinor: 700, insufficientFunds: 'partial', target: { kind: 'account', accountId: b.role['fee-income'].id }, startDate: '2026-11-21' })
    const before = rowCounts(b.db)
    const dry = await runOrders(b, true)
    expect(rowCounts(b.db)).toEqual(before)
    expect(await notificationTitles(b)).toEqual([])
    const real = await runOrders(b)
    const shape = (r: RunReport) => r.lines.map((l) => [l.name, l.scheduledDate, l.amountMinor, l.outcome, l.valueDate].join('|')).sort()
    expect(shape(real)).toEqual(shape(dry))
    expect(dry.lines.length).toBeGreaterThanOrEqual(17)
    expect(new Set(dry.lines.map((l) => l.outcome))).toEqual(new Set(['posted', 'skipped', 'failed', 'review']))
    expect(await bookProblems(b)).toEqual([])
  })
})

describe('daylight saving (Europe/London)', () => {
  /** Walks the clock every 30 minutes, the engine running what is due (the hourly orders, the daily 06:00 recurring entries, the rest). */
  async function walk(b: RecurringBook, from: string, to: string): Promise<void> {
    for (let t = Date.parse(from); t <= Date.parse(to); t += 30 * 60_000) {
      b.clock.set(t)
      await Promise.all(b.core.jobs!.runDue('tick').started.map((s) => s.done))
    }
  }
  const londonDate = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso))

  for (const night of [
    { name: 'the clocks go back (25 Oct 2026)', start: '2026-10-24', from: '2026-10-24T20:00:00Z', to: '2026-10-26T06:30:00Z', dates: ['2026-10-24', '2026-10-25', '2026-10-26'] },
    { name: 'the clocks go forward (29 Mar 2026)', start: '2026-03-28', from: '2026-03-28T20:00:00Z', to: '2026-03-30T05:30:00Z', dates: ['2026-03-28', '2026-03-29', '2026-03-30'] }
  ]) {
    it(`runs each occurrence once, on its London date, across the night ${night.name}`, async () => {
      const b = await book({ timeZone: 'Europe/London', now: night.from })
      await deposit(b, b.members[0]!.savings, 100_000, '2026-01-01')
      const o = await savingsToShares(b, 0, { startDate: night.start })
      const t = await salaryTemplate(b, { frequency: 'daily', startDate: night.start, amountMinor: 100 })
      await walk(b, night.from, night.to)
      for (const rows of [occurrencesOf(b.db, { orderId: o.id }), occurrencesOf(b.db, { templateId: t.id })]) {
        expect(postedDates(rows)).toEqual(night.dates.map((d) => `${d}→${d}`))
      }
      // Each order occurrence generated on the London day it is for (the first hourly run of that day), never the evening before (UTC's day).
      const created = b.db.prepare('SELECT scheduled_date, created_at FROM recurring_occurrences WHERE standing_order_id = ?').all(o.id) as { scheduled_date: string; created_at: string }[]
      for (const c of created) expect(londonDate(c.created_at), c.created_at).toBe(c.scheduled_date)
      // The recurring entries' job at 06:00 London: never before the day either.
      for (const c of b.db.prepare('SELECT scheduled_date, created_at FROM recurring_occurrences WHERE template_id = ?').all(t.id) as { scheduled_date: string; created_at: string }[]) {
        expect(londonDate(c.created_at) >= c.scheduled_date, c.created_at).toBe(true)
      }
      const runs = b.db.prepare("SELECT count(*) FROM job_runs WHERE job_id = 'standing-orders' AND status = 'succeeded'").pluck().get() as number
      expect(runs).toBeGreaterThanOrEqual(30)
      expect(await bookProblems(b)).toEqual([])
    }, 30_000)
  }
})
