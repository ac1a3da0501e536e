import { z } from 'zod'
import { channel } from './define'
import { Empty } from './app'
import { calendarDate, id, optionalEmail, optionalPhone, optionalText, requiredText, version, wholeNumber } from './fields'

/**
 * Payroll (DESIGN.md, Payroll): the cooperative's own staff, their pay
 * components and pay structures with effective dates, payroll calendars and
 * periods with automation rules, drafting (one payslip per period and staff
 * member, a database constraint), review against the last period, approval
 * by a second operator, posting to the ledger, payslips and the register.
 *
 * Money is integer minor units of the book's currency. Percentages and band
 * rates are decimal text ("7.5"), read as exact fractions by core's pay
 * calculation (src/core/payroll/calc.ts), never through a float.
 */

/** A percentage as decimal text: "7.5", "30", "0.25"; no sign, spaces or exponent. */
export const percentText = (label: string) =>
  z
    .string({ error: `${label} must be a percentage like 7.5` })
    .trim()
    .refine((v) => v.length > 0, { error: `${label} is required` })
    .refine((v) => v.length === 0 || /^\d{1,4}(?:\.\d{1,6})?$/.test(v), { error: `${label} must be a percentage like 7.5 (at most 6 decimals)` })
    .refine((v) => !/^\d{1,4}(?:\.\d{1,6})?$/.test(v) || Number(v) <= 1000, { error: `${label} must be at most 1,000%` })

const money = (label: string) => wholeNumber(label, { min: 0, max: 1e15 })

export const Rounding = z.enum(['half-up', 'half-even', 'down', 'up'], { error: 'Choose how the amount is rounded' })
export type Rounding = z.infer<typeof Rounding>

// ---------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------

/** active: paid; suspended: not paid until active again; left: paid up to the leaving date, then never. */
export const StaffStatus = z.enum(['active', 'suspended', 'left'], { error: 'Choose the status' })
export type StaffStatus = z.infer<typeof StaffStatus>

export const StaffInput = z
  .object({
    staffNo: requiredText('Staff number', 20).refine((v) => /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(v), {
      error: 'Staff number may hold letters, digits and . _ / - only, starting with a letter or digit'
    }),
    fullName: requiredText('Full name', 120),
    nationalId: optionalText('National ID', 40),
    taxPin: optionalText('Tax PIN', 40),
    bankName: optionalText('Bank', 80),
    bankAccount: optionalText('Bank account', 40),
    /** Where the payslip is emailed when payroll posts (Settings → Email). */
    email: optionalEmail('Email'),
    /** For SMS notices. */
    phone: optionalPhone('Phone'),
    hireDate: calendarDate('Hire date'),
    leavingDate: calendarDate('Leaving date').nullable().default(null),
    status: StaffStatus.default('active'),
    /** The member this person also is, when they are one. */
    memberId: id.nullable().default(null)
  })
  .strict()
export type StaffInput = z.input<typeof StaffInput>

export const Staff = z.object({
  id: z.number().int(),
  staffNo: z.string(),
  fullName: z.string(),
  nationalId: z.string().nullable(),
  taxPin: z.string().nullable(),
  bankName: z.string().nullable(),
  bankAccount: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  hireDate: z.string(),
  leavingDate: z.string().nullable(),
  status: StaffStatus,
  memberId: z.number().int().nullable(),
  memberNo: z.string().nullable(),
  /** The structure in force today: its date and monthly-equivalent figures are on the detail. */
  structureFrom: z.string().nullable(),
  /** Basic pay of the structure in force today (per period), null without a structure or a BASIC component. */
  basicMinor: z.number().int().nullable(),
  version: z.number().int()
})
export type Staff = z.infer<typeof Staff>

export const StructureItemInput = z
  .object({
    componentId: id,
    /** A fixed component's amount per period (required for fixed, refused for the others). */
    amountMinor: money('Amount').nullable().default(null),
    /** A percentage component's own rate for this person (null: the component's rate). */
    ratePercent: percentText('Rate').nullable().default(null)
  })
  .strict()

