/**
 * Coupon and accrued amounts: the exact rational, rounded once half-up (COUPON_ROUNDING).
 *
 * The expected figures come from test/support/coupon-reference.ts, worked out independently
 * of src/core/bonds: day counts from calendar arithmetic on Date.UTC, rates from the decimal
 * text by hand, products and the half-up division in BigInt.
 */
import Decimal from 'decimal.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { accruedAmount, couponAmount, seriesSchedule, type Period, type SeriesTerms } from '../../../src/core/bonds/coupons'
import { yearFraction, yearFractionRational, type DayCountConvention } from '../../../src/core/bonds/day-count'
import { divideRounded, mulRational, parseDecimalRational, rational, roundRational } from '../../../src/shared/rational'
import { dayNo, fromDayNo, halfUp, plusMonths, referenceCoupon } from '../../support/coupon-reference'

// ---------------------------------------------------------------------------
// Terms
// ---------------------------------------------------------------------------

const percentToFraction = (p: string) => new Decimal(p).div(100).toString()

function terms(o: Partial<SeriesTerms> & { couponPercent?: string; taxPercent?: string } = {}): SeriesTerms {
  const { couponPercent = '12.5', taxPercent = '10', ...rest } = o
  return {
    id: 1,
    faceValueMinor: 150_000,
    couponRate: percentToFraction(couponPercent),
    withholdingTaxRate: percentToFraction(taxPercent),
    frequency: 'monthly',
    dayCount: 'ACT/360',
    issueDate: '2026-04-01',
    maturityDate: '2027-04-01',
    firstCouponDate: null,
    endOfMonth: false,
    businessDay: 'unadjusted',
    ...rest
  }
}

const first = (s: SeriesTerms): Period => seriesSchedule(s, new Set())[0]!

describe('the exact half: 1562.5 minor units', () => {
  // 1,500.00 at 12.5% for 30 days on ACT/360: 150000 x 1/8 x 30/360 = 1562.5 exactly.
  const s = terms()
  const p = first(s)

  it('is stored as 1563 (half-up, once), not 1562', () => {
    expect([p.accrualStart, p.accrualEnd]).toEqual(['2026-04-01', '2026-05-01'])
    expect(couponAmount(s, 1, p, p.accrualStart)).toEqual({ grossMinor: 1563, taxMinor: 156, netMinor: 1407 })
  })

  it('was one unit short when the year fraction was cut to 40 digits first (the old way)', () => {
    // The old code: a 40-digit year fraction, then products at 50 significant digits, then half-up.
    const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP })
    const cut = new D(150_000).times('0.125').times(yearFraction('ACT/360', p.accrualStart, p.accrualEnd).toString())
    expect(cut.lessThan('1562.5')).toBe(true)
    expect(cut.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber()).toBe(1562)
    expect(yearFractionRational('ACT/360', p.accrualStart, p.accrualEnd)).toEqual({ numerator: 1n, denominator: 12n })
  })

  it('rounds a tax that is exactly a half up too: 50% of 1563 is 781.5 -> 782', () => {
    expect(couponAmount(terms({ taxPercent: '50' }), 1, p, p.accrualStart)).toEqual({ grossMinor: 1563, taxMinor: 782, netMinor: 781 })
  })

  it('accrued interest over the same days is 1563 as well, and a half of a half rounds once', () => {
    const schedule = seriesSchedule(s, new Set())
    // To 1 May is the whole period; accrued is asked inside a period, so ask the next day of the next period:
    expect(accruedAmount(s, 1, schedule, '2026-04-01', '2026-04-30').accruedMinor).toBe(Number(halfUp(150_000n * 29n, 8n * 360n)))
    // 15 days: 781.25 -> 781; 3 units: 2343.75 -> 2344 (rounded once on the total, not 3 x 781).
    expect(accruedAmount(s, 1, schedule, '2026-04-01', '2026-04-16').accruedMinor).toBe(781)
    expect(accruedAmount(s, 3, schedule, '2026-04-01', '2026-04-16').accruedMinor).toBe(2344)
  })
})

