import { describe, it, expect, vi } from 'vitest'
import Decimal from 'decimal.js'
import {
  DECIMAL_ROUNDING,
  addMinor,
  allocateMinor,
  currencyMinorDigits,
  decimalStringToMinor,
  formatMoney,
  isSupportedCurrency,
  localeSeparators,
  minorToDecimalString,
  multiplyMinor,
  parseMoney,
  subMinor,
  type ParseMoneyResult,
  type RoundingName
} from '../../../src/shared/money'

const MAX = Number.MAX_SAFE_INTEGER
const NBSP = '\u00A0'
const NNBSP = '\u202F'
const ROUNDINGS: RoundingName[] = ['half-up', 'half-even', 'down', 'up']

/** Intl output uses NBSP / narrow NBSP; compare with plain spaces. */
const norm = (s: string): string => s.replace(/[\u00A0\u202F\u2009]/g, ' ')

/** Deterministic 64-bit PRNG (splitmix64) on BigInt, so test data never passes through floats. */
function prng(seed: bigint): () => bigint {
  let state = seed
  const mask = (1n << 64n) - 1n
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & mask
    let z = state
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask
    return z ^ (z >> 31n)
  }
}

/** Safe integers of every magnitude, both signs, with the edges mixed in. */
function sampleAmounts(count: number, seed: bigint): number[] {
  const next = prng(seed)
  const edges = [0, 1, -1, 5, 99, 100, 101, 999, 1000, 123456, MAX, -MAX, MAX - 1, -(MAX - 1), 9_000_000_000_000_000]
  const out: number[] = [...edges]
  while (out.length < count) {
    const digits = Number(next() % 16n) + 1 // 1..16 digits
    let v = next() % 10n ** BigInt(digits)
    if (v > BigInt(MAX)) v = BigInt(MAX) - (next() % 1000n) // near the top
    out.push(Number(next() % 2n === 0n ? v : -v) || 0)
  }
  return out
}

function ok(r: ParseMoneyResult): number {
  if (!r.ok) throw new Error(`expected ok, got error "${r.error}"`)
  return r.minor
}

function err(r: ParseMoneyResult): string {
  if (r.ok) throw new Error(`expected an error, got ${r.minor}`)
  return r.error
}

const p = (input: string, locale: string, currency: string, allowNegative = false): ParseMoneyResult =>
  parseMoney(input, { locale, currency, allowNegative })

describe('currencies', () => {
  it('knows ISO 4217 minor digits for 0, 2 and 3 digit currencies', () => {
    expect(currencyMinorDigits('JPY')).toBe(0)
    expect(currencyMinorDigits('KRW')).toBe(0)
    expect(currencyMinorDigits('USD')).toBe(2)
    expect(currencyMinorDigits('EUR')).toBe(2)
    expect(currencyMinorDigits('INR')).toBe(2)
    expect(currencyMinorDigits('KES')).toBe(2)
    for (const c of ['KWD', 'BHD', 'JOD', 'TND', 'OMR']) expect(currencyMinorDigits(c)).toBe(3)
    // cached value is stable
    expect(currencyMinorDigits('KWD')).toBe(3)
  })

  it('throws RangeError on unknown or malformed codes', () => {
    for (const c of ['ABC', 'usd', 'US', 'USDD', '', 'X1Z']) {
      expect(() => currencyMinorDigits(c)).toThrow(RangeError)
    }
  })

  it('isSupportedCurrency needs 3 uppercase letters and a known code', () => {
    expect(isSupportedCurrency('USD')).toBe(true)
    expect(isSupportedCurrency('KES')).toBe(true)
    expect(isSupportedCurrency('JPY')).toBe(true)
    expect(isSupportedCurrency('usd')).toBe(false)
    expect(isSupportedCurrency('ABC')).toBe(false)
    expect(isSupportedCurrency('US')).toBe(false)
    expect(isSupportedCurrency(' USD')).toBe(false)
    expect(isSupportedCurrency('')).toBe(false)
  })

  it('falls back to Intl.NumberFormat when Intl.supportedValuesOf is missing', async () => {
    const intl = Intl as unknown as { supportedValuesOf?: unknown }
    const original = intl.supportedValuesOf
    try {
      delete intl.supportedValuesOf
      vi.resetModules()
      const fresh = await import('../../../src/shared/money')
      expect(fresh.isSupportedCurrency('USD')).toBe(true)
      expect(fresh.isSupportedCurrency('usd')).toBe(false)
      expect(fresh.isSupportedCurrency('U1D')).toBe(false)
      expect(fresh.currencyMinorDigits('JPY')).toBe(0)
    } finally {
      intl.supportedValuesOf = original
      vi.resetModules()
    }
  })
})

describe('localeSeparators', () => {
  it('reads decimal and group separators from Intl', () => {
    expect(localeSeparators('en-US')).toEqual({ decimal: '.', group: ',' })
    expect(localeSeparators('en-GB')).toEqual({ decimal: '.', group: ',' })
    expect(localeSeparators('en-IN')).toEqual({ decimal: '.', group: ',' })
    expect(localeSeparators('ja-JP')).toEqual({ decimal: '.', group: ',' })
    expect(localeSeparators('de-DE')).toEqual({ decimal: ',', group: '.' })
    const fr = localeSeparators('fr-FR')
    expect(fr.decimal).toBe(',')
    expect([' ', NBSP, NNBSP]).toContain(fr.group)
    const ch = localeSeparators('de-CH')
    expect(ch.decimal).toBe('.')
    expect(["'", '\u2019']).toContain(ch.group)
  })

  it('returns a copy that callers cannot use to corrupt the cache', () => {
    const a = localeSeparators('en-US')
    a.decimal = 'X'
    expect(localeSeparators('en-US').decimal).toBe('.')
  })
})