export const StructureInput = z
  .object({
    staffId: id,
    /** From this date on (the structure in force on a period's last day is the one used). */
    effectiveFrom: calendarDate('Effective from'),
    items: z.array(StructureItemInput, { error: 'Components must be a list' }).min(1, { error: 'Add at least one component' }).max(60, {
      error: 'A pay structure can have at most 60 components'
    }),
    note: optionalText('Note', 300)
  })
  .strict()
export type StructureInput = z.input<typeof StructureInput>

export const StructureItem = z.object({
  componentId: z.number().int(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(['earning', 'deduction', 'employer']),
  method: z.enum(['fixed', 'percentage', 'bands']),
  amountMinor: z.number().int().nullable(),
  ratePercent: z.string().nullable()
})
export type StructureItem = z.infer<typeof StructureItem>

export const Structure = z.object({
  id: z.number().int(),
  staffId: z.number().int(),
  effectiveFrom: z.string(),
  note: z.string().nullable(),
  items: z.array(StructureItem),
  /** Used by a payslip of a posted period: kept as it is (add a structure with a later date instead). */
  locked: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string()
})
export type Structure = z.infer<typeof Structure>

export const StaffDetail = z.object({
  staff: Staff,
  /** Newest first. */
  structures: z.array(Structure),
  /** The person's last payslips, newest first. */
  payslips: z.array(
    z.object({ periodId: z.number().int(), periodName: z.string(), endDate: z.string(), status: z.string(), grossMinor: z.number().int(), netMinor: z.number().int() })
  )
})
export type StaffDetail = z.infer<typeof StaffDetail>

// ---------------------------------------------------------------------------
// Components
// ---------------------------------------------------------------------------

export const ComponentKind = z.enum(['earning', 'deduction', 'employer'], { error: 'Choose earning, deduction or employer contribution' })
export type ComponentKind = z.infer<typeof ComponentKind>
export const ComponentMethod = z.enum(['fixed', 'percentage', 'bands'], { error: 'Choose fixed, percentage or bands' })
export type ComponentMethod = z.infer<typeof ComponentMethod>

/** What a percentage or band table is of: gross, basic, taxable pay, or an earning's code. */
export const baseName = requiredText('Base', 20)

export const BandInput = z
  .object({
    /** Upper bound of the band per period, in minor units; null on the last band: no upper bound. */
    upToMinor: money('Up to').nullable(),
    ratePercent: percentText('Rate')
  })
  .strict()

/** One dated version of a component's rule: rates, bands and reliefs take effect on a date. */
export const RateInput = z
  .object({
    effectiveFrom: calendarDate('Effective from'),
    method: ComponentMethod,
    /** fixed: the default amount (each structure sets its own). */
    amountMinor: money('Amount').nullable().default(null),
    ratePercent: percentText('Rate').nullable().default(null),
    base: baseName.nullable().default(null),
    capMinor: money('Cap').nullable().default(null),
    floorMinor: money('Floor').nullable().default(null),
    bands: z.array(BandInput).max(30, { error: 'At most 30 bands' }).default([]),
    reliefMinor: money('Relief').nullable().default(null),
    rounding: Rounding,
    note: optionalText('Note', 300)
  })
  .strict()
export type RateInput = z.input<typeof RateInput>

export const ComponentInput = z
  .object({
    code: requiredText('Code', 20).refine((v) => /^[A-Z][A-Z0-9_]*$/.test(v), { error: 'Code must be capital letters, digits and _ , starting with a letter' }),
    name: requiredText('Name', 80),
    kind: ComponentKind,
    taxable: z.boolean().default(false),
    preTax: z.boolean().default(false),
    prorate: z.boolean().default(false),
    /** A statutory deduction or contribution (income tax, pension, health insurance): on the statutory summary. */
    statutory: z.boolean().default(false),
    /** Earnings and employer contributions: the expense account; deductions: the account the deduction is owed to (a payable, or a loan receivable). */
    accountId: id,
    /** Employer contributions: the account they are owed to. */
    payableAccountId: id.nullable().default(null),
    /** Its order on the payslip within its kind. */
    sortOrder: wholeNumber('Order', { min: 0, max: 999 }).default(100),
    rate: RateInput
  })
  .strict()
export type ComponentInput = z.input<typeof ComponentInput>

export const Band = z.object({ upToMinor: z.number().int().nullable(), ratePercent: z.string() })
export const Rate = z.object({
  id: z.number().int(),
  effectiveFrom: z.string(),
  method: ComponentMethod,
  amountMinor: z.number().int().nullable(),
  ratePercent: z.string().nullable(),
  base: z.string().nullable(),
  capMinor: z.number().int().nullable(),
  floorMinor: z.number().int().nullable(),
  bands: z.array(Band),
  reliefMinor: z.number().int().nullable(),
  rounding: Rounding,
  note: z.string().nullable(),
  /** Used by a payslip of a posted period: kept as it is. */
  locked: z.boolean(),
  /** In words: "Bands on taxable pay: 10% up to KES 24,000.00; 25% up to …; relief KES 2,400.00; rounded down". */
  describe: z.string()
})
export type Rate = z.infer<typeof Rate>

export const Component = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  kind: ComponentKind,
  taxable: z.boolean(),
  preTax: z.boolean(),
  prorate: z.boolean(),
  statutory: z.boolean(),
  accountId: z.number().int(),
  accountName: z.string(),
  payableAccountId: z.number().int().nullable(),
  payableAccountName: z.string().nullable(),
  sortOrder: z.number().int(),
  active: z.boolean(),
  /** The rate in force today (or the first one, when all are in the future). */
  current: Rate,
  /** Every dated version, newest first. */
  rates: z.array(Rate),
  /** How many pay structures in force today use it. */
  staffCount: z.number().int(),
  version: z.number().int()
})
export type Component = z.infer<typeof Component>

