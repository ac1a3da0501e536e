import { describe, expect, it } from 'vitest'
import { yearFraction, yearFractionParts } from '../../../src/core/bonds/day-count'
import { isBusinessDay, isWeekend, toHolidaySet } from '../../../src/core/calendar/holidays'
import {
  BUSINESS_DAY_CONVENTIONS,
  COUPON_FREQUENCIES,
  adjustBusinessDay,
  couponSchedule,
  couponsPerYear,
  frequencyMonths,
  type BusinessDayConvention,
  type CouponFrequency,
  type CouponPeriod
} from '../../../src/core/bonds/schedule'

const accruals = (s: CouponPeriod[]): string[] => s.map((p) => `${p.accrualStart}→${p.accrualEnd}`)
const payments = (s: CouponPeriod[]): string[] => s.map((p) => p.paymentDate)
const parts = (...args: Parameters<typeof yearFractionParts>): string => {
  const { numerator, denominator } = yearFractionParts(...args)
  return `${numerator}/${denominator}`
}

// Weekdays used below (ISO: 1 = Monday … 7 = Sunday), checked against a calendar:
// 2024-09-15 Sun, 2025-03-15 Sat, 2025-09-15 Mon, 2026-03-15 Sun, 2026-09-15 Tue, 2027-03-15 Mon,
// 2027-09-15 Wed, 2028-03-15 Wed, 2028-09-15 Fri, 2029-03-15 Thu, 2026-02-28 Sat, 2025-08-31 Sun,
// 2026-05-31 Sun, 2026-05-29 Fri, 2025-12-25 Thu, 2025-12-26 Fri.

describe('frequencies', () => {
  it('maps each frequency to months and coupons a year', () => {
    expect(COUPON_FREQUENCIES.map(frequencyMonths)).toEqual([1, 3, 6, 12])
    expect(COUPON_FREQUENCIES.map(couponsPerYear)).toEqual([12, 4, 2, 1])
    expect(() => frequencyMonths('weekly' as CouponFrequency)).toThrow(/Unknown coupon frequency/)
    expect(() => couponsPerYear('toString' as CouponFrequency)).toThrow(RangeError)
  })
})

describe('a 5-year semi-annual bond, 2024-03-15 → 2029-03-15', () => {
  const terms = { issueDate: '2024-03-15', maturityDate: '2029-03-15', frequency: 'semi-annual' } as const

  it('has 10 regular periods rolled back from maturity', () => {
    const s = couponSchedule({ ...terms, businessDayConvention: 'unadjusted' })
    expect(accruals(s)).toEqual([
      '2024-03-15→2024-09-15',
      '2024-09-15→2025-03-15',
      '2025-03-15→2025-09-15',
      '2025-09-15→2026-03-15',
      '2026-03-15→2026-09-15',
      '2026-09-15→2027-03-15',
      '2027-03-15→2027-09-15',
      '2027-09-15→2028-03-15',
      '2028-03-15→2028-09-15',
      '2028-09-15→2029-03-15'
    ])
    expect(s.every((p) => !p.isStub)).toBe(true)
    expect(s.every((p) => p.regularStart === p.accrualStart && p.regularEnd === p.accrualEnd)).toBe(true)
    expect(payments(s)).toEqual(s.map((p) => p.accrualEnd))
  })

  it('pays on the next business day by default, leaving accrual dates alone', () => {
    const s = couponSchedule(terms)
    expect(payments(s)).toEqual([
      '2024-09-16', // Sun → Mon
      '2025-03-17', // Sat → Mon
      '2025-09-15',
      '2026-03-16', // Sun → Mon
      '2026-09-15',
      '2027-03-15',
      '2027-09-15',
      '2028-03-15',
      '2028-09-15',
      '2029-03-15'
    ])
    expect(s[1]?.accrualEnd).toBe('2025-03-15')
  })

  it('gives exactly half a year per coupon under ACT/ACT-ICMA and 30/360', () => {
    for (const p of couponSchedule(terms)) {
      expect(parts('ACT/ACT-ICMA', p.accrualStart, p.accrualEnd, p.notionalPeriods)).toBe('1/2')
      expect(parts('30/360', p.accrualStart, p.accrualEnd)).toBe('1/2')
    }
  })
})

