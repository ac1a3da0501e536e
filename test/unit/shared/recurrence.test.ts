import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, dayOfWeek, endOfMonth, fromEpochDay, toEpochDay } from '../../../src/shared/dates'
import {
  FREQUENCIES,
  HOLIDAY_RULES,
  adjustDate,
  checkRule,
  describeRule,
  firstIndexOnOrAfter,
  occurrence,
  occurrencesBetween,
  occurrencesDueBy,
  scheduledDate,
  type Occurrence,
  type RepeatRule
} from '../../../src/shared/recurrence'

const NONE: ReadonlySet<string> = new Set()

const rule = (over: Partial<RepeatRule>): RepeatRule => ({
  frequency: 'monthly',
  startDate: '2026-01-31',
  monthEnd: false,
  endDate: null,
  maxOccurrences: null,
  holidayRule: 'none',
  ...over
})

const dates = (r: RepeatRule, count: number): (string | null)[] => Array.from({ length: count }, (_, i) => scheduledDate(r, i + 1))

describe('scheduled dates', () => {
  it('keeps a monthly rule on the 31st through February (common and leap), April, and back to the 31st', () => {
    expect(dates(rule({ startDate: '2026-01-31' }), 6)).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30'
    ])
    expect(dates(rule({ startDate: '2024-01-31' }), 3)).toEqual(['2024-01-31', '2024-02-29', '2024-03-31'])
    // The 30th: February clamps, March is the 30th again (not the 28th carried on).
    expect(dates(rule({ startDate: '2025-01-30' }), 3)).toEqual(['2025-01-30', '2025-02-28', '2025-03-30'])
  })

  it('follows the month end with monthEnd, monthly and quarterly', () => {
    expect(dates(rule({ startDate: '2026-02-28', monthEnd: true }), 4)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31'])
    expect(dates(rule({ frequency: 'quarterly', startDate: '2026-04-30', monthEnd: true }), 4)).toEqual([
      '2026-04-30',
      '2026-07-31',
      '2026-10-31',
      '2027-01-31'
    ])
    // Without monthEnd a start on the 30th of April stays on the 30th.
    expect(dates(rule({ startDate: '2026-04-30' }), 2)).toEqual(['2026-04-30', '2026-05-30'])
  })

  it('counts quarters and years from the start date', () => {
    expect(dates(rule({ frequency: 'quarterly', startDate: '2025-11-30' }), 4)).toEqual([
      '2025-11-30',
      '2026-02-28',
      '2026-05-30',
      '2026-08-30'
    ])
    expect(dates(rule({ frequency: 'annually', startDate: '2026-03-03' }), 3)).toEqual(['2026-03-03', '2027-03-03', '2028-03-03'])
  })

  it('puts 29 February on 28 February in common years and back on the 29th in leap years', () => {
    expect(dates(rule({ frequency: 'annually', startDate: '2024-02-29' }), 5)).toEqual([
      '2024-02-29',
      '2025-02-28',
      '2026-02-28',
      '2027-02-28',
      '2028-02-29'
    ])
    // On the month end, a start on 28 Feb of a common year moves to the 29th in leap years.
    expect(dates(rule({ frequency: 'annually', startDate: '2026-02-28', monthEnd: true }), 3)).toEqual([
      '2026-02-28',
      '2027-02-28',
      '2028-02-29'
    ])
    // Without monthEnd, 28 Feb stays the 28th in a leap year.
    expect(scheduledDate(rule({ frequency: 'annually', startDate: '2027-02-28' }), 2)).toBe('2028-02-28')
  })

  it('steps daily, weekly and biweekly by 1, 7 and 14 days', () => {
    expect(dates(rule({ frequency: 'daily', startDate: '2024-02-28' }), 3)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01'])
    expect(dates(rule({ frequency: 'weekly', startDate: '2026-01-30' }), 3)).toEqual(['2026-01-30', '2026-02-06', '2026-02-13'])
    expect(dates(rule({ frequency: 'biweekly', startDate: '2026-12-25' }), 3)).toEqual(['2026-12-25', '2027-01-08', '2027-01-22'])
  })

  it('stops after the end date and after the maximum count, whichever comes first', () => {
    const byEnd = rule({ startDate: '2026-01-31', endDate: '2026-04-29' })
    expect(dates(byEnd, 5)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', null, null])
    // An end date on the occurrence itself keeps it.
    expect(scheduledDate(rule({ startDate: '2026-01-31', endDate: '2026-04-30' }), 4)).toBe('2026-04-30')
    expect(dates(rule({ frequency: 'weekly', startDate: '2026-01-05', maxOccurrences: 2 }), 3)).toEqual(['2026-01-05', '2026-01-12', null])
    expect(dates(rule({ frequency: 'daily', startDate: '2026-01-05', maxOccurrences: 10, endDate: '2026-01-06' }), 3)).toEqual([
      '2026-01-05',
      '2026-01-06',
      null
    ])
    expect(scheduledDate(rule({ startDate: '2026-01-05', endDate: '2026-01-05' }), 1)).toBe('2026-01-05')
  })

  it('refuses an occurrence number that is not a whole number from 1', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) expect(() => scheduledDate(rule({}), n)).toThrow(RangeError)
  })

  it('says past 9999-12-31 rather than wrapping or stopping quietly', () => {
    expect(() => scheduledDate(rule({ startDate: '9999-12-31', monthEnd: true }), 2)).toThrow(/after 9999-12-31/)
    expect(() => scheduledDate(rule({ frequency: 'daily', startDate: '9999-12-31' }), 2)).toThrow(/after 9999-12-31/)
  })
})

