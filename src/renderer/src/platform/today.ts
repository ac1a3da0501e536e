import { calendarDateInZone } from '../../../shared/dates'

/** Today's date (YYYY-MM-DD) in the cooperative's time zone; '' if the zone is unusable. */
export function todayIn(timeZone: string): string {
  try {
    return calendarDateInZone(Date.now(), timeZone)
  } catch {
    try {
      return calendarDateInZone(Date.now(), 'UTC')
    } catch {
      return ''
    }
  }
}
