/**
 * What a report is, inside core: a document of tables whose rows are read
 * lazily, so one definition feeds the screen (a page of rows and the exact
 * totals), the Excel writer and the PDF writer (every row, streamed), and the
 * data fingerprint, all the same way.
 *
 * A definition reads the book through `ReportSource` (its own connection on
 * a worker thread, the app's on screen) inside one read transaction the
 * caller opens, so every table of a report sees one snapshot.
 *
 * Rules for `rows()`:
 *  - it is called once per output, and may be called again (the screen
 *    pages by reading rows again): it must start over each time;
 *  - better-sqlite3 allows no other statement on a connection while an
 *    iterator is open on it, so a generator never runs a query while one of
 *    its own `.iterate()` loops is open (load an outer list with `.all()`,
 *    then iterate the inner one; or join in SQL);
 *  - cells are plain: money in integer minor units (safe integers), counts
 *    and units whole numbers, dates 'YYYY-MM-DD', percent as exact decimal
 *    text ("12.5" is 12.5 %), text as text; null is an empty cell.
 *  - nothing is cut: a cell holds the whole value; the writers wrap.
 */
import type { Profile, ReportCell, ReportColumn, ReportName, ReportParams, ReportRow, ReportRowStyle } from '../../shared/contract'
import type { Db, Sqlite } from '../platform/db/open'
import type { LedgerService } from '../ledger'

export type { ReportCell, ReportColumn, ReportRow, ReportRowStyle }

/** The parts of the cooperative's profile a report prints. */
export type ReportProfile = Pick<Profile, 'name' | 'address' | 'phone' | 'email' | 'registrationNo' | 'currency' | 'locale' | 'timeZone'>

/** What a definition reads the book through. */
export interface ReportSource {
  sqlite: Sqlite
  db: Db
  /** A ledger service on the same connection: balances from the summaries (`balanceAsOf`, trial balance…). */
  ledger: LedgerService
  profile: ReportProfile
  /** The cooperative's today (YYYY-MM-DD) and the clock's now (the "made at" of the report). */
  today: string
  now: Date
}

export interface ReportTable {
  /** Stable, short: 'payments', 'summary', 'by-member' (the screen pages a table by it). */
  key: string
  /** The section heading on paper and the sheet's tab (≤ 31 characters, no []:*?/\). */
  title: string
  columns: ReportColumn[]
  /** Every row, read lazily; see the rules above. */
  rows(): Iterable<ReportRow>
  /** The number of rows, when known before reading them (progress bars); else null. */
  rowCount: number | null
  /** Said in place of a table with no rows. */
  empty: string
  /** A line under the heading in grey, or null. */
  note: string | null
  /** Rows are grouped by the value of this column (index): a heading per group on paper; null: no groups. */
  groupBy: number | null
  /** On paper, each group starts on a new page (member statements in a batch). */
  breakGroups: boolean
}

export interface ReportDocument {
  name: ReportName
  /** "Payment register" */
  title: string
  /** "1 Nov 2026 – 30 Nov 2026"; for one member also their name. */
  subtitle: string
  /** What it was asked for, in words, in order: [{ label: 'From', value: '1 Nov 2026' }, { label: 'Member', value: 'M-0001 Jane Doe' }]. */
  parameters: Array<{ label: string; value: string }>
  profile: ReportProfile
  tables: ReportTable[]
  /** Print landscape (wide tables); the writers also turn a page when its widest table needs it. */
  landscape: boolean
  /**
   * A PDF that is not a table report (withholding-tax certificates, one page
   * per member): when set and the format is PDF, the service writes the file
   * with this in place of the table writer. The data fingerprint is still
   * the tables'.
   */
  customPdf?: (file: string, opts: PdfRunOptions) => Promise<{ pages: number }>
}

/** What a PDF writer is given besides the document. */
export interface PdfRunOptions {
  /** resources/fonts */
  fontsDir: string
  /** The PDF's creation date and "made at". */
  now: Date
  signal: AbortSignal
  progress(done: number, total: number | null): void
  /** Use the system's CJK fonts too (default true). */
  systemFonts?: boolean
  /** Who made it ("Made … by …" in the footer); the table writer requires it. */
  madeBy?: string
}

/** A definition: parameters already checked against REPORTS[name] (the service refuses what a report does not take). */
export interface ReportDefinition {
  name: ReportName
  /** Throws DomainError (with fields: memberId, accountId, seriesId, from, to) for what it cannot report on: a member that is not there, certificates for a part year. */
  build(src: ReportSource, params: ReportParams): ReportDocument
}

/** A row of plain cells. */
export const row = (cells: ReportCell[], style: ReportRowStyle = 'normal', kind: 'money' | 'count' | null = null): ReportRow => ({ cells, kind, style })

/** A column. */
export const col = (key: string, label: string, kind: ReportColumn['kind'], total = false): ReportColumn => ({ key, label, kind, total })