// ---------------------------------------------------------------------------
// Calendars, periods and automation
// ---------------------------------------------------------------------------

export const PayFrequency = z.enum(['monthly', 'biweekly', 'weekly'], { error: 'Choose monthly, every two weeks or weekly' })
export type PayFrequency = z.infer<typeof PayFrequency>

/**
 * When a period is drafted by the payroll job:
 * - on-date: on a given date (a single period's own date);
 * - days-before-end: N days before the period's last day (0: on its last day);
 * - cron: the first time the expression fires on or after the period's first
 *   day, in the cooperative's time zone.
 */
export const AutomationRule = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('on-date'), date: calendarDate('Run on') }).strict(),
    z.object({ kind: z.literal('days-before-end'), days: wholeNumber('Days before the end', { min: 0, max: 60 }) }).strict(),
    z.object({ kind: z.literal('cron'), cron: requiredText('Cron expression', 120) }).strict()
  ],
  { error: 'Choose when it runs' }
)
export type AutomationRule = z.infer<typeof AutomationRule>

export const CalendarInput = z
  .object({
    name: requiredText('Name', 80),
    frequency: PayFrequency,
    /** The first day of the first period; the next ones follow (a month, two weeks or a week each). */
    firstStart: calendarDate('First period starts'),
    /** Days after a period's last day it is paid (0: on its last day). */
    payDayOffset: wholeNumber('Paid days after the end', { min: 0, max: 31 }).default(0),
    /** on-date is refused here: a calendar's periods each have their own dates. */
    rule: AutomationRule,
    automation: z.boolean().default(true)
  })
  .strict()
export type CalendarInput = z.input<typeof CalendarInput>

export const Calendar = z.object({
  id: z.number().int(),
  name: z.string(),
  frequency: PayFrequency,
  firstStart: z.string(),
  payDayOffset: z.number().int(),
  rule: AutomationRule,
  /** The rule in words. */
  ruleWords: z.string(),
  automation: z.boolean(),
  active: z.boolean(),
  periods: z.number().int(),
  /** Its next period not yet drafted and the day it is due, when automation is on. */
  next: z.object({ periodName: z.string(), start: z.string(), end: z.string(), dueOn: z.string().nullable() }).nullable(),
  version: z.number().int()
})
export type Calendar = z.infer<typeof Calendar>

export const PayPeriodStatus = z.enum(['active', 'draft', 'approved', 'posted', 'failed'])
export type PayPeriodStatus = z.infer<typeof PayPeriodStatus>