describe('parseMoney: accepted input', () => {
  it.each([
    ['1,234.56', 'en-US', 'USD', 123456],
    ['1234.56', 'en-US', 'USD', 123456],
    ['1,234,567.89', 'en-US', 'USD', 123456789],
    ['1,234.56', 'en-GB', 'GBP', 123456],
    ['£1,234.56', 'en-GB', 'GBP', 123456],
    ['1.234,56', 'de-DE', 'EUR', 123456],
    ['1234,56', 'de-DE', 'EUR', 123456],
    ['1.234.567,89', 'de-DE', 'EUR', 123456789],
    ['1.234', 'de-DE', 'EUR', 123400],
    ['1 234,56', 'fr-FR', 'EUR', 123456],
    [`1${NBSP}234,56`, 'fr-FR', 'EUR', 123456],
    [`1${NNBSP}234,56`, 'fr-FR', 'EUR', 123456],
    [`1 234${NNBSP}567${NBSP}890,12`, 'fr-FR', 'EUR', 123456789012],
    ['1.234,56', 'fr-FR', 'EUR', 123456],
    ["1'234.56", 'de-CH', 'CHF', 123456],
    ['1\u2019234.56', 'de-CH', 'CHF', 123456],
    ["1'234'567.80", 'de-CH', 'CHF', 123456780],
    ['1,234.56', 'de-CH', 'CHF', 123456],
    ['1,23,456.78', 'en-IN', 'INR', 12345678],
    ['12,34,56,789.00', 'en-IN', 'INR', 1234567890_0],
    ['123,456.78', 'en-IN', 'INR', 12345678],
    ['1,23,456.78', 'hi-IN', 'INR', 12345678],
    ['1,234', 'ja-JP', 'JPY', 1234],
    ['￥1,234', 'ja-JP', 'JPY', 1234],
    ['¥1,234', 'ja-JP', 'JPY', 1234],
    ['１２３４', 'ja-JP', 'JPY', 1234],
    ['1.234', 'de-DE', 'JPY', 1234],
    ['1,234.567', 'en-US', 'KWD', 1234567],
    ['1.234,5', 'de-DE', 'KWD', 1234500],
    ['0.5', 'en-US', 'USD', 50],
    ['.5', 'en-US', 'USD', 50],
    ['12.', 'en-US', 'USD', 1200],
    ['007', 'en-US', 'USD', 700],
    ['0', 'en-US', 'USD', 0],
    ['0,00', 'de-DE', 'EUR', 0],
    ['  12.30 \t', 'en-US', 'USD', 1230]
  ])('%j in %s %s → %i', (input, locale, currency, minor) => {
    expect(ok(p(input, locale, currency))).toBe(minor)
  })

  it.each([
    ['$1,234.56', 'en-US', 'USD', 123456],
    ['$ 1,234.56', 'en-US', 'USD', 123456],
    ['1,234.56 $', 'en-US', 'USD', 123456],
    ['USD 12', 'en-US', 'USD', 1200],
    ['usd 12', 'en-US', 'USD', 1200],
    ['12 USD', 'en-US', 'USD', 1200],
    ['12USD', 'en-US', 'USD', 1200],
    ['US$12', 'en-GB', 'USD', 1200],
    ['1.234,56 €', 'de-DE', 'EUR', 123456],
    ['€1.234,56', 'de-DE', 'EUR', 123456],
    ['EUR 1.234,56', 'de-DE', 'EUR', 123456],
    [`1 234,56${NBSP}€`, 'fr-FR', 'EUR', 123456],
    ["CHF 1'234.56", 'de-CH', 'CHF', 123456],
    ['₹1,23,456.78', 'en-IN', 'INR', 12345678],
    ['KWD 1.234', 'en-US', 'KWD', 1234],
    ['JPY 1,000', 'ja-JP', 'JPY', 1000]
  ])('currency symbol or code: %j in %s %s → %i', (input, locale, currency, minor) => {
    expect(ok(p(input, locale, currency))).toBe(minor)
  })

  it.each([
    ['-12', 'en-US', 'USD', -1200],
    ['- 12', 'en-US', 'USD', -1200],
    ['\u221212', 'en-US', 'USD', -1200],
    ['(12.00)', 'en-US', 'USD', -1200],
    ['($12.00)', 'en-US', 'USD', -1200],
    ['$(12.00)', 'en-US', 'USD', -1200],
    ['-$12.00', 'en-US', 'USD', -1200],
    ['$-12.00', 'en-US', 'USD', -1200],
    ['-1.234,56 €', 'de-DE', 'EUR', -123456],
    ['(1.234,56 €)', 'de-DE', 'EUR', -123456],
    ["CHF-1'234.56", 'de-CH', 'CHF', -123456],
    ['-5', 'ja-JP', 'JPY', -5],
    ['-0.001', 'en-US', 'KWD', -1]
  ])('negatives with allowNegative: %j in %s %s → %i', (input, locale, currency, minor) => {
    expect(ok(p(input, locale, currency, true))).toBe(minor)
  })

  it('"-0" and "(0)" yield 0, never -0', () => {
    for (const input of ['-0', '(0)', '-0.00', '-$0']) {
      const v = ok(p(input, 'en-US', 'USD', true))
      expect(Object.is(v, 0)).toBe(true)
      expect(Object.is(ok(p(input, 'en-US', 'USD', false)), 0)).toBe(true)
    }
  })

  it('parses up to exactly Number.MAX_SAFE_INTEGER minor units', () => {
    expect(ok(p('90,071,992,547,409.91', 'en-US', 'USD'))).toBe(MAX)
    expect(ok(p('-90071992547409.91', 'en-US', 'USD', true))).toBe(-MAX)
    expect(ok(p('9,007,199,254,740,991', 'ja-JP', 'JPY'))).toBe(MAX)
    expect(ok(p('9.007.199.254.740,991', 'de-DE', 'KWD'))).toBe(MAX)
    expect(ok(p('0000000000090071992547409.91', 'en-US', 'USD'))).toBe(MAX)
  })
})

