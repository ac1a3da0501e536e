/** Lists for the profile form's datalists, computed once. */

let currencies: string[] | null = null
let timeZones: string[] | null = null

export function allCurrencies(): string[] {
  if (!currencies) {
    try {
      currencies = Intl.supportedValuesOf('currency')
    } catch {
      currencies = ['EUR', 'GBP', 'KES', 'NGN', 'TZS', 'UGX', 'USD', 'ZAR']
    }
  }
  return currencies
}

export function allTimeZones(): string[] {
  if (!timeZones) {
    try {
      timeZones = Intl.supportedValuesOf('timeZone')
    } catch {
      timeZones = []
    }
    if (!timeZones.includes('UTC')) timeZones = [...timeZones, 'UTC']
  }
  return timeZones
}

/** Locales a cooperative is likely to use; any valid BCP 47 tag is accepted. */
export const COMMON_LOCALES = [
  'en-US',
  'en-GB',
  'en-IE',
  'en-KE',
  'en-UG',
  'en-TZ',
  'en-RW',
  'en-NG',
  'en-GH',
  'en-ZA',
  'en-ZW',
  'en-ZM',
  'en-BW',
  'en-IN',
  'en-PK',
  'en-PH',
  'en-SG',
  'en-AU',
  'en-NZ',
  'en-CA',
  'sw-KE',
  'sw-TZ',
  'fr-FR',
  'fr-BE',
  'fr-CH',
  'fr-CA',
  'fr-SN',
  'fr-CI',
  'fr-CM',
  'de-DE',
  'de-AT',
  'de-CH',
  'nl-NL',
  'it-IT',
  'es-ES',
  'es-MX',
  'es-AR',
  'es-CO',
  'pt-PT',
  'pt-BR',
  'pt-MZ',
  'pl-PL',
  'sv-SE',
  'da-DK',
  'nb-NO',
  'fi-FI',
  'hi-IN',
  'bn-BD',
  'id-ID',
  'ms-MY',
  'tr-TR',
  'ar-EG',
  'am-ET'
]

const displayNameCache = new Map<string, Intl.DisplayNames | null>()

function displayNames(type: 'currency' | 'language', locale?: string): Intl.DisplayNames | null {
  const key = `${type}\u0000${locale ?? ''}`
  if (!displayNameCache.has(key)) {
    let dn: Intl.DisplayNames | null = null
    try {
      dn = new Intl.DisplayNames(locale ? [locale, 'en'] : ['en'], { type, fallback: 'none' })
    } catch {
      dn = null
    }
    displayNameCache.set(key, dn)
  }
  return displayNameCache.get(key) ?? null
}

/** "Kenyan Shilling" for KES, or null. */
export function currencyName(code: string, locale?: string): string | null {
  try {
    return displayNames('currency', locale)?.of(code) ?? null
  } catch {
    return null
  }
}

/** "English (Kenya)" for en-KE, or null. */
export function localeName(tag: string, locale?: string): string | null {
  try {
    return displayNames('language', locale)?.of(tag) ?? null
  } catch {
    return null
  }
}

/** True when the string is a locale tag Intl can format with. */
export function isUsableLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1 && Intl.NumberFormat.supportedLocalesOf([tag]).length === 1
  } catch {
    return false
  }
}

export function isUsableTimeZone(tz: string): boolean {
  if (!tz) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}