export const PayPeriodInput = z
  .object({
    /** A calendar's next period (its dates and rule follow the calendar), or a single period of its own. */
    calendarId: id.nullable().default(null),
    name: optionalText('Name', 80),
    frequency: PayFrequency.nullable().default(null),
    startDate: calendarDate('Start date').nullable().default(null),
    endDate: calendarDate('End date').nullable().default(null),
    payDate: calendarDate('Pay date').nullable().default(null),
    rule: AutomationRule.nullable().default(null),
    automation: z.boolean().default(true)
  })
  .strict()
export type PayPeriodInput = z.input<typeof PayPeriodInput>

export const PayPeriod = z.object({
  id: z.number().int(),
  calendarId: z.number().int().nullable(),
  calendarName: z.string().nullable(),
  name: z.string(),
  frequency: PayFrequency,
  startDate: z.string(),
  endDate: z.string(),
  payDate: z.string(),
  rule: AutomationRule,
  ruleWords: z.string(),
  automation: z.boolean(),
  /** The day the rule makes it due (null: a cron expression that never fires in time, or automation off). */
  dueOn: z.string().nullable(),
  status: PayPeriodStatus,
  /** Why it failed, or what the last force did, in words. */
  statusNote: z.string().nullable(),
  payslips: z.number().int(),
  failedPayslips: z.number().int(),
  grossMinor: z.number().int(),
  deductionsMinor: z.number().int(),
  netMinor: z.number().int(),
  employerMinor: z.number().int(),
  /** How many times it was posted (a forced re-run reverses and posts again). */
  postings: z.number().int(),
  draftedBy: z.string().nullable(),
  draftedAt: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  postedBy: z.string().nullable(),
  postedAt: z.string().nullable(),
  entryId: z.number().int().nullable(),
  version: z.number().int()
})
export type PayPeriod = z.infer<typeof PayPeriod>

export const PayPeriodEvent = z.object({
  at: z.string(),
  action: z.enum(['created', 'drafted', 'recomputed', 'failed', 'approved', 'posted', 'reversed', 'changed']),
  by: z.string(),
  reason: z.string().nullable(),
  entryId: z.number().int().nullable()
})
export type PayPeriodEvent = z.infer<typeof PayPeriodEvent>

export const PayPeriodDetail = z.object({ period: PayPeriod, events: z.array(PayPeriodEvent) })
export type PayPeriodDetail = z.infer<typeof PayPeriodDetail>

// ---------------------------------------------------------------------------
// Payslips, the register, the statutory summary
// ---------------------------------------------------------------------------

export const PayslipLine = z.object({
  code: z.string(),
  name: z.string(),
  kind: ComponentKind,
  statutory: z.boolean(),
  baseMinor: z.number().int().nullable(),
  amountMinor: z.number().int(),
  rounding: Rounding,
  /** "30% of KES 12,000.00 taxable pay (band 3), rounded down". */
  workings: z.string()
})
export type PayslipLine = z.infer<typeof PayslipLine>

export const PayslipStatus = z.enum(['ok', 'failed'])
export const Payslip = z.object({
  id: z.number().int(),
  periodId: z.number().int(),
  staffId: z.number().int(),
  staffNo: z.string(),
  fullName: z.string(),
  status: PayslipStatus,
  /** Why it could not be worked out, in words. */
  error: z.string().nullable(),
  daysWorked: z.number().int(),
  daysInPeriod: z.number().int(),
  /** The pro-rating rule in words when daysWorked < daysInPeriod, else null. */
  proration: z.string().nullable(),
  structureFrom: z.string().nullable(),
  grossMinor: z.number().int(),
  taxableMinor: z.number().int(),
  deductionsMinor: z.number().int(),
  netMinor: z.number().int(),
  employerMinor: z.number().int(),
  lines: z.array(PayslipLine),
  computedAt: z.string()
})
export type Payslip = z.infer<typeof Payslip>

/** What changed against the last period of the same calendar (or the last posted one before it). */
export const RegisterChange = z.enum(['new', 'left', 'net-changed', 'failed'])
export type RegisterChange = z.infer<typeof RegisterChange>