describe('weekends and holidays', () => {
  // 2026-05-01 is a Friday.
  const holidays = new Set(['2026-05-01', '2026-05-04'])

  it('keeps the date with none, moves before or after with the others', () => {
    expect(dayOfWeek('2026-05-01')).toBe(5)
    expect(adjustDate('2026-05-01', 'none', holidays)).toBe('2026-05-01')
    expect(adjustDate('2026-05-01', 'before', holidays)).toBe('2026-04-30') // Friday holiday → Thursday
    expect(adjustDate('2026-05-02', 'before', holidays)).toBe('2026-04-30') // Saturday → past the Friday holiday
    expect(adjustDate('2026-05-02', 'after', holidays)).toBe('2026-05-05') // Saturday → past Monday's holiday
    expect(adjustDate('2026-05-06', 'after', holidays)).toBe('2026-05-06') // a business day stays
    expect(adjustDate('2026-05-03', 'after', NONE)).toBe('2026-05-04') // Sunday → Monday without holidays
  })

  it('may move into the previous or next month', () => {
    expect(adjustDate('2026-08-01', 'before', NONE)).toBe('2026-07-31') // Saturday 1 Aug
    expect(adjustDate('2026-05-31', 'after', NONE)).toBe('2026-06-01') // Sunday 31 May
  })

  it('gives up with a clear message when holidays cover more than a year, instead of looping', () => {
    const everyDay = new Set(Array.from({ length: 800 }, (_, i) => addDays('2026-01-01', i)))
    expect(() => adjustDate('2026-06-01', 'after', everyDay)).toThrow(/No business day within 366 days after 2026-06-01/)
    expect(() => adjustDate('2027-06-01', 'before', everyDay)).toThrow(/No business day within 366 days before/)
    expect(adjustDate('2026-06-01', 'none', everyDay)).toBe('2026-06-01')
  })

  it('refuses an unknown rule or a non-date', () => {
    expect(() => adjustDate('2026-05-01', 'nearest' as never, NONE)).toThrow(RangeError)
    expect(() => adjustDate('2026-02-30', 'after', NONE)).toThrow(RangeError)
  })

  it('gives each occurrence its scheduled and due dates', () => {
    const r = rule({ startDate: '2026-04-01', holidayRule: 'before' })
    expect(occurrence(r, 2, holidays)).toEqual({ n: 2, scheduled: '2026-05-01', due: '2026-04-30' })
    expect(occurrence(rule({ startDate: '2026-04-01', endDate: '2026-04-30' }), 2, holidays)).toBeNull()
  })
})

