import { describe, it, expect } from 'vitest'
import {
  addDays,
  addMonths,
  addYears,
  calendarDateInZone,
  compareDates,
  dayOfWeek,
  daysInMonth,
  diffDays,
  endOfMonth,
  formatCalendarDate,
  fromEpochDay,
  instantToIso,
  isCalendarDate,
  isEndOfMonth,
  isLeapYear,
  isValidTimeZone,
  isoWeek,
  maxDate,
  minDate,
  parseCalendarDate,
  startOfIsoWeek,
  startOfMonth,
  toCalendarDate,
  toEpochDay
} from '../../../src/shared/dates'

const DAY_MS = 86_400_000
/** Test oracle only: the UTC epoch day via Date.UTC. */
const oracleEpochDay = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / DAY_MS
const norm = (s: string): string => s.replace(/[\u00A0\u202F\u2009]/g, ' ')

describe('validation and parts', () => {
  it.each([
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2023-02-28', true],
    ['2026-04-30', true],
    ['2026-12-31', true],
    ['1000-01-01', true],
    ['9999-12-31', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2100-02-29', false],
    ['2026-04-31', false],
    ['2026-06-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-01-32', false],
    ['0999-12-31', false],
    ['10000-01-01', false],
    ['2026-1-01', false],
    ['2026-01-1', false],
    ['26-01-01', false],
    [' 2026-01-01', false],
    ['2026-01-01 ', false],
    ['2026-01-01T00:00:00Z', false],
    ['2026/01/01', false],
    ['20260101', false],
    ['２０２６-01-01', false],
    ['', false]
  ])('isCalendarDate(%j) = %s', (s, expected) => {
    expect(isCalendarDate(s)).toBe(expected)
  })

  it('isCalendarDate refuses non-strings', () => {
    expect(isCalendarDate(20260101 as unknown as string)).toBe(false)
    expect(isCalendarDate(null as unknown as string)).toBe(false)
  })

  it('parseCalendarDate splits valid dates and throws RangeError otherwise', () => {
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 })
    expect(parseCalendarDate('1000-01-01')).toEqual({ year: 1000, month: 1, day: 1 })
    for (const bad of ['2023-02-29', '2026-04-31', 'nope', '', '2026-01-01T00:00']) {
      expect(() => parseCalendarDate(bad)).toThrow(RangeError)
    }
  })

  it('toCalendarDate pads and validates', () => {
    expect(toCalendarDate(2024, 2, 9)).toBe('2024-02-09')
    expect(toCalendarDate(1000, 1, 1)).toBe('1000-01-01')
    expect(toCalendarDate(9999, 12, 31)).toBe('9999-12-31')
    for (const [y, m, d] of [
      [2023, 2, 29],
      [2024, 13, 1],
      [2024, 0, 1],
      [2024, 1, 0],
      [999, 1, 1],
      [10000, 1, 1],
      [2024, 1.5, 1],
      [2024, 1, Number.NaN]
    ] as const) {
      expect(() => toCalendarDate(y, m, d)).toThrow(RangeError)
    }
  })

  it('isLeapYear follows the Gregorian rule', () => {
    for (const y of [1600, 2000, 2004, 2024, 2400, 1996]) expect(isLeapYear(y)).toBe(true)
    for (const y of [1700, 1800, 1900, 2100, 2023, 2025, 2026]) expect(isLeapYear(y)).toBe(false)
    expect(() => isLeapYear(2024.5)).toThrow(RangeError)
  })

  it('daysInMonth for leap and common years', () => {
    expect([...Array(12).keys()].map((i) => daysInMonth(2024, i + 1))).toEqual([
      31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    ])
    expect([...Array(12).keys()].map((i) => daysInMonth(2023, i + 1))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    ])
    expect(daysInMonth(1900, 2)).toBe(28)
    expect(daysInMonth(2000, 2)).toBe(29)
    expect(() => daysInMonth(2024, 0)).toThrow(RangeError)
    expect(() => daysInMonth(2024, 13)).toThrow(RangeError)
  })
})

