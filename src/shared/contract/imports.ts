import { z } from 'zod'
import { channel } from './define'
import { calendarDate, requiredText, wholeNumber } from './fields'
import { MemberInput } from './members'
import { bondsContract } from './bonds'

/**
 * Import: members, or bond holdings, from the spreadsheet a cooperative kept
 * before Coffer (CSV or .xlsx). `imports.preview` reads the file and checks
 * every row as the app would if it were typed in by hand, writing nothing;
 * `imports.commit` reads and checks the file again (the data may have changed
 * since the preview) and writes every included row in one transaction, or
 * nothing.
 */

export const ImportKind = z.enum(['members', 'holdings'])
export type ImportKind = z.infer<typeof ImportKind>

/** The largest file accepted. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024
/** Base64 text of a MAX_IMPORT_BYTES file. */
export const MAX_IMPORT_BASE64 = Math.ceil(MAX_IMPORT_BYTES / 3) * 4
/** Rows (not counting the header) one file may hold. */
export const MAX_IMPORT_ROWS = 50_000

/**
 * The columns each kind accepts: the field, the header as Coffer writes it,
 * other headers accepted for it, and whether the column must be there.
 * Headers are matched ignoring case and spaces ("MEMBER NUMBER", "membernumber").
 */
export interface ImportColumn {
  field: string
  header: string
  aliases: readonly string[]
  required: boolean
}

export const IMPORT_COLUMNS: Record<ImportKind, readonly ImportColumn[]> = {
  members: [
    { field: 'memberNo', header: 'Member number', aliases: ['Member no', 'Member no.'], required: true },
    { field: 'fullName', header: 'Name', aliases: ['Full name'], required: true },
    { field: 'email', header: 'Email', aliases: ['E-mail'], required: false },
    { field: 'phone', header: 'Phone', aliases: ['Telephone'], required: false },
    { field: 'address', header: 'Address', aliases: [], required: false },
    { field: 'nationalId', header: 'National ID', aliases: [], required: false },
    { field: 'joinedOn', header: 'Joined', aliases: ['Joining date', 'Joined on'], required: true },
    { field: 'notes', header: 'Notes', aliases: [], required: false }
  ],
  holdings: [
    { field: 'memberNo', header: 'Member number', aliases: ['Member no', 'Member no.'], required: true },
    { field: 'seriesCode', header: 'Series', aliases: ['Series code'], required: true },
    { field: 'units', header: 'Units', aliases: [], required: true },
    { field: 'purchaseDate', header: 'Purchase date', aliases: ['Purchased on'], required: true }
  ]
}

/** A members row is checked exactly as the member form is. */
export const MemberImportRow = MemberInput
/** A holdings row: the member and series by number and code, units and date checked as a purchase is. */
export const HoldingImportRow = z
  .object({
    memberNo: requiredText('Member number', 32),
    seriesCode: requiredText('Series', 20),
    units: bondsContract['bonds.buyHolding'].input.shape.units,
    purchaseDate: calendarDate('Purchase date')
  })
  .strict()
export type HoldingImportRow = z.output<typeof HoldingImportRow>

/** How a header is compared: case and spaces ignored. */
export const headerKey = (h: string): string => h.normalize('NFKC').toLowerCase().replace(/\s+/g, '')

export const ImportFile = z
  .object({
    kind: ImportKind,
    fileName: requiredText('File name', 260),
    contentBase64: z
      .string({ error: 'The file content is required' })
      .max(MAX_IMPORT_BASE64, { error: 'The file is larger than 20 MB; split it into smaller files and import each' })
      .refine((v) => v.length > 0, { error: 'The file is empty' })
      .refine((v) => v.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v), {
        error: 'The file content could not be read (it is not base64 text)'
      })
  })
  .strict()
export type ImportFile = z.input<typeof ImportFile>

export const ImportCommitInput = ImportFile.extend({
  /** Row numbers of the file (as the spreadsheet shows them) to leave out. */
  excludeRows: z
    .array(wholeNumber('Row number', { min: 1, max: 10_000_000 }), { error: 'Rows to leave out must be a list of row numbers' })
    .max(MAX_IMPORT_ROWS, { error: `At most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows can be left out` })
    .default([])
}).strict()
export type ImportCommitInput = z.input<typeof ImportCommitInput>

/** One problem with one row: the column (its header as the file spells it), or null for the whole row. */
export const ImportProblem = z.object({ column: z.string().nullable(), message: z.string() })
export type ImportProblem = z.infer<typeof ImportProblem>

export const ImportRow = z.object({
  /** The row number the spreadsheet shows (the header is usually row 1). */
  row: z.number().int(),
  /** What the file holds, by field, as read (dates as YYYY-MM-DD where they could be read). */
  values: z.record(z.string(), z.string()),
  problems: z.array(ImportProblem)
})
export type ImportRow = z.infer<typeof ImportRow>

export const ImportPreview = z.object({
  kind: ImportKind,
  fileName: z.string(),
  /** For a workbook: the worksheet read, and how many the workbook has. */
  sheet: z.object({ name: z.string(), of: z.number().int() }).nullable(),
  /** The file's columns, in its order, and the field each is read into. */
  columns: z.array(z.object({ header: z.string(), field: z.string(), label: z.string() })),
  /** Problems with the whole file (a missing or unknown column, an unreadable file): nothing can be imported. */
  fileProblems: z.array(z.string()),
  rows: z.array(ImportRow),
  valid: z.number().int(),
  invalid: z.number().int(),
  /** Rows with nothing in any cell, passed over (their numbers). */
  blankRows: z.array(z.number().int())
})
export type ImportPreview = z.infer<typeof ImportPreview>

export const ImportReport = z.object({
  kind: ImportKind,
  fileName: z.string(),
  imported: z.number().int(),
  /** Row numbers imported, and the ones left out. */
  importedRows: z.array(z.number().int()),
  excludedRows: z.array(z.number().int()),
  /** What was created, for the report: the member number and name, or the holding's member, series and units. */
  created: z.array(z.object({ row: z.number().int(), id: z.number().int(), label: z.string() }))
})
export type ImportReport = z.infer<typeof ImportReport>

export const importsContract = {
  'imports.preview': channel(ImportFile, ImportPreview),
  'imports.commit': channel(ImportCommitInput, ImportReport)
}