describe('due by a date and in a window', () => {
  const holidays = new Set(['2026-05-01'])

  it('lists every missed occurrence with its own date, from a given index', () => {
    const r = rule({ startDate: '2026-01-31', holidayRule: 'after' })
    expect(occurrencesDueBy(r, 1, '2026-04-30', holidays)).toEqual([
      { n: 1, scheduled: '2026-01-31', due: '2026-02-02' },
      { n: 2, scheduled: '2026-02-28', due: '2026-03-02' },
      { n: 3, scheduled: '2026-03-31', due: '2026-03-31' },
      { n: 4, scheduled: '2026-04-30', due: '2026-04-30' }
    ])
    expect(occurrencesDueBy(r, 3, '2026-04-30', holidays).map((o) => o.n)).toEqual([3, 4])
    expect(occurrencesDueBy(r, 5, '2026-04-30', holidays)).toEqual([])
    // Saturday 31 Jan is not due on 31 Jan with "after".
    expect(occurrencesDueBy(r, 1, '2026-02-01', holidays)).toEqual([])
  })

  it('stops at the end of the rule', () => {
    const r = rule({ frequency: 'weekly', startDate: '2026-01-05', maxOccurrences: 3 })
    expect(occurrencesDueBy(r, 1, '2027-01-01', NONE).map((o) => o.scheduled)).toEqual(['2026-01-05', '2026-01-12', '2026-01-19'])
  })

  it('finds occurrences by due date in a window, including one moved into it from before', () => {
    const r = rule({ startDate: '2026-01-31', holidayRule: 'after' })
    expect(occurrencesBetween(r, '2026-02-01', '2026-03-01', holidays)).toEqual([{ n: 1, scheduled: '2026-01-31', due: '2026-02-02' }])
    const before = rule({ startDate: '2026-01-31', holidayRule: 'before' })
    // Sunday 31 May is due Friday 29 May: outside a June window, inside May's.
    expect(occurrencesBetween(before, '2026-06-01', '2026-06-29', holidays)).toEqual([])
    expect(occurrencesBetween(before, '2026-05-29', '2026-05-29', holidays)).toEqual([{ n: 5, scheduled: '2026-05-31', due: '2026-05-29' }])
    expect(() => occurrencesBetween(r, '2026-03-01', '2026-02-01', NONE)).toThrow(RangeError)
  })

  it('resumes after a pause by arithmetic, also years into a daily rule', () => {
    const r = rule({ startDate: '2026-01-31' })
    expect(firstIndexOnOrAfter(r, '2026-01-01')).toBe(1)
    expect(firstIndexOnOrAfter(r, '2026-01-31')).toBe(1)
    expect(firstIndexOnOrAfter(r, '2026-02-01')).toBe(2)
    expect(firstIndexOnOrAfter(r, '2026-03-01')).toBe(3)
    expect(firstIndexOnOrAfter(rule({ startDate: '2026-01-31', maxOccurrences: 2 }), '2026-03-01')).toBeNull()
    expect(firstIndexOnOrAfter(rule({ startDate: '2026-01-31', endDate: '2026-03-30' }), '2026-03-01')).toBeNull()
    const daily = rule({ frequency: 'daily', startDate: '2000-01-01' })
    expect(firstIndexOnOrAfter(daily, '2090-06-15')).toBe(toEpochDay('2090-06-15') - toEpochDay('2000-01-01') + 1)
    expect(scheduledDate(daily, firstIndexOnOrAfter(daily, '2090-06-15') as number)).toBe('2090-06-15')
  })
})

