import { z } from 'zod'
import { channel } from './define'
import { Empty } from './app'
import { calendarDate, id, optionalText, pageLimit, requiredText, version, wholeNumber } from './fields'

/**
 * The ledger (DESIGN.md, Ledger): a chart of accounts, members' savings and
 * share capital accounts as sub-ledgers of control accounts, a double-entry
 * journal that is never edited (a correction is a linked reversal), daily,
 * ISO-weekly and monthly summaries kept in the posting's transaction, and
 * closed months. Amounts are integer minor units of the book's currency.
 */

export const AccountType = z.enum(['asset', 'liability', 'equity', 'income', 'expense'])
export type AccountType = z.infer<typeof AccountType>

/**
 * The accounts the app itself posts to, found by role rather than by code
 * (the treasurer may renumber or rename them). Each role is held by at most
 * one account.
 */
export const AccountRole = z.enum([
  'cash',
  'bank',
  'member-savings',
  'share-capital',
  'bonds-payable',
  'withholding-tax',
  'salaries-payable',
  'statutory-payable',
  'interest-income',
  'fee-income',
  'coupon-expense',
  'salary-expense',
  'surplus',
  /** Members' standing orders paying out to a bank: owed from the order's date until the payment is paid. */
  'orders-payable'
])
export type AccountRole = z.infer<typeof AccountRole>

/** A member account's product: savings, or share capital. */
export const MemberProduct = z.enum(['savings', 'shares'])
export type MemberProduct = z.infer<typeof MemberProduct>

/** The control account of each product's member accounts. */
export const PRODUCT_CONTROL_ROLE: Record<MemberProduct, AccountRole> = { savings: 'member-savings', shares: 'share-capital' }

/** Where an entry came from. */
export const EntrySource = z.enum([
  'manual',
  'deposit',
  'withdrawal',
  'share-purchase',
  'bond-payment',
  'bond-purchase',
  'reversal',
  'standing-order',
  'recurring',
  'payroll'
])
export type EntrySource = z.infer<typeof EntrySource>

/** Debit-normal types: an asset's or an expense's balance is debits less credits; the others', credits less debits. */
export const DEBIT_NORMAL: Record<AccountType, boolean> = {
  asset: true,
  expense: true,
  liability: false,
  equity: false,
  income: false
}

export const Account = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  type: AccountType,
  role: AccountRole.nullable(),
  /** A control account's product (its member accounts are its sub-ledger), or null. */
  controlOf: MemberProduct.nullable(),
  active: z.boolean(),
  /** Whether any line was ever posted to it (then it can never be deleted). */
  hasEntries: z.boolean(),
  /** Balance in its normal direction (debit-normal types: debits - credits), from the summaries. */
  balanceMinor: z.number().int(),
  version: z.number().int()
})
export type Account = z.infer<typeof Account>

const accountCode = requiredText('Code', 20).refine((v) => /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(v), {
  error: 'Use letters, digits, . and - (starting with a letter or digit)'
})

export const AccountInput = z
  .object({
    code: accountCode,
    name: requiredText('Name', 120),
    type: AccountType
  })
  .strict()
export type AccountInput = z.input<typeof AccountInput>

/** Money in minor units, as a whole number (0 allowed only where the field says). */
export const amountMinor = (label: string) => wholeNumber(label, { min: 1, max: 1e15 })

export const MemberAccount = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  memberNo: z.string(),
  memberName: z.string(),
  product: MemberProduct,
  /** The account number shown to people: the member number and the product (M-0001-SAV). */
  number: z.string(),
  controlAccountId: z.number().int(),
  openedOn: z.string(),
  balanceMinor: z.number().int()
})
export type MemberAccount = z.infer<typeof MemberAccount>

export const JournalLine = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  accountCode: z.string(),
  accountName: z.string(),
  memberAccountId: z.number().int().nullable(),
  memberAccountNumber: z.string().nullable(),
  memberName: z.string().nullable(),
  debitMinor: z.number().int(),
  creditMinor: z.number().int()
})
export type JournalLine = z.infer<typeof JournalLine>

