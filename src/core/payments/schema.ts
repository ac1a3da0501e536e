import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import { bondHoldings } from '../bonds'
import { operators } from '../operators'
import { PaymentKind, PaymentStatus, PaymentMethod } from '../../shared/contract/bonds'
import { enumValues } from '../platform/db/enum'

export const PAYMENT_KINDS = enumValues(PaymentKind)
export const PAYMENT_STATUSES = enumValues(PaymentStatus)
export const PAYMENT_METHODS = enumValues(PaymentMethod)
/** Which payments hold their (holding, kind, period end): all but voided ones. */
export const PAYMENT_ONCE_WHERE = "status <> 'voided'"

/**
 * A payment to a holder: a coupon for one period, or the principal at
 * maturity. One row per (holding, kind, period end): a job run twice, or
 * catching up three months, creates each exactly once. A voided payment
 * (paid, then voided: a bounced cheque) leaves that key to its replacement.
 */
export const bondPayments = sqliteTable(
  'bond_payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    holdingId: integer('holding_id')
      .notNull()
      .references(() => bondHoldings.id, { onDelete: 'restrict' }),
    kind: text('kind', { enum: PAYMENT_KINDS }).notNull(),
    /** Accrual period (for a coupon); for principal both are the maturity date. */
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
    uniqueIndex('bond_payments_once').on(t.holdingId, t.kind, t.periodEnd).where(sql.raw(PAYMENT_ONCE_WHERE)),
    index('bond_payments_status_idx').on(t.status, t.dueDate),
    index('bond_payments_due_idx').on(t.dueDate),
    check('bond_payments_net', sql`${t.netMinor} = ${t.grossMinor} - ${t.taxMinor}`),
    check('bond_payments_amounts', sql`${t.grossMinor} >= 0 AND ${t.taxMinor} >= 0`)
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
