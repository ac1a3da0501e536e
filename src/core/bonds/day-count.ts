/**
 * Day count conventions: the fraction of a year between two dates that a
 * coupon or accrued interest is worked out on.
 *
 * Definitions follow the 2006 ISDA Definitions, Section 4.16:
 *
 * - '30/360'       4.16(f) "30/360", "360/360", "Bond Basis":
 *                  [360×(Y2−Y1) + 30×(M2−M1) + (D2−D1)] / 360, where D1 = 31 becomes 30,
 *                  and D2 = 31 becomes 30 only when D1 (after that change) is 30.
 *                  No special rule for the end of February.
 * - '30E/360'      4.16(g) "30E/360", "Eurobond Basis": the same sum, where D1 = 31 becomes 30
 *                  and D2 = 31 becomes 30.
 * - 'ACT/360'      4.16(e): actual days / 360.
 * - 'ACT/365F'     4.16(d) "Actual/365 (Fixed)": actual days / 365.
 * - 'ACT/ACT-ISDA' 4.16(b): the days that fall in a leap year / 366 + the days that fall in
 *                  a common year / 365; the period is split at each 1 January.
 * - 'ACT/ACT-ICMA' 4.16(c), ICMA Rule 251: actual days / (coupons a year × actual days of the
 *                  regular coupon period the days lie in). A period that is not one regular
 *                  coupon period (a long first coupon, or a date range that crosses a coupon
 *                  date) is split over the regular, "notional", coupon periods it spans, and
 *                  the pieces are added up (Rule 251.1(iii)).
 *
 * The end date is excluded and the start date included (so start = end gives 0).
 *
 * Every result is an exact rational (all six conventions give one): `yearFractionRational`
 * (also exported as `yearFractionParts`) returns it as a BigInt numerator and denominator
 * in lowest terms. Amounts use it (./coupons: multiply first, divide last, round once).
 * `yearFraction` divides it out in decimal.js at 40 significant digits, rounding half up,
 * for display and for callers that want a Decimal: fractions with a terminating decimal
 * expansion (182/364 = 0.5, 180/360) are exact; others, such as 1/360 or 1/3, are cut at
 * the 40th significant digit, so never multiply an amount by it.
 *
 * ACT/ACT-ICMA needs the regular coupon period. Pass `reference` as:
 *
 * - one regular period `{ start, end, frequency? }` — the unadjusted coupon period
 *   (on the bond's coupon cycle) that the accrual lies in. For a short first coupon, this
 *   is the regular period that ends on the first coupon date (its start is before the
 *   issue date). If the accrual runs outside it (a long first coupon), the notional
 *   periods before and after are rolled from the reference period in steps of
 *   12 / frequency months: when both reference dates are the last day of their month,
 *   every notional date is the last day of its month (unless the reference says
 *   `endOfMonth: false`); otherwise notional dates keep the day of month of the reference
 *   date with the larger day, clamped to the month's length (so 30 stays 30 after
 *   February). This is how QuantLib and the ISDA examples treat a long first coupon.
 *   The two readings differ only when both reference dates are month ends of 30 days or
 *   fewer (quarterly 30 June → 30 September or 30 November → 28 February) on a bond without
 *   the end-of-month rule: pass `endOfMonth: false` there, or better, the list below.
 * - or a list of contiguous regular periods covering the accrual. `couponSchedule` in
 *   ./schedule gives each coupon period its `notionalPeriods` in this form, which leaves
 *   nothing to guess.
 *
 * `frequency` is coupons a year (1, 2, 4 or 12; 3 and 6 also work). If omitted, it is the
 * number of whole months in the reference period divided into 12. The reference period must
 * be exactly that many months long, on one coupon day, or a RangeError says so.
 *
 * Options are checked, never guessed: a reference period with a key other than start, end,
 * frequency and endOfMonth (a misspelling), or a missing start or end, is a RangeError
 * naming it; a non-boolean endOfMonth is a TypeError.
 *
 * Pure module: calendar dates are `YYYY-MM-DD` strings handled with src/shared/dates.ts.
 */
