import fs from 'node:fs'
import path from 'node:path'
import type { MigrationMeta } from 'drizzle-orm/migrator'
import { conflict, invalid } from '../errors'
import type { Clock } from '../clock'
import type { JobEngine } from '../jobs/engine'
import { copyProblem, type Sqlite } from '../db/open'
import { privateFile } from '../db/files'
import { describePresence, type PresenceFile } from '../db/presence'
import { pluralForm } from '../../../shared/words'
import { backupFileName, freeName, listBackups, type OpenSqlite } from './backups'

export interface StageOptions {
  /** The app's migrations: a copy with newer ones is refused. */
  migrations: readonly MigrationMeta[]
  open: OpenSqlite
}

/**
 * Backups made before a backup recorded its own run (older Coffer): the
 * backup run is still 'running' in them. The copy exists, so it succeeded.
 * Leases in a copy belong to processes that never open it: dropped.
 */
function settleRunsInCopy(copy: Sqlite): void {
  const hasRuns = copy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'job_runs'").get() as unknown
  if (!hasRuns) return
  copy.transaction(() => {
    copy
      .prepare(
        `UPDATE job_runs SET status = 'succeeded', ended_at = coalesce(ended_at, started_at), error = NULL,
           result = coalesce(result, ?) WHERE job_id = 'backup' AND status = 'running'`
      )
      .run(JSON.stringify({ summary: 'Made this backup.' }))
    copy.prepare('DELETE FROM job_leases').run()
  })()
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Copies a backup next to the data file (`<file>.restoring`, 0600) and checks
 * the copy: integrity_check, and migrations no newer than the app's. Returns
 * the copy, ready to be renamed into place; on a problem nothing is left
 * behind and the message says what is wrong with the backup.
 */
export function stageBackup(source: string, file: string, o: StageOptions): string {
  const name = path.basename(source)
  const staging = `${file}.restoring`
  const cleanup = () => {
    for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(staging + suffix, { force: true })
  }
  cleanup()
  try {
    fs.copyFileSync(source, staging)
    privateFile(staging)
    const copy = o.open(staging, false)
    try {
      const problem = copyProblem(copy, o.migrations)
      if (problem) {
        const message = `The backup ${name} cannot be restored: ${problem}. Nothing was changed; choose another backup.`
        throw invalid(message, { name: message })
      }
      settleRunsInCopy(copy)
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    fsyncFile(staging)
    return staging
  } catch (e) {
    cleanup()
    throw e
  }
}

/** Puts a staged copy in place of the data file (whose -wal and -shm belong to the old file). */
export function putInPlace(staging: string, file: string): void {
  for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
  fs.renameSync(staging, file)
  privateFile(file)
}

/** Refuses while another live process has the data folder open; returns the function that ends the restore's mark. */
export function claimFolderForRestore(presence: PresenceFile): () => void {
  const release = presence.claimRestore()
  const others = presence.others()
  if (others.length > 0) {
    release()
    throw conflict(
      `${others.map(describePresence).join(' and ')} ${pluralForm(others.length, { one: 'has', other: 'have' })} this data folder open. ` +
        `Close ${pluralForm(others.length, { one: 'it', other: 'them' })} first, then restore: ${pluralForm(others.length, { one: 'its', other: 'their' })} later work would be lost. Nothing was changed.`
    )
  }
  return release
}

export interface RestoreSteps extends StageOptions {
  file: string
  backupsDir: string
  clock: Clock
  timeZone: () => string
  jobs: () => JobEngine
  presence: PresenceFile
  /** Closes the data file (checkpointing the WAL first). */
  close: () => void
  /** Opens the data file again (the restored one, or the old one if the swap failed) and rebuilds every service. */
  reopen: () => void
}

/**
 * Replaces the data file with a backup: the copy is checked first (a bad
 * backup changes nothing), the restore is refused while another process has
 * the folder open, the jobs stop, the current file is kept aside as a
 * pre-restore backup, the copy goes into place, and the core opens it again
 * (migrating it if it is older).
 */
export async function restoreBackup(name: string, s: RestoreSteps): Promise<{ restored: string; keptAside: string }> {
  const source = path.join(s.backupsDir, name)
  if (!listBackups(s.backupsDir).some((b) => b.name === name) || !fs.existsSync(source)) {
    throw invalid('That backup is not in the backups folder.', { name: 'Choose a backup from the list' })
  }
  const running = s.jobs().list().filter((j) => j.running)
  if (running.length > 0) {
    throw conflict(`Wait for ${running.map((j) => j.title).join(', ')} to finish, then restore.`)
  }
  const release = claimFolderForRestore(s.presence)
  try {
    const staging = stageBackup(source, s.file, s)
    await s.jobs().shutdown()
    const keptAside = freeName(s.backupsDir, backupFileName('pre-restore', s.clock.now(), s.timeZone()))
    s.close()
    try {
      const aside = path.join(s.backupsDir, keptAside)
      fs.copyFileSync(s.file, aside)
      privateFile(aside)
      putInPlace(staging, s.file)
    } catch (e) {
      fs.rmSync(staging, { force: true })
      throw e
    } finally {
      s.reopen()
    }
    return { restored: name, keptAside }
  } finally {
    release()
  }
}
