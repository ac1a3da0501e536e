import { createRequire } from 'node:module'
import type * as NodeCron from 'node-cron'
import type { ScheduledTask } from 'node-cron'
import { and, count, desc, eq, isNotNull, lt, max, ne, type SQL } from 'drizzle-orm'
import { jobRuns, jobSchedules } from './schema'
import type { Job, JobRetry, JobRun, ParsedInput, RunStatus, RunTrigger } from '../../../shared/contract'
import { conflict, invalid, notFound } from '../errors'
import type { ServiceContext } from '../context'
import type { StaffNotifier } from './types'
import type { Logger } from '../ipc/dispatcher'
import type { Executor } from './executor'
import { describeOwner, Leases, ownerAlive } from './lease'
import { formatInstant } from '../../../shared/words'
import { cronProblem, describeCron, latestSlotAfter, nextSlots } from './schedule'
import { backoffDelay, FatalJobError, type JobDefinition, type JobParams, type JobResult } from './types'
import { localStamp } from '../backups/backups'
import { plainFailure } from './failure'
import { intervalTimer, RunWatcher, WATCH_EVERY_MS, type WatchTimer } from './watcher'

type RunRow = typeof jobRuns.$inferSelect

export interface EngineOptions {
  ctx: ServiceContext
  jobs: JobDefinition[]
  /** This process, as a lease owner (makeOwner). */
  owner: string
  notifications: StaffNotifier
  timeZone: () => string
  /** The cooperative's locale: times in messages are written in it. */
  locale: () => string
  executorFor: (job: JobDefinition) => Executor
  log: Logger
  /** Waits between attempts; tests pass a short one. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  leaseTtlMs?: number
  /** Run history older than this is pruned. */
  historyDays?: number
}

/** Why catch-up or the scheduler is looking for due slots. */
export type DueReason = 'launch' | 'resume' | 'tick'

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })

interface Active {
  runId: number
  attempt: AbortController
  /** Stops the whole run (no further attempts). */
  stop: AbortController
  done: Promise<JobRun>
  /** While waiting to try again: when the next attempt starts (UTC ISO). */
  retryAt?: string
}

const INTERRUPTED = 'Coffer stopped before this run finished (closed, crashed, or the PC lost power). Its unfinished work was not saved.'
const RETRIED: ReadonlySet<RunStatus> = new Set(['failed', 'timed-out'])

/** When the attempt after `failed` starts: its end plus the policy's wait. The engine waits exactly this long. */
export function retryTime(def: JobDefinition, failed: { endedAt: string | null; attempt: number }): string | null {
  if (!failed.endedAt) return null
  return new Date(Date.parse(failed.endedAt) + backoffDelay(def.retry, failed.attempt + 1)).toISOString()
}

function sameWallClock(a: string, b: string, timeZone: string): boolean {
  const [da, ta] = localStamp(new Date(a), timeZone)
  const [db, tb] = localStamp(new Date(b), timeZone)
  return da === db && ta === tb
}

/** How the Jobs page and the command line describe an on-demand job's schedule. */
export const ON_DEMAND_WORDS = 'On demand'
const ON_DEMAND_WHY = 'another part of Coffer starts it with what to do: see its description'

/** Within this long after its slot, a run started by the timer counts as on schedule; later, as catch-up. */
const ON_TIME_MS = 5 * 60_000

/**
 * The scheduler and runner. The schedule triggers; the data decides what is
 * due: a job is due when its latest cron slot (in the cooperative's time
 * zone) is after the latest slot any of its runs served, and after the job
 * was first known. So a launch after months off runs each job once, trigger
 * catch-up, and that run processes everything that fell due. Missed slots are
 * computed from the run history in SQLite, not remembered in memory.
 */
export class JobEngine {
  private readonly defs: Map<string, JobDefinition>
  private readonly active = new Map<string, Active>()
  /** Progress of the runs of this process, until they end. */
  private readonly live = new Map<number, { done: number; total: number | null; note: string | null }>()
  private readonly leases: Leases
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>
  private tasks: ScheduledTask[] = []
  private stopWatching: (() => void) | null = null
  /** Next run times per (cron, time zone), valid until the first of them passes: cron-parser is not cheap. */
  private readonly nextCache = new Map<string, string[]>()
  private closed = false

