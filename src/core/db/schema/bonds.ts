import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { members } from './members'
import { CouponFrequency, DayCount, BusinessDay, SeriesStatus, HoldingStatus, PaymentKind, PaymentStatus, PaymentMethod } from '../../../shared/contract/bonds'
import { enumValues } from './enum'

export const COUPON_FREQUENCIES = enumValues(CouponFrequency)
export const DAY_COUNTS = enumValues(DayCount)
export const BUSINESS_DAY_CONVENTIONS = enumValues(BusinessDay)
export const SERIES_STATUSES = enumValues(SeriesStatus)
export const HOLDING_STATUSES = enumValues(HoldingStatus)
export const PAYMENT_KINDS = enumValues(PaymentKind)
export const PAYMENT_STATUSES = enumValues(PaymentStatus)
export const PAYMENT_METHODS = enumValues(PaymentMethod)

/** A bond series the society issues. Rates are exact decimal fractions as text ("0.085" is 8.5%). */
export const bondSeries = sqliteTable(
  'bond_series',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Face value of one unit, in minor units of the cooperative's currency. */
    faceValueMinor: integer('face_value_minor').notNull(),
    couponRate: text('coupon_rate').notNull(),
    frequency: text('frequency', { enum: COUPON_FREQUENCIES }).notNull(),
    dayCount: text('day_count', { enum: DAY_COUNTS }).notNull(),
    issueDate: text('issue_date').notNull(),
    maturityDate: text('maturity_date').notNull(),
    firstCouponDate: text('first_coupon_date'),
    endOfMonth: integer('end_of_month', { mode: 'boolean' }).notNull().default(false),
    businessDay: text('business_day', { enum: BUSINESS_DAY_CONVENTIONS }).notNull().default('following'),
    withholdingTaxRate: text('withholding_tax_rate').notNull().default('0'),
    status: text('status', { enum: SERIES_STATUSES }).notNull().default('open'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    uniqueIndex('bond_series_code_unique').on(sql`${t.code} COLLATE NOCASE`),
    check('bond_series_face_positive', sql`${t.faceValueMinor} > 0`),
    check('bond_series_dates', sql`${t.maturityDate} > ${t.issueDate}`)
  ]
)

/** The cooperative's holidays, for business-day adjustment of payment dates. */
export const holidays = sqliteTable('holidays', {
  date: text('date').primaryKey(),
  name: text('name').notNull()
})

/** Units of a series a member bought on a date. */
export const bondHoldings = sqliteTable(
  'bond_holdings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    seriesId: integer('series_id')
      .notNull()
      .references(() => bondSeries.id, { onDelete: 'restrict' }),
    units: integer('units').notNull(),
    purchaseDate: text('purchase_date').notNull(),
    status: text('status', { enum: HOLDING_STATUSES }).notNull().default('active'),
    /** Early redemption: no coupon accrues after this date. */
    redeemedOn: text('redeemed_on'),
    maturedOn: text('matured_on'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    index('bond_holdings_member_idx').on(t.memberId),
    index('bond_holdings_series_idx').on(t.seriesId, t.status),
    index('bond_holdings_status_idx').on(t.status, t.id),
    check('bond_holdings_units_positive', sql`${t.units} > 0`)
  ]
)

/**
 * A payment to a holder: a coupon for one period, or the principal at
 * maturity. One row per (holding, kind, period end): a job run twice, or
 * catching up three months, creates each exactly once.
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
    approvedBy: text('approved_by'),
    approvedAt: text('approved_at'),
    paidOn: text('paid_on'),
    method: text('method', { enum: PAYMENT_METHODS }),
    reference: text('reference'),
    paidAt: text('paid_at'),
    cancelledAt: text('cancelled_at'),
    cancelReason: text('cancel_reason'),
    createdAt: text('created_at').notNull(),
    /** The job run that created it, if a job did. */
    createdByRun: integer('created_by_run'),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    uniqueIndex('bond_payments_once').on(t.holdingId, t.kind, t.periodEnd),
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

/** Small settings that are not the profile: the voucher number pattern, the maturity notice window. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull()
})
