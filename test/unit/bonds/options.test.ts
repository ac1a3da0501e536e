/**
 * The pure bond modules check their options and never fall back to a default for a
 * misspelt or missing one: a RangeError (unknown or missing) or TypeError (wrong type)
 * that names the option.
 */
import { describe, expect, it } from 'vitest'
import { accruedAmount, couponAmount, seriesSchedule, type Period, type SeriesTerms } from '../../../src/core/bonds/coupons'
import { yearFraction, yearFractionRational } from '../../../src/core/bonds/day-count'
import { couponSchedule, type CouponScheduleTerms } from '../../../src/core/bonds/schedule'

const terms: CouponScheduleTerms = { issueDate: '2024-03-15', maturityDate: '2029-03-15', frequency: 'semi-annual' }

describe('couponSchedule options', () => {
  it('refuses a misspelt option instead of using the default (businessDay for businessDayConvention)', () => {
    const misspelt = { ...terms, businessDay: 'preceding' } as unknown as CouponScheduleTerms
    expect(() => couponSchedule(misspelt)).toThrow(RangeError)
    expect(() => couponSchedule(misspelt)).toThrow(/Unknown coupon schedule option "businessDay"/)
    expect(() => couponSchedule({ ...terms, endOfmonth: true } as unknown as CouponScheduleTerms)).toThrow(/"endOfmonth"/)
    expect(() => couponSchedule({ ...terms, firstCoupon: '2024-09-15' } as unknown as CouponScheduleTerms)).toThrow(/"firstCoupon"/)
    expect(() => couponSchedule({ ...terms, holiday: ['2024-09-16'] } as unknown as CouponScheduleTerms)).toThrow(/"holiday"/)
  })

  it('refuses a missing required option, naming it', () => {
    for (const key of ['issueDate', 'maturityDate', 'frequency'] as const) {
      const t: Record<string, unknown> = { ...terms }
      delete t[key]
      expect(() => couponSchedule(t as unknown as CouponScheduleTerms)).toThrow(new RegExp(`"${key}" is missing`))
    }
    expect(() => couponSchedule(undefined as unknown as CouponScheduleTerms)).toThrow(TypeError)
  })

  it('refuses an option of the wrong type, naming it', () => {
    expect(() => couponSchedule({ ...terms, endOfMonth: 'yes' } as unknown as CouponScheduleTerms)).toThrow(TypeError)
    expect(() => couponSchedule({ ...terms, endOfMonth: 'yes' } as unknown as CouponScheduleTerms)).toThrow(/"endOfMonth"/)
    expect(() => couponSchedule({ ...terms, businessDayConvention: 1 } as unknown as CouponScheduleTerms)).toThrow(/"businessDayConvention"/)
    expect(() => couponSchedule({ ...terms, issueDate: 20240315 } as unknown as CouponScheduleTerms)).toThrow(/"issueDate"/)
    expect(() => couponSchedule({ ...terms, firstCouponDate: 5 } as unknown as CouponScheduleTerms)).toThrow(/"firstCouponDate"/)
  })

  it('still takes the documented defaults when an optional option is absent or undefined', () => {
    expect(couponSchedule(terms)).toHaveLength(10)
    expect(couponSchedule({ ...terms, businessDayConvention: undefined, endOfMonth: undefined, firstCouponDate: null })).toEqual(
      couponSchedule({ ...terms, businessDayConvention: 'following', endOfMonth: false })
    )
  })
})

describe('yearFraction reference period options', () => {
  const ref = { start: '2024-03-15', end: '2024-09-15' }
  it('refuses an unknown or missing key, naming it', () => {
    for (const fn of [yearFraction, yearFractionRational]) {
      expect(() => fn('ACT/ACT-ICMA', '2024-03-15', '2024-06-15', { ...ref, freq: 2 } as never)).toThrow(/Unknown reference period option "freq"/)
      expect(() => fn('ACT/ACT-ICMA', '2024-03-15', '2024-06-15', { ...ref, eom: true } as never)).toThrow(/"eom"/)
      expect(() => fn('ACT/ACT-ICMA', '2024-03-15', '2024-06-15', { start: '2024-03-15' } as never)).toThrow(/"end" is missing/)
      expect(() => fn('ACT/ACT-ICMA', '2024-03-15', '2024-06-15', [ref, { ...ref, Start: 'x' }] as never)).toThrow(/"Start"/)
    }
  })
  it('refuses an option of the wrong type', () => {
    expect(() => yearFraction('ACT/ACT-ICMA', '2024-03-15', '2024-06-15', { ...ref, endOfMonth: 'no' } as never)).toThrow(TypeError)
    expect(() => yearFraction('ACT/ACT-ICMA', '2024-03-15', '2024-06-15', { ...ref, frequency: '2' } as never)).toThrow(/"frequency"/)
    expect(() => yearFraction('ACT/ACT-ICMA', '2024-03-15', '2024-06-15', 'semi-annual' as never)).toThrow(TypeError)
  })
  it('accepts the documented keys', () => {
    expect(yearFractionRational('ACT/ACT-ICMA', '2024-03-15', '2024-09-15', { ...ref, frequency: 2, endOfMonth: false })).toEqual({
      numerator: 1n,
      denominator: 2n
    })
  })
})

describe('coupon amount options', () => {
  const s: SeriesTerms = {
    id: 1,
    faceValueMinor: 100_000,
    couponRate: '0.12',
    withholdingTaxRate: '0.15',
    frequency: 'monthly',
    dayCount: '30/360',
    issueDate: '2026-01-01',
    maturityDate: '2027-01-01',
    firstCouponDate: null,
    endOfMonth: false,
    businessDay: 'unadjusted'
  }
  const schedule = seriesSchedule(s, new Set())
  const p = schedule[0]!

  it('refuses unknown, missing or ill-typed series terms, naming the option', () => {
    expect(() => couponAmount({ ...s, taxRate: '0.1' } as never, 1, p, p.accrualStart)).toThrow(/Unknown series terms option "taxRate"/)
    const { withholdingTaxRate: _omit, ...noTax } = s
    expect(() => couponAmount(noTax as never, 1, p, p.accrualStart)).toThrow(/"withholdingTaxRate" is missing/)
    expect(() => couponAmount({ ...s, endOfMonth: 0 } as never, 1, p, p.accrualStart)).toThrow(/"endOfMonth"/)
    expect(() => couponAmount({ ...s, dayCount: 'ACT/365' } as never, 1, p, p.accrualStart)).toThrow(/Unknown day count convention/)
    expect(() => seriesSchedule({ ...s, bussinessDay: 'following' } as never, new Set())).toThrow(/"bussinessDay"/)
    expect(() => accruedAmount({ ...s, faceValue: 1 } as never, 1, schedule, '2026-01-01', '2026-01-10')).toThrow(/"faceValue"/)
  })

  it('refuses unknown, missing or ill-typed period options, naming the option', () => {
    expect(() => couponAmount(s, 1, { ...p, start: '2026-01-01' } as unknown as Period, p.accrualStart)).toThrow(/Unknown coupon period option "start"/)
    const { regularEnd: _omit, ...noEnd } = p
    expect(() => couponAmount(s, 1, noEnd as Period, p.accrualStart)).toThrow(/"regularEnd" is missing/)
    expect(() => couponAmount(s, 1, { ...p, isStub: 'no' } as unknown as Period, p.accrualStart)).toThrow(/"isStub"/)
    expect(() => couponAmount(s, 1, p, '2026-1-5')).toThrow(RangeError)
    expect(() => accruedAmount(s, 1, schedule, '2026-01-01', 'today')).toThrow(/"asOf"/)
  })
})
