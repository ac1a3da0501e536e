import { SecretStoreError, envVarFor, type SecretStore } from '../secrets'
import { fileEncryption, keyIdOf, notADatabase, openSqliteFile, parseRecoveryKey, type DbKey } from './cipher'
import type { Sqlite } from './open'

/** The secret under which the keychain keeps the key with this id. */
export const dbKeySecret = (id: string): string => `db-key/${id}`
/** The command line's variable for a data file's key (its recovery key). */
export const DB_KEY_ENV = envVarFor(dbKeySecret('0'))

/** Why no key opened an encrypted file: none was found (where each source was looked at), or the ones found were refused. */
export class KeyNeeded extends Error {
  constructor(
    readonly reason: 'missing' | 'refused',
    /** What each place said: "the keychain has no key for it", "COFFER_DB_KEY is not this file's key"... */
    readonly notes: string[]
  ) {
    super(notes.join(' '))
    this.name = 'KeyNeeded'
  }
}

/**
 * Where the keys of encrypted data files come from: the command line's
 * COFFER_DB_KEY (a recovery key) first, then the keychain, which keeps each
 * key under its id (the salt at the start of the files it encrypts).
 */
export class DatabaseKeys {
  constructor(
    private readonly secrets: SecretStore,
    private readonly env?: NodeJS.ProcessEnv
  ) {}

  get where(): string {
    return this.secrets.where
  }

  /** The keys to try for an encrypted file whose key id is `id`, most likely first, and why a place gave none. */
  candidates(id: string): { keys: Buffer[]; notes: string[] } {
    const keys: Buffer[] = []
    const notes: string[] = []
    if (this.env) {
      const typed = this.env[DB_KEY_ENV]
      if (!typed || typed.trim() === '') notes.push(`${DB_KEY_ENV} is not set.`)
      else {
        const parsed = parseRecoveryKey(typed)
        if ('key' in parsed) keys.push(parsed.key)
        else notes.push(`${DB_KEY_ENV} is set but is not a recovery key: ${parsed.problem}`)
      }
    }
    try {
      const kept = this.secrets.get(dbKeySecret(id))
      if (kept === null) notes.push(`There is no key for it in ${this.secrets.where}.`)
      else if (/^[0-9a-f]{64}$/.test(kept)) keys.push(Buffer.from(kept, 'hex'))
      else notes.push(`What ${this.secrets.where} holds for it is not a key.`)
    } catch (e) {
      if (!(e instanceof SecretStoreError)) throw e
      notes.push(e.message)
    }
    return { keys, notes }
  }

  /** Keeps a key in the keychain (read back to be sure). Throws SecretStoreError. */
  remember(k: DbKey): void {
    this.secrets.set(dbKeySecret(k.id), k.key.toString('hex'))
  }

  /** Null when the keychain answers; else why it cannot be used (it cannot be reached). A locked keychain shows only when a key is kept. */
  problem(): string | null {
    try {
      this.secrets.get(dbKeySecret('0'.repeat(32)))
      return null
    } catch (e) {
      if (e instanceof SecretStoreError) return e.message
      throw e
    }
  }

  /** Whether the keychain already holds exactly this key under its id (false if it cannot be read). */
  holds(k: DbKey): boolean {
    try {
      return this.secrets.get(dbKeySecret(k.id)) === k.key.toString('hex')
    } catch {
      return false
    }
  }
}

/**
 * Opens a SQLite file, plain or encrypted: an encrypted one with the first
 * of `extra` (a recovery key just typed) and then the keys found for its id
 * that opens it. Throws KeyNeeded when none does; other failures as SQLite
 * gave them. Answers the key used (null for a plain file).
 */
export function openWithKeys(
  file: string,
  keys: DatabaseKeys | null,
  opts: { readonly?: boolean; fileMustExist?: boolean; nativeBinding?: string | null; timeout?: number; extra?: Buffer[] }
): { sqlite: Sqlite; key: DbKey | null } {
  if (fileEncryption(file) !== 'encrypted') return { sqlite: openSqliteFile(file, opts), key: null }
  const id = keyIdOf(file)
  const found = keys ? keys.candidates(id) : { keys: [], notes: ['No keychain was given to open it.'] }
  const tries = [...(opts.extra ?? []), ...found.keys]
  if (tries.length === 0) throw new KeyNeeded('missing', found.notes)
  for (const key of tries) {
    try {
      return { sqlite: openSqliteFile(file, { ...opts, key }), key: { key, id } }
    } catch (e) {
      if (!notADatabase(e)) throw e
    }
  }
  throw new KeyNeeded('refused', [
    tries.length === 1 ? 'The key Coffer has for it does not open it.' : `None of the ${tries.length} keys Coffer has for it opens it.`,
    ...found.notes.filter((n) => !n.startsWith('There is no key') && !n.endsWith('is not set.'))
  ])
}

/** A SQLite opener for files that may be encrypted (backups, copies): with these keys, or the one given. */
export function keyedOpener(keys: DatabaseKeys | null, nativeBinding?: string | null, known: readonly DbKey[] = []) {
  return (file: string, readonly: boolean): Sqlite => {
    const id = fileEncryption(file) === 'encrypted' ? keyIdOf(file) : null
    const extra = known.filter((k) => k.id === id).map((k) => k.key)
    return openWithKeys(file, keys, { readonly, fileMustExist: true, nativeBinding, extra }).sqlite
  }
}
