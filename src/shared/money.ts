/**
 * Money: integer minor units, never floats.
 *
 * An amount is a JS `number` holding a safe integer count of the currency's
 * minor units (cents for USD, yen for JPY, fils for KWD). Every function here
 * that produces an amount checks it is a safe integer and throws RangeError
 * otherwise. Decimal arithmetic (parsing, rounding, allocation, products) is
 * done on strings and BigInt; no value with a fraction ever passes through a
 * JS float.
 *
 * Pure module: no Node built-ins, no Electron, no project imports.
 */
import Decimal from 'decimal.js'

// ---------------------------------------------------------------------------
// Rounding
// ---------------------------------------------------------------------------

/**
 * - 'half-up': nearest, .5 away from zero (2.5 → 3, -2.5 → -3)
 * - 'half-even': nearest, .5 to the even neighbour (2.5 → 2, 3.5 → 4)
 * - 'down': toward zero (truncate)
 * - 'up': away from zero
 */
export type RoundingName = 'half-up' | 'half-even' | 'down' | 'up'

/** The decimal.js rounding constant for each rounding name. */
export const DECIMAL_ROUNDING: Readonly<Record<RoundingName, Decimal.Rounding>> = Object.freeze({
  'half-up': Decimal.ROUND_HALF_UP,
  'half-even': Decimal.ROUND_HALF_EVEN,
  down: Decimal.ROUND_DOWN,
  up: Decimal.ROUND_UP
})

const ROUNDING_NAMES: readonly string[] = Object.keys(DECIMAL_ROUNDING)

function checkRounding(r: unknown): RoundingName {
  if (typeof r !== 'string' || !ROUNDING_NAMES.includes(r)) {
    throw new RangeError(`Unknown rounding mode: ${String(r)}`)
  }
  return r as RoundingName
}

// ---------------------------------------------------------------------------
// Exact decimal helpers (BigInt)
// ---------------------------------------------------------------------------

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const MAX_EXPONENT = 1000

/** value = coeff × 10^exp, exactly. */
interface ExactDecimal {
  coeff: bigint
  exp: number
}

const DECIMAL_RE = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,6}))?$/

/**
 * Parse a plain decimal string: optional sign, digits, optional `.digits`,
 * optional exponent (`1.5e3`). No spaces, no separators. Throws RangeError.
 */
function parseExactDecimal(s: string, what: string): ExactDecimal {
  if (typeof s !== 'string') throw new RangeError(`${what} must be a decimal string`)
  const m = DECIMAL_RE.exec(s)
  if (!m) throw new RangeError(`${what} is not a decimal number: "${s}"`)
  const sign = m[1] === '-' ? -1n : 1n
  const intDigits = m[2] ?? '0'
  const fracDigits = m[3] ?? ''
  const e = m[4] === undefined ? 0 : Number.parseInt(m[4], 10)
  if (Math.abs(e) > MAX_EXPONENT) throw new RangeError(`${what} exponent is out of range: "${s}"`)
  return { coeff: sign * BigInt(intDigits + fracDigits), exp: e - fracDigits.length }
}

function toExactDecimal(x: string | Decimal, what: string): ExactDecimal {
  if (typeof x === 'string') return parseExactDecimal(x, what)
  if (Decimal.isDecimal(x)) {
    if (!x.isFinite()) throw new RangeError(`${what} must be finite`)
    if (Math.abs(x.e) > MAX_EXPONENT) throw new RangeError(`${what} is out of range`)
    // toFixed() without arguments is the exact value in normal notation.
    return parseExactDecimal(x.toFixed(), what)
  }
  throw new TypeError(`${what} must be a decimal string or a Decimal`)
}

function absBig(n: bigint): bigint {
  return n < 0n ? -n : n
}

