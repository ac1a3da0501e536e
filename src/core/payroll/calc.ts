import { compareDates, diffDays, isCalendarDate, maxDate, minDate } from '../../shared/dates'
import { currencyMinorDigits, minorToDecimalString, type RoundingName } from '../../shared/money'
import { addRational, compareRational, mulRational, rational, roundRational, ZERO, type Rational } from '../../shared/rational'

/**
 * One payslip's pay, worked out exactly: a pure function of the components and
 * the part of the period worked. No database, no clock, no currency rates.
 *
 * Money is integer minor units (safe integers, checked); percentages and band
 * rates are decimal text ("7.5", "30") read as exact fractions (3/40, 3/10),
 * never through a float. Each component is one exact fraction (multiply first,
 * divide last) rounded ONCE, by that component's named rounding, at the end of
 * its own computation. Sums and differences of rounded components are exact
 * and never rounded again.
 *
 * The order of the computation:
 *  1. Earnings. A fixed earning is its amount; a percentage earning is its rate
 *     of the full-period amount of 'basic' (the earning BASIC) or of another
 *     earning, clamped to its floor and cap. Where `prorate` is true and the
 *     period is a part period, the exact full-period figure is multiplied by
 *     daysWorked / daysInPeriod before the one rounding (CALENDAR_DAYS_RULE).
 *     A percentage earning's base is the full-period amount of the earning it
 *     names, so whether it is pro-rated is decided by its own `prorate` alone.
 *  2. gross = the sum of the earnings as paid.
 *  3. Pre-tax deductions (a pension), on 'gross', 'basic' or an earning, as paid.
 *  4. taxable = taxable earnings as paid − pre-tax deductions, never below 0.
 *  5. The other deductions (income tax by bands on 'taxable', levies, a loan
 *     repayment), on any base.
 *  6. Employer contributions, on any base; they are not taken from net pay.
 *  7. net = gross − all deductions; below zero is refused (NegativeNetPayError).
 *
 * A band table is progressive: band k covers the base above band k−1's upper
 * bound (0 for the first) up to its own, and its rate applies to the part of
 * the base inside it. A base above the last band's bound (when it is not null)
 * bears nothing more: a contribution with a ceiling. The relief is subtracted
 * from the exact sum, never below 0, and the result rounded once.
 * A percentage is clamped to its floor and cap before the rounding (both are
 * whole minor units, so this is the same as clamping after it).
 *
 * Anything it cannot work out exactly and unambiguously is refused with a
 * RangeError (TypeError for a value of the wrong type) naming the component:
 * no guessed defaults, no ignored options.
 */

export type ComponentKind = 'earning' | 'deduction' | 'employer'

export interface Band {
  /** upper bound of this band in minor units of the base, per period; null = no upper bound (last band only) */
  upToMinor: number | null
  ratePercent: string
}

export type ComponentRule =
  | { method: 'fixed'; amountMinor: number }
  | { method: 'percentage'; ratePercent: string; base: string; capMinor?: number | null; floorMinor?: number | null }
  /** progressive: each band's rate on the part of the base inside it; relief subtracted after, never below 0 */
  | { method: 'bands'; bands: Band[]; base: string; reliefMinor?: number }

export interface ComponentDef {
  code: string
  name: string
  kind: ComponentKind
  /** earnings: counts toward taxable pay */
  taxable: boolean
  /** deductions: taken before tax (a pension), so taxable pay is reduced */
  preTax: boolean
  /** earnings only: pro-rated for a part period (basic salary yes; a one-off allowance maybe not) */
  prorate: boolean
  rule: ComponentRule
  rounding: RoundingName
}

/**
 * Bases a percentage or band may name: 'gross' (all earnings), 'basic' (the
 * earning with code BASIC), 'taxable' (taxable earnings less pre-tax
 * deductions), or any earning's code.
 */
export interface PayInput {
  /** ISO 4217 code of the book's currency: the workings write amounts in it ("KES 12,000.00"). */
  currency: string
  components: ComponentDef[]
  proration: { daysWorked: number; daysInPeriod: number } | null
}

export interface PayLine {
  code: string
  name: string
  kind: ComponentKind
  /** The base the rate or bands applied to (for a percentage earning: the full-period amount of its base); null for a fixed amount. */
  baseMinor: number | null
  amountMinor: number
  /** in words: "30% of KES 12,000.00 taxable pay (band 3)", numbers plain */
  workings: string
}

