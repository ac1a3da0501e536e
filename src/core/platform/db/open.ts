import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { drizzleCached } from './statement-cache'
import { calendarDateInZone, isValidTimeZone } from '../../../shared/dates'
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator'
import type { Clock } from '../clock'
import { StartupError, classifyOpenError, failure, keyNeededFailure } from './startup-error'
import { createPrivateFile, privateDatabase, privateDir, privateFile } from './files'
import { KeyNeeded, openWithKeys, type DatabaseKeys } from './keys'
import type { DbKey } from './cipher'

export type Db = BetterSQLite3Database
export type Sqlite = Database.Database

export interface OpenDatabaseOptions {
  /** The SQLite file. Its folder is created if missing. */
  file: string
  /** The drizzle/ folder with the generated migrations. */
  migrationsFolder: string
  /** Where the copy taken before pending migrations goes. */
  backupsDir: string
  clock: Clock
  /** Path of a better_sqlite3.node built for this runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string
  /** Milliseconds a statement waits for another connection's lock. */
  busyTimeoutMs?: number
  /** Where the key of an encrypted file comes from (the keychain; the command line's COFFER_DB_KEY). */
  keys?: DatabaseKeys | null
  /** Keys to try first (a recovery key just typed). */
  extraKeys?: Buffer[]
}

export interface OpenedDatabase {
  sqlite: Sqlite
  db: Db
  /** The copy taken before this open's migrations ran, or null if none were pending (or the file was new). */
  preMigrationBackup: string | null
  /** Tags of the migrations applied by this open. */
  applied: string[]
  /** The file's key when it is encrypted, else null. */
  key: DbKey | null
}

const MIGRATIONS_TABLE = '__drizzle_migrations'

/** The pragmas every connection gets (DESIGN.md, Data). */
export function applyPragmas(sqlite: Sqlite, busyTimeoutMs = 5000): void {
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
}

/**
 * Opens (or creates) the database: pragmas, a readability check, then any
 * pending migrations after a backup copy. Throws StartupError with a message
 * for a person when the file cannot be used; leaves the file as it was.
 */
export function openDatabase(opts: OpenDatabaseOptions): OpenedDatabase {
  const dir = path.dirname(opts.file)
  try {
    privateDir(dir)
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK)
  } catch (e) {
    throw new StartupError(
      {
        code: 'DATA_DIR_UNUSABLE',
        path: dir,
        title: 'Coffer cannot use its data folder',
        message: `The data folder cannot be created or written: ${e instanceof Error ? e.message : String(e)}.`,
        advice: [
          'Check that your user may write to this folder.',
          'Or set COFFER_DATA_DIR to a folder you can write to, then start Coffer again.'
        ]
      },
      { cause: e }
    )
  }

  let sqlite: Sqlite | undefined
  try {
    if (fs.existsSync(opts.file)) fs.accessSync(opts.file, fs.constants.R_OK | fs.constants.W_OK)
    // 0600 before SQLite makes -wal and -shm, which take the database file's mode.
    createPrivateFile(opts.file)
    privateDatabase(opts.file)
    // An encrypted file gets its key before anything is read; reading the
    // schema then fails at once on a file that is not a database, a damaged
    // header, or a key that is not the file's.
    const opened = openWithKeys(opts.file, opts.keys ?? null, {
      nativeBinding: opts.nativeBinding,
      timeout: opts.busyTimeoutMs ?? 5000,
      extra: opts.extraKeys
    })
    sqlite = opened.sqlite
    applyPragmas(sqlite, opts.busyTimeoutMs)
    privateDatabase(opts.file)
    registerMigrationFunctions(sqlite)
    const result = migrate(sqlite, opts)
    return { sqlite, db: drizzleCached(sqlite), ...result, key: opened.key }
  } catch (e) {
    try {
      sqlite?.close()
    } catch {
      /* already failing: the original error is the one to report */
    }
    if (e instanceof KeyNeeded) throw keyNeededFailure(e, opts.file)
    throw classifyOpenError(e, opts.file)
  }
}