  constructor(private readonly o: EngineOptions) {
    this.defs = new Map(o.jobs.map((j) => [j.id, j]))
    this.leases = new Leases(o.ctx.sqlite, o.leaseTtlMs ?? 60_000)
    this.sleep = o.sleep ?? abortableSleep
  }

  private get db() {
    return this.o.ctx.db
  }
  private now(): Date {
    return this.o.ctx.clock.now()
  }

  /** Makes a schedule row for every job, marks runs a crash left behind as interrupted, prunes old history. */
  init(): { interrupted: number[] } {
    const at = this.now().toISOString()
    for (const j of this.defs.values()) {
      this.db
        .insert(jobSchedules)
        .values({ jobId: j.id, cron: j.defaultCron, enabled: true, createdAt: at, updatedAt: at })
        .onConflictDoNothing()
        .run()
    }
    const interrupted: number[] = []
    const running = this.db.select().from(jobRuns).where(eq(jobRuns.status, 'running')).all()
    for (const r of running) {
      if (this.liveElsewhere(r)) continue
      this.markInterrupted(r)
      interrupted.push(r.id)
    }
    this.pruneHistory()
    return { interrupted }
  }

  /** A run row is another live process's: it holds the job's lease, unexpired, and its process exists. */
  private liveElsewhere(r: RunRow): boolean {
    const holder = this.leases.holder(r.jobId)
    return (
      !!holder &&
      holder.owner === r.owner &&
      holder.owner !== this.o.owner &&
      holder.expiresAt > this.now().toISOString() &&
      ownerAlive(holder.owner)
    )
  }

  private markInterrupted(r: RunRow): RunRow | null {
    const row = this.db
      .update(jobRuns)
      .set({ status: 'interrupted', endedAt: this.now().toISOString(), error: INTERRUPTED })
      .where(and(eq(jobRuns.id, r.id), eq(jobRuns.status, 'running')))
      .returning()
      .get()
    this.leases.releaseIfDead(r.jobId)
    return row ?? null
  }

  /**
   * The watcher's check of a run another process left running. Never waits
   * for the write lock (a job's transaction may hold it): busy now, it tries
   * again at the next tick.
   */
  private interruptIfOrphaned(r: RunRow): RunRow | null {
    if (r.owner === this.o.owner || this.liveElsewhere(r)) return null
    const sqlite = this.o.ctx.sqlite
    const wait = Number(sqlite.pragma('busy_timeout', { simple: true }))
    sqlite.pragma('busy_timeout = 0')
    try {
      const row = this.markInterrupted(r)
      if (row) this.o.log.info(`${r.jobId}: run #${r.id} of ${r.owner} marked interrupted (its process is gone)`)
      return row ?? this.db.select().from(jobRuns).where(eq(jobRuns.id, r.id)).get() ?? null
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY') return null
      throw e
    } finally {
      sqlite.pragma(`busy_timeout = ${wait}`)
    }
  }

  /**
   * Follows the runs other processes (the command line) start and end on this
   * file, announcing them as jobs.runUpdated, and records interrupted those
   * whose process died. Started with the scheduler; `timer` drives it (a
   * tick every WATCH_EVERY_MS by default; tests pass one they drive).
   */
  startWatching(timer: WatchTimer = intervalTimer): void {
    if (this.stopWatching || this.closed) return
    const watcher = new RunWatcher({
      db: this.db,
      sqlite: this.o.ctx.sqlite,
      owner: this.o.owner,
      announce: (row) => this.o.ctx.emit('jobs.runUpdated', this.toRun(row)),
      interruptIfOrphaned: (row) => this.interruptIfOrphaned(row)
    })
    this.stopWatching = timer(() => {
      try {
        watcher.check()
      } catch (e) {
        this.o.log.warn("watching other processes' runs failed", e)
      }
    }, WATCH_EVERY_MS)
  }

