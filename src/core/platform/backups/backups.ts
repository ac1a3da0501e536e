import fs from 'node:fs'
import path from 'node:path'
import type { Backup } from '../../../shared/contract'
import { isoWeek } from '../../../shared/dates'
import type { MigrationMeta } from 'drizzle-orm/migrator'
import { copyProblem, dataRows, type Sqlite } from '../db/open'
import { fsyncPath, privateDir, privateFile, removeWithJournals } from '../db/files'
import { fileEncryption, keyIdOf, openSqliteFile, rekey, type DbKey } from '../db/cipher'
import { FatalJobError, JobAborted } from '../jobs/types'

/**
 * Backup files: `coffer-<kind>-<local date>T<local time>.sqlite` in the
 * backups folder. A copy is written as `.partial`, checked with
 * integrity_check, and only then renamed: a crash or a kill never leaves a
 * half-written file that looks like a backup.
 */
export type BackupKind = Backup['kind']
const NAME = /^coffer-(daily|manual|pre-restore|before-.+?)-(\d{4}-\d{2}-\d{2})T(\d{6})(?:-\d+)?\.sqlite$/

export interface RetentionPolicy {
  daily: number
  weekly: number
  manual: number
}
export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, manual: 10 }

/** Local date and time of an instant in a time zone: ['2026-11-22', '020000']. */
export function localStamp(instant: Date, timeZone: string): [string, string] {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23'
  }).formatToParts(instant)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00'
  return [`${get('year')}-${get('month')}-${get('day')}`, `${get('hour')}${get('minute')}${get('second')}`]
}

export function backupFileName(kind: 'daily' | 'manual' | 'pre-restore', instant: Date, timeZone: string): string {
  const [d, t] = localStamp(instant, timeZone)
  return `coffer-${kind}-${d}T${t}.sqlite`
}

/** A name that does not exist yet in the folder (a second backup in the same second gets -2). */
export function freeName(dir: string, name: string): string {
  if (!fs.existsSync(path.join(dir, name))) return name
  for (let i = 2; ; i++) {
    const candidate = name.replace(/\.sqlite$/, `-${i}.sqlite`)
    if (!fs.existsSync(path.join(dir, candidate))) return candidate
  }
}

interface Parsed {
  name: string
  kind: 'daily' | 'manual' | 'pre-restore' | 'pre-migration'
  date: string
  time: string
}

function parse(name: string): Parsed | null {
  const m = NAME.exec(name)
  if (!m) return null
  const [, rawKind = '', date = '', time = ''] = m
  const kind = rawKind.startsWith('before-') ? 'pre-migration' : (rawKind as Parsed['kind'])
  return { name, kind, date, time }
}

const newestFirst = (a: Parsed, b: Parsed) => (a.date + a.time < b.date + b.time ? 1 : a.date + a.time > b.date + b.time ? -1 : b.name.localeCompare(a.name))

/**
 * Which daily backups the weekly tier keeps: the newest of each of the
 * `weekly` most recent ISO weeks.
 */
function weeklyKeepers(daily: Parsed[], weeks: number): Set<string> {
  const byWeek = new Map<string, Parsed>()
  // `daily` is newest first (scan), so the first of each week is its newest.
  for (const b of daily) {
    const { year, week } = isoWeek(b.date)
    const key = `${year}-W${week}`
    if (!byWeek.has(key)) byWeek.set(key, b)
  }
  return new Set([...byWeek.values()].slice(0, weeks).map((b) => b.name))
}

/** The backups in a folder, newest first (other files are ignored). */
function scan(dir: string): Parsed[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir)
    .map(parse)
    .filter((p): p is Parsed => p !== null)
    .sort(newestFirst)
}

/** What the policy keeps of the pruned kinds: the recent dailies, the weekly tier, the recent manual copies. */
function retained(parsed: Parsed[], policy: RetentionPolicy): { recentDaily: Set<string>; weekly: Set<string>; manual: Set<string> } {
  const daily = parsed.filter((p) => p.kind === 'daily')
  return {
    recentDaily: new Set(daily.slice(0, policy.daily).map((b) => b.name)),
    weekly: weeklyKeepers(daily, policy.weekly),
    manual: new Set(parsed.filter((p) => p.kind === 'manual').slice(0, policy.manual).map((b) => b.name))
  }
}

export function listBackups(dir: string, policy = DEFAULT_RETENTION): Backup[] {
  const parsed = scan(dir)
  const { recentDaily, weekly } = retained(parsed, policy)
  return parsed.map((p) => {
    const stat = fs.statSync(path.join(dir, p.name))
    return {
      name: p.name,
      kind: p.kind === 'daily' && !recentDaily.has(p.name) && weekly.has(p.name) ? 'weekly' : p.kind,
      createdAt: stat.mtime.toISOString(),
      sizeBytes: stat.size
    }
  })
}

