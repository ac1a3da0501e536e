import { sql } from 'drizzle-orm'
import type { z } from 'zod'
import {
  HoldingImportRow,
  IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
  MemberImportRow,
  headerKey,
  type ImportColumn,
  type ImportKind,
  type ImportPreview,
  type ImportProblem,
  type ImportReport,
  type ImportRow,
  type MemberInputParsed,
  type ParsedInput
} from '../../shared/contract'
import { formatLimit } from '../../shared/contract/messages'
import { formatCalendarDate } from '../../shared/dates'
import { DomainError, conflict, invalid } from '../platform/errors'
import type { Areas } from '../platform/module'
import type { ServiceContext } from '../platform/context'
import { members } from '../members'
import { bondHoldings, bondSeries } from '../bonds'
import { readCsv } from './csv'
import { readXlsx } from './xlsx'
import { FileProblem, isBlank, type Cell, type Table } from './table'
import { dateOrder, readDate, readNumber, readText, shownOf, type DateOrder, type Read } from './values'

type FileInput = ParsedInput<'imports.preview'>
type CommitInput = ParsedInput<'imports.commit'>

/** A row read from the file: what it holds, the values for the service, and what is wrong with it so far. */
interface ParsedRow {
  row: number
  shown: Record<string, string>
  values: Record<string, unknown>
  problems: ImportProblem[]
}

interface ParsedFile {
  locale: string
  sheet: ImportPreview['sheet']
  columns: ImportPreview['columns']
  fileProblems: string[]
  rows: ParsedRow[]
  blankRows: number[]
}

/** What one row wrote. */
interface Written {
  row: number
  id: number
  label: string
}

/** Thrown inside the checking transaction so that it rolls back; carries what the check found. */
class RollBack extends Error {}

/** "A", "B", ..., "Z", "AA": a column as spreadsheets letter it. */
export const columnLetter = (index: number): string => {
  let n = index + 1
  let s = ''
  while (n > 0) {
    const r = (n - 1) % 26
    s = String.fromCharCode(65 + r) + s
    n = Math.floor((n - 1) / 26)
  }
  return s
}

const listRows = (rows: readonly number[], max = 10): string => {
  const shown = rows.slice(0, max).join(', ')
  return rows.length > max ? `${shown} and ${rows.length - max} more` : shown
}

/** A cell as the spreadsheet shows it, text trimmed; '' for none. */
const cellText = (c: Cell | undefined): string => (c ? shownOf(c).trim() : '')

const plural = (n: number, one: string, many: string) => `${formatLimit(n)} ${n === 1 ? one : many}`

/**
 * Import: reads a members or holdings file, checks every row exactly as the
 * app checks one typed in by hand, and writes the rows through the owning
 * areas (members.create, bonds.buy) in one transaction.
 *
 * The check runs the real writes inside a transaction that is always rolled
 * back: so the preview refuses exactly what the commit would (a member number
 * already used, a purchase outside the series' dates, a rule added later to
 * the service), and a row that depends on an earlier row of the same file is
 * judged after it.
 */
