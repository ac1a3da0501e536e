/**
 * Reading report files back as other programs see them (issue 15's test
 * requirement): workbooks converted to CSV by LibreOffice headless (every
 * sheet, as displayed, many files in one run with a private profile so
 * parallel runs do not clash), PDFs read with pdftotext and checked with
 * qpdf; and the cells LibreOffice shows parsed back to the values a
 * report's rows hold (money to integer minor units, dates to YYYY-MM-DD,
 * percentages to exact decimal text), never through floating point.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ReportCell, ReportColumn, ReportRow } from '../../src/shared/contract'
import { currencyMinorDigits } from '../../src/shared/money'

/** The programs these checks need that are not on this machine (empty: all there). */
export function missingTools(): string[] {
  return ['libreoffice', 'pdftotext', 'qpdf', 'pdfinfo'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0)
}

/** A CSV file as rows of fields (quotes, doubled quotes and newlines inside quotes handled). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let field = ''
  let current: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      current.push(field)
      field = ''
    } else if (ch === '\n') {
      current.push(field)
      rows.push(current)
      current = []
      field = ''
    } else if (ch !== '\r') field += ch
  }
  if (field !== '' || current.length > 0) {
    current.push(field)
    rows.push(current)
  }
  return rows
}

/**
 * Converts workbooks to CSV with one LibreOffice run (every sheet to
 * `<out>/<file>-<Sheet>.csv`, cells as shown; 44,34,76: comma, double quote,
 * UTF-8; the 9th token true: as shown; -1: every sheet). Returns each
 * workbook's sheets by name.
 */
export function workbooksAsShown(files: string[], out: string): Map<string, Map<string, string[][]>> {
  fs.mkdirSync(out, { recursive: true })
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `lo-${process.pid}-`))
  try {
    execFileSync(
      'libreoffice',
      [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', out, ...files],
      { stdio: 'pipe', timeout: 120_000 }
    )
  } finally {
    fs.rmSync(profile, { recursive: true, force: true })
  }
  const made = fs.readdirSync(out)
  const result = new Map<string, Map<string, string[][]>>()
  for (const file of files) {
    const base = path.basename(file, '.xlsx')
    const sheets = new Map<string, string[][]>()
    for (const f of made) {
      if (!f.startsWith(`${base}-`) || !f.endsWith('.csv')) continue
      sheets.set(f.slice(base.length + 1, -4), parseCsv(fs.readFileSync(path.join(out, f), 'utf8')))
    }
    result.set(file, sheets)
  }
  return result
}

/** A PDF's text as `pdftotext -layout` gives it (one page, or all; pages end with \f). */
export function pdfText(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)]
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8' })
}

export function pdfPages(file: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1])
}

/** qpdf --check's exit status and what it said (0: no errors or warnings). */
export function qpdfCheck(file: string): { status: number | null; output: string } {
  const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' })
  return { status: r.status, output: r.stdout + r.stderr }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** An amount as LibreOffice shows '#,##0.00' ("-1,234.50") back to minor units, exactly; null when it is not one. */
export function shownMoney(s: string, currency: string): number | null {
  const digits = currencyMinorDigits(currency)
  const m = digits === 0 ? /^(-?)(\d{1,3}(?:,\d{3})*)$/.exec(s) : new RegExp(`^(-?)(\\d{1,3}(?:,\\d{3})*)\\.(\\d{${digits}})$`).exec(s)
  if (!m) return null
  const whole = BigInt((m[2] as string).replace(/,/g, ''))
  const frac = BigInt(m[3] ?? '0')
  const v = whole * 10n ** BigInt(digits) + frac
  return Number(m[1] === '-' ? -v : v)
}

/** A whole number as '#,##0' shows it. */
export function shownWhole(s: string): number | null {
  const m = /^(-?)(\d{1,3}(?:,\d{3})*)$/.exec(s)
  if (!m) return null
  const v = Number((m[2] as string).replace(/,/g, ''))
  return m[1] === '-' ? -v : v
}

/** A date as 'd mmm yyyy' shows it ("5 Jan 2026") back to YYYY-MM-DD. */
export function shownDate(s: string): string | null {
  const m = /^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})$/.exec(s)
  if (!m) return null
  const month = MONTHS.indexOf(m[2] as string)
  if (month < 0) return null
  return `${m[3]}-${String(month + 1).padStart(2, '0')}-${(m[1] as string).padStart(2, '0')}`
}

/** Exact decimal text without trailing zeros ("12.50" → "12.5", "15.0" → "15"). */
export function plainDecimal(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s
}

/** A percentage as '0.00##%' shows it ("12.50%") back to the report's exact decimal text ("12.5"); null when it is not one. */
export function shownPercent(s: string): string | null {
  const m = /^(-?\d+\.\d{2,4})%$/.exec(s)
  return m ? plainDecimal(m[1] as string) : null
}

/**
 * A row of cells as LibreOffice shows them, read back to a report row's
 * cells by their columns' kinds; a cell that does not read as its kind is
 * kept as `!<text>` so the comparison shows it.
 */
export function readBack(shown: string[], columns: ReportColumn[], kind: ReportRow['kind'], currency: string): ReportCell[] {
  return columns.map((col, i) => {
    const s = shown[i] ?? ''
    if (s === '') return null
    let v: ReportCell | null
    switch (col.kind) {
      case 'money':
        v = kind === 'count' ? shownWhole(s) : shownMoney(s, currency)
        break
      case 'count':
      case 'units':
        v = shownWhole(s)
        break
      case 'date':
        v = shownDate(s)
        break
      case 'percent':
        v = shownPercent(s)
        break
      default:
        v = s
    }
    return v === null ? `!${s}` : v
  })
}

/** A report row's cells as readBack gives them (percentages without trailing zeros). */
export function comparable(cells: ReportCell[], columns: ReportColumn[]): ReportCell[] {
  return columns.map((col, i) => {
    const v = cells[i] ?? null
    if (v === null || v === '') return null
    if (col.kind === 'percent') return plainDecimal(String(v))
    return v
  })
}