export interface PayResult {
  /** Earnings, then deductions, then employer contributions, each in the order given. */
  lines: PayLine[]
  grossMinor: number
  taxableMinor: number
  preTaxMinor: number
  /** All deductions, pre-tax ones included. */
  deductionsMinor: number
  netMinor: number
  employerMinor: number
}

/**
 * Deductions exceed gross pay. The caller records the payslip as failed with
 * this message; `shortfallMinor` is by how much net pay would be below zero.
 */
export class NegativeNetPayError extends RangeError {
  readonly shortfallMinor: number
  constructor(message: string, shortfallMinor: number) {
    super(message)
    this.name = 'NegativeNetPayError'
    this.shortfallMinor = shortfallMinor
  }
}

/** The earning the base name 'basic' stands for. */
export const BASIC_CODE = 'BASIC'

/** The base names that are not component codes; no component may take one as its code. */
export const RESERVED_BASES: readonly string[] = ['gross', 'basic', 'taxable']

export const CALENDAR_DAYS_RULE =
  'Pro-rated by calendar days: for a part period, a pro-rated earning is its full-period amount × the calendar days ' +
  'the person was employed in the period (the hire date and the leaving date both counted) ÷ the calendar days in ' +
  'the period, worked out exactly and rounded once by the component’s own rounding. Earnings not marked for ' +
  'pro-rating, deductions and employer contributions are not pro-rated (a deduction on a base follows that base).'

// ---------------------------------------------------------------------------
// Checking the input
// ---------------------------------------------------------------------------

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const KINDS: readonly string[] = ['earning', 'deduction', 'employer']
const KIND_WORDS: Readonly<Record<ComponentKind, string>> = {
  earning: 'an earning',
  deduction: 'a deduction',
  employer: 'an employer contribution'
}
const ROUNDINGS: readonly string[] = ['half-up', 'half-even', 'down', 'up']
const INPUT_KEYS: readonly string[] = ['currency', 'components', 'proration']
const PRORATION_KEYS: readonly string[] = ['daysWorked', 'daysInPeriod']
const DEF_KEYS: readonly string[] = ['code', 'name', 'kind', 'taxable', 'preTax', 'prorate', 'rule', 'rounding']
const RULE_KEYS: Readonly<Record<string, readonly string[]>> = {
  fixed: ['method', 'amountMinor'],
  percentage: ['method', 'ratePercent', 'base', 'capMinor', 'floorMinor'],
  bands: ['method', 'bands', 'base', 'reliefMinor']
}
const BAND_KEYS: readonly string[] = ['upToMinor', 'ratePercent']
/** A plain percentage: digits, an optional fraction; no sign, exponent, spaces or separators. */
const PERCENT_RE = /^\d{1,15}(?:\.\d{1,15})?$/

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x)
}

function knownKeys(obj: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) throw new RangeError(`${what} has an unknown option "${key}" (use ${known.join(', ')})`)
  }
}

function showValue(x: unknown): string {
  const s = typeof x === 'string' ? `"${x}"` : String(x)
  return s.length > 48 ? `${s.slice(0, 48)}…` : s
}

/** A safe integer ≥ 0 of minor units. */
function minorAtLeastZero(x: unknown, what: string): bigint {
  if (typeof x !== 'number' || !Number.isSafeInteger(x)) {
    throw new RangeError(`${what} must be a whole number of minor units, got ${showValue(x)}`)
  }
  if (x < 0) throw new RangeError(`${what} must not be negative, got ${x}`)
  return BigInt(x)
}

/** "7.5" → 3/40: the percentage as an exact fraction of 1. */
function parsePercent(text: unknown, what: string): Rational {
  if (typeof text !== 'string') throw new TypeError(`${what} must be decimal text like "7.5", got ${showValue(text)}`)
  if (/^-\d/.test(text) && PERCENT_RE.test(text.slice(1))) throw new RangeError(`${what} must not be negative, got "${text}"`)
  if (!PERCENT_RE.test(text)) throw new RangeError(`${what} is not a percentage like "7.5" or "30": ${showValue(text)}`)
  const [whole = '0', frac = ''] = text.split('.')
  return rational(BigInt(whole + frac), 100n * 10n ** BigInt(frac.length))
}

