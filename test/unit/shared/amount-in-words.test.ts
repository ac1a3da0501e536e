import { describe, expect, it } from 'vitest'
import { amountInWords, amountWordsLanguage, currenciesWithUnitNames } from '../../../src/shared/amount-in-words'
import { currencyMinorDigits } from '../../../src/shared/money'

const MAX = Number.MAX_SAFE_INTEGER

// ---------------------------------------------------------------------------
// An independent reader of number words, to check the writer both ways.
// ---------------------------------------------------------------------------

const SMALL: Record<string, bigint> = {}
;[
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
].forEach((w, i) => (SMALL[w] = BigInt(i)))
;['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'].forEach(
  (w, i) => (SMALL[w] = BigInt((i + 2) * 10))
)
const SCALES: Record<string, bigint> = {
  thousand: 10n ** 3n,
  million: 10n ** 6n,
  billion: 10n ** 9n,
  trillion: 10n ** 12n,
  quadrillion: 10n ** 15n,
  lakh: 10n ** 5n,
  crore: 10n ** 7n
}

/** Reads "one crore twenty-three lakh ..." or "nine quadrillion seven trillion ..." back to a number. */
function readNumber(words: string): bigint {
  let total = 0n
  let group = 0n
  for (const word of words.split(' ')) {
    if (word === 'hundred') {
      group *= 100n
      continue
    }
    const scale = SCALES[word]
    if (scale !== undefined) {
      if (word === 'crore') {
        // Crores scale everything before them ("one lakh crore").
        total = (total + group) * scale
      } else {
        total += group * scale
      }
      group = 0n
      continue
    }
    const parts = word.split('-')
    let value = 0n
    for (const p of parts) {
      const v = SMALL[p]
      if (v === undefined) throw new Error(`not a number word: ${p} in "${words}"`)
      value += v
    }
    group += value
  }
  return total + group
}