describe('parseMoney: errors', () => {
  it('empty input', () => {
    expect(err(p('', 'en-US', 'USD'))).toBe('Enter an amount')
    expect(err(p('   ', 'en-US', 'USD'))).toBe('Enter an amount')
    expect(err(p(`${NBSP}\t`, 'de-DE', 'EUR'))).toBe('Enter an amount')
  })

  it('letters and stray characters show an example in the locale format', () => {
    expect(err(p('abc', 'en-US', 'USD'))).toBe('Enter an amount like 1,234.56')
    expect(err(p('12a', 'en-US', 'USD'))).toBe('Enter an amount like 1,234.56')
    expect(err(p('1 2', 'en-US', 'USD'))).toBe('Enter an amount like 1,234.56')
    expect(err(p('12%', 'de-DE', 'EUR'))).toBe('Enter an amount like 1.234,56')
    expect(norm(err(p('x', 'fr-FR', 'EUR')))).toBe('Enter an amount like 1 234,56')
    expect(err(p('x', 'ja-JP', 'JPY'))).toBe('Enter an amount like 1,234')
    expect(err(p('x', 'en-US', 'KWD'))).toBe('Enter an amount like 1,234.567')
    expect(err(p("1'234", 'en-US', 'USD'))).toMatch(/^Enter an amount like/)
    for (const s of ['$', '-', '.', ',', '()', '$$12', '12$$', '--12', '12-', '+12', '1e5', 'Infinity', 'NaN']) {
      expect(err(p(s, 'en-US', 'USD', true))).toMatch(/^Enter an amount like 1,234\.56$/)
    }
  })

  it('a different currency code is named', () => {
    expect(err(p('EUR 12', 'en-US', 'USD'))).toBe('Enter the amount in USD')
    expect(err(p('12 GBP', 'en-US', 'USD'))).toBe('Enter the amount in USD')
  })

  it('multiple decimal separators', () => {
    expect(err(p('1.2.3', 'en-US', 'USD'))).toBe('Only one decimal separator allowed, like 1,234.56')
    expect(err(p('1,2,3', 'de-DE', 'EUR'))).toBe('Only one decimal separator allowed, like 1.234,56')
  })

  it('misplaced group separators', () => {
    const msg = 'Misplaced thousands separator; enter an amount like 1,234.56'
    for (const s of ['1,23.45', '12,34,567.00', '1,2345', ',123', '123,', '1,,234', '1,234,5678', '1234,567.00']) {
      expect(err(p(s, 'en-US', 'USD'))).toBe(msg)
    }
    // Indian grouping only in Indian locales; nonsense grouping is an error even there.
    expect(err(p('1,23,456.78', 'en-GB', 'GBP'))).toMatch(/^Misplaced thousands separator/)
    expect(err(p('1,234,56.00', 'en-IN', 'INR'))).toMatch(/^Misplaced thousands separator/)
    expect(err(p('123,45,678.00', 'en-IN', 'INR'))).toMatch(/^Misplaced thousands separator/)
    // Mixing separator kinds.
    expect(norm(err(p('1 234.567,89', 'fr-FR', 'EUR')))).toBe(
      'Misplaced thousands separator; enter an amount like 1 234,56'
    )
    expect(err(p('1.23,45', 'de-DE', 'EUR'))).toBe('Misplaced thousands separator; enter an amount like 1.234,56')
  })

  it('a likely wrong decimal separator gets a specific hint', () => {
    expect(err(p('12,50', 'en-US', 'USD'))).toBe('Use "." for decimals, like 1,234.56')
    expect(err(p('12.5', 'de-DE', 'EUR'))).toBe('Use "," for decimals, like 1.234,56')
    expect(norm(err(p('12.50', 'fr-FR', 'EUR')))).toBe('Use "," for decimals, like 1 234,56')
    expect(err(p('12,5', 'de-CH', 'CHF'))).toMatch(/^Use "\." for decimals, like 1.234\.56$/)
  })

  it('more fraction digits than the currency has', () => {
    expect(err(p('1.5', 'en-US', 'JPY'))).toBe('JPY has no minor units')
    expect(err(p('1,5', 'de-DE', 'JPY'))).toBe('JPY has no minor units')
    expect(err(p('12.', 'ja-JP', 'JPY'))).toBe('JPY has no minor units')
    expect(err(p('1.234', 'en-US', 'USD'))).toBe('At most 2 decimal places for USD')
    expect(err(p('1,999', 'de-DE', 'EUR'))).toBe('At most 2 decimal places for EUR')
    expect(err(p('1.2345', 'en-US', 'KWD'))).toBe('At most 3 decimal places for KWD')
    expect(err(p('1.230', 'en-US', 'USD'))).toBe('At most 2 decimal places for USD')
  })

  it('amounts beyond Number.MAX_SAFE_INTEGER minor units', () => {
    expect(err(p('90071992547409.92', 'en-US', 'USD'))).toBe('Amount is too large')
    expect(err(p('-90071992547409.92', 'en-US', 'USD', true))).toBe('Amount is too large')
    expect(err(p('9007199254740992', 'ja-JP', 'JPY'))).toBe('Amount is too large')
    expect(err(p('99999999999999999999999', 'en-US', 'USD'))).toBe('Amount is too large')
  })

  it('negatives are refused unless allowed', () => {
    expect(err(p('-5', 'en-US', 'USD'))).toBe('Amount cannot be negative')
    expect(err(p('(5.00)', 'en-US', 'USD'))).toBe('Amount cannot be negative')
    expect(err(p('-1.234,56 €', 'de-DE', 'EUR'))).toBe('Amount cannot be negative')
  })

  it('minus and parentheses together are refused', () => {
    expect(err(p('(-5)', 'en-US', 'USD', true))).toBe('Use a minus sign or parentheses, not both')
    expect(err(p('-(5)', 'en-US', 'USD', true))).toBe('Use a minus sign or parentheses, not both')
  })

  it('a bad currency option is a programming error', () => {
    expect(() => p('1', 'en-US', 'XYZ')).toThrow(RangeError)
    expect(() => p('1', 'en-US', 'usd')).toThrow(RangeError)
  })

  it('non-string input is refused, not thrown', () => {
    expect(parseMoney(12 as unknown as string, { locale: 'en-US', currency: 'USD' }).ok).toBe(false)
  })
})

