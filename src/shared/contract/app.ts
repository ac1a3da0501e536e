import { z } from 'zod'
import { channel, shellChannel } from './define'

export const StartupFailureCode = z.enum([
  'DB_NOT_A_DATABASE',
  'DB_LOCKED',
  'DB_UNREADABLE',
  'DB_NEWER_THAN_APP',
  'MIGRATION_FAILED',
  'DATA_DIR_UNUSABLE'
])
export type StartupFailureCode = z.infer<typeof StartupFailureCode>

export const StartupFailure = z.object({
  code: StartupFailureCode,
  title: z.string(),
  message: z.string(),
  path: z.string(),
  advice: z.array(z.string())
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

export const appContract = {
  'app.status': channel(Empty, AppStatus),
  'app.systemDefaults': channel(Empty, SystemDefaults),
  /** Opens a link in the OS (browser, mail client) after the allowlist check. */
  'app.openExternal': shellChannel(z.object({ url: z.string().max(2048) }).strict(), z.object({ opened: z.boolean() })),
  /** Shows the data folder in the OS file manager. */
  'app.showDataFolder': shellChannel(Empty, z.object({ opened: z.boolean() })),
  /** Opens a file Coffer wrote (an export, a voucher PDF) with the OS; only files inside the data folder. */
  'app.openFile': shellChannel(z.object({ file: z.string().min(1).max(1000) }).strict(), z.object({ opened: z.boolean() })),
  /** Prints the vouchers of these payments through the system print dialog (the PDF is made by vouchers.pdf). */
  'vouchers.print': shellChannel(
    z.object({ paymentIds: z.array(z.number().int().positive()).min(1).max(5000) }).strict(),
    z.object({ printed: z.boolean(), file: z.string() })
  )
}
