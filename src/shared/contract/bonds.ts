import { z } from 'zod'
import { channel } from './define'
import { calendarDate, id, optionalText, requiredText } from './fields'
import { isCalendarDate } from '../dates'
import { acknowledge } from './warnings'

export const CouponFrequency = z.enum(['monthly', 'quarterly', 'semi-annual', 'annual'])
export const DayCount = z.enum(['30/360', '30E/360', 'ACT/360', 'ACT/365F', 'ACT/ACT-ISDA', 'ACT/ACT-ICMA'])
export const BusinessDay = z.enum(['unadjusted', 'following', 'modified-following', 'preceding'])
export const SeriesStatus = z.enum(['open', 'closed', 'matured'])
export const HoldingStatus = z.enum(['active', 'redeemed', 'matured'])
/**
 * coupon: one period's coupon; principal: the redemption (at maturity or early); interest: accrued to an early redemption;
 * standing-order: a member's standing order paying out of their savings to an outside bank account (no holding, no tax).
 */
export const PaymentKind = z.enum(['coupon', 'principal', 'interest', 'standing-order'])
/** voided: paid, then voided (a bounced cheque); its voucher keeps its number, and a pending replacement is created. */
export const PaymentStatus = z.enum(['pending', 'approved', 'paid', 'cancelled', 'voided'])
export const PaymentMethod = z.enum(['cash', 'bank-transfer', 'cheque'])

/** Decimal places a rate may have, as a percentage (0.0001% is a hundredth of a basis point). */
export const RATE_DECIMALS = 4
/** Face value of one unit, in minor units: at most a trillion (10,000,000,000.00 with two decimals). */
export const MAX_FACE_VALUE_MINOR = 1_000_000_000_000
/** Units in one purchase. */
export const MAX_UNITS = 10_000_000
/** Years from issue to maturity. */
export const MAX_TERM_YEARS = 100

/**
 * A rate typed as a percentage ("8.5" or "8.5%"), kept as an exact decimal string; never a
 * float. Compared exactly (the whole text, not just its integer part): above 100% is refused
 * ("100.5" too), and 0 unless `allowZero`.
 */
export const percent = (label: string, opts: { allowZero: boolean } = { allowZero: true }) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .transform((v) => v.replace(/%$/, '').trim())
    .refine((v) => v !== '', { error: `${label} is required`, abort: true })
    .refine((v) => /^\d{1,3}(\.\d+)?$/.test(v), { error: `${label}: enter a percentage like 8.5`, abort: true })
    .refine((v) => (v.split('.')[1] ?? '').length <= RATE_DECIMALS, {
      error: `${label}: at most ${RATE_DECIMALS} decimal places`,
      abort: true
    })
    .refine((v) => !overHundred(v), { error: `${label} must be at most 100%`, abort: true })
    .refine((v) => opts.allowZero || /[1-9]/.test(v), { error: `${label} must be more than 0%` })

/** "100.0001" or "101" > 100, exactly (text of the form digits[.digits]). */
function overHundred(v: string): boolean {
  const [whole = '', frac = ''] = v.split('.')
  const n = Number(whole)
  return n > 100 || (n === 100 && /[1-9]/.test(frac))
}

/** maturity within MAX_TERM_YEARS of issue: compare YYYY-MM-DD with the year moved on. */
function withinTerm(issue: string, maturity: string): boolean {
  const year = Number(issue.slice(0, 4)) + MAX_TERM_YEARS
  return maturity <= `${String(year).padStart(4, '0')}${issue.slice(4)}`
}

export const SeriesInput = z
  .object({
    code: requiredText('Code', 20).refine((v) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v), {
      error: 'Use letters, digits and . _ -'
    }),
    name: requiredText('Name', 120),
    /** Face value of one unit, in minor units (the form parses it with parseMoney). */
    faceValueMinor: z
      .number({ error: 'Face value is required' })
      .int({ error: 'Face value must be a whole number of minor units' })
      .positive({ error: 'Face value must be more than zero' })
      .max(MAX_FACE_VALUE_MINOR, { error: 'Face value is too large for one unit' }),
    couponRatePercent: percent('Coupon rate', { allowZero: false }),
    frequency: CouponFrequency,
    dayCount: DayCount,
    issueDate: calendarDate('Issue date'),
    maturityDate: calendarDate('Maturity date'),
    firstCouponDate: z
      .union([z.string(), z.null()])
      .optional()
      .transform((v) => (v ?? '').trim() || null),
    endOfMonth: z.boolean().default(false),
    businessDay: BusinessDay.default('following'),
    withholdingTaxPercent: percent('Withholding tax', { allowZero: true })
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!isCalendarDate(v.issueDate) || !isCalendarDate(v.maturityDate)) return
    if (v.maturityDate <= v.issueDate) {
      ctx.addIssue({ code: 'custom', path: ['maturityDate'], message: 'Must be after the issue date' })
    } else if (!withinTerm(v.issueDate, v.maturityDate)) {
      ctx.addIssue({ code: 'custom', path: ['maturityDate'], message: `Must be within ${MAX_TERM_YEARS} years of the issue date` })
    }
  })