describe('minorToDecimalString', () => {
  it.each([
    [123456, 'USD', '1234.56'],
    [-5, 'USD', '-0.05'],
    [5, 'USD', '0.05'],
    [0, 'USD', '0.00'],
    [100, 'USD', '1.00'],
    [7, 'JPY', '7'],
    [-7, 'JPY', '-7'],
    [0, 'JPY', '0'],
    [1234, 'KWD', '1.234'],
    [1, 'KWD', '0.001'],
    [-1, 'KWD', '-0.001'],
    [MAX, 'USD', '90071992547409.91'],
    [-MAX, 'USD', '-90071992547409.91'],
    [MAX, 'KWD', '9007199254740.991']
  ])('(%i, %s) → %s', (minor, currency, expected) => {
    expect(minorToDecimalString(minor, currency)).toBe(expected)
  })

  it('accepts bigint of any size exactly', () => {
    expect(minorToDecimalString(123456789012345678901n, 'USD')).toBe('1234567890123456789.01')
    expect(minorToDecimalString(-1n, 'USD')).toBe('-0.01')
    expect(minorToDecimalString(0n, 'KWD')).toBe('0.000')
  })

  it('rejects unsafe or fractional numbers', () => {
    for (const bad of [1.5, MAX + 1, -(MAX + 1), Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => minorToDecimalString(bad, 'USD')).toThrow(RangeError)
    }
    expect(() => minorToDecimalString(1, 'XYZ')).toThrow(RangeError)
  })
})

