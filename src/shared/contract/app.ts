import { z } from 'zod'
import { channel, shellChannel } from './define'

export const StartupFailureCode = z.enum([
  'DB_NOT_A_DATABASE',
  'DB_LOCKED',
  'DB_UNREADABLE',
  'DB_NEWER_THAN_APP',
  'MIGRATION_FAILED',
  'DATA_DIR_UNUSABLE',
  /**
   * The data file is gone but backups are beside it (or, with none, its -wal/-shm journal: a file was there):
   * restore one, or start empty on explicit confirmation.
   */
  'DB_MISSING_WITH_BACKUPS',
  /** The data file was replaced or removed while open (by another program): Coffer stopped writing. */
  'DB_REPLACED',
  /** The data file is encrypted and no key Coffer has opens it: encryption.unlock with the recovery key. */
  'DB_KEY_NEEDED'
])
export type StartupFailureCode = z.infer<typeof StartupFailureCode>

export const StartupFailure = z.object({
  code: StartupFailureCode,
  title: z.string(),
  message: z.string(),
  path: z.string(),
  advice: z.array(z.string()),
  /**
   * DB_MISSING_WITH_BACKUPS only: what app.restoreNewestBackup would put in
   * place (null when no backup passed its check), and how many backups there are.
   */
  recovery: z
    .object({
      newestGoodBackup: z
        .object({ name: z.string(), createdAt: z.string(), sizeBytes: z.number().int(), holdsData: z.boolean() })
        .nullable(),
      backups: z.number().int()
    })
    .optional()
})
export type StartupFailure = z.infer<typeof StartupFailure>

export const AppStatus = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('ready'),
    version: z.string(),
    dataDir: z.string(),
    databasePath: z.string(),
    needsProfile: z.boolean(),
    /** Backup taken before the migrations of this launch ran, if any. */
    preMigrationBackup: z.string().nullable()
  }),
  z.object({ state: z.literal('failed'), version: z.string(), failure: StartupFailure })
])
export type AppStatus = z.infer<typeof AppStatus>

export const SystemDefaults = z.object({
  timeZone: z.string(),
  locale: z.string(),
  currency: z.string()
})
export type SystemDefaults = z.infer<typeof SystemDefaults>

export const Empty = z.object({}).strict().default({})

/** What the recovery channels answer: the backup put in place (if any) and the status after it. */
export const RecoveryResult = z.object({ restored: z.string().nullable(), status: AppStatus })
export type RecoveryResult = z.infer<typeof RecoveryResult>

export const appContract = {
  'app.status': channel(Empty, AppStatus),
  'app.systemDefaults': channel(Empty, SystemDefaults),
  /**
   * Start-up failure DB_MISSING_WITH_BACKUPS: checks the backups newest first
   * and puts the newest good one (the newest that holds data, if any does)
   * in place, then starts. Refused (CONFLICT) on any other state.
   */
  'app.restoreNewestBackup': channel(
    z.object({ confirm: z.literal(true, { error: 'Confirm the restore first' }) }).strict(),
    RecoveryResult
  ),
  /**
   * Start-up failure DB_MISSING_WITH_BACKUPS: starts on a new, empty data
   * file. Only with `confirm: true`; the backups are kept.
   */
  'app.startEmpty': channel(
    z.object({ confirm: z.literal(true, { error: 'Confirm that you want to start with no data' }) }).strict(),
    RecoveryResult
  ),
  /** Opens a link in the OS (browser, mail client) after the allowlist check. */
  'app.openExternal': shellChannel(z.object({ url: z.string().max(2048) }).strict(), z.object({ opened: z.boolean() })),
  /** Shows the data folder in the OS file manager. */
  'app.showDataFolder': shellChannel(Empty, z.object({ opened: z.boolean() })),
  /**
   * Opens a file Coffer wrote for the signed-in operator in this session (vouchers,
   * portfolio and audit exports) with the OS; anything else is FORBIDDEN, a file
   * moved or deleted NOT_FOUND. Never the data file or a backup.
   */
  'app.openFile': shellChannel(z.object({ file: z.string().min(1).max(1000) }).strict(), z.object({ opened: z.boolean() })),
  /** Prints the vouchers of these payments through the system print dialog (the PDF is made by vouchers.pdf). */
  'vouchers.print': shellChannel(
    // printWithMissingGlyphs: the treasurer chose to print characters no font covers as \uFFFD (see vouchers.pdf).
    z.object({ paymentIds: z.array(z.number().int().positive()).min(1).max(5000), printWithMissingGlyphs: z.boolean().optional() }).strict(),
    z.object({ printed: z.boolean(), file: z.string() })
  )
}
