import { CronExpressionParser } from 'cron-parser'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fastNextSlots } from '../../../src/core/platform/jobs/fast-slots'
import { nextSlots } from '../../../src/core/platform/jobs/schedule'

/** cron-parser's answer: the reference fastNextSlots must agree with. */
function reference(cron: string, timeZone: string, from: Date, count: number): string[] {
  const it = CronExpressionParser.parse(cron, { currentDate: from, tz: timeZone })
  return Array.from({ length: count }, () => it.next().toDate().toISOString())
}

const ZONES = [
  'UTC',
  'Africa/Nairobi',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Africa/Casablanca',
  'Pacific/Chatham',
  'Asia/Tehran'
]

const wordCron = fc.oneof(
  fc.tuple(fc.nat(59), fc.nat(23)).map(([m, h]) => `${m} ${h} * * *`),
  fc
    .tuple(fc.nat(59), fc.nat(23), fc.uniqueArray(fc.nat(7), { minLength: 1, maxLength: 5, selector: (d) => d % 7 }))
    .map(([m, h, days]) => `${m} ${h} * * ${days.join(',')}`),
  fc.tuple(fc.nat(59), fc.nat(23), fc.oneof(fc.integer({ min: 1, max: 28 }).map(String), fc.constant('L'))).map(([m, h, d]) => `${m} ${h} ${d} * *`)
)

// 2024-2031, at minute resolution and on exact minutes (a `from` that is itself a slot).
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2031, 0, 1) }),
  fc.integer({ min: Date.UTC(2024, 0, 1) / 60_000, max: Date.UTC(2031, 0, 1) / 60_000 }).map((m) => m * 60_000)
)

describe('next slots of a schedule in words without cron-parser', () => {
  it('agrees with cron-parser whenever it answers, in zones with and without daylight saving', () => {
    let answered = 0
    fc.assert(
      fc.property(wordCron, fc.constantFrom(...ZONES), instant, fc.integer({ min: 1, max: 6 }), (cron, zone, ms, count) => {
        const from = new Date(ms)
        const fast = fastNextSlots(cron, zone, from, count)
        if (!fast) return
        answered++
        let expected: string[] | null = null
        try {
          expected = reference(cron, zone, from, count)
        } catch {
          // cron-parser gives up on some half-hour daylight-saving zones (Lord Howe): nothing to compare with.
        }
        if (expected) expect(fast).toEqual(expected)
      }),
      { numRuns: 600 }
    )
    // Most draws are far from an offset change: the fast path must be the one answering them.
    expect(answered).toBeGreaterThan(300)
  })

  it('agrees around daylight-saving changes (it hands those to cron-parser)', () => {
    // Europe/London springs forward at 01:00 on 2026-03-29 and falls back at 02:00 on 2026-10-25.
    for (const [cron, from] of [
      ['30 1 * * *', '2026-03-27T12:00:00Z'],
      ['30 1 * * *', '2026-10-23T12:00:00Z'],
      ['0 1 * * 0', '2026-03-20T00:00:00Z'],
      ['0 2 L * *', '2026-09-01T00:00:00Z']
    ] as const) {
      expect(nextSlots(cron, 'Europe/London', new Date(from), 5)).toEqual(reference(cron, 'Europe/London', new Date(from), 5))
    }
    expect(fastNextSlots('30 1 * * *', 'Europe/London', new Date('2026-03-27T12:00:00Z'), 5)).toBeNull()
  })

  it('answers the usual schedules in a zone without daylight saving', () => {
    const from = new Date('2026-11-27T21:14:00Z')
    expect(fastNextSlots('0 2 * * *', 'Africa/Nairobi', from, 2)).toEqual(['2026-11-27T23:00:00.000Z', '2026-11-28T23:00:00.000Z'])
    expect(fastNextSlots('0 3 * * 0', 'Africa/Nairobi', from, 1)).toEqual(['2026-11-29T00:00:00.000Z'])
    expect(fastNextSlots('0 23 L * *', 'Africa/Nairobi', from, 2)).toEqual(['2026-11-30T20:00:00.000Z', '2026-12-31T20:00:00.000Z'])
    // Strictly after: a `from` that is itself a slot gives the next one, as cron-parser does.
    const slot = new Date('2026-11-27T23:00:00Z')
    expect(fastNextSlots('0 2 * * *', 'Africa/Nairobi', slot, 1)).toEqual(['2026-11-28T23:00:00.000Z'])
    expect(reference('0 2 * * *', 'Africa/Nairobi', slot, 1)).toEqual(['2026-11-28T23:00:00.000Z'])
    // Outside the word forms: left to cron-parser.
    expect(fastNextSlots('*/15 * * * *', 'Africa/Nairobi', from, 1)).toBeNull()
    expect(fastNextSlots('0 2 * * *', 'Not/AZone', from, 1)).toBeNull()
  })
})
