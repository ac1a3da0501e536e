import os from 'node:os'
import type { Sqlite } from '../db/open'
import { describeRunner } from '../../../shared/words'

/** Who holds a lease: "app|cli:host:pid:nonce". */
export function makeOwner(kind: 'app' | 'cli' | 'test', pid = process.pid): string {
  return `${kind}:${os.hostname()}:${pid}:${Math.random().toString(36).slice(2, 8)}`
}

/** Who an owner is, in words: "the Coffer app on this PC", "the command line on FRONT-DESK". */
export function describeOwner(owner: string): string {
  return describeRunner(owner, os.hostname())
}

/** Is the process behind an owner string still alive? Other hosts are assumed alive until their lease expires. */
export function ownerAlive(owner: string): boolean {
  const [, host, pidText] = owner.split(':')
  if (host !== os.hostname()) return true
  const pid = Number(pidText)
  if (!Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface LeaseHolder {
  owner: string
  runId: number | null
  acquiredAt: string
  expiresAt: string
}

/**
 * A lease row per job in the database, so two runs of a job never overlap,
 * also between the app and the CLI. Taken in an IMMEDIATE transaction: the
 * check and the write cannot interleave with another process.
 */
export class Leases {
  constructor(
    private readonly sqlite: Sqlite,
    private readonly ttlMs: number
  ) {}

  holder(jobId: string): LeaseHolder | null {
    const row = this.sqlite
      .prepare('SELECT owner, run_id AS runId, acquired_at AS acquiredAt, expires_at AS expiresAt FROM job_leases WHERE job_id = ?')
      .get(jobId) as LeaseHolder | undefined
    return row ?? null
  }

  /** Takes the lease, or returns who holds it. A lease past its expiry, or of a dead process, is free. */
  acquire(jobId: string, owner: string, now: Date): { ok: true } | { ok: false; holder: LeaseHolder } {
    const tx = this.sqlite.transaction(() => {
      const current = this.holder(jobId)
      if (current && current.owner !== owner && current.expiresAt > now.toISOString() && ownerAlive(current.owner)) {
        return { ok: false as const, holder: current }
      }
      this.sqlite
        .prepare(
          `INSERT INTO job_leases (job_id, owner, run_id, acquired_at, expires_at) VALUES (?, ?, NULL, ?, ?)
           ON CONFLICT(job_id) DO UPDATE SET owner = excluded.owner, run_id = NULL,
             acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`
        )
        .run(jobId, owner, now.toISOString(), new Date(now.getTime() + this.ttlMs).toISOString())
      return { ok: true as const }
    })
    return tx.immediate()
  }

  attachRun(jobId: string, owner: string, runId: number): void {
    this.sqlite.prepare('UPDATE job_leases SET run_id = ? WHERE job_id = ? AND owner = ?').run(runId, jobId, owner)
  }

  /** Extends the lease while the run goes on. False if it was lost (taken over after expiring). */
  renew(jobId: string, owner: string, now: Date): boolean {
    const r = this.sqlite
      .prepare('UPDATE job_leases SET expires_at = ? WHERE job_id = ? AND owner = ?')
      .run(new Date(now.getTime() + this.ttlMs).toISOString(), jobId, owner)
    return r.changes === 1
  }

  release(jobId: string, owner: string): void {
    this.sqlite.prepare('DELETE FROM job_leases WHERE job_id = ? AND owner = ?').run(jobId, owner)
  }

  /** Removes the lease of a holder that is gone (crashed). */
  releaseIfDead(jobId: string): void {
    const h = this.holder(jobId)
    if (h && !ownerAlive(h.owner)) this.sqlite.prepare('DELETE FROM job_leases WHERE job_id = ? AND owner = ?').run(jobId, h.owner)
  }
}
