/**
 * Coffer's words for people, in one place for core and renderer: dates and
 * times in the cooperative's locale and time zone, counts with the right
 * plural, possessives of names, "today"/"tomorrow" by the calendar of the
 * cooperative's time zone, and who ran a job in words instead of its lease id.
 *
 * Every function takes the locale (and time zone) explicitly and never reads
 * the clock: "now" is passed in. The sentences themselves are English (the
 * app's language), so plurals follow English rules (Intl.PluralRules('en'));
 * numbers and dates follow the cooperative's locale.
 *
 * Pure module: no Node built-ins, no Electron, no project imports beyond shared.
 */
import { calendarDateInZone, diffDays, formatCalendarDate, isCalendarDate, type CalendarDate, type DateStyle } from './dates'

// ---------------------------------------------------------------------------
// Dates and times
// ---------------------------------------------------------------------------

/** A calendar date (YYYY-MM-DD) in the locale: "15 Jan 2026" (en-KE, medium). */
export function formatDate(date: CalendarDate, locale: string, style: DateStyle = 'medium'): string {
  return formatCalendarDate(date, locale, style)
}

/**
 * A sentence from a pure module (which knows no locale) with every
 * YYYY-MM-DD date in it written in the locale: "2026-02-15 is not a coupon
 * date" → "15 Feb 2026 is not a coupon date". Text that only looks like a
 * date (2026-02-30) is left as it is.
 */
export function datesInText(text: string, locale: string): string {
  return text.replace(/(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])/g, (d) => (isCalendarDate(d) ? formatCalendarDate(d, locale) : d))
}

/** A period of two calendar dates: "1 Jan 2026 – 30 Jun 2026". */
export function formatPeriod(start: CalendarDate, end: CalendarDate, locale: string, style: DateStyle = 'medium'): string {
  return `${formatCalendarDate(start, locale, style)} – ${formatCalendarDate(end, locale, style)}`
}

/** The locale with Latin digits (0-9), as vouchers print amounts and dates: 'ar-KW' → 'ar-KW-u-nu-latn'. */
export function withLatinDigits(locale: string): string {
  return new Intl.Locale(locale, { numberingSystem: 'latn' }).toString()
}

const instantFormatters = new Map<string, Intl.DateTimeFormat>()

function toMs(instant: string | Date | number): number {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant instanceof Date ? instant.getTime() : instant
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new RangeError(`Not an instant: ${String(instant)}`)
  return ms
}

/**
 * An instant (a UTC ISO string as stored, a Date or epoch ms) as date and
 * time in the cooperative's locale and time zone: "27 Nov 2026, 20:00"
 * (en-KE, Africa/Nairobi). The same form as the renderer's fmtInstant.
 * Throws RangeError for an unreadable instant, locale or time zone.
 */
export function formatInstant(
  instant: string | Date | number,
  locale: string,
  timeZone: string,
  { seconds = false }: { seconds?: boolean } = {}
): string {
  const ms = toMs(instant)
  const key = `${locale}\u0000${timeZone}\u0000${seconds ? 's' : ''}`
  let f = instantFormatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short', timeZone })
    instantFormatters.set(key, f)
  }
  return f.format(ms)
}

const relativeFormatters = new Map<string, Intl.RelativeTimeFormat>()

/**
 * A calendar day said relative to today: "today", "tomorrow", "yesterday",
 * "in 3 days", "2 days ago" (in the locale's words). Both are calendar dates
 * of the cooperative's time zone, so "tomorrow" is only ever the next
 * calendar day there, whatever the hours between.
 */
export function relativeDay(date: CalendarDate, today: CalendarDate, locale: string): string {
  let f = relativeFormatters.get(locale)
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
    relativeFormatters.set(locale, f)
  }
  return f.format(diffDays(today, date), 'day')
}

/** Calendar days from `now` to `instant` in the time zone: 1 for any time tomorrow there, -1 for yesterday. */
export function calendarDaysBetween(now: string | Date | number, instant: string | Date | number, timeZone: string): number {
  return diffDays(calendarDateInZone(toMs(now), timeZone), calendarDateInZone(toMs(instant), timeZone))
}

/** `relativeDay` for an instant: "tomorrow" when it falls on the next calendar day in the time zone. */
export function relativeDayOfInstant(instant: string | Date | number, now: string | Date | number, locale: string, timeZone: string): string {
  return relativeDay(calendarDateInZone(toMs(instant), timeZone), calendarDateInZone(toMs(now), timeZone), locale)
}

// ---------------------------------------------------------------------------
// Counts and plurals
// ---------------------------------------------------------------------------

/** The forms of an English word by plural category; `other` is required. */
export interface PluralForms {
  one: string
  other: string
}

const englishPlurals = new Intl.PluralRules('en')
const countFormatters = new Map<string, Intl.NumberFormat>()

/** The form that agrees with n: pluralForm(1, {one: 'voucher was', other: 'vouchers were'}) → "voucher was". */
export function pluralForm(n: number, forms: PluralForms): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new RangeError(`Not a count: ${String(n)}`)
  return englishPlurals.select(n) === 'one' ? forms.one : forms.other
}

/** An integer with the locale's grouping: 100000 → "100,000" (en), "100 000" (fr). */
export function formatCount(n: number, locale: string): string {
  let f = countFormatters.get(locale)
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
    countFormatters.set(locale, f)
  }
  return f.format(n)
}

/** A count and its word: countOf(1, {one: 'unit', other: 'units'}, 'en-KE') → "1 unit"; 1500 → "1,500 units". */
export function countOf(n: number, forms: PluralForms, locale: string): string {
  return `${formatCount(n, locale)} ${pluralForm(n, forms)}`
}

// ---------------------------------------------------------------------------
// Possessives
// ---------------------------------------------------------------------------

const APOSTROPHES = /['\u2019]/

/**
 * The English possessive of a name, as written after it:
 * - a name ending in an apostrophe takes only "s" ("Ochieng’" → "Ochieng’s"),
 *   never a second apostrophe;
 * - a name ending in s takes only the apostrophe ("Moses" → "Moses’");
 * - any other name takes apostrophe and s ("Wanjiru" → "Wanjiru’s").
 * The apostrophe matches the one the name already uses, else the
 * typographic ’. Spaces around the name are dropped.
 */
export function possessive(name: string): string {
  const n = name.trim()
  if (n === '') return n
  const last = n.charAt(n.length - 1)
  if (APOSTROPHES.test(last)) return `${n}s`
  const own = /['\u2019]/.exec(n)?.[0] ?? '\u2019'
  return /s$/i.test(n) ? `${n}${own}` : `${n}${own}s`
}

// ---------------------------------------------------------------------------
// Who ran a job
// ---------------------------------------------------------------------------

/**
 * Who holds a job's lease, or ran it, in words: "the Coffer app on this PC",
 * "the command line on this PC", "the Coffer app on FRONT-DESK". `owner` is
 * the lease owner ("app|cli|test:host:pid:nonce"); `thisHost` is this PC's
 * host name. An owner in no known form is "another Coffer process".
 */
export function describeRunner(owner: string, thisHost: string): string {
  const [kind, host] = owner.split(':')
  const what = kind === 'app' ? 'the Coffer app' : kind === 'cli' ? 'the command line' : kind === 'test' ? 'a test run' : null
  if (!what || !host) return 'another Coffer process'
  return host === thisHost ? `${what} on this PC` : `${what} on ${host}`
}
