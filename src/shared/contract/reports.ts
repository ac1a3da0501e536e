import { z } from 'zod'
import { channel } from './define'
import { Empty } from './app'
import { calendarDate, id, pageLimit, pageOffset, requiredText, wholeNumber } from './fields'

/**
 * Reports to the board and to members (issue 15): every report opens on
 * screen first (`reports.view`), then exports to Excel or PDF off the UI
 * path (`reports.export`, a run of the `report-export` job on a worker
 * thread, with progress and Cancel). Every file made is listed in
 * "Generated reports" with its parameters, when it was made, who made it,
 * the SHA-256 of the file and a fingerprint of the data it read; from there
 * it is reopened (the file checked against its SHA-256 first) or emailed.
 * The weekly and monthly summary jobs make their reports on a schedule.
 *
 * Amounts are integer minor units of the book's currency everywhere here.
 */

/** The reports, by the names the command line uses (`coffer report <name>`). */
export const ReportName = z.enum([
  'monthly-summary',
  'weekly-summary',
  'payment-register',
  'member-statement',
  'portfolio',
  'withholding-tax',
  'payroll-register',
  'trial-balance',
  'account-statement',
  'series-register',
  'coupon-liability'
])
export type ReportName = z.infer<typeof ReportName>

export const ReportFormat = z.enum(['xlsx', 'pdf'])
export type ReportFormat = z.infer<typeof ReportFormat>

/** Whether a report takes a parameter: needs it, may take it, or refuses it (never ignored). */
export type ParamUse = 'required' | 'optional' | 'refused'

export interface ReportInfo {
  name: ReportName
  title: string
  /** One sentence for the Reports page. */
  description: string
  /** What the From–To dates mean for it. */
  dates: string
  /** The range the Reports page proposes: the last whole month, the last ISO week, the year so far, the last whole year. */
  defaultRange: 'last-month' | 'last-week' | 'year-to-date' | 'last-year'
  member: ParamUse
  account: ParamUse
  series: ParamUse
  /** withholding-tax only: a PDF of one certificate per member for a whole calendar year. */
  certificates: boolean
  /** The permission a report needs beyond `read` (payroll figures need payroll.read). */
  permission: 'read' | 'payroll.read'
}

/** What each report is and what it takes. The Reports page, core's checks and the command line all read this. */
export const REPORTS: Readonly<Record<ReportName, ReportInfo>> = {
  'monthly-summary': {
    name: 'monthly-summary',
    title: 'Monthly summary',
    description:
      'Coupons and redemptions paid, tax withheld, new holdings, maturities, deposits and withdrawals, standing orders run and failed, payroll totals and the cash position, month by month.',
    dates: 'Every calendar month that overlaps the dates, each cut to them.',
    defaultRange: 'last-month',
    member: 'refused',
    account: 'refused',
    series: 'refused',
    certificates: false,
    permission: 'read'
  },
  'weekly-summary': {
    name: 'weekly-summary',
    title: 'Weekly summary',
    description: 'The monthly summary’s figures week by week (ISO weeks, Monday to Sunday).',
    dates: 'Every ISO week that overlaps the dates, each cut to them.',
    defaultRange: 'last-week',
    member: 'refused',
    account: 'refused',
    series: 'refused',
    certificates: false,
    permission: 'read'
  },
  'payment-register': {
    name: 'payment-register',
    title: 'Payment register',
    description: 'Every payment paid in the dates: voucher, payee, gross, tax, net, method and reference.',
    dates: 'Payments by the day they were paid.',
    defaultRange: 'last-month',
    member: 'optional',
    account: 'refused',
    series: 'optional',
    certificates: false,
    permission: 'read'
  },
  'member-statement': {
    name: 'member-statement',
    title: 'Member statement',
    description: 'A member’s accounts with running balances and their bond holdings; for one member or every active member in one batch.',
    dates: 'Lines with a value date in the dates, after the balance brought forward.',
    defaultRange: 'year-to-date',
    member: 'optional',
    account: 'refused',
    series: 'refused',
    certificates: false,
    permission: 'read'
  },
  portfolio: {
    name: 'portfolio',
    title: 'Member portfolio',
    description: 'Bond holdings at the end date with their value and accrued interest, and the coupons paid in the dates; for one member or every active member.',
    dates: 'Holdings as at the To date; coupons paid in the dates.',
    defaultRange: 'year-to-date',
    member: 'optional',
    account: 'refused',
    series: 'optional',
    certificates: false,
    permission: 'read'
  },
  'withholding-tax': {
    name: 'withholding-tax',
    title: 'Withholding tax',
    description: 'Tax withheld from coupons by month and by member; as PDF certificates, one per member for a calendar year.',
    dates: 'Payments by the day they were paid. Certificates need a whole calendar year.',
    defaultRange: 'last-month',
    member: 'optional',
    account: 'refused',
    series: 'refused',
    certificates: true,
    permission: 'read'
  },
  'payroll-register': {
    name: 'payroll-register',
    title: 'Payroll register',
    description: 'Each payroll period paid in the dates: every payslip’s earnings, deductions and net pay, and the statutory deductions owed.',
    dates: 'Payroll periods by their pay date.',
    defaultRange: 'last-month',
    member: 'refused',
    account: 'refused',
    series: 'refused',
    certificates: false,
    permission: 'payroll.read'
  },
  'trial-balance': {
    name: 'trial-balance',
    title: 'Trial balance',
    description: 'Every account’s balance brought forward, debits and credits in the dates, and closing balance; debits equal credits.',
    dates: 'Opening balances at the From date, closing at the To date.',
    defaultRange: 'year-to-date',
    member: 'refused',
    account: 'refused',
    series: 'refused',
    certificates: false,
    permission: 'read'
  },
  'account-statement': {
    name: 'account-statement',
    title: 'Account statement',
    description: 'One ledger account’s lines in the dates with a running balance.',
    dates: 'Lines with a value date in the dates, after the balance brought forward.',
    defaultRange: 'last-month',
    member: 'refused',
    account: 'required',
    series: 'refused',
    certificates: false,
    permission: 'read'
  },
  'series-register': {
    name: 'series-register',
    title: 'Series register',
    description: 'Each bond series with units issued and redeemed in the dates and units outstanding at the end date.',
    dates: 'Movements in the dates; outstanding as at the To date.',
    defaultRange: 'year-to-date',
    member: 'refused',
    account: 'refused',
    series: 'optional',
    certificates: false,
    permission: 'read'
  },
  'coupon-liability': {
    name: 'coupon-liability',
    title: 'Coupon liability',
    description: 'Interest accrued on every holding and not yet paid at the end date, by series and holding.',
    dates: 'Accrued as at the To date; coupons paid in the dates are shown for reference.',
    defaultRange: 'last-month',
    member: 'refused',
    account: 'refused',
    series: 'optional',
    certificates: false,
    permission: 'read'
  }
}