/** Round coeff × 10^exp to an integer with the named rule. Exact. */
function roundToInteger(d: ExactDecimal, rounding: RoundingName): bigint {
  if (d.coeff === 0n) return 0n
  if (d.exp >= 0) return d.coeff * 10n ** BigInt(d.exp)
  const neg = d.coeff < 0n
  const a = absBig(d.coeff)
  const k = -d.exp
  if (k > a.toString().length + 1) {
    // 0 < |value| < 0.1: no need for a huge power of ten.
    return rounding === 'up' ? (neg ? -1n : 1n) : 0n
  }
  const div = 10n ** BigInt(k)
  let q = a / div
  const r = a % div
  if (r !== 0n) {
    const twice = r * 2n
    let inc = false
    switch (rounding) {
      case 'down':
        inc = false
        break
      case 'up':
        inc = true
        break
      case 'half-up':
        inc = twice >= div
        break
      case 'half-even':
        inc = twice > div || (twice === div && q % 2n === 1n)
        break
    }
    if (inc) q += 1n
  }
  return neg ? -q : q
}

function toSafeNumber(n: bigint, what: string): number {
  if (n > MAX_SAFE || n < -MAX_SAFE) throw new RangeError(`${what} is beyond the safe integer range`)
  const v = Number(n)
  return v === 0 ? 0 : v // never -0
}

function checkMinor(x: unknown, what = 'Amount'): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x)) {
    throw new RangeError(`${what} must be a safe integer number of minor units, got ${String(x)}`)
  }
  return x
}

// ---------------------------------------------------------------------------
// Currencies and locales
// ---------------------------------------------------------------------------

let supportedCurrencies: ReadonlySet<string> | null | undefined

function supportedCurrencySet(): ReadonlySet<string> | null {
  if (supportedCurrencies === undefined) {
    const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] }
    try {
      supportedCurrencies =
        typeof intl.supportedValuesOf === 'function' ? new Set(intl.supportedValuesOf('currency')) : null
    } catch {
      supportedCurrencies = null
    }
  }
  return supportedCurrencies
}

/** True for an ISO 4217 code (3 uppercase letters) known to this Intl implementation. */
export function isSupportedCurrency(code: string): boolean {
  if (typeof code !== 'string' || !/^[A-Z]{3}$/.test(code)) return false
  const set = supportedCurrencySet()
  if (set) return set.has(code)
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code })
    return true
  } catch {
    return false
  }
}

const minorDigitsCache = new Map<string, number>()

/** ISO 4217 minor unit digits: JPY 0, USD 2, KWD 3. Throws RangeError on an unknown code. */
export function currencyMinorDigits(currency: string): number {
  const cached = minorDigitsCache.get(currency)
  if (cached !== undefined) return cached
  if (!isSupportedCurrency(currency)) throw new RangeError(`Unknown currency code: ${String(currency)}`)
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits
  if (digits === undefined || !Number.isInteger(digits)) {
    throw new RangeError(`Cannot determine minor units of ${currency}`)
  }
  minorDigitsCache.set(currency, digits)
  return digits
}

export interface Separators {
  decimal: string
  group: string
}

function separatorsOf(parts: Intl.NumberFormatPart[]): Separators & { indian: boolean } {
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.'
  const group = parts.find((p) => p.type === 'group')?.value ?? ''
  const ints = parts.filter((p) => p.type === 'integer').map((p) => p.value.length)
  // 1234567 grouped as 12,34,567 means lakh/crore grouping.
  const indian = ints.length === 3 && ints[0] === 2 && ints[1] === 2 && ints[2] === 3
  return { decimal, group, indian }
}

const localeSeparatorCache = new Map<string, Separators>()

/** Decimal and group separators of plain numbers in a locale (e.g. de-DE → ',' and '.'). */
export function localeSeparators(locale: string): Separators {
  const cached = localeSeparatorCache.get(locale)
  if (cached) return { ...cached }
  const { decimal, group } = separatorsOf(new Intl.NumberFormat(locale).formatToParts(1234567.5))
  const seps = { decimal, group }
  localeSeparatorCache.set(locale, seps)
  return { ...seps }
}

