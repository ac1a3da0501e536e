import { parseCalendarDate } from '../../shared/dates'

/** The zone's offset from UTC at an instant, in ms (east positive). */
export function offsetAt(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit'
  }).formatToParts(ms)
  const n = (t: string): number => Number(parts.find((p) => p.type === t)?.value)
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(ms / 1000) * 1000
}

/**
 * The UTC instant (ISO text, as audit rows store it) at which a calendar day
 * begins in the time zone: "From 1 March" means from local midnight there.
 */
export function zonedDayStartUtc(date: string, timeZone: string): string {
  const { year, month, day } = parseCalendarDate(date)
  const local = Date.UTC(year, month - 1, day)
  let guess = local - offsetAt(local, timeZone)
  // A second pass settles a day whose midnight is near an offset change.
  guess = local - offsetAt(guess, timeZone)
  return new Date(guess).toISOString()
}
