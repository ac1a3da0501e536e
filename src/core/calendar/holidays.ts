/**
 * Business days for coupon payment dates: Monday to Friday, less a list of
 * holidays the user keeps (public holidays of the society's country, bank
 * closures). There is no built-in holiday calendar: the caller supplies the
 * dates.
 *
 * Pure module: calendar dates are `YYYY-MM-DD` strings handled with
 * src/shared/dates.ts; no JS Date arithmetic.
 */
import { dayOfWeek, parseCalendarDate, type CalendarDate } from '../../shared/dates'

/** Holiday dates as `YYYY-MM-DD` strings, as a list or a set. */
export type HolidayList = readonly CalendarDate[] | ReadonlySet<CalendarDate>

const EMPTY: ReadonlySet<CalendarDate> = new Set<CalendarDate>()

/**
 * Check every holiday is a calendar date and return them as a set.
 * Throws RangeError naming the first entry that is not a `YYYY-MM-DD` date.
 */
export function toHolidaySet(holidays: HolidayList | undefined | null): ReadonlySet<CalendarDate> {
  if (holidays === undefined || holidays === null) return EMPTY
  if (typeof holidays !== 'object' || typeof (holidays as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new RangeError('Holidays must be a list or a set of YYYY-MM-DD dates')
  }
  const set = new Set<CalendarDate>()
  for (const h of holidays as Iterable<unknown>) {
    if (typeof h !== 'string') throw new RangeError(`Holiday is not a YYYY-MM-DD date: ${String(h)}`)
    try {
      parseCalendarDate(h)
    } catch {
      throw new RangeError(`Holiday is not a YYYY-MM-DD date: ${h}`)
    }
    set.add(h)
  }
  return set
}

/** Saturday or Sunday. */
export function isWeekend(date: CalendarDate): boolean {
  return dayOfWeek(date) >= 6
}

/** Not a Saturday, not a Sunday and not in the holiday set. */
export function isBusinessDay(date: CalendarDate, holidays: ReadonlySet<CalendarDate> = EMPTY): boolean {
  return !isWeekend(date) && !holidays.has(date)
}
