import path from 'node:path'
import fs from 'node:fs'
import type { Database as Sqlite } from 'better-sqlite3'
import { err, isChannel, type AppStatus, type Channel, type Err, type Envelope, type EventName, type EventPayload, type RecoveryResult, type StartupFailure, type SystemDefaults } from '../shared/contract'
import { systemClock, type Clock } from './platform/clock'
import { openDatabase, readMigrations, type OpenedDatabase } from './platform/db/open'
import {
  StartupError,
  classifyOpenError,
  missingWithBackups,
  missingWithTraces,
  replacedFailure,
  restoringFailure
} from './platform/db/startup-error'
import { fileIdentity, sameFile, type FileIdentity } from './platform/db/files'
import { HEARTBEAT_MS, PresenceFile, describePresence } from './platform/db/presence'
import { consoleLogger, createDispatcher, type CoreHandlers, type Logger } from './platform/ipc/dispatcher'
import { JobEngine } from './platform/jobs/engine'
import { InlineExecutor, WorkerExecutor, openSqliteWith, sourceWorkerScript, type WorkerScript } from './platform/jobs/executor'
import { makeOwner } from './platform/jobs/lease'
import { WriteGate } from './platform/jobs/gate'
import { jobsHandlers } from './platform/jobs/handlers'
import type { JobDefinition } from './platform/jobs/types'
import { listBackups, localStamp, newestGoodBackup, removePartials } from './platform/backups/backups'
import { claimFolderForRestore, putInPlace, restoreBackup, stageBackup } from './platform/backups/restore'
import { DomainError, conflict, invalid } from './platform/errors'
import { DatabaseKeys, keyedOpener, openWithKeys } from './platform/db/keys'
import { parseRecoveryKey } from './platform/db/cipher'
import { removeRewriteLeftovers } from './platform/db/rewrite'
import { confirmRecoveryKey, disableEncryption, enableEncryption, encryptionStatus, type EncryptionHost } from './platform/db/encryption'
import { chainedSecretStore, envSecretStore, keychainSecretStore, type SecretStore } from './platform/secrets'
import { SYSTEM, type CallScope } from './platform/actor'
import { installAuditTrail } from './platform/audit/trail'
import type { ServiceContext } from './platform/context'
import type { AnyCoreModule, Areas, ModuleEnv } from './platform/module'
import type { DesktopNotifier, NotificationsService } from './notifications'
import { allJobs, modules } from './modules'

export { ManualClock, systemClock, type Clock } from './platform/clock'
export type { Logger } from './platform/ipc/dispatcher'
export type { JobDefinition, JobContext, JobResult } from './platform/jobs/types'
export type { JobEngine } from './platform/jobs/engine'

export const DATABASE_FILE = 'coffer.sqlite'

/** Shell channels the start-up failure page uses while no data file is open (and no operator can sign in). */
const FAILED_STARTUP_SHELL: ReadonlySet<string> = new Set(['app.showDataFolder', 'app.openExternal'])
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
  /**
   * log2 of scrypt's N for new password hashes. Tests lower it (hundreds of
   * sign-ins); the app and the CLI keep the default (passwords.ts).
   */
  passwordCost?: number
  /**
   * Where secrets are kept (the data file's key): the OS keychain unless
   * given. Tests that need a real keychain start one (test/support/keychain.ts).
   */
  secrets?: SecretStore
  /**
   * Environment variables read for secrets before the keychain
   * (COFFER_DB_KEY): the command line's own by default, none for the app.
   */
  secretEnv?: NodeJS.ProcessEnv
  /**
   * Tests only: a CA certificate (PEM) the mail job and test messages trust
   * besides the system's, so a loopback SMTP server with a certificate made
   * in the test can be reached over STARTTLS. Never a setting; the app and
   * the command line leave it undefined (like NODE_EXTRA_CA_CERTS, but for
   * this core only).
   */
  mailTlsCa?: string
  /**
   * Benchmarks only: no permission check and no audit trail, to measure what
   * they cost (`npm run bench`). Every call then runs as the system. Never
   * set by the app or the CLI.
   */
  unguarded?: boolean
}

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void

