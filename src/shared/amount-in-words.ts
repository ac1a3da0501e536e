/**
 * An amount of money written out in English words, as printed on payment
 * vouchers and cheques so a figure cannot be altered unnoticed.
 *
 * The form (one sentence, first letter capitalised, ending in "only"):
 *
 *   <major in words> <major unit> [and <minor in words> <minor unit>] only
 *
 *   amountInWords(123456, 'KES') → "One thousand two hundred thirty-four Kenya shillings and fifty-six cents only"
 *   amountInWords(100, 'USD')    → "One US dollar only"
 *   amountInWords(5, 'GBP')      → "Zero pounds sterling and five pence only"
 *   amountInWords(1234, 'KWD')   → "One Kuwaiti dinar and two hundred thirty-four fils only"
 *   amountInWords(1500, 'UGX')   → "One thousand five hundred Uganda shillings only"
 *   amountInWords(0, 'KES')      → "Zero Kenya shillings only"
 *
 * Rules:
 * - The minor part is left out when it is zero; the major part is always
 *   written, "zero" included, so the currency is never lost.
 * - Numbers use the short scale (thousand, million, billion, trillion,
 *   quadrillion), hyphenated tens ("thirty-four") and no "and" inside a number
 *   ("one hundred five"): the only "and" joins the major and minor parts.
 * - INR uses Indian numbering (thousand, lakh, crore): 1,23,45,678 →
 *   "one crore twenty-three lakh forty-five thousand six hundred seventy-eight".
 * - Currencies without a table entry (any other ISO 4217 code, or any
 *   well-formed three-letter code) use the code as the unit and write the
 *   minor part as a fraction: 123456 'XYZ' → "One thousand two hundred
 *   thirty-four XYZ and 56/100 only".
 * - The number of minor digits comes from `currencyMinorDigits` (src/shared/money.ts),
 *   so it always agrees with how the amount is stored and formatted; a code
 *   Intl does not know is taken to have 2.
 *
 * Amounts are integer minor units, 0..Number.MAX_SAFE_INTEGER. A negative or
 * non-integer amount, a malformed currency code or a locale other than 'en'
 * throws RangeError: vouchers are never negative.
 *
 * Pure module: no Node built-ins, no Electron.
 */
import { currencyMinorDigits, isSupportedCurrency } from './money'

export interface AmountInWordsOptions {
  /** Only English is available today. */
  locale?: 'en'
}

interface UnitName {
  one: string
  many: string
}

interface CurrencyWords {
  major: UnitName
  /** Null when the currency has no minor unit in use (its digits are 0). */
  minor: UnitName | null
  indian?: boolean
}

function unit(one: string, many: string = `${one}s`): UnitName {
  return { one, many }
}

const CENT = unit('cent')

/** Unit names by ISO 4217 code. Country-qualified where the bare name is shared (shilling, dollar, dinar...). */
const CURRENCIES: Readonly<Record<string, CurrencyWords>> = Object.freeze({
  // East Africa
  KES: { major: unit('Kenya shilling'), minor: CENT },
  UGX: { major: unit('Uganda shilling'), minor: null },
  TZS: { major: unit('Tanzania shilling'), minor: CENT },
  RWF: { major: unit('Rwanda franc'), minor: null },
  BIF: { major: unit('Burundi franc'), minor: null },
  ETB: { major: unit('Ethiopian birr'), minor: unit('santim') },
  SSP: { major: unit('South Sudanese pound'), minor: unit('piaster') },
  SOS: { major: unit('Somali shilling'), minor: CENT },
  // Rest of Africa
  NGN: { major: unit('naira', 'naira'), minor: unit('kobo', 'kobo') },
  GHS: { major: unit('Ghana cedi'), minor: unit('pesewa') },
  ZAR: { major: unit('rand', 'rand'), minor: CENT },
  ZMW: { major: unit('Zambian kwacha'), minor: unit('ngwee', 'ngwee') },
  MWK: { major: unit('Malawi kwacha'), minor: unit('tambala', 'tambala') },
  BWP: { major: unit('pula', 'pula'), minor: unit('thebe', 'thebe') },
  NAD: { major: unit('Namibia dollar'), minor: CENT },
  MZN: { major: unit('metical', 'meticais'), minor: unit('centavo') },
  EGP: { major: unit('Egyptian pound'), minor: unit('piastre') },
  MAD: { major: unit('Moroccan dirham'), minor: unit('centime') },
  XOF: { major: unit('CFA franc'), minor: null },
  XAF: { major: unit('CFA franc'), minor: null },
  // Americas, Europe, Asia-Pacific
  USD: { major: unit('US dollar'), minor: CENT },
  CAD: { major: unit('Canadian dollar'), minor: CENT },
  AUD: { major: unit('Australian dollar'), minor: CENT },
  NZD: { major: unit('New Zealand dollar'), minor: CENT },
  EUR: { major: unit('euro'), minor: CENT },
  GBP: { major: unit('pound sterling', 'pounds sterling'), minor: unit('penny', 'pence') },
  CHF: { major: unit('Swiss franc'), minor: unit('centime') },
  JPY: { major: unit('yen', 'yen'), minor: null },
  CNY: { major: unit('yuan', 'yuan'), minor: unit('fen', 'fen') },
  INR: { major: unit('rupee'), minor: unit('paisa', 'paise'), indian: true },
  // Gulf
  AED: { major: unit('UAE dirham'), minor: unit('fils', 'fils') },
  SAR: { major: unit('Saudi riyal'), minor: unit('halala') },
  KWD: { major: unit('Kuwaiti dinar'), minor: unit('fils', 'fils') },
  BHD: { major: unit('Bahraini dinar'), minor: unit('fils', 'fils') },
  OMR: { major: unit('Omani rial'), minor: unit('baisa', 'baisa') },
  JOD: { major: unit('Jordanian dinar'), minor: unit('fils', 'fils') }
})

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen'
]
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']

