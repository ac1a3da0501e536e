/**
 * A report as an Excel workbook, streamed (exceljs' WorkbookWriter): rows are
 * written and let go as they are read, so a register of 100,000 payments
 * takes little memory. One sheet per table, then an "About" sheet:
 *
 *   1  Organisation                        (bold)
 *   2  Report title (— table title when the report has several tables)
 *   3  Subtitle (the dates in words, the member…)
 *   4  The table's note, grey italic (when it has one)
 *   6  Column headers: bold, tinted, frozen, repeated on every printed page
 *   7… Rows: real numbers in the currency's format, real dates, counts
 *      '#,##0', percentages; a heading row before each group (groupBy);
 *      opening balances italic, subtotals and totals bold
 *      Total row: bold, exact sums (integer minor units, BigInt), written as
 *      SUM formulas carrying their exact result
 *
 * The About sheet says the report, every parameter, when it was made (the
 * book's time zone), by whom, the rows and the data fingerprint (the same
 * as the screen's and the PDF's for the same data, see fingerprint.ts).
 *
 * Written to `<file>.partial` and renamed once whole; removed on any failure
 * or when the signal aborts (JobAborted). Pure apart from the file: the
 * caller gives `now` and who made it.
 *
 * Speed: every cell gets one of a few shared style objects (per column and
 * row style): exceljs finds a style's id by the object's identity, so a
 * fresh object per cell would make it serialise and look up every style.
 * The data rows themselves are rendered by xlsx-rows.ts as the XML exceljs
 * would write for them (checked against exceljs' own on each sheet's first
 * row; exceljs writes them whenever that check or its internals fail).
 */
import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { currencyMinorDigits, minorToDecimalString } from '../../shared/money'
import { formatInstant } from '../../shared/words'
import { excelDate, excelDateFormat, excelHeaderText, excelMoneyFormat, money } from '../platform/xlsx/table'
import { checkProfile, printLocale } from '../platform/pdf/page'
import { JobAborted, throwIfAborted } from '../platform/jobs/types'
import { DataFingerprint, addTotals, cellError, checkCell, newTotals, percentFraction, sheetNames, totalsRow } from './fingerprint'
import type { ReportColumn, ReportDocument, ReportRow, ReportRowStyle, ReportTable } from './model'
import { ExceljsRowCells, SheetRows, type RowCells } from './xlsx-rows'

export interface XlsxRunOptions {
  /** "Made at" and the workbook's creation date. */
  now: Date
  /** Who made it (an operator's name, "Weekly summary job"…). */
  madeBy: string
  signal: AbortSignal
  /** Rows written so far and all the rows (null when not known beforehand). */
  progress(done: number, total: number | null): void
  /**
   * Every data row through exceljs' own row writer, as when its internals
   * are not what xlsx-rows.ts expects (for tests, which compare the two).
   */
  exceljsRows?: boolean
}

/** The header row of every table sheet (after the title block). */
const HEADER_ROW = 6
/** Rows read before the column widths are fixed (exceljs writes the widths before the first row). */
const SAMPLE_ROWS = 200
/** Progress and the abort signal every this many rows. */
const EVERY = 500
/**
 * The event loop gets a turn every this many rows: the zip compresses on
 * another thread, and hands each piece back (and takes the next) only in a
 * turn; with turns this often it keeps up with the rows instead of being
 * left most of the sheet to do at the end.
 */
const TURN = 100
const MAX_WIDTH = 60
const MIN_WIDTH = 6

const GREY = { argb: 'FF555555' }
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } }
const HEADING_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF6F6F6' } }

type RowStyleKey = ReportRowStyle | 'group' | 'totals'
const ROW_STYLES: readonly RowStyleKey[] = ['normal', 'heading', 'opening', 'subtotal', 'total', 'group', 'totals']

function fontOf(s: RowStyleKey): Partial<ExcelJS.Font> | undefined {
  switch (s) {
    case 'heading':
    case 'subtotal':
    case 'total':
    case 'group':
    case 'totals':
      return { bold: true }
    case 'opening':
      return { italic: true }
    default:
      return undefined
  }
}

function borderOf(s: RowStyleKey): Partial<ExcelJS.Borders> | undefined {
  if (s === 'totals') return { top: { style: 'thin' }, bottom: { style: 'double' } }
  if (s === 'total' || s === 'subtotal') return { top: { style: 'thin' } }
  return undefined
}

