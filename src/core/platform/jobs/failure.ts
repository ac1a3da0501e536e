/**
 * Why a run failed, in Coffer's words. A job's own errors are already written
 * for the treasurer and pass through; what the system or SQLite says
 * ("EEXIST: file already exists, open '/…'", "SQLITE_FULL: database or disk
 * is full") becomes a plain sentence, and the raw text goes to the log only.
 */
const SYSTEM: Record<string, string> = {
  EEXIST: 'A file Coffer had to create already exists.',
  ENOENT: 'A file or folder Coffer needed is missing.',
  EACCES: 'Coffer is not allowed to use a file it needs: check the permissions of the data folder.',
  EPERM: 'Coffer is not allowed to use a file it needs: check the permissions of the data folder.',
  ENOSPC: 'The disk is full. Free some space, then run it again.',
  EROFS: 'The data folder is on a disk that cannot be written.',
  EBUSY: 'A file Coffer needed is in use by another program. Try again in a moment.',
  EMFILE: 'Too many files are open. Restart Coffer, then run it again.',
  EIO: 'The disk reported an error while reading or writing.'
}

const SQLITE: Record<string, string> = {
  SQLITE_BUSY: 'The data file was busy with another task. Try again in a moment.',
  SQLITE_FULL: 'The disk is full. Free some space, then run it again.',
  SQLITE_CORRUPT: 'The data file is damaged. Restore the newest good backup.',
  SQLITE_NOTADB: 'The data file is damaged. Restore the newest good backup.',
  SQLITE_READONLY: 'The data file cannot be written.',
  SQLITE_IOERR: 'The disk reported an error while reading or writing.'
}

export function plainFailure(e: unknown): string {
  const code = typeof (e as { code?: unknown } | null)?.code === 'string' ? (e as { code: string }).code : null
  const message = e instanceof Error ? e.message : String(e)
  // A worker's error crosses the thread as its message only: read the code from it too.
  const found = code ?? /^(E[A-Z]{2,}|SQLITE_[A-Z_]+)\b/.exec(message)?.[1] ?? null
  if (found) {
    // Node's own codes (ERR_UNSUPPORTED_DIR_IMPORT, ERR_INVALID_ARG_TYPE…): a fault in Coffer, not in the data.
    if (found.startsWith('ERR_')) return `Coffer stopped on an internal error (${found}); the details are in the log.`
    if (found in SYSTEM) return SYSTEM[found] as string
    const sqlite = Object.keys(SQLITE).find((k) => found === k || found.startsWith(`${k}_`))
    if (sqlite) return SQLITE[sqlite] as string
    if (found.startsWith('SQLITE_')) return 'The data file could not be read or written.'
    if (/^E[A-Z]{2,}$/.test(found)) return 'The system refused a file operation Coffer needed.'
  }
  if (/database disk image is malformed|file is not a database/i.test(message)) {
    return 'The data file is damaged. Restore the newest good backup.'
  }
  return message
}
