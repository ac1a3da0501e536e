/**
 * Payroll from the command line (issue #13):
 *
 *   coffer payroll run [--period ID] [--force] [--reason TEXT] [--dry-run] [--json]
 *
 * Calls the contract's `payroll.run` as the caller the command runs as (the
 * system without --user, else the operator signed in), as the recurring
 * commands do: a real run goes through the job engine (recorded as from the
 * command line; the lease keeps it apart from the app's run), a dry run is
 * worked out inside a transaction that is rolled back, so nothing is written.
 *
 * Without --period: every period that is due. With --period: that period
 * only, drafted even if not due yet. --force recomputes a drafted period, or
 * reverses a posted one and posts it anew, with --reason recorded (without
 * it: "Re-run with --force from the command line"). --reason without --force
 * is refused (index.ts, before the data folder is opened): it would be
 * recorded nowhere.
 *
 * People get a line per period (its outcome in words, the payslips made,
 * failed and kept, why) and a one-line total; a dry run adds each period's
 * register (staff number, name, gross, deductions, net, status and why it
 * failed). `--json` prints the contract's PayrollRunReport.
 *
 * Exit codes as the other commands: 0 the run was done (periods and payslips
 * that could not be worked out are listed with their reason: they are the
 * run's findings, not its failure, as with `coffer recurring run`); 1 the
 * job ran and failed; 2 wrong usage (a period that does not exist, a reason
 * too long); 3 refused (the operator may not, the job is already running
 * elsewhere, the profile is not set up).
 */
import type { Envelope, JobRun, PayrollRunReport } from '../shared/contract'
import { formatCalendarDate } from '../shared/dates'
import { formatMoney } from '../shared/money'
import type { Parsed } from './args'
import { CliError, json, unwrap } from './errors'
import type { BookWords } from './ledger-commands'
import { formatTable, oneLine, type Column } from './table'

export interface PayrollCaller {
  invoke(channel: string, input?: unknown): Promise<Envelope<unknown>>
}

export interface PayrollIo {
  out: NodeJS.WritableStream
}

/** The job a real run goes through (for a failed run's exit code). */
export const PAYROLL_JOB_ID = 'payroll'

/** Recorded with a forced re-run when --reason is not given. */
export const DEFAULT_FORCE_REASON = 'Re-run with --force from the command line'


type Outcome = PayrollRunReport['periods'][number]['outcome']
type RunPeriod = PayrollRunReport['periods'][number]
type RegisterLine = RunPeriod['register'][number]

/** What a run did to a period, in words. */
export const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = {
  drafted: 'Drafted',
  partial: 'Drafted in part',
  recomputed: 'Recomputed',
  reposted: 'Reversed and posted anew',
  unchanged: 'Unchanged',
  failed: 'Failed'
}

/** What a dry run would do to a period, in words. */
export const DRY_OUTCOME_WORDS: Readonly<Record<Outcome, string>> = {
  drafted: 'Would be drafted',
  partial: 'Would be drafted in part',
  recomputed: 'Would be recomputed',
  reposted: 'Would be reversed and posted anew',
  unchanged: 'Would stay unchanged',
  failed: 'Would fail'
}

const PAYSLIP_STATUS_WORDS: Readonly<Record<RegisterLine['status'], string>> = { ok: 'OK', failed: 'Failed' }

/**
 * What the options ask core for. Their values were checked before the data
 * folder was opened (index.ts payrollRunCheck: --period a whole number id,
 * --reason only with --force and not blank).
 */
export function payrollRunInput(o: Parsed): { periodId: number | null; force: boolean; dryRun: boolean; reason: string | null } {
  const periodText = o.values.get('--period')
  const force = o.flags.has('--force')
  return {
    periodId: periodText === undefined ? null : Number(periodText),
    force,
    dryRun: o.flags.has('--dry-run'),
    reason: force ? (o.values.get('--reason') ?? DEFAULT_FORCE_REASON) : null
  }
}

/** The newest run of the payroll job, or null when it never ran (to tell a failed run from a refusal). */
async function newestRun(as: PayrollCaller): Promise<JobRun | null> {
  const r = await as.invoke('jobs.history', { jobId: PAYROLL_JOB_ID, limit: 1 })
  if (!r.ok) return null
  return (r.value as { rows: JobRun[] }).rows[0] ?? null
}

/**
 * Runs (or, with --dry-run, works out) the payroll and prints its report.
 * A real run whose job failed exits 1, as `coffer jobs run` and `coffer
 * recurring run` do; any other refusal keeps its code (unwrap).
 */
export async function payrollRun(as: PayrollCaller, o: Parsed, io: PayrollIo, book: () => Promise<BookWords>): Promise<number> {
  const input = payrollRunInput(o)
  const before = input.dryRun ? null : await newestRun(as)
  const answer = await as.invoke('payroll.run', input)
  if (!answer.ok && !input.dryRun) {
    const after = await newestRun(as)
    // A run of this command's own that started and did not succeed: the job failed (exit 1), not a refusal.
    if (after !== null && after.id !== before?.id && after.trigger === 'cli' && after.status !== 'succeeded') {
      throw new CliError(answer.error.message, 1)
    }
  }
  const report = unwrap<PayrollRunReport>(answer)
  if (o.flags.has('--json')) {
    io.out.write(json(report))
    return 0
  }
  io.out.write(describePayrollRun(report, await book(), input.periodId))
  return 0
}

