import fs from 'node:fs'
import path from 'node:path'
import type { Channel, Envelope } from '../shared/contract'

/**
 * The files Coffer itself wrote for the operator at the window, and the only
 * ones the shell opens (`app.openFile`) or shows (the voucher viewer). No
 * Electron here: the Electron shell records into it, unit tests drive it.
 *
 * Kept in memory, for the signed-in operator's session: a sign-in, a
 * sign-out or the first administrator's creation forgets everything, and
 * nothing survives a restart. A file Coffer made before is saved again (print
 * or export once more) to be opened.
 */

/**
 * Channels whose answer carries `file`: a file core wrote into the data
 * folder. `reports.file` answers a generated report's file only after
 * checking it is there and unchanged (its SHA-256): the window asks it
 * before opening a report, from the export dialog or Generated reports.
 */
export const PRODUCING_CHANNELS = [
  'vouchers.pdf',
  'bonds.exportPortfolio',
  'audit.export',
  'payroll.payslipsPdf',
  'payroll.exportRegister',
  'payroll.statutoryPdf',
  'mail.saveAttachment',
  'reports.file'
] as const satisfies readonly Channel[]

/** Answers after which another operator may be at the window: what the last one saved is forgotten. */
export const SESSION_CHANNELS = ['auth.signIn', 'auth.signOut', 'auth.createAdministrator'] as const satisfies readonly Channel[]

/** What core writes, and the type each is served as. Nothing else is opened, whatever its name. */
export const PRODUCED_TYPES: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
}

/** The data folder, and what in it is never opened whatever asks. */
export interface DataLayout {
  dataDir: string
  /** The data file's name (coffer.sqlite): it, its -wal/-shm/-journal and any file named after it. */
  databaseFile: string
  /** The backups folder's name: everything under it. */
  backupsDir: string
}

export type FileCheck =
  | { ok: true; file: string; contentType: string }
  | { ok: false; code: 'FORBIDDEN' | 'NOT_FOUND'; message: string }

const NOT_SAVED = 'Coffer opens only the files it saved since you signed in. Save this one again (print or export it), then open it.'
const PROTECTED = 'Coffer does not open its data file or its backups.'
const GONE = 'The file is no longer where Coffer saved it: it was moved or deleted. Save it again, then open it.'
const REPLACED = 'The file was changed into something Coffer did not save (a link or a folder), so Coffer will not open it.'

/** File names compare without case where the file system usually ignores it. */
const foldCase = process.platform === 'win32' || process.platform === 'darwin'
const key = (p: string): string => (foldCase ? p.toLowerCase() : p)

/** `child` relative to `parent` when it is inside it (never `parent` itself), else null. */
export function inside(parent: string, child: string): string | null {
  const rel = path.relative(key(path.resolve(parent)), key(path.resolve(child)))
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return null
  return path.relative(path.resolve(parent), path.resolve(child))
}

export class ProducedFiles {
  private readonly files = new Set<string>()

  constructor(private readonly layout: DataLayout) {}

  /** How many files are remembered (for tests and logs). */
  get size(): number {
    return this.files.size
  }

  /** After any channel's answer: remembers a produced file; forgets all when the operator may have changed. */
  noteAnswer(channel: string, answer: Envelope<unknown>): void {
    if (!answer.ok) return
    if ((SESSION_CHANNELS as readonly string[]).includes(channel)) {
      this.forget()
      return
    }
    if (!(PRODUCING_CHANNELS as readonly string[]).includes(channel)) return
    const file = (answer.value as { file?: unknown } | null)?.file
    if (typeof file === 'string') this.record(file)
  }

  /**
   * Remembers a file core wrote. Only a file inside the data folder, of a
   * type core writes, and neither the data file nor a backup: anything else
   * is not remembered (false), so it can never be opened.
   */
  record(file: string): boolean {
    const resolved = path.resolve(file)
    if (!this.acceptable(resolved)) return false
    this.files.add(key(resolved))
    return true
  }

  forget(): void {
    this.files.clear()
  }

  /**
   * May this file be opened or shown? It must be one Coffer saved in this
   * session, inside `folder` of the data folder when given (the viewer: the
   * vouchers folder), still there, a plain file (not a link, not a folder),
   * and really inside the data folder once links in its path are followed.
   * The answer names the real path to open and its content type.
   */
  async check(file: string, folder?: string): Promise<FileCheck> {
    const resolved = path.resolve(file)
    if (this.isProtected(resolved)) return { ok: false, code: 'FORBIDDEN', message: PROTECTED }
    if (!this.files.has(key(resolved)) || !this.acceptable(resolved)) return { ok: false, code: 'FORBIDDEN', message: NOT_SAVED }
    const where = inside(folder === undefined ? this.layout.dataDir : path.join(this.layout.dataDir, folder), resolved)
    if (where === null) return { ok: false, code: 'FORBIDDEN', message: NOT_SAVED }

    let stat: fs.Stats
    try {
      stat = await fs.promises.lstat(resolved)
    } catch {
      return { ok: false, code: 'NOT_FOUND', message: GONE }
    }
    if (stat.isSymbolicLink() || !stat.isFile()) return { ok: false, code: 'FORBIDDEN', message: REPLACED }

    // A folder on the way may be a link leading out of the data folder: compare the real paths.
    let real: string
    let realDir: string
    try {
      real = await fs.promises.realpath(resolved)
      realDir = await fs.promises.realpath(this.layout.dataDir)
    } catch {
      return { ok: false, code: 'NOT_FOUND', message: GONE }
    }
    const expected = path.join(realDir, path.relative(path.resolve(this.layout.dataDir), resolved))
    if (key(real) !== key(expected)) return { ok: false, code: 'FORBIDDEN', message: REPLACED }
    const contentType = PRODUCED_TYPES[path.extname(real).toLowerCase()]
    if (contentType === undefined) return { ok: false, code: 'FORBIDDEN', message: NOT_SAVED }
    return { ok: true, file: real, contentType }
  }

  /** Inside the data folder, of a type core writes, and not protected. */
  private acceptable(resolved: string): boolean {
    return (
      inside(this.layout.dataDir, resolved) !== null &&
      PRODUCED_TYPES[path.extname(resolved).toLowerCase()] !== undefined &&
      !this.isProtected(resolved)
    )
  }

  /**
   * The data file (and anything named after it: its journal, a copy being
   * written) and everything under the backups folder; names compared
   * without case everywhere, refusing more rather than less.
   */
  isProtected(file: string): boolean {
    const rel = inside(this.layout.dataDir, file)
    if (rel === null) return false
    const first = (rel.split(path.sep)[0] ?? '').toLowerCase()
    return first.startsWith(this.layout.databaseFile.toLowerCase()) || first === this.layout.backupsDir.toLowerCase()
  }
}

/**
 * Reads a file `check` allowed, refusing a link put in its place since
 * (O_NOFOLLOW where the system has it) and anything but a plain file.
 */
export async function readProducedFile(file: string): Promise<Buffer> {
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0))
  try {
    if (!(await handle.stat()).isFile()) throw new Error(`${file} is not a plain file`)
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}
