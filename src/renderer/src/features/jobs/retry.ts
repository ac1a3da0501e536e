import type { Job } from '../../../../shared/contract'
import { calendarDateInZone } from '../../../../shared/dates'
import { fmtInstant } from '../../platform/format'

const timeFormatters = new Map<string, Intl.DateTimeFormat>()

function timeFormatter(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}\u0000${timeZone}`
  let f = timeFormatters.get(key)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone })
    } catch {
      f = new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone })
    }
    timeFormatters.set(key, f)
  }
  return f
}

/** "14:05" when it is today in the cooperative's time zone, else the date too ("21 Feb 2026, 00:05"). */
export function fmtRetryTime(iso: string, nowMs: number, locale: string, timeZone: string): string {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  if (calendarDateInZone(new Date(ms), timeZone) !== calendarDateInZone(new Date(nowMs), timeZone)) return fmtInstant(iso, locale, timeZone)
  return timeFormatter(locale, timeZone).format(ms)
}

/**
 * What the jobs list says after a failed (or timed-out) last run, from the
 * engine's retry plan: "Retry at 14:05 (attempt 2 of 3)", or that none is
 * coming. Null when the last run did not fail.
 */
export function retryWords(job: Job, nowMs: number, locale: string, timeZone: string): { text: string; pending: boolean } | null {
  const r = job.retry
  if (!r) return null
  if (r.state === 'pending') {
    return { text: `Retry at ${fmtRetryTime(r.at, nowMs, locale, timeZone)} (attempt ${r.attempt} of ${job.maxAttempts})`, pending: true }
  }
  const next = job.enabled ? '; it runs again at its next scheduled time' : ''
  if (r.reason === 'last-attempt') {
    return { text: job.maxAttempts > 1 ? `No retries left (${job.maxAttempts} attempts)${next}` : `Not retried${next}`, pending: false }
  }
  return { text: `No retry pending${next}`, pending: false }
}