interface MoneyLocaleInfo {
  digits: number
  decimal: string
  /** Characters accepted as group separators, mapped to a "family" id. */
  groups: Map<string, string>
  /** The '.' or ',' that is not the decimal separator, when decimal is one of them. */
  otherMark: string | null
  indian: boolean
  /** Currency symbols and codes that may prefix or suffix an amount, upper-cased, longest first. */
  tokens: string[]
  example: string
}

const SPACE_GROUPS = [' ', '\u00A0', '\u202F', '\u2009']
const APOSTROPHE_GROUPS = ["'", '\u2019']

const moneyInfoCache = new Map<string, MoneyLocaleInfo>()

/**
 * Separators used for money in this locale and currency. They can differ from
 * plain numbers (fr-CH writes 1 234,5 but CHF 1 234.50), so parsing and
 * formatting of amounts use these.
 */
function moneyLocaleInfo(locale: string, currency: string): MoneyLocaleInfo {
  const key = `${locale}\u0000${currency}`
  const cached = moneyInfoCache.get(key)
  if (cached) return cached
  const digits = currencyMinorDigits(currency)
  const parts = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: 1,
    maximumFractionDigits: 1
  }).formatToParts(1234567.5)
  const { decimal, group, indian } = separatorsOf(parts)

  const groups = new Map<string, string>()
  if (SPACE_GROUPS.includes(group)) for (const g of SPACE_GROUPS) groups.set(g, 'space')
  else if (APOSTROPHE_GROUPS.includes(group)) for (const g of APOSTROPHE_GROUPS) groups.set(g, 'apostrophe')
  else if (group !== '' && group !== decimal) groups.set(group, group)
  let otherMark: string | null = null
  if (decimal === ',' || decimal === '.') {
    otherMark = decimal === ',' ? '.' : ','
    if (!groups.has(otherMark)) groups.set(otherMark, otherMark)
  }

  const tokens = new Set<string>([currency])
  for (const loc of [locale, 'en']) {
    for (const currencyDisplay of ['symbol', 'narrowSymbol', 'code'] as const) {
      const p = new Intl.NumberFormat(loc, { style: 'currency', currency, currencyDisplay }).formatToParts(1)
      for (const part of p) if (part.type === 'currency' && part.value.trim() !== '') tokens.add(part.value.trim())
    }
  }
  const tokenList = [...tokens].map((t) => t.toUpperCase()).sort((a, b) => b.length - a.length)

  const exampleGroup = group === '' ? '' : group
  const example = `1${exampleGroup}234${digits > 0 ? decimal + '5678901234'.slice(0, digits) : ''}`

  const info: MoneyLocaleInfo = { digits, decimal, groups, otherMark, indian, tokens: tokenList, example }
  moneyInfoCache.set(key, info)
  return info
}

// ---------------------------------------------------------------------------
// Parsing what a treasurer types
// ---------------------------------------------------------------------------

export type ParseMoneyResult = { ok: true; minor: number } | { ok: false; error: string }

export interface ParseMoneyOptions {
  currency: string
  locale: string
  allowNegative?: boolean
}

/** Zero code points of decimal digit blocks mapped to ASCII (Arabic-Indic, Devanagari, fullwidth, ...). */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6, 0x0e50,
  0x0ed0, 0x0f20, 0x1040, 0x17e0, 0x1810, 0xff10
]

function normaliseDigits(s: string): string {
  let out = ''
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    let mapped = ch
    if (cp > 0x7f) {
      for (const zero of DIGIT_ZEROS) {
        if (cp >= zero && cp <= zero + 9) {
          mapped = String.fromCharCode(0x30 + cp - zero)
          break
        }
      }
    }
    out += mapped
  }
  return out
}

const BIDI_MARKS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g
const MINUS_SIGNS = ['-', '\u2212', '\u2012', '\u2013']

