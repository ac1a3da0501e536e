/**
 * coffer: the command line over core, on the same data folder as the app
 * (COFFER_DATA_DIR, else the app's own). Safe while the app runs: a job held
 * by the app is refused here, and the other way round (the lease).
 *
 *   coffer jobs list [--json]
 *   coffer jobs run <id> [--force] [--json]
 *   coffer jobs history [--job <id>] [--status <status>] [--limit <n>] [--json]
 *   coffer backup [--json]
 *   coffer audit verify [--json]
 *   coffer summaries check [--json]
 *   coffer summaries rebuild [--truncate] [--json]
 *   coffer ledger trial-balance [--as-of DATE] [--json]                          (ledger-commands.ts)
 *   coffer recurring run [--dry-run] [--json]                                    (recurring-commands.ts)
 *   coffer standing-orders run [--dry-run] [--json]                              (recurring-commands.ts)
 *   coffer payroll run [--period ID] [--force] [--reason TEXT] [--dry-run] [--json]   (payroll-commands.ts)
 *   coffer report <name> --from DATE --to DATE [--format xlsx|pdf] [--out FILE] [--member NO] [--account CODE] [--series CODE] [--certificates] [--json]   (report-commands.ts)
 *   coffer import members|holdings FILE --user <username> [--exclude-invalid] [--dry-run]   (import-command.ts)
 *
 * Who: every command takes `--user <username>` and then runs as that
 * operator, signed in through core's auth.signIn (so wrong passwords count
 * toward the lockout), with their role's permissions; the password comes
 * from the terminal or COFFER_PASSWORD, never an argument (password.ts).
 * `import` changes the book on someone's behalf and requires it; the others
 * run as the system without it (core.invokeAsSystem, or the job engine).
 *
 * People get aligned columns, times in the cooperative's time zone and
 * locale, statuses in words; `--json` gives scripts the contract's own
 * answer (codes, ISO 8601 UTC instants). Unknown options are refused.
 *
 * Exit codes: 0 done; 1 the job ran and failed; 2 wrong usage; 3 Coffer could
 * not start or refused (data file unusable, job already running, wrong
 * password, the operator may not); 4 the audit trail does not check out;
 * 5 the ledger's summaries differ from the journal (summaries check, or a
 * trial balance whose totals differ); 130 the password prompt was cancelled.
 *
 * Shipped built (build/scripts/cli.mjs → out/cli/coffer.js). Core loads only
 * once a command needs it, so `coffer help` and usage errors never open it.
 */
import os from 'node:os'
import path from 'node:path'
import type { Core } from '../core'
import type { AuditVerifyResult, AuthStatus, Channel, Envelope, Err, Job, JobRun, Profile, RunStatus, SystemDefaults } from '../shared/contract'
import { UsageError, globalOptions, parseOptions, type OptionSpec, type Parsed } from './args'
import { CliError, EXIT_SUMMARIES_DIFFER, json, unwrap } from './errors'
import { PASSWORD_ENV, PromptCancelled, readPassword } from './password'
import { formatTable, oneLine } from './table'
import { STATUS_WORDS, Words, lastResult, plural, statusFromText, statusWord, triggerWord } from './words'
import { isCalendarDate } from '../shared/dates'
import type { BookWords } from './ledger-commands'

/** Set by build/scripts/cli.mjs in out/cli/coffer.js; undefined when run from source (tests). */
declare const __COFFER_CLI_BUILD__: boolean | undefined
const BUILT = typeof __COFFER_CLI_BUILD__ !== 'undefined' && __COFFER_CLI_BUILD__ === true
/** The repository (or installed package): src/cli/ and out/cli/ are both two levels down. */
const ROOT = path.resolve(__dirname, '../..')

export interface Io {
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
  /** Where a password is typed (a terminal); without one, only COFFER_PASSWORD gives it. */
  in?: NodeJS.ReadableStream
}

/** Exit code of `coffer audit verify` when the trail was changed: distinct from every other failure. */
export const EXIT_AUDIT_BROKEN = 4
export { EXIT_SUMMARIES_DIFFER } from './errors'
/** Ctrl-C or Ctrl-D at the password prompt (128 + SIGINT, as shells report an interrupted command). */
export const EXIT_CANCELLED = 130

/**
 * Who a command runs as: the operator named with --user, signed in on this
 * core's session, or the system (jobs, backup, reading, unattended).
 */