export class ImportsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly areas: Pick<Areas, 'members' | 'bonds' | 'profile'>
  ) {}

  async preview(input: FileInput): Promise<ImportPreview> {
    const parsed = await this.read(input)
    if (parsed.fileProblems.length === 0) this.check(input.kind, parsed, parsed.rows, false)
    for (const r of parsed.rows) ImportsService.sortProblems(r, parsed.columns)
    const invalidRows = parsed.rows.filter((r) => r.problems.length > 0).length
    return {
      kind: input.kind,
      fileName: input.fileName,
      sheet: parsed.sheet,
      columns: parsed.columns,
      fileProblems: parsed.fileProblems,
      rows: parsed.rows.map((r): ImportRow => ({ row: r.row, values: r.shown, problems: r.problems })),
      valid: parsed.fileProblems.length > 0 ? 0 : parsed.rows.length - invalidRows,
      invalid: invalidRows,
      blankRows: parsed.blankRows
    }
  }

  async commit(input: CommitInput): Promise<ImportReport> {
    const parsed = await this.read(input)
    if (parsed.fileProblems.length > 0) {
      throw invalid(`Nothing was imported: ${parsed.fileProblems.join('; ')}.`)
    }
    const numbers = new Set(parsed.rows.map((r) => r.row))
    const unknown = [...new Set(input.excludeRows)].filter((n) => !numbers.has(n)).sort((a, b) => a - b)
    if (unknown.length > 0) {
      throw invalid(
        `Nothing was imported: ${unknown.length === 1 ? 'row' : 'rows'} ${listRows(unknown)} to leave out ${unknown.length === 1 ? 'is' : 'are'} not a row of this file with values.`,
        { excludeRows: `Not a row of this file: ${listRows(unknown)}` }
      )
    }
    const excluded = new Set(input.excludeRows)
    const included = parsed.rows.filter((r) => !excluded.has(r.row))
    if (included.length === 0) throw invalid('Nothing was imported: every row is left out.')
    const written = this.check(input.kind, parsed, included, true)
    const bad = included.filter((r) => r.problems.length > 0)
    if (!written || bad.length > 0) {
      const first = bad[0]?.problems[0]
      throw conflict(
        `Nothing was imported: ${plural(bad.length, 'row has', 'rows have')} problems (${bad.length === 1 ? 'row' : 'rows'} ${listRows(bad.map((r) => r.row))}). ` +
          (first ? `Row ${bad[0]?.row}: ${first.column ? `${first.column}: ` : ''}${first.message}. ` : '') +
          'Correct the file, or leave those rows out.'
      )
    }
    if (input.kind === 'members') this.areas.members.announceCreated(written.map((w) => w.id))
    return {
      kind: input.kind,
      fileName: input.fileName,
      imported: written.length,
      importedRows: written.map((w) => w.row),
      excludedRows: [...excluded].sort((a, b) => a - b),
      created: written
    }
  }

  /** The file as rows of field values, with the problems a row has on its own (its cells, the schema, the rest of the file). */
  private async read(input: FileInput): Promise<ParsedFile> {
    const none: ParsedFile = { locale: 'en', sheet: null, columns: [], fileProblems: [], rows: [], blankRows: [] }
    let table: Table
    try {
      table = await this.table(input.fileName, Buffer.from(input.contentBase64, 'base64'))
    } catch (e) {
      if (e instanceof FileProblem) return { ...none, fileProblems: [e.message] }
      throw e
    }
    const profile = this.areas.profile.get()
    if (!profile) return { ...none, sheet: table.sheet, fileProblems: ["Set up the cooperative's profile in Settings first"] }
    return { ...this.rowsOf(input.kind, table, dateOrder(profile.locale)), locale: profile.locale }
  }

  private async table(fileName: string, bytes: Buffer): Promise<Table> {
    const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase()
    if (ext === 'csv' || ext === 'txt') return readCsv(bytes)
    if (ext === 'xlsx') return readXlsx(bytes)
    if (ext === 'xls') throw new FileProblem('The file is an old Excel workbook (.xls); save it as .xlsx or CSV and import that')
    throw new FileProblem('Coffer imports CSV (.csv) and Excel (.xlsx) files; save the spreadsheet as one of them')
  }

  private rowsOf(kind: ImportKind, table: Table, order: DateOrder): Omit<ParsedFile, 'locale'> {
    const defs = IMPORT_COLUMNS[kind]
    const fileProblems: string[] = []
    const blankRows: number[] = []
    const headerAt = table.rows.findIndex((r) => r.cells.some((c) => !isBlank(c)))
    const header = table.rows[headerAt]
    if (!header) return { sheet: table.sheet, columns: [], fileProblems: ['The file has no rows'], rows: [], blankRows }
    for (const r of table.rows.slice(0, headerAt)) blankRows.push(r.row)

    // The header: each column to a field; unknown, duplicate and missing columns are the file's problems.
    const byKey = new Map<string, ImportColumn>()
    for (const d of defs) for (const h of [d.header, ...d.aliases]) byKey.set(headerKey(h), d)
    const fieldAt = new Map<number, ImportColumn>()
    const columns: ImportPreview['columns'] = []
    const seen = new Map<string, string>()
    header.cells.forEach((cell, i) => {
      const text = cellText(cell)
      if (text === '') return
      const def = byKey.get(headerKey(text))
      if (!def) {
        fileProblems.push(
          `Column ${columnLetter(i)} "${text.slice(0, 60)}" is not a column Coffer imports for ${kind}; the columns are ${defs.map((d) => `"${d.header}"`).join(', ')}`
        )
        return
      }
      const before = seen.get(def.field)
      if (before !== undefined) {
        fileProblems.push(`Columns "${before}" and "${text}" are both the ${def.header.toLowerCase()}; keep one of them`)
        return
      }
      seen.set(def.field, text)
      fieldAt.set(i, def)
      columns.push({ header: text, field: def.field, label: def.header })
    })
    const missing = defs.filter((d) => d.required && !seen.has(d.field))
    if (missing.length > 0) {
      fileProblems.push(
        `The ${missing.length === 1 ? 'column' : 'columns'} ${missing.map((d) => `"${d.header}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (required for ${kind})`
      )
    }
    const data = table.rows.slice(headerAt + 1)
    const withValues = data.filter((r) => r.cells.some((c) => !isBlank(c)))
    if (withValues.length > MAX_IMPORT_ROWS) {
      fileProblems.push(
        `The file has ${formatLimit(withValues.length)} rows; Coffer imports at most ${formatLimit(MAX_IMPORT_ROWS)} at a time, so split it into smaller files`
      )
    }
    if (fileProblems.length > 0) return { sheet: table.sheet, columns, fileProblems, rows: [], blankRows }

    const headerOf = (field: string) => columns.find((c) => c.field === field)?.header ?? field
    const rows: ParsedRow[] = []
    for (const r of data) {
      if (!r.cells.some((c) => !isBlank(c))) {
        blankRows.push(r.row)
        continue
      }
      const parsed: ParsedRow = { row: r.row, shown: {}, values: {}, problems: [] }
      r.cells.forEach((cell, i) => {
        const def = fieldAt.get(i)
        if (def) return
        if (!isBlank(cell)) {
          parsed.problems.push({
            column: null,
            message: `Column ${columnLetter(i)} holds "${cellText(cell).slice(0, 40)}" but has no header; remove it or give the column a header`
          })
        }
      })
      for (const [i, def] of fieldAt) {
        const cell = r.cells[i] ?? { kind: 'empty' }
        let read: Read<unknown>
        if (def.field === 'joinedOn' || def.field === 'purchaseDate') read = readDate(def.header, cell, order)
        else if (def.field === 'units') read = readNumber(def.header, cell)
        else read = readText(def.header, cell)
        parsed.shown[def.field] = read.shown
        if (read.ok) {
          if (read.value !== undefined) parsed.values[def.field] = read.value
        } else parsed.problems.push({ column: headerOf(def.field), message: read.message })
      }
      rows.push(parsed)
    }

    // Each row against the schema the app's own form and channel use (messages in the app's words).
    const schema: z.ZodType = kind === 'members' ? MemberImportRow : HoldingImportRow
    for (const r of rows) {
      const flagged = new Set(r.problems.map((p) => p.column))
      const values = Object.fromEntries(Object.entries(r.values).filter(([f]) => !flagged.has(headerOf(f))))
      const res = schema.safeParse(values)
      if (res.success) {
        r.values = res.data as Record<string, unknown>
        continue
      }
      for (const issue of res.error.issues) {
        const field = String(issue.path[0] ?? '')
        const column = columns.some((c) => c.field === field) ? headerOf(field) : null
        if (flagged.has(column)) continue
        // A required field in a column the file does not have: name the column it needs.
        const def = defs.find((d) => d.field === field)
        const message = column === null && def ? `${issue.message} (the file has no "${def.header}" column)` : issue.message
        r.problems.push({ column, message })
      }
    }

    // Duplicates within the file.
    const firstRow = new Map<string, number>()
    for (const r of rows) {
      if (r.problems.length > 0) continue
      const v = r.values
      const key =
        kind === 'members'
          ? String(v.memberNo).toLowerCase()
          : [String(v.memberNo).toLowerCase(), String(v.seriesCode).toLowerCase(), v.units, v.purchaseDate].join('\u0000')
      const first = firstRow.get(key)
      if (first === undefined) {
        firstRow.set(key, r.row)
        continue
      }
      r.problems.push(
        kind === 'members'
          ? { column: headerOf('memberNo'), message: `Member number ${String(v.memberNo)} is also on row ${first}` }
          : {
              column: null,
              message: `Row ${first} has the same member, series, units and purchase date; a purchase is imported once (enter a second identical one by hand)`
            }
      )
    }
    return { sheet: table.sheet, columns, fileProblems: [], rows, blankRows }
  }

  /** A row's problems in the file's column order, the whole-row ones first. */
  private static sortProblems(r: ParsedRow, columns: ImportPreview['columns']): void {
    const at = (p: ImportProblem) => (p.column === null ? -1 : columns.findIndex((c) => c.header === p.column))
    r.problems.sort((a, b) => at(a) - at(b))
  }

  /**
   * Writes every row without problems through its area's service, inside one
   * IMMEDIATE transaction; a row the service refuses gets the refusal as its
   * problem. `keep`: commit if no row failed (returns what was written), else
   * (or when only previewing) roll everything back and return null.
   */
  private check(kind: ImportKind, file: ParsedFile, rows: ParsedRow[], keep: boolean): Written[] | null {
    const { sqlite } = this.ctx
    const headerFor = (field: string) => file.columns.find((c) => c.field === field)?.header ?? null
    // Sort keys are rebuilt (and remembered as rebuilt) on first use in a process: never inside a transaction that rolls back.
    if (kind === 'members') this.areas.members.collation()
    const writeRow = (r: ParsedRow): Written =>
      kind === 'members' ? this.createMember(r) : this.buyHolding(r, file.locale)
    try {
      return sqlite
        .transaction(() => {
          const written: Written[] = []
          let failed = false
          for (const r of rows) {
            if (r.problems.length > 0) {
              failed = true
              continue
            }
            try {
              // A savepoint per row: a refused row leaves nothing behind, the others go on being checked.
              written.push(sqlite.transaction(() => writeRow(r))())
            } catch (e) {
              if (!(e instanceof DomainError)) throw e
              failed = true
              r.problems.push(...problemsOf(e, headerFor))
            }
          }
          if (!keep || failed) throw new RollBack()
          return written
        })
        .immediate()
    } catch (e) {
      if (e instanceof RollBack) return null
      throw e
    }
  }

  private createMember(r: ParsedRow): Written {
    const m = this.areas.members.create(r.values as MemberInputParsed, { announce: false })
    return { row: r.row, id: m.id, label: `${m.memberNo} ${m.fullName}` }
  }

  private buyHolding(r: ParsedRow, locale: string): Written {
    const v = r.values as z.output<typeof HoldingImportRow>
    const { db } = this.ctx
    const member = db
      .select({ id: members.id, memberNo: members.memberNo, fullName: members.fullName })
      .from(members)
      .where(sql`${members.memberNo} = ${v.memberNo} COLLATE NOCASE`)
      .get()
    const series = db
      .select({ id: bondSeries.id, code: bondSeries.code })
      .from(bondSeries)
      .where(sql`${bondSeries.code} = ${v.seriesCode} COLLATE NOCASE`)
      .get()
    const fields: Record<string, string> = {}
    if (!member) fields.memberNo = `No member has the number ${v.memberNo}`
    if (!series) fields.seriesCode = `No bond series has the code ${v.seriesCode}`
    if (!member || !series) throw invalid('The member or the series was not found.', fields)
    const same = db
      .select({ id: bondHoldings.id })
      .from(bondHoldings)
      .where(
        sql`${bondHoldings.memberId} = ${member.id} AND ${bondHoldings.seriesId} = ${series.id}
          AND ${bondHoldings.units} = ${v.units} AND ${bondHoldings.purchaseDate} = ${v.purchaseDate}`
      )
      .get()
    if (same) {
      throw conflict(
        `${member.memberNo} ${member.fullName} already has this purchase (${plural(v.units, 'unit', 'units')} of ${series.code} ` +
          `bought on ${formatCalendarDate(v.purchaseDate, locale)}, holding #${same.id}); was this file imported before?`
      )
    }
    const h = this.areas.bonds.buy(member.id, series.id, v.units, v.purchaseDate)
    return { row: r.row, id: h.id, label: `${h.memberNo} ${h.memberName}: ${plural(h.units, 'unit', 'units')} of ${h.seriesCode}` }
  }
}

/** Field names a service's refusal uses, to the import's fields. */
const FIELD_ALIASES: Record<string, string> = { memberId: 'memberNo', seriesId: 'seriesCode' }

/** A service's refusal as the row's problems: per column where it names fields, else the sentence. */
function problemsOf(e: DomainError, headerFor: (field: string) => string | null): ImportProblem[] {
  if (e.code === 'CONFIRM_REQUIRED' && e.warnings && e.warnings.length > 0) {
    // A warning a person would confirm in the form: the import cannot confirm it for them.
    return e.warnings.map((w) => ({ column: w.code === 'purchase-before-joining' ? headerFor('purchaseDate') : null, message: w.message }))
  }
  const fields = Object.entries(e.fields ?? {})
  if (fields.length === 0) return [{ column: null, message: e.message }]
  return fields.map(([field, message]) => ({ column: headerFor(FIELD_ALIASES[field] ?? field), message }))
}
