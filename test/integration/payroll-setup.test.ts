/**
 * Payroll's set-up (issue #13) through core.invoke on a real core and SQLite
 * file with a manual clock: staff (search, versions), pay components and
 * their dated rates (every refusal next to its field, in Coffer's words),
 * pay structures (what each method takes, replaced by date, locked once a
 * posted payroll used them), calendars (rules, their next period, what is
 * fixed once they have periods), periods (made from a calendar or on their
 * own, never overlapping, changed only before approval, with their history),
 * and who may do what.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Calendar, Component, PayPeriod, PayPeriodDetail, Staff, StaffDetail } from '../../src/shared/contract/payroll'
import type { Account, JournalEntry } from '../../src/shared/contract/ledger'
import { asOperator } from '../support/operators'
import { value } from '../support/temp-core'
import { recurringBook, setDay, type RecurringBook } from '../support/recurring'

const books: RecurringBook[] = []
afterEach(async () => {
  for (const b of books.splice(0)) await b.close()
})

interface PayrollBook extends RecurringBook {
  /** A liability a deduction is owed on (PAYE, pension). */
  payable: Account
  expense: Account
  income: Account
}

async function book(): Promise<PayrollBook> {
  const b = await recurringBook({ members: 1 })
  books.push(b)
  setDay(b, '2026-11-22')
  return { ...b, payable: b.role['statutory-payable'], expense: b.role['salary-expense'], income: b.role['interest-income'] }
}

type Envelope = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } }
const call = (b: RecurringBook, channel: string, input: unknown): Promise<Envelope> => b.core.invoke(channel, input) as Promise<Envelope>

/** The refusal of a call: its code, message and field messages (fails the test when the call went through). */
async function refusal(b: RecurringBook, channel: string, input: unknown): Promise<{ code: string; message: string; fields: Record<string, string> }> {
  const r = await call(b, channel, input)
  if (r.ok) throw new Error(`${channel} should have been refused, got ${JSON.stringify(r.value)}`)
  return { code: r.error.code, message: r.error.message, fields: r.error.fields ?? {} }
}

const fixedRate = (amountMinor: number, effectiveFrom = '2026-01-01') => ({ effectiveFrom, method: 'fixed', amountMinor, rounding: 'half-up' })

async function basic(b: PayrollBook): Promise<Component> {
  return value<Component>(
    await call(b, 'payroll.createComponent', {
      code: 'BASIC',
      name: 'Basic pay',
      kind: 'earning',
      taxable: true,
      prorate: true,
      accountId: b.expense.id,
      sortOrder: 1,
      rate: fixedRate(5_000_000)
    })
  )
}

const PAYE_BANDS = [
  { upToMinor: 2_400_000, ratePercent: '10' },
  { upToMinor: 3_233_300, ratePercent: '25' },
  { upToMinor: null, ratePercent: '30' }
]

async function paye(b: PayrollBook, effectiveFrom = '2026-01-01'): Promise<Component> {
  return value<Component>(
    await call(b, 'payroll.createComponent', {
      code: 'PAYE',
      name: 'Income tax',
      kind: 'deduction',
      statutory: true,
      accountId: b.payable.id,
      rate: { effectiveFrom, method: 'bands', base: 'taxable', bands: PAYE_BANDS, reliefMinor: 240_000, rounding: 'down' }
    })
  )
}

async function staff(b: PayrollBook, over: Record<string, unknown> = {}): Promise<Staff> {
  return value<Staff>(await call(b, 'payroll.createStaff', { staffNo: 'S-001', fullName: 'Wanjiru Kamau', nationalId: '12345678', hireDate: '2025-03-01', ...over }))
}

