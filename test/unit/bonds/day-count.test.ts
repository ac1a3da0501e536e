import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import {
  DAY_COUNT_CONVENTIONS,
  accrualDays,
  isDayCountConvention,
  yearFraction,
  yearFractionParts,
  type DayCountConvention,
  type ReferencePeriods
} from '../../../src/core/bonds/day-count'

/** Rounded to 12 decimal places, half up, as the published figures are printed. */
const to12 = (d: Decimal): string => d.toDecimalPlaces(12, Decimal.ROUND_HALF_UP).toFixed(12)
/**
 * Within 1e-10 of a published figure: the tolerance QuantLib checks these vectors at. (One
 * figure, 1.001377348600, is the memo's 1.00137734860 padded to 12 places; the exact value
 * 184/365 + 182/366 is 1.0013773486039…, so a 12-place comparison would be wrong there.)
 */
const near = (d: Decimal, published: string): boolean => d.minus(published).abs().lte('1e-10')
const parts = (...args: Parameters<typeof yearFractionParts>): string => {
  const { numerator, denominator } = yearFractionParts(...args)
  return `${numerator}/${denominator}`
}

describe('ACT/ACT: the ISDA worked examples', () => {
  // Source: ISDA, "The Actual/Actual Day Count Fraction" (1999 memo, isda.org
  // "Day-Count-Fracation1999.pdf"), examples 1–5 for the ISDA and ISMA (= ICMA) methods, as
  // carried in QuantLib test-suite/daycounters.cpp, DayCounterTest::testActualActual
  // (figures to 12 decimals; the same vectors are in QLNet's T_DayCounters.cs).
  // The exact fractions in each comment are derived here from the day counts.
  const cases: Array<{
    name: string
    start: string
    end: string
    isda: string
    icma: string
    reference: ReferencePeriods
  }> = [
    // 61 days of 2003 / 365 + 121 days of 2004 / 366; ICMA: 182 / (2 × 182), semi-annual.
    { name: 'example 1: a regular semi-annual period', start: '2003-11-01', end: '2004-05-01',
      isda: '0.497724380567', icma: '0.500000000000', reference: { start: '2003-11-01', end: '2004-05-01' } },
    // 150/365; ICMA: 150 / (1 × 365), annual reference 1998-07-01 → 1999-07-01.
    { name: 'example 2: short first period', start: '1999-02-01', end: '1999-07-01',
      isda: '0.410958904110', icma: '0.410958904110', reference: { start: '1998-07-01', end: '1999-07-01' } },
    // 184/365 + 182/366; ICMA: 366 / (1 × 366).
    { name: 'example 2: the period after it', start: '1999-07-01', end: '2000-07-01',
      isda: '1.001377348600', icma: '1.000000000000', reference: { start: '1999-07-01', end: '2000-07-01' } },
    // 334/365; ICMA, Rule 251 notional periods 2002-07-15 → 2003-01-15 (184 days) and
    // 2003-01-15 → 2003-07-15 (181 days): 153 / (2 × 184) + 181 / (2 × 181).
    { name: 'example 3: long first period', start: '2002-08-15', end: '2003-07-15',
      isda: '0.915068493151', icma: '0.915760869565', reference: { start: '2003-01-15', end: '2003-07-15' } },
    // 170/365 + 14/366; ICMA 184 / (2 × 184).
    { name: 'example 3: the period after it', start: '2003-07-15', end: '2004-01-15',
      isda: '0.504004790778', icma: '0.500000000000', reference: { start: '2003-07-15', end: '2004-01-15' } },
    // 155/365 + 29/366; ICMA 184 / (2 × 184).
    { name: 'example 4: penultimate period', start: '1999-07-30', end: '2000-01-30',
      isda: '0.503892506924', icma: '0.500000000000', reference: { start: '1999-07-30', end: '2000-01-30' } },
    // 152/366; ICMA: 152 / (2 × 182), reference 2000-01-30 → 2000-07-30.
    { name: 'example 4: short final period', start: '2000-01-30', end: '2000-06-30',
      isda: '0.415300546448', icma: '0.417582417582', reference: { start: '2000-01-30', end: '2000-07-30' } }
  ]

  for (const c of cases) {
    it(`${c.name}: ${c.start} → ${c.end}`, () => {
      expect(near(yearFraction('ACT/ACT-ISDA', c.start, c.end), c.isda)).toBe(true)
      expect(near(yearFraction('ACT/ACT-ICMA', c.start, c.end, c.reference), c.icma)).toBe(true)
    })
  }

  it('gives the exact fractions behind those figures', () => {
    // 61/365 + 121/366 = (61·366 + 121·365) / (365·366) = 66491/133590
    expect(parts('ACT/ACT-ISDA', '2003-11-01', '2004-05-01')).toBe('66491/133590')
    expect(parts('ACT/ACT-ICMA', '2003-11-01', '2004-05-01', { start: '2003-11-01', end: '2004-05-01' })).toBe('1/2')
    expect(parts('ACT/ACT-ICMA', '1999-02-01', '1999-07-01', { start: '1998-07-01', end: '1999-07-01' })).toBe('30/73') // 150/365
    // 153/368 + 1/2 = 337/368
    expect(parts('ACT/ACT-ICMA', '2002-08-15', '2003-07-15', { start: '2003-01-15', end: '2003-07-15' })).toBe('337/368')
    expect(parts('ACT/ACT-ISDA', '2002-08-15', '2003-07-15')).toBe('334/365')
    expect(parts('ACT/ACT-ISDA', '2000-01-30', '2000-06-30')).toBe('76/183') // 152/366
    expect(parts('ACT/ACT-ICMA', '2000-01-30', '2000-06-30', { start: '2000-01-30', end: '2000-07-30' })).toBe('38/91') // 152/364
  })
})