export interface Caller {
  invoke(channel: string, input?: unknown): Promise<Envelope<unknown>>
  /** The permission check alone, for what the CLI does through the job engine: null when allowed. */
  authorize(channel: Channel): Err | null
}


/** Electron's userData for an app named Coffer, so the CLI finds the app's data by default. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Coffer')
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Coffer')
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'Coffer')
}

interface Command {
  /** "jobs list": what the user typed. */
  name: string
  /** The usage line, after "coffer ". */
  synopsis: string
  spec: OptionSpec
  /** Checks the options' values before the data folder is opened (throws UsageError). */
  check?: (opts: Parsed) => void | Promise<void>
  run: (core: Core, as: Caller, opts: Parsed, io: Io) => Promise<number>
}

const STATUS_CODES = Object.keys(STATUS_WORDS).join(', ')

const COMMANDS: readonly Command[] = [
  {
    name: 'jobs list',
    synopsis: 'jobs list [--json]',
    spec: { flags: ['--json'] },
    run: jobsList
  },
  {
    name: 'jobs run',
    synopsis: 'jobs run <id> [--force] [--json]',
    spec: { flags: ['--force', '--json'], positionals: ['id'] },
    run: (core, as, o, io) => runJob(core, as, o.positionals[0] as string, o.flags.has('--force'), o.flags.has('--json'), io)
  },
  {
    name: 'jobs history',
    synopsis: 'jobs history [--job <id>] [--status <status>] [--limit <n>] [--json]',
    spec: { flags: ['--json'], values: ['--job', '--status', '--limit'] },
    check: (o) => void historyQuery(o),
    run: jobsHistory
  },
  {
    name: 'backup',
    synopsis: 'backup [--json]',
    spec: { flags: ['--json'] },
    run: (core, as, o, io) => runJob(core, as, 'backup', false, o.flags.has('--json'), io)
  },
  {
    name: 'audit verify',
    synopsis: 'audit verify [--json]',
    spec: { flags: ['--json'] },
    run: auditVerify
  },
  {
    name: 'summaries check',
    synopsis: 'summaries check [--json]',
    spec: { flags: ['--json'] },
    run: async (_core, as, o, io) => (await ledgerCommands()).summariesCheck(as, o, io, () => bookWords(as))
  },
  {
    name: 'summaries rebuild',
    synopsis: 'summaries rebuild [--truncate] [--json]',
    spec: { flags: ['--truncate', '--json'] },
    run: async (_core, as, o, io) => (await ledgerCommands()).summariesRebuild(as, o, io, () => bookWords(as))
  },
  {
    name: 'ledger trial-balance',
    synopsis: 'ledger trial-balance [--as-of DATE] [--json]',
    spec: { flags: ['--json'], values: ['--as-of'] },
    check: (o) => {
      const asOf = o.values.get('--as-of')
      if (asOf !== undefined && !isCalendarDate(asOf)) {
        throw new UsageError(
          /^\d{4}-\d{2}-\d{2}$/.test(asOf)
            ? `--as-of ${asOf} is not a date on the calendar: give a real day, such as 2026-03-31.`
            : `--as-of takes a date as YYYY-MM-DD, such as 2026-03-31, not "${oneLine(asOf).slice(0, 40)}".`
        )
      }
    },
    run: async (_core, as, o, io) => (await ledgerCommands()).trialBalance(as, o, io, () => bookWords(as))
  },
  {
    name: 'recurring run',
    synopsis: 'recurring run [--dry-run] [--json]',
    spec: { flags: ['--dry-run', '--json'] },
    run: async (_core, as, o, io) => (await recurringCommands()).runCommand('templates', as, o, io, () => bookWords(as))
  },
  {
    name: 'standing-orders run',
    synopsis: 'standing-orders run [--dry-run] [--json]',
    spec: { flags: ['--dry-run', '--json'] },
    run: async (_core, as, o, io) => (await recurringCommands()).runCommand('orders', as, o, io, () => bookWords(as))
  },
  {
    name: 'payroll run',
    synopsis: 'payroll run [--period ID] [--force] [--reason TEXT] [--dry-run] [--json]',
    spec: { flags: ['--force', '--dry-run', '--json'], values: ['--period', '--reason'] },
    check: (o) => payrollRunCheck(o),
    run: async (_core, as, o, io) => (await payrollCommands()).payrollRun(as, o, io, () => bookWords(as))
  },
  {
    name: 'report',
    synopsis: 'report <name> --from DATE --to DATE [--format xlsx|pdf] [--out FILE] [--member NO] [--account CODE] [--series CODE] [--certificates] [--json]',
    spec: { flags: ['--certificates', '--json'], values: ['--from', '--to', '--format', '--out', '--member', '--account', '--series'], positionals: ['name'] },
    // The report catalog loads with the command (never for help or another command).
    check: async (o) => (await reportCommands()).reportCheck(o),
    run: async (_core, as, o, io) => (await reportCommands()).reportCommand(as, o, io)
  }
]

