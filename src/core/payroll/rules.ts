import { addDays, addMonths, calendarDateInZone, compareDates, endOfMonth, parseCalendarDate } from '../../shared/dates'
import { formatDate, formatPeriod } from '../../shared/words'
import type { AutomationRule, PayFrequency } from '../../shared/contract/payroll'
import { cronProblem, describeCron, nextSlots } from '../platform/jobs/schedule'

/**
 * Payroll calendars and automation rules, pure: a calendar's periods, a
 * period's name, and when a period's rule makes it due. No database, no clock
 * (the caller passes "now").
 */

/** Period `index0` (0 = the first) of a calendar: a month from the first start's day, two weeks, or a week. */
export function periodDates(frequency: PayFrequency, firstStart: string, index0: number): { start: string; end: string } {
  if (!Number.isSafeInteger(index0) || index0 < 0) throw new RangeError(`A period index is a whole number from 0, got ${index0}`)
  if (frequency === 'monthly') {
    const start = addMonths(firstStart, index0)
    return { start, end: addDays(addMonths(firstStart, index0 + 1), -1) }
  }
  const days = frequency === 'biweekly' ? 14 : 7
  const start = addDays(firstStart, days * index0)
  return { start, end: addDays(start, days - 1) }
}

/** The index of the calendar's period that starts on `start`, or null when none does. */
export function periodIndexOf(frequency: PayFrequency, firstStart: string, start: string): number | null {
  if (compareDates(start, firstStart) < 0) return null
  if (frequency === 'monthly') {
    const a = parseCalendarDate(firstStart)
    const b = parseCalendarDate(start)
    const i = (b.year - a.year) * 12 + (b.month - a.month)
    return periodDates(frequency, firstStart, i).start === start ? i : null
  }
  const days = frequency === 'biweekly' ? 14 : 7
  const diff = (Date.UTC(...ymd(start)) - Date.UTC(...ymd(firstStart))) / 86_400_000
  return diff % days === 0 ? diff / days : null
}

function ymd(d: string): [number, number, number] {
  const p = parseCalendarDate(d)
  return [p.year, p.month - 1, p.day]
}

/** What a calendar's frequency and first start must be: a monthly one starts on a day every month has. */
export function calendarProblems(frequency: PayFrequency, firstStart: string): Record<string, string> {
  if (frequency === 'monthly' && parseCalendarDate(firstStart).day > 28) {
    return { firstStart: 'A monthly calendar starts on a day from 1 to 28, which every month has' }
  }
  return {}
}

/** "November 2026" for a whole calendar month; otherwise its dates ("2 Nov 2026 – 15 Nov 2026"). */
export function periodName(frequency: PayFrequency, start: string, end: string, locale: string): string {
  const s = parseCalendarDate(start)
  if (frequency === 'monthly' && s.day === 1 && end === endOfMonth(start)) {
    return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(s.year, s.month - 1, 1)))
  }
  return formatPeriod(start, end, locale)
}

/** A rule's problems as field messages (keys under `rule.`), or {}. */
export function ruleProblems(rule: AutomationRule, forCalendar: boolean): Record<string, string> {
  if (rule.kind === 'on-date' && forCalendar) {
    return { 'rule.kind': 'A calendar’s periods each have their own dates: choose days before the end, or a cron expression' }
  }
  if (rule.kind === 'cron') {
    const problem = cronProblem(rule.cron)
    if (problem !== null) return { 'rule.cron': problem }
  }
  return {}
}

/** The rule in words: "5 days before the period ends", "On the period’s last day", "On 25 Nov 2026", "At 02:00 on day 25 of the month (cron …)". */
export function ruleWords(rule: AutomationRule, locale: string): string {
  switch (rule.kind) {
    case 'on-date':
      return `On ${formatDate(rule.date, locale)}`
    case 'days-before-end':
      return rule.days === 0 ? 'On the period’s last day' : `${rule.days} ${rule.days === 1 ? 'day' : 'days'} before the period ends`
    case 'cron':
      return `${describeCron(rule.cron)}, from the period’s first day (cron ${rule.cron})`
  }
}

/** How far after a period's start a cron expression is looked for: beyond that it "never fires in time". */
const CRON_HORIZON_DAYS = 400

/**
 * The instant (UTC ISO) a period's rule makes it due: the start of the day
 * (in the cooperative's time zone) for on-date and days-before-end, the first
 * firing on or after the period's first day for cron. null: the cron never
 * fires within 400 days of the start.
 */
export function dueAt(rule: AutomationRule, period: { startDate: string; endDate: string }, timeZone: string): string | null {
  if (rule.kind === 'cron') {
    // Walk the firings from 14 hours before the start's UTC midnight (every zone's midnight is after it).
    let from = new Date(Date.UTC(...ymd(period.startDate)) - 14 * 3_600_000)
    const limit = addDays(period.startDate, CRON_HORIZON_DAYS)
    for (;;) {
      const slots = nextSlots(rule.cron, timeZone, from, 64)
      for (const slot of slots) {
        const day = calendarDateInZone(new Date(slot), timeZone)
        if (compareDates(day, limit) > 0) return null
        if (compareDates(day, period.startDate) >= 0) return slot
      }
      const last = slots.at(-1)
      if (last === undefined) return null
      from = new Date(last)
    }
  }
  const day = rule.kind === 'on-date' ? rule.date : addDays(period.endDate, -rule.days)
  return startOfDayInZone(day, timeZone)
}

/** The day a period falls due, in the cooperative's time zone, or null (see dueAt). */
export function dueOn(rule: AutomationRule, period: { startDate: string; endDate: string }, timeZone: string): string | null {
  if (rule.kind !== 'cron') return rule.kind === 'on-date' ? rule.date : addDays(period.endDate, -rule.days)
  const at = dueAt(rule, period, timeZone)
  return at === null ? null : calendarDateInZone(new Date(at), timeZone)
}

/** Whether the rule has made the period due by `now`. */
export function isDue(rule: AutomationRule, period: { startDate: string; endDate: string }, timeZone: string, now: Date): boolean {
  const at = dueAt(rule, period, timeZone)
  return at !== null && Date.parse(at) <= now.getTime()
}

/** The first instant of a calendar day in a time zone (UTC ISO). */
export function startOfDayInZone(day: string, timeZone: string): string {
  // The day's UTC midnight, moved by the zone's offset at that moment; checked and walked by the hour across an offset change.
  let t = Date.UTC(...ymd(day)) - 14 * 3_600_000
  while (compareDates(calendarDateInZone(new Date(t), timeZone), day) < 0) t += 3_600_000
  // Back to the exact minute the day begins (offsets are whole quarter hours).
  while (compareDates(calendarDateInZone(new Date(t - 15 * 60_000), timeZone), day) === 0) t -= 15 * 60_000
  return new Date(t).toISOString()
}
