import { z } from 'zod'
import { channel } from './define'
import { Empty } from './app'
import { recoveryKeyInput } from './encryption'

export const BackupKind = z.enum(['daily', 'weekly', 'manual', 'pre-migration', 'pre-restore'])

export const Backup = z.object({
  /** File name inside the backups folder: the handle used to restore it. */
  name: z.string(),
  kind: BackupKind,
  createdAt: z.string(),
  sizeBytes: z.number().int()
})
export type Backup = z.infer<typeof Backup>

export const backupsContract = {
  'backups.list': channel(Empty, z.object({ folder: z.string(), backups: z.array(Backup) })),
  /**
   * Replaces the data file with a backup. The current file is first kept
   * aside as a pre-restore backup; the app reloads on the restored data.
   */
  'backups.restore': channel(
    z
      .object({
        name: z
          .string()
          .min(1)
          .max(200)
          .regex(/^[A-Za-z0-9._-]+\.sqlite$/, { error: 'Choose a backup from the list' }),
        confirm: z.literal(true, { error: 'Confirm the restore first' }),
        /**
         * An encrypted backup whose key this computer's keychain does not
         * have (made on another PC): its recovery key. Asked for with a
         * VALIDATION error on this field when needed.
         */
        recoveryKey: recoveryKeyInput.optional()
      })
      .strict(),
    z.object({ restored: z.string(), keptAside: z.string() })
  )
}
