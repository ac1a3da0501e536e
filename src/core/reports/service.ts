/**
 * Reports as the window and the command line see them (issue 15): the
 * parameters checked against each report's catalog entry (a parameter a
 * report refuses is an error next to its field, never ignored), the report
 * on screen (a page of rows per table, exact totals, the data fingerprint),
 * exports started on the `report-export` job, the generated reports with
 * their files checked against the SHA-256 recorded when they were made,
 * emailing one through the outbox, and the Settings → Reports section.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { and, count, desc, eq } from 'drizzle-orm'
import {
  MAX_REPORT_DAYS,
  REPORTS,
  ReportParams,
  type ExportStatus,
  type GeneratedReport,
  type ParsedInput,
  type ReportFormat,
  type ReportName,
  type ReportRow,
  type ReportSettings,
  type ReportTableView,
  type ReportView
} from '../../shared/contract'
import { ROLE_WORDS, roleCan } from '../../shared/contract/permissions'
import type { Role } from '../../shared/contract/operators'
import { diffDays } from '../../shared/dates'
import { countOf, formatDate, withLatinDigits } from '../../shared/words'
import type { ServiceContext } from '../platform/context'
import { DomainError, conflict, invalid, notFound } from '../platform/errors'
import { currentActor } from '../platform/actor'
import { readSetting } from '../platform/settings'
import { drizzleCached } from '../platform/db/statement-cache'
import type { JobEngine } from '../platform/jobs/engine'
import type { Outbox } from '../mail'
import { DataFingerprint, addTotals, newTotals, totalsRow } from './fingerprint'
import { lazyModule } from '../platform/lazy'
import type { ReportDocument } from './model'
import { generatedReports } from './schema'
import { reportSource } from './source'

/**
 * The definitions, loaded when a report is first asked for: the withholding
 * tax's certificates bring pdfkit with them, which starting the app or a
 * command must not pay for.
 */
export const loadDefinitions = lazyModule(() => import('./defs'), { from: __filename, path: './defs' })

/** The screen's read of a report gives the event loop a turn after this many rows (a few milliseconds of work). */
const VIEW_TURN_ROWS = 2_000

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** The job an export runs on. */
export const REPORT_EXPORT_JOB = 'report-export'

/** Settings → Reports, in the platform settings table. */
export const REPORT_SETTING_KEYS = {
  recipients: 'reports.recipients',
  weeklyFormat: 'reports.weeklyFormat',
  monthlyFormat: 'reports.monthlyFormat',
  version: 'reports.version'
} as const

const FIELD_OF = { member: 'memberId', account: 'accountId', series: 'seriesId' } as const
const WORD_OF = { member: 'member', account: 'account', series: 'bond series' } as const

/**
 * A report's parameters against its catalog entry: the dates in order and
 * not too far apart; a parameter it refuses, or one it needs and lacks, is
 * an error next to that field; certificates only for the withholding tax
 * and only as PDF. The definitions can then assume what they take.
 */
export function checkParams(name: ReportName, params: ReportParams, format?: ReportFormat): void {
  const info = REPORTS[name]
  const fields: Record<string, string> = {}
  if (params.from > params.to) fields.to = 'To must be on or after From'
  else if (diffDays(params.from, params.to) + 1 > MAX_REPORT_DAYS) fields.to = `A report covers at most ${MAX_REPORT_DAYS.toLocaleString('en')} days (ten years)`
  for (const k of ['member', 'account', 'series'] as const) {
    const field = FIELD_OF[k]
    const given = params[field] !== undefined
    if (info[k] === 'refused' && given) fields[field] = `The ${info.title.toLowerCase()} is not per ${WORD_OF[k]}`
    if (info[k] === 'required' && !given) fields[field] = `Choose the ${WORD_OF[k]} for the ${info.title.toLowerCase()}`
  }
  if (params.certificates === true) {
    if (!info.certificates) fields.certificates = `The ${info.title.toLowerCase()} has no certificates`
    else if (format === 'xlsx') fields.format = 'Certificates are made as PDF only'
  }
  const entries = Object.entries(fields)
  if (entries.length === 0) return
  const first = entries[0] as [string, string]
  throw invalid(entries.length === 1 ? `${first[1]}.` : `${first[1]}; and ${entries.length - 1} more.`, fields)
}

