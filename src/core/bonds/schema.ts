import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { members } from '../members'
import { CouponFrequency, DayCount, BusinessDay, SeriesStatus, HoldingStatus } from '../../shared/contract/bonds'
import { enumValues } from '../platform/db/enum'

export const COUPON_FREQUENCIES = enumValues(CouponFrequency)
export const DAY_COUNTS = enumValues(DayCount)
export const BUSINESS_DAY_CONVENTIONS = enumValues(BusinessDay)
export const SERIES_STATUSES = enumValues(SeriesStatus)
export const HOLDING_STATUSES = enumValues(HoldingStatus)

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
