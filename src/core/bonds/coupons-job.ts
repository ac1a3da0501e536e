import { calendarDateInZone } from '../../shared/dates'
import { generateCoupons } from './coupons'
import type { JobDefinition } from '../platform/jobs/types'

/**
 * Monthly: one payment for every coupon whose date is on or before today and
 * that has none yet, for every holding, each dated its own coupon date. Run
 * twice, it creates nothing twice; after three missed months, three coupons.
 */
export const couponsJob: JobDefinition = {
  id: 'coupons',
  title: 'Coupon payments',
  description: 'Creates the coupon payments that have fallen due, with gross, withholding tax and net.',
  defaultCron: '0 2 1 * *',
  catchUp: 'once',
  timeLimitMs: 60 * 60_000,
  retry: { maxAttempts: 3, baseDelayMs: 60_000, factor: 4, maxDelayMs: 30 * 60_000 },
  supportsForce: false,
  thread: 'worker',
  run(ctx) {
    const today = calendarDateInZone(ctx.clock.now(), ctx.timeZone)
    const r = generateCoupons(ctx.sqlite, {
      today,
      createdAt: ctx.clock.now().toISOString(),
      runId: ctx.runId,
      signal: ctx.signal,
      beforeBatch: ctx.yieldToApp,
      progress: (done, total) => ctx.progress(done, total, 'Holdings checked')
    })
    return {
      summary: r.created === 0 ? `No coupons due up to ${today}.` : `Created ${r.created} coupon payment${r.created === 1 ? '' : 's'} due up to ${today}.`,
      details: { created: r.created, holdingsChecked: r.holdings, grossMinor: r.grossMinor, today }
    }
  }
}
