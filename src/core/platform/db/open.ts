import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator'
import type { Clock } from '../clock'
import { StartupError, classifyOpenError, failure } from './startup-error'

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
}

export interface OpenedDatabase {
  sqlite: Sqlite
  db: Db
  /** The copy taken before this open's migrations ran, or null if none were pending (or the file was new). */
  preMigrationBackup: string | null
  /** Tags of the migrations applied by this open. */
  applied: string[]
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
    fs.mkdirSync(dir, { recursive: true })
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
    sqlite = new Database(opts.file, { nativeBinding: opts.nativeBinding, timeout: opts.busyTimeoutMs ?? 5000 })
    applyPragmas(sqlite, opts.busyTimeoutMs)
    // Reads the schema: fails at once on a file that is not a database, or a damaged header.
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
    const result = migrate(sqlite, opts)
    return { sqlite, db: drizzle(sqlite), ...result }
  } catch (e) {
    try {
      sqlite?.close()
    } catch {
      /* already failing: the original error is the one to report */
    }
    throw classifyOpenError(e, opts.file)
  }
}

function readMigrations(folder: string, file: string): (MigrationMeta & { tag: string })[] {
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
function migrate(
  sqlite: Sqlite,
  opts: OpenDatabaseOptions
): { preMigrationBackup: string | null; applied: string[] } {
  const migrations = readMigrations(opts.migrationsFolder, opts.file)
  const hasTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(MIGRATIONS_TABLE) as unknown
  const appliedRows = hasTable
    ? (sqlite.prepare(`SELECT hash, created_at AS createdAt FROM "${MIGRATIONS_TABLE}"`).all() as {
        hash: string
        createdAt: number | string
      }[])
    : []
  const lastApplied = appliedRows.reduce((m, r) => Math.max(m, Number(r.createdAt)), -Infinity)
  const newestKnown = migrations.reduce((m, r) => Math.max(m, r.folderMillis), -Infinity)
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
    fs.mkdirSync(opts.backupsDir, { recursive: true })
    preMigrationBackup = path.join(
      opts.backupsDir,
      `coffer-before-${pending[0]?.tag ?? 'migration'}-${timestampForFile(opts.clock.now())}.sqlite`
    )
    sqlite.prepare('VACUUM INTO ?').run(preMigrationBackup)
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
