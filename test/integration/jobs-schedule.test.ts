import { createRequire } from 'node:module'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock, type Core } from '../../src/core'
import type { JobRun } from '../../src/shared/contract'
import { jobCore } from '../support/job-core'
import { calls } from '../support/test-jobs'
import { value } from '../support/temp-core'

const cores: Core[] = []
beforeEach(() => {
  calls.length = 0
})
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})
const open = async (o: Parameters<typeof jobCore>[0] = {}) => {
  const t = await jobCore(o)
  cores.push(t.core)
  return t
}

async function settle(started: { done: Promise<JobRun> }[]) {
  return Promise.all(started.map((s) => s.done))
}

describe('catch-up at launch', () => {
  it('runs a monthly job exactly once, trigger catch-up, after the PC was off from March to July', async () => {
    // The app first ran in February and was used until the 1st of March.
    const first = await open()
    const engine = first.core.jobs!
    first.clock.set('2026-03-01T06:00:00Z') // 09:00 in Nairobi
    await settle(engine.runDue('tick').started)
    expect(calls.filter((c) => c.jobId === 'monthly')).toHaveLength(1)
    expect(calls.filter((c) => c.jobId === 'daily')).toHaveLength(1)
    await first.core.shutdown()
    cores.pop()
    calls.length = 0

    // Off until the 15th of July. At launch:
    const clock = first.clock
    clock.set('2026-07-15T08:00:00Z')
    const again = await open({ dataDir: first.dataDir, clock })
    const { started, skipped } = again.core.jobs!.runDue('launch')
    const runs = await settle(started)

    const monthly = calls.filter((c) => c.jobId === 'monthly')
    expect(monthly).toEqual([{ jobId: 'monthly', trigger: 'catch-up', scheduledFor: '2026-06-30T23:00:00.000Z' }])
    // A daily job runs once, not once per missed day.
    expect(calls.filter((c) => c.jobId === 'daily')).toEqual([
      { jobId: 'daily', trigger: 'catch-up', scheduledFor: '2026-07-15T06:00:00.000Z' }
    ])
    // A job that was not due does not run.
    expect(calls.filter((c) => c.jobId === 'yearly')).toEqual([])
    // A job that skips missed runs records the skip instead.
    expect(calls.filter((c) => c.jobId === 'skipper')).toEqual([])
    // (the mail job, every minute, skips its missed slots too)
    expect(skipped.map((r) => [r.jobId, r.status, r.trigger])).toEqual([['mail', 'skipped', 'catch-up'], ['skipper', 'skipped', 'catch-up']])
    expect(runs.map((r) => [r.jobId, r.status])).toEqual(expect.arrayContaining([['monthly', 'succeeded'], ['daily', 'succeeded']]))

    // Launching again the same day finds nothing due.
    calls.length = 0
    expect(again.core.jobs!.runDue('launch').started).toHaveLength(0)
    expect(calls).toEqual([])
  })

  it('does not run slots from before the job was first known', async () => {
    const { core } = await open()
    const started = core.jobs!.runDue('launch').started
    await settle(started)
    expect(calls).toEqual([]) // 2026-02-20 08:00Z: the daily 09:00 EAT slot of today passed before the engine existed
  })

  it('runs on schedule when the timer fires at the slot, and reports the trigger as schedule', async () => {
    const { core, clock } = await open()
    clock.set('2026-02-21T06:00:00Z')
    await settle(core.jobs!.runDue('tick').started)
    expect(calls.filter((c) => c.jobId === 'daily')).toEqual([
      { jobId: 'daily', trigger: 'schedule', scheduledFor: '2026-02-21T06:00:00.000Z' }
    ])
  })
})

describe('daylight saving', () => {
  const walkMinutes = async (core: Core, clock: { set(t: string | number): void }, from: string, to: string) => {
    for (let t = Date.parse(from); t <= Date.parse(to); t += 60_000) {
      clock.set(t)
      await settle(core.jobs!.runDue('tick').started)
    }
  }

  it('runs a 01:30 London job once on the night the clocks go back (01:30 happens twice)', async () => {
    const clock = new ManualClock('2026-10-24T23:00:00Z')
    const { core } = await open({ timeZone: 'Europe/London', clock })
    await walkMinutes(core, clock, '2026-10-25T00:00:00Z', '2026-10-25T02:00:00Z')
    expect(calls.filter((c) => c.jobId === 'london')).toEqual([
      { jobId: 'london', trigger: 'schedule', scheduledFor: '2026-10-25T00:30:00.000Z' }
    ])
  })

  it('runs a 01:30 London job once on the night the clocks go forward (01:30 does not exist)', async () => {
    const clock = new ManualClock('2026-03-28T23:00:00Z')
    const { core } = await open({ timeZone: 'Europe/London', clock })
    await walkMinutes(core, clock, '2026-03-29T00:00:00Z', '2026-03-29T02:30:00Z')
    expect(calls.filter((c) => c.jobId === 'london')).toEqual([
      { jobId: 'london', trigger: 'schedule', scheduledFor: '2026-03-29T01:30:00.000Z' }
    ])
  })
})

