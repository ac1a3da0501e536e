/**
 * The list of modules: the only place that knows every area. openCore builds
 * each area's service from it, registers its handlers and jobs; the job
 * worker thread takes its jobs from here too. Adding an area is one line.
 */
import type { CoreChannel } from '../shared/contract'
import type { AnyCoreModule, ModuleChannels } from './platform/module'
import type { JobDefinition } from './platform/jobs/types'
import { backupJob } from './platform/backups/job'
import { makeIntegrityJob } from './platform/db/integrity-job'
import { profileModule } from './profile'
import { operatorsModule } from './operators'
import { auditModule } from './audit'
import { membersModule } from './members'
import { notificationsModule } from './notifications'
import { mailModule } from './mail'
import { calendarModule } from './calendar'
import { paymentsModule, vouchersModule } from './payments'
import { bondsModule } from './bonds'
import { importsModule } from './imports'
import { ledgerModule } from './ledger'
import { recurringModule } from './recurring'
import { payrollModule } from './payroll'
import { reportsModule } from './reports'

/** In the order their services are built (an area may read an earlier one's service when it is built). */
export const modules = [
  profileModule,
  operatorsModule,
  membersModule,
  notificationsModule,
  mailModule,
  calendarModule,
  ledgerModule,
  paymentsModule,
  vouchersModule,
  bondsModule,
  importsModule,
  recurringModule,
  payrollModule,
  reportsModule,
  auditModule
] as const

/** Channels core answers itself (platform): the app's status, jobs, backups, encryption of the data file. */
export type PlatformChannel = Extract<CoreChannel, `app.${string}` | `jobs.${string}` | `backups.${string}` | `encryption.${string}`>

/**
 * The compiler's proof that every core channel has a handler: a channel that
 * no module's prefix covers (and platform does not answer) makes this line an
 * error naming it.
 */
type Unanswered = Exclude<CoreChannel, ModuleChannels<(typeof modules)[number]> | PlatformChannel>
export const everyChannelAnswered: [Unanswered] extends [never] ? true : { unanswered: Unanswered } = true

/** The weekly integrity job, with each module's own checks (the ledger's summaries against its journal). */
const integrityJob = makeIntegrityJob((modules as readonly AnyCoreModule[]).flatMap((m) => m.integrityChecks ?? []))

/** Every job Coffer ships: the platform's (backup, integrity) and each module's. */
export const allJobs: readonly JobDefinition[] = [backupJob, integrityJob, ...(modules as readonly AnyCoreModule[]).flatMap((m) => m.jobs ?? [])]
