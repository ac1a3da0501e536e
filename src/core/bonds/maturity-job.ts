import { addDays, calendarDateInZone } from '../../shared/dates'
import { generateCoupons } from './coupons'
import type { JobDefinition } from '../platform/jobs/types'
import { readSetting } from '../platform/settings'
import { prepareInsertPayment } from '../payments'

export const DEFAULT_MATURITY_NOTICE_DAYS = 30
export const MATURITY_NOTICE_DAYS_KEY = 'maturity.noticeDays'

/**
 * Daily: tells the staff about holdings maturing within N days (one notice
 * per holding, ever), and at maturity marks the holding matured and creates
 * its principal redemption payment (pending), after making sure its last
 * coupon exists.
 */
export const maturityJob: JobDefinition = {
  id: 'maturity',
  title: 'Maturities',
  description: 'Announces holdings maturing soon, and at maturity creates the principal redemption payment.',
  defaultCron: '0 9 * * *',
  catchUp: 'once',
  timeLimitMs: 30 * 60_000,
  retry: { maxAttempts: 3, baseDelayMs: 60_000, factor: 4, maxDelayMs: 30 * 60_000 },
  supportsForce: false,
  thread: 'worker',
  run(ctx) {
    const { sqlite } = ctx
    const today = calendarDateInZone(ctx.clock.now(), ctx.timeZone)
    const at = ctx.clock.now().toISOString()
    const days = Number(readSetting(sqlite, MATURITY_NOTICE_DAYS_KEY) ?? DEFAULT_MATURITY_NOTICE_DAYS)
    const horizon = addDays(today, Number.isInteger(days) && days >= 0 ? days : DEFAULT_MATURITY_NOTICE_DAYS)

    const soon = sqlite
      .prepare(
        `SELECT h.id, h.units, s.code, s.maturity_date AS maturityDate, m.id AS memberId, m.full_name AS name, m.member_no AS memberNo
           FROM bond_holdings h JOIN bond_series s ON s.id = h.series_id JOIN members m ON m.id = h.member_id
          WHERE h.status = 'active' AND s.maturity_date > ? AND s.maturity_date <= ?`
      )
      .all(today, horizon) as { id: number; units: number; code: string; maturityDate: string; memberId: number; name: string; memberNo: string }[]
    for (const h of soon) {
      ctx.notify({
        kind: 'info',
        title: `${h.code} matures on ${h.maturityDate}`,
        body: `${h.name} (${h.memberNo}) holds ${h.units} unit${h.units === 1 ? '' : 's'} of ${h.code}, maturing on ${h.maturityDate}.`,
        subject: { type: 'member', id: String(h.memberId) },
        dedupeKey: `maturity-notice:${h.id}`
      })
    }

    const due = sqlite
      .prepare(
        `SELECT h.id, h.units * s.face_value_minor AS principal, s.maturity_date AS maturityDate
           FROM bond_holdings h JOIN bond_series s ON s.id = h.series_id
          WHERE h.status = 'active' AND s.maturity_date <= ? ORDER BY h.id`
      )
      .all(today) as { id: number; principal: number; maturityDate: string }[]
    if (due.length) {
      // The last coupon first, so the holding leaves the coupon run complete.
      generateCoupons(sqlite, { today, createdAt: at, runId: ctx.runId, holdingIds: due.map((d) => d.id), signal: ctx.signal, beforeBatch: ctx.yieldToApp })
    }
    const mature = sqlite.prepare(
      `UPDATE bond_holdings SET status = 'matured', matured_on = ?, updated_at = ?, version = version + 1 WHERE id = ? AND status = 'active'`
    )
    const insertPayment = prepareInsertPayment(sqlite)
    // One transaction per holding: it matures and gets its redemption payment together, or neither.
    const one = sqlite.transaction((d: (typeof due)[number]) => {
      mature.run(d.maturityDate, at, d.id)
      insertPayment(d.id, 'principal', d.maturityDate, d.maturityDate, d.maturityDate, d.principal, 0, d.principal, at, ctx.runId)
    })
    for (const [i, d] of due.entries()) {
      ctx.yieldToApp()
      one.immediate(d)
      if (i % 100 === 99) ctx.progress(i + 1, due.length, 'Holdings matured')
    }
    ctx.progress(due.length, due.length, null)
    return {
      summary: `${soon.length} holding${soon.length === 1 ? '' : 's'} maturing within ${days} days; ${due.length} matured today.`,
      details: { noticed: soon.length, matured: due.length, today }
    }
  }
}