/**
 * Opens a SQLite file (with the runtime's native binding in a worker or
 * Electron); an encrypted one with its key (db/keys.ts keyedOpener), or it
 * throws.
 */
export type OpenSqlite = (file: string, readonly: boolean) => Sqlite
export const openSqlite: OpenSqlite = (file, readonly) => openSqliteFile(file, { readonly, fileMustExist: true })

/** Rows of business data in a backup; 0 when it cannot be read. */
export function backupDataRows(file: string, open: OpenSqlite = openSqlite): number {
  let db: Sqlite | undefined
  try {
    db = open(file, true)
    return dataRows(db)
  } catch {
    return 0
  } finally {
    db?.close()
  }
}

/**
 * Deletes what the policy does not keep: beyond 7 daily + 4 weekly, beyond
 * 10 manual. Others are never pruned. Whatever the dates say, it never
 * deletes the last backups that hold data because newer ones are emptier:
 * if no backup the policy keeps holds as many rows as the fullest one, the
 * newest of the fullest is kept too (a data file that went missing and was
 * replaced by an empty one must not age the real backups out).
 */
export function pruneBackups(dir: string, policy = DEFAULT_RETENTION, open: OpenSqlite = openSqlite): { kept: number; removed: string[] } {
  const parsed = scan(dir)
  const { recentDaily, weekly, manual } = retained(parsed, policy)
  const byPolicy = (p: Parsed) =>
    p.kind === 'daily' ? recentDaily.has(p.name) || weekly.has(p.name) : p.kind === 'manual' ? manual.has(p.name) : true
  const protectedNames = new Set<string>()
  if (parsed.some((p) => !byPolicy(p))) {
    const rows = new Map(parsed.map((p) => [p.name, backupDataRows(path.join(dir, p.name), open)]))
    const most = Math.max(0, ...rows.values())
    const keptMost = Math.max(0, ...parsed.filter(byPolicy).map((p) => rows.get(p.name) ?? 0))
    if (most > keptMost) {
      const fullest = parsed.find((p) => rows.get(p.name) === most)
      if (fullest) protectedNames.add(fullest.name)
    }
  }
  const removed: string[] = []
  for (const p of parsed) {
    const keep = byPolicy(p) || protectedNames.has(p.name)
    if (!keep) {
      fs.rmSync(path.join(dir, p.name), { force: true })
      removed.push(p.name)
    }
  }
  return { kept: parsed.length - removed.length, removed }
}

/** Leftovers of a backup that was killed half-way. */
export function removePartials(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  const partial = fs.readdirSync(dir).filter((n) => n.endsWith('.partial'))
  for (const n of partial) fs.rmSync(path.join(dir, n), { force: true })
  return partial
}

export interface BackupOptions {
  signal?: AbortSignal
  onProgress?: (donePages: number, totalPages: number) => void
  /** Opens a SQLite file (the runtime's native binding) to check the copy. */
  open: OpenSqlite
  /** Runs on the copy before its check (the backup job records its own run as done in it). */
  finalize?: (copy: Sqlite) => void
}

/**
 * The backup worth restoring: it passes the checks a restore makes
 * (integrity, migrations no newer than this app's) and holds the most rows,
 * the newest of those. Coffer never deletes members or payments, so the
 * fullest is the latest real one, and backups of an empty file made after
 * the real file went missing are passed over.
 */
export function newestGoodBackup(
  dir: string,
  migrations: readonly MigrationMeta[],
  open: OpenSqlite = openSqlite
): (Backup & { holdsData: boolean }) | null {
  // listBackups is newest first, and the sort is stable: fullest, then newest.
  const ranked = listBackups(dir)
    .map((b) => ({ b, rows: backupDataRows(path.join(dir, b.name), open) }))
    .sort((x, y) => y.rows - x.rows)
  for (const { b, rows } of ranked) {
    let db: Sqlite | undefined
    try {
      db = open(path.join(dir, b.name), true)
      if (!copyProblem(db, migrations)) return { ...b, holdsData: rows > 0 }
    } catch {
      /* unreadable: the next one */
    } finally {
      db?.close()
    }
  }
  return null
}

/**
 * Copies the data file into `dest`, checked. A plain file goes through
 * SQLite's online backup, page by page (progress, stops between steps); an
 * encrypted one through VACUUM INTO, which writes the copy encrypted with the
 * same key (the online backup refuses to copy an encrypted file into a plain
 * one, and cannot key its destination): one step, so progress is 0 then all.
 */
