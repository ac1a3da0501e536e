import type { ServiceContext } from '../platform/context'
import { nowIso } from '../platform/context'
import { currentActor } from '../platform/actor'
import { conflict, invalid, notFound } from '../platform/errors'
import type { Sqlite } from '../platform/db/open'
import type { LedgerService } from '../ledger'
import { addDays, calendarDateInZone, compareDates } from '../../shared/dates'
import { formatMoney } from '../../shared/money'
import { formatDate } from '../../shared/words'
import type { ParsedInput } from '../../shared/contract'
import type {
  AutomationRule,
  Calendar,
  Component,
  ComponentKind,
  ComponentMethod,
  PayFrequency,
  PayPeriod,
  PayPeriodDetail,
  PayPeriodEvent,
  PayPeriodStatus,
  Rate,
  Rounding,
  Staff,
  StaffDetail,
  StaffStatus,
  Structure
} from '../../shared/contract/payroll'
import { BASIC_CODE, RESERVED_BASES, computePay, type ComponentDef, type ComponentRule } from './calc'
import { calendarProblems, dueOn, periodDates, periodIndexOf, periodName, ruleProblems, ruleWords } from './rules'

/**
 * Payroll's set-up half (DESIGN.md, Payroll): staff and their dated pay
 * structures, pay components and their dated rates, payroll calendars, and
 * periods made by hand or as a calendar's next one. Drafting, review,
 * approval and posting are the lead's service (service.ts, run.ts), which
 * reuses the period mappers exported here.
 *
 * Locks: a structure or a rate used by a payslip of a posted period is kept
 * as it is (a later date is added instead); a component's code is fixed once
 * a payslip line carries it; a calendar's frequency and first start are fixed
 * once it has periods; a period is changed only while it is not approved or
 * posted.
 */

export interface SetupEnv {
  timeZone(): string
  locale(): string
  currency(): string
  ledger(): LedgerService
}

// ---------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------

interface StaffRow {
  id: number
  staff_no: string
  full_name: string
  national_id: string | null
  tax_pin: string | null
  bank_name: string | null
  bank_account: string | null
  email: string | null
  phone: string | null
  hire_date: string
  leaving_date: string | null
  status: StaffStatus
  member_id: number | null
  member_no: string | null
  structure_from: string | null
  basic_minor: number | null
  version: number
}

interface ComponentRow {
  id: number
  code: string
  name: string
  kind: ComponentKind
  taxable: number
  pre_tax: number
  prorate: number
  statutory: number
  account_id: number
  account_name: string
  payable_account_id: number | null
  payable_account_name: string | null
  sort_order: number
  active: number
  version: number
}

interface RateRow {
  id: number
  component_id: number
  effective_from: string
  method: ComponentMethod
  amount_minor: number | null
  rate_percent: string | null
  base: string | null
  cap_minor: number | null
  floor_minor: number | null
  bands: string | null
  relief_minor: number | null
  rounding: Rounding
  note: string | null
  locked: number
}

interface CalendarRow {
  id: number
  name: string
  frequency: PayFrequency
  first_start: string
  pay_day_offset: number
  rule: string
  automation: number
  active: number
  version: number
  periods: number
}

interface PeriodRow {
  id: number
  calendar_id: number | null
  calendar_name: string | null
  name: string
  frequency: PayFrequency
  start_date: string
  end_date: string
  pay_date: string
  rule: string
  automation: number
  status: PayPeriodStatus
  status_note: string | null
  drafted_by: string | null
  drafted_at: string | null
  approved_by: string | null
  approved_at: string | null
  posted_by: string | null
  posted_at: string | null
  entry_id: number | null
  postings: number
  version: number
  payslips: number
  failed_payslips: number | null
  gross_minor: number | null
  deductions_minor: number | null
  net_minor: number | null
  employer_minor: number | null
}

/** What the period mappers need besides the database: the words' locale and the cooperative's time zone. */
export interface PeriodWords {
  locale: string
  timeZone: string
}

const PERIOD_SELECT = `
  SELECT p.id, p.calendar_id, c.name AS calendar_name, p.name, p.frequency, p.start_date, p.end_date, p.pay_date, p.rule, p.automation,
    p.status, p.status_note, p.drafted_by, p.drafted_at, p.approved_by, p.approved_at, p.posted_by, p.posted_at, p.entry_id, p.postings, p.version,
    (SELECT count(*) FROM payroll_payslips s WHERE s.period_id = p.id) AS payslips,
    (SELECT count(*) FROM payroll_payslips s WHERE s.period_id = p.id AND s.status = 'failed') AS failed_payslips,
    (SELECT sum(s.gross_minor) FROM payroll_payslips s WHERE s.period_id = p.id AND s.status = 'ok') AS gross_minor,
    (SELECT sum(s.deductions_minor) FROM payroll_payslips s WHERE s.period_id = p.id AND s.status = 'ok') AS deductions_minor,
    (SELECT sum(s.net_minor) FROM payroll_payslips s WHERE s.period_id = p.id AND s.status = 'ok') AS net_minor,
    (SELECT sum(s.employer_minor) FROM payroll_payslips s WHERE s.period_id = p.id AND s.status = 'ok') AS employer_minor
  FROM payroll_periods p LEFT JOIN payroll_calendars c ON c.id = p.calendar_id`

/** A stored automation rule (JSON); one that is not a rule is an error, never read as something else. */
export function parseRule(text: string, what: string): AutomationRule {
  let rule: unknown
  try {
    rule = JSON.parse(text)
  } catch {
    throw conflict(`The stored automation rule of ${what} is damaged; save its rule again.`)
  }
  const r = rule as { kind?: unknown }
  if (r === null || typeof r !== 'object' || (r.kind !== 'on-date' && r.kind !== 'days-before-end' && r.kind !== 'cron')) {
    throw conflict(`The stored automation rule of ${what} is damaged; save its rule again.`)
  }
  return rule as AutomationRule
}

function toPeriod(r: PeriodRow, words: PeriodWords): PayPeriod {
  const rule = parseRule(r.rule, `period ${r.name}`)
  return {
    id: r.id,
    calendarId: r.calendar_id,
    calendarName: r.calendar_name,
    name: r.name,
    frequency: r.frequency,
    startDate: r.start_date,
    endDate: r.end_date,
    payDate: r.pay_date,
    rule,
    ruleWords: ruleWords(rule, words.locale),
    automation: r.automation === 1,
    dueOn: r.automation === 1 ? dueOn(rule, { startDate: r.start_date, endDate: r.end_date }, words.timeZone) : null,
    status: r.status,
    statusNote: r.status_note,
    payslips: r.payslips,
    failedPayslips: r.failed_payslips ?? 0,
    grossMinor: r.gross_minor ?? 0,
    deductionsMinor: r.deductions_minor ?? 0,
    netMinor: r.net_minor ?? 0,
    employerMinor: r.employer_minor ?? 0,
    postings: r.postings,
    draftedBy: r.drafted_by,
    draftedAt: r.drafted_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    postedBy: r.posted_by,
    postedAt: r.posted_at,
    entryId: r.entry_id,
    version: r.version
  }
}

/**
 * Periods as the contract gives them, newest first, with their payslip counts
 * and totals (ok payslips only). `where` is SQL over `p` (payroll_periods)
 * and `c` (payroll_calendars), e.g. "p.status = ?"; params bind its `?`.
 */
export function periodRows(sqlite: Sqlite, words: PeriodWords, where = '', ...params: unknown[]): PayPeriod[] {
  const rows = sqlite.prepare(`${PERIOD_SELECT} ${where ? `WHERE ${where}` : ''} ORDER BY p.start_date DESC, p.id DESC`).all(...params) as PeriodRow[]
  return rows.map((r) => toPeriod(r, words))
}

/** One period as the contract gives it; NOT_FOUND when there is none. */
export function periodDto(sqlite: Sqlite, words: PeriodWords, id: number): PayPeriod {
  const [p] = periodRows(sqlite, words, 'p.id = ?', id)
  if (!p) throw notFound(`Payroll period #${id}`)
  return p
}

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

