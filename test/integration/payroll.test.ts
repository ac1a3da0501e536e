/**
 * Payroll (issue #13) through core.invoke, on a real core and SQLite file
 * with a manual clock (Nairobi, KES): each automation rule fires on its day
 * and not the day (or the minute) before; a period is drafted once however
 * often the job runs, and after a catch-up; force recomputes a draft and
 * reverses and reposts a posted period (with its reason); a partial failure
 * keeps what succeeded and the next run completes only the rest; a dated tax
 * band change leaves the month before alone; joiners and leavers pro-rated by
 * calendar days; approval by a second operator and posting as one balanced
 * entry; a dry run writes nothing; the register's highlights; notifications.
 *
 * Every amount is checked against the seed's pay worked out by hand
 * (expectedPay in test/support/payroll.ts, or written out in the test), and
 * every scenario ends with payroll's invariants sound (payrollProblems).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { PayPeriod, PayrollRunReport, Staff } from '../../src/shared/contract/payroll'
import { ADMIN, TREASURER, asOperator } from '../support/operators'
import { value } from '../support/temp-core'
import fs from 'node:fs'
import { fastDir, rawDb } from '../support/ledger'
import {
  PAYE_BANDS_NEW,
  PAYE_RELIEF,
  addStaff,
  entryLines,
  expectedPay,
  figuresOf,
  lineCount,
  monthlyCalendar,
  netDebit,
  notifications,
  openPayrollCore,
  payrollBook,
  payrollProblems,
  payslip,
  payslipsRaw,
  period,
  periodStarting,
  periods,
  register,
  rowCounts,
  run,
  saveStructure,
  setDay,
  type ExpectedPay,
  type PayrollBook
} from '../support/payroll'

const books: PayrollBook[] = []
afterEach(async () => {
  for (const b of books.splice(0)) await b.close()
})
async function book(o: Parameters<typeof payrollBook>[0] = {}): Promise<PayrollBook> {
  const b = await payrollBook(o)
  books.push(b)
  return b
}

const DAYS_BEFORE_END_0 = { kind: 'days-before-end', days: 0 } as const

/** The payslip of `staff` in the period, read raw, as ExpectedPay (lines by code and totals). */
function figures(b: PayrollBook, periodId: number, staff: Staff): ExpectedPay {
  const p = payslipsRaw(b.db, periodId).find((s) => s.staff_id === staff.id)
  if (!p) throw new Error(`no payslip of ${staff.staffNo} in period #${periodId}`)
  expect(p.status, `${staff.staffNo}: ${p.error ?? ''}`).toBe('ok')
  return figuresOf(b.db, p)
}

const outcomes = (r: PayrollRunReport): string[] => r.periods.map((p) => `${p.name}:${p.outcome}`)
/** The periods a run did something to (not 'unchanged'). */
const acted = (r: PayrollRunReport) => r.periods.filter((p) => p.outcome !== 'unchanged')
const fresh = async (b: PayrollBook, id: number): Promise<PayPeriod> => (await period(b, id)).period
const approve = async (b: PayrollBook, id: number) => b.core.invoke('payroll.approve', { id, expectedVersion: (await fresh(b, id)).version })
const post = async (b: PayrollBook, id: number) => b.core.invoke('payroll.post', { id, expectedVersion: (await fresh(b, id)).version })
const payrollEntries = (b: PayrollBook): { id: number; source_ref: string | null; reverses_id: number | null; value_date: string }[] =>
  b.db.prepare("SELECT id, source_ref, reverses_id, value_date FROM journal_entries WHERE source = 'payroll' OR reverses_id IN (SELECT id FROM journal_entries WHERE source = 'payroll') ORDER BY id").all() as {
    id: number
    source_ref: string | null
    reverses_id: number | null
    value_date: string
  }[]