describe('front stubs', () => {
  it('an odd issue date gives a short first period on the regular cycle', () => {
    const s = couponSchedule({ issueDate: '2024-04-02', maturityDate: '2029-03-15', frequency: 'semi-annual' })
    expect(s).toHaveLength(10)
    expect(s[0]).toEqual({
      accrualStart: '2024-04-02',
      accrualEnd: '2024-09-15',
      paymentDate: '2024-09-16',
      regularStart: '2024-03-15',
      regularEnd: '2024-09-15',
      isStub: true,
      notionalPeriods: [{ start: '2024-03-15', end: '2024-09-15', frequency: 2 }]
    })
    expect(s.slice(1).every((p) => !p.isStub)).toBe(true)
    // 166 days of the 184-day regular period 2024-03-15 → 2024-09-15: 166 / (2 × 184).
    expect(parts('ACT/ACT-ICMA', s[0]!.accrualStart, s[0]!.accrualEnd, s[0]!.notionalPeriods)).toBe('83/184')
  })

  it('keeps a stub of a few days rather than merging it into the next period', () => {
    const s = couponSchedule({ issueDate: '2024-03-12', maturityDate: '2029-03-15', frequency: 'semi-annual' })
    expect(s).toHaveLength(11)
    expect(accruals(s).slice(0, 2)).toEqual(['2024-03-12→2024-03-15', '2024-03-15→2024-09-15'])
    expect(s[0]?.isStub).toBe(true)
    expect(s[0]?.regularStart).toBe('2023-09-15')
  })

  it('a first coupon date on the cycle gives a long first coupon over two notional periods', () => {
    // The ISDA 1999 Actual/Actual memo's long first period (example 3, see day-count.test.ts):
    // interest from 2002-08-15, first coupon 2003-07-15, semi-annual on 15 January / 15 July.
    const s = couponSchedule({
      issueDate: '2002-08-15',
      firstCouponDate: '2003-07-15',
      maturityDate: '2005-07-15',
      frequency: 'semi-annual',
      businessDayConvention: 'unadjusted'
    })
    expect(accruals(s)).toEqual([
      '2002-08-15→2003-07-15',
      '2003-07-15→2004-01-15',
      '2004-01-15→2004-07-15',
      '2004-07-15→2005-01-15',
      '2005-01-15→2005-07-15'
    ])
    const first = s[0]!
    expect(first.isStub).toBe(true)
    expect([first.regularStart, first.regularEnd]).toEqual(['2003-01-15', '2003-07-15'])
    expect(first.notionalPeriods).toEqual([
      { start: '2002-07-15', end: '2003-01-15', frequency: 2 },
      { start: '2003-01-15', end: '2003-07-15', frequency: 2 }
    ])
    // Published figure 0.915760869565 = 153/(2×184) + 181/(2×181) = 337/368.
    expect(parts('ACT/ACT-ICMA', first.accrualStart, first.accrualEnd, first.notionalPeriods)).toBe('337/368')
    expect(yearFraction('ACT/ACT-ICMA', first.accrualStart, first.accrualEnd, first.notionalPeriods).toFixed(12)).toBe(
      '0.915760869565'
    )
    // The ISDA memo's second period is then a regular half year: 0.5.
    expect(parts('ACT/ACT-ICMA', s[1]!.accrualStart, s[1]!.accrualEnd, s[1]!.notionalPeriods)).toBe('1/2')
  })

  it('a long first coupon on an end-of-month cycle matches QuantLib', () => {
    // QuantLib test-suite/daycounters.cpp, DayCounterTest::testActualActualWithSchedule: issue
    // 2017-01-17, first coupon 2017-08-31, maturity 2026-02-28, semi-annual, end of month. The
    // quasi-coupon dates are 2016-08-31 and 2017-02-28, and the first coupon's ACT/ACT (ISMA)
    // fraction is 0.6160220994 (42/(2×181) + 1/2); interest accrued to 2017-01-29 is
    // 12/362 = 0.03314917127071823.
    const s = couponSchedule({
      issueDate: '2017-01-17',
      firstCouponDate: '2017-08-31',
      maturityDate: '2026-02-28',
      frequency: 'semi-annual',
      endOfMonth: true,
      businessDayConvention: 'unadjusted'
    })
    const first = s[0]!
    expect(first.notionalPeriods.map((p) => [p.start, p.end])).toEqual([
      ['2016-08-31', '2017-02-28'],
      ['2017-02-28', '2017-08-31']
    ])
    const t = yearFraction('ACT/ACT-ICMA', first.accrualStart, first.accrualEnd, first.notionalPeriods)
    expect(t.minus('0.6160220994').abs().lte('1e-10')).toBe(true)
    expect(parts('ACT/ACT-ICMA', first.accrualStart, first.accrualEnd, first.notionalPeriods)).toBe('223/362')
    const accrued = yearFraction('ACT/ACT-ICMA', first.accrualStart, '2017-01-29', first.notionalPeriods)
    expect(accrued.minus('0.03314917127071823').abs().lte('1e-16')).toBe(true)
    expect(accrualsOf(s, 3)).toEqual(['2017-08-31→2018-02-28', '2018-02-28→2018-08-31', '2018-08-31→2019-02-28'])
    expect(s[s.length - 1]?.accrualEnd).toBe('2026-02-28')
  })

  it("a long first coupon's notional periods follow the schedule's own end-of-month rule", () => {
    // Quarterly, maturity 2027-09-30 (a month end), first coupon 2025-09-30, issued 2025-05-15.
    const terms = {
      issueDate: '2025-05-15',
      firstCouponDate: '2025-09-30',
      maturityDate: '2027-09-30',
      frequency: 'quarterly'
    } as const
    const keep30 = couponSchedule({ ...terms, endOfMonth: false })[0]!
    expect(keep30.notionalPeriods.map((p) => p.start)).toEqual(['2025-03-30', '2025-06-30'])
    // 46 days of the 92-day 2025-03-30 → 2025-06-30, then a full quarter: 46/368 + 1/4 = 3/8.
    expect(parts('ACT/ACT-ICMA', keep30.accrualStart, keep30.accrualEnd, keep30.notionalPeriods)).toBe('3/8')
    const monthEnds = couponSchedule({ ...terms, endOfMonth: true })[0]!
    expect(monthEnds.notionalPeriods.map((p) => p.start)).toEqual(['2025-03-31', '2025-06-30'])
    // 46 days of the 91-day 2025-03-31 → 2025-06-30: 46/364 + 1/4 = 137/364.
    expect(parts('ACT/ACT-ICMA', monthEnds.accrualStart, monthEnds.accrualEnd, monthEnds.notionalPeriods)).toBe('137/364')
  })

  it('a first coupon date one whole period after issue is a regular first period', () => {
    const s = couponSchedule({
      issueDate: '2024-03-15',
      firstCouponDate: '2024-09-15',
      maturityDate: '2029-03-15',
      frequency: 'semi-annual'
    })
    expect(s).toHaveLength(10)
    expect(s[0]?.isStub).toBe(false)
    expect(s[0]?.notionalPeriods).toHaveLength(1)
  })

  it('a first coupon date can also make a short first coupon', () => {
    const s = couponSchedule({
      issueDate: '2024-06-01',
      firstCouponDate: '2024-09-15',
      maturityDate: '2029-03-15',
      frequency: 'semi-annual'
    })
    expect(s).toHaveLength(10)
    expect(s[0]).toMatchObject({ accrualStart: '2024-06-01', accrualEnd: '2024-09-15', isStub: true })
    expect(s[0]?.notionalPeriods).toHaveLength(1)
  })
})

