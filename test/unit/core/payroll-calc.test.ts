/**
 * The pay calculation (src/core/payroll/calc.ts): worked examples whose figures were
 * computed by hand (and checked with exact fractions), the refusals, and properties
 * against independent BigInt arithmetic written here.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CALENDAR_DAYS_RULE,
  computePay,
  NegativeNetPayError,
  prorationFor,
  type Band,
  type ComponentDef,
  type ComponentRule,
  type PayInput,
  type PayResult
} from '../../../src/core/payroll/calc'
import type { RoundingName } from '../../../src/shared/money'
import { divideRounded, mulRational, parseDecimalRational, rational, roundRational } from '../../../src/shared/rational'

// ---------------------------------------------------------------------------
// Building components
// ---------------------------------------------------------------------------

type Opts = Partial<Omit<ComponentDef, 'rule' | 'kind' | 'code'>>

function earning(code: string, rule: ComponentRule, o: Opts = {}): ComponentDef {
  return { code, name: o.name ?? code, kind: 'earning', taxable: true, preTax: false, prorate: false, rounding: 'half-up', ...o, rule }
}
function deduction(code: string, rule: ComponentRule, o: Opts = {}): ComponentDef {
  return { code, name: o.name ?? code, kind: 'deduction', taxable: false, preTax: false, prorate: false, rounding: 'half-up', ...o, rule }
}
function employer(code: string, rule: ComponentRule, o: Opts = {}): ComponentDef {
  return { code, name: o.name ?? code, kind: 'employer', taxable: false, preTax: false, prorate: false, rounding: 'half-up', ...o, rule }
}
const fixed = (amountMinor: number): ComponentRule => ({ method: 'fixed', amountMinor })
const pct = (ratePercent: string, base: string, more: { capMinor?: number | null; floorMinor?: number | null } = {}): ComponentRule => ({
  method: 'percentage',
  ratePercent,
  base,
  ...more
})
const bands = (table: Band[], base: string, reliefMinor?: number): ComponentRule =>
  reliefMinor === undefined ? { method: 'bands', bands: table, base } : { method: 'bands', bands: table, base, reliefMinor }

function pay(components: ComponentDef[], proration: PayInput['proration'] = null): PayResult {
  return computePay({ currency: 'KES', components, proration })
}
const lineOf = (r: PayResult, code: string) => {
  const l = r.lines.find((x) => x.code === code)
  if (!l) throw new Error(`no line ${code}`)
  return l
}
const amounts = (r: PayResult) => Object.fromEntries(r.lines.map((l) => [l.code, l.amountMinor]))

/** Kenyan monthly PAYE, in cents: 10% to 24,000; 25% to 32,333; 30% to 500,000; 32.5% to 800,000; 35% above. */
const PAYE_BANDS: Band[] = [
  { upToMinor: 2_400_000, ratePercent: '10' },
  { upToMinor: 3_233_300, ratePercent: '25' },
  { upToMinor: 50_000_000, ratePercent: '30' },
  { upToMinor: 80_000_000, ratePercent: '32.5' },
  { upToMinor: null, ratePercent: '35' }
]
const PERSONAL_RELIEF = 240_000

// ---------------------------------------------------------------------------
// Worked examples
// ---------------------------------------------------------------------------

