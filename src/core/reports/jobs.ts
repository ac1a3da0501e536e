/**
 * The reports' jobs and the one way a report file is made:
 *
 * - `report-export` (worker thread, on demand): an export asked for on the
 *   Reports page or with `coffer report` (job parameters: the report, its
 *   parameters as JSON, the format, who asked);
 * - `weekly-summary` (Mondays 08:00) and `monthly-summary` (the 1st, 07:00):
 *   the summary of each complete ISO week or month, once per period
 *   (`schedule_key`), catching up after days off (every missed period, at
 *   most the last 8 weeks or 3 months), telling the staff and emailing the
 *   Settings → Reports recipients in the transaction that records the file.
 *
 * makeReport: the document is built on a connection of its own (read-only)
 * inside one read transaction, so every table sees one snapshot while the
 * writer streams it out; the writer writes `<file>.partial` and renames it
 * into place; the file's SHA-256 is taken; then one IMMEDIATE transaction on
 * the job's connection records the generated_reports row (and, for a
 * scheduled summary, its outbox messages, nothing else). Cancelled or
 * interrupted: no row, no file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { REPORTS, ReportFormat, ReportName, ReportParams } from '../../shared/contract'
import { addDays, addMonths, calendarDateInZone, startOfIsoWeek, startOfMonth } from '../../shared/dates'
import { countOf, formatDate, withLatinDigits } from '../../shared/words'
import { drizzleCached } from '../platform/db/statement-cache'
import type { Db, Sqlite } from '../platform/db/open'
import { DomainError } from '../platform/errors'
import { lazyModule } from '../platform/lazy'
import { readSetting } from '../platform/settings'
import { FatalJobError, throwIfAborted, type JobContext, type JobDefinition, type JobParams, type JobResult } from '../platform/jobs/types'
import { Outbox } from '../mail'
import { fingerprintDocumentWithRows } from './fingerprint'
import type { ReportDocument } from './model'
import { REPORT_EXPORT_JOB, checkParams, fileSha256, loadDefinitions, readReportSettings, reportEmail, reportsDir } from './service'
import { reportSource } from './source'

const loadXlsx = lazyModule(() => import('./xlsx'), { from: __filename, path: './xlsx' })
const loadPdf = lazyModule(() => import('./pdf'), { from: __filename, path: './pdf' })

/** Who the scheduled summaries are made by. */
export const WEEKLY_JOB_WORDS = 'Weekly summary job'
export const MONTHLY_JOB_WORDS = 'Monthly summary job'

/** What makeReport needs of where it runs: a job's context, or one built like it. */
export type MakeContext = Pick<JobContext, 'sqlite' | 'db' | 'clock' | 'timeZone' | 'locale' | 'dataDir' | 'resourcesDir' | 'databaseFile' | 'openSqlite' | 'transaction'>

export interface MakeRequest {
  name: ReportName
  params: ReportParams
  format: ReportFormat
  madeBy: string
  madeById: number | null
  runId: number | null
  /** A scheduled summary's period: the row is made once per key (another run that made it first wins). */
  scheduleKey?: string
  signal: AbortSignal
  progress(done: number, total: number | null): void
  /** Inside the transaction that records the row (a scheduled summary's outbox messages). */
  recorded?: (made: MadeReport, doc: ReportDocument) => void
}

export interface MadeReport {
  id: number
  name: ReportName
  title: string
  subtitle: string
  format: ReportFormat
  fileName: string
  file: string
  bytes: number
  sha256: string
  fingerprint: string
  rows: number
  madeAt: string
}

/** Letters, digits, dots and dashes only: a report's file name is safe on every system. */
const fileSafe = (s: string): string => s.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'report'

