/**
 * coffer: the command line over core, on the same data folder as the app
 * (COFFER_DATA_DIR, else the app's own). Safe while the app runs: a job held
 * by the app is refused here, and the other way round (the lease).
 *
 *   coffer jobs list
 *   coffer jobs run <id> [--force]
 *   coffer jobs history [--job <id>] [--status <status>] [--limit <n>]
 *   coffer backup
 *
 * Exit codes: 0 done; 1 the job ran and failed; 2 wrong usage; 3 Coffer could
 * not start or refused (data file unusable, job already running).
 */
import os from 'node:os'
import path from 'node:path'
import { openCore, resolveDataDir, type Core } from '../core'
import type { Envelope, Job, JobRun } from '../shared/contract'

const USAGE = `Usage:
  coffer jobs list
  coffer jobs run <id> [--force]
  coffer jobs history [--job <id>] [--status <status>] [--limit <n>]
  coffer backup
Data folder: COFFER_DATA_DIR, else the app's (${defaultDataDir()}).`

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number
  ) {
    super(message)
  }
}

/** Electron's userData for an app named Coffer, so the CLI finds the app's data by default. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Coffer')
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Coffer')
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'Coffer')
}

function unwrap<T>(env: Envelope<unknown>): T {
  if (!env.ok) throw new CliError(env.error.message, env.error.code === 'VALIDATION' || env.error.code === 'NOT_FOUND' ? 2 : 3)
  return env.value as T
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  if (i < 0) return undefined
  const v = args[i + 1]
  if (!v || v.startsWith('--')) throw new CliError(`${name} needs a value.`, 2)
  return v
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim()
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length))
const when = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 19) + 'Z' : '-')

async function runJob(core: Core, jobId: string, force: boolean, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const engine = core.jobs
  if (!engine) throw new CliError('Coffer could not start.', 3)
  let started: { run: JobRun; done: Promise<JobRun> }
  try {
    engine.definition(jobId)
    started = engine.start(jobId, { trigger: 'cli', force })
  } catch (e) {
    const code = (e as { code?: string }).code
    throw new CliError(e instanceof Error ? e.message : String(e), code === 'NOT_FOUND' || code === 'VALIDATION' ? 2 : 3)
  }
  // Progress only on a terminal, rewritten in place on one line; a pipe or a log gets the outcome alone.
  const tty = (err as NodeJS.WriteStream).isTTY === true
  let lastNote = ''
  const off = core.onEvent((event, payload) => {
    if (!tty || event !== 'jobs.runUpdated') return
    const r = payload as JobRun
    if (r.jobId !== jobId || r.status !== 'running') return
    const note = `${r.progress.note ?? ''} ${r.progress.total ? `${Math.floor((100 * r.progress.done) / r.progress.total)}%` : ''}`.trim()
    if (note && note !== lastNote) err.write(`\r\x1b[K  ${note}`)
    lastNote = note
  })
  const final = await started.done
  off()
  if (tty && lastNote) err.write('\r\x1b[K')
  if (final.status === 'succeeded') {
    out.write(`${final.jobTitle}: ${final.result?.summary ?? 'done'}\n`)
    return 0
  }
  throw new CliError(`${final.jobTitle} ${final.status}: ${oneLine(final.error ?? 'no details')}`, 1)
}

export async function main(argv: string[], io = { out: process.stdout, err: process.stderr, env: process.env }): Promise<number> {
  const [area, verb, ...rest] = argv
  if (!area || area === 'help' || area === '--help' || area === '-h') {
    io.out.write(`${USAGE}\n`)
    return area ? 0 : 2
  }
  const dataDir = resolveDataDir(io.env, defaultDataDir(io.env))
  const core = openCore({
    dataDir,
    migrationsFolder: path.resolve(__dirname, '../../drizzle'),
    version: 'cli',
    processKind: 'cli',
    log: { error: () => undefined, warn: () => undefined, info: () => undefined }
  })
  try {
    const status = core.status
    if (status.state === 'failed') {
      const f = status.failure
      const next = f.code === 'DB_MISSING_WITH_BACKUPS' ? ' Open the Coffer app to restore the newest good backup or to start empty.' : ''
      throw new CliError(oneLine(`${f.title}: ${f.message}${next} (${f.path})`), 3)
    }
    if (area === 'backup' && verb === undefined) return await runJob(core, 'backup', false, io.out, io.err)
    if (area === 'jobs' && verb === 'list') {
      const jobs = unwrap<Job[]>(await core.invoke('jobs.list', {}))
      io.out.write(`${pad('JOB', 12)}${pad('ENABLED', 9)}${pad('SCHEDULE', 42)}${pad('LAST RUN', 32)}NEXT RUN\n`)
      for (const j of jobs) {
        const last = j.lastRun ? `${when(j.lastRun.startedAt)} ${j.lastRun.status}` : '-'
        io.out.write(`${pad(j.id, 12)}${pad(j.enabled ? 'yes' : 'no', 9)}${pad(`${j.scheduleText} (${j.cron})`, 42)}${pad(last, 32)}${when(j.nextRuns[0] ?? null)}\n`)
      }
      return 0
    }
    if (area === 'jobs' && verb === 'run') {
      const id = rest[0]
      if (!id || id.startsWith('--')) throw new CliError('Name the job to run: coffer jobs run <id>.', 2)
      const unknown = rest.slice(1).filter((a) => a !== '--force')
      if (unknown.length) throw new CliError(`Unknown option ${unknown[0]}.`, 2)
      return await runJob(core, id, rest.includes('--force'), io.out, io.err)
    }
    if (area === 'jobs' && verb === 'history') {
      const limitText = flag(rest, '--limit')
      const limit = limitText === undefined ? 20 : Number(limitText)
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new CliError('--limit takes a whole number from 1 to 500.', 2)
      const page = unwrap<{ rows: JobRun[]; total: number }>(
        await core.invoke('jobs.history', { jobId: flag(rest, '--job'), status: flag(rest, '--status'), limit })
      )
      io.out.write(`${pad('RUN', 7)}${pad('JOB', 12)}${pad('TRIGGER', 10)}${pad('STARTED', 22)}${pad('STATUS', 13)}RESULT\n`)
      for (const r of page.rows) {
        io.out.write(
          `${pad(String(r.id), 7)}${pad(r.jobId, 12)}${pad(r.trigger, 10)}${pad(when(r.startedAt), 22)}${pad(r.status, 13)}${r.result?.summary ?? r.error ?? ''}\n`
        )
      }
      io.out.write(`${page.rows.length} of ${page.total} runs\n`)
      return 0
    }
    throw new CliError(`Unknown command: coffer ${argv.join(' ')}. Try coffer help.`, 2)
  } finally {
    await core.shutdown()
  }
}

/** Runs the command line and exits with its code; failures are one line on stderr. */
export function run(argv = process.argv.slice(2)): void {
  main(argv)
    .then((code) => process.exit(code))
    .catch((e: unknown) => {
      const code = e instanceof CliError ? e.exitCode : 3
      process.stderr.write(`coffer: ${oneLine(e instanceof Error ? e.message : String(e))}\n`)
      process.exit(code)
    })
}

if (require.main === module) run()
