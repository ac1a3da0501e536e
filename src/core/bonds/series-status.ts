import { and, eq, exists, lte, ne, not, sql } from 'drizzle-orm'
import type { Db } from '../platform/db/open'
import { bondHoldings, bondSeries } from './schema'

const hasHoldings = (db: Db) => exists(db.select({ one: sql`1` }).from(bondHoldings).where(eq(bondHoldings.seriesId, bondSeries.id)))
const hasActive = (db: Db) =>
  exists(
    db
      .select({ one: sql`1` })
      .from(bondHoldings)
      .where(and(eq(bondHoldings.seriesId, bondSeries.id), eq(bondHoldings.status, 'active')))
  )

/**
 * A series whose every holding has matured or been redeemed settles by itself: matured once
 * its maturity date has come, else closed (every holder redeemed early; the treasurer may
 * reopen it). `seriesId` limits it to one series (an early redemption); without it, every
 * series past maturity (the daily maturity job, which also settles data from before this
 * rule). A series without holdings is left alone. Returns how many series changed.
 */
export function settleFinishedSeries(db: Db, o: { today: string; at: string; seriesId?: number }): number {
  const status = sql<'matured' | 'closed'>`CASE WHEN ${bondSeries.maturityDate} <= ${o.today} THEN 'matured' ELSE 'closed' END`
  return db
    .update(bondSeries)
    .set({ status, updatedAt: o.at, version: sql`${bondSeries.version} + 1` })
    .where(
      and(
        o.seriesId === undefined ? lte(bondSeries.maturityDate, o.today) : eq(bondSeries.id, o.seriesId),
        ne(bondSeries.status, 'matured'),
        sql`${bondSeries.status} <> ${status}`,
        hasHoldings(db),
        not(hasActive(db))
      )
    )
    .run().changes
}
