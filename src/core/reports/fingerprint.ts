/**
 * The data fingerprint of a report: SHA-256 over what it read, encoded
 * canonically, so the same data gives the same fingerprint on screen, in
 * Excel and in PDF (and a different one for any change of a cell, a row's
 * kind or style, a column or a table's key).
 *
 * Encoding (UTF-8, one JSON array per line; JSON escapes every newline and
 * quote inside a string, so no two different inputs share an encoding):
 *
 *   coffer-report-data 1
 *   ["table","<key>",[["<col key>","<label>","<kind>",<total>],…]]
 *   ["row","<style>",<kind or null>,[<cell>,…]]        (each row, in order)
 *   ["end",<rows of the table>]
 *
 * Cells are as the definition gives them (integers, text, null), so what is
 * hashed is the data, never a formatting of it.
 */
import { createHash, type Hash } from 'node:crypto'
import type { ReportCell, ReportColumn, ReportDocument, ReportRow, ReportTable } from './model'

const HEADER = 'coffer-report-data 1\n'
/** Text is handed to the hash in pieces of about this many characters. */
const CHUNK = 1 << 16

export class DataFingerprint {
  private readonly hash: Hash = createHash('sha256')
  private pending = ''
  private tableRows = 0
  private inTable = false
  private done: string | null = null
  /** Rows of every table so far. */
  rows = 0

  constructor() {
    this.push(HEADER)
  }

  private push(s: string): void {
    if (this.done !== null) throw new Error('The fingerprint is already made')
    this.pending += s
    if (this.pending.length >= CHUNK) this.flush()
  }

  private flush(): void {
    if (this.pending.length === 0) return
    this.hash.update(this.pending, 'utf8')
    this.pending = ''
  }

  private endTable(): void {
    if (!this.inTable) return
    this.push(`${JSON.stringify(['end', this.tableRows])}\n`)
    this.inTable = false
  }

  /** A table starts (its rows follow with `row`). */
  table(t: Pick<ReportTable, 'key' | 'columns'>): void {
    this.endTable()
    const columns = t.columns.map((c) => [c.key, c.label, c.kind, c.total])
    this.push(`${JSON.stringify(['table', t.key, columns])}\n`)
    this.inTable = true
    this.tableRows = 0
  }

  /** The next row of the current table. */
  row(r: ReportRow): void {
    if (!this.inTable) throw new Error('A row before its table')
    this.push(`${JSON.stringify(['row', r.style, r.kind, r.cells])}\n`)
    this.tableRows += 1
    this.rows += 1
  }

  /** The fingerprint, hex (the data ends here; asking again gives the same). */
  digest(): string {
    if (this.done !== null) return this.done
    this.endTable()
    this.flush()
    this.done = this.hash.digest('hex')
    return this.done
  }
}

/** Reads every row of every table of the document once and answers its data fingerprint and rows. */
export function fingerprintDocumentWithRows(doc: Pick<ReportDocument, 'tables'>): { fingerprint: string; rows: number } {
  const f = new DataFingerprint()
  for (const t of doc.tables) {
    f.table(t)
    for (const r of t.rows()) f.row(r)
  }
  return { fingerprint: f.digest(), rows: f.rows }
}

/** The data fingerprint of the document (every row of every table read once). */
export function fingerprintDocument(doc: Pick<ReportDocument, 'tables'>): string {
  return fingerprintDocumentWithRows(doc).fingerprint
}

// ---------------------------------------------------------------------------
// Cells and totals, the same for the screen and both writers
// ---------------------------------------------------------------------------

