import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import { bondHoldings } from '../bonds'
import { memberAccounts } from '../ledger'
import { members } from '../members'
import { operators } from '../operators'
import { PaymentKind, PaymentStatus, PaymentMethod } from '../../shared/contract/bonds'
import { enumValues } from '../platform/db/enum'

export const PAYMENT_KINDS = enumValues(PaymentKind)
export const PAYMENT_STATUSES = enumValues(PaymentStatus)
export const PAYMENT_METHODS = enumValues(PaymentMethod)
/**
 * Which payments hold their (holding, kind, period end), and a standing
 * order's its execution (source ref): all but voided ones.
 */
export const PAYMENT_ONCE_WHERE = "status <> 'voided'"

/**
 * A payment: to a holder (a coupon for one period, the principal at
 * maturity, interest accrued to an early redemption), or out of a member's
 * savings to an outside bank account (a standing order's execution).
 *
 * A holder's payment has a holding; one row per (holding, kind, period end):
 * a job run twice, or catching up three months, creates each exactly once.
 * A standing order's payment has no holding but the member account it was
 * drawn from, the payee's name, bank and account, and its execution's source
 * ref (one row per execution). A voided payment (paid, then voided: a bounced
 * cheque) leaves either key to its replacement. Every payment names its
 * member (a holder's is its holding's).
 */
export const bondPayments = sqliteTable(
  'bond_payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The holding a holder's payment is for; null for a standing order's. */
    holdingId: integer('holding_id').references(() => bondHoldings.id, { onDelete: 'restrict' }),
    kind: text('kind', { enum: PAYMENT_KINDS }).notNull(),
    /** The member paid (a holder) or paying (a standing order's payment comes out of their savings). */
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    /** A standing order's payment: the member's account it was drawn from (its money goes back there if the payment is cancelled). */
    memberAccountId: integer('member_account_id').references(() => memberAccounts.id, { onDelete: 'restrict' }),
    /** A standing order's payment: who is paid, at which bank, into which account, and what they see on their statement. */
    payeeName: text('payee_name'),
    payeeBank: text('payee_bank'),
    payeeAccount: text('payee_account'),
    payeeReference: text('payee_reference'),
    /** A standing order's payment: the execution it pays (what the standing orders area names it by), once. */
    sourceRef: text('source_ref'),
    /** Accrual period (for a coupon); for principal both are the maturity date; for a standing order both are its due date. */
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    /** The date it is due, adjusted for business days. */
    dueDate: text('due_date').notNull(),
    grossMinor: integer('gross_minor').notNull(),
    taxMinor: integer('tax_minor').notNull(),
    netMinor: integer('net_minor').notNull(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('pending'),
    /** Who prepared it (checked the details): the operator and their name then. */
    preparedById: integer('prepared_by_id').references(() => operators.id, { onDelete: 'restrict' }),
    preparedBy: text('prepared_by'),
    preparedAt: text('prepared_at'),
    /** Who approved it: the operator (null on approvals typed before operators existed) and the name. */
    approvedById: integer('approved_by_id').references(() => operators.id, { onDelete: 'restrict' }),
    approvedBy: text('approved_by'),
    approvedAt: text('approved_at'),
    paidOn: text('paid_on'),
    method: text('method', { enum: PAYMENT_METHODS }),
    reference: text('reference'),
    paidAt: text('paid_at'),
    cancelledAt: text('cancelled_at'),
    cancelReason: text('cancel_reason'),
    voidedAt: text('voided_at'),
    voidReason: text('void_reason'),
    /** The voided payment this one replaces. */
    replacesPaymentId: integer('replaces_payment_id').references((): AnySQLiteColumn => bondPayments.id, { onDelete: 'restrict' }),
    createdAt: text('created_at').notNull(),
    /** The job run that created it, if a job did. */
    createdByRun: integer('created_by_run'),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    // Partial: the ON CONFLICT of prepareInsertPayment repeats this WHERE (PAYMENT_ONCE_WHERE).
    // A standing order's payment has no holding: NULLs are distinct in a unique index, so this key binds holders' payments only.
    uniqueIndex('bond_payments_once').on(t.holdingId, t.kind, t.periodEnd).where(sql.raw(PAYMENT_ONCE_WHERE)),
    // One payment per standing-order execution; a voided one leaves it to its replacement (createOrderPayment repeats this WHERE).
    uniqueIndex('bond_payments_source_once')
      .on(t.sourceRef)
      .where(sql.raw(`source_ref IS NOT NULL AND ${PAYMENT_ONCE_WHERE}`)),
    index('bond_payments_status_idx').on(t.status, t.dueDate),
    index('bond_payments_due_idx').on(t.dueDate),
    index('bond_payments_member_idx').on(t.memberId, t.dueDate),
    check('bond_payments_net', sql`${t.netMinor} = ${t.grossMinor} - ${t.taxMinor}`),
    check('bond_payments_amounts', sql`${t.grossMinor} >= 0 AND ${t.taxMinor} >= 0`),
    // A standing order's payment: no holding, no tax, its member account, payee and execution; any other: a holding and none of those.
    check(
      'bond_payments_payee',
      sql`CASE WHEN ${t.kind} = 'standing-order'
        THEN ${t.holdingId} IS NULL AND ${t.taxMinor} = 0 AND ${t.memberAccountId} IS NOT NULL AND ${t.sourceRef} IS NOT NULL
          AND ${t.payeeName} IS NOT NULL AND ${t.payeeBank} IS NOT NULL AND ${t.payeeAccount} IS NOT NULL
        ELSE ${t.holdingId} IS NOT NULL AND ${t.memberAccountId} IS NULL AND ${t.sourceRef} IS NULL
          AND ${t.payeeName} IS NULL AND ${t.payeeBank} IS NULL AND ${t.payeeAccount} IS NULL AND ${t.payeeReference} IS NULL
        END`
    )
  ]
)

/** Gap-free numbered payment vouchers: one per paid payment, numbered in the same transaction. */
export const vouchers = sqliteTable(
  'vouchers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    number: text('number').notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    paymentId: integer('payment_id')
      .notNull()
      .references(() => bondPayments.id, { onDelete: 'restrict' }),
    issuedAt: text('issued_at').notNull(),
    printCount: integer('print_count').notNull().default(0),
    lastPrintedAt: text('last_printed_at')
  },
  (t) => [
    uniqueIndex('vouchers_number_unique').on(t.number),
    uniqueIndex('vouchers_year_seq_unique').on(t.year, t.seq),
    uniqueIndex('vouchers_payment_unique').on(t.paymentId)
  ]
)

/** The next number of each year's voucher sequence. */
export const voucherSequences = sqliteTable('voucher_sequences', {
  year: integer('year').primaryKey(),
  nextSeq: integer('next_seq').notNull()
})
