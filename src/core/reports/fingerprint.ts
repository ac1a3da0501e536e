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
import type { ReportDocument, ReportRow, ReportTable } from './model'

const HEADER = 'coffer-report-data 1\n'
/** Text is handed to the hash in pieces of about this many characters. */
const CHUNK = 1 << 16

export class DataFingerprint {
  private readonly hash: Hash = createHash('sha256')
  private pending: string[] = []
  private pendingChars = 0
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
    this.pending.push(s)
    this.pendingChars += s.length
    if (this.pendingChars >= CHUNK) this.flush()
  }

  private flush(): void {
    if (this.pending.length === 0) return
    this.hash.update(this.pending.join(''), 'utf8')
    this.pending = []
    this.pendingChars = 0
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
