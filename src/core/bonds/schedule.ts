/**
 * Coupon schedules for fixed-rate bonds.
 *
 * The schedule is generated backward from maturity, as bond markets do:
 *
 * - Coupon dates ("roll dates") are maturity minus k coupon periods, each computed from
 *   maturity directly (addMonths(maturity, −k × months)), never by chaining, so clamping to a
 *   short month does not drift: a 31st maturity gives 30 April and then 31 May again.
 * - End-of-month rule: when `endOfMonth` is true and maturity is the last day of its month,
 *   every coupon date is the last day of its month (maturity 28 Feb 2026 → 31 Aug 2025,
 *   28 Feb 2025, 31 Aug 2024, 29 Feb 2024 …). When it is false, or maturity is not a month
 *   end, coupon dates keep maturity's day of month, clamped to the month's length. Default:
 *   false.
 * - Without `firstCouponDate`, the first coupon date is the last roll date after the issue
 *   date; if the roll does not land on the issue date, the first period is a short front
 *   stub, however short (a stub of a few days is not merged into the next period).
 * - With `firstCouponDate`, it must be a roll date strictly between issue and maturity; the
 *   first period runs from the issue date to it and is a short stub, a regular period, or a
 *   long stub (longer than one coupon period).
 * - Accrual dates stay unadjusted. Payment dates are the accrual end dates moved to a
 *   business day (Monday–Friday, not in `holidays`) by `businessDayConvention`
 *   (default 'following').
 *
 * Each period also carries its regular coupon period (`regularStart`, `regularEnd`: for a
 * stub, the regular period ending on the first coupon date) and `notionalPeriods`, the
 * regular periods on the coupon cycle that cover the accrual period: one for a regular
 * period or a short stub, two or more for a long stub. Pass `notionalPeriods` as the
 * ACT/ACT-ICMA reference of ./day-count's `yearFraction` for the coupon or for interest
 * accrued to any date inside the period.
 *
 * Pure module: calendar dates are `YYYY-MM-DD` strings handled with src/shared/dates.ts.
 */
import { addDays, addMonths, endOfMonth, isEndOfMonth, parseCalendarDate, type CalendarDate } from '../../shared/dates'
import { isBusinessDay, toHolidaySet, type HolidayList } from '../calendar'

export type { HolidayList } from '../calendar'

export type CouponFrequency = 'monthly' | 'quarterly' | 'semi-annual' | 'annual'

export const COUPON_FREQUENCIES: readonly CouponFrequency[] = Object.freeze([
  'monthly',
  'quarterly',
  'semi-annual',
  'annual'
] as const)

export type BusinessDayConvention = 'unadjusted' | 'following' | 'modified-following' | 'preceding'

export const BUSINESS_DAY_CONVENTIONS: readonly BusinessDayConvention[] = Object.freeze([
  'unadjusted',
  'following',
  'modified-following',
  'preceding'
] as const)

export interface CouponScheduleTerms {
  issueDate: CalendarDate
  maturityDate: CalendarDate
  frequency: CouponFrequency
  /** A coupon date on the cycle that ends at maturity; omitted or null: the cycle decides. */
  firstCouponDate?: CalendarDate | null
  /** Keep coupon dates on month ends when maturity is a month end. Default false. */
  endOfMonth?: boolean
  /** How payment dates move off weekends and holidays. Default 'following'. */
  businessDayConvention?: BusinessDayConvention
  holidays?: HolidayList
}

/** A regular coupon period with its frequency (coupons a year): an ACT/ACT-ICMA reference. */
export interface NotionalPeriod {
  start: CalendarDate
  end: CalendarDate
  frequency: number
}

export interface CouponPeriod {
  /** Interest accrues from this date (included)… */
  accrualStart: CalendarDate
  /** …to this date (excluded); unadjusted. */
  accrualEnd: CalendarDate
  /** accrualEnd moved to a business day. */
  paymentDate: CalendarDate
  /** The regular coupon period on the cycle ending at accrualEnd (= the accrual dates unless a stub). */
  regularStart: CalendarDate
  regularEnd: CalendarDate
  /** True for a first period that is not one regular coupon period (short or long). */
  isStub: boolean
  /** The regular periods covering the accrual period, oldest first. */
  notionalPeriods: NotionalPeriod[]
}