describe('ACT/ACT-ICMA reference periods', () => {
  it('takes the long first period as an explicit list of notional periods too', () => {
    const notional = [
      { start: '2002-07-15', end: '2003-01-15', frequency: 2 },
      { start: '2003-01-15', end: '2003-07-15', frequency: 2 }
    ]
    expect(to12(yearFraction('ACT/ACT-ICMA', '2002-08-15', '2003-07-15', notional))).toBe('0.915760869565')
    // Accrued interest to a date inside the first notional period uses that period only: 31 / (2 × 184).
    expect(parts('ACT/ACT-ICMA', '2002-08-15', '2002-09-15', notional)).toBe('31/368')
  })

  it('splits a long final period over notional periods on month ends', () => {
    // QuantLib test-suite/daycounters.cpp, testActualActualIsma (end-of-month, quarterly):
    // 1999-11-30 → 2000-04-30 with the regular period 1999-11-30 → 2000-02-29 expects
    // 91/(91×4) + 61/(92×4) = 92/368 + 61/368; the next notional period is
    // 2000-02-29 → 2000-05-31 (92 days).
    const ref = { start: '1999-11-30', end: '2000-02-29', frequency: 4 }
    expect(parts('ACT/ACT-ICMA', '1999-11-30', '2000-04-30', ref)).toBe('153/368')
    expect(to12(yearFraction('ACT/ACT-ICMA', '1999-11-30', '2000-04-30', ref))).toBe('0.415760869565')
  })

  it('works out the frequency from the reference period when it is not given', () => {
    // Monthly, quarterly, semi-annual and annual regular periods, each fully accrued: 1/f × f = 1 period.
    expect(parts('ACT/ACT-ICMA', '2024-01-31', '2024-02-29', { start: '2024-01-31', end: '2024-02-29' })).toBe('1/12')
    expect(parts('ACT/ACT-ICMA', '2024-02-29', '2024-05-31', { start: '2024-02-29', end: '2024-05-31' })).toBe('1/4')
    expect(parts('ACT/ACT-ICMA', '2024-08-30', '2025-02-28', { start: '2024-08-30', end: '2025-02-28' })).toBe('1/2')
    expect(parts('ACT/ACT-ICMA', '2020-02-29', '2021-02-28', { start: '2020-02-29', end: '2021-02-28' })).toBe('1/1')
    // Half of a 181-day period: 90 / (2 × 181).
    expect(parts('ACT/ACT-ICMA', '2025-03-15', '2025-06-13', { start: '2025-03-15', end: '2025-09-15' })).toBe('45/184')
  })

  it('keeps a 30th coupon day after February when extending notional periods', () => {
    // Coupon day 30: 2003-08-30 → 2004-02-29 is regular; the period before is 2003-02-28 → 2003-08-30
    // (183 days) and 2003-08-01 → 2003-08-30 is 29 days of it: 29/(2×183) + 1/2 = 212/366.
    expect(parts('ACT/ACT-ICMA', '2003-08-01', '2004-02-29', { start: '2003-08-30', end: '2004-02-29' })).toBe('106/183')
  })

  it('is zero for an empty period', () => {
    expect(yearFraction('ACT/ACT-ICMA', '2024-03-15', '2024-03-15', { start: '2024-03-15', end: '2024-09-15' }).isZero()).toBe(true)
  })

  it('rejects a missing, irregular, or broken reference', () => {
    expect(() => yearFraction('ACT/ACT-ICMA', '2024-03-15', '2024-09-15')).toThrow(/reference period/)
    expect(() => yearFraction('ACT/ACT-ICMA', '2024-03-15', '2024-09-15', [])).toThrow(RangeError)
    // Not a whole number of coupon months.
    expect(() => yearFraction('ACT/ACT-ICMA', '2024-03-15', '2024-09-15', { start: '2024-03-15', end: '2024-09-20' })).toThrow(
      /not a regular coupon period of 6 months/
    )
    // Five months is no coupon frequency.
    expect(() => yearFraction('ACT/ACT-ICMA', '2024-03-15', '2024-08-15', { start: '2024-03-15', end: '2024-08-15' })).toThrow(
      /give its coupon frequency/
    )
    // The frequency given does not match the period.
    expect(() =>
      yearFraction('ACT/ACT-ICMA', '2024-03-15', '2024-09-15', { start: '2024-03-15', end: '2024-09-15', frequency: 4 })
    ).toThrow(/3 months/)
    expect(() =>
      yearFraction('ACT/ACT-ICMA', '2024-03-15', '2024-09-15', { start: '2024-03-15', end: '2024-09-15', frequency: 5 })
    ).toThrow(/frequency/)
    // Gaps and mixed frequencies in a list.
    expect(() =>
      yearFraction('ACT/ACT-ICMA', '2024-03-15', '2025-03-15', [
        { start: '2024-03-15', end: '2024-09-15' },
        { start: '2024-09-16', end: '2025-03-16' }
      ])
    ).toThrow(/follow one another/)
    expect(() =>
      yearFraction('ACT/ACT-ICMA', '2024-03-15', '2025-06-15', [
        { start: '2024-03-15', end: '2024-09-15' },
        { start: '2024-09-15', end: '2024-12-15' }
      ])
    ).toThrow(/same coupon frequency/)
    expect(() => yearFraction('ACT/ACT-ICMA', '2024-03-15', '2024-09-15', { start: '2024-09-15', end: '2024-03-15' })).toThrow(
      /must end after it starts/
    )
  })
})

