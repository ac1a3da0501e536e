import crypto from 'node:crypto'
import fs from 'node:fs'
import Database from 'better-sqlite3'
import type { Sqlite } from './open'

/**
 * Encryption at rest with SQLite3 Multiple Ciphers (the better-sqlite3 build
 * Coffer installs): the SQLCipher 4 scheme (AES-256-CBC, HMAC-SHA512 per
 * page), so the SQLCipher tools can open a file with its recovery key too.
 *
 * The key is 32 random bytes used as a raw key (no passphrase stretching:
 * it is random, and opening stays under a millisecond). With it goes a
 * random 16-byte salt, the first 16 bytes of every file encrypted with that
 * key (the data file and each of its backups), which SQLCipher stores in the
 * clear: its hex is the key's id, under which the keychain keeps the key
 * (db-key/<id>), so any file names the key it needs.
 */
export const KEY_BYTES = 32
export const SALT_BYTES = 16
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

export interface DbKey {
  /** The 32-byte raw key. */
  key: Buffer
  /** Its id: the salt's hex, as it stands at the start of the files it encrypts. */
  id: string
}

export function newDbKey(): DbKey {
  return { key: crypto.randomBytes(KEY_BYTES), id: crypto.randomBytes(SALT_BYTES).toString('hex') }
}

/**
 * What is at a path: nothing (or an empty file SQLite will make a database
 * of), a plain SQLite file, or an encrypted one: whole pages (a multiple of
 * 512 bytes, as every SQLite file is) that do not start as SQLite does (only
 * a key can tell it from a file whose first page is damaged). Anything else
 * counts as plain, for SQLite to call it damaged.
 */
export function fileEncryption(file: string): 'absent' | 'plain' | 'encrypted' {
  let fd: number
  try {
    fd = fs.openSync(file, 'r')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent'
    throw e
  }
  try {
    const size = fs.fstatSync(fd).size
    if (size === 0) return 'absent'
    const head = Buffer.alloc(PLAIN_HEADER.length)
    const n = fs.readSync(fd, head, 0, head.length, 0)
    if (n < head.length || head.equals(PLAIN_HEADER) || size % 512 !== 0) return 'plain'
    return 'encrypted'
  } finally {
    fs.closeSync(fd)
  }
}

/** The id of the key an encrypted file needs: its salt (the first 16 bytes), in hex. */
export function keyIdOf(file: string): string {
  const fd = fs.openSync(file, 'r')
  try {
    const head = Buffer.alloc(SALT_BYTES)
    fs.readSync(fd, head, 0, SALT_BYTES, 0)
    return head.toString('hex')
  } finally {
    fs.closeSync(fd)
  }
}

const hexKey = (key: Buffer): string => {
  if (key.length !== KEY_BYTES) throw new Error(`A data file key is ${KEY_BYTES} bytes`)
  return key.toString('hex')
}

const cipherScheme = (sqlite: Sqlite): void => {
  sqlite.pragma("cipher = 'sqlcipher'")
  sqlite.pragma('legacy = 4')
}

/** Gives a connection the key of its encrypted file; before any other statement. Whether it is the right key shows at the first read. */
export function applyKey(sqlite: Sqlite, key: Buffer): void {
  cipherScheme(sqlite)
  sqlite.pragma(`key = "x'${hexKey(key)}'"`)
}

/**
 * Re-encrypts the file of a connection in place: with `to` (its key and id
 * as salt) or, null, to plain SQLite. Only on a copy nobody else has open, in
 * rollback-journal mode (WAL must be off): a rekey interrupted half-way can
 * leave a file that is neither, which is why Coffer rewrites copies only.
 */
export function rekey(sqlite: Sqlite, to: DbKey | null): void {
  const mode = sqlite.pragma('journal_mode', { simple: true })
  if (mode === 'wal') throw new Error('rekey needs the rollback journal, not WAL')
  cipherScheme(sqlite)
  if (to && !/^[0-9a-f]{32}$/.test(to.id)) throw new Error('A key id is 16 bytes of hex')
  const answer = sqlite.pragma(to ? `rekey = "x'${hexKey(to.key)}${to.id}'"` : "rekey = ''") as { ok?: string }[]
  if (answer[0]?.ok !== 'ok') throw new Error(`The file could not be ${to ? 'encrypted' : 'decrypted'}`)
}

/** Opens a SQLite file, encrypted or not; with a key, it is applied before anything is read. */
export function openSqliteFile(
  file: string,
  opts: { readonly?: boolean; fileMustExist?: boolean; nativeBinding?: string | null; timeout?: number; key?: Buffer | null }
): Sqlite {
  const sqlite = new Database(file, {
    readonly: opts.readonly ?? false,
    fileMustExist: opts.fileMustExist ?? false,
    nativeBinding: opts.nativeBinding ?? undefined,
    timeout: opts.timeout ?? 5000
  })
  try {
    if (opts.key) applyKey(sqlite, opts.key)
    // A wrong key (or a damaged file) fails here: SQLITE_NOTADB.
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
    return sqlite
  } catch (e) {
    sqlite.close()
    throw e
  }
}

/** Whether a SQLite error says the file cannot be read as a database (a wrong key, or damage). */
export const notADatabase = (e: unknown): boolean => /^SQLITE_NOTADB/.test(String((e as { code?: unknown } | null)?.code ?? ''))

// The recovery key: the 32 key bytes and a 3-byte check, in Crockford's base 32
// (no I, L, O or U to misread), 56 characters in 14 groups of four.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CHECK_BYTES = 3
export const RECOVERY_KEY_GROUPS = 14

const check = (key: Buffer) => crypto.createHash('sha256').update('coffer-recovery-key').update(key).digest().subarray(0, CHECK_BYTES)

/** The key as a person writes it down: `7K2M-9QXD-...` (14 groups of four). */
export function recoveryKeyText(key: Buffer): string {
  const bytes = Buffer.concat([key, check(key)])
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out.match(/.{1,4}/g)?.join('-') ?? out
}

/**
 * Reads a recovery key as typed: spaces and dashes ignored, any case, O read
 * as 0 and I or L as 1. A problem is said in words (for the field).
 */
export function parseRecoveryKey(typed: string): { key: Buffer } | { problem: string } {
  const chars = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
  const want = RECOVERY_KEY_GROUPS * 4
  if (chars.length === 0) return { problem: 'Enter the recovery key.' }
  const bad = [...chars].find((c) => !ALPHABET.includes(c))
  if (bad !== undefined) return { problem: `A recovery key has only the letters and digits printed on it; “${bad}” is not one of them.` }
  if (chars.length !== want) {
    return { problem: `A recovery key has ${want} letters and digits (${RECOVERY_KEY_GROUPS} groups of four); this has ${chars.length}.` }
  }
  let bits = 0
  let value = 0
  const bytes: number[] = []
  for (const c of chars) {
    value = (value << 5) | ALPHABET.indexOf(c)
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
    value &= (1 << bits) - 1
  }
  const all = Buffer.from(bytes.slice(0, KEY_BYTES + CHECK_BYTES))
  const key = all.subarray(0, KEY_BYTES)
  if (!check(key).equals(all.subarray(KEY_BYTES))) {
    return { problem: 'This recovery key has a typing mistake: compare each group with the one you wrote down.' }
  }
  return { key: Buffer.from(key) }
}