describe('epoch days', () => {
  it('known values', () => {
    expect(toEpochDay('1970-01-01')).toBe(0)
    expect(toEpochDay('1969-12-31')).toBe(-1)
    expect(toEpochDay('1970-01-02')).toBe(1)
    expect(toEpochDay('2000-01-01')).toBe(10957)
    expect(toEpochDay('2000-03-01')).toBe(11017)
    expect(toEpochDay('1000-01-01')).toBe(oracleEpochDay(1000, 1, 1))
    expect(toEpochDay('9999-12-31')).toBe(oracleEpochDay(9999, 12, 31))
    expect(fromEpochDay(0)).toBe('1970-01-01')
    expect(fromEpochDay(-1)).toBe('1969-12-31')
    expect(fromEpochDay(19782)).toBe('2024-02-29')
  })

  it('round-trips every day from 1900 to 2100 and matches Date.UTC and getUTCDay', () => {
    let expected = toEpochDay('1900-01-01')
    let count = 0
    for (let y = 1900; y <= 2100; y++) {
      for (let m = 1; m <= 12; m++) {
        const dim = daysInMonth(y, m)
        for (let d = 1; d <= dim; d++) {
          const date = toCalendarDate(y, m, d)
          const n = toEpochDay(date)
          if (n !== expected || n !== oracleEpochDay(y, m, d) || fromEpochDay(n) !== date) {
            throw new Error(`epoch day mismatch at ${date}: ${n} vs ${expected}`)
          }
          const utcDay = new Date(n * DAY_MS).getUTCDay() // 0 = Sunday
          if (dayOfWeek(date) !== (utcDay === 0 ? 7 : utcDay)) throw new Error(`weekday mismatch at ${date}`)
          expected++
          count++
        }
      }
    }
    expect(count).toBe(73414)
    expect(fromEpochDay(expected)).toBe('2101-01-01')
  })

  it('stays within years 1000..9999', () => {
    expect(() => fromEpochDay(toEpochDay('1000-01-01') - 1)).toThrow(RangeError)
    expect(() => fromEpochDay(toEpochDay('9999-12-31') + 1)).toThrow(RangeError)
    expect(() => fromEpochDay(1.5)).toThrow(RangeError)
    expect(() => toEpochDay('2023-02-29')).toThrow(RangeError)
  })

  it('round-trips sparse days over the whole range', () => {
    const first = toEpochDay('1000-01-01')
    const last = toEpochDay('9999-12-31')
    for (let n = first; n <= last; n += 997) {
      const date = fromEpochDay(n)
      expect(isCalendarDate(date)).toBe(true)
      expect(toEpochDay(date)).toBe(n)
    }
  })
})

