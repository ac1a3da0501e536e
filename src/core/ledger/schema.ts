import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import { AccountRole, AccountType, EntrySource, MemberProduct } from '../../shared/contract/ledger'
import { enumValues } from '../platform/db/enum'
import { members } from '../members'
import { operators } from '../operators'

/** The chart of accounts. An account with lines is never deleted (the lines' foreign key restricts it). */
export const ledgerAccounts = sqliteTable(
  'ledger_accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    type: text('type', { enum: enumValues(AccountType) }).notNull(),
    /** The role the app posts to it by (cash, bank, withholding-tax…), at most one account each. */
    role: text('role', { enum: enumValues(AccountRole) }),
    /** A control account's product: its member accounts are its sub-ledger. */
    controlOf: text('control_of', { enum: enumValues(MemberProduct) }),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    uniqueIndex('ledger_accounts_code_unique').on(sql`${t.code} COLLATE NOCASE`),
    uniqueIndex('ledger_accounts_role_unique').on(t.role),
    uniqueIndex('ledger_accounts_control_unique').on(t.controlOf),
    check('ledger_accounts_active_bool', sql`${t.active} IN (0, 1)`)
  ]
)

/** A member's savings or share capital account: a sub-ledger of its product's control account. */
export const memberAccounts = sqliteTable(
  'member_accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    product: text('product', { enum: enumValues(MemberProduct) }).notNull(),
    controlAccountId: integer('control_account_id')
      .notNull()
      .references(() => ledgerAccounts.id, { onDelete: 'restrict' }),
    openedOn: text('opened_on').notNull(),
    openedAt: text('opened_at').notNull()
  },
  (t) => [uniqueIndex('member_accounts_member_product').on(t.memberId, t.product)]
)

/** A journal entry: never edited, never deleted; a correction is a reversal linked to it. */
export const journalEntries = sqliteTable(
  'journal_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    valueDate: text('value_date').notNull(),
    description: text('description').notNull(),
    source: text('source', { enum: enumValues(EntrySource) }).notNull(),
    /** What it was posted for (bond_payments:12): at most one entry (not counting reversals) per thing. */
    sourceRef: text('source_ref'),
    reference: text('reference'),
    reversesId: integer('reverses_id').references((): AnySQLiteColumn => journalEntries.id, { onDelete: 'restrict' }),
    enteredById: integer('entered_by_id').references(() => operators.id, { onDelete: 'restrict' }),
    enteredBy: text('entered_by').notNull(),
    enteredAt: text('entered_at').notNull(),
    /** Why the value date is not the one asked for (it fell in a closed month). */
    note: text('note'),
    /**
     * posted; or pending (a manual entry over the maker-checker threshold, its
     * lines kept in pending_lines until another operator approves it), then
     * posted or rejected. Only that one change is allowed (migration 0009).
     */
    status: text('status', { enum: ['posted', 'pending', 'rejected'] }).notNull().default('posted'),
    /** JSON of a pending entry's lines ([{accountId, memberAccountId, debitMinor, creditMinor}]), else null. */
    pendingLines: text('pending_lines'),
    decidedById: integer('decided_by_id').references(() => operators.id, { onDelete: 'restrict' }),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    rejectReason: text('reject_reason')
  },
  (t) => [
    index('journal_entries_date_idx').on(t.valueDate, t.id),
    index('journal_entries_source_idx').on(t.source, t.id),
    uniqueIndex('journal_entries_source_ref_unique').on(t.sourceRef).where(sql`${t.sourceRef} IS NOT NULL AND ${t.reversesId} IS NULL`),
    uniqueIndex('journal_entries_reverses_unique').on(t.reversesId).where(sql`${t.reversesId} IS NOT NULL`),
    index('journal_entries_pending_idx').on(t.status).where(sql`${t.status} = 'pending'`),
    check('journal_entries_date', sql`${t.valueDate} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`)
  ]
)

/** A line: one side of an entry, on an account (and a member account of it, where one applies). */
export const journalLines = sqliteTable(
  'journal_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entryId: integer('entry_id')
      .notNull()
      .references(() => journalEntries.id, { onDelete: 'restrict' }),
    accountId: integer('account_id')
      .notNull()
      .references(() => ledgerAccounts.id, { onDelete: 'restrict' }),
    memberAccountId: integer('member_account_id').references(() => memberAccounts.id, { onDelete: 'restrict' }),
    /** The entry's value date, kept on the line for statements and summaries. */
    valueDate: text('value_date').notNull(),
    debitMinor: integer('debit_minor').notNull().default(0),
    creditMinor: integer('credit_minor').notNull().default(0)
  },
  (t) => [
    index('journal_lines_entry_idx').on(t.entryId),
    // Statements seek by (account or member account, value_date, id); the amounts ride along so that
    // rebuilding the summaries reads each index in order, with no sort and no table lookups (summaries.ts).
    index('journal_lines_account_idx').on(t.accountId, t.valueDate, t.id, t.memberAccountId, t.debitMinor, t.creditMinor),
    index('journal_lines_member_account_idx').on(t.memberAccountId, t.valueDate, t.id, t.accountId, t.debitMinor, t.creditMinor),
    check('journal_lines_amounts', sql`${t.debitMinor} >= 0 AND ${t.creditMinor} >= 0 AND (${t.debitMinor} = 0) <> (${t.creditMinor} = 0)`)
  ]
)

/**
 * Daily, ISO-weekly and monthly totals per account (member_account_id 0) and
 * per member account, kept in each posting's transaction. Derived from
 * journal_lines and checkable against it (`coffer summaries check`), so not
 * audited (the journal is).
 */
export const ledgerSummaries = sqliteTable(
  'ledger_summaries',
  {
    /** d, w or m */
    mode: text('mode', { enum: ['d', 'w', 'm'] }).notNull(),
    accountId: integer('account_id').notNull(),
    /** 0 for the account's own totals (every line of it). */
    memberAccountId: integer('member_account_id').notNull(),
    /** The bucket's first day. */
    bucket: text('bucket').notNull(),
    debitMinor: integer('debit_minor').notNull(),
    creditMinor: integer('credit_minor').notNull(),
    count: integer('count').notNull()
  },
  (t) => [primaryKey({ columns: [t.mode, t.accountId, t.memberAccountId, t.bucket] })]
)

/** Closed months (YYYY-MM). A reopened month's row is removed; its history stays in ledger_period_events. */
export const ledgerPeriods = sqliteTable('ledger_periods', {
  month: text('month').primaryKey(),
  closedAt: text('closed_at').notNull(),
  closedById: integer('closed_by_id').references(() => operators.id, { onDelete: 'restrict' }),
  closedBy: text('closed_by').notNull(),
  /** A reopening asked for and waiting for a second operator (maker-checker on reopening). */
  reopenRequestedById: integer('reopen_requested_by_id').references(() => operators.id, { onDelete: 'restrict' }),
  reopenRequestedBy: text('reopen_requested_by'),
  reopenRequestedAt: text('reopen_requested_at'),
  reopenReason: text('reopen_reason')
})

export const ledgerPeriodEvents = sqliteTable('ledger_period_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  month: text('month').notNull(),
  action: text('action', { enum: ['closed', 'reopen-requested', 'reopened'] }).notNull(),
  reason: text('reason'),
  at: text('at').notNull(),
  byId: integer('by_id').references(() => operators.id, { onDelete: 'restrict' }),
  by: text('by').notNull()
})