describe('who may see payroll', () => {
  it('a clerk is refused the staff list; an auditor reads it but cannot add staff', async () => {
    const b = await book()
    await staff(b)
    const clerk = { name: 'Cleo Clerk', username: 'cleo', password: 'clerk password one', role: 'clerk' }
    const auditor = { name: 'Audrey Auditor', username: 'audrey', password: 'auditor password one', role: 'auditor' }
    expect(await asOperator(b.core, clerk, () => call(b, 'payroll.staffList', {}))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await asOperator(b.core, clerk, () => call(b, 'payroll.periods', {}))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const seen = await asOperator(b.core, auditor, async () => value<{ staff: Staff[] }>(await call(b, 'payroll.staffList', {})).staff)
    expect(seen.map((s) => s.staffNo)).toEqual(['S-001'])
    const added = await asOperator(b.core, auditor, () => call(b, 'payroll.createStaff', { staffNo: 'S-002', fullName: 'Not Allowed', hireDate: '2026-01-01' }))
    expect(added).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(b.db.prepare('SELECT count(*) FROM payroll_staff').pluck().get()).toBe(1)
  })
})

describe('staff', () => {
  it('adds, finds by name, number or national ID, filters by status, and refuses a stale version', async () => {
    const b = await book()
    const w = await staff(b)
    expect(w).toMatchObject({ staffNo: 'S-001', status: 'active', leavingDate: null, structureFrom: null, basicMinor: null, version: 1 })
    await staff(b, { staffNo: 'S-002', fullName: 'Otieno Ouma', nationalId: '87654321', memberId: b.members[0]?.member.id })
    await staff(b, { staffNo: 'X-9', fullName: 'Amina Hassan', nationalId: null, status: 'left', leavingDate: '2026-06-30' })
    const list = async (q: Record<string, unknown>) => value<{ staff: Staff[] }>(await call(b, 'payroll.staffList', q)).staff.map((s) => s.staffNo)
    expect(await list({})).toEqual(['X-9', 'S-002', 'S-001']) // by name: Amina, Otieno, Wanjiru
    expect(await list({ search: 'kamau' })).toEqual(['S-001'])
    expect(await list({ search: 's-00' })).toEqual(['S-002', 'S-001'])
    expect(await list({ search: '7654' })).toEqual(['S-002'])
    expect(await list({ status: 'left' })).toEqual(['X-9'])
    expect(await list({ status: 'active', search: 'amina' })).toEqual([])
    const otieno = value<{ staff: Staff[] }>(await call(b, 'payroll.staffList', { search: 'Otieno' })).staff[0]
    expect(otieno?.memberNo).toBe('M-001')

    const changed = value<Staff>(await call(b, 'payroll.updateStaff', { id: w.id, expectedVersion: 1, staffNo: 'S-001', fullName: 'Wanjiru Kamau-Njoroge', hireDate: '2025-03-01' }))
    expect(changed).toMatchObject({ fullName: 'Wanjiru Kamau-Njoroge', version: 2, nationalId: null })
    const stale = await refusal(b, 'payroll.updateStaff', { id: w.id, expectedVersion: 1, staffNo: 'S-001', fullName: 'Old view', hireDate: '2025-03-01' })
    expect(stale.code).toBe('CONFLICT')
    expect(stale.message).toMatch(/changed meanwhile/)
  })

  it('puts each refusal next to its field', async () => {
    const b = await book()
    await staff(b)
    const taken = await refusal(b, 'payroll.createStaff', { staffNo: 's-001', fullName: 'Someone Else', hireDate: '2026-01-01' })
    expect(taken).toMatchObject({ code: 'CONFLICT', fields: { staffNo: 'Already used by Wanjiru Kamau' } })
    const dates = await refusal(b, 'payroll.createStaff', { staffNo: 'S-002', fullName: 'Early Leaver', hireDate: '2026-05-01', leavingDate: '2026-04-30' })
    expect(dates).toMatchObject({ code: 'VALIDATION', fields: { leavingDate: 'The leaving date is before the hire date' } })
    expect(dates.message).toBe('The staff member is not right: The leaving date is before the hire date.')
    const left = await refusal(b, 'payroll.createStaff', { staffNo: 'S-002', fullName: 'Gone', hireDate: '2026-01-01', status: 'left' })
    expect(left.fields).toEqual({ leavingDate: 'Give the leaving date of someone who has left' })
    const member = await refusal(b, 'payroll.createStaff', { staffNo: 'S-002', fullName: 'Gone', hireDate: '2026-01-01', memberId: 999 })
    expect(member.fields).toEqual({ memberId: 'No such member' })
    const shape = await refusal(b, 'payroll.createStaff', { staffNo: '-bad', fullName: '', hireDate: '2026-02-30' })
    expect(Object.keys(shape.fields).sort()).toEqual(['fullName', 'hireDate', 'staffNo'])
  })
})

describe('components and rates', () => {
  it('creates a component with its first rate, describes it, dates its rates and picks the one in force today', async () => {
    const b = await book()
    const tax = await paye(b)
    expect(tax).toMatchObject({ code: 'PAYE', kind: 'deduction', statutory: true, accountName: b.payable.name, payableAccountId: null, active: true, staffCount: 0, version: 1 })
    expect(tax.current.describe).toBe('Bands on taxable pay: 10% up to Ksh\u00a024,000.00; 25% up to Ksh\u00a032,333.00; 30% above; relief Ksh\u00a02,400.00; rounded down')
    expect(tax.current.bands).toEqual(PAYE_BANDS)

    // Next year's bands: added, newest first; today's rate is still this year's.
    const rate2027 = { effectiveFrom: '2027-01-01', method: 'bands', base: 'taxable', bands: [{ upToMinor: null, ratePercent: '20' }], reliefMinor: 0, rounding: 'down' }
    const next = value<Component>(await call(b, 'payroll.saveRate', { componentId: tax.id, ...rate2027 }))
    expect(next.rates.map((r) => r.effectiveFrom)).toEqual(['2027-01-01', '2026-01-01'])
    expect(next.current.effectiveFrom).toBe('2026-01-01')
    // The same date again replaces that version.
    const replaced = value<Component>(await call(b, 'payroll.saveRate', { componentId: tax.id, ...rate2027, bands: [{ upToMinor: null, ratePercent: '22.5' }] }))
    expect(replaced.rates).toHaveLength(2)
    expect(replaced.rates[0]?.describe).toBe('Bands on taxable pay: 22.5% on all of it; rounded down')
    // After new year the clock finds the new one.
    setDay(b, '2027-01-02')
    expect(value<Component>(await call(b, 'payroll.component', { id: tax.id })).current.effectiveFrom).toBe('2027-01-01')

    // A component whose only rate begins later shows that one as current.
    const later = value<Component>(
      await call(b, 'payroll.createComponent', { code: 'LATER', name: 'Later allowance', kind: 'earning', accountId: b.expense.id, rate: fixedRate(100, '2030-01-01') })
    )
    expect(later.current.effectiveFrom).toBe('2030-01-01')

    // Deleting a rate: not the last one.
    const onlyOne = await refusal(b, 'payroll.deleteRate', { id: later.current.id })
    expect(onlyOne.code).toBe('CONFLICT')
    expect(onlyOne.message).toMatch(/only rate/)
    const fewer = value<Component>(await call(b, 'payroll.deleteRate', { id: replaced.rates[0]?.id }))
    expect(fewer.rates.map((r) => r.effectiveFrom)).toEqual(['2026-01-01'])
  })

  it('refuses a rule calc could not work out, each problem next to its field', async () => {
    const b = await book()
    await basic(b)
    const base = { code: 'NSSF', name: 'Pension', kind: 'deduction', accountId: b.payable.id }
    const refused = async (over: Record<string, unknown>, rate: Record<string, unknown>) => refusal(b, 'payroll.createComponent', { ...base, ...over, rate: { effectiveFrom: '2026-01-01', rounding: 'half-up', ...rate } })

    const upward = await refused({}, { method: 'bands', base: 'gross', bands: [{ upToMinor: 100_000, ratePercent: '6' }, { upToMinor: 100_000, ratePercent: '6' }, { upToMinor: null, ratePercent: '1' }] })
    expect(upward.code).toBe('VALIDATION')
    expect(upward.fields).toEqual({ 'rate.bands.1.upToMinor': 'Must be above band 1’s upper bound (Ksh\u00a01,000.00): bands go strictly upward' })
    expect(upward.message).toBe('The pay component is not right: Must be above band 1’s upper bound (Ksh\u00a01,000.00): bands go strictly upward.')

    const open = await refused({}, { method: 'bands', base: 'gross', bands: [{ upToMinor: null, ratePercent: '6' }, { upToMinor: 200_000, ratePercent: '6' }] })
    expect(open.fields).toEqual({ 'rate.bands.0.upToMinor': 'Only the last band may have no upper bound' })

    const earningBands = await refused({ code: 'BONUS', kind: 'earning', accountId: b.expense.id }, { method: 'bands', base: 'basic', bands: [{ upToMinor: null, ratePercent: '6' }] })
    expect(earningBands.fields).toEqual({ 'rate.method': 'An earning is a fixed amount or a percentage, not a band table' })

    const noBase = await refused({}, { method: 'percentage', ratePercent: '6', amountMinor: 5 })
    expect(noBase.fields).toEqual({ 'rate.base': 'Give what it is a percentage of: gross, basic, taxable or an earning’s code', 'rate.amountMinor': 'A percentage takes no amount' })

    const fixedExtras = await refused({}, { method: 'fixed', ratePercent: '6', base: 'gross' })
    expect(fixedExtras.fields).toEqual({
      'rate.amountMinor': 'Give the usual amount (each person’s structure sets their own)',
      'rate.ratePercent': 'A fixed amount takes no rate',
      'rate.base': 'A fixed amount is of no base'
    })

    const itself = await refused({ code: 'HOUSE', kind: 'earning', accountId: b.expense.id }, { method: 'percentage', ratePercent: '15', base: 'HOUSE' })
    expect(itself.fields).toEqual({ 'rate.base': 'A component cannot be a percentage of itself' })
    const unknown = await refused({}, { method: 'percentage', ratePercent: '6', base: 'NOPE' })
    expect(unknown.fields).toEqual({ 'rate.base': 'No component has the code NOPE: use gross, basic, taxable or an earning’s code' })
    const earningOnGross = await refused({ code: 'HOUSE', kind: 'earning', accountId: b.expense.id }, { method: 'percentage', ratePercent: '15', base: 'gross' })
    expect(earningOnGross.fields['rate.base']).toBe('An earning cannot be a percentage of gross pay, which it is part of')
    const floorCap = await refused({}, { method: 'percentage', ratePercent: '6', base: 'gross', floorMinor: 500, capMinor: 100 })
    expect(floorCap.fields).toEqual({ 'rate.floorMinor': 'The floor is above the cap' })
    const preTaxOnTaxable = await refused({ preTax: true }, { method: 'percentage', ratePercent: '6', base: 'taxable' })
    expect(preTaxOnTaxable.fields['rate.base']).toBe('A deduction taken before tax cannot be on taxable pay, which it reduces')

    // Flags and accounts.
    const flags = await refused({ taxable: true, prorate: true }, { method: 'fixed', amountMinor: 100 })
    expect(flags.fields).toEqual({ taxable: 'Only an earning counts toward taxable pay; this is a deduction', prorate: 'Only an earning is pro-rated; this is a deduction' })
    const wrongAccount = await refused({ accountId: b.income.id }, { method: 'fixed', amountMinor: 100 })
    expect(wrongAccount.fields.accountId).toMatch(/^A deduction is owed to someone \(a liability\) or repays the society \(an asset\): .* is an income account$/)
    const earningToLiability = await refused({ code: 'HOUSE', kind: 'earning', accountId: b.payable.id }, { method: 'fixed', amountMinor: 100 })
    expect(earningToLiability.fields.accountId).toMatch(/^An earning is an expense: choose an expense account/)
    const employer = await refused({ code: 'NSSF_ER', kind: 'employer', accountId: b.expense.id }, { method: 'percentage', ratePercent: '6', base: 'gross' })
    expect(employer.fields).toEqual({ payableAccountId: 'An employer contribution needs the account it is owed to (a liability)' })
    const payableOnDeduction = await refused({ payableAccountId: b.payable.id }, { method: 'fixed', amountMinor: 100 })
    expect(payableOnDeduction.fields).toEqual({ payableAccountId: 'Only an employer contribution has a payable account: leave it empty' })
    const control = await refused({ accountId: b.role['member-savings'].id }, { method: 'fixed', amountMinor: 100 })
    expect(control.fields.accountId).toMatch(/is a control account/)

    // The same code twice: a conflict on the code.
    const twice = await refusal(b, 'payroll.createComponent', { code: 'BASIC', name: 'Again', kind: 'earning', accountId: b.expense.id, rate: fixedRate(1) })
    expect(twice).toMatchObject({ code: 'CONFLICT', fields: { code: 'Already used by Basic pay' } })

    // saveRate: the same words, without the "rate." prefix.
    const tax = await paye(b)
    const bad = await refusal(b, 'payroll.saveRate', { componentId: tax.id, effectiveFrom: '2027-01-01', method: 'bands', base: 'taxable', bands: [], rounding: 'down' })
    expect(bad).toMatchObject({ code: 'VALIDATION', fields: { bands: 'Add at least one band' } })
    // Nothing of the refused ones was written.
    expect(b.db.prepare('SELECT code FROM payroll_components ORDER BY code').pluck().all()).toEqual(['BASIC', 'PAYE'])

    // An employer contribution with its payable: accepted.
    const er = value<Component>(
      await call(b, 'payroll.createComponent', { code: 'NSSF_ER', name: 'Employer pension', kind: 'employer', accountId: b.expense.id, payableAccountId: b.payable.id, rate: { effectiveFrom: '2026-01-01', method: 'percentage', ratePercent: '6', base: 'basic', capMinor: 108_000, rounding: 'half-up' } })
    )
    expect(er.current.describe).toBe('6% of basic pay, at most Ksh\u00a01,080.00; rounded half-up')
    expect(er.payableAccountName).toBe(b.payable.name)
  })

  it('keeps the code once a payslip used it, the kind once a structure did, and refuses a stale version', async () => {
    const b = await book()
    const house = value<Component>(await call(b, 'payroll.createComponent', { code: 'HOUSE', name: 'House allowance', kind: 'earning', accountId: b.expense.id, rate: fixedRate(1_000_000) }))
    const update = (over: Record<string, unknown>) =>
      call(b, 'payroll.updateComponent', { id: house.id, code: 'HOUSE', name: 'House allowance', kind: 'earning', accountId: b.expense.id, ...over })
    const renamed = value<Component>(await update({ expectedVersion: 1, code: 'HOUSING', name: 'Housing' }))
    expect(renamed).toMatchObject({ code: 'HOUSING', name: 'Housing', version: 2 })
    expect((await update({ expectedVersion: 1 })) as unknown).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })

    const w = await staff(b)
    value(await call(b, 'payroll.saveStructure', { staffId: w.id, effectiveFrom: '2026-01-01', items: [{ componentId: house.id, amountMinor: 1_200_000 }] }))
    expect(value<Component>(await call(b, 'payroll.component', { id: house.id })).staffCount).toBe(1)
    const kind = await refusal(b, 'payroll.updateComponent', { id: house.id, expectedVersion: 2, code: 'HOUSING', name: 'Housing', kind: 'deduction', accountId: b.payable.id })
    expect(kind).toMatchObject({ code: 'CONFLICT', fields: { kind: 'Fixed once it is used' } })

    // A payslip line carries it: the code is fixed.
    const { periodId } = await postedPayslip(b, w.id, { componentId: house.id, status: 'draft' })
    const code = await refusal(b, 'payroll.updateComponent', { id: house.id, expectedVersion: 2, code: 'HSE', name: 'Housing', kind: 'earning', accountId: b.expense.id })
    expect(code).toMatchObject({ code: 'CONFLICT', fields: { code: 'Fixed once a payslip used it' } })
    // Name and order still change.
    expect(value<Component>(await call(b, 'payroll.updateComponent', { id: house.id, expectedVersion: 2, code: 'HOUSING', name: 'Housing allowance', kind: 'earning', accountId: b.expense.id, sortOrder: 5 }))).toMatchObject({ name: 'Housing allowance', sortOrder: 5, version: 3 })
    // Not switched off while a structure in force pays it (that person's next payroll would fail): said, naming them.
    const inUse = await refusal(b, 'payroll.setComponentActive', { id: house.id, expectedVersion: 3, active: false })
    expect(inUse).toMatchObject({ code: 'CONFLICT' })
    expect(inUse.message).toContain('HOUSING is in the pay structure of S-001 Wanjiru Kamau')
    // Once she has left, it may be.
    value(await call(b, 'payroll.updateStaff', { id: w.id, expectedVersion: w.version, staffNo: 'S-001', fullName: 'Wanjiru Kamau', hireDate: '2025-03-01', leavingDate: '2026-01-31', status: 'left' }))
    // Inactive: still listed (includeInactive), not offered to new structures.
    const off = value<Component>(await call(b, 'payroll.setComponentActive', { id: house.id, expectedVersion: 3, active: false }))
    expect(off.active).toBe(false)
    expect(value<{ components: Component[] }>(await call(b, 'payroll.components', { includeInactive: false })).components).toEqual([])
    expect(value<{ components: Component[] }>(await call(b, 'payroll.components', {})).components.map((c) => c.code)).toEqual(['HOUSING'])
    const inactive = await refusal(b, 'payroll.saveStructure', { staffId: w.id, effectiveFrom: '2026-12-01', items: [{ componentId: house.id, amountMinor: 1 }] })
    expect(inactive.fields).toEqual({ 'items.0.componentId': 'HOUSING is inactive: make it active again or choose another component' })
    expect(periodId).toBeGreaterThan(0)
  })
})