export const RegisterRow = z.object({
  staffId: z.number().int(),
  staffNo: z.string(),
  fullName: z.string(),
  /** null: a person on the last period who has no payslip now (left). */
  payslipId: z.number().int().nullable(),
  status: PayslipStatus.nullable(),
  error: z.string().nullable(),
  daysWorked: z.number().int(),
  daysInPeriod: z.number().int(),
  grossMinor: z.number().int(),
  deductionsMinor: z.number().int(),
  netMinor: z.number().int(),
  employerMinor: z.number().int(),
  previousNetMinor: z.number().int().nullable(),
  /** Exact change in percent, as text with one decimal ("12.5"), null where there is nothing to compare. */
  netChangePercent: z.string().nullable(),
  changes: z.array(RegisterChange)
})
export type RegisterRow = z.infer<typeof RegisterRow>

export const Register = z.object({
  period: PayPeriod,
  /** The period compared against, or null (the first one). */
  previous: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** A net change above this many percent is highlighted (Settings, Payroll). */
  thresholdPercent: z.string(),
  /**
   * What changed since the payslips were worked out (a pay structure, a
   * rate, a staff member's dates, someone hired since), in words, for a
   * period not yet posted: a recompute would use it. Empty when nothing did.
   */
  changedSince: z.array(z.string()),
  rows: z.array(RegisterRow),
  totals: z.object({
    staff: z.number().int(),
    grossMinor: z.number().int(),
    deductionsMinor: z.number().int(),
    netMinor: z.number().int(),
    employerMinor: z.number().int(),
    /** Per component, in payslip order. */
    components: z.array(z.object({ code: z.string(), name: z.string(), kind: ComponentKind, amountMinor: z.number().int() }))
  })
})
export type Register = z.infer<typeof Register>

export const StatutorySummary = z.object({
  period: PayPeriod,
  rows: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: ComponentKind,
      accountName: z.string(),
      staff: z.number().int(),
      baseMinor: z.number().int(),
      amountMinor: z.number().int()
    })
  ),
  totalMinor: z.number().int()
})
export type StatutorySummary = z.infer<typeof StatutorySummary>

/** What a run did (or would do, dry): per period. */
export const PayrollRunPeriod = z.object({
  periodId: z.number().int(),
  name: z.string(),
  /** drafted: all payslips made; partial: some failed (the next run completes them); recomputed: a forced draft; reposted: forced on a posted period; unchanged: nothing to do. */
  outcome: z.enum(['drafted', 'partial', 'recomputed', 'reposted', 'unchanged', 'failed']),
  made: z.number().int(),
  failed: z.number().int(),
  kept: z.number().int(),
  /** The reason it failed as a whole, or the first payslip failures, in words. */
  reason: z.string().nullable(),
  register: z.array(
    z.object({ staffNo: z.string(), fullName: z.string(), status: PayslipStatus, grossMinor: z.number().int(), deductionsMinor: z.number().int(), netMinor: z.number().int(), error: z.string().nullable() })
  )
})
export const PayrollRunReport = z.object({
  dryRun: z.boolean(),
  today: z.string(),
  periods: z.array(PayrollRunPeriod),
  /** Periods created from calendars by this run. */
  created: z.number().int()
})
export type PayrollRunReport = z.infer<typeof PayrollRunReport>

export const PayrollSettings = z
  .object({
    /** A net change larger than this percentage against the last period is highlighted in review. */
    netChangePercent: percentText('Net change')
  })
  .strict()
export type PayrollSettings = z.infer<typeof PayrollSettings>

const periodRef = z.object({ id, expectedVersion: version }).strict()