describe('a Kenyan-style payslip: PAYE bands with personal relief, a pension before tax', () => {
  const components = [
    earning('BASIC', fixed(6_123_457), { name: 'Basic salary', prorate: true }),
    earning('HOUSE', pct('15', 'basic'), { name: 'House allowance', prorate: true }),
    earning('MILEAGE', fixed(250_000), { name: 'Mileage', taxable: false }),
    deduction('PENSION', pct('7.5', 'basic'), { name: 'Pension', preTax: true }),
    deduction('PAYE', bands(PAYE_BANDS, 'taxable', PERSONAL_RELIEF), { name: 'PAYE' }),
    deduction('SHIF', pct('2.75', 'gross', { floorMinor: 30_000 }), { name: 'SHIF' }),
    deduction('AHL', pct('1.5', 'gross'), { name: 'Housing levy' }),
    deduction('LOAN', fixed(500_000), { name: 'Society loan' }),
    employer('ER_PENSION', pct('7.5', 'BASIC'), { name: 'Employer pension' }),
    employer('ER_NSSF', bands([{ upToMinor: 800_000, ratePercent: '6' }, { upToMinor: 7_200_000, ratePercent: '6' }], 'gross'), {
      name: 'Employer NSSF'
    })
  ]
  const r = pay(components)

  it('works out every component, once rounded, by hand', () => {
    // HOUSE 15% × 61,234.57 = 9,185.1855 → 918,519 cents (half-up; 918,518.55).
    // PENSION 7.5% × 6,123,457 = 459,259.275 → 459,259.
    // Gross = 6,123,457 + 918,519 + 250,000 = 7,291,976.
    // Taxable = 6,123,457 + 918,519 (mileage is not taxable) − 459,259 = 6,582,717.
    // PAYE = 10% × 2,400,000 + 25% × 833,300 + 30% × 3,349,417 − 240,000
    //      = 240,000 + 208,325 + 1,004,825.1 − 240,000 = 1,213,150.1 → 1,213,150.
    // SHIF 2.75% × 7,291,976 = 200,529.34 → 200,529 (above the 30,000 floor).
    // AHL 1.5% × 7,291,976 = 109,379.64 → 109,380.
    // Employer NSSF: 6% × 800,000 + 6% × 6,400,000 = 432,000; nothing on the 91,976 above 7,200,000.
    expect(amounts(r)).toEqual({
      BASIC: 6_123_457,
      HOUSE: 918_519,
      MILEAGE: 250_000,
      PENSION: 459_259,
      PAYE: 1_213_150,
      SHIF: 200_529,
      AHL: 109_380,
      LOAN: 500_000,
      ER_PENSION: 459_259,
      ER_NSSF: 432_000
    })
    expect(r).toMatchObject({
      grossMinor: 7_291_976,
      taxableMinor: 6_582_717,
      preTaxMinor: 459_259,
      // 459,259 + 1,213,150 + 200,529 + 109,380 + 500,000
      deductionsMinor: 2_482_318,
      netMinor: 4_809_658,
      employerMinor: 891_259
    })
  })

  it('lists earnings, deductions, employer contributions, each in the order given, with their bases', () => {
    expect(r.lines.map((l) => [l.code, l.kind, l.baseMinor])).toEqual([
      ['BASIC', 'earning', null],
      ['HOUSE', 'earning', 6_123_457],
      ['MILEAGE', 'earning', null],
      ['PENSION', 'deduction', 6_123_457],
      ['PAYE', 'deduction', 6_582_717],
      ['SHIF', 'deduction', 7_291_976],
      ['AHL', 'deduction', 7_291_976],
      ['LOAN', 'deduction', null],
      ['ER_PENSION', 'employer', 6_123_457],
      ['ER_NSSF', 'employer', 7_291_976]
    ])
    expect(lineOf(r, 'HOUSE').name).toBe('House allowance')
  })

  it('says how each amount was worked out, in words with plain numbers', () => {
    expect(lineOf(r, 'BASIC').workings).toBe('Fixed amount of KES 61,234.57')
    expect(lineOf(r, 'HOUSE').workings).toBe('15% of KES 61,234.57 basic pay, rounded half-up')
    expect(lineOf(r, 'PAYE').workings).toBe(
      '10% of KES 24,000.00 taxable pay (band 1) + 25% of KES 8,333.00 taxable pay (band 2) + ' +
        '30% of KES 33,494.17 taxable pay (band 3), less relief of KES 2,400.00, rounded half-up'
    )
    expect(lineOf(r, 'ER_PENSION').workings).toBe('7.5% of KES 61,234.57 Basic salary, rounded half-up')
    expect(lineOf(r, 'ER_NSSF').workings).toBe(
      '6% of KES 8,000.00 gross pay (band 1) + 6% of KES 64,000.00 gross pay (band 2); nothing on the KES 919.76 above band 2'
    )
    expect(lineOf(r, 'LOAN').workings).toBe('Fixed amount of KES 5,000.00')
  })

  it('gives no tax below the relief, never a negative tax', () => {
    const low = pay([earning('BASIC', fixed(2_000_000)), deduction('PAYE', bands(PAYE_BANDS, 'taxable', PERSONAL_RELIEF))])
    // 10% × 20,000.00 = 2,000.00 < 2,400.00 relief → 0.
    expect(lineOf(low, 'PAYE')).toMatchObject({ amountMinor: 0, workings: '10% of KES 20,000.00 taxable pay (band 1), less relief of KES 2,400.00, not below 0' })
    expect(low.netMinor).toBe(2_000_000)
  })

  it('never lets pre-tax deductions make taxable pay negative', () => {
    const r2 = pay([
      earning('BASIC', fixed(100_000)),
      earning('MILEAGE', fixed(200_000), { taxable: false }),
      deduction('PENSION', fixed(80_000), { preTax: true }),
      deduction('SACCO', pct('50', 'basic'), { preTax: true }),
      deduction('PAYE', bands(PAYE_BANDS, 'taxable'))
    ])
    // Taxable earnings 1,000.00 less 1,300.00 before tax: 0, not −300.00.
    expect(r2).toMatchObject({ grossMinor: 300_000, preTaxMinor: 130_000, taxableMinor: 0, netMinor: 170_000 })
    expect(lineOf(r2, 'PAYE')).toMatchObject({ amountMinor: 0, baseMinor: 0, workings: 'KES 0.00 taxable pay: nothing in any band' })
  })
})