import Decimal from 'decimal.js'
import { addRational, rational, ZERO, type Rational } from '../../shared/rational'
import {
  addMonths,
  diffDays,
  endOfMonth,
  isEndOfMonth,
  isLeapYear,
  parseCalendarDate,
  toCalendarDate,
  type CalendarDate
} from '../../shared/dates'

export type DayCountConvention = '30/360' | '30E/360' | 'ACT/360' | 'ACT/365F' | 'ACT/ACT-ISDA' | 'ACT/ACT-ICMA'

export const DAY_COUNT_CONVENTIONS: readonly DayCountConvention[] = Object.freeze([
  '30/360',
  '30E/360',
  'ACT/360',
  'ACT/365F',
  'ACT/ACT-ISDA',
  'ACT/ACT-ICMA'
] as const)

/** A regular (unadjusted) coupon period; `frequency` = coupons a year. */
export interface ReferencePeriod {
  start: CalendarDate
  end: CalendarDate
  frequency?: number
  /**
   * Only used to roll notional periods beyond the reference period (a long coupon): false
   * keeps the reference's day of month even when both its dates are month ends (the bond's
   * schedule has no end-of-month rule). Omitted or true: month ends roll to month ends.
   */
  endOfMonth?: boolean
}

/** One regular coupon period, or contiguous ones in date order. */
export type ReferencePeriods = ReferencePeriod | readonly ReferencePeriod[]

/** An exact fraction in lowest terms; the denominator is positive (src/shared/rational.ts). */
export type { Rational } from '../../shared/rational'

/** Significant digits `yearFraction` keeps. */
export const YEAR_FRACTION_PRECISION = 40

/** A local decimal.js constructor: the global Decimal settings are left alone. */
const Dec = Decimal.clone({ precision: YEAR_FRACTION_PRECISION, rounding: Decimal.ROUND_HALF_UP })

export function isDayCountConvention(value: unknown): value is DayCountConvention {
  return typeof value === 'string' && (DAY_COUNT_CONVENTIONS as readonly string[]).includes(value)
}

function checkConvention(convention: unknown): DayCountConvention {
  if (!isDayCountConvention(convention)) {
    throw new RangeError(
      `Unknown day count convention: ${String(convention)} (use one of ${DAY_COUNT_CONVENTIONS.join(', ')})`
    )
  }
  return convention
}

function checkPeriod(start: CalendarDate, end: CalendarDate): void {
  parseCalendarDate(start)
  parseCalendarDate(end)
  if (start > end) throw new RangeError(`The start date ${start} is after the end date ${end}`)
}

// ---------------------------------------------------------------------------
// Day counts
// ---------------------------------------------------------------------------

function thirty360Days(start: CalendarDate, end: CalendarDate, eurobond: boolean): number {
  const a = parseCalendarDate(start)
  const b = parseCalendarDate(end)
  const d1 = a.day === 31 ? 30 : a.day
  const d2 = b.day === 31 && (eurobond || d1 > 29) ? 30 : b.day
  return 360 * (b.year - a.year) + 30 * (b.month - a.month) + (d2 - d1)
}

/**
 * The day count numerator: 30/360-style days for '30/360' and '30E/360', actual days
 * (end − start) for the others.
 */
export function accrualDays(convention: DayCountConvention, start: CalendarDate, end: CalendarDate): number {
  const c = checkConvention(convention)
  checkPeriod(start, end)
  if (c === '30/360') return thirty360Days(start, end, false)
  if (c === '30E/360') return thirty360Days(start, end, true)
  return diffDays(start, end)
}

function actActIsda(start: CalendarDate, end: CalendarDate): Rational {
  const y1 = parseCalendarDate(start).year
  const y2 = parseCalendarDate(end).year
  let total = ZERO
  for (let y = y1; y <= y2; y++) {
    const from = y === y1 ? start : toCalendarDate(y, 1, 1)
    const to = y === y2 ? end : toCalendarDate(y + 1, 1, 1)
    const days = diffDays(from, to)
    if (days > 0) total = addRational(total, rational(days, isLeapYear(y) ? 366 : 365))
  }
  return total
}