describe('checking a rule', () => {
  it('accepts a good rule', () => {
    expect(checkRule(rule({}))).toEqual({})
    expect(checkRule(rule({ frequency: 'annually', startDate: '2024-02-29', monthEnd: true, maxOccurrences: 1 }))).toEqual({})
  })

  it('names each problem by field, in plain words', () => {
    expect(checkRule(rule({ endDate: '2025-12-31' }))).toEqual({ endDate: 'The end date is before the start date' })
    expect(checkRule(rule({ frequency: 'weekly', monthEnd: true }))).toEqual({
      monthEnd: 'Monthly on the last day needs a monthly, quarterly or annual frequency'
    })
    expect(checkRule(rule({ startDate: '2026-01-30', monthEnd: true }))).toEqual({
      startDate: 'To repeat on the last day of the month, start on the last day of a month'
    })
    for (const m of [0, -3, 2.5, Number.NaN]) {
      expect(checkRule(rule({ maxOccurrences: m }))).toEqual({ maxOccurrences: 'The number of times must be a whole number, 1 or more' })
    }
    expect(Object.keys(checkRule(rule({ frequency: 'fortnightly' as never, holidayRule: 'nearest' as never, startDate: '2026-02-30', endDate: 'soon' })))).toEqual([
      'frequency',
      'startDate',
      'endDate',
      'holidayRule'
    ])
  })

  it('refuses to compute with a rule that has a problem, saying which', () => {
    expect(() => scheduledDate(rule({ endDate: '2025-01-01' }), 1)).toThrow(/The end date is before the start date/)
    expect(() => occurrencesBetween(rule({ maxOccurrences: 0 }), '2026-01-01', '2026-02-01', NONE)).toThrow(RangeError)
  })
})

describe('the rule in words', () => {
  it('says each frequency', () => {
    expect(describeRule(rule({ startDate: '2026-01-31' }), 'en-GB')).toBe(
      'Every month on the 31st (the last day in shorter months), from 31 Jan 2026'
    )
    expect(describeRule(rule({ startDate: '2026-01-31', monthEnd: true }), 'en-GB')).toBe('Every month on its last day, from 31 Jan 2026')
    expect(describeRule(rule({ frequency: 'biweekly', startDate: '2026-01-30' }), 'en-GB')).toBe('Every two weeks on Friday, from 30 Jan 2026')
    expect(describeRule(rule({ frequency: 'weekly', startDate: '2026-02-01' }), 'en-GB')).toBe('Every week on Sunday, from 1 Feb 2026')
    expect(describeRule(rule({ frequency: 'daily', startDate: '2026-01-01' }), 'en-GB')).toBe('Every day, from 1 Jan 2026')
    expect(describeRule(rule({ frequency: 'quarterly', startDate: '2026-01-15' }), 'en-GB')).toBe('Every quarter on the 15th, from 15 Jan 2026')
    expect(describeRule(rule({ frequency: 'annually', startDate: '2026-03-03' }), 'en-GB')).toBe('Every year on 3 March, from 3 Mar 2026')
    expect(describeRule(rule({ frequency: 'annually', startDate: '2024-02-29' }), 'en-GB')).toBe(
      'Every year on 29 February (28 February in common years), from 29 Feb 2024'
    )
    expect(describeRule(rule({ frequency: 'annually', startDate: '2026-02-28', monthEnd: true }), 'en-GB')).toBe(
      'Every year on the last day of February, from 28 Feb 2026'
    )
    expect(describeRule(rule({ startDate: '2026-01-02' }), 'en-GB')).toBe('Every month on the 2nd, from 2 Jan 2026')
    expect(describeRule(rule({ startDate: '2026-01-23' }), 'en-GB')).toBe('Every month on the 23rd, from 23 Jan 2026')
    expect(describeRule(rule({ startDate: '2026-01-11' }), 'en-GB')).toBe('Every month on the 11th, from 11 Jan 2026')
  })

  it('adds the end, the count and the holiday rule', () => {
    expect(describeRule(rule({ startDate: '2026-01-01', endDate: '2026-12-31', holidayRule: 'before' }), 'en-GB')).toBe(
      'Every month on the 1st, from 1 Jan 2026 until 31 Dec 2026; moved to the previous business day on weekends and holidays'
    )
    expect(describeRule(rule({ startDate: '2026-01-01', maxOccurrences: 12, holidayRule: 'after' }), 'en-GB')).toBe(
      'Every month on the 1st, from 1 Jan 2026, 12 times; moved to the next business day on weekends and holidays'
    )
    expect(describeRule(rule({ startDate: '2026-01-01', maxOccurrences: 1 }), 'en-GB')).toBe('Every month on the 1st, from 1 Jan 2026, once')
    expect(describeRule(rule({ startDate: '2026-01-01', endDate: '2026-12-31', maxOccurrences: 6 }), 'en-GB')).toBe(
      'Every month on the 1st, from 1 Jan 2026 until 31 Dec 2026, at most 6 times'
    )
  })

  it('writes dates in the locale', () => {
    expect(describeRule(rule({ frequency: 'annually', startDate: '2026-03-03' }), 'en-US')).toBe('Every year on March 3, from Mar 3, 2026')
  })

  it('refuses an invalid rule', () => {
    expect(() => describeRule(rule({ maxOccurrences: -1 }), 'en-GB')).toThrow(RangeError)
  })
})