/**
 * A payslip of `staffId` on a period made here (raw rows: the drafting is the
 * payroll job's, tested elsewhere), with one line of the component's rate in
 * force; the period is posted (with a real journal entry) unless `status`
 * says otherwise.
 */
async function postedPayslip(
  b: PayrollBook,
  staffId: number,
  o: { componentId: number; status?: 'posted' | 'draft'; start?: string; end?: string; grossMinor?: number }
): Promise<{ periodId: number }> {
  const status = o.status ?? 'posted'
  const start = o.start ?? '2026-10-01'
  const end = o.end ?? '2026-10-31'
  const gross = o.grossMinor ?? 1_000_000
  let entryId: number | null = null
  if (status === 'posted') {
    const e = value<JournalEntry>(
      await call(b, 'ledger.post', {
        valueDate: end,
        description: 'Salaries',
        lines: [
          { accountId: b.expense.id, debitMinor: gross },
          { accountId: b.role.bank.id, creditMinor: gross }
        ]
      })
    )
    entryId = e.id
  }
  const at = '2026-11-01T00:00:00.000Z'
  const periodId = Number(
    b.db
      .prepare(
        `INSERT INTO payroll_periods (name, frequency, start_date, end_date, pay_date, rule, automation, status, entry_id, postings, created_at, updated_at)
         VALUES (?, 'monthly', ?, ?, ?, '{"kind":"days-before-end","days":0}', 0, ?, ?, ?, ?, ?)`
      )
      .run(`Raw ${start}`, start, end, end, status, entryId, entryId === null ? 0 : 1, at, at).lastInsertRowid
  )
  const structureId = b.db.prepare('SELECT id FROM payroll_structures WHERE staff_id = ? ORDER BY effective_from DESC LIMIT 1').pluck().get(staffId) as number
  const payslipId = Number(
    b.db
      .prepare(
        `INSERT INTO payroll_payslips (period_id, staff_id, status, structure_id, days_worked, days_in_period, gross_minor, taxable_minor, deductions_minor, net_minor, employer_minor, computed_at)
         VALUES (?, ?, 'ok', ?, 31, 31, ?, ?, 0, ?, 0, ?)`
      )
      .run(periodId, staffId, structureId, gross, gross, gross, at).lastInsertRowid
  )
  const rate = b.db.prepare('SELECT id, rounding FROM payroll_component_rates WHERE component_id = ? ORDER BY effective_from LIMIT 1').get(o.componentId) as { id: number; rounding: string }
  const c = b.db.prepare('SELECT code, name, kind FROM payroll_components WHERE id = ?').get(o.componentId) as { code: string; name: string; kind: string }
  b.db
    .prepare(
      `INSERT INTO payroll_payslip_lines (payslip_id, line_no, component_id, rate_id, code, name, kind, amount_minor, rounding, workings) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, 'Fixed amount')`
    )
    .run(payslipId, o.componentId, rate.id, c.code, c.name, c.kind, gross, rate.rounding)
  return { periodId }
}

