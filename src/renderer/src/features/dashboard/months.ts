const monthFormatters = new Map<string, Intl.DateTimeFormat>()

/**
 * A month (YYYY-MM) in the cooperative's locale: "October 2026" (long),
 * "Oct 2026" (short), or "Oct" (short, without the year). Falls back to the
 * raw text when it is not a month.
 */
export function fmtMonth(month: string, locale: string, style: 'long' | 'short' | 'short-no-year' = 'long'): string {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month)
  if (!m) return month
  const key = `${locale}\u0000${style}`
  let f = monthFormatters.get(key)
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === 'short-no-year' ? { month: 'short', timeZone: 'UTC' } : { month: style, year: 'numeric', timeZone: 'UTC' }
    try {
      f = new Intl.DateTimeFormat(locale, options)
    } catch {
      f = new Intl.DateTimeFormat('en', options)
    }
    monthFormatters.set(key, f)
  }
  return f.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1))
}

/** The month before a month (YYYY-MM). */
export function previousMonth(month: string): string {
  const year = Number(month.slice(0, 4))
  const m = Number(month.slice(5, 7))
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`
}