const MONTHS: Readonly<Record<CouponFrequency, number>> = Object.freeze({
  monthly: 1,
  quarterly: 3,
  'semi-annual': 6,
  annual: 12
})

/** Months in one coupon period: annual 12, semi-annual 6, quarterly 3, monthly 1. */
export function frequencyMonths(frequency: CouponFrequency): number {
  if (typeof frequency !== 'string' || !Object.hasOwn(MONTHS, frequency)) {
    throw new RangeError(`Unknown coupon frequency: ${String(frequency)} (use ${COUPON_FREQUENCIES.join(', ')})`)
  }
  return MONTHS[frequency]
}

/** Coupons a year: annual 1, semi-annual 2, quarterly 4, monthly 12. */
export function couponsPerYear(frequency: CouponFrequency): number {
  return 12 / frequencyMonths(frequency)
}

function checkBusinessDayConvention(convention: unknown): BusinessDayConvention {
  if (typeof convention !== 'string' || !(BUSINESS_DAY_CONVENTIONS as readonly string[]).includes(convention)) {
    throw new RangeError(
      `Unknown business day convention: ${String(convention)} (use ${BUSINESS_DAY_CONVENTIONS.join(', ')})`
    )
  }
  return convention as BusinessDayConvention
}

function roll(date: CalendarDate, step: 1 | -1, holidays: ReadonlySet<CalendarDate>): CalendarDate {
  let d = date
  while (!isBusinessDay(d, holidays)) d = addDays(d, step)
  return d
}

function adjust(date: CalendarDate, convention: BusinessDayConvention, holidays: ReadonlySet<CalendarDate>): CalendarDate {
  switch (convention) {
    case 'unadjusted':
      return date
    case 'following':
      return roll(date, 1, holidays)
    case 'preceding':
      return roll(date, -1, holidays)
    case 'modified-following': {
      const following = roll(date, 1, holidays)
      // Same month (YYYY-MM) or else the preceding business day.
      return following.slice(0, 7) === date.slice(0, 7) ? following : roll(date, -1, holidays)
    }
  }
}

/**
 * Move a date to a business day (Monday–Friday, not a holiday):
 * - 'unadjusted': leave it;
 * - 'following': the first business day on or after it;
 * - 'modified-following': the following business day, unless that is in the next month,
 *   then the preceding one;
 * - 'preceding': the last business day on or before it.
 */
export function adjustBusinessDay(
  date: CalendarDate,
  convention: BusinessDayConvention,
  holidays?: HolidayList
): CalendarDate {
  parseCalendarDate(date)
  return adjust(date, checkBusinessDayConvention(convention), toHolidaySet(holidays))
}

const REQUIRED_TERMS = ['issueDate', 'maturityDate', 'frequency'] as const
const OPTIONAL_TERMS = ['firstCouponDate', 'endOfMonth', 'businessDayConvention', 'holidays'] as const
const KNOWN_TERMS: readonly string[] = [...REQUIRED_TERMS, ...OPTIONAL_TERMS]

/**
 * The terms are checked, never guessed: an unknown key (a misspelt `businessDay` would
 * otherwise leave 'following' in force) or a missing required one is a RangeError naming
 * it; an option of the wrong type is a TypeError naming it. Only an option that is absent
 * (or undefined) takes its documented default.
 */
function checkTerms(terms: unknown): asserts terms is CouponScheduleTerms {
  if (terms === null || typeof terms !== 'object' || Array.isArray(terms)) {
    throw new TypeError('Coupon schedule terms are required: { issueDate, maturityDate, frequency, ... }')
  }
  for (const key of Object.keys(terms)) {
    if (!KNOWN_TERMS.includes(key)) {
      throw new RangeError(`Unknown coupon schedule option "${key}" (use ${KNOWN_TERMS.join(', ')})`)
    }
  }
  const t = terms as Record<string, unknown>
  for (const key of REQUIRED_TERMS) {
    if (t[key] === undefined || t[key] === null) throw new RangeError(`The coupon schedule option "${key}" is missing`)
  }
  for (const key of ['issueDate', 'maturityDate', 'frequency'] as const) {
    if (typeof t[key] !== 'string') throw new TypeError(`The coupon schedule option "${key}" must be text, got ${typeof t[key]}`)
  }
  if (t.firstCouponDate !== undefined && t.firstCouponDate !== null && typeof t.firstCouponDate !== 'string') {
    throw new TypeError(`The coupon schedule option "firstCouponDate" must be a YYYY-MM-DD date or null, got ${typeof t.firstCouponDate}`)
  }
  if (t.endOfMonth !== undefined && typeof t.endOfMonth !== 'boolean') {
    throw new TypeError(`The coupon schedule option "endOfMonth" must be true or false, got ${String(t.endOfMonth)}`)
  }
  if (t.businessDayConvention !== undefined && typeof t.businessDayConvention !== 'string') {
    throw new TypeError(`The coupon schedule option "businessDayConvention" must be text, got ${typeof t.businessDayConvention}`)
  }
}