/** The shared style objects of one table: per column, per row style (and the count rows' whole numbers). */
interface SheetStyles {
  cell: Array<Record<RowStyleKey, Partial<ExcelJS.Style>>>
  countCell: Array<Record<RowStyleKey, Partial<ExcelJS.Style>>>
  header: Array<Partial<ExcelJS.Style>>
}

function numFmtOf(col: ReportColumn, moneyFmt: string, dateFmt: string): string | undefined {
  switch (col.kind) {
    case 'money':
      return moneyFmt
    case 'count':
    case 'units':
      return '#,##0'
    case 'date':
      return dateFmt
    case 'percent':
      // 12.5 % shows as 12.50%; a rate with more places is not hidden (12.375%).
      return '0.00##%'
    default:
      return undefined
  }
}

function sheetStyles(columns: ReportColumn[], wrap: boolean[], moneyFmt: string, dateFmt: string): SheetStyles {
  const make = (col: ReportColumn, i: number, s: RowStyleKey, numFmt: string | undefined): Partial<ExcelJS.Style> => {
    const right = col.kind !== 'text'
    const prev = columns[i - 1]
    const indent = !right && prev !== undefined && prev.kind !== 'text' ? 1 : 0
    const style: Partial<ExcelJS.Style> = {
      alignment: { horizontal: right ? 'right' : 'left', vertical: 'top', ...(indent ? { indent } : {}), ...(wrap[i] ? { wrapText: true } : {}) }
    }
    if (numFmt !== undefined) style.numFmt = numFmt
    const font = fontOf(s)
    if (font) style.font = font
    const border = borderOf(s)
    if (border) style.border = border
    if (s === 'group') style.fill = HEADING_FILL
    return style
  }
  const perStyle = (col: ReportColumn, i: number, numFmt: string | undefined): Record<RowStyleKey, Partial<ExcelJS.Style>> => {
    const out = {} as Record<RowStyleKey, Partial<ExcelJS.Style>>
    for (const s of ROW_STYLES) out[s] = make(col, i, s, numFmt)
    return out
  }
  return {
    cell: columns.map((col, i) => perStyle(col, i, numFmtOf(col, moneyFmt, dateFmt))),
    countCell: columns.map((col, i) => perStyle(col, i, col.kind === 'money' ? '#,##0' : numFmtOf(col, moneyFmt, dateFmt))),
    header: columns.map((col, i) => ({
      font: { bold: true },
      alignment: { horizontal: col.kind === 'text' ? 'left' : 'right', vertical: 'bottom', wrapText: true, ...(col.kind === 'text' && i > 0 && columns[i - 1]?.kind !== 'text' ? { indent: 1 } : {}) },
      border: { bottom: { style: 'thin' } },
      fill: HEADER_FILL
    }))
  }
}

/** Characters a value takes as shown (for the column widths). */
function shownLength(col: ReportColumn, v: ReportRow['cells'][number], rowKind: ReportRow['kind'], currency: string): number {
  if (v === null) return 0
  switch (col.kind) {
    case 'money': {
      if (typeof v !== 'number') return String(v).length
      const s = rowKind === 'count' ? String(v) : minorToDecimalString(v, currency)
      return s.length + Math.floor(s.replace(/[^0-9]/g, '').length / 3) + 1
    }
    case 'count':
    case 'units': {
      const s = String(v)
      return s.length + Math.floor(s.length / 3) + 1
    }
    case 'date':
      return 12
    case 'percent':
      return String(v).length + 3
    default:
      return String(v).length
  }
}

class ReportWorkbook {
  private readonly currency: string
  private readonly locale: string
  private readonly moneyFmt: string
  private readonly dateFmt: string
  readonly fingerprint = new DataFingerprint()
  private done = 0
  private readonly total: number | null
  private readonly names: string[]
  private readonly scale: number
  private readonly digits: number
  private readonly dates = new Map<string, Date>()
  /** Data rows rendered by xlsx-rows.ts (the others through exceljs). */
  fastRows = 0

  constructor(
    private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter,
    private readonly doc: ReportDocument,
    private readonly opts: XlsxRunOptions
  ) {
    this.currency = doc.profile.currency
    this.locale = printLocale(doc.profile.locale)
    this.moneyFmt = excelMoneyFormat(this.currency)
    this.dateFmt = excelDateFormat(this.locale)
    this.digits = currencyMinorDigits(this.currency)
    this.scale = 10 ** this.digits
    this.total = doc.tables.every((t) => t.rowCount !== null) ? doc.tables.reduce((n, t) => n + (t.rowCount ?? 0), 0) : null
    this.names = sheetNames([...doc.tables.map((t) => t.title), 'About'])
  }