// ---------------------------------------------------------------------------
// Properties against brute force
// ---------------------------------------------------------------------------

const LO = toEpochDay('2024-01-01')
const HI = toEpochDay('2027-12-31')
const dateIn = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map(fromEpochDay)

const ruleArb: fc.Arbitrary<RepeatRule> = fc
  .record({
    frequency: fc.constantFrom(...FREQUENCIES),
    start: dateIn(LO, toEpochDay('2026-06-30')),
    monthEnd: fc.boolean(),
    endAfter: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
    maxOccurrences: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
    holidayRule: fc.constantFrom(...HOLIDAY_RULES)
  })
  .map(({ frequency, start, monthEnd, endAfter, maxOccurrences, holidayRule }) => {
    const monthly = frequency === 'monthly' || frequency === 'quarterly' || frequency === 'annually'
    const me = monthly && monthEnd
    const startDate = me ? endOfMonth(start) : start
    return { frequency, startDate, monthEnd: me, endDate: endAfter === null ? null : addDays(startDate, endAfter), maxOccurrences, holidayRule }
  })

/** Up to 40 holidays bunched in the same years, some in runs, so moves cross weekends and several days. */
const holidaysArb: fc.Arbitrary<ReadonlySet<string>> = fc
  .array(fc.record({ at: fc.integer({ min: LO, max: HI }), run: fc.integer({ min: 1, max: 4 }) }), { maxLength: 40 })
  .map((xs) => new Set(xs.flatMap(({ at, run }) => Array.from({ length: run }, (_, i) => fromEpochDay(at + i)))))

/** Every occurrence by walking n = 1, 2, ... until the rule ends or the scheduled date passes `until`. */
function walk(r: RepeatRule, holidays: ReadonlySet<string>, until: string): Occurrence[] {
  const out: Occurrence[] = []
  for (let n = 1; ; n++) {
    const o = occurrence(r, n, holidays)
    if (o === null || o.scheduled > until) return out
    out.push(o)
  }
}

/**
 * A window edge: anywhere, or (half the time) a few days either side of one
 * of the rule's scheduled dates, where moves across the edge happen.
 */
const windowStart: fc.Arbitrary<(r: RepeatRule) => string> = fc.oneof(
  dateIn(LO - 30, HI).map((d) => () => d),
  fc.record({ k: fc.integer({ min: 1, max: 30 }), delta: fc.integer({ min: -4, max: 4 }) }).map(
    ({ k, delta }) =>
      (r: RepeatRule) =>
        addDays(scheduledDate(r, k) ?? r.startDate, delta)
  )
)

// Holiday runs are at most 4 days and may join up with each other and a
// weekend: 60 days past a window is past any move.
const MARGIN = 60

