import { cronToWords, parseTime } from '../../../shared/schedule-words'

/**
 * The next slots of a schedule in words ("every day at 02:00", "every week
 * on Sunday at 03:00", "every month on the last day at 23:00") without
 * cron-parser, when the time zone's offset cannot make a slot ambiguous.
 *
 * cron-parser steps minute by minute and hour by hour through luxon in the
 * time zone: five slots of four jobs cost it 100-200 ms in a fresh process,
 * most of `coffer jobs list`. A schedule in words is one wall-clock time on
 * some days, so its slots are found by walking the days. This answers only
 * when the offset is the same from a day before each slot to a day after it
 * (no daylight-saving change or other offset change near it): then the wall
 * time happens exactly once and the arithmetic is exact. Anything else (a
 * cron outside the word forms, a slot near a change) answers null, and the
 * caller asks cron-parser, which handles those (test/unit/core/fast-slots.test.ts
 * checks both agree).
 */
export function fastNextSlots(cron: string, timeZone: string, from: Date, count: number): string[] | null {
  const words = cronToWords(cron)
  const time = words ? parseTime(words.time) : null
  if (!words || !time) return null
  const start = from.getTime()
  if (!Number.isFinite(start)) return null
  const offset = offsetMs(timeZone, start)
  if (offset === null) return null
  const weekdays = words.every === 'week' ? new Set<number>(words.weekdays) : null
  const out: string[] = []
  // Local calendar days from the one `from` falls on; a month-day schedule finds `count` slots within `count` + 1 months.
  for (let day = Math.floor((start + offset) / DAY_MS), n = 0; out.length < count && n < 40 * (count + 1); day++, n++) {
    const date = new Date(day * DAY_MS)
    if (weekdays && !weekdays.has(date.getUTCDay())) continue
    if (words.every === 'month') {
      const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate()
      if (date.getUTCDate() !== (words.day === 'last' ? last : words.day)) continue
    }
    const instant = day * DAY_MS + (time.hour * 60 + time.minute) * 60_000 - offset
    if (instant <= start) continue
    for (const probe of [instant - DAY_MS - HOUR_MS, instant, instant + DAY_MS + HOUR_MS]) {
      if (offsetMs(timeZone, probe) !== offset) return null
    }
    out.push(new Date(instant).toISOString())
  }
  return out.length === count ? out : null
}

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

const formatters = new Map<string, Intl.DateTimeFormat | null>()

/** The zone's offset at an instant (its wall clock minus UTC), in ms; null for a zone Intl does not know. */
function offsetMs(timeZone: string, ms: number): number | null {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        calendar: 'gregory',
        numberingSystem: 'latn',
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric'
      })
    } catch {
      f = null
    }
    formatters.set(timeZone, f)
  }
  if (f === null) return null
  const p: Record<string, string> = {}
  for (const part of f.formatToParts(ms)) p[part.type] = part.value
  if (p.era !== 'AD') return null
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
  return wall - Math.floor(ms / 1000) * 1000
}
