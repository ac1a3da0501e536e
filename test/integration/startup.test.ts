import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS, PROFILE, tempCore, tempDir, value } from '../support/temp-core'
import { savedProfileLocale, type Core } from '../../src/core'
import { openDatabase } from '../../src/core/platform/db/open'
import { ManualClock } from '../../src/core/platform/clock'

const cores: Core[] = []
afterEach(() => {
  while (cores.length) cores.pop()?.close()
})
const open = (dataDir?: string) => {
  const t = tempCore({ dataDir })
  cores.push(t.core)
  return t
}

describe('start-up', () => {
  it('creates the database with the pragmas on a fresh folder and asks for the profile', async () => {
    const { core, dataDir } = open()
    expect(core.status).toMatchObject({ state: 'ready', needsProfile: true, preMigrationBackup: null })
    expect(fs.existsSync(path.join(dataDir, 'coffer.sqlite'))).toBe(true)
    value(await core.invoke('profile.save', PROFILE))
    expect(core.status).toMatchObject({ needsProfile: false })
    const raw = new Database(path.join(dataDir, 'coffer.sqlite'), { readonly: true })
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    raw.close()
  })

  it('sets WAL, synchronous FULL, foreign keys and a busy timeout on every open', () => {
    const dir = tempDir()
    const { sqlite } = openDatabase({
      file: path.join(dir, 'x.sqlite'),
      migrationsFolder: MIGRATIONS,
      backupsDir: path.join(dir, 'backups'),
      clock: new ManualClock('2026-01-01T00:00:00Z')
    })
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2)
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000)
    sqlite.close()
  })

  it('answers app.status with a clear failure for a file that is not a database, and leaves it untouched', async () => {
    const dataDir = tempDir()
    const file = path.join(dataDir, 'coffer.sqlite')
    const garbage = Buffer.from('definitely not SQLite '.repeat(300))
    fs.writeFileSync(file, garbage)
    const { core } = open(dataDir)
    expect(core.status.state).toBe('failed')
    const status = value<{ state: string; failure: { code: string; path: string; advice: string[] } }>(
      await core.invoke('app.status', {})
    )
    expect(status.failure).toMatchObject({ code: 'DB_NOT_A_DATABASE', path: file })
    expect(status.failure.advice.join(' ')).toMatch(/backup/i)
    expect(await core.invoke('members.list', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    expect(fs.readFileSync(file).equals(garbage)).toBe(true)
  })

  it('refuses a data file written by a newer Coffer', async () => {
    // A core only to make the file: nobody signs in to it.
    const { core, dataDir } = tempCore({ signedOut: true })
    core.close()
    const raw = new Database(path.join(dataDir, 'coffer.sqlite'))
    raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', 9_999_999_999_999)
    raw.close()
    const again = open(dataDir)
    expect(again.core.status).toMatchObject({ state: 'failed', failure: { code: 'DB_NEWER_THAN_APP' } })
  })

  it('backs up the file before pending migrations, applies them all or nothing', async () => {
    // A data file made by an older Coffer that had only the first migration.
    const dataDir = tempDir()
    const oldMigrations = tempDir('coffer-migrations-')
    fs.mkdirSync(path.join(oldMigrations, 'meta'))
    const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'meta', '_journal.json'), 'utf8'))
    const first = journal.entries[0]
    fs.writeFileSync(
      path.join(oldMigrations, 'meta', '_journal.json'),
      JSON.stringify({ ...journal, entries: [first] })
    )
    fs.copyFileSync(path.join(MIGRATIONS, `${first.tag}.sql`), path.join(oldMigrations, `${first.tag}.sql`))
    const clock = new ManualClock('2026-05-01T08:00:00Z')
    const old = openDatabase({
      file: path.join(dataDir, 'coffer.sqlite'),
      migrationsFolder: oldMigrations,
      backupsDir: path.join(dataDir, 'backups'),
      clock
    })
    old.sqlite
      .prepare(
        "INSERT INTO members (member_no, full_name, joined_on, created_at, updated_at) VALUES ('M-1', 'Old Member', '2020-01-01', 'x', 'x')"
      )
      .run()
    old.sqlite.close()

    const { core } = open(dataDir)
    const status = core.status
    expect(status.state).toBe('ready')
    if (status.state !== 'ready') return
    expect(status.preMigrationBackup).toMatch(/backups[/\\]coffer-before-0001_members_search-.*\.sqlite$/)
    const backup = new Database(status.preMigrationBackup as string, { readonly: true })
    expect(backup.prepare('SELECT full_name FROM members').pluck().all()).toEqual(['Old Member'])
    expect(backup.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'members_fts'").pluck().get()).toBe(0)
    backup.close()
    // The new migration indexed the old rows for search.
    value(await core.invoke('profile.save', PROFILE))
    const page = value<{ rows: { fullName: string }[] }>(await core.invoke('members.list', { search: 'old' }))
    expect(page.rows.map((r) => r.fullName)).toEqual(['Old Member'])
  })

  it('rolls a failing migration back whole and says so', () => {
    const dataDir = tempDir()
    const broken = tempDir('coffer-migrations-')
    fs.cpSync(MIGRATIONS, broken, { recursive: true })
    const journal = JSON.parse(fs.readFileSync(path.join(broken, 'meta', '_journal.json'), 'utf8'))
    journal.entries.push({ idx: journal.entries.length, version: '6', when: 4_102_444_800_000, tag: '9999_broken', breakpoints: true })
    fs.writeFileSync(path.join(broken, 'meta', '_journal.json'), JSON.stringify(journal))
    fs.writeFileSync(
      path.join(broken, '9999_broken.sql'),
      'CREATE TABLE will_vanish (id integer);\n--> statement-breakpoint\nTHIS IS NOT SQL;'
    )
    const clock = new ManualClock('2026-05-01T08:00:00Z')
    const opts = { file: path.join(dataDir, 'coffer.sqlite'), backupsDir: path.join(dataDir, 'b'), clock }
    expect(() => openDatabase({ ...opts, migrationsFolder: broken })).toThrowError(/nothing was changed/)
    // The file is as it was before: no tables at all, not half of them.
    const raw = new Database(opts.file)
    expect(raw.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get()).toBe(0)
    raw.close()
  })

  it('refuses a migration that would break foreign keys, and keeps the data', () => {
    const dataDir = tempDir()
    const clock = new ManualClock('2026-05-01T08:00:00Z')
    const opts = { file: path.join(dataDir, 'coffer.sqlite'), backupsDir: path.join(dataDir, 'b'), clock }
    const first = openDatabase({ ...opts, migrationsFolder: MIGRATIONS })
    first.sqlite.exec(
      "INSERT INTO members (id, member_no, full_name, joined_on, created_at, updated_at) VALUES (1, 'M-1', 'A', '2020-01-01', 'x', 'x');" +
        "INSERT INTO member_events (member_id, at, kind) VALUES (1, 'x', 'created');"
    )
    first.sqlite.close()
    const dangerous = tempDir('coffer-migrations-')
    fs.cpSync(MIGRATIONS, dangerous, { recursive: true })
    const journal = JSON.parse(fs.readFileSync(path.join(dangerous, 'meta', '_journal.json'), 'utf8'))
    journal.entries.push({ idx: journal.entries.length, version: '6', when: 4_102_444_800_000, tag: '9999_rebuild', breakpoints: true })
    fs.writeFileSync(path.join(dangerous, 'meta', '_journal.json'), JSON.stringify(journal))
    // What a careless table rebuild does: the parent rows go, the children stay behind.
    fs.writeFileSync(path.join(dangerous, '9999_rebuild.sql'), 'PRAGMA foreign_keys=OFF;\n--> statement-breakpoint\nDELETE FROM members;')
    expect(() => openDatabase({ ...opts, migrationsFolder: dangerous })).toThrowError(/break 1 link/)
    const raw = new Database(opts.file)
    expect(raw.prepare('SELECT count(*) FROM members').pluck().get()).toBe(1)
    raw.close()
  })
})

describe('the saved locale, read before the window exists', () => {
  it("is the profile's locale, read without writing; null with no file (none is created), no profile or an unreadable file", async () => {
    const empty = tempDir()
    expect(savedProfileLocale({ dataDir: empty })).toBeNull()
    expect(fs.readdirSync(empty)).toEqual([])

    const { core, dataDir } = open()
    expect(savedProfileLocale({ dataDir })).toBeNull()
    value(await core.invoke('profile.save', { ...PROFILE, locale: 'sw-KE' }))
    const before = fs.statSync(path.join(dataDir, 'coffer.sqlite')).mtimeMs
    expect(savedProfileLocale({ dataDir })).toBe('sw-KE')
    expect(fs.statSync(path.join(dataDir, 'coffer.sqlite')).mtimeMs).toBe(before)

    const damaged = tempDir()
    fs.writeFileSync(path.join(damaged, 'coffer.sqlite'), 'not a database')
    expect(savedProfileLocale({ dataDir: damaged })).toBeNull()
    expect(fs.readFileSync(path.join(damaged, 'coffer.sqlite'), 'utf8')).toBe('not a database')
  })
})