describe('automation rules fire on their day, not the day before', () => {
  it('days before the end (3): January is created on the first run and drafted on 28 Jan, not on the 27th', async () => {
    const b = await book()
    const alice = await addStaff(b, 'S-001', 'Alice Achieng', { basicMinor: 5_000_000 })
    const bob = await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })
    const cal = await monthlyCalendar(b, '2026-01-01', { kind: 'days-before-end', days: 3 })
    expect(cal.next).toMatchObject({ start: '2026-01-01', end: '2026-01-31', dueOn: '2026-01-28' })

    setDay(b, '2026-01-27')
    const before = await run(b)
    expect(before.created).toBe(1)
    expect(acted(before)).toEqual([])
    const jan = await periodStarting(b, '2026-01-01')
    expect(jan).toMatchObject({ name: 'January 2026', endDate: '2026-01-31', payDate: '2026-01-31', status: 'active', dueOn: '2026-01-28', payslips: 0 })
    expect(payslipsRaw(b.db, jan.id)).toEqual([])
    // February has not begun: not created yet.
    expect((await periods(b)).map((p) => p.startDate)).toEqual(['2026-01-01'])

    setDay(b, '2026-01-28')
    const due = await run(b)
    expect(due.created).toBe(0)
    expect(acted(due)).toEqual([expect.objectContaining({ periodId: jan.id, outcome: 'drafted', made: 2, failed: 0, kept: 0 })])
    const a = expectedPay(5_000_000)
    const o = expectedPay(3_000_000)
    expect(figures(b, jan.id, alice)).toEqual(a)
    expect(figures(b, jan.id, bob)).toEqual(o)
    // Alice by hand: gross 50,000 + 5,000; pension 2,500; taxable 52,500; tax 2,400 + 2,083.25 + 6,050.10 − 2,400 relief = 8,133.35.
    expect(a).toMatchObject({ gross: 5_500_000, PENSION: 250_000, taxable: 5_250_000, PAYE: 813_335, net: 4_436_665, employer: 250_000 })
    expect(await fresh(b, jan.id)).toMatchObject({
      status: 'draft',
      payslips: 2,
      failedPayslips: 0,
      grossMinor: a.gross + o.gross,
      deductionsMinor: a.deductions + o.deductions,
      netMinor: a.net + o.net,
      employerMinor: a.employer + o.employer
    })
    expect(payrollProblems(b.db)).toEqual([])
  })

  it('on a date: a single period is due from the first minute of that date in Nairobi, not the minute before', async () => {
    const b = await book({ now: '2026-02-10T09:00:00Z' })
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    const p = value<PayPeriod>(
      await b.core.invoke('payroll.createPeriod', {
        name: 'February 2026 (single)',
        frequency: 'monthly',
        startDate: '2026-02-01',
        endDate: '2026-02-28',
        payDate: '2026-02-27',
        rule: { kind: 'on-date', date: '2026-02-20' }
      })
    )
    expect(p).toMatchObject({ status: 'active', dueOn: '2026-02-20', calendarId: null })
    b.clock.set('2026-02-19T20:59:00Z') // 23:59 on the 19th in Nairobi
    expect(acted(await run(b))).toEqual([])
    expect(payslipsRaw(b.db, p.id)).toEqual([])
    b.clock.set('2026-02-19T21:00:00Z') // 00:00 on the 20th in Nairobi
    const r = await run(b)
    expect(acted(r)).toEqual([expect.objectContaining({ periodId: p.id, outcome: 'drafted', made: 1 })])
    expect(figures(b, p.id, alice)).toEqual(expectedPay(5_000_000))
    expect(await fresh(b, p.id)).toMatchObject({ status: 'draft', payDate: '2026-02-27' })
    expect(payrollProblems(b.db)).toEqual([])
  })

  it('a cron expression: the first firing on or after the period’s first day (10:00 on the 25th, Nairobi)', async () => {
    const b = await book({ now: '2026-03-02T09:00:00Z' })
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    await monthlyCalendar(b, '2026-03-01', { kind: 'cron', cron: '0 10 25 * *' })
    setDay(b, '2026-03-24')
    const first = await run(b)
    expect(first.created).toBe(1)
    expect(acted(first)).toEqual([])
    const mar = await periodStarting(b, '2026-03-01')
    expect(mar).toMatchObject({ dueOn: '2026-03-25', status: 'active' })
    b.clock.set('2026-03-25T06:59:00Z') // 09:59 in Nairobi: the day, not yet the hour
    expect(acted(await run(b))).toEqual([])
    expect(payslipsRaw(b.db, mar.id)).toEqual([])
    b.clock.set('2026-03-25T07:00:00Z') // 10:00 in Nairobi
    expect(outcomes(await run(b))).toContain('March 2026:drafted')
    expect(figures(b, mar.id, alice)).toEqual(expectedPay(5_000_000))
    expect(payrollProblems(b.db)).toEqual([])
  })

  it('automation off: the job never drafts it; payroll.run with the period drafts it, due or not', async () => {
    const b = await book()
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0, { automation: false })
    setDay(b, '2026-02-03')
    await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    expect(jan).toMatchObject({ status: 'active', automation: false })
    expect(payslipsRaw(b.db, jan.id)).toEqual([])
    // February (due 28 Feb, automation off) drafted on the 3rd by asking for it.
    const feb = await periodStarting(b, '2026-02-01')
    const r = await run(b, { periodId: feb.id })
    expect(r.periods).toEqual([expect.objectContaining({ periodId: feb.id, outcome: 'drafted', made: 1 })])
    expect(figures(b, feb.id, alice)).toEqual(expectedPay(5_000_000))
    expect((await fresh(b, jan.id)).status).toBe('active')
    expect(payrollProblems(b.db)).toEqual([])
  })
})