// ---------------------------------------------------------------------------
// ACT/ACT-ICMA
// ---------------------------------------------------------------------------

/** Boundary k of a coupon cycle: roll(0) = a regular period's end, roll(-1) its start. */
type Roll = (k: number) => CalendarDate

interface Cycle {
  months: number
  frequency: number
}

const FREQUENCIES = [1, 2, 3, 4, 6, 12]

function cycleOf(p: ReferencePeriod): Cycle {
  const s = parseCalendarDate(p.start)
  const e = parseCalendarDate(p.end)
  if (p.frequency !== undefined) {
    if (!FREQUENCIES.includes(p.frequency)) {
      throw new RangeError(`Coupon frequency must be 1, 2, 4 or 12 coupons a year, got ${String(p.frequency)}`)
    }
    return { months: 12 / p.frequency, frequency: p.frequency }
  }
  const months = e.year * 12 + e.month - (s.year * 12 + s.month)
  const frequency = 12 / months
  if (!FREQUENCIES.includes(frequency)) {
    throw new RangeError(
      `The reference period ${p.start} → ${p.end} is not 1, 3, 6 or 12 months long; give its coupon frequency`
    )
  }
  return { months, frequency }
}

/** The coupon cycle a regular period lies on, or a RangeError if it is not a regular period. */
function rollOf(p: ReferencePeriod, months: number): Roll {
  const candidates: Roll[] = []
  if (p.endOfMonth !== false && isEndOfMonth(p.start) && isEndOfMonth(p.end)) {
    candidates.push((k) => endOfMonth(addMonths(p.end, k * months)))
  }
  if (parseCalendarDate(p.end).day >= parseCalendarDate(p.start).day) {
    candidates.push((k) => addMonths(p.end, k * months))
  } else {
    candidates.push((k) => addMonths(p.start, (k + 1) * months))
  }
  for (const roll of candidates) {
    if (roll(0) === p.end && roll(-1) === p.start) return roll
  }
  throw new RangeError(
    `The reference period ${p.start} → ${p.end} is not a regular coupon period of ${months} month${months === 1 ? '' : 's'}`
  )
}

const REFERENCE_KEYS: readonly string[] = ['start', 'end', 'frequency', 'endOfMonth']

/** A reference period's options: known keys only, start and end present, endOfMonth a boolean. */
function checkReferencePeriod(p: unknown): asserts p is ReferencePeriod {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) {
    throw new TypeError('A reference period must be an object { start, end, frequency?, endOfMonth? }')
  }
  for (const key of Object.keys(p)) {
    if (!REFERENCE_KEYS.includes(key)) {
      throw new RangeError(`Unknown reference period option "${key}" (use ${REFERENCE_KEYS.join(', ')})`)
    }
  }
  const r = p as Record<string, unknown>
  for (const key of ['start', 'end']) {
    if (r[key] === undefined) throw new RangeError(`The reference period option "${key}" is missing`)
  }
  if (r.endOfMonth !== undefined && typeof r.endOfMonth !== 'boolean') {
    throw new TypeError(`The reference period option "endOfMonth" must be true or false, got ${String(r.endOfMonth)}`)
  }
  if (r.frequency !== undefined && typeof r.frequency !== 'number') {
    throw new TypeError(`The reference period option "frequency" must be a number of coupons a year, got ${String(r.frequency)}`)
  }
}

