import { and, asc, eq, gt, lte, sql } from 'drizzle-orm'
import { addDays, calendarDateInZone } from '../../shared/dates'
import { countOf, formatDate } from '../../shared/words'
import { generateCoupons } from './coupons'
import type { JobDefinition } from '../platform/jobs/types'
import { readSetting } from '../platform/settings'
import { prepareInsertPayment } from '../payments'
import { members } from '../members'
import { bondHoldings, bondSeries } from './schema'
import { settleFinishedSeries } from './series-status'
import { Notices, maturityDaysBefore, maturityValues } from '../mail'

export const DEFAULT_MATURITY_NOTICE_DAYS = 30
export const MATURITY_NOTICE_DAYS_KEY = 'maturity.noticeDays'

/**
 * Daily: tells the staff about holdings maturing within N days (one notice
 * per holding, ever), and at maturity marks the holding matured and creates
 * its principal redemption payment (pending), after making sure its last
 * coupon exists. A series past maturity whose every holding has matured or
 * been redeemed becomes matured.
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
    const { sqlite, db } = ctx
    const today = calendarDateInZone(ctx.clock.now(), ctx.timeZone)
    const at = ctx.clock.now().toISOString()
    const setting = Number(readSetting(sqlite, MATURITY_NOTICE_DAYS_KEY) ?? DEFAULT_MATURITY_NOTICE_DAYS)
    const days = Number.isInteger(setting) && setting >= 0 ? setting : DEFAULT_MATURITY_NOTICE_DAYS
    const horizon = addDays(today, days)

    const soon = db
      .select({
        id: bondHoldings.id,
        units: bondHoldings.units,
        code: bondSeries.code,
        maturityDate: bondSeries.maturityDate,
        memberId: members.id,
        name: members.fullName,
        memberNo: members.memberNo
      })
      .from(bondHoldings)
      .innerJoin(bondSeries, eq(bondSeries.id, bondHoldings.seriesId))
      .innerJoin(members, eq(members.id, bondHoldings.memberId))
      .where(and(eq(bondHoldings.status, 'active'), gt(bondSeries.maturityDate, today), lte(bondSeries.maturityDate, horizon)))
      .all()
    const { locale } = ctx
    for (const h of soon) {
      const on = formatDate(h.maturityDate, locale)
      ctx.notify({
        kind: 'info',
        title: `${h.code} matures on ${on}`,
        body: `${h.name} (${h.memberNo}) holds ${countOf(h.units, { one: 'unit', other: 'units' }, locale)} of ${h.code}, maturing on ${on}.`,
        subject: { type: 'member', id: String(h.memberId) },
        dedupeKey: `maturity-notice:${h.id}`
      })
    }

    // The members' own maturity notice (email, SMS): N = the maturity template's days before (30 unless the
    // treasurer changed it), once per holding and maturity date ('holding:<id>:maturity:<date>'), in one transaction.
    const horizonForMembers = addDays(today, maturityDaysBefore(sqlite))
    const toTell = sqlite
      .prepare(
        `SELECT h.id, h.member_id AS memberId, s.maturity_date AS maturityDate FROM bond_holdings h JOIN bond_series s ON s.id = h.series_id
          WHERE h.status = 'active' AND s.maturity_date > ? AND s.maturity_date <= ?
            AND NOT EXISTS (SELECT 1 FROM outbox_messages m WHERE m.event_key = 'holding:' || h.id || ':maturity:' || s.maturity_date)
          ORDER BY h.id`
      )
      .all(today, horizonForMembers) as { id: number; memberId: number; maturityDate: string }[]
    if (toTell.length > 0) {
      const notices = new Notices(sqlite, () => ctx.clock.now())
      ctx.transaction(() => {
        for (const h of toTell) notices.notify('maturity', { memberId: h.memberId }, maturityValues(sqlite, h.id, today), `holding:${h.id}:maturity:${h.maturityDate}`)
      })
    }

    const due = db
      .select({
        id: bondHoldings.id,
        principal: sql<number>`${bondHoldings.units} * ${bondSeries.faceValueMinor}`,
        maturityDate: bondSeries.maturityDate
      })
      .from(bondHoldings)
      .innerJoin(bondSeries, eq(bondSeries.id, bondHoldings.seriesId))
      .where(and(eq(bondHoldings.status, 'active'), lte(bondSeries.maturityDate, today)))
      .orderBy(asc(bondHoldings.id))
      .all()
    if (due.length) {
      // The last coupon first, so the holding leaves the coupon run complete.
      generateCoupons(sqlite, { today, createdAt: at, runId: ctx.runId, holdingIds: due.map((d) => d.id), signal: ctx.signal, beforeBatch: ctx.yieldToApp })
    }
    // HOT PATH, raw prepared SQL on purpose: the bulk loop below runs one transaction per maturing holding
    // (a whole series matures on one day). Its INSERT is payments' prepareInsertPayment, measured with the
    // coupon run in test/bench/coupons.bench.ts; the loop has no bench of its own.
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
    // State-driven, so it also settles series whose holdings matured before this rule existed.
    const seriesMatured = settleFinishedSeries(db, { today, at })
    return {
      summary:
        `${countOf(soon.length, { one: 'holding', other: 'holdings' }, locale)} maturing within ${countOf(days, { one: 'day', other: 'days' }, locale)}; ` +
        `${formatCountOrNone(due.length, locale)} matured today (${formatDate(today, locale)}).`,
      details: { noticed: soon.length, membersTold: toTell.length, matured: due.length, seriesMatured, ranOn: formatDate(today, locale) }
    }
  }
}

/** "none" for 0, else the count: "none matured today", "3 matured today". */
function formatCountOrNone(n: number, locale: string): string {
  return n === 0 ? 'none' : countOf(n, { one: 'holding', other: 'holdings' }, locale)
}