function stripCurrencyToken(s: string, tokens: readonly string[]): string | null {
  const upper = s.toUpperCase()
  for (const t of tokens) {
    if (upper.length > t.length && upper.startsWith(t)) return s.slice(t.length)
    if (upper.length > t.length && upper.endsWith(t)) return s.slice(0, s.length - t.length)
  }
  return null
}

function fail(error: string): ParseMoneyResult {
  return { ok: false, error }
}

function validGrouping(chunks: readonly string[], indian: boolean): boolean {
  if (chunks.length < 2) return true
  const first = chunks[0] ?? ''
  const rest = chunks.slice(1)
  const western = first.length >= 1 && first.length <= 3 && rest.every((c) => c.length === 3)
  if (western || !indian) return western
  const last = chunks[chunks.length - 1] ?? ''
  const middle = chunks.slice(1, -1)
  return first.length >= 1 && first.length <= 2 && last.length === 3 && middle.every((c) => c.length === 2)
}

/**
 * Parse an amount typed by a person into minor units. Never throws for bad
 * input (returns `{ ok: false, error }` with a message fit for a form field);
 * throws RangeError only for a bad `currency` option.
 *
 * Accepted: locale decimal separator; the locale's group separator in valid
 * positions (all space-like characters are interchangeable in space-grouping
 * locales, ' and ’ in apostrophe-grouping ones); the '.'/',' that is not the
 * locale's decimal separator also counts as a group separator; a currency
 * symbol or ISO code before or after; a leading minus or surrounding
 * parentheses for negatives when `allowNegative`.
 */
export function parseMoney(input: string, opts: ParseMoneyOptions): ParseMoneyResult {
  const { currency, locale, allowNegative = false } = opts
  const info = moneyLocaleInfo(locale, currency)
  const generic = `Enter an amount like ${info.example}`
  if (typeof input !== 'string') return fail(generic)

  let s = normaliseDigits(input.replace(BIDI_MARKS, '')).trim()
  if (s === '') return fail('Enter an amount')

  let minus = false
  let parens = false
  let currencySeen = false
  for (;;) {
    if (!parens && s.length >= 2 && s.startsWith('(') && s.endsWith(')')) {
      parens = true
      s = s.slice(1, -1).trim()
      continue
    }
    if (!currencySeen) {
      const stripped = stripCurrencyToken(s, info.tokens)
      if (stripped !== null) {
        currencySeen = true
        s = stripped.trim()
        continue
      }
    }
    if (!minus && s.length > 1 && MINUS_SIGNS.includes(s.charAt(0))) {
      minus = true
      s = s.slice(1).trim()
      continue
    }
    break
  }

  // A different ISO code ("EUR 12" in a USD field).
  const code = /^[A-Za-z]{3}(?![A-Za-z])|(?<![A-Za-z])[A-Za-z]{3}$/.exec(s)?.[0]?.toUpperCase()
  if (code !== undefined && code !== currency && isSupportedCurrency(code)) {
    return fail(`Enter the amount in ${currency}`)
  }

  const { decimal, groups } = info
  let hasDigit = false
  for (const ch of s) {
    if (ch >= '0' && ch <= '9') hasDigit = true
    else if (ch !== decimal && !groups.has(ch)) return fail(generic)
  }
  if (!hasDigit) return fail(generic)
  if (minus && parens) return fail('Use a minus sign or parentheses, not both')

  const decParts = s.split(decimal)
  if (decParts.length > 2) return fail(`Only one decimal separator allowed, like ${info.example}`)
  const intPart = decParts[0] ?? ''
  const fracPart = decParts[1]
  if (fracPart !== undefined && !/^\d*$/.test(fracPart)) return fail(generic)

  // Integer part and its grouping.
  const groupChars = [...intPart].filter((ch) => groups.has(ch))
  const families = new Set(groupChars.map((ch) => groups.get(ch)))
  const chunks = intPart.split(new RegExp(`[${[...groups.keys()].map(escapeClass).join('')}]`))
  const groupingOk =
    families.size <= 1 && chunks.every((c) => c.length > 0 || chunks.length === 1) && validGrouping(chunks, info.indian)
  if (!groupingOk) {
    const other = info.otherMark
    if (
      other !== null &&
      fracPart === undefined &&
      groupChars.length === 1 &&
      groupChars[0] === other &&
      (chunks[1] ?? '').length > 0 &&
      (chunks[1] ?? '').length < 3
    ) {
      return fail(`Use "${decimal}" for decimals, like ${info.example}`)
    }
    return fail(`Misplaced thousands separator; enter an amount like ${info.example}`)
  }
  const intDigits = chunks.join('')

  const frac = fracPart ?? ''
  if (fracPart !== undefined && info.digits === 0) return fail(`${currency} has no minor units`)
  if (frac.length > info.digits) {
    return fail(`At most ${info.digits} decimal place${info.digits === 1 ? '' : 's'} for ${currency}`)
  }
  if (intDigits === '' && frac === '') return fail(generic)

  const digitString = ((intDigits + frac.padEnd(info.digits, '0')).replace(/^0+/, '') || '0')
  if (digitString.length > 16 || BigInt(digitString) > MAX_SAFE) return fail('Amount is too large')
  const magnitude = Number(BigInt(digitString))
  if ((minus || parens) && magnitude !== 0) {
    if (!allowNegative) return fail('Amount cannot be negative')
    return { ok: true, minor: -magnitude }
  }
  return { ok: true, minor: magnitude }
}