  pruneHistory(): number {
    const days = this.o.historyDays ?? 180
    const cutoff = new Date(this.now().getTime() - days * 86_400_000).toISOString()
    return this.db.delete(jobRuns).where(and(lt(jobRuns.startedAt, cutoff), ne(jobRuns.status, 'running'))).run().changes
  }

  definition(jobId: string): JobDefinition {
    const d = this.defs.get(jobId)
    if (!d) throw notFound(`The job "${jobId}"`)
    return d
  }

  private schedule(jobId: string) {
    const row = this.db.select().from(jobSchedules).where(eq(jobSchedules.jobId, jobId)).get()
    if (!row) throw notFound(`The schedule of "${jobId}"`)
    return row
  }

  private toRun(r: RunRow): JobRun {
    let result: JobRun['result'] = null
    if (r.result) {
      try {
        result = JSON.parse(r.result) as JobRun['result']
      } catch {
        result = { summary: r.result }
      }
    }
    return {
      id: r.id,
      jobId: r.jobId,
      jobTitle: this.defs.get(r.jobId)?.title ?? r.jobId,
      trigger: r.trigger,
      scheduledFor: r.scheduledFor,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      status: r.status,
      attempt: r.attempt,
      force: r.force,
      progress: this.live.get(r.id) ?? { done: r.progressDone, total: r.progressTotal, note: r.progressNote },
      result,
      error: r.error,
      owner: r.owner,
      runBy: describeOwner(r.owner),
      durationMs: r.endedAt ? Math.max(0, Date.parse(r.endedAt) - Date.parse(r.startedAt)) : null
    }
  }

  getRun(runId: number): JobRun {
    const r = this.db.select().from(jobRuns).where(eq(jobRuns.id, runId)).get()
    if (!r) throw notFound(`Run #${runId}`)
    return this.toRun(r)
  }

  list(): Job[] {
    const now = this.now()
    const tz = this.o.timeZone()
    return [...this.defs.values()].map((d) => {
      const s = this.schedule(d.id)
      const last = this.db
        .select()
        .from(jobRuns)
        .where(and(eq(jobRuns.jobId, d.id), ne(jobRuns.status, 'running')))
        .orderBy(desc(jobRuns.id))
        .limit(1)
        .get()
      const running = this.db
        .select()
        .from(jobRuns)
        .where(and(eq(jobRuns.jobId, d.id), eq(jobRuns.status, 'running')))
        .orderBy(desc(jobRuns.id))
        .limit(1)
        .get()
      return {
        id: d.id,
        title: d.title,
        description: d.description,
        cron: s.cron,
        defaultCron: d.defaultCron,
        scheduleText: d.onDemand ? ON_DEMAND_WORDS : describeCron(s.cron),
        enabled: s.enabled,
        onDemand: d.onDemand === true,
        catchUp: d.catchUp,
        supportsForce: d.supportsForce,
        timeLimitMs: d.timeLimitMs,
        maxAttempts: d.retry.maxAttempts,
        nextRuns: s.enabled && !d.onDemand ? this.nextRuns(s.cron, tz, now) : [],
        lastRun: last ? this.toRun(last) : null,
        running: running ? this.toRun(running) : null,
        retry: running ? null : this.retryOf(d, last)
      }
    })
  }

  /**
   * Whether a failed last run will be tried again, and when: the engine that
   * ran it waits until retryTime. Known here for this process's runs; for
   * another process's, it is waiting while it still holds the job's lease on
   * that run.
   */
  private retryOf(d: JobDefinition, last: RunRow | undefined): JobRetry | null {
    if (!last || !RETRIED.has(last.status)) return null
    if (last.attempt >= d.retry.maxAttempts) return { state: 'none', reason: 'last-attempt' }
    const own = this.active.get(d.id)
    if (own && own.runId === last.id && own.retryAt) return { state: 'pending', at: own.retryAt, attempt: last.attempt + 1 }
    const at = retryTime(d, last)
    if (last.owner !== this.o.owner && at) {
      const h = this.leases.holder(d.id)
      if (h && h.runId === last.id && this.liveElsewhere(last)) return { state: 'pending', at, attempt: last.attempt + 1 }
    }
    return { state: 'none', reason: 'stopped' }
  }

