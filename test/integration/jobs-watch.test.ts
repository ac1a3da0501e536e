import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock, type Core } from '../../src/core'
import type { Job, JobRun } from '../../src/shared/contract'
import { jobCore } from '../support/job-core'
import { calls, resetFlaky } from '../support/test-jobs'
import { value } from '../support/temp-core'

const ROOT = path.resolve(__dirname, '../..')
const cores: Core[] = []
const children: ChildProcess[] = []
beforeEach(() => {
  calls.length = 0
})
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  while (cores.length) await cores.pop()?.shutdown()
})
const open = async (o: Parameters<typeof jobCore>[0] = {}) => {
  const t = await jobCore(o)
  cores.push(t.core)
  return t
}

/** The run updates a core announces, with when each came. */
function recordRuns(core: Core): { runs: { run: JobRun; at: number }[]; next: (pred: (r: JobRun) => boolean, withinMs: number) => Promise<{ run: JobRun; at: number }> } {
  const runs: { run: JobRun; at: number }[] = []
  const waiting = new Set<() => void>()
  core.onEvent((event, payload) => {
    if (event !== 'jobs.runUpdated') return
    runs.push({ run: payload as JobRun, at: Date.now() })
    for (const w of waiting) w()
  })
  const next = (pred: (r: JobRun) => boolean, withinMs: number) =>
    new Promise<{ run: JobRun; at: number }>((resolve, reject) => {
      const look = () => {
        const hit = runs.find((r) => pred(r.run))
        if (hit) {
          waiting.delete(look)
          clearTimeout(timer)
          resolve(hit)
        }
      }
      const timer = setTimeout(() => {
        waiting.delete(look)
        reject(new Error(`no such run update within ${withinMs} ms; saw ${JSON.stringify(runs.map((r) => [r.run.id, r.run.status]))}`))
      }, withinMs)
      waiting.add(look)
      look()
    })
  return { runs, next }
}

