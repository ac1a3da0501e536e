import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, openCore, type Core } from '../../src/core'
import type { AppStatus, AuthStatus, Backup, JobRun, MemberListPage, RecoveryResult } from '../../src/shared/contract'
import { pruneBackups } from '../../src/core/platform/backups/backups'
import { MIGRATIONS, PROFILE, quietLogger, tempDir, value } from '../support/temp-core'
import { TEST_PASSWORD_COST, signInAdmin, signedIn } from '../support/operators'

const ROOT = path.resolve(__dirname, '../..')
const cores: Core[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})

/**
 * A real core whose jobs run on the calling thread (fast), signed in as Ada
 * (a core that could not open its file stays signed out); the profile is
 * saved on a new file.
 */
async function open(dataDir = tempDir(), clock = new ManualClock('2026-02-20T08:00:00Z')) {
  const core = signedIn(openCore({
    dataDir,
    migrationsFolder: MIGRATIONS,
    version: 'test',
    clock,
    log: quietLogger,
    processKind: 'test',
    inlineJobs: true,
    systemDefaults: () => ({ timeZone: 'Africa/Nairobi', locale: 'en-KE', currency: 'KES' }),
    passwordCost: TEST_PASSWORD_COST
  }))
  cores.push(core)
  // Ada's sign-in is done (or its failure shown) before the test goes on.
  if (core.status.state === 'ready') value(await core.invoke('auth.status', {}))
  if (core.status.state === 'ready' && core.status.needsProfile) value(await core.invoke('profile.save', PROFILE))
  return { core, dataDir, clock, file: path.join(dataDir, 'coffer.sqlite'), backups: path.join(dataDir, 'backups') }
}

async function close(core: Core) {
  cores.splice(cores.indexOf(core), 1)
  await core.shutdown()
}

const member = (no: string, name: string) => ({ memberNo: no, fullName: name, joinedOn: '2025-01-01' })

async function backup(core: Core): Promise<{ run: JobRun; name: string }> {
  const started = value<JobRun>(await core.invoke('jobs.run', { jobId: 'backup' }))
  const run = (await core.jobs!.activeRun('backup')) ?? value<JobRun>(await core.invoke('jobs.getRun', { runId: started.id }))
  expect(run.status).toBe('succeeded')
  return { run, name: (run.result?.details as { file: string }).file }
}

/**
 * Restores a backup; the restored file's operators take over, so Ada signs in
 * again, with her password in that file.
 */
async function restore(core: Core, name: string): Promise<void> {
  value(await core.invoke('backups.restore', { name, confirm: true }))
  expect(value<AuthStatus>(await core.invoke('auth.status', {})).operator).toBeNull()
  await signInAdmin(core.invoke)
}

const names = async (core: Core) => value<MemberListPage>(await core.invoke('members.list', {})).rows.map((r) => r.fullName)

/** Overwrites the cells of one leaf page of `members`: the header and schema stay readable, integrity_check does not pass. */
function damageMembers(file: string): void {
  const db = new Database(file)
  const page = db.prepare("SELECT pageno FROM dbstat WHERE name = 'members' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1").pluck().get() as number
  const size = db.pragma('page_size', { simple: true }) as number
  db.close()
  const fd = fs.openSync(file, 'r+')
  fs.writeSync(fd, Buffer.alloc(size - 200, 0xa5), 0, size - 200, (page - 1) * size + 100)
  fs.closeSync(fd)
}

