/**
 * Job schedules said in words, and the cron text each one is. The words
 * cover what a treasurer asks for: every day at a time, every week on some
 * days at a time, every month on a day (1 to 28) or on its last day at a
 * time. Anything else is cron, the advanced option.
 *
 * The last day of the month is cron's `L` in the day-of-month field: both
 * cron-parser (next runs, catch-up) and node-cron (the timer) read it as the
 * month's own last day (28 or 29 in February, 30 or 31 otherwise). Days 29,
 * 30 and 31 are refused in words: they do not come every month, so "every
 * month on day 31" would silently skip half the year.
 *
 * Pure: used by the app's core (the schedule in words on the list) and by the
 * window (the schedule dialog).
 */

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6

export type ScheduleWords =
  | { every: 'day'; time: string }
  | { every: 'week'; weekdays: Weekday[]; time: string }
  | { every: 'month'; day: number | 'last'; time: string }

/** Sunday = 0, as cron counts. */
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const
/** The order the dialog offers them: Monday first. */
export const WEEKDAYS_MONDAY_FIRST: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0]

/** The highest day of the month that every month has. */
export const LAST_DAY_EVERY_MONTH_HAS = 28

export type WordsProblem = { field: 'time' | 'weekdays' | 'day' | 'every'; message: string }
export type WordsResult = { ok: true; cron: string } | { ok: false; problems: WordsProblem[] }

const TIME = /^(\d{1,2}):(\d{2})$/

/** "2:05" → { hour: 2, minute: 5 }; null when it is not a 24-hour time. */
export function parseTime(text: string): { hour: number; minute: number } | null {
  const m = TIME.exec(text.trim())
  if (!m) return null
  const hour = Number(m[1])
  const minute = Number(m[2])
  if (hour > 23 || minute > 59) return null
  return { hour, minute }
}

const two = (n: number) => String(n).padStart(2, '0')
export const formatTime = (hour: number, minute: number) => `${two(hour)}:${two(minute)}`

/** The cron text a schedule in words is, or what is wrong with it, per field. */
export function wordsToCron(words: ScheduleWords): WordsResult {
  const problems: WordsProblem[] = []
  const time = parseTime(words.time)
  if (!time) problems.push({ field: 'time', message: 'Write the time as hours and minutes, 24-hour, like 02:00 or 14:30' })
  let dom = '*'
  let dow = '*'
  if (words.every === 'week') {
    const days = [...new Set(words.weekdays)].sort((a, b) => a - b)
    if (days.length === 0) problems.push({ field: 'weekdays', message: 'Choose at least one day of the week' })
    else if (days.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) {
      problems.push({ field: 'weekdays', message: 'Choose days of the week from Monday to Sunday' })
    } else dow = days.join(',')
  } else if (words.every === 'month') {
    if (words.day === 'last') dom = 'L'
    else if (!Number.isInteger(words.day) || words.day < 1 || words.day > 31) {
      problems.push({ field: 'day', message: 'Choose a day of the month from 1 to 28, or the last day' })
    } else if (words.day > LAST_DAY_EVERY_MONTH_HAS) {
      problems.push({
        field: 'day',
        message: `Not every month has a day ${words.day} (February has 28 or 29 days, April, June, September and November 30): choose “the last day” to run at each month's end, or a day from 1 to 28`
      })
    } else dom = String(words.day)
  } else if (words.every !== 'day') {
    problems.push({ field: 'every', message: 'Choose every day, every week or every month' })
  }
  if (problems.length || !time) return { ok: false, problems }
  return { ok: true, cron: `${time.minute} ${time.hour} ${dom} * ${dow}` }
}

const NUMBER = /^\d{1,2}$/

/**
 * The schedule in words a cron text is, or null when it is not one of the
 * word forms (it stays cron, on the advanced tab). Only exact fits: a single
 * minute and hour, every month, and either every day, some weekdays, or one
 * day of the month (1 to 28, or L).
 */
export function cronToWords(cron: string): ScheduleWords | null {
  const fields = cron.trim().split(/\s+/)
  if (fields.length !== 5) return null
  const [min, hour, dom, month, dow] = fields as [string, string, string, string, string]
  if (!NUMBER.test(min) || !NUMBER.test(hour) || month !== '*') return null
  const m = Number(min)
  const h = Number(hour)
  if (m > 59 || h > 23) return null
  const time = formatTime(h, m)
  if (dom === '*' && dow === '*') return { every: 'day', time }
  if (dom === '*') {
    const items = dow.split(',')
    if (!items.every((d) => /^[0-7]$/.test(d))) return null
    const weekdays = [...new Set(items.map((d) => (Number(d) % 7) as Weekday))].sort((a, b) => a - b)
    // Every day of the week is every day.
    if (weekdays.length === 7) return null
    return { every: 'week', weekdays, time }
  }
  if (dow !== '*') return null
  if (dom === 'L') return { every: 'month', day: 'last', time }
  if (!NUMBER.test(dom)) return null
  const day = Number(dom)
  if (day < 1 || day > LAST_DAY_EVERY_MONTH_HAS) return null
  return { every: 'month', day, time }
}

/** "Monday, Wednesday and Friday". */
export function listWeekdays(days: readonly Weekday[]): string {
  const ordered = WEEKDAYS_MONDAY_FIRST.filter((d) => days.includes(d)).map((d) => WEEKDAY_NAMES[d])
  if (ordered.length <= 1) return ordered.join('')
  return `${ordered.slice(0, -1).join(', ')} and ${ordered[ordered.length - 1]}`
}

/** "every day at 02:00", "every week on Monday and Thursday at 02:00", "every month on the last day at 23:00". */
export function describeWords(words: ScheduleWords): string {
  const t = parseTime(words.time)
  const at = t ? formatTime(t.hour, t.minute) : words.time
  if (words.every === 'day') return `Every day at ${at}`
  if (words.every === 'week') return `Every week on ${listWeekdays(words.weekdays)} at ${at}`
  return words.day === 'last' ? `Every month on the last day at ${at}` : `Every month on day ${words.day} at ${at}`
}