describe('arithmetic', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-28', 2, '2024-03-01'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2023-01-01', 365, '2024-01-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-06-15', 0, '2024-06-15'],
    ['1999-12-31', 1, '2000-01-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['1900-02-28', 1, '1900-03-01']
  ])('addDays(%s, %i) = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected)
  })

  it('addDays rejects non-integers and leaving the range', () => {
    expect(() => addDays('2024-01-01', 0.5)).toThrow(RangeError)
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError)
    expect(() => addDays('1000-01-01', -1)).toThrow(RangeError)
    expect(() => addDays('2024-02-30', 1)).toThrow(RangeError)
  })

  it.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2024-05-31', 1, '2024-06-30'],
    ['2024-12-15', 1, '2025-01-15'],
    ['2024-01-15', -1, '2023-12-15'],
    ['2024-01-15', 12, '2025-01-15'],
    ['2024-01-15', -13, '2022-12-15'],
    ['2024-01-31', 25, '2026-02-28'],
    ['2024-08-31', 6, '2025-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2024-06-30', 0, '2024-06-30']
  ])('addMonths(%s, %i) = %s', (date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected)
  })

  it.each([
    ['2024-02-29', 1, '2025-02-28'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2024-02-29', -1, '2023-02-28'],
    ['2024-02-29', -4, '2020-02-29'],
    ['2023-03-01', 1, '2024-03-01'],
    ['1999-12-31', 1, '2000-12-31']
  ])('addYears(%s, %i) = %s', (date, n, expected) => {
    expect(addYears(date, n)).toBe(expected)
  })

  it('addMonths/addYears reject non-integers and leaving the range', () => {
    expect(() => addMonths('2024-01-31', 1.5)).toThrow(RangeError)
    expect(() => addMonths('9999-12-01', 1)).toThrow(RangeError)
    expect(() => addMonths('1000-01-31', -1)).toThrow(RangeError)
    expect(() => addYears('9999-01-01', 1)).toThrow(RangeError)
    expect(() => addYears('2024-01-01', Number.MAX_SAFE_INTEGER)).toThrow(RangeError)
  })

  it('addMonths is the end-of-month clamp of naive month stepping (property loop)', () => {
    for (let n = toEpochDay('2019-01-01'); n <= toEpochDay('2029-12-31'); n += 3) {
      const date = fromEpochDay(n)
      const { year, month, day } = parseCalendarDate(date)
      for (const k of [-25, -12, -1, 1, 2, 11, 12, 13, 60]) {
        const total = year * 12 + month - 1 + k
        const y = Math.floor(total / 12)
        const m = total - y * 12 + 1
        expect(addMonths(date, k)).toBe(toCalendarDate(y, m, Math.min(day, daysInMonth(y, m))))
      }
    }
  })

  it('diffDays is b - a', () => {
    expect(diffDays('2024-01-01', '2024-12-31')).toBe(365)
    expect(diffDays('2024-01-01', '2025-01-01')).toBe(366)
    expect(diffDays('2023-01-01', '2024-01-01')).toBe(365)
    expect(diffDays('2024-03-01', '2024-02-28')).toBe(-2)
    expect(diffDays('2026-05-05', '2026-05-05')).toBe(0)
    expect(diffDays('1900-01-01', '2100-12-31')).toBe(73413)
    expect(() => diffDays('2024-02-30', '2024-03-01')).toThrow(RangeError)
  })

  it('compareDates, minDate, maxDate', () => {
    expect(compareDates('2024-01-01', '2024-01-02')).toBe(-1)
    expect(compareDates('2024-01-02', '2024-01-01')).toBe(1)
    expect(compareDates('2024-01-01', '2024-01-01')).toBe(0)
    expect(compareDates('2023-12-31', '2024-01-01')).toBe(-1)
    expect(() => compareDates('2024-1-1', '2024-01-01')).toThrow(RangeError)
    expect(minDate('2024-03-01', '2023-12-31', '2024-02-29')).toBe('2023-12-31')
    expect(maxDate('2024-03-01', '2023-12-31', '2024-02-29')).toBe('2024-03-01')
    expect(minDate('2024-03-01')).toBe('2024-03-01')
    expect(maxDate(...['2020-01-01', '2019-01-01'])).toBe('2020-01-01')
    expect(() => minDate()).toThrow(RangeError)
    expect(() => maxDate()).toThrow(RangeError)
    expect(() => minDate('2024-01-01', 'bad')).toThrow(RangeError)
  })
})

