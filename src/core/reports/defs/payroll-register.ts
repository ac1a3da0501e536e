/**
 * Payroll register: the payroll periods whose pay date is in the dates and
 * that are approved or posted, each payslip's earnings, deductions and
 * employer contributions (one column per component that appears in those
 * periods), gross, deductions and net; and the statutory deductions and
 * contributions owed, per period and component.
 *
 * Drafts (and periods not drafted yet or failed) are left out: they are not
 * the payroll the cooperative decided on, and their figures may still
 * change. The table note names them, so nothing is left out silently.
 *
 * The figures are the payroll area's own: PayrollService's register (gross,
 * deductions, net per person), payslips (each component's amount) and
 * statutory summary, read one period at a time as the rows are asked for.
 */
import type { ComponentKind, PayPeriodStatus, ReportParams } from '../../../shared/contract'
import { addMinor } from '../../../shared/money'
import { PayrollService, PayrollSetup } from '../../payroll'
import type { ServiceContext } from '../../platform/context'
import { col, row, type ReportColumn, type ReportDefinition, type ReportRow, type ReportSource, type ReportTable } from '../model'
import { dateWords, rangeParameters, rangeWords } from './common'

const REPORTED: readonly PayPeriodStatus[] = ['approved', 'posted']

const STATUS_WORDS: Readonly<Record<PayPeriodStatus, string>> = {
  active: 'not drafted yet',
  draft: 'a draft',
  approved: 'approved, not yet posted',
  posted: 'posted',
  failed: 'failed'
}

const KIND_WORDS: Readonly<Record<ComponentKind, string>> = {
  earning: 'Earning',
  deduction: 'Deduction',
  employer: 'Employer contribution'
}

interface PeriodLine {
  id: number
  name: string
  status: PayPeriodStatus
  payDate: string
}

interface ComponentLine {
  code: string
  name: string
  kind: ComponentKind
}

/** The payroll area's services on the report's connection (nothing here writes). */
function payrollOn(src: ReportSource): PayrollService {
  const ctx: ServiceContext = { db: src.db, sqlite: src.sqlite, clock: { now: () => src.now }, emit: () => undefined }
  const env = {
    timeZone: () => src.profile.timeZone,
    locale: () => src.profile.locale,
    currency: () => src.profile.currency,
    ledger: () => src.ledger
  }
  const setup = new PayrollSetup(ctx, env)
  return new PayrollService(ctx, { ...env, makerChecker: () => false, periodDto: (id) => setup.periodDto(id) })
}

/** A period as its rows name it: "January 2026", with "(approved, not yet posted)" when it is not posted. */
const periodLabel = (p: PeriodLine): string => (p.status === 'posted' ? p.name : `${p.name} (${STATUS_WORDS[p.status]})`)

function registerTable(src: ReportSource, pay: () => PayrollService, periods: PeriodLine[], left: string | null): ReportTable {
  const ids = JSON.stringify(periods.map((p) => p.id))
  // Every component on an ok payslip of these periods, once per code (a payslip line names its component by code), in the
  // register's order (earnings, deductions, employer; the component's order; code); labelled with the component's name.
  const components = src.sqlite
    .prepare(
      `SELECT l.code, max(c.name) AS name, min(l.kind) AS kind FROM payroll_payslip_lines l
         JOIN payroll_payslips s ON s.id = l.payslip_id JOIN payroll_components c ON c.id = l.component_id
        WHERE s.period_id IN (SELECT value FROM json_each(?)) AND s.status = 'ok'
        GROUP BY l.code
        ORDER BY CASE min(l.kind) WHEN 'earning' THEN 0 WHEN 'deduction' THEN 1 ELSE 2 END, min(c.sort_order), l.code`
    )
    .all(ids) as ComponentLine[]
  const rowCount = src.sqlite
    .prepare(`SELECT count(*) FROM payroll_payslips WHERE period_id IN (SELECT value FROM json_each(?))`)
    .pluck()
    .get(ids) as number
  const columns: ReportColumn[] = [
    col('period', 'Period', 'text'),
    col('staffNo', 'Staff no.', 'text'),
    col('name', 'Name', 'text'),
    ...components.map((c) => col(`component:${c.code}`, c.name, 'money', true)),
    col('gross', 'Gross', 'money', true),
    col('deductions', 'Total deductions', 'money', true),
    col('net', 'Net', 'money', true)
  ]
  function* rows(): Generator<ReportRow> {
    const service = pay()
    for (const p of periods) {
      const label = periodLabel(p)
      // One period at a time, read whole by the payroll service (no iterator is open while rows are handed out).
      const register = service.register(p.id)
      const slips = new Map(service.payslips(p.id, null).map((s) => [s.id, s]))
      for (const r of register.rows) {
        // A person on the previous period with no payslip in this one was not paid in it.
        if (r.payslipId === null) continue
        if (r.status !== 'ok') {
          yield row([label, r.staffNo, `${r.fullName} (could not be worked out: ${r.error ?? 'no reason recorded'})`, ...components.map(() => null), null, null, null])
          continue
        }
        const slip = slips.get(r.payslipId)
        if (!slip) throw new Error(`The payslip of ${r.staffNo} ${r.fullName} in ${p.name} is missing from its period.`)
        const byCode = new Map<string, number>()
        for (const l of slip.lines) byCode.set(l.code, addMinor(byCode.get(l.code) ?? 0, l.amountMinor))
        yield row([label, r.staffNo, r.fullName, ...components.map((c) => byCode.get(c.code) ?? null), r.grossMinor, r.deductionsMinor, r.netMinor])
      }
    }
  }
  return {
    key: 'register',
    title: 'Register',
    columns,
    rows,
    rowCount,
    empty: 'No approved or posted payroll period has its pay date in these dates.',
    note: `Approved and posted payroll periods paid in these dates, by pay date; drafts are left out until they are approved.${left ? ` ${left}` : ''}`,
    groupBy: 0,
    breakGroups: false
  }
}

