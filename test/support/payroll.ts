/**
 * The payroll tests' common parts (issue #13): a real core on a SQLite file
 * in memory (/dev/shm) with a manual clock, signed in as Ada; the chart's
 * payroll accounts; a seed of pay components (BASIC fixed, HOUSE 10% of
 * basic, PENSION 5% of basic before tax, PAYE by bands on taxable pay with a
 * relief, the employer's pension 5% of basic, a LOAN repayment); staff with
 * their pay structures; calendars and periods; raw reads of payslips and the
 * journal; payroll's invariants (payrollProblems); and `expectedPay`, the
 * seed's pay worked out by hand (integer arithmetic, independent of core's
 * calc.ts) for the tests' assertions.
 *
 * Jobs run on the calling thread (inlineJobs) unless `worker` is asked for:
 * a worker thread costs ~1.5 s a run, as in the recurring tests.
 */
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { ManualClock, type Core } from '../../src/core'
import type { Account, AccountRole } from '../../src/shared/contract/ledger'
import type {
  AutomationRule,
  Calendar,
  Component,
  ComponentInput,
  PayPeriod,
  PayPeriodDetail,
  PayrollRunReport,
  Payslip,
  Register,
  Staff,
  StaffDetail,
  StaffInput
} from '../../src/shared/contract/payroll'
import { fastDir, rawDb } from './ledger'
import { openRecurringCore } from './recurring'
import { PROFILE, value } from './temp-core'

export type Code = 'BASIC' | 'HOUSE' | 'PENSION' | 'PAYE' | 'PENSION_ER' | 'LOAN'

export interface PayrollBook {
  core: Core
  dataDir: string
  clock: ManualClock
  timeZone: string
  role: Record<AccountRole, Account>
  /** The accounts the seed's components post to. */
  acct: {
    /** 5100 Salaries (role salary-expense): BASIC and HOUSE. */
    salaries: Account
    /** 5120 Employer pension (created): the employer's contribution. */
    employerPension: Account
    /** 2310 Statutory deductions payable (role statutory-payable): PAYE. */
    paye: Account
    /** 2320 Pension payable (created): PENSION and the employer's PENSION_ER. */
    pension: Account
    /** 1200 Staff loans (created, an asset): LOAN repayments. */
    loans: Account
    /** 1010 Bank (role bank): net pay. */
    bank: Account
  }
  comp: Record<Code, Component>
  /** A second connection to the file, for raw reads. */
  db: Database.Database
  close(): Promise<void>
}

export interface PayrollBookOptions {
  /** The clock's first instant (default 5 Jan 2026 09:00Z: noon in Nairobi). */
  now?: string
  /** Jobs on a worker thread, as in the app (slow: ~1.5 s a run). */
  worker?: boolean
  dataDir?: string
  /** Settings → Security: payments need two operators (the default, true). */
  makerChecker?: boolean
}

/** Opens a core on `dataDir` the way these tests do (inline jobs unless `worker`), signed in as Ada: the recurring tests' own. */
export const openPayrollCore: (dataDir: string, clock: ManualClock, worker?: boolean) => Core = openRecurringCore

/** PAYE's bands (per month, minor units): 10% to 24,000.00, 25% to 32,333.00, 30% above; relief 2,400.00; rounded down. */
export const PAYE_BANDS: Band[] = [
  { upToMinor: 2_400_000, ratePercent: '10' },
  { upToMinor: 3_233_300, ratePercent: '25' },
  { upToMinor: null, ratePercent: '30' }
]
export const PAYE_RELIEF = 240_000
/** Next year's bands in the tests of a dated change: 10% to 24,000.00, 20% to 40,000.00, 35% above; the same relief. */
export const PAYE_BANDS_NEW: Band[] = [
  { upToMinor: 2_400_000, ratePercent: '10' },
  { upToMinor: 4_000_000, ratePercent: '20' },
  { upToMinor: null, ratePercent: '35' }
]
export interface Band {
  upToMinor: number | null
  ratePercent: string
}