describe('a period is drafted once', () => {
  it('the job run twice (and again later that day) drafts once; a second run of the period reports unchanged; the database refuses a second payslip', async () => {
    const b = await book()
    const staff = [await addStaff(b, 'S-001', 'Alice Achieng'), await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 }), await addStaff(b, 'S-003', 'Carol Wanjiru', { basicMinor: 2_000_000 })]
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    setDay(b, '2026-01-31')
    const first = await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    expect(acted(first)).toEqual([expect.objectContaining({ periodId: jan.id, outcome: 'drafted', made: 3 })])
    const slips = payslipsRaw(b.db, jan.id)
    expect(slips.map((s) => s.staff_id)).toEqual(staff.map((s) => s.id))

    expect(acted(await run(b))).toEqual([])
    setDay(b, '2026-01-31', '18:00:00')
    expect(acted(await run(b))).toEqual([])
    const again = await run(b, { periodId: jan.id })
    expect(again.periods).toEqual([expect.objectContaining({ periodId: jan.id, outcome: 'unchanged', made: 0, failed: 0 })])
    // The same rows, untouched: same ids, same computedAt.
    expect(payslipsRaw(b.db, jan.id)).toEqual(slips)
    expect((await fresh(b, jan.id)).payslips).toBe(3)
    // Unique per (period, staff) in the database itself.
    const s = slips[0]!
    expect(() =>
      b.db
        .prepare('INSERT INTO payroll_payslips (period_id, staff_id, status, days_worked, days_in_period, computed_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(jan.id, s.staff_id, 'ok', 31, 31, '2026-01-31T18:00:00.000Z')
    ).toThrow(/UNIQUE/)
    expect(payrollProblems(b.db)).toEqual([])
  })

  it('catch-up after the PC was off three months: the launch run drafts January, February and March once each, April on its day', async () => {
    const dataDir = fastDir('coffer-payroll-catchup-')
    const b = await book({ dataDir })
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    const bob = await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })
    await monthlyCalendar(b, '2026-01-01', { kind: 'days-before-end', days: 3 })
    const clock = b.clock
    await b.close()
    books.splice(books.indexOf(b), 1)

    // Off from 5 Jan to 20 Apr. At launch:
    clock.set('2026-04-20T09:00:00Z')
    const core = openPayrollCore(dataDir, clock)
    const c = { ...b, core, db: rawDb(dataDir), close: async () => undefined }
    try {
      value(await core.invoke('auth.status', {}))
      const { started } = core.jobs!.runDue('launch')
      const payrollRuns = started.filter((s) => s.run.jobId === 'payroll')
      expect(payrollRuns.map((s) => s.run.trigger)).toEqual(['catch-up'])
      const ended = await Promise.all(started.map((s) => s.done))
      expect(ended.find((r) => r.jobId === 'payroll')?.status).toBe('succeeded')

      const all = await periods(c)
      expect(all.map((p) => `${p.startDate}:${p.status}:${p.payslips}`)).toEqual(['2026-01-01:draft:2', '2026-02-01:draft:2', '2026-03-01:draft:2', '2026-04-01:active:0'])
      for (const p of all.slice(0, 3)) {
        expect(figures(c, p.id, alice)).toEqual(expectedPay(5_000_000))
        expect(figures(c, p.id, bob)).toEqual(expectedPay(3_000_000))
      }
      const count = () => c.db.prepare('SELECT count(*) FROM payroll_payslips').pluck().get() as number
      expect(count()).toBe(6)
      // Launching again the same day starts no payroll run; a manual run changes nothing.
      expect(core.jobs!.runDue('launch').started.filter((s) => s.run.jobId === 'payroll')).toEqual([])
      expect(acted(await run(c))).toEqual([])
      expect(count()).toBe(6)
      // April on its day (27 Apr), once.
      clock.set('2026-04-27T09:00:00Z')
      expect(acted(await run(c)).map((p) => `${p.name}:${p.outcome}:${p.made}`)).toEqual(['April 2026:drafted:2'])
      expect(acted(await run(c))).toEqual([])
      expect(count()).toBe(8)
      expect(payrollProblems(c.db)).toEqual([])
    } finally {
      c.db.close()
      await core.shutdown()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

describe('force', () => {
  it('on a draft recomputes it: a structure changed in between shows in the new payslip', async () => {
    const b = await book()
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    const bob = await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    setDay(b, '2026-01-31')
    await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    expect(figures(b, jan.id, bob)).toEqual(expectedPay(3_000_000))
    expect((await register(b, jan.id)).changedSince).toEqual([])
    // Bob's raise from 15 Jan (in force on the 31st), entered an hour after the draft.
    setDay(b, '2026-01-31', '10:00:00')
    await saveStructure(b, bob.id, 3_600_000, { effectiveFrom: '2026-01-15' })
    expect((await run(b, { periodId: jan.id })).periods[0]?.outcome).toBe('unchanged')
    expect(figures(b, jan.id, bob)).toEqual(expectedPay(3_000_000))
    // The review says so, and names him only.
    expect((await register(b, jan.id)).changedSince).toEqual(['S-002 Bob Otieno: a pay structure was saved after the payslip was worked out.'])

    setDay(b, '2026-01-31', '12:00:00')
    const r = await run(b, { periodId: jan.id, force: true })
    expect(r.periods).toEqual([expect.objectContaining({ periodId: jan.id, outcome: 'recomputed', failed: 0 })])
    const bobNew = expectedPay(3_600_000)
    expect(figures(b, jan.id, bob)).toEqual(bobNew)
    expect(figures(b, jan.id, alice)).toEqual(expectedPay(5_000_000))
    expect(await payslip(b, jan.id, bob.id)).toMatchObject({ structureFrom: '2026-01-15', netMinor: bobNew.net, computedAt: '2026-01-31T12:00:00.000Z' })
    const d = await period(b, jan.id)
    expect(d.period).toMatchObject({ status: 'draft', netMinor: expectedPay(5_000_000).net + bobNew.net })
    expect(d.events.map((e) => e.action)).toContain('recomputed')
    expect((await register(b, jan.id)).changedSince).toEqual([])
    expect(payrollProblems(b.db)).toEqual([])
  })

  it('on a posted period: refused without a reason; with one, its entry is reversed and a new one posted, the reason recorded', async () => {
    const b = await book()
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    const bob = await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    setDay(b, '2026-01-31')
    await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    await asOperator(b.core, TREASURER, async () => value(await approve(b, jan.id)))
    const posted = value<PayPeriod>(await post(b, jan.id))
    expect(posted).toMatchObject({ status: 'posted', postings: 1, entryId: expect.any(Number) })
    const first = posted.entryId as number

    await saveStructure(b, bob.id, 3_600_000, { effectiveFrom: '2026-01-20' })
    const entriesBefore = payrollEntries(b)
    const noReason = await b.core.invoke('payroll.run', { periodId: jan.id, force: true })
    expect(noReason).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { reason: expect.any(String) } } })
    expect(payrollEntries(b)).toEqual(entriesBefore)
    expect(await fresh(b, jan.id)).toMatchObject({ status: 'posted', postings: 1, entryId: first })

    setDay(b, '2026-02-03')
    const reason = 'Bob’s raise from 20 January was entered late'
    const r = await run(b, { periodId: jan.id, force: true, reason })
    expect(r.periods).toEqual([expect.objectContaining({ periodId: jan.id, outcome: 'reposted' })])
    const now = await fresh(b, jan.id)
    expect(now).toMatchObject({ status: 'posted', postings: 2 })
    expect(now.entryId).not.toBe(first)
    const second = now.entryId as number

    // The ledger: the first entry, its reversal, the new entry.
    const entries = payrollEntries(b)
    expect(entries).toHaveLength(3)
    expect(entries.find((e) => e.id === first)).toMatchObject({ source_ref: `payroll_periods:${jan.id}:1`, value_date: '2026-01-31' })
    expect(entries.filter((e) => e.reverses_id === first)).toHaveLength(1)
    expect(entries.find((e) => e.id === second)).toMatchObject({ source_ref: `payroll_periods:${jan.id}:2`, reverses_id: null, value_date: '2026-01-31' })
    // Balances: one posting's worth, of the new figures.
    const a = expectedPay(5_000_000)
    const o = expectedPay(3_600_000)
    expect(figures(b, jan.id, bob)).toEqual(o)
    expect(figures(b, jan.id, alice)).toEqual(a)
    expect(netDebit(b.db, b.acct.salaries.id)).toBe(a.gross + o.gross)
    expect(netDebit(b.db, b.acct.employerPension.id)).toBe(a.employer + o.employer)
    expect(netDebit(b.db, b.acct.paye.id)).toBe(-(a.PAYE + o.PAYE))
    expect(netDebit(b.db, b.acct.pension.id)).toBe(-(a.PENSION + o.PENSION + a.employer + o.employer))
    expect(netDebit(b.db, b.acct.bank.id)).toBe(-(a.net + o.net))
    // The reason with the reversal and the new posting, in that order.
    const events = (await period(b, jan.id)).events
    const tail = events.filter((e) => e.action === 'reversed' || e.action === 'posted')
    expect(tail.map((e) => [e.action, e.reason])).toEqual([
      ['posted', null],
      ['reversed', reason],
      ['posted', reason]
    ])
    expect(payrollProblems(b.db)).toEqual([])
  })
})

