/**
 * The house style of Coffer's workbooks (exceljs), shared by the bond
 * portfolio export and the payroll register: a title block, a frozen and
 * tinted header row, typed cells with number formats (money with the
 * currency's decimal places, dates in the locale's medium order), a
 * sentence in place of an empty table, a totals row whose SUM formulas
 * carry their exact result (added up in integer minor units, never in
 * floating point), and widths that fit what is shown.
 *
 * Only exceljs's types are imported here: the writers that use this are
 * loaded on first use (see ../lazy.ts) and bring exceljs with them, so
 * starting the app or a command does not load it.
 */
import type ExcelJS from 'exceljs'
import { addMinor, currencyMinorDigits, minorToDecimalString } from '../../../shared/money'
import { parseCalendarDate } from '../../../shared/dates'

/**
 * An amount as an Excel number. Excel stores numbers as binary doubles: the
 * amount is read once from its exact decimal text (never computed in
 * floating point) and shown with the currency's decimal places.
 */
export const money = (minor: number, currency: string): number => Number(minorToDecimalString(minor, currency))

/** A calendar date as an Excel date (a UTC midnight, so no time zone moves it a day). */
export const excelDate = (iso: string): Date => {
  const { year, month, day } = parseCalendarDate(iso)
  return new Date(Date.UTC(year, month - 1, day))
}

/** The number format of amounts in `currency`: thousands grouped, the currency's decimal places. */
export function excelMoneyFormat(currency: string): string {
  const digits = currencyMinorDigits(currency)
  return digits === 0 ? '#,##0' : `#,##0.${'0'.repeat(digits)}`
}

/**
 * An Excel date format that reads like the locale's medium date: en-KE
 * "15 Jan 2026" → `d mmm yyyy`, en-US "Jan 15, 2026" → `mmm d, yyyy`,
 * de-DE "15.01.2026" → `dd.mm.yyyy`. Month names come from the spreadsheet
 * program's own language.
 */
export function excelDateFormat(locale: string): string {
  const parts = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC', numberingSystem: 'latn' }).formatToParts(Date.UTC(2026, 0, 5))
  let out = ''
  for (const p of parts) {
    if (p.type === 'day') out += p.value.length === 2 ? 'dd' : 'd'
    else if (p.type === 'month') out += /^\d+$/.test(p.value) ? (p.value.length === 2 ? 'mm' : 'm') : 'mmm'
    else if (p.type === 'year') out += p.value.length === 2 ? 'yy' : 'yyyy'
    else if (p.type === 'literal') out += p.value.replace(/[^\s,./-]/g, (ch) => `\\${ch}`).replace(/\s/g, ' ')
    // Anything else (an era, a weekday) is not part of a medium date in the locales Coffer is used in: left out.
  }
  // A month name that carries its own dot ("janv.") is written by Excel without one: keep the locale's separators only.
  return out.replace(/mmm\./, 'mmm')
}

/** Text inside an Excel page header or footer: "&" starts a code there, so it is doubled. */
export function excelHeaderText(s: string): string {
  return s.replace(/&/g, '&&')
}

export interface Column {
  header: string
  /** Kind of value: drives the number format and the alignment of both the header and the data. */
  kind: 'text' | 'count' | 'money' | 'date' | 'rate'
  /** Added up (exactly, in minor units) on the totals row. */
  total?: boolean
  /** Minimum width in characters. */
  width: number
}

/** A row: what is shown, and the minor units of every money column by index (for exact totals and widths). */
export interface Row {
  values: unknown[]
  minor: Record<number, number>
}

/** The first row of a sheet's table (after the title block). */
export const HEADER_ROW = 5

const GREY_ITALIC: Partial<ExcelJS.Font> = { italic: true, color: { argb: 'FF555555' } }

/** The title block: the organisation (row 1), what the sheet is (row 2) and, if given, a note in grey (row 3). */
export function writeTitleBlock(ws: ExcelJS.Worksheet, organisation: string, heading: string, note?: string): void {
  ws.getCell('A1').value = organisation
  ws.getCell('A1').font = { bold: true, size: 14 }
  ws.getCell('A2').value = heading
  ws.getCell('A2').font = { bold: true, size: 12 }
  if (note === undefined) return
  ws.getCell('A3').value = note
  ws.getCell('A3').font = { ...GREY_ITALIC }
}

/** How a workbook lays out its tables (one per writer, the same for all its sheets). */
export interface TableStyle {
  /** Headers wrap at spaces (a two-line header row; a column need only fit its header's longest word), or stay on one line. */
  wrapHeaders: boolean
  /** The number format of a 'rate' column. */
  rateFormat: string
  /** Widest a column is made, in characters. */
  maxWidth: number
  /** Added to every column's width, in characters. */
  pad: number
  /** Added to the length of a number as shown (room for grouping separators). */
  numberPad: number
}