function parse(sentence: string, majorUnit: string, minorUnit: string | null): { major: bigint; minor: bigint } {
  expect(sentence.endsWith(' only')).toBe(true)
  expect(sentence.charAt(0)).toBe(sentence.charAt(0).toUpperCase())
  const body = sentence.slice(0, -' only'.length).toLowerCase()
  const [majorPart, minorPart] = body.split(' and ')
  const majorWords = (majorPart ?? '').replace(new RegExp(` ${majorUnit.toLowerCase()}$`), '')
  let minor = 0n
  if (minorPart !== undefined) {
    if (minorUnit === null) throw new Error(`unexpected minor part in "${sentence}"`)
    minor = readNumber(minorPart.replace(new RegExp(` ${minorUnit}$`), ''))
  }
  return { major: readNumber(majorWords), minor }
}

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed
  return () => {
    a |= 0
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Safe integers spread over every magnitude from 0 to MAX_SAFE_INTEGER. */
function sampleAmounts(n: number, seed: number): number[] {
  const r = rng(seed)
  const out: number[] = [0, 1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 999, 1000, 1001, 100000, 10000000, MAX]
  while (out.length < n) {
    const digits = 1 + Math.floor(r() * 16)
    let s = ''
    for (let i = 0; i < digits; i++) s += String(Math.floor(r() * 10))
    const v = Number(BigInt(s) % BigInt(MAX))
    out.push(v)
  }
  return out
}

// ---------------------------------------------------------------------------

describe('amountInWords: the documented form', () => {
  it('writes the examples in the module comment', () => {
    expect(amountInWords(123456, 'KES')).toBe(
      'One thousand two hundred thirty-four Kenya shillings and fifty-six cents only'
    )
    expect(amountInWords(100, 'USD')).toBe('One US dollar only')
    expect(amountInWords(5, 'GBP')).toBe('Zero pounds sterling and five pence only')
    expect(amountInWords(1234, 'KWD')).toBe('One Kuwaiti dinar and two hundred thirty-four fils only')
    expect(amountInWords(1500, 'UGX')).toBe('One thousand five hundred Uganda shillings only')
    expect(amountInWords(0, 'KES')).toBe('Zero Kenya shillings only')
  })

  it('names the units of each listed currency, singular and plural', () => {
    const cases: Array<[number, string, string]> = [
      [101, 'KES', 'One Kenya shilling and one cent only'],
      [250, 'KES', 'Two Kenya shillings and fifty cents only'],
      [101, 'USD', 'One US dollar and one cent only'],
      [1999, 'USD', 'Nineteen US dollars and ninety-nine cents only'],
      [101, 'EUR', 'One euro and one cent only'],
      [12000, 'EUR', 'One hundred twenty euros only'],
      [101, 'GBP', 'One pound sterling and one penny only'],
      [20002, 'GBP', 'Two hundred pounds sterling and two pence only'],
      [1, 'UGX', 'One Uganda shilling only'],
      [2500000, 'UGX', 'Two million five hundred thousand Uganda shillings only'],
      [350075, 'TZS', 'Three thousand five hundred Tanzania shillings and seventy-five cents only'],
      [101, 'NGN', 'One naira and one kobo only'],
      [50050, 'NGN', 'Five hundred naira and fifty kobo only'],
      [101, 'ZAR', 'One rand and one cent only'],
      [1234599, 'ZAR', 'Twelve thousand three hundred forty-five rand and ninety-nine cents only'],
      [101, 'INR', 'One rupee and one paisa only'],
      [250050, 'INR', 'Two thousand five hundred rupees and fifty paise only'],
      [1, 'JPY', 'One yen only'],
      [150000, 'JPY', 'One hundred fifty thousand yen only'],
      [1001, 'KWD', 'One Kuwaiti dinar and one fils only'],
      [2500, 'BHD', 'Two Bahraini dinars and five hundred fils only'],
      [1, 'BHD', 'Zero Bahraini dinars and one fils only']
    ]
    for (const [minor, currency, words] of cases) expect(amountInWords(minor, currency), `${minor} ${currency}`).toBe(words)
  })

  it('covers at least the currencies the vouchers are used with', () => {
    const named = currenciesWithUnitNames()
    for (const c of ['KES', 'USD', 'EUR', 'GBP', 'UGX', 'TZS', 'NGN', 'ZAR', 'INR', 'JPY', 'KWD', 'BHD']) {
      expect(named).toContain(c)
    }
  })

  it('writes other codes with the ISO code and the minor part as a fraction', () => {
    expect(amountInWords(123456, 'XYZ')).toBe('One thousand two hundred thirty-four XYZ and 56/100 only')
    expect(amountInWords(105, 'XYZ')).toBe('One XYZ and 05/100 only')
    expect(amountInWords(100, 'XYZ')).toBe('One XYZ only')
    // Known to Intl but without unit names: its real minor digits are used.
    expect(amountInWords(12500, 'TND')).toBe('Twelve TND and 500/1000 only')
    expect(amountInWords(12007, 'TND')).toBe('Twelve TND and 007/1000 only')
    expect(amountInWords(5, 'CLP')).toBe('Five CLP only')
    expect(amountInWords(123456, 'SEK')).toBe('One thousand two hundred thirty-four SEK and 56/100 only')
  })

  it('uses no "and" inside a number, hyphenates tens, and skips zero groups', () => {
    expect(amountInWords(10500, 'USD')).toBe('One hundred five US dollars only')
    expect(amountInWords(2100000, 'USD')).toBe('Twenty-one thousand US dollars only')
    expect(amountInWords(100000100, 'USD')).toBe('One million one US dollars only')
    expect(amountInWords(100000000000, 'JPY')).toBe('One hundred billion yen only')
    expect(amountInWords(1000000001000, 'JPY')).toBe('One trillion one thousand yen only')
    expect(amountInWords(1900, 'JPY')).toBe('One thousand nine hundred yen only')
    expect(amountInWords(1110, 'USD')).toBe('Eleven US dollars and ten cents only')
  })

  it('reaches Number.MAX_SAFE_INTEGER (quadrillions)', () => {
    expect(amountInWords(MAX, 'JPY')).toBe(
      'Nine quadrillion seven trillion one hundred ninety-nine billion two hundred fifty-four million ' +
        'seven hundred forty thousand nine hundred ninety-one yen only'
    )
    expect(amountInWords(MAX, 'KES')).toBe(
      'Ninety trillion seventy-one billion nine hundred ninety-two million five hundred forty-seven ' +
        'thousand four hundred nine Kenya shillings and ninety-one cents only'
    )
    expect(amountInWords(MAX, 'KWD')).toBe(
      'Nine trillion seven billion one hundred ninety-nine million two hundred fifty-four thousand ' +
        'seven hundred forty Kuwaiti dinars and nine hundred ninety-one fils only'
    )
  })

  it('writes INR in lakh and crore', () => {
    expect(amountInWords(10000000, 'INR')).toBe('One lakh rupees only')
    expect(amountInWords(1234567891, 'INR')).toBe(
      'One crore twenty-three lakh forty-five thousand six hundred seventy-eight rupees and ninety-one paise only'
    )
    expect(amountInWords(100000000000000, 'INR')).toBe('One lakh crore rupees only')
    expect(amountInWords(MAX, 'INR')).toBe(
      'Ninety lakh seven thousand one hundred ninety-nine crore twenty-five lakh forty-seven thousand ' +
        'four hundred nine rupees and ninety-one paise only'
    )
  })

  it('refuses what a voucher can never show', () => {
    expect(() => amountInWords(-1, 'KES')).toThrow(RangeError)
    expect(() => amountInWords(-MAX, 'KES')).toThrow(RangeError)
    expect(() => amountInWords(1.5, 'KES')).toThrow(RangeError)
    expect(() => amountInWords(Number.NaN, 'KES')).toThrow(RangeError)
    expect(() => amountInWords(Number.POSITIVE_INFINITY, 'KES')).toThrow(RangeError)
    expect(() => amountInWords(MAX + 1, 'KES')).toThrow(RangeError)
    expect(() => amountInWords('100' as unknown as number, 'KES')).toThrow(RangeError)
    expect(() => amountInWords(100, 'kes')).toThrow(RangeError)
    expect(() => amountInWords(100, 'KE')).toThrow(RangeError)
    expect(() => amountInWords(100, '')).toThrow(RangeError)
    expect(() => amountInWords(100, 'KES', { locale: 'not a locale!' })).toThrow(RangeError)
    expect(amountInWords(100, 'KES', { locale: 'en' })).toBe('One Kenya shilling only')
    expect(amountInWords(100, 'KES', { locale: 'en-KE' })).toBe('One Kenya shilling only')
    // -0 is zero, not negative.
    expect(amountInWords(-0, 'KES')).toBe('Zero Kenya shillings only')
  })
})

describe('amountInWords: read back, the words say the amount', () => {
  const units: Record<string, [string, string, string | null, string | null]> = {
    KES: ['Kenya shilling', 'Kenya shillings', 'cent', 'cents'],
    GBP: ['pound sterling', 'pounds sterling', 'penny', 'pence'],
    JPY: ['yen', 'yen', null, null],
    KWD: ['Kuwaiti dinar', 'Kuwaiti dinars', 'fils', 'fils'],
    INR: ['rupee', 'rupees', 'paisa', 'paise']
  }
  for (const [currency, [one, many, minorOne, minorMany]] of Object.entries(units)) {
    it(`${currency}: 600 amounts across all magnitudes`, () => {
      const digits = currencyMinorDigits(currency)
      const scale = 10n ** BigInt(digits)
      for (const minor of sampleAmounts(600, currency.charCodeAt(0) * 31 + currency.charCodeAt(1))) {
        const sentence = amountInWords(minor, currency)
        const expectedMajor = BigInt(minor) / scale
        const expectedMinor = BigInt(minor) % scale
        const majorUnit = expectedMajor === 1n ? one : many
        const minorUnit = expectedMinor === 1n ? minorOne : minorMany
        const got = parse(sentence, majorUnit, minorUnit)
        expect({ minor, major: got.major, frac: got.minor }).toEqual({
          minor,
          major: expectedMajor,
          frac: expectedMinor
        })
        if (expectedMinor === 0n) expect(sentence).not.toContain(' and ')
      }
    })
  }
})

// ---------------------------------------------------------------------------
// Other languages: known wordings, as written on a cheque.
// ---------------------------------------------------------------------------

/** Whole units (no minor part) of a 2-digit currency. */
const whole = (n: number): number => n * 100

describe('amountInWords: French (traditional spelling)', () => {
  const fr = (minor: number, currency = 'EUR') => amountInWords(minor, currency, { locale: 'fr-FR' })
  it('writes the cheque example', () => {
    expect(fr(123456)).toBe('Mille deux cent trente-quatre euros et cinquante-six centimes')
  })
  it.each([
    [0, 'Zéro euro'],
    [1, 'Un euro'],
    [7, 'Sept euros'],
    [11, 'Onze euros'],
    [16, 'Seize euros'],
    [17, 'Dix-sept euros'],
    [21, 'Vingt et un euros'],
    [22, 'Vingt-deux euros'],
    [30, 'Trente euros'],
    [61, 'Soixante et un euros'],
    [70, 'Soixante-dix euros'],
    [71, 'Soixante et onze euros'],
    [77, 'Soixante-dix-sept euros'],
    [80, 'Quatre-vingts euros'],
    [81, 'Quatre-vingt-un euros'],
    [91, 'Quatre-vingt-onze euros'],
    [99, 'Quatre-vingt-dix-neuf euros'],
    [100, 'Cent euros'],
    [101, 'Cent un euros'],
    [200, 'Deux cents euros'],
    [280, 'Deux cent quatre-vingts euros'],
    [201, 'Deux cent un euros'],
    [1000, 'Mille euros'],
    [1001, 'Mille un euros'],
    [2000, 'Deux mille euros'],
    [21000, 'Vingt et un mille euros'],
    [80000, 'Quatre-vingt mille euros'],
    [200000, 'Deux cent mille euros'],
    [1000000, 'Un million d’euros'],
    [2000000, 'Deux millions d’euros'],
    [80000000, 'Quatre-vingts millions d’euros'],
    [200000000, 'Deux cents millions d’euros'],
    [1000001, 'Un million un euros'],
    [1000000000, 'Un milliard d’euros']
  ])('%i euros → %s', (n, words) => {
    expect(fr(whole(n))).toBe(words)
  })
  it('writes cents, feminine units, "de" before a consonant, and codes without names', () => {
    expect(fr(1)).toBe('Zéro euro et un centime')
    expect(fr(101)).toBe('Un euro et un centime')
    expect(fr(whole(1), 'GBP')).toBe('Une livre sterling')
    expect(fr(whole(21), 'GBP')).toBe('Vingt et une livres sterling')
    expect(fr(whole(1000000), 'CHF')).toBe('Un million de francs suisses')
    expect(amountInWords(1500000, 'XOF', { locale: 'fr-CI' })).toBe('Un million cinq cent mille francs CFA')
    expect(fr(123456, 'XYZ')).toBe('Mille deux cent trente-quatre XYZ et 56/100')
  })
})

describe('amountInWords: Swahili', () => {
  const sw = (minor: number, currency = 'KES') => amountInWords(minor, currency, { locale: 'sw-KE' })
  it('writes the cheque example: the unit first, "na" before the last place in use', () => {
    expect(sw(123456)).toBe('Shilingi elfu moja mia mbili thelathini na nne na senti hamsini na sita')
  })
  it.each([
    [0, 'Shilingi sifuri'],
    [1, 'Shilingi moja'],
    [9, 'Shilingi tisa'],
    [10, 'Shilingi kumi'],
    [11, 'Shilingi kumi na moja'],
    [19, 'Shilingi kumi na tisa'],
    [21, 'Shilingi ishirini na moja'],
    [71, 'Shilingi sabini na moja'],
    [80, 'Shilingi themanini'],
    [91, 'Shilingi tisini na moja'],
    [100, 'Shilingi mia moja'],
    [101, 'Shilingi mia moja na moja'],
    [110, 'Shilingi mia moja na kumi'],
    [111, 'Shilingi mia moja kumi na moja'],
    [355, 'Shilingi mia tatu hamsini na tano'],
    [1000, 'Shilingi elfu moja'],
    [1001, 'Shilingi elfu moja na moja'],
    [1200, 'Shilingi elfu moja na mia mbili'],
    [15000, 'Shilingi elfu kumi na tano'],
    [16345, 'Shilingi elfu kumi na sita mia tatu arobaini na tano'],
    [100000, 'Shilingi laki moja'],
    [125728, 'Shilingi laki moja elfu ishirini na tano mia saba ishirini na nane'],
    [1000000, 'Shilingi milioni moja'],
    [1500000, 'Shilingi milioni moja na laki tano'],
    [10000000, 'Shilingi milioni kumi']
  ])('%i shillings → %s', (n, words) => {
    expect(sw(whole(n))).toBe(words)
  })
  it('writes the cents, a currency without cents, and codes without names', () => {
    expect(sw(1)).toBe('Shilingi sifuri na senti moja')
    expect(sw(2500, 'UGX')).toBe('Shilingi elfu mbili na mia tano')
    expect(sw(123456, 'XYZ')).toBe('XYZ elfu moja mia mbili thelathini na nne na 56/100')
  })
})

describe('amountInWords: Spanish', () => {
  const es = (minor: number, currency = 'EUR') => amountInWords(minor, currency, { locale: 'es-ES' })
  it('writes the cheque example', () => {
    expect(es(123456)).toBe('Mil doscientos treinta y cuatro euros con cincuenta y seis céntimos')
  })
  it.each([
    [0, 'Cero euros'],
    [1, 'Un euro'],
    [15, 'Quince euros'],
    [16, 'Dieciséis euros'],
    [21, 'Veintiún euros'],
    [22, 'Veintidós euros'],
    [31, 'Treinta y un euros'],
    [71, 'Setenta y un euros'],
    [80, 'Ochenta euros'],
    [91, 'Noventa y un euros'],
    [100, 'Cien euros'],
    [101, 'Ciento un euros'],
    [500, 'Quinientos euros'],
    [1000, 'Mil euros'],
    [2000, 'Dos mil euros'],
    [21000, 'Veintiún mil euros'],
    [100000, 'Cien mil euros'],
    [1000000, 'Un millón de euros'],
    [2000000, 'Dos millones de euros'],
    [1000001, 'Un millón un euros'],
    [1000000000, 'Mil millones de euros']
  ])('%i euros → %s', (n, words) => {
    expect(es(whole(n))).toBe(words)
  })
  it('writes the minor part with "con", Latin American units, and codes without names', () => {
    expect(es(101)).toBe('Un euro con un céntimo')
    expect(amountInWords(250075, 'MXN', { locale: 'es-MX' })).toBe('Dos mil quinientos pesos mexicanos con setenta y cinco centavos')
    expect(es(123456, 'XYZ')).toBe('Mil doscientos treinta y cuatro XYZ con 56/100')
  })
})

describe('amountWordsLanguage: which language a locale writes amounts in', () => {
  it('uses the locale language when it has a table, English (said so) otherwise', () => {
    expect(amountWordsLanguage('fr-CI')).toEqual({ language: 'fr', fallback: false })
    expect(amountWordsLanguage('sw-TZ')).toEqual({ language: 'sw', fallback: false })
    expect(amountWordsLanguage('es-MX')).toEqual({ language: 'es', fallback: false })
    expect(amountWordsLanguage('en-IN')).toEqual({ language: 'en', fallback: false })
    expect(amountWordsLanguage('de-DE')).toEqual({ language: 'en', fallback: true })
    expect(amountInWords(100, 'KES', { locale: 'de-DE' })).toBe('One Kenya shilling only')
    expect(() => amountWordsLanguage('??')).toThrow(RangeError)
  })
  it('names units in each language', () => {
    expect(currenciesWithUnitNames('fr')).toContain('XOF')
    expect(currenciesWithUnitNames('sw')).toEqual(expect.arrayContaining(['KES', 'TZS', 'UGX']))
    expect(currenciesWithUnitNames('es')).toContain('MXN')
  })
})
