import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src/core'
import type { JobRun, Notification } from '../../src/shared/contract'
import { jobCore } from '../support/job-core'
import { BULK_ROWS, calls, resetFlaky } from '../support/test-jobs'
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

/** Starts the test jobs' child process (as the CLI would run) and resolves when it prints `until`. */
function child(dataDir: string, jobId: string, until: RegExp): Promise<{ proc: ChildProcess; out: () => string }> {
  // Node itself with tsx's hook (not the tsx CLI, which would run the script in a grandchild a kill would miss).
  const tsxHook = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/cjs')
  const proc = spawn(process.execPath, ['--require', tsxHook, path.join(ROOT, 'test/support/job-child.ts'), dataDir, jobId], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.push(proc)
  let out = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not print ${until}: ${out}`)), 30_000)
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      if (until.test(out)) {
        clearTimeout(timer)
        resolve({ proc, out: () => out })
      }
    })
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()))
    proc.on('exit', () => {
      if (!until.test(out)) {
        clearTimeout(timer)
        reject(new Error(`child exited: ${out}`))
      }
    })
  })
}

const exited = (proc: ChildProcess) => new Promise<number | null>((r) => (proc.exitCode !== null ? r(proc.exitCode) : proc.on('exit', (c) => r(c))))

describe('retries, time limits, cancel', () => {
  it('retries with exponential backoff and records each attempt', async () => {
    const waits: number[] = []
    const { core } = await open({ waits })
    resetFlaky(2)
    const final = await core.jobs!.start('flaky', { trigger: 'manual' }).done
    expect(final).toMatchObject({ status: 'succeeded', attempt: 3 })
    expect(waits).toEqual([1000, 4000])
    const h = value<{ rows: JobRun[] }>(await core.invoke('jobs.history', { jobId: 'flaky' }))
    expect(h.rows.map((r) => [r.attempt, r.status])).toEqual([
      [3, 'succeeded'],
      [2, 'failed'],
      [1, 'failed']
    ])
    expect(h.rows[2]?.error).toBe('The office network share is not reachable')
    expect(value<{ unread: number }>(await core.invoke('notifications.unreadCount', {})).unread).toBe(0)
  })

  it('after the last attempt, tells the staff in the centre and on the desktop', async () => {
    const { core } = await open({ waits: [] })
    const shown: Notification[] = []
    core.setDesktopNotifier((n) => shown.push(n))
    resetFlaky(10)
    const final = await core.jobs!.start('flaky', { trigger: 'manual' }).done
    expect(final).toMatchObject({ status: 'failed', attempt: 3 })
    const list = value<{ rows: Notification[]; unread: number }>(await core.invoke('notifications.list', {}))
    expect(list.unread).toBe(1)
    expect(list.rows[0]).toMatchObject({
      kind: 'error',
      title: 'Test flaky failed',
      subject: { type: 'job-run', id: String(final.id) },
      deliveries: [
        { channel: 'in-app', status: 'sent', attempts: 1 },
        { channel: 'desktop', status: 'sent', attempts: 1 }
      ]
    })
    expect(list.rows[0]?.body).toMatch(/not reachable.*tried 3 times/)
    expect(shown.map((n) => n.title)).toEqual(['Test flaky failed'])
    value(await core.invoke('notifications.markRead', { id: list.rows[0]!.id }))
    expect(value<{ unread: number }>(await core.invoke('notifications.unreadCount', {})).unread).toBe(0)
    resetFlaky(0)
  })

  it('stops a run at its time limit and records it as timed out', async () => {
    const { core } = await open()
    const final = await core.jobs!.start('sleepy', { trigger: 'manual' }).done
    expect(final.status).toBe('timed-out')
    expect(final.error).toMatch(/time limit/)
  })

  it('cancels a running job from the contract, with no retry', async () => {
    const { core } = await open()
    const { run, done } = core.jobs!.start('hold', { trigger: 'manual' })
    expect(value(await core.invoke('jobs.cancel', { runId: run.id }))).toEqual({ cancelling: true })
    expect(await done).toMatchObject({ status: 'cancelled', attempt: 1 })
    expect(value<{ total: number }>(await core.invoke('jobs.history', { jobId: 'hold' })).total).toBe(1)
  })

  it('refuses a second run of a job that is running', async () => {
    const { core, dataDir } = await open()
    const { done } = core.jobs!.start('hold', { trigger: 'manual' })
    const again = await core.invoke('jobs.run', { jobId: 'hold' })
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/already running/) } })
    fs.writeFileSync(path.join(dataDir, 'release'), '')
    expect((await done).status).toBe('succeeded')
  })
})

describe('across processes', () => {
  it('refuses an overlapping run while another process (the CLI) runs the job', async () => {
    const { core, dataDir } = await open()
    const c = await child(dataDir, 'hold', /STARTED/)
    const refused = await core.invoke('jobs.run', { jobId: 'hold' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/command line/) } })
    // The app does not cancel a run that is not its own.
    const running = value<{ rows: JobRun[] }>(await core.invoke('jobs.history', { jobId: 'hold', status: 'running' })).rows
    expect(running).toHaveLength(1)
    expect(await core.invoke('jobs.cancel', { runId: running[0]!.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    fs.writeFileSync(path.join(dataDir, 'release'), '')
    expect(await exited(c.proc)).toBe(0)
    expect(c.out()).toMatch(/FINISHED succeeded/)
    fs.rmSync(path.join(dataDir, 'release'))
    const mine = core.jobs!.start('hold', { trigger: 'manual' })
    fs.writeFileSync(path.join(dataDir, 'release'), '')
    expect((await mine.done).status).toBe('succeeded')
  })

  it('a process killed mid-run: the next start marks the run interrupted, and its writes are all or nothing', async () => {
    const { core, dataDir } = await open()
    await core.shutdown()
    cores.pop()
    fs.writeFileSync(path.join(dataDir, 'slow'), '')
    const c = await child(dataDir, 'bulk-write', /PROGRESS/)
    c.proc.kill('SIGKILL')
    await exited(c.proc)

    const { core: next } = await open({ dataDir })
    const runs = value<{ rows: JobRun[] }>(await next.invoke('jobs.history', { jobId: 'bulk-write' })).rows
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ status: 'interrupted', trigger: 'cli' })
    expect(runs[0]?.error).toMatch(/before this run finished/)
    const raw = new Database(path.join(dataDir, 'coffer.sqlite'), { readonly: true })
    expect(raw.prepare('SELECT count(*) FROM test_items').pluck().get()).toBe(0)
    raw.close()

    // The lease of the dead process does not block the next run, which writes everything.
    fs.rmSync(path.join(dataDir, 'slow'))
    const final = await next.jobs!.start('bulk-write', { trigger: 'manual' }).done
    expect(final.status).toBe('succeeded')
    const after = new Database(path.join(dataDir, 'coffer.sqlite'), { readonly: true })
    expect(after.prepare('SELECT count(*) FROM test_items').pluck().get()).toBe(BULK_ROWS)
    after.close()
  })
})

describe('worker threads', () => {
  it('runs a heavy job in a worker with its own connection, streaming progress', async () => {
    const { core } = await open()
    const updates: JobRun[] = []
    core.onEvent((e, p) => {
      if (e === 'jobs.runUpdated') updates.push(p as JobRun)
    })
    const final = await core.jobs!.start('bulk-write', { trigger: 'manual' }).done
    expect(final).toMatchObject({ status: 'succeeded', result: { summary: `wrote ${BULK_ROWS} rows` } })
    const progress = updates.filter((u) => u.status === 'running' && u.progress.done > 0)
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.at(-1)?.progress.total).toBe(BULK_ROWS)
  })
})