describe('a partial failure resumes', () => {
  it('negative net pay and no structure fail those two; the others are kept; after the fix the next run completes only them', async () => {
    const b = await book()
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    const bob = await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })
    // Eve joins on 29 Jan: 3 days of basic, but the whole loan repayment of 3,000.00 (net −2,491.93).
    const eve = await addStaff(b, 'S-003', 'Eve Njeri', { hireDate: '2026-01-29', basicMinor: 500_000, loanMinor: 300_000, effectiveFrom: '2026-01-29' })
    const finn = await addStaff(b, 'S-004', 'Finn Mutua', { basicMinor: null })
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    setDay(b, '2026-01-31')
    const r = await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    expect(r.periods).toEqual([expect.objectContaining({ periodId: jan.id, outcome: 'partial', made: 2, failed: 2, kept: 0 })])
    expect(r.periods[0]?.reason).toEqual(expect.any(String))
    const p = await fresh(b, jan.id)
    expect(p).toMatchObject({ status: 'failed', failedPayslips: 2 })
    expect(p.statusNote).toEqual(expect.any(String))
    const rows = payslipsRaw(b.db, jan.id)
    expect(rows.map((s) => [s.staff_id, s.status])).toEqual([
      [alice.id, 'ok'],
      [bob.id, 'ok'],
      [eve.id, 'failed'],
      [finn.id, 'failed']
    ])
    expect(rows[2]?.error).toMatch(/below zero by KES 2,491\.93/)
    expect(rows[3]?.error).toMatch(/structure/i)
    // A failed period cannot be approved.
    expect(await asOperator(b.core, TREASURER, () => approve(b, jan.id))).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })

    // Fixed: Eve's repayment 200.00 (the same date replaces), Finn's structure.
    await saveStructure(b, eve.id, 500_000, { loanMinor: 20_000, effectiveFrom: '2026-01-29' })
    await saveStructure(b, finn.id, 2_000_000)
    setDay(b, '2026-01-31', '15:00:00')
    const next = await run(b)
    expect(next.periods).toEqual([expect.objectContaining({ periodId: jan.id, outcome: 'drafted', made: 2, failed: 0, kept: 2 })])
    const after = payslipsRaw(b.db, jan.id)
    // The kept payslips untouched: same ids, same computedAt.
    expect(after.filter((s) => s.staff_id === alice.id || s.staff_id === bob.id)).toEqual(rows.slice(0, 2))
    expect(after.filter((s) => s.staff_id === eve.id || s.staff_id === finn.id).map((s) => [s.status, s.computed_at])).toEqual([
      ['ok', '2026-01-31T15:00:00.000Z'],
      ['ok', '2026-01-31T15:00:00.000Z']
    ])
    // Eve by hand: basic 5,000.00 × 3/31 = 483.87; house 500.00 × 3/31 = 48.39; pension 5% of 483.87 = 24.19; loan 200.00.
    expect(figures(b, jan.id, eve)).toEqual({
      BASIC: 48_387,
      HOUSE: 4_839,
      PENSION: 2_419,
      PAYE: 0,
      LOAN: 20_000,
      PENSION_ER: 2_419,
      gross: 53_226,
      taxable: 50_807,
      deductions: 22_419,
      net: 30_807,
      employer: 2_419
    })
    expect(figures(b, jan.id, finn)).toEqual(expectedPay(2_000_000))
    expect(await fresh(b, jan.id)).toMatchObject({ status: 'draft', failedPayslips: 0, payslips: 4 })
    expect(payrollProblems(b.db)).toEqual([])
  })
})

