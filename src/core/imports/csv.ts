/**
 * CSV as RFC 4180 writes it: fields separated by a delimiter, records by CRLF
 * or LF; a field in double quotes may hold the delimiter, line breaks and
 * doubled quotes (""). UTF-8, with or without a byte-order mark.
 *
 * The delimiter is a comma or a semicolon (spreadsheets in many locales save
 * CSV with semicolons), taken from the header row: the one of the two that
 * appears there outside quotes. A header with both is refused rather than
 * guessed.
 */
import { FileProblem, type Cell, type Table } from './table'

const decoder = new TextDecoder('utf-8', { fatal: true })

/** The file's text: UTF-8, the byte-order mark dropped. Anything else is refused with what to do. */
export function decodeCsv(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new FileProblem('The file is saved as UTF-16 text; save it as "CSV UTF-8" and import that')
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new FileProblem('The file is a workbook (.xlsx) named like a CSV file; rename it to .xlsx or save it as CSV')
  }
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    throw new FileProblem('The file is not UTF-8 text; save it as "CSV UTF-8" and import that')
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** The header line (the first record's text up to its end, outside quotes) decides the delimiter. */
export function detectDelimiter(text: string): ',' | ';' {
  let inQuotes = false
  let commas = 0
  let semicolons = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') inQuotes = !inQuotes
    else if (!inQuotes && (c === '\n' || c === '\r')) {
      if (commas + semicolons > 0) break
    } else if (!inQuotes && c === ',') commas++
    else if (!inQuotes && c === ';') semicolons++
  }
  if (commas > 0 && semicolons > 0) {
    throw new FileProblem(
      'The header row has both commas and semicolons, so the separator between columns is unclear; save the file again with one of them'
    )
  }
  return semicolons > 0 ? ';' : ','
}

/** Records of the text, each numbered as a spreadsheet would show it (record 1 is row 1). */
export function parseCsv(text: string, delimiter: ',' | ';'): Table {
  const rows: Table['rows'] = []
  let record: Cell[] = []
  let field = ''
  let quoted = false
  let i = 0
  const n = text.length
  const endField = () => {
    record.push(field === '' && !quoted ? { kind: 'empty' } : { kind: 'text', text: field })
    field = ''
    quoted = false
  }
  const endRecord = () => {
    endField()
    rows.push({ row: rows.length + 1, cells: record })
    record = []
  }
  while (i < n) {
    const c = text[i]
    if (c === '"' && field === '' && !quoted) {
      // A quoted field: up to the closing quote; "" is one quote.
      quoted = true
      i++
      let closed = false
      while (i < n) {
        const d = text[i]
        if (d === '"') {
          if (text[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          closed = true
          i++
          break
        }
        field += d
        i++
      }
      if (!closed) {
        throw new FileProblem(`Row ${rows.length + 1} opens a quoted value that never closes; check the quotes in that row`)
      }
      const next = text[i]
      if (i < n && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new FileProblem(
          `Row ${rows.length + 1} has text after a closing quote; a quote inside a quoted value must be written twice ("")`
        )
      }
      continue
    }
    if (c === delimiter) {
      endField()
      i++
    } else if (c === '\r' || c === '\n') {
      endRecord()
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1
    } else {
      field += c
      i++
    }
  }
  // The last record, unless the text ended with a line break.
  if (field !== '' || quoted || record.length > 0) endRecord()
  return { rows, sheet: null }
}

export function readCsv(bytes: Uint8Array): Table {
  const text = decodeCsv(bytes)
  return parseCsv(text, detectDelimiter(text))
}