export const JournalEntry = z.object({
  id: z.number().int(),
  valueDate: z.string(),
  description: z.string(),
  source: EntrySource,
  /** What it came from (bond_payments:12), when an area posted it. */
  sourceRef: z.string().nullable(),
  reference: z.string().nullable(),
  /** The entry this one reverses, and the entry that reversed this one. */
  reversesId: z.number().int().nullable(),
  reversedById: z.number().int().nullable(),
  enteredBy: z.string(),
  enteredAt: z.string(),
  /** Why the value date is not the one asked for (a closed month), or null. */
  note: z.string().nullable(),
  /**
   * posted; pending: a manual entry over the maker-checker threshold, not in
   * any balance until another operator approves it; rejected: never posted.
   */
  status: z.enum(['posted', 'pending', 'rejected']),
  enteredById: z.number().int().nullable(),
  /** Who approved or rejected a pending entry, when, and why it was rejected. */
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  rejectReason: z.string().nullable(),
  totalMinor: z.number().int(),
  lines: z.array(JournalLine)
})
export type JournalEntry = z.infer<typeof JournalEntry>

export const LineInput = z
  .object({
    accountId: id,
    memberAccountId: id.nullable().default(null),
    debitMinor: wholeNumber('Debit', { min: 0, max: 1e15 }).default(0),
    creditMinor: wholeNumber('Credit', { min: 0, max: 1e15 }).default(0)
  })
  .strict()
export type LineInput = z.input<typeof LineInput>

export const JournalEntryInput = z
  .object({
    valueDate: calendarDate('Value date'),
    description: requiredText('Description', 300),
    reference: optionalText('Reference', 60),
    lines: z.array(LineInput, { error: 'Lines must be a list' }).min(2, { error: 'An entry needs at least two lines' }).max(200, {
      error: 'An entry can have at most 200 lines'
    })
  })
  .strict()
export type JournalEntryInput = z.input<typeof JournalEntryInput>

/** Cash or a bank account: where member money comes in or goes out. */
export const CashOrBank = z.enum(['cash', 'bank'])
export type CashOrBank = z.infer<typeof CashOrBank>

export const MemberMoneyInput = z
  .object({
    memberAccountId: id,
    amountMinor: amountMinor('Amount'),
    valueDate: calendarDate('Value date'),
    via: CashOrBank,
    reference: optionalText('Reference', 60),
    description: optionalText('Description', 300)
  })
  .strict()
export type MemberMoneyInput = z.input<typeof MemberMoneyInput>

export const JournalQuery = z
  .object({
    from: calendarDate('From').optional(),
    to: calendarDate('To').optional(),
    accountId: id.optional(),
    memberId: id.optional(),
    source: EntrySource.optional(),
    status: z.enum(['posted', 'pending', 'rejected']).optional(),
    /** Entries before this one (newest first): the id of the last entry of the previous page. */
    beforeId: id.optional(),
    limit: pageLimit(200, 50)
  })
  .strict()
export type JournalQuery = z.input<typeof JournalQuery>

export const JournalPage = z.object({ entries: z.array(JournalEntry), more: z.boolean() })
export type JournalPage = z.infer<typeof JournalPage>

/** A statement is of an account, or of one member account. */
export const StatementQuery = z
  .object({
    accountId: id.optional(),
    memberAccountId: id.optional(),
    from: calendarDate('From').optional(),
    to: calendarDate('To').optional(),
    /** Lines before this one (newest first), as the last line of the previous page gave it. */
    before: z.object({ valueDate: calendarDate('Date'), lineId: id }).strict().optional(),
    limit: pageLimit(500, 100)
  })
  .strict()
  .refine((q) => (q.accountId === undefined) !== (q.memberAccountId === undefined), {
    error: 'Choose an account or a member account',
    path: ['accountId']
  })
export type StatementQuery = z.input<typeof StatementQuery>

export const StatementLine = z.object({
  lineId: z.number().int(),
  entryId: z.number().int(),
  valueDate: z.string(),
  description: z.string(),
  reference: z.string().nullable(),
  source: EntrySource,
  debitMinor: z.number().int(),
  creditMinor: z.number().int(),
  /** The balance after this line, in the account's normal direction. */
  balanceMinor: z.number().int()
})
export type StatementLine = z.infer<typeof StatementLine>