describe('couponAmount equals the half-up rounding of the exact rational (property)', () => {
  const DAY_COUNTS: DayCountConvention[] = ['30/360', '30E/360', 'ACT/360', 'ACT/365F', 'ACT/ACT-ISDA', 'ACT/ACT-ICMA']
  const percentArb = (allowZero: boolean) =>
    fc
      .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 4 }))
      .map(([whole, frac, places]) => {
        if (whole === 100 || places === 0) return String(whole)
        const f = String(frac).padStart(4, '0').slice(0, places)
        return `${whole}.${f}`
      })
      .filter((p) => allowZero || /[1-9]/.test(p))
  const dateArb = fc.integer({ min: dayNo('1990-01-01'), max: dayNo('2060-12-31') }).map(fromDayNo)

  it('for random face value, units, rates, day count, frequency and dates', () => {
    fc.assert(
      fc.property(
        fc.record({
          faceValueMinor: fc.oneof(fc.integer({ min: 1, max: 1_000_000_000 }), fc.constantFrom(100, 100_000, 150_000, 1_000_000)),
          couponPercent: percentArb(false),
          taxPercent: percentArb(true),
          dayCount: fc.constantFrom(...DAY_COUNTS),
          frequency: fc.constantFrom('monthly', 'quarterly', 'semi-annual', 'annual' as const),
          issueDate: dateArb,
          years: fc.integer({ min: 1, max: 5 }),
          extraDays: fc.integer({ min: 0, max: 300 }),
          endOfMonth: fc.boolean(),
          units: fc.integer({ min: 1, max: 100_000 }),
          pick: fc.nat(),
          buyAfter: fc.nat({ max: 400 })
        }),
        (r) => {
          const maturityDate = fromDayNo(dayNo(plusMonths(r.issueDate, r.years * 12)) + r.extraDays)
          const s = terms({
            faceValueMinor: r.faceValueMinor,
            couponPercent: r.couponPercent,
            taxPercent: r.taxPercent,
            dayCount: r.dayCount,
            frequency: r.frequency,
            issueDate: r.issueDate,
            maturityDate,
            endOfMonth: r.endOfMonth
          })
          const schedule = seriesSchedule(s, new Set())
          const p = schedule[r.pick % schedule.length]!
          const from = fromDayNo(Math.min(dayNo(p.accrualStart) + (r.buyAfter % 40), dayNo(p.accrualEnd) - 1))
          const got = couponAmount(s, r.units, p, from)
          const want = referenceCoupon(
            { ...r, maturityDate, couponPercent: r.couponPercent, taxPercent: r.taxPercent },
            r.units,
            from,
            p.accrualEnd
          )
          expect(got).toEqual(want)
        }
      ),
      { numRuns: 3000 }
    )
  })

  it('for terms built to land on an exact half (gross = k + 1/2 minor units)', () => {
    // ACT/360 over d days: gross = units x face x rate x d/360. Choose face so that it is k + 0.5.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(28, 29, 30, 31, 91, 92), fc.integer({ min: 1, max: 20 }), (k, days, units) => {
        // face = (2k + 1) x 1440 at 12.5%: face x 1/8 x days/360 x units = (2k + 1) x days x units / 2,
        // a half whenever days x units is odd.
        const face = (2 * k + 1) * 1440
        const s = terms({ faceValueMinor: face, couponPercent: '12.5', dayCount: 'ACT/360' })
        const p: Period = {
          accrualStart: '2026-01-01',
          accrualEnd: fromDayNo(dayNo('2026-01-01') + days),
          paymentDate: fromDayNo(dayNo('2026-01-01') + days),
          regularStart: '2026-01-01',
          regularEnd: fromDayNo(dayNo('2026-01-01') + days),
          isStub: false
        }
        // Exact value: face/8 x days/360 x units = (2k+1) x days x units / 2.
        const exact = rational(BigInt((2 * k + 1) * days * units), 2n)
        const got = couponAmount(s, units, p, p.accrualStart).grossMinor
        expect(BigInt(got)).toBe(roundRational(exact, 'half-up'))
        if (exact.denominator === 2n) expect(BigInt(got) * 2n).toBe(exact.numerator + 1n) // a half, rounded up
      })
    )
  })
})

