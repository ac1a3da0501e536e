import type { EncryptionStatus, Output } from '../../../shared/contract'
import { conflict } from '../errors'
import type { JobEngine } from '../jobs/engine'
import { readSetting, writeSettings } from '../settings'
import { SecretStoreError } from '../secrets'
import { backupEncryption, encryptPlainBackups } from '../backups/backups'
import { claimFolder } from '../backups/restore'
import { newDbKey, recoveryKeyText, type DbKey } from './cipher'
import { keyedOpener, type DatabaseKeys } from './keys'
import type { Sqlite } from './open'
import type { PresenceFile } from './presence'
import { finishRewrite, swapInRewrittenCopy, undoRewrite, writeRewrittenCopy } from './rewrite'

/** The id of the key whose recovery key the administrator said is written down. */
export const CONFIRMED_KEY_SETTING = 'encryption.recoveryKeyConfirmed'

/** What turning encryption on or off needs from the core. */
export interface EncryptionHost {
  file: string
  backupsDir: string
  keys: DatabaseKeys
  nativeBinding?: string | null
  /** The open data file and its key (null when plain). */
  live(): { sqlite: Sqlite; key: DbKey | null }
  jobs(): JobEngine
  presence: PresenceFile
  /** Closes the data file (checkpointing the WAL first). */
  close(): void
  /** Opens the data file in place again, rebuilding every service; whether it opened. */
  reopen(): boolean
}

export function encryptionStatus(h: Pick<EncryptionHost, 'live' | 'keys' | 'backupsDir'>): EncryptionStatus {
  const { sqlite, key } = h.live()
  const backups = backupEncryption(h.backupsDir)
  return {
    encrypted: key !== null,
    recoveryKeyConfirmed: key === null || readSetting(sqlite, CONFIRMED_KEY_SETTING) === key.id,
    keychain: h.keys.where,
    keychainProblem: h.keys.problem(),
    backups: { encrypted: backups.encrypted, plain: backups.plain }
  }
}

export function confirmRecoveryKey(h: Pick<EncryptionHost, 'live' | 'keys' | 'backupsDir'>): EncryptionStatus {
  const { sqlite, key } = h.live()
  if (!key) throw conflict('The data file is not encrypted, so it has no recovery key.')
  writeSettings(sqlite, { [CONFIRMED_KEY_SETTING]: key.id })
  return encryptionStatus(h)
}

/**
 * Stops the jobs (their threads write on their own connections: a write after
 * the copy would be lost), writes and checks the copy, closes the file,
 * swaps the copy in, and opens the new file; if it cannot, the old one goes
 * back. The jobs start again with the reopened core either way.
 */
async function rewrite(h: EncryptionHost, to: DbKey | null, doing: string): Promise<void> {
  const running = h.jobs().list().filter((j) => j.running)
  if (running.length > 0) throw conflict(`Wait for ${running.map((j) => j.title).join(', ')} to finish, then ${doing}.`)
  const release = claimFolder(h.presence, doing)
  try {
    await h.jobs().shutdown()
    const { sqlite, key } = h.live()
    try {
      writeRewrittenCopy(sqlite, { file: h.file, from: key, to, nativeBinding: h.nativeBinding })
    } catch (e) {
      h.close()
      h.reopen()
      throw conflict(
        `Coffer could not write a checked ${to ? 'encrypted' : 'plain'} copy of the data file (${e instanceof Error ? e.message : String(e)}), so nothing was changed.`
      )
    }
    h.close()
    let swapError: unknown = null
    try {
      swapInRewrittenCopy(h.file)
    } catch (e) {
      swapError = e
    }
    const opened = h.reopen()
    if (swapError) {
      throw conflict(
        `Coffer could not put the ${to ? 'encrypted' : 'plain'} copy in place of the data file (${swapError instanceof Error ? swapError.message : String(swapError)}), so nothing was changed.`
      )
    }
    if (opened) {
      finishRewrite(h.file)
    } else {
      undoRewrite(h.file)
      h.reopen()
      throw conflict(`The ${to ? 'encrypted' : 'plain'} data file did not open, so the old one was put back in place. Nothing was changed.`)
    }
  } finally {
    release()
  }
}

/**
 * Turns encryption on: a new key, kept in the keychain first (if it cannot
 * be kept, nothing happens), then the file rewritten encrypted with it, then
 * every plain backup. Answers the recovery key, shown this once.
 */
export async function enableEncryption(h: EncryptionHost): Promise<Output<'encryption.enable'>> {
  if (h.live().key) throw conflict('The data file is already encrypted.')
  const k = newDbKey()
  try {
    h.keys.remember(k)
  } catch (e) {
    if (!(e instanceof SecretStoreError)) throw e
    throw conflict(`${e.message} Encryption needs the keychain to keep its key, so it was not turned on; nothing was changed.`)
  }
  await rewrite(h, k, 'turn encryption on')
  const backups = encryptPlainBackups(h.backupsDir, k, keyedOpener(null, h.nativeBinding, [k]))
  return {
    recoveryKey: recoveryKeyText(k.key),
    backupsEncrypted: backups.encrypted.length,
    backupsLeftPlain: backups.failed.map((f) => `${f.name}: ${f.reason}`)
  }
}

/** Turns encryption off: the file rewritten plain. Encrypted backups stay so; their key stays in the keychain. */
export async function disableEncryption(h: EncryptionHost): Promise<Output<'encryption.disable'>> {
  if (!h.live().key) throw conflict('The data file is not encrypted.')
  await rewrite(h, null, 'turn encryption off')
  return { encrypted: false }
}