export const Statement = z.object({
  title: z.string(),
  /** The member, for a member account's statement; else null. */
  memberId: z.number().int().nullable(),
  normal: z.enum(['debit', 'credit']),
  /** Newest first. */
  lines: z.array(StatementLine),
  more: z.boolean(),
  /** Balance before the oldest line on this page, and after the newest. */
  openingMinor: z.number().int(),
  closingMinor: z.number().int()
})
export type Statement = z.infer<typeof Statement>

export const TrialBalanceRow = z.object({
  accountId: z.number().int(),
  code: z.string(),
  name: z.string(),
  type: AccountType,
  debitMinor: z.number().int(),
  creditMinor: z.number().int()
})
export const TrialBalance = z.object({
  asOf: z.string(),
  rows: z.array(TrialBalanceRow),
  totalDebitMinor: z.number().int(),
  totalCreditMinor: z.number().int()
})
export type TrialBalance = z.infer<typeof TrialBalance>

export const SummaryMode = z.enum(['daily', 'weekly', 'monthly'])
export type SummaryMode = z.infer<typeof SummaryMode>
export const SummaryMeasure = z.enum(['amount', 'count'])

/** One read of the summaries for every consumer (the dashboard, reports). */
export const SummaryQuery = z
  .object({
    mode: SummaryMode,
    measure: SummaryMeasure.default('amount'),
    accountIds: z.array(id).max(200).optional(),
    /** Member accounts (by id), or every member account of a member. */
    memberAccountIds: z.array(id).max(200).optional(),
    memberId: id.optional(),
    from: calendarDate('From'),
    to: calendarDate('To')
  })
  .strict()
export type SummaryQuery = z.input<typeof SummaryQuery>

export const SummaryBucket = z.object({
  /** The bucket's first day: the day, the Monday of the ISO week, the 1st of the month. */
  bucket: z.string(),
  accountId: z.number().int(),
  memberAccountId: z.number().int().nullable(),
  debitMinor: z.number().int(),
  creditMinor: z.number().int(),
  /** debit - credit */
  netMinor: z.number().int(),
  count: z.number().int()
})
export type SummaryBucket = z.infer<typeof SummaryBucket>

export const Dashboard = z.object({
  asOf: z.string(),
  currency: z.string(),
  cashMinor: z.number().int(),
  bankMinor: z.number().int(),
  savingsMinor: z.number().int(),
  shareCapitalMinor: z.number().int(),
  bondsPayableMinor: z.number().int(),
  couponInterestYearMinor: z.number().int(),
  taxWithheldYearMinor: z.number().int(),
  /** Cash and bank in and out, by month, the last 12 months (oldest first). */
  flows: z.array(z.object({ month: z.string(), inMinor: z.number().int(), outMinor: z.number().int() }))
})
export type Dashboard = z.infer<typeof Dashboard>

export const Period = z.object({
  /** YYYY-MM */
  month: z.string(),
  closed: z.boolean(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  /** A reopening asked for, waiting for another operator (maker-checker on reopening). */
  reopenRequest: z.object({ by: z.string(), byId: z.number().int().nullable(), at: z.string(), reason: z.string() }).nullable()
})
export type Period = z.infer<typeof Period>
export const PeriodEvent = z.object({
  month: z.string(),
  action: z.enum(['closed', 'reopen-requested', 'reopened']),
  reason: z.string().nullable(),
  at: z.string(),
  by: z.string()
})
export const Periods = z.object({ periods: z.array(Period), events: z.array(PeriodEvent) })
export type Periods = z.infer<typeof Periods>

const month = z
  .string({ error: 'Month must be text (YYYY-MM)' })
  .trim()
  .refine((v) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v), { error: 'Month must be a month like 2026-03' })

const BucketTotals = z.object({ debitMinor: z.number().int(), creditMinor: z.number().int(), count: z.number().int() })