describe('decimalStringToMinor', () => {
  it.each([
    ['1234.56', 'USD', 123456],
    ['12', 'USD', 1200],
    ['-0.05', 'USD', -5],
    ['+1.5', 'USD', 150],
    ['0.001', 'KWD', 1],
    ['1.234', 'KWD', 1234],
    ['7', 'JPY', 7],
    ['1e3', 'USD', 100000],
    ['1.5E-2', 'USD', 2],
    ['90071992547409.91', 'USD', MAX],
    ['-9007199254740991', 'JPY', -MAX]
  ])('%s %s → %i', (s, currency, minor) => {
    expect(decimalStringToMinor(s, currency)).toBe(minor)
  })

  it('rounds half-up by default and honours named modes at .5 boundaries', () => {
    const table: Array<[string, string, Record<RoundingName, number>]> = [
      ['0.005', 'USD', { 'half-up': 1, 'half-even': 0, down: 0, up: 1 }],
      ['0.015', 'USD', { 'half-up': 2, 'half-even': 2, down: 1, up: 2 }],
      ['0.025', 'USD', { 'half-up': 3, 'half-even': 2, down: 2, up: 3 }],
      ['-0.005', 'USD', { 'half-up': -1, 'half-even': 0, down: 0, up: -1 }],
      ['-0.015', 'USD', { 'half-up': -2, 'half-even': -2, down: -1, up: -2 }],
      ['-0.025', 'USD', { 'half-up': -3, 'half-even': -2, down: -2, up: -3 }],
      ['0.0049', 'USD', { 'half-up': 0, 'half-even': 0, down: 0, up: 1 }],
      ['0.0051', 'USD', { 'half-up': 1, 'half-even': 1, down: 0, up: 1 }],
      ['-0.0051', 'USD', { 'half-up': -1, 'half-even': -1, down: 0, up: -1 }],
      ['0.00500000000000000000001', 'USD', { 'half-up': 1, 'half-even': 1, down: 0, up: 1 }],
      ['2.5', 'JPY', { 'half-up': 3, 'half-even': 2, down: 2, up: 3 }],
      ['3.5', 'JPY', { 'half-up': 4, 'half-even': 4, down: 3, up: 4 }],
      ['-2.5', 'JPY', { 'half-up': -3, 'half-even': -2, down: -2, up: -3 }],
      ['-3.5', 'JPY', { 'half-up': -4, 'half-even': -4, down: -3, up: -4 }],
      ['1.2345', 'KWD', { 'half-up': 1235, 'half-even': 1234, down: 1234, up: 1235 }],
      ['1.2355', 'KWD', { 'half-up': 1236, 'half-even': 1236, down: 1235, up: 1236 }]
    ]
    for (const [s, currency, expected] of table) {
      expect(decimalStringToMinor(s, currency)).toBe(expected['half-up'])
      for (const mode of ROUNDINGS) {
        const got = decimalStringToMinor(s, currency, mode)
        expect([s, mode, got]).toEqual([s, mode, expected[mode]])
        expect(Object.is(got, -0)).toBe(false)
      }
    }
  })

  it('rounding that crosses the safe-integer limit throws', () => {
    for (const mode of ['half-up', 'half-even', 'down'] as const) {
      expect(decimalStringToMinor('90071992547409.914', 'USD', mode)).toBe(MAX)
    }
    expect(() => decimalStringToMinor('90071992547409.911', 'USD', 'up')).toThrow(RangeError)
    expect(() => decimalStringToMinor('-90071992547409.915', 'USD', 'half-up')).toThrow(RangeError)
    expect(decimalStringToMinor('-90071992547409.915', 'USD', 'down')).toBe(-MAX)
  })

  it('rejects malformed strings and unsafe results', () => {
    for (const bad of ['', ' 12', '12 ', '1,234.56', 'abc', '1.', '.5', '1e', '--1', '0x10', 'NaN', 'Infinity', '1e1001']) {
      expect(() => decimalStringToMinor(bad, 'USD')).toThrow(RangeError)
    }
    expect(() => decimalStringToMinor('90071992547409.92', 'USD')).toThrow(RangeError)
    expect(() => decimalStringToMinor('9007199254740992', 'JPY')).toThrow(RangeError)
    expect(() => decimalStringToMinor('1', 'USD', 'ceil' as RoundingName)).toThrow(RangeError)
  })

  it('tiny values with huge negative exponents still round by the rule', () => {
    expect(decimalStringToMinor('1e-999', 'USD', 'half-up')).toBe(0)
    expect(decimalStringToMinor('1e-999', 'USD', 'up')).toBe(1)
    expect(decimalStringToMinor('-1e-999', 'USD', 'up')).toBe(-1)
    expect(Object.is(decimalStringToMinor('-1e-999', 'USD', 'down'), 0)).toBe(true)
  })

  it('agrees with decimal.js at high precision on thousands of random values', () => {
    const D = Decimal.clone({ precision: 200 })
    const next = prng(42n)
    for (let i = 0; i < 3000; i++) {
      const intDigits = (next() % 10n ** (next() % 13n)).toString()
      const fracLen = Number(next() % 7n)
      const frac = fracLen === 0 ? '' : `.${(next() % 10n ** BigInt(fracLen)).toString().padStart(fracLen, '0')}`
      const s = `${next() % 2n === 0n ? '-' : ''}${intDigits}${frac}`
      const currency = ['USD', 'JPY', 'KWD'][i % 3] ?? 'USD'
      const digits = currencyMinorDigits(currency)
      for (const mode of ROUNDINGS) {
        const expected = new D(s).times(new D(10).pow(digits)).toDecimalPlaces(0, DECIMAL_ROUNDING[mode])
        expect(decimalStringToMinor(s, currency, mode)).toBe(expected.isZero() ? 0 : Number(expected.toFixed()))
      }
    }
  })

  it('round-trips with minorToDecimalString', () => {
    for (const currency of ['USD', 'JPY', 'KWD']) {
      for (const v of sampleAmounts(1000, 7n)) {
        expect(decimalStringToMinor(minorToDecimalString(v, currency), currency)).toBe(v)
      }
    }
  })
})

