import { gt, inArray, max, ne, or, and, eq } from 'drizzle-orm'
import type { Db, Sqlite } from '../db/open'
import { jobRuns } from './schema'

type RunRow = typeof jobRuns.$inferSelect

/** Calls `tick` every `everyMs` until the returned function is called. Tests pass one they drive by hand. */
export type WatchTimer = (tick: () => void, everyMs: number) => () => void

export const intervalTimer: WatchTimer = (tick, everyMs) => {
  const t = setInterval(tick, everyMs)
  t.unref?.()
  return () => clearInterval(t)
}

/** How often the file is looked at for other processes' runs. */
export const WATCH_EVERY_MS = 1500

export interface WatcherOptions {
  db: Db
  sqlite: Sqlite
  /** This process's owner: its own runs are announced by the engine as they happen. */
  owner: string
  /** A run of another process changed (started, ended, interrupted): announce it. */
  announce: (row: RunRow) => void
  /**
   * A run another process left `running`: records it interrupted when its
   * process is gone (dead, or its lease expired); answers the row as it is
   * now, or null when it is still live.
   */
  interruptIfOrphaned: (row: RunRow) => RunRow | null
}

/**
 * Follows the runs of other processes on the same data file (the command
 * line, another Coffer): they write job_runs from their own connection, so
 * this process gets no event of its own. Each tick asks SQLite's
 * `data_version`, which moves only when another connection committed; then
 * reads the runs it has not seen and the other processes' runs it last saw
 * running, and announces what changed. Every tick also checks that the
 * processes behind those running runs are alive; a run whose process died (a
 * killed command line) is recorded interrupted, so no run shows "Running"
 * for ever.
 */
export class RunWatcher {
  private version: number | null = null
  private seenMax = 0
  /** Other processes' runs last seen running. */
  private readonly running = new Set<number>()

  constructor(private readonly o: WatcherOptions) {
    this.seenMax = o.db.select({ m: max(jobRuns.id) }).from(jobRuns).get()?.m ?? 0
    for (const r of o.db
      .select({ id: jobRuns.id })
      .from(jobRuns)
      .where(and(eq(jobRuns.status, 'running'), ne(jobRuns.owner, o.owner)))
      .all()) {
      this.running.add(r.id)
    }
    this.version = this.dataVersion()
  }

  private dataVersion(): number {
    return Number(this.o.sqlite.pragma('data_version', { simple: true }))
  }

  /** One look at the file. Returns the runs it announced (tests read them). */
  check(): RunRow[] {
    const announced: RunRow[] = []
    const v = this.dataVersion()
    if (v !== this.version) {
      this.version = v
      const watched = [...this.running]
      const rows = this.o.db
        .select()
        .from(jobRuns)
        .where(watched.length ? or(gt(jobRuns.id, this.seenMax), inArray(jobRuns.id, watched)) : gt(jobRuns.id, this.seenMax))
        .all()
      for (const r of rows) {
        const isNew = r.id > this.seenMax
        if (isNew) this.seenMax = r.id
        if (r.owner === this.o.owner) continue
        if (r.status === 'running') {
          if (isNew) {
            this.running.add(r.id)
            announced.push(r)
          }
        } else if (isNew || this.running.has(r.id)) {
          this.running.delete(r.id)
          announced.push(r)
        }
      }
      // A run pruned or gone with a restore: stop watching it.
      const present = new Set(rows.map((r) => r.id))
      for (const id of watched) if (!present.has(id)) this.running.delete(id)
    }
    if (this.running.size) {
      const rows = this.o.db.select().from(jobRuns).where(inArray(jobRuns.id, [...this.running])).all()
      for (const r of rows) {
        if (r.status !== 'running') continue
        const after = this.o.interruptIfOrphaned(r)
        if (after) {
          this.running.delete(r.id)
          announced.push(after)
        }
      }
    }
    for (const r of announced) this.o.announce(r)
    return announced
  }
}