describe('amounts that do not fit', () => {
  it('a coupon beyond Number.MAX_SAFE_INTEGER minor units is a RangeError, never a rounded float', () => {
    const s = terms({ faceValueMinor: 1_000_000_000_000, couponPercent: '100', frequency: 'annual', dayCount: 'ACT/365F' })
    const p = first(s)
    expect(() => couponAmount(s, 10_000_000, p, p.accrualStart)).toThrow(/beyond the largest amount Coffer stores exactly/)
    expect(couponAmount(s, 9_000, p, p.accrualStart).grossMinor).toBe(9_000_000_000_000_000)
  })

  it('units that are not a safe whole number are refused', () => {
    const s = terms()
    const p = first(s)
    for (const units of [0, -1, 1.5, Number.NaN, 2 ** 60]) {
      expect(() => couponAmount(s, units, p, p.accrualStart)).toThrow(RangeError)
    }
  })

  it('rates outside (0, 100%] for the coupon and [0, 100%] for the tax are refused by the amount code too', () => {
    const p = first(terms())
    expect(() => couponAmount({ ...terms(), couponRate: '1.5' }, 1, p, p.accrualStart)).toThrow(/at most 100%/)
    expect(() => couponAmount({ ...terms(), couponRate: '0' }, 1, p, p.accrualStart)).toThrow(/more than 0%/)
    expect(() => couponAmount({ ...terms(), withholdingTaxRate: '1.01' }, 1, p, p.accrualStart)).toThrow(/withholding tax rate/)
    expect(() => couponAmount({ ...terms(), withholdingTaxRate: '-0.1' }, 1, p, p.accrualStart)).toThrow(/withholding tax rate/)
    expect(() => couponAmount({ ...terms(), couponRate: '0.1x' }, 1, p, p.accrualStart)).toThrow(/not a decimal number/)
    expect(couponAmount({ ...terms(), couponRate: '1', withholdingTaxRate: '1' }, 1, p, p.accrualStart)).toEqual({
      grossMinor: 12_500,
      taxMinor: 12_500,
      netMinor: 0
    })
  })
})

describe('src/shared/rational', () => {
  it('parses stored rate text exactly', () => {
    expect(parseDecimalRational('0.085')).toEqual({ numerator: 17n, denominator: 200n })
    expect(parseDecimalRational('1e-8')).toEqual({ numerator: 1n, denominator: 100_000_000n })
    expect(parseDecimalRational('-2.50')).toEqual({ numerator: -5n, denominator: 2n })
    expect(parseDecimalRational('0.1')).toEqual({ numerator: 1n, denominator: 10n })
    for (const bad of ['', ' 1', '1,5', 'NaN', 'Infinity', '.5', '1.']) expect(() => parseDecimalRational(bad)).toThrow(RangeError)
  })

  it('rounds by the named rule, exactly, at the half and around it', () => {
    const cases: [bigint, bigint, Record<string, bigint>][] = [
      [3125n, 2n, { 'half-up': 1563n, 'half-even': 1562n, down: 1562n, up: 1563n }],
      [-5n, 2n, { 'half-up': -3n, 'half-even': -2n, down: -2n, up: -3n }],
      [7n, 3n, { 'half-up': 2n, 'half-even': 2n, down: 2n, up: 3n }],
      [8n, 3n, { 'half-up': 3n, 'half-even': 3n, down: 2n, up: 3n }],
      [10n ** 30n + 1n, 2n * 10n ** 14n, { 'half-up': 5_000_000_000_000_000n, down: 5_000_000_000_000_000n, up: 5_000_000_000_000_001n }]
    ]
    for (const [n, d, want] of cases) {
      for (const [mode, v] of Object.entries(want)) expect(divideRounded(n, d, mode as 'half-up')).toBe(v)
    }
    expect(mulRational(rational(1, 3), 3)).toEqual({ numerator: 1n, denominator: 1n })
    expect(() => rational(1, 0)).toThrow(RangeError)
    expect(() => roundRational(rational(1, 2), 'nearest' as 'half-up')).toThrow(/Unknown rounding/)
  })
})
