import { formatCalendarDate, isCalendarDate, parseCalendarDate } from '../../../shared/dates'
import { calendarDaysBetween } from '../../../shared/words'

/**
 * Every date the renderer shows goes through these: a calendar date
 * (fmtDate, fmtDateRange) or an instant (fmtInstant, fmtRelative, fmtAgo), in
 * the cooperative's locale, in one style ("15 Jul 2025" in en-KE, "Jul 15,
 * 2025" in en-US): never an ISO string, never a second style on the same
 * screen. Date inputs are the browser's and stay as they are.
 */

/** A YYYY-MM-DD date in the cooperative's locale ("15 Jul 2025"); falls back to the raw text if it is not one. */
export function fmtDate(date: string | null | undefined, locale: string): string {
  if (!date) return ''
  if (!isCalendarDate(date)) return date
  try {
    return formatCalendarDate(date, locale, 'medium')
  } catch {
    return date
  }
}

const rangeFormatters = new Map<string, Intl.DateTimeFormat | null>()

/**
 * Two calendar dates as one period in the locale, saying what they share once:
 * "1 Jan – 1 Feb 2025", "1 Dec 2024 – 1 Jan 2025". Where the locale's range
 * pattern would drop a part that differs, both dates in full.
 */
export function fmtDateRange(start: string | null | undefined, end: string | null | undefined, locale: string): string {
  if (!start || !end) return start ? fmtDate(start, locale) : fmtDate(end, locale)
  const full = `${fmtDate(start, locale)} – ${fmtDate(end, locale)}`
  if (!isCalendarDate(start) || !isCalendarDate(end) || end < start) return full
  let f = rangeFormatters.get(locale)
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })
      if (typeof f.formatRangeToParts !== 'function') f = null
    } catch {
      f = null
    }
    rangeFormatters.set(locale, f)
  }
  if (!f) return full
  const a = parseCalendarDate(start)
  const b = parseCalendarDate(end)
  try {
    const parts = f.formatRangeToParts(Date.UTC(a.year, a.month - 1, a.day), Date.UTC(b.year, b.month - 1, b.day))
    const startParts = new Set(parts.filter((p) => p.source === 'startRange').map((p) => p.type))
    // Some locales' patterns leave the start month out ("1 – 1 Feb 2025" for January to February).
    if (a.month !== b.month && !startParts.has('month')) return full
    if (a.year !== b.year && !startParts.has('year')) return full
    return parts.map((p) => p.value).join('')
  } catch {
    return full
  }
}

const instantFormatters = new Map<string, Intl.DateTimeFormat>()

/**
 * A UTC instant (ISO string) as date and time in the cooperative's locale and
 * time zone; `seconds` adds them (two runs or backups in the same minute).
 */
export function fmtInstant(
  iso: string | null | undefined,
  locale: string,
  timeZone: string,
  { seconds = false }: { seconds?: boolean } = {}
): string {
  if (!iso) return ''
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  const key = `${locale}\u0000${timeZone}\u0000${seconds ? 's' : ''}`
  let f = instantFormatters.get(key)
  if (!f) {
    const timeStyle = seconds ? 'medium' : 'short'
    try {
      f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle, timeZone })
    } catch {
      f = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle })
    }
    instantFormatters.set(key, f)
  }
  return f.format(ms)
}

const numberFormatters = new Map<string, Intl.NumberFormat>()

/** An integer count with the locale's grouping: 100000 → "100,000". */
export function fmtCount(n: number, locale: string): string {
  let f = numberFormatters.get(locale)
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
    } catch {
      f = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 })
    }
    numberFormatters.set(locale, f)
  }
  return f.format(n)
}

/** A duration in words: "0.4 s", "12 s", "3 min 5 s", "1 h 2 min". */
export function fmtDuration(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return ''
  if (ms < 1000) return `${fmtDecimal(Math.max(ms, 0) / 1000, locale, ms === 0 ? 0 : 1)} s`
  const totalSeconds = Math.round(ms / 1000)
  if (totalSeconds < 60) return `${totalSeconds} s`
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  if (hours > 0) return minutes > 0 ? `${fmtCount(hours, locale)} h ${minutes} min` : `${fmtCount(hours, locale)} h`
  return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`
}

const decimalFormatters = new Map<string, Intl.NumberFormat>()

function fmtDecimal(n: number, locale: string, digits: number): string {
  const key = `${locale}\u0000${digits}`
  let f = decimalFormatters.get(key)
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, { minimumFractionDigits: 0, maximumFractionDigits: digits })
    } catch {
      f = new Intl.NumberFormat(undefined, { minimumFractionDigits: 0, maximumFractionDigits: digits })
    }
    decimalFormatters.set(key, f)
  }
  return f.format(n)
}

/** A file size: "812 B", "14.2 KB", "3.4 MB", "1.2 GB" (binary multiples, as file managers on Windows show them). */
export function fmtBytes(bytes: number, locale: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return ''
  if (bytes < 1024) return `${fmtCount(bytes, locale)} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${fmtDecimal(value, locale, value < 100 ? 1 : 0)} ${units[unit]}`
}

const relativeFormatters = new Map<string, Intl.RelativeTimeFormat | null>()

function relativeFormatter(locale: string): Intl.RelativeTimeFormat | null {
  if (!relativeFormatters.has(locale)) {
    let f: Intl.RelativeTimeFormat | null
    try {
      f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' })
    } catch {
      try {
        f = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' })
      } catch {
        f = null
      }
    }
    relativeFormatters.set(locale, f)
  }
  return relativeFormatters.get(locale) ?? null
}

/**
 * How far an instant is from now, in the locale: "just now", "5 min ago",
 * "in 3 hr", "yesterday". Beyond a week (either way) it is the date and time.
 */
export function fmtRelative(iso: string | null | undefined, nowMs: number, locale: string, timeZone: string): string {
  if (!iso) return ''
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  return relativeText(ms - nowMs, iso, locale, timeZone)
}

/**
 * Like fmtRelative, for something that has happened: an instant a little
 * ahead of the clock the screen last read (it ticks every so often) is "just now".
 */
export function fmtAgo(iso: string | null | undefined, nowMs: number, locale: string, timeZone: string): string {
  if (!iso) return ''
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  return relativeText(Math.min(0, ms - nowMs), iso, locale, timeZone)
}

function relativeText(diff: number, iso: string, locale: string, timeZone: string): string {
  const abs = Math.abs(diff)
  const f = relativeFormatter(locale)
  if (!f || abs >= 7 * 86_400_000) return fmtInstant(iso, locale, timeZone)
  if (abs < 45_000) return diff <= 0 ? 'just now' : f.format(Math.round(diff / 1000), 'second')
  if (abs < 3_600_000) return f.format(Math.round(diff / 60_000), 'minute')
  if (abs < 86_400_000) return f.format(Math.round(diff / 3_600_000), 'hour')
  // A day or more away: counted in calendar days of the cooperative's time zone, so "tomorrow" is
  // only ever the next day there (never 30 hours from a late evening, which is the day after).
  const ms = Date.parse(iso)
  try {
    return f.format(calendarDaysBetween(ms - diff, ms, timeZone), 'day')
  } catch {
    return fmtInstant(iso, locale, timeZone)
  }
}