/** `ledger.checkSummaries`: every bucket recomputed from the journal; those that differ from the kept ones (none in a sound book). */
export const SummariesCheck = z.object({
  /** Buckets the journal implies. */
  buckets: z.number().int(),
  /** Daily, then weekly, then monthly buckets; each by account code, member account and first day. */
  differences: z.array(
    z.object({
      mode: SummaryMode,
      bucket: z.string(),
      accountId: z.number().int(),
      accountCode: z.string(),
      accountName: z.string(),
      memberAccountId: z.number().int().nullable(),
      /** M-001-SAV */
      memberAccountNumber: z.string().nullable(),
      memberName: z.string().nullable(),
      /** The bucket as kept; null: missing. */
      kept: BucketTotals.nullable(),
      /** The bucket recomputed from the journal; null: the journal has no line in it. */
      journal: BucketTotals.nullable()
    })
  ),
  /** How many buckets differ in all (the list stops at the first 10,000). */
  differing: z.number().int()
})
export type SummariesCheck = z.infer<typeof SummariesCheck>

/** `ledger.rebuildSummaries`: every bucket recomputed from the journal and written, in one transaction. */
export const SummariesRebuild = z.object({
  buckets: z.number().int(),
  /** Buckets written: every one with truncate, else those that were missing or wrong. */
  written: z.number().int(),
  /** Buckets deleted: every one there was with truncate, else those the journal does not imply. */
  removed: z.number().int(),
  /** Journal lines read. */
  lines: z.number().int()
})
export type SummariesRebuild = z.infer<typeof SummariesRebuild>

export const ledgerContract = {
  'ledger.accounts': channel(z.object({ includeInactive: z.boolean().default(true) }).strict().default({ includeInactive: true }), z.object({ accounts: z.array(Account) })),
  'ledger.createAccount': channel(AccountInput, Account),
  'ledger.updateAccount': channel(z.object({ id, expectedVersion: version, code: accountCode, name: requiredText('Name', 120) }).strict(), Account),
  'ledger.setAccountActive': channel(z.object({ id, expectedVersion: version, active: z.boolean() }).strict(), Account),
  'ledger.memberAccounts': channel(z.object({ memberId: id }).strict(), z.object({ accounts: z.array(MemberAccount) })),
  'ledger.openMemberAccount': channel(z.object({ memberId: id, product: MemberProduct }).strict(), MemberAccount),
  'ledger.post': channel(JournalEntryInput, JournalEntry),
  'ledger.deposit': channel(MemberMoneyInput, JournalEntry),
  'ledger.withdraw': channel(MemberMoneyInput, JournalEntry),
  'ledger.buyShares': channel(MemberMoneyInput, JournalEntry),
  'ledger.reverse': channel(
    z.object({ id, valueDate: calendarDate('Value date'), reason: requiredText('Reason', 300) }).strict(),
    JournalEntry
  ),
  'ledger.entry': channel(z.object({ id }).strict(), JournalEntry),
  /** A pending entry approved by another operator than the one who entered it: posted now. */
  'ledger.approveEntry': channel(z.object({ id }).strict(), JournalEntry),
  'ledger.rejectEntry': channel(z.object({ id, reason: requiredText('Reason', 300) }).strict(), JournalEntry),
  'ledger.journal': channel(JournalQuery, JournalPage),
  'ledger.statement': channel(StatementQuery, Statement),
  'ledger.trialBalance': channel(z.object({ asOf: calendarDate('As of').optional() }).strict(), TrialBalance),
  'ledger.summaries': channel(SummaryQuery, z.object({ buckets: z.array(SummaryBucket) })),
  'ledger.checkSummaries': channel(Empty, SummariesCheck),
  'ledger.rebuildSummaries': channel(z.object({ truncate: z.boolean().default(false) }).strict().default({ truncate: false }), SummariesRebuild),
  'ledger.dashboard': channel(Empty, Dashboard),
  'ledger.periods': channel(Empty, Periods),
  'ledger.closePeriod': channel(z.object({ month }).strict(), Periods),
  'ledger.reopenPeriod': channel(z.object({ month, reason: requiredText('Reason', 300) }).strict(), Periods)
}