/** The ledger's commands and what they load (money formatting) only when one runs. */
const ledgerCommands = () => import('./ledger-commands')
/** Recurring entries' and standing orders' runs, loaded only when one runs. */
const recurringCommands = () => import('./recurring-commands')
/** The payroll run, loaded only when it runs. */
const payrollCommands = () => import('./payroll-commands')
/** A report's export, loaded only when it runs. */
const reportCommands = () => import('./report-commands')

/**
 * `coffer payroll run`'s options, checked before the data folder is opened
 * (payroll-commands.ts then reads them as checked): a period is an id, a
 * reason goes with --force (alone it would be recorded nowhere) and says something.
 */
function payrollRunCheck(o: Parsed): void {
  const period = o.values.get('--period')
  if (period !== undefined && !(/^\d{1,15}$/.test(period) && Number.isSafeInteger(Number(period)) && Number(period) >= 1)) {
    throw new UsageError(`--period takes a payroll period's id, a whole number such as 12 (as in the app's address /payroll/periods/12), not "${oneLine(period).slice(0, 40)}".`)
  }
  const reason = o.values.get('--reason')
  if (reason !== undefined && !o.flags.has('--force')) {
    throw new UsageError('--reason goes with --force: it is recorded when a period is recomputed or reposted. Add --force, or leave --reason out.')
  }
  if (reason !== undefined && reason.trim() === '') throw new UsageError('--reason needs some words: why the period is run again.')
}

/** The reports' names as the help lists them (the catalog, src/shared/contract/reports.ts, loads only when a report is made; the CLI test checks they agree). */
export const REPORT_NAMES_WORDS =
  'monthly-summary, weekly-summary, payment-register, member-statement, portfolio,\n                     withholding-tax, payroll-register, trial-balance, account-statement, series-register,\n                     coupon-liability'

/** AREAS whose commands are all in COMMANDS: `coffer <area>` alone, and `coffer <area> --help`. */
const AREAS: Record<string, string> = {
  jobs: 'Say what to do with jobs: coffer jobs list, run or history.',
  audit: 'Say what to do with the audit trail: coffer audit verify.',
  summaries: 'Say what to do with the ledger summaries: coffer summaries check or rebuild.',
  ledger: 'Say what to do with the ledger: coffer ledger trial-balance.',
  recurring: 'Say what to do with recurring entries: coffer recurring run (add --dry-run to see what it would post).',
  'standing-orders': "Say what to do with members' standing orders: coffer standing-orders run (add --dry-run to see what it would post).",
  payroll: 'Say what to do with the payroll: coffer payroll run (add --dry-run to see the register without writing anything).'
}

