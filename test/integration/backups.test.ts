import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src/core'
import type { AuthStatus, Backup, JobRun, MemberListPage, Notification } from '../../src/shared/contract'
import { signInAdmin } from '../support/operators'
import { listBackups, pruneBackups, removePartials } from '../../src/core/platform/backups/backups'
import { jobCore } from '../support/job-core'
import { tempDir, value } from '../support/temp-core'
import { addDays } from '../../src/shared/dates'

const cores: Core[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})
const open = async (o: Parameters<typeof jobCore>[0] = {}) => {
  const t = await jobCore(o)
  cores.push(t.core)
  return t
}

async function runJob(core: Core, jobId: string): Promise<JobRun> {
  const run = value<JobRun>(await core.invoke('jobs.run', { jobId }))
  const done = core.jobs!.activeRun(jobId)
  return done ? await done : value<JobRun>(await core.invoke('jobs.getRun', { runId: run.id }))
}

const member = (no: string, name: string) => ({ memberNo: no, fullName: name, joinedOn: '2025-01-01' })

describe('backup job', () => {
  it('makes a checked online copy in the backups folder, in a worker thread', async () => {
    const { core, dataDir } = await open()
    value(await core.invoke('members.create', member('M-1', 'Jane Wanjiru')))
    const run = await runJob(core, 'backup')
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual' })
    expect(run.result?.summary).toMatch(/^Backed up .* to coffer-manual-2026-02-20T110000\.sqlite; 1 backup kept\.$/)
    const { backups, folder } = value<{ folder: string; backups: Backup[] }>(await core.invoke('backups.list', {}))
    expect(folder).toBe(path.join(dataDir, 'backups'))
    expect(backups.map((b) => [b.name, b.kind])).toEqual([['coffer-manual-2026-02-20T110000.sqlite', 'manual']])
    const copy = new Database(path.join(folder, backups[0]!.name), { readonly: true })
    expect(copy.prepare('SELECT full_name FROM members').pluck().all()).toEqual(['Jane Wanjiru'])
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
    copy.close()
    expect(fs.readdirSync(folder).filter((f) => f.endsWith('.partial'))).toEqual([])
  })

  it('keeps the last 7 daily and 4 weekly backups; manual and pre-update copies are kept apart', () => {
    const dir = tempDir()
    const days: string[] = []
    for (let i = 0; i < 40; i++) days.push(addDays('2026-10-01', i)) // Oct 1 .. Nov 9
    for (const d of days) fs.writeFileSync(path.join(dir, `coffer-daily-${d}T020000.sqlite`), d)
    fs.writeFileSync(path.join(dir, 'coffer-before-0002_jobs-2026-09-01T080000.sqlite'), 'x')
    fs.writeFileSync(path.join(dir, 'unrelated.txt'), 'x')
    const { removed } = pruneBackups(dir)
    const left = listBackups(dir)
    const daily = left.filter((b) => b.kind === 'daily').map((b) => b.name.slice(13, 23))
    const weekly = left.filter((b) => b.kind === 'weekly').map((b) => b.name.slice(13, 23))
    expect(daily).toEqual(['2026-11-09', '2026-11-08', '2026-11-07', '2026-11-06', '2026-11-05', '2026-11-04', '2026-11-03'])
    // The newest of each of the 4 latest ISO weeks (Mon 9 Nov, 2-8 Nov, 26 Oct-1 Nov, 19-25 Oct),
    // as restic's --keep-weekly counts them: the first two are already among the dailies.
    expect(weekly).toEqual(['2026-11-01', '2026-10-25'])
    expect(left.filter((b) => b.kind === 'pre-migration')).toHaveLength(1)
    expect(removed).toHaveLength(40 - 9)
    expect(fs.existsSync(path.join(dir, 'unrelated.txt'))).toBe(true)
  })

  it('removes a copy left half-written by a killed backup at the next start', async () => {
    const { core, dataDir } = await open()
    await core.shutdown()
    cores.pop()
    const partial = path.join(dataDir, 'backups', 'coffer-daily-2026-02-20T020000.sqlite.partial')
    fs.mkdirSync(path.dirname(partial), { recursive: true })
    fs.writeFileSync(partial, 'half a file')
    const { core: again } = await open({ dataDir })
    expect(fs.existsSync(partial)).toBe(false)
    expect(value<{ backups: Backup[] }>(await again.invoke('backups.list', {})).backups).toEqual([])
    expect(removePartials(path.join(dataDir, 'backups'))).toEqual([])
  })
})

describe('restore', () => {
  it('replaces the data with a backup after keeping the current file aside', async () => {
    const { core, clock, dataDir } = await open()
    value(await core.invoke('members.create', member('M-1', 'Jane Wanjiru')))
    const backup = await runJob(core, 'backup')
    const name = (backup.result?.details as { file: string }).file
    clock.set('2026-02-21T09:00:00Z')
    value(await core.invoke('members.create', member('M-2', 'Peter Otieno')))
    const events: string[] = []
    core.onEvent((e) => events.push(e))

    expect(await core.invoke('backups.restore', { name })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { confirm: expect.any(String) } } })
    expect(await core.invoke('backups.restore', { name: 'coffer-daily-1999-01-01T000000.sqlite', confirm: true })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' }
    })
    expect(await core.invoke('backups.restore', { name: '../coffer.sqlite', confirm: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })

    const restored = value<{ restored: string; keptAside: string }>(await core.invoke('backups.restore', { name, confirm: true }))
    expect(restored.keptAside).toBe('coffer-pre-restore-2026-02-21T120000.sqlite')
    expect(events).toContain('app.dataReplaced')
    // The restored file's operators take over: nobody is signed in until Ada signs in again, with her password in that file.
    expect(value<AuthStatus>(await core.invoke('auth.status', {})).operator).toBeNull()
    expect(await core.invoke('members.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    await signInAdmin(core.invoke)
    const page = value<MemberListPage>(await core.invoke('members.list', {}))
    expect(page.rows.map((r) => r.fullName)).toEqual(['Jane Wanjiru'])
    const aside = new Database(path.join(dataDir, 'backups', restored.keptAside), { readonly: true })
    expect(aside.prepare('SELECT full_name FROM members ORDER BY id').pluck().all()).toEqual(['Jane Wanjiru', 'Peter Otieno'])
    aside.close()
    const kinds = value<{ backups: Backup[] }>(await core.invoke('backups.list', {})).backups.map((b) => b.kind).sort()
    expect(kinds).toEqual(['manual', 'pre-restore'])
    // Still a working core: writes go to the restored file.
    value(await core.invoke('members.create', member('M-3', 'Amina Hassan')))
  })
})

describe('integrity job', () => {
  it('passes on a healthy file, and a broken link fails the run and alerts the staff', async () => {
    const { core, dataDir } = await open()
    expect(await runJob(core, 'integrity')).toMatchObject({
      status: 'succeeded',
      result: { summary: 'No problems found.', details: { fileStructure: 'No damage', linksBetweenRecords: 'None broken' } }
    })
    const raw = new Database(path.join(dataDir, 'coffer.sqlite'))
    raw.pragma('foreign_keys = OFF')
    raw.prepare("INSERT INTO member_events (member_id, at, kind) VALUES (999, 'x', 'created')").run()
    raw.close()
    const failed = await runJob(core, 'integrity')
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/member_events row 1 points to a missing members record/)
    const n = value<{ rows: Notification[] }>(await core.invoke('notifications.list', {})).rows
    expect(n[0]).toMatchObject({ kind: 'error', title: 'Integrity check failed', subject: { type: 'job-run', id: String(failed.id) } })
  })
})
