import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { BondSeries, Holding, Payment, Profile } from '../../shared/contract'
import { currencyMinorDigits, minorToDecimalString } from '../../shared/money'
import { parseCalendarDate } from '../../shared/dates'
import { FREQUENCY_WORDS, HOLDING_STATUS_WORDS, PAYMENT_KIND_WORDS, wordsFor } from '../../shared/bond-labels'
import { countOf, formatDate } from '../../shared/words'

export interface PortfolioData {
  asOf: string
  member: { memberNo: string; fullName: string }
  holdings: (Holding & { accruedMinor: number })[]
  received: Payment[]
  upcoming: { seriesCode: string; periodStart: string; periodEnd: string; dueDate: string; grossMinor: number; taxMinor: number; netMinor: number }[]
  /** The series the holdings are in: name, rate, frequency and maturity are shown beside each holding. */
  series: Pick<BondSeries, 'id' | 'name' | 'couponRatePercent' | 'frequency' | 'maturityDate'>[]
}

/**
 * Excel stores numbers as binary doubles: amounts are written from their
 * exact decimal text (never computed in floating point) and shown with the
 * currency's decimal places.
 */
const money = (minor: number, currency: string): number => Number(minorToDecimalString(minor, currency))
/** A calendar date as an Excel date (a UTC midnight, so no time zone moves it a day). */
const date = (iso: string): Date => {
  const { year, month, day } = parseCalendarDate(iso)
  return new Date(Date.UTC(year, month - 1, day))
}

/**
 * An Excel date format that reads like the cooperative's locale's medium
 * date: en-KE "15 Jan 2026" → `d mmm yyyy`, en-US "Jan 15, 2026" →
 * `mmm d, yyyy`, de-DE "15.01.2026" → `dd.mm.yyyy`. Month names come from
 * the spreadsheet program's own language.
 */
export function excelDateFormat(locale: string): string {
  const parts = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC', numberingSystem: 'latn' }).formatToParts(
    Date.UTC(2026, 0, 5)
  )
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

type Align = 'left' | 'right'

interface Column {
  header: string
  /** Kind of value: drives the number format and the alignment of both the header and the data. */
  kind: 'text' | 'count' | 'money' | 'date' | 'rate'
  /** Added up on the totals row. */
  total?: boolean
  /** Minimum width in characters. */
  width: number
}

/** The first row of a sheet's table (after the title block). */
const HEADER_ROW = 5

