/**
 * The reports service through the contract (issue 15), on a seeded year
 * (test/support/reports-seed.ts; jobs inline, Ada signed in): parameters
 * refused next to their field, the view's paging and exact totals, the same
 * fingerprint on screen and in the generated file, the export end to end,
 * cancel leaving nothing, files missing or changed refused, email queued
 * through the outbox whose attachment the mail renderer makes byte for byte,
 * settings with their version, and who may do what.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportStatus, GeneratedReport, MessageDetail, OutboxMessage, ReportSettings, ReportView } from '../../src/shared/contract'
import { asOperator } from '../support/operators'
import { seededYear, type SeededYear } from '../support/reports-seed'
import { value } from '../support/temp-core'

let y: SeededYear
beforeAll(async () => {
  y = await seededYear()
}, 60_000)
afterAll(async () => y?.close())

const CLERK = { name: 'Carl Clerk', username: 'carl', password: 'clerk password one', role: 'clerk' }
const AUDITOR = { name: 'Aud Auditor', username: 'audrey', password: 'auditor password one', role: 'auditor' }

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

async function refused(channel: string, input: unknown): Promise<{ code: string; message: string; fields?: Record<string, string> }> {
  const r = await y.core.invoke(channel, input)
  if (r.ok) throw new Error(`${channel} was not refused`)
  return r.error as { code: string; message: string; fields?: Record<string, string> }
}

/** Starts an export and waits for its run (jobs run inline here) to end. */
async function exportReport(input: unknown): Promise<ExportStatus> {
  const { runId } = value<{ runId: number }>(await y.core.invoke('reports.export', input))
  await y.core.jobs?.activeRun('report-export')
  return value<ExportStatus>(await y.core.invoke('reports.exportStatus', { runId }))
}

describe('parameters', () => {
  it('a parameter a report refuses, one it needs and lacks, dates out of order or too far apart: each refused next to its field', async () => {
    const year = { from: y.from, to: y.to }
    expect((await refused('reports.view', { name: 'trial-balance', params: { ...year, memberId: y.members[0]!.member.id } })).fields).toEqual({ memberId: 'The trial balance is not per member' })
    expect((await refused('reports.view', { name: 'account-statement', params: year })).fields).toEqual({ accountId: 'Choose the account for the account statement' })
    expect((await refused('reports.view', { name: 'payment-register', params: { ...year, accountId: y.role.bank.id } })).fields).toEqual({ accountId: 'The payment register is not per account' })
    expect((await refused('reports.view', { name: 'payment-register', params: { from: y.to, to: y.from } })).fields).toEqual({ to: 'To must be on or after From' })
    expect((await refused('reports.view', { name: 'payment-register', params: { from: '2000-01-01', to: y.to } })).fields?.to).toMatch(/at most 3,660 days/)
    expect((await refused('reports.view', { name: 'payment-register', params: { ...year, certificates: true } })).fields).toEqual({ certificates: 'The payment register has no certificates' })
    const xlsx = await refused('reports.export', { name: 'withholding-tax', params: { ...year, certificates: true }, format: 'xlsx' })
    expect(xlsx).toMatchObject({ code: 'VALIDATION', fields: { format: 'Certificates are made as PDF only' } })
    // A member that is not in the book: the definition's own refusal, before any run starts.
    const gone = await refused('reports.export', { name: 'payment-register', params: { ...year, memberId: 999_999 }, format: 'xlsx' })
    expect(gone.code).toBe('VALIDATION')
    expect(value<{ rows: unknown[] }>(await y.core.invoke('jobs.history', { jobId: 'report-export' })).rows).toHaveLength(0)
  })
})