/** A name under <data>/reports that no file has yet: `<name>_<from>_<to>_<run or time>[-n].<ext>`. */
function freshFileName(dir: string, req: MakeRequest, now: Date): string {
  const stamp = req.runId !== null ? `run${req.runId}` : now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
  const stem = [req.name, req.params.from, req.params.to, stamp].map(fileSafe).join('_')
  for (let n = 1; ; n++) {
    const name = `${stem}${n === 1 ? '' : `-${n}`}.${req.format}`
    if (!fs.existsSync(path.join(dir, name)) && !fs.existsSync(path.join(dir, `${name}.partial`))) return name
  }
}

/**
 * `.partial` files a killed run left behind (a kill gives no chance to
 * remove them): those of runs that are no longer running go. A file name
 * carries its run (`_run<id>`); one without it is left alone.
 */
function sweepPartials(ctx: MakeContext, dir: string): void {
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return
  }
  const running = ctx.sqlite.prepare("SELECT 1 FROM job_runs WHERE id = ? AND status = 'running'").pluck()
  for (const name of names) {
    const m = /_run(\d+)(?:-\d+)?\.(?:xlsx|pdf)\.partial$/.exec(name)
    if (!m || running.get(Number(m[1])) !== undefined) continue
    fs.rmSync(path.join(dir, name), { force: true })
  }
}

/** A read-only connection of the report's own, so the writer's long read never shares the job's (or the app's) connection. */
function openReader(ctx: MakeContext): { sqlite: Sqlite; db: Db; close(): void } {
  const sqlite = ctx.openSqlite(ctx.databaseFile, true)
  return { sqlite, db: drizzleCached(sqlite), close: () => sqlite.close() }
}

/** Makes a report's file and records it (see the header). Returns null when a scheduled period was made meanwhile by another run. */
export async function makeReport(ctx: MakeContext, req: MakeRequest): Promise<MadeReport | null> {
  checkParams(req.name, req.params, req.format)
  const now = ctx.clock.now()
  const dir = reportsDir(ctx.dataDir)
  fs.mkdirSync(dir, { recursive: true })
  sweepPartials(ctx, dir)
  const fileName = freshFileName(dir, req, now)
  const file = path.join(dir, fileName)
  const { REPORT_DEFINITIONS } = await loadDefinitions()
  const reader = openReader(ctx)
  let doc: ReportDocument
  let rows: number
  let fingerprint: string
  try {
    reader.sqlite.exec('BEGIN')
    try {
      const src = reportSource({ sqlite: reader.sqlite, db: reader.db, clock: ctx.clock, timeZone: ctx.timeZone, locale: ctx.locale })
      doc = REPORT_DEFINITIONS[req.name].build(src, req.params)
      const fontsDir = path.join(ctx.resourcesDir, 'fonts')
      if (req.format === 'xlsx') {
        const { writeReportXlsx } = await loadXlsx()
        ;({ rows, fingerprint } = await writeReportXlsx(file, doc, { now, madeBy: req.madeBy, signal: req.signal, progress: req.progress }))
      } else if (doc.customPdf) {
        const partial = `${file}.partial`
        try {
          await doc.customPdf(partial, { fontsDir, now, madeBy: req.madeBy, signal: req.signal, progress: req.progress })
          throwIfAborted(req.signal)
          ;({ rows, fingerprint } = fingerprintDocumentWithRows(doc))
          fs.renameSync(partial, file)
        } finally {
          fs.rmSync(partial, { force: true })
        }
      } else {
        const { writeReportPdf } = await loadPdf()
        ;({ rows, fingerprint } = await writeReportPdf(file, doc, { fontsDir, now, madeBy: req.madeBy, signal: req.signal, progress: req.progress }))
      }
    } finally {
      reader.sqlite.exec('COMMIT')
    }
  } catch (e) {
    fs.rmSync(file, { force: true })
    fs.rmSync(`${file}.partial`, { force: true })
    throw e
  } finally {
    reader.close()
  }
  try {
    throwIfAborted(req.signal)
    const sha256 = fileSha256(file)
    const bytes = fs.statSync(file).size
    const madeAt = now.toISOString()
    const made = ctx.transaction((): MadeReport | null => {
      const row = ctx.sqlite
        .prepare(
          `INSERT INTO generated_reports (name, title, subtitle, params, format, file_name, bytes, sha256, fingerprint, rows, made_at, made_by, made_by_id, run_id, schedule_key)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING RETURNING id`
        )
        .get(
          req.name,
          doc.title,
          doc.subtitle,
          JSON.stringify(req.params),
          req.format,
          fileName,
          bytes,
          sha256,
          fingerprint,
          rows,
          madeAt,
          req.madeBy,
          req.madeById,
          req.runId,
          req.scheduleKey ?? null
        ) as { id: number } | undefined
      if (!row) return null
      const m: MadeReport = { id: row.id, name: req.name, title: doc.title, subtitle: doc.subtitle, format: req.format, fileName, file, bytes, sha256, fingerprint, rows, madeAt }
      req.recorded?.(m, doc)
      return m
    })
    if (!made) fs.rmSync(file, { force: true })
    return made
  } catch (e) {
    fs.rmSync(file, { force: true })
    throw e
  }
}

