/**
 * A cell read as what a field needs: text, a whole number, or a calendar
 * date. What cannot be read exactly is a problem for the row, never a guess:
 * "10.5" units is not 10, "03/04/25" has no century, a number in a date
 * column is not taken for an Excel serial day.
 */
import { isCalendarDate, toCalendarDate } from '../../shared/dates'
import type { Cell } from './table'

export type Read<T> = { ok: true; value: T; shown: string } | { ok: false; message: string; shown: string }

/** A cell as the spreadsheet shows it. */
export const shownOf = (c: Cell): string => {
  switch (c.kind) {
    case 'empty':
      return ''
    case 'text':
      return c.text
    case 'number':
      return String(c.value)
    case 'boolean':
      return c.value ? 'TRUE' : 'FALSE'
    case 'date':
      return c.date
    case 'error':
      return c.text
  }
}

const cellProblem = (label: string, c: Cell & { kind: 'error' | 'boolean' }, expected: string): string =>
  c.kind === 'error' ? `${label} shows an error in the spreadsheet (${c.text})` : `${label} holds TRUE or FALSE; Coffer expects ${expected} here`

/** Text for a text field ('' when empty: the field's schema says whether it is required). */
export function readText(label: string, c: Cell): Read<string> {
  const shown = shownOf(c)
  if (c.kind === 'error' || c.kind === 'boolean') return { ok: false, message: cellProblem(label, c, 'text'), shown }
  if (c.kind === 'date') {
    return { ok: false, message: `${label} holds a date (${c.date}); format the cell as text in the spreadsheet`, shown }
  }
  return { ok: true, value: shown, shown }
}

/** A whole number: a number cell, or digits. The value goes to the field's schema, which words "must be a whole number". */
export function readNumber(label: string, c: Cell): Read<number | undefined> {
  const shown = shownOf(c)
  if (c.kind === 'error' || c.kind === 'boolean') return { ok: false, message: cellProblem(label, c, 'a number'), shown }
  if (c.kind === 'empty') return { ok: true, value: undefined, shown }
  if (c.kind === 'number') return { ok: true, value: c.value, shown }
  if (c.kind === 'date') return { ok: false, message: `${label} holds a date (${c.date}); Coffer expects a number here`, shown }
  const t = c.text.trim()
  if (t === '') return { ok: true, value: undefined, shown }
  // Digits, an optional sign, and a decimal point: "10.5" is read as 10.5 so the schema says it is not whole.
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) return { ok: true, value: Number(t), shown }
  return { ok: false, message: `${label} must be a whole number written in digits only, like 1500 (no separators or words)`, shown }
}

export interface DateOrder {
  /** The order of day, month and year in the locale's numeric dates. */
  order: ReadonlyArray<'day' | 'month' | 'year'>
  separator: string
  /** How 15 July 2025 is written in the locale, for messages. */
  example: string
}

/** How the cooperative's locale writes a date in numbers ("15/07/2025" in en-KE, "07/15/2025" in en-US). */
export function dateOrder(locale: string): DateOrder {
  const parts = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'UTC',
    numberingSystem: 'latn'
  }).formatToParts(Date.UTC(2025, 6, 15))
  const order = parts.filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year').map((p) => p.type as 'day' | 'month' | 'year')
  const separator = parts.find((p) => p.type === 'literal')?.value.trim() || '/'
  const fields = { day: '15', month: '07', year: '2025' }
  const example = order.length === 3 ? order.map((o) => fields[o]).join(separator) : '15/07/2025'
  return { order: order.length === 3 ? order : ['day', 'month', 'year'], separator, example }
}

const NUMERIC_DATE = /^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})$/

/**
 * A calendar date: a date cell of a workbook, ISO text (2025-07-15), or the
 * locale's numeric form with a four-digit year (15/07/2025 where day comes
 * first). A two-digit year, a number, a time of day or a date that does not
 * exist is a problem, with the forms Coffer reads.
 */
export function readDate(label: string, c: Cell, locale: DateOrder): Read<string | undefined> {
  const shown = shownOf(c)
  if (c.kind === 'error' || c.kind === 'boolean') return { ok: false, message: cellProblem(label, c, 'a date'), shown }
  const forms = `write it as ${locale.example} or 2025-07-15`
  if (c.kind === 'empty') return { ok: true, value: undefined, shown }
  if (c.kind === 'date') {
    if (c.hasTime) return { ok: false, message: `${label} holds a time of day as well as the date; keep only the date`, shown }
    return { ok: true, value: c.date, shown: c.date }
  }
  if (c.kind === 'number') {
    return { ok: false, message: `${label} is a number (${shown}), not a date; format the cell as a date or ${forms}`, shown }
  }
  const t = c.text.trim()
  if (t === '') return { ok: true, value: undefined, shown }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    if (isCalendarDate(t)) return { ok: true, value: t, shown: t }
    return { ok: false, message: `${label} ${t} is not a real date`, shown }
  }
  const m = NUMERIC_DATE.exec(t)
  if (!m) return { ok: false, message: `${label} "${t.slice(0, 40)}" is not a date Coffer can read; ${forms}`, shown }
  const groups = [m[1] as string, m[3] as string, m[4] as string]
  const at = (what: 'day' | 'month' | 'year') => groups[locale.order.indexOf(what)] as string
  const year = at('year')
  if (year.length !== 4) {
    return { ok: false, message: `${label} ${t} does not give the year in full (four digits), so the date is ambiguous; ${forms}`, shown }
  }
  if (at('day').length > 2 || at('month').length > 2) {
    return { ok: false, message: `${label} ${t} is not in the order this cooperative writes dates; ${forms}`, shown }
  }
  const y = Number(year)
  const mo = Number(at('month'))
  const d = Number(at('day'))
  let value: string
  try {
    value = toCalendarDate(y, mo, d)
  } catch {
    return {
      ok: false,
      message: `${label} ${t} is not a real date when read as ${locale.order.join('/')} (as ${locale.example} is); ${forms}`,
      shown
    }
  }
  return { ok: true, value, shown: value }
}
