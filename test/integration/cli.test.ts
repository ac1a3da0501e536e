import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AuditVerifyResult, Job, JobRun } from '../../src/shared/contract'
import { makeOwner } from '../../src/core/platform/jobs/lease'
import { COFFER_BIN, COFFER_BUILT, ROOT, buildCli } from '../support/cli'
import { ADMIN, TREASURER, asOperator } from '../support/operators'
import { PROFILE, tempCore, tempDir, value } from '../support/temp-core'

/** The environment a command gets: this one's, without a password unless the test gives it one. */
function childEnv(dataDir: string, password?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, COFFER_DATA_DIR: dataDir }
  delete env.COFFER_PASSWORD
  if (password !== undefined) env.COFFER_PASSWORD = password
  return env
}

/**
 * The built `coffer` command exactly as `npm run coffer --` runs it
 * (src/cli/bin.cjs → out/cli/coffer.js), in a child process, its stdin not a
 * terminal, and no COFFER_PASSWORD.
 */
function coffer(dataDir: string, ...args: string[]) {
  return cofferWith(dataDir, undefined, ...args)
}

/** The same, the operator's password in COFFER_PASSWORD as a script gives it. */
function cofferWith(dataDir: string, password: string | undefined, ...args: string[]) {
  const r = spawnSync(process.execPath, [COFFER_BIN, ...args], {
    env: childEnv(dataDir, password),
    encoding: 'utf8',
    timeout: 60_000
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** A data folder whose cooperative is in Nairobi and writes dates the Kenyan way; Ada (ADMIN) is its administrator. */
async function withProfile(locale = 'en-KE'): Promise<string> {
  const { core, dataDir } = tempCore()
  value(await core.invoke('profile.save', { ...PROFILE, locale }))
  await core.shutdown()
  return dataDir
}

/** The same with more operators: each created by Ada with their role, their first password changed. */
async function withOperators(...who: { name: string; username: string; password: string; role: string }[]): Promise<string> {
  const { core, dataDir } = tempCore()
  value(await core.invoke('profile.save', PROFILE))
  for (const w of who) await asOperator(core, w, async () => undefined)
  await core.shutdown()
  return dataDir
}

const AUDITOR = { name: 'Audrey Auditor', username: 'audrey', password: 'ledger lamp quiet', role: 'auditor' }

/** Reads the data file directly, as the sqlite3 shell would. */
function readDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'coffer.sqlite'), { readonly: true })
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

/** Runs SQL in Debian's sqlite3 shell on the data file: what someone with the file and no Coffer can do. */
function sqliteShell(dataDir: string, sql: string): void {
  const r = spawnSync('sqlite3', [path.join(dataDir, 'coffer.sqlite'), sql], { encoding: 'utf8' })
  if (r.error) throw new Error(`the sqlite3 shell could not run (apt-get install sqlite3): ${r.error.message}`)
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`)
}

/**
 * Runs `coffer` on a real terminal (a pseudo-terminal made by util-linux's
 * `script`), types `keys` once the password question shows, and answers
 * everything the terminal showed: the typed password must not be in it.
 */
function cofferAtTerminal(dataDir: string, keys: string, ...args: string[]): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, COFFER_BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
  return new Promise((resolve, reject) => {
    const p = spawn('script', ['-qefc', command, '/dev/null'], { env: childEnv(dataDir), stdio: ['pipe', 'pipe', 'pipe'] })
    let screen = ''
    let typed = false
    const timer = setTimeout(() => p.kill(), 60_000)
    p.stdout.on('data', (d: Buffer) => {
      screen += d.toString('utf8')
      if (!typed && /Password for \S+: $/.test(screen)) {
        typed = true
        p.stdin.write(keys)
      }
    })
    p.on('error', reject)
    p.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, screen: screen.replaceAll('\r\n', '\n') })
    })
  })
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
    const rows = lines.slice(1, 12)
    expectColumns(rows, header, ['ID', 'Job', 'Enabled', 'Schedule', 'Last run', 'Result', 'Next run'])
    expect(rows[0]).toMatch(/^backup\s+Database backup\s+Yes\s+Every day at 02:00 \(0 2 \* \* \*\)\s+/)
    expect(rows[1]).toMatch(/^integrity\s+Integrity check\s+Yes\s+Every week on Sunday at 03:00 \(0 3 \* \* 0\)\s+Never\s+—\s+/)
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['backup', 'integrity', 'mail', 'coupons', 'maturity', 'recurring', 'standing-orders', 'payroll', 'report-export', 'weekly-summary', 'monthly-summary'])
    // An on-demand job: no schedule, no next run.
    expect(rows[8]).toMatch(/^report-export\s+Report export\s+—\s+On demand\s+Never\s+—\s+—$/)
    expect(lines[12]).toBe('Times are in Africa/Nairobi.')
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
    refused(['audit'], /^coffer: Say what to do with the audit trail: coffer audit verify\.$/m)
    refused(['audit', 'verfy'], /^coffer: Unknown command: coffer audit verfy\. Try coffer help\.$/m)
    refused(['audit', 'verify', '--jsn'], /^coffer: Unknown option --jsn for coffer audit verify\. It takes --json\.$/m)
    // The global --user: a name, once; a misspelling of it is refused like any other option.
    refused(['jobs', 'list', '--user'], /^coffer: --user needs a username: --user <username>\.$/m)
    refused(['--user', '--json', 'jobs', 'list'], /--user needs a username/)
    refused(['--user=', 'jobs', 'list'], /--user needs a username/)
    refused(['--user', 'ada', 'jobs', 'list', '--user=tom'], /^coffer: --user is given twice\.$/m)
    refused(['--usr', 'ada', 'jobs', 'list'], /^coffer: Unknown command: coffer --usr\. Try coffer help\.$/m)
    refused(['jobs', 'list', '--usr', 'ada'], /^coffer: Unknown option --usr for coffer jobs list\. It takes --json\.$/m)
    refused(['import', 'members', 'f.csv', '--usr=ada'], /^coffer: Unknown option --usr for coffer import\./m)
    // A password is never an argument, and the refusal does not repeat it.
    for (const args of [['--user', 'ada', '--password', 'hunter2', 'jobs', 'list'], ['jobs', 'list', '--user=ada', '--password=hunter2']]) {
      refused(args, /^coffer: coffer never takes a password as an argument \(it would show in the process list\)/m)
      expect(coffer(dir, ...args).err).not.toContain('hunter2')
    }
    // Without a terminal to type it at and without COFFER_PASSWORD, there is no password: refused before the data is opened.
    refused(['--user', 'ada', 'jobs', 'list'], /^coffer: --user ada needs the password: run coffer at a terminal to type it, or set COFFER_PASSWORD \(for scripts\)\./m)
    expect(fs.existsSync(dir)).toBe(false)
  })

  it('prints its usage without opening the data folder', () => {
    const dir = path.join(tempDir(), 'never-created')
    const help = coffer(dir, 'help')
    expect(help.code).toBe(0)
    expect(help.out).toMatch(/^Usage:\n {2}coffer jobs list \[--json\]\n/)
    expect(help.out).toContain('coffer jobs history [--job <id>] [--status <status>] [--limit <n>] [--json]')
    expect(help.out).toContain('  coffer audit verify [--json]\n')
    expect(help.out).toContain('  coffer import members FILE --user <username> [--exclude-invalid] [--dry-run]\n')
    expect(help.out).toMatch(/--user <username> +run as this operator/)
    expect(help.out).toMatch(/set COFFER_PASSWORD instead\. It is never taken as an argument\./)
    expect(help.out).toMatch(/4 the audit trail was changed outside Coffer \(audit verify\)/)
    expect(coffer(dir, 'audit', '--help')).toMatchObject({ code: 0, out: help.out })
    expect(coffer(dir, 'audit', 'verify', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: coffer audit verify \[--json\]\nAdd --user <username>/) })
    expect(coffer(dir, 'import', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage:\n {2}coffer import members FILE --user <username>/) })
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

  it('imports members only as a named operator, and the audit trail names them and the channel', async () => {
    const dir = await withProfile()
    const file = path.join(tempDir(), 'members.csv')
    fs.writeFileSync(file, 'Member number,Full name,Joined on\nM-001,Wanjiru Kamau,2024-01-15\nM-002,Otieno Ochieng,2024-02-01\n')
    const members = () => readDb(dir, (db) => db.prepare('SELECT count(*) FROM members').pluck().get())
    const auditRows = () => readDb(dir, (db) => db.prepare('SELECT count(*) FROM audit_log').pluck().get())
    const before = auditRows()

    // Without --user: refused before the data file is opened (not even a sign-in is recorded).
    expect(coffer(dir, 'import', 'members', file)).toEqual({
      code: 2,
      out: '',
      err: "coffer: coffer import changes the book on someone's behalf: say who with --user <username> (the password is asked for, or read from COFFER_PASSWORD).\n"
    })
    expect(cofferWith(dir, ADMIN.password, 'import', 'members', file)).toMatchObject({ code: 2, out: '' })
    expect([members(), auditRows()]).toEqual([0, before])
    // A usage problem is still said first.
    expect(coffer(dir, 'import', 'members', file, '--bogus')).toMatchObject({ code: 2, out: '', err: expect.stringMatching(/^coffer: Unknown option --bogus/) })

    // With --user and the password from COFFER_PASSWORD (a script): imported as Ada.
    expect(cofferWith(dir, ADMIN.password, 'import', 'members', file, '--user', ADMIN.username)).toEqual({
      code: 0,
      out: `Imported 2 members from ${file}.\n`,
      err: ''
    })
    expect(members()).toBe(2)
    const ada = readDb(dir, (db) => db.prepare('SELECT id FROM operators WHERE username = ?').pluck().get(ADMIN.username)) as number
    const rows = readDb(dir, (db) =>
      db.prepare("SELECT operator_id AS operatorId, actor, channel, action, entity_id AS entityId, after FROM audit_log WHERE entity = 'members' ORDER BY id").all()
    ) as { operatorId: number; actor: string; channel: string; action: string; after: string }[]
    expect(rows).toHaveLength(2)
    for (const r of rows) expect(r).toMatchObject({ operatorId: ada, actor: ADMIN.name, channel: 'imports.commit', action: 'insert' })
    expect(JSON.parse(rows[1]?.after ?? '{}')).toMatchObject({ member_no: 'M-002', full_name: 'Otieno Ochieng' })
    // Signing in is Ada's own write too (the last sign-in time), through auth.signIn.
    const signIn = readDb(dir, (db) =>
      db.prepare("SELECT operator_id AS operatorId, channel FROM audit_log WHERE entity = 'operators' ORDER BY id DESC LIMIT 1").get()
    )
    expect(signIn).toEqual({ operatorId: ada, channel: 'auth.signIn' })
    // The variable goes to core's sign-in only: it is taken out of the environment, so nothing the command starts inherits it.
    const script = `
      const cli = require(${JSON.stringify(COFFER_BUILT)})
      const { Writable } = require('node:stream')
      const out = new Writable({ write: (c, e, cb) => cb() })
      const env = { ...process.env }
      cli.main(['--user', 'ada', 'jobs', 'list'], { out, err: process.stderr, env }).then((code) => {
        console.log(JSON.stringify({ code, left: 'COFFER_PASSWORD' in env }))
      })`
    const inProcess = spawnSync(process.execPath, ['-e', script], { env: childEnv(dir, ADMIN.password), encoding: 'utf8' })
    expect(JSON.parse(inProcess.stdout)).toEqual({ code: 0, left: false })
  })

  it('refuses a wrong password with core\'s words, counts it toward the lockout, and then refuses the right one too', async () => {
    const { core, dataDir: dir } = tempCore()
    value(await core.invoke('profile.save', PROFILE))
    value(await core.invoke('security.save', { idleMinutes: 10, maxAttempts: 3, lockoutMinutes: 15, makerChecker: { payments: true, journal: false, journalThresholdMinor: 0, reopen: false } }))
    await core.shutdown()
    const attempts = () => readDb(dir, (db) => db.prepare('SELECT failed_attempts AS failed, locked_until AS lockedUntil FROM operators WHERE username = ?').get(ADMIN.username)) as { failed: number; lockedUntil: string | null }

    const wrong = cofferWith(dir, 'not her password', '--user', ADMIN.username, 'jobs', 'list')
    expect(wrong).toEqual({ code: 3, out: '', err: 'coffer: The username or password is not right.\n' })
    expect(attempts()).toEqual({ failed: 1, lockedUntil: null })
    // An unknown username gets the same words (nothing says which usernames exist).
    expect(cofferWith(dir, ADMIN.password, '--user', 'nobody', 'jobs', 'list')).toEqual({ code: 3, out: '', err: 'coffer: The username or password is not right.\n' })

    expect(cofferWith(dir, 'still not it', '--user', ADMIN.username, 'audit', 'verify').code).toBe(3)
    expect(attempts()).toMatchObject({ failed: 2 })
    const third = cofferWith(dir, 'wrong again', '--user', ADMIN.username, 'backup')
    expect(third.code).toBe(3)
    expect(third.err).toMatch(/^coffer: Too many wrong passwords: this account is locked until .+\. An administrator can unlock it sooner by resetting the password\.\n$/)
    expect(attempts().lockedUntil).not.toBeNull()
    // Locked: even the right password is refused for now, and nothing ran.
    const right = cofferWith(dir, ADMIN.password, '--user', ADMIN.username, 'backup')
    expect(right.code).toBe(3)
    expect(right.err).toMatch(/^coffer: Too many wrong passwords: this account is locked until /)
    expect(fs.existsSync(path.join(dir, 'backups')) && fs.readdirSync(path.join(dir, 'backups')).some((f) => f.endsWith('.sqlite'))).toBe(false)
  })

  it('asks for the password at a terminal without showing what is typed', async () => {
    const dir = await withProfile()
    const typed = await cofferAtTerminal(dir, `${ADMIN.password}\r`, '--user', ADMIN.username, 'audit', 'verify')
    expect(typed.code).toBe(0)
    expect(typed.screen).toMatch(/^Password for ada: \nThe audit trail checks out: \d+ rows\.\n$/)
    expect(typed.screen).not.toContain('battery')
    // Backspace corrects a slip; Ctrl-C gives up without doing anything.
    const fixed = await cofferAtTerminal(dir, `${ADMIN.password.slice(0, -1)}x\x7f${ADMIN.password.slice(-1)}\r`, '--user', ADMIN.username, 'jobs', 'list')
    expect(fixed.code).toBe(0)
    expect(fixed.screen).toMatch(/^Password for ada: \nID +Job/)
    const cancelled = await cofferAtTerminal(dir, '\x03', '--user', ADMIN.username, 'backup')
    expect(cancelled).toEqual({ code: 130, screen: 'Password for ada: \ncoffer: No password was typed; nothing was done.\n' })
    expect(fs.existsSync(path.join(dir, 'backups')) && fs.readdirSync(path.join(dir, 'backups')).some((f) => f.endsWith('.sqlite'))).toBe(false)
    const wrong = await cofferAtTerminal(dir, 'guess\r', '--user', ADMIN.username, 'jobs', 'list')
    expect(wrong).toEqual({ code: 3, screen: 'Password for ada: \ncoffer: The username or password is not right.\n' })
  })

  it('runs jobs as the system without --user, and with it under the operator\'s role', async () => {
    const dir = await withOperators(AUDITOR, { ...TREASURER, role: 'treasurer' })
    // An auditor reads, but may not run a job: refused before the job starts.
    expect(cofferWith(dir, AUDITOR.password, '--user', AUDITOR.username, 'jobs', 'run', 'integrity')).toEqual({
      code: 3,
      out: '',
      err: 'coffer: Auditors may not run or cancel jobs. Ask an operator who may.\n'
    })
    expect(cofferWith(dir, AUDITOR.password, 'backup', '--user', AUDITOR.username)).toMatchObject({ code: 3, err: 'coffer: Auditors may not run or cancel jobs. Ask an operator who may.\n' })
    expect(JSON.parse(coffer(dir, 'jobs', 'history', '--json').out)).toEqual({ rows: [], total: 0 })
    expect(cofferWith(dir, AUDITOR.password, '--user', AUDITOR.username, 'jobs', 'list')).toMatchObject({ code: 0, out: expect.stringMatching(/^ID +Job/) })
    expect(cofferWith(dir, AUDITOR.password, '--user', AUDITOR.username, 'audit', 'verify')).toMatchObject({ code: 0, out: expect.stringMatching(/^The audit trail checks out/) })

    // A treasurer may; the run is the command line's, as the system's would be.
    expect(cofferWith(dir, TREASURER.password, '--user', TREASURER.username, 'backup')).toMatchObject({ code: 0, out: expect.stringMatching(/^Database backup: Backed up/) })
    expect(coffer(dir, 'jobs', 'run', 'integrity')).toMatchObject({ code: 0, out: 'Integrity check: No problems found.\n' })
    const page = JSON.parse(cofferWith(dir, AUDITOR.password, '--user', AUDITOR.username, 'jobs', 'history', '--json').out) as { rows: JobRun[]; total: number }
    expect(page.rows.map((r) => [r.jobId, r.trigger, r.status])).toEqual([
      ['integrity', 'cli', 'succeeded'],
      ['backup', 'cli', 'succeeded']
    ])
  })

  it('audit verify: the trail of a fresh book checks out; a row edited or deleted with the sqlite3 shell fails there', async () => {
    const dir = await withProfile()
    const file = path.join(tempDir(), 'members.csv')
    fs.writeFileSync(file, 'Member number,Full name,Joined on\nM-001,Wanjiru Kamau,2024-01-15\nM-002,Otieno Ochieng,2024-02-01\nM-003,Achieng Atieno,2024-03-01\n')
    expect(cofferWith(dir, ADMIN.password, '--user', ADMIN.username, 'import', 'members', file).code).toBe(0)
    const count = () => readDb(dir, (db) => db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number)
    const fresh = count()
    expect(fresh).toBeGreaterThan(5)
    expect(coffer(dir, 'audit', 'verify')).toEqual({ code: 0, out: `The audit trail checks out: ${fresh} rows.\n`, err: '' })
    expect(JSON.parse(coffer(dir, 'audit', 'verify', '--json').out)).toEqual({ checked: fresh, ok: true, brokenAt: null })

    // Someone with the file and the sqlite3 shell makes M-002 someone else. The append-only trigger is in the file, so
    // they drop it first, as an intruder would; Coffer's own hashing triggers live only in its connections.
    const target = readDb(dir, (db) => db.prepare("SELECT id FROM audit_log WHERE entity = 'members' AND after LIKE '%Otieno Ochieng%'").pluck().get()) as number
    expect(() => sqliteShell(dir, `UPDATE audit_log SET after = replace(after, 'Otieno Ochieng', 'Mallory Ochieng') WHERE id = ${target};`)).toThrow(/The audit trail cannot be changed/)
    sqliteShell(dir, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = replace(after, 'Otieno Ochieng', 'Mallory Ochieng') WHERE id = ${target};`)
    expect(readDb(dir, (db) => db.prepare('SELECT after FROM audit_log WHERE id = ?').pluck().get(target))).toContain('Mallory')

    const before = target - 1
    const broken = coffer(dir, 'audit', 'verify')
    expect(broken).toEqual({
      code: 4,
      out: '',
      err: `coffer: Audit row ${target} was changed after it was written: its content no longer matches its hash. The ${before} rows before it check out.\n`
    })
    const json = coffer(dir, 'audit', 'verify', '--json')
    expect(json.code).toBe(4)
    expect(JSON.parse(json.out) as AuditVerifyResult).toEqual({
      checked: before,
      ok: false,
      brokenAt: { id: target, reason: 'changed', message: `Audit row ${target} was changed after it was written: its content no longer matches its hash.` }
    })
    // As an operator too.
    expect(cofferWith(dir, ADMIN.password, '--user', ADMIN.username, 'audit', 'verify').code).toBe(4)

    // Deleting the row instead (and its no-delete trigger): the row after it no longer follows.
    const deleted = await withProfile()
    const rows = readDb(deleted, (db) => db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number)
    sqliteShell(deleted, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 3;')
    expect(coffer(deleted, 'audit', 'verify')).toEqual({
      code: 4,
      out: '',
      err: 'coffer: Audit row 4 does not follow the row before it: a row before it was deleted or changed. The 2 rows before it check out.\n'
    })
    expect(rows).toBeGreaterThan(3)
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
    const unknown = coffer(dir, 'jobs', 'run', 'mail-merge')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toBe('coffer: The job "mail-merge" was not found.\n')
    expect(coffer(dir, 'jobs', 'history', '--job', 'mail-merge')).toMatchObject({ code: 2, err: 'coffer: The job "mail-merge" was not found.\n' })
    const forced = coffer(dir, 'jobs', 'run', 'backup', '--force')
    expect(forced.code).toBe(2)
    expect(forced.err).toMatch(/^coffer: Database backup cannot be forced\.\n$/)
  })

  it('is refused while the app holds the job, and says so', async () => {
    const { core, dataDir } = tempCore()
    value(await core.invoke('auth.status'))
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