describe('weeks and months', () => {
  it('dayOfWeek is ISO 1 = Monday .. 7 = Sunday', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4)
    expect(dayOfWeek('2024-01-01')).toBe(1)
    expect(dayOfWeek('2000-01-01')).toBe(6)
    expect(dayOfWeek('2024-01-07')).toBe(7)
    expect(dayOfWeek('1000-01-01')).toBe(3) // proleptic Gregorian Wednesday
    expect(dayOfWeek('9999-12-31')).toBe(5)
  })

  it('month boundaries', () => {
    expect(isEndOfMonth('2024-02-29')).toBe(true)
    expect(isEndOfMonth('2024-02-28')).toBe(false)
    expect(isEndOfMonth('2023-02-28')).toBe(true)
    expect(isEndOfMonth('2024-12-31')).toBe(true)
    expect(isEndOfMonth('2024-04-30')).toBe(true)
    expect(endOfMonth('2024-02-10')).toBe('2024-02-29')
    expect(endOfMonth('2023-02-10')).toBe('2023-02-28')
    expect(endOfMonth('2024-09-01')).toBe('2024-09-30')
    expect(endOfMonth('2024-12-31')).toBe('2024-12-31')
    expect(startOfMonth('2024-02-29')).toBe('2024-02-01')
    expect(startOfMonth('2024-01-01')).toBe('2024-01-01')
  })

  it('startOfIsoWeek is the Monday on or before', () => {
    expect(startOfIsoWeek('2024-01-07')).toBe('2024-01-01')
    expect(startOfIsoWeek('2024-01-01')).toBe('2024-01-01')
    expect(startOfIsoWeek('2025-01-01')).toBe('2024-12-30')
    expect(startOfIsoWeek('2024-03-03')).toBe('2024-02-26')
    for (let n = toEpochDay('2023-12-01'); n < toEpochDay('2025-02-01'); n++) {
      const d = fromEpochDay(n)
      const monday = startOfIsoWeek(d)
      expect(dayOfWeek(monday)).toBe(1)
      expect(diffDays(monday, d)).toBe(dayOfWeek(d) - 1)
    }
  })

  it.each([
    ['2021-01-03', 2020, 53],
    ['2021-01-04', 2021, 1],
    ['2020-12-31', 2020, 53],
    ['2024-12-30', 2025, 1],
    ['2026-12-31', 2026, 53],
    ['2027-01-03', 2026, 53],
    ['2008-12-29', 2009, 1],
    ['2010-01-03', 2009, 53],
    ['2005-01-01', 2004, 53],
    ['2007-01-01', 2007, 1],
    ['2024-06-15', 2024, 24],
    ['2023-01-01', 2022, 52]
  ])('isoWeek(%s) = %i-W%i', (date, year, week) => {
    expect(isoWeek(date)).toEqual({ year, week })
  })

  it('isoWeek is consistent day by day (week changes only on Mondays)', () => {
    let prev = isoWeek('1999-12-31')
    for (let n = toEpochDay('2000-01-01'); n <= toEpochDay('2040-12-31'); n++) {
      const d = fromEpochDay(n)
      const w = isoWeek(d)
      if (dayOfWeek(d) === 1) {
        const advanced = (w.year === prev.year && w.week === prev.week + 1) || (w.year === prev.year + 1 && w.week === 1)
        if (!advanced) throw new Error(`week did not advance at ${d}`)
      } else if (w.year !== prev.year || w.week !== prev.week) {
        throw new Error(`week changed mid-week at ${d}`)
      }
      if (w.week < 1 || w.week > 53) throw new Error(`bad week at ${d}`)
      prev = w
    }
  })
})