describe('schedules', () => {
  it('describes a schedule in words with the next five runs, and refuses a bad one next to the field', async () => {
    const { core } = await open()
    const jobs = value<{ id: string; scheduleText: string; nextRuns: string[] }[]>(await core.invoke('jobs.list', {}))
    const backup = jobs.find((j) => j.id === 'backup')
    expect(backup?.scheduleText).toBe('Every day at 02:00')
    expect(backup?.nextRuns).toEqual([
      '2026-02-20T23:00:00.000Z',
      '2026-02-21T23:00:00.000Z',
      '2026-02-22T23:00:00.000Z',
      '2026-02-23T23:00:00.000Z',
      '2026-02-24T23:00:00.000Z'
    ])
    const bad = await core.invoke('jobs.updateSchedule', { jobId: 'backup', cron: '61 2 * * *' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { cron: 'The minute must be between 0 and 59 (got 61)' } } })
    const hour = await core.invoke('jobs.describeSchedule', { cron: '0 99 * * *' })
    expect(hour).toMatchObject({ ok: false, error: { fields: { cron: 'The hour must be between 0 and 23 (got 99)' } } })
    const junk = await core.invoke('jobs.describeSchedule', { cron: '0 2 * * every-day' })
    expect(junk).toMatchObject({ ok: false, error: { fields: { cron: expect.stringMatching(/^The day of the week "every-day" is not a cron field/) } } })
    const four = await core.invoke('jobs.updateSchedule', { jobId: 'backup', cron: '0 2 * *' })
    expect(four).toMatchObject({ ok: false, error: { fields: { cron: expect.stringMatching(/five fields/) } } })
    const ok = value<{ cron: string; scheduleText: string }>(
      await core.invoke('jobs.updateSchedule', { jobId: 'backup', cron: '0 2 1 * *' })
    )
    expect(ok).toMatchObject({ cron: '0 2 1 * *', scheduleText: 'Every month on day 1 at 02:00' })
    const advanced = value<{ scheduleText: string }>(await core.invoke('jobs.updateSchedule', { jobId: 'backup', cron: '0 2 1,15 * *' }))
    expect(advanced.scheduleText).toBe('At 02:00, on day 1 and 15 of the month')
    expect(await core.invoke('jobs.run', { jobId: 'no-such-job' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('on the last day of each month: the next runs listed are the runs the timer makes, and catch-up after a month off runs the last one', async () => {
    const clock = new ManualClock('2028-01-20T08:00:00Z')
    const { core } = await open({ clock })
    const job = value<{ scheduleText: string; nextRuns: string[] }>(
      await core.invoke('jobs.updateSchedule', { jobId: 'monthly', cron: '0 23 L * *' })
    )
    expect(job.scheduleText).toBe('Every month on the last day at 23:00')
    // Only this job: the others (backups in worker threads) would only slow the walk down.
    // On-demand jobs (report-export) have no schedule to pause.
    for (const other of value<{ id: string; onDemand: boolean }[]>(await core.invoke('jobs.list', {}))) {
      if (other.id !== 'monthly' && !other.onDemand) value(await core.invoke('jobs.setEnabled', { jobId: other.id, enabled: false }))
    }
    // 23:00 in Nairobi: 29 February in a leap year, then 31, 30, 31, 30.
    expect(job.nextRuns).toEqual([
      '2028-01-31T20:00:00.000Z',
      '2028-02-29T20:00:00.000Z',
      '2028-03-31T20:00:00.000Z',
      '2028-04-30T20:00:00.000Z',
      '2028-05-31T20:00:00.000Z'
    ])
    // The timer fires a minute after each slot; nothing is due on the days around it.
    for (const slot of job.nextRuns.slice(0, 3)) {
      clock.set(Date.parse(slot) - 86_400_000)
      await settle(core.jobs!.runDue('tick').started)
      clock.set(Date.parse(slot) + 60_000)
      await settle(core.jobs!.runDue('tick').started)
    }
    expect(calls.filter((c) => c.jobId === 'monthly')).toEqual(
      job.nextRuns.slice(0, 3).map((scheduledFor) => ({ jobId: 'monthly', trigger: 'schedule', scheduledFor }))
    )
    // Off from 1 April to 3 June: the 31st of May is caught up, once.
    calls.length = 0
    clock.set('2028-06-03T06:00:00Z')
    await settle(core.jobs!.runDue('launch').started)
    expect(calls.filter((c) => c.jobId === 'monthly')).toEqual([
      { jobId: 'monthly', trigger: 'catch-up', scheduledFor: '2028-05-31T20:00:00.000Z' }
    ])
  })

  it('a paused job is not due and does not catch up', async () => {
    const { core, clock } = await open()
    value(await core.invoke('jobs.setEnabled', { jobId: 'daily', enabled: false }))
    clock.set('2026-03-05T08:00:00Z')
    await settle(core.jobs!.runDue('launch').started)
    expect(calls.filter((c) => c.jobId === 'daily')).toEqual([])
    value(await core.invoke('jobs.setEnabled', { jobId: 'daily', enabled: true }))
    await settle(core.jobs!.runDue('launch').started)
    expect(calls.filter((c) => c.jobId === 'daily')).toHaveLength(1)
  })
})

describe('node-cron', () => {
  it('schedules each enabled job in the cooperative time zone, plus a heartbeat, and stops them at shutdown', async () => {
    // The engine loads node-cron with require when scheduling starts: the same (CommonJS) instance, so its task registry.
    const cron = createRequire(import.meta.url)('node-cron') as typeof import('node-cron')
    const { core } = await open({ timeZone: 'Europe/London' })
    const ours = () => [...cron.getTasks().values()].filter((t) => t.name?.startsWith('coffer:'))
    core.jobs!.startScheduler()
    const names = ours().map((t) => t.name).sort()
    expect(names).toContain('coffer:backup')
    expect(names).toContain('coffer:integrity')
    expect(names).toContain('coffer:heartbeat')
    // The backup fires at 02:00 London time.
    const backup = ours().find((t) => t.name === 'coffer:backup')
    const next = backup?.getNextRun()
    expect(next && new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('02:00')
    value(await core.invoke('jobs.setEnabled', { jobId: 'backup', enabled: false }))
    expect(ours().map((t) => t.name)).not.toContain('coffer:backup')
    await core.shutdown()
    cores.pop()
    expect(ours()).toEqual([])
  })
})