  private nextRuns(cronText: string, tz: string, now: Date): string[] {
    const key = `${cronText}|${tz}`
    const cached = this.nextCache.get(key)
    if (cached && cached[0] && Date.parse(cached[0]) > now.getTime()) return cached
    const runs = nextSlots(cronText, tz, now, 5)
    this.nextCache.set(key, runs)
    return runs
  }

  history(q: ParsedInput<'jobs.history'>): { rows: JobRun[]; total: number } {
    const where: SQL[] = []
    if (q.jobId) where.push(eq(jobRuns.jobId, q.jobId))
    if (q.status) where.push(eq(jobRuns.status, q.status))
    const filter = where.length ? and(...where) : undefined
    const rows = this.db.select().from(jobRuns).where(filter).orderBy(desc(jobRuns.id)).limit(q.limit).offset(q.offset).all()
    const total = this.db.select({ n: count() }).from(jobRuns).where(filter).get()?.n ?? 0
    return { rows: rows.map((r) => this.toRun(r)), total }
  }

  describe(cronText: string): { text: string; nextRuns: string[] } {
    const problem = cronProblem(cronText)
    if (problem) throw invalid(problem, { cron: problem })
    return { text: describeCron(cronText), nextRuns: nextSlots(cronText, this.o.timeZone(), this.now(), 5) }
  }

  setEnabled(jobId: string, enabled: boolean): Job {
    this.refuseOnDemand(this.definition(jobId), 'paused or resumed')
    this.db
      .update(jobSchedules)
      .set({ enabled, updatedAt: this.now().toISOString() })
      .where(eq(jobSchedules.jobId, jobId))
      .run()
    this.reschedule()
    return this.job(jobId)
  }

  updateSchedule(jobId: string, cronText: string): Job {
    this.refuseOnDemand(this.definition(jobId), 'given a schedule')
    const problem = cronProblem(cronText)
    if (problem) throw invalid(problem, { cron: problem })
    const at = this.now().toISOString()
    // Slots of the old schedule that passed are not "missed" under the new one.
    this.db.update(jobSchedules).set({ cron: cronText, updatedAt: at, createdAt: at }).where(eq(jobSchedules.jobId, jobId)).run()
    this.reschedule()
    return this.job(jobId)
  }

  /** An on-demand job has no schedule to change. */
  private refuseOnDemand(def: JobDefinition, what: string): void {
    if (def.onDemand) throw conflict(`${def.title} runs only when asked for (${ON_DEMAND_WHY}); it cannot be ${what}.`)
  }

  private job(jobId: string): Job {
    const j = this.list().find((x) => x.id === jobId)
    if (!j) throw notFound(`The job "${jobId}"`)
    return j
  }

  /** The latest slot that no run has served yet, or null if the job is not due. */
  dueSlot(jobId: string, now = this.now()): string | null {
    if (this.defs.get(jobId)?.onDemand) return null
    const s = this.schedule(jobId)
    if (!s.enabled) return null
    const served =
      this.db
        .select({ last: max(jobRuns.scheduledFor) })
        .from(jobRuns)
        .where(and(eq(jobRuns.jobId, jobId), isNotNull(jobRuns.scheduledFor)))
        .get()?.last ?? null
    const floor = served && served > s.createdAt ? served : s.createdAt
    const slot = latestSlotAfter(s.cron, this.o.timeZone(), new Date(floor), now)
    if (!slot) return null
    // When the clocks go back, 01:30 happens twice: both instants are one slot.
    if (served && sameWallClock(slot, served, this.o.timeZone())) return null
    return slot
  }

