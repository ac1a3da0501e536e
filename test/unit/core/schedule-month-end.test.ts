import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { latestSlotAfter, nextSlots } from '../../../src/core/platform/jobs/schedule'
import { wordsToCron } from '../../../src/shared/schedule-words'

/**
 * "Every month on the last day" is cron's L. Three readers must agree on it:
 * node-cron (the timer that fires runDue), cron-parser's next() (the next
 * five runs) and cron-parser's prev() (catch-up's due slot). node-cron's own
 * matcher is not exported, so it is loaded from its file: the timer fires on
 * exactly the minutes it matches.
 */
const nodeCronShared = path.join(path.dirname(require.resolve('node-cron')), '_shared.cjs')
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TimeMatcher } = require(nodeCronShared) as { TimeMatcher: new (p: string, tz: string) => { match(d: Date): boolean } }

const MINUTE = 60_000
/**
 * The schedules here fire at minute 0, and the zones are whole hours off UTC:
 * no other minute can match (node-cron checks the minute field first), so
 * every whole hour is every candidate.
 */
const HOUR = 60 * MINUTE

/** Every whole hour in [from, to) node-cron would fire at. */
function nodeCronFirings(cron: string, tz: string, from: string, to: string): string[] {
  const m = new TimeMatcher(cron, tz)
  const out: string[] = []
  for (let t = Date.parse(from); t < Date.parse(to); t += HOUR) if (m.match(new Date(t))) out.push(new Date(t).toISOString())
  return out
}

const lastDay = wordsToCron({ every: 'month', day: 'last', time: '23:00' })
const LAST_DAY_CRON = lastDay.ok ? lastDay.cron : ''

describe('the last day of the month: the timer, the next runs and catch-up agree', () => {
  const windows = [
    { name: 'a leap February', from: '2028-01-29T00:00:00Z', to: '2028-03-02T12:00:00Z', days: ['2028-01-31', '2028-02-29'] },
    { name: 'a common February', from: '2027-01-29T00:00:00Z', to: '2027-03-02T12:00:00Z', days: ['2027-01-31', '2027-02-28'] },
    { name: 'a 30-day month', from: '2027-04-27T00:00:00Z', to: '2027-06-01T12:00:00Z', days: ['2027-04-30', '2027-05-31'] },
    { name: 'the year end', from: '2026-11-28T00:00:00Z', to: '2027-01-01T12:00:00Z', days: ['2026-11-30', '2026-12-31'] }
  ]
  for (const tz of ['Africa/Nairobi', 'America/New_York']) {
    for (const w of windows) {
      it(`${w.name} in ${tz}`, () => {
        expect(LAST_DAY_CRON).toBe('0 23 L * *')
        const fired = nodeCronFirings(LAST_DAY_CRON, tz, w.from, w.to)
        // At 23:00 local time on each month's own last day.
        const local = fired.map((iso) =>
          new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
            .format(new Date(iso))
            .replace(',', '')
        )
        expect(local).toEqual(w.days.map((d) => `${d} 23:00`))
        // The next runs list shows the same instants.
        expect(nextSlots(LAST_DAY_CRON, tz, new Date(w.from), fired.length)).toEqual(fired)
        // Catch-up: just after each firing, and the day before the next, that firing is the one due.
        for (const [i, slot] of fired.entries()) {
          const at = Date.parse(slot)
          const floor = new Date(i === 0 ? Date.parse(w.from) : Date.parse(fired[i - 1]!))
          expect(latestSlotAfter(LAST_DAY_CRON, tz, floor, new Date(at))).toBe(slot)
          expect(latestSlotAfter(LAST_DAY_CRON, tz, floor, new Date(at - MINUTE))).toBeNull()
          expect(latestSlotAfter(LAST_DAY_CRON, tz, new Date(at), new Date(at + 27 * 86_400_000))).toBeNull()
        }
      })
    }
  }

  it('a PC off from January to April catches up the 31st of March, once', () => {
    const slot = latestSlotAfter(LAST_DAY_CRON, 'Africa/Nairobi', new Date('2028-01-31T20:00:00Z'), new Date('2028-04-10T06:00:00Z'))
    expect(slot).toBe('2028-03-31T20:00:00.000Z')
  })

  it('day 28 in words fires on the 28th of every month, February included', () => {
    const r = wordsToCron({ every: 'month', day: 28, time: '02:00' })
    const cron = r.ok ? r.cron : ''
    const fired = nodeCronFirings(cron, 'Africa/Nairobi', '2028-01-01T00:00:00Z', '2028-05-01T00:00:00Z')
    expect(fired).toEqual(['2028-01-27T23:00:00.000Z', '2028-02-27T23:00:00.000Z', '2028-03-27T23:00:00.000Z', '2028-04-27T23:00:00.000Z'])
    expect(nextSlots(cron, 'Africa/Nairobi', new Date('2028-01-01T00:00:00Z'), 4)).toEqual(fired)
  })
})