export type SeriesInput = z.input<typeof SeriesInput>

export const SchedulePeriod = z.object({
  accrualStart: z.string(),
  accrualEnd: z.string(),
  paymentDate: z.string(),
  isStub: z.boolean(),
  /** The full period's coupon on one unit, gross, rounded half-up to the minor unit. */
  couponPerUnitMinor: z.number().int()
})

export const BondSeries = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  faceValueMinor: z.number().int(),
  couponRatePercent: z.string(),
  frequency: CouponFrequency,
  dayCount: DayCount,
  issueDate: z.string(),
  maturityDate: z.string(),
  firstCouponDate: z.string().nullable(),
  endOfMonth: z.boolean(),
  businessDay: BusinessDay,
  withholdingTaxPercent: z.string(),
  status: SeriesStatus,
  holdings: z.number().int(),
  unitsOutstanding: z.number().int(),
  version: z.number().int()
})
export type BondSeries = z.infer<typeof BondSeries>

export const Holding = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  memberNo: z.string(),
  memberName: z.string(),
  seriesId: z.number().int(),
  seriesCode: z.string(),
  units: z.number().int(),
  principalMinor: z.number().int(),
  purchaseDate: z.string(),
  status: HoldingStatus,
  redeemedOn: z.string().nullable(),
  maturedOn: z.string().nullable(),
  version: z.number().int()
})
export type Holding = z.infer<typeof Holding>

export const Payment = z.object({
  id: z.number().int(),
  /** The holding a holder's payment is for; null for a standing order's payment. */
  holdingId: z.number().int().nullable(),
  kind: PaymentKind,
  /** The member paid (a holder), or whose standing order pays (out of their savings). */
  memberId: z.number().int(),
  memberNo: z.string(),
  memberName: z.string(),
  /** The holding's series; null for a standing order's payment. */
  seriesCode: z.string().nullable(),
  /** A standing order's payment: the member account it was drawn from; null otherwise. */
  memberAccountId: z.number().int().nullable(),
  /** A standing order's payment: who is paid, at which bank and account, and the reference they see; null otherwise. */
  payeeName: z.string().nullable(),
  payeeBank: z.string().nullable(),
  payeeAccount: z.string().nullable(),
  payeeReference: z.string().nullable(),
  periodStart: z.string(),
  periodEnd: z.string(),
  dueDate: z.string(),
  grossMinor: z.number().int(),
  taxMinor: z.number().int(),
  netMinor: z.number().int(),
  status: PaymentStatus,
  /** The operator who prepared it (checked the details), by name; null until prepared. */
  preparedBy: z.string().nullable(),
  preparedById: z.number().int().nullable(),
  preparedAt: z.string().nullable(),
  /** The operator who approved it (a typed name on payments approved before operators existed). */
  approvedBy: z.string().nullable(),
  approvedById: z.number().int().nullable(),
  approvedAt: z.string().nullable(),
  paidOn: z.string().nullable(),
  method: PaymentMethod.nullable(),
  reference: z.string().nullable(),
  voucherNumber: z.string().nullable(),
  cancelReason: z.string().nullable(),
  voidedAt: z.string().nullable(),
  voidReason: z.string().nullable(),
  /** The voided payment this one replaces. */
  replacesPaymentId: z.number().int().nullable(),
  version: z.number().int()
})
export type Payment = z.infer<typeof Payment>

export const UpcomingCoupon = z.object({
  holdingId: z.number().int(),
  seriesCode: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  dueDate: z.string(),
  grossMinor: z.number().int(),
  taxMinor: z.number().int(),
  netMinor: z.number().int()
})

export const Maturity = z.object({
  holdingId: z.number().int(),
  memberId: z.number().int(),
  memberNo: z.string(),
  memberName: z.string(),
  seriesCode: z.string(),
  units: z.number().int(),
  principalMinor: z.number().int(),
  maturityDate: z.string(),
  daysLeft: z.number().int()
})

