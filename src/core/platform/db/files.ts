import fs from 'node:fs'

/**
 * The data folder and its files are the user's alone: 0700 for folders, 0600
 * for the database, its -wal/-shm, backups and presence files. Windows has no
 * such modes (its ACLs on the profile folder do this job), so nothing there.
 */
const POSIX = process.platform !== 'win32'

/** Creates the folder if missing and makes it 0700. */
export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (POSIX) fs.chmodSync(dir, 0o700)
}

/** Makes an existing file 0600 (a missing one is left alone). */
export function privateFile(file: string): void {
  if (!POSIX) return
  try {
    fs.chmodSync(file, 0o600)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
}

/** The database with its WAL and shared-memory files. */
export function privateDatabase(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) privateFile(f)
}

/**
 * Creates an empty file 0600 if it does not exist, so that SQLite, which
 * gives -wal and -shm the database file's mode, creates those 0600 too.
 */
export function createPrivateFile(file: string): void {
  if (!POSIX || fs.existsSync(file)) return
  fs.closeSync(fs.openSync(file, 'a', 0o600))
  fs.chmodSync(file, 0o600)
}

/** Flushes a file (or, off Windows, a folder's entries) to the disk. Windows cannot open a folder to flush it; its renames are durable anyway. */
export function fsyncPath(p: string): void {
  let fd: number | undefined
  try {
    fd = fs.openSync(p, 'r')
    fs.fsyncSync(fd)
  } catch (e) {
    if (!(process.platform === 'win32' && fs.statSync(p).isDirectory())) throw e
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

/** Removes a SQLite file that is not open, with whatever journal it left (-journal, -wal, -shm). */
export function removeWithJournals(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
}

/** Which file a path names right now: device and inode (a restore that renames a copy into place changes it). */
export interface FileIdentity {
  dev: bigint
  ino: bigint
}

export function fileIdentity(file: string): FileIdentity | null {
  try {
    const s = fs.statSync(file, { bigint: true })
    return { dev: s.dev, ino: s.ino }
  } catch {
    return null
  }
}

/** Same file? A file system without inode numbers (ino 0, FAT) cannot tell, and says yes. */
export const sameFile = (a: FileIdentity | null, b: FileIdentity | null): boolean =>
  a !== null && b !== null && (a.ino === 0n || b.ino === 0n || (a.dev === b.dev && a.ino === b.ino))
