import fs from 'node:fs'
import path from 'node:path'
import type { Backup } from '../../../shared/contract'
import { isoWeek } from '../../../shared/dates'
import type { Sqlite } from '../db/open'
import { JobAborted } from '../jobs/types'

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

/** Deletes what the policy does not keep: beyond 7 daily + 4 weekly, beyond 10 manual. Others are never pruned. */
export function pruneBackups(dir: string, policy = DEFAULT_RETENTION): { kept: number; removed: string[] } {
  const parsed = scan(dir)
  const { recentDaily, weekly, manual } = retained(parsed, policy)
  const removed: string[] = []
  for (const p of parsed) {
    const keep = p.kind === 'daily' ? recentDaily.has(p.name) || weekly.has(p.name) : p.kind === 'manual' ? manual.has(p.name) : true
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
  open: (file: string, readonly: boolean) => Sqlite
}

/** Online backup of a live database into `dest`, checked, then renamed into place. Returns its size. */
export async function backupDatabase(sqlite: Sqlite, dest: string, opts: BackupOptions): Promise<number> {
  fs.mkdirSync(path.dirname(dest), { recursive: true })
  const partial = `${dest}.partial`
  try {
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
    const copy = opts.open(partial, false)
    try {
      const check = copy.pragma('integrity_check') as { integrity_check: string }[]
      const problems = check.map((r) => r.integrity_check).filter((m) => m !== 'ok')
      if (problems.length > 0) throw new Error(`The backup copy failed its integrity check: ${problems.slice(0, 3).join('; ')}`)
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    const fd = fs.openSync(partial, 'r')
    try {
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(partial, dest)
    return fs.statSync(dest).size
  } catch (e) {
    fs.rmSync(partial, { force: true })
    fs.rmSync(`${partial}-wal`, { force: true })
    fs.rmSync(`${partial}-shm`, { force: true })
    throw e
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / (1024 * 1024)).toFixed(1)} MB`
}
