import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Job, JobRun } from '../../src/shared/contract'
import { makeOwner } from '../../src/core/platform/jobs/lease'
import { COFFER_BIN, COFFER_BUILT, ROOT, buildCli } from '../support/cli'
import { PROFILE, tempCore, tempDir, value } from '../support/temp-core'

/** The built `coffer` command exactly as `npm run coffer --` runs it (src/cli/bin.cjs → out/cli/coffer.js), in a child process. */
function coffer(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [COFFER_BIN, ...args], {
    env: { ...process.env, COFFER_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** A data folder whose cooperative is in Nairobi and writes dates the Kenyan way. */
async function withProfile(locale = 'en-KE'): Promise<string> {
  const { core, dataDir } = tempCore()
  value(await core.invoke('profile.save', { ...PROFILE, locale }))
  await core.shutdown()
  return dataDir
}

/**
 * Every row's cells line up with their header: a left-aligned cell starts
 * where its header starts, a right-aligned one (`>name`) ends where its
 * header ends, with the two-space gap between columns.
 */
function expectColumns(lines: string[], header: string, names: string[]) {
  for (const spec of names) {
    const right = spec.startsWith('>')
    const name = right ? spec.slice(1) : spec
    const at = header.indexOf(name)
    expect(at, `column ${name} in ${header}`).toBeGreaterThanOrEqual(0)
    for (const line of lines) {
      if (right) {
        const end = at + name.length
        expect(line[end - 1], `text ending at column ${end} in "${line}"`).not.toBe(' ')
        expect(line.slice(end, end + 2), `gap after column ${end} in "${line}"`).toBe('  ')
      } else if (at > 0) {
        expect(line.slice(at - 2, at), `gap before column ${at} in "${line}"`).toBe('  ')
        expect(line[at], `text at column ${at} in "${line}"`).not.toBe(' ')
      }
    }
  }
}

const kenyan = (iso: string, seconds = false) =>
  new Intl.DateTimeFormat('en-KE', { dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short', timeZone: 'Africa/Nairobi' }).format(Date.parse(iso))

beforeAll(() => buildCli())

describe('coffer command line (the built one)', () => {
  it('runs plain JavaScript from out/cli, not TypeScript', () => {
    expect(fs.readFileSync(COFFER_BIN, 'utf8')).not.toMatch(/tsx/)
    expect(fs.existsSync(COFFER_BUILT)).toBe(true)
    expect(fs.existsSync(path.join(ROOT, 'out/cli/jobs-worker.js'))).toBe(true)
  })

  it('lists the jobs in aligned columns, times in the cooperative\'s zone and locale, and as JSON', async () => {
    const dir = await withProfile()
    expect(coffer(dir, 'backup').code).toBe(0)
    const r = coffer(dir, 'jobs', 'list')
    expect(r).toMatchObject({ code: 0, err: '' })
    const lines = r.out.trimEnd().split('\n')
    const header = lines[0] as string
    expect(header).toMatch(/^ID\s+Job\s+Enabled\s+Schedule\s+Last run\s+Result\s+Next run$/)
    const rows = lines.slice(1, 5)
    expectColumns(rows, header, ['ID', 'Job', 'Enabled', 'Schedule', 'Last run', 'Result', 'Next run'])
    expect(rows[0]).toMatch(/^backup\s+Database backup\s+Yes\s+Every day at 02:00 \(0 2 \* \* \*\)\s+/)
    expect(rows[1]).toMatch(/^integrity\s+Integrity check\s+Yes\s+Every week on Sunday at 03:00 \(0 3 \* \* 0\)\s+Never\s+—\s+/)
    expect(lines[5]).toBe('Times are in Africa/Nairobi.')
    expect(r.out).not.toMatch(/\d{4}-\d{2}-\d{2}T|succeeded|\bcli\b/)

    const json = coffer(dir, 'jobs', 'list', '--json')
    expect(json.code).toBe(0)
    const jobs = JSON.parse(json.out) as Job[]
    const backup = jobs.find((j) => j.id === 'backup') as Job
    expect(backup.lastRun).toMatchObject({ status: 'succeeded', trigger: 'cli' })
    expect(backup.lastRun?.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    expect(backup.nextRuns).toHaveLength(5)
    // The table's times are the JSON's instants, written in Nairobi the en-KE way (02:00 there is 23:00 UTC).
    expect(rows[0]).toContain(`  ${kenyan(backup.lastRun?.startedAt as string)}  Succeeded  ${kenyan(backup.nextRuns[0] as string)}`)
    expect(new Date(backup.nextRuns[0] as string).getUTCHours()).toBe(23)
  })

  it('backs up, records the run as from the command line, and shows it in the history', async () => {
    const dir = await withProfile()
    const b = coffer(dir, 'backup')
    expect(b.code).toBe(0)
    expect(b.out).toMatch(/^Database backup: Backed up .* to coffer-manual-.*\.sqlite; 1 backup kept\.\n$/)
    expect(fs.readdirSync(path.join(dir, 'backups')).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1)
    expect(coffer(dir, 'jobs', 'run', 'integrity').code).toBe(0)

    const h = coffer(dir, 'jobs', 'history')
    expect(h.code).toBe(0)
    const lines = h.out.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^Run\s+Job\s+Trigger\s+Started\s+Took\s+Status\s+Result$/)
    expectColumns(lines.slice(1, 3), lines[0] as string, ['>Run', 'Job', 'Trigger', 'Started', '>Took', 'Status', 'Result'])
    expect(lines[1]).toMatch(/^\s*2\s+Integrity check\s+Command line\s+.+\s+Succeeded\s+No problems found\.$/)
    expect(lines[2]).toMatch(/^\s*1\s+Database backup\s+Command line\s+.+\s+Succeeded\s+Backed up/)
    expect(lines[3]).toBe('2 runs in all. Times are in Africa/Nairobi.')

    const page = JSON.parse(coffer(dir, 'jobs', 'history', '--job', 'backup', '--json').out) as { rows: JobRun[]; total: number }
    expect(page.total).toBe(1)
    expect(page.rows[0]).toMatchObject({ id: 1, jobId: 'backup', trigger: 'cli', status: 'succeeded' })
    expect(lines[2]).toContain(kenyan(page.rows[0]?.startedAt as string, true))

    // Filters: the status as its code or its word; a page of the newest.
    expect(coffer(dir, 'jobs', 'history', '--status', 'Succeeded', '--limit=1').out).toMatch(/^\s*2\s+Integrity check.*\nThe newest 1 of 2 runs\./m)
    expect(coffer(dir, 'jobs', 'history', '--status', 'failed').out).toBe('No runs match.\n')
  })

  it('refuses unknown options, stray arguments and bad values with exit 2, before touching the data', () => {
    const dir = path.join(tempDir(), 'never-created')
    const refused = (args: string[], message: RegExp) => {
      const r = coffer(dir, ...args)
      expect(r, args.join(' ')).toMatchObject({ code: 2, out: '' })
      expect(r.err).toMatch(message)
      expect(r.err.trim().split('\n')).toHaveLength(1)
    }
    refused(['jobs', 'list', '--jsn'], /^coffer: Unknown option --jsn for coffer jobs list\. It takes --json\.$/m)
    refused(['jobs', 'history', '--limt', '5'], /^coffer: Unknown option --limt for coffer jobs history/)
    refused(['backup', '--force'], /^coffer: Unknown option --force for coffer backup/)
    refused(['jobs', 'list', 'all'], /^coffer: Unexpected argument "all" for coffer jobs list\.$/m)
    refused(['jobs', 'run'], /^coffer: coffer jobs run needs <id>\.$/m)
    refused(['jobs', 'run', 'backup', '--json', '--json'], /--json is given twice/)
    refused(['jobs', 'history', '--limit', 'lots'], /^coffer: --limit takes a whole number from 1 to 500, not "lots"\.$/m)
    refused(['jobs', 'history', '--limit', '0'], /--limit takes a whole number from 1 to 500/)
    refused(['jobs', 'history', '--status', 'done'], /^coffer: --status takes one of running, succeeded, failed, cancelled, timed-out, interrupted, skipped, not "done"\.$/m)
    refused(['jobs', 'history', '--job'], /--job needs a value/)
    refused(['jobs', 'frobnicate'], /Unknown command: coffer jobs frobnicate/)
    refused(['frobnicate'], /Unknown command: coffer frobnicate/)
    expect(fs.existsSync(dir)).toBe(false)
  })

  it('prints its usage without opening the data folder', () => {
    const dir = path.join(tempDir(), 'never-created')
    const help = coffer(dir, 'help')
    expect(help.code).toBe(0)
    expect(help.out).toMatch(/^Usage:\n {2}coffer jobs list \[--json\]\n/)
    expect(help.out).toContain('coffer jobs history [--job <id>] [--status <status>] [--limit <n>] [--json]')
    expect(coffer(dir, 'jobs', 'history', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: coffer jobs history/) })
    expect(coffer(dir, 'jobs', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage:/) })
    expect(coffer(dir)).toMatchObject({ code: 2, out: '', err: expect.stringMatching(/^Usage:/) })
    // Nothing after help is ignored either.
    expect(coffer(dir, 'help', 'jobs')).toMatchObject({ code: 2, err: 'coffer: coffer help takes nothing after it; try coffer jobs --help.\n' })
    expect(coffer(dir, 'jobs', '-h', 'list')).toMatchObject({ code: 2, err: 'coffer: coffer jobs -h takes nothing after it; try coffer jobs list --help.\n' })
    expect(fs.existsSync(dir)).toBe(false)
  })

  it('loads no spreadsheet, PDF or scheduling library for jobs list, and not even core for help', () => {
    const dir = tempDir()
    const loaded = (args: string[]) => {
      const script = `
        const cli = require(${JSON.stringify(COFFER_BUILT)})
        const { Writable } = require('node:stream')
        const out = new Writable({ write: (c, e, cb) => cb() })
        cli.main(${JSON.stringify(args)}, { out, err: process.stderr, env: process.env }).then((code) => {
          const mods = Object.keys(require.cache).map((k) => (k.match(/node_modules[\\\\/]((@[^\\\\/]+[\\\\/])?[^\\\\/]+)/) || [])[1]).filter(Boolean)
          console.log(JSON.stringify({ code, mods: [...new Set(mods)] }))
        })`
      const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, COFFER_DATA_DIR: dir }, encoding: 'utf8' })
      return JSON.parse(r.stdout) as { code: number; mods: string[] }
    }
    const list = loaded(['jobs', 'list'])
    expect(list.code).toBe(0)
    expect(list.mods).toContain('better-sqlite3')
    // node-cron too: only a process that schedules (the app) loads it.
    for (const heavy of ['exceljs', 'pdfkit', 'fontkit', 'node-cron']) expect(list.mods).not.toContain(heavy)
    const help = loaded(['help'])
    expect(help).toEqual({ code: 0, mods: [] })
  })

  it('imports members from a CSV file through the import command', async () => {
    const dir = await withProfile()
    const file = path.join(tempDir(), 'members.csv')
    fs.writeFileSync(file, 'Member number,Full name,Joined on\nM-001,Wanjiru Kamau,2024-01-15\nM-002,Otieno Ochieng,2024-02-01\n')
    expect(coffer(dir, 'import', 'members', file)).toMatchObject({ code: 0, out: `Imported 2 members from ${file}.\n`, err: '' })
    expect(coffer(dir, 'import', 'members', file, '--bogus')).toMatchObject({ code: 2, out: '' })
    expect(coffer(dir, 'help').out).toContain('coffer import members FILE [--exclude-invalid] [--dry-run]')
  })

  it('says in one line when it is not built, and exits 3', () => {
    // A copy of the launcher in a folder with no out/cli beside it.
    const root = tempDir()
    fs.mkdirSync(path.join(root, 'src/cli'), { recursive: true })
    fs.copyFileSync(COFFER_BIN, path.join(root, 'src/cli/bin.cjs'))
    const r = spawnSync(process.execPath, [path.join(root, 'src/cli/bin.cjs'), 'jobs', 'list'], { encoding: 'utf8' })
    expect(r.status).toBe(3)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`coffer: the command line is not built (${path.join(root, 'out/cli/coffer.js')} is missing); run npm run build:cli in ${root}.\n`)
  })

  it('runs a job by id and exits non-zero with one line when it cannot', () => {
    const dir = tempDir()
    expect(coffer(dir, 'jobs', 'run', 'integrity')).toMatchObject({ code: 0, out: 'Integrity check: No problems found.\n' })
    const json = coffer(dir, 'jobs', 'run', 'integrity', '--json')
    expect(json.code).toBe(0)
    expect(JSON.parse(json.out)).toMatchObject({ jobId: 'integrity', trigger: 'cli', status: 'succeeded' })
    const unknown = coffer(dir, 'jobs', 'run', 'payroll')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toBe('coffer: The job "payroll" was not found.\n')
    expect(coffer(dir, 'jobs', 'history', '--job', 'payroll')).toMatchObject({ code: 2, err: 'coffer: The job "payroll" was not found.\n' })
    const forced = coffer(dir, 'jobs', 'run', 'backup', '--force')
    expect(forced.code).toBe(2)
    expect(forced.err).toMatch(/^coffer: Database backup cannot be forced\.\n$/)
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
    expect(r.err).toMatch(/^coffer: Database backup is already running in /)
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