/** The percentage as written plainly: "07.50" → "7.5". */
function plainPercent(text: string): string {
  const [whole = '0', frac = ''] = text.split('.')
  const w = whole.replace(/^0+(?=\d)/, '')
  const f = frac.replace(/0+$/, '')
  return f === '' ? w : `${w}.${f}`
}

function toSafe(n: bigint, what: string): number {
  if (n > MAX_SAFE || n < -MAX_SAFE) {
    throw new RangeError(`${what} (${n.toString()} minor units) is beyond the largest amount Coffer counts exactly`)
  }
  return n === 0n ? 0 : Number(n)
}

interface Checked {
  def: ComponentDef
  label: string
  rate: Rational | null
  cap: bigint | null
  floor: bigint | null
  relief: bigint
  bands: Array<{ upTo: bigint | null; rate: Rational; text: string }>
}

function checkDef(raw: unknown, index: number): Checked {
  if (!isObject(raw)) throw new TypeError(`Component ${index + 1} must be an object, got ${showValue(raw)}`)
  const code = raw.code
  if (typeof code !== 'string' || code.trim() === '' || code.trim() !== code) {
    throw new RangeError(`Component ${index + 1} needs a code without surrounding spaces, got ${showValue(code)}`)
  }
  const label = `Component ${code}`
  knownKeys(raw, DEF_KEYS, label)
  if (RESERVED_BASES.includes(code)) {
    throw new RangeError(`${label}: "${code}" is the name of a base (${RESERVED_BASES.join(', ')}), so it cannot be a code`)
  }
  if (typeof raw.name !== 'string' || raw.name.trim() === '') throw new RangeError(`${label} needs a name`)
  if (typeof raw.kind !== 'string' || !KINDS.includes(raw.kind)) {
    throw new RangeError(`${label}: the kind must be earning, deduction or employer, got ${showValue(raw.kind)}`)
  }
  for (const flag of ['taxable', 'preTax', 'prorate'] as const) {
    if (typeof raw[flag] !== 'boolean') throw new TypeError(`${label}: "${flag}" must be true or false, got ${showValue(raw[flag])}`)
  }
  if (typeof raw.rounding !== 'string' || !ROUNDINGS.includes(raw.rounding)) {
    throw new RangeError(`${label}: the rounding must be one of ${ROUNDINGS.join(', ')}, got ${showValue(raw.rounding)}`)
  }
  const def = raw as unknown as ComponentDef
  const isA = KIND_WORDS[def.kind]
  if (def.kind !== 'earning' && def.taxable) throw new RangeError(`${label} is ${isA}: only an earning counts toward taxable pay (set taxable to false)`)
  if (def.kind !== 'earning' && def.prorate) throw new RangeError(`${label} is ${isA}: only an earning is pro-rated (set prorate to false)`)
  if (def.kind !== 'deduction' && def.preTax) throw new RangeError(`${label} is ${isA}: only a deduction is taken before tax (set preTax to false)`)

  const rule: unknown = raw.rule
  if (!isObject(rule)) throw new TypeError(`${label} needs a rule`)
  const method = rule.method
  if (typeof method !== 'string' || !Object.hasOwn(RULE_KEYS, method)) {
    throw new RangeError(`${label}: the method must be fixed, percentage or bands, got ${showValue(method)}`)
  }
  knownKeys(rule, RULE_KEYS[method] ?? [], `${label}'s rule`)
  const c: Checked = { def, label, rate: null, cap: null, floor: null, relief: 0n, bands: [] }
  if (method === 'fixed') {
    minorAtLeastZero(rule.amountMinor, `${label}'s amount`)
    return c
  }
  if (typeof rule.base !== 'string' || rule.base === '') throw new RangeError(`${label} needs a base (gross, basic, taxable or an earning's code)`)
  if (method === 'percentage') {
    c.rate = parsePercent(rule.ratePercent, `${label}'s rate`)
    if (rule.capMinor !== undefined && rule.capMinor !== null) c.cap = minorAtLeastZero(rule.capMinor, `${label}'s cap`)
    if (rule.floorMinor !== undefined && rule.floorMinor !== null) c.floor = minorAtLeastZero(rule.floorMinor, `${label}'s floor`)
    if (c.cap !== null && c.floor !== null && c.floor > c.cap) {
      throw new RangeError(`${label}: the floor (${c.floor.toString()}) is above the cap (${c.cap.toString()})`)
    }
    return c
  }
  // bands
  if (def.kind === 'earning') throw new RangeError(`${label} is an earning: an earning is a fixed amount or a percentage, not a band table`)
  if (rule.reliefMinor !== undefined) c.relief = minorAtLeastZero(rule.reliefMinor, `${label}'s relief`)
  const bands: unknown = rule.bands
  if (!Array.isArray(bands) || bands.length === 0) throw new RangeError(`${label} needs at least one band`)
  let previous = 0n
  bands.forEach((b: unknown, i) => {
    const what = `${label}, band ${i + 1}`
    if (!isObject(b)) throw new TypeError(`${what} must be an object`)
    knownKeys(b, BAND_KEYS, what)
    const rate = parsePercent(b.ratePercent, `${what}: the rate`)
    let upTo: bigint | null = null
    if (b.upToMinor === null) {
      if (i !== bands.length - 1) throw new RangeError(`${what} has no upper bound but is not the last band`)
    } else {
      upTo = minorAtLeastZero(b.upToMinor, `${what}: the upper bound`)
      if (upTo <= previous) {
        throw new RangeError(
          `${what}: the upper bound ${upTo.toString()} must be above ${i === 0 ? 'zero' : `band ${i}'s (${previous.toString()})`}; bands go strictly upward`
        )
      }
      previous = upTo
    }
    c.bands.push({ upTo, rate, text: plainPercent(b.ratePercent as string) })
  })
  return c
}

