import { addDays, calendarDateInZone } from '../../shared/dates'
import { formatMoney } from '../../shared/money'
import { countOf, datesInText, formatDate } from '../../shared/words'
import { cooperativeProfile } from '../profile'
import { generateCoupons } from './coupons'
import type { JobDefinition } from '../platform/jobs/types'
import type { Sqlite } from '../platform/db/open'
import { readSetting } from '../platform/settings'
import { Notices, couponValues } from '../mail'

export const DEFAULT_COUPON_LEAD_DAYS = 7
export const COUPON_LEAD_DAYS_KEY = 'coupons.leadDays'

/** Days before its payment date a coupon is created (the bonds setting; 7 unless set). */
export function couponLeadDays(sqlite: Sqlite): number {
  const days = Number(readSetting(sqlite, COUPON_LEAD_DAYS_KEY) ?? DEFAULT_COUPON_LEAD_DAYS)
  return Number.isInteger(days) && days >= 0 ? days : DEFAULT_COUPON_LEAD_DAYS
}

/**
 * Daily: one payment for every coupon whose payment date is on or before
 * today plus the lead days (couponLeadDays, so the treasurer can approve and
 * pay on the day) and that has none yet, for every holding, each dated its own coupon date. Run
 * twice, it creates nothing twice; after three missed months, three coupons.
 */
export const couponsJob: JobDefinition = {
  id: 'coupons',
  title: 'Coupon payments',
  description: 'Creates the coupon payments that have fallen due, with gross, withholding tax and net.',
  defaultCron: '0 2 * * *',
  catchUp: 'once',
  timeLimitMs: 60 * 60_000,
  retry: { maxAttempts: 3, baseDelayMs: 60_000, factor: 4, maxDelayMs: 30 * 60_000 },
  supportsForce: false,
  thread: 'worker',
  run(ctx) {
    const today = calendarDateInZone(ctx.clock.now(), ctx.timeZone)
    const upTo = addDays(today, couponLeadDays(ctx.sqlite))
    const notices = new Notices(ctx.sqlite, () => ctx.clock.now())
    const memberOfPayment = ctx.sqlite.prepare('SELECT member_id FROM bond_payments WHERE id = ?').pluck()
    const r = generateCoupons(ctx.sqlite, {
      today,
      createUpTo: upTo,
      createdAt: ctx.clock.now().toISOString(),
      runId: ctx.runId,
      signal: ctx.signal,
      beforeBatch: ctx.yieldToApp,
      progress: (done, total) => ctx.progress(done, total, 'Holdings checked'),
      // The member's coupon-ready notice, in the transaction that creates the payment (once per payment).
      onCreated: (paymentId) => {
        const memberId = memberOfPayment.get(paymentId) as number
        notices.notify('coupon-ready', { memberId }, couponValues(ctx.sqlite, paymentId), `payment:${paymentId}:coupon-ready`)
      }
    })
    // What people read: dates and counts in the cooperative's locale (src/shared/words.ts).
    const { locale } = ctx
    const holdings = (n: number) => countOf(n, { one: 'holding', other: 'holdings' }, locale)
    const upToText = formatDate(upTo, locale)
    let summary =
      r.created === 0
        ? `No coupons due up to ${upToText}.`
        : `Created ${countOf(r.created, { one: 'coupon payment', other: 'coupon payments' }, locale)} due up to ${upToText}.`
    if (r.failedCount > 0) {
      // A bad holding never stops the others; the staff are told which ones wait and why.
      summary += ` ${holdings(r.failedCount)} could not be worked out and got no coupon (see the details).`
      const shown = r.failed.slice(0, 5).map((f) => `holding #${f.holdingId}: ${datesInText(f.reason, locale)}`)
      ctx.notify({
        kind: 'warning',
        title: `Coupon run: ${holdings(r.failedCount)} without a coupon`,
        body:
          `The coupon run up to ${formatDate(today, locale)} could not work out the coupon of ${holdings(r.failedCount)}; ` +
          `every other holding got its coupons. ${shown.join('; ')}${r.failedCount > shown.length ? '; …' : ''}. ` +
          'Fix the holding (or its series) and run the job again: it catches up.',
        subject: { type: 'job-run', id: String(ctx.runId) }
      })
    }
    const currency = ctx.db.select({ currency: cooperativeProfile.currency }).from(cooperativeProfile).get()?.currency
    // Shown as they are on the run's page ("Holdings checked", "Gross"): words and formatted values, no codes.
    return {
      summary,
      details: {
        created: r.created,
        holdingsChecked: r.holdings,
        gross: currency ? formatMoney(r.grossMinor, currency, locale) : r.grossMinor,
        ranOn: formatDate(today, locale),
        upTo: upToText,
        failedCount: r.failedCount,
        failed: r.failed.map((f) => `Holding #${f.holdingId}: ${datesInText(f.reason, locale)}`).join('\n')
      }
    }
  }
}