describe('end-of-month rule: maturity 2026-02-28 (a Saturday), semi-annual, issued 2024-02-29', () => {
  const terms = {
    issueDate: '2024-02-29',
    maturityDate: '2026-02-28',
    frequency: 'semi-annual',
    businessDayConvention: 'unadjusted'
  } as const

  it('with endOfMonth every coupon date is a month end', () => {
    const s = couponSchedule({ ...terms, endOfMonth: true })
    expect(accruals(s)).toEqual([
      '2024-02-29→2024-08-31',
      '2024-08-31→2025-02-28',
      '2025-02-28→2025-08-31',
      '2025-08-31→2026-02-28'
    ])
    expect(s.every((p) => !p.isStub)).toBe(true)
  })

  it("without it coupon dates keep maturity's 28th, and the issue date gives a short stub", () => {
    const s = couponSchedule({ ...terms, endOfMonth: false })
    expect(accruals(s)).toEqual([
      '2024-02-29→2024-08-28',
      '2024-08-28→2025-02-28',
      '2025-02-28→2025-08-28',
      '2025-08-28→2026-02-28'
    ])
    expect(s[0]).toMatchObject({ isStub: true, regularStart: '2024-02-28', regularEnd: '2024-08-28' })
  })

  it('is ignored when maturity is not a month end', () => {
    const s = couponSchedule({ ...terms, maturityDate: '2026-02-27', endOfMonth: true })
    expect(s.map((p) => p.accrualEnd)).toEqual(['2024-08-27', '2025-02-27', '2025-08-27', '2026-02-27'])
  })

  it('moves month-end payments per convention', () => {
    const base = { ...terms, endOfMonth: true }
    // 2025-08-31 is a Sunday and 2026-02-28 a Saturday.
    expect(payments(couponSchedule({ ...base, businessDayConvention: 'following' })).slice(2)).toEqual([
      '2025-09-01',
      '2026-03-02'
    ])
    expect(payments(couponSchedule({ ...base, businessDayConvention: 'modified-following' })).slice(2)).toEqual([
      '2025-08-29',
      '2026-02-27'
    ])
    expect(payments(couponSchedule({ ...base, businessDayConvention: 'preceding' })).slice(2)).toEqual([
      '2025-08-29',
      '2026-02-27'
    ])
  })
})

