import fs from 'node:fs'
import path from 'node:path'
import { fileEncryption, keyIdOf, openSqliteFile, rekey, type DbKey } from './cipher'
import { fsyncPath as fsync, privateFile, removeWithJournals } from './files'
import type { Sqlite } from './open'

/**
 * Turning encryption on or off rewrites the data file, never in place:
 *
 * 1. `<file>.rewriting`: VACUUM INTO from the open connection (a consistent
 *    copy, encrypted exactly as the file is), re-encrypted with the new key
 *    or decrypted, in rollback-journal mode, on the copy alone;
 * 2. the copy is checked: its first bytes (the key's id, or "SQLite format
 *    3"), integrity_check opened with the new key, and every table holding
 *    as many rows as the file's; then fsynced;
 * 3. after the caller closed the file: the old file is kept as
 *    `<file>.before-rewrite` (a hard link, else a copy), and the copy is
 *    renamed over the file: at every instant the file's path names a whole
 *    database, the old or the new, never a half-encrypted one;
 * 4. once the caller opened the new file, the old one is removed
 *    (`finishRewrite`); if it could not, `undoRewrite` puts it back.
 *
 * A crash during 1-2 leaves the file as it was and a `.rewriting` copy; during
 * 3-4 the new file (already checked) with the old one beside it. The next
 * start removes both leftovers once the file in place has opened.
 */
export const rewritingPath = (file: string): string => `${file}.rewriting`
export const oldFilePath = (file: string): string => `${file}.before-rewrite`

/** Rows per table: what a rewritten copy must hold too. */
function tableRows(sqlite: Sqlite): Map<string, number> {
  const names = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
    .pluck()
    .all() as string[]
  return new Map(names.map((n) => [n, Number(sqlite.prepare(`SELECT count(*) FROM "${n.replace(/"/g, '""')}"`).pluck().get())]))
}

/**
 * Steps 1 and 2: writes the checked copy, encrypted with `to` or plain
 * (null). `live` is the open data file, `from` its key (null when plain). On
 * any problem the copy is removed and the error thrown; the file is untouched.
 */
export function writeRewrittenCopy(live: Sqlite, o: { file: string; from: DbKey | null; to: DbKey | null; nativeBinding?: string | null }): string {
  const copyPath = rewritingPath(o.file)
  removeWithJournals(copyPath)
  try {
    live.prepare('VACUUM INTO ?').run(copyPath)
    privateFile(copyPath)
    const copy = openSqliteFile(copyPath, { fileMustExist: true, nativeBinding: o.nativeBinding, key: o.from?.key ?? null })
    try {
      copy.pragma('journal_mode = DELETE')
      rekey(copy, o.to)
    } finally {
      copy.close()
    }
    const kind = fileEncryption(copyPath)
    if (o.to ? kind !== 'encrypted' || keyIdOf(copyPath) !== o.to.id : kind !== 'plain') {
      throw new Error(`the copy did not come out ${o.to ? 'encrypted with the new key' : 'as plain SQLite'}`)
    }
    const check = openSqliteFile(copyPath, { readonly: true, fileMustExist: true, nativeBinding: o.nativeBinding, key: o.to?.key ?? null })
    try {
      const problems = (check.pragma('integrity_check') as { integrity_check: string }[]).filter((r) => r.integrity_check !== 'ok')
      if (problems.length > 0) throw new Error('the copy did not pass integrity_check')
      const want = tableRows(live)
      const got = tableRows(check)
      for (const [table, n] of want) {
        if (got.get(table) !== n) throw new Error(`the copy holds ${got.get(table) ?? 'no'} rows of ${table} where the file holds ${n}`)
      }
    } finally {
      check.close()
    }
    fsync(copyPath)
    return copyPath
  } catch (e) {
    removeWithJournals(copyPath)
    throw e
  }
}

/**
 * Step 3, with the data file closed: keeps the old file beside it and renames
 * the checked copy over it (its -wal and -shm belong to the old file: the
 * close checkpointed them; whatever is left is removed). Throws only before
 * the rename, with the file as it was.
 */
export function swapInRewrittenCopy(file: string): void {
  const copyPath = rewritingPath(file)
  const old = oldFilePath(file)
  fs.rmSync(old, { force: true })
  try {
    fs.linkSync(file, old)
  } catch {
    // No hard links on this file system (FAT on a USB drive): a copy.
    fs.copyFileSync(file, old)
    privateFile(old)
    fsync(old)
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
  fs.renameSync(copyPath, file)
  // In place: what follows cannot undo the swap, so a failure of it is not one.
  try {
    privateFile(file)
    fsync(path.dirname(file))
  } catch {
    /* the copy was made 0600 and fsynced before; the folder's entry reaches the disk with the next sync */
  }
}

/** Step 4: the new file opened; the old one goes (with a plain old file, this is the last plain copy of the data file itself). */
export function finishRewrite(file: string): void {
  fs.rmSync(oldFilePath(file), { force: true })
}

/** The new file could not be opened: the old one goes back in place. */
export function undoRewrite(file: string): void {
  const old = oldFilePath(file)
  if (!fs.existsSync(old)) return
  for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
  fs.renameSync(old, file)
  fsync(path.dirname(file))
}

/** At start, once the file in place has opened: leftovers of a rewrite that was interrupted. */
export function removeRewriteLeftovers(file: string): string[] {
  const left = [rewritingPath(file), oldFilePath(file)].filter((f) => fs.existsSync(f))
  for (const f of left) removeWithJournals(f)
  return left.map((f) => path.basename(f))
}