/**
 * The coupon periods of a bond, first to last. RangeError (with a sentence for a person)
 * when maturity is not after issue, the first coupon date is not strictly between them or
 * not on the coupon cycle that ends at maturity, or a convention or date is not valid;
 * RangeError or TypeError naming the option when an option is unknown, missing or of the
 * wrong type (see `checkTerms`).
 */
export function couponSchedule(terms: CouponScheduleTerms): CouponPeriod[] {
  checkTerms(terms)
  const { issueDate, maturityDate } = terms
  parseCalendarDate(issueDate)
  parseCalendarDate(maturityDate)
  if (maturityDate <= issueDate) {
    throw new RangeError(`The maturity date (${maturityDate}) must be after the issue date (${issueDate}).`)
  }
  const months = frequencyMonths(terms.frequency)
  const perYear = 12 / months
  const convention = checkBusinessDayConvention(terms.businessDayConvention ?? 'following')
  const holidays = toHolidaySet(terms.holidays)
  const eom = terms.endOfMonth === true && isEndOfMonth(maturityDate)

  /** Coupon date k periods before maturity (k = 0 is maturity). */
  const rollDate = (k: number): CalendarDate => {
    const d = addMonths(maturityDate, -k * months)
    return eom ? endOfMonth(d) : d
  }

  // firstIndex = K: the first coupon date is rollDate(K).
  let firstIndex: number
  const firstCouponDate = terms.firstCouponDate
  if (firstCouponDate !== undefined && firstCouponDate !== null) {
    parseCalendarDate(firstCouponDate)
    if (firstCouponDate <= issueDate || firstCouponDate >= maturityDate) {
      throw new RangeError(
        `The first coupon date (${firstCouponDate}) must be after the issue date (${issueDate}) and before the maturity date (${maturityDate}).`
      )
    }
    let k = 1
    while (rollDate(k) > firstCouponDate) k++
    if (rollDate(k) !== firstCouponDate) {
      throw new RangeError(
        `The first coupon date must fall on the coupon cycle that ends at maturity (${maturityDate}, every ${months} month${months === 1 ? '' : 's'}${eom ? ', on month ends' : ''}): ` +
          `${firstCouponDate} is not a coupon date; the nearest are ${rollDate(k)} and ${rollDate(k - 1)}.`
      )
    }
    firstIndex = k
  } else {
    firstIndex = 0
    while (rollDate(firstIndex + 1) > issueDate) firstIndex++
  }

  const periods: CouponPeriod[] = []
  const notional = (k: number): NotionalPeriod => ({ start: rollDate(k + 1), end: rollDate(k), frequency: perYear })

  // The first period: issue date → rollDate(firstIndex).
  const front: NotionalPeriod[] = []
  for (let k = firstIndex; k === firstIndex || (front[0]?.start ?? issueDate) > issueDate; k++) {
    front.unshift(notional(k))
  }
  const firstEnd = rollDate(firstIndex)
  const firstRegularStart = rollDate(firstIndex + 1)
  periods.push({
    accrualStart: issueDate,
    accrualEnd: firstEnd,
    paymentDate: adjust(firstEnd, convention, holidays),
    regularStart: firstRegularStart,
    regularEnd: firstEnd,
    isStub: firstRegularStart !== issueDate,
    notionalPeriods: front
  })

  for (let k = firstIndex - 1; k >= 0; k--) {
    const start = rollDate(k + 1)
    const end = rollDate(k)
    periods.push({
      accrualStart: start,
      accrualEnd: end,
      paymentDate: adjust(end, convention, holidays),
      regularStart: start,
      regularEnd: end,
      isStub: false,
      notionalPeriods: [notional(k)]
    })
  }
  return periods
}