export const Holiday = z.object({ date: z.string(), name: z.string() })

export const BondSettings = z.object({
  /** Voucher numbers: {YYYY} or {YY} for the year, {SEQ:n} for the year's sequence padded to n digits. */
  voucherPattern: z
    .string({ error: 'A pattern is required' })
    .trim()
    .min(1, { error: 'A pattern is required' })
    .max(40, { error: 'At most 40 characters' })
    .refine((v) => /\{SEQ(:\d{1,2})?\}/.test(v), { error: 'Include {SEQ} or {SEQ:6} for the number' })
    .refine((v) => /\{YYYY\}|\{YY\}/.test(v), { error: 'Include {YYYY} or {YY}: numbers restart every year' })
    .refine((v) => /^[A-Za-z0-9{}:/._ -]+$/.test(v), { error: 'Use letters, digits, - / . _ and the {…} fields' }),
  maturityNoticeDays: z
    .number({ error: 'Enter a number of days' })
    .int({ error: 'Enter whole days' })
    .min(0, { error: 'At least 0 days' })
    .max(365, { error: 'At most 365 days' }),
  /** Coupons are created this many days before their payment date (so they can be approved and paid on the day). */
  couponLeadDays: z
    .number({ error: 'Enter a number of days' })
    .int({ error: 'Enter whole days' })
    .min(0, { error: 'At least 0 days' })
    .max(90, { error: 'At most 90 days' })
})
export type BondSettings = z.infer<typeof BondSettings>

const ids = z.array(id).min(1, { error: 'Select at least one payment' }).max(5000)