export function readMigrations(folder: string, file: string): (MigrationMeta & { tag: string })[] {
  let metas: MigrationMeta[]
  let tags: string[]
  try {
    metas = readMigrationFiles({ migrationsFolder: folder })
    const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
      entries: { tag: string }[]
    }
    tags = journal.entries.map((e) => e.tag)
  } catch (e) {
    throw failure(
      'MIGRATION_FAILED',
      file,
      'Coffer is incomplete',
      `The database migrations shipped with Coffer could not be read from ${folder}: ${e instanceof Error ? e.message : String(e)}.`,
      ['Reinstall Coffer.'],
      e
    )
  }
  return metas.map((m, i) => ({ ...m, tag: tags[i] ?? `#${i}` }))
}

/** The rows of the migrations table, or null when the file has no such table. */
export function appliedMigrations(sqlite: Sqlite): { hash: string; createdAt: number | string }[] | null {
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE) as unknown
  if (!hasTable) return null
  return sqlite.prepare(`SELECT hash, created_at AS createdAt FROM "${MIGRATIONS_TABLE}"`).all() as {
    hash: string
    createdAt: number | string
  }[]
}

export const newestMigration = (migrations: readonly MigrationMeta[]): number =>
  migrations.reduce((m, r) => Math.max(m, r.folderMillis), -Infinity)

/**
 * Why a copy of a data file cannot be put in place, or null when it can:
 * SQLite's integrity_check, and a migrations table with entries no newer than
 * this app's. For a restore, checked before anything is replaced.
 */
export function copyProblem(sqlite: Sqlite, migrations: readonly MigrationMeta[]): string | null {
  let problems: string[]
  try {
    problems = (sqlite.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .filter((m) => m !== 'ok')
  } catch (e) {
    return `it cannot be read as a Coffer data file (${e instanceof Error ? e.message : String(e)})`
  }
  if (problems.length > 0) return `it is damaged (${problems.slice(0, 2).join('; ').slice(0, 300)})`
  const applied = appliedMigrations(sqlite)
  if (!applied || applied.length === 0) return 'it is not a Coffer data file (it has no record of its migrations)'
  const last = applied.reduce((m, r) => Math.max(m, Number(r.createdAt)), -Infinity)
  if (!Number.isFinite(last)) return 'its record of migrations is unreadable'
  if (last > newestMigration(migrations)) return 'it was made by a newer version of Coffer'
  return null
}

/**
 * How much a data file holds: rows in its business tables (everything but
 * SQLite's and drizzle's bookkeeping, jobs, notifications, settings and
 * full-text index tables). 0 for a new file; used so that retention never
 * drops the last backups holding data in favour of newer, emptier ones.
 */
export function dataRows(sqlite: Sqlite): number {
  const tables = (sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string | null }[])
    .filter((t) => !/^(sqlite_|__|job_|notification)|^settings$|_fts($|_)/.test(t.name) && !/^CREATE VIRTUAL/i.test(t.sql ?? ''))
    .map((t) => t.name)
  let n = 0
  for (const t of tables) n += Number(sqlite.prepare(`SELECT count(*) FROM "${t.replace(/"/g, '""')}"`).pluck().get())
  return n
}

/** 2026-05-01T080000 (UTC), the stamp backup names share. */
function timestampForFile(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/:/g, '')
}

/**
 * Applies pending migrations in one transaction, after a backup copy when the
 * file already held data. drizzle-kit's table rebuilds say
 * `PRAGMA foreign_keys=OFF` inside a transaction, where SQLite ignores it (and
 * a DROP would cascade): so foreign keys go off on the connection first, and
 * foreign_key_check must come back clean before the commit.
 */
/**
 * SQL functions the migrations may call (SQLite has no time zones): the
 * calendar day an instant falls on in a time zone, for backfills that date
 * things in the cooperative's zone (0009: a voided payment's reversal).
 */