describe('DECIMAL_ROUNDING', () => {
  it('maps names to decimal.js constants', () => {
    expect(DECIMAL_ROUNDING['half-up']).toBe(Decimal.ROUND_HALF_UP)
    expect(DECIMAL_ROUNDING['half-even']).toBe(Decimal.ROUND_HALF_EVEN)
    expect(DECIMAL_ROUNDING.down).toBe(Decimal.ROUND_DOWN)
    expect(DECIMAL_ROUNDING.up).toBe(Decimal.ROUND_UP)
    expect(new Decimal('-2.5').toDecimalPlaces(0, DECIMAL_ROUNDING['half-up']).toString()).toBe('-3')
    expect(new Decimal('-2.5').toDecimalPlaces(0, DECIMAL_ROUNDING['half-even']).toString()).toBe('-2')
  })
})

describe('formatMoney', () => {
  it.each([
    [123456, 'USD', 'en-US', '$1,234.56'],
    [-5, 'USD', 'en-US', '-$0.05'],
    [0, 'USD', 'en-US', '$0.00'],
    [123456, 'GBP', 'en-GB', '£1,234.56'],
    [123456, 'EUR', 'de-DE', '1.234,56 €'],
    [123456, 'EUR', 'fr-FR', '1 234,56 €'],
    [123456, 'CHF', 'de-CH', "CHF 1'234.56"],
    [123456789, 'INR', 'en-IN', '₹12,34,567.89'],
    [1234, 'JPY', 'ja-JP', '￥1,234'],
    [1234, 'JPY', 'en-US', '¥1,234'],
    [1234, 'KWD', 'en-US', 'KWD 1.234'],
    [-1, 'KWD', 'en-US', '-KWD 0.001']
  ])('%i %s %s → %s', (minor, currency, locale, expected) => {
    expect(norm(formatMoney(minor, currency, locale))).toBe(norm(expected))
  })

  it('display code and none', () => {
    expect(norm(formatMoney(123456, 'USD', 'en-US', { display: 'code' }))).toBe('USD 1,234.56')
    expect(norm(formatMoney(123456, 'EUR', 'de-DE', { display: 'code' }))).toBe('1.234,56 EUR')
    expect(formatMoney(123456, 'USD', 'en-US', { display: 'none' })).toBe('1,234.56')
    expect(formatMoney(-123456, 'USD', 'en-US', { display: 'none' })).toBe('-1,234.56')
    expect(formatMoney(123450, 'EUR', 'de-DE', { display: 'none' })).toBe('1.234,50')
    expect(norm(formatMoney(123450, 'EUR', 'fr-FR', { display: 'none' }))).toBe('1 234,50')
    expect(formatMoney(1235, 'JPY', 'ja-JP', { display: 'none' })).toBe('1,235')
    expect(formatMoney(1230, 'KWD', 'en-US', { display: 'none' })).toBe('1.230')
    expect(formatMoney(0, 'KWD', 'en-US', { display: 'none' })).toBe('0.000')
    expect(formatMoney(123456789, 'INR', 'en-IN', { display: 'none' })).toBe('12,34,567.89')
    expect(formatMoney(-100, 'CHF', 'de-CH', { display: 'none' })).toMatch(/^-1\.00$/)
  })

  it('is exact at Number.MAX_SAFE_INTEGER minor units (no float on the way)', () => {
    expect(formatMoney(MAX, 'USD', 'en-US')).toBe('$90,071,992,547,409.91')
    expect(formatMoney(-MAX, 'USD', 'en-US')).toBe('-$90,071,992,547,409.91')
    expect(formatMoney(MAX, 'JPY', 'en-US')).toBe('¥9,007,199,254,740,991')
    expect(norm(formatMoney(MAX, 'KWD', 'en-US'))).toBe('KWD 9,007,199,254,740.991')
    expect(formatMoney(MAX, 'EUR', 'de-DE', { display: 'none' })).toBe('90.071.992.547.409,91')
    expect(formatMoney(MAX - 1, 'USD', 'en-US', { display: 'none' })).toBe('90,071,992,547,409.90')
    expect(formatMoney(123456789012345678901n, 'USD', 'en-US', { display: 'none' })).toBe(
      '1,234,567,890,123,456,789.01'
    )
  })

  it('rejects bad input', () => {
    expect(() => formatMoney(1.5, 'USD', 'en-US')).toThrow(RangeError)
    expect(() => formatMoney(MAX + 1, 'USD', 'en-US')).toThrow(RangeError)
    expect(() => formatMoney(1, 'ABC', 'en-US')).toThrow(RangeError)
    expect(() => formatMoney(1, 'USD', 'en-US', { display: 'name' as 'code' })).toThrow(RangeError)
  })

  it('parse(format(x)) === x for thousands of values, locales, currencies and displays', () => {
    const locales = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'de-CH', 'en-IN', 'hi-IN', 'ja-JP', 'fr-CH', 'de-AT', 'sv-SE', 'ar-EG']
    const currencies = ['USD', 'EUR', 'JPY', 'KWD', 'INR', 'CHF', 'GBP', 'KES']
    const displays = ['symbol', 'code', 'none'] as const
    const values = sampleAmounts(3000, 2026n)
    let checked = 0
    values.forEach((v, i) => {
      for (const locale of locales) {
        const currency = currencies[(i + locale.length) % currencies.length] ?? 'USD'
        const display = displays[i % displays.length] ?? 'symbol'
        const text = formatMoney(v, currency, locale, { display })
        const r = parseMoney(text, { locale, currency, allowNegative: true })
        if (!r.ok || r.minor !== v) {
          throw new Error(`${v} ${currency} ${locale} ${display}: ${JSON.stringify(text)} → ${JSON.stringify(r)}`)
        }
        checked++
      }
    })
    // and every display for every locale/currency on the edges
    for (const locale of locales) {
      for (const currency of currencies) {
        for (const display of displays) {
          for (const v of [0, 1, -1, 100, -100_000, 123456789, MAX, -MAX]) {
            const text = formatMoney(v, currency, locale, { display })
            expect([locale, currency, display, text, parseMoney(text, { locale, currency, allowNegative: true })]).toEqual(
              [locale, currency, display, text, { ok: true, minor: v }]
            )
            checked++
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(36000)
  })
})

describe('addMinor / subMinor', () => {
  it('adds and subtracts safe integers', () => {
    expect(addMinor()).toBe(0)
    expect(addMinor(1, 2, 3)).toBe(6)
    expect(addMinor(MAX, -1)).toBe(MAX - 1)
    expect(addMinor(MAX, 1, -1)).toBe(MAX) // exact even when an intermediate sum is not safe
    expect(addMinor(-MAX, MAX)).toBe(0)
    expect(subMinor(10, 3)).toBe(7)
    expect(subMinor(3, 10)).toBe(-7)
    expect(Object.is(subMinor(0, 0), 0)).toBe(true)
    expect(subMinor(-MAX + 1, 1)).toBe(-MAX)
  })

  it('throws RangeError on unsafe input or result', () => {
    expect(() => addMinor(MAX, 1)).toThrow(RangeError)
    expect(() => addMinor(-MAX, -1)).toThrow(RangeError)
    expect(() => addMinor(1.5)).toThrow(RangeError)
    expect(() => addMinor(Number.NaN)).toThrow(RangeError)
    expect(() => addMinor(MAX + 1, -1)).toThrow(RangeError)
    expect(() => subMinor(-MAX, 1)).toThrow(RangeError)
    expect(() => subMinor(MAX, -1)).toThrow(RangeError)
    expect(() => subMinor(0.1, 0)).toThrow(RangeError)
  })
})

describe('multiplyMinor', () => {
  it('rounds the exact product with the named rule', () => {
    expect(multiplyMinor(1000, '0.035', 'half-up')).toBe(35)
    expect(multiplyMinor(1001, '0.5', 'half-up')).toBe(501)
    expect(multiplyMinor(1001, '0.5', 'half-even')).toBe(500)
    expect(multiplyMinor(1003, '0.5', 'half-even')).toBe(502)
    expect(multiplyMinor(1001, '0.5', 'down')).toBe(500)
    expect(multiplyMinor(1001, '0.5', 'up')).toBe(501)
    expect(multiplyMinor(-1001, '0.5', 'half-up')).toBe(-501)
    expect(multiplyMinor(-1001, '0.5', 'half-even')).toBe(-500)
    expect(multiplyMinor(-1001, '0.5', 'down')).toBe(-500)
    expect(multiplyMinor(-1001, '0.5', 'up')).toBe(-501)
    expect(multiplyMinor(1001, '-0.5', 'half-up')).toBe(-501)
    expect(multiplyMinor(10000, '0.0001', 'half-up')).toBe(1)
    expect(multiplyMinor(1, '0.49999999999999999999999', 'half-up')).toBe(0)
    expect(multiplyMinor(1, '0.50000000000000000000001', 'half-even')).toBe(1)
    expect(multiplyMinor(3, '0.3333333333333333333333333333333333', 'half-up')).toBe(1)
    expect(multiplyMinor(MAX, '1', 'down')).toBe(MAX)
    expect(multiplyMinor(MAX, '0.5', 'half-even')).toBe(4503599627370496)
    expect(Object.is(multiplyMinor(-1, '0.1', 'half-up'), 0)).toBe(true)
    expect(multiplyMinor(0, '123.456', 'up')).toBe(0)
  })

  it('accepts a Decimal factor', () => {
    expect(multiplyMinor(1000, new Decimal('0.035'), 'half-up')).toBe(35)
    expect(multiplyMinor(200, new Decimal('1e-2'), 'up')).toBe(2)
    expect(() => multiplyMinor(1, new Decimal(Number.NaN), 'up')).toThrow(RangeError)
    expect(() => multiplyMinor(1, new Decimal('Infinity'), 'up')).toThrow(RangeError)
  })

  it('rejects bad input and unsafe results', () => {
    expect(() => multiplyMinor(1.5, '2', 'half-up')).toThrow(RangeError)
    expect(() => multiplyMinor(1, '1,5', 'half-up')).toThrow(RangeError)
    expect(() => multiplyMinor(1, 1.5 as unknown as string, 'half-up')).toThrow(TypeError)
    expect(() => multiplyMinor(MAX, '2', 'half-up')).toThrow(RangeError)
    expect(() => multiplyMinor(1, '1', 'nearest' as RoundingName)).toThrow(RangeError)
  })

  it('agrees with decimal.js at high precision', () => {
    const D = Decimal.clone({ precision: 200 })
    const next = prng(99n)
    const amounts = sampleAmounts(1500, 5n)
    for (const [i, minor] of amounts.entries()) {
      const scale = Number(next() % 8n)
      const factor = `${next() % 3n === 0n ? '-' : ''}${(next() % 10n ** 6n).toString()}e-${scale + 4}`
      const mode = ROUNDINGS[i % 4] ?? 'half-up'
      const exact = new D(minor).times(new D(factor)).toDecimalPlaces(0, DECIMAL_ROUNDING[mode])
      if (exact.abs().greaterThan(MAX)) {
        expect(() => multiplyMinor(minor, factor, mode)).toThrow(RangeError)
      } else {
        expect(multiplyMinor(minor, factor, mode)).toBe(exact.isZero() ? 0 : Number(exact.toFixed()))
      }
    }
  })
})

describe('allocateMinor', () => {
  it('splits by largest remainder, ties to the earliest index', () => {
    expect(allocateMinor(100, [1, 1, 1])).toEqual([34, 33, 33])
    expect(allocateMinor(101, [1, 1, 1])).toEqual([34, 34, 33])
    expect(allocateMinor(10, [1, 2, 3])).toEqual([2, 3, 5])
    expect(allocateMinor(5, [0, 1, 0, 1])).toEqual([0, 3, 0, 2])
    expect(allocateMinor(1, [1, 1, 1, 1])).toEqual([1, 0, 0, 0])
    expect(allocateMinor(3, [1, 1, 1, 1])).toEqual([1, 1, 1, 0])
    expect(allocateMinor(100, [3])).toEqual([100])
    expect(allocateMinor(7, [0, 5])).toEqual([0, 7])
    // remainders 0.7, 0.2, 0.1 → the largest gets the leftover, not the first
    expect(allocateMinor(1, [1, 2, 7])).toEqual([0, 0, 1])
    expect(allocateMinor(2, [1, 3, 6])).toEqual([0, 1, 1])
  })

  it('handles negative totals symmetrically and never returns -0', () => {
    expect(allocateMinor(-100, [1, 1, 1])).toEqual([-34, -33, -33])
    expect(allocateMinor(-10, [1, 2, 3])).toEqual([-2, -3, -5])
    const zeros = allocateMinor(0, [1, 2])
    expect(zeros).toEqual([0, 0])
    expect(zeros.every((z) => Object.is(z, 0))).toBe(true)
    expect(allocateMinor(-1, [0, 1, 1]).every((x) => !Object.is(x, -0))).toBe(true)
  })

  it('accepts decimal string weights, mixed with integers', () => {
    expect(allocateMinor(100, ['0.5', '0.25', '0.25'])).toEqual([50, 25, 25])
    expect(allocateMinor(100, ['33.333', 1, '0'])).toEqual([97, 3, 0])
    expect(allocateMinor(1000, ['1e2', '100', 100])).toEqual([334, 333, 333])
    expect(allocateMinor(10, ['0.000000000000000000000001', '0.000000000000000000000003'])).toEqual([3, 7])
  })

  it('works at the limits of the safe range', () => {
    const parts = allocateMinor(MAX, [1, 1, 1])
    expect(parts).toEqual([3002399751580331, 3002399751580330, 3002399751580330])
    expect(addMinor(...parts)).toBe(MAX)
    expect(addMinor(...allocateMinor(-MAX, [MAX, 1, 2]))).toBe(-MAX)
  })

  it('throws on bad weights or total', () => {
    expect(() => allocateMinor(100, [0, 0])).toThrow(RangeError)
    expect(() => allocateMinor(100, ['0', '0.00'])).toThrow(RangeError)
    expect(() => allocateMinor(100, [])).toThrow(RangeError)
    expect(() => allocateMinor(100, [1, -1])).toThrow(RangeError)
    expect(() => allocateMinor(100, ['-0.5', '1'])).toThrow(RangeError)
    expect(() => allocateMinor(100, [0.5, 1])).toThrow(RangeError)
    expect(() => allocateMinor(100, ['abc'])).toThrow(RangeError)
    expect(() => allocateMinor(1.5, [1])).toThrow(RangeError)
    expect(() => allocateMinor(MAX + 1, [1])).toThrow(RangeError)
  })

  it('parts always sum exactly to the total (property loop)', () => {
    const next = prng(7n)
    const totals = sampleAmounts(2000, 11n)
    for (const total of totals) {
      const n = Number(next() % 7n) + 1
      const weights: Array<number | string> = []
      for (let j = 0; j < n; j++) {
        const w = next() % 1000n
        weights.push(j % 2 === 0 ? Number(w) : `${w / 100n}.${(w % 100n).toString().padStart(2, '0')}`)
      }
      if (!weights.some((w) => w !== 0 && w !== '0.00')) weights[0] = 1
      const parts = allocateMinor(total, weights)
      expect(parts).toHaveLength(n)
      expect(addMinor(...parts)).toBe(total)
      // each part within one unit of its exact share, same sign as the total
      const ws = weights.map((w) => new Decimal(w))
      const sum = ws.reduce((a, b) => a.plus(b), new Decimal(0))
      parts.forEach((part, k) => {
        const exact = new Decimal(total).times(ws[k] ?? 0).div(sum)
        expect(new Decimal(part).minus(exact).abs().lessThan(1)).toBe(true)
        if (total > 0) expect(part).toBeGreaterThanOrEqual(0)
        if (total < 0) expect(part).toBeLessThanOrEqual(0)
      })
    }
  })
})