/** A cell that is not what its column says: a definition's fault, said with where it is. */
export function cellError(t: Pick<ReportTable, 'title'>, rowIndex: number, col: ReportColumn | null, what: string): RangeError {
  return new RangeError(`${t.title}, row ${rowIndex + 1}${col ? `, ${col.label}` : ''}: ${what}`)
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DECIMAL = /^-?\d+(\.\d+)?$/

/** Refuses (RangeError) a cell its column cannot hold: money, counts and units safe integers, dates YYYY-MM-DD, percent decimal text. */
export function checkCell(col: ReportColumn, v: ReportCell, t: Pick<ReportTable, 'title'>, rowIndex: number): void {
  if (v === null) return
  switch (col.kind) {
    case 'money':
    case 'count':
    case 'units':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw cellError(t, rowIndex, col, `${JSON.stringify(v)} is not a whole number${col.kind === 'money' ? ' of minor units' : ''}`)
      return
    case 'date':
      if (typeof v !== 'string' || !DATE.test(v)) throw cellError(t, rowIndex, col, `${JSON.stringify(v)} is not a date (YYYY-MM-DD)`)
      return
    case 'percent':
      if (!(typeof v === 'number' ? Number.isSafeInteger(v) : DECIMAL.test(v))) throw cellError(t, rowIndex, col, `${JSON.stringify(v)} is not a percentage in decimal text`)
      return
    default:
  }
}

/** A percentage's decimal text ("12.5") as the fraction it means (0.125), moved two places as text (no floating-point product). */
export function percentFraction(v: string | number): number {
  const s = String(v)
  const negative = s.startsWith('-')
  const [whole = '0', frac = ''] = (negative ? s.slice(1) : s).split('.')
  const padded = whole.padStart(3, '0')
  const text = `${negative ? '-' : ''}${padded.slice(0, -2)}.${padded.slice(-2)}${frac}`
  return Number(text)
}

/** Exact running sums of a table's total columns (null for the others). */
export type Totals = Array<bigint | null>

export function newTotals(columns: readonly ReportColumn[]): Totals {
  return columns.map((c) => (c.total ? 0n : null))
}

/** Adds a row's numbers in the total columns (every row counts, as the contract's totals row says). */
export function addTotals(totals: Totals, columns: readonly ReportColumn[], r: ReportRow, t: Pick<ReportTable, 'title'>, rowIndex: number): void {
  for (let i = 0; i < totals.length; i++) {
    const sum = totals[i]
    if (sum === null || sum === undefined) continue
    const v = r.cells[i] ?? null
    if (v === null) continue
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw cellError(t, rowIndex, columns[i] ?? null, `${JSON.stringify(v)} cannot be added up`)
    totals[i] = sum + BigInt(v)
  }
}

/** The totals row (style 'total'), or null when the table has no total columns or no rows. Throws RangeError for a sum beyond a safe integer. */
export function totalsRow(totals: Totals, columns: readonly ReportColumn[], rows: number): ReportRow | null {
  if (rows === 0 || !columns.some((c) => c.total)) return null
  return {
    cells: totals.map((s, i) => {
      if (s === null || s === undefined) return null
      if (s > BigInt(Number.MAX_SAFE_INTEGER) || s < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`The total of ${columns[i]?.label ?? 'a column'} is too large to print`)
      return Number(s)
    }),
    kind: null,
    style: 'total'
  }
}

/** Sheet names Excel takes: at most 31 characters, none of []:*?/\, not blank, no leading or trailing apostrophe, unique (ignoring case). */
export function sheetNames(titles: readonly string[]): string[] {
  const seen = new Set<string>()
  return titles.map((title, i) => {
    let base = title
      .replace(/[[\]:*?/\\]/g, '-')
      .replace(/[\p{Cc}]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^'+|'+$/g, '')
    if (base === '' || base.toLowerCase() === 'history') base = `Table ${i + 1}`
    base = [...base].slice(0, 31).join('').trim()
    let name = base
    for (let n = 2; seen.has(name.toLowerCase()); n++) {
      const suffix = ` (${n})`
      name = [...base].slice(0, 31 - suffix.length).join('').trimEnd() + suffix
    }
    seen.add(name.toLowerCase())
    return name
  })
}