export interface Core {
  readonly status: AppStatus
  /**
   * Calls a channel of the contract as this core's session (the operator
   * signed in at the window, or at the command line), after the permission
   * check. Never throws: the answer is an envelope.
   */
  invoke(channel: string, input?: unknown): Promise<Envelope<unknown>>
  /**
   * The permission check alone, for channels the Electron shell answers
   * itself (printing, opening files): null when allowed, else the refusal.
   */
  authorize(channel: string): Err | null
  /**
   * Calls a channel as the system, without an operator: the command line's
   * `jobs run`, `jobs list` and `backup`, which run unattended. Never wired
   * to the window.
   */
  invokeAsSystem(channel: string, input?: unknown): Promise<Envelope<unknown>>
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

/**
 * The cooperative's locale as saved in its profile, read before the app's
 * window exists: Electron takes the language its date boxes are drawn in
 * (dd/mm/yyyy or mm/dd/yyyy) only at start-up. Opens the data file read-only
 * and never creates one: a missing file, an unreadable one or no profile yet
 * is null (the computer's own language is used, and the core reports any
 * problem with the file when it opens it).
 */
export function savedProfileLocale(opts: { dataDir: string; nativeBinding?: string; secrets?: SecretStore }): string | null {
  const file = path.join(opts.dataDir, DATABASE_FILE)
  if (!fs.existsSync(file)) return null
  let db: Sqlite | null = null
  try {
    // An encrypted file opens with the key the keychain has for it; without one, null like any unreadable file.
    db = openWithKeys(file, new DatabaseKeys(opts.secrets ?? keychainSecretStore()), {
      readonly: true,
      fileMustExist: true,
      nativeBinding: opts.nativeBinding,
      timeout: 1000
    }).sqlite
    const locale = db.prepare('SELECT locale FROM cooperative_profile WHERE id = 1').pluck().get()
    if (typeof locale !== 'string') return null
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length === 1 ? locale : null
  } catch {
    return null
  } finally {
    db?.close()
  }
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
  /** Which file was opened: another one in its place means it was replaced behind our back. */
  identity: FileIdentity | null
}

/**
 * Starts the application core on a data folder. Never throws for a data file
 * that cannot be used: the core then answers app.status with the failure
 * (what happened, the path, what to do) and every other channel with
 * UNAVAILABLE, so the window can say so instead of crashing. A missing data
 * file with backups beside it is such a failure (DB_MISSING_WITH_BACKUPS):
 * app.restoreNewestBackup or app.startEmpty (confirmed) then start the core.
 *
 * While its file is open the core announces itself in the data folder
 * (platform/db/presence.ts), so a restore elsewhere refuses; and it checks
 * before every call, and on a heartbeat, that the file in place is still the
 * one it opened. If not, it stops writing (DB_REPLACED).
 */
export function openCore(opts: CoreOptions): Core {
  const clock = opts.clock ?? systemClock
  const log = opts.log ?? consoleLogger
  const file = path.join(opts.dataDir, DATABASE_FILE)
  const backupsDir = path.join(opts.dataDir, BACKUPS_DIR)
  const owner = makeOwner(opts.processKind ?? 'app')
  const presence = new PresenceFile(opts.dataDir, owner)
  // The keys of encrypted files: the keychain, and for the command line COFFER_DB_KEY first.
  const keptSecrets = opts.secrets ?? keychainSecretStore()
  const secretEnv = opts.secretEnv ?? (opts.processKind === 'cli' ? process.env : undefined)
  const dbKeys = new DatabaseKeys(keptSecrets, secretEnv)
  // The SMTP password and the SMS token: the command line's variables first (COFFER_SMTP_PASSWORD...), then the keychain.
  const secrets = secretEnv ? chainedSecretStore(envSecretStore(secretEnv), keptSecrets) : keptSecrets
  const openSqlite = keyedOpener(dbKeys, opts.nativeBinding)
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
  let closed = false

  const boot = (extraKeys?: Buffer[]): Booted => {
    const opened = openDatabase({ file, migrationsFolder: opts.migrationsFolder, backupsDir, clock, nativeBinding: opts.nativeBinding, keys: dbKeys, extraKeys })
    const identity = fileIdentity(file)
    removePartials(backupsDir)
    // The file in place opened: a copy or an old file left by encryption turned on or off when it was interrupted can go.
    removeRewriteLeftovers(file)
    // Every write on this connection leaves its audit row, in its own transaction.
    if (!opts.unguarded) installAuditTrail(opened.sqlite, { now: () => clock.now() })
    const ctx: ServiceContext = { db: opened.db, sqlite: opened.sqlite, clock, emit }
    const areas = {} as Areas
    const env: ModuleEnv = {
      ctx,
      areas,
      dataDir: opts.dataDir,
      resourcesDir,
      jobs: () => jobs,
      timeZone: () => areas.profile.get()?.timeZone ?? systemDefaults().timeZone,
      locale: () => areas.profile.get()?.locale ?? systemDefaults().locale,
      processKind: opts.processKind,
      passwordHash: { cost: opts.passwordCost },
      secrets,
      mailTlsCa: opts.mailTlsCa,
      openReader: () => openSqliteWith(opts.nativeBinding, opened.key)(file, true),
      log
    }
    // Each area's service, in the list's order.
    for (const m of modules as readonly AnyCoreModule[]) (areas as unknown as Record<string, unknown>)[m.name] = m.create(env)
    areas.notifications.setDesktopNotifier(desktop)
    const { timeZone, locale } = env
    const execEnv = { db: opened.db, sqlite: opened.sqlite, clock, dataDir: opts.dataDir, resourcesDir, backupsDir, databaseFile: file, timeZone, locale, nativeBinding: opts.nativeBinding, dbKey: opened.key }
    const inline = new InlineExecutor(execEnv)
    const worker = new WorkerExecutor(
      { ...execEnv, jobModules: opts.extraJobs?.modulePath ? [opts.extraJobs.modulePath] : [], gate: gate.buffer, audit: !opts.unguarded },
      opts.workerScript ?? sourceWorkerScript(path.join(__dirname, 'jobs-worker.ts'))
    )
    const jobs = new JobEngine({
      ctx,
      jobs: jobDefs,
      owner,
      notifications: areas.notifications,
      timeZone,
      locale,
      executorFor: (j) => (opts.inlineJobs || j.thread === 'inline' ? inline : worker),
      log,
      sleep: opts.jobSleep
    })
    jobs.init()
    return { opened, env, areas, jobs, identity }
  }

  // Exactly one of these is set once start() has run.
  let app: Booted | null = null
  let failure: StartupFailure | null = null
  let heartbeat: NodeJS.Timeout | null = null

  const stopHeartbeat = () => {
    if (heartbeat) clearInterval(heartbeat)
    heartbeat = null
  }

  /** Opens the data file (or records why not). `allowNew`: the treasurer confirmed starting empty; `extraKeys`: a recovery key typed. */
  const start = (o: { allowNew?: boolean; extraKeys?: Buffer[] } = {}): void => {
    app = null
    failure = null
    try {
      // Presence first, then the restore mark: a restore elsewhere sees us, or we see it.
      try {
        presence.beat()
      } catch {
        /* the data folder is unusable: openDatabase says so */
      }
      const restoring = presence.restoreInProgress()
      if (restoring) throw restoringFailure(file, describePresence(restoring))
      if (!o.allowNew && !fs.existsSync(file)) {
        const backups = listBackups(backupsDir)
        if (backups.length > 0) {
          throw missingWithBackups(file, backups.length, newestGoodBackup(backupsDir, readMigrations(opts.migrationsFolder, file), openSqlite))
        }
        const traces = journalTraces()
        if (traces.length > 0) throw missingWithTraces(file, traces.map((t) => path.basename(t)))
      }
      app = boot(o.extraKeys)
      if (!heartbeat) {
        heartbeat = setInterval(() => {
          try {
            if (app) presence.beat()
            checkFile()
          } catch (e) {
            log.warn('data folder heartbeat failed', e)
          }
        }, HEARTBEAT_MS)
        heartbeat.unref()
      }
      if (scheduling) {
        app.jobs.startScheduler()
        app.jobs.runDue('launch')
      }
    } catch (e) {
      failure = (e instanceof StartupError ? e : classifyOpenError(e, file)).failure
      log.error(`cannot start: ${failure.message}`, e)
      stopHeartbeat()
      presence.release()
    }
  }

  const closeDb = (b: Booted, checkpoint = true) => {
    try {
      if (checkpoint) b.opened.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    } finally {
      b.opened.sqlite.close()
    }
  }

  /**
   * Stops writing if the file in place is not the one this core opened (a
   * restore by another program renamed a copy over it): every write would go
   * to the old, unlinked file and be lost. SQLite does not checkpoint or
   * delete the WAL of a file that has moved, so closing is safe.
   */
  const checkFile = (): void => {
    const b = app
    if (!b || sameFile(b.identity, fileIdentity(file))) return
    app = null
    failure = replacedFailure(file).failure
    log.error(failure.message)
    stopHeartbeat()
    presence.release()
    void b.jobs
      .shutdown()
      .catch((e: unknown) => log.error('stopping the jobs failed', e))
      .finally(() => {
        try {
          closeDb(b, false)
        } catch (e) {
          log.error('closing the replaced file failed', e)
        }
      })
    emit('app.dataReplaced', { restored: '' })
  }

  const status = (): AppStatus =>
    app
      ? {
          state: 'ready',
          version: opts.version,
          dataDir: opts.dataDir,
          databasePath: file,
          needsProfile: app.areas.profile.get() === null,
          preMigrationBackup: app.opened.preMigrationBackup
        }
      : {
          state: 'failed',
          version: opts.version,
          failure: failure ?? replacedFailure(file).failure
        }

  /** The open book, read afresh (start() replaces it). */
  const booted = (): Booted | null => app

  const ready = (): Booted => {
    if (!app) throw conflict('Coffer cannot use its data file right now; see the start-up page.')
    return app
  }

  const restore = async (name: string, recoveryKey?: string) => {
    const current = ready()
    const result = await restoreBackup(name, {
      file,
      backupsDir,
      clock,
      migrations: readMigrations(opts.migrationsFolder, file),
      keys: dbKeys,
      nativeBinding: opts.nativeBinding,
      recoveryKey,
      bookKey: current.opened.key,
      presence,
      timeZone: () => current.areas.profile.get()?.timeZone ?? 'UTC',
      jobs: () => current.jobs,
      close: () => {
        app = null
        closeDb(current)
      },
      reopen: () => start()
    })
    emit('app.dataReplaced', { restored: name })
    return result
  }

  const missingFile = (): StartupFailure => {
    if (app || failure?.code !== 'DB_MISSING_WITH_BACKUPS' || fs.existsSync(file)) {
      throw conflict('Coffer has its data file; there is nothing to recover. Restore a backup from Settings, Backups instead.')
    }
    return failure
  }

  /** DB_MISSING_WITH_BACKUPS: the newest good backup goes into place, then the core starts on it. */
  const restoreNewest = (): RecoveryResult => {
    missingFile()
    const release = claimFolderForRestore(presence)
    let restored: string
    try {
      const newest = newestGoodBackup(backupsDir, readMigrations(opts.migrationsFolder, file), openSqlite)
      if (!newest) throw conflict('None of the backups passed its check, so none can be restored. Nothing was changed.')
      const staging = stageBackup(path.join(backupsDir, newest.name), file, {
        migrations: readMigrations(opts.migrationsFolder, file),
        keys: dbKeys,
        nativeBinding: opts.nativeBinding
      })
      if (fs.existsSync(file)) {
        fs.rmSync(staging, { force: true })
        throw conflict('A data file has appeared in the data folder meanwhile. Nothing was changed; start Coffer again.')
      }
      putInPlace(staging, file)
      restored = newest.name
    } finally {
      release()
    }
    start()
    if (app) emit('app.dataReplaced', { restored })
    return { restored, status: status() }
  }

  /** The missing data file's journal files, if left behind. */
  const journalTraces = (): string[] => ['-wal', '-shm'].map((s) => file + s).filter((f) => fs.existsSync(f))

  /**
   * DB_MISSING_WITH_BACKUPS, confirmed: a new, empty data file; the backups stay.
   * A journal left by the missing file is renamed aside first (kept, never
   * deleted): SQLite would otherwise replay the old file's pages into the new one.
   */
  const startEmpty = (): RecoveryResult => {
    missingFile()
    const [day, time] = localStamp(clock.now(), 'UTC')
    for (const trace of journalTraces()) {
      let aside = `${trace}.orphaned-${day}-${time}`
      for (let i = 2; fs.existsSync(aside); i++) aside = `${trace}.orphaned-${day}-${time}-${i}`
      fs.renameSync(trace, aside)
    }
    start({ allowNew: true })
    if (app) emit('app.dataReplaced', { restored: '' })
    return { restored: null, status: status() }
  }

  /**
   * Encryption turned on or off rewrites the file and opens it again: the
   * same book, so the operator signed in stays signed in.
   */
  const encryptionHost = (): EncryptionHost => {
    const current = ready()
    let session: ReturnType<typeof current.areas.operators.sessionToCarry> = null
    return {
      file,
      backupsDir,
      keys: dbKeys,
      nativeBinding: opts.nativeBinding,
      live: () => ({ sqlite: ready().opened.sqlite, key: ready().opened.key }),
      jobs: () => current.jobs,
      presence,
      close: () => {
        const b = app
        if (!b) return
        session = b.areas.operators.sessionToCarry()
        app = null
        closeDb(b)
      },
      reopen: () => {
        start()
        app?.areas.operators.resumeSession(session)
        return app !== null
      }
    }
  }

  /** DB_KEY_NEEDED: the data file opened with its recovery key, which the keychain then keeps. */
  const unlock = ({ recoveryKey }: { recoveryKey: string }) => {
    if (app || failure?.code !== 'DB_KEY_NEEDED') throw conflict('The data file is not waiting for its recovery key; there is nothing to unlock.')
    const parsed = parseRecoveryKey(recoveryKey)
    if ('problem' in parsed) throw invalid(`The recovery key cannot be read: ${parsed.problem}`, { recoveryKey: parsed.problem })
    start({ extraKeys: [parsed.key] })
    const opened = booted()
    if (!opened && failure?.code === 'DB_KEY_NEEDED') {
      throw invalid('This recovery key does not open the data file: it is another book’s key, or the file is damaged. Nothing was changed.', {
        recoveryKey: 'This recovery key does not open this data file'
      })
    }
    let keyKept = false
    const key = opened?.opened.key
    if (key) {
      try {
        if (!dbKeys.holds(key)) dbKeys.remember(key)
        keyKept = true
      } catch (e) {
        log.warn('the keychain could not keep the data file key', e)
      }
    }
    if (opened) emit('app.dataReplaced', { restored: '' })
    return { restored: null, status: status(), keyKept }
  }

  // The handlers outlive a restore, which builds every service anew: they read
  // the current ones through this environment's getters, at call time.
  const liveEnv: ModuleEnv = {
    get ctx() {
      return ready().env.ctx
    },
    get areas() {
      return ready().areas
    },
    dataDir: opts.dataDir,
    resourcesDir,
    jobs: () => ready().jobs,
    timeZone: () => ready().env.timeZone(),
    locale: () => ready().env.locale(),
    processKind: opts.processKind,
    passwordHash: { cost: opts.passwordCost },
    secrets,
    mailTlsCa: opts.mailTlsCa,
    openReader: () => ready().env.openReader(),
    log
  }
  const handlers: Record<string, unknown> = {
    'app.status': () => status(),
    'app.systemDefaults': () => systemDefaults(),
    'app.restoreNewestBackup': () => restoreNewest(),
    'app.startEmpty': () => startEmpty(),
    ...jobsHandlers(() => ready().jobs),
    'backups.list': () => ({ folder: backupsDir, backups: listBackups(backupsDir) }),
    'backups.restore': ({ name, recoveryKey }: { name: string; recoveryKey?: string }) => restore(name, recoveryKey),
    'encryption.status': () => encryptionStatus({ live: () => ({ sqlite: ready().opened.sqlite, key: ready().opened.key }), keys: dbKeys, backupsDir }),
    'encryption.confirmRecoveryKey': () =>
      confirmRecoveryKey({ live: () => ({ sqlite: ready().opened.sqlite, key: ready().opened.key }), keys: dbKeys, backupsDir }),
    'encryption.enable': () => enableEncryption(encryptionHost()),
    'encryption.disable': () => disableEncryption(encryptionHost()),
    'encryption.unlock': unlock
  }
  for (const m of modules as readonly AnyCoreModule[]) {
    for (const [channel, handler] of Object.entries(m.handlers((() => ready().areas[m.name]) as () => never, liveEnv))) {
      // Prefixes are disjoint by construction; this catches a module listed twice.
      if (channel in handlers) throw new Error(`Two handlers for ${channel}`)
      handlers[channel] = handler
    }
  }
  const around = <T>(fn: () => T): T => gate.around(fn)
  // The operator's session decides who may call what (operators/service.ts authorize).
  const authorize = (channel: Channel): CallScope => (opts.unguarded ? { actor: SYSTEM, channel } : ready().areas.operators.authorize(channel))
  const readyInvoke = createDispatcher(handlers as CoreHandlers, log, { around, authorize })
  const systemInvoke = createDispatcher(handlers as CoreHandlers, log, { around, authorize: (channel) => ({ actor: SYSTEM, channel }) })
  // Without a data file: the status, the PC's defaults, and the ways out of DB_MISSING_WITH_BACKUPS.
  const failedInvoke = createDispatcher(
    {
      'app.status': () => status(),
      'app.systemDefaults': systemDefaults,
      'app.restoreNewestBackup': () => restoreNewest(),
      'app.startEmpty': () => startEmpty(),
      'encryption.unlock': unlock
    },
    log
  )

  start()

  return {
    get status() {
      checkFile()
      return status()
    },
    invoke: (channel, input) => {
      if (closed) return Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'Coffer is closing.' } })
      checkFile()
      return app ? readyInvoke(channel, input) : failedInvoke(channel, input)
    },
    authorize: (channel) => {
      if (!isChannel(channel)) return err('UNKNOWN_CHANNEL', 'There is no such channel.')
      if (!app) {
        // No data file, so nobody can sign in: the start-up page may still show the data folder and open links.
        if (FAILED_STARTUP_SHELL.has(channel)) return null
        return err('UNAVAILABLE', 'Coffer cannot use its data file right now; see the start-up page.')
      }
      try {
        authorize(channel)
        return null
      } catch (e) {
        if (e instanceof DomainError) return err(e.code, e.message, e.fields)
        log.error('the permission check failed', e)
        return err('INTERNAL', 'Something went wrong and nothing was done. Please try again.')
      }
    },
    invokeAsSystem: (channel, input) => {
      if (closed) return Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'Coffer is closing.' } })
      checkFile()
      return app ? systemInvoke(channel, input) : failedInvoke(channel, input)
    },
    onEvent,
    get jobs() {
      return app?.jobs ?? null
    },
    get notifications() {
      return app?.areas.notifications ?? null
    },
    startScheduling() {
      scheduling = true
      if (!app) return
      app.jobs.startScheduler()
      app.jobs.runDue('launch')
    },
    resumed() {
      if (scheduling) app?.jobs.runDue('resume')
    },
    setDesktopNotifier(notifier) {
      desktop = notifier
      app?.areas.notifications.setDesktopNotifier(notifier)
    },
    async shutdown() {
      if (closed) return
      await app?.jobs.shutdown()
      this.close()
    },
    close() {
      if (closed) return
      closed = true
      stopHeartbeat()
      listeners.clear()
      const b = app
      app = null
      presence.release()
      if (!b) return
      void b.jobs.shutdown()
      closeDb(b)
    }
  }
}
