/**
 * Recurring entries and standing orders from the command line (issue #12):
 *
 *   coffer recurring run [--dry-run] [--json]
 *   coffer standing-orders run [--dry-run] [--json]
 *
 * Each calls the contract (`recurring.run` / `recurring.runOrders`, permission
 * jobs.operate) as the caller the command runs as: a real run goes through
 * the job engine (recorded as from the command line; the lease keeps it
 * apart from the app's run), a dry run computes the run inside a
 * transaction that is rolled back, so nothing is written. People get one
 * line per occurrence (its date, what it is, the amount in the book's
 * currency, what happened, the journal entry, why) and a one-line total;
 * `--json` prints the contract's RunReport.
 *
 * Exit codes as the other commands: 0 the run was done (occurrences that
 * failed or were skipped for lack of funds are listed with their reason:
 * they are the run's findings, not its failure); 1 the job ran and failed;
 * 2 wrong usage; 3 refused (the operator may not, the job is already
 * running elsewhere, the profile is not set up).
 */
import { RUN_OUTCOME_WORDS } from '../shared/recurring-labels'
import type { Envelope, JobRun, RunLine, RunReport } from '../shared/contract'
import { formatCalendarDate } from '../shared/dates'
import { formatMoney } from '../shared/money'
import type { Parsed } from './args'
import { CliError, json, unwrap } from './errors'
import type { BookWords } from './ledger-commands'
import { formatTable, oneLine, type Column } from './table'

export interface RecurringCaller {
  invoke(channel: string, input?: unknown): Promise<Envelope<unknown>>
}

export interface RecurringIo {
  out: NodeJS.WritableStream
}

/** What each command runs: its channel, its job (for a failed run's exit code) and its words. */
export const RUN_KINDS = {
  templates: {
    channel: 'recurring.run',
    jobId: 'recurring',
    nothing: 'no recurring entry',
    one: 'occurrence',
    many: 'occurrences'
  },
  orders: {
    channel: 'recurring.runOrders',
    jobId: 'standing-orders',
    nothing: 'no standing order',
    one: 'execution',
    many: 'executions'
  }
} as const

export type RunKind = keyof typeof RUN_KINDS

/** An outcome in people's words. */
export const OUTCOME_WORDS: Readonly<Record<RunLine['outcome'], string>> = RUN_OUTCOME_WORDS

/** The newest run of a job, or null when it never ran (to tell a failed run from a refusal). */
async function newestRun(as: RecurringCaller, jobId: string): Promise<JobRun | null> {
  const r = await as.invoke('jobs.history', { jobId, limit: 1 })
  if (!r.ok) return null
  return (r.value as { rows: JobRun[] }).rows[0] ?? null
}

/**
 * Runs (or, with --dry-run, shows) one kind's run and prints its report.
 * A real run whose job failed exits 1, as `coffer jobs run` does; any other
 * refusal keeps its code (unwrap).
 */
export async function runCommand(kind: RunKind, as: RecurringCaller, o: Parsed, io: RecurringIo, book: () => Promise<BookWords>): Promise<number> {
  const k = RUN_KINDS[kind]
  const dryRun = o.flags.has('--dry-run')
  const before = dryRun ? null : await newestRun(as, k.jobId)
  const answer = await as.invoke(k.channel, { dryRun })
  if (!answer.ok && !dryRun) {
    const after = await newestRun(as, k.jobId)
    // A run of this command's own that started and did not succeed: the job failed (exit 1), not a refusal.
    if (after !== null && after.id !== before?.id && after.trigger === 'cli' && after.status !== 'succeeded') {
      throw new CliError(answer.error.message, 1)
    }
  }
  const report = unwrap<RunReport>(answer)
  if (o.flags.has('--json')) {
    io.out.write(json(report))
    return 0
  }
  const b = await book()
  io.out.write(describeRun(kind, report, b))
  return 0
}

/** The report for people: a line per occurrence, then the total; or one sentence when there was nothing to do. */
export function describeRun(kind: RunKind, r: RunReport, b: BookWords): string {
  const k = RUN_KINDS[kind]
  const locale = b.words.locale
  const today = formatCalendarDate(r.today, locale)
  const dry = r.dryRun ? 'Dry run, nothing was written: ' : ''
  if (r.lines.length === 0) {
    return r.dryRun ? `Nothing to do: ${k.nothing} is due up to ${today} (a dry run: nothing was written).\n` : `Nothing to do: ${k.nothing} was due up to ${today}.\n`
  }
  const amount = (minor: number) => formatMoney(minor, b.currency, locale, { display: 'none' })
  const columns: Column<RunLine>[] = [
    { header: 'Date', cell: (l) => formatCalendarDate(l.dueDate, locale) },
    { header: kind === 'templates' ? 'Recurring entry' : 'Standing order', cell: (l) => l.name },
    { header: `Amount (${b.currency})`, cell: (l) => amount(l.amountMinor), align: 'right' },
    { header: r.dryRun ? 'Would be' : 'Outcome', cell: (l) => OUTCOME_WORDS[l.outcome] },
    // A dry run's entries were rolled back: the numbers they had are nobody's, so none is shown.
    ...(r.dryRun ? [] : [{ header: 'Entry', cell: (l: RunLine) => (l.entryId === null ? '' : `#${l.entryId}`), align: 'right' as const }]),
    { header: 'Reason', cell: (l) => reasonOf(l, locale) }
  ]
  const table = formatTable<RunLine>(columns, r.lines)
  return `${table}\n${dry}${total(kind, r, b)}\n`
}

/** Why, where there is a reason; and the value date when the entry is not dated on its due date (a closed month, posted as of today). */
function reasonOf(l: RunLine, locale: string): string {
  const moved = l.valueDate !== null && l.valueDate !== l.dueDate ? `Dated ${formatCalendarDate(l.valueDate, locale)}.` : ''
  return oneLine([l.reason ?? '', moved].filter((s) => s !== '').join(' '))
}

/** "3 executions up to 22 Nov 2026: 2 posted (Ksh 3,000.00), 1 skipped." */
function total(kind: RunKind, r: RunReport, b: BookWords): string {
  const k = RUN_KINDS[kind]
  const n = (x: number) => b.words.count(x)
  const postedMinor = r.lines.filter((l) => l.outcome === 'posted').reduce((s, l) => s + l.amountMinor, 0)
  const parts = [
    r.posted ? `${n(r.posted)} ${r.dryRun ? 'would be posted' : 'posted'} (${formatMoney(postedMinor, b.currency, b.words.locale)})` : null,
    r.generated ? `${n(r.generated)} generated ahead of ${r.generated === 1 ? 'its date' : 'their dates'}` : null,
    r.review ? `${n(r.review)} ${r.dryRun ? 'would go' : 'sent'} to To review` : null,
    r.skipped ? `${n(r.skipped)} skipped` : null,
    r.failed ? `${n(r.failed)} failed` : null
  ].filter((p): p is string => p !== null)
  const count = r.lines.length
  return `${n(count)} ${count === 1 ? k.one : k.many} up to ${formatCalendarDate(r.today, b.words.locale)}: ${parts.join(', ')}. ${b.note}`
}