async function account(core: Core, code: string, name: string, type: 'asset' | 'liability' | 'expense'): Promise<Account> {
  return value<Account>(await core.invoke('ledger.createAccount', { code, name, type }))
}

/** The seed's components on the book's accounts. */
export function seedComponents(acct: PayrollBook['acct']): Record<Code, ComponentInput> {
  return {
    BASIC: {
      code: 'BASIC',
      name: 'Basic salary',
      kind: 'earning',
      taxable: true,
      prorate: true,
      accountId: acct.salaries.id,
      sortOrder: 10,
      rate: { effectiveFrom: '2020-01-01', method: 'fixed', amountMinor: 0, rounding: 'half-up' }
    },
    HOUSE: {
      code: 'HOUSE',
      name: 'House allowance',
      kind: 'earning',
      taxable: true,
      prorate: true,
      accountId: acct.salaries.id,
      sortOrder: 20,
      rate: { effectiveFrom: '2020-01-01', method: 'percentage', ratePercent: '10', base: 'basic', rounding: 'half-up' }
    },
    PENSION: {
      code: 'PENSION',
      name: 'Pension',
      kind: 'deduction',
      preTax: true,
      statutory: true,
      accountId: acct.pension.id,
      sortOrder: 10,
      rate: { effectiveFrom: '2020-01-01', method: 'percentage', ratePercent: '5', base: 'basic', rounding: 'half-up' }
    },
    PAYE: {
      code: 'PAYE',
      name: 'Income tax',
      kind: 'deduction',
      statutory: true,
      accountId: acct.paye.id,
      sortOrder: 20,
      rate: { effectiveFrom: '2020-01-01', method: 'bands', base: 'taxable', bands: PAYE_BANDS, reliefMinor: PAYE_RELIEF, rounding: 'down' }
    },
    LOAN: {
      code: 'LOAN',
      name: 'Staff loan repayment',
      kind: 'deduction',
      accountId: acct.loans.id,
      sortOrder: 30,
      rate: { effectiveFrom: '2020-01-01', method: 'fixed', amountMinor: 0, rounding: 'half-up' }
    },
    PENSION_ER: {
      code: 'PENSION_ER',
      name: 'Employer pension',
      kind: 'employer',
      statutory: true,
      accountId: acct.employerPension.id,
      payableAccountId: acct.pension.id,
      sortOrder: 10,
      rate: { effectiveFrom: '2020-01-01', method: 'percentage', ratePercent: '5', base: 'basic', rounding: 'half-up' }
    }
  }
}