describe('a missing data file with backups beside it', () => {
  it('stops with DB_MISSING_WITH_BACKUPS, makes no new file, and restores the newest backup that holds data', async () => {
    const first = await open()
    value(await first.core.invoke('members.create', member('M-1', 'Jane Wanjiru')))
    const real = await backup(first.core)
    await close(first.core)
    // Newer backups of an empty file (what the daily job made after the file went missing, before this fix).
    const empty = await open(tempDir(), new ManualClock('2026-03-01T08:00:00Z'))
    const emptyBackup = await backup(empty.core)
    await close(empty.core)
    fs.copyFileSync(path.join(empty.backups, emptyBackup.name), path.join(first.backups, emptyBackup.name))
    fs.rmSync(first.file)
    for (const s of ['-wal', '-shm']) fs.rmSync(first.file + s, { force: true })

    const again = await open(first.dataDir)
    expect(again.core.status).toMatchObject({
      state: 'failed',
      failure: {
        code: 'DB_MISSING_WITH_BACKUPS',
        path: first.file,
        recovery: { backups: 2, newestGoodBackup: { name: real.name, holdsData: true } }
      }
    })
    expect(fs.existsSync(first.file)).toBe(false)
    expect(await again.core.invoke('members.list', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    expect(await again.core.invoke('app.startEmpty', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(fs.existsSync(first.file)).toBe(false)

    const events: string[] = []
    again.core.onEvent((e) => events.push(e))
    const r = value<RecoveryResult>(await again.core.invoke('app.restoreNewestBackup', { confirm: true }))
    expect(r).toMatchObject({ restored: real.name, status: { state: 'ready' } })
    expect(events).toContain('app.dataReplaced')
    // Nobody was signed in at the start-up page: Ada signs in to the restored file.
    expect(await again.core.invoke('members.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    await signInAdmin(again.core.invoke)
    expect(await names(again.core)).toEqual(['Jane Wanjiru'])
    // The run that made the backup is recorded as done in the restored file, not interrupted.
    expect(value<JobRun>(await again.core.invoke('jobs.getRun', { runId: real.run.id }))).toMatchObject({ status: 'succeeded' })
    // Only once: with the file back, there is nothing to recover.
    expect(await again.core.invoke('app.restoreNewestBackup', { confirm: true })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  })

  it('starts empty only when confirmed, and keeps the backups', async () => {
    const first = await open()
    value(await first.core.invoke('members.create', member('M-1', 'Jane Wanjiru')))
    const made = await backup(first.core)
    await close(first.core)
    fs.rmSync(first.file)
    const again = await open(first.dataDir)
    expect(again.core.status.state).toBe('failed')
    const r = value<RecoveryResult>(await again.core.invoke('app.startEmpty', { confirm: true }))
    expect(r).toMatchObject({ restored: null, status: { state: 'ready', needsProfile: true } })
    expect(fs.existsSync(path.join(first.backups, made.name))).toBe(true)
    // A new book: the profile, then its first administrator (as at a first launch).
    value(await again.core.invoke('profile.save', PROFILE))
    await signInAdmin(again.core.invoke)
    expect(await names(again.core)).toEqual([])
  })

  it('with no backups but the missing file\'s journal left behind: stops, makes no file, and starting empty keeps the journal aside', async () => {
    const first = await open()
    value(await first.core.invoke('members.create', member('M-1', 'Jane Wanjiru')))
    // The file goes while open (a crash, a sync tool): its write-ahead journal still holds pages of it.
    const wal = fs.readFileSync(first.file + '-wal')
    expect(wal.length).toBeGreaterThan(0)
    await close(first.core)
    fs.rmSync(first.file)
    fs.writeFileSync(first.file + '-wal', wal)
    expect(fs.existsSync(first.backups) ? fs.readdirSync(first.backups).filter((n) => n.endsWith('.sqlite')) : []).toEqual([])

    const again = await open(first.dataDir)
    expect(again.core.status).toMatchObject({
      state: 'failed',
      failure: { code: 'DB_MISSING_WITH_BACKUPS', path: first.file, recovery: { backups: 0, newestGoodBackup: null } }
    })
    expect(again.core.status.state === 'failed' && again.core.status.failure.message).toContain('coffer.sqlite-wal')
    expect(fs.existsSync(first.file)).toBe(false)

    const r = value<RecoveryResult>(await again.core.invoke('app.startEmpty', { confirm: true }))
    expect(r).toMatchObject({ restored: null, status: { state: 'ready', needsProfile: true } })
    const aside = fs.readdirSync(first.dataDir).filter((n) => n.startsWith('coffer.sqlite-wal.orphaned-'))
    expect(aside).toHaveLength(1)
    expect(fs.readFileSync(path.join(first.dataDir, aside[0]!)).equals(wal)).toBe(true)
    // A new book: the profile, then its first administrator (as at a first launch).
    value(await again.core.invoke('profile.save', PROFILE))
    await signInAdmin(again.core.invoke)
    expect(await names(again.core)).toEqual([])
  })

  it('a fresh folder without backups still starts on a new file', async () => {
    const { core } = await open()
    expect(core.status.state).toBe('ready')
  })
})

describe('retention', () => {
  it('never deletes the last backups holding data because newer ones are empty', () => {
    const dir = tempDir()
    const make = (name: string, rows: number) => {
      const db = new Database(path.join(dir, name))
      db.exec('CREATE TABLE members (id integer primary key, full_name text); CREATE TABLE job_runs (id integer primary key)')
      for (let i = 0; i < rows; i++) db.prepare('INSERT INTO members (full_name) VALUES (?)').run(`M${i}`)
      db.prepare('INSERT INTO job_runs DEFAULT VALUES').run()
      db.close()
    }
    make('coffer-daily-2026-09-01T020000.sqlite', 5)
    make('coffer-daily-2026-09-02T020000.sqlite', 6)
    make('coffer-manual-2026-09-02T100000.sqlite', 3)
    // Then the file went missing and a new, empty one was backed up for forty days.
    for (let d = 0; d < 40; d++) {
      const day = new Date(Date.UTC(2026, 8, 3 + d)).toISOString().slice(0, 10)
      make(`coffer-daily-${day}T020000.sqlite`, 0)
    }
    const { removed } = pruneBackups(dir)
    expect(removed).not.toContain('coffer-daily-2026-09-02T020000.sqlite')
    expect(removed).toContain('coffer-daily-2026-09-01T020000.sqlite')
    expect(fs.existsSync(path.join(dir, 'coffer-daily-2026-09-02T020000.sqlite'))).toBe(true)
    // Once a kept backup holds as much again, the old one may go.
    make('coffer-daily-2026-10-20T020000.sqlite', 7)
    expect(pruneBackups(dir).removed).toContain('coffer-daily-2026-09-02T020000.sqlite')
  })
})

describe('restore checks the backup first', () => {
  it('refuses a damaged backup, a newer one and a foreign file, leaving the live file untouched', async () => {
    const t = await open()
    for (let i = 0; i < 40; i++) value(await t.core.invoke('members.create', member(`M-${i}`, `Member number ${i} ${'x'.repeat(80)}`)))
    const good = await backup(t.core)
    const damaged = 'coffer-manual-2026-02-20T110001.sqlite'
    fs.copyFileSync(path.join(t.backups, good.name), path.join(t.backups, damaged))
    damageMembers(path.join(t.backups, damaged))
    const newer = 'coffer-manual-2026-02-20T110002.sqlite'
    fs.copyFileSync(path.join(t.backups, good.name), path.join(t.backups, newer))
    const raw = new Database(path.join(t.backups, newer))
    raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', 9_999_999_999_999)
    raw.close()
    const foreign = 'coffer-manual-2026-02-20T110003.sqlite'
    new Database(path.join(t.backups, foreign)).exec('CREATE TABLE t (x)').close()
    value(await t.core.invoke('members.create', member('M-LAST', 'Written after the backups')))
    const before = await names(t.core)

    for (const [name, reason] of [
      [damaged, /is damaged/],
      [newer, /newer version of Coffer/],
      [foreign, /not a Coffer data file/]
    ] as const) {
      const r = await t.core.invoke('backups.restore', { name, confirm: true })
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(reason) } })
      if (!r.ok) expect(r.error.message).toMatch(/Nothing was changed/)
    }
    expect(await names(t.core)).toEqual(before)
    const kinds = value<{ backups: Backup[] }>(await t.core.invoke('backups.list', {})).backups.map((b) => b.kind)
    expect(kinds).not.toContain('pre-restore')
    expect(fs.readdirSync(t.dataDir).filter((f) => f.includes('restoring'))).toEqual([])
    // The good one still restores.
    await restore(t.core, good.name)
    expect(await names(t.core)).not.toContain('Written after the backups')
    // The backup run is succeeded in the restored file, not interrupted.
    expect(value<JobRun>(await t.core.invoke('jobs.getRun', { runId: good.run.id }))).toMatchObject({ status: 'succeeded' })
  })
})

describe('restore and other processes', () => {
  it('refuses while another process has the data folder open, and goes ahead once it closed', async () => {
    const a = await open()
    value(await a.core.invoke('members.create', member('M-1', 'Jane Wanjiru')))
    const made = await backup(a.core)
    const b = await open(a.dataDir)
    const refused = await a.core.invoke('backups.restore', { name: made.name, confirm: true })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/has this data folder open/) } })
    value(await b.core.invoke('members.create', member('M-2', 'Peter Otieno')))
    expect(await names(a.core)).toEqual(['Jane Wanjiru', 'Peter Otieno'])
    await close(b.core)
    await restore(a.core, made.name)
    expect(await names(a.core)).toEqual(['Jane Wanjiru'])
  })

  it('ignores the presence left by a process that is gone', async () => {
    const a = await open()
    const made = await backup(a.core)
    fs.writeFileSync(
      path.join(a.dataDir, 'processes', 'cli_ghost.json'),
      JSON.stringify({ owner: 'cli:' + os.hostname() + ':999999999:ghost', kind: 'cli', pid: 999999999, host: os.hostname(), since: new Date().toISOString(), heartbeatAt: new Date().toISOString() })
    )
    await restore(a.core, made.name)
    expect(fs.existsSync(path.join(a.dataDir, 'processes', 'cli_ghost.json'))).toBe(false)
  })

  it('a process whose file was replaced behind its back stops writing, with a clear error', async () => {
    const a = await open()
    value(await a.core.invoke('members.create', member('M-1', 'Jane Wanjiru')))
    const made = await backup(a.core)
    // What an older Coffer's restore did from another process: the open file's WAL removed, a backup renamed over it.
    const copy = path.join(a.dataDir, 'elsewhere.sqlite')
    fs.copyFileSync(path.join(a.backups, made.name), copy)
    value(await a.core.invoke('members.create', member('M-2', 'Peter Otieno')))
    for (const s of ['-wal', '-shm']) fs.rmSync(a.file + s, { force: true })
    fs.renameSync(copy, a.file)

    const events: string[] = []
    a.core.onEvent((e) => events.push(e))
    const write = await a.core.invoke('members.create', member('M-3', 'Lost otherwise'))
    expect(write).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    expect(value<AppStatus>(await a.core.invoke('app.status', {}))).toMatchObject({ state: 'failed', failure: { code: 'DB_REPLACED', path: a.file } })
    expect(events).toContain('app.dataReplaced')
    await close(a.core)
    const raw = new Database(a.file, { readonly: true })
    expect(raw.prepare('SELECT full_name FROM members ORDER BY id').pluck().all()).toEqual(['Jane Wanjiru'])
    raw.close()
  })
})

