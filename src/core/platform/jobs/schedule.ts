import { CronExpressionParser } from 'cron-parser'
import cronstrue from 'cronstrue'
import { echo } from '../../../shared/contract/messages'
import { cronToWords, describeWords } from '../../../shared/schedule-words'
import { fastNextSlots } from './fast-slots'

/**
 * Cron schedules, evaluated in the cooperative's time zone. cron-parser
 * handles daylight saving: a wall-clock time that happens twice (autumn)
 * gives one slot, one that does not exist (spring) moves to the next valid
 * time, so a job neither runs twice nor is skipped.
 */

/** Why a cron text is not a schedule, for the field; null when it is fine. */
export function cronProblem(cron: string): string | null {
  const fields = cron.trim().split(/\s+/)
  if (fields.length !== 5) {
    return 'Use five fields: minute hour day-of-month month day-of-week, like "0 2 * * *"'
  }
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' })
    return null
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    const range = /got value (\S+) expected range (\d+)-(\d+)/.exec(message)
    if (range) {
      const [, value, lo, hi] = range
      const field = RANGE_FIELDS[`${lo}-${hi}`]
      if (field) return `${field} must be between ${lo} and ${hi} (got ${value})`
    }
    const index = fields.findIndex((f) => !FIELD_SYNTAX.test(f))
    if (index >= 0) return `${FIELD_NAMES[index]} "${echo(fields[index] ?? '', 20)}" is not a cron field: use numbers, *, ranges (1-5), lists (1,15) or steps (*/10)`
    return plainCronProblem(fields, message)
  }
}

/**
 * cron-parser's other complaints, in Coffer's words and naming the field: the
 * field at fault is found by trying it alone (every other field '*'); the
 * library's own wording never reaches the treasurer.
 */
function plainCronProblem(fields: string[], message: string): string {
  if (/explicit day of month/i.test(message)) {
    return 'The day of the month never comes in the chosen month (like 30 or 31 in February): choose a day every chosen month has'
  }
  const index = fields.findIndex((f, i) => {
    const alone = fields.map((g, j) => (j === i ? g : '*')).join(' ')
    try {
      CronExpressionParser.parse(alone, { tz: 'UTC' })
      return false
    } catch {
      return true
    }
  })
  if (index < 0) return 'These five fields together never give a time: check the day of the month and the month'
  const name = FIELD_NAMES[index] ?? 'A field'
  const text = `"${echo(fields[index] ?? '', 20)}"`
  if (/Invalid range/i.test(message)) return `${name} ${text} has a range that runs backwards: write the smaller number first, like 1-5`
  if (/repeat at every 0/i.test(message)) return `${name} ${text} has a step of 0: a step after / must be 1 or more`
  if (/alias/i.test(message)) return `${name} ${text} uses a name Coffer does not know: use JAN-DEC for months and SUN-SAT for days`
  if (/standalone L/i.test(message)) return `${name} ${text} needs a day before L, like 5L for the last Friday of the month`
  return `${name} ${text} is not a schedule Coffer understands: use numbers, *, ranges (1-5), lists (1,15) or steps (*/10)`
}

const FIELD_NAMES = ['The minute', 'The hour', 'The day of the month', 'The month', 'The day of the week']
const RANGE_FIELDS: Record<string, string> = {
  '0-59': 'The minute',
  '0-23': 'The hour',
  '1-31': 'The day of the month',
  '1-12': 'The month',
  '0-7': 'The day of the week'
}
const ATOM = '(\\d+|[A-Za-z]{3})'
const ITEM = `(\\*|\\?|L|${ATOM}(-${ATOM})?)(\\/\\d+)?`
const FIELD_SYNTAX = new RegExp(`^${ITEM}(,${ITEM})*$`)

/** A schedule in words: one of the word forms ("Every day at 02:00") when it is one, else cronstrue's reading. */
export function describeCron(cron: string): string {
  const words = cronToWords(cron)
  if (words) return describeWords(words)
  try {
    return cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false })
  } catch {
    return cron
  }
}

/** The next `count` slots strictly after `from`, as UTC ISO instants. */
export function nextSlots(cron: string, timeZone: string, from: Date, count: number): string[] {
  // A schedule in words away from offset changes: found by walking the days, far faster (see fast-slots.ts).
  const fast = fastNextSlots(cron, timeZone, from, count)
  if (fast) return fast
  const it = CronExpressionParser.parse(cron, { currentDate: from, tz: timeZone })
  const out: string[] = []
  for (let i = 0; i < count; i++) out.push(it.next().toDate().toISOString())
  return out
}

/** The latest slot at or before `now`, as a UTC ISO instant. */
export function latestSlot(cron: string, timeZone: string, now: Date): string {
  const it = CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: timeZone })
  return it.prev().toDate().toISOString()
}

/**
 * The latest slot in (floor, now], or null. cron-parser's prev() passes over
 * a wall-clock time that does not exist (spring forward) while next() moves it
 * to the next valid time; asking both keeps that night's run.
 */
export function latestSlotAfter(cron: string, timeZone: string, floor: Date, now: Date): string | null {
  let best: number | null = null
  const prev = Date.parse(latestSlot(cron, timeZone, now))
  if (prev > floor.getTime()) best = prev
  const from = Math.max(floor.getTime(), now.getTime() - 2 * 86_400_000, best ?? -Infinity)
  const it = CronExpressionParser.parse(cron, { currentDate: new Date(from), tz: timeZone })
  for (let i = 0; i < 5000; i++) {
    const t = it.next().toDate().getTime()
    if (t > now.getTime()) break
    if (t > floor.getTime() && (best === null || t > best)) best = t
  }
  return best === null ? null : new Date(best).toISOString()
}