export function registerMigrationFunctions(sqlite: Sqlite): void {
  sqlite.function('coffer_calendar_date', { deterministic: true }, (instant: unknown, timeZone: unknown) => {
    if (typeof instant !== 'string') return null
    const at = new Date(instant)
    if (Number.isNaN(at.getTime())) throw new Error(`coffer_calendar_date: not an instant: ${instant}`)
    // A book with payments has a profile, whose zone was checked when saved: anything else is a damaged file, not a default.
    if (typeof timeZone !== 'string' || !isValidTimeZone(timeZone)) throw new Error(`coffer_calendar_date: not a time zone: ${String(timeZone)}`)
    return calendarDateInZone(at, timeZone)
  })
}

function migrate(
  sqlite: Sqlite,
  opts: OpenDatabaseOptions
): { preMigrationBackup: string | null; applied: string[] } {
  const migrations = readMigrations(opts.migrationsFolder, opts.file)
  const appliedRows = appliedMigrations(sqlite) ?? []
  const lastApplied = appliedRows.reduce((m, r) => Math.max(m, Number(r.createdAt)), -Infinity)
  const newestKnown = newestMigration(migrations)
  if (appliedRows.length > 0 && lastApplied > newestKnown) {
    throw failure(
      'DB_NEWER_THAN_APP',
      opts.file,
      'This data file is from a newer Coffer',
      'The data file was last opened by a newer version of Coffer. This version cannot use it without risking your data.',
      ['Install the newer version of Coffer again.', 'Or restore a backup made by this version.']
    )
  }
  const pending = migrations.filter((m) => !(appliedRows.length > 0 && m.folderMillis <= lastApplied))
  if (pending.length === 0) return { preMigrationBackup: null, applied: [] }

  const userTables = sqlite
    .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .get() as { n: number }
  let preMigrationBackup: string | null = null
  if (userTables.n > 0) {
    privateDir(opts.backupsDir)
    preMigrationBackup = path.join(
      opts.backupsDir,
      `coffer-before-${pending[0]?.tag ?? 'migration'}-${timestampForFile(opts.clock.now())}.sqlite`
    )
    // An encrypted file's copy is encrypted with its key.
    sqlite.prepare('VACUUM INTO ?').run(preMigrationBackup)
    privateFile(preMigrationBackup)
  }

  sqlite.pragma('foreign_keys = OFF')
  try {
    const run = sqlite.transaction(() => {
      sqlite.exec(
        `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric)`
      )
      const record = sqlite.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (hash, created_at) VALUES (?, ?)`)
      for (const m of pending) {
        for (const stmt of m.sql) if (stmt.trim()) sqlite.exec(stmt)
        record.run(m.hash, m.folderMillis)
      }
      const violations = sqlite.pragma('foreign_key_check') as unknown[]
      if (violations.length > 0) {
        throw failure(
          'MIGRATION_FAILED',
          opts.file,
          'Coffer could not update its data file',
          `Updating the data file would break ${violations.length} link(s) between records, so nothing was changed.`,
          preMigrationBackup
            ? [`A copy of the file from before the update is at ${preMigrationBackup}.`, 'Report this to Coffer support.']
            : ['Report this to Coffer support.']
        )
      }
    })
    run.immediate()
  } catch (e) {
    if (e instanceof StartupError) throw e
    throw failure(
      'MIGRATION_FAILED',
      opts.file,
      'Coffer could not update its data file',
      `Updating the data file failed, and nothing was changed: ${e instanceof Error ? e.message : String(e)}.`,
      preMigrationBackup
        ? [`A copy of the file from before the update is at ${preMigrationBackup}.`, 'Report this to Coffer support.']
        : ['Report this to Coffer support.'],
      e
    )
  } finally {
    sqlite.pragma('foreign_keys = ON')
  }
  return { preMigrationBackup, applied: pending.map((m) => m.tag) }
}