function usage(env: NodeJS.ProcessEnv): string {
  return `Usage:
${COMMANDS.map((c) => `  coffer ${c.synopsis}`).join('\n')}
  coffer import members FILE --user <username> [--exclude-invalid] [--dry-run]
  coffer import holdings FILE --user <username> [--exclude-invalid] [--dry-run]
  coffer help

Who:
  --user <username>  run as this operator (any command): their role decides what they may do
                     (an auditor cannot run jobs), and what they change is recorded under their name.
                     The password is asked for at the terminal, nothing shown as it is typed; scripts
                     set ${PASSWORD_ENV} instead. It is never taken as an argument. Wrong passwords
                     count toward the account's lockout, as in the app.
                     import needs --user; the other commands run as the system without it.

Options:
  --json             print the answer for scripts: JSON with codes and ISO 8601 UTC times
  --force            run a job that allows it even if it finds nothing due.
                     payroll run: work a drafted period out again, or reverse a posted one and post it anew
  --job <id>         only this job's runs (the ids are in coffer jobs list)
  --status <status>  only runs with this status: ${STATUS_CODES}
  --limit <n>        how many runs, newest first: 1 to 500 (20 if not given)
  FILE               a .csv (UTF-8, comma or semicolon separated) or .xlsx file with a header row
  --exclude-invalid  import the valid rows and list the rows left out
  --dry-run          import: check the file and list its problems; write nothing.
                     recurring run, standing-orders run: list what a run would post now; write nothing.
                     payroll run: print each period's register as a run would make it; write nothing
  --period ID        payroll run: only this payroll period (its id), drafted even if it is not due yet
                     (without it: every period that is due)
  --reason TEXT      payroll run --force: why, recorded with the period
                     ("Re-run with --force from the command line" if not given)
  --truncate         summaries rebuild: empty the summaries and write every bucket anew
                     (without it, only the buckets that differ from the journal are written)
  --as-of DATE       the trial balance at the end of this day, YYYY-MM-DD (today if not given)
  <name>             report: ${REPORT_NAMES_WORDS}
  --from, --to DATE  report: the dates it covers, YYYY-MM-DD (what they mean per report: the Reports page)
  --format FORMAT    report: xlsx (Excel, the default) or pdf
  --out FILE         report: also copy the file there (never over an existing file)
  --member NO        report: one member, by member number (reports that are per member)
  --account CODE     report: the ledger account, by code (the account statement needs one)
  --series CODE      report: one bond series, by code
  --certificates     report withholding-tax: one certificate of tax withheld per member, for a whole
                     calendar year, as PDF

Times are shown in the cooperative's time zone and locale (its profile).
Data folder: COFFER_DATA_DIR, else the app's (${defaultDataDir(env)}).
Exit codes: 0 done (a recurring or standing-orders run lists what it could not post, with why, and
exits 0; a payroll run lists the payslips it could not work out, with why, and exits 0); 1 the job
ran and failed, or the file to import has problems (nothing written); 2 wrong usage; 3 Coffer
could not start or refused (a wrong password, a locked account, something the operator may not
do); ${EXIT_AUDIT_BROKEN} the audit trail was changed outside Coffer (audit verify); ${EXIT_SUMMARIES_DIFFER} the ledger summaries
differ from the journal (summaries check; a trial balance whose totals differ); ${EXIT_CANCELLED} the password
prompt was cancelled.`
}


/** Words for this cooperative: its profile's locale and time zone, or this PC's until the profile is set up. */
async function wordsFor(as: Caller): Promise<{ words: Words; note: string }> {
  const profile = unwrap<Profile | null>(await as.invoke('profile.get', {}))
  if (profile) return { words: new Words(profile.locale, profile.timeZone), note: `Times are in ${profile.timeZone}.` }
  const pc = unwrap<SystemDefaults>(await as.invoke('app.systemDefaults', {}))
  return {
    words: new Words(pc.locale, pc.timeZone),
    note: `Times are in ${pc.timeZone}, this computer's time zone: the cooperative's profile is not set up yet.`
  }
}

async function jobsList(_core: Core, as: Caller, o: Parsed, io: Io): Promise<number> {
  const jobs = unwrap<Job[]>(await as.invoke('jobs.list', {}))
  if (o.flags.has('--json')) {
    io.out.write(json(jobs))
    return 0
  }
  const { words, note } = await wordsFor(as)
  const table = formatTable<Job>(
    [
      { header: 'ID', cell: (j) => j.id },
      { header: 'Job', cell: (j) => j.title },
      { header: 'Enabled', cell: (j) => (j.onDemand ? '—' : j.enabled ? 'Yes' : 'No') },
      { header: 'Schedule', cell: (j) => (j.onDemand ? j.scheduleText : `${j.scheduleText} (${j.cron})`) },
      {
        header: 'Last run',
        cell: (j) => (j.running ? words.when(j.running.startedAt) : j.lastRun ? words.when(j.lastRun.startedAt) : 'Never')
      },
      { header: 'Result', cell: (j) => lastResult(j, words) },
      { header: 'Next run', cell: (j) => (!j.enabled ? 'Not scheduled' : j.nextRuns[0] ? words.when(j.nextRuns[0]) : '—') }
    ],
    jobs
  )
  io.out.write(`${table}\n${note}\n`)
  return 0
}

