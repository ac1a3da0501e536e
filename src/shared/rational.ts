/**
 * Exact rationals for money: a BigInt numerator over a positive BigInt
 * denominator. Amounts are worked out as one exact fraction (multiply first,
 * divide last) and rounded once, by a named rule, where the amount is made.
 * Nothing is cut to a finite decimal in the middle of a computation.
 *
 * Pure module: no Node built-ins, no Electron, no other layer.
 */

/** An exact fraction; the denominator is positive. Functions here return it in lowest terms. */
export interface Rational {
  numerator: bigint
  denominator: bigint
}

/** How a rational becomes an integer (the names money.ts uses). */
export type RationalRounding = 'half-up' | 'half-even' | 'down' | 'up'

const ROUNDINGS: readonly string[] = ['half-up', 'half-even', 'down', 'up']

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) {
    const t = x % y
    x = y
    y = t
  }
  return x
}

function toBigInt(x: bigint | number, what: string): bigint {
  if (typeof x === 'bigint') return x
  if (typeof x === 'number' && Number.isSafeInteger(x)) return BigInt(x)
  throw new RangeError(`${what} must be a safe integer or a bigint, got ${String(x)}`)
}

/** n / d in lowest terms with a positive denominator. RangeError for a zero denominator. */
export function rational(numerator: bigint | number, denominator: bigint | number = 1n): Rational {
  let n = toBigInt(numerator, 'Numerator')
  let d = toBigInt(denominator, 'Denominator')
  if (d === 0n) throw new RangeError('A fraction cannot have a zero denominator')
  if (d < 0n) {
    n = -n
    d = -d
  }
  const g = gcd(n, d)
  return g > 1n ? { numerator: n / g, denominator: d / g } : { numerator: n, denominator: d }
}

export const ZERO: Rational = Object.freeze({ numerator: 0n, denominator: 1n })
export const ONE: Rational = Object.freeze({ numerator: 1n, denominator: 1n })

export function addRational(a: Rational, b: Rational): Rational {
  if (a.denominator === b.denominator) return rational(a.numerator + b.numerator, a.denominator)
  return rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
}

/** The exact product of any number of rationals (and integers), in lowest terms. */
export function mulRational(...factors: Array<Rational | bigint | number>): Rational {
  let n = 1n
  let d = 1n
  for (const f of factors) {
    if (typeof f === 'bigint' || typeof f === 'number') n *= toBigInt(f, 'Factor')
    else {
      n *= f.numerator
      d *= f.denominator
    }
  }
  return rational(n, d)
}

/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compareRational(a: Rational, b: Rational): number {
  const l = a.numerator * b.denominator
  const r = b.numerator * a.denominator
  return l < r ? -1 : l > r ? 1 : 0
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,4}))?$/

/**
 * Exact decimal text ("0.085", "12.5", "-3", "1e-8", as stored and as decimal.js
 * writes) to a rational: "0.085" is 85/1000 = 17/200. No float is involved.
 * RangeError naming `what` for anything else (spaces, commas, "", NaN, Infinity).
 */
export function parseDecimalRational(text: string, what = 'Number'): Rational {
  if (typeof text !== 'string') throw new TypeError(`${what} must be decimal text like "0.085", got ${typeof text}`)
  const m = DECIMAL_TEXT.exec(text)
  if (!m) throw new RangeError(`${what} is not a decimal number: "${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`)
  const frac = m[3] ?? ''
  const exp = (m[4] === undefined ? 0 : Number(m[4])) - frac.length
  let n = BigInt((m[2] ?? '0') + frac)
  if (m[1] === '-') n = -n
  return exp >= 0 ? rational(n * 10n ** BigInt(exp), 1n) : rational(n, 10n ** BigInt(-exp))
}

/**
 * numerator / denominator rounded to an integer by the named rule, exactly:
 * - 'half-up': to the nearest, a half away from zero (1562.5 → 1563, -2.5 → -3);
 * - 'half-even': to the nearest, a half to the even neighbour;
 * - 'down': toward zero; 'up': away from zero.
 * The denominator must be positive (a Rational's is).
 */
export function roundRational(r: Rational, rounding: RationalRounding): bigint {
  if (!ROUNDINGS.includes(rounding)) throw new RangeError(`Unknown rounding: ${String(rounding)}`)
  return divideRounded(r.numerator, r.denominator, rounding)
}

/** n / d (d > 0) rounded by the named rule; the one place the rules are spelled out. */
export function divideRounded(n: bigint, d: bigint, rounding: RationalRounding): bigint {
  if (d <= 0n) throw new RangeError('The divisor must be positive')
  const neg = n < 0n
  const a = neg ? -n : n
  let q = a / d
  const rem = a % d
  if (rem !== 0n) {
    const twice = rem * 2n
    if (
      rounding === 'up' ||
      (rounding === 'half-up' && twice >= d) ||
      (rounding === 'half-even' && (twice > d || (twice === d && (q & 1n) === 1n)))
    ) {
      q += 1n
    }
  }
  return neg ? -q : q
}

/** The fraction as text, "17/200" (or "3" when whole): for messages and tests. */
export function rationalToString(r: Rational): string {
  return r.denominator === 1n ? r.numerator.toString() : `${r.numerator}/${r.denominator}`
}
