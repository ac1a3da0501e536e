/**
 * Occurrence dates of a repeating rule: the society's recurring entries and
 * members' standing orders both ask this module when their n-th occurrence
 * is scheduled, when it falls due after weekends and holidays, which ones
 * are due by a day (catch-up) or in a window (forecast), and where to resume
 * after a pause.
 *
 * - Occurrence n (1-based) is computed from the start date directly, never by
 *   stepping from occurrence n − 1, so a monthly rule on the 31st goes
 *   31 Jan → 28/29 Feb → 31 Mar → 30 Apr → 31 May: the short month clamps
 *   that one occurrence and the day comes back after it.
 * - The scheduled date is the occurrence's key (it never moves); the due date
 *   is the scheduled date moved by the holiday rule to a business day
 *   (Monday to Friday and not in the holiday set). "before" may move an
 *   occurrence into the previous month, or before the start date; "after"
 *   may move it into the next month or past the end date. The end date and
 *   the count limit apply to scheduled dates.
 * - Due dates never decrease as n grows (both moves are monotone), but two
 *   occurrences may share a due date (a daily rule's Saturday and Sunday both
 *   fall due on Monday with "after").
 * - A rule is checked before use: every function here except checkRule throws
 *   a RangeError listing checkRule's problems for a rule that has any.
 *
 * Pure module: calendar dates are `YYYY-MM-DD` strings handled with
 * ./dates (integer day arithmetic, no JS Date arithmetic). Weekends and
 * holidays follow src/core/calendar/holidays.ts (which shared may not
 * import): Saturday and Sunday, plus the holiday set the caller passes.
 */
import {
  daysInMonth,
  formatCalendarDate,
  fromEpochDay,
  isCalendarDate,
  parseCalendarDate,
  toCalendarDate,
  toEpochDay,
  type CalendarDate
} from './dates'

export const FREQUENCIES = ['daily', 'weekly', 'biweekly', 'monthly', 'quarterly', 'annually'] as const
export type Frequency = (typeof FREQUENCIES)[number]

/** none: keep the date; before: the previous business day; after: the next business day. */
export const HOLIDAY_RULES = ['none', 'before', 'after'] as const
export type HolidayRule = (typeof HOLIDAY_RULES)[number]

export interface RepeatRule {
  frequency: Frequency
  /** The first occurrence's scheduled date. */
  startDate: string
  /**
   * Monthly, quarterly and annually only. true: on the month's last day (the
   * start date must then be a month's last day); false: on the start date's
   * day of the month, clamped to the month's length (31st → 28/29 Feb,
   * 30 Apr, and back to 31 May).
   */
  monthEnd: boolean
  /** No scheduled date after it. */
  endDate: string | null
  /** At most this many occurrences, counted from the first (n = 1..max). */
  maxOccurrences: number | null
  holidayRule: HolidayRule
}

/** n is 1-based; scheduled is the unadjusted date (the unique key); due is moved for weekends and holidays. */
export interface Occurrence {
  n: number
  scheduled: string
  due: string
}

/** How far adjustDate looks for a business day before giving up. */
export const MAX_HOLIDAY_SHIFT_DAYS = 366

const MONTHLY_FREQUENCIES: readonly Frequency[] = ['monthly', 'quarterly', 'annually']

// ---------------------------------------------------------------------------
// Checking a rule
// ---------------------------------------------------------------------------

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v)

/**
 * What is wrong with a rule, field by field, in plain words; an empty object
 * when nothing is.
 */
export function checkRule(rule: RepeatRule): Record<string, string> {
  const problems: Record<string, string> = {}
  const r = rule as Partial<Record<keyof RepeatRule, unknown>>
  if (!isOneOf(FREQUENCIES, r.frequency)) {
    problems.frequency = 'Choose how often it repeats: daily, weekly, every two weeks, monthly, quarterly or annually'
  }
  const startOk = typeof r.startDate === 'string' && isCalendarDate(r.startDate)
  if (!startOk) problems.startDate = 'The start date is not a date'
  if (typeof r.monthEnd !== 'boolean') {
    problems.monthEnd = 'Say whether it repeats on the last day of the month'
  } else if (r.monthEnd) {
    if (isOneOf(FREQUENCIES, r.frequency) && !MONTHLY_FREQUENCIES.includes(r.frequency)) {
      problems.monthEnd = 'Monthly on the last day needs a monthly, quarterly or annual frequency'
    } else if (startOk) {
      const { year, month, day } = parseCalendarDate(r.startDate as string)
      if (day !== daysInMonth(year, month)) {
        problems.startDate = 'To repeat on the last day of the month, start on the last day of a month'
      }
    }
  }
  if (r.endDate !== null) {
    if (typeof r.endDate !== 'string' || !isCalendarDate(r.endDate)) problems.endDate = 'The end date is not a date'
    else if (startOk && r.endDate < (r.startDate as string)) problems.endDate = 'The end date is before the start date'
  }
  if (r.maxOccurrences !== null) {
    if (typeof r.maxOccurrences !== 'number' || !Number.isSafeInteger(r.maxOccurrences) || r.maxOccurrences < 1) {
      problems.maxOccurrences = 'The number of times must be a whole number, 1 or more'
    }
  }
  if (!isOneOf(HOLIDAY_RULES, r.holidayRule)) {
    problems.holidayRule = 'Choose what happens on weekends and holidays: keep the date, the business day before, or the business day after'
  }
  return problems
}