/** The history query the options ask for; a value that is not one is a usage error. */
function historyQuery(o: Parsed): { jobId?: string; status?: RunStatus; limit: number } {
  const limitText = o.values.get('--limit')
  const limit = limitText === undefined ? 20 : /^\d+$/.test(limitText) ? Number(limitText) : NaN
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(`--limit takes a whole number from 1 to 500, not "${limitText}".`)
  const statusText = o.values.get('--status')
  const status = statusText === undefined ? undefined : statusFromText(statusText)
  if (status === null) throw new UsageError(`--status takes one of ${STATUS_CODES}, not "${statusText}".`)
  return { jobId: o.values.get('--job'), status, limit }
}

async function jobsHistory(core: Core, as: Caller, o: Parsed, io: Io): Promise<number> {
  const { jobId, status, limit } = historyQuery(o)
  if (jobId !== undefined) knownJob(core, jobId)
  const page = unwrap<{ rows: JobRun[]; total: number }>(await as.invoke('jobs.history', { jobId, status, limit }))
  if (o.flags.has('--json')) {
    io.out.write(json(page))
    return 0
  }
  const { words, note } = await wordsFor(as)
  if (page.rows.length === 0) {
    io.out.write(`${jobId !== undefined || status !== undefined ? 'No runs match.' : 'No runs yet.'}\n`)
    return 0
  }
  const table = formatTable<JobRun>(
    [
      { header: 'Run', cell: (r) => String(r.id), align: 'right' },
      { header: 'Job', cell: (r) => r.jobTitle },
      { header: 'Trigger', cell: (r) => triggerWord(r.trigger) },
      { header: 'Started', cell: (r) => words.when(r.startedAt, { seconds: true }) },
      { header: 'Took', cell: (r) => (r.durationMs !== null ? words.duration(r.durationMs) : '—'), align: 'right' },
      { header: 'Status', cell: (r) => statusWord(r.status) },
      { header: 'Result', cell: (r) => r.result?.summary ?? r.error ?? '' }
    ],
    page.rows
  )
  const shown =
    page.rows.length === page.total
      ? `${plural(page.total, 'run', 'runs', words)} in all`
      : `The newest ${words.count(page.rows.length)} of ${plural(page.total, 'run', 'runs', words)}`
  io.out.write(`${table}\n${shown}. ${note}\n`)
  return 0
}

/** The cooperative's words and its book's currency (the profile's; this computer's until it is set up). */
async function bookWords(as: Caller): Promise<BookWords> {
  const profile = unwrap<Profile | null>(await as.invoke('profile.get', {}))
  if (profile) return { words: new Words(profile.locale, profile.timeZone), currency: profile.currency, note: `Amounts in ${profile.currency}.` }
  const pc = unwrap<SystemDefaults>(await as.invoke('app.systemDefaults', {}))
  return {
    words: new Words(pc.locale, pc.timeZone),
    currency: pc.currency,
    note: `Amounts in ${pc.currency}, this computer's currency: the cooperative's profile is not set up yet.`
  }
}

/** Refuses a job id Coffer does not have, in its own words (exit 2). */
function knownJob(core: Core, jobId: string): void {
  const engine = core.jobs
  if (!engine) throw new CliError('Coffer could not start.', 3)
  try {
    engine.definition(jobId)
  } catch (e) {
    const code = (e as { code?: string }).code
    throw new CliError(e instanceof Error ? e.message : String(e), code === 'NOT_FOUND' || code === 'VALIDATION' ? 2 : 3)
  }
}

/**
 * Runs a job through the engine (its run is recorded as from the command
 * line), after the same permission check as the Jobs screen's Run now when
 * an operator is named. The job itself runs as the system, as every job does.
 */
