import path from 'node:path'
import type { AppStatus, Envelope, EventName, EventPayload, SystemDefaults } from '../shared/contract'
import { systemClock, type Clock } from './platform/clock'
import { openDatabase, type OpenedDatabase } from './platform/db/open'
import { StartupError, classifyOpenError } from './platform/db/startup-error'
import { consoleLogger, createDispatcher, type CoreHandlers, type Logger } from './platform/ipc/dispatcher'
import { JobEngine } from './platform/jobs/engine'
import { InlineExecutor, WorkerExecutor, sourceWorkerScript, type WorkerScript } from './platform/jobs/executor'
import { makeOwner } from './platform/jobs/lease'
import { WriteGate } from './platform/jobs/gate'
import { jobsHandlers } from './platform/jobs/handlers'
import type { JobDefinition } from './platform/jobs/types'
import { listBackups, removePartials } from './platform/backups/backups'
import { restoreBackup } from './platform/backups/restore'
import type { ServiceContext } from './platform/context'
import type { AnyCoreModule, Areas, ModuleEnv } from './platform/module'
import type { DesktopNotifier, NotificationsService } from './notifications'
import { allJobs, modules } from './modules'

export { ManualClock, systemClock, type Clock } from './platform/clock'
export type { Logger } from './platform/ipc/dispatcher'
export type { JobDefinition, JobContext, JobResult } from './platform/jobs/types'
export type { JobEngine } from './platform/jobs/engine'

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
  /** Who this process is to other processes sharing the data folder. */
  processKind?: 'app' | 'cli' | 'test'
  /** The job worker's entry; defaults to the TypeScript source run through tsx. */
  workerScript?: WorkerScript
  /** Jobs beyond the built-in ones (tests, benchmarks): definitions, and a module exporting `jobs` for worker threads. */
  extraJobs?: { definitions: JobDefinition[]; modulePath?: string }
  /** Runs every job on the calling thread (no worker threads). */
  inlineJobs?: boolean
  /** resources/ (fonts for vouchers); defaults to the repository's. */
  resourcesDir?: string
  /** Waits between job attempts (tests shorten it). */
  jobSleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void

export interface Core {
  readonly status: AppStatus
  /** Calls a channel of the contract. Never throws: the answer is an envelope. */
  invoke(channel: string, input?: unknown): Promise<Envelope<unknown>>
  /** Listens to the events core announces (a member changed, a run progressed...). */
  onEvent(listener: EventListener): () => void
  /** The job engine, or null when the data file could not be opened. */
  readonly jobs: JobEngine | null
  readonly notifications: NotificationsService | null
  /** Starts node-cron and runs, once each, the jobs whose slots passed while Coffer was not running. */
  startScheduling(): void
  /** After the PC wakes from sleep: catch up again. */
  resumed(): void
  /** The Electron shell shows desktop notifications through this. */
  setDesktopNotifier(notifier: DesktopNotifier | null): void
  /** Stops the scheduler and running jobs (recorded as interrupted), then closes the file. */
  shutdown(): Promise<void>
  /** Closes at once (jobs still running are abandoned). */
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

interface Booted {
  opened: OpenedDatabase
  env: ModuleEnv
  areas: Areas
  jobs: JobEngine
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
  const backupsDir = path.join(opts.dataDir, BACKUPS_DIR)
  const owner = makeOwner(opts.processKind ?? 'app')
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
  const jobDefs = [...allJobs, ...(opts.extraJobs?.definitions ?? [])]
  const resourcesDir = opts.resourcesDir ?? path.resolve(__dirname, '../../resources')
  let desktop: DesktopNotifier | null = null
  const gate = new WriteGate()
  let scheduling = false

  const boot = (): Booted => {
    const opened = openDatabase({ file, migrationsFolder: opts.migrationsFolder, backupsDir, clock, nativeBinding: opts.nativeBinding })
    removePartials(backupsDir)
    const ctx: ServiceContext = { db: opened.db, sqlite: opened.sqlite, clock, emit }
    const areas = {} as Areas
    const env: ModuleEnv = {
      ctx,
      areas,
      dataDir: opts.dataDir,
      resourcesDir,
      jobs: () => jobs,
      timeZone: () => areas.profile.get()?.timeZone ?? systemDefaults().timeZone
    }
    // Each area's service, in the list's order.
    for (const m of modules as readonly AnyCoreModule[]) (areas as unknown as Record<string, unknown>)[m.name] = m.create(env)
    areas.notifications.setDesktopNotifier(desktop)
    const timeZone = env.timeZone
    const execEnv = { db: opened.db, sqlite: opened.sqlite, clock, dataDir: opts.dataDir, backupsDir, databaseFile: file, timeZone, nativeBinding: opts.nativeBinding }
    const inline = new InlineExecutor(execEnv)
    const worker = new WorkerExecutor(
      { ...execEnv, jobModules: opts.extraJobs?.modulePath ? [opts.extraJobs.modulePath] : [], gate: gate.buffer },
      opts.workerScript ?? sourceWorkerScript(path.join(__dirname, 'jobs-worker.ts'))
    )
    const jobs = new JobEngine({
      ctx,
      jobs: jobDefs,
      owner,
      notifications: areas.notifications,
      timeZone,
      executorFor: (j) => (opts.inlineJobs || j.thread === 'inline' ? inline : worker),
      log,
      sleep: opts.jobSleep
    })
    jobs.init()
    return { opened, env, areas, jobs }
  }

