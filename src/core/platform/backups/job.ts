import path from 'node:path'
import { backupDatabase, backupFileName, encryptPlainBackups, formatBytes, freeName, pruneBackups } from './backups'
import type { JobDefinition } from '../jobs/types'
import type { Sqlite } from '../db/open'

/**
 * In the copy, this run is still 'running' (the copy was taken while it
 * ran), and its lease is held by a process that will never touch the copy.
 * The copy exists only if the run gets that far, so it records the run as
 * succeeded and drops the leases: a restored file then shows the run that
 * made it as done, not interrupted.
 */
export function recordBackupRunInCopy(copy: Sqlite, runId: number, endedAt: string, name: string): void {
  const hasRuns = copy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'job_runs'").get() as unknown
  if (!hasRuns) return
  copy.transaction(() => {
    copy
      .prepare("UPDATE job_runs SET status = 'succeeded', ended_at = ?, result = ?, error = NULL WHERE id = ? AND status = 'running'")
      .run(endedAt, JSON.stringify({ summary: `Made this backup, ${name}.`, details: { file: name } }), runId)
    copy.prepare('DELETE FROM job_leases').run()
  })()
}

/**
 * Daily online backup into the backups folder, checked with integrity_check
 * on the copy, then retention: the last 7 daily and 4 weekly (the newest of
 * each of the last four ISO weeks); manual backups keep the last 10.
 */
export const backupJob: JobDefinition = {
  id: 'backup',
  title: 'Database backup',
  description: 'Copies the data file into the backups folder, checks the copy, and keeps the last 7 daily and 4 weekly.',
  defaultCron: '0 2 * * *',
  catchUp: 'once',
  timeLimitMs: 30 * 60_000,
  retry: { maxAttempts: 3, baseDelayMs: 60_000, factor: 4, maxDelayMs: 15 * 60_000 },
  supportsForce: false,
  thread: 'worker',
  async run(ctx) {
    const kind = ctx.trigger === 'manual' || ctx.trigger === 'cli' ? 'manual' : 'daily'
    const name = freeName(ctx.backupsDir, backupFileName(kind, ctx.clock.now(), ctx.timeZone))
    const dest = path.join(ctx.backupsDir, name)
    ctx.progress(0, null, 'Copying the data file')
    const size = await backupDatabase(ctx.sqlite, dest, {
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress(done, total, done < total ? 'Copying the data file' : 'Copied and checked'),
      open: ctx.openSqlite,
      finalize: (copy) => recordBackupRunInCopy(copy, ctx.runId, ctx.clock.now().toISOString(), name)
    })
    const { kept, removed } = pruneBackups(ctx.backupsDir, undefined, ctx.openSqlite)
    // An encrypted book's backups are all encrypted: any left plain (encryption turned on while one could not be done) are done now.
    const leftPlain = ctx.databaseKey ? encryptPlainBackups(ctx.backupsDir, ctx.databaseKey, ctx.openSqlite) : null
    const done = leftPlain?.encrypted.length ?? 0
    const encryptedWords = done
      ? ` ${done} older backup${done === 1 ? '' : 's'} made before encryption was turned on ${done === 1 ? 'is' : 'are'} now encrypted.`
      : ''
    if (leftPlain?.failed.length) {
      // The backup itself is made: the run succeeds (a retry would make another), and the staff are told.
      const n = leftPlain.failed.length
      ctx.notify({
        kind: 'warning',
        title: `${n} backup${n === 1 ? '' : 's'} not encrypted`,
        body: `${n === 1 ? 'A backup' : `${n} backups`} made before encryption was turned on could not be encrypted and can still be read without the key: ${leftPlain.failed.map((f) => `${f.name} (${f.reason})`).join('; ')}. The next backup tries again.`,
        dedupeKey: `backups-left-plain:${ctx.clock.now().toISOString().slice(0, 10)}`
      })
    }
    return {
      summary: `Backed up ${formatBytes(size)} to ${name}; ${kept} backup${kept === 1 ? '' : 's'} kept${
        removed.length ? `, ${removed.length} old one${removed.length === 1 ? '' : 's'} removed` : ''
      }.${encryptedWords}`,
      details: { file: name, sizeBytes: size, kind, removed, ...(leftPlain ? { encryptedOlderBackups: leftPlain.encrypted } : {}) }
    }
  }
}
