import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { makeOwner } from '../../src/core/platform/jobs/lease'
import { tempCore, tempDir } from '../support/temp-core'

const ROOT = path.resolve(__dirname, '../..')

/** The `coffer` command exactly as `npm run coffer --` runs it. */
function coffer(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'src/cli/bin.cjs'), ...args], {
    env: { ...process.env, COFFER_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('coffer command line', () => {
  it('lists the jobs with their schedules', () => {
    const r = coffer(tempDir(), 'jobs', 'list')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^backup\s+yes\s+At 02:00 \(0 2 \* \* \*\)/m)
    expect(r.out).toMatch(/^integrity\s+yes\s+At 03:00, only on Sunday/m)
  })

  it('backs up, records the run with trigger cli, and shows it in the history', () => {
    const dir = tempDir()
    const b = coffer(dir, 'backup')
    expect(b.code).toBe(0)
    expect(b.out).toMatch(/^Database backup: Backed up .* to coffer-manual-.*\.sqlite; 1 backup kept\.\n$/)
    expect(fs.readdirSync(path.join(dir, 'backups')).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1)
    const h = coffer(dir, 'jobs', 'history', '--job', 'backup')
    expect(h.code).toBe(0)
    expect(h.out).toMatch(/^1\s+backup\s+cli\s+.*succeeded\s+Backed up/m)
    expect(h.out).toMatch(/1 of 1 runs/)
  })

  it('runs a job by id and exits non-zero with one line when it cannot', () => {
    const dir = tempDir()
    expect(coffer(dir, 'jobs', 'run', 'integrity')).toMatchObject({ code: 0, out: 'Integrity check: No problems found.\n' })
    const unknown = coffer(dir, 'jobs', 'run', 'payroll')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toBe('coffer: The job "payroll" was not found.\n')
    const forced = coffer(dir, 'jobs', 'run', 'backup', '--force')
    expect(forced.code).toBe(2)
    expect(forced.err).toMatch(/^coffer: Database backup cannot be forced\.\n$/)
    expect(coffer(dir, 'jobs', 'history', '--limit', 'lots')).toMatchObject({ code: 2, err: expect.stringMatching(/^coffer: --limit/) })
    expect(coffer(dir, 'frobnicate').code).toBe(2)
  })

  it('is refused while the app holds the job, and says so', () => {
    const { core, dataDir } = tempCore()
    core.close()
    const db = new Database(path.join(dataDir, 'coffer.sqlite'))
    // A lease held by a live process (this one), as the app holds it while its backup runs.
    db.prepare("INSERT INTO job_leases (job_id, owner, acquired_at, expires_at) VALUES ('backup', ?, '2026-01-01T00:00:00Z', '2999-01-01T00:00:00Z')").run(
      makeOwner('app')
    )
    db.close()
    const r = coffer(dataDir, 'backup')
    expect(r.code).toBe(3)
    // Who holds it in words, and when in the cooperative's locale (no profile here: the PC's), never the lease id or ISO.
    expect(r.err).toMatch(/^coffer: Database backup is already running in the Coffer app on this PC \(started (?!2026-01-01T)[^)]*2026[^)]*\)/)
  })

  it('says clearly when the data file is damaged', () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'coffer.sqlite'), 'garbage '.repeat(500))
    const r = coffer(dir, 'jobs', 'list')
    expect(r.code).toBe(3)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toMatch(/damaged/)
  })
})