// ---------------------------------------------------------------------------
// The rule, prepared once per call
// ---------------------------------------------------------------------------

interface Plan {
  holidayRule: HolidayRule
  /** Days between occurrences (daily, weekly, biweekly), else 0. */
  stepDays: number
  /** Months between occurrences (monthly, quarterly, annually), else 0. */
  stepMonths: number
  monthEnd: boolean
  startEpoch: number
  /** Month number of the start: year * 12 + (month − 1). */
  startMonthIndex: number
  startDay: number
  /** The last index n, or null when the rule never ends. */
  last: number | null
}

function stepsOf(f: Frequency): { stepDays: number; stepMonths: number } {
  switch (f) {
    case 'daily':
      return { stepDays: 1, stepMonths: 0 }
    case 'weekly':
      return { stepDays: 7, stepMonths: 0 }
    case 'biweekly':
      return { stepDays: 14, stepMonths: 0 }
    case 'monthly':
      return { stepDays: 0, stepMonths: 1 }
    case 'quarterly':
      return { stepDays: 0, stepMonths: 3 }
    case 'annually':
      return { stepDays: 0, stepMonths: 12 }
  }
}

function planOf(rule: RepeatRule): Plan {
  const problems = checkRule(rule)
  const list = Object.values(problems)
  if (list.length > 0) throw new RangeError(`The repeat rule is not valid: ${list.join('; ')}`)
  const { year, month, day } = parseCalendarDate(rule.startDate)
  const plan: Plan = {
    holidayRule: rule.holidayRule,
    ...stepsOf(rule.frequency),
    monthEnd: rule.monthEnd,
    startEpoch: toEpochDay(rule.startDate),
    startMonthIndex: year * 12 + (month - 1),
    startDay: day,
    last: null
  }
  let last = rule.maxOccurrences
  if (rule.endDate !== null) {
    const byEnd = countScheduledBefore(plan, rule.endDate, true)
    last = last === null ? byEnd : Math.min(last, byEnd)
  }
  plan.last = last
  return plan
}

/** Day of the month of the occurrence in month index mi (no range check on the year beyond daysInMonth's). */
function dayInMonth(plan: Plan, mi: number): number {
  const y = Math.floor(mi / 12)
  const dim = daysInMonth(y, mi - y * 12 + 1)
  return plan.monthEnd ? dim : Math.min(plan.startDay, dim)
}

/**
 * How many occurrences (ignoring the end date and the count limit) are
 * scheduled before the date, or on or before it when `inclusive`. Pure
 * arithmetic: no walk over the occurrences, no date built past the date.
 */
function countScheduledBefore(plan: Plan, date: CalendarDate, inclusive: boolean): number {
  if (plan.stepDays > 0) {
    const d = toEpochDay(date) - plan.startEpoch
    if (inclusive) return d < 0 ? 0 : Math.floor(d / plan.stepDays) + 1
    return d <= 0 ? 0 : Math.ceil(d / plan.stepDays)
  }
  const { year, month, day } = parseCalendarDate(date)
  const delta = year * 12 + (month - 1) - plan.startMonthIndex
  if (delta < 0) return 0
  const i = Math.floor(delta / plan.stepMonths)
  // Occurrences 0..i−1 fall in months before the date's; occurrence i falls
  // in the date's month or one before it.
  const mi = plan.startMonthIndex + i * plan.stepMonths
  if (mi < plan.startMonthIndex + delta) return i + 1
  const d = dayInMonth(plan, mi)
  return (inclusive ? d <= day : d < day) ? i + 1 : i
}

function checkIndex(n: number, what: string): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`${what} must be a whole number, 1 or more, got ${String(n)}`)
  }
}