/** The longest range a report takes: ten years. */
export const MAX_REPORT_DAYS = 3660

export const ReportParams = z
  .object({
    from: calendarDate('From'),
    to: calendarDate('To'),
    memberId: id.optional(),
    accountId: id.optional(),
    seriesId: id.optional(),
    /** withholding-tax as PDF: one certificate per member (or the member's) for the calendar year the dates span exactly. */
    certificates: z.boolean().optional()
  })
  .strict()
export type ReportParams = z.infer<typeof ReportParams>

export const ReportRequest = z.object({ name: ReportName, params: ReportParams }).strict()
export type ReportRequest = z.infer<typeof ReportRequest>

/**
 * A column's kind: how its cells are written and formatted. money: integer
 * minor units; count and units: whole numbers; date: YYYY-MM-DD; percent:
 * the rate as exact decimal text ("12.5" is 12.5%); text: text.
 */
export const ReportColumnKind = z.enum(['text', 'money', 'count', 'units', 'date', 'percent'])
export type ReportColumnKind = z.infer<typeof ReportColumnKind>

export const ReportColumn = z.object({
  key: z.string(),
  label: z.string(),
  kind: ReportColumnKind,
  /** Added up (exactly) on the table's totals row. */
  total: z.boolean()
})
export type ReportColumn = z.infer<typeof ReportColumn>

export const ReportCell = z.union([z.string(), z.number().int(), z.null()])
export type ReportCell = z.infer<typeof ReportCell>

/** normal; heading: a group's label row; opening: a balance brought forward; subtotal; total. */
export const ReportRowStyle = z.enum(['normal', 'heading', 'opening', 'subtotal', 'total'])
export type ReportRowStyle = z.infer<typeof ReportRowStyle>

export const ReportRow = z.object({
  cells: z.array(ReportCell),
  /** A row of counts in a table of money columns (a summary's "Payments paid" line): its money cells are whole numbers. */
  kind: z.enum(['money', 'count']).nullable(),
  style: ReportRowStyle
})
export type ReportRow = z.infer<typeof ReportRow>

export const ReportTableView = z.object({
  key: z.string(),
  title: z.string(),
  columns: z.array(ReportColumn),
  /** This page of rows. */
  rows: z.array(ReportRow),
  offset: z.number().int(),
  /** All the table's rows. */
  rowCount: z.number().int(),
  /** The totals row (exact sums of the total columns over every row), or null. */
  totals: ReportRow.nullable(),
  /** Said in place of a table with no rows. */
  empty: z.string(),
  note: z.string().nullable(),
  /** Rows are grouped by this column (a member, an account): a heading per group on paper. */
  groupBy: z.number().int().nullable()
})
export type ReportTableView = z.infer<typeof ReportTableView>