async function runJob(core: Core, as: Caller, jobId: string, force: boolean, asJson: boolean, io: Io): Promise<number> {
  const engine = core.jobs
  if (!engine) throw new CliError('Coffer could not start.', 3)
  const refused = as.authorize('jobs.run')
  if (refused) throw new CliError(refused.error.message, 3)
  knownJob(core, jobId)
  let started: { run: JobRun; done: Promise<JobRun> }
  try {
    started = engine.start(jobId, { trigger: 'cli', force })
  } catch (e) {
    const code = (e as { code?: string }).code
    throw new CliError(e instanceof Error ? e.message : String(e), code === 'NOT_FOUND' || code === 'VALIDATION' ? 2 : 3)
  }
  // Progress only on a terminal, rewritten in place on one line; a pipe or a log gets the outcome alone.
  const tty = (io.err as NodeJS.WriteStream).isTTY === true
  let lastNote = ''
  const off = core.onEvent((event, payload) => {
    if (!tty || event !== 'jobs.runUpdated') return
    const r = payload as JobRun
    if (r.jobId !== jobId || r.status !== 'running') return
    const note = `${r.progress.note ?? ''} ${r.progress.total ? `${Math.floor((100 * r.progress.done) / r.progress.total)}%` : ''}`.trim()
    if (note && note !== lastNote) io.err.write(`\r\x1b[K  ${oneLine(note)}`)
    lastNote = note
  })
  const final = await started.done
  off()
  if (tty && lastNote) io.err.write('\r\x1b[K')
  if (asJson) io.out.write(json(final))
  if (final.status === 'succeeded') {
    if (!asJson) io.out.write(`${final.jobTitle}: ${oneLine(final.result?.summary ?? 'Done.')}\n`)
    return 0
  }
  throw new CliError(`${final.jobTitle} ${statusWord(final.status).toLowerCase()}: ${oneLine(final.error ?? 'no details')}`, 1)
}

/**
 * Walks the audit trail's hash chain (core's audit.verify). Exit 0 when it
 * checks out; EXIT_AUDIT_BROKEN, with core's words for the first row that
 * does not, when it was changed outside Coffer.
 */
async function auditVerify(_core: Core, as: Caller, o: Parsed, io: Io): Promise<number> {
  const result = unwrap<AuditVerifyResult>(await as.invoke('audit.verify', {}))
  if (o.flags.has('--json')) io.out.write(json(result))
  const rows = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'row' : 'rows'}`
  if (result.ok && result.brokenAt === null) {
    if (!o.flags.has('--json')) io.out.write(`The audit trail checks out: ${rows(result.checked)}.\n`)
    return 0
  }
  const message = result.brokenAt?.message ?? 'The audit trail does not check out.'
  const before = result.checked === 0 ? 'No row before it checks out either.' : `The ${rows(result.checked)} before it check${result.checked === 1 ? 's' : ''} out.`
  throw new CliError(`${message} ${before}`, EXIT_AUDIT_BROKEN)
}

/** The command the words name, or a usage error saying what is wrong. */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } {
  const [area, verb] = argv
  for (const c of COMMANDS) {
    const words = c.name.split(' ')
    if (words.every((w, i) => argv[i] === w)) return { command: c, rest: argv.slice(words.length) }
  }
  if (area !== undefined && Object.hasOwn(AREAS, area)) {
    throw new UsageError(verb === undefined ? (AREAS[area] as string) : `Unknown command: coffer ${area} ${verb}. Try coffer help.`)
  }
  throw new UsageError(`Unknown command: coffer ${area}. Try coffer help.`)
}

async function openCoreFor(io: Io): Promise<Core> {
  const { openCore, resolveDataDir } = await import('../core')
  return openCore({
    dataDir: resolveDataDir(io.env, defaultDataDir(io.env)),
    migrationsFolder: path.join(ROOT, 'drizzle'),
    resourcesDir: path.join(ROOT, 'resources'),
    // Built: the worker entry built beside this file; from source, core's default (the TypeScript through tsx).
    workerScript: BUILT ? { file: path.join(__dirname, 'jobs-worker.js') } : undefined,
    version: 'cli',
    processKind: 'cli',
    log: { error: () => undefined, warn: () => undefined, info: () => undefined }
  })
}

/** The process's own streams; stdin only when a password is asked for (making Node's stdin stream costs ~8 ms). */
const processIo = (): Io => ({
  out: process.stdout,
  err: process.stderr,
  env: process.env,
  get in() {
    return process.stdin
  }
})

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const { user, rest } = globalOptions(argv)
  const [area] = rest
  if (area === undefined) {
    io.err.write(`${usage(io.env)}\n`)
    return 2
  }
  const isHelp = (a: string | undefined) => a === 'help' || a === '--help' || a === '-h'
  const helpWords = isHelp(area) ? 1 : Object.hasOwn(AREAS, area) && isHelp(rest[1]) ? 2 : 0
  if (helpWords > 0) {
    if (rest.length > helpWords) throw new UsageError(`coffer ${rest.slice(0, helpWords).join(' ')} takes nothing after it; try coffer ${(helpWords === 2 ? [area, ...rest.slice(2)] : rest.slice(1)).join(' ')} --help.`)
    io.out.write(`${usage(io.env)}\n`)
    return 0
  }
  if (area === 'import') {
    // Its own options and messages (import-command.ts); it and the spreadsheet reader load only here.
    const { importCommand, parseImportArgs, IMPORT_USAGE, Refused } = await import('./import-command')
    let args: ReturnType<typeof parseImportArgs>
    try {
      args = parseImportArgs(rest.slice(1))
    } catch (e) {
      throw e instanceof Refused ? new CliError(e.message, e.exitCode) : e
    }
    if (args === 'help') {
      io.out.write(`${IMPORT_USAGE}\n`)
      return 0
    }
    if (user === undefined) {
      throw new UsageError(
        `coffer import changes the book on someone's behalf: say who with --user <username> (the password is asked for, or read from ${PASSWORD_ENV}).`
      )
    }
    return withCore(io, user, (core) => importCommand(core, rest.slice(1), io))
  }
  const { command, rest: commandArgs } = findCommand(rest)
  const opts = parseOptions(commandArgs, command.spec, `coffer ${command.name}`)
  if (opts.help) {
    io.out.write(`Usage: coffer ${command.synopsis}\nAdd --user <username> to run it as an operator. See coffer help for the options.\n`)
    return 0
  }
  await command.check?.(opts)
  return withCore(io, user, (core, as) => command.run(core, as, opts, io))
}