/** Occurrence n's scheduled date, or null past the end; throws RangeError past 9999-12-31. */
function scheduledOf(plan: Plan, n: number): CalendarDate | null {
  if (plan.last !== null && n > plan.last) return null
  if (plan.stepDays > 0) {
    const epoch = plan.startEpoch + (n - 1) * plan.stepDays
    try {
      return fromEpochDay(epoch)
    } catch {
      throw new RangeError(`Occurrence ${n} of this rule falls after 9999-12-31`)
    }
  }
  const mi = plan.startMonthIndex + (n - 1) * plan.stepMonths
  const y = Math.floor(mi / 12)
  if (y > 9999) throw new RangeError(`Occurrence ${n} of this rule falls after 9999-12-31`)
  return toCalendarDate(y, mi - y * 12 + 1, dayInMonth(plan, mi))
}

function occurrenceOf(plan: Plan, n: number, holidays: ReadonlySet<string>): Occurrence | null {
  const scheduled = scheduledOf(plan, n)
  if (scheduled === null) return null
  return { n, scheduled, due: adjustDate(scheduled, plan.holidayRule, holidays) }
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * The n-th scheduled date (n ≥ 1), computed from the start date directly,
 * or null when past the end date or the count limit. Throws RangeError for
 * an n that is not a whole number ≥ 1, an invalid rule, or a date past
 * 9999-12-31.
 */
export function scheduledDate(rule: RepeatRule, n: number): string | null {
  checkIndex(n, 'The occurrence number')
  return scheduledOf(planOf(rule), n)
}

/**
 * The date moved for weekends and holidays by the rule: "none" keeps it;
 * "before" takes the closest business day on or before it (possibly in the
 * previous month); "after" the closest on or after it. Throws RangeError when
 * no business day lies within MAX_HOLIDAY_SHIFT_DAYS (a holiday list covering
 * a whole year), rather than searching forever.
 */
export function adjustDate(date: string, rule: HolidayRule, holidays: ReadonlySet<string>): string {
  const epoch = toEpochDay(date)
  if (!isOneOf(HOLIDAY_RULES, rule)) throw new RangeError(`Unknown holiday rule: ${String(rule)}`)
  if (rule === 'none') return date
  const step = rule === 'before' ? -1 : 1
  for (let i = 0; i <= MAX_HOLIDAY_SHIFT_DAYS; i++) {
    const e = epoch + i * step
    const iso = ((((e + 3) % 7) + 7) % 7) + 1 // 1 = Monday .. 7 = Sunday; 1970-01-01 was a Thursday
    if (iso >= 6) continue
    const d = i === 0 ? date : fromEpochDay(e)
    if (!holidays.has(d)) return d
  }
  throw new RangeError(
    `No business day within ${MAX_HOLIDAY_SHIFT_DAYS} days ${rule === 'before' ? 'before' : 'after'} ${date}: check the holiday list`
  )
}

/** Occurrence n (its scheduled and due dates), or null past the end. */
export function occurrence(rule: RepeatRule, n: number, holidays: ReadonlySet<string>): Occurrence | null {
  checkIndex(n, 'The occurrence number')
  return occurrenceOf(planOf(rule), n, holidays)
}

/**
 * Every occurrence from index `fromN` (inclusive) whose due date is on or
 * before `upTo`, in order of n; stops at the first whose due date is later
 * (due dates never decrease with n) or at the rule's end.
 *
 * No cap and no truncation: the list is as long as the window makes it (at
 * most one occurrence per scheduled day from `fromN`'s date to `upTo` plus
 * the holiday shift). A caller that wants fewer narrows `upTo` or takes a
 * prefix itself and resumes later from the next n; nothing here drops any.
 */
export function occurrencesDueBy(rule: RepeatRule, fromN: number, upTo: string, holidays: ReadonlySet<string>): Occurrence[] {
  checkIndex(fromN, 'The first occurrence number')
  parseCalendarDate(upTo)
  const plan = planOf(rule)
  const out: Occurrence[] = []
  for (let n = fromN; ; n++) {
    const occ = occurrenceOf(plan, n, holidays)
    if (occ === null || occ.due > upTo) return out
    out.push(occ)
  }
}

/**
 * Every occurrence whose due date falls in [from, to], in order of n (for a
 * forecast). Starts near `from` by arithmetic, not by walking from n = 1.
 * Throws RangeError when `from` is after `to`.
 */
export function occurrencesBetween(rule: RepeatRule, from: string, to: string, holidays: ReadonlySet<string>): Occurrence[] {
  parseCalendarDate(from)
  parseCalendarDate(to)
  if (from > to) throw new RangeError(`The window starts (${from}) after it ends (${to})`)
  const plan = planOf(rule)
  // The first n scheduled on or after `from`; an earlier one can only fall
  // due inside the window when "after" moved it forward, so step back while
  // that is so (at most MAX_HOLIDAY_SHIFT_DAYS worth of occurrences).
  let n = countScheduledBefore(plan, from, false) + 1
  if (plan.last !== null && n > plan.last + 1) n = plan.last + 1
  if (plan.holidayRule === 'after') {
    while (n > 1) {
      const prev = occurrenceOf(plan, n - 1, holidays)
      if (prev === null || prev.due < from) break
      n--
    }
  }
  const out: Occurrence[] = []
  for (; ; n++) {
    const occ = occurrenceOf(plan, n, holidays)
    if (occ === null || occ.due > to) return out
    // With "before", the first few scheduled on or after `from` may fall due before it.
    if (occ.due >= from) out.push(occ)
  }
}

/**
 * The index n of the first occurrence scheduled on or after the date (to
 * resume after a pause), or null when none remains (past the end date or the
 * count limit). Arithmetic, not a walk: O(1) whatever the frequency.
 */
export function firstIndexOnOrAfter(rule: RepeatRule, date: string): number | null {
  parseCalendarDate(date)
  const plan = planOf(rule)
  const n = countScheduledBefore(plan, date, false) + 1
  return plan.last !== null && n > plan.last ? null : n
}

// ---------------------------------------------------------------------------
// The rule in words
// ---------------------------------------------------------------------------

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

/** 1 → "1st", 2 → "2nd", 11 → "11th", 22 → "22nd", 31 → "31st". */
function ordinal(n: number): string {
  const tens = n % 100
  if (tens >= 11 && tens <= 13) return `${n}th`
  const suffix = n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th'
  return `${n}${suffix}`
}

const partFormatters = new Map<string, Intl.DateTimeFormat>()

/** A day and month, or a month alone, in the locale ("3 March", "March 3", "February"), in UTC so it never shifts. */
function formatPart(year: number, month: number, day: number, locale: string, withDay: boolean): string {
  const key = `${locale}\u0000${withDay ? 'dm' : 'm'}`
  let f = partFormatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, withDay ? { day: 'numeric', month: 'long', timeZone: 'UTC' } : { month: 'long', timeZone: 'UTC' })
    partFormatters.set(key, f)
  }
  return f.format(Date.UTC(year, month - 1, day))
}