describe('dated rates', () => {
  it('a tax band change effective next month leaves this month’s payslips alone, also when this month is recomputed', async () => {
    const b = await book()
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    value(
      await b.core.invoke('payroll.saveRate', {
        componentId: b.comp.PAYE.id,
        effectiveFrom: '2026-02-01',
        method: 'bands',
        base: 'taxable',
        bands: PAYE_BANDS_NEW,
        reliefMinor: PAYE_RELIEF,
        rounding: 'down'
      })
    )
    setDay(b, '2026-01-31')
    await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    const old = expectedPay(5_000_000)
    expect(figures(b, jan.id, alice)).toEqual(old)
    expect(old.PAYE).toBe(813_335)
    setDay(b, '2026-02-02')
    await run(b, { periodId: jan.id, force: true })
    expect(figures(b, jan.id, alice)).toEqual(old)

    setDay(b, '2026-02-28')
    await run(b)
    const feb = await periodStarting(b, '2026-02-01')
    // New bands by hand: 2,400 + 20% of 16,000 = 3,200 + 35% of 12,500 = 4,375, less 2,400 relief = 7,575.00.
    const now = expectedPay(5_000_000, { bands: PAYE_BANDS_NEW })
    expect(now.PAYE).toBe(757_500)
    expect(figures(b, feb.id, alice)).toEqual(now)
    expect(figures(b, jan.id, alice)).toEqual(old)
    expect(payrollProblems(b.db)).toEqual([])
  })
})

describe('pro-rating by calendar days', () => {
  it('a joiner and a leaver are paid their days; before hire, after leaving and suspended get no payslip', async () => {
    const b = await book()
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    const jane = await addStaff(b, 'S-002', 'Jane Kamau', { hireDate: '2026-01-17', basicMinor: 9_300_000, effectiveFrom: '2026-01-17' })
    const leo = await addStaff(b, 'S-003', 'Leo Omondi', { leavingDate: '2026-01-10', status: 'left' })
    await addStaff(b, 'S-004', 'Olga Chebet', { leavingDate: '2025-12-31', status: 'left' })
    await addStaff(b, 'S-005', 'Hugo Kiprop', { hireDate: '2026-02-01', effectiveFrom: '2026-02-01' })
    await addStaff(b, 'S-006', 'Sam Mwangi', { status: 'suspended' })
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    setDay(b, '2026-01-31')
    await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    expect(payslipsRaw(b.db, jan.id).map((s) => [s.staff_id, s.days_worked, s.days_in_period])).toEqual([
      [alice.id, 31, 31],
      [jane.id, 15, 31],
      [leo.id, 10, 31]
    ])
    // Jane, 17–31 Jan (15 of 31 days): basic 93,000 × 15/31 = 45,000.00; house 9,300 × 15/31 = 4,500.00;
    // pension 2,250.00; taxable 47,250.00; tax 2,400 + 2,083.25 + 30% of 14,917.00 = 4,475.10, less 2,400 = 6,558.35.
    expect(figures(b, jan.id, jane)).toEqual({
      BASIC: 4_500_000,
      HOUSE: 450_000,
      PENSION: 225_000,
      PAYE: 655_835,
      PENSION_ER: 225_000,
      gross: 4_950_000,
      taxable: 4_725_000,
      deductions: 880_835,
      net: 4_069_165,
      employer: 225_000
    })
    // Leo, 1–10 Jan (10 of 31): basic 50,000 × 10/31 = 16,129.032… → 16,129.03; house 5,000 × 10/31 = 1,612.903… → 1,612.90;
    // pension 5% of 16,129.03 = 806.4515 → 806.45; tax 10% of 16,935.48 less 2,400 relief: 0.
    expect(figures(b, jan.id, leo)).toEqual({
      BASIC: 1_612_903,
      HOUSE: 161_290,
      PENSION: 80_645,
      PAYE: 0,
      PENSION_ER: 80_645,
      gross: 1_774_193,
      taxable: 1_693_548,
      deductions: 80_645,
      net: 1_693_548,
      employer: 80_645
    })
    expect(figures(b, jan.id, alice)).toEqual(expectedPay(5_000_000))
    const slip = await payslip(b, jan.id, jane.id)
    expect(slip).toMatchObject({ daysWorked: 15, daysInPeriod: 31 })
    expect(slip.proration).toMatch(/calendar days/)
    expect((await payslip(b, jan.id, alice.id)).proration).toBeNull()
    expect(payrollProblems(b.db)).toEqual([])
  })
})