describe('on screen', () => {
  it('pages a table, counts every row and totals every row exactly; the page asked for is the same rows as the whole table', async () => {
    const params = { from: y.from, to: y.to }
    const all = value<ReportView>(await y.core.invoke('reports.view', { name: 'payment-register', params, limit: 500 }))
    const t = all.tables[0]!
    expect(t.rowCount).toBeGreaterThan(10)
    expect(t.rows).toHaveLength(t.rowCount)
    const page = value<ReportView>(await y.core.invoke('reports.view', { name: 'payment-register', params, table: t.key, offset: 3, limit: 4 }))
    const p = page.tables[0]!
    expect(p.rows).toEqual(t.rows.slice(3, 7))
    expect(p.offset).toBe(3)
    expect(p.rowCount).toBe(t.rowCount)
    // Exact totals over every row (BigInt), not only the page's.
    expect(p.totals).toEqual(t.totals)
    t.columns.forEach((c, i) => {
      if (!c.total) return expect(t.totals!.cells[i]).toBeNull()
      const sum = t.rows.reduce((s, r) => s + BigInt((r.cells[i] as number | null) ?? 0), 0n)
      expect(BigInt(t.totals!.cells[i] as number)).toBe(sum)
    })
    expect(page.fingerprint).toBe(all.fingerprint)
    expect(page.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(page.madeAt).toBe(y.clock.now().toISOString())
  })

  it('the payroll register needs payroll.read: a clerk is refused in Coffer’s words, an auditor sees it', async () => {
    const input = { name: 'payroll-register', params: { from: y.from, to: y.to } }
    const clerk = await asOperator(y.core, CLERK, () => y.core.invoke('reports.view', input))
    expect(clerk.ok).toBe(false)
    if (!clerk.ok) {
      expect(clerk.error.code).toBe('FORBIDDEN')
      expect(clerk.error.message).toBe('Clerks may not see staff pay: the payroll register shows it. Ask an operator who may.')
    }
    const auditor = await asOperator(y.core, AUDITOR, () => y.core.invoke('reports.view', input))
    expect(auditor.ok).toBe(true)
  })
})

describe('export and generated reports', () => {
  let made: GeneratedReport
  it('exports to Excel on the report-export job: the file is listed with its SHA-256, and its data fingerprint is the one on screen', async () => {
    const params = { from: '2026-01-01', to: '2026-06-30' }
    const shown = value<ReportView>(await y.core.invoke('reports.view', { name: 'payment-register', params }))
    const st = await exportReport({ name: 'payment-register', params, format: 'xlsx' })
    expect(st).toMatchObject({ status: 'succeeded', error: null })
    made = st.generated!
    expect(made).toMatchObject({ name: 'payment-register', title: 'Payment register', format: 'xlsx', params, madeBy: 'Ada Admin', fileState: 'ok' })
    expect(made.fingerprint).toBe(shown.fingerprint)
    expect(made.rows).toBe(shown.tables.reduce((s, t) => s + t.rowCount, 0))
    expect(path.dirname(made.file)).toBe(path.join(y.dataDir, 'reports'))
    expect(path.basename(made.file)).toMatch(/^payment-register_2026-01-01_2026-06-30_run\d+\.xlsx$/)
    expect(sha256(made.file)).toBe(made.sha256)
    expect(fs.statSync(made.file).size).toBe(made.bytes)
    expect(fs.readdirSync(path.dirname(made.file)).filter((f) => f.endsWith('.partial'))).toEqual([])
    const list = value<{ rows: GeneratedReport[]; total: number }>(await y.core.invoke('reports.generated', {}))
    expect(list.rows[0]).toEqual(made)
    expect(value<{ file: string }>(await y.core.invoke('reports.file', { id: made.id })).file).toBe(made.file)
    // The audit trail has the row, under Reports.
    const audit = value<{ rows: { entity: string; entityId: string; channel: string }[] }>(await y.core.invoke('audit.list', { area: 'reports' })).rows
    expect(audit.map((a) => [a.entity, a.entityId, a.channel])).toEqual([['generated_reports', String(made.id), 'job:report-export']])
  })

  it('the same report again is a second file (never the first overwritten), newest first in the list', async () => {
    const st = await exportReport({ name: 'payment-register', params: made.params, format: 'xlsx' })
    const again = st.generated!
    expect(again.file).not.toBe(made.file)
    expect(again.fingerprint).toBe(made.fingerprint)
    const list = value<{ rows: GeneratedReport[]; total: number }>(await y.core.invoke('reports.generated', { name: 'payment-register' }))
    expect(list.rows.map((r) => r.id)).toEqual([again.id, made.id])
    expect(sha256(made.file)).toBe(made.sha256)
  })

  it('cancelled: the run ends cancelled, no row, no file, no partial', async () => {
    const before = value<{ total: number }>(await y.core.invoke('reports.generated', {})).total
    const files = fs.readdirSync(path.join(y.dataDir, 'reports')).sort()
    const { runId } = value<{ runId: number }>(await y.core.invoke('reports.export', { name: 'member-statement', params: { from: y.from, to: y.to }, format: 'xlsx' }))
    expect(value<{ cancelling: boolean }>(await y.core.invoke('reports.cancelExport', { runId }))).toEqual({ cancelling: true })
    await y.core.jobs?.activeRun('report-export')
    const st = value<ExportStatus>(await y.core.invoke('reports.exportStatus', { runId }))
    expect(st).toMatchObject({ status: 'cancelled', generated: null })
    expect(value<{ total: number }>(await y.core.invoke('reports.generated', {})).total).toBe(before)
    expect(fs.readdirSync(path.join(y.dataDir, 'reports')).sort()).toEqual(files)
  })

  it('a partial file a killed export left behind goes at the next export; a file that is not a run\'s stays', async () => {
    const dir = path.join(y.dataDir, 'reports')
    const stale = path.join(dir, `payment-register_2026-01-01_2026-06-30_run${made.id + 100000}.pdf.partial`)
    const foreign = path.join(dir, 'notes.xlsx.partial')
    fs.writeFileSync(stale, 'half a file')
    fs.writeFileSync(foreign, 'not ours')
    const st = await exportReport({ name: 'trial-balance', params: { from: '2026-01-01', to: '2026-03-31' }, format: 'xlsx' })
    expect(st.status).toBe('succeeded')
    expect(fs.existsSync(stale)).toBe(false)
    expect(fs.existsSync(foreign)).toBe(true)
    fs.rmSync(foreign)
  })

  it('a run of another job is not an export', async () => {
    const run = value<{ id: number }>(await y.core.invoke('jobs.run', { jobId: 'integrity', force: false }))
    await y.core.jobs?.activeRun('integrity')
    expect((await refused('reports.exportStatus', { runId: run.id })).code).toBe('NOT_FOUND')
    expect((await refused('reports.cancelExport', { runId: run.id })).code).toBe('NOT_FOUND')
  })

  it('email: refused until email is set up; then one outbox message per address, whose attachment the mail renderer makes from the file, byte for byte', async () => {
    const notSetUp = await refused('reports.email', { id: made.id, to: ['board@umoja.test'] })
    expect(notSetUp.message).toBe('Email is not set up: fill in Settings → Email first, then email the report.')
    value(
      await y.core.invoke('mail.saveEmailSettings', {
        host: 'mail.umoja.test',
        port: 587,
        security: 'starttls',
        user: null,
        fromName: 'Umoja Savings',
        fromAddress: 'treasurer@umoja.test',
        replyTo: null,
        alertAddress: null,
        alertPhone: null
      })
    )
    // A clerk may not send the book's figures out.
    const clerk = await asOperator(y.core, CLERK, () => y.core.invoke('reports.email', { id: made.id, to: ['board@umoja.test'] }))
    expect(!clerk.ok && clerk.error.code).toBe('FORBIDDEN')
    expect(value(await y.core.invoke('reports.email', { id: made.id, to: ['board@umoja.test', 'chair@umoja.test', 'Board@Umoja.test'], message: 'For Thursday.' }))).toEqual({ queued: 2 })
    const out = value<{ rows: OutboxMessage[] }>(await y.core.invoke('mail.outbox', { kind: 'report' })).rows
    expect(out.map((m) => m.to).sort()).toEqual(['board@umoja.test', 'chair@umoja.test'])
    const m = out[0]!
    expect(m).toMatchObject({ kind: 'report', channel: 'email', status: 'queued', subject: `Payment register — ${made.subtitle}`, attachments: 1 })
    const detail = value<MessageDetail>(await y.core.invoke('mail.message', { id: m.id }))
    expect(detail.body).toContain('For Thursday.')
    expect(detail.body).toContain(`Data fingerprint: ${made.fingerprint}`)
    expect(detail.attachments[0]).toMatchObject({ filename: path.basename(made.file), frozen: false })
    const saved = value<{ file: string }>(await y.core.invoke('mail.saveAttachment', { id: detail.attachments[0]!.id }))
    expect(sha256(saved.file)).toBe(made.sha256)
    expect(value<MessageDetail>(await y.core.invoke('mail.message', { id: m.id })).attachments[0]).toMatchObject({ sha256: made.sha256, frozen: true })
  })

  it('a file changed or gone is seen in the list and refused to open or email, in plain words; the mail renderer refuses it too', async () => {
    // Queued before the change: its attachment is not made yet.
    value(await y.core.invoke('reports.email', { id: made.id, to: ['late@umoja.test'] }))
    const late = value<{ rows: OutboxMessage[] }>(await y.core.invoke('mail.outbox', { kind: 'report', search: 'late@' })).rows[0]!
    const lateAttachment = value<MessageDetail>(await y.core.invoke('mail.message', { id: late.id })).attachments[0]!
    fs.appendFileSync(made.file, 'x')
    const changed = value<{ rows: GeneratedReport[] }>(await y.core.invoke('reports.generated', {})).rows.find((r) => r.id === made.id)
    expect(changed?.fileState).toBe('changed')
    const name = path.basename(made.file)
    expect((await refused('reports.file', { id: made.id })).message).toBe(`The file ${name} has changed since Coffer made it (its fingerprint differs); make the report again.`)
    expect((await refused('reports.email', { id: made.id, to: ['board@umoja.test'] })).message).toBe(`The file ${name} has changed since Coffer made it (its fingerprint differs); make the report again.`)
    const render = await y.core.invoke('mail.saveAttachment', { id: lateAttachment.id })
    expect(render.ok).toBe(false)
    fs.rmSync(made.file)
    expect(value<{ rows: GeneratedReport[] }>(await y.core.invoke('reports.generated', {})).rows.find((r) => r.id === made.id)?.fileState).toBe('missing')
    expect((await refused('reports.file', { id: made.id })).message).toMatch(new RegExp(`^The file ${name.replace(/[.]/g, '\\.')} is no longer there`))
  })
})

describe('settings', () => {
  it('saved with the version read; a stale version is refused; an auditor may not save them', async () => {
    const s = value<ReportSettings>(await y.core.invoke('reports.settings', {}))
    expect(s).toEqual({ recipients: [], weeklyFormat: 'xlsx', monthlyFormat: 'xlsx', version: 0 })
    const saved = value<ReportSettings>(
      await y.core.invoke('reports.saveSettings', { recipients: ['board@umoja.test', 'BOARD@umoja.test', 'chair@umoja.test'], weeklyFormat: 'pdf', monthlyFormat: 'xlsx', expectedVersion: 0 })
    )
    expect(saved).toEqual({ recipients: ['board@umoja.test', 'chair@umoja.test'], weeklyFormat: 'pdf', monthlyFormat: 'xlsx', version: 1 })
    const stale = await refused('reports.saveSettings', { recipients: [], weeklyFormat: 'xlsx', monthlyFormat: 'xlsx', expectedVersion: 0 })
    expect(stale.code).toBe('CONFLICT')
    const bad = await refused('reports.saveSettings', { recipients: ['not an address'], weeklyFormat: 'xlsx', monthlyFormat: 'xlsx', expectedVersion: 1 })
    expect(bad.code).toBe('VALIDATION')
    const auditor = await asOperator(y.core, AUDITOR, () => y.core.invoke('reports.saveSettings', { recipients: [], weeklyFormat: 'xlsx', monthlyFormat: 'xlsx', expectedVersion: 1 }))
    expect(!auditor.ok && auditor.error.code).toBe('FORBIDDEN')
    expect(value<ReportSettings>(await y.core.invoke('reports.settings', {})).version).toBe(1)
  })
})