describe('pay structures', () => {
  it('takes what each method needs, each component once, and replaces the same date', async () => {
    const b = await book()
    const basicPay = await basic(b)
    const tax = await paye(b)
    const pension = value<Component>(
      await call(b, 'payroll.createComponent', { code: 'PENSION', name: 'Pension', kind: 'deduction', preTax: true, accountId: b.payable.id, rate: { effectiveFrom: '2026-01-01', method: 'percentage', ratePercent: '5', base: 'basic', rounding: 'half-up' } })
    )
    const w = await staff(b)
    const refused = await refusal(b, 'payroll.saveStructure', {
      staffId: w.id,
      effectiveFrom: '2026-01-01',
      items: [{ componentId: basicPay.id }, { componentId: tax.id, amountMinor: 5, ratePercent: '3' }, { componentId: basicPay.id, amountMinor: 1 }, { componentId: 9999 }]
    })
    expect(refused.code).toBe('VALIDATION')
    expect(refused.fields).toEqual({
      'items.0.amountMinor': 'BASIC is a fixed amount: give the amount per period',
      'items.1.amountMinor': 'PAYE is worked out by bands: it takes no amount',
      'items.1.ratePercent': 'PAYE is worked out by bands: it takes no rate of its own',
      'items.2.componentId': 'BASIC is already line 1: a component appears once',
      'items.3.componentId': 'No such component'
    })
    expect(refused.message).toBe('The pay structure is not right: BASIC is a fixed amount: give the amount per period (and 4 more).')

    // A percentage of basic pay without BASIC in the structure: refused now, by calc's own check.
    const noBasic = await refusal(b, 'payroll.saveStructure', { staffId: w.id, effectiveFrom: '2026-01-01', items: [{ componentId: pension.id }] })
    expect(noBasic).toMatchObject({ code: 'VALIDATION', message: 'This pay structure cannot be worked out: Component PENSION is on basic pay, but there is no earning with the code BASIC.' })
    expect(Object.keys(noBasic.fields)).toEqual(['items'])

    const items = [{ componentId: basicPay.id, amountMinor: 6_000_000 }, { componentId: tax.id }, { componentId: pension.id, ratePercent: '7.5' }]
    const saved = value<StaffDetail>(await call(b, 'payroll.saveStructure', { staffId: w.id, effectiveFrom: '2026-01-01', items, note: 'Contract' }))
    expect(saved.staff).toMatchObject({ structureFrom: '2026-01-01', basicMinor: 6_000_000 })
    expect(saved.structures).toHaveLength(1)
    expect(saved.structures[0]?.items.map((i) => [i.code, i.kind, i.method, i.amountMinor, i.ratePercent])).toEqual([
      ['BASIC', 'earning', 'fixed', 6_000_000, null],
      ['PAYE', 'deduction', 'bands', null, null],
      ['PENSION', 'deduction', 'percentage', null, '7.5']
    ])
    expect(saved.structures[0]).toMatchObject({ note: 'Contract', locked: false, createdBy: 'Ada Admin' })

    // The same date again: replaced, not added.
    const again = value<StaffDetail>(await call(b, 'payroll.saveStructure', { staffId: w.id, effectiveFrom: '2026-01-01', items: [{ componentId: basicPay.id, amountMinor: 6_500_000 }] }))
    expect(again.structures.map((s) => [s.effectiveFrom, s.items.length])).toEqual([['2026-01-01', 1]])
    expect(again.staff.basicMinor).toBe(6_500_000)
    // A later date: added; newest first; today's is still January's.
    const raise = value<StaffDetail>(await call(b, 'payroll.saveStructure', { staffId: w.id, effectiveFrom: '2027-01-01', items: [{ componentId: basicPay.id, amountMinor: 7_000_000 }] }))
    expect(raise.structures.map((s) => s.effectiveFrom)).toEqual(['2027-01-01', '2026-01-01'])
    expect(raise.staff).toMatchObject({ structureFrom: '2026-01-01', basicMinor: 6_500_000 })
    expect(value<Component>(await call(b, 'payroll.component', { id: basicPay.id })).staffCount).toBe(1)

    // Deleting the future one.
    const fewer = value<StaffDetail>(await call(b, 'payroll.deleteStructure', { id: raise.structures[0]?.id }))
    expect(fewer.structures.map((s) => s.effectiveFrom)).toEqual(['2026-01-01'])
  })

  it('keeps a structure and a rate a posted payroll used: neither replaced nor deleted', async () => {
    const b = await book()
    const basicPay = await basic(b)
    value(await call(b, 'payroll.saveRate', { componentId: basicPay.id, ...fixedRate(1, '2027-01-01') }))
    const w = await staff(b)
    const structure = value<StaffDetail>(await call(b, 'payroll.saveStructure', { staffId: w.id, effectiveFrom: '2026-01-01', items: [{ componentId: basicPay.id, amountMinor: 5_000_000 }] }))
      .structures[0]
    await postedPayslip(b, w.id, { componentId: basicPay.id })

    const detail = value<StaffDetail>(await call(b, 'payroll.staff', { id: w.id }))
    expect(detail.structures[0]?.locked).toBe(true)
    expect(detail.payslips).toEqual([{ periodId: expect.any(Number), periodName: 'Raw 2026-10-01', endDate: '2026-10-31', status: 'posted', grossMinor: 1_000_000, netMinor: 1_000_000 }])

    const replace = await refusal(b, 'payroll.saveStructure', { staffId: w.id, effectiveFrom: '2026-01-01', items: [{ componentId: basicPay.id, amountMinor: 1 }] })
    expect(replace).toMatchObject({ code: 'CONFLICT', fields: { effectiveFrom: 'Used by a posted payroll: choose a later date' } })
    expect(replace.message).toBe('The structure from 1 Jan 2026 was used by a posted payroll, so it is kept as it is; add a structure with a later date instead.')
    expect((await refusal(b, 'payroll.deleteStructure', { id: structure?.id })).code).toBe('CONFLICT')
    // A later structure is fine.
    expect(value<StaffDetail>(await call(b, 'payroll.saveStructure', { staffId: w.id, effectiveFrom: '2026-12-01', items: [{ componentId: basicPay.id, amountMinor: 1 }] })).structures).toHaveLength(2)

    const c = value<Component>(await call(b, 'payroll.component', { id: basicPay.id }))
    const used = c.rates.find((r) => r.effectiveFrom === '2026-01-01')
    expect(used?.locked).toBe(true)
    expect(c.rates.find((r) => r.effectiveFrom === '2027-01-01')?.locked).toBe(false)
    const sameDate = await refusal(b, 'payroll.saveRate', { componentId: basicPay.id, ...fixedRate(2) })
    expect(sameDate).toMatchObject({ code: 'CONFLICT', fields: { effectiveFrom: 'Used by a posted payroll: choose a later date' } })
    expect((await refusal(b, 'payroll.deleteRate', { id: used?.id })).message).toBe('The rate from 1 Jan 2026 was used by a posted payroll, so it is kept as it is.')
    // The rows are as they were.
    expect(b.db.prepare('SELECT amount_minor FROM payroll_component_rates WHERE id = ?').pluck().get(used?.id)).toBe(5_000_000)
  })
})

