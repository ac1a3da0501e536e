import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  cronToWords,
  describeWords,
  wordsToCron,
  type ScheduleWords,
  type Weekday
} from '../../../src/shared/schedule-words'
import { cronProblem, describeCron } from '../../../src/core/platform/jobs/schedule'

const cronOf = (w: ScheduleWords): string => {
  const r = wordsToCron(w)
  if (!r.ok) throw new Error(JSON.stringify(r.problems))
  return r.cron
}

describe('schedules in words → cron', () => {
  it('says each word form as the cron it is', () => {
    expect(cronOf({ every: 'day', time: '02:00' })).toBe('0 2 * * *')
    expect(cronOf({ every: 'day', time: '9:05' })).toBe('5 9 * * *')
    expect(cronOf({ every: 'week', weekdays: [4, 1, 1], time: '14:30' })).toBe('30 14 * * 1,4')
    expect(cronOf({ every: 'week', weekdays: [0], time: '03:00' })).toBe('0 3 * * 0')
    expect(cronOf({ every: 'month', day: 1, time: '02:00' })).toBe('0 2 1 * *')
    expect(cronOf({ every: 'month', day: 28, time: '23:59' })).toBe('59 23 28 * *')
    expect(cronOf({ every: 'month', day: 'last', time: '23:00' })).toBe('0 23 L * *')
  })

  it('refuses days not every month has, pointing to "the last day"', () => {
    for (const day of [29, 30, 31]) {
      const r = wordsToCron({ every: 'month', day, time: '02:00' })
      expect(r.ok).toBe(false)
      if (r.ok) continue
      expect(r.problems).toEqual([{ field: 'day', message: expect.stringContaining(`Not every month has a day ${day}`) }])
      expect(r.problems[0]?.message).toContain('the last day')
    }
  })

  it('refuses impossible input field by field, in its own words', () => {
    const problems = (w: ScheduleWords) => {
      const r = wordsToCron(w)
      return r.ok ? [] : r.problems.map((p) => p.field)
    }
    expect(problems({ every: 'month', day: 0, time: '02:00' })).toEqual(['day'])
    expect(problems({ every: 'month', day: 2.5, time: '02:00' })).toEqual(['day'])
    expect(problems({ every: 'day', time: '24:00' })).toEqual(['time'])
    expect(problems({ every: 'day', time: '12:60' })).toEqual(['time'])
    expect(problems({ every: 'day', time: '2pm' })).toEqual(['time'])
    expect(problems({ every: 'day', time: '' })).toEqual(['time'])
    expect(problems({ every: 'week', weekdays: [], time: 'x' })).toEqual(['time', 'weekdays'])
    expect(problems({ every: 'week', weekdays: [7 as Weekday], time: '02:00' })).toEqual(['weekdays'])
    expect(problems({ every: 'fortnight', time: '02:00' } as unknown as ScheduleWords)).toEqual(['every'])
    const r = wordsToCron({ every: 'day', time: '25:00' })
    expect(r.ok ? '' : r.problems[0]?.message).toBe('Write the time as hours and minutes, 24-hour, like 02:00 or 14:30')
  })
})

describe('cron → schedules in words', () => {
  it('reads the crons that are word forms', () => {
    expect(cronToWords('0 2 * * *')).toEqual({ every: 'day', time: '02:00' })
    expect(cronToWords(' 5  9 * * * ')).toEqual({ every: 'day', time: '09:05' })
    expect(cronToWords('0 3 * * 0')).toEqual({ every: 'week', weekdays: [0], time: '03:00' })
    expect(cronToWords('0 3 * * 7')).toEqual({ every: 'week', weekdays: [0], time: '03:00' })
    expect(cronToWords('30 14 * * 4,1')).toEqual({ every: 'week', weekdays: [1, 4], time: '14:30' })
    expect(cronToWords('0 2 15 * *')).toEqual({ every: 'month', day: 15, time: '02:00' })
    expect(cronToWords('0 23 L * *')).toEqual({ every: 'month', day: 'last', time: '23:00' })
  })

  it('leaves everything else to the advanced (cron) tab', () => {
    for (const cron of [
      '0 2 31 * *', // not every month has it
      '0 2 29 * *',
      '*/15 * * * *',
      '0 2,14 * * *',
      '0 2 1 1 *',
      '0 2 1,15 * *',
      '0 2 * * 1-5',
      '0 2 1 * 1',
      '0 2 * * 0,1,2,3,4,5,6',
      '0 2 L-2 * *',
      '0 2 * * MON',
      '0 24 * * *',
      '0 2 * *',
      'every day'
    ]) {
      expect(cronToWords(cron), cron).toBeNull()
    }
  })

  it('round-trips: words → cron → the same words, and a word cron → words → the same cron', () => {
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(
      ([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
    )
    const words: fc.Arbitrary<ScheduleWords> = fc.oneof(
      time.map((t) => ({ every: 'day' as const, time: t })),
      fc
        .tuple(fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 6 }), time)
        .map(([d, t]) => ({ every: 'week' as const, weekdays: [...d].sort((a, b) => a - b) as Weekday[], time: t })),
      fc
        .tuple(fc.oneof(fc.integer({ min: 1, max: 28 }), fc.constant('last' as const)), time)
        .map(([day, t]) => ({ every: 'month' as const, day, time: t }))
    )
    fc.assert(
      fc.property(words, (w) => {
        const cron = cronOf(w)
        expect(cronProblem(cron)).toBeNull()
        expect(cronToWords(cron)).toEqual(w)
        expect(cronOf(cronToWords(cron)!)).toBe(cron)
      })
    )
  })
})

describe('schedules said in words', () => {
  it('names the days Monday first and the last day plainly', () => {
    expect(describeWords({ every: 'day', time: '2:00' })).toBe('Every day at 02:00')
    expect(describeWords({ every: 'week', weekdays: [0, 1, 4], time: '02:00' })).toBe('Every week on Monday, Thursday and Sunday at 02:00')
    expect(describeWords({ every: 'week', weekdays: [6], time: '02:00' })).toBe('Every week on Saturday at 02:00')
    expect(describeWords({ every: 'month', day: 1, time: '02:00' })).toBe('Every month on day 1 at 02:00')
    expect(describeWords({ every: 'month', day: 'last', time: '23:00' })).toBe('Every month on the last day at 23:00')
  })

  it('is what the jobs list says for a word cron; other crons keep cronstrue reading', () => {
    expect(describeCron('0 3 * * 0')).toBe('Every week on Sunday at 03:00')
    expect(describeCron('0 23 L * *')).toBe('Every month on the last day at 23:00')
    expect(describeCron('30 4 * * 1-5')).toBe('At 04:30, Monday through Friday')
    expect(describeCron('0 2 31 * *')).toBe('At 02:00, on day 31 of the month')
  })
})