describe('30/360 (bond basis) and 30E/360 (Eurobond basis)', () => {
  // Source: ISDA, "30/360 Day Count Conventions" (2008-12-22), calculation examples of 30/360 and
  // 30E/360 under the 2006 ISDA Definitions §4.16(f) and (g) (the worked-examples spreadsheet),
  // as transcribed in QuantLib test-suite/daycounters.cpp, testThirty360_BondBasis and
  // testThirty360_EurobondBasis. [start, end, 30/360 days, 30E/360 days]; a dash where the source
  // has the pair for one convention only.
  const table: Array<[string, string, number | null, number | null]> = [
    // Example 1: end dates do not involve the last day of February
    ['2006-08-20', '2007-02-20', 180, 180],
    ['2007-02-20', '2007-08-20', 180, 180],
    ['2007-08-20', '2008-02-20', 180, 180],
    ['2008-02-20', '2008-08-20', 180, 180],
    ['2008-08-20', '2009-02-20', 180, 180],
    ['2009-02-20', '2009-08-20', 180, 180],
    // Example 2: end dates include some end-February dates
    ['2006-02-28', '2006-08-31', null, 182],
    ['2006-08-31', '2007-02-28', 178, 178],
    ['2007-02-28', '2007-08-31', 183, 182],
    ['2007-08-31', '2008-02-29', 179, 179],
    ['2008-02-29', '2008-08-31', 182, 181],
    ['2008-08-31', '2009-02-28', 178, 178],
    ['2009-02-28', '2009-08-31', 183, 182],
    ['2009-08-31', '2010-02-28', null, 178],
    ['2010-02-28', '2010-08-31', null, 182],
    ['2010-08-31', '2011-02-28', null, 178],
    ['2011-02-28', '2011-08-31', null, 182],
    ['2011-08-31', '2012-02-29', null, 179],
    // Example 3: miscellaneous calculations
    ['2006-01-31', '2006-02-28', 28, 28],
    ['2006-01-30', '2006-02-28', 28, 28],
    ['2006-02-28', '2006-03-03', 5, 5],
    ['2006-02-14', '2006-02-28', 14, 14],
    ['2006-09-30', '2006-10-31', 30, 30],
    ['2006-10-31', '2006-11-28', 28, 28],
    ['2007-08-31', '2008-02-28', 178, 178],
    ['2008-02-28', '2008-08-28', 180, 180],
    ['2008-02-28', '2008-08-30', 182, 182],
    ['2008-02-28', '2008-08-31', 183, 182],
    ['2007-02-26', '2008-02-28', 362, 362],
    ['2007-02-26', '2008-02-29', 363, 363],
    ['2008-02-29', '2009-02-28', 359, 359],
    ['2008-02-28', '2008-03-30', 32, 32],
    ['2008-02-28', '2008-03-31', 33, 32]
  ]

  /** numerator / denominator = days / 360, exactly. */
  const isOver360 = (r: { numerator: bigint; denominator: bigint }, days: number): boolean =>
    r.numerator * 360n === BigInt(days) * r.denominator

  for (const [start, end, bond, euro] of table) {
    it(`${start} → ${end}: 30/360 ${bond ?? '–'}, 30E/360 ${euro ?? '–'}`, () => {
      if (bond !== null) {
        expect(accrualDays('30/360', start, end)).toBe(bond)
        expect(isOver360(yearFractionParts('30/360', start, end), bond)).toBe(true)
      }
      if (euro !== null) {
        expect(accrualDays('30E/360', start, end)).toBe(euro)
        expect(isOver360(yearFractionParts('30E/360', start, end), euro)).toBe(true)
      }
    })
  }

  it('differs only where the end date is the 31st and the start date is not the 30th or 31st', () => {
    // 4.16(f): D2 = 31 stays 31 unless D1 > 29; 4.16(g): D2 = 31 always becomes 30.
    expect(accrualDays('30/360', '2024-01-15', '2024-03-31')).toBe(76)
    expect(accrualDays('30E/360', '2024-01-15', '2024-03-31')).toBe(75)
    expect(accrualDays('30/360', '2024-01-30', '2024-03-31')).toBe(60)
    expect(accrualDays('30E/360', '2024-01-30', '2024-03-31')).toBe(60)
    expect(accrualDays('30/360', '2024-01-31', '2024-03-31')).toBe(60)
    expect(accrualDays('30E/360', '2024-01-31', '2024-03-31')).toBe(60)
  })

  it('reduces the fraction: a regular half-year is exactly 1/2', () => {
    expect(parts('30/360', '2024-03-15', '2024-09-15')).toBe('1/2')
    expect(yearFraction('30E/360', '2024-03-15', '2024-09-15').toString()).toBe('0.5')
  })
})

