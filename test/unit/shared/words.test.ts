import { describe, expect, it } from 'vitest'
import {
  calendarDaysBetween,
  countOf,
  datesInText,
  describeRunner,
  formatCount,
  formatDate,
  formatInstant,
  formatPeriod,
  pluralForm,
  possessive,
  relativeDay,
  relativeDayOfInstant,
  withLatinDigits
} from '../../../src/shared/words'

describe('dates and times in the cooperative locale and time zone', () => {
  it('formats a calendar date and a period in the locale', () => {
    expect(formatDate('2026-01-15', 'en-KE')).toBe('15 Jan 2026')
    expect(formatDate('2026-01-15', 'fr-FR', 'long')).toBe('15 janvier 2026')
    expect(formatPeriod('2026-01-01', '2026-06-30', 'en-KE')).toBe('1 Jan 2026 – 30 Jun 2026')
    expect(datesInText('2026-02-15 is not a coupon date; the nearest are 2026-03-01 and 2026-01-01.', 'en-KE')).toBe(
      '15 Feb 2026 is not a coupon date; the nearest are 1 Mar 2026 and 1 Jan 2026.'
    )
    expect(datesInText('Code PV-2026-02-150 and 2026-02-30 stay', 'en-KE')).toBe('Code PV-2026-02-150 and 2026-02-30 stay')
    // Vouchers print dates with Latin digits whatever the locale's own.
    expect(formatDate('2026-01-15', withLatinDigits('ar-EG'))).toMatch(/15.*2026/)
    expect(formatDate('2026-01-15', 'ar-EG')).not.toMatch(/2026/)
  })

  it('formats a stored UTC instant in the zone, never as ISO', () => {
    const iso = '2026-11-27T17:00:07.115Z'
    expect(formatInstant(iso, 'en-KE', 'Africa/Nairobi')).toBe('27 Nov 2026, 20:00')
    expect(formatInstant(iso, 'en-KE', 'Africa/Nairobi', { seconds: true })).toBe('27 Nov 2026, 20:00:07')
    // The same instant is already the next day in Auckland.
    expect(formatInstant(iso, 'en-NZ', 'Pacific/Auckland')).toMatch(/^28 Nov 2026, 6:00\sam$/)
    expect(formatInstant(new Date(iso), 'en-KE', 'UTC')).toBe('27 Nov 2026, 17:00')
    expect(() => formatInstant('yesterday', 'en-KE', 'UTC')).toThrow(RangeError)
  })
})

describe('today and tomorrow by the calendar of the time zone', () => {
  it('says tomorrow only of the next calendar day', () => {
    expect(relativeDay('2026-03-02', '2026-03-01', 'en')).toBe('tomorrow')
    expect(relativeDay('2026-03-01', '2026-03-01', 'en')).toBe('today')
    expect(relativeDay('2026-02-28', '2026-03-01', 'en')).toBe('yesterday')
    expect(relativeDay('2026-03-04', '2026-03-01', 'en')).toBe('in 3 days')
    expect(relativeDay('2026-03-02', '2026-03-01', 'fr')).toBe('demain')
  })

  it('compares calendar days in the zone across a midnight where UTC disagrees', () => {
    // 20:00 UTC on 1 March is 23:00 in Nairobi (UTC+3); 21:00 UTC on 2 March is 00:00 on 3 March there.
    // 25 hours apart: tomorrow by the UTC calendar, the day after tomorrow in Nairobi.
    expect(calendarDaysBetween('2026-03-01T20:00:00Z', '2026-03-02T21:00:00Z', 'UTC')).toBe(1)
    expect(calendarDaysBetween('2026-03-01T20:00:00Z', '2026-03-02T21:00:00Z', 'Africa/Nairobi')).toBe(2)
    expect(relativeDayOfInstant('2026-03-02T21:00:00Z', '2026-03-01T20:00:00Z', 'en', 'UTC')).toBe('tomorrow')
    expect(relativeDayOfInstant('2026-03-02T21:00:00Z', '2026-03-01T20:00:00Z', 'en', 'Africa/Nairobi')).toBe('in 2 days')
    // Three hours apart, but tomorrow in Nairobi and today in UTC.
    expect(relativeDayOfInstant('2026-03-01T21:30:00Z', '2026-03-01T18:30:00Z', 'en', 'Africa/Nairobi')).toBe('tomorrow')
    expect(relativeDayOfInstant('2026-03-01T21:30:00Z', '2026-03-01T18:30:00Z', 'en', 'UTC')).toBe('today')
  })
})

describe('counts and plurals', () => {
  it('agrees with the count', () => {
    expect(countOf(1, { one: 'unit', other: 'units' }, 'en-KE')).toBe('1 unit')
    expect(countOf(0, { one: 'unit', other: 'units' }, 'en-KE')).toBe('0 units')
    expect(countOf(2, { one: 'unit', other: 'units' }, 'en-KE')).toBe('2 units')
    expect(countOf(1500, { one: 'unit', other: 'units' }, 'en-KE')).toBe('1,500 units')
    expect(pluralForm(1, { one: 'voucher was printed before and is', other: 'vouchers were printed before and are' })).toBe('voucher was printed before and is')
    expect(pluralForm(2, { one: 'voucher was printed before and is', other: 'vouchers were printed before and are' })).toBe('vouchers were printed before and are')
  })

  it('groups digits in the locale but keeps English plural rules for English words', () => {
    // French counts 0 and 1 as singular; the English words still say "0 units".
    expect(countOf(0, { one: 'unit', other: 'units' }, 'fr-FR')).toBe('0 units')
    expect(formatCount(100000, 'fr-FR')).toBe('100\u202f000')
    expect(formatCount(100000, 'en-IN')).toBe('1,00,000')
    expect(() => pluralForm(Number.NaN, { one: 'a', other: 'b' })).toThrow(RangeError)
  })
})

describe('possessives of names', () => {
  it.each([
    ['Wanjiru', 'Wanjiru’s'],
    ['Ochieng’', 'Ochieng’s'],
    ["Ochieng'", "Ochieng's"],
    ['Moses', 'Moses’'],
    ['JAMES', 'JAMES’'],
    ["O'Brien", "O'Brien's"],
    ['N’Diaye', 'N’Diaye’s'],
    ['  Achieng  ', 'Achieng’s']
  ])('%s → %s', (name, expected) => {
    expect(possessive(name)).toBe(expected)
  })
})

describe('who ran a job', () => {
  it('names the app or the command line, never the lease id', () => {
    expect(describeRunner('app:vm:8736:deogt0', 'vm')).toBe('the Coffer app on this PC')
    expect(describeRunner('cli:vm:9001:abc123', 'vm')).toBe('the command line on this PC')
    expect(describeRunner('app:FRONT-DESK:12:zz', 'vm')).toBe('the Coffer app on FRONT-DESK')
    expect(describeRunner('garbage', 'vm')).toBe('another Coffer process')
  })
})