/** A book: profile (Nairobi, KES), the payroll accounts and components, Ada signed in; no staff yet. */
export async function payrollBook(o: PayrollBookOptions = {}): Promise<PayrollBook> {
  const dataDir = o.dataDir ?? fastDir('coffer-payroll-')
  const clock = new ManualClock(o.now ?? '2026-01-05T09:00:00Z')
  const core = openPayrollCore(dataDir, clock, o.worker)
  value(await core.invoke('profile.save', { ...PROFILE }))
  if (o.makerChecker === false) await setMakerChecker(core, false)
  const accounts = value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts
  const role = Object.fromEntries(accounts.filter((a) => a.role).map((a) => [a.role, a])) as Record<AccountRole, Account>
  const acct: PayrollBook['acct'] = {
    salaries: role['salary-expense'],
    employerPension: await account(core, '5120', 'Employer pension', 'expense'),
    paye: role['statutory-payable'],
    pension: await account(core, '2320', 'Pension payable', 'liability'),
    loans: await account(core, '1200', 'Staff loans', 'asset'),
    bank: role.bank
  }
  const comp = {} as Record<Code, Component>
  for (const [code, input] of Object.entries(seedComponents(acct)) as [Code, ComponentInput][]) {
    comp[code] = value<Component>(await core.invoke('payroll.createComponent', input))
  }
  const db = rawDb(dataDir)
  return {
    core,
    dataDir,
    clock,
    timeZone: PROFILE.timeZone,
    role,
    acct,
    comp,
    db,
    close: async () => {
      db.close()
      await core.shutdown()
      if (o.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

export async function setMakerChecker(core: Pick<Core, 'invoke'>, payments: boolean): Promise<void> {
  const s = value<{ makerChecker: Record<string, unknown> }>(await core.invoke('security.get', {}))
  value(await core.invoke('security.save', { ...s, makerChecker: { ...s.makerChecker, payments } }))
}

/** The clock at `time` UTC on `date` (default 09:00Z: noon in Nairobi). */
export function setDay(b: Pick<PayrollBook, 'clock'>, date: string, time = '09:00:00'): void {
  b.clock.set(`${date}T${time}Z`)
}

export interface PayOptions {
  /** Basic pay per period; null: the person gets no pay structure at all. */
  basicMinor?: number | null
  /** A loan repayment per period (a LOAN line), when given. */
  loanMinor?: number
  /** The structure's effective date (default 2025-01-01). */
  effectiveFrom?: string
}

/** The structure items of the seed's standard pay: BASIC, HOUSE, PENSION, PAYE, PENSION_ER (and LOAN). */
export function structureItems(b: Pick<PayrollBook, 'comp'>, basicMinor: number, loanMinor?: number) {
  return [
    { componentId: b.comp.BASIC.id, amountMinor: basicMinor },
    { componentId: b.comp.HOUSE.id },
    { componentId: b.comp.PENSION.id },
    { componentId: b.comp.PAYE.id },
    ...(loanMinor === undefined ? [] : [{ componentId: b.comp.LOAN.id, amountMinor: loanMinor }]),
    { componentId: b.comp.PENSION_ER.id }
  ]
}

export async function saveStructure(b: Pick<PayrollBook, 'core' | 'comp'>, staffId: number, basicMinor: number, o: { loanMinor?: number; effectiveFrom?: string } = {}): Promise<StaffDetail> {
  return value<StaffDetail>(
    await b.core.invoke('payroll.saveStructure', { staffId, effectiveFrom: o.effectiveFrom ?? '2025-01-01', items: structureItems(b, basicMinor, o.loanMinor) })
  )
}

/** A staff member (hired 1 Jan 2025 unless said) with the standard structure (basic 50,000.00 unless said). */
export async function addStaff(b: Pick<PayrollBook, 'core' | 'comp'>, staffNo: string, fullName: string, o: PayOptions & Partial<StaffInput> = {}): Promise<Staff> {
  const { basicMinor = 5_000_000, loanMinor, effectiveFrom, ...input } = o
  const staff = value<Staff>(await b.core.invoke('payroll.createStaff', { staffNo, fullName, hireDate: '2025-01-01', ...input }))
  if (basicMinor !== null) await saveStructure(b, staff.id, basicMinor, { loanMinor, effectiveFrom })
  return staff
}

/** A monthly calendar from `firstStart` (paid on the last day unless said). */
export async function monthlyCalendar(b: Pick<PayrollBook, 'core'>, firstStart: string, rule: AutomationRule, o: { name?: string; payDayOffset?: number; automation?: boolean } = {}): Promise<Calendar> {
  return value<Calendar>(
    await b.core.invoke('payroll.createCalendar', { name: o.name ?? 'Monthly staff', frequency: 'monthly', firstStart, payDayOffset: o.payDayOffset ?? 0, rule, automation: o.automation ?? true })
  )
}

export const run = async (b: Pick<PayrollBook, 'core'>, input: { periodId?: number | null; force?: boolean; dryRun?: boolean; reason?: string | null } = {}): Promise<PayrollRunReport> =>
  value<PayrollRunReport>(await b.core.invoke('payroll.run', input))
export const periods = async (b: Pick<PayrollBook, 'core'>, q: { calendarId?: number; status?: string } = {}): Promise<PayPeriod[]> =>
  value<{ periods: PayPeriod[] }>(await b.core.invoke('payroll.periods', q)).periods.slice().sort((x, y) => x.startDate.localeCompare(y.startDate) || x.id - y.id)
export const period = async (b: Pick<PayrollBook, 'core'>, id: number): Promise<PayPeriodDetail> => value<PayPeriodDetail>(await b.core.invoke('payroll.period', { id }))
export const register = async (b: Pick<PayrollBook, 'core'>, periodId: number): Promise<Register> => value<Register>(await b.core.invoke('payroll.register', { periodId }))
export const payslip = async (b: Pick<PayrollBook, 'core'>, periodId: number, staffId: number): Promise<Payslip> =>
  value<Payslip>(await b.core.invoke('payroll.payslip', { periodId, staffId }))

/** A period by its start date (the only one starting that day), or a failure naming what there is. */
export async function periodStarting(b: Pick<PayrollBook, 'core'>, startDate: string): Promise<PayPeriod> {
  const all = await periods(b)
  const found = all.filter((p) => p.startDate === startDate)
  if (found.length !== 1) throw new Error(`expected one period starting ${startDate}, found: ${all.map((p) => `${p.startDate}:${p.status}`).join(', ')}`)
  return found[0] as PayPeriod
}

export interface RawPayslip {
  id: number
  period_id: number
  staff_id: number
  status: 'ok' | 'failed'
  error: string | null
  structure_id: number | null
  days_worked: number
  days_in_period: number
  gross_minor: number
  taxable_minor: number
  deductions_minor: number
  net_minor: number
  employer_minor: number
  computed_at: string
  run_id: number | null
}

/** A period's payslips read raw, by staff id. */
export function payslipsRaw(db: Database.Database, periodId: number): RawPayslip[] {
  return db.prepare('SELECT * FROM payroll_payslips WHERE period_id = ? ORDER BY staff_id').all(periodId) as RawPayslip[]
}

/** A payslip's lines read raw as code → amount. */
export function linesRaw(db: Database.Database, payslipId: number): Record<string, number> {
  const rows = db.prepare('SELECT code, amount_minor FROM payroll_payslip_lines WHERE payslip_id = ? ORDER BY line_no').all(payslipId) as { code: string; amount_minor: number }[]
  return Object.fromEntries(rows.map((r) => [r.code, r.amount_minor]))
}

/** An entry's lines summed per account: accountId → { debit, credit }. */
export function entryLines(db: Database.Database, entryId: number): Map<number, { debit: number; credit: number }> {
  const rows = db
    .prepare('SELECT account_id, sum(debit_minor) AS debit, sum(credit_minor) AS credit, count(*) AS n FROM journal_lines WHERE entry_id = ? GROUP BY account_id')
    .all(entryId) as { account_id: number; debit: number; credit: number; n: number }[]
  return new Map(rows.map((r) => [r.account_id, { debit: r.debit, credit: r.credit }]))
}

/** How many journal lines an account has in an entry (lines are aggregated per account: 1). */
export function lineCount(db: Database.Database, entryId: number, accountId: number): number {
  return db.prepare('SELECT count(*) FROM journal_lines WHERE entry_id = ? AND account_id = ?').pluck().get(entryId, accountId) as number
}

/** Balance of an account from every line, read raw (debits less credits). */
export function netDebit(db: Database.Database, accountId: number): number {
  return db.prepare('SELECT coalesce(sum(debit_minor - credit_minor), 0) FROM journal_lines WHERE account_id = ?').pluck().get(accountId) as number
}

/** Raw row counts of what a dry run must not write. */
export function rowCounts(db: Database.Database): Record<string, number> {
  const out: Record<string, number> = {}
  for (const t of [
    'payroll_periods',
    'payroll_period_events',
    'payroll_payslips',
    'payroll_payslip_lines',
    'journal_entries',
    'journal_lines',
    'notifications',
    'audit_log',
    'job_runs'
  ]) {
    out[t] = db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number
  }
  out.periodVersions = db.prepare('SELECT coalesce(sum(version), 0) FROM payroll_periods').pluck().get() as number
  out.statuses = db.prepare("SELECT count(*) FROM payroll_periods WHERE status <> 'active'").pluck().get() as number
  return out
}

/** Notifications (newest first). */
export async function notifications(b: Pick<PayrollBook, 'core'>): Promise<{ title: string; body: string; kind: string }[]> {
  return value<{ rows: { title: string; body: string; kind: string }[] }>(await b.core.invoke('notifications.list', { limit: 200 })).rows
}

/**
 * Payroll's invariants, read raw (empty when sound):
 * - one payslip per (period, staff);
 * - an ok payslip has lines, and its totals are its lines' sums (gross =
 *   earnings, deductions, employer) with net = gross − deductions ≥ 0;
 * - a failed payslip has its error and no lines;
 * - a posted period has its entry: source payroll, sourceRef
 *   payroll_periods:<id>:<postings>, balanced, dated its pay date, crediting
 *   the bank with the period's net pay; every payroll entry that is not a
 *   reversal is its period's current entry or reversed.
 */
export function payrollProblems(db: Database.Database): string[] {
  const problems: string[] = []
  const dup = db.prepare('SELECT period_id, staff_id, count(*) AS n FROM payroll_payslips GROUP BY 1, 2 HAVING n > 1').all() as { period_id: number; staff_id: number; n: number }[]
  for (const d of dup) problems.push(`${d.n} payslips of staff #${d.staff_id} in period #${d.period_id}`)
  const slips = db.prepare('SELECT * FROM payroll_payslips ORDER BY id').all() as RawPayslip[]
  const sums = db.prepare('SELECT kind, coalesce(sum(amount_minor), 0) AS s, count(*) AS n FROM payroll_payslip_lines WHERE payslip_id = ? GROUP BY kind')
  for (const p of slips) {
    const by = Object.fromEntries((sums.all(p.id) as { kind: string; s: number; n: number }[]).map((r) => [r.kind, r]))
    const n = Object.values(by).reduce((s, r) => s + r.n, 0)
    if (p.status === 'failed') {
      if (!p.error) problems.push(`payslip #${p.id} failed without an error`)
      if (n > 0) problems.push(`failed payslip #${p.id} has ${n} line(s)`)
      continue
    }
    if (n === 0) problems.push(`payslip #${p.id} (staff #${p.staff_id}, period #${p.period_id}) has no lines`)
    const earn = by.earning?.s ?? 0
    const ded = by.deduction?.s ?? 0
    const er = by.employer?.s ?? 0
    if (earn !== p.gross_minor) problems.push(`payslip #${p.id}: gross ${p.gross_minor}, its earnings ${earn}`)
    if (ded !== p.deductions_minor) problems.push(`payslip #${p.id}: deductions ${p.deductions_minor}, its lines ${ded}`)
    if (er !== p.employer_minor) problems.push(`payslip #${p.id}: employer ${p.employer_minor}, its lines ${er}`)
    if (p.net_minor !== p.gross_minor - p.deductions_minor || p.net_minor < 0) problems.push(`payslip #${p.id}: net ${p.net_minor} ≠ ${p.gross_minor} − ${p.deductions_minor}`)
  }
  const periodsRaw = db.prepare('SELECT * FROM payroll_periods ORDER BY id').all() as {
    id: number
    status: string
    entry_id: number | null
    postings: number
    pay_date: string
  }[]
  const entry = db.prepare('SELECT * FROM journal_entries WHERE id = ?')
  const totals = db.prepare('SELECT coalesce(sum(debit_minor), 0) AS d, coalesce(sum(credit_minor), 0) AS c FROM journal_lines WHERE entry_id = ?')
  const reversed = db.prepare('SELECT count(*) FROM journal_entries WHERE reverses_id = ?').pluck()
  const current = new Set<number>()
  for (const p of periodsRaw) {
    if (p.status !== 'posted') continue
    const e = entry.get(p.entry_id) as { id: number; source: string; source_ref: string; value_date: string } | undefined
    if (!e) {
      problems.push(`period #${p.id} posted without an entry`)
      continue
    }
    current.add(e.id)
    if (e.source !== 'payroll' || e.source_ref !== `payroll_periods:${p.id}:${p.postings}`) problems.push(`period #${p.id}: entry #${e.id} is ${e.source} ${e.source_ref} (postings ${p.postings})`)
    if (e.value_date !== p.pay_date) problems.push(`period #${p.id}: paid ${p.pay_date}, its entry dated ${e.value_date}`)
    const t = totals.get(e.id) as { d: number; c: number }
    if (t.d !== t.c) problems.push(`period #${p.id}: entry #${e.id} debits ${t.d}, credits ${t.c}`)
    if (reversed.get(e.id) !== 0) problems.push(`period #${p.id}: its current entry #${e.id} is reversed`)
  }
  const payrollEntries = db.prepare("SELECT id, source_ref FROM journal_entries WHERE source = 'payroll' AND reverses_id IS NULL").all() as { id: number; source_ref: string }[]
  for (const e of payrollEntries) {
    if (!current.has(e.id) && reversed.get(e.id) !== 1) problems.push(`payroll entry #${e.id} (${e.source_ref}) is neither a period's entry nor reversed once`)
  }
  return problems
}

// ---------------------------------------------------------------------------
// The seed's pay by hand
// ---------------------------------------------------------------------------

/** a/b rounded half-up (a, b ≥ 0). */
function halfUp(a: bigint, b: bigint): bigint {
  return (2n * a + b) / (2n * b)
}

export interface ExpectedPay {
  BASIC: number
  HOUSE: number
  PENSION: number
  PAYE: number
  LOAN?: number
  PENSION_ER: number
  gross: number
  taxable: number
  deductions: number
  net: number
  employer: number
}

/**
 * The seed's pay for a basic of `basicMinor`, worked out the way the payroll
 * rules say and independently of core: BASIC (pro-rated, half-up), HOUSE 10%
 * of the full basic (pro-rated after, half-up, rounded once), PENSION 5% of
 * basic as paid (before tax, half-up), taxable = gross − pension, PAYE by
 * bands on taxable less the relief (never below 0, rounded down), the
 * employer's 5% of basic as paid (half-up), LOAN as given. Net may come out
 * negative: that is the case core refuses.
 */
export function expectedPay(basicMinor: number, o: { days?: { worked: number; of: number }; loanMinor?: number; bands?: Band[]; relief?: number } = {}): ExpectedPay {
  const basic = BigInt(basicMinor)
  const w = BigInt(o.days?.worked ?? 1)
  const d = BigInt(o.days?.of ?? 1)
  const basicPaid = halfUp(basic * w, d)
  const house = halfUp(basic * 10n * w, 100n * d)
  const gross = basicPaid + house
  const pension = halfUp(basicPaid * 5n, 100n)
  const taxable = gross > pension ? gross - pension : 0n
  let exact100 = 0n // the tax times 100
  let lower = 0n
  for (const band of o.bands ?? PAYE_BANDS) {
    if (taxable <= lower) break
    const top = band.upToMinor === null || taxable < BigInt(band.upToMinor) ? taxable : BigInt(band.upToMinor)
    exact100 += BigInt(band.ratePercent) * (top - lower)
    if (band.upToMinor === null) break
    lower = BigInt(band.upToMinor)
  }
  exact100 -= BigInt(o.relief ?? PAYE_RELIEF) * 100n
  const paye = exact100 <= 0n ? 0n : exact100 / 100n
  const loan = BigInt(o.loanMinor ?? 0)
  const deductions = pension + paye + loan
  const employer = halfUp(basicPaid * 5n, 100n)
  const out: ExpectedPay = {
    BASIC: Number(basicPaid),
    HOUSE: Number(house),
    PENSION: Number(pension),
    PAYE: Number(paye),
    PENSION_ER: Number(employer),
    gross: Number(gross),
    taxable: Number(taxable),
    deductions: Number(deductions),
    net: Number(gross - deductions),
    employer: Number(employer)
  }
  if (o.loanMinor !== undefined) out.LOAN = o.loanMinor
  return out
}

/** A raw payslip's figures in ExpectedPay's shape (its lines by code and its totals). */
export function figuresOf(db: Database.Database, p: RawPayslip): ExpectedPay {
  return {
    ...(linesRaw(db, p.id) as unknown as ExpectedPay),
    gross: p.gross_minor,
    taxable: p.taxable_minor,
    deductions: p.deductions_minor,
    net: p.net_minor,
    employer: p.employer_minor
  }
}
