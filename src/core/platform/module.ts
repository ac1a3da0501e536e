import type { CoreChannel, EventName } from '../../shared/contract'
import type { Handler } from './ipc/dispatcher'
import type { ServiceContext } from './context'
import type { JobDefinition } from './jobs/types'
import type { JobEngine } from './jobs/engine'
import type { IntegrityCheck } from './db/integrity-job'
import type { SecretStore } from './secrets'
import type { Sqlite } from './db/open'

/**
 * The services of every area, by area name. Each area adds its own entry by
 * declaration merging in its index.ts:
 *
 *   declare module '../platform/module' { interface Areas { members: MembersService } }
 *
 * so an area reaches another area's service as `env.areas.members`, typed,
 * without importing that area's internals (and without a runtime import at
 * all when it only needs the type).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Areas {}

/** What a module's service is built with. */
export interface ModuleEnv {
  ctx: ServiceContext
  /** Every area's service; read at call time (a restore swaps them all for new ones). */
  areas: Areas
  /** The data folder (exports and vouchers are written under it). */
  dataDir: string
  /** resources/ (fonts). */
  resourcesDir: string
  /** The job engine (to tell it the time zone changed, say). */
  jobs: () => JobEngine
  /** The cooperative's time zone (the profile's, else the PC's). */
  timeZone: () => string
  /** The cooperative's locale (the profile's, else the PC's): what people read is formatted in it. */
  locale: () => string
  /** Which process this core runs in: a run started from the command line is recorded as such. */
  processKind?: 'app' | 'cli' | 'test'
  /** Password hashing cost (tests lower it; the app uses scrypt's recommended cost). */
  passwordHash?: { cost?: number }
  /**
   * Where secrets are kept (the SMTP password, the SMS gateway's token): the
   * OS keychain; for the command line its environment variables first
   * (COFFER_SMTP_PASSWORD...).
   */
  secrets?: SecretStore
  /** Tests only: a CA certificate (PEM) the mail job trusts, for a loopback SMTP server's self-signed one (CoreOptions.mailTlsCa). */
  mailTlsCa?: string
  /**
   * A read-only connection of its own to the data file (with its key when it
   * is encrypted), for a long read that must not hold the app's connection:
   * the caller closes it. The reports' view reads a report on one, giving
   * the event loop turns between rows.
   */
  openReader: () => Sqlite
  /** The app's log: what a library said, for whoever mends it (never shown to the treasurer). */
  log?: { warn(...args: unknown[]): void }
}

/** Channels whose name starts with `<prefix>.`: an area answers the channels of its prefixes. */
export type PrefixChannel<P extends string> = Extract<CoreChannel, `${P}.${string}`>
export type PrefixHandlers<P extends string> = { [C in PrefixChannel<P>]: Handler<C> }

/**
 * One business area as core sees it: its service, the channels it answers
 * (every channel of its prefixes, which the compiler checks), its jobs and
 * the events it emits. Tables live in the area's schema.ts (drizzle-kit reads
 * every src/core/<area>/schema.ts).
 */
export interface CoreModule<Name extends keyof Areas = keyof Areas, P extends string = string> {
  name: Name
  /** Channel prefixes this area answers: 'bonds' answers every 'bonds.*' channel. */
  prefixes: readonly P[]
  create(env: ModuleEnv): Areas[Name]
  /** One thin handler per channel; `service` is read per call (a restore replaces it). */
  handlers(service: () => Areas[Name], env: ModuleEnv): PrefixHandlers<P>
  /** Jobs that run in a worker thread or inline; the scheduler runs them. */
  jobs?: readonly JobDefinition[]
  /** Checks the weekly integrity job runs for this area (its derived data against its source). */
  integrityChecks?: readonly IntegrityCheck[]
  /** Events the area emits (documentation, and the renderer's invalidation map). */
  events?: readonly EventName[]
}

/** Any module, for code that walks the list (build every service, register every handler). */
export interface AnyCoreModule {
  name: keyof Areas
  prefixes: readonly string[]
  create(env: ModuleEnv): unknown
  handlers(service: () => never, env: ModuleEnv): object
  jobs?: readonly JobDefinition[]
  integrityChecks?: readonly IntegrityCheck[]
  events?: readonly EventName[]
}

export function defineModule<Name extends keyof Areas, P extends string>(m: CoreModule<Name, P>): CoreModule<Name, P> {
  return m
}

/** The channels a list of modules answers, as a type. */
export type ModuleChannels<M> = M extends CoreModule<infer _N, infer P> ? PrefixChannel<P> : never
