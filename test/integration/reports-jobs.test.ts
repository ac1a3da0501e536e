/**
 * The reports' jobs (issue 15) on a seeded year whose jobs were first known
 * on 10 Jun 2026 (test/support/reports-seed.ts; jobs inline; the clock set
 * here, never the wall clock):
 *
 * - weekly-summary and monthly-summary make each complete period once
 *   (schedule_key), run twice make nothing twice, and after weeks off make
 *   each missed period once, at most the last 8 weeks / 3 months;
 * - each report made tells the staff (a notification linked to it) and is
 *   emailed to Settings → Reports' recipients through the outbox, in the
 *   transaction that records it; with no recipients the notification says so;
 * - report-export is on demand: never due, never scheduled, no bare run, no
 *   schedule to change, "On demand" in the jobs list.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Job, JobRun } from '../../src/shared/contract'
import { seededYear, type SeededYear } from '../support/reports-seed'
import { value } from '../support/temp-core'

let y: SeededYear
beforeAll(async () => {
  y = await seededYear()
}, 60_000)
afterAll(async () => y?.close())

interface Made {
  id: number
  name: string
  from: string
  to: string
  format: string
  madeBy: string
  scheduleKey: string
  fileName: string
}

function generated(name: string): Made[] {
  return (
    y.db
      .prepare(
        "SELECT id, name, json_extract(params, '$.from') AS \"from\", json_extract(params, '$.to') AS \"to\", format, made_by AS madeBy, schedule_key AS scheduleKey, file_name AS fileName FROM generated_reports WHERE name = ? ORDER BY id"
      )
      .all(name) as Made[]
  )
}

async function run(jobId: string): Promise<JobRun> {
  const engine = y.core.jobs!
  const started = engine.start(jobId, { trigger: 'schedule' })
  const ended = await started.done
  expect(ended.status, ended.error ?? '').toBe('succeeded')
  return ended
}

const notificationsAbout = (id: number) =>
  y.db.prepare("SELECT kind, title, body FROM notifications WHERE subject_type = 'generated-report' AND subject_id = ?").all(String(id)) as { kind: string; title: string; body: string }[]

const outboxFor = (id: number) =>
  y.db
    .prepare("SELECT m.kind, m.to_address AS \"to\", m.subject, m.event_key AS eventKey, a.source FROM outbox_messages m JOIN outbox_attachments a ON a.message_id = m.id WHERE m.event_key LIKE ? ORDER BY m.to_address")
    .all(`report:${id}:%`) as { kind: string; to: string; subject: string; eventKey: string; source: string }[]

/** Settings → Reports' version now (each save is checked against the version read). */
const settingsVersion = async (): Promise<number> => value<{ version: number }>(await y.core.invoke('reports.settings', {})).version

describe('weekly summary', () => {
  it('on a Monday at 08:00 after months known: the last 8 complete weeks, once each, oldest first; no recipients, and the notification says so', async () => {
    y.clock.set('2026-12-14T05:00:00Z') // Monday 08:00 in Nairobi
    const ended = await run('weekly-summary')
    const made = generated('weekly-summary')
    expect(made.map((m) => [m.from, m.to])).toEqual([
      ['2026-10-19', '2026-10-25'],
      ['2026-10-26', '2026-11-01'],
      ['2026-11-02', '2026-11-08'],
      ['2026-11-09', '2026-11-15'],
      ['2026-11-16', '2026-11-22'],
      ['2026-11-23', '2026-11-29'],
      ['2026-11-30', '2026-12-06'],
      ['2026-12-07', '2026-12-13']
    ])
    for (const m of made) {
      expect(m).toMatchObject({ format: 'xlsx', madeBy: 'Weekly summary job', scheduleKey: `weekly-summary:${m.from}` })
      expect(fs.existsSync(`${y.dataDir}/reports/${m.fileName}`)).toBe(true)
      const n = notificationsAbout(m.id)
      expect(n).toHaveLength(1)
      expect(n[0]!.body).toContain('It was not emailed: no recipients are set in Settings → Reports.')
      expect(outboxFor(m.id)).toEqual([])
    }
    expect(ended.result?.summary).toBe('Made 8 weekly summaries (Excel); not emailed (no recipients in Settings → Reports).')
  })

  it('run again the same day: nothing twice, also after the format is changed to PDF (a period is made once, in one format)', async () => {
    const before = generated('weekly-summary').length
    const ended = await run('weekly-summary')
    expect(ended.result?.summary).toBe('Nothing to do: every weekly summary due is made.')
    expect(generated('weekly-summary')).toHaveLength(before)
    value(await y.core.invoke('reports.saveSettings', { recipients: [], weeklyFormat: 'pdf', monthlyFormat: 'xlsx', expectedVersion: await settingsVersion() }))
    expect((await run('weekly-summary')).result?.summary).toBe('Nothing to do: every weekly summary due is made.')
    expect(generated('weekly-summary')).toHaveLength(before)
    value(await y.core.invoke('reports.saveSettings', { recipients: [], weeklyFormat: 'xlsx', monthlyFormat: 'xlsx', expectedVersion: await settingsVersion() }))
  })

  it('after two weeks off, with recipients set: each missed week once, emailed in the same transaction, the notification linked to it', async () => {
    value(await y.core.invoke('reports.saveSettings', { recipients: ['board@umoja.test', 'chair@umoja.test'], weeklyFormat: 'xlsx', monthlyFormat: 'xlsx', expectedVersion: await settingsVersion() }))
    y.clock.set('2026-12-29T10:00:00Z') // a Tuesday, two Mondays missed
    const before = generated('weekly-summary').length
    await run('weekly-summary')
    const made = generated('weekly-summary').slice(before)
    expect(made.map((m) => [m.from, m.to])).toEqual([
      ['2026-12-14', '2026-12-20'],
      ['2026-12-21', '2026-12-27']
    ])
    for (const m of made) {
      const mails = outboxFor(m.id)
      expect(mails.map((x) => x.to)).toEqual(['board@umoja.test', 'chair@umoja.test'])
      expect(mails[0]).toMatchObject({ kind: 'report', subject: expect.stringMatching(/^Weekly summary — /) })
      const sha = y.db.prepare('SELECT sha256 FROM generated_reports WHERE id = ?').pluck().get(m.id)
      expect(JSON.parse(mails[0]!.source)).toEqual({ kind: 'report', data: { generatedId: m.id, fileName: m.fileName, sha256: sha } })
      const n = notificationsAbout(m.id)
      expect(n).toHaveLength(1)
      expect(n[0]!.body).toContain('It is queued in the outbox for board@umoja.test, chair@umoja.test.')
    }
    await run('weekly-summary')
    expect(generated('weekly-summary')).toHaveLength(before + 2)
  })
})

