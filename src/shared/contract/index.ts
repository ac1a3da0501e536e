import { z } from 'zod'
import { appContract } from './app'
import { profileContract } from './profile'
import { membersContract } from './members'
import type { ChannelDef } from './define'
import { MemberChangedEvent } from './events'
import { jobsContract, JobRunUpdatedEvent } from './jobs'
import { notificationsContract, NotificationCreatedEvent, NotificationsChangedEvent } from './notifications'
import { backupsContract } from './backups'
import { bondsContract } from './bonds'
import { importsContract } from './imports'
import { operatorsContract } from './operators'
import { encryptionContract } from './encryption'
import { ledgerContract } from './ledger'
import { recurringContract } from './recurring'
import { payrollContract } from './payroll'
import { mailContract } from './mail'
import { reportsContract } from './reports'

export * from './envelope'
export * from './define'
export * from './app'
export * from './profile'
export * from './members'
export * from './events'
export * from './bridge'
export * from './jobs'
export * from './notifications'
export * from './backups'
export * from './bonds'
export * from './imports'
export * from './warnings'
export * from './operators'
export * from './permissions'
export * from './encryption'
export * from './ledger'
export * from './recurring'
export * from './payroll'
export * from './mail'
export * from './reports'

/** The one IPC contract. Every channel is declared here and nowhere else. */
export const contract = {
  ...appContract,
  ...profileContract,
  ...membersContract,
  ...jobsContract,
  ...notificationsContract,
  ...backupsContract,
  ...bondsContract,
  ...importsContract,
  ...operatorsContract,
  ...encryptionContract,
  ...ledgerContract,
  ...recurringContract,
  ...payrollContract,
  ...mailContract,
  ...reportsContract
} satisfies Record<string, ChannelDef>

export type Contract = typeof contract
export type Channel = keyof Contract
/** What the caller may send (before defaults and transforms). */
export type Input<C extends Channel> = z.input<Contract[C]['input']>
/** What the handler receives (after validation). */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type Output<C extends Channel> = z.output<Contract[C]['output']>

/** Channels answered by core, and channels that need the Electron shell. */
export type CoreChannel = { [K in Channel]: Contract[K]['host'] extends 'core' ? K : never }[Channel]
export type ShellChannel = Exclude<Channel, CoreChannel>

export const channels = Object.keys(contract) as Channel[]
export const coreChannels = channels.filter((c): c is CoreChannel => contract[c].host === 'core')
export const shellChannels = channels.filter((c): c is ShellChannel => contract[c].host === 'shell')

/** Events pushed from main to the renderer. */
export const events = {
  'members.changed': MemberChangedEvent,
  /** A run started, progressed or ended. */
  'jobs.runUpdated': JobRunUpdatedEvent,
  'notifications.created': NotificationCreatedEvent,
  /** The unread count changed (read, all read). */
  'notifications.changed': NotificationsChangedEvent,
  /** The data file was replaced (a backup restored): reload everything. */
  'app.dataReplaced': z.object({ restored: z.string() })
} as const
export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>
export const eventNames = Object.keys(events) as EventName[]

export const isChannel = (name: unknown): name is Channel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name)
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name)