// ---------------------------------------------------------------------------
// report-export
// ---------------------------------------------------------------------------

/** The export's parameters back from plain values; anything else is refused, never guessed. */
export function exportParams(p: JobParams): { name: ReportName; params: ReportParams; format: ReportFormat; by: { id: number | null; name: string } } {
  const known = ['name', 'params', 'format', 'operatorId', 'operatorName']
  for (const k of Object.keys(p)) if (!known.includes(k)) throw new FatalJobError(`The export was given an unknown parameter "${k}".`)
  const name = ReportName.safeParse(p.name)
  if (!name.success) throw new FatalJobError('The export was not told which report to make (a report is exported from the Reports page or with coffer report).')
  const format = ReportFormat.safeParse(p.format)
  if (!format.success) throw new FatalJobError('The export’s format is neither xlsx nor pdf.')
  let params: ReportParams
  try {
    params = ReportParams.parse(JSON.parse(String(p.params)))
  } catch {
    throw new FatalJobError('The export’s report parameters cannot be read.')
  }
  const operatorId = typeof p.operatorId === 'number' ? p.operatorId : null
  const operatorName = typeof p.operatorName === 'string' && p.operatorName !== '' ? p.operatorName : operatorId !== null ? `Operator #${operatorId}` : 'System'
  return { name: name.data, params, format: format.data, by: { id: operatorId, name: operatorName } }
}

/** A refusal inside a job is not mended by trying again. */
function fatalOnRefusal(e: unknown): never {
  if (e instanceof DomainError) throw new FatalJobError(e.message)
  throw e
}

export const reportExportJob: JobDefinition = {
  id: REPORT_EXPORT_JOB,
  title: 'Report export',
  description: 'Makes the Excel or PDF file of a report asked for on the Reports page or with coffer report, and lists it in Generated reports.',
  defaultCron: '0 0 1 1 *',
  onDemand: true,
  catchUp: 'skip',
  timeLimitMs: 60 * 60_000,
  retry: { maxAttempts: 1, baseDelayMs: 60_000, factor: 1, maxDelayMs: 60_000 },
  supportsForce: false,
  thread: 'worker',
  async run(ctx): Promise<JobResult> {
    const { name, params, format, by } = exportParams(ctx.params)
    const made = await makeReport(ctx, {
      name,
      params,
      format,
      madeBy: by.name,
      madeById: by.id,
      runId: ctx.runId,
      signal: ctx.signal,
      progress: (done, total) => ctx.progress(done, total, 'Rows')
    }).catch(fatalOnRefusal)
    if (!made) throw new FatalJobError('The report was not recorded.')
    return {
      summary: `Made ${made.title} — ${made.subtitle} (${made.format === 'pdf' ? 'PDF' : 'Excel'}, ${countOf(made.rows, { one: 'row', other: 'rows' }, ctx.locale)}): ${made.fileName}.`,
      details: { generatedId: made.id, fileName: made.fileName, rows: made.rows, fingerprint: made.fingerprint, sha256: made.sha256 }
    }
  }
}