describe('the named rounding of each component', () => {
  it('differs between half-even and half-up on an exact half, and only there', () => {
    const r = pay([
      earning('BASIC', fixed(100_000)),
      earning('OT', fixed(1_380)),
      earning('OT2', fixed(1_420)),
      // 2.5% × 1,380 = 34.5 exactly: half-up 35, half-even 34 (34 is even).
      deduction('UP', pct('2.5', 'OT'), { rounding: 'half-up' }),
      deduction('EVEN', pct('2.5', 'OT'), { rounding: 'half-even' }),
      // 2.5% × 1,420 = 35.5: both 36 (36 is even).
      deduction('UP2', pct('2.5', 'OT2'), { rounding: 'half-up' }),
      deduction('EVEN2', pct('2.5', 'OT2'), { rounding: 'half-even' }),
      // 2.5% × 1,380 = 34.5 down 34, up 35.
      deduction('DOWN', pct('2.5', 'OT'), { rounding: 'down' }),
      deduction('UPWARD', pct('2.5', 'OT'), { rounding: 'up' })
    ])
    expect(amounts(r)).toMatchObject({ UP: 35, EVEN: 34, UP2: 36, EVEN2: 36, DOWN: 34, UPWARD: 35 })
    expect(lineOf(r, 'EVEN').workings).toBe('2.5% of KES 13.80 OT, rounded half-even')
    expect(r.deductionsMinor).toBe(35 + 34 + 36 + 36 + 34 + 35)
    expect(r.netMinor).toBe(100_000 + 1_380 + 1_420 - r.deductionsMinor)
  })

  it('rounds a pro-rated percentage earning once, from the exact fraction (not the pro-rated base rounded first)', () => {
    // BASIC 1,001 for 1 of 2 days = 500.5 → 501 (half-up).
    // HALF = 50% × 1,001 × 1/2 = 250.25 → 250. Rounding twice would give 50% × 501 = 250.5 → 251.
    const r = pay([earning('BASIC', fixed(1_001), { prorate: true }), earning('HALF', pct('50', 'basic'), { prorate: true })], {
      daysWorked: 1,
      daysInPeriod: 2
    })
    expect(amounts(r)).toEqual({ BASIC: 501, HALF: 250 })
    expect(lineOf(r, 'HALF')).toMatchObject({ baseMinor: 1_001, workings: '50% of KES 10.01 basic pay, for 1 of 2 days, rounded half-up' })
  })

  it('writes no rounding in the workings when the amount was whole', () => {
    const r = pay([earning('BASIC', fixed(100_000)), deduction('P', pct('5', 'basic'))])
    expect(lineOf(r, 'P').workings).toBe('5% of KES 1,000.00 basic pay')
  })
})

describe('caps and floors', () => {
  it('caps a percentage at its cap', () => {
    // 6% × 100,000.00 = 6,000.00, capped at 4,320.00.
    const r = pay([earning('BASIC', fixed(10_000_000)), deduction('NSSF', pct('6', 'gross', { capMinor: 432_000, floorMinor: null }))])
    expect(lineOf(r, 'NSSF')).toMatchObject({ amountMinor: 432_000, baseMinor: 10_000_000, workings: '6% of KES 100,000.00 gross pay, capped at KES 4,320.00' })
    expect(r.netMinor).toBe(10_000_000 - 432_000)
  })

  it('leaves an amount under the cap alone and raises one below the floor', () => {
    const r = pay([
      earning('BASIC', fixed(800_000)),
      deduction('NSSF', pct('6', 'gross', { capMinor: 432_000 })),
      deduction('SHIF', pct('2.75', 'gross', { floorMinor: 30_000 }))
    ])
    // 6% × 8,000.00 = 480.00; 2.75% × 8,000.00 = 220.00, raised to 300.00.
    expect(amounts(r)).toMatchObject({ NSSF: 48_000, SHIF: 30_000 })
    expect(lineOf(r, 'SHIF').workings).toBe('2.75% of KES 8,000.00 gross pay, raised to the floor of KES 300.00')
  })

  it('caps a pro-rated percentage earning per full period, then pro-rates it', () => {
    // 20% × 50,000.00 = 10,000.00, capped at 5,000.00, for 10 of 30 days = 1,666.666… → 1,666.67.
    const r = pay(
      [earning('BASIC', fixed(5_000_000), { prorate: true }), earning('COMMUTE', pct('20', 'basic', { capMinor: 500_000 }), { prorate: true })],
      { daysWorked: 10, daysInPeriod: 30 }
    )
    expect(lineOf(r, 'COMMUTE')).toMatchObject({
      amountMinor: 166_667,
      workings: '20% of KES 50,000.00 basic pay, capped at KES 5,000.00, for 10 of 30 days, rounded half-up'
    })
  })
})