describe('ACT/360 and ACT/365F', () => {
  it('divides the actual days by 360 or 365', () => {
    // 2020-02-28 → 2020-03-01 crosses 29 February: 2 days.
    expect(accrualDays('ACT/360', '2020-02-28', '2020-03-01')).toBe(2)
    expect(parts('ACT/360', '2020-02-28', '2020-03-01')).toBe('1/180')
    expect(parts('ACT/365F', '2020-02-28', '2020-03-01')).toBe('2/365')
    // A leap year is 366/365 under ACT/365F and 366/360 under ACT/360.
    expect(parts('ACT/365F', '2020-01-01', '2021-01-01')).toBe('366/365')
    expect(parts('ACT/360', '2020-01-01', '2021-01-01')).toBe('61/60')
    expect(yearFraction('ACT/360', '2024-01-01', '2024-07-01').toString()).toBe('0.5055555555555555555555555555555555555556') // 182/360
  })

  it('rounds a non-terminating fraction at 40 significant digits', () => {
    const oneDay = yearFraction('ACT/360', '2024-01-01', '2024-01-02')
    expect(oneDay.toString()).toBe('0.00' + '2' + '7'.repeat(38) + '8')
    expect(oneDay.sd()).toBe(40)
    expect(parts('ACT/360', '2024-01-01', '2024-01-02')).toBe('1/360')
  })

  it('does not change the global Decimal settings', () => {
    expect(Decimal.precision).toBe(20)
    expect(Decimal.rounding).toBe(Decimal.ROUND_HALF_UP)
  })
})