// ---------------------------------------------------------------------------
// The scheduled summaries
// ---------------------------------------------------------------------------

interface Period {
  from: string
  to: string
}

/** The last `n` complete ISO weeks before `today`, oldest first. */
export function completeWeeks(today: string, n: number): Period[] {
  const thisWeek = startOfIsoWeek(today)
  const out: Period[] = []
  for (let i = n; i >= 1; i--) {
    const from = addDays(thisWeek, -7 * i)
    out.push({ from, to: addDays(from, 6) })
  }
  return out
}

/** The last `n` complete calendar months before `today`, oldest first. */
export function completeMonths(today: string, n: number): Period[] {
  const thisMonth = startOfMonth(today)
  const out: Period[] = []
  for (let i = n; i >= 1; i--) {
    const from = addMonths(thisMonth, -i)
    out.push({ from, to: addDays(addMonths(from, 1), -1) })
  }
  return out
}

interface SummarySpec {
  jobId: 'weekly-summary' | 'monthly-summary'
  name: 'weekly-summary' | 'monthly-summary'
  words: string
  periods: (today: string) => Period[]
  format: (s: ReturnType<typeof readReportSettings>) => ReportFormat
  /** "weekly summary" and its plural */
  what: string
  whats: string
}

/** The day the job was first known (its schedule row): periods whose report fell due before then were never missed. */
function knownSince(ctx: JobContext, jobId: string): string | null {
  const at = ctx.sqlite.prepare('SELECT created_at FROM job_schedules WHERE job_id = ?').pluck().get(jobId) as string | undefined
  return at ? calendarDateInZone(new Date(at), ctx.timeZone) : null
}

async function runSummary(ctx: JobContext, spec: SummarySpec): Promise<JobResult> {
  if (!ctx.sqlite.prepare('SELECT 1 FROM cooperative_profile').get()) return { summary: 'Nothing to do: the cooperative’s profile is not set up yet.', idle: true }
  const settings = readReportSettings(ctx.sqlite)
  const format = spec.format(settings)
  const today = calendarDateInZone(ctx.clock.now(), ctx.timeZone)
  const since = knownSince(ctx, spec.jobId)
  const exists = ctx.sqlite.prepare('SELECT 1 FROM generated_reports WHERE schedule_key = ?').pluck()
  // One report per period, whatever the format: changing the format in Settings → Reports re-makes no past period.
  const keyOf = (p: Period) => `${spec.name}:${p.from}`
  // A period falls due the day after it ends; one that fell due before the job was known was never missed.
  const due = spec.periods(today).filter((p) => (since === null || addDays(p.to, 1) >= since) && exists.get(keyOf(p)) === undefined)
  if (due.length === 0) return { summary: `Nothing to do: every ${spec.what} due is made.`, idle: true }
  const fromAddress = () => readSetting(ctx.sqlite, 'mail.fromAddress')
  const outbox = new Outbox(ctx.sqlite, () => ctx.clock.now(), fromAddress)
  const organisation = (ctx.sqlite.prepare('SELECT name FROM cooperative_profile').pluck().get() as string | undefined) ?? 'Coffer'
  const made: number[] = []
  for (const [i, p] of due.entries()) {
    throwIfAborted(ctx.signal)
    const params: ReportParams = { from: p.from, to: p.to }
    let emailed = 0
    const m = await makeReport(ctx, {
      name: spec.name,
      params,
      format,
      madeBy: spec.words,
      madeById: null,
      runId: ctx.runId,
      scheduleKey: keyOf(p),
      signal: ctx.signal,
      progress: (done, total) => ctx.progress(i, due.length, `${REPORTS[spec.name].title} ${i + 1} of ${due.length}: ${done} rows${total !== null ? ` of ${total}` : ''}`),
      recorded: (g, doc) => {
        const e = reportEmail(g, doc.parameters, { organisation, locale: ctx.locale })
        for (const to of settings.recipients) {
          const id = outbox.enqueue({ kind: 'report', channel: 'email', eventKey: `report:${g.id}:${to.toLowerCase()}`, to, toName: null, subject: e.subject, body: e.body, attachments: [e.attachment] })
          if (id !== null) emailed += 1
        }
      }
    }).catch(fatalOnRefusal)
    if (!m) continue
    made.push(m.id)
    const range = `${formatDate(p.from, withLatinDigits(ctx.locale))} – ${formatDate(p.to, withLatinDigits(ctx.locale))}`
    const sent =
      settings.recipients.length === 0
        ? 'It was not emailed: no recipients are set in Settings → Reports.'
        : `It is queued in the outbox for ${settings.recipients.join(', ')}${emailed < settings.recipients.length ? ` (${emailed} new)` : ''}.`
    ctx.notify({
      kind: 'success',
      title: `${m.title} for ${range} is ready`,
      body: `${m.title} — ${m.subtitle} (${m.format === 'pdf' ? 'PDF' : 'Excel'}, ${countOf(m.rows, { one: 'row', other: 'rows' }, ctx.locale)}) is in Generated reports: ${m.fileName}. ${sent}`,
      subject: { type: 'generated-report', id: String(m.id) },
      dedupeKey: `generated-report:${m.id}`
    })
  }
  ctx.progress(due.length, due.length, null)
  return {
    summary:
      made.length === 0
        ? `Nothing new: the ${spec.whats} due were made by another run meanwhile.`
        : `Made ${countOf(made.length, { one: spec.what, other: spec.whats }, ctx.locale)} (${format === 'pdf' ? 'PDF' : 'Excel'})${settings.recipients.length === 0 ? '; not emailed (no recipients in Settings → Reports)' : `; emailed to ${countOf(settings.recipients.length, { one: 'recipient', other: 'recipients' }, ctx.locale)}`}.`,
    details: { generated: made }
  }
}

