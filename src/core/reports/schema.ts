import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { ReportFormat, ReportName } from '../../shared/contract/reports'
import { enumValues } from '../platform/db/enum'

export const REPORT_NAMES = enumValues(ReportName)
export const REPORT_FORMATS = enumValues(ReportFormat)

/**
 * Every report file Coffer made (from the Reports page, the command line or
 * the weekly and monthly summary jobs), written once the file is complete
 * and renamed into place. The file lives under <data>/reports/; `sha256` is
 * the file's, checked before it is reopened or emailed; `fingerprint` is the
 * SHA-256 of the data the report read (the same data, the same fingerprint,
 * in either format).
 */
export const generatedReports = sqliteTable(
  'generated_reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name', { enum: REPORT_NAMES }).notNull(),
    title: text('title').notNull(),
    subtitle: text('subtitle').notNull(),
    /** ReportParams as JSON. */
    params: text('params').notNull(),
    format: text('format', { enum: REPORT_FORMATS }).notNull(),
    /** The file's name under <data>/reports/. */
    fileName: text('file_name').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    fingerprint: text('fingerprint').notNull(),
    rows: integer('rows').notNull(),
    madeAt: text('made_at').notNull(),
    madeBy: text('made_by').notNull(),
    madeById: integer('made_by_id'),
    /** The job run that made it, if one did. */
    runId: integer('run_id'),
    /** A scheduled summary's period ("weekly-summary:2026-11-23:xlsx"): each is made once, however often the job runs. */
    scheduleKey: text('schedule_key')
  },
  (t) => [
    index('generated_reports_made_idx').on(t.madeAt, t.id),
    index('generated_reports_name_idx').on(t.name, t.madeAt),
    uniqueIndex('generated_reports_file_unique').on(t.fileName),
    uniqueIndex('generated_reports_schedule_unique').on(t.scheduleKey)
  ]
)