/** The test jobs' child process, as the command line would run a job, printing STARTED <id> and FINISHED <status>. */
function child(dataDir: string, jobId: string): { proc: ChildProcess; printed: (re: RegExp) => Promise<{ match: RegExpExecArray; at: number }> } {
  const tsxHook = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/cjs')
  const proc = spawn(process.execPath, ['--require', tsxHook, path.join(ROOT, 'test/support/job-child.ts'), dataDir, jobId], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.push(proc)
  let out = ''
  const seen: (() => void)[] = []
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString()
    for (const s of seen) s()
  })
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()))
  const printed = (re: RegExp) =>
    new Promise<{ match: RegExpExecArray; at: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child did not print ${re}: ${out}`)), 30_000)
      const look = () => {
        const m = re.exec(out)
        if (m) {
          clearTimeout(timer)
          resolve({ match: m, at: Date.now() })
        }
      }
      seen.push(look)
      look()
    })
  return { proc, printed }
}

const jobOf = async (core: Core, id: string) => value<Job[]>(await core.invoke('jobs.list', {})).find((j) => j.id === id)!

/** A watcher timer the test ticks by hand. */
function manualTimer() {
  let tick: (() => void) | null = null
  return {
    timer: (t: () => void) => {
      tick = t
      return () => {
        tick = null
      }
    },
    tick: () => tick?.()
  }
}

describe('runs started by another process (the command line)', () => {
  it('are announced within the watch window as they start and when they end, and the list follows', async () => {
    // Clocks agree with the child's (leases are stamped with it).
    const { core, dataDir } = await open({ clock: new ManualClock(Date.now()) })
    const seen = recordRuns(core)
    core.jobs!.startWatching()

    const c = child(dataDir, 'hold')
    const started = await c.printed(/STARTED (\d+)/)
    const runId = Number(started.match[1])
    const running = await seen.next((r) => r.id === runId && r.status === 'running', 4000)
    expect(running.at - started.at).toBeLessThan(3000)
    expect(running.run).toMatchObject({ jobId: 'hold', trigger: 'cli', status: 'running' })
    expect((await jobOf(core, 'hold')).running?.id).toBe(runId)

    fs.writeFileSync(path.join(dataDir, 'release'), '')
    const finished = await c.printed(/FINISHED (\w+)/)
    expect(finished.match[1]).toBe('succeeded')
    const ended = await seen.next((r) => r.id === runId && r.status === 'succeeded', 4000)
    expect(ended.at - finished.at).toBeLessThan(3000)
    expect(ended.run.result).toEqual({ summary: 'released' })
    const job = await jobOf(core, 'hold')
    expect(job.running).toBeNull()
    expect(job.lastRun).toMatchObject({ id: runId, status: 'succeeded' })
    // Announced once each, whatever else the file saw meanwhile.
    expect(seen.runs.filter((r) => r.run.id === runId).map((r) => r.run.status)).toEqual(['running', 'succeeded'])
  })

  it('a run whose process was killed is recorded interrupted, not left running', async () => {
    const { core, dataDir } = await open({ clock: new ManualClock(Date.now()) })
    const seen = recordRuns(core)
    core.jobs!.startWatching()
    const c = child(dataDir, 'hold')
    const runId = Number((await c.printed(/STARTED (\d+)/)).match[1])
    await seen.next((r) => r.id === runId && r.status === 'running', 4000)

    c.proc.kill('SIGKILL')
    await new Promise((r) => c.proc.once('exit', r))
    const killedAt = Date.now()
    const interrupted = await seen.next((r) => r.id === runId && r.status !== 'running', 4000)
    expect(interrupted.at - killedAt).toBeLessThan(3000)
    expect(interrupted.run).toMatchObject({ status: 'interrupted', error: expect.stringContaining('Coffer stopped before this run finished') })
    const job = await jobOf(core, 'hold')
    expect(job.running).toBeNull()
    expect(job.lastRun).toMatchObject({ id: runId, status: 'interrupted' })
    // Its lease is free: the job runs here now.
    const again = core.jobs!.start('hold', { trigger: 'manual' })
    fs.writeFileSync(path.join(dataDir, 'release'), '')
    expect((await again.done).status).toBe('succeeded')
  })

  it('a run of a process on another computer is left running while its lease is renewed, and interrupted once it expires', async () => {
    const clock = new ManualClock('2026-02-20T08:00:00Z')
    const { core, dataDir } = await open({ clock })
    const seen = recordRuns(core)
    const t = manualTimer()
    core.jobs!.startWatching(t.timer)

    // The other computer's process, as it writes through the shared folder: lease, then its run.
    const owner = 'cli:another-pc:4242:abcdef'
    const db = new Database(path.join(dataDir, 'coffer.sqlite'))
    db.prepare("INSERT INTO job_leases (job_id, owner, run_id, acquired_at, expires_at) VALUES ('daily', ?, NULL, ?, ?)").run(
      owner,
      '2026-02-20T08:00:00.000Z',
      '2026-02-20T08:01:00.000Z'
    )
    const runId = Number(
      db
        .prepare("INSERT INTO job_runs (job_id, trigger, started_at, status, attempt, owner) VALUES ('daily', 'cli', ?, 'running', 1, ?)")
        .run('2026-02-20T08:00:00.000Z', owner).lastInsertRowid
    )
    db.prepare("UPDATE job_leases SET run_id = ? WHERE job_id = 'daily'").run(runId)
    t.tick()
    expect(seen.runs.map((r) => [r.run.id, r.run.status])).toEqual([[runId, 'running']])

    clock.set('2026-02-20T08:00:50Z')
    t.tick()
    expect(seen.runs).toHaveLength(1)
    expect((await jobOf(core, 'daily')).running?.id).toBe(runId)

    // Its renewals stop (the network went, the PC crashed): past the lease, the run is over.
    clock.set('2026-02-20T08:01:01Z')
    t.tick()
    expect(seen.runs.map((r) => [r.run.id, r.run.status])).toEqual([
      [runId, 'running'],
      [runId, 'interrupted']
    ])
    expect(db.prepare('SELECT status, ended_at AS endedAt FROM job_runs WHERE id = ?').get(runId)).toEqual({
      status: 'interrupted',
      endedAt: '2026-02-20T08:01:01.000Z'
    })
    db.close()
  })

  it('does not announce the runs of its own process twice', async () => {
    const { core } = await open()
    const seen = recordRuns(core)
    const t = manualTimer()
    core.jobs!.startWatching(t.timer)
    await core.jobs!.start('daily', { trigger: 'manual' }).done
    // A commit from another connection makes the watcher look.
    const db = new Database(path.join((core.status as { dataDir: string }).dataDir, 'coffer.sqlite'))
    db.exec("UPDATE job_schedules SET updated_at = updated_at WHERE job_id = 'daily'")
    db.close()
    t.tick()
    expect(seen.runs.map((r) => r.run.status)).toEqual(['running', 'succeeded'])
  })
})

describe('a failed job says when it will be tried again', () => {
  it('while waiting: the engine’s own plan (the failed attempt’s end plus the backoff); after the last attempt: none left', async () => {
    // 14:04 in Nairobi.
    const clock = new ManualClock('2026-02-20T11:04:00Z')
    let wake: (() => void) | null = null
    const waits: number[] = []
    const { core } = await open({
      clock,
      sleep: (ms) => {
        waits.push(ms)
        return new Promise<void>((r) => (wake = r))
      }
    })
    resetFlaky(1)
    const { done } = core.jobs!.start('flaky', { trigger: 'manual' })
    await expect.poll(() => waits.length).toBe(1)
    const job = await jobOf(core, 'flaky')
    expect(job.running).toBeNull()
    expect(job.lastRun).toMatchObject({ status: 'failed', attempt: 1 })
    // Test flaky waits 1 s before attempt 2 (its policy); the engine sleeps exactly until then.
    expect(job.retry).toEqual({ state: 'pending', at: '2026-02-20T11:04:01.000Z', attempt: 2 })
    expect(waits).toEqual([1000])
    clock.advance(1000)
    wake!()
    expect(await done).toMatchObject({ status: 'succeeded', attempt: 2 })
    expect((await jobOf(core, 'flaky')).retry).toBeNull()

    resetFlaky(3)
    const second = core.jobs!.start('flaky', { trigger: 'manual' })
    for (let n = 2; n <= 3; n++) {
      await expect.poll(() => waits.length).toBe(n)
      expect((await jobOf(core, 'flaky')).retry).toMatchObject({ state: 'pending', attempt: n })
      wake!()
    }
    expect(await second.done).toMatchObject({ status: 'failed', attempt: 3 })
    expect((await jobOf(core, 'flaky')).retry).toEqual({ state: 'none', reason: 'last-attempt' })
  })

  it('a job never retried says so at once', async () => {
    const { core } = await open()
    // Test sleepy has one attempt: it times out and is not tried again. A job whose last run worked has no retry to tell.
    const final = await core.jobs!.start('sleepy', { trigger: 'manual' }).done
    expect(final.status).toBe('timed-out')
    expect((await jobOf(core, 'sleepy')).retry).toEqual({ state: 'none', reason: 'last-attempt' })
    expect((await jobOf(core, 'daily')).retry).toBeNull()
  })

  it('another process waiting to retry: from its lease on the failed run; once it lets go, no retry is pending', async () => {
    const { core, dataDir } = await open({ clock: new ManualClock('2026-02-20T11:10:00Z') })
    // A live process of this computer (this test's own pid, another owner).
    const owner = `cli:${os.hostname()}:${process.pid}:other1`
    const db = new Database(path.join(dataDir, 'coffer.sqlite'))
    const runId = Number(
      db
        .prepare(
          "INSERT INTO job_runs (job_id, trigger, started_at, ended_at, status, attempt, owner, error) VALUES ('flaky', 'cli', ?, ?, 'failed', 1, ?, 'The office network share is not reachable')"
        )
        .run('2026-02-20T11:08:00.000Z', '2026-02-20T11:09:30.000Z', owner).lastInsertRowid
    )
    db.prepare("INSERT INTO job_leases (job_id, owner, run_id, acquired_at, expires_at) VALUES ('flaky', ?, ?, ?, ?)").run(
      owner,
      runId,
      '2026-02-20T11:08:00.000Z',
      '2026-02-20T11:11:00.000Z'
    )
    expect((await jobOf(core, 'flaky')).retry).toEqual({ state: 'pending', at: '2026-02-20T11:09:31.000Z', attempt: 2 })
    db.prepare("DELETE FROM job_leases WHERE job_id = 'flaky'").run()
    db.close()
    expect((await jobOf(core, 'flaky')).retry).toEqual({ state: 'none', reason: 'stopped' })
  })
})