/** 0..999 in words; '' for 0. */
function belowThousand(n: number): string {
  const words: string[] = []
  const hundreds = Math.floor(n / 100)
  const rest = n % 100
  if (hundreds > 0) words.push(`${ONES[hundreds]} hundred`)
  if (rest > 0 && rest < 20) words.push(ONES[rest] ?? '')
  else if (rest >= 20) {
    const tens = TENS[Math.floor(rest / 10)] ?? ''
    const ones = rest % 10
    words.push(ones === 0 ? tens : `${tens}-${ONES[ones]}`)
  }
  return words.join(' ')
}

const SHORT_SCALE = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion', 'quintillion']

/** A non-negative integer (bigint, so any size) in short-scale words. */
function shortScaleWords(n: bigint): string {
  if (n === 0n) return 'zero'
  const groups: string[] = []
  let rest = n
  let scale = 0
  while (rest > 0n) {
    const group = Number(rest % 1000n)
    if (group > 0) {
      const name = SHORT_SCALE[scale]
      if (name === undefined) throw new RangeError('Amount is too large to write in words')
      groups.unshift(name === '' ? belowThousand(group) : `${belowThousand(group)} ${name}`)
    }
    rest /= 1000n
    scale += 1
  }
  return groups.join(' ')
}

/**
 * Indian numbering: the last three digits, then pairs (thousand, lakh),
 * then crores, where the number of crores is itself written the same way
 * ("one lakh crore" for 10^12).
 */
function indianWords(n: bigint): string {
  if (n === 0n) return 'zero'
  const parts: string[] = []
  const crores = n / 10_000_000n
  const belowCrore = Number(n % 10_000_000n)
  if (crores > 0n) parts.push(`${indianWords(crores)} crore`)
  const lakhs = Math.floor(belowCrore / 100_000)
  const thousands = Math.floor((belowCrore % 100_000) / 1000)
  const rest = belowCrore % 1000
  if (lakhs > 0) parts.push(`${belowThousand(lakhs)} lakh`)
  if (thousands > 0) parts.push(`${belowThousand(thousands)} thousand`)
  if (rest > 0) parts.push(belowThousand(rest))
  return parts.join(' ')
}

/** Minor digits for a currency: money.ts for known codes, 2 for a well-formed unknown code. */
function minorDigitsOf(currency: string): number {
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw new RangeError(`Not a currency code: ${String(currency)}`)
  }
  if (isSupportedCurrency(currency)) return currencyMinorDigits(currency)
  return 2
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/**
 * The amount in English words for a voucher or cheque; see the module comment
 * for the exact form. `minor` is a non-negative safe integer of minor units.
 */
export function amountInWords(minor: number, currency: string, opts?: AmountInWordsOptions): string {
  const locale = opts?.locale ?? 'en'
  if (locale !== 'en') throw new RangeError(`Amount in words is not available in locale ${String(locale)}`)
  if (typeof minor !== 'number' || !Number.isSafeInteger(minor)) {
    throw new RangeError(`Amount must be a safe integer number of minor units, got ${String(minor)}`)
  }
  if (minor < 0) throw new RangeError(`Amount in words needs a non-negative amount, got ${minor}`)

  const digits = minorDigitsOf(currency)
  const scale = 10n ** BigInt(digits)
  const total = BigInt(minor)
  const major = total / scale
  const fraction = total % scale

  const known = CURRENCIES[currency]
  const words = known?.indian ? indianWords : shortScaleWords
  const majorUnit = known ? (major === 1n ? known.major.one : known.major.many) : currency
  let text = `${words(major)} ${majorUnit}`

  if (fraction > 0n) {
    if (known?.minor) {
      const minorUnit = fraction === 1n ? known.minor.one : known.minor.many
      text += ` and ${words(fraction)} ${minorUnit}`
    } else {
      // No minor unit name (a fallback code, or a table entry that says the
      // currency has none but Intl reports digits): write it as a fraction.
      text += ` and ${fraction.toString().padStart(digits, '0')}/${scale.toString()}`
    }
  }
  return `${capitalise(text)} only`
}

/** Codes with their own unit names (others fall back to the ISO code). */
export function currenciesWithUnitNames(): string[] {
  return Object.keys(CURRENCIES).sort()
}
