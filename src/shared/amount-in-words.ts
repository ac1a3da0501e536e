/**
 * An amount of money written out in words, as printed on payment vouchers
 * and cheques so a figure cannot be altered unnoticed, in the language of the
 * cooperative's locale (the profile's): English, French, Swahili or Spanish.
 * A locale whose language has no table here is written in English, on
 * purpose and said so on the profile form (`amountWordsLanguage`): a voucher
 * is never refused for its language.
 *
 * English (any `en` locale, and the fallback) — one sentence, first letter
 * capitalised, ending in "only":
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
 * French (`fr`), as on a French cheque, traditional spelling (the 1990
 * reform's all-hyphen spelling is not used): hyphens only inside numbers
 * below one hundred, "et" in 21, 31, 41, 51, 61 and 71 ("soixante et onze"),
 * "quatre-vingts" and "deux cents" plural at the end of a number and before
 * million(s)/milliard(s) but not before "mille", which never varies and is
 * never preceded by "un"; "un million d’euros" (de/d’ when the amount ends in
 * a whole number of millions); "une" before a feminine unit (livre):
 *
 *   amountInWords(123456, 'EUR', { locale: 'fr-FR' }) → "Mille deux cent trente-quatre euros et cinquante-six centimes"
 *
 * Swahili (`sw`), unit first, "na" before the last place in use ("mia moja na
 * moja", "elfu moja na mia mbili", "thelathini na nne"), laki for 100,000:
 *
 *   amountInWords(123456, 'KES', { locale: 'sw-KE' }) → "Shilingi elfu moja mia mbili thelathini na nne na senti hamsini na sita"
 *
 * Spanish (`es`), "con" before the minor part, "un"/"veintiún" before a noun
 * or "mil"/"millón", "cien"/"ciento", long scale (mil millones, billón),
 * "un millón de euros":
 *
 *   amountInWords(123456, 'EUR', { locale: 'es-ES' }) → "Mil doscientos treinta y cuatro euros con cincuenta y seis céntimos"
 *
 * Only English adds a closing word ("only"): French, Swahili and Spanish
 * cheques write the amount and the unit and stop.
 *
 * Rules for every language:
 * - The minor part is left out when it is zero; the major part is always
 *   written, "zero" included, so the currency is never lost.
 * - English numbers use the short scale (thousand, million, billion, trillion,
 *   quadrillion), hyphenated tens ("thirty-four") and no "and" inside a number
 *   ("one hundred five"): the only "and" joins the major and minor parts.
 * - English INR uses Indian numbering (thousand, lakh, crore): 1,23,45,678 →
 *   "one crore twenty-three lakh forty-five thousand six hundred seventy-eight".
 * - Currencies without unit names in the language (any other ISO 4217 code,
 *   or any well-formed three-letter code) use the code as the unit and write
 *   the minor part as a fraction: 123456 'XYZ' → "One thousand two hundred
 *   thirty-four XYZ and 56/100 only" ("… XYZ et 56/100", "XYZ … na 56/100",
 *   "… XYZ con 56/100").
 * - The number of minor digits comes from `currencyMinorDigits` (src/shared/money.ts),
 *   so it always agrees with how the amount is stored and formatted; a code
 *   Intl does not know is taken to have 2.
 *
 * Amounts are integer minor units, 0..Number.MAX_SAFE_INTEGER. A negative or
 * non-integer amount, a malformed currency code or a malformed locale throws
 * RangeError: vouchers are never negative.
 *
 * Pure module: no Node built-ins, no Electron.
 */
import { currencyMinorDigits, isSupportedCurrency } from './money'

export interface AmountInWordsOptions {
  /** A BCP 47 locale (the profile's, e.g. 'fr-CI', 'sw-KE'); its language picks the words. Default 'en'. */
  locale?: string
}

/** The languages with their own number words and unit names. */
export const AMOUNT_WORDS_LANGUAGES = ['en', 'fr', 'sw', 'es'] as const
export type AmountWordsLanguage = (typeof AMOUNT_WORDS_LANGUAGES)[number]

/**
 * The language amounts are written in for a locale: its own when there is a
 * table for it, else English (`fallback: true`, which the profile form says).
 * Throws RangeError for a malformed locale.
 */
