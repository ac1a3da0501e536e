import fs from 'node:fs'
import path from 'node:path'
import type { AppStatus, Envelope, EventName, EventPayload, SystemDefaults } from '../shared/contract'
import { systemClock, type Clock } from './clock'
import { openDatabase, type OpenedDatabase } from './db/open'
import { StartupError, classifyOpenError } from './db/startup-error'
import { consoleLogger, createDispatcher, type Logger } from './ipc/dispatcher'
import { coreHandlers } from './ipc/handlers'
import { ProfileService } from './services/profile'
import { MembersService } from './services/members'
import { NotificationsService, type DesktopNotifier } from './services/notifications'
import { BondsService } from './services/bonds'
import { VouchersService } from './services/vouchers'
import { writePortfolioWorkbook } from './exports/portfolio'
import { JobEngine } from './jobs/engine'
import { builtinJobs } from './jobs/builtin'
import { InlineExecutor, WorkerExecutor, sourceWorkerScript, type WorkerScript } from './jobs/executor'
import { makeOwner } from './jobs/lease'
import { WriteGate } from './jobs/gate'
import type { JobDefinition } from './jobs/types'
import { backupFileName, freeName, listBackups, removePartials } from './backups'
import { conflict, invalid } from './errors'
import type { ServiceContext } from './services/context'

export { ManualClock, systemClock, type Clock } from './clock'
export type { Logger } from './ipc/dispatcher'
export type { JobDefinition, JobContext, JobResult } from './jobs/types'
export type { JobEngine } from './jobs/engine'

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
  profile: ProfileService
  members: MembersService
  bonds: BondsService
  vouchers: VouchersService
  notifications: NotificationsService
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
  const jobDefs = [...builtinJobs, ...(opts.extraJobs?.definitions ?? [])]
  let desktop: DesktopNotifier | null = null
  const gate = new WriteGate()
  let scheduling = false

  const boot = (): Booted => {
    const opened = openDatabase({ file, migrationsFolder: opts.migrationsFolder, backupsDir, clock, nativeBinding: opts.nativeBinding })
    removePartials(backupsDir)
    const ctx: ServiceContext = { db: opened.db, sqlite: opened.sqlite, clock, emit }
    const profile = new ProfileService(ctx)
    const members = new MembersService(ctx, profile)
    const bonds = new BondsService(ctx, profile)
    const vouchers = new VouchersService(ctx, {
      vouchersDir: path.join(opts.dataDir, 'vouchers'),
      fontsDir: path.join(opts.resourcesDir ?? path.resolve(__dirname, '../../resources'), 'fonts'),
      profile: () => profile.get()
    })
    const notifications = new NotificationsService(ctx)
    notifications.setDesktopNotifier(desktop)
    const timeZone = () => profile.get()?.timeZone ?? systemDefaults().timeZone
    const env = { db: opened.db, sqlite: opened.sqlite, clock, dataDir: opts.dataDir, backupsDir, databaseFile: file, timeZone, nativeBinding: opts.nativeBinding }
    const inline = new InlineExecutor(env)
    const worker = new WorkerExecutor(
      { ...env, jobModules: opts.extraJobs?.modulePath ? [opts.extraJobs.modulePath] : [], gate: gate.buffer },
      opts.workerScript ?? sourceWorkerScript()
    )
    const jobs = new JobEngine({
      ctx,
      jobs: jobDefs,
      owner,
      notifications,
      timeZone,
      executorFor: (j) => (opts.inlineJobs || j.thread === 'inline' ? inline : worker),
      log,
      sleep: opts.jobSleep
    })
    jobs.init()
    return { opened, profile, members, bonds, vouchers, notifications, jobs }
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
    needsProfile: app.profile.get() === null,
    preMigrationBackup: app.opened.preMigrationBackup
  })

  const closeDb = () => {
    try {
      app.opened.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    } finally {
      app.opened.sqlite.close()
    }
  }

  /**
   * Replaces the data file with a backup: the jobs stop, the current file is
   * kept aside as a pre-restore backup, the copy goes into place, and the core
   * opens it again (migrating it if it is older).
   */
  const restore = async (name: string): Promise<{ restored: string; keptAside: string }> => {
    const source = path.join(backupsDir, name)
    if (!listBackups(backupsDir).some((b) => b.name === name) || !fs.existsSync(source)) {
      throw invalid('That backup is not in the backups folder.', { name: 'Choose a backup from the list' })
    }
    const running = app.jobs.list().filter((j) => j.running)
    if (running.length > 0) {
      throw conflict(`Wait for ${running.map((j) => j.title).join(', ')} to finish, then restore.`)
    }
    await app.jobs.shutdown()
    const keptAside = freeName(backupsDir, backupFileName('pre-restore', clock.now(), app.profile.get()?.timeZone ?? 'UTC'))
    closeDb()
    fs.copyFileSync(file, path.join(backupsDir, keptAside))
    const staging = `${file}.restoring`
    fs.copyFileSync(source, staging)
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
    fs.renameSync(staging, file)
    app = boot()
    if (scheduling) {
      app.jobs.startScheduler()
      app.jobs.runDue('launch')
    }
    emit('app.dataReplaced', { restored: name })
    return { restored: name, keptAside }
  }

  const invoke = createDispatcher(
    coreHandlers({
      status,
      systemDefaults,
      profile: () => app.profile,
      members: () => app.members,
      notifications: () => app.notifications,
      jobs: () => app.jobs,
      bonds: () => app.bonds,
      voucherPdf: (ids) => app.vouchers.pdf(ids),
      exportPortfolio: async (memberId) => {
        const data = app.bonds.memberPortfolio(memberId)
        const member = app.members.get(memberId).member
        const profile = app.profile.get()
        if (!profile) throw conflict("Set up the cooperative's profile first.")
        const safe = member.memberNo.replace(/[^A-Za-z0-9._-]/g, '_')
        const file = path.join(opts.dataDir, 'exports', `portfolio-${safe}-${data.asOf}.xlsx`)
        await writePortfolioWorkbook(file, profile, { ...data, member })
        return { file }
      },
      backups: {
        list: () => ({ folder: backupsDir, backups: listBackups(backupsDir) }),
        restore
      },
      profileSaved: () => app.jobs.timeZoneChanged()
    }),
    log,
    { around: (fn) => gate.around(fn) }
  )
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
      return app.notifications
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
      app.notifications.setDesktopNotifier(notifier)
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