describe('calendars', () => {
  const calendar = { name: 'Monthly staff', frequency: 'monthly', firstStart: '2026-11-01', payDayOffset: 0, rule: { kind: 'days-before-end', days: 2 } }

  it('refuses a rule a calendar cannot have, next to its field', async () => {
    const b = await book()
    const onDate = await refusal(b, 'payroll.createCalendar', { ...calendar, rule: { kind: 'on-date', date: '2026-11-25' } })
    expect(onDate.code).toBe('VALIDATION')
    expect(Object.keys(onDate.fields)).toEqual(['rule.kind'])
    const cron = await refusal(b, 'payroll.createCalendar', { ...calendar, rule: { kind: 'cron', cron: '0 2 * *' } })
    expect(cron.fields).toEqual({ 'rule.cron': 'Use five fields: minute hour day-of-month month day-of-week, like "0 2 * * *"' })
    const range = await refusal(b, 'payroll.createCalendar', { ...calendar, rule: { kind: 'cron', cron: '0 25 * * *' } })
    expect(range.fields['rule.cron']).toMatch(/between 0 and 23/)
    const day31 = await refusal(b, 'payroll.createCalendar', { ...calendar, firstStart: '2026-10-31' })
    expect(day31.fields).toEqual({ firstStart: 'A monthly calendar starts on a day from 1 to 28, which every month has' })
    value(await call(b, 'payroll.createCalendar', calendar))
    expect(await refusal(b, 'payroll.createCalendar', { ...calendar, name: 'monthly STAFF' })).toMatchObject({ code: 'CONFLICT', fields: { name: 'Already used by another calendar' } })
  })

  it('shows its next period, makes it, and fixes its frequency and first start once it has periods', async () => {
    const b = await book()
    const c = value<Calendar>(await call(b, 'payroll.createCalendar', { ...calendar, payDayOffset: 3 }))
    expect(c).toMatchObject({ periods: 0, active: true, automation: true, ruleWords: '2 days before the period ends' })
    expect(c.next).toEqual({ periodName: 'November 2026', start: '2026-11-01', end: '2026-11-30', dueOn: '2026-11-28' })

    const nov = value<PayPeriod>(await call(b, 'payroll.createPeriod', { calendarId: c.id }))
    expect(nov).toMatchObject({
      calendarId: c.id,
      calendarName: 'Monthly staff',
      name: 'November 2026',
      frequency: 'monthly',
      startDate: '2026-11-01',
      endDate: '2026-11-30',
      payDate: '2026-12-03',
      rule: { kind: 'days-before-end', days: 2 },
      dueOn: '2026-11-28',
      status: 'active',
      payslips: 0,
      grossMinor: 0,
      version: 1
    })
    const dec = value<PayPeriod>(await call(b, 'payroll.createPeriod', { calendarId: c.id }))
    expect([dec.name, dec.startDate, dec.endDate, dec.payDate]).toEqual(['December 2026', '2026-12-01', '2026-12-31', '2027-01-03'])
    // Its next is the first one not drafted yet: November.
    const listed = value<{ calendars: Calendar[] }>(await call(b, 'payroll.calendars', {})).calendars
    expect(listed.map((x) => [x.name, x.periods, x.next?.periodName])).toEqual([['Monthly staff', 2, 'November 2026']])
    // Once November and December are drafted, the next is January, made from the calendar.
    b.db.prepare("UPDATE payroll_periods SET status = 'draft' WHERE calendar_id = ?").run(c.id)
    expect(value<{ calendars: Calendar[] }>(await call(b, 'payroll.calendars', {})).calendars[0]?.next).toEqual({
      periodName: 'January 2027',
      start: '2027-01-01',
      end: '2027-01-31',
      dueOn: '2027-01-29'
    })

    // A calendar period takes nothing of its own.
    const own = await refusal(b, 'payroll.createPeriod', { calendarId: c.id, name: 'Mine', startDate: '2027-01-01' })
    expect(own.fields).toEqual({ name: 'Comes from the calendar: leave it empty', startDate: 'Comes from the calendar: leave it empty' })

    const fixed = await refusal(b, 'payroll.updateCalendar', { ...calendar, id: c.id, expectedVersion: 1, frequency: 'weekly', firstStart: '2026-11-02' })
    expect(fixed.code).toBe('CONFLICT')
    expect(Object.keys(fixed.fields).sort()).toEqual(['firstStart', 'frequency'])
    const renamed = value<Calendar>(await call(b, 'payroll.updateCalendar', { ...calendar, id: c.id, expectedVersion: 1, name: 'Staff', payDayOffset: 0, rule: { kind: 'cron', cron: '0 9 25 * *' }, automation: false }))
    expect(renamed).toMatchObject({ name: 'Staff', version: 2, automation: false, rule: { kind: 'cron', cron: '0 9 25 * *' } })
    expect(renamed.next?.dueOn).toBeNull()
    expect((await refusal(b, 'payroll.updateCalendar', { ...calendar, id: c.id, expectedVersion: 1 })).code).toBe('CONFLICT')

    // Inactive: no next period, and none made.
    const off = value<Calendar>(await call(b, 'payroll.setCalendarActive', { id: c.id, expectedVersion: 2, active: false }))
    expect(off).toMatchObject({ active: false, next: null })
    expect((await refusal(b, 'payroll.createPeriod', { calendarId: c.id })).code).toBe('CONFLICT')
  })

  it('a weekly calendar steps by seven days', async () => {
    const b = await book()
    const c = value<Calendar>(await call(b, 'payroll.createCalendar', { name: 'Casuals', frequency: 'weekly', firstStart: '2026-11-02', rule: { kind: 'days-before-end', days: 0 } }))
    const first = value<PayPeriod>(await call(b, 'payroll.createPeriod', { calendarId: c.id }))
    const second = value<PayPeriod>(await call(b, 'payroll.createPeriod', { calendarId: c.id }))
    expect([first.startDate, first.endDate, second.startDate, second.endDate, second.dueOn]).toEqual(['2026-11-02', '2026-11-08', '2026-11-09', '2026-11-15', '2026-11-15'])
  })
})