/** The report for people: a line per period, each dry run's register, then the total; or one sentence when there was nothing to do. */
export function describePayrollRun(r: PayrollRunReport, b: BookWords, periodId: number | null = null): string {
  const locale = b.words.locale
  const today = formatCalendarDate(r.today, locale)
  const n = (x: number) => b.words.count(x)
  const createdNote =
    r.created === 0 ? '' : ` ${n(r.created)} ${r.created === 1 ? 'period' : 'periods'} ${r.dryRun ? 'would be' : r.created === 1 ? 'was' : 'were'} created from the payroll calendars.`
  if (r.periods.length === 0) {
    const what = periodId === null ? 'no payroll period' : `payroll period ${periodId}`
    return r.dryRun
      ? `Nothing to do: ${what} is due up to ${today} (a dry run: nothing was written).${createdNote}\n`
      : `Nothing to do: ${what} was due up to ${today}.${createdNote}\n`
  }
  const words = r.dryRun ? DRY_OUTCOME_WORDS : OUTCOME_WORDS
  const periods = formatTable<RunPeriod>(
    [
      { header: 'Period', cell: (p) => `${p.name} (#${p.periodId})` },
      { header: r.dryRun ? 'Would be' : 'Outcome', cell: (p) => words[p.outcome] },
      { header: 'Payslips made', cell: (p) => n(p.made), align: 'right' },
      { header: 'Failed', cell: (p) => n(p.failed), align: 'right' },
      { header: 'Kept', cell: (p) => n(p.kept), align: 'right' },
      { header: 'Reason', cell: (p) => oneLine(p.reason ?? '') }
    ],
    r.periods
  )
  const registers = r.dryRun ? r.periods.filter((p) => p.register.length > 0).map((p) => `\n${registerOf(p, b)}\n\n`) : []
  const dry = r.dryRun ? 'Dry run, nothing was written: ' : ''
  return `${periods}\n${registers.join('')}${dry}${total(r, b)}${createdNote} ${b.note}\n`
}

/** One period's register as a dry run worked it out: its title, a row per payslip, the totals of the ones worked out. */
function registerOf(p: RunPeriod, b: BookWords): string {
  const amount = (minor: number) => formatMoney(minor, b.currency, b.words.locale, { display: 'none' })
  const columns: Column<RegisterLine>[] = [
    { header: 'Staff no', cell: (l) => l.staffNo },
    { header: 'Name', cell: (l) => l.fullName },
    { header: `Gross (${b.currency})`, cell: (l) => (l.status === 'ok' ? amount(l.grossMinor) : ''), align: 'right' },
    { header: `Deductions (${b.currency})`, cell: (l) => (l.status === 'ok' ? amount(l.deductionsMinor) : ''), align: 'right' },
    { header: `Net (${b.currency})`, cell: (l) => (l.status === 'ok' ? amount(l.netMinor) : ''), align: 'right' },
    { header: 'Status', cell: (l) => PAYSLIP_STATUS_WORDS[l.status] },
    { header: 'Reason', cell: (l) => oneLine(l.error ?? '') }
  ]
  const ok = p.register.filter((l) => l.status === 'ok')
  const sum = (f: (l: RegisterLine) => number) => ok.reduce((s, l) => s + f(l), 0)
  const failed = p.register.length - ok.length
  const money = (minor: number) => formatMoney(minor, b.currency, b.words.locale)
  const totals =
    `${p.name}: ${b.words.count(p.register.length)} ${p.register.length === 1 ? 'payslip' : 'payslips'}` +
    (failed > 0 ? ` (${b.words.count(failed)} could not be worked out)` : '') +
    `; gross ${money(sum((l) => l.grossMinor))}, deductions ${money(sum((l) => l.deductionsMinor))}, net ${money(sum((l) => l.netMinor))}.`
  return `Register of ${p.name}:\n${formatTable(columns, p.register)}\n${totals}`
}

/** "2 periods up to 22 Nov 2026: 1 drafted, 1 unchanged." */
function total(r: PayrollRunReport, b: BookWords): string {
  const n = (x: number) => b.words.count(x)
  const order: Outcome[] = ['drafted', 'partial', 'recomputed', 'reposted', 'unchanged', 'failed']
  const words = r.dryRun ? DRY_OUTCOME_WORDS : OUTCOME_WORDS
  const parts = order.flatMap((outcome) => {
    const k = r.periods.filter((p) => p.outcome === outcome).length
    return k === 0 ? [] : [`${n(k)} ${words[outcome].toLowerCase()}`]
  })
  const count = r.periods.length
  const made = r.periods.reduce((s, p) => s + p.made, 0)
  const failed = r.periods.reduce((s, p) => s + p.failed, 0)
  const slips = `${n(made)} ${made === 1 ? 'payslip' : 'payslips'} ${r.dryRun ? 'would be made' : 'made'}${failed > 0 ? `, ${n(failed)} could not be worked out` : ''}`
  return `${n(count)} ${count === 1 ? 'period' : 'periods'} up to ${formatCalendarDate(r.today, b.words.locale)}: ${parts.join(', ')}; ${slips}.`
}
