import fs from 'node:fs'
import path from 'node:path'
import { conflict, invalid } from '../errors'
import type { Clock } from '../clock'
import type { JobEngine } from '../jobs/engine'
import { backupFileName, freeName, listBackups } from './backups'

export interface RestoreSteps {
  file: string
  backupsDir: string
  clock: Clock
  timeZone: () => string
  jobs: () => JobEngine
  /** Closes the data file (checkpointing the WAL first). */
  close: () => void
  /** Opens the (new) data file again and rebuilds every service. */
  reopen: () => void
}

/**
 * Replaces the data file with a backup: the jobs stop, the current file is
 * kept aside as a pre-restore backup, the copy goes into place, and the core
 * opens it again (migrating it if it is older).
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
  await s.jobs().shutdown()
  const keptAside = freeName(s.backupsDir, backupFileName('pre-restore', s.clock.now(), s.timeZone()))
  s.close()
  fs.copyFileSync(s.file, path.join(s.backupsDir, keptAside))
  const staging = `${s.file}.restoring`
  fs.copyFileSync(source, staging)
  for (const suffix of ['-wal', '-shm']) fs.rmSync(s.file + suffix, { force: true })
  fs.renameSync(staging, s.file)
  s.reopen()
  return { restored: name, keptAside }
}