describe('ACT/ACT-ISDA around leap years', () => {
  it('splits at each 1 January', () => {
    // 2019-12-31 → 2021-01-01: 1 day of 2019 / 365 + 366 days of 2020 / 366 = 1 + 1/365.
    expect(parts('ACT/ACT-ISDA', '2019-12-31', '2021-01-01')).toBe('366/365')
    // All in the leap year 2020, across 29 February: 2/366.
    expect(parts('ACT/ACT-ISDA', '2020-02-28', '2020-03-01')).toBe('1/183')
    // 2020-02-29 → 2021-02-28: 307 days of 2020 / 366 + 58 days of 2021 / 365.
    expect(parts('ACT/ACT-ISDA', '2020-02-29', '2021-02-28')).toBe(`${307 * 365 + 58 * 366}/${366 * 365}`)
    // A whole calendar year is 1, leap or not; 2000 is a leap year, 1900 is not.
    expect(parts('ACT/ACT-ISDA', '2000-01-01', '2001-01-01')).toBe('1/1')
    expect(parts('ACT/ACT-ISDA', '1900-01-01', '1901-01-01')).toBe('1/1')
    expect(parts('ACT/ACT-ISDA', '1900-02-28', '1900-03-01')).toBe('1/365')
  })

  it('handles the last representable year', () => {
    expect(parts('ACT/ACT-ISDA', '9999-12-01', '9999-12-31')).toBe('6/73') // 30/365
  })
})

describe('validation', () => {
  it('lists the six conventions', () => {
    expect(DAY_COUNT_CONVENTIONS).toEqual(['30/360', '30E/360', 'ACT/360', 'ACT/365F', 'ACT/ACT-ISDA', 'ACT/ACT-ICMA'])
    expect(Object.isFrozen(DAY_COUNT_CONVENTIONS)).toBe(true)
    expect(isDayCountConvention('ACT/365F')).toBe(true)
    expect(isDayCountConvention('ACT/365')).toBe(false)
  })

  it('rejects an unknown convention', () => {
    expect(() => yearFraction('ACT/365' as DayCountConvention, '2024-01-01', '2024-02-01')).toThrow(RangeError)
    expect(() => yearFraction('ACT/365' as DayCountConvention, '2024-01-01', '2024-02-01')).toThrow(/Unknown day count convention/)
    expect(() => accrualDays('30/365' as DayCountConvention, '2024-01-01', '2024-02-01')).toThrow(RangeError)
  })

  it('rejects a start after the end, and dates that are not YYYY-MM-DD', () => {
    for (const c of DAY_COUNT_CONVENTIONS) {
      const ref = { start: '2024-01-01', end: '2024-07-01' }
      expect(() => yearFraction(c, '2024-02-01', '2024-01-31', ref)).toThrow(/after the end date/)
      expect(() => yearFraction(c, '2024-02-30', '2024-03-01', ref)).toThrow(RangeError)
      expect(() => accrualDays(c, '2024-1-1', '2024-03-01')).toThrow(RangeError)
      expect(yearFraction(c, '2024-03-01', '2024-03-01', ref).isZero()).toBe(true)
    }
  })
})

describe('ACT/ACT-ICMA notional periods between month ends of 30 days or fewer', () => {
  // Long first coupon 2025-05-15 → 2025-09-30, quarterly, reference 2025-06-30 → 2025-09-30 (92 days).
  it('rolls to month ends by default (end-of-month bond: the period before is 2025-03-31 → 2025-06-30, 91 days)', () => {
    // 46 days of 91 / 4 + 1/4 = 46/364 + 91/364 = 137/364
    expect(parts('ACT/ACT-ICMA', '2025-05-15', '2025-09-30', { start: '2025-06-30', end: '2025-09-30' })).toBe('137/364')
  })

  it('keeps the 30th with endOfMonth: false (the period before is 2025-03-30 → 2025-06-30, 92 days)', () => {
    // 46 days of 92 / 4 + 1/4 = 46/368 + 92/368 = 138/368 = 3/8
    expect(
      parts('ACT/ACT-ICMA', '2025-05-15', '2025-09-30', { start: '2025-06-30', end: '2025-09-30', endOfMonth: false })
    ).toBe('3/8')
  })
})