  /**
   * Runs every job that is due, once each: at launch and on resume
   * (catch-up), and on each timer tick (schedule). Jobs whose catch-up
   * policy is 'skip' record the missed slot as skipped instead.
   */
  runDue(reason: DueReason): { started: { run: JobRun; done: Promise<JobRun> }[]; skipped: JobRun[] } {
    const started: { run: JobRun; done: Promise<JobRun> }[] = []
    const skipped: JobRun[] = []
    if (this.closed) return { started, skipped }
    const now = this.now()
    for (const d of this.defs.values()) {
      if (this.active.has(d.id)) continue
      const slot = this.dueSlot(d.id, now)
      if (!slot) continue
      const onTime = reason === 'tick' && now.getTime() - Date.parse(slot) <= ON_TIME_MS
      const trigger: RunTrigger = onTime ? 'schedule' : 'catch-up'
      if (trigger === 'catch-up' && d.catchUp === 'skip') {
        skipped.push(
          this.toRun(
            this.insertRun(d, trigger, slot, 1, false, {
              status: 'skipped',
              result: { summary: 'Missed while Coffer was not running; this job does not catch up.' }
            })
          )
        )
        continue
      }
      try {
        started.push(this.start(d.id, { trigger, scheduledFor: slot }))
      } catch (e) {
        // Held by another process (the CLI): its run serves this slot's work; the next tick looks again.
        this.o.log.info(`${d.id}: not started (${e instanceof Error ? e.message : String(e)})`)
      }
    }
    return { started, skipped }
  }

  /**
   * Starts a run and returns at once with its row; `done` settles when the
   * run and its retries are over. Refused (CONFLICT) while the job runs here
   * or in another process.
   */
  start(
    jobId: string,
    opts: { trigger: RunTrigger; force?: boolean; scheduledFor?: string | null; params?: JobParams }
  ): { run: JobRun; done: Promise<JobRun> } {
    if (this.closed) throw conflict('Coffer is shutting down.')
    const def = this.definition(jobId)
    const force = opts.force ?? false
    if (force && !def.supportsForce) throw invalid(`${def.title} cannot be forced.`, { force: 'This job has no forced run' })
    if (def.onDemand && opts.params === undefined) throw conflict(`${def.title} runs only when asked for (${ON_DEMAND_WHY}); it cannot be run on its own.`)
    if (this.active.has(jobId)) throw conflict(`${def.title} is already running.`)
    const lease = this.leases.acquire(jobId, this.o.owner, this.now())
    if (!lease.ok) {
      const since = formatInstant(lease.holder.acquiredAt, this.o.locale(), this.o.timeZone())
      throw conflict(`${def.title} is already running in ${describeOwner(lease.holder.owner)} (started ${since}).`)
    }
    const first = this.insertRun(def, opts.trigger, opts.scheduledFor ?? null, 1, force)
    this.leases.attachRun(jobId, this.o.owner, first.id)
    const stop = new AbortController()
    const active: Active = { runId: first.id, attempt: new AbortController(), stop, done: Promise.resolve(this.toRun(first)) }
    this.active.set(jobId, active)
    active.done = this.loop(def, first, opts.trigger, opts.scheduledFor ?? null, force, active, opts.params ?? {})
    active.done.catch((e: unknown) => this.o.log.error(`${def.id}: the run could not be recorded`, e))
    return { run: this.toRun(first), done: active.done }
  }

  /** A run row, announced. `ended` records a run that is over as it is written (a skipped slot). */
  private insertRun(
    def: JobDefinition,
    trigger: RunTrigger,
    scheduledFor: string | null,
    attempt: number,
    force: boolean,
    ended?: { status: RunStatus; result: JobResult }
  ): RunRow {
    const at = this.now().toISOString()
    const row = this.db
      .insert(jobRuns)
      .values({
        jobId: def.id,
        trigger,
        scheduledFor,
        startedAt: at,
        status: ended?.status ?? 'running',
        attempt,
        force,
        owner: this.o.owner,
        ...(ended ? { endedAt: at, result: JSON.stringify(ended.result) } : {})
      })
      .returning()
      .get()
    this.o.ctx.emit('jobs.runUpdated', this.toRun(row))
    return row
  }