/** The operator's role, or null for the system (the command line without --user, a job). */
function roleOf(sqlite: ServiceContext['sqlite'], operatorId: number | null): Role | null {
  if (operatorId === null) return null
  return (sqlite.prepare('SELECT role FROM operators WHERE id = ?').pluck().get(operatorId) as Role | undefined) ?? null
}

export interface ReportsEnv {
  dataDir: string
  timeZone(): string
  locale(): string
  jobs(): JobEngine
  /** A read-only connection of the view's own (ModuleEnv.openReader). */
  openReader(): ServiceContext['sqlite']
  processKind?: 'app' | 'cli' | 'test'
  /** The mail area: its outbox, and whether email is set up. */
  mail(): { outbox: Outbox; emailSettings(): { configured: boolean } }
}

type GeneratedRow = typeof generatedReports.$inferSelect

/** A file's SHA-256, remembered by (path, size, modification time): a list of 50 does not read 50 files every time. */
const hashCache = new Map<string, { size: number; mtimeMs: number; sha256: string }>()

export function fileSha256(file: string): string {
  const h = createHash('sha256')
  const fd = fs.openSync(file, 'r')
  try {
    const buf = Buffer.allocUnsafe(1 << 20)
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null)
      if (n === 0) break
      h.update(buf.subarray(0, n))
    }
  } finally {
    fs.closeSync(fd)
  }
  return h.digest('hex')
}

/** The file as it is now: there with the recorded SHA-256, missing, or changed. */
export function fileState(file: string, recorded: string): GeneratedReport['fileState'] {
  let st: fs.Stats
  try {
    st = fs.statSync(file)
  } catch {
    return 'missing'
  }
  if (!st.isFile()) return 'missing'
  const cached = hashCache.get(file)
  let sha: string
  if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs) sha = cached.sha256
  else {
    try {
      sha = fileSha256(file)
    } catch {
      return 'missing'
    }
    hashCache.set(file, { size: st.size, mtimeMs: st.mtimeMs, sha256: sha })
  }
  return sha === recorded ? 'ok' : 'changed'
}

/** Where generated reports live. */
export const reportsDir = (dataDir: string): string => path.join(dataDir, 'reports')

/** The email a report goes out as: "<title> — <subtitle>", its parameters and fingerprint in the body. */
export function reportEmail(
  g: { id: number; title: string; subtitle: string; fileName: string; sha256: string; fingerprint: string; rows: number; format: ReportFormat },
  parameters: Array<{ label: string; value: string }>,
  o: { organisation: string; message?: string | null; locale: string }
): { subject: string; body: string; attachment: { filename: string; contentType: string; source: { kind: 'report'; data: { generatedId: number; fileName: string; sha256: string } } } } {
  const lines = [
    ...(o.message ? [o.message, ''] : []),
    `${g.title} — ${g.subtitle}, from ${o.organisation}, is attached (${g.format === 'pdf' ? 'PDF' : 'Excel workbook'}, ${countOf(g.rows, { one: 'row', other: 'rows' }, o.locale)}).`,
    '',
    ...parameters.map((p) => `${p.label}: ${p.value}`),
    '',
    `Data fingerprint: ${g.fingerprint}`,
    `File SHA-256: ${g.sha256}`,
    '',
    'The same data always gives the same fingerprint, in Excel, in PDF and on screen.'
  ]
  return {
    subject: `${g.title} — ${g.subtitle}`,
    body: lines.join('\n'),
    attachment: {
      filename: g.fileName,
      contentType: g.format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      source: { kind: 'report', data: { generatedId: g.id, fileName: g.fileName, sha256: g.sha256 } }
    }
  }
}

