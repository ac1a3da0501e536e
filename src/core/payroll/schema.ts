import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { ComponentKind, ComponentMethod, PayFrequency, PayslipStatus, PayPeriodStatus, Rounding, StaffStatus } from '../../shared/contract/payroll'
import { enumValues } from '../platform/db/enum'
import { members } from '../members'
import { operators } from '../operators'
import { journalEntries, ledgerAccounts } from '../ledger'

/** The cooperative's own staff (not necessarily members). */
export const payrollStaff = sqliteTable(
  'payroll_staff',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    staffNo: text('staff_no').notNull(),
    fullName: text('full_name').notNull(),
    nationalId: text('national_id'),
    taxPin: text('tax_pin'),
    bankName: text('bank_name'),
    bankAccount: text('bank_account'),
    /** Where the payslip is emailed, and alerts by SMS (issue #14). */
    email: text('email'),
    phone: text('phone'),
    hireDate: text('hire_date').notNull(),
    leavingDate: text('leaving_date'),
    status: text('status', { enum: enumValues(StaffStatus) }).notNull(),
    memberId: integer('member_id').references(() => members.id, { onDelete: 'restrict' }),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    uniqueIndex('payroll_staff_no_unique').on(sql`${t.staffNo} COLLATE NOCASE`),
    check('payroll_staff_dates', sql`${t.leavingDate} IS NULL OR ${t.leavingDate} >= ${t.hireDate}`)
  ]
)

/** Pay components: earnings, deductions, employer contributions; their rules are dated (payroll_component_rates). */
export const payrollComponents = sqliteTable(
  'payroll_components',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: enumValues(ComponentKind) }).notNull(),
    taxable: integer('taxable', { mode: 'boolean' }).notNull().default(false),
    preTax: integer('pre_tax', { mode: 'boolean' }).notNull().default(false),
    prorate: integer('prorate', { mode: 'boolean' }).notNull().default(false),
    statutory: integer('statutory', { mode: 'boolean' }).notNull().default(false),
    accountId: integer('account_id')
      .notNull()
      .references(() => ledgerAccounts.id, { onDelete: 'restrict' }),
    payableAccountId: integer('payable_account_id').references(() => ledgerAccounts.id, { onDelete: 'restrict' }),
    sortOrder: integer('sort_order').notNull().default(100),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    uniqueIndex('payroll_components_code_unique').on(t.code),
    check('payroll_components_payable', sql`(${t.kind} = 'employer') = (${t.payableAccountId} IS NOT NULL)`),
    check('payroll_components_flags', sql`(${t.kind} = 'earning' OR (${t.taxable} = 0 AND ${t.prorate} = 0)) AND (${t.kind} = 'deduction' OR ${t.preTax} = 0)`)
  ]
)

/** A component's rule from a date on: next year's rates are a new row, so last year's payslips never change. */
export const payrollComponentRates = sqliteTable(
  'payroll_component_rates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    componentId: integer('component_id')
      .notNull()
      .references(() => payrollComponents.id, { onDelete: 'restrict' }),
    effectiveFrom: text('effective_from').notNull(),
    method: text('method', { enum: enumValues(ComponentMethod) }).notNull(),
    amountMinor: integer('amount_minor'),
    ratePercent: text('rate_percent'),
    base: text('base'),
    capMinor: integer('cap_minor'),
    floorMinor: integer('floor_minor'),
    /** JSON: [{ upToMinor, ratePercent }], for method bands. */
    bands: text('bands'),
    reliefMinor: integer('relief_minor'),
    rounding: text('rounding', { enum: enumValues(Rounding) }).notNull(),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull()
  },
  (t) => [uniqueIndex('payroll_component_rates_from').on(t.componentId, t.effectiveFrom)]
)

/** A staff member's pay structure from a date on: the components they get and their amounts. */
export const payrollStructures = sqliteTable(
  'payroll_structures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    staffId: integer('staff_id')
      .notNull()
      .references(() => payrollStaff.id, { onDelete: 'restrict' }),
    effectiveFrom: text('effective_from').notNull(),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull()
  },
  (t) => [uniqueIndex('payroll_structures_from').on(t.staffId, t.effectiveFrom)]
)

export const payrollStructureItems = sqliteTable(
  'payroll_structure_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    structureId: integer('structure_id')
      .notNull()
      .references(() => payrollStructures.id, { onDelete: 'cascade' }),
    componentId: integer('component_id')
      .notNull()
      .references(() => payrollComponents.id, { onDelete: 'restrict' }),
    amountMinor: integer('amount_minor'),
    ratePercent: text('rate_percent')
  },
  (t) => [uniqueIndex('payroll_structure_items_once').on(t.structureId, t.componentId), check('payroll_structure_items_amount', sql`${t.amountMinor} IS NULL OR ${t.amountMinor} >= 0`)]
)

/** A payroll calendar: periods of a frequency from a first start, each drafted by a rule. */
export const payrollCalendars = sqliteTable(
  'payroll_calendars',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    frequency: text('frequency', { enum: enumValues(PayFrequency) }).notNull(),
    firstStart: text('first_start').notNull(),
    payDayOffset: integer('pay_day_offset').notNull().default(0),
    /** JSON AutomationRule. */
    rule: text('rule').notNull(),
    automation: integer('automation', { mode: 'boolean' }).notNull().default(true),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1)
  },
  (t) => [uniqueIndex('payroll_calendars_name_unique').on(sql`${t.name} COLLATE NOCASE`)]
)

