import type { ServiceContext } from '../platform/context'
import { currentActor } from '../platform/actor'
import { DomainError, conflict, invalid, notFound } from '../platform/errors'
import { readSetting, writeSettings } from '../platform/settings'
import type { Sqlite } from '../platform/db/open'
import type { LedgerService } from '../ledger'
import { calendarDateInZone } from '../../shared/dates'
import { rational, roundRational } from '../../shared/rational'
import { countOf, formatDate } from '../../shared/words'
import type {
  PayPeriod,
  Payslip,
  PayrollRunReport,
  PayrollSettings,
  Register,
  RegisterChange,
  RegisterRow,
  StatutorySummary
} from '../../shared/contract/payroll'
import { PayrollRunner, readPayslips, readStaffCards, type PayslipStaffCard, type PeriodRow, type RunRequest, type Who } from './run'

export const NET_CHANGE_KEY = 'payroll.netChangePercent'
/** Unless the treasurer sets otherwise: a net pay more than 10% away from the last period's is highlighted. */
export const DEFAULT_PAYROLL_SETTINGS: PayrollSettings = { netChangePercent: '10' }
const PERCENT_RE = /^\d{1,4}(?:\.\d{1,6})?$/

/** The treasurer's review threshold; a stored value that is not a percentage is an error, never replaced by the default. */
export function readPayrollSettings(sqlite: Sqlite): PayrollSettings {
  const v = readSetting(sqlite, NET_CHANGE_KEY)
  if (v === null) return DEFAULT_PAYROLL_SETTINGS
  if (!PERCENT_RE.test(v)) throw conflict(`The stored setting ${NET_CHANGE_KEY} is not a percentage (“${v}”). Save the payroll settings again.`)
  return { netChangePercent: v }
}

/** "7.5" → 75/1000 as [numerator, denominator] of a percentage. */
function percentParts(text: string): { num: bigint; den: bigint } {
  const [whole = '0', frac = ''] = text.split('.')
  return { num: BigInt(whole + frac), den: 10n ** BigInt(frac.length) }
}

interface Env {
  timeZone: () => string
  locale: () => string
  currency: () => string
  ledger: () => LedgerService
  /** Whether payments (and so payroll) need a second operator (Settings, Security). */
  makerChecker: () => boolean
  /** A period as the contract shows it (the set-up service's mapper). */
  periodDto: (id: number) => PayPeriod
}

const ROLLBACK = Symbol('dry run')

/**
 * Payroll after set-up: the register and its review, payslips, the statutory
 * summary, approval by a second operator, posting, the run's dry run. The
 * drafting itself is PayrollRunner's (run.ts), which the job drives.
 */