describe('time zones', () => {
  it('isValidTimeZone', () => {
    for (const tz of ['UTC', 'Europe/London', 'America/New_York', 'Africa/Nairobi', 'Asia/Kolkata']) {
      expect(isValidTimeZone(tz)).toBe(true)
    }
    for (const tz of ['', ' ', 'Mars/Olympus_Mons', 'Not a zone', 'Europe/Londonn']) {
      expect(isValidTimeZone(tz)).toBe(false)
    }
  })

  it('Europe/London around the March and October 2024 DST changes', () => {
    const tz = 'Europe/London'
    // Clocks go forward 2024-03-31 01:00 UTC (GMT → BST).
    expect(calendarDateInZone(Date.UTC(2024, 2, 30, 23, 59), tz)).toBe('2024-03-30')
    expect(calendarDateInZone(Date.UTC(2024, 2, 31, 0, 30), tz)).toBe('2024-03-31')
    expect(calendarDateInZone(Date.UTC(2024, 2, 31, 22, 59), tz)).toBe('2024-03-31')
    expect(calendarDateInZone(Date.UTC(2024, 2, 31, 23, 0), tz)).toBe('2024-04-01') // 00:00 BST
    // Clocks go back 2024-10-27 01:00 UTC (BST → GMT).
    expect(calendarDateInZone(Date.UTC(2024, 9, 26, 22, 59), tz)).toBe('2024-10-26')
    expect(calendarDateInZone(Date.UTC(2024, 9, 26, 23, 0), tz)).toBe('2024-10-27') // 00:00 BST
    expect(calendarDateInZone(Date.UTC(2024, 9, 27, 23, 59), tz)).toBe('2024-10-27') // 23:59 GMT
    expect(calendarDateInZone(Date.UTC(2024, 9, 28, 0, 0), tz)).toBe('2024-10-28')
  })

  it('America/New_York around the March and November 2024 DST changes', () => {
    const tz = 'America/New_York'
    // Spring forward 2024-03-10 07:00 UTC (02:00 EST → 03:00 EDT).
    expect(calendarDateInZone(Date.UTC(2024, 2, 10, 4, 59), tz)).toBe('2024-03-09') // 23:59 EST
    expect(calendarDateInZone(Date.UTC(2024, 2, 10, 5, 0), tz)).toBe('2024-03-10') // 00:00 EST
    expect(calendarDateInZone(Date.UTC(2024, 2, 11, 3, 59), tz)).toBe('2024-03-10') // 23:59 EDT
    expect(calendarDateInZone(Date.UTC(2024, 2, 11, 4, 0), tz)).toBe('2024-03-11') // 00:00 EDT
    // Fall back 2024-11-03 06:00 UTC (02:00 EDT → 01:00 EST).
    expect(calendarDateInZone(Date.UTC(2024, 10, 3, 3, 59), tz)).toBe('2024-11-02') // 23:59 EDT
    expect(calendarDateInZone(Date.UTC(2024, 10, 3, 4, 0), tz)).toBe('2024-11-03') // 00:00 EDT
    expect(calendarDateInZone(Date.UTC(2024, 10, 4, 4, 59), tz)).toBe('2024-11-03') // 23:59 EST
    expect(calendarDateInZone(Date.UTC(2024, 10, 4, 5, 0), tz)).toBe('2024-11-04') // 00:00 EST
  })

  it('every minute of a DST-change day maps to the right local date', () => {
    // 2024-03-10 in New York runs from 05:00 UTC to 04:00 UTC next day (23 hours).
    const start = Date.UTC(2024, 2, 10, 5, 0)
    const end = Date.UTC(2024, 2, 11, 4, 0)
    expect(end - start).toBe(23 * 3600_000)
    for (let t = start - 60 * 60_000; t < end + 60 * 60_000; t += 60_000) {
      const expected = t < start ? '2024-03-09' : t < end ? '2024-03-10' : '2024-03-11'
      if (calendarDateInZone(t, 'America/New_York') !== expected) throw new Error(`wrong date at ${instantToIso(t)}`)
    }
    // 2024-10-27 in London runs from 2024-10-26T23:00Z to 2024-10-28T00:00Z (25 hours).
    const lStart = Date.UTC(2024, 9, 26, 23, 0)
    const lEnd = Date.UTC(2024, 9, 28, 0, 0)
    for (let t = lStart - 60 * 60_000; t < lEnd + 60 * 60_000; t += 60_000) {
      const expected = t < lStart ? '2024-10-26' : t < lEnd ? '2024-10-27' : '2024-10-28'
      if (calendarDateInZone(t, 'Europe/London') !== expected) throw new Error(`wrong date at ${instantToIso(t)}`)
    }
  })

  it('the same instant is a different date in far-apart zones', () => {
    const t = new Date('2024-12-31T12:00:00Z')
    expect(calendarDateInZone(t, 'Pacific/Kiritimati')).toBe('2025-01-01') // UTC+14
    expect(calendarDateInZone(t, 'Pacific/Pago_Pago')).toBe('2024-12-31') // UTC-11
    expect(calendarDateInZone(new Date('2024-12-31T11:00:00Z'), 'Pacific/Pago_Pago')).toBe('2024-12-31')
    expect(calendarDateInZone(new Date('2024-12-31T10:59:00Z'), 'Pacific/Kiritimati')).toBe('2025-01-01')
    expect(calendarDateInZone(new Date('2024-12-31T09:59:00Z'), 'Pacific/Kiritimati')).toBe('2024-12-31')
    expect(calendarDateInZone(t, 'UTC')).toBe('2024-12-31')
    expect(calendarDateInZone(Date.UTC(2024, 1, 29, 21, 0), 'Africa/Nairobi')).toBe('2024-03-01')
    expect(calendarDateInZone(Date.UTC(2024, 1, 29, 20, 59), 'Africa/Nairobi')).toBe('2024-02-29')
  })

  it('rejects bad instants and zones', () => {
    expect(() => calendarDateInZone(new Date(Number.NaN), 'UTC')).toThrow(RangeError)
    expect(() => calendarDateInZone(Number.NaN, 'UTC')).toThrow(RangeError)
    expect(() => calendarDateInZone(0, 'Mars/Olympus_Mons')).toThrow(RangeError)
    expect(() => calendarDateInZone(Date.UTC(999, 0, 1), 'UTC')).toThrow(RangeError)
    expect(() => calendarDateInZone(Date.UTC(10000, 0, 1), 'UTC')).toThrow(RangeError)
    expect(() => calendarDateInZone(-62198755200000, 'UTC')).toThrow(RangeError) // 0000-12-31 / 1 BC
  })
})