/** Report settings from the settings table (defaults: no recipients, Excel), refusing a value Coffer did not write. */
export function readReportSettings(sqlite: ServiceContext['sqlite']): ReportSettings {
  const raw = readSetting(sqlite, REPORT_SETTING_KEYS.recipients)
  let recipients: string[] = []
  if (raw !== null) {
    try {
      const parsed = JSON.parse(raw) as unknown
      if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new Error('not a list')
      recipients = parsed
    } catch {
      throw conflict('The stored report recipients cannot be read: they are not a list Coffer wrote. Save Settings → Reports again.')
    }
  }
  const fmt = (key: string): ReportFormat => {
    const v = readSetting(sqlite, key)
    if (v === null) return 'xlsx'
    if (v !== 'xlsx' && v !== 'pdf') throw conflict('A stored report format is neither Excel nor PDF. Save Settings → Reports again.')
    return v
  }
  const version = Number(readSetting(sqlite, REPORT_SETTING_KEYS.version) ?? '0')
  return { recipients, weeklyFormat: fmt(REPORT_SETTING_KEYS.weeklyFormat), monthlyFormat: fmt(REPORT_SETTING_KEYS.monthlyFormat), version: Number.isSafeInteger(version) ? version : 0 }
}

export class ReportsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly env: ReportsEnv
  ) {}

  /** The parameters checked, then the caller's right to the report (the payroll register needs payroll.read). */
  check(name: ReportName, params: ReportParams, format?: ReportFormat): void {
    checkParams(name, params, format)
    const need = REPORTS[name].permission
    if (need === 'read') return
    const role = roleOf(this.ctx.sqlite, currentActor().operatorId)
    if (role !== null && !roleCan(role, need)) {
      throw new DomainError('FORBIDDEN', `${ROLE_WORDS[role]}s may not see staff pay: the ${REPORTS[name].title.toLowerCase()} shows it. Ask an operator who may.`)
    }
  }

  /**
   * The report on screen: the page of rows asked for, every table's row
   * count and exact totals, and the data fingerprint over every row. Read on
   * a read-only connection of its own, in one read transaction (one
   * snapshot), giving the event loop a turn every VIEW_TURN_ROWS rows: a
   * 100,000-row register takes about half a second to read, and the app's
   * other calls go on meanwhile on the app's connection.
   */
  async view(q: ParsedInput<'reports.view'>): Promise<ReportView> {
    this.check(q.name, q.params)
    const { REPORT_DEFINITIONS } = await loadDefinitions()
    const { clock } = this.ctx
    const reader = this.env.openReader()
    try {
      reader.exec('BEGIN')
      try {
        const src = reportSource({ sqlite: reader, db: drizzleCached(reader), clock, timeZone: this.env.timeZone(), locale: this.env.locale() })
        const doc = REPORT_DEFINITIONS[q.name].build(src, q.params)
        const fp = new DataFingerprint()
        const tables: ReportTableView[] = []
        for (const t of doc.tables) {
          const paged = q.table === undefined || q.table === t.key
          const rows: ReportRow[] = []
          const totals = newTotals(t.columns)
          let n = 0
          fp.table(t)
          for (const r of t.rows()) {
            fp.row(r)
            addTotals(totals, t.columns, r, t, n)
            if (paged && n >= q.offset && rows.length < q.limit) rows.push(r)
            n += 1
            if (n % VIEW_TURN_ROWS === 0) await nextTurn()
          }
          tables.push({
            key: t.key,
            title: t.title,
            columns: t.columns,
            rows,
            offset: paged ? q.offset : 0,
            rowCount: n,
            totals: totalsRow(totals, t.columns, n),
            empty: t.empty,
            note: t.note,
            groupBy: t.groupBy
          })
        }
        return {
          name: q.name,
          title: doc.title,
          subtitle: doc.subtitle,
          parameters: doc.parameters,
          currency: doc.profile.currency,
          tables,
          fingerprint: fp.digest(),
          madeAt: src.now.toISOString()
        }
      } finally {
        reader.exec('COMMIT')
      }
    } finally {
      reader.close()
    }
  }

  /** Builds the document (the definitions loaded): the caller holds the transaction. */
  private async document(name: ReportName, params: ReportParams): Promise<() => ReportDocument> {
    const { REPORT_DEFINITIONS } = await loadDefinitions()
    const { sqlite, db, clock } = this.ctx
    return () => REPORT_DEFINITIONS[name].build(reportSource({ sqlite, db, clock, timeZone: this.env.timeZone(), locale: this.env.locale() }), params)
  }

  /** Who a file is made by: the operator, or on the command line without one, the command line and the computer's user. */
  private madeBy(): { id: number | null; name: string } {
    const me = currentActor()
    if (me.operatorId !== null) return { id: me.operatorId, name: this.env.processKind === 'cli' ? `Command line (${me.name})` : me.name }
    let user = 'System'
    try {
      user = os.userInfo().username || user
    } catch {
      // No user name for this process: "System" it is.
    }
    return { id: null, name: this.env.processKind === 'cli' ? `Command line (${user})` : me.name }
  }

  /** Starts the export (one at a time) and answers at once with the run. */
  async export(v: ParsedInput<'reports.export'>): Promise<{ runId: number }> {
    this.check(v.name, v.params, v.format)
    // The definition's own refusals (a member not in the book, certificates for part of a year) come now, next to their field, not as a failed run.
    const build = await this.document(v.name, v.params)
    this.ctx.sqlite.transaction(build).deferred()
    const who = this.madeBy()
    const started = this.env.jobs().start(REPORT_EXPORT_JOB, {
      trigger: this.env.processKind === 'cli' ? 'cli' : 'manual',
      params: { name: v.name, params: JSON.stringify(v.params), format: v.format, operatorId: who.id, operatorName: who.name }
    })
    started.done.catch(() => undefined)
    return { runId: started.run.id }
  }

  exportStatus(runId: number): ExportStatus {
    const run = this.env.jobs().getRun(runId)
    if (run.jobId !== REPORT_EXPORT_JOB) throw notFound(`Export #${runId}`)
    if (run.status === 'skipped') throw notFound(`Export #${runId}`)
    const id = run.result?.details?.generatedId
    const generated = run.status === 'succeeded' && typeof id === 'number' ? this.generatedDto(id) : null
    return {
      runId: run.id,
      status: run.status,
      done: run.progress.done,
      total: run.progress.total,
      note: run.progress.note,
      generated,
      error: run.status === 'succeeded' ? null : run.error
    }
  }

  cancelExport(runId: number): { cancelling: boolean } {
    const run = this.env.jobs().getRun(runId)
    if (run.jobId !== REPORT_EXPORT_JOB) throw notFound(`Export #${runId}`)
    return this.env.jobs().cancel(runId)
  }

  private toDto(r: GeneratedRow): GeneratedReport {
    const file = path.join(reportsDir(this.env.dataDir), r.fileName)
    let params: ReportParams
    try {
      params = ReportParams.parse(JSON.parse(r.params))
    } catch {
      throw conflict(`The parameters recorded with generated report #${r.id} cannot be read.`)
    }
    return {
      id: r.id,
      name: r.name,
      title: r.title,
      subtitle: r.subtitle,
      params,
      format: r.format,
      file,
      bytes: r.bytes,
      sha256: r.sha256,
      fingerprint: r.fingerprint,
      rows: r.rows,
      madeAt: r.madeAt,
      madeBy: r.madeBy,
      fileState: fileState(file, r.sha256)
    }
  }

  private row(id: number): GeneratedRow {
    const r = this.ctx.db.select().from(generatedReports).where(eq(generatedReports.id, id)).get()
    if (!r) throw notFound(`Generated report #${id}`)
    return r
  }

  generatedDto(id: number): GeneratedReport {
    return this.toDto(this.row(id))
  }

  generated(q: ParsedInput<'reports.generated'>): { rows: GeneratedReport[]; total: number } {
    const where = q.name ? and(eq(generatedReports.name, q.name)) : undefined
    const rows = this.ctx.db.select().from(generatedReports).where(where).orderBy(desc(generatedReports.madeAt), desc(generatedReports.id)).limit(q.limit).offset(q.offset).all()
    const total = this.ctx.db.select({ n: count() }).from(generatedReports).where(where).get()?.n ?? 0
    return { rows: rows.map((r) => this.toDto(r)), total }
  }

  /** The report's file, refused when it is gone or differs from what Coffer made. */
  file(id: number): { file: string } {
    const g = this.generatedDto(id)
    const name = path.basename(g.file)
    if (g.fileState === 'missing') throw conflict(`The file ${name} is no longer there (it was in ${path.dirname(g.file)}); make the report again.`)
    if (g.fileState === 'changed') throw conflict(`The file ${name} has changed since Coffer made it (its fingerprint differs); make the report again.`)
    return { file: g.file }
  }

  /** Queues one email per address with the file attached (the file checked first), in one transaction. */
  email(id: number, to: string[], message?: string): { queued: number } {
    this.file(id)
    const mail = this.env.mail()
    if (!mail.emailSettings().configured) throw conflict('Email is not set up: fill in Settings → Email first, then email the report.')
    const r = this.row(id)
    const profile = this.ctx.sqlite.prepare('SELECT name, locale FROM cooperative_profile').get() as { name: string; locale: string } | undefined
    const params = this.generatedDto(id).params
    const locale = profile?.locale ?? this.env.locale()
    const parameters = [
      { label: 'From', value: formatDate(params.from, withLatinDigits(locale)) },
      { label: 'To', value: formatDate(params.to, withLatinDigits(locale)) }
    ]
    const e = reportEmail(r, parameters, { organisation: profile?.name ?? 'Coffer', message: message ?? null, locale })
    // One message per address, however it is capitalised (the first spelling given is used).
    const byKey = new Map<string, string>()
    for (const a of to) if (!byKey.has(a.trim().toLowerCase())) byKey.set(a.trim().toLowerCase(), a.trim())
    const unique = [...byKey.values()]
    const queued = this.ctx.sqlite
      .transaction(() => {
        let n = 0
        for (const address of unique) {
          const created = mail.outbox.enqueue({ kind: 'report', channel: 'email', eventKey: null, to: address, toName: null, subject: e.subject, body: e.body, attachments: [e.attachment] })
          if (created !== null) n += 1
        }
        return n
      })
      .immediate()
    return { queued }
  }

  settings(): ReportSettings {
    return readReportSettings(this.ctx.sqlite)
  }

  saveSettings(v: ParsedInput<'reports.saveSettings'>): ReportSettings {
    const { sqlite } = this.ctx
    const put = sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    sqlite
      .transaction(() => {
        const now = readReportSettings(sqlite)
        if (now.version !== v.expectedVersion) throw conflict('The report settings were changed by someone else meanwhile. Look at them again, then save once more.')
        const seen = new Set<string>()
        const recipients = v.recipients.map((a) => a.trim()).filter((a) => (seen.has(a.toLowerCase()) ? false : (seen.add(a.toLowerCase()), true)))
        put.run(REPORT_SETTING_KEYS.recipients, JSON.stringify(recipients))
        put.run(REPORT_SETTING_KEYS.weeklyFormat, v.weeklyFormat)
        put.run(REPORT_SETTING_KEYS.monthlyFormat, v.monthlyFormat)
        put.run(REPORT_SETTING_KEYS.version, String(now.version + 1))
      })
      .immediate()
    return this.settings()
  }
}