interface Proration {
  worked: number
  days: number
}

function checkProration(p: unknown): Proration | null {
  if (p === null) return null
  if (!isObject(p)) throw new TypeError(`The proration must be { daysWorked, daysInPeriod } or null, got ${showValue(p)}`)
  knownKeys(p, PRORATION_KEYS, 'The proration')
  const { daysWorked, daysInPeriod } = p
  if (typeof daysInPeriod !== 'number' || !Number.isSafeInteger(daysInPeriod) || daysInPeriod < 1) {
    throw new RangeError(`The days in the period must be a whole number of 1 or more, got ${showValue(daysInPeriod)}`)
  }
  if (typeof daysWorked !== 'number' || !Number.isSafeInteger(daysWorked) || daysWorked < 0 || daysWorked > daysInPeriod) {
    throw new RangeError(`The days worked must be a whole number from 0 to ${daysInPeriod} (the days in the period), got ${showValue(daysWorked)}`)
  }
  return daysWorked === daysInPeriod ? null : { worked: daysWorked, days: daysInPeriod }
}

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

const ROUNDING_WORDS: Readonly<Record<RoundingName, string>> = {
  'half-up': 'rounded half-up',
  'half-even': 'rounded half-even',
  down: 'rounded down',
  up: 'rounded up'
}