  private madeAt(): string {
    return formatInstant(this.opts.now, this.locale, this.doc.profile.timeZone)
  }

  /** Counts a row; every TURN rows a turn of the event loop, every EVERY rows the abort signal and progress too. */
  private tick(): Promise<void> | null {
    this.done += 1
    if (this.done % TURN !== 0) return null
    if (this.done % EVERY !== 0) return new Promise<void>((resolve) => setImmediate(resolve))
    throwIfAborted(this.opts.signal)
    this.opts.progress(this.done, this.total)
    return new Promise<void>((resolve) => setImmediate(resolve))
  }

  async write(): Promise<void> {
    const { doc } = this
    for (const [i, t] of doc.tables.entries()) await this.table(t, this.names[i] as string)
    this.about(this.names[doc.tables.length] as string)
    throwIfAborted(this.opts.signal)
    this.opts.progress(this.done, this.total)
  }

  private async table(t: ReportTable, name: string): Promise<void> {
    this.fingerprint.table(t)
    const rows = t.rows()[Symbol.iterator]()
    try {
      await this.tableRows(t, name, rows)
    } finally {
      // An iterator left open would keep its statement busy on the connection.
      rows.return?.()
    }
  }

  private async tableRows(t: ReportTable, name: string, rows: Iterator<ReportRow>): Promise<void> {
    const { doc, wb, currency } = this
    const columns = t.columns
    // The first rows, to size the columns (and to say whether the sheet is wide).
    const sample: ReportRow[] = []
    while (sample.length < SAMPLE_ROWS) {
      const next = rows.next()
      if (next.done === true) break
      sample.push(next.value)
    }
    const widths = columns.map((col) => {
      const headerWord = Math.max(...col.label.split(/\s+/).map((w) => w.length))
      return Math.max(MIN_WIDTH, headerWord, col.kind === 'date' ? 12 : 0)
    })
    sample.forEach((r, n) => {
      columns.forEach((col, i) => checkCell(col, r.cells[i] ?? null, t, n))
    })
    for (const r of sample) {
      columns.forEach((col, i) => {
        const n = shownLength(col, r.cells[i] ?? null, r.kind, currency)
        if (n > (widths[i] as number)) widths[i] = n
      })
    }
    const wrap = widths.map((w) => w > MAX_WIDTH)
    const finalWidths = widths.map((w, i) => Math.min(MAX_WIDTH, w) + 2 + (columns[i]?.kind === 'text' && i > 0 && columns[i - 1]?.kind !== 'text' ? 2 : 0))
    const wide = doc.landscape || columns.length > 6 || finalWidths.reduce((a, b) => a + b, 0) > 100

    const footerText = `${doc.title} · made ${this.madeAt()} by ${this.opts.madeBy}`
    const ws = wb.addWorksheet(name, {
      views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: 0, activeCell: `A${HEADER_ROW + 1}` }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: wide ? 'landscape' : 'portrait',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
        margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 }
      },
      headerFooter: {
        oddHeader: `&L&"-,Bold"${excelHeaderText(doc.profile.name)}&R${excelHeaderText(doc.title)}`,
        oddFooter: `&L${excelHeaderText(footerText)}&RPage &P of &N`
      }
    })
    finalWidths.forEach((w, i) => (ws.getColumn(i + 1).width = w))

    // Title block.
    ws.getCell('A1').value = doc.profile.name
    ws.getCell('A1').font = { bold: true, size: 14 }
    ws.getCell('A2').value = doc.tables.length > 1 ? `${doc.title} — ${t.title}` : doc.title
    ws.getCell('A2').font = { bold: true, size: 12 }
    ws.getCell('A3').value = doc.subtitle
    if (t.note !== null) {
      ws.getCell('A4').value = t.note
      ws.getCell('A4').font = { italic: true, color: GREY }
    }
    const styles = sheetStyles(columns, wrap, this.moneyFmt, this.dateFmt)
    const header = ws.getRow(HEADER_ROW)
    columns.forEach((col, i) => {
      const cell = header.getCell(i + 1)
      cell.value = col.label
      cell.style = styles.header[i] as Partial<ExcelJS.Style>
    })
    header.height = columns.some((c, i) => c.label.length > (finalWidths[i] as number) - 2) ? 32 : 18
    header.commit()
    const fast = this.opts.exceljsRows === true ? null : SheetRows.open(wb, ws, columns.length, this.digits)
    // An exceljs row after rows rendered by xlsx-rows.ts: those go to the stream first.
    const commit = (xr: ExcelJS.Row): void => (fast ? fast.commit(xr) : xr.commit())

    let next = HEADER_ROW + 1
    const first = next
    const totals = newTotals(columns)
    let group: string | null = null
    let count = 0
    const put = (r: ReportRow): Promise<void> | null => {
      this.fingerprint.row(r)
      addTotals(totals, columns, r, t, count)
      if (t.groupBy !== null) {
        const g = r.cells[t.groupBy]
        const label = g === null || g === undefined ? '' : String(g)
        if (count === 0 || label !== group) {
          group = label
          if (r.style !== 'heading') {
            const hr = ws.getRow(next++)
            const cell = hr.getCell(1)
            cell.value = label === '' ? '(none)' : label
            cell.style = styles.cell[0]?.group as Partial<ExcelJS.Style>
            for (let i = 1; i < columns.length; i++) hr.getCell(i + 1).style = styles.cell[i]?.group as Partial<ExcelJS.Style>
            commit(hr)
          }
        }
      }
      this.row(ws, next++, fast, columns, r, styles, t, count)
      count += 1
      return this.tick()
    }
    for (const r of sample) {
      const wait = put(r)
      if (wait) await wait
    }
    for (;;) {
      const n = rows.next()
      if (n.done === true) break
      const wait = put(n.value)
      if (wait) await wait
    }

    if (count === 0) {
      const er = ws.getRow(next++)
      er.getCell(1).value = t.empty
      er.getCell(1).font = { italic: true, color: GREY }
      commit(er)
    } else {
      const sums = totalsRow(totals, columns, count)
      if (sums === null) {
        this.endSheet(ws, fast)
        return
      }
      const last = next - 1
      const tr = ws.getRow(next++)
      columns.forEach((col, i) => {
        const cell = tr.getCell(i + 1)
        cell.style = styles.cell[i]?.totals as Partial<ExcelJS.Style>
        const sum = sums.cells[i] ?? null
        if (!col.total || sum === null) return
        const letter = ws.getColumn(i + 1).letter
        const result = col.kind === 'money' ? money(sum as number, currency) : (sum as number)
        // The exact sum, cached as the formula's result for readers that do not recalculate.
        cell.value = { formula: `SUM(${letter}${first}:${letter}${last})`, result }
      })
      const labelAt = columns.findIndex((c) => !c.total)
      if (labelAt >= 0) tr.getCell(labelAt + 1).value = 'Total'
      commit(tr)
    }
    this.endSheet(ws, fast)
  }

  private endSheet(ws: ExcelJS.Worksheet, fast: SheetRows | null): void {
    if (fast) {
      fast.flush()
      this.fastRows += fast.written
    }
    ws.commit()
  }

  /** Dates repeat (a day's payments): each read once. */
  private date(iso: string): Date {
    let d = this.dates.get(iso)
    if (d === undefined) {
      if (this.dates.size > 4096) this.dates.clear()
      d = excelDate(iso)
      this.dates.set(iso, d)
    }
    return d
  }

  /**
   * Data row `r` (the table's n-th) as sheet row `at`: rendered by
   * xlsx-rows.ts once the sheet's first row has shown it writes what exceljs
   * writes; otherwise set on an exceljs Row and committed.
   */
  private row(ws: ExcelJS.Worksheet, at: number, fast: SheetRows | null, columns: ReportColumn[], r: ReportRow, styles: SheetStyles, t: ReportTable, n: number): void {
    if (fast?.fast === true) {
      fast.begin(at)
      this.cells(fast, columns, r, styles, t, n)
      fast.end()
      return
    }
    const xr = ws.getRow(at)
    this.cells(new ExceljsRowCells(xr, this.scale), columns, r, styles, t, n)
    if (fast?.verifying === true) {
      fast.verify(xr, () => {
        fast.begin(at)
        this.cells(fast, columns, r, styles, t, n)
      })
    } else xr.commit()
  }

  private cells(out: RowCells, columns: ReportColumn[], r: ReportRow, styles: SheetStyles, t: ReportTable, n: number): void {
    const set = r.kind === 'count' ? styles.countCell : styles.cell
    const style = r.style
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i] as ReportColumn
      const v = r.cells[i] ?? null
      if (v === null) continue
      checkCell(col, v, t, n)
      const cellStyle = (set[i] as Record<RowStyleKey, Partial<ExcelJS.Style>>)[style]
      switch (col.kind) {
        case 'money':
          if (r.kind === 'count') out.number(i, v as number, cellStyle)
          else out.money(i, v as number, cellStyle)
          break
        case 'date':
          out.date(i, this.date(v as string), cellStyle)
          break
        case 'percent':
          out.number(i, percentFraction(v), cellStyle)
          break
        case 'text':
          out.text(i, String(v), cellStyle)
          break
        default:
          out.number(i, v as number, cellStyle)
      }
    }
    if (r.cells.length > columns.length) throw cellError(t, n, null, `has ${r.cells.length} cells for ${columns.length} columns`)
  }

  private about(name: string): void {
    const { doc, wb } = this
    const ws = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } })
    ws.getColumn(1).width = 22
    ws.getColumn(2).width = 70
    const wrapStyle: Partial<ExcelJS.Style> = { alignment: { wrapText: true, vertical: 'top', horizontal: 'left' } }
    const labelStyle: Partial<ExcelJS.Style> = { font: { bold: true }, alignment: { vertical: 'top' } }
    const lines: Array<[string, string | number]> = [
      ['Organisation', doc.profile.name],
      ['Report', doc.title],
      ['Covering', doc.subtitle],
      ...doc.parameters.map((p): [string, string] => [p.label, p.value]),
      ['Made at', `${this.madeAt()} (${doc.profile.timeZone})`],
      ['Made by', this.opts.madeBy],
      ['Rows', this.fingerprint.rows],
      ['Data fingerprint', this.fingerprint.digest()]
    ]
    ws.getCell('A1').value = `About this report`
    ws.getCell('A1').font = { bold: true, size: 12 }
    ws.getRow(1).commit()
    lines.forEach(([label, value], i) => {
      const r = ws.getRow(i + 3)
      r.getCell(1).value = label
      r.getCell(1).style = labelStyle
      r.getCell(2).value = value
      r.getCell(2).style = typeof value === 'number' ? { numFmt: '#,##0', alignment: { horizontal: 'left' } } : wrapStyle
      r.commit()
    })
    ws.commit()
  }
}