describe('monthly summary', () => {
  it('the last 3 complete months once each in the format set; then the next month once it is complete', async () => {
    value(await y.core.invoke('reports.saveSettings', { recipients: ['board@umoja.test'], weeklyFormat: 'xlsx', monthlyFormat: 'xlsx', expectedVersion: await settingsVersion() }))
    y.clock.set('2026-12-29T10:00:00Z')
    await run('monthly-summary')
    expect(generated('monthly-summary').map((m) => [m.from, m.to, m.madeBy])).toEqual([
      ['2026-09-01', '2026-09-30', 'Monthly summary job'],
      ['2026-10-01', '2026-10-31', 'Monthly summary job'],
      ['2026-11-01', '2026-11-30', 'Monthly summary job']
    ])
    await run('monthly-summary')
    expect(generated('monthly-summary')).toHaveLength(3)
    y.clock.set('2027-01-01T04:00:00Z') // 1 Jan 07:00 in Nairobi
    await run('monthly-summary')
    const all = generated('monthly-summary')
    expect(all.map((m) => m.from)).toEqual(['2026-09-01', '2026-10-01', '2026-11-01', '2026-12-01'])
    expect(outboxFor(all[3]!.id).map((x) => x.to)).toEqual(['board@umoja.test'])
  })
})

describe('report-export is on demand', () => {
  it('listed "On demand" with no next runs; never due; no bare run; no schedule to change or pause', async () => {
    const jobs = value<Job[]>(await y.core.invoke('jobs.list', {}))
    const exp = jobs.find((j) => j.id === 'report-export')!
    expect(exp).toMatchObject({ onDemand: true, scheduleText: 'On demand', nextRuns: [] })
    expect(jobs.find((j) => j.id === 'weekly-summary')).toMatchObject({ onDemand: false, cron: '0 8 * * 1', catchUp: 'once' })
    expect(jobs.find((j) => j.id === 'monthly-summary')).toMatchObject({ onDemand: false, cron: '0 7 1 * *', catchUp: 'once' })
    expect(y.core.jobs!.dueSlot('report-export')).toBeNull()
    const bare = await y.core.invoke('jobs.run', { jobId: 'report-export', force: false })
    expect(!bare.ok && bare.error.message).toMatch(/^Report export runs only when asked for/)
    const pause = await y.core.invoke('jobs.setEnabled', { jobId: 'report-export', enabled: false })
    expect(!pause.ok && pause.error.code).toBe('CONFLICT')
    const cron = await y.core.invoke('jobs.updateSchedule', { jobId: 'report-export', cron: '0 3 * * *' })
    expect(!cron.ok && cron.error.code).toBe('CONFLICT')
    expect(y.db.prepare("SELECT count(*) FROM job_runs WHERE job_id = 'report-export'").pluck().get()).toBe(0)
  })
})