function moneyWords(currency: string, minor: bigint): string {
  const text = minorToDecimalString(minor, currency)
  const neg = text.startsWith('-')
  const [whole = '0', frac] = (neg ? text.slice(1) : text).split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${currency} ${neg ? '-' : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`
}

// ---------------------------------------------------------------------------
// The computation
// ---------------------------------------------------------------------------

interface Figure {
  exact: Rational
  amount: bigint
  workings: string
}

function clamp(x: Rational, floor: bigint | null, cap: bigint | null): { value: Rational; note: string | null } {
  if (cap !== null && compareRational(x, rational(cap)) > 0) return { value: rational(cap), note: 'capped at' }
  if (floor !== null && compareRational(x, rational(floor)) < 0) return { value: rational(floor), note: 'raised to the floor of' }
  return { value: x, note: null }
}

function roundOnce(c: Checked, exact: Rational, words: string): Figure {
  const amount = roundRational(exact, c.def.rounding)
  toSafe(amount, `${c.label}'s amount`)
  const note = exact.denominator === 1n ? '' : `, ${ROUNDING_WORDS[c.def.rounding]}`
  return { exact, amount, workings: `${words}${note}` }
}

/** rate% of the base, clamped, times the part of the period (if any), rounded once. */
function percentageFigure(c: Checked, base: bigint, baseWords: string, part: Proration | null, money: (m: bigint) => string): Figure {
  const rate = c.rate ?? ZERO
  const rule = c.def.rule as Extract<ComponentRule, { method: 'percentage' }>
  const { value, note } = clamp(mulRational(rate, base), c.floor, c.cap)
  let words = `${plainPercent(rule.ratePercent)}% of ${money(base)} ${baseWords}`
  if (note !== null) words += `, ${note} ${money(value.numerator)}`
  let exact = value
  if (part !== null) {
    exact = mulRational(value, part.worked, rational(1n, BigInt(part.days)))
    words += `, for ${part.worked} of ${part.days} days`
  }
  return roundOnce(c, exact, words)
}

function bandsFigure(c: Checked, base: bigint, baseWords: string, money: (m: bigint) => string): Figure {
  let exact: Rational = ZERO
  let lower = 0n
  const parts: string[] = []
  let last = 0
  for (const [i, band] of c.bands.entries()) {
    if (base <= lower) break
    const top = band.upTo === null || base < band.upTo ? base : band.upTo
    const portion = top - lower
    exact = addRational(exact, mulRational(band.rate, portion))
    parts.push(`${band.text}% of ${money(portion)} ${baseWords} (band ${i + 1})`)
    last = i + 1
    if (band.upTo === null) break
    lower = band.upTo
  }
  let words = parts.length === 0 ? `${money(base)} ${baseWords}: nothing in any band` : parts.join(' + ')
  const ceiling = c.bands[c.bands.length - 1]?.upTo ?? null
  if (ceiling !== null && base > ceiling) words += `; nothing on the ${money(base - ceiling)} above band ${last}`
  if (c.relief > 0n) {
    exact = addRational(exact, rational(-c.relief))
    words += `, less relief of ${money(c.relief)}`
    if (exact.numerator < 0n) {
      exact = ZERO
      words += ', not below 0'
    }
  }
  return roundOnce(c, exact, words)
}

function baseWordsOf(base: string, byCode: ReadonlyMap<string, Checked>): string {
  if (base === 'gross') return 'gross pay'
  if (base === 'basic') return 'basic pay'
  if (base === 'taxable') return 'taxable pay'
  return byCode.get(base)?.def.name ?? base
}

/** The code of the earning a base names, or null for 'gross'/'taxable'; RangeError where it names none. */
function earningOfBase(c: Checked, byCode: ReadonlyMap<string, Checked>): string | null {
  const rule = c.def.rule as { base: string }
  const base = rule.base
  if (base === 'gross' || base === 'taxable') {
    if (c.def.kind === 'earning') {
      throw new RangeError(`${c.label} is an earning, so it cannot be a percentage of ${base} pay, which it is part of`)
    }
    if (base === 'taxable' && c.def.preTax) {
      throw new RangeError(`${c.label} is taken before tax, so it cannot be on taxable pay, which it reduces`)
    }
    return null
  }
  const code = base === 'basic' ? BASIC_CODE : base
  const target = byCode.get(code)
  if (target === undefined) {
    throw new RangeError(
      base === 'basic'
        ? `${c.label} is on basic pay, but there is no earning with the code ${BASIC_CODE}`
        : `${c.label} is on "${base}", which is no component's code (nor gross, basic or taxable)`
    )
  }
  if (target.def.kind !== 'earning') {
    throw new RangeError(`${c.label} is on ${code}, which is ${KIND_WORDS[target.def.kind]}, not an earning`)
  }
  if (code === c.def.code) throw new RangeError(`${c.label} cannot be a percentage of itself`)
  return code
}

function sum(xs: Iterable<bigint>): bigint {
  let s = 0n
  for (const x of xs) s += x
  return s
}

/**
 * The pay of one person for one period: every component rounded once by its
 * own rounding, gross, taxable pay, deductions, net and employer
 * contributions. RangeError naming the code for anything it refuses;
 * NegativeNetPayError (a RangeError) when deductions exceed gross pay.
 */
export function computePay(input: PayInput): PayResult {
  if (!isObject(input)) throw new TypeError('The pay input must be an object')
  knownKeys(input, INPUT_KEYS, 'The pay input')
  const currency = input.currency
  if (typeof currency !== 'string') throw new TypeError('The pay input needs the currency (an ISO 4217 code)')
  currencyMinorDigits(currency) // RangeError for an unknown code
  const money = (m: bigint): string => moneyWords(currency, m)
  if (!Array.isArray(input.components)) throw new TypeError('The pay input needs a list of components')
  if (!Object.hasOwn(input, 'proration')) throw new RangeError('The pay input needs a proration (null for the whole period)')
  const part = checkProration(input.proration)

  const checked = input.components.map(checkDef)
  const byCode = new Map<string, Checked>()
  for (const c of checked) {
    if (byCode.has(c.def.code)) throw new RangeError(`Two components have the code ${c.def.code}; codes must be unique`)
    byCode.set(c.def.code, c)
  }
  const baseOf = new Map<string, string | null>()
  for (const c of checked) if (c.def.rule.method !== 'fixed') baseOf.set(c.def.code, earningOfBase(c, byCode))

  // 1. Earnings: the full-period amount (a base for percentage earnings) and the amount paid.
  const full = new Map<string, bigint>()
  const paid = new Map<string, Figure & { baseMinor: bigint | null }>()
  const visiting: string[] = []
  const earn = (c: Checked): bigint => {
    const done = full.get(c.def.code)
    if (done !== undefined) return done
    const at = visiting.indexOf(c.def.code)
    if (at >= 0) {
      throw new RangeError(`Earnings are percentages of each other in a circle: ${[...visiting.slice(at), c.def.code].join(' → ')}`)
    }
    visiting.push(c.def.code)
    const rule = c.def.rule
    const prorated = c.def.prorate ? part : null
    let whole: bigint
    let figure: Figure & { baseMinor: bigint | null }
    if (rule.method === 'fixed') {
      whole = BigInt(rule.amountMinor)
      figure =
        prorated === null
          ? { exact: rational(whole), amount: whole, workings: `Fixed amount of ${money(whole)}`, baseMinor: null }
          : {
              ...roundOnce(c, mulRational(whole, prorated.worked, rational(1n, BigInt(prorated.days))), `${money(whole)} for ${prorated.worked} of ${prorated.days} days`),
              baseMinor: null
            }
    } else {
      const baseCode = baseOf.get(c.def.code)
      const base = byCode.get(baseCode ?? '')
      if (base === undefined) throw new RangeError(`${c.label} has no earning for a base`) // refused in earningOfBase already
      const baseMinor = earn(base)
      const words = baseWordsOf((rule as { base: string }).base, byCode)
      whole = percentageFigure(c, baseMinor, words, null, money).amount
      figure = { ...percentageFigure(c, baseMinor, words, prorated, money), baseMinor }
    }
    visiting.pop()
    full.set(c.def.code, whole)
    paid.set(c.def.code, figure)
    return whole
  }
  const earnings = checked.filter((c) => c.def.kind === 'earning')
  for (const c of earnings) earn(c)
  const paidOf = (code: string): bigint => paid.get(code)?.amount ?? 0n
  const gross = sum(earnings.map((c) => paidOf(c.def.code)))
  toSafe(gross, 'Gross pay')

  // 2..6. Deductions and employer contributions, pre-tax ones first.
  const figures = new Map<string, Figure & { baseMinor: bigint | null }>()
  let taxable: bigint | null = null
  const other = (c: Checked): void => {
    const rule = c.def.rule
    if (rule.method === 'fixed') {
      const amount = BigInt(rule.amountMinor)
      figures.set(c.def.code, { exact: rational(amount), amount, workings: `Fixed amount of ${money(amount)}`, baseMinor: null })
      return
    }
    const baseCode = baseOf.get(c.def.code) ?? null
    let baseMinor: bigint
    if (rule.base === 'gross') baseMinor = gross
    else if (rule.base === 'taxable') {
      if (taxable === null) throw new RangeError(`${c.label}: taxable pay is not known yet`) // pre-tax ones are refused on 'taxable'
      baseMinor = taxable
    } else baseMinor = paidOf(baseCode ?? '')
    const words = baseWordsOf(rule.base, byCode)
    const figure = rule.method === 'percentage' ? percentageFigure(c, baseMinor, words, null, money) : bandsFigure(c, baseMinor, words, money)
    figures.set(c.def.code, { ...figure, baseMinor })
  }
  const deductions = checked.filter((c) => c.def.kind === 'deduction')
  const employer = checked.filter((c) => c.def.kind === 'employer')
  for (const c of deductions) if (c.def.preTax) other(c)
  const preTax = sum(deductions.filter((c) => c.def.preTax).map((c) => figures.get(c.def.code)?.amount ?? 0n))
  const taxableEarnings = sum(earnings.filter((c) => c.def.taxable).map((c) => paidOf(c.def.code)))
  taxable = taxableEarnings > preTax ? taxableEarnings - preTax : 0n
  for (const c of deductions) if (!c.def.preTax) other(c)
  for (const c of employer) other(c)

  const totalDeductions = sum(deductions.map((c) => figures.get(c.def.code)?.amount ?? 0n))
  const employerTotal = sum(employer.map((c) => figures.get(c.def.code)?.amount ?? 0n))
  const net = gross - totalDeductions
  if (net < 0n) {
    throw new NegativeNetPayError(
      `Net pay would be below zero by ${money(-net)}: deductions of ${money(totalDeductions)} are more than gross pay of ${money(gross)}`,
      toSafe(-net, 'The shortfall')
    )
  }

  const line = (c: Checked, f: (Figure & { baseMinor: bigint | null }) | undefined): PayLine => {
    if (f === undefined) throw new RangeError(`${c.label} was not worked out`) // every component is, above
    return {
      code: c.def.code,
      name: c.def.name,
      kind: c.def.kind,
      baseMinor: f.baseMinor === null ? null : toSafe(f.baseMinor, `${c.label}'s base`),
      amountMinor: toSafe(f.amount, `${c.label}'s amount`),
      workings: f.workings
    }
  }
  return {
    lines: [
      ...earnings.map((c) => line(c, paid.get(c.def.code))),
      ...deductions.map((c) => line(c, figures.get(c.def.code))),
      ...employer.map((c) => line(c, figures.get(c.def.code)))
    ],
    grossMinor: toSafe(gross, 'Gross pay'),
    taxableMinor: toSafe(taxable, 'Taxable pay'),
    preTaxMinor: toSafe(preTax, 'Pre-tax deductions'),
    deductionsMinor: toSafe(totalDeductions, 'Deductions'),
    netMinor: toSafe(net, 'Net pay'),
    employerMinor: toSafe(employerTotal, 'Employer contributions')
  }
}

// ---------------------------------------------------------------------------
// Part periods
// ---------------------------------------------------------------------------

function checkDate(d: unknown, what: string): string {
  if (typeof d !== 'string' || !isCalendarDate(d)) throw new RangeError(`${what} must be a date (YYYY-MM-DD), got ${showValue(d)}`)
  return d
}

/**
 * Calendar days of the period the person was employed (hire and leaving dates
 * inclusive); the rule is named: CALENDAR_DAYS_RULE. null = employed the whole
 * period (no pro-rating). daysWorked is 0 when the employment does not touch
 * the period at all: the caller should draft no payslip for it.
 */
export function prorationFor(
  period: { start: string; end: string },
  hireDate: string,
  leavingDate: string | null
): { daysWorked: number; daysInPeriod: number } | null {
  if (!isObject(period)) throw new TypeError('The period must be { start, end }')
  const start = checkDate(period.start, 'The period start')
  const end = checkDate(period.end, 'The period end')
  if (compareDates(start, end) > 0) throw new RangeError(`The period ends (${end}) before it starts (${start})`)
  const hire = checkDate(hireDate, 'The hire date')
  const leaving = leavingDate === null ? null : checkDate(leavingDate, 'The leaving date')
  if (leaving !== null && compareDates(leaving, hire) < 0) {
    throw new RangeError(`The leaving date (${leaving}) is before the hire date (${hire})`)
  }
  const daysInPeriod = diffDays(start, end) + 1
  const from = maxDate(start, hire)
  const to = leaving === null ? end : minDate(end, leaving)
  const daysWorked = compareDates(from, to) > 0 ? 0 : diffDays(from, to) + 1
  return daysWorked === daysInPeriod ? null : { daysWorked, daysInPeriod }
}