export function amountWordsLanguage(locale: string): { language: AmountWordsLanguage; fallback: boolean } {
  let lang: string
  try {
    lang = new Intl.Locale(locale).language
  } catch {
    throw new RangeError(`Not a locale: ${String(locale)}`)
  }
  const known = (AMOUNT_WORDS_LANGUAGES as readonly string[]).includes(lang)
  return known ? { language: lang as AmountWordsLanguage, fallback: false } : { language: 'en', fallback: true }
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

// ---------------------------------------------------------------------------
// French (traditional spelling)
// ---------------------------------------------------------------------------

interface GenderedUnit extends UnitName {
  feminine?: boolean
}

interface LanguageCurrency {
  major: GenderedUnit
  minor: GenderedUnit | null
}

const FR_CENTIME = unit('centime')
const FR_CENT = unit('cent')
const FR_CURRENCIES: Readonly<Record<string, LanguageCurrency>> = Object.freeze({
  EUR: { major: unit('euro'), minor: FR_CENTIME },
  XOF: { major: unit('franc CFA', 'francs CFA'), minor: null },
  XAF: { major: unit('franc CFA', 'francs CFA'), minor: null },
  CHF: { major: unit('franc suisse', 'francs suisses'), minor: FR_CENTIME },
  RWF: { major: unit('franc rwandais', 'francs rwandais'), minor: null },
  BIF: { major: unit('franc burundais', 'francs burundais'), minor: null },
  MAD: { major: unit('dirham marocain', 'dirhams marocains'), minor: FR_CENTIME },
  CAD: { major: unit('dollar canadien', 'dollars canadiens'), minor: FR_CENT },
  USD: { major: unit('dollar américain', 'dollars américains'), minor: FR_CENT },
  KES: { major: unit('shilling kényan', 'shillings kényans'), minor: FR_CENT },
  GBP: { major: { one: 'livre sterling', many: 'livres sterling', feminine: true }, minor: unit('penny', 'pence') }
})

const FR_ONES = [
  'zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf',
  'dix', 'onze', 'douze', 'treize', 'quatorze', 'quinze', 'seize', 'dix-sept', 'dix-huit', 'dix-neuf'
]
const FR_TENS = ['', '', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante']

/** 1..99 in French; `plural`: "quatre-vingts" (not before "mille"). */
function frBelowHundred(n: number, plural: boolean): string {
  if (n < 20) return FR_ONES[n] ?? ''
  const tens = Math.floor(n / 10)
  const ones = n % 10
  if (tens <= 6) {
    const t = FR_TENS[tens] ?? ''
    if (ones === 0) return t
    return ones === 1 ? `${t} et un` : `${t}-${FR_ONES[ones]}`
  }
  if (tens === 7) return n === 71 ? 'soixante et onze' : `soixante-${FR_ONES[n - 60]}`
  // 80..99: quatre-vingt(s), quatre-vingt-un (no "et"), quatre-vingt-onze.
  if (n === 80) return plural ? 'quatre-vingts' : 'quatre-vingt'
  return `quatre-vingt-${FR_ONES[n - 80]}`
}

/** 1..999 in French; `plural` false before "mille" (cent and vingt stay invariable there). */
function frBelowThousand(n: number, plural: boolean): string {
  const hundreds = Math.floor(n / 100)
  const rest = n % 100
  const words: string[] = []
  if (hundreds === 1) words.push('cent')
  else if (hundreds > 1) words.push(`${FR_ONES[hundreds]} ${rest === 0 && plural ? 'cents' : 'cent'}`)
  if (rest > 0) words.push(frBelowHundred(rest, plural))
  return words.join(' ')
}

const FR_SCALE: readonly (UnitName | null)[] = [null, null, unit('million'), unit('milliard'), unit('billion'), unit('billiard')]

function frenchWords(n: bigint): string {
  if (n === 0n) return 'zéro'
  const groups: string[] = []
  let rest = n
  let scale = 0
  while (rest > 0n) {
    const g = Number(rest % 1000n)
    if (g > 0) {
      if (scale === 0) groups.unshift(frBelowThousand(g, true))
      else if (scale === 1) groups.unshift(g === 1 ? 'mille' : `${frBelowThousand(g, false)} mille`)
      else {
        const name = FR_SCALE[scale]
        if (!name) throw new RangeError('Amount is too large to write in words')
        groups.unshift(g === 1 ? `un ${name.one}` : `${frBelowThousand(g, true)} ${name.many}`)
      }
    }
    rest /= 1000n
    scale += 1
  }
  return groups.join(' ')
}

/** "vingt et un" → "vingt et une" before a feminine unit. */
function frFeminine(words: string): string {
  return words.replace(/(^|[ -])un$/, '$1une')
}

/** "de"/"d’" when the number ends in a whole million(s), milliard(s)...: "un million d’euros". */
function frOf(n: bigint, unitName: string): string {
  if (n >= 1_000_000n && n % 1_000_000n === 0n) return /^[aeiouyéèêh]/i.test(unitName) ? ` d’${unitName}` : ` de ${unitName}`
  return ` ${unitName}`
}

function frenchAmount(major: bigint, fraction: bigint, digits: number, currency: string): string {
  const known = FR_CURRENCIES[currency]
  const count = (n: bigint, u: GenderedUnit): string => {
    const words = u.feminine ? frFeminine(frenchWords(n)) : frenchWords(n)
    // French: zero and one take the singular.
    return words + frOf(n, n <= 1n ? u.one : u.many)
  }
  let text = known ? count(major, known.major) : `${frenchWords(major)} ${currency}`
  if (fraction > 0n) {
    text += known?.minor ? ` et ${count(fraction, known.minor)}` : ` et ${fractionText(fraction, digits)}`
  }
  return capitalise(text)
}

// ---------------------------------------------------------------------------
// Swahili
// ---------------------------------------------------------------------------

const SW_SHILINGI: LanguageCurrency = { major: unit('shilingi', 'shilingi'), minor: unit('senti', 'senti') }
const SW_CURRENCIES: Readonly<Record<string, LanguageCurrency>> = Object.freeze({
  KES: SW_SHILINGI,
  TZS: SW_SHILINGI,
  UGX: { major: unit('shilingi', 'shilingi'), minor: null },
  EUR: { major: unit('yuro', 'yuro'), minor: unit('senti', 'senti') }
})

const SW_ONES = ['sifuri', 'moja', 'mbili', 'tatu', 'nne', 'tano', 'sita', 'saba', 'nane', 'tisa']
const SW_TENS = ['', 'kumi', 'ishirini', 'thelathini', 'arobaini', 'hamsini', 'sitini', 'sabini', 'themanini', 'tisini']

/** One place of a Swahili number: its words, and whether they already end in "na <ones>". */
interface SwPart {
  words: string
  joined: boolean
}

function swBelowHundred(n: number): SwPart {
  const tens = Math.floor(n / 10)
  const ones = n % 10
  if (tens === 0) return { words: SW_ONES[ones] ?? '', joined: false }
  if (ones === 0) return { words: SW_TENS[tens] ?? '', joined: false }
  return { words: `${SW_TENS[tens]} na ${SW_ONES[ones]}`, joined: true }
}

/**
 * Joins the places in use: "na" goes before the last one ("mia moja na
 * moja", "elfu moja na mia mbili") unless it already ends in "na <ones>"
 * ("mia mbili thelathini na nne").
 */
function swJoin(parts: SwPart[]): string {
  if (parts.length === 0) return ''
  const last = parts[parts.length - 1] as SwPart
  if (parts.length === 1 || last.joined) return parts.map((p) => p.words).join(' ')
  return `${parts.slice(0, -1).map((p) => p.words).join(' ')} na ${last.words}`
}

/** 1..999,999: laki, elfu, mia, tens and ones. */
function swBelowMillion(n: number): SwPart[] {
  const parts: SwPart[] = []
  const laki = Math.floor(n / 100_000)
  const elfu = Math.floor((n % 100_000) / 1000)
  const mia = Math.floor((n % 1000) / 100)
  const rest = n % 100
  if (laki > 0) parts.push({ words: `laki ${SW_ONES[laki]}`, joined: false })
  if (elfu > 0) parts.push({ words: `elfu ${swBelowHundred(elfu).words}`, joined: false })
  if (mia > 0) parts.push({ words: `mia ${SW_ONES[mia]}`, joined: false })
  if (rest > 0) parts.push(swBelowHundred(rest))
  return parts
}

const SW_SCALE = ['', 'milioni', 'bilioni', 'trilioni']

function swahiliWords(n: bigint): string {
  if (n === 0n) return 'sifuri'
  const parts: SwPart[] = []
  // Millions and up in groups of three digits, each group's count in words ("milioni mia mbili").
  const high: SwPart[] = []
  let rest = n / 1_000_000n
  let scale = 1
  while (rest > 0n) {
    const g = Number(rest % 1000n)
    const name = SW_SCALE[scale]
    if (name === undefined) throw new RangeError('Amount is too large to write in words')
    if (g > 0) high.unshift({ words: `${name} ${swJoin(swBelowMillion(g))}`, joined: false })
    rest /= 1000n
    scale += 1
  }
  parts.push(...high, ...swBelowMillion(Number(n % 1_000_000n)))
  return swJoin(parts)
}

function swahiliAmount(major: bigint, fraction: bigint, digits: number, currency: string): string {
  const known = SW_CURRENCIES[currency]
  // The noun first: "shilingi elfu moja", "dola za Kimarekani mia moja".
  let text = known ? `${major === 1n ? known.major.one : known.major.many} ${swahiliWords(major)}` : `${currency} ${swahiliWords(major)}`
  if (fraction > 0n) {
    text += known?.minor
      ? ` na ${fraction === 1n ? known.minor.one : known.minor.many} ${swahiliWords(fraction)}`
      : ` na ${fractionText(fraction, digits)}`
  }
  return capitalise(text)
}

// ---------------------------------------------------------------------------
// Spanish
// ---------------------------------------------------------------------------

const ES_CENTIMO = unit('céntimo')
const ES_CENTAVO = unit('centavo')
const ES_CURRENCIES: Readonly<Record<string, LanguageCurrency>> = Object.freeze({
  EUR: { major: unit('euro'), minor: ES_CENTIMO },
  USD: { major: unit('dólar estadounidense', 'dólares estadounidenses'), minor: ES_CENTAVO },
  MXN: { major: unit('peso mexicano', 'pesos mexicanos'), minor: ES_CENTAVO },
  COP: { major: unit('peso colombiano', 'pesos colombianos'), minor: ES_CENTAVO },
  ARS: { major: unit('peso argentino', 'pesos argentinos'), minor: ES_CENTAVO },
  CLP: { major: unit('peso chileno', 'pesos chilenos'), minor: null },
  PEN: { major: unit('sol', 'soles'), minor: ES_CENTIMO },
  GTQ: { major: unit('quetzal', 'quetzales'), minor: ES_CENTAVO },
  CRC: { major: unit('colón', 'colones'), minor: ES_CENTIMO },
  KES: { major: unit('chelín keniano', 'chelines kenianos'), minor: ES_CENTIMO }
})

const ES_BELOW_THIRTY = [
  'cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve',
  'diez', 'once', 'doce', 'trece', 'catorce', 'quince', 'dieciséis', 'diecisiete', 'dieciocho', 'diecinueve',
  'veinte', 'veintiuno', 'veintidós', 'veintitrés', 'veinticuatro', 'veinticinco', 'veintiséis', 'veintisiete', 'veintiocho', 'veintinueve'
]
const ES_TENS = ['', '', '', 'treinta', 'cuarenta', 'cincuenta', 'sesenta', 'setenta', 'ochenta', 'noventa']
const ES_HUNDREDS = ['', 'ciento', 'doscientos', 'trescientos', 'cuatrocientos', 'quinientos', 'seiscientos', 'setecientos', 'ochocientos', 'novecientos']

function esBelowThousand(n: number): string {
  const hundreds = Math.floor(n / 100)
  const rest = n % 100
  const words: string[] = []
  if (hundreds > 0) words.push(hundreds === 1 && rest === 0 ? 'cien' : (ES_HUNDREDS[hundreds] ?? ''))
  if (rest > 0 && rest < 30) words.push(ES_BELOW_THIRTY[rest] ?? '')
  else if (rest >= 30) {
    const ones = rest % 10
    words.push(ones === 0 ? (ES_TENS[Math.floor(rest / 10)] ?? '') : `${ES_TENS[Math.floor(rest / 10)]} y ${ES_BELOW_THIRTY[ones]}`)
  }
  return words.join(' ')
}

/** "uno" → "un", "veintiuno" → "veintiún" before a noun, "mil" or "millón". */
function esApocope(words: string): string {
  return words.replace(/veintiuno$/, 'veintiún').replace(/(^| )uno$/, '$1un')
}

/** 0..999,999 (the count of millions is itself up to 999,999: "mil millones"). */
function esBelowMillion(n: number): string {
  const thousands = Math.floor(n / 1000)
  const rest = n % 1000
  const words: string[] = []
  if (thousands === 1) words.push('mil')
  else if (thousands > 1) words.push(`${esApocope(esBelowThousand(thousands))} mil`)
  if (rest > 0) words.push(esBelowThousand(rest))
  return words.join(' ')
}

function spanishWords(n: bigint): string {
  if (n === 0n) return 'cero'
  const billions = n / 1_000_000_000_000n
  const millions = Number((n / 1_000_000n) % 1_000_000n)
  const rest = Number(n % 1_000_000n)
  const words: string[] = []
  if (billions >= 1_000_000n) throw new RangeError('Amount is too large to write in words')
  if (billions === 1n) words.push('un billón')
  else if (billions > 1n) words.push(`${esApocope(esBelowMillion(Number(billions)))} billones`)
  if (millions === 1) words.push('un millón')
  else if (millions > 1) words.push(`${esApocope(esBelowMillion(millions))} millones`)
  if (rest > 0) words.push(esBelowMillion(rest))
  return words.join(' ')
}

function spanishAmount(major: bigint, fraction: bigint, digits: number, currency: string): string {
  const known = ES_CURRENCIES[currency]
  const count = (n: bigint, u: UnitName): string => {
    const words = esApocope(spanishWords(n))
    // "un millón de euros": "de" when the number ends in a whole million(s).
    const of = n >= 1_000_000n && n % 1_000_000n === 0n ? ' de' : ''
    return `${words}${of} ${n === 1n ? u.one : u.many}`
  }
  let text = known ? count(major, known.major) : `${esApocope(spanishWords(major))} ${currency}`
  if (fraction > 0n) {
    text += known?.minor ? ` con ${count(fraction, known.minor)}` : ` con ${fractionText(fraction, digits)}`
  }
  return capitalise(text)
}

// ---------------------------------------------------------------------------

/** "56/100": a minor part with no unit name. */
function fractionText(fraction: bigint, digits: number): string {
  return `${fraction.toString().padStart(digits, '0')}/${(10n ** BigInt(digits)).toString()}`
}

function englishAmount(major: bigint, fraction: bigint, digits: number, currency: string): string {
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
      text += ` and ${fractionText(fraction, digits)}`
    }
  }
  return `${capitalise(text)} only`
}