export const payrollContract = {
  'payroll.staffList': channel(
    z.object({ status: StaffStatus.optional(), search: optionalText('Search', 80) }).strict().default({ search: null }),
    z.object({ staff: z.array(Staff) })
  ),
  'payroll.staff': channel(z.object({ id }).strict(), StaffDetail),
  'payroll.createStaff': channel(StaffInput, Staff),
  'payroll.updateStaff': channel(StaffInput.extend({ id, expectedVersion: version }).strict(), Staff),
  /** A structure with this effective date replaces that date's one (unless locked); otherwise a new one. */
  'payroll.saveStructure': channel(StructureInput, StaffDetail),
  'payroll.deleteStructure': channel(z.object({ id }).strict(), StaffDetail),

  'payroll.components': channel(z.object({ includeInactive: z.boolean().default(true) }).strict().default({ includeInactive: true }), z.object({ components: z.array(Component) })),
  'payroll.component': channel(z.object({ id }).strict(), Component),
  'payroll.createComponent': channel(ComponentInput, Component),
  /** Name, flags, accounts and order; the code is fixed once a payslip used it. */
  'payroll.updateComponent': channel(ComponentInput.omit({ rate: true }).extend({ id, expectedVersion: version }).strict(), Component),
  /** A dated rate: the same date replaces that version (unless locked); a new date adds one. */
  'payroll.saveRate': channel(RateInput.extend({ componentId: id }).strict(), Component),
  'payroll.deleteRate': channel(z.object({ id }).strict(), Component),
  'payroll.setComponentActive': channel(z.object({ id, expectedVersion: version, active: z.boolean() }).strict(), Component),

  'payroll.calendars': channel(Empty, z.object({ calendars: z.array(Calendar) })),
  'payroll.createCalendar': channel(CalendarInput, Calendar),
  /** Frequency and first start are fixed once it has periods. */
  'payroll.updateCalendar': channel(CalendarInput.extend({ id, expectedVersion: version }).strict(), Calendar),
  'payroll.setCalendarActive': channel(z.object({ id, expectedVersion: version, active: z.boolean() }).strict(), Calendar),
  'payroll.periods': channel(
    z.object({ calendarId: id.optional(), status: PayPeriodStatus.optional() }).strict().default({}),
    z.object({ periods: z.array(PayPeriod) })
  ),
  'payroll.period': channel(z.object({ id }).strict(), PayPeriodDetail),
  'payroll.createPeriod': channel(PayPeriodInput, PayPeriod),
  /** Pay date, rule and automation, while it is not approved or posted. */
  'payroll.updatePeriod': channel(
    z.object({ id, expectedVersion: version, payDate: calendarDate('Pay date'), rule: AutomationRule, automation: z.boolean() }).strict(),
    PayPeriod
  ),

  'payroll.register': channel(z.object({ periodId: id }).strict(), Register),
  'payroll.payslip': channel(z.object({ periodId: id, staffId: id }).strict(), Payslip),
  'payroll.statutory': channel(z.object({ periodId: id }).strict(), StatutorySummary),
  /**
   * The payroll job's work now: with a period, that period only (drafted even
   * if not due yet); without, every period that is due. force: a draft is
   * recomputed; a posted period is reversed and posted anew (reason
   * required). dryRun: worked out and shown, nothing written.
   */
  'payroll.run': channel(
    z
      .object({
        periodId: id.nullable().default(null),
        force: z.boolean().default(false),
        dryRun: z.boolean().default(false),
        reason: optionalText('Reason', 300)
      })
      .strict(),
    PayrollRunReport
  ),
  /** A complete draft, by an operator other than the one who drafted it when payments need two (Settings, Security). */
  'payroll.approve': channel(periodRef, PayPeriod),
  /** Back to draft from approved (a mistake found before posting). */
  'payroll.unapprove': channel(periodRef.extend({ reason: requiredText('Reason', 300) }).strict(), PayPeriod),
  /** Salary expense, each payable, net pay to the bank: one entry, on the pay date. */
  'payroll.post': channel(periodRef, PayPeriod),
  /** Payslips of a period as one PDF (one staff member's when staffId is given). */
  /** Refused (CONFLICT, naming the people and characters) when a name has characters no font can print, unless printWithMissingGlyphs. */
  'payroll.payslipsPdf': channel(z.object({ periodId: id, staffId: id.nullable().default(null), printWithMissingGlyphs: z.boolean().optional() }).strict(), z.object({ file: z.string(), payslips: z.number().int() })),
  /** The register (and the statutory summary, its second sheet) as a workbook. */
  'payroll.exportRegister': channel(z.object({ periodId: id }).strict(), z.object({ file: z.string(), rows: z.number().int() })),
  'payroll.statutoryPdf': channel(z.object({ periodId: id }).strict(), z.object({ file: z.string() })),
  'payroll.settings': channel(Empty, PayrollSettings),
  'payroll.saveSettings': channel(PayrollSettings, PayrollSettings)
}