describe('approve and post', () => {
  it('approve refused to the operator who drafted or recomputed it and while not a draft; post writes one balanced entry; twice refused', async () => {
    const b = await book()
    const alice = await addStaff(b, 'S-001', 'Alice Achieng', { loanMinor: 200_000 })
    const bob = await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })
    await monthlyCalendar(b, '2026-01-01', { kind: 'days-before-end', days: 3 })
    setDay(b, '2026-01-20')
    await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    // Not drafted yet: nothing to approve or post.
    expect(await approve(b, jan.id)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    // Ada drafts it by hand (not due yet).
    await run(b, { periodId: jan.id })
    expect(await fresh(b, jan.id)).toMatchObject({ status: 'draft', draftedBy: ADMIN.name })
    expect(await post(b, jan.id)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    const own = await approve(b, jan.id)
    expect(own.ok).toBe(false)
    if (!own.ok) expect(['FORBIDDEN', 'CONFLICT']).toContain(own.error.code)
    const approved = await asOperator(b.core, TREASURER, async () => value<PayPeriod>(await approve(b, jan.id)))
    expect(approved).toMatchObject({ status: 'approved', approvedBy: TREASURER.name })

    // Tom recomputes it (force): the approval goes; now Tom may not approve it, Ada may.
    await asOperator(b.core, TREASURER, () => run(b, { periodId: jan.id, force: true, reason: 'Checking the loan' }))
    expect(await fresh(b, jan.id)).toMatchObject({ status: 'draft', approvedBy: null, draftedBy: TREASURER.name })
    const tom = await asOperator(b.core, TREASURER, () => approve(b, jan.id))
    expect(tom.ok).toBe(false)
    if (!tom.ok) expect(['FORBIDDEN', 'CONFLICT']).toContain(tom.error.code)
    expect(value<PayPeriod>(await approve(b, jan.id))).toMatchObject({ status: 'approved', approvedBy: ADMIN.name })
    // Unapprove needs a reason; back to draft; approved again.
    expect(await b.core.invoke('payroll.unapprove', { id: jan.id, expectedVersion: (await fresh(b, jan.id)).version, reason: 'Wrong loan amount?' })).toMatchObject({ ok: true, value: { status: 'draft' } })
    expect(value<PayPeriod>(await approve(b, jan.id)).status).toBe('approved')

    // Posted on or after its pay date (the entry is dated the pay date): refused on the 20th.
    expect(await post(b, jan.id)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    setDay(b, '2026-01-31')
    const posted = value<PayPeriod>(await post(b, jan.id))
    expect(posted).toMatchObject({ status: 'posted', postings: 1, postedBy: ADMIN.name })
    const entryId = posted.entryId as number
    const a = expectedPay(5_000_000, { loanMinor: 200_000 })
    const o = expectedPay(3_000_000)
    expect(figures(b, jan.id, alice)).toEqual(a)
    expect(figures(b, jan.id, bob)).toEqual(o)
    const entry = b.db.prepare('SELECT * FROM journal_entries WHERE id = ?').get(entryId) as { source: string; source_ref: string; value_date: string }
    expect(entry).toMatchObject({ source: 'payroll', source_ref: `payroll_periods:${jan.id}:1`, value_date: '2026-01-31' })
    const lines = entryLines(b.db, entryId)
    expect(Object.fromEntries([...lines].map(([id, l]) => [id, l]))).toEqual({
      // Dr the earnings' expense (BASIC and HOUSE on one account: one line), Dr the employer's pension expense.
      [b.acct.salaries.id]: { debit: a.gross + o.gross, credit: 0 },
      [b.acct.employerPension.id]: { debit: a.employer + o.employer, credit: 0 },
      // Cr each deduction's account, Cr the employer contribution's payable (pension: both on one line).
      [b.acct.paye.id]: { debit: 0, credit: a.PAYE + o.PAYE },
      [b.acct.pension.id]: { debit: 0, credit: a.PENSION + o.PENSION + a.employer + o.employer },
      [b.acct.loans.id]: { debit: 0, credit: 200_000 },
      // Cr bank the net pay.
      [b.acct.bank.id]: { debit: 0, credit: a.net + o.net }
    })
    for (const acc of Object.values(b.acct)) expect(lineCount(b.db, entryId, acc.id), acc.name).toBe(1)
    const debits = [...lines.values()].reduce((s, l) => s + l.debit, 0)
    expect(debits).toBe([...lines.values()].reduce((s, l) => s + l.credit, 0))
    expect(debits).toBe(a.gross + o.gross + a.employer + o.employer)

    // Twice: refused, and nothing more in the journal.
    expect(await post(b, jan.id)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await approve(b, jan.id)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(payrollEntries(b)).toHaveLength(1)
    expect(payrollProblems(b.db)).toEqual([])
  })

  it('a period the scheduled job drafted may be approved by any operator who may approve', async () => {
    const b = await book()
    await addStaff(b, 'S-001', 'Alice Achieng')
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    setDay(b, '2026-01-31')
    const started = b.core.jobs!.start('payroll', { trigger: 'schedule' })
    expect((await started.done).status).toBe('succeeded')
    const jan = await periodStarting(b, '2026-01-01')
    expect(jan.status).toBe('draft')
    expect(jan.draftedBy).not.toBe(ADMIN.name)
    expect(value<PayPeriod>(await approve(b, jan.id))).toMatchObject({ status: 'approved', approvedBy: ADMIN.name })
  })
})

describe('dry run', () => {
  it('writes nothing (a new period, a forced recompute, a posted period re-run) and reports the register it would make', async () => {
    const b = await book({ makerChecker: false })
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    setDay(b, '2026-01-31')
    await periods(b) // Ada unlocks the screen the clock's move locked (an audit row) before the counting starts.
    const before = rowCounts(b.db)
    const dry = await run(b, { dryRun: true })
    expect(dry).toMatchObject({ dryRun: true, today: '2026-01-31', created: 1 })
    expect(dry.periods).toEqual([expect.objectContaining({ outcome: 'drafted', made: 2, failed: 0 })])
    const a = expectedPay(5_000_000)
    const o = expectedPay(3_000_000)
    expect(dry.periods[0]?.register.map((r) => [r.staffNo, r.status, r.grossMinor, r.deductionsMinor, r.netMinor])).toEqual([
      ['S-001', 'ok', a.gross, a.deductions, a.net],
      ['S-002', 'ok', o.gross, o.deductions, o.net]
    ])
    expect(rowCounts(b.db)).toEqual(before)
    expect(await periods(b)).toEqual([])

    await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    await saveStructure(b, alice.id, 6_000_000, { effectiveFrom: '2026-01-10' })
    const drafted = rowCounts(b.db)
    const slips = payslipsRaw(b.db, jan.id)
    const forced = await run(b, { periodId: jan.id, force: true, dryRun: true })
    expect(forced.periods[0]).toMatchObject({ outcome: 'recomputed' })
    expect(forced.periods[0]?.register.find((r) => r.staffNo === 'S-001')?.netMinor).toBe(expectedPay(6_000_000).net)
    expect(rowCounts(b.db)).toEqual(drafted)
    expect(payslipsRaw(b.db, jan.id)).toEqual(slips)

    value(await approve(b, jan.id))
    value(await post(b, jan.id))
    const postedCounts = rowCounts(b.db)
    const reposted = await run(b, { periodId: jan.id, force: true, dryRun: true, reason: 'What if' })
    expect(reposted.periods[0]).toMatchObject({ outcome: 'reposted' })
    expect(rowCounts(b.db)).toEqual(postedCounts)
    expect(await fresh(b, jan.id)).toMatchObject({ status: 'posted', postings: 1 })
    expect(payrollProblems(b.db)).toEqual([])
  })
})

describe('the review register', () => {
  it('highlights new, left and a net change over the threshold (strictly over: 10.0% is not), against the last period', async () => {
    const b = await book()
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    const bob = await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })
    const carol = await addStaff(b, 'S-003', 'Carol Wanjiru', { basicMinor: 2_000_000 })
    const leo = await addStaff(b, 'S-004', 'Leo Omondi', { leavingDate: '2026-01-10', status: 'left' })
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    setDay(b, '2026-01-31')
    await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    const janReg = await register(b, jan.id)
    expect(janReg.previous).toBeNull()
    expect(janReg.thresholdPercent).toBe('10')
    expect(janReg.rows.every((r) => r.previousNetMinor === null && r.netChangePercent === null)).toBe(true)

    // February: Bob +20% basic (net +15.0%), Carol +10% basic (net exactly +10.0%), Nia joins, Leo has left.
    await saveStructure(b, bob.id, 3_600_000, { effectiveFrom: '2026-02-01' })
    await saveStructure(b, carol.id, 2_200_000, { effectiveFrom: '2026-02-01' })
    const nia = await addStaff(b, 'S-005', 'Nia Atieno', { hireDate: '2026-02-01', basicMinor: 4_000_000, effectiveFrom: '2026-02-01' })
    setDay(b, '2026-02-28')
    await run(b)
    const feb = await periodStarting(b, '2026-02-01')
    const reg = await register(b, feb.id)
    expect(reg.previous).toEqual({ id: jan.id, name: 'January 2026' })
    const leoJan = expectedPay(5_000_000, { days: { worked: 10, of: 31 } })
    const row = (id: number) => reg.rows.find((r) => r.staffId === id)
    expect(row(alice.id)).toMatchObject({ netMinor: expectedPay(5_000_000).net, previousNetMinor: expectedPay(5_000_000).net, netChangePercent: '0.0', changes: [] })
    // Bob: 29,625.00 → 34,076.65: +4,451.65 = 15.0267%.
    expect(row(bob.id)).toMatchObject({ netMinor: 3_407_665, previousNetMinor: 2_962_500, netChangePercent: '15.0', changes: ['net-changed'] })
    // Carol: 21,000.00 → 23,100.00: exactly 10%, not over it.
    expect(row(carol.id)).toMatchObject({ netMinor: 2_310_000, previousNetMinor: 2_100_000, netChangePercent: '10.0', changes: [] })
    expect(row(nia.id)).toMatchObject({ netMinor: expectedPay(4_000_000).net, previousNetMinor: null, changes: ['new'] })
    expect(row(leo.id)).toMatchObject({ payslipId: null, status: null, netMinor: 0, previousNetMinor: leoJan.net, changes: ['left'] })
    expect(reg.rows).toHaveLength(5)
    expect(reg.totals).toMatchObject({
      staff: 4,
      netMinor: expectedPay(5_000_000).net + 3_407_665 + 2_310_000 + expectedPay(4_000_000).net
    })
    expect(reg.totals.components.find((c) => c.code === 'PAYE')?.amountMinor).toBe(
      expectedPay(5_000_000).PAYE + expectedPay(3_600_000).PAYE + expectedPay(2_200_000).PAYE + expectedPay(4_000_000).PAYE
    )

    // A lower threshold (Settings → Payroll): Carol's 10.0% is now over it.
    value(await b.core.invoke('payroll.saveSettings', { netChangePercent: '7.5' }))
    const lower = await register(b, feb.id)
    expect(lower.thresholdPercent).toBe('7.5')
    expect(lower.rows.find((r) => r.staffId === carol.id)?.changes).toEqual(['net-changed'])
    expect(lower.rows.find((r) => r.staffId === alice.id)?.changes).toEqual([])
    expect(payrollProblems(b.db)).toEqual([])
  })

  it('the statutory summary: per statutory component, staff, base and amount; the grand total', async () => {
    const b = await book()
    await addStaff(b, 'S-001', 'Alice Achieng', { loanMinor: 100_000 })
    await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    setDay(b, '2026-01-31')
    await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    const s = value<{ rows: { code: string; staff: number; baseMinor: number; amountMinor: number }[]; totalMinor: number }>(await b.core.invoke('payroll.statutory', { periodId: jan.id }))
    const a = expectedPay(5_000_000, { loanMinor: 100_000 })
    const o = expectedPay(3_000_000)
    expect(s.rows.map((r) => [r.code, r.staff, r.baseMinor, r.amountMinor]).sort()).toEqual(
      [
        ['PAYE', 2, a.taxable + o.taxable, a.PAYE + o.PAYE],
        ['PENSION', 2, a.BASIC + o.BASIC, a.PENSION + o.PENSION],
        ['PENSION_ER', 2, a.BASIC + o.BASIC, a.employer + o.employer]
      ].sort()
    )
    // LOAN is not statutory.
    expect(s.totalMinor).toBe(a.PAYE + o.PAYE + a.PENSION + o.PENSION + a.employer + o.employer)
  })
})

