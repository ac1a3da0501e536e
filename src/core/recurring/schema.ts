import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { AmountKind, FundsPolicy, OccurrenceStatus, OrderStatus, PostMode, ReviewReason, TemplateStatus } from '../../shared/contract/recurring'
import { FREQUENCIES, HOLIDAY_RULES } from '../../shared/recurrence'
import { enumValues } from '../platform/db/enum'
import { members } from '../members'
import { operators } from '../operators'
import { journalEntries, ledgerAccounts, memberAccounts } from '../ledger'

/**
 * The society's recurring journal entries. `next_n` is the index of the
 * next occurrence to generate (the schedule gives its date from the start
 * date, src/shared/recurrence.ts); every occurrence is a row of
 * recurring_occurrences, unique per (template, scheduled date).
 */
export const recurringTemplates = sqliteTable(
  'recurring_templates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    description: text('description').notNull(),
    amountKind: text('amount_kind', { enum: enumValues(AmountKind) }).notNull(),
    frequency: text('frequency', { enum: FREQUENCIES }).notNull(),
    startDate: text('start_date').notNull(),
    monthEnd: integer('month_end', { mode: 'boolean' }).notNull().default(false),
    endDate: text('end_date'),
    maxOccurrences: integer('max_occurrences'),
    daysAhead: integer('days_ahead').notNull().default(0),
    holidayRule: text('holiday_rule', { enum: HOLIDAY_RULES }).notNull(),
    postMode: text('post_mode', { enum: enumValues(PostMode) }).notNull(),
    status: text('status', { enum: enumValues(TemplateStatus) }).notNull().default('active'),
    statusNote: text('status_note'),
    /** The date it was paused (occurrences from then until it resumes are recorded skipped). */
    pausedOn: text('paused_on'),
    nextN: integer('next_n').notNull().default(1),
    createdById: integer('created_by_id').references(() => operators.id, { onDelete: 'restrict' }),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    uniqueIndex('recurring_templates_name_unique').on(sql`${t.name} COLLATE NOCASE`),
    check('recurring_templates_month_end_bool', sql`${t.monthEnd} IN (0, 1)`),
    check('recurring_templates_days_ahead', sql`${t.daysAhead} >= 0`),
    check('recurring_templates_next_n', sql`${t.nextN} >= 1`)
  ]
)

/** A template's lines: the entry each occurrence posts. */
export const recurringTemplateLines = sqliteTable(
  'recurring_template_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    templateId: integer('template_id')
      .notNull()
      .references(() => recurringTemplates.id, { onDelete: 'restrict' }),
    lineNo: integer('line_no').notNull(),
    accountId: integer('account_id')
      .notNull()
      .references(() => ledgerAccounts.id, { onDelete: 'restrict' }),
    memberAccountId: integer('member_account_id').references(() => memberAccounts.id, { onDelete: 'restrict' }),
    debitMinor: integer('debit_minor').notNull().default(0),
    creditMinor: integer('credit_minor').notNull().default(0)
  },
  (t) => [
    uniqueIndex('recurring_template_lines_no').on(t.templateId, t.lineNo),
    check('recurring_template_lines_side', sql`(${t.debitMinor} > 0 AND ${t.creditMinor} = 0) OR (${t.debitMinor} = 0 AND ${t.creditMinor} > 0)`)
  ]
)