export interface TableSheet {
  /** The sheet's tab. */
  name: string
  /** Row 1 and the page header's left. */
  organisation: string
  /** The page header's right. */
  title: string
  /** Row 2: what the sheet is. */
  heading: string
  /** Row 3: a note in grey (as of when, the currency). */
  note: string
  /** The page footer's left. */
  footer: string
  columns: Column[]
  rows: Row[]
  /** Said in place of a table with no rows. */
  empty: string
  currency: string
  /** Dates are shown in this locale's medium order. */
  locale: string
  /** Columns kept in view when scrolling across. */
  frozenColumns?: number
}

const alignOf = (col: Column): 'left' | 'right' => (col.kind === 'text' ? 'left' : 'right')

/** Header and data share one alignment; text after a right-aligned column is indented so the two never touch. */
function alignment(columns: Column[], i: number): Partial<ExcelJS.Alignment> {
  const col = columns[i] as Column
  const prev = columns[i - 1]
  const indent = alignOf(col) === 'left' && prev && alignOf(prev) === 'right' ? 1 : 0
  return { horizontal: alignOf(col), ...(indent ? { indent } : {}) }
}

/** A sheet with a title block and one table (header, rows or the empty sentence, totals), set up to print on A4. */
export function writeTableSheet(wb: ExcelJS.Workbook, style: TableStyle, t: TableSheet): ExcelJS.Worksheet {
  const { columns, rows, currency } = t
  const moneyFmt = excelMoneyFormat(currency)
  const ws = wb.addWorksheet(t.name, {
    views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: t.frozenColumns ?? 0, activeCell: `A${HEADER_ROW + 1}` }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: columns.length > 6 ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 }
    },
    headerFooter: {
      oddHeader: `&L&"-,Bold"${excelHeaderText(t.organisation)}&R${excelHeaderText(t.title)}`,
      oddFooter: `&L${excelHeaderText(t.footer)}&RPage &P of &N`
    }
  })
  writeTitleBlock(ws, t.organisation, t.heading, t.note)

  const header = ws.getRow(HEADER_ROW)
  columns.forEach((col, i) => {
    const cell = header.getCell(i + 1)
    cell.value = col.header
    cell.font = { bold: true }
    cell.alignment = { ...alignment(columns, i), vertical: 'bottom', ...(style.wrapHeaders ? { wrapText: true } : {}) }
    cell.border = { bottom: { style: 'thin' } }
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } }
  })

  const first = HEADER_ROW + 1
  if (rows.length === 0) {
    const cell = ws.getCell(first, 1)
    cell.value = t.empty
    cell.font = { ...GREY_ITALIC }
  }
  const hasDates = columns.some((col) => col.kind === 'date')
  const dateFmt = hasDates ? excelDateFormat(t.locale) : ''
  rows.forEach((r, n) => {
    const row = ws.getRow(first + n)
    columns.forEach((col, i) => {
      const cell = row.getCell(i + 1)
      cell.value = (r.values[i] ?? null) as ExcelJS.CellValue
      cell.alignment = alignment(columns, i)
      if (col.kind === 'money') cell.numFmt = moneyFmt
      else if (col.kind === 'count') cell.numFmt = '#,##0'
      else if (col.kind === 'date') cell.numFmt = dateFmt
      else if (col.kind === 'rate') cell.numFmt = style.rateFormat
    })
  })

  if (rows.length > 0 && columns.some((col) => col.total)) {
    const last = first + rows.length - 1
    const totals = ws.getRow(last + 1)
    columns.forEach((col, i) => {
      const cell = totals.getCell(i + 1)
      cell.font = { bold: true }
      cell.border = { top: { style: 'thin' }, bottom: { style: 'double' } }
      cell.alignment = alignment(columns, i)
      if (!col.total) return
      const letter = ws.getColumn(i + 1).letter
      // The sum is exact (integer minor units), cached as the formula's result for readers that do not recalculate.
      const minorTotal = addMinor(...rows.map((r) => r.minor[i] ?? 0))
      cell.value = { formula: `SUM(${letter}${first}:${letter}${last})`, result: money(minorTotal, currency) }
      cell.numFmt = moneyFmt
    })
    totals.getCell(1).value = 'Total'
  }

  // Widths: the header (its longest word when headers wrap), or the widest value as shown, whichever is wider (within limits).
  columns.forEach((col, i) => {
    const shown = rows.map((r) => {
      const v = r.values[i]
      if (v instanceof Date) return 11
      if (typeof v === 'number') return (col.kind === 'money' ? minorToDecimalString(r.minor[i] ?? 0, currency) : String(v)).length + style.numberPad
      return String(v ?? '').length
    })
    const headerWidth = style.wrapHeaders ? Math.max(...col.header.split(/\s+/).map((w) => w.length)) : col.header.length
    ws.getColumn(i + 1).width = Math.min(style.maxWidth, Math.max(col.width, headerWidth, ...shown) + style.pad + (alignment(columns, i).indent ?? 0) * 2)
  })
  header.height = style.wrapHeaders ? 32 : 18
  return ws
}