const WRITERS: Readonly<Record<AmountWordsLanguage, (major: bigint, fraction: bigint, digits: number, currency: string) => string>> = {
  en: englishAmount,
  fr: frenchAmount,
  sw: swahiliAmount,
  es: spanishAmount
}

/**
 * The amount in words for a voucher or cheque, in the language of `locale`
 * (English when the language has no table); see the module comment for the
 * exact forms. `minor` is a non-negative safe integer of minor units.
 */
export function amountInWords(minor: number, currency: string, opts?: AmountInWordsOptions): string {
  const { language } = amountWordsLanguage(opts?.locale ?? 'en')
  if (typeof minor !== 'number' || !Number.isSafeInteger(minor)) {
    throw new RangeError(`Amount must be a safe integer number of minor units, got ${String(minor)}`)
  }
  if (minor < 0) throw new RangeError(`Amount in words needs a non-negative amount, got ${minor}`)

  const digits = minorDigitsOf(currency)
  const scale = 10n ** BigInt(digits)
  const total = BigInt(minor)
  return WRITERS[language](total / scale, total % scale, digits, currency)
}

/** Codes with their own unit names in a language (others fall back to the ISO code). */
export function currenciesWithUnitNames(language: AmountWordsLanguage = 'en'): string[] {
  const table = { en: CURRENCIES, fr: FR_CURRENCIES, sw: SW_CURRENCIES, es: ES_CURRENCIES }[language]
  return Object.keys(table).sort()
}
