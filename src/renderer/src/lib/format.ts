import { formatCalendarDate, isCalendarDate, type DateStyle } from '../../../shared/dates'

/** A YYYY-MM-DD date in the cooperative's locale; falls back to the raw text if it is not one. */
export function fmtDate(date: string | null | undefined, locale: string, style: DateStyle = 'medium'): string {
  if (!date) return ''
  if (!isCalendarDate(date)) return date
  try {
    return formatCalendarDate(date, locale, style)
  } catch {
    return date
  }
}

const instantFormatters = new Map<string, Intl.DateTimeFormat>()

/** A UTC instant (ISO string) as date and time in the cooperative's locale and time zone. */
export function fmtInstant(iso: string | null | undefined, locale: string, timeZone: string): string {
  if (!iso) return ''
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  const key = `${locale}\u0000${timeZone}`
  let f = instantFormatters.get(key)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone })
    } catch {
      f = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
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