/**
 * Writes the report to `file` (created or replaced, whole or not at all) as
 * an Excel workbook. Returns the data rows written, the data fingerprint and
 * how many data rows xlsx-rows.ts rendered (the rest went through exceljs).
 * Throws JobAborted when the signal aborts (nothing is left behind), and
 * RangeError for a cell that is not what its column says (a definition's
 * fault), also leaving nothing behind.
 */
export async function writeReportXlsx(file: string, doc: ReportDocument, opts: XlsxRunOptions): Promise<{ rows: number; fingerprint: string; fastRows: number }> {
  checkProfile(doc.profile)
  if (!(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) throw new RangeError('now must be a valid Date')
  throwIfAborted(opts.signal)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const partial = `${file}.partial`
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: partial,
    useSharedStrings: false,
    useStyles: true,
    zip: { zlib: { level: 1 } }
  } as Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>)
  wb.creator = 'Coffer'
  wb.lastModifiedBy = 'Coffer'
  wb.created = opts.now
  wb.modified = opts.now
  wb.title = doc.title
  wb.subject = doc.subtitle
  wb.company = doc.profile.name
  const writer = new ReportWorkbook(wb, doc, opts)
  // A failure of the file (disk full) while rows are being written.
  let streamError: Error | null = null
  const internals = wb as unknown as { stream: fs.WriteStream; zip: { abort(): void; on(e: string, f: (e: Error) => void): void } }
  internals.stream.on('error', (e: Error) => (streamError ??= e))
  internals.zip.on('error', (e: Error) => (streamError ??= e))
  try {
    await writer.write()
    if (streamError) throw streamError
    await wb.commit()
    if (streamError) throw streamError
    throwIfAborted(opts.signal)
    fs.renameSync(partial, file)
    return { rows: writer.fingerprint.rows, fingerprint: writer.fingerprint.digest(), fastRows: writer.fastRows }
  } catch (e) {
    try {
      internals.zip.abort()
    } catch {
      // already ended
    }
    const stream = internals.stream
    if (!stream.closed) {
      const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()))
      stream.destroy()
      await closed
    }
    await fs.promises.rm(partial, { force: true })
    if (e instanceof JobAborted) throw e
    throw e
  }
}