export class PayrollService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly env: Env
  ) {}

  today(): string {
    return calendarDateInZone(this.ctx.clock.now(), this.env.timeZone())
  }

  private date(d: string): string {
    return formatDate(d, this.env.locale())
  }

  private me(): Who {
    const a = currentActor()
    return { id: a.operatorId, name: a.name }
  }

  private tx<T>(fn: () => T): T {
    return this.ctx.sqlite.inTransaction ? fn() : this.ctx.sqlite.transaction(fn).immediate()
  }

  runner(by: Who = this.me(), overrides: Partial<ConstructorParameters<typeof PayrollRunner>[0]> = {}): PayrollRunner {
    return new PayrollRunner({
      sqlite: this.ctx.sqlite,
      ledger: this.env.ledger(),
      today: this.today(),
      now: () => this.ctx.clock.now(),
      timeZone: this.env.timeZone(),
      locale: this.env.locale(),
      currency: this.env.currency(),
      runId: null,
      by,
      transaction: (fn) => this.tx(fn),
      ...overrides
    })
  }

  private row(id: number): PeriodRow {
    return this.runner().period(id)
  }

  // ---------------------------------------------------------------------------
  // Runs
  // ---------------------------------------------------------------------------

  /** What a run asked for must be possible before a job starts for it: refused here with field messages, not as a failed run. */
  checkRun(req: RunRequest): void {
    if (req.force && req.periodId === null) {
      throw invalid('A forced run is for one period: choose the period to recompute or re-post.', { periodId: 'Choose a period to force' })
    }
    if (req.periodId !== null) {
      const p = this.row(req.periodId)
      if (p.status === 'posted' && req.force && req.reason === null) {
        throw invalid('Say why the posted period is re-run: the reason is kept with its reversal.', { reason: 'A reason is required to re-run a posted period' })
      }
    }
  }

  /** The run worked out in a transaction that is rolled back: what it would do, nothing written. */
  dryRun(req: RunRequest): PayrollRunReport {
    this.checkRun(req)
    let report: PayrollRunReport | null = null
    try {
      this.ctx.sqlite
        .transaction(() => {
          report = this.runner(this.me(), { transaction: (fn) => fn() }).run(req)
          throw ROLLBACK
        })
        .immediate()
    } catch (e) {
      if (e !== ROLLBACK) throw e
    }
    if (report === null) throw conflict('The dry run did not finish.')
    return { ...(report as PayrollRunReport), dryRun: true }
  }

  /** A finished job run's report: the figures it recorded, with each period's register as it stands now. */
  reportOfRun(details: unknown, today: string): PayrollRunReport {
    const r = (details as { report?: PayrollRunReport } | undefined)?.report
    if (!r) throw conflict('The run recorded no report; see the run history.')
    const runner = this.runner()
    return { ...r, dryRun: false, today, periods: r.periods.map((p) => ({ ...p, register: runner.registerOf(p.periodId) })) }
  }

  // ---------------------------------------------------------------------------
  // Review
  // ---------------------------------------------------------------------------

  private previousOf(p: PeriodRow): { id: number; name: string } | null {
    const sql =
      p.calendar_id === null
        ? `SELECT id, name FROM payroll_periods WHERE id <> @id AND end_date < @start AND EXISTS (SELECT 1 FROM payroll_payslips s WHERE s.period_id = payroll_periods.id) ORDER BY end_date DESC, id DESC LIMIT 1`
        : `SELECT id, name FROM payroll_periods WHERE calendar_id = @cal AND id <> @id AND end_date < @start AND EXISTS (SELECT 1 FROM payroll_payslips s WHERE s.period_id = payroll_periods.id) ORDER BY end_date DESC, id DESC LIMIT 1`
    return (this.ctx.sqlite.prepare(sql).get({ id: p.id, start: p.start_date, cal: p.calendar_id }) as { id: number; name: string } | undefined) ?? null
  }

  /** The draft's register: each person's pay, and what changed against the last period. */
  register(periodId: number): Register {
    const p = this.row(periodId)
    const settings = readPayrollSettings(this.ctx.sqlite)
    const threshold = percentParts(settings.netChangePercent)
    const previous = this.previousOf(p)
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT p.id, p.staff_id, s.staff_no, s.full_name, p.status, p.error, p.days_worked, p.days_in_period, p.gross_minor, p.deductions_minor, p.net_minor, p.employer_minor
           FROM payroll_payslips p JOIN payroll_staff s ON s.id = p.staff_id WHERE p.period_id = ? ORDER BY s.staff_no COLLATE NOCASE, s.id`
      )
      .all(periodId) as {
      id: number
      staff_id: number
      staff_no: string
      full_name: string
      status: 'ok' | 'failed'
      error: string | null
      days_worked: number
      days_in_period: number
      gross_minor: number
      deductions_minor: number
      net_minor: number
      employer_minor: number
    }[]
    const before = new Map<number, { net: number; staffNo: string; fullName: string; days: number }>()
    if (previous) {
      for (const r of this.ctx.sqlite
        .prepare(
          `SELECT p.staff_id, p.net_minor, p.days_in_period, s.staff_no, s.full_name FROM payroll_payslips p JOIN payroll_staff s ON s.id = p.staff_id WHERE p.period_id = ? AND p.status = 'ok'`
        )
        .all(previous.id) as { staff_id: number; net_minor: number; days_in_period: number; staff_no: string; full_name: string }[]) {
        before.set(r.staff_id, { net: r.net_minor, staffNo: r.staff_no, fullName: r.full_name, days: r.days_in_period })
      }
    }
    const out: RegisterRow[] = rows.map((r) => {
      const prev = before.get(r.staff_id)
      const changes: RegisterChange[] = []
      let pct: string | null = null
      if (r.status === 'failed') changes.push('failed')
      if (previous && !prev) changes.push('new')
      if (prev && r.status === 'ok') {
        const diff = BigInt(r.net_minor - prev.net)
        if (prev.net > 0) {
          // Exact: |diff| / prev > threshold / 100  ⇔  |diff| × 100 × den > num × prev
          const abs = diff < 0n ? -diff : diff
          if (abs * 100n * threshold.den > threshold.num * BigInt(prev.net)) changes.push('net-changed')
          const tenths = roundRational(rational(diff * 1000n, BigInt(prev.net)), 'half-up')
          const neg = tenths < 0n
          const a = neg ? -tenths : tenths
          pct = `${neg ? '-' : ''}${(a / 10n).toString()}.${(a % 10n).toString()}`
        } else if (diff !== 0n) changes.push('net-changed')
      }
      return {
        staffId: r.staff_id,
        staffNo: r.staff_no,
        fullName: r.full_name,
        payslipId: r.id,
        status: r.status,
        error: r.error,
        daysWorked: r.days_worked,
        daysInPeriod: r.days_in_period,
        grossMinor: r.gross_minor,
        deductionsMinor: r.deductions_minor,
        netMinor: r.net_minor,
        employerMinor: r.employer_minor,
        previousNetMinor: prev?.net ?? null,
        netChangePercent: pct,
        changes
      }
    })
    const here = new Set(rows.map((r) => r.staff_id))
    for (const [staffId, prev] of before) {
      if (here.has(staffId)) continue
      out.push({
        staffId,
        staffNo: prev.staffNo,
        fullName: prev.fullName,
        payslipId: null,
        status: null,
        error: null,
        daysWorked: 0,
        daysInPeriod: prev.days,
        grossMinor: 0,
        deductionsMinor: 0,
        netMinor: 0,
        employerMinor: 0,
        previousNetMinor: prev.net,
        netChangePercent: null,
        changes: ['left']
      })
    }
    const ok = rows.filter((r) => r.status === 'ok')
    const sum = (f: (r: (typeof rows)[number]) => number): number => ok.reduce((a, r) => a + f(r), 0)
    const components = this.ctx.sqlite
      .prepare(
        `SELECT l.code, l.name, l.kind, SUM(l.amount_minor) AS amountMinor
           FROM payroll_payslip_lines l JOIN payroll_payslips s ON s.id = l.payslip_id JOIN payroll_components c ON c.id = l.component_id
          WHERE s.period_id = ? AND s.status = 'ok'
          GROUP BY l.component_id
          ORDER BY CASE l.kind WHEN 'earning' THEN 0 WHEN 'deduction' THEN 1 ELSE 2 END, c.sort_order, l.code`
      )
      .all(periodId) as Register['totals']['components']
    return {
      period: this.env.periodDto(periodId),
      previous,
      thresholdPercent: settings.netChangePercent,
      changedSince: p.status === 'posted' || p.status === 'active' ? [] : this.changedSince(p),
      rows: out,
      totals: {
        staff: rows.length,
        grossMinor: sum((r) => r.gross_minor),
        deductionsMinor: sum((r) => r.deductions_minor),
        netMinor: sum((r) => r.net_minor),
        employerMinor: sum((r) => r.employer_minor),
        components
      }
    }
  }

  /**
   * What was saved after a period's payslips were worked out and would change
   * them on a recompute: pay structures and staff records of people paid in
   * it, rates of components it uses, people hired into it since. At most 20
   * lines, then how many more.
   */
  private changedSince(p: PeriodRow): string[] {
    const db = this.ctx.sqlite
    const out: string[] = []
    const structures = db
      .prepare(
        `SELECT s.staff_no, s.full_name, MAX(st.created_at) AS at FROM payroll_structures st
           JOIN payroll_payslips ps ON ps.staff_id = st.staff_id AND ps.period_id = @id
           JOIN payroll_staff s ON s.id = st.staff_id
          WHERE st.effective_from <= @end AND st.created_at > ps.computed_at
          GROUP BY st.staff_id ORDER BY s.staff_no COLLATE NOCASE`
      )
      .all({ id: p.id, end: p.end_date }) as { staff_no: string; full_name: string; at: string }[]
    for (const r of structures) out.push(`${r.staff_no} ${r.full_name}: a pay structure was saved after the payslip was worked out.`)
    const staff = db
      .prepare(
        `SELECT s.staff_no, s.full_name FROM payroll_staff s JOIN payroll_payslips ps ON ps.staff_id = s.id AND ps.period_id = ?
          WHERE s.updated_at > ps.computed_at AND s.version > 1 ORDER BY s.staff_no COLLATE NOCASE`
      )
      .all(p.id) as { staff_no: string; full_name: string }[]
    for (const r of staff) out.push(`${r.staff_no} ${r.full_name}: the staff record (dates, status) was changed after the payslip was worked out.`)
    const rates = db
      .prepare(
        `SELECT c.code, c.name, r.effective_from FROM payroll_component_rates r JOIN payroll_components c ON c.id = r.component_id
          WHERE r.effective_from <= @end
            AND r.created_at > (SELECT MIN(computed_at) FROM payroll_payslips WHERE period_id = @id)
            AND EXISTS (SELECT 1 FROM payroll_payslip_lines l JOIN payroll_payslips ps ON ps.id = l.payslip_id WHERE ps.period_id = @id AND l.component_id = c.id)
          ORDER BY c.code`
      )
      .all({ id: p.id, end: p.end_date }) as { code: string; name: string; effective_from: string }[]
    for (const r of rates) out.push(`${r.name} (${r.code}): its rate from ${this.date(r.effective_from)} was saved after the payslips were worked out.`)
    const hired = db
      .prepare(
        `SELECT s.staff_no, s.full_name FROM payroll_staff s
          WHERE s.hire_date <= @end AND (s.leaving_date IS NULL OR s.leaving_date >= @start) AND s.status <> 'suspended' AND NOT (s.status = 'left' AND s.leaving_date IS NULL)
            AND NOT EXISTS (SELECT 1 FROM payroll_payslips ps WHERE ps.period_id = @id AND ps.staff_id = s.id)
          ORDER BY s.staff_no COLLATE NOCASE`
      )
      .all({ id: p.id, start: p.start_date, end: p.end_date }) as { staff_no: string; full_name: string }[]
    for (const r of hired) out.push(`${r.staff_no} ${r.full_name} is employed in this period but has no payslip in it.`)
    if (out.length <= 20) return out
    return [...out.slice(0, 20), `… and ${out.length - 20} more.`]
  }

  /** Payslips of a period (one person's when staffId is given), with their lines. */
  payslips(periodId: number, staffId: number | null): Payslip[] {
    this.row(periodId)
    return readPayslips(this.ctx.sqlite, periodId, staffId)
  }

  /** The particulars printed on the payslips of a period. */
  staffCards(periodId: number): Map<number, PayslipStaffCard> {
    return readStaffCards(this.ctx.sqlite, periodId)
  }

  payslip(periodId: number, staffId: number): Payslip {
    const [slip] = this.payslips(periodId, staffId)
    if (!slip) throw notFound(`A payslip for staff member #${staffId} in this period`)
    return slip
  }

  /** Statutory deductions and contributions of a period, per component, with what each is owed to. */
  statutory(periodId: number): StatutorySummary {
    this.row(periodId)
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT l.code, l.name, l.kind, a.name AS accountName, COUNT(DISTINCT s.staff_id) AS staff, COALESCE(SUM(l.base_minor), 0) AS baseMinor, SUM(l.amount_minor) AS amountMinor
           FROM payroll_payslip_lines l
           JOIN payroll_payslips s ON s.id = l.payslip_id
           JOIN payroll_components c ON c.id = l.component_id
           JOIN ledger_accounts a ON a.id = CASE WHEN c.kind = 'employer' THEN c.payable_account_id ELSE c.account_id END
          WHERE s.period_id = ? AND s.status = 'ok' AND l.statutory = 1
          GROUP BY l.component_id
          ORDER BY CASE l.kind WHEN 'deduction' THEN 0 ELSE 1 END, c.sort_order, l.code`
      )
      .all(periodId) as StatutorySummary['rows']
    return { period: this.env.periodDto(periodId), rows, totalMinor: rows.reduce((a, r) => a + r.amountMinor, 0) }
  }

  // ---------------------------------------------------------------------------
  // Approve, send back, post
  // ---------------------------------------------------------------------------

  private event(periodId: number, action: string, by: Who, reason: string | null): void {
    this.ctx.sqlite
      .prepare('INSERT INTO payroll_period_events (period_id, at, action, operator_id, by, reason, entry_id) VALUES (?, ?, ?, ?, ?, ?, NULL)')
      .run(periodId, this.ctx.clock.now().toISOString(), action, by.id, by.name, reason)
  }

  private fresh(id: number, expectedVersion: number): PeriodRow {
    const p = this.row(id)
    if (p.version !== expectedVersion) throw conflict(`${p.name} was changed by someone else meanwhile. Look at it again, then try once more.`)
    return p
  }

  /** A complete draft approved; with two operators required, by someone other than the one who drafted it. */
  approve(id: number, expectedVersion: number): PayPeriod {
    const me = this.me()
    this.tx(() => {
      const p = this.fresh(id, expectedVersion)
      if (p.status === 'failed') throw conflict(`${p.name} has payslips that could not be worked out: mend them and run it again before approving.`)
      if (p.status !== 'draft') throw conflict(`${p.name} is ${p.status}, not a draft waiting for approval.`)
      const failed = this.ctx.sqlite.prepare("SELECT COUNT(*) FROM payroll_payslips WHERE period_id = ? AND status = 'failed'").pluck().get(id) as number
      if (failed > 0) throw conflict(`${p.name} has ${countOf(failed, { one: 'failed payslip', other: 'failed payslips' }, this.env.locale())}: it cannot be approved.`)
      if (this.env.makerChecker() && p.drafted_by_id !== null && p.drafted_by_id === me.id) {
        throw new DomainError('FORBIDDEN', `You drafted ${p.name}: another operator must approve it.`)
      }
      this.ctx.sqlite
        .prepare("UPDATE payroll_periods SET status = 'approved', approved_by_id = ?, approved_by = ?, approved_at = ?, updated_at = ?, version = version + 1 WHERE id = ?")
        .run(me.id, me.name, this.ctx.clock.now().toISOString(), this.ctx.clock.now().toISOString(), id)
      this.event(id, 'approved', me, null)
    })
    return this.env.periodDto(id)
  }

  /** An approved period sent back to draft, with the reason (a mistake seen before posting). */
  unapprove(id: number, expectedVersion: number, reason: string): PayPeriod {
    const me = this.me()
    this.tx(() => {
      const p = this.fresh(id, expectedVersion)
      if (p.status !== 'approved') throw conflict(`${p.name} is ${p.status}: only an approved period is sent back to draft.`)
      this.ctx.sqlite
        .prepare("UPDATE payroll_periods SET status = 'draft', approved_by_id = NULL, approved_by = NULL, approved_at = NULL, updated_at = ?, version = version + 1 WHERE id = ?")
        .run(this.ctx.clock.now().toISOString(), id)
      this.event(id, 'changed', me, `Sent back to draft: ${reason}`)
    })
    return this.env.periodDto(id)
  }

  /**
   * An approved period posted: one entry on the pay date (expense, payables,
   * net pay out of the bank). With two operators required, a period the job
   * drafted is posted by someone other than its approver, so two people have
   * seen it.
   */
  post(id: number, expectedVersion: number): PayPeriod {
    const me = this.me()
    this.tx(() => {
      const p = this.fresh(id, expectedVersion)
      if (p.status === 'posted') throw conflict(`${p.name} is already posted (entry #${p.entry_id ?? ''}). Re-running it reverses and posts anew, with a reason.`)
      if (p.status !== 'approved') throw conflict(`${p.name} is ${p.status}: it is approved before it is posted.`)
      if (this.env.makerChecker() && p.drafted_by_id === null && p.approved_by_id !== null && p.approved_by_id === me.id) {
        throw new DomainError('FORBIDDEN', `You approved ${p.name}, which the payroll job drafted: another operator posts it, so two people have seen it.`)
      }
      this.runner(me).postIn(p, 'refuse')
    })
    return this.env.periodDto(id)
  }

  // ---------------------------------------------------------------------------
  // Settings
  // ---------------------------------------------------------------------------

  settings(): PayrollSettings {
    return readPayrollSettings(this.ctx.sqlite)
  }

  saveSettings(v: PayrollSettings): PayrollSettings {
    writeSettings(this.ctx.sqlite, { [NET_CHANGE_KEY]: v.netChangePercent })
    return this.settings()
  }

  /** For messages: a date in the cooperative's words. */
  words(d: string): string {
    return this.date(d)
  }
}