function timesWord(n: number, locale: string): string {
  if (n === 1) return 'once'
  if (n === 2) return 'twice'
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n)} times`
}

/**
 * The rule in English for the app, dates in the locale:
 * "Every month on the 31st (the last day in shorter months), from 31 Jan 2026
 * until 31 Dec 2026; moved to the previous business day on weekends and
 * holidays". Throws RangeError for an invalid rule.
 */
export function describeRule(rule: RepeatRule, locale: string): string {
  planOf(rule)
  const { year, month, day } = parseCalendarDate(rule.startDate)
  let what: string
  switch (rule.frequency) {
    case 'daily':
      what = 'Every day'
      break
    case 'weekly':
    case 'biweekly': {
      const weekday = WEEKDAYS[((toEpochDay(rule.startDate) + 3) % 7 + 7) % 7]
      what = `${rule.frequency === 'weekly' ? 'Every week' : 'Every two weeks'} on ${weekday}`
      break
    }
    case 'monthly':
    case 'quarterly': {
      const every = rule.frequency === 'monthly' ? 'Every month' : 'Every quarter'
      if (rule.monthEnd) what = rule.frequency === 'monthly' ? 'Every month on its last day' : 'Every quarter on the last day of the month'
      else if (day > 28) what = `${every} on the ${ordinal(day)} (the last day in shorter months)`
      else what = `${every} on the ${ordinal(day)}`
      break
    }
    case 'annually':
      if (rule.monthEnd) what = `Every year on the last day of ${formatPart(2000, month, 1, locale, false)}`
      else if (month === 2 && day === 29) {
        what = `Every year on ${formatPart(2000, 2, 29, locale, true)} (${formatPart(2001, 2, 28, locale, true)} in common years)`
      } else what = `Every year on ${formatPart(year, month, day, locale, true)}`
      break
  }
  let text = `${what}, from ${formatCalendarDate(rule.startDate, locale)}`
  if (rule.endDate !== null) text += ` until ${formatCalendarDate(rule.endDate, locale)}`
  if (rule.maxOccurrences !== null) text += `, ${rule.endDate !== null ? 'at most ' : ''}${timesWord(rule.maxOccurrences, locale)}`
  if (rule.holidayRule === 'before') text += '; moved to the previous business day on weekends and holidays'
  else if (rule.holidayRule === 'after') text += '; moved to the next business day on weekends and holidays'
  return text
}
