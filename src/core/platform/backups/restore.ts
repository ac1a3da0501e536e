import fs from 'node:fs'
import path from 'node:path'
import type { MigrationMeta } from 'drizzle-orm/migrator'
import { conflict, invalid } from '../errors'
import type { Clock } from '../clock'
import type { JobEngine } from '../jobs/engine'
import { copyProblem, type Sqlite } from '../db/open'
import { fsyncPath, privateFile, removeWithJournals } from '../db/files'
import { describePresence, type PresenceFile } from '../db/presence'
import { openSqliteFile, parseRecoveryKey, rekey, type DbKey } from '../db/cipher'
import { KeyNeeded, openWithKeys, type DatabaseKeys } from '../db/keys'
import { SecretStoreError } from '../secrets'
import { pluralForm } from '../../../shared/words'
import { backupFileName, freeName, listBackups } from './backups'

export interface StageOptions {
  /** The app's migrations: a copy with newer ones is refused. */
  migrations: readonly MigrationMeta[]
  /** Where the keys of encrypted backups are found (and kept, for one opened with its recovery key). */
  keys: DatabaseKeys | null
  nativeBinding?: string | null
  /** An encrypted backup's recovery key, as typed (its key is not in this computer's keychain). */
  recoveryKey?: string
  /** The book's key when it is encrypted: a plain backup put in its place is encrypted with it (never silently decrypted). */
  bookKey?: DbKey | null
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

/**
 * Copies a backup next to the data file (`<file>.restoring`, 0600) and checks
 * the copy: integrity_check, and migrations no newer than the app's. An
 * encrypted backup opens with the key the keychain has for it, or its
 * recovery key (asked for on the `recoveryKey` field when needed), and that
 * key is then kept in the keychain so the restored file opens at the next
 * start. A plain backup restored into an encrypted book is encrypted with
 * the book's key. Returns the copy, ready to be renamed into place; on a
 * problem nothing is left behind and the message says what is wrong.
 */
export function stageBackup(source: string, file: string, o: StageOptions): string {
  const name = path.basename(source)
  const staging = `${file}.restoring`
  const cleanup = () => removeWithJournals(staging)
  let typed: Buffer[] = []
  if (o.recoveryKey !== undefined) {
    const parsed = parseRecoveryKey(o.recoveryKey)
    if ('problem' in parsed) throw invalid(`The recovery key cannot be read: ${parsed.problem} Nothing was changed.`, { recoveryKey: parsed.problem })
    typed = [parsed.key]
  }
  cleanup()
  try {
    fs.copyFileSync(source, staging)
    privateFile(staging)
    let opened: { sqlite: Sqlite; key: DbKey | null }
    try {
      opened = openWithKeys(staging, o.keys, { fileMustExist: true, nativeBinding: o.nativeBinding, extra: typed })
    } catch (e) {
      if (!(e instanceof KeyNeeded)) throw e
      throw keyFieldError(name, e, typed.length > 0)
    }
    const copy = opened.sqlite
    try {
      const problem = copyProblem(copy, o.migrations)
      if (problem) {
        const message = `The backup ${name} cannot be restored: ${problem}. Nothing was changed; choose another backup.`
        throw invalid(message, { name: message })
      }
      settleRunsInCopy(copy)
      copy.pragma('journal_mode = DELETE')
      if (!opened.key && o.bookKey) rekey(copy, o.bookKey)
    } finally {
      copy.close()
    }
    const key = opened.key ?? o.bookKey ?? null
    if (!opened.key && key) {
      // Encrypted here: checked again with the key before it may go in place.
      const check = openSqliteFile(staging, { readonly: true, fileMustExist: true, nativeBinding: o.nativeBinding, key: key.key })
      try {
        if ((check.pragma('integrity_check', { simple: true }) as string) !== 'ok') throw new Error(`the encrypted copy of ${name} did not pass its check`)
      } finally {
        check.close()
      }
    }
    if (opened.key && o.keys && !o.keys.holds(opened.key)) {
      try {
        o.keys.remember(opened.key)
      } catch (e) {
        if (!(e instanceof SecretStoreError)) throw e
        throw conflict(
          `${e.message} The restored data file would be encrypted with a key this computer does not keep, so it was not restored. Nothing was changed.`
        )
      }
    }
    fsyncPath(staging)
    return staging
  } catch (e) {
    cleanup()
    throw e
  }
}

/** An encrypted backup that no key opened: said next to the recovery key field. */
function keyFieldError(name: string, e: KeyNeeded, typed: boolean) {
  if (typed) {
    return invalid(`The recovery key does not open the backup ${name}: it is another book’s key, or the backup is damaged. Nothing was changed.`, {
      recoveryKey: 'This recovery key does not open this backup'
    })
  }
  const why = e.reason === 'missing' ? 'this computer’s keychain has no key for it' : 'the key this computer has for it does not open it'
  return invalid(`The backup ${name} is encrypted and ${why}. Enter its recovery key to restore it. Nothing was changed.`, {
    recoveryKey: 'Enter the recovery key of this backup'
  })
}

/** Puts a staged copy in place of the data file (whose -wal and -shm belong to the old file). */
export function putInPlace(staging: string, file: string): void {
  for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
  fs.renameSync(staging, file)
  privateFile(file)
}

/**
 * Marks the data folder as being replaced (a restore, or encryption turned on
 * or off), refusing while another live process has it open; returns the
 * function that ends the mark. `then` says what to do after closing them.
 */
export function claimFolder(presence: PresenceFile, then: string): () => void {
  const release = presence.claimRestore()
  const others = presence.others()
  if (others.length > 0) {
    release()
    throw conflict(
      `${others.map(describePresence).join(' and ')} ${pluralForm(others.length, { one: 'has', other: 'have' })} this data folder open. ` +
        `Close ${pluralForm(others.length, { one: 'it', other: 'them' })} first, then ${then}: ${pluralForm(others.length, { one: 'its', other: 'their' })} later work would be lost. Nothing was changed.`
    )
  }
  return release
}

/** Refuses while another live process has the data folder open; returns the function that ends the restore's mark. */
export const claimFolderForRestore = (presence: PresenceFile): (() => void) => claimFolder(presence, 'restore')

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
