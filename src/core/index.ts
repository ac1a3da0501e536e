import path from 'node:path'
import type { AppStatus, Envelope, EventName, EventPayload, SystemDefaults } from '../shared/contract'
import { systemClock, type Clock } from './clock'
import { openDatabase, type OpenedDatabase } from './db/open'
import { StartupError, classifyOpenError } from './db/startup-error'
import { consoleLogger, createDispatcher, type Logger } from './ipc/dispatcher'
import { coreHandlers } from './ipc/handlers'
import { ProfileService } from './services/profile'
import { MembersService } from './services/members'

export { ManualClock, systemClock, type Clock } from './clock'
export type { Logger } from './ipc/dispatcher'

export const DATABASE_FILE = 'coffer.sqlite'
export const BACKUPS_DIR = 'backups'

export interface CoreOptions {
  /** The data folder: the database file and its backups live here. */
  dataDir: string
  /** The drizzle/ folder with the generated migrations. */
  migrationsFolder: string
  /** The app's version, shown in app.status. */
  version: string
  clock?: Clock
  /** A better_sqlite3.node built for this runtime, when it is not Node's default build. */
  nativeBinding?: string
  log?: Logger
  /** The PC's time zone and locale, used to prefill the first-launch profile. */
  systemDefaults?: () => SystemDefaults
}

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void

export interface Core {
  readonly status: AppStatus
  /** Calls a channel of the contract. Never throws: the answer is an envelope. */
  invoke(channel: string, input?: unknown): Promise<Envelope<unknown>>
  /** Listens to the events core announces (a member changed, a job finished...). */
  onEvent(listener: EventListener): () => void
  close(): void
}

/** The data folder: COFFER_DATA_DIR when set, else the fallback (Electron's userData in the app). */
export function resolveDataDir(env: NodeJS.ProcessEnv, fallback: string): string {
  const fromEnv = env.COFFER_DATA_DIR?.trim()
  return path.resolve(fromEnv ? fromEnv : fallback)
}

export function defaultSystemDefaults(): SystemDefaults {
  const resolved = new Intl.DateTimeFormat().resolvedOptions()
  const locale = resolved.locale || 'en-US'
  return { timeZone: resolved.timeZone || 'UTC', locale, currency: 'USD' }
}

/**
 * Starts the application core on a data folder. Never throws for a data file
 * that cannot be used: the core then answers app.status with the failure
 * (what happened, the path, what to do) and every other channel with
 * UNAVAILABLE, so the window can say so instead of crashing.
 */
export function openCore(opts: CoreOptions): Core {
  const clock = opts.clock ?? systemClock
  const log = opts.log ?? consoleLogger
  const file = path.join(opts.dataDir, DATABASE_FILE)
  const listeners = new Set<EventListener>()
  const emit: EventListener = (event, payload) => {
    for (const l of listeners) {
      try {
        l(event, payload)
      } catch (e) {
        log.error(`listener for ${event} failed`, e)
      }
    }
  }
  const onEvent = (l: EventListener) => {
    listeners.add(l)
    return () => listeners.delete(l)
  }
  const systemDefaults = opts.systemDefaults ?? defaultSystemDefaults

  let opened: OpenedDatabase
  try {
    opened = openDatabase({
      file,
      migrationsFolder: opts.migrationsFolder,
      backupsDir: path.join(opts.dataDir, BACKUPS_DIR),
      clock,
      nativeBinding: opts.nativeBinding
    })
  } catch (e) {
    const failure = (e instanceof StartupError ? e : classifyOpenError(e, file)).failure
    log.error(`cannot start: ${failure.message}`, e)
    const status: AppStatus = { state: 'failed', version: opts.version, failure }
    const invoke = createDispatcher({ 'app.status': () => status, 'app.systemDefaults': systemDefaults }, log)
    return { status, invoke, onEvent, close: () => listeners.clear() }
  }

  const ctx = { db: opened.db, sqlite: opened.sqlite, clock, emit }
  const profile = new ProfileService(ctx)
  const members = new MembersService(ctx, profile)
  const status = (): AppStatus => ({
    state: 'ready',
    version: opts.version,
    dataDir: opts.dataDir,
    databasePath: file,
    needsProfile: profile.get() === null,
    preMigrationBackup: opened.preMigrationBackup
  })
  const invoke = createDispatcher(coreHandlers({ status, systemDefaults, profile, members }), log)
  let closed = false
  return {
    get status() {
      return status()
    },
    invoke: (channel, input) =>
      closed ? Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'Coffer is closing.' } }) : invoke(channel, input),
    onEvent,
    close() {
      if (closed) return
      closed = true
      listeners.clear()
      try {
        opened.sqlite.pragma('wal_checkpoint(TRUNCATE)')
      } finally {
        opened.sqlite.close()
      }
    }
  }
}
