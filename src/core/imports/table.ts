/** What a file reader hands the import: rows of cells, numbered as the spreadsheet shows them. */

export type Cell =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  /** A real date cell of a workbook: the calendar date, and whether it also holds a time of day. */
  | { kind: 'date'; date: string; hasTime: boolean }
  /** A workbook cell showing an error (#N/A, #REF!...). */
  | { kind: 'error'; text: string }

export interface TableRow {
  /** The row number the spreadsheet shows (1-based). */
  row: number
  cells: Cell[]
}

export interface Table {
  rows: TableRow[]
  /** For a workbook: the worksheet read and how many the workbook has. */
  sheet: { name: string; of: number } | null
}

/** A problem with the whole file: nothing in it can be imported. */
export class FileProblem extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FileProblem'
  }
}

export const EMPTY: Cell = { kind: 'empty' }

export const isBlank = (c: Cell | undefined): boolean => !c || c.kind === 'empty' || (c.kind === 'text' && c.text.trim() === '')