describe('periods', () => {
  const own = { name: 'Bonus November', frequency: 'monthly', startDate: '2026-11-01', endDate: '2026-11-30', payDate: '2026-11-30', rule: { kind: 'on-date', date: '2026-11-25' } }

  it('a period of its own needs everything, never overlaps another, and keeps its history', async () => {
    const b = await book()
    const missing = await refusal(b, 'payroll.createPeriod', {})
    expect(missing.code).toBe('VALIDATION')
    expect(Object.keys(missing.fields).sort()).toEqual(['endDate', 'frequency', 'name', 'payDate', 'rule.kind', 'startDate'])
    const backwards = await refusal(b, 'payroll.createPeriod', { ...own, endDate: '2026-10-31', payDate: '2026-10-01' })
    expect(backwards.fields).toEqual({ endDate: 'The last day is before the first', payDate: 'The pay day is before the period starts' })
    const cron = await refusal(b, 'payroll.createPeriod', { ...own, rule: { kind: 'cron', cron: 'every day' } })
    expect(Object.keys(cron.fields)).toEqual(['rule.cron'])

    const p = value<PayPeriod>(await call(b, 'payroll.createPeriod', own))
    expect(p).toMatchObject({ calendarId: null, name: 'Bonus November', dueOn: '2026-11-25', ruleWords: 'On 25 Nov 2026', status: 'active' })
    const overlap = await refusal(b, 'payroll.createPeriod', { ...own, name: 'Second', startDate: '2026-11-30', endDate: '2026-12-05', payDate: '2026-12-05' })
    expect(overlap.code).toBe('CONFLICT')
    expect(overlap.message).toBe('Second (30 Nov 2026 – 5 Dec 2026) overlaps Bonus November (1 Nov 2026 – 30 Nov 2026); a day is paid once.')
    expect(overlap.fields).toEqual({ startDate: 'Overlaps Bonus November', endDate: 'Overlaps Bonus November' })
    // The day after: fine.
    const next = value<PayPeriod>(await call(b, 'payroll.createPeriod', { ...own, name: 'December', startDate: '2026-12-01', endDate: '2026-12-31', payDate: '2026-12-31', rule: { kind: 'days-before-end', days: 0 } }))

    // Changes: recorded with the operator; a stale version refused.
    b.clock.set('2026-11-23T10:00:00Z')
    const changed = value<PayPeriod>(await call(b, 'payroll.updatePeriod', { id: p.id, expectedVersion: 1, payDate: '2026-12-01', rule: { kind: 'days-before-end', days: 3 }, automation: false }))
    expect(changed).toMatchObject({ payDate: '2026-12-01', rule: { kind: 'days-before-end', days: 3 }, automation: false, dueOn: null, version: 2 })
    expect((await refusal(b, 'payroll.updatePeriod', { id: p.id, expectedVersion: 1, payDate: '2026-12-01', rule: own.rule, automation: true })).code).toBe('CONFLICT')
    const detail = value<PayPeriodDetail>(await call(b, 'payroll.period', { id: p.id }))
    expect(detail.events).toEqual([
      { at: '2026-11-22T09:00:00.000Z', action: 'created', by: 'Ada Admin', reason: null, entryId: null },
      {
        at: '2026-11-23T10:00:00.000Z',
        action: 'changed',
        by: 'Ada Admin',
        reason: 'Pay date 30 Nov 2026 → 1 Dec 2026; rule “On 25 Nov 2026” → “3 days before the period ends”; automation off',
        entryId: null
      }
    ])

    // Listed newest first; filtered by status.
    const all = value<{ periods: PayPeriod[] }>(await call(b, 'payroll.periods', {})).periods
    expect(all.map((x) => x.name)).toEqual(['December', 'Bonus November'])
    b.db.prepare("UPDATE payroll_periods SET status = 'approved' WHERE id = ?").run(next.id)
    expect(value<{ periods: PayPeriod[] }>(await call(b, 'payroll.periods', { status: 'approved' })).periods.map((x) => x.name)).toEqual(['December'])
    // Approved: no longer changed.
    const approved = await refusal(b, 'payroll.updatePeriod', { id: next.id, expectedVersion: 1, payDate: '2027-01-02', rule: own.rule, automation: true })
    expect(approved).toMatchObject({ code: 'CONFLICT', message: 'December is approved, so it cannot change (take the approval back first).' })
    expect((await refusal(b, 'payroll.period', { id: 9999 })).code).toBe('NOT_FOUND')
  })

  it('counts and totals its payslips; filters by calendar', async () => {
    const b = await book()
    const basicPay = await basic(b)
    const w = await staff(b)
    const o = await staff(b, { staffNo: 'S-002', fullName: 'Otieno Ouma' })
    for (const s of [w, o]) value(await call(b, 'payroll.saveStructure', { staffId: s.id, effectiveFrom: '2026-01-01', items: [{ componentId: basicPay.id, amountMinor: 1 }] }))
    const { periodId } = await postedPayslip(b, w.id, { componentId: basicPay.id, status: 'draft', grossMinor: 700_000 })
    b.db
      .prepare(
        `INSERT INTO payroll_payslips (period_id, staff_id, status, error, days_worked, days_in_period, computed_at) VALUES (?, ?, 'failed', 'No pay structure', 31, 31, '2026-11-01T00:00:00.000Z')`
      )
      .run(periodId, o.id)
    const c = value<Calendar>(await call(b, 'payroll.createCalendar', { name: 'Monthly', frequency: 'monthly', firstStart: '2026-11-01', rule: { kind: 'days-before-end', days: 0 } }))
    const nov = value<PayPeriod>(await call(b, 'payroll.createPeriod', { calendarId: c.id }))
    const raw = value<PayPeriodDetail>(await call(b, 'payroll.period', { id: periodId })).period
    expect(raw).toMatchObject({ status: 'draft', payslips: 2, failedPayslips: 1, grossMinor: 700_000, netMinor: 700_000, deductionsMinor: 0, employerMinor: 0 })
    expect(value<{ periods: PayPeriod[] }>(await call(b, 'payroll.periods', { calendarId: c.id })).periods.map((x) => x.id)).toEqual([nov.id])
    expect(value<{ periods: PayPeriod[] }>(await call(b, 'payroll.periods', {})).periods.map((x) => x.id)).toEqual([nov.id, periodId])
  })
})