describe('notifications', () => {
  it('ready for review when drafted; failed with the reason when a payslip could not be worked out', async () => {
    const b = await book()
    await addStaff(b, 'S-001', 'Alice Achieng')
    const finn = await addStaff(b, 'S-002', 'Finn Mutua', { basicMinor: null })
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    setDay(b, '2026-01-31')
    await run(b)
    const failed = (await notifications(b)).filter((n) => n.title.startsWith('Payroll January 2026'))
    expect(failed).toHaveLength(1)
    const text = `${failed[0]!.title} ${failed[0]!.body}`
    // Brief: "Payroll <period> failed for N staff: <first reason>".
    expect(failed[0]!.title).toMatch(/^Payroll January 2026 failed for 1 (staff|person)/)
    expect(text).toMatch(/Finn Mutua|S-002/)
    expect(text).toMatch(/structure/i)
    expect((await notifications(b)).some((n) => n.title === 'Payroll January 2026 is ready for review')).toBe(false)

    await saveStructure(b, finn.id, 2_000_000)
    await run(b)
    const titles = (await notifications(b)).map((n) => n.title).filter((t) => t.startsWith('Payroll January 2026'))
    expect(titles[0]).toBe('Payroll January 2026 is ready for review')
    expect(titles).toHaveLength(2)
  })
})

describe('on a worker thread, as in the app', () => {
  it('payroll.run drafts the same payslips there', async () => {
    const b = await book({ worker: true })
    const alice = await addStaff(b, 'S-001', 'Alice Achieng')
    const jane = await addStaff(b, 'S-002', 'Jane Kamau', { hireDate: '2026-01-17', basicMinor: 9_300_000, effectiveFrom: '2026-01-17' })
    await monthlyCalendar(b, '2026-01-01', DAYS_BEFORE_END_0)
    setDay(b, '2026-01-31')
    const r = await run(b)
    expect(outcomes(r)).toEqual(['January 2026:drafted'])
    const jan = await periodStarting(b, '2026-01-01')
    expect(figures(b, jan.id, alice)).toEqual(expectedPay(5_000_000))
    expect(figures(b, jan.id, jane)).toEqual(expectedPay(9_300_000, { days: { worked: 15, of: 31 } }))
    expect(payrollProblems(b.db)).toEqual([])
  }, 60_000)
})
