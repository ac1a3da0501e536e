import { formatMoney, localeSeparators, parseMoney, type ParseMoneyResult } from '../../../shared/money'

/**
 * Minor units as money in the cooperative's currency and locale ("Ksh 1,250.00").
 * Never throws: an amount the formatter refuses is shown as its raw number.
 */
export function fmtMoney(minor: number | null | undefined, currency: string, locale: string): string {
  if (minor === null || minor === undefined) return ''
  try {
    return formatMoney(minor, currency, locale)
  } catch {
    try {
      return formatMoney(minor, currency, 'en')
    } catch {
      return String(minor)
    }
  }
}

/** What the treasurer typed in a money box, as minor units or the message for the field. */
export function parseAmount(text: string, currency: string, locale: string): ParseMoneyResult {
  try {
    return parseMoney(text, { currency, locale })
  } catch {
    return { ok: false, error: 'Enter an amount' }
  }
}

function decimalSeparator(locale: string): string {
  try {
    return localeSeparators(locale).decimal
  } catch {
    return '.'
  }
}

/**
 * A percentage kept as an exact decimal string ("8.5") with the locale's
 * decimal separator and a % sign: "8.5%", or "8,5%" in de-DE. The digits
 * are shown as stored; no float ever touches them.
 */
export function fmtPercent(value: string | null | undefined, locale: string): string {
  if (value === null || value === undefined || value === '') return ''
  const sep = decimalSeparator(locale)
  const text = sep === '.' ? value : value.replace('.', sep)
  return `${text}%`
}

/**
 * A percentage typed in the locale ("8,5" where the comma is the decimal
 * separator) as the contract wants it ("8.5"). Anything else is passed on
 * as typed, for the contract's own message.
 */
export function normalisePercentInput(text: string, locale: string): string {
  const t = text.trim().replace(/\s*%$/, '')
  if (decimalSeparator(locale) === ',' && /^\d{1,3},\d+$/.test(t)) return t.replace(',', '.')
  return t
}

/**
 * Minor units without the currency symbol ("1,250.00"): a cell of a column
 * whose header (or total) names the currency once (ui/MoneyColumns.tsx).
 */
export function fmtAmount(minor: number | null | undefined, currency: string, locale: string): string {
  if (minor === null || minor === undefined) return ''
  try {
    return formatMoney(minor, currency, locale, { display: 'none' })
  } catch {
    try {
      return formatMoney(minor, currency, 'en', { display: 'none' })
    } catch {
      return String(minor)
    }
  }
}

/** The currency as the locale writes it next to an amount: "Ksh" for KES in en-KE, "€" for EUR; else the code. */
export function currencySymbol(currency: string, locale: string): string {
  try {
    const part = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(1).find((p) => p.type === 'currency')
    return part?.value ?? currency
  } catch {
    return currency
  }
}

/** A money column's header with its currency, once: "Gross (Ksh)". */
export function moneyHeader(label: string, currency: string, locale: string): string {
  return `${label} (${currencySymbol(currency, locale)})`
}