export async function writePortfolioWorkbook(file: string, profile: Profile, data: PortfolioData): Promise<string> {
  const c = profile.currency
  const locale = profile.locale
  const digits = currencyMinorDigits(c)
  const moneyFmt = digits === 0 ? '#,##0' : `#,##0.${'0'.repeat(digits)}`
  const dateFmt = excelDateFormat(locale)
  const asOf = formatDate(data.asOf, locale, 'long')
  const seriesById = new Map(data.series.map((s) => [s.id, s]))

  const wb = new ExcelJS.Workbook()
  wb.creator = profile.name
  wb.title = `Bond portfolio of ${data.member.fullName}`
  wb.subject = `As of ${asOf}`

  const alignOf = (col: Column): Align => (col.kind === 'text' ? 'left' : 'right')
  /** Header and data share one alignment; text after a right-aligned column is indented so the two never touch. */
  const alignment = (columns: Column[], i: number): Partial<ExcelJS.Alignment> => {
    const col = columns[i] as Column
    const prev = columns[i - 1]
    const indent = alignOf(col) === 'left' && prev && alignOf(prev) === 'right' ? 1 : 0
    return { horizontal: alignOf(col), ...(indent ? { indent } : {}) }
  }

  const sheet = (name: string, title: string, columns: Column[], rows: unknown[][], empty: string) => {
    const wide = columns.length > 6
    const ws = wb.addWorksheet(name, {
      views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: 0, activeCell: `A${HEADER_ROW + 1}` }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: wide ? 'landscape' : 'portrait',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        horizontalCentered: true,
        printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
        margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 }
      },
      headerFooter: {
        oddHeader: `&L&"-,Bold"${excelHeaderText(profile.name)}&R${excelHeaderText(title)}`,
        oddFooter: `&L${excelHeaderText(`${data.member.fullName} (${data.member.memberNo}) · as of ${asOf}`)}&RPage &P of &N`
      }
    })
    // The title block: what, whose, as of when, in which currency.
    ws.getCell('A1').value = profile.name
    ws.getCell('A1').font = { bold: true, size: 14 }
    ws.getCell('A2').value = `${title}: ${data.member.fullName} (${data.member.memberNo})`
    ws.getCell('A2').font = { bold: true, size: 12 }
    ws.getCell('A3').value = `As of ${asOf}. Amounts in ${c}.`
    ws.getCell('A3').font = { italic: true, color: { argb: 'FF555555' } }

    const header = ws.getRow(HEADER_ROW)
    columns.forEach((col, i) => {
      const cell = header.getCell(i + 1)
      cell.value = col.header
      cell.font = { bold: true }
      cell.alignment = { ...alignment(columns, i), vertical: 'bottom' }
      cell.border = { bottom: { style: 'thin' } }
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } }
    })

    const first = HEADER_ROW + 1
    if (rows.length === 0) {
      const cell = ws.getCell(first, 1)
      cell.value = empty
      cell.font = { italic: true, color: { argb: 'FF555555' } }
    }
    rows.forEach((values, r) => {
      const row = ws.getRow(first + r)
      columns.forEach((col, i) => {
        const cell = row.getCell(i + 1)
        cell.value = (values[i] ?? null) as ExcelJS.CellValue
        cell.alignment = alignment(columns, i)
        if (col.kind === 'money') cell.numFmt = moneyFmt
        else if (col.kind === 'count') cell.numFmt = '#,##0'
        else if (col.kind === 'date') cell.numFmt = dateFmt
        else if (col.kind === 'rate') cell.numFmt = '0.00##'
      })
    })

    if (rows.length > 0 && columns.some((col) => col.total)) {
      const last = first + rows.length - 1
      const totals = ws.getRow(last + 1)
      totals.getCell(1).value = 'Total'
      columns.forEach((col, i) => {
        const cell = totals.getCell(i + 1)
        cell.font = { bold: true }
        cell.border = { top: { style: 'thin' }, bottom: { style: 'double' } }
        cell.alignment = alignment(columns, i)
        if (!col.total) return
        const letter = ws.getColumn(i + 1).letter
        // The sum is exact (integer minor units), cached as the formula's result for readers that do not recalculate.
        const minorTotal = rows.reduce((a, r) => a + ((r[columns.length + i] as number | undefined) ?? 0), 0)
        cell.value = { formula: `SUM(${letter}${first}:${letter}${last})`, result: money(minorTotal, c) }
        cell.numFmt = moneyFmt
      })
    }

    // Widths: the header on one line, or the widest value as shown, whichever is wider (within limits).
    columns.forEach((col, i) => {
      const shown = rows.map((r) => {
        const v = r[i]
        if (v instanceof Date) return 11
        if (typeof v === 'number') return (col.kind === 'money' ? v.toFixed(digits) : String(v)).length + 3
        return String(v ?? '').length
      })
      ws.getColumn(i + 1).width = Math.min(40, Math.max(col.width, col.header.length, ...shown) + 3 + (alignment(columns, i).indent ?? 0) * 2)
    })
    header.height = 18
    return ws
  }

  // Each row carries, after its shown values, the minor units of every totalled column (for the exact totals).
  const withMinor = (shown: unknown[], columns: Column[], minor: Record<number, number>): unknown[] => [
    ...shown,
    ...columns.map((_, i) => minor[i] ?? 0)
  ]

  const holdingColumns: Column[] = [
    { header: 'Series', kind: 'text', width: 10 },
    { header: 'Series name', kind: 'text', width: 16 },
    { header: 'Coupon rate (%)', kind: 'rate', width: 8 },
    { header: 'Frequency', kind: 'text', width: 10 },
    { header: 'Matures', kind: 'date', width: 12 },
    { header: 'Units', kind: 'count', width: 7 },
    { header: `Principal (${c})`, kind: 'money', total: true, width: 14 },
    { header: 'Purchased', kind: 'date', width: 12 },
    { header: 'Status', kind: 'text', width: 9 },
    { header: `Accrued interest (${c})`, kind: 'money', total: true, width: 14 }
  ]
  sheet(
    'Holdings',
    'Bond holdings',
    holdingColumns,
    data.holdings.map((h) => {
      const s = seriesById.get(h.seriesId)
      if (!s) throw new RangeError(`The series of holding #${h.id} is missing from the export`)
      return withMinor(
        [
          h.seriesCode,
          s.name,
          Number(s.couponRatePercent),
          wordsFor(FREQUENCY_WORDS, s.frequency),
          date(s.maturityDate),
          h.units,
          money(h.principalMinor, c),
          date(h.purchaseDate),
          wordsFor(HOLDING_STATUS_WORDS, h.status),
          money(h.accruedMinor, c)
        ],
        holdingColumns,
        { 6: h.principalMinor, 9: h.accruedMinor }
      )
    }),
    'No holdings.'
  )

  const paymentColumns = (first: Column[]): Column[] => [
    ...first,
    { header: `Gross (${c})`, kind: 'money', total: true, width: 13 },
    { header: `Tax (${c})`, kind: 'money', total: true, width: 12 },
    { header: `Net (${c})`, kind: 'money', total: true, width: 13 }
  ]
  const receivedColumns = paymentColumns([
    { header: 'Voucher', kind: 'text', width: 15 },
    { header: 'Series', kind: 'text', width: 10 },
    { header: 'Kind', kind: 'text', width: 10 },
    { header: 'Period start', kind: 'date', width: 12 },
    { header: 'Period end', kind: 'date', width: 12 },
    { header: 'Paid on', kind: 'date', width: 12 }
  ])
  sheet(
    'Coupons received',
    'Coupons and redemptions received',
    receivedColumns,
    data.received.map((p) =>
      withMinor(
        [
          p.voucherNumber ?? '',
          p.seriesCode,
          wordsFor(PAYMENT_KIND_WORDS, p.kind),
          date(p.periodStart),
          date(p.periodEnd),
          p.paidOn ? date(p.paidOn) : null,
          money(p.grossMinor, c),
          money(p.taxMinor, c),
          money(p.netMinor, c)
        ],
        receivedColumns,
        { 6: p.grossMinor, 7: p.taxMinor, 8: p.netMinor }
      )
    ),
    'Nothing received yet.'
  )

  const upcomingColumns = paymentColumns([
    { header: 'Series', kind: 'text', width: 10 },
    { header: 'Period start', kind: 'date', width: 12 },
    { header: 'Period end', kind: 'date', width: 12 },
    { header: 'Due', kind: 'date', width: 12 }
  ])
  sheet(
    'Upcoming coupons',
    `Next coupons (${countOf(data.upcoming.length, { one: 'coupon', other: 'coupons' }, locale)})`,
    upcomingColumns,
    data.upcoming.map((u) =>
      withMinor(
        [u.seriesCode, date(u.periodStart), date(u.periodEnd), date(u.dueDate), money(u.grossMinor, c), money(u.taxMinor, c), money(u.netMinor, c)],
        upcomingColumns,
        { 4: u.grossMinor, 5: u.taxMinor, 6: u.netMinor }
      )
    ),
    'No coupons to come.'
  )

  fs.mkdirSync(path.dirname(file), { recursive: true })
  const partial = `${file}.partial`
  await wb.xlsx.writeFile(partial)
  fs.renameSync(partial, file)
  return file
}

/** Text inside an Excel page header or footer: "&" starts a code there, so it is doubled. */
function excelHeaderText(s: string): string {
  return s.replace(/&/g, '&&')
}
