import { z } from 'zod'
import { channel } from './define'
import { Empty, RecoveryResult } from './app'

/**
 * A recovery key as typed: the letters and digits of 14 groups of four, with
 * or without dashes and spaces. Core reads it (and says what is wrong with it
 * next to the field); here only its length is bounded.
 */
export const recoveryKeyInput = z
  .string({ error: 'Enter the recovery key' })
  .min(1, { error: 'Enter the recovery key' })
  .max(200, { error: 'A recovery key has 56 letters and digits (14 groups of four)' })

export const EncryptionStatus = z.object({
  /** The data file is encrypted at rest. */
  encrypted: z.boolean(),
  /**
   * False while the administrator has not confirmed writing down the
   * recovery key of the file's key (encryption.confirmRecoveryKey): the
   * answer that showed it may have been lost. True for a plain file.
   */
  recoveryKeyConfirmed: z.boolean(),
  /** Where the key is kept, in words ("the Secret Service keychain (GNOME Keyring or KWallet)"). */
  keychain: z.string(),
  /** Null when the keychain answers; else why it cannot keep a key (encryption cannot be turned on). */
  keychainProblem: z.string().nullable(),
  /** Backups in the backups folder, by whether they are encrypted. */
  backups: z.object({ encrypted: z.number().int(), plain: z.number().int() })
})
export type EncryptionStatus = z.infer<typeof EncryptionStatus>

const confirm = (what: string) => z.object({ confirm: z.literal(true, { error: `Confirm that you want to ${what}` }) }).strict()

export const encryptionContract = {
  'encryption.status': channel(Empty, EncryptionStatus),
  /**
   * Encrypts the data file (a checked, encrypted copy replaces it; the key
   * goes to the keychain first) and every backup. Answers the recovery key:
   * shown this once, never again. Refused while a job runs or another Coffer
   * has the data folder open; nothing changes then.
   */
  'encryption.enable': channel(
    confirm('encrypt the data file'),
    z.object({
      recoveryKey: z.string(),
      /** Backups that were plain and are now encrypted. */
      backupsEncrypted: z.number().int(),
      /** Backups that could not be encrypted (named, with why): the daily backup tries them again. */
      backupsLeftPlain: z.array(z.string())
    })
  ),
  /**
   * Writes the data file back as plain SQLite (a checked copy replaces it).
   * Backups made while it was encrypted stay encrypted; the key stays in the
   * keychain so that they can still be restored.
   */
  'encryption.disable': channel(confirm('stop encrypting the data file'), z.object({ encrypted: z.literal(false) })),
  /** The administrator wrote the recovery key down: the settings stop reminding. */
  'encryption.confirmRecoveryKey': channel(confirm('say the recovery key is written down'), EncryptionStatus),
  /**
   * Start-up failure DB_KEY_NEEDED: opens the data file with its recovery
   * key, keeps the key in this computer's keychain, and starts. A key that is
   * mistyped or not this file's is refused next to the field; nothing changes.
   */
  'encryption.unlock': channel(
    z.object({ recoveryKey: recoveryKeyInput }).strict(),
    RecoveryResult.extend({
      /** False when the keychain could not keep the key: the recovery key will be asked for again at the next start. */
      keyKept: z.boolean()
    })
  )
}