function escapeClass(ch: string): string {
  return /[\]\\^-]/.test(ch) ? `\\${ch}` : ch
}

// ---------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------

/** (123456,'USD') → "1234.56"; (-5,'USD') → "-0.05"; (7,'JPY') → "7". Exact for any bigint. */
export function minorToDecimalString(minor: number | bigint, currency: string): string {
  const digits = currencyMinorDigits(currency)
  let n: bigint
  if (typeof minor === 'bigint') n = minor
  else n = BigInt(checkMinor(minor))
  const neg = n < 0n
  const abs = (neg ? -n : n).toString()
  let body: string
  if (digits === 0) body = abs
  else {
    const padded = abs.padStart(digits + 1, '0')
    body = `${padded.slice(0, -digits)}.${padded.slice(-digits)}`
  }
  return neg ? `-${body}` : body
}

/**
 * A decimal string in major units ("12.345", "-0.5", "1e3") to minor units,
 * rounded exactly with the named rule (default half-up). Throws RangeError on
 * malformed input or a result outside the safe integer range.
 */
export function decimalStringToMinor(s: string, currency: string, rounding: RoundingName = 'half-up'): number {
  const mode = checkRounding(rounding)
  const digits = currencyMinorDigits(currency)
  const d = parseExactDecimal(s, 'Amount')
  return toSafeNumber(roundToInteger({ coeff: d.coeff, exp: d.exp + digits }, mode), 'Amount')
}

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

export type MoneyDisplay = 'symbol' | 'code' | 'none'

const formatterCache = new Map<string, Intl.NumberFormat>()