describe('roll dates are computed from maturity, so clamping does not drift', () => {
  it('a 31st maturity comes back to the 31st after a 30-day month', () => {
    const s = couponSchedule({
      issueDate: '2025-05-31',
      maturityDate: '2026-05-31',
      frequency: 'quarterly',
      businessDayConvention: 'unadjusted'
    })
    expect(s.map((p) => p.accrualEnd)).toEqual(['2025-08-31', '2025-11-30', '2026-02-28', '2026-05-31'])
    expect(s.every((p) => !p.isStub)).toBe(true)
  })

  it('monthly coupons from a 30th maturity keep the 30th after February', () => {
    const s = couponSchedule({
      issueDate: '2024-12-30',
      maturityDate: '2025-04-30',
      frequency: 'monthly',
      businessDayConvention: 'unadjusted'
    })
    expect(s.map((p) => p.accrualEnd)).toEqual(['2025-01-30', '2025-02-28', '2025-03-30', '2025-04-30'])
  })

  it('an annual bond shorter than a year is one short period', () => {
    const s = couponSchedule({ issueDate: '2025-06-01', maturityDate: '2026-03-15', frequency: 'annual' })
    expect(s).toHaveLength(1)
    expect(s[0]).toMatchObject({ accrualStart: '2025-06-01', accrualEnd: '2026-03-15', regularStart: '2025-03-15', isStub: true })
  })
})

describe('business day adjustment', () => {
  it('across a weekend', () => {
    // 2024-09-15 is a Sunday.
    expect(adjustBusinessDay('2024-09-15', 'unadjusted')).toBe('2024-09-15')
    expect(adjustBusinessDay('2024-09-15', 'following')).toBe('2024-09-16')
    expect(adjustBusinessDay('2024-09-15', 'modified-following')).toBe('2024-09-16')
    expect(adjustBusinessDay('2024-09-15', 'preceding')).toBe('2024-09-13')
    // A business day stays put under every convention.
    for (const c of BUSINESS_DAY_CONVENTIONS) expect(adjustBusinessDay('2025-09-15', c)).toBe('2025-09-15')
  })

  it('across a weekend and a holiday', () => {
    // 2025-03-15 is a Saturday; Monday 17th and Friday 14th are holidays.
    const holidays = ['2025-03-14', '2025-03-17']
    expect(adjustBusinessDay('2025-03-15', 'following', holidays)).toBe('2025-03-18')
    expect(adjustBusinessDay('2025-03-15', 'modified-following', holidays)).toBe('2025-03-18')
    expect(adjustBusinessDay('2025-03-15', 'preceding', holidays)).toBe('2025-03-13')
    expect(adjustBusinessDay('2025-03-15', 'unadjusted', holidays)).toBe('2025-03-15')
    // A holiday on a weekday: Christmas Day and Boxing Day 2025 (Thursday, Friday).
    const christmas = new Set(['2025-12-25', '2025-12-26'])
    expect(adjustBusinessDay('2025-12-25', 'following', christmas)).toBe('2025-12-29')
    expect(adjustBusinessDay('2025-12-25', 'preceding', christmas)).toBe('2025-12-24')
    expect(adjustBusinessDay('2025-12-25', 'modified-following', christmas)).toBe('2025-12-29')
  })

  it('modified following goes back at a month end', () => {
    // 2026-05-31 is a Sunday: following is Monday 1 June, so modified following takes Friday 29 May…
    expect(adjustBusinessDay('2026-05-31', 'following')).toBe('2026-06-01')
    expect(adjustBusinessDay('2026-05-31', 'modified-following')).toBe('2026-05-29')
    // …or Thursday 28 May when the 29th is a holiday.
    expect(adjustBusinessDay('2026-05-31', 'modified-following', ['2026-05-29'])).toBe('2026-05-28')
    // Across a year end: 2028-12-31 is a Sunday; following is 2029-01-01, a holiday here → 2029-01-02.
    expect(adjustBusinessDay('2028-12-31', 'following', ['2029-01-01'])).toBe('2029-01-02')
    expect(adjustBusinessDay('2028-12-31', 'modified-following', ['2029-01-01'])).toBe('2028-12-29')
  })

  it('applies the holiday list to the schedule, for each convention', () => {
    const terms = {
      issueDate: '2024-03-15',
      maturityDate: '2029-03-15',
      frequency: 'semi-annual',
      holidays: ['2025-03-17', '2027-09-15']
    } as const
    const expected: Record<BusinessDayConvention, [string, string]> = {
      // [payment for 2025-03-15 (Sat, Monday a holiday), payment for 2027-09-15 (a Wednesday holiday)]
      unadjusted: ['2025-03-15', '2027-09-15'],
      following: ['2025-03-18', '2027-09-16'],
      'modified-following': ['2025-03-18', '2027-09-16'],
      preceding: ['2025-03-14', '2027-09-14']
    }
    for (const c of BUSINESS_DAY_CONVENTIONS) {
      const s = couponSchedule({ ...terms, businessDayConvention: c })
      expect([s[1]?.paymentDate, s[6]?.paymentDate], c).toEqual(expected[c])
      expect([s[1]?.accrualEnd, s[6]?.accrualEnd]).toEqual(['2025-03-15', '2027-09-15'])
    }
  })

  it('knows weekends and business days', () => {
    expect(isWeekend('2026-02-28')).toBe(true)
    expect(isWeekend('2026-03-02')).toBe(false)
    expect(isBusinessDay('2025-12-25', toHolidaySet(['2025-12-25']))).toBe(false)
    expect(isBusinessDay('2025-12-24', toHolidaySet(['2025-12-25']))).toBe(true)
  })

  it('rejects an unknown convention or a holiday that is not a date', () => {
    expect(() => adjustBusinessDay('2024-09-15', 'nearest' as BusinessDayConvention)).toThrow(/Unknown business day convention/)
    expect(() => adjustBusinessDay('2024-09-15', 'following', ['2024-13-01'])).toThrow(/Holiday is not a YYYY-MM-DD date: 2024-13-01/)
    expect(() => adjustBusinessDay('15/09/2024', 'following')).toThrow(RangeError)
  })
})