/** A member's standing order: from one of their accounts to another, to a society account, or out to a bank. */
export const standingOrders = sqliteTable(
  'standing_orders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    fromMemberAccountId: integer('from_member_account_id')
      .notNull()
      .references(() => memberAccounts.id, { onDelete: 'restrict' }),
    targetKind: text('target_kind', { enum: ['member-account', 'account', 'bank'] }).notNull(),
    toMemberAccountId: integer('to_member_account_id').references(() => memberAccounts.id, { onDelete: 'restrict' }),
    toAccountId: integer('to_account_id').references(() => ledgerAccounts.id, { onDelete: 'restrict' }),
    payeeName: text('payee_name'),
    payeeBank: text('payee_bank'),
    payeeAccount: text('payee_account'),
    payeeReference: text('payee_reference'),
    amountMinor: integer('amount_minor').notNull(),
    carriedMinor: integer('carried_minor').notNull().default(0),
    description: text('description'),
    frequency: text('frequency', { enum: FREQUENCIES }).notNull(),
    startDate: text('start_date').notNull(),
    monthEnd: integer('month_end', { mode: 'boolean' }).notNull().default(false),
    endDate: text('end_date'),
    holidayRule: text('holiday_rule', { enum: HOLIDAY_RULES }).notNull(),
    priority: integer('priority').notNull().default(50),
    insufficientFunds: text('insufficient_funds', { enum: enumValues(FundsPolicy) }).notNull(),
    retryDays: integer('retry_days').notNull().default(3),
    status: text('status', { enum: enumValues(OrderStatus) }).notNull(),
    statusNote: text('status_note'),
    pausedOn: text('paused_on'),
    nextN: integer('next_n').notNull().default(1),
    lastPaidOn: text('last_paid_on'),
    failuresInRow: integer('failures_in_row').notNull().default(0),
    createdById: integer('created_by_id').references(() => operators.id, { onDelete: 'restrict' }),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    approvedById: integer('approved_by_id').references(() => operators.id, { onDelete: 'restrict' }),
    approvedBy: text('approved_by'),
    approvedAt: text('approved_at'),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    index('standing_orders_member_idx').on(t.memberId),
    index('standing_orders_status_idx').on(t.status),
    check('standing_orders_amount', sql`${t.amountMinor} > 0 AND ${t.carriedMinor} >= 0`),
    check('standing_orders_month_end_bool', sql`${t.monthEnd} IN (0, 1)`),
    check(
      'standing_orders_target',
      sql`(${t.targetKind} = 'member-account' AND ${t.toMemberAccountId} IS NOT NULL AND ${t.toAccountId} IS NULL AND ${t.payeeName} IS NULL)
        OR (${t.targetKind} = 'account' AND ${t.toAccountId} IS NOT NULL AND ${t.toMemberAccountId} IS NULL AND ${t.payeeName} IS NULL)
        OR (${t.targetKind} = 'bank' AND ${t.payeeName} IS NOT NULL AND ${t.payeeBank} IS NOT NULL AND ${t.payeeAccount} IS NOT NULL AND ${t.toAccountId} IS NULL AND ${t.toMemberAccountId} IS NULL)`
    ),
    check('standing_orders_next_n', sql`${t.nextN} >= 1`)
  ]
)

/**
 * Every occurrence of a template or a standing order: one row per (owner,
 * scheduled date), whatever became of it (generated and waiting, posted,
 * skipped, failed), linked to its journal entry. The unique keys are what
 * make a job run twice, or a catch-up, create nothing twice.
 */
export const recurringOccurrences = sqliteTable(
  'recurring_occurrences',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    templateId: integer('template_id').references(() => recurringTemplates.id, { onDelete: 'restrict' }),
    standingOrderId: integer('standing_order_id').references(() => standingOrders.id, { onDelete: 'restrict' }),
    n: integer('n').notNull(),
    scheduledDate: text('scheduled_date').notNull(),
    dueDate: text('due_date').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    carriedMinor: integer('carried_minor').notNull().default(0),
    status: text('status', { enum: enumValues(OccurrenceStatus) }).notNull(),
    review: text('review', { enum: enumValues(ReviewReason) }),
    postponedUntil: text('postponed_until'),
    entryId: integer('entry_id').references(() => journalEntries.id, { onDelete: 'restrict' }),
    valueDate: text('value_date'),
    /** The payment an order paying out to a bank created (bond_payments.id). */
    paymentId: integer('payment_id'),
    reason: text('reason'),
    attempts: integer('attempts').notNull().default(0),
    retryUntil: text('retry_until'),
    reversalEntryId: integer('reversal_entry_id').references(() => journalEntries.id, { onDelete: 'restrict' }),
    decidedById: integer('decided_by_id').references(() => operators.id, { onDelete: 'restrict' }),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    createdAt: text('created_at').notNull(),
    /** The job run (or null: an operator) that last acted on it: a run's report lists these. */
    lastRunId: integer('last_run_id'),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    uniqueIndex('recurring_occurrences_template_once').on(t.templateId, t.scheduledDate).where(sql`${t.templateId} IS NOT NULL`),
    uniqueIndex('recurring_occurrences_order_once').on(t.standingOrderId, t.scheduledDate).where(sql`${t.standingOrderId} IS NOT NULL`),
    index('recurring_occurrences_status_idx').on(t.status, t.dueDate),
    index('recurring_occurrences_run_idx').on(t.lastRunId),
    check('recurring_occurrences_owner', sql`(${t.templateId} IS NULL) <> (${t.standingOrderId} IS NULL)`),
    check('recurring_occurrences_amount', sql`${t.amountMinor} >= 0 AND ${t.carriedMinor} >= 0`),
    check('recurring_occurrences_posted', sql`${t.status} <> 'posted' OR ${t.entryId} IS NOT NULL`)
  ]
)