describe('a leaver and a joiner, pro-rated by calendar days', () => {
  it('names its rule', () => {
    expect(CALENDAR_DAYS_RULE).toMatch(/calendar days/)
    expect(CALENDAR_DAYS_RULE).toMatch(/hire date and the leaving date both counted/)
    expect(CALENDAR_DAYS_RULE).toMatch(/rounded once/)
  })

  it('pays a leaver on 12 March for 12 of 31 days of what is pro-rated, and a one-off bonus whole', () => {
    const part = prorationFor({ start: '2025-03-01', end: '2025-03-31' }, '2020-01-15', '2025-03-12')
    expect(part).toEqual({ daysWorked: 12, daysInPeriod: 31 })
    const r = pay(
      [
        earning('BASIC', fixed(6_000_000), { prorate: true }),
        earning('HOUSE', pct('15', 'basic'), { prorate: true }),
        earning('BONUS', fixed(100_000), { prorate: false }),
        deduction('PENSION', pct('5', 'basic'), { preTax: true })
      ],
      part
    )
    // 6,000,000 × 12/31 = 2,322,580.645… → 2,322,581; 900,000 × 12/31 = 348,387.096… → 348,387.
    // Pension on basic as paid: 5% × 2,322,581 = 116,129.05 → 116,129.
    expect(amounts(r)).toEqual({ BASIC: 2_322_581, HOUSE: 348_387, BONUS: 100_000, PENSION: 116_129 })
    expect(r).toMatchObject({ grossMinor: 2_770_968, taxableMinor: 2_770_968 - 116_129, netMinor: 2_770_968 - 116_129 })
    expect(lineOf(r, 'BASIC').workings).toBe('KES 60,000.00 for 12 of 31 days, rounded half-up')
  })

  it('pays a joiner on 17 February 2024 (a leap year) for 13 of 29 days', () => {
    const part = prorationFor({ start: '2024-02-01', end: '2024-02-29' }, '2024-02-17', null)
    expect(part).toEqual({ daysWorked: 13, daysInPeriod: 29 })
    // 6,000,000 × 13/29 = 2,689,655.17… → 2,689,655 half-up, 2,689,656 up.
    const r = pay([earning('BASIC', fixed(6_000_000), { prorate: true }), earning('B2', fixed(6_000_000), { prorate: true, rounding: 'up' })], part)
    expect(amounts(r)).toEqual({ BASIC: 2_689_655, B2: 2_689_656 })
  })

  it('counts the hire and the leaving day, and answers null for a whole period', () => {
    const march = { start: '2025-03-01', end: '2025-03-31' }
    expect(prorationFor(march, '2025-03-01', null)).toBeNull()
    expect(prorationFor(march, '2019-06-30', '2025-03-31')).toBeNull()
    expect(prorationFor(march, '2019-06-30', '2025-04-30')).toBeNull()
    expect(prorationFor(march, '2025-03-31', null)).toEqual({ daysWorked: 1, daysInPeriod: 31 })
    expect(prorationFor(march, '2019-06-30', '2025-03-01')).toEqual({ daysWorked: 1, daysInPeriod: 31 })
    expect(prorationFor(march, '2025-03-10', '2025-03-20')).toEqual({ daysWorked: 11, daysInPeriod: 31 })
    // A fortnight across a month end.
    expect(prorationFor({ start: '2025-01-27', end: '2025-02-09' }, '2025-02-01', null)).toEqual({ daysWorked: 9, daysInPeriod: 14 })
  })

  it('answers 0 days for someone not employed in the period at all', () => {
    const march = { start: '2025-03-01', end: '2025-03-31' }
    expect(prorationFor(march, '2025-04-01', null)).toEqual({ daysWorked: 0, daysInPeriod: 31 })
    expect(prorationFor(march, '2020-01-01', '2025-02-28')).toEqual({ daysWorked: 0, daysInPeriod: 31 })
  })

  it('refuses impossible dates', () => {
    const march = { start: '2025-03-01', end: '2025-03-31' }
    expect(() => prorationFor({ start: '2025-03-31', end: '2025-03-01' }, '2020-01-01', null)).toThrow(/ends \(2025-03-01\) before it starts/)
    expect(() => prorationFor(march, '2025-03-10', '2025-03-09')).toThrow(/leaving date \(2025-03-09\) is before the hire date/)
    expect(() => prorationFor(march, '2025-02-30', null)).toThrow(/hire date must be a date/)
    expect(() => prorationFor(march, '2025-03-01', '')).toThrow(/leaving date must be a date/)
    expect(() => prorationFor({ start: '1 March', end: '2025-03-31' }, '2025-03-01', null)).toThrow(RangeError)
  })
})