  /** Earlier idle runs of a job that prunes them (pruneIdleRuns): only the latest idle run is kept. */
  private pruneIdle(jobId: string, keep: number): void {
    try {
      this.o.ctx.sqlite
        .prepare("DELETE FROM job_runs WHERE job_id = ? AND id < ? AND status = 'succeeded' AND json_extract(result, '$.idle') = 1")
        .run(jobId, keep)
    } catch (e) {
      // Only housekeeping: a busy file leaves them for the next idle run.
      this.o.log.warn(`${jobId}: idle runs were not pruned`, e)
    }
  }

  private finish(runId: number, status: RunStatus, result: JobResult | null, error: string | null, at = this.now()): JobRun {
    const p = this.live.get(runId)
    this.live.delete(runId)
    const row = this.db
      .update(jobRuns)
      .set({
        status,
        endedAt: at.toISOString(),
        result: result ? JSON.stringify(result) : null,
        error,
        ...(p ? { progressDone: p.done, progressTotal: p.total, progressNote: p.note } : {})
      })
      .where(eq(jobRuns.id, runId))
      .returning()
      .get()
    if (!row) throw notFound(`Run #${runId}`)
    const dto = this.toRun(row)
    this.o.ctx.emit('jobs.runUpdated', dto)
    return dto
  }

  private async loop(
    def: JobDefinition,
    first: RunRow,
    trigger: RunTrigger,
    scheduledFor: string | null,
    force: boolean,
    active: Active,
    params: JobParams
  ): Promise<JobRun> {
    let run = first
    const renew = setInterval(() => {
      try {
        this.leases.renew(def.id, this.o.owner, this.now())
      } catch (e) {
        this.o.log.warn(`${def.id}: lease renewal failed`, e)
      }
    }, Math.max(1000, (this.o.leaseTtlMs ?? 60_000) / 3))
    try {
      for (let attempt = 1; ; attempt++) {
        const controller = new AbortController()
        active.attempt = controller
        active.runId = run.id
        const onStop = () => controller.abort(active.stop.signal.reason)
        active.stop.signal.addEventListener('abort', onStop, { once: true })
        const limit = setTimeout(() => controller.abort('time-limit'), def.timeLimitMs)
        let lastProgressEvent = 0
        try {
          const result = await this.o.executorFor(def).execute({
            job: def,
            runId: run.id,
            trigger,
            force,
            params,
            scheduledFor,
            signal: controller.signal,
            progress: (done, total = null, note = null) => {
              // Kept in memory and announced, not written: a worker's open write
              // transaction must never make this thread wait on the database.
              const t = performance.now()
              const p = { done: Math.max(0, Math.trunc(done)), total: total === null ? null : Math.trunc(total), note }
              this.live.set(run.id, p)
              if (t - lastProgressEvent < 100 && p.total !== null && p.done < p.total) return
              lastProgressEvent = t
              this.o.ctx.emit('jobs.runUpdated', this.toRun(run))
            },
            notify: (n) => this.o.notifications.create({ ...n, desktop: n.kind === 'error' || n.kind === 'warning' })
          })
          const ended = this.finish(run.id, 'succeeded', result, null)
          if (def.pruneIdleRuns && result.idle === true) this.pruneIdle(def.id, run.id)
          return ended
        } catch (e) {
          const reason = controller.signal.aborted ? String(controller.signal.reason) : null
          const message = plainFailure(e)
          if (message !== (e instanceof Error ? e.message : String(e))) this.o.log.warn(`${def.id}: ${String(e)}`)
          if (reason === 'cancelled') return this.finish(run.id, 'cancelled', null, 'Cancelled by the user.')
          if (reason === 'shutdown') {
            return this.finish(run.id, 'interrupted', null, 'Coffer was closing; the run was stopped.')
          }
          const status: RunStatus = reason === 'time-limit' ? 'timed-out' : 'failed'
          const error =
            status === 'timed-out' ? `Stopped after the time limit of ${Math.round(def.timeLimitMs / 1000)} s.` : message
          // A failure trying again cannot mend (a damaged file) ends the run now.
          const last = attempt >= def.retry.maxAttempts || e instanceof FatalJobError
          const endedAt = this.now()
          // The plan is known before the failure is announced, so the list shows when the next attempt comes.
          const retryAt = last ? null : retryTime(def, { endedAt: endedAt.toISOString(), attempt })
          active.retryAt = retryAt ?? undefined
          const failed = this.finish(run.id, status, null, error, endedAt)
          this.o.log.warn(`${def.id} attempt ${attempt} ${status}: ${error}`)
          if (last || !retryAt) {
            this.o.notifications.create({
              kind: 'error',
              title: `${def.title} failed`,
              body: `${error} ${attempt > 1 ? `It was tried ${attempt} times.` : ''}`.trim(),
              subject: { type: 'job-run', id: String(run.id) },
              desktop: true
            })
            return failed
          }
          await this.sleep(Math.max(0, Date.parse(retryAt) - this.now().getTime()), active.stop.signal)
          active.retryAt = undefined
          if (active.stop.signal.aborted) return failed
          run = this.insertRun(def, trigger, scheduledFor, attempt + 1, force)
          this.leases.attachRun(def.id, this.o.owner, run.id)
        } finally {
          clearTimeout(limit)
          active.stop.signal.removeEventListener('abort', onStop)
        }
      }
    } finally {
      clearInterval(renew)
      this.active.delete(def.id)
      try {
        this.leases.release(def.id, this.o.owner)
      } catch (e) {
        this.o.log.warn(`${def.id}: lease release failed`, e)
      }
    }
  }