const WEEKLY: SummarySpec = {
  jobId: 'weekly-summary',
  name: 'weekly-summary',
  words: WEEKLY_JOB_WORDS,
  periods: (today) => completeWeeks(today, 8),
  format: (s) => s.weeklyFormat,
  what: 'weekly summary',
  whats: 'weekly summaries'
}

const MONTHLY: SummarySpec = {
  jobId: 'monthly-summary',
  name: 'monthly-summary',
  words: MONTHLY_JOB_WORDS,
  periods: (today) => completeMonths(today, 3),
  format: (s) => s.monthlyFormat,
  what: 'monthly summary',
  whats: 'monthly summaries'
}

export const weeklySummaryJob: JobDefinition = {
  id: 'weekly-summary',
  title: 'Weekly summary',
  description: 'Makes the weekly summary of the last complete week (Monday to Sunday), tells the staff and emails it to the recipients in Settings → Reports.',
  defaultCron: '0 8 * * 1',
  catchUp: 'once',
  timeLimitMs: 30 * 60_000,
  retry: { maxAttempts: 3, baseDelayMs: 60_000, factor: 4, maxDelayMs: 30 * 60_000 },
  supportsForce: false,
  thread: 'worker',
  run: (ctx) => runSummary(ctx, WEEKLY)
}

export const monthlySummaryJob: JobDefinition = {
  id: 'monthly-summary',
  title: 'Monthly summary',
  description: 'Makes the monthly summary of the last complete month, tells the staff and emails it to the recipients in Settings → Reports.',
  defaultCron: '0 7 1 * *',
  catchUp: 'once',
  timeLimitMs: 30 * 60_000,
  retry: { maxAttempts: 3, baseDelayMs: 60_000, factor: 4, maxDelayMs: 30 * 60_000 },
  supportsForce: false,
  thread: 'worker',
  run: (ctx) => runSummary(ctx, MONTHLY)
}

export const reportJobs: readonly JobDefinition[] = [reportExportJob, weeklySummaryJob, monthlySummaryJob]
