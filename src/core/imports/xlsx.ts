/**
 * A workbook's first worksheet as rows of cells. exceljs is large: it is
 * loaded (import() of the package itself) only when a workbook is imported.
 */
import type ExcelJS from 'exceljs'
import { toCalendarDate } from '../../shared/dates'
import { FileProblem, type Cell, type Table } from './table'

function dateCell(d: Date): Cell {
  if (Number.isNaN(d.getTime())) return { kind: 'error', text: 'an unreadable date' }
  const year = d.getUTCFullYear()
  if (year < 1000 || year > 9999) return { kind: 'error', text: `a date in the year ${year}` }
  const hasTime = d.getUTCHours() !== 0 || d.getUTCMinutes() !== 0 || d.getUTCSeconds() !== 0 || d.getUTCMilliseconds() !== 0
  return { kind: 'date', date: toCalendarDate(year, d.getUTCMonth() + 1, d.getUTCDate()), hasTime }
}

/** One cell's value as the import reads it. Formulas give their last computed result. */
export function cellOf(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return { kind: 'empty' }
  if (typeof value === 'string') return value === '' ? { kind: 'empty' } : { kind: 'text', text: value }
  if (typeof value === 'number') return { kind: 'number', value }
  if (typeof value === 'boolean') return { kind: 'boolean', value }
  if (value instanceof Date) return dateCell(value)
  if (typeof value === 'object') {
    if ('error' in value) return { kind: 'error', text: String(value.error) }
    if ('richText' in value) return cellOf(value.richText.map((r) => r.text).join(''))
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result
      if (result === undefined) return { kind: 'error', text: 'a formula with no saved result (open and save the workbook in a spreadsheet program first)' }
      return cellOf(result as ExcelJS.CellValue)
    }
    if ('text' in value) {
      const text = (value as { text: unknown }).text
      return typeof text === 'string' ? cellOf(text) : cellOf(text as ExcelJS.CellValue)
    }
  }
  return { kind: 'error', text: 'a value Coffer cannot read' }
}

export async function readXlsx(bytes: Uint8Array): Promise<Table> {
  const { default: excel } = await import('exceljs')
  const wb = new excel.Workbook()
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer)
  } catch {
    throw new FileProblem('The file could not be read as an Excel workbook (.xlsx); open it in a spreadsheet program and save it again as .xlsx or CSV')
  }
  const sheets = wb.worksheets
  const ws = sheets[0]
  if (!ws) throw new FileProblem('The workbook has no worksheet')
  const width = ws.columnCount
  const rows: Table['rows'] = []
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Cell[] = []
    for (let c = 1; c <= width; c++) cells.push(cellOf(row.getCell(c).value))
    rows.push({ row: rowNumber, cells })
  })
  return { rows, sheet: { name: ws.name, of: sheets.length } }
}