describe('properties', () => {
  it('scheduled dates strictly increase and due dates never decrease with n', () => {
    fc.assert(
      fc.property(ruleArb, holidaysArb, (r, holidays) => {
        const all = walk(r, holidays, '2029-12-31')
        expect(all.length).toBeGreaterThan(0)
        expect(all[0]?.scheduled).toBe(r.startDate)
        for (let i = 1; i < all.length; i++) {
          const [a, b] = [all[i - 1] as Occurrence, all[i] as Occurrence]
          expect(b.n).toBe(a.n + 1)
          expect(a.scheduled < b.scheduled).toBe(true)
          expect(a.due <= b.due).toBe(true)
        }
        for (const o of all) {
          if (r.holidayRule === 'none') expect(o.due).toBe(o.scheduled)
          else {
            expect(dayOfWeek(o.due)).toBeLessThan(6)
            expect(holidays.has(o.due)).toBe(false)
            expect(r.holidayRule === 'before' ? o.due <= o.scheduled : o.due >= o.scheduled).toBe(true)
          }
          if (r.endDate !== null) expect(o.scheduled <= r.endDate).toBe(true)
          if (r.maxOccurrences !== null) expect(o.n).toBeLessThanOrEqual(r.maxOccurrences)
        }
      }),
      { numRuns: 200 }
    )
  })

  it('keeps the day of the month (clamped) or the month end, for every monthly-type rule', () => {
    fc.assert(
      fc.property(ruleArb, fc.integer({ min: 1, max: 40 }), (r, n) => {
        const s = scheduledDate(r, n)
        if (s === null || r.frequency === 'daily' || r.frequency === 'weekly' || r.frequency === 'biweekly') return
        const startDay = Number(r.startDate.slice(8))
        const lastDay = Number(endOfMonth(s).slice(8))
        expect(Number(s.slice(8))).toBe(r.monthEnd ? lastDay : Math.min(startDay, lastDay))
      }),
      { numRuns: 300 }
    )
  })

  it('occurrencesBetween equals a brute-force walk filtered by due date', () => {
    fc.assert(
      fc.property(ruleArb, holidaysArb, windowStart, fc.integer({ min: 0, max: 400 }), (r, holidays, start, len) => {
        const from = start(r)
        const to = addDays(from, len)
        const expected = walk(r, holidays, addDays(to, MARGIN)).filter((o) => o.due >= from && o.due <= to)
        expect(occurrencesBetween(r, from, to, holidays)).toEqual(expected)
      }),
      { numRuns: 300 }
    )
  })

  it('occurrencesDueBy(rule, k, upTo) equals the brute-force list from k', () => {
    fc.assert(
      fc.property(ruleArb, holidaysArb, fc.integer({ min: 1, max: 80 }), windowStart, (r, holidays, k, at) => {
        const upTo = at(r)
        const expected = walk(r, holidays, addDays(upTo, MARGIN)).filter((o) => o.n >= k && o.due <= upTo)
        expect(occurrencesDueBy(r, k, upTo, holidays)).toEqual(expected)
      }),
      { numRuns: 300 }
    )
  })

  it('firstIndexOnOrAfter agrees with a brute-force search', () => {
    fc.assert(
      fc.property(ruleArb, dateIn(LO - 400, HI), (r, date) => {
        let expected: number | null = null
        for (let n = 1; ; n++) {
          const s = scheduledDate(r, n)
          if (s === null) break
          if (s >= date) {
            expected = n
            break
          }
        }
        expect(firstIndexOnOrAfter(r, date)).toBe(expected)
      }),
      { numRuns: 400 }
    )
  })

  it('adjustDate lands on the nearest business day in its direction', () => {
    fc.assert(
      fc.property(dateIn(LO, HI), holidaysArb, fc.constantFrom('before' as const, 'after' as const), (date, holidays, dir) => {
        const d = adjustDate(date, dir, holidays)
        const step = dir === 'before' ? -1 : 1
        const between = Math.abs(toEpochDay(d) - toEpochDay(date))
        for (let i = 0; i < between; i++) {
          const x = addDays(date, i * step)
          expect(dayOfWeek(x) >= 6 || holidays.has(x)).toBe(true)
        }
        expect(dayOfWeek(d)).toBeLessThan(6)
        expect(holidays.has(d)).toBe(false)
      }),
      { numRuns: 300 }
    )
  })
})
