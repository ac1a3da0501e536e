import type Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src/core'
import { PROFILE, tempCore, value } from '../support/temp-core'
import { rawDb } from '../support/ledger'

/**
 * The mail job runs every minute: its runs that found nothing to do are not
 * kept past the latest one (pruneIdleRuns), while every run that did
 * something, or had something to say, stays in the history.
 */
const open: Array<{ close(): void }> = []
afterEach(() => {
  for (const c of open.splice(0)) c.close()
})

async function runMail(core: Core): Promise<void> {
  const started = core.jobs!.start('mail', { trigger: 'manual' })
  expect((await started.done).status).toBe('succeeded')
}

const succeeded = (db: Database.Database): string[] =>
  db.prepare("SELECT json_extract(result, '$.summary') FROM job_runs WHERE job_id = 'mail' AND status = 'succeeded' ORDER BY id").pluck().all() as string[]

describe('idle runs of a job that prunes them', () => {
  it('keeps only the latest idle run of the mail job, and every run that had something to say', async () => {
    const { core, dataDir } = tempCore()
    open.push(core)
    value(await core.invoke('profile.save', PROFILE))
    const db = rawDb(dataDir)
    open.push(db)
    for (let i = 0; i < 4; i++) await runMail(core)
    expect(succeeded(db)).toEqual(['Nothing was due.'])

    // A message waits (email is not set up): each run says so, and each is kept.
    db.prepare(
      "INSERT INTO outbox_messages (kind, channel, to_address, subject, body, status, created_at) VALUES ('test', 'email', 'a@example.org', 'Hi', 'Hello', 'queued', '2026-11-22T09:00:00.000Z')"
    ).run()
    await runMail(core)
    await runMail(core)
    const runs = succeeded(db)
    expect(runs).toHaveLength(3)
    expect(runs[0]).toBe('Nothing was due.')
    expect(runs[1]).toMatch(/1 email waits/)
    expect(runs[2]).toBe(runs[1])
  })
})