export async function backupDatabase(sqlite: Sqlite, dest: string, opts: BackupOptions): Promise<number> {
  privateDir(path.dirname(dest))
  const partial = `${dest}.partial`
  try {
    if (fileEncryption(sqlite.name) === 'encrypted') {
      if (opts.signal?.aborted) throw new JobAborted('The backup was stopped.')
      opts.onProgress?.(0, 1)
      sqlite.prepare('VACUUM INTO ?').run(partial)
      if (fileEncryption(partial) !== 'encrypted' || keyIdOf(partial) !== keyIdOf(sqlite.name)) {
        throw new FatalJobError('The copy of the encrypted data file did not come out encrypted with its key, so it was deleted and no backup was made.')
      }
      opts.onProgress?.(1, 1)
    } else {
      let pages = 0
      await sqlite.backup(partial, {
        progress: ({ totalPages, remainingPages }) => {
          if (opts.signal?.aborted) throw new JobAborted('The backup was stopped.')
          pages = totalPages
          opts.onProgress?.(totalPages - remainingPages, totalPages)
          return 200
        }
      })
      // The last step copies the remaining pages without a progress call.
      if (pages > 0) opts.onProgress?.(pages, pages)
    }
    privateFile(partial)
    const copy = opts.open(partial, false)
    try {
      const check = copy.pragma('integrity_check') as { integrity_check: string }[]
      const problems = check.map((r) => r.integrity_check).filter((m) => m !== 'ok')
      if (problems.length > 0) {
        // The copy is page for page the data file: the file itself is damaged, and trying again cannot help.
        throw new FatalJobError(
          `The data file is damaged, so no backup was made (${problems.length} problem${problems.length === 1 ? '' : 's'}, first: ${oneLine(problems[0] ?? '')}). Restore the newest good backup from Settings, Backups.`
        )
      }
      opts.finalize?.(copy)
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    fsyncPath(partial)
    fs.renameSync(partial, dest)
    return fs.statSync(dest).size
  } catch (e) {
    removeWithJournals(partial)
    throw e
  }
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').slice(0, 200)

/** How many backups in the folder are encrypted, and how many plain. */
export function backupEncryption(dir: string): { encrypted: number; plain: number; plainNames: string[] } {
  const plainNames: string[] = []
  let encrypted = 0
  for (const b of scan(dir)) {
    const kind = fileEncryption(path.join(dir, b.name))
    if (kind === 'encrypted') encrypted++
    else if (kind === 'plain') plainNames.push(b.name)
  }
  return { encrypted, plain: plainNames.length, plainNames }
}

/**
 * Encrypts one backup in place with the book's key: a copy written as
 * `.partial` and encrypted there, checked (integrity_check with the key, the
 * key's id at its start), fsynced, then renamed over the plain file. A crash
 * leaves the plain backup as it was and a `.partial` that the next start
 * removes. `open` opens plain files, and files encrypted with `key`.
 */
export function encryptBackup(file: string, key: DbKey, open: OpenSqlite): void {
  const partial = `${file}.partial`
  const cleanup = () => removeWithJournals(partial)
  cleanup()
  try {
    fs.copyFileSync(file, partial)
    privateFile(partial)
    const copy = open(partial, false)
    try {
      copy.pragma('journal_mode = DELETE')
      rekey(copy, key)
    } finally {
      copy.close()
    }
    if (fileEncryption(partial) !== 'encrypted' || keyIdOf(partial) !== key.id) throw new Error('the copy did not come out encrypted with the key')
    const check = open(partial, true)
    try {
      const problems = (check.pragma('integrity_check') as { integrity_check: string }[]).filter((r) => r.integrity_check !== 'ok')
      if (problems.length > 0) throw new Error('the encrypted copy did not pass integrity_check')
    } finally {
      check.close()
    }
    fsyncPath(partial)
    fs.renameSync(partial, file)
  } catch (e) {
    cleanup()
    throw e
  }
}

/**
 * Encrypts every plain backup in the folder (when encryption is turned on,
 * and by each backup of an encrypted book: any left plain by a failure or a
 * crash are done then). Answers those encrypted and those that could not be,
 * with why; one failure never stops the others.
 */
export function encryptPlainBackups(dir: string, key: DbKey, open: OpenSqlite): { encrypted: string[]; failed: { name: string; reason: string }[] } {
  const encrypted: string[] = []
  const failed: { name: string; reason: string }[] = []
  for (const name of backupEncryption(dir).plainNames) {
    try {
      encryptBackup(path.join(dir, name), key, open)
      encrypted.push(name)
    } catch (e) {
      failed.push({ name, reason: e instanceof Error ? oneLine(e.message) : String(e) })
    }
  }
  return { encrypted, failed }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / (1024 * 1024)).toFixed(1)} MB`
}
