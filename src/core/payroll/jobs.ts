import { calendarDateInZone } from '../../shared/dates'
import { countOf } from '../../shared/words'
import type { PayrollRunReport } from '../../shared/contract/payroll'
import { FatalJobError, type JobDefinition, type JobParams, type JobResult } from '../platform/jobs/types'
import type { ServiceContext } from '../platform/context'
import { DomainError } from '../platform/errors'
import { LedgerService } from '../ledger'
import { cooperativeProfile } from '../profile'
import { PayrollRunner, type RunRequest, type Who } from './run'

/** Who a run drafts as: the operator who asked for it (payroll.run, the command line), else the payroll job itself. */
export const PAYROLL_JOB_WORDS = 'The payroll job'

/** A run's parameters back from plain values; anything else is refused, never guessed. */
export function runParams(params: JobParams): { req: RunRequest; by: Who } {
  const known = ['periodId', 'force', 'reason', 'operatorId', 'operatorName']
  for (const k of Object.keys(params)) if (!known.includes(k)) throw new FatalJobError(`The payroll run was given an unknown parameter "${k}".`)
  const { periodId, force, reason, operatorId, operatorName } = params
  if (periodId !== undefined && periodId !== null && (typeof periodId !== 'number' || !Number.isSafeInteger(periodId))) throw new FatalJobError('The payroll run’s period is not an id.')
  if (force !== undefined && typeof force !== 'boolean') throw new FatalJobError('The payroll run’s force is not true or false.')
  if (reason !== undefined && reason !== null && typeof reason !== 'string') throw new FatalJobError('The payroll run’s reason is not text.')
  const by: Who =
    typeof operatorId === 'number' ? { id: operatorId, name: typeof operatorName === 'string' ? operatorName : `Operator #${operatorId}` } : { id: null, name: typeof operatorName === 'string' ? operatorName : PAYROLL_JOB_WORDS }
  return { req: { periodId: (periodId as number | null | undefined) ?? null, force: force === true, reason: (reason as string | null | undefined) ?? null }, by }
}

/** One sentence for the run history. */
export function summaryOf(r: PayrollRunReport, locale: string): string {
  const parts: string[] = []
  if (r.created > 0) parts.push(`created ${countOf(r.created, { one: 'period', other: 'periods' }, locale)} from the calendars`)
  for (const p of r.periods) {
    if (p.outcome === 'drafted') parts.push(`drafted ${p.name} (${countOf(p.made + p.kept, { one: 'payslip', other: 'payslips' }, locale)})`)
    else if (p.outcome === 'partial') parts.push(`drafted ${p.name} in part: ${p.failed} failed, the others kept`)
    else if (p.outcome === 'recomputed') parts.push(`recomputed ${p.name}`)
    else if (p.outcome === 'reposted') parts.push(`reversed and re-posted ${p.name}`)
    else if (p.outcome === 'failed') parts.push(`${p.name} failed: ${p.reason ?? ''}`)
    else parts.push(`${p.name} unchanged`)
  }
  if (parts.length === 0) return 'No payroll period was due.'
  const text = parts.join('; ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

/**
 * Daily at 02:00 (and once at launch for the days the PC was off): each
 * calendar's periods that have begun are created, and every period whose rule
 * has made it due is drafted, once (one payslip per period and staff member,
 * a unique key). Run from payroll.run or the command line it carries the
 * period asked for, force, the reason and the operator (JobContext.params).
 */
export const payrollJob: JobDefinition = {
  id: 'payroll',
  title: 'Payroll',
  description: 'Drafts the payroll periods that have fallen due under their rules, for review and approval before posting.',
  defaultCron: '0 2 * * *',
  catchUp: 'once',
  timeLimitMs: 60 * 60_000,
  retry: { maxAttempts: 3, baseDelayMs: 60_000, factor: 4, maxDelayMs: 30 * 60_000 },
  supportsForce: false,
  thread: 'worker',
  run(ctx): JobResult {
    const profile = ctx.db.select({ currency: cooperativeProfile.currency }).from(cooperativeProfile).get()
    if (!profile) return { summary: 'Nothing to do: the cooperative’s profile is not set up yet.' }
    const { req, by } = runParams(ctx.params)
    const svc: ServiceContext = { db: ctx.db, sqlite: ctx.sqlite, clock: ctx.clock, emit: () => {} }
    const ledger = new LedgerService(svc, { timeZone: () => ctx.timeZone, locale: () => ctx.locale, currency: () => profile.currency })
    const runner = new PayrollRunner({
      sqlite: ctx.sqlite,
      ledger,
      today: calendarDateInZone(ctx.clock.now(), ctx.timeZone),
      now: () => ctx.clock.now(),
      timeZone: ctx.timeZone,
      locale: ctx.locale,
      currency: profile.currency,
      runId: ctx.runId,
      by,
      transaction: (fn) => ctx.transaction(fn),
      signal: ctx.signal,
      notify: (n) => ctx.notify(n),
      progress: (done, total) => ctx.progress(done, total, 'Payslips')
    })
    let report: PayrollRunReport
    try {
      report = runner.run(req)
    } catch (e) {
      // A refusal (a period that is not there, a posted period's month closed) is not mended by trying again.
      if (e instanceof DomainError) throw new FatalJobError(e.message)
      throw e
    }
    return {
      summary: summaryOf(report, ctx.locale),
      details: { report: { ...report, periods: report.periods.map((p) => ({ ...p, register: [] })) } }
    }
  }
}