export const bondsContract = {
  'bonds.listSeries': channel(z.object({}).strict().default({}), z.array(BondSeries)),
  'bonds.getSeries': channel(
    z.object({ id }).strict(),
    z.object({ series: BondSeries, schedule: z.array(SchedulePeriod), holdings: z.array(Holding) })
  ),
  'bonds.createSeries': channel(SeriesInput, BondSeries),
  /** The coupon schedule terms would give, while the form is being filled. */
  'bonds.previewSchedule': channel(SeriesInput, z.array(SchedulePeriod)),
  'bonds.buyHolding': channel(
    z
      .object({
        memberId: id,
        seriesId: id,
        units: z
          .number({ error: 'Units are required' })
          .int({ error: 'Units must be a whole number' })
          .positive({ error: 'Buy at least one unit' })
          .max(MAX_UNITS, { error: 'At most 10,000,000 units in one purchase' }),
        purchaseDate: calendarDate('Purchase date'),
        /** A purchase dated before the member joined needs 'purchase-before-joining' acknowledged. */
        acknowledge: acknowledge(['purchase-before-joining'])
      })
      .strict(),
    Holding
  ),
  'bonds.redeemHolding': channel(
    z.object({ id, expectedVersion: z.number().int().min(1), redeemedOn: calendarDate('Redemption date') }).strict(),
    Holding
  ),
  'bonds.listHoldings': channel(
    z
      .object({
        memberId: id.optional(),
        seriesId: id.optional(),
        status: HoldingStatus.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100)
      })
      .strict(),
    z.object({ rows: z.array(Holding), total: z.number().int() })
  ),
  /** Interest accrued on a holding since its last coupon date, as of a date (default today). */
  'bonds.accrued': channel(
    z.object({ holdingId: id, asOf: calendarDate('Date').optional() }).strict(),
    z.object({ asOf: z.string(), periodStart: z.string().nullable(), periodEnd: z.string().nullable(), accruedMinor: z.number().int() })
  ),
  'payments.list': channel(
    z
      .object({
        status: PaymentStatus.optional(),
        kind: PaymentKind.optional(),
        seriesId: id.optional(),
        memberId: id.optional(),
        dueFrom: calendarDate('From').optional(),
        dueTo: calendarDate('To').optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200)
      })
      .strict(),
    z.object({
      rows: z.array(Payment),
      total: z.number().int(),
      totals: z.object({ grossMinor: z.number().int(), taxMinor: z.number().int(), netMinor: z.number().int() })
    })
  ),
  /**
   * The signed-in operator prepares pending payments (checks them): the first
   * pair of eyes. With maker-checker on for payments, another operator approves.
   */
  'payments.prepare': channel(z.object({ ids }).strict(), z.object({ prepared: z.number().int() })),
  /**
   * The signed-in operator approves pending payments. With maker-checker on
   * (the default) each must have been prepared by another operator; with it
   * off, an unprepared payment is prepared and approved by the same person.
   */
  'payments.approve': channel(z.object({ ids }).strict(), z.object({ approved: z.number().int() })),
  /** Pays approved payments: each gets the next voucher number, in one transaction for the whole batch. */
  'payments.pay': channel(
    z
      .object({
        ids,
        paidOn: calendarDate('Payment date'),
        method: PaymentMethod,
        reference: optionalText('Reference', 80),
        /** Paying by cheque with no reference (the cheque number) needs 'cheque-without-number' acknowledged. */
        acknowledge: acknowledge(['cheque-without-number'])
      })
      .strict(),
    z.object({ paid: z.array(z.object({ id: z.number().int(), voucherNumber: z.string() })) })
  ),
  /** A member's bonds: holdings with accrued interest, coupons received, the next coupon of each holding. */
  'bonds.memberPortfolio': channel(
    z.object({ memberId: id }).strict(),
    z.object({
      asOf: z.string(),
      holdings: z.array(Holding.extend({ accruedMinor: z.number().int() })),
      received: z.array(Payment),
      upcoming: z.array(UpcomingCoupon),
      /** Unpaid (pending or approved) payments whose due date has passed. */
      overdue: z.array(Payment)
    })
  ),
  /** Writes the member's portfolio as an Excel workbook into the data folder's exports; answers its path. */
  'bonds.exportPortfolio': channel(z.object({ memberId: id }).strict(), z.object({ file: z.string() })),
  /** Active holdings maturing within N days (and those past maturity not yet processed). */
  'bonds.maturities': channel(
    z.object({ withinDays: z.number().int().min(0).max(3660).default(30) }).strict(),
    z.array(Maturity)
  ),
  'bonds.getSettings': channel(z.object({}).strict().default({}), BondSettings.extend({ example: z.string() })),
  /**
   * couponLeadDays may be left out (kept as it is). A new voucher pattern when vouchers are
   * already numbered this year needs 'voucher-pattern-mid-year' acknowledged.
   */
  'bonds.saveSettings': channel(
    BondSettings.extend({
      couponLeadDays: BondSettings.shape.couponLeadDays.optional(),
      acknowledge: acknowledge(['voucher-pattern-mid-year'])
    }).strict(),
    BondSettings.extend({ example: z.string() })
  ),
  /** Opens or closes a series for purchases. */
  'bonds.setSeriesStatus': channel(z.object({ id, status: z.enum(['open', 'closed']) }).strict(), BondSeries),
  'holidays.list': channel(z.object({}).strict().default({}), z.array(Holiday)),
  /** Adds a holiday; a date that already has one is refused (CONFLICT, on the date field): edit that one instead. */
  'holidays.save': channel(z.object({ date: calendarDate('Date'), name: requiredText('Name', 80) }).strict(), z.array(Holiday)),
  /** Renames the holiday on a date (NOT_FOUND when there is none). */
  'holidays.update': channel(z.object({ date: calendarDate('Date'), name: requiredText('Name', 80) }).strict(), z.array(Holiday)),
  'holidays.remove': channel(z.object({ date: calendarDate('Date') }).strict(), z.array(Holiday)),
  /**
   * The vouchers of paid payments as one PDF in the data folder's vouchers
   * folder. A voucher printed before is stamped COPY. Refused (CONFLICT,
   * naming the vouchers and characters) when a text has characters no font
   * can print, unless `printWithMissingGlyphs`.
   */
  'vouchers.pdf': channel(
    z.object({ paymentIds: ids, printWithMissingGlyphs: z.boolean().optional() }).strict(),
    z.object({ file: z.string(), vouchers: z.number().int(), copies: z.number().int() })
  ),
  'payments.cancel': channel(
    z.object({ id, reason: requiredText('Reason', 300) }).strict(),
    Payment
  ),
  /**
   * Voids a paid payment (a bounced cheque): it keeps its voucher and number (printed VOID)
   * and a pending replacement with the same amounts is created, in one transaction.
   */
  'payments.void': channel(
    z.object({ id, reason: requiredText('Reason', 300) }).strict(),
    z.object({ voided: Payment, replacement: Payment })
  ),
  /** A cancelled payment back to pending. */
  'payments.reinstate': channel(z.object({ id }).strict(), Payment)
}