describe.skipIf(process.platform === 'win32')('file modes', () => {
  it('keeps the data folder 0700 and the database, its WAL, shared memory and backups 0600', async () => {
    const parent = tempDir()
    const dataDir = path.join(parent, 'data')
    const t = await open(dataDir)
    value(await t.core.invoke('members.create', member('M-1', 'Jane Wanjiru')))
    const made = await backup(t.core)
    await restore(t.core, made.name)
    const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8)
    expect(mode(dataDir)).toBe('700')
    expect(mode(t.backups)).toBe('700')
    for (const f of [t.file, `${t.file}-wal`, `${t.file}-shm`]) expect([f, mode(f)]).toEqual([f, '600'])
    const backups = fs.readdirSync(t.backups)
    expect(backups.length).toBe(2)
    for (const f of backups) expect([f, mode(path.join(t.backups, f))]).toEqual([f, '600'])
    for (const f of fs.readdirSync(path.join(dataDir, 'processes'))) expect(mode(path.join(dataDir, 'processes', f))).toBe('600')
  })

  it('tightens an existing folder and file made before', async () => {
    const dataDir = tempDir()
    const t = await open(dataDir)
    await close(t.core)
    fs.chmodSync(dataDir, 0o755)
    fs.chmodSync(t.file, 0o644)
    await open(dataDir)
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(fs.statSync(t.file).mode & 0o777).toBe(0o600)
  })
})

describe('coffer backup on a damaged file', () => {
  it('fails at once, with one line and a non-zero exit code', async () => {
    const t = await open()
    for (let i = 0; i < 40; i++) value(await t.core.invoke('members.create', member(`M-${i}`, `Member number ${i} ${'x'.repeat(80)}`)))
    await close(t.core)
    damageMembers(t.file)
    const started = performance.now()
    const r = spawnSync(process.execPath, [path.join(ROOT, 'src/cli/bin.cjs'), 'backup'], {
      env: { ...process.env, COFFER_DATA_DIR: t.dataDir },
      encoding: 'utf8',
      timeout: 50_000
    })
    expect(r.status).toBe(1)
    expect(performance.now() - started).toBeLessThan(40_000)
    expect(r.stdout).toBe('')
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(r.stderr).toMatch(/^coffer: Database backup failed: The data file is damaged, so no backup was made/)
    expect(fs.existsSync(t.backups) ? fs.readdirSync(t.backups).filter((f) => f.endsWith('.sqlite')) : []).toEqual([])
  })
})