function moneyFormatter(locale: string, currency: string, display: MoneyDisplay): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}\u0000${display}`
  let f = formatterCache.get(key)
  if (!f) {
    const digits = currencyMinorDigits(currency)
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: display === 'code' ? 'code' : 'symbol',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      useGrouping: true
    })
    formatterCache.set(key, f)
  }
  return f
}

/**
 * Format minor units for display, exactly (the decimal string is handed to
 * Intl, never a float). display 'none' is the locale's money format with the
 * currency symbol and its spacing removed: grouping and exactly the currency's
 * digits ("1,234.50", "1.234,50", "-9'007.00").
 */
export function formatMoney(
  minor: number | bigint,
  currency: string,
  locale: string,
  opts?: { display?: MoneyDisplay }
): string {
  const display = opts?.display ?? 'symbol'
  if (display !== 'symbol' && display !== 'code' && display !== 'none') {
    throw new RangeError(`Unknown money display: ${String(display)}`)
  }
  const value = minorToDecimalString(minor, currency) as Intl.StringNumericLiteral
  const f = moneyFormatter(locale, currency, display)
  if (display !== 'none') return f.format(value)
  return f
    .formatToParts(value)
    .filter((p) => p.type !== 'currency' && !(p.type === 'literal' && p.value.trim() === ''))
    .map((p) => p.value)
    .join('')
    .trim()
}

// ---------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------

/** Sum of amounts; throws RangeError if any input or the result is not a safe integer. */
export function addMinor(...xs: number[]): number {
  let sum = 0n
  for (const x of xs) sum += BigInt(checkMinor(x))
  return toSafeNumber(sum, 'Sum')
}

/** a − b; throws RangeError if an input or the result is not a safe integer. */
export function subMinor(a: number, b: number): number {
  return toSafeNumber(BigInt(checkMinor(a)) - BigInt(checkMinor(b)), 'Difference')
}

/** minor × factor, exactly, rounded to an integer with the named rule. */
export function multiplyMinor(minor: number, factor: string | Decimal, rounding: RoundingName): number {
  const mode = checkRounding(rounding)
  const m = BigInt(checkMinor(minor))
  const f = toExactDecimal(factor, 'Factor')
  return toSafeNumber(roundToInteger({ coeff: m * f.coeff, exp: f.exp }, mode), 'Product')
}

/**
 * Split `total` into parts proportional to `weights` that sum exactly to
 * `total` (largest-remainder method; leftover units go to the largest
 * remainders, ties to the earliest index). Weights are non-negative safe
 * integers or non-negative decimal strings; a zero weight always gets 0.
 * A negative total is split like its absolute value, then negated.
 * Throws RangeError on an empty list, all-zero or negative weights.
 */
export function allocateMinor(total: number, weights: Array<number | string>): number[] {
  const t = BigInt(checkMinor(total, 'Total'))
  if (!Array.isArray(weights) || weights.length === 0) throw new RangeError('At least one weight is required')
  const decs = weights.map((w, i): ExactDecimal => {
    let d: ExactDecimal
    if (typeof w === 'number') {
      if (!Number.isSafeInteger(w)) throw new RangeError(`Weight ${i} must be a safe integer or a decimal string`)
      d = { coeff: BigInt(w), exp: 0 }
    } else if (typeof w === 'string') d = parseExactDecimal(w, `Weight ${i}`)
    else throw new RangeError(`Weight ${i} must be a safe integer or a decimal string`)
    if (d.coeff < 0n) throw new RangeError(`Weight ${i} is negative`)
    // Normalise trailing zeros so exponents stay small.
    while (d.coeff !== 0n && d.coeff % 10n === 0n) d = { coeff: d.coeff / 10n, exp: d.exp + 1 }
    return d
  })
  const nonZero = decs.filter((d) => d.coeff !== 0n)
  if (nonZero.length === 0) throw new RangeError('Weights must not all be zero')
  const minExp = Math.min(...nonZero.map((d) => d.exp))
  const maxExp = Math.max(...nonZero.map((d) => d.exp))
  if (maxExp - minExp > 2 * MAX_EXPONENT) throw new RangeError('Weights differ too much in magnitude')
  const ws = decs.map((d) => (d.coeff === 0n ? 0n : d.coeff * 10n ** BigInt(d.exp - minExp)))
  const sumW = ws.reduce((a, b) => a + b, 0n)

  const neg = t < 0n
  const abs = neg ? -t : t
  const parts = ws.map((w) => (abs * w) / sumW)
  const remainders = ws.map((w, i) => ({ i, r: (abs * w) % sumW }))
  let leftover = abs - parts.reduce((a, b) => a + b, 0n)
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1))
  for (const { i } of remainders) {
    if (leftover === 0n) break
    parts[i] = (parts[i] ?? 0n) + 1n
    leftover -= 1n
  }
  return parts.map((p) => toSafeNumber(neg ? -p : p, 'Part'))
}