/** A payroll period: drafted by its rule, reviewed, approved by a second operator, posted. */
export const payrollPeriods = sqliteTable(
  'payroll_periods',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    calendarId: integer('calendar_id').references(() => payrollCalendars.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    frequency: text('frequency', { enum: enumValues(PayFrequency) }).notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
    payDate: text('pay_date').notNull(),
    /** JSON AutomationRule. */
    rule: text('rule').notNull(),
    automation: integer('automation', { mode: 'boolean' }).notNull().default(true),
    status: text('status', { enum: enumValues(PayPeriodStatus) }).notNull(),
    statusNote: text('status_note'),
    draftedById: integer('drafted_by_id').references(() => operators.id, { onDelete: 'restrict' }),
    draftedBy: text('drafted_by'),
    draftedAt: text('drafted_at'),
    approvedById: integer('approved_by_id').references(() => operators.id, { onDelete: 'restrict' }),
    approvedBy: text('approved_by'),
    approvedAt: text('approved_at'),
    postedById: integer('posted_by_id').references(() => operators.id, { onDelete: 'restrict' }),
    postedBy: text('posted_by'),
    postedAt: text('posted_at'),
    entryId: integer('entry_id').references(() => journalEntries.id, { onDelete: 'restrict' }),
    postings: integer('postings').notNull().default(0),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    uniqueIndex('payroll_periods_calendar_start').on(t.calendarId, t.startDate).where(sql`${t.calendarId} IS NOT NULL`),
    index('payroll_periods_status_idx').on(t.status, t.endDate),
    check('payroll_periods_dates', sql`${t.endDate} >= ${t.startDate}`),
    check('payroll_periods_posted', sql`${t.status} <> 'posted' OR ${t.entryId} IS NOT NULL`)
  ]
)

/** What happened to a period: drafted, recomputed, approved, posted, reversed by a forced re-run (with the reason). */
export const payrollPeriodEvents = sqliteTable(
  'payroll_period_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    periodId: integer('period_id')
      .notNull()
      .references(() => payrollPeriods.id, { onDelete: 'restrict' }),
    at: text('at').notNull(),
    action: text('action', { enum: ['created', 'drafted', 'recomputed', 'failed', 'approved', 'posted', 'reversed', 'changed'] }).notNull(),
    operatorId: integer('operator_id').references(() => operators.id, { onDelete: 'restrict' }),
    by: text('by').notNull(),
    reason: text('reason'),
    entryId: integer('entry_id').references(() => journalEntries.id, { onDelete: 'restrict' })
  },
  (t) => [index('payroll_period_events_period_idx').on(t.periodId)]
)

/** One payslip per (period, staff member): the unique key, not a lock, is what keeps a period from being paid twice. */
export const payrollPayslips = sqliteTable(
  'payroll_payslips',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    periodId: integer('period_id')
      .notNull()
      .references(() => payrollPeriods.id, { onDelete: 'restrict' }),
    staffId: integer('staff_id')
      .notNull()
      .references(() => payrollStaff.id, { onDelete: 'restrict' }),
    status: text('status', { enum: enumValues(PayslipStatus) }).notNull(),
    error: text('error'),
    structureId: integer('structure_id').references(() => payrollStructures.id, { onDelete: 'restrict' }),
    daysWorked: integer('days_worked').notNull(),
    daysInPeriod: integer('days_in_period').notNull(),
    grossMinor: integer('gross_minor').notNull().default(0),
    taxableMinor: integer('taxable_minor').notNull().default(0),
    deductionsMinor: integer('deductions_minor').notNull().default(0),
    netMinor: integer('net_minor').notNull().default(0),
    employerMinor: integer('employer_minor').notNull().default(0),
    computedAt: text('computed_at').notNull(),
    /** The job run (or null: an operator) that made it. */
    runId: integer('run_id')
  },
  (t) => [
    uniqueIndex('payroll_payslips_once').on(t.periodId, t.staffId),
    index('payroll_payslips_staff_idx').on(t.staffId),
    check('payroll_payslips_net', sql`${t.netMinor} >= 0 AND ${t.grossMinor} >= 0`),
    check('payroll_payslips_error', sql`(${t.status} = 'failed') = (${t.error} IS NOT NULL)`)
  ]
)

/** A payslip's lines as worked out: a snapshot, so later rates never change it. */
export const payrollPayslipLines = sqliteTable(
  'payroll_payslip_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    payslipId: integer('payslip_id')
      .notNull()
      .references(() => payrollPayslips.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    componentId: integer('component_id')
      .notNull()
      .references(() => payrollComponents.id, { onDelete: 'restrict' }),
    rateId: integer('rate_id')
      .notNull()
      .references(() => payrollComponentRates.id, { onDelete: 'restrict' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: enumValues(ComponentKind) }).notNull(),
    statutory: integer('statutory', { mode: 'boolean' }).notNull().default(false),
    baseMinor: integer('base_minor'),
    amountMinor: integer('amount_minor').notNull(),
    rounding: text('rounding', { enum: enumValues(Rounding) }).notNull(),
    workings: text('workings').notNull()
  },
  (t) => [uniqueIndex('payroll_payslip_lines_no').on(t.payslipId, t.lineNo), check('payroll_payslip_lines_amount', sql`${t.amountMinor} >= 0`)]
)