describe('formatting', () => {
  it.each([
    ['2024-03-01', 'en-US', 'long', 'March 1, 2024'],
    ['2024-03-01', 'en-US', 'medium', 'Mar 1, 2024'],
    ['2024-03-01', 'en-US', 'short', '3/1/24'],
    ['2024-03-01', 'en-GB', 'long', '1 March 2024'],
    ['2024-03-01', 'en-GB', 'short', '01/03/2024'],
    ['2024-03-01', 'de-DE', 'medium', '01.03.2024'],
    ['2024-03-01', 'fr-FR', 'long', '1 mars 2024'],
    ['2024-03-01', 'ja-JP', 'medium', '2024/03/01'],
    ['2024-01-01', 'en-US', 'long', 'January 1, 2024'],
    ['2024-12-31', 'en-US', 'long', 'December 31, 2024'],
    ['1000-01-01', 'en-GB', 'long', '1 January 1000']
  ])('formatCalendarDate(%s, %s, %s) = %s', (date, locale, style, expected) => {
    expect(norm(formatCalendarDate(date, locale, style as 'short' | 'medium' | 'long'))).toBe(expected)
  })

  it('defaults to medium and rejects bad input', () => {
    expect(formatCalendarDate('2024-03-01', 'en-US')).toBe('Mar 1, 2024')
    expect(() => formatCalendarDate('2024-02-30', 'en-US')).toThrow(RangeError)
    expect(() => formatCalendarDate('2024-02-01', 'en-US', 'full' as 'long')).toThrow(RangeError)
  })

  it('never shifts a day, whatever the process time zone', () => {
    const saved = process.env.TZ
    try {
      for (const tz of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/New_York', 'Asia/Kolkata']) {
        process.env.TZ = tz
        for (let n = toEpochDay('2024-01-01'); n <= toEpochDay('2024-12-31'); n += 7) {
          const date = fromEpochDay(n)
          const { year, month, day } = parseCalendarDate(date)
          expect(formatCalendarDate(date, 'en-GB', 'short')).toBe(
            `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`
          )
        }
        expect(formatCalendarDate('2024-01-01', 'en-US', 'long')).toBe('January 1, 2024')
      }
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
  })

  it('instantToIso is UTC ISO 8601', () => {
    expect(instantToIso(0)).toBe('1970-01-01T00:00:00.000Z')
    expect(instantToIso(new Date(Date.UTC(2026, 6, 1, 2, 0)))).toBe('2026-07-01T02:00:00.000Z')
    expect(instantToIso(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('2024-02-29T23:59:59.999Z')
    expect(() => instantToIso(new Date(Number.NaN))).toThrow(RangeError)
    expect(() => instantToIso(Number.POSITIVE_INFINITY)).toThrow(RangeError)
    expect(() => instantToIso(8.64e15 + 1)).toThrow(RangeError)
  })
})