function statutoryTable(src: ReportSource, pay: () => PayrollService, periods: PeriodLine[]): ReportTable {
  const rowCount = src.sqlite
    .prepare(
      `SELECT count(*) FROM (SELECT DISTINCT s.period_id, l.component_id FROM payroll_payslip_lines l JOIN payroll_payslips s ON s.id = l.payslip_id
         WHERE s.period_id IN (SELECT value FROM json_each(?)) AND s.status = 'ok' AND l.statutory = 1)`
    )
    .pluck()
    .get(JSON.stringify(periods.map((p) => p.id))) as number
  function* rows(): Generator<ReportRow> {
    const service = pay()
    for (const p of periods) {
      const label = periodLabel(p)
      for (const r of service.statutory(p.id).rows) {
        yield row([label, r.code, r.name, KIND_WORDS[r.kind], r.accountName, r.staff, r.baseMinor, r.amountMinor])
      }
    }
  }
  return {
    key: 'statutory',
    title: 'Statutory deductions',
    columns: [
      col('period', 'Period', 'text'),
      col('code', 'Code', 'text'),
      col('name', 'Name', 'text'),
      col('kind', 'Kind', 'text'),
      col('account', 'Account', 'text'),
      col('staff', 'Staff', 'count'),
      col('base', 'Base total', 'money'),
      col('amount', 'Amount', 'money', true)
    ],
    rows,
    rowCount,
    empty: 'No statutory deductions or contributions in the approved and posted periods paid in these dates.',
    note: 'Statutory deductions withheld from staff and the employer’s statutory contributions, per period, with the account each is owed through.',
    groupBy: 0,
    breakGroups: false
  }
}

/** The periods left out (not approved or posted), in words, or null when there are none. */
function leftOutWords(src: ReportSource, left: PeriodLine[]): string | null {
  if (left.length === 0) return null
  const each = left.map((p) => `${p.name} (pay date ${dateWords(src, p.payDate)}, ${STATUS_WORDS[p.status]})`).join('; ')
  return `Left out, not approved yet: ${each}.`
}

export const payrollRegister: ReportDefinition = {
  name: 'payroll-register',
  build(src, params: ReportParams) {
    const all = src.sqlite
      .prepare(`SELECT id, name, status, pay_date AS payDate FROM payroll_periods WHERE pay_date >= ? AND pay_date <= ? ORDER BY pay_date, start_date, id`)
      .all(params.from, params.to) as PeriodLine[]
    const periods = all.filter((p) => REPORTED.includes(p.status))
    const left = leftOutWords(
      src,
      all.filter((p) => !REPORTED.includes(p.status))
    )
    let service: PayrollService | null = null
    const pay = (): PayrollService => (service ??= payrollOn(src))
    const count = periods.length
    return {
      name: 'payroll-register',
      title: 'Payroll register',
      subtitle: rangeWords(src, params),
      parameters: [
        ...rangeParameters(src, params),
        { label: 'Periods', value: count === 0 ? 'None approved or posted' : periods.map(periodLabel).join(', ') }
      ],
      profile: src.profile,
      tables: [registerTable(src, pay, periods, left), statutoryTable(src, pay, periods)],
      landscape: true
    }
  }
}