function actActIcma(start: CalendarDate, end: CalendarDate, reference: ReferencePeriods | undefined): Rational {
  if (reference === undefined || reference === null) {
    throw new RangeError('ACT/ACT-ICMA needs the regular coupon period the dates lie in (the reference period)')
  }
  const given: readonly ReferencePeriod[] = Array.isArray(reference) ? reference : [reference as ReferencePeriod]
  if (given.length === 0) throw new RangeError('ACT/ACT-ICMA needs at least one reference period')

  let cycle: Cycle | undefined
  for (const [i, p] of given.entries()) {
    checkReferencePeriod(p)
    parseCalendarDate(p.start)
    parseCalendarDate(p.end)
    if (p.start >= p.end) throw new RangeError(`The reference period ${p.start} → ${p.end} must end after it starts`)
    const c = cycleOf(p)
    if (cycle && c.frequency !== cycle.frequency) {
      throw new RangeError('All reference periods must have the same coupon frequency')
    }
    cycle = c
    rollOf(p, c.months)
    const prev = i > 0 ? given[i - 1] : undefined
    if (prev && prev.end !== p.start) {
      throw new RangeError(`Reference periods must follow one another: ${prev.end} is not ${p.start}`)
    }
  }
  const first = given[0]
  const last = given[given.length - 1]
  if (!cycle || !first || !last) throw new RangeError('ACT/ACT-ICMA needs at least one reference period')
  const { months, frequency } = cycle

  const periods: Array<{ start: CalendarDate; end: CalendarDate }> = given.map((p) => ({ start: p.start, end: p.end }))
  // Notional periods before the first reference period (a long first coupon).
  if (start < first.start) {
    const roll = rollOf(first, months)
    for (let k = -1; (periods[0]?.start ?? start) > start; k--) {
      periods.unshift({ start: roll(k - 1), end: roll(k) })
    }
  }
  // Notional periods after the last one (a long last coupon).
  if (end > last.end) {
    const roll = rollOf(last, months)
    for (let k = 1; (periods[periods.length - 1]?.end ?? end) < end; k++) {
      periods.push({ start: roll(k - 1), end: roll(k) })
    }
  }

  let total = ZERO
  for (const p of periods) {
    const from = start > p.start ? start : p.start
    const to = end < p.end ? end : p.end
    const days = diffDays(from, to)
    if (days > 0) total = addRational(total, rational(days, frequency * diffDays(p.start, p.end)))
  }
  return total
}

// ---------------------------------------------------------------------------
// Year fractions
// ---------------------------------------------------------------------------

/**
 * The year fraction from `start` (included) to `end` (excluded) as an exact fraction in
 * lowest terms: what amounts are computed with. `reference` is needed by ACT/ACT-ICMA only
 * (see the module comment) and ignored by the others. RangeError for an unknown convention,
 * a date that is not `YYYY-MM-DD`, start after end, or a missing, misspelt or irregular
 * ICMA reference period.
 */
export function yearFractionRational(
  convention: DayCountConvention,
  start: CalendarDate,
  end: CalendarDate,
  reference?: ReferencePeriods
): Rational {
  const c = checkConvention(convention)
  checkPeriod(start, end)
  switch (c) {
    case '30/360':
      return rational(thirty360Days(start, end, false), 360)
    case '30E/360':
      return rational(thirty360Days(start, end, true), 360)
    case 'ACT/360':
      return rational(diffDays(start, end), 360)
    case 'ACT/365F':
      return rational(diffDays(start, end), 365)
    case 'ACT/ACT-ISDA':
      return actActIsda(start, end)
    case 'ACT/ACT-ICMA':
      return actActIcma(start, end, reference)
  }
}

/** The same as `yearFractionRational` (its earlier name). */
export const yearFractionParts = yearFractionRational

/**
 * The year fraction as a decimal.js Decimal: `yearFractionRational` divided out at 40
 * significant digits, rounded half up (exact when the fraction terminates in decimal).
 */
export function yearFraction(
  convention: DayCountConvention,
  start: CalendarDate,
  end: CalendarDate,
  reference?: ReferencePeriods
): Decimal {
  const { numerator, denominator } = yearFractionRational(convention, start, end, reference)
  return new Dec(numerator.toString()).div(new Dec(denominator.toString()))
}