export const ReportView = z.object({
  name: ReportName,
  title: z.string(),
  /** "1 Nov 2026 – 30 Nov 2026", a member's name… */
  subtitle: z.string(),
  parameters: z.array(z.object({ label: z.string(), value: z.string() })),
  currency: z.string(),
  tables: z.array(ReportTableView),
  /** SHA-256 of the data the report read (the same data always gives the same fingerprint, whatever the format). */
  fingerprint: z.string(),
  /** UTC ISO */
  madeAt: z.string()
})
export type ReportView = z.infer<typeof ReportView>

export const GeneratedReport = z.object({
  id: z.number().int(),
  name: ReportName,
  title: z.string(),
  subtitle: z.string(),
  params: ReportParams,
  format: ReportFormat,
  /** The file's full path. */
  file: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  fingerprint: z.string(),
  rows: z.number().int(),
  /** UTC ISO */
  madeAt: z.string(),
  /** An operator's name, "Weekly summary job", "Monthly summary job" or "Command line (…)". */
  madeBy: z.string(),
  /** The file as it is now: there and unchanged; missing; or changed since it was made (its SHA-256 differs). */
  fileState: z.enum(['ok', 'missing', 'changed'])
})
export type GeneratedReport = z.infer<typeof GeneratedReport>

/** An export in progress or ended. */
export const ExportStatus = z.object({
  runId: z.number().int(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'interrupted', 'timed-out']),
  done: z.number().int(),
  total: z.number().int().nullable(),
  /** What it is on ("Rows", "Pages"). */
  note: z.string().nullable(),
  /** The file made, once succeeded. */
  generated: GeneratedReport.nullable(),
  /** In Coffer's words, when it did not succeed. */
  error: z.string().nullable()
})
export type ExportStatus = z.infer<typeof ExportStatus>

export const ReportSettings = z.object({
  /** Where the weekly and monthly summaries are emailed (empty: not emailed, said in their notification). */
  recipients: z.array(z.string()),
  weeklyFormat: ReportFormat,
  monthlyFormat: ReportFormat,
  version: z.number().int()
})
export type ReportSettings = z.infer<typeof ReportSettings>

const emailAddress = requiredText('Address', 254).refine((v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), { error: 'Address must be an email address like treasurer@example.org' })

export const ReportSettingsInput = z
  .object({
    recipients: z.array(emailAddress).max(20, { error: 'At most 20 recipients' }),
    weeklyFormat: ReportFormat,
    monthlyFormat: ReportFormat,
    expectedVersion: wholeNumber('The version', { min: 0 })
  })
  .strict()
export type ReportSettingsInput = z.input<typeof ReportSettingsInput>

export const reportsContract = {
  /** The report on screen: every table's first `limit` rows from `offset` (or, with `table`, that table's), with its exact totals. */
  'reports.view': channel(
    z
      .object({
        name: ReportName,
        params: ReportParams,
        /** Page only this table (by key); the others come back with no rows. */
        table: z.string().max(40).optional(),
        offset: pageOffset(),
        limit: pageLimit(500, 100)
      })
      .strict(),
    ReportView
  ),
  /** Starts the export on the report-export job (one at a time) and answers at once. */
  'reports.export': channel(
    z.object({ name: ReportName, params: ReportParams, format: ReportFormat }).strict(),
    z.object({ runId: z.number().int() })
  ),
  'reports.exportStatus': channel(z.object({ runId: id }).strict(), ExportStatus),
  /** Cancels a running export (its partial file is removed; nothing is listed). */
  'reports.cancelExport': channel(z.object({ runId: id }).strict(), z.object({ cancelling: z.boolean() })),
  'reports.generated': channel(
    z.object({ name: ReportName.optional(), offset: pageOffset(), limit: pageLimit(200, 50) }).strict(),
    z.object({ rows: z.array(GeneratedReport), total: z.number().int() })
  ),
  /** A generated report's file, checked against its SHA-256: refused when it is missing or changed. */
  'reports.file': channel(z.object({ id }).strict(), z.object({ file: z.string() })),
  /** Queues an email with the file attached (checked against its SHA-256 first). */
  'reports.email': channel(
    z
      .object({
        id,
        to: z.array(emailAddress).min(1, { error: 'Give at least one address' }).max(20, { error: 'At most 20 addresses' }),
        message: requiredText('Message', 2000, { multiline: true }).optional()
      })
      .strict(),
    z.object({ queued: z.number().int() })
  ),
  'reports.settings': channel(Empty, ReportSettings),
  'reports.saveSettings': channel(ReportSettingsInput, ReportSettings)
}