describe('validation', () => {
  const terms = { issueDate: '2024-03-15', maturityDate: '2029-03-15', frequency: 'semi-annual' } as const

  it('needs maturity after issue', () => {
    expect(() => couponSchedule({ ...terms, maturityDate: '2024-03-15' })).toThrow(
      'The maturity date (2024-03-15) must be after the issue date (2024-03-15).'
    )
    expect(() => couponSchedule({ ...terms, maturityDate: '2023-03-15' })).toThrow(RangeError)
  })

  it('needs the first coupon date strictly between issue and maturity', () => {
    for (const firstCouponDate of ['2024-03-15', '2023-09-15', '2029-03-15']) {
      expect(() => couponSchedule({ ...terms, firstCouponDate })).toThrow(/must be after the issue date .* and before the maturity date/)
    }
  })

  it('needs the first coupon date on the cycle that ends at maturity', () => {
    expect(() => couponSchedule({ ...terms, firstCouponDate: '2024-10-01' })).toThrow(
      'The first coupon date must fall on the coupon cycle that ends at maturity (2029-03-15, every 6 months): ' +
        '2024-10-01 is not a coupon date; the nearest are 2024-09-15 and 2025-03-15.'
    )
    // With the end-of-month rule, 2024-08-28 is off a cycle of month ends.
    expect(() =>
      couponSchedule({ issueDate: '2024-01-10', maturityDate: '2026-02-28', frequency: 'semi-annual', endOfMonth: true, firstCouponDate: '2024-08-28' })
    ).toThrow(/every 6 months, on month ends\): 2024-08-28 is not a coupon date; the nearest are 2024-02-29 and 2024-08-31/)
  })

  it('rejects bad dates, frequencies and conventions', () => {
    expect(() => couponSchedule({ ...terms, issueDate: '2024-02-30' })).toThrow(RangeError)
    expect(() => couponSchedule({ ...terms, firstCouponDate: '' })).toThrow(RangeError)
    expect(() => couponSchedule({ ...terms, frequency: 'biennial' as CouponFrequency })).toThrow(/Unknown coupon frequency/)
    expect(() => couponSchedule({ ...terms, businessDayConvention: 'nearest' as BusinessDayConvention })).toThrow(RangeError)
    expect(() => couponSchedule({ ...terms, holidays: ['someday'] })).toThrow(/Holiday is not a YYYY-MM-DD date/)
  })

  it('accepts null for no first coupon date', () => {
    expect(couponSchedule({ ...terms, firstCouponDate: null })).toHaveLength(10)
  })
})

function accrualsOf(s: CouponPeriod[], n: number): string[] {
  return accruals(s.slice(1, 1 + n))
}
