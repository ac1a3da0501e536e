import { calendarDateInZone } from '../../shared/dates'
import { countOf, formatDate } from '../../shared/words'
import type { RunReport } from '../../shared/contract/recurring'
import type { JobContext, JobDefinition, JobResult } from '../platform/jobs/types'
import type { ServiceContext } from '../platform/context'
import { loadHolidays } from '../calendar'
import { LedgerService } from '../ledger'
import { PaymentsService } from '../payments'
import { cooperativeProfile } from '../profile'
import { RecurringRunner } from './run'
import { readRecurringSettings } from './service'

/** The runner on the job's own connection (a worker thread's), with the ledger and payments built on it. */
function runnerFor(ctx: JobContext): RecurringRunner | null {
  const profile = ctx.db.select({ currency: cooperativeProfile.currency, locale: cooperativeProfile.locale }).from(cooperativeProfile).get()
  if (!profile) return null
  const svc: ServiceContext = { db: ctx.db, sqlite: ctx.sqlite, clock: ctx.clock, emit: () => {} }
  const ledger = new LedgerService(svc, { timeZone: () => ctx.timeZone, locale: () => ctx.locale, currency: () => profile.currency })
  const payments = new PaymentsService(svc, () => ctx.timeZone, () => profile, () => true, () => ledger)
  return new RecurringRunner({
    sqlite: ctx.sqlite,
    ledger,
    payments: () => payments,
    today: calendarDateInZone(ctx.clock.now(), ctx.timeZone),
    now: () => ctx.clock.now().toISOString(),
    runId: ctx.runId,
    holidays: loadHolidays(ctx.sqlite),
    settings: readRecurringSettings(ctx.sqlite),
    locale: ctx.locale,
    currency: profile.currency,
    transaction: (fn) => ctx.transaction(fn),
    signal: ctx.signal,
    notify: (n) => ctx.notify(n),
    progress: (done, total) => ctx.progress(done, total, 'Occurrences')
  })
}

/** One sentence and the figures for the run history, in the cooperative's words. */
/** Occurrences a run held for review: the staff are told where to decide them. */
function tellReview(ctx: JobContext, r: RunReport): void {
  if (r.review === 0) return
  const held = r.lines.filter((l) => l.outcome === 'review')
  const dates = [...new Set(held.map((l) => l.dueDate))].sort()
  ctx.notify({
    kind: 'info',
    title: `${countOf(r.review, { one: 'occurrence waits', other: 'occurrences wait' }, ctx.locale)} for review`,
    body:
      `${countOf(r.review, { one: 'occurrence', other: 'occurrences' }, ctx.locale)} due from ${formatDate(dates[0] as string, ctx.locale)}` +
      (dates.length > 1 ? ` to ${formatDate(dates.at(-1) as string, ctx.locale)}` : '') +
      ' were not posted: they wait in Recurring → To review, each with its own date, to be posted, skipped or postponed.',
    subject: { type: 'recurring-review', id: String(ctx.runId) }
  })
}

function result(r: RunReport, locale: string, what: { one: string; other: string }): JobResult {
  const parts = [
    r.posted ? `posted ${countOf(r.posted, what, locale)}` : null,
    r.generated ? `generated ${r.generated} ahead of ${r.generated === 1 ? 'its date' : 'their dates'}` : null,
    r.review ? `${r.review} sent to To review` : null,
    r.skipped ? `${r.skipped} skipped` : null,
    r.failed ? `${r.failed} failed` : null
  ].filter((p): p is string => p !== null)
  const summary = parts.length === 0 ? `Nothing was due up to ${formatDate(r.today, locale)}.` : `${parts.join(', ').replace(/^./, (c) => c.toUpperCase())}.`
  const failedLines = r.lines.filter((l) => l.outcome === 'failed' || l.outcome === 'skipped')
  return {
    summary,
    details: {
      ranOn: formatDate(r.today, locale),
      posted: r.posted,
      generated: r.generated,
      sentToReview: r.review,
      skipped: r.skipped,
      failed: r.failed,
      notPosted: failedLines.map((l) => `${l.name}, due ${formatDate(l.dueDate, locale)}: ${l.reason ?? ''}`).join('\n')
    }
  }
}

const NO_PROFILE: JobResult = { summary: 'Nothing to do: the cooperative’s profile is not set up yet.' }

/** What both jobs share: caught up once, an hour at most, three attempts, on a worker thread; the run, the staff told of what waits, the summary. */
function runsOccurrences(
  work: (runner: RecurringRunner) => RunReport,
  what: { one: string; other: string }
): Pick<JobDefinition, 'catchUp' | 'timeLimitMs' | 'retry' | 'supportsForce' | 'thread' | 'run'> {
  return {
    catchUp: 'once',
    timeLimitMs: 60 * 60_000,
    retry: { maxAttempts: 3, baseDelayMs: 60_000, factor: 4, maxDelayMs: 30 * 60_000 },
    supportsForce: false,
    thread: 'worker',
    run(ctx) {
      const runner = runnerFor(ctx)
      if (!runner) return NO_PROFILE
      const r = work(runner)
      tellReview(ctx, r)
      return result(r, ctx.locale, what)
    }
  }
}

/**
 * Daily: every recurring entry's occurrences due up to today (plus each
 * template's days ahead) generated with their own dates, posted on their
 * date unless they wait for review; a catch-up larger than the treasurer's
 * threshold goes to To review. Run twice, it posts nothing twice.
 */
export const recurringJob: JobDefinition = {
  id: 'recurring',
  title: 'Recurring entries',
  description: 'Generates and posts the society’s recurring entries that have fallen due, each with its own date.',
  defaultCron: '0 6 * * *',
  ...runsOccurrences((runner) => runner.runTemplates(), { one: 'recurring entry', other: 'recurring entries' })
}

/** Hourly while the app is open: members' standing orders due by today, by date and priority; retries; failures told. */
export const standingOrdersJob: JobDefinition = {
  id: 'standing-orders',
  title: 'Standing orders',
  description: 'Executes members’ standing orders that have fallen due, in date and priority order, and retries those waiting for funds.',
  defaultCron: '0 * * * *',
  ...runsOccurrences((runner) => runner.runOrders(), { one: 'standing order', other: 'standing orders' })
}