  let app: Booted
  try {
    app = boot()
  } catch (e) {
    const failure = (e instanceof StartupError ? e : classifyOpenError(e, file)).failure
    log.error(`cannot start: ${failure.message}`, e)
    const status: AppStatus = { state: 'failed', version: opts.version, failure }
    const invoke = createDispatcher({ 'app.status': () => status, 'app.systemDefaults': systemDefaults }, log)
    return {
      status,
      invoke,
      onEvent,
      jobs: null,
      notifications: null,
      startScheduling: () => undefined,
      resumed: () => undefined,
      setDesktopNotifier: () => undefined,
      shutdown: async () => listeners.clear(),
      close: () => listeners.clear()
    }
  }

  const status = (): AppStatus => ({
    state: 'ready',
    version: opts.version,
    dataDir: opts.dataDir,
    databasePath: file,
    needsProfile: app.areas.profile.get() === null,
    preMigrationBackup: app.opened.preMigrationBackup
  })

  const closeDb = () => {
    try {
      app.opened.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    } finally {
      app.opened.sqlite.close()
    }
  }

  const restore = async (name: string) => {
    const result = await restoreBackup(name, {
      file,
      backupsDir,
      clock,
      timeZone: () => app.areas.profile.get()?.timeZone ?? 'UTC',
      jobs: () => app.jobs,
      close: closeDb,
      reopen: () => {
        app = boot()
        if (scheduling) {
          app.jobs.startScheduler()
          app.jobs.runDue('launch')
        }
      }
    })
    emit('app.dataReplaced', { restored: name })
    return result
  }

  // The handlers outlive a restore, which builds every service anew: they read
  // the current ones through this environment's getters, at call time.
  const liveEnv: ModuleEnv = {
    get ctx() {
      return app.env.ctx
    },
    get areas() {
      return app.areas
    },
    dataDir: opts.dataDir,
    resourcesDir,
    jobs: () => app.jobs,
    timeZone: () => app.env.timeZone()
  }
  const handlers: Record<string, unknown> = {
    'app.status': () => status(),
    'app.systemDefaults': () => systemDefaults(),
    ...jobsHandlers(() => app.jobs),
    'backups.list': () => ({ folder: backupsDir, backups: listBackups(backupsDir) }),
    'backups.restore': ({ name }: { name: string }) => restore(name)
  }
  for (const m of modules as readonly AnyCoreModule[]) {
    for (const [channel, handler] of Object.entries(m.handlers((() => app.areas[m.name]) as () => never, liveEnv))) {
      // Prefixes are disjoint by construction; this catches a module listed twice.
      if (channel in handlers) throw new Error(`Two handlers for ${channel}`)
      handlers[channel] = handler
    }
  }

  const invoke = createDispatcher(handlers as CoreHandlers, log, { around: (fn) => gate.around(fn) })
  let closed = false
  return {
    get status() {
      return status()
    },
    invoke: (channel, input) =>
      closed
        ? Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'Coffer is closing.' } })
        : invoke(channel, input),
    onEvent,
    get jobs() {
      return app.jobs
    },
    get notifications() {
      return app.areas.notifications
    },
    startScheduling() {
      scheduling = true
      app.jobs.startScheduler()
      app.jobs.runDue('launch')
    },
    resumed() {
      if (scheduling) app.jobs.runDue('resume')
    },
    setDesktopNotifier(notifier) {
      desktop = notifier
      app.areas.notifications.setDesktopNotifier(notifier)
    },
    async shutdown() {
      if (closed) return
      await app.jobs.shutdown()
      this.close()
    },
    close() {
      if (closed) return
      closed = true
      void app.jobs.shutdown()
      listeners.clear()
      closeDb()
    }
  }
}