/** The system: unattended commands (jobs, backup, reading, audit verify) without --user. */
const systemCaller = (core: Core): Caller => ({ invoke: (c, i) => core.invokeAsSystem(c, i), authorize: () => null })

/**
 * Signs the operator in on this core's session (auth.signIn: a wrong
 * password counts toward the lockout, a locked account is refused) and
 * answers the caller that runs as them.
 */
async function signIn(core: Core, username: string, password: string): Promise<Caller> {
  const r = await core.invoke('auth.signIn', { username, password })
  if (!r.ok) throw new CliError(r.error.message, 3)
  const who = (r.value as AuthStatus).operator
  if (!who) throw new CliError('Signing in did not succeed. Try again.', 3)
  if (who.mustChangePassword) {
    throw new CliError(`${who.name} must choose a new password before doing anything else: sign in to the Coffer app to choose it.`, 3)
  }
  return { invoke: (c, i) => core.invoke(c, i), authorize: (c) => core.authorize(c) }
}

/**
 * Asks for the operator's password (before the data folder is opened), opens
 * core, refuses if the data file cannot be used, signs the operator in (or
 * runs as the system without --user), runs the command and shuts core down.
 */
async function withCore(io: Io, user: string | undefined, fn: (core: Core, as: Caller) => Promise<number>): Promise<number> {
  let password: string | undefined
  try {
    password = user === undefined ? undefined : await readPassword(user, io)
  } catch (e) {
    throw e instanceof PromptCancelled ? new CliError(e.message, EXIT_CANCELLED) : e
  }
  const core = await openCoreFor(io)
  try {
    const status = core.status
    if (status.state === 'failed') {
      const f = status.failure
      const next = f.code === 'DB_MISSING_WITH_BACKUPS' ? ' Open the Coffer app to restore the newest good backup or to start empty.' : ''
      throw new CliError(oneLine(`${f.title}: ${f.message}${next} (${f.path})`), 3)
    }
    const as = user === undefined || password === undefined ? systemCaller(core) : await signIn(core, user, password)
    return await fn(core, as)
  } finally {
    await core.shutdown()
  }
}

/** Runs the command line and exits with its code; failures are one line on stderr. */
export function run(argv = process.argv.slice(2)): void {
  main(argv)
    .then((code) => process.exit(code))
    .catch((e: unknown) => {
      const code = e instanceof CliError ? e.exitCode : e instanceof UsageError ? 2 : 3
      process.stderr.write(`coffer: ${oneLine(e instanceof Error ? e.message : String(e))}\n`)
      process.exit(code)
    })
}

if (require.main === module) run()