  /** Cancels a running run (and any retries it would have had). */
  cancel(runId: number): { cancelling: boolean } {
    for (const a of this.active.values()) {
      if (a.runId === runId) {
        a.stop.abort('cancelled')
        return { cancelling: true }
      }
    }
    const run = this.getRun(runId)
    if (run.status === 'running') {
      throw conflict('This run belongs to another process (the command line); cancel it there.')
    }
    return { cancelling: false }
  }

  /** The run of a job going on in this process, if any (tests and the CLI wait on it). */
  activeRun(jobId: string): Promise<JobRun> | null {
    return this.active.get(jobId)?.done ?? null
  }

  /** node-cron fires each enabled job's schedule in the cooperative's time zone, plus a minute heartbeat. */
  startScheduler(): void {
    this.reschedule(true)
    this.startWatching()
  }

  private reschedule(force = false): void {
    if (!force && this.tasks.length === 0) return
    for (const t of this.tasks) void t.destroy()
    this.tasks = []
    if (this.closed) return
    const cron = loadCron()
    const timezone = this.o.timeZone()
    const tick = () => {
      try {
        this.runDue('tick')
      } catch (e) {
        this.o.log.error('scheduler tick failed', e)
      }
    }
    for (const s of this.db.select().from(jobSchedules).where(eq(jobSchedules.enabled, true)).all()) {
      if (!this.defs.has(s.jobId) || this.defs.get(s.jobId)?.onDemand) continue
      this.tasks.push(cron.schedule(s.cron, tick, { timezone, name: `coffer:${s.jobId}`, noOverlap: true }))
    }
    // The heartbeat catches a slot the timer missed (a clock change, a busy moment).
    this.tasks.push(cron.schedule('* * * * *', tick, { timezone, name: 'coffer:heartbeat', noOverlap: true }))
  }

  /** After the profile's time zone changes. */
  timeZoneChanged(): void {
    this.reschedule()
  }

  /** Stops the timers and every run (recorded interrupted), waiting for them to end. */
  async shutdown(): Promise<void> {
    this.closed = true
    this.stopWatching?.()
    this.stopWatching = null
    for (const t of this.tasks) void t.destroy()
    this.tasks = []
    const pending = [...this.active.values()]
    for (const a of pending) a.stop.abort('shutdown')
    await Promise.allSettled(pending.map((a) => a.done))
  }
}

let cronModule: typeof NodeCron | null = null

/**
 * node-cron, loaded when scheduling starts (~15 ms): a process that never
 * schedules, such as the command line, does without it.
 */
function loadCron(): typeof NodeCron {
  cronModule ??= createRequire(__filename)('node-cron') as typeof NodeCron
  return cronModule
}
