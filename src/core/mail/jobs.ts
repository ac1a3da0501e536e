import type { Sqlite } from '../platform/db/open'
import type { JobDefinition, JobResult } from '../platform/jobs/types'
import { countOf } from '../../shared/words'
import type { MailService } from './service'

/**
 * Each connection's MailService, filled by the mail module's create(): the
 * mail job runs inline (network I/O is async, the window stays free) on the
 * app's connection and finds the service, with the renderers payments and
 * payroll registered on it, here.
 */
export const mailServices: WeakMap<Sqlite, MailService> = new WeakMap()

export const mailJob: JobDefinition = {
  id: 'mail',
  title: 'Email and SMS',
  description: 'Sends the queued emails and text messages, and tries again later those the server could not take yet.',
  defaultCron: '* * * * *',
  catchUp: 'skip',
  timeLimitMs: 30 * 60_000,
  // A message has its own attempts and backoff: the run is not retried.
  retry: { maxAttempts: 1, baseDelayMs: 60_000, factor: 1, maxDelayMs: 60_000 },
  supportsForce: false,
  thread: 'inline',
  pruneIdleRuns: true,
  async run(ctx): Promise<JobResult> {
    const service = mailServices.get(ctx.sqlite)
    if (!service) throw new Error('The mail service is not set up on this connection.')
    const r = await service.deliver(ctx.signal)
    const parts = [
      r.sent ? `sent ${countOf(r.sent, { one: 'message', other: 'messages' }, ctx.locale)}` : null,
      r.retrying ? `${r.retrying} to be tried again later` : null,
      r.failed ? `${r.failed} failed` : null,
      r.recovered ? `${r.recovered} found half-sent and queued again` : null
    ].filter((p): p is string => p !== null)
    const waiting = r.waiting.map((w) => `${countOf(w.count, w.channel === 'email' ? { one: 'email waits', other: 'emails wait' } : { one: 'SMS waits', other: 'SMS wait' }, ctx.locale)}: ${w.why}`)
    const summary =
      (parts.length ? `${parts.join(', ').replace(/^./, (c) => c.toUpperCase())}.` : r.held ? 'Nothing was sent: the queue is held.' : 'Nothing was due.') +
      (parts.length && r.held ? ' The queue is held now.' : '') +
      (waiting.length ? ` ${waiting.join(' ')}` : '')
    return {
      summary,
      details: { sent: r.sent, retrying: r.retrying, failed: r.failed, recovered: r.recovered, held: r.held },
      idle: parts.length === 0 && waiting.length === 0
    }
  }
}
