/**
 * Calendar dates as `YYYY-MM-DD` strings, years 1000..9999.
 *
 * All arithmetic is integer arithmetic on (year, month, day) via the
 * days-from-civil algorithm (proleptic Gregorian calendar), so nothing
 * depends on the machine's time zone or on JS Date local-time rules. Intl is
 * used only to read a date in a time zone and to format for display.
 *
 * Pure module: no Node built-ins, no Electron, no project imports.
 */

export type CalendarDate = string

export interface DateParts {
  year: number
  month: number
  day: number
}

const MIN_YEAR = 1000
const MAX_YEAR = 9999
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

function checkInt(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new RangeError(`${what} must be a safe integer`)
  return n
}

/** Gregorian leap year rule. */
export function isLeapYear(year: number): boolean {
  checkInt(year, 'Year')
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** Days in a month (1..12) of a year. */
export function daysInMonth(year: number, month: number): number {
  checkInt(year, 'Year')
  checkInt(month, 'Month')
  if (month < 1 || month > 12) throw new RangeError(`Month must be 1..12, got ${month}`)
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

function validParts(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= MIN_YEAR &&
    year <= MAX_YEAR &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  )
}

/** True for a `YYYY-MM-DD` string naming a real date in years 1000..9999. */
export function isCalendarDate(s: string): boolean {
  if (typeof s !== 'string') return false
  const m = DATE_RE.exec(s)
  if (!m) return false
  return validParts(Number(m[1]), Number(m[2]), Number(m[3]))
}

/** Split a calendar date; throws RangeError if it is not a valid one. */
export function parseCalendarDate(s: CalendarDate): DateParts {
  const m = typeof s === 'string' ? DATE_RE.exec(s) : null
  if (m) {
    const year = Number(m[1])
    const month = Number(m[2])
    const day = Number(m[3])
    if (validParts(year, month, day)) return { year, month, day }
  }
  throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${String(s)}`)
}

/** Build `YYYY-MM-DD`; throws RangeError for an invalid date or a year outside 1000..9999. */
export function toCalendarDate(year: number, month: number, day: number): CalendarDate {
  if (!validParts(year, month, day)) {
    throw new RangeError(`Not a calendar date: ${String(year)}-${String(month)}-${String(day)}`)
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
function floorDiv(a: number, b: number): number {
  return Math.floor(a / b)
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = floorDiv(yy, 400)
  const yoe = yy - era * 400
  const mp = (m + 9) % 12 // March = 0
  const doy = floorDiv(153 * mp + 2, 5) + d - 1
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy
  return era * 146097 + doe - 719468
}

function civilFromDays(n: number): DateParts {
  const z = n + 719468
  const era = floorDiv(z, 146097)
  const doe = z - era * 146097
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365)
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100))
  const mp = floorDiv(5 * doy + 2, 153)
  const day = doy - floorDiv(153 * mp + 2, 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return { year, month, day }
}

/** Days since 1970-01-01 (which is 0). */
export function toEpochDay(date: CalendarDate): number {
  const { year, month, day } = parseCalendarDate(date)
  return daysFromCivil(year, month, day)
}

/** The calendar date `n` days after 1970-01-01; RangeError outside years 1000..9999. */
export function fromEpochDay(n: number): CalendarDate {
  checkInt(n, 'Epoch day')
  const { year, month, day } = civilFromDays(n)
  return toCalendarDate(year, month, day)
}

export function addDays(date: CalendarDate, n: number): CalendarDate {
  checkInt(n, 'Days')
  return fromEpochDay(toEpochDay(date) + n)
}

/** Add months, clamping to the end of the month: 2024-01-31 + 1 → 2024-02-29. */
export function addMonths(date: CalendarDate, n: number): CalendarDate {
  checkInt(n, 'Months')
  const { year, month, day } = parseCalendarDate(date)
  const total = year * 12 + (month - 1) + n
  const y = floorDiv(total, 12)
  const m = total - y * 12 + 1
  if (y < MIN_YEAR || y > MAX_YEAR) throw new RangeError(`Date out of range: ${date} + ${n} months`)
  return toCalendarDate(y, m, Math.min(day, daysInMonth(y, m)))
}

/** Add years, clamping 29 February to 28 February in common years. */
export function addYears(date: CalendarDate, n: number): CalendarDate {
  checkInt(n, 'Years')
  return addMonths(date, n * 12)
}

/** b − a in days. */
export function diffDays(a: CalendarDate, b: CalendarDate): number {
  return toEpochDay(b) - toEpochDay(a)
}

/** -1 if a < b, 0 if equal, 1 if a > b. */
export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  parseCalendarDate(a)
  parseCalendarDate(b)
  return a < b ? -1 : a > b ? 1 : 0 // fixed-width ISO strings sort chronologically
}

/** The earliest of one or more dates. */
export function minDate(...dates: CalendarDate[]): CalendarDate {
  if (dates.length === 0) throw new RangeError('minDate needs at least one date')
  return dates.reduce((acc, d) => (compareDates(d, acc) < 0 ? d : acc))
}

/** The latest of one or more dates. */
export function maxDate(...dates: CalendarDate[]): CalendarDate {
  if (dates.length === 0) throw new RangeError('maxDate needs at least one date')
  return dates.reduce((acc, d) => (compareDates(d, acc) > 0 ? d : acc))
}

function isoDayOfWeek(epochDay: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((epochDay + 3) % 7) + 7) % 7) + 1
}

/** ISO day of week: 1 = Monday .. 7 = Sunday. */
export function dayOfWeek(date: CalendarDate): number {
  return isoDayOfWeek(toEpochDay(date))
}

export function isEndOfMonth(date: CalendarDate): boolean {
  const { year, month, day } = parseCalendarDate(date)
  return day === daysInMonth(year, month)
}

export function endOfMonth(date: CalendarDate): CalendarDate {
  const { year, month } = parseCalendarDate(date)
  return toCalendarDate(year, month, daysInMonth(year, month))
}

export function startOfMonth(date: CalendarDate): CalendarDate {
  const { year, month } = parseCalendarDate(date)
  return toCalendarDate(year, month, 1)
}

/** The Monday on or before the date. */
export function startOfIsoWeek(date: CalendarDate): CalendarDate {
  const n = toEpochDay(date)
  return fromEpochDay(n - (isoDayOfWeek(n) - 1))
}

/** ISO 8601 week-numbering year and week (1..53); weeks start Monday, week 1 holds the first Thursday. */
export function isoWeek(date: CalendarDate): { year: number; week: number } {
  const n = toEpochDay(date)
  const thursday = n - isoDayOfWeek(n) + 4
  const year = civilFromDays(thursday).year
  const week = Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1
  return { year, week }
}

// ---------------------------------------------------------------------------
// Time zones and instants (Intl)
// ---------------------------------------------------------------------------

function toInstantMs(instant: Date | number): number {
  const ms = instant instanceof Date ? instant.getTime() : instant
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new RangeError('Invalid instant')
  return ms
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>()

/** The calendar date an instant falls on in a time zone (e.g. 'Africa/Nairobi'). */
export function calendarDateInZone(instant: Date | number, timeZone: string): CalendarDate {
  const ms = toInstantMs(instant)
  let f = zoneFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric'
    })
    zoneFormatters.set(timeZone, f)
  }
  let year = NaN
  let month = NaN
  let day = NaN
  let era = ''
  for (const p of f.formatToParts(ms)) {
    if (p.type === 'year') year = Number(p.value)
    else if (p.type === 'month') month = Number(p.value)
    else if (p.type === 'day') day = Number(p.value)
    else if (p.type === 'era') era = p.value
  }
  if (era !== 'AD') throw new RangeError('Instant is outside years 1000..9999')
  return toCalendarDate(year, month, day)
}

/** True if Intl knows the IANA time zone name (or 'UTC'). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

export type DateStyle = 'short' | 'medium' | 'long'

const dateFormatters = new Map<string, Intl.DateTimeFormat>()

/** Format for display in a locale. Uses UTC on both sides, so it never shifts a day. */
export function formatCalendarDate(date: CalendarDate, locale: string, style: DateStyle = 'medium'): string {
  const { year, month, day } = parseCalendarDate(date)
  if (style !== 'short' && style !== 'medium' && style !== 'long') {
    throw new RangeError(`Unknown date style: ${String(style)}`)
  }
  const key = `${locale}\u0000${style}`
  let f = dateFormatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' })
    dateFormatters.set(key, f)
  }
  return f.format(Date.UTC(year, month - 1, day))
}

/** UTC ISO 8601 string of an instant, e.g. "2026-07-01T02:00:00.000Z". */
export function instantToIso(instant: Date | number): string {
  return new Date(toInstantMs(instant)).toISOString()
}