// ---------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------

describe('what it refuses, naming the component', () => {
  const basic = earning('BASIC', fixed(100_000))
  const refuses = (components: ComponentDef[], message: RegExp, proration: PayInput['proration'] = null) =>
    expect(() => pay(components, proration)).toThrow(message)

  it('refuses duplicate codes and codes that are names of bases', () => {
    refuses([basic, deduction('X', fixed(1)), employer('X', fixed(1))], /Two components have the code X/)
    refuses([basic, deduction('gross', fixed(1))], /Component gross: "gross" is the name of a base/)
    refuses([basic, deduction(' X', fixed(1))], /code without surrounding spaces/)
  })

  it('refuses a base naming an unknown code or a non-earning', () => {
    refuses([basic, deduction('P', pct('5', 'BASIK'))], /Component P is on "BASIK", which is no component's code/)
    refuses([basic, deduction('LOAN', fixed(1)), deduction('P', pct('5', 'LOAN'))], /Component P is on LOAN, which is a deduction, not an earning/)
    refuses([basic, employer('ER', fixed(1)), deduction('P', bands([{ upToMinor: null, ratePercent: '1' }], 'ER'))], /Component P is on ER, which is an employer contribution/)
    refuses([earning('SALARY', fixed(1)), deduction('P', pct('5', 'basic'))], /Component P is on basic pay, but there is no earning with the code BASIC/)
  })

  it('refuses bases that would go round in a circle', () => {
    refuses([basic, earning('A', pct('10', 'gross'))], /Component A is an earning, so it cannot be a percentage of gross pay/)
    refuses([basic, deduction('P', pct('5', 'taxable'), { preTax: true })], /Component P is taken before tax, so it cannot be on taxable pay/)
    refuses([basic, earning('A', pct('10', 'B')), earning('B', pct('10', 'A'))], /in a circle: A → B → A/)
    refuses([basic, earning('A', pct('10', 'A'))], /Component A cannot be a percentage of itself/)
    refuses([basic, earning('A', bands([{ upToMinor: null, ratePercent: '1' }], 'BASIC'))], /Component A is an earning: .* not a band table/)
  })

  it('refuses bands that do not go strictly upward, an open band that is not last, negative rates', () => {
    const tax = (table: Band[]) => [basic, deduction('PAYE', bands(table, 'taxable'))]
    refuses(tax([{ upToMinor: 100, ratePercent: '10' }, { upToMinor: 100, ratePercent: '20' }]), /Component PAYE, band 2: the upper bound 100 must be above band 1's \(100\)/)
    refuses(tax([{ upToMinor: 200, ratePercent: '10' }, { upToMinor: 100, ratePercent: '20' }]), /band 2: the upper bound 100 must be above band 1's \(200\)/)
    refuses(tax([{ upToMinor: 0, ratePercent: '10' }]), /band 1: the upper bound 0 must be above zero/)
    refuses(tax([{ upToMinor: null, ratePercent: '10' }, { upToMinor: 100, ratePercent: '20' }]), /Component PAYE, band 1 has no upper bound but is not the last band/)
    refuses(tax([{ upToMinor: 100, ratePercent: '-10' }]), /Component PAYE, band 1: the rate must not be negative, got "-10"/)
    refuses(tax([]), /Component PAYE needs at least one band/)
    refuses([basic, deduction('P', pct('-1.5', 'gross'))], /Component P's rate must not be negative, got "-1.5"/)
  })

  it('refuses malformed percentages, never reading them through a float', () => {
    for (const bad of ['7,5', '1e2', ' 7', '7 ', '', '.5', '5.', '+5', 'abc', 'NaN', 'Infinity', '0x10', '1_000']) {
      refuses([basic, deduction('P', pct(bad, 'gross'))], /Component P's rate is not a percentage like "7.5" or "30"/)
    }
    expect(() => pay([basic, deduction('P', pct(7.5 as unknown as string, 'gross'))])).toThrow(TypeError)
    refuses([basic, deduction('T', bands([{ upToMinor: null, ratePercent: '3%' }], 'gross'))], /Component T, band 1: the rate is not a percentage like "7.5" or "30": "3%"/)
  })

  it('refuses money that is not a safe integer of minor units', () => {
    refuses([earning('BASIC', fixed(100.5))], /Component BASIC's amount must be a whole number of minor units, got 100.5/)
    refuses([earning('BASIC', fixed(2 ** 53))], /Component BASIC's amount must be a whole number/)
    refuses([earning('BASIC', fixed(-1))], /Component BASIC's amount must not be negative/)
    refuses([basic, deduction('P', pct('5', 'gross', { capMinor: 10.25 }))], /Component P's cap must be a whole number/)
    refuses([basic, deduction('P', pct('5', 'gross', { capMinor: 10, floorMinor: 20 }))], /Component P: the floor \(20\) is above the cap \(10\)/)
    refuses([basic, deduction('T', bands([{ upToMinor: null, ratePercent: '1' }], 'gross', -5))], /Component T's relief must not be negative/)
    // Each fine alone, too much together.
    refuses([earning('A', fixed(Number.MAX_SAFE_INTEGER)), earning('B', fixed(1))], /Gross pay .* beyond the largest amount/)
  })

  it('refuses flags that mean nothing for the kind, and options it does not know', () => {
    refuses([basic, deduction('P', fixed(1), { prorate: true })], /Component P is a deduction: only an earning is pro-rated/)
    refuses([basic, deduction('P', fixed(1), { taxable: true })], /Component P is a deduction: only an earning counts toward taxable pay/)
    refuses([{ ...basic, preTax: true }], /Component BASIC is an earning: only a deduction is taken before tax/)
    refuses([basic, employer('E', fixed(1), { preTax: true })], /Component E is an employer contribution: only a deduction/)
    const typo = { method: 'percentage', ratePercent: '6', base: 'gross', capMInor: 100 } as unknown as ComponentRule
    refuses([basic, deduction('NSSF', typo)], /Component NSSF's rule has an unknown option "capMInor"/)
    refuses([basic, { ...deduction('X', fixed(1)), rounding: 'bankers' as RoundingName }], /Component X: the rounding must be one of/)
    refuses([basic, { ...deduction('X', fixed(1)), kind: 'benefit' as 'earning' }], /Component X: the kind must be earning, deduction or employer/)
    expect(() => computePay({ currency: 'KES', components: [basic], proration: null, extra: 1 } as PayInput)).toThrow(/unknown option "extra"/)
    expect(() => computePay({ currency: 'XYZ', components: [basic], proration: null })).toThrow(RangeError)
  })

  it('refuses days worked outside 0..days in the period', () => {
    refuses([basic], /days worked must be a whole number from 0 to 30 .* got 31/, { daysWorked: 31, daysInPeriod: 30 })
    refuses([basic], /days worked must be a whole number from 0 to 30 .* got -1/, { daysWorked: -1, daysInPeriod: 30 })
    refuses([basic], /days worked must be a whole number from 0 to 30 .* got 1.5/, { daysWorked: 1.5, daysInPeriod: 30 })
    refuses([basic], /days in the period must be a whole number of 1 or more, got 0/, { daysWorked: 0, daysInPeriod: 0 })
  })

  it('refuses net pay below zero, saying by how much', () => {
    let caught: unknown
    try {
      pay([basic, deduction('LOAN', fixed(90_000)), deduction('ADVANCE', fixed(15_000))])
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(NegativeNetPayError)
    expect(caught).toBeInstanceOf(RangeError)
    expect((caught as NegativeNetPayError).shortfallMinor).toBe(5_000)
    expect((caught as Error).message).toBe(
      'Net pay would be below zero by KES 50.00: deductions of KES 1,050.00 are more than gross pay of KES 1,000.00'
    )
    // Exactly zero is paid.
    expect(pay([basic, deduction('LOAN', fixed(100_000))]).netMinor).toBe(0)
  })

  it('pays a joiner with 0 days only what is not pro-rated', () => {
    const r = pay([earning('BASIC', fixed(100_000), { prorate: true }), earning('BONUS', fixed(5_000))], { daysWorked: 0, daysInPeriod: 31 })
    expect(amounts(r)).toEqual({ BASIC: 0, BONUS: 5_000 })
  })
})

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

const roundingArb = fc.constantFrom<RoundingName>('half-up', 'half-even', 'down', 'up')
/** A percentage in [0, 100] with up to three decimals, as text ("12.345", "7", "0.5"). */
const percentArb = fc.integer({ min: 0, max: 100_000 }).map((thousandths) => {
  const whole = Math.floor(thousandths / 1000)
  const frac = String(thousandths % 1000).padStart(3, '0').replace(/0+$/, '')
  return frac === '' ? String(whole) : `${whole}.${frac}`
})
const bandsArb: fc.Arbitrary<Band[]> = fc
  .tuple(fc.uniqueArray(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 1, maxLength: 6 }), fc.array(percentArb, { minLength: 7, maxLength: 7 }), fc.boolean())
  .map(([bounds, rates, open]) => {
    const sorted = [...bounds].sort((a, b) => a - b)
    const table: Band[] = sorted.map((b, i) => ({ upToMinor: b, ratePercent: rates[i] ?? '0' }))
    if (open) table.push({ upToMinor: null, ratePercent: rates[6] ?? '0' })
    return table
  })

/** The band tax by brute force in BigInt: rates scaled by 1000, every band visited, relief taken, rounded once. */
function bruteBandTax(table: Band[], base: number, relief: number, rounding: RoundingName): bigint {
  const scaled = (p: string): bigint => {
    const [w, f = ''] = p.split('.')
    return BigInt(`${w}${f.padEnd(3, '0')}`)
  }
  let num = 0n
  let lower = 0n
  const b = BigInt(base)
  for (const band of table) {
    const upper = band.upToMinor === null ? b : BigInt(band.upToMinor)
    const top = b < upper ? b : upper
    if (top > lower) num += (top - lower) * scaled(band.ratePercent)
    lower = upper
  }
  num -= BigInt(relief) * 100_000n
  if (num < 0n) num = 0n
  return divideRounded(num, 100_000n, rounding)
}

function bandTax(table: Band[], base: number, relief: number, rounding: RoundingName): number {
  return lineOf(pay([earning('BASIC', fixed(base)), deduction('TAX', bands(table, 'taxable', relief), { rounding })]), 'TAX').amountMinor
}

const componentsArb: fc.Arbitrary<{ components: ComponentDef[]; proration: PayInput['proration'] }> = fc
  .record({
    basic: fc.integer({ min: 0, max: 1_000_000_000 }),
    basicProrate: fc.boolean(),
    extras: fc.array(
      fc.record({
        fixed: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: null }),
        rate: percentArb,
        taxable: fc.boolean(),
        prorate: fc.boolean(),
        rounding: roundingArb
      }),
      { maxLength: 4 }
    ),
    pension: fc.option(fc.record({ rate: percentArb, base: fc.constantFrom('gross', 'basic'), rounding: roundingArb }), { nil: null }),
    tax: fc.option(fc.record({ table: bandsArb, relief: fc.integer({ min: 0, max: 1_000_000 }), rounding: roundingArb }), { nil: null }),
    levy: fc.option(
      fc.record({
        rate: percentArb,
        cap: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
        floor: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
        rounding: roundingArb
      }),
      { nil: null }
    ),
    loan: fc.option(fc.integer({ min: 0, max: 200_000_000 }), { nil: null }),
    er: fc.option(fc.record({ rate: percentArb, base: fc.constantFrom('gross', 'basic', 'taxable'), rounding: roundingArb }), { nil: null }),
    proration: fc.option(
      fc.integer({ min: 1, max: 31 }).chain((days) => fc.record({ daysWorked: fc.integer({ min: 0, max: days }), daysInPeriod: fc.constant(days) })),
      { nil: null }
    )
  })
  .map((g) => {
    const components: ComponentDef[] = [earning('BASIC', fixed(g.basic), { prorate: g.basicProrate })]
    g.extras.forEach((x, i) =>
      components.push(earning(`E${i}`, x.fixed === null ? pct(x.rate, i > 0 && i % 2 === 0 ? `E${i - 1}` : 'basic') : fixed(x.fixed), {
        taxable: x.taxable,
        prorate: x.prorate,
        rounding: x.rounding
      }))
    )
    if (g.pension) components.push(deduction('PENSION', pct(g.pension.rate, g.pension.base), { preTax: true, rounding: g.pension.rounding }))
    if (g.tax) components.push(deduction('PAYE', bands(g.tax.table, 'taxable', g.tax.relief), { rounding: g.tax.rounding }))
    if (g.levy) {
      const floor = g.levy.floor !== null && g.levy.cap !== null && g.levy.floor > g.levy.cap ? g.levy.cap : g.levy.floor
      components.push(deduction('LEVY', pct(g.levy.rate, 'gross', { capMinor: g.levy.cap, floorMinor: floor }), { rounding: g.levy.rounding }))
    }
    if (g.loan !== null) components.push(deduction('LOAN', fixed(g.loan)))
    if (g.er) components.push(employer('ER', pct(g.er.rate, g.er.base), { rounding: g.er.rounding }))
    return { components, proration: g.proration }
  })

const sumOf = (r: PayResult, pred: (l: PayResult['lines'][number]) => boolean) =>
  r.lines.filter(pred).reduce((s, l) => s + BigInt(l.amountMinor), 0n)

describe('properties', () => {
  it('net = gross − deductions exactly; gross, deductions and employer are the sums of their lines; taxable as defined', () => {
    fc.assert(
      fc.property(componentsArb, ({ components, proration }) => {
        let r: PayResult
        try {
          r = pay(components, proration)
        } catch (e) {
          // The only refusal of a well-formed input: deductions above gross, by a positive amount.
          expect(e).toBeInstanceOf(NegativeNetPayError)
          expect((e as NegativeNetPayError).shortfallMinor).toBeGreaterThan(0)
          return
        }
        const gross = sumOf(r, (l) => l.kind === 'earning')
        const deductions = sumOf(r, (l) => l.kind === 'deduction')
        const preTax = sumOf(r, (l) => l.code === 'PENSION')
        const taxableEarnings = sumOf(r, (l) => l.kind === 'earning' && (components.find((c) => c.code === l.code)?.taxable ?? false))
        expect(BigInt(r.grossMinor)).toBe(gross)
        expect(BigInt(r.deductionsMinor)).toBe(deductions)
        expect(BigInt(r.preTaxMinor)).toBe(preTax)
        expect(BigInt(r.employerMinor)).toBe(sumOf(r, (l) => l.kind === 'employer'))
        expect(BigInt(r.taxableMinor)).toBe(taxableEarnings > preTax ? taxableEarnings - preTax : 0n)
        expect(BigInt(r.netMinor)).toBe(gross - deductions)
        expect(r.netMinor).toBeGreaterThanOrEqual(0)
        for (const l of r.lines) expect(Number.isSafeInteger(l.amountMinor) && l.amountMinor >= 0).toBe(true)
        expect(r.lines.map((l) => l.code)).toEqual(
          [...components.filter((c) => c.kind === 'earning'), ...components.filter((c) => c.kind === 'deduction'), ...components.filter((c) => c.kind === 'employer')].map((c) => c.code)
        )
      }),
      { numRuns: 400 }
    )
  })

  it('band tax equals a brute-force BigInt sum over the bands, rounded once', () => {
    fc.assert(
      fc.property(bandsArb, fc.integer({ min: 0, max: 60_000_000 }), fc.integer({ min: 0, max: 500_000 }), roundingArb, (table, base, relief, rounding) => {
        expect(BigInt(bandTax(table, base, relief, rounding))).toBe(bruteBandTax(table, base, relief, rounding))
      }),
      { numRuns: 500 }
    )
  })

  it('band tax is monotone non-decreasing in the base', () => {
    fc.assert(
      fc.property(
        bandsArb,
        fc.integer({ min: 0, max: 60_000_000 }),
        fc.integer({ min: 0, max: 60_000_000 }),
        fc.integer({ min: 0, max: 500_000 }),
        roundingArb,
        (table, a, b, relief, rounding) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a]
          expect(bandTax(table, lo, relief, rounding)).toBeLessThanOrEqual(bandTax(table, hi, relief, rounding))
          // One more minor unit of base never lowers the tax either.
          expect(bandTax(table, lo, relief, rounding)).toBeLessThanOrEqual(bandTax(table, lo + 1, relief, rounding))
        }
      ),
      { numRuns: 300 }
    )
  })

  it('rounds each component once: the exact rational, rounded once by its rule', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        percentArb,
        fc.integer({ min: 1, max: 31 }).chain((days) => fc.tuple(fc.integer({ min: 0, max: days }), fc.constant(days))),
        roundingArb,
        fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: null }),
        (basic, rate, [worked, days], rounding, cap) => {
          const r = pay(
            [
              earning('BASIC', fixed(basic), { prorate: true, rounding }),
              earning('HOUSE', pct(rate, 'basic', { capMinor: cap }), { prorate: true, rounding }),
              deduction('P', pct(rate, 'HOUSE'), { rounding })
            ],
            { daysWorked: worked, daysInPeriod: days }
          )
          const part = rational(worked, days)
          const fraction = mulRational(parseDecimalRational(rate), rational(1, 100))
          let house = mulRational(fraction, basic)
          if (cap !== null && house.numerator > BigInt(cap) * house.denominator) house = rational(cap)
          expect(BigInt(lineOf(r, 'BASIC').amountMinor)).toBe(roundRational(mulRational(basic, part), rounding))
          expect(BigInt(lineOf(r, 'HOUSE').amountMinor)).toBe(roundRational(mulRational(house, part), rounding))
          // A deduction is on its base as paid: the paid amount times the rate, rounded once.
          expect(BigInt(lineOf(r, 'P').amountMinor)).toBe(roundRational(mulRational(fraction, lineOf(r, 'HOUSE').amountMinor), rounding))
        }
      ),
      { numRuns: 400 }
    )
  })

  it('pro-rating a whole period changes nothing', () => {
    fc.assert(
      fc.property(componentsArb, fc.integer({ min: 1, max: 31 }), ({ components }, days) => {
        const whole = (() => {
          try {
            return pay(components, null)
          } catch (e) {
            return e
          }
        })()
        const full = (() => {
          try {
            return pay(components, { daysWorked: days, daysInPeriod: days })
          } catch (e) {
            return e
          }
        })()
        if (whole instanceof Error) {
          expect(full).toBeInstanceOf(NegativeNetPayError)
          expect((full as Error).message).toBe(whole.message)
        } else expect(full).toEqual(whole)
      }),
      { numRuns: 200 }
    )
  })
})