const KIND_WORDS: Readonly<Record<ComponentKind, string>> = { earning: 'an earning', deduction: 'a deduction', employer: 'an employer contribution' }
const ROUNDING_WORDS: Readonly<Record<Rounding, string>> = { 'half-up': 'rounded half-up', 'half-even': 'rounded half-even', down: 'rounded down', up: 'rounded up' }
/** "an asset", "a liability". */
const accountTypeWords = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`)
const FREQUENCY_WORDS: Readonly<Record<PayFrequency, string>> = { monthly: 'monthly', biweekly: 'every two weeks', weekly: 'weekly' }

type StaffInput = ParsedInput<'payroll.createStaff'>
type StructureInput = ParsedInput<'payroll.saveStructure'>
type ComponentInput = ParsedInput<'payroll.createComponent'>
type ComponentUpdate = ParsedInput<'payroll.updateComponent'>
type RateInput = ParsedInput<'payroll.createComponent'>['rate']
type CalendarInput = ParsedInput<'payroll.createCalendar'>
type PeriodInput = ParsedInput<'payroll.createPeriod'>
type Band = { upToMinor: number | null; ratePercent: string }

/** A figure worked out from a rate on a small sample, only to have calc.ts check the rule. */
const SAMPLE_MINOR = 10_000_000

/** Payroll's set-up: staff, structures, components and rates, calendars, periods. */
export class PayrollSetup {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly env: SetupEnv
  ) {}

  today(): string {
    return calendarDateInZone(this.ctx.clock.now(), this.env.timeZone())
  }

  private words(): PeriodWords {
    return { locale: this.env.locale(), timeZone: this.env.timeZone() }
  }

  private money(minor: number): string {
    return formatMoney(minor, this.env.currency(), this.env.locale())
  }

  private date(d: string): string {
    return formatDate(d, this.env.locale())
  }

  /** A person does this (jobs run as the system). */
  private operator(): { id: number | null; name: string } {
    const a = currentActor()
    return { id: a.operatorId, name: a.name }
  }

  private tx<T>(fn: () => T): T {
    return this.ctx.sqlite.inTransaction ? fn() : this.ctx.sqlite.transaction(fn).immediate()
  }

  private expectVersion(kind: string, row: { version: number }, expected: number): void {
    if (row.version !== expected) throw conflict(`This ${kind} was changed meanwhile (by someone else or by a run); look at it again and redo your change.`)
  }

  /** Field problems as one VALIDATION error: the first problem in the message, each next to its field. */
  private refuse(lead: string, problems: Record<string, string>): void {
    const keys = Object.keys(problems)
    if (keys.length === 0) return
    const first = (problems[keys[0] as string] as string).replace(/\.$/, '')
    throw invalid(`${lead}: ${first}${keys.length > 1 ? ` (and ${keys.length - 1} more)` : ''}.`, problems)
  }

  // ---------------------------------------------------------------------------
  // Staff
  // ---------------------------------------------------------------------------

  private staffRows(where: string, ...params: unknown[]): StaffRow[] {
    return this.ctx.sqlite
      .prepare(
        `SELECT x.*, (SELECT i.amount_minor FROM payroll_structures ps JOIN payroll_structure_items i ON i.structure_id = ps.id
             JOIN payroll_components k ON k.id = i.component_id
           WHERE ps.staff_id = x.id AND ps.effective_from = x.structure_from AND k.code = '${BASIC_CODE}') AS basic_minor
         FROM (SELECT s.id, s.staff_no, s.full_name, s.national_id, s.tax_pin, s.bank_name, s.bank_account, s.email, s.phone, s.hire_date, s.leaving_date, s.status,
             s.member_id, m.member_no, s.version,
             (SELECT max(ps.effective_from) FROM payroll_structures ps WHERE ps.staff_id = s.id AND ps.effective_from <= @today) AS structure_from
           FROM payroll_staff s LEFT JOIN members m ON m.id = s.member_id ${where ? `WHERE ${where}` : ''}) x
         ORDER BY x.full_name COLLATE NOCASE, x.staff_no COLLATE NOCASE, x.id`
      )
      .all({ today: this.today(), ...Object.fromEntries(params.map((p, i) => [`p${i}`, p])) }) as StaffRow[]
  }

  private toStaff(r: StaffRow): Staff {
    return {
      id: r.id,
      staffNo: r.staff_no,
      fullName: r.full_name,
      nationalId: r.national_id,
      taxPin: r.tax_pin,
      bankName: r.bank_name,
      bankAccount: r.bank_account,
      email: r.email,
      phone: r.phone,
      hireDate: r.hire_date,
      leavingDate: r.leaving_date,
      status: r.status,
      memberId: r.member_id,
      memberNo: r.member_no,
      structureFrom: r.structure_from,
      basicMinor: r.basic_minor,
      version: r.version
    }
  }

  private staffRow(id: number): StaffRow {
    const [r] = this.staffRows('s.id = @p0', id)
    if (!r) throw notFound(`Staff member #${id}`)
    return r
  }

  /** Staff by status, and by a search of name, staff number or national ID (case-insensitive, any part). */
  staffList(q: ParsedInput<'payroll.staffList'>): { staff: Staff[] } {
    const where: string[] = []
    const params: unknown[] = []
    if (q.status) {
      where.push(`s.status = @p${params.length}`)
      params.push(q.status)
    }
    const search = q.search?.trim() ?? ''
    if (search) {
      const p = `@p${params.length}`
      where.push(`(instr(lower(s.full_name), lower(${p})) > 0 OR instr(lower(s.staff_no), lower(${p})) > 0 OR instr(lower(coalesce(s.national_id, '')), lower(${p})) > 0)`)
      params.push(search)
    }
    return { staff: this.staffRows(where.join(' AND '), ...params).map((r) => this.toStaff(r)) }
  }

  private structures(staffId: number): Structure[] {
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT s.id, s.staff_id, s.effective_from, s.note, s.created_by, s.created_at,
           EXISTS (SELECT 1 FROM payroll_payslips p JOIN payroll_periods pp ON pp.id = p.period_id WHERE p.structure_id = s.id AND pp.status = 'posted') AS locked
         FROM payroll_structures s WHERE s.staff_id = ? ORDER BY s.effective_from DESC, s.id DESC`
      )
      .all(staffId) as { id: number; staff_id: number; effective_from: string; note: string | null; created_by: string; created_at: string; locked: number }[]
    const items = this.ctx.sqlite.prepare(
      `SELECT i.component_id, c.code, c.name, c.kind, i.amount_minor, i.rate_percent,
         (SELECT r.method FROM payroll_component_rates r WHERE r.component_id = c.id
          ORDER BY (r.effective_from <= ?) DESC, CASE WHEN r.effective_from <= ? THEN r.effective_from END DESC, r.effective_from ASC LIMIT 1) AS method
       FROM payroll_structure_items i JOIN payroll_components c ON c.id = i.component_id
       WHERE i.structure_id = ?
       ORDER BY CASE c.kind WHEN 'earning' THEN 0 WHEN 'deduction' THEN 1 ELSE 2 END, c.sort_order, c.code`
    )
    return rows.map((s) => ({
      id: s.id,
      staffId: s.staff_id,
      effectiveFrom: s.effective_from,
      note: s.note,
      items: (
        items.all(s.effective_from, s.effective_from, s.id) as {
          component_id: number
          code: string
          name: string
          kind: ComponentKind
          amount_minor: number | null
          rate_percent: string | null
          method: ComponentMethod
        }[]
      ).map((i) => ({ componentId: i.component_id, code: i.code, name: i.name, kind: i.kind, method: i.method, amountMinor: i.amount_minor, ratePercent: i.rate_percent })),
      locked: s.locked === 1,
      createdBy: s.created_by,
      createdAt: s.created_at
    }))
  }

  /**
   * A person with their structures (newest first) and last twelve payslips
   * (newest first); a payslip's status is 'failed' when it could not be
   * worked out, else its period's status (draft, approved, posted).
   */
  staff(id: number): StaffDetail {
    const staff = this.toStaff(this.staffRow(id))
    const payslips = this.ctx.sqlite
      .prepare(
        `SELECT p.period_id, pp.name, pp.end_date, CASE WHEN p.status = 'failed' THEN 'failed' ELSE pp.status END AS status, p.gross_minor, p.net_minor
         FROM payroll_payslips p JOIN payroll_periods pp ON pp.id = p.period_id WHERE p.staff_id = ? ORDER BY pp.end_date DESC, pp.id DESC LIMIT 12`
      )
      .all(id) as { period_id: number; name: string; end_date: string; status: string; gross_minor: number; net_minor: number }[]
    return {
      staff,
      structures: this.structures(id),
      payslips: payslips.map((p) => ({ periodId: p.period_id, periodName: p.name, endDate: p.end_date, status: p.status, grossMinor: p.gross_minor, netMinor: p.net_minor }))
    }
  }

  private checkStaff(v: StaffInput, exceptId: number | null): void {
    const problems: Record<string, string> = {}
    if (v.leavingDate !== null && compareDates(v.leavingDate, v.hireDate) < 0) problems.leavingDate = 'The leaving date is before the hire date'
    if (v.status === 'left' && v.leavingDate === null) problems.leavingDate = 'Give the leaving date of someone who has left'
    if (v.memberId !== null && !this.ctx.sqlite.prepare('SELECT 1 FROM members WHERE id = ?').get(v.memberId)) problems.memberId = 'No such member'
    this.refuse('The staff member is not right', problems)
    const taken = this.ctx.sqlite
      .prepare('SELECT full_name FROM payroll_staff WHERE staff_no = ? COLLATE NOCASE AND id IS NOT ?')
      .get(v.staffNo, exceptId) as { full_name: string } | undefined
    if (taken) throw conflict(`Staff number ${v.staffNo} is already ${taken.full_name}’s; give this person another one.`, { staffNo: `Already used by ${taken.full_name}` })
  }

  createStaff(v: StaffInput): Staff {
    this.checkStaff(v, null)
    const at = nowIso(this.ctx)
    const id = this.tx(() =>
      Number(
        this.ctx.sqlite
          .prepare(
            `INSERT INTO payroll_staff (staff_no, full_name, national_id, tax_pin, bank_name, bank_account, email, phone, hire_date, leaving_date, status, member_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
          )
          .run(v.staffNo, v.fullName, v.nationalId, v.taxPin, v.bankName, v.bankAccount, v.email, v.phone, v.hireDate, v.leavingDate, v.status, v.memberId, at, at).lastInsertRowid
      )
    )
    return this.toStaff(this.staffRow(id))
  }

  updateStaff(v: ParsedInput<'payroll.updateStaff'>): Staff {
    this.checkStaff(v, v.id)
    this.tx(() => {
      this.expectVersion('staff member', this.staffRow(v.id), v.expectedVersion)
      this.ctx.sqlite
        .prepare(
          `UPDATE payroll_staff SET staff_no = ?, full_name = ?, national_id = ?, tax_pin = ?, bank_name = ?, bank_account = ?, email = ?, phone = ?, hire_date = ?, leaving_date = ?,
             status = ?, member_id = ?, updated_at = ?, version = version + 1 WHERE id = ?`
        )
        .run(v.staffNo, v.fullName, v.nationalId, v.taxPin, v.bankName, v.bankAccount, v.email, v.phone, v.hireDate, v.leavingDate, v.status, v.memberId, nowIso(this.ctx), v.id)
    })
    return this.toStaff(this.staffRow(v.id))
  }

  private structureLocked(id: number): boolean {
    return (
      this.ctx.sqlite
        .prepare("SELECT 1 FROM payroll_payslips p JOIN payroll_periods pp ON pp.id = p.period_id WHERE p.structure_id = ? AND pp.status = 'posted' LIMIT 1")
        .get(id) !== undefined
    )
  }

  /**
   * A structure for a date: the same date's one is replaced (unless a posted
   * payslip used it), a new date adds one. Each component once, active; a
   * fixed one with its amount, a percentage one with an optional rate of its
   * own, a band table with neither. The structure is then worked out once
   * for a whole period with the rates in force on its date, so a rule that
   * cannot work (a percentage of an earning it lacks) is refused now rather
   * than at the next run.
   */
  saveStructure(v: StructureInput): StaffDetail {
    const staff = this.staffRow(v.staffId)
    const problems: Record<string, string> = {}
    const seen = new Map<number, number>()
    const components: { row: ComponentRow; rate: RateRow | null; amountMinor: number | null; ratePercent: string | null }[] = []
    v.items.forEach((item, i) => {
      const key = (f: string) => `items.${i}.${f}`
      const row = this.componentRowOrNull(item.componentId)
      if (!row) {
        problems[key('componentId')] = 'No such component'
        return
      }
      const before = seen.get(item.componentId)
      if (before !== undefined) {
        problems[key('componentId')] = `${row.code} is already line ${before + 1}: a component appears once`
        return
      }
      seen.set(item.componentId, i)
      if (row.active !== 1) problems[key('componentId')] = `${row.code} is inactive: make it active again or choose another component`
      const rate = this.rateInForce(row.id, v.effectiveFrom)
      if (!rate) {
        problems[key('componentId')] = `${row.code} has no rate`
        return
      }
      if (rate.method === 'fixed') {
        if (item.amountMinor === null) problems[key('amountMinor')] = `${row.code} is a fixed amount: give the amount per period`
        if (item.ratePercent !== null) problems[key('ratePercent')] = `${row.code} is a fixed amount: it takes no rate`
      } else if (rate.method === 'percentage') {
        if (item.amountMinor !== null) problems[key('amountMinor')] = `${row.code} is a percentage: it takes no amount (a rate of its own, if any)`
      } else {
        if (item.amountMinor !== null) problems[key('amountMinor')] = `${row.code} is worked out by bands: it takes no amount`
        if (item.ratePercent !== null) problems[key('ratePercent')] = `${row.code} is worked out by bands: it takes no rate of its own`
      }
      components.push({ row, rate, amountMinor: item.amountMinor, ratePercent: item.ratePercent })
    })
    this.refuse('The pay structure is not right', problems)
    // Worked out once, for a whole period, with the rates in force on its date.
    try {
      computePay({
        currency: this.env.currency(),
        proration: null,
        components: components.map((c) => this.def(c.row, c.rate as RateRow, { amountMinor: c.amountMinor, ratePercent: c.ratePercent }))
      })
    } catch (e) {
      if (!(e instanceof RangeError || e instanceof TypeError)) throw e
      throw invalid(`This pay structure cannot be worked out: ${e.message.replace(/\.$/, '')}.`, { items: e.message })
    }
    const who = this.operator()
    const at = nowIso(this.ctx)
    this.tx(() => {
      const same = this.ctx.sqlite.prepare('SELECT id FROM payroll_structures WHERE staff_id = ? AND effective_from = ?').get(staff.id, v.effectiveFrom) as
        | { id: number }
        | undefined
      let id: number
      if (same) {
        if (this.structureLocked(same.id)) {
          throw conflict(
            `The structure from ${this.date(v.effectiveFrom)} was used by a posted payroll, so it is kept as it is; add a structure with a later date instead.`,
            { effectiveFrom: 'Used by a posted payroll: choose a later date' }
          )
        }
        id = same.id
        this.ctx.sqlite.prepare('UPDATE payroll_structures SET note = ?, created_by = ?, created_at = ? WHERE id = ?').run(v.note, who.name, at, id)
        this.ctx.sqlite.prepare('DELETE FROM payroll_structure_items WHERE structure_id = ?').run(id)
      } else {
        id = Number(
          this.ctx.sqlite
            .prepare('INSERT INTO payroll_structures (staff_id, effective_from, note, created_by, created_at) VALUES (?, ?, ?, ?, ?)')
            .run(staff.id, v.effectiveFrom, v.note, who.name, at).lastInsertRowid
        )
      }
      const put = this.ctx.sqlite.prepare('INSERT INTO payroll_structure_items (structure_id, component_id, amount_minor, rate_percent) VALUES (?, ?, ?, ?)')
      for (const item of v.items) put.run(id, item.componentId, item.amountMinor, item.ratePercent)
    })
    return this.staff(staff.id)
  }

  deleteStructure(id: number): StaffDetail {
    const s = this.ctx.sqlite.prepare('SELECT id, staff_id, effective_from FROM payroll_structures WHERE id = ?').get(id) as
      | { id: number; staff_id: number; effective_from: string }
      | undefined
    if (!s) throw notFound(`Pay structure #${id}`)
    this.tx(() => {
      if (this.structureLocked(id)) {
        throw conflict(`The structure from ${this.date(s.effective_from)} was used by a posted payroll, so it is kept as it is.`)
      }
      const used = this.ctx.sqlite
        .prepare('SELECT pp.name FROM payroll_payslips p JOIN payroll_periods pp ON pp.id = p.period_id WHERE p.structure_id = ? ORDER BY pp.start_date LIMIT 1')
        .get(id) as { name: string } | undefined
      if (used) {
        throw conflict(
          `The structure from ${this.date(s.effective_from)} is used by the payslips of ${used.name}, not posted yet; run that payroll again (force) after changing the structure, or change it instead of deleting it.`
        )
      }
      this.ctx.sqlite.prepare('DELETE FROM payroll_structures WHERE id = ?').run(id)
    })
    return this.staff(s.staff_id)
  }

  // ---------------------------------------------------------------------------
  // Components and rates
  // ---------------------------------------------------------------------------

  private componentRows(where = '', ...params: unknown[]): ComponentRow[] {
    return this.ctx.sqlite
      .prepare(
        `SELECT c.id, c.code, c.name, c.kind, c.taxable, c.pre_tax, c.prorate, c.statutory, c.account_id, a.name AS account_name,
           c.payable_account_id, pa.name AS payable_account_name, c.sort_order, c.active, c.version
         FROM payroll_components c JOIN ledger_accounts a ON a.id = c.account_id LEFT JOIN ledger_accounts pa ON pa.id = c.payable_account_id
         ${where ? `WHERE ${where}` : ''}
         ORDER BY CASE c.kind WHEN 'earning' THEN 0 WHEN 'deduction' THEN 1 ELSE 2 END, c.sort_order, c.code`
      )
      .all(...params) as ComponentRow[]
  }

  private componentRowOrNull(id: number): ComponentRow | null {
    return this.componentRows('c.id = ?', id)[0] ?? null
  }

  private componentRow(id: number): ComponentRow {
    const r = this.componentRowOrNull(id)
    if (!r) throw notFound(`Pay component #${id}`)
    return r
  }

  private rateRows(componentId: number): RateRow[] {
    return this.ctx.sqlite
      .prepare(
        `SELECT r.*, EXISTS (SELECT 1 FROM payroll_payslip_lines l JOIN payroll_payslips p ON p.id = l.payslip_id JOIN payroll_periods pp ON pp.id = p.period_id
             WHERE l.rate_id = r.id AND pp.status = 'posted') AS locked
         FROM payroll_component_rates r WHERE r.component_id = ? ORDER BY r.effective_from DESC, r.id DESC`
      )
      .all(componentId) as RateRow[]
  }

  /** The rate in force on `date`, or the earliest when all begin later; null when it has none. */
  private rateInForce(componentId: number, date: string): RateRow | null {
    const rates = this.rateRows(componentId)
    return rates.find((r) => compareDates(r.effective_from, date) <= 0) ?? rates.at(-1) ?? null
  }

  private bandsOf(r: RateRow): Band[] {
    if (r.bands === null) return []
    try {
      const bands = JSON.parse(r.bands) as unknown
      if (Array.isArray(bands)) return bands as Band[]
    } catch {
      // reported below
    }
    throw conflict(`The stored bands of a pay component’s rate from ${this.date(r.effective_from)} are damaged; save that rate again.`)
  }

  private baseWords(base: string | null): string {
    if (base === null) return ''
    if (base === 'gross') return 'gross pay'
    if (base === 'basic') return 'basic pay'
    if (base === 'taxable') return 'taxable pay'
    const c = this.ctx.sqlite.prepare('SELECT name FROM payroll_components WHERE code = ?').get(base) as { name: string } | undefined
    return c ? `${c.name} (${base})` : base
  }

  /** A rate in words: "Bands on taxable pay: 10% up to KES 24,000.00; 25% above; relief KES 2,400.00; rounded down". */
  private describe(r: RateRow): string {
    const round = ROUNDING_WORDS[r.rounding]
    if (r.method === 'fixed') {
      return `Fixed amount${r.amount_minor === null ? '' : ` (usually ${this.money(r.amount_minor)})`}, set per person; ${round} when pro-rated`
    }
    if (r.method === 'percentage') {
      const limits = [r.floor_minor !== null ? `at least ${this.money(r.floor_minor)}` : null, r.cap_minor !== null ? `at most ${this.money(r.cap_minor)}` : null].filter(
        (x): x is string => x !== null
      )
      return `${r.rate_percent ?? ''}% of ${this.baseWords(r.base)}${limits.length ? `, ${limits.join(', ')}` : ''}; ${round}`
    }
    const bands = this.bandsOf(r)
    const parts = bands.map((b, i) =>
      b.upToMinor === null ? `${b.ratePercent}% ${i === 0 ? 'on all of it' : 'above'}` : `${b.ratePercent}% up to ${this.money(b.upToMinor)}`
    )
    const last = bands.at(-1)
    if (last && last.upToMinor !== null) parts.push(`nothing above ${this.money(last.upToMinor)}`)
    if (r.relief_minor !== null && r.relief_minor > 0) parts.push(`relief ${this.money(r.relief_minor)}`)
    parts.push(round)
    return `Bands on ${this.baseWords(r.base)}: ${parts.join('; ')}`
  }

  private toRate(r: RateRow): Rate {
    return {
      id: r.id,
      effectiveFrom: r.effective_from,
      method: r.method,
      amountMinor: r.amount_minor,
      ratePercent: r.rate_percent,
      base: r.base,
      capMinor: r.cap_minor,
      floorMinor: r.floor_minor,
      bands: this.bandsOf(r),
      reliefMinor: r.relief_minor,
      rounding: r.rounding,
      note: r.note,
      locked: r.locked === 1,
      describe: this.describe(r)
    }
  }

  private toComponent(c: ComponentRow, today: string): Component {
    const rows = this.rateRows(c.id)
    const current = rows.find((r) => compareDates(r.effective_from, today) <= 0) ?? rows.at(-1)
    if (!current) throw conflict(`Pay component ${c.code} has no rate; add one.`)
    const staffCount = this.ctx.sqlite
      .prepare(
        `SELECT count(DISTINCT ps.staff_id) FROM payroll_structures ps JOIN payroll_structure_items i ON i.structure_id = ps.id
         WHERE i.component_id = ? AND ps.effective_from = (SELECT max(q.effective_from) FROM payroll_structures q WHERE q.staff_id = ps.staff_id AND q.effective_from <= ?)`
      )
      .pluck()
      .get(c.id, today) as number
    const rates = rows.map((r) => this.toRate(r))
    return {
      id: c.id,
      code: c.code,
      name: c.name,
      kind: c.kind,
      taxable: c.taxable === 1,
      preTax: c.pre_tax === 1,
      prorate: c.prorate === 1,
      statutory: c.statutory === 1,
      accountId: c.account_id,
      accountName: c.account_name,
      payableAccountId: c.payable_account_id,
      payableAccountName: c.payable_account_name,
      sortOrder: c.sort_order,
      active: c.active === 1,
      current: rates[rows.indexOf(current)] as Rate,
      rates,
      staffCount,
      version: c.version
    }
  }

  components(includeInactive = true): { components: Component[] } {
    const today = this.today()
    return { components: this.componentRows(includeInactive ? '' : 'c.active = 1').map((c) => this.toComponent(c, today)) }
  }

  component(id: number): Component {
    return this.toComponent(this.componentRow(id), this.today())
  }

  /**
   * The accounts a component posts to: an active account that is not a
   * control account (members' accounts are posted through their products);
   * an expense for earnings and employer contributions, a liability (what is
   * owed on) or an asset (a loan the society is repaid) for deductions; an
   * employer contribution also owes to a liability account.
   */
  private accountProblems(kind: ComponentKind, accountId: number, payableAccountId: number | null): Record<string, string> {
    const problems: Record<string, string> = {}
    const get = (id: number) =>
      this.ctx.sqlite.prepare('SELECT name, type, active, control_of FROM ledger_accounts WHERE id = ?').get(id) as
        | { name: string; type: string; active: number; control_of: string | null }
        | undefined
    const a = get(accountId)
    if (!a) problems.accountId = 'No such account'
    else if (a.active !== 1) problems.accountId = `${a.name} is inactive`
    else if (a.control_of !== null) problems.accountId = `${a.name} is a control account (members’ accounts are posted through their products): choose another`
    else if (kind !== 'deduction' && a.type !== 'expense') {
      problems.accountId = `${kind === 'earning' ? 'An earning' : 'An employer contribution'} is an expense: choose an expense account (${a.name} is ${accountTypeWords(a.type)} account)`
    } else if (kind === 'deduction' && a.type !== 'liability' && a.type !== 'asset') {
      problems.accountId = `A deduction is owed to someone (a liability) or repays the society (an asset): ${a.name} is ${accountTypeWords(a.type)} account`
    }
    if (kind === 'employer') {
      if (payableAccountId === null) problems.payableAccountId = 'An employer contribution needs the account it is owed to (a liability)'
      else {
        const p = get(payableAccountId)
        if (!p) problems.payableAccountId = 'No such account'
        else if (p.active !== 1) problems.payableAccountId = `${p.name} is inactive`
        else if (p.control_of !== null) problems.payableAccountId = `${p.name} is a control account: choose another`
        else if (p.type !== 'liability') problems.payableAccountId = `What an employer contribution is owed on is a liability: ${p.name} is not one`
      }
    } else if (payableAccountId !== null) {
      problems.payableAccountId = 'Only an employer contribution has a payable account: leave it empty'
    }
    return problems
  }

  /** taxable and prorate are an earning's, preTax a deduction's. */
  private flagProblems(v: { kind: ComponentKind; taxable: boolean; preTax: boolean; prorate: boolean }): Record<string, string> {
    const problems: Record<string, string> = {}
    const isA = KIND_WORDS[v.kind]
    if (v.kind !== 'earning' && v.taxable) problems.taxable = `Only an earning counts toward taxable pay; this is ${isA}`
    if (v.kind !== 'earning' && v.prorate) problems.prorate = `Only an earning is pro-rated; this is ${isA}`
    if (v.kind !== 'deduction' && v.preTax) problems.preTax = `Only a deduction is taken before tax; this is ${isA}`
    return problems
  }

  /** A component as calc.ts takes it, with a rate (and a structure line's own amount or rate). */
  private def(c: Pick<ComponentRow, 'code' | 'name' | 'kind' | 'taxable' | 'pre_tax' | 'prorate'>, r: RateRow, own: { amountMinor: number | null; ratePercent: string | null } | null): ComponentDef {
    let rule: ComponentRule
    if (r.method === 'fixed') rule = { method: 'fixed', amountMinor: own?.amountMinor ?? r.amount_minor ?? 0 }
    else if (r.method === 'percentage') {
      rule = { method: 'percentage', ratePercent: own?.ratePercent ?? r.rate_percent ?? '', base: r.base ?? '', capMinor: r.cap_minor, floorMinor: r.floor_minor }
    } else {
      rule = { method: 'bands', bands: this.bandsOf(r), base: r.base ?? '', ...(r.relief_minor !== null ? { reliefMinor: r.relief_minor } : {}) }
    }
    return { code: c.code, name: c.name, kind: c.kind, taxable: c.taxable === 1, preTax: c.pre_tax === 1, prorate: c.prorate === 1, rule, rounding: r.rounding }
  }

  /**
   * A rate's problems (field keys under `prefix`): what its method needs and
   * takes, bands going strictly upward with only the last open-ended, a
   * base that exists and is not the component itself; then calc.ts works it
   * out once on a sample, so anything it would refuse at a run is refused now.
   */
  private rateProblems(r: RateInput, c: { code: string; name: string; kind: ComponentKind; taxable: boolean; preTax: boolean; prorate: boolean }, prefix: string): Record<string, string> {
    const problems: Record<string, string> = {}
    const f = (k: string) => `${prefix}${k}`
    const not = (k: keyof RateInput, set: boolean, words: string) => {
      if (set) problems[f(k)] = words
    }
    if (r.method === 'fixed') {
      if (r.amountMinor === null) problems[f('amountMinor')] = 'Give the usual amount (each person’s structure sets their own)'
      not('ratePercent', r.ratePercent !== null, 'A fixed amount takes no rate')
      not('base', r.base !== null, 'A fixed amount is of no base')
      not('capMinor', r.capMinor !== null, 'A fixed amount has no cap')
      not('floorMinor', r.floorMinor !== null, 'A fixed amount has no floor')
      not('bands', r.bands.length > 0, 'A fixed amount has no bands')
      not('reliefMinor', r.reliefMinor !== null, 'Only a band table has a relief')
    } else if (r.method === 'percentage') {
      if (r.ratePercent === null) problems[f('ratePercent')] = 'Give the rate'
      if (r.base === null) problems[f('base')] = 'Give what it is a percentage of: gross, basic, taxable or an earning’s code'
      not('amountMinor', r.amountMinor !== null, 'A percentage takes no amount')
      not('bands', r.bands.length > 0, 'A percentage has no bands')
      not('reliefMinor', r.reliefMinor !== null, 'Only a band table has a relief')
      if (r.capMinor !== null && r.floorMinor !== null && r.floorMinor > r.capMinor) problems[f('floorMinor')] = 'The floor is above the cap'
    } else {
      if (c.kind === 'earning') problems[f('method')] = 'An earning is a fixed amount or a percentage, not a band table'
      if (r.base === null) problems[f('base')] = 'Give what the bands are on: gross, basic, taxable or an earning’s code'
      if (r.bands.length === 0) problems[f('bands')] = 'Add at least one band'
      not('amountMinor', r.amountMinor !== null, 'A band table takes no amount')
      not('ratePercent', r.ratePercent !== null, 'A band table takes its rates from its bands')
      not('capMinor', r.capMinor !== null, 'A band table has no cap (end the last band instead)')
      not('floorMinor', r.floorMinor !== null, 'A band table has no floor')
      let previous = 0
      r.bands.forEach((b, i) => {
        if (b.upToMinor === null) {
          if (i !== r.bands.length - 1) problems[f(`bands.${i}.upToMinor`)] = 'Only the last band may have no upper bound'
          return
        }
        if (b.upToMinor <= previous) {
          problems[f(`bands.${i}.upToMinor`)] =
            i === 0 ? 'The first band’s upper bound must be above zero' : `Must be above band ${i}’s upper bound (${this.money(previous)}): bands go strictly upward`
        }
        previous = Math.max(previous, b.upToMinor)
      })
    }
    let baseEarning: { code: string; name: string } | null = null
    if (r.method !== 'fixed' && r.base !== null && problems[f('base')] === undefined) {
      if (r.base === 'gross' || r.base === 'taxable') {
        if (c.kind === 'earning') problems[f('base')] = `An earning cannot be a percentage of ${r.base} pay, which it is part of`
        else if (r.base === 'taxable' && c.preTax) problems[f('base')] = 'A deduction taken before tax cannot be on taxable pay, which it reduces'
      } else {
        const code = r.base === 'basic' ? BASIC_CODE : r.base
        if (code === c.code) problems[f('base')] = 'A component cannot be a percentage of itself'
        else if (r.base !== 'basic' && RESERVED_BASES.includes(r.base.toLowerCase())) problems[f('base')] = 'Write the base in small letters: gross, basic or taxable'
        else {
          const target = this.ctx.sqlite.prepare('SELECT code, name, kind FROM payroll_components WHERE code = ?').get(code) as
            | { code: string; name: string; kind: ComponentKind }
            | undefined
          if (!target && r.base !== 'basic') problems[f('base')] = `No component has the code ${r.base}: use gross, basic, taxable or an earning’s code`
          else if (target && target.kind !== 'earning') problems[f('base')] = `${code} is ${KIND_WORDS[target.kind]}, not an earning`
          else baseEarning = target ?? { code: BASIC_CODE, name: 'Basic pay' }
        }
      }
    }
    if (Object.keys(problems).length > 0) return problems
    // calc.ts works it out once on a sample: the component itself and the earning it is on.
    const row: RateRow = {
      id: 0,
      component_id: 0,
      effective_from: r.effectiveFrom,
      method: r.method,
      amount_minor: r.amountMinor,
      rate_percent: r.ratePercent,
      base: r.base,
      cap_minor: r.capMinor,
      floor_minor: r.floorMinor,
      bands: JSON.stringify(r.bands),
      relief_minor: r.reliefMinor,
      rounding: r.rounding,
      note: r.note,
      locked: 0
    }
    // Flags that do not fit the kind are the flags' own field errors (flagProblems), not the rate's.
    const earning = c.kind === 'earning'
    const flags = { taxable: earning && c.taxable ? 1 : 0, pre_tax: c.kind === 'deduction' && c.preTax ? 1 : 0, prorate: earning && c.prorate ? 1 : 0 }
    const components: ComponentDef[] = [this.def({ code: c.code, name: c.name, kind: c.kind, ...flags }, row, null)]
    const sample = (code: string, name: string): ComponentDef => ({
      code,
      name,
      kind: 'earning',
      taxable: true,
      preTax: false,
      prorate: false,
      rule: { method: 'fixed', amountMinor: SAMPLE_MINOR },
      rounding: 'half-up'
    })
    if (baseEarning !== null) components.push(sample(baseEarning.code, baseEarning.name))
    try {
      computePay({ currency: this.env.currency(), proration: null, components })
    } catch (e) {
      if (!(e instanceof RangeError || e instanceof TypeError)) throw e
      // Deductions above a sample's pay are the person's structure's business, not the rate's.
      if (e.name !== 'NegativeNetPayError') return { [f('method')]: e.message.replace(/^Component /, '') }
    }
    return problems
  }

  private codeProblems(code: string, exceptId: number | null): void {
    const taken = this.ctx.sqlite.prepare('SELECT name FROM payroll_components WHERE code = ? AND id IS NOT ?').get(code, exceptId) as { name: string } | undefined
    if (taken) throw conflict(`The code ${code} is already ${taken.name}’s; give this component another one.`, { code: `Already used by ${taken.name}` })
  }

  createComponent(v: ComponentInput): Component {
    this.refuse('The pay component is not right', {
      ...this.flagProblems(v),
      ...this.accountProblems(v.kind, v.accountId, v.payableAccountId),
      ...this.rateProblems(v.rate, v, 'rate.')
    })
    this.codeProblems(v.code, null)
    const who = this.operator()
    const at = nowIso(this.ctx)
    const id = this.tx(() => {
      const id = Number(
        this.ctx.sqlite
          .prepare(
            `INSERT INTO payroll_components (code, name, kind, taxable, pre_tax, prorate, statutory, account_id, payable_account_id, sort_order, active, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`
          )
          .run(v.code, v.name, v.kind, v.taxable ? 1 : 0, v.preTax ? 1 : 0, v.prorate ? 1 : 0, v.statutory ? 1 : 0, v.accountId, v.payableAccountId, v.sortOrder, at, at)
          .lastInsertRowid
      )
      this.insertRate(id, v.rate, who.name, at)
      return id
    })
    return this.component(id)
  }

  private insertRate(componentId: number, r: RateInput, by: string, at: string): void {
    this.ctx.sqlite
      .prepare(
        `INSERT INTO payroll_component_rates (component_id, effective_from, method, amount_minor, rate_percent, base, cap_minor, floor_minor, bands, relief_minor, rounding, note, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        componentId,
        r.effectiveFrom,
        r.method,
        r.amountMinor,
        r.ratePercent,
        r.base,
        r.capMinor,
        r.floorMinor,
        r.method === 'bands' ? JSON.stringify(r.bands) : null,
        r.reliefMinor,
        r.rounding,
        r.note,
        by,
        at
      )
  }

  private usedByPayslip(componentId: number): boolean {
    return this.ctx.sqlite.prepare('SELECT 1 FROM payroll_payslip_lines WHERE component_id = ? LIMIT 1').get(componentId) !== undefined
  }

  /** Name, flags, accounts and order; the code once a payslip carried it, and the kind once a payslip or structure used it, are fixed. */
  updateComponent(v: ComponentUpdate): Component {
    this.refuse('The pay component is not right', { ...this.flagProblems(v), ...this.accountProblems(v.kind, v.accountId, v.payableAccountId) })
    this.codeProblems(v.code, v.id)
    this.tx(() => {
      const c = this.componentRow(v.id)
      this.expectVersion('pay component', c, v.expectedVersion)
      const payslips = this.usedByPayslip(c.id)
      if (v.code !== c.code) {
        if (payslips) throw conflict(`${c.code} is on payslips already, so its code stays ${c.code}.`, { code: 'Fixed once a payslip used it' })
        const baseOf = this.ctx.sqlite
          .prepare('SELECT k.code FROM payroll_component_rates r JOIN payroll_components k ON k.id = r.component_id WHERE r.base = ? LIMIT 1')
          .get(c.code) as { code: string } | undefined
        if (baseOf) throw conflict(`${baseOf.code} is worked out on ${c.code}, so its code stays ${c.code} (change ${baseOf.code}’s base first).`, { code: `The base of ${baseOf.code}` })
      }
      if (v.kind !== c.kind) {
        const inStructure = this.ctx.sqlite.prepare('SELECT 1 FROM payroll_structure_items WHERE component_id = ? LIMIT 1').get(c.id) !== undefined
        if (payslips || inStructure) {
          throw conflict(`${c.code} is used ${payslips ? 'on payslips' : 'in pay structures'} already, so it stays ${KIND_WORDS[c.kind]}.`, { kind: 'Fixed once it is used' })
        }
        const kindProblems: Record<string, string> = {}
        if (v.kind === 'earning' && this.rateRows(c.id).some((r) => r.method === 'bands')) kindProblems.kind = 'An earning cannot be a band table, and one of its rates is'
        if (c.kind === 'earning' && this.ctx.sqlite.prepare('SELECT 1 FROM payroll_component_rates WHERE base = ? LIMIT 1').get(c.code) !== undefined) {
          kindProblems.kind = `Other components are worked out on ${c.code}, so it stays an earning`
        }
        this.refuse('The pay component is not right', kindProblems)
      }
      this.ctx.sqlite
        .prepare(
          `UPDATE payroll_components SET code = ?, name = ?, kind = ?, taxable = ?, pre_tax = ?, prorate = ?, statutory = ?, account_id = ?, payable_account_id = ?,
             sort_order = ?, updated_at = ?, version = version + 1 WHERE id = ?`
        )
        .run(v.code, v.name, v.kind, v.taxable ? 1 : 0, v.preTax ? 1 : 0, v.prorate ? 1 : 0, v.statutory ? 1 : 0, v.accountId, v.payableAccountId, v.sortOrder, nowIso(this.ctx), c.id)
    })
    return this.component(v.id)
  }

  /** A dated rate: the same date's one is replaced unless a posted payslip used it; a new date adds one. */
  saveRate(v: ParsedInput<'payroll.saveRate'>): Component {
    const c = this.componentRow(v.componentId)
    const { componentId, ...rate } = v
    this.refuse('The rate is not right', this.rateProblems(rate, { code: c.code, name: c.name, kind: c.kind, taxable: c.taxable === 1, preTax: c.pre_tax === 1, prorate: c.prorate === 1 }, ''))
    const who = this.operator()
    const at = nowIso(this.ctx)
    this.tx(() => {
      const same = this.rateRows(componentId).find((r) => r.effective_from === v.effectiveFrom)
      if (!same) {
        this.insertRate(componentId, rate, who.name, at)
        return
      }
      if (same.locked === 1) {
        throw conflict(`The rate from ${this.date(same.effective_from)} was used by a posted payroll, so it is kept as it is; add a rate with a later date instead.`, {
          effectiveFrom: 'Used by a posted payroll: choose a later date'
        })
      }
      this.ctx.sqlite
        .prepare(
          `UPDATE payroll_component_rates SET method = ?, amount_minor = ?, rate_percent = ?, base = ?, cap_minor = ?, floor_minor = ?, bands = ?, relief_minor = ?,
             rounding = ?, note = ?, created_by = ?, created_at = ? WHERE id = ?`
        )
        .run(
          rate.method,
          rate.amountMinor,
          rate.ratePercent,
          rate.base,
          rate.capMinor,
          rate.floorMinor,
          rate.method === 'bands' ? JSON.stringify(rate.bands) : null,
          rate.reliefMinor,
          rate.rounding,
          rate.note,
          who.name,
          at,
          same.id
        )
    })
    return this.component(componentId)
  }

  deleteRate(id: number): Component {
    const r = this.ctx.sqlite.prepare('SELECT component_id, effective_from FROM payroll_component_rates WHERE id = ?').get(id) as
      | { component_id: number; effective_from: string }
      | undefined
    if (!r) throw notFound(`Rate #${id}`)
    this.tx(() => {
      const rates = this.rateRows(r.component_id)
      const row = rates.find((x) => x.id === id) as RateRow
      if (rates.length === 1) throw conflict('This is the component’s only rate; a component always has one (change it, or add another first).')
      if (row.locked === 1) throw conflict(`The rate from ${this.date(r.effective_from)} was used by a posted payroll, so it is kept as it is.`)
      const used = this.ctx.sqlite
        .prepare(
          `SELECT pp.name FROM payroll_payslip_lines l JOIN payroll_payslips p ON p.id = l.payslip_id JOIN payroll_periods pp ON pp.id = p.period_id
           WHERE l.rate_id = ? ORDER BY pp.start_date LIMIT 1`
        )
        .get(id) as { name: string } | undefined
      if (used) {
        throw conflict(`The rate from ${this.date(r.effective_from)} is used by the payslips of ${used.name}, not posted yet; change the rate instead, or run that payroll again (force) first.`)
      }
      this.ctx.sqlite.prepare('DELETE FROM payroll_component_rates WHERE id = ?').run(id)
    })
    return this.component(r.component_id)
  }

  /** An inactive component is offered for no new structure; it is not switched off while a structure in force, or to come, still pays it. */
  setComponentActive(id: number, expectedVersion: number, active: boolean): Component {
    this.tx(() => {
      const c = this.componentRow(id)
      this.expectVersion('pay component', c, expectedVersion)
      if (!active) {
        // Switched off while a structure still pays it, the next run would fail those people: said now instead.
        const users = this.ctx.sqlite
          .prepare(
            `SELECT DISTINCT s.staff_no || ' ' || s.full_name FROM payroll_structures ps
               JOIN payroll_structure_items i ON i.structure_id = ps.id
               JOIN payroll_staff s ON s.id = ps.staff_id
              WHERE i.component_id = @id AND s.status <> 'left'
                AND (ps.effective_from > @today
                     OR ps.effective_from = (SELECT max(q.effective_from) FROM payroll_structures q WHERE q.staff_id = ps.staff_id AND q.effective_from <= @today))
              ORDER BY s.staff_no COLLATE NOCASE`
          )
          .pluck()
          .all({ id, today: this.today() }) as string[]
        if (users.length > 0) {
          throw conflict(
            `${c.code} is in the pay structure of ${users.length === 1 ? users[0] : `${users.length} staff members (${users.slice(0, 3).join(', ')}${users.length > 3 ? ', …' : ''})`}: ` +
              'give them a structure without it first, or their next payroll could not be worked out.'
          )
        }
      }
      this.ctx.sqlite.prepare('UPDATE payroll_components SET active = ?, updated_at = ?, version = version + 1 WHERE id = ?').run(active ? 1 : 0, nowIso(this.ctx), id)
    })
    return this.component(id)
  }

  // ---------------------------------------------------------------------------
  // Calendars
  // ---------------------------------------------------------------------------

  private calendarRows(where = '', ...params: unknown[]): CalendarRow[] {
    return this.ctx.sqlite
      .prepare(
        `SELECT c.*, (SELECT count(*) FROM payroll_periods p WHERE p.calendar_id = c.id) AS periods
         FROM payroll_calendars c ${where ? `WHERE ${where}` : ''} ORDER BY c.name COLLATE NOCASE, c.id`
      )
      .all(...params) as CalendarRow[]
  }

  private calendarRow(id: number): CalendarRow {
    const [r] = this.calendarRows('c.id = ?', id)
    if (!r) throw notFound(`Payroll calendar #${id}`)
    return r
  }

  /** The index of the calendar's period after its latest one (0 for a calendar without periods). */
  private nextIndex(c: CalendarRow): number {
    const latest = this.ctx.sqlite.prepare('SELECT max(start_date) FROM payroll_periods WHERE calendar_id = ?').pluck().get(c.id) as string | null
    if (latest === null) return 0
    const i = periodIndexOf(c.frequency, c.first_start, latest)
    if (i === null) throw conflict(`The latest period of calendar ${c.name} does not start on one of its dates; the calendar's dates were changed outside Coffer.`)
    return i + 1
  }

  /** The calendar's next period: the first one not drafted yet, or the one after its latest. */
  private nextOf(c: CalendarRow, words: PeriodWords): Calendar['next'] {
    if (c.active !== 1) return null
    const waiting = this.ctx.sqlite
      .prepare("SELECT name, start_date, end_date, rule, automation FROM payroll_periods WHERE calendar_id = ? AND status IN ('active', 'failed') ORDER BY start_date LIMIT 1")
      .get(c.id) as { name: string; start_date: string; end_date: string; rule: string; automation: number } | undefined
    if (waiting) {
      const rule = parseRule(waiting.rule, `period ${waiting.name}`)
      return {
        periodName: waiting.name,
        start: waiting.start_date,
        end: waiting.end_date,
        dueOn: waiting.automation === 1 ? dueOn(rule, { startDate: waiting.start_date, endDate: waiting.end_date }, words.timeZone) : null
      }
    }
    const { start, end } = periodDates(c.frequency, c.first_start, this.nextIndex(c))
    const rule = parseRule(c.rule, `calendar ${c.name}`)
    return {
      periodName: periodName(c.frequency, start, end, words.locale),
      start,
      end,
      dueOn: c.automation === 1 ? dueOn(rule, { startDate: start, endDate: end }, words.timeZone) : null
    }
  }

  private toCalendar(c: CalendarRow, words: PeriodWords = this.words()): Calendar {
    const rule = parseRule(c.rule, `calendar ${c.name}`)
    return {
      id: c.id,
      name: c.name,
      frequency: c.frequency,
      firstStart: c.first_start,
      payDayOffset: c.pay_day_offset,
      rule,
      ruleWords: ruleWords(rule, words.locale),
      automation: c.automation === 1,
      active: c.active === 1,
      periods: c.periods,
      next: this.nextOf(c, words),
      version: c.version
    }
  }

  calendars(): { calendars: Calendar[] } {
    const words = this.words()
    return { calendars: this.calendarRows().map((c) => this.toCalendar(c, words)) }
  }

  calendar(id: number): Calendar {
    return this.toCalendar(this.calendarRow(id))
  }

  private checkCalendar(v: CalendarInput, exceptId: number | null): void {
    this.refuse('The payroll calendar is not right', { ...calendarProblems(v.frequency, v.firstStart), ...ruleProblems(v.rule, true) })
    const taken = this.ctx.sqlite.prepare('SELECT id FROM payroll_calendars WHERE name = ? COLLATE NOCASE AND id IS NOT ?').get(v.name, exceptId)
    if (taken) throw conflict(`A payroll calendar called “${v.name}” exists already; give this one another name.`, { name: 'Already used by another calendar' })
  }

  createCalendar(v: CalendarInput): Calendar {
    this.checkCalendar(v, null)
    const at = nowIso(this.ctx)
    const id = this.tx(() =>
      Number(
        this.ctx.sqlite
          .prepare(
            'INSERT INTO payroll_calendars (name, frequency, first_start, pay_day_offset, rule, automation, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)'
          )
          .run(v.name, v.frequency, v.firstStart, v.payDayOffset, JSON.stringify(v.rule), v.automation ? 1 : 0, at, at).lastInsertRowid
      )
    )
    return this.calendar(id)
  }

  /** Name, pay day, rule and automation; frequency and first start too while it has no periods. Its periods keep their own rule. */
  updateCalendar(v: ParsedInput<'payroll.updateCalendar'>): Calendar {
    this.checkCalendar(v, v.id)
    this.tx(() => {
      const c = this.calendarRow(v.id)
      this.expectVersion('payroll calendar', c, v.expectedVersion)
      if (c.periods > 0) {
        const fixed: Record<string, string> = {}
        if (v.frequency !== c.frequency) fixed.frequency = `Fixed once it has periods (it is ${FREQUENCY_WORDS[c.frequency]})`
        if (v.firstStart !== c.first_start) fixed.firstStart = `Fixed once it has periods (${this.date(c.first_start)})`
        const keys = Object.keys(fixed)
        if (keys.length > 0) {
          throw conflict(
            `${c.name} has ${c.periods} period${c.periods === 1 ? '' : 's'} already, so its ${keys.map((k) => (k === 'frequency' ? 'frequency' : 'first start')).join(' and ')} cannot change (the periods' dates would move). Set up a new calendar instead.`,
            fixed
          )
        }
      }
      this.ctx.sqlite
        .prepare(
          'UPDATE payroll_calendars SET name = ?, frequency = ?, first_start = ?, pay_day_offset = ?, rule = ?, automation = ?, updated_at = ?, version = version + 1 WHERE id = ?'
        )
        .run(v.name, v.frequency, v.firstStart, v.payDayOffset, JSON.stringify(v.rule), v.automation ? 1 : 0, nowIso(this.ctx), v.id)
    })
    return this.calendar(v.id)
  }

  /** An inactive calendar makes no new periods; the ones it has stay as they are. */
  setCalendarActive(id: number, expectedVersion: number, active: boolean): Calendar {
    this.tx(() => {
      const c = this.calendarRow(id)
      this.expectVersion('payroll calendar', c, expectedVersion)
      this.ctx.sqlite.prepare('UPDATE payroll_calendars SET active = ?, updated_at = ?, version = version + 1 WHERE id = ?').run(active ? 1 : 0, nowIso(this.ctx), id)
    })
    return this.calendar(id)
  }

  // ---------------------------------------------------------------------------
  // Periods
  // ---------------------------------------------------------------------------

  periodRows(where = '', ...params: unknown[]): PayPeriod[] {
    return periodRows(this.ctx.sqlite, this.words(), where, ...params)
  }

  periodDto(id: number): PayPeriod {
    return periodDto(this.ctx.sqlite, this.words(), id)
  }

  periods(q: ParsedInput<'payroll.periods'>): { periods: PayPeriod[] } {
    const where: string[] = []
    const params: unknown[] = []
    if (q.calendarId !== undefined) {
      where.push('p.calendar_id = ?')
      params.push(q.calendarId)
    }
    if (q.status !== undefined) {
      where.push('p.status = ?')
      params.push(q.status)
    }
    return { periods: this.periodRows(where.join(' AND '), ...params) }
  }

  /** A period and what happened to it, oldest first. */
  period(id: number): PayPeriodDetail {
    const period = this.periodDto(id)
    const events = this.ctx.sqlite
      .prepare('SELECT at, action, by, reason, entry_id FROM payroll_period_events WHERE period_id = ? ORDER BY at, id')
      .all(id) as { at: string; action: PayPeriodEvent['action']; by: string; reason: string | null; entry_id: number | null }[]
    return { period, events: events.map((e) => ({ at: e.at, action: e.action, by: e.by, reason: e.reason, entryId: e.entry_id })) }
  }

  /** Records what happened to a period, by whom (the operator, or the system for a job). */
  recordEvent(periodId: number, action: PayPeriodEvent['action'], reason: string | null, entryId: number | null = null): void {
    const who = this.operator()
    this.ctx.sqlite
      .prepare('INSERT INTO payroll_period_events (period_id, at, action, operator_id, by, reason, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(periodId, nowIso(this.ctx), action, who.id, who.name, reason, entryId)
  }

  /** Another period of the same calendar (or, for a period of its own, another period of its own) sharing a day with start..end. */
  private overlapping(calendarId: number | null, start: string, end: string, exceptId: number | null): { name: string; start_date: string; end_date: string } | undefined {
    return this.ctx.sqlite
      .prepare('SELECT name, start_date, end_date FROM payroll_periods WHERE calendar_id IS ? AND start_date <= ? AND end_date >= ? AND id IS NOT ? ORDER BY start_date LIMIT 1')
      .get(calendarId, end, start, exceptId) as { name: string; start_date: string; end_date: string } | undefined
  }

  /**
   * A calendar's next period (after its latest: dates, name and rule from the
   * calendar, paid its offset of days after the end), or a period of its own
   * (name, frequency, dates, pay date and rule all given).
   */
  createPeriod(v: PeriodInput): PayPeriod {
    const words = this.words()
    let row: { calendarId: number | null; name: string; frequency: PayFrequency; start: string; end: string; payDate: string; rule: AutomationRule; automation: boolean }
    if (v.calendarId !== null) {
      const given: Record<string, string> = {}
      const taken = 'Comes from the calendar: leave it empty'
      if (v.name !== null) given.name = taken
      if (v.frequency !== null) given.frequency = taken
      if (v.startDate !== null) given.startDate = taken
      if (v.endDate !== null) given.endDate = taken
      if (v.payDate !== null) given.payDate = taken
      if (v.rule !== null) given.rule = taken
      this.refuse('A calendar’s next period takes its dates, name and rule from the calendar', given)
      const c = this.calendarRow(v.calendarId)
      if (c.active !== 1) throw conflict(`The calendar ${c.name} is inactive; make it active again to add its next period.`, { calendarId: 'Inactive' })
      const { start, end } = periodDates(c.frequency, c.first_start, this.nextIndex(c))
      row = {
        calendarId: c.id,
        name: periodName(c.frequency, start, end, words.locale),
        frequency: c.frequency,
        start,
        end,
        payDate: addDays(end, c.pay_day_offset),
        rule: parseRule(c.rule, `calendar ${c.name}`),
        automation: c.automation === 1
      }
    } else {
      const missing: Record<string, string> = {}
      if (v.name === null) missing.name = 'Give the period a name'
      if (v.frequency === null) missing.frequency = 'Choose monthly, every two weeks or weekly'
      if (v.startDate === null) missing.startDate = 'Give the first day'
      if (v.endDate === null) missing.endDate = 'Give the last day'
      if (v.payDate === null) missing.payDate = 'Give the day it is paid'
      if (v.rule === null) missing['rule.kind'] = 'Choose when it runs'
      this.refuse('A period of its own needs its name, frequency, dates and rule', missing)
      row = {
        calendarId: null,
        name: v.name as string,
        frequency: v.frequency as PayFrequency,
        start: v.startDate as string,
        end: v.endDate as string,
        payDate: v.payDate as string,
        rule: v.rule as AutomationRule,
        automation: v.automation
      }
      const problems: Record<string, string> = { ...ruleProblems(row.rule, false) }
      if (compareDates(row.end, row.start) < 0) problems.endDate = 'The last day is before the first'
      if (compareDates(row.payDate, row.start) < 0) problems.payDate = 'The pay day is before the period starts'
      this.refuse('The payroll period is not right', problems)
    }
    const id = this.tx(() => {
      const other = this.overlapping(row.calendarId, row.start, row.end, null)
      if (other) {
        throw conflict(
          `${row.name} (${this.date(row.start)} – ${this.date(row.end)}) overlaps ${other.name} (${this.date(other.start_date)} – ${this.date(other.end_date)})${row.calendarId === null ? '' : ' of the same calendar'}; a day is paid once.`,
          row.calendarId === null ? { startDate: `Overlaps ${other.name}`, endDate: `Overlaps ${other.name}` } : { calendarId: `Overlaps ${other.name}` }
        )
      }
      const at = nowIso(this.ctx)
      const id = Number(
        this.ctx.sqlite
          .prepare(
            `INSERT INTO payroll_periods (calendar_id, name, frequency, start_date, end_date, pay_date, rule, automation, status, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`
          )
          .run(row.calendarId, row.name, row.frequency, row.start, row.end, row.payDate, JSON.stringify(row.rule), row.automation ? 1 : 0, at, at).lastInsertRowid
      )
      this.recordEvent(id, 'created', null)
      return id
    })
    return this.periodDto(id)
  }

  /** Pay date, rule and automation, while the period is not approved or posted; what changed is recorded. */
  updatePeriod(v: ParsedInput<'payroll.updatePeriod'>): PayPeriod {
    this.refuse('The payroll period is not right', ruleProblems(v.rule, false))
    const words = this.words()
    this.tx(() => {
      const p = this.periodDto(v.id)
      this.expectVersion('payroll period', p, v.expectedVersion)
      if (p.status !== 'active' && p.status !== 'failed' && p.status !== 'draft') {
        throw conflict(`${p.name} is ${p.status}, so it cannot change${p.status === 'approved' ? ' (take the approval back first)' : ''}.`)
      }
      if (compareDates(v.payDate, p.startDate) < 0) this.refuse('The payroll period is not right', { payDate: 'The pay day is before the period starts' })
      const changes: string[] = []
      if (v.payDate !== p.payDate) changes.push(`pay date ${this.date(p.payDate)} → ${this.date(v.payDate)}`)
      if (JSON.stringify(v.rule) !== JSON.stringify(p.rule)) changes.push(`rule “${p.ruleWords}” → “${ruleWords(v.rule, words.locale)}”`)
      if (v.automation !== p.automation) changes.push(`automation ${v.automation ? 'on' : 'off'}`)
      if (changes.length === 0) return
      this.ctx.sqlite
        .prepare('UPDATE payroll_periods SET pay_date = ?, rule = ?, automation = ?, updated_at = ?, version = version + 1 WHERE id = ?')
        .run(v.payDate, JSON.stringify(v.rule), v.automation ? 1 : 0, nowIso(this.ctx), v.id)
      const text = changes.join('; ')
      this.recordEvent(v.id, 'changed', text.charAt(0).toUpperCase() + text.slice(1))
    })
    return this.periodDto(v.id)
  }
}
