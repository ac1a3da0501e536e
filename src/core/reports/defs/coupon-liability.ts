/**
 * Coupon liability: what the society owes holders in interest at the end
 * date, holding by holding and grouped by series: the interest accrued in
 * the current coupon period (the bonds area's own accrual: its schedules,
 * day counts and named rounding, `accruedAmount`), plus coupons already due
 * by then and not paid by then. A second table lists the coupons paid in the
 * dates, by series, for reference.
 *
 * One streamed query for the holdings (each with its unpaid coupons summed
 * in SQL); the series' terms, schedules and holidays are read before it
 * opens, so nothing is queried while it is open.
 */
import { diffDays } from '../../../shared/dates'
import { accruedAmount, COUPON_ROUNDING, loadSeries, seriesSchedule, type Period, type SeriesTerms } from '../../bonds'
import { loadHolidays } from '../../calendar'
import { col, row, type ReportDefinition, type ReportRow, type ReportSource } from '../model'
import { bondFilters } from './payment-register'

/** Holder payments that carry interest (and so tax): a period's coupon, and the interest accrued to an early redemption. */
export const INTEREST_KINDS = "('coupon', 'interest')"

/** A holder's interest due by @to and not paid by then (pending or approved, or paid after it). */
export const UNPAID_AT_TO = `p.holding_id IS NOT NULL AND p.kind IN ${INTEREST_KINDS} AND p.due_date <= @to
  AND (p.status IN ('pending', 'approved') OR (p.status = 'paid' AND p.paid_on > @to))`

/** The interest a holding has accrued at a date, by the bonds area's rule: terms and schedules kept per series. */
export function accrualAt(src: ReportSource): (seriesId: number, units: number, purchaseDate: string, asOf: string) => { start: string | null; days: number; accruedMinor: number } {
  const terms = loadSeries(src.sqlite)
  const holidays = loadHolidays(src.sqlite)
  const schedules = new Map<number, Period[]>()
  return (seriesId, units, purchaseDate, asOf) => {
    const s = terms.get(seriesId) as SeriesTerms
    let sch = schedules.get(seriesId)
    if (!sch) schedules.set(seriesId, (sch = seriesSchedule(s, holidays)))
    const a = accruedAmount(s, units, sch, purchaseDate, asOf)
    if (a.periodStart === null) return { start: null, days: 0, accruedMinor: 0 }
    const start = purchaseDate > a.periodStart ? purchaseDate : a.periodStart
    return { start, days: diffDays(start, asOf), accruedMinor: a.accruedMinor }
  }
}

/** The bonds area's named rounding in words (a new rule is a compile error here until it has its words). */
const ROUNDING_WORDS: Record<typeof COUPON_ROUNDING, string> = { 'half-up': 'halves rounded up' }

type Holding = [
  seriesId: number,
  seriesCode: string,
  seriesName: string,
  memberNo: string,
  memberName: string,
  units: number,
  faceValueMinor: number,
  purchaseDate: string,
  endedOn: string | null,
  unpaidMinor: number
]

export const couponLiability: ReportDefinition = {
  name: 'coupon-liability',
  build(src, p) {
    const { subtitle, parameters } = bondFilters(src, p)
    const bySeries = p.seriesId === undefined ? '' : ' AND h.series_id = @seriesId'
    const args = { from: p.from, to: p.to, ...(p.seriesId === undefined ? {} : { seriesId: p.seriesId }) }
    // Held at the end date, or owed interest then (a holding redeemed before it whose last interest is unpaid).
    const body = `FROM bond_holdings h
        JOIN bond_series s ON s.id = h.series_id
        JOIN members m ON m.id = h.member_id
        LEFT JOIN (SELECT p.holding_id, sum(p.gross_minor) AS unpaid FROM bond_payments p WHERE ${UNPAID_AT_TO} GROUP BY p.holding_id) d
          ON d.holding_id = h.id
       WHERE h.purchase_date <= @to${bySeries}
         AND (coalesce(h.redeemed_on, h.matured_on) IS NULL OR coalesce(h.redeemed_on, h.matured_on) > @to OR d.unpaid IS NOT NULL)`
    const count = src.sqlite.prepare(`SELECT count(*) ${body}`).pluck().get(args) as number
    const list = src.sqlite
      .prepare(
        `SELECT h.series_id, s.code, s.name, m.member_no, m.full_name, h.units, s.face_value_minor, h.purchase_date,
                coalesce(h.redeemed_on, h.matured_on), coalesce(d.unpaid, 0)
           ${body}
          ORDER BY s.maturity_date, s.code COLLATE NOCASE, m.sort_name, m.full_name COLLATE NOCASE, h.id`
      )
      .raw(true)
    function* holdings(): Generator<ReportRow> {
      // Terms, holidays and schedules first: nothing is queried while the holdings stream.
      const accrued = accrualAt(src)
      for (const r of list.iterate(args) as IterableIterator<Holding>) {
        const [seriesId, code, name, memberNo, memberName, units, face, purchaseDate, endedOn, unpaid] = r
        const held = endedOn === null || endedOn > p.to
        const a = held ? accrued(seriesId, units, purchaseDate, p.to) : { start: null, days: 0, accruedMinor: 0 }
        yield row([
          `${code} ${name}`,
          `${memberNo} ${memberName}`,
          held ? units : null,
          held ? units * face : null,
          a.start,
          held ? a.days : null,
          a.accruedMinor,
          unpaid,
          a.accruedMinor + unpaid
        ])
      }
    }
    const paidArgs = { from: p.from, to: p.to, ...(p.seriesId === undefined ? {} : { seriesId: p.seriesId }) }
    const paidBody = `FROM bond_payments p JOIN bond_holdings h ON h.id = p.holding_id JOIN bond_series s ON s.id = h.series_id
       WHERE p.status = 'paid' AND p.kind IN ${INTEREST_KINDS} AND p.paid_on BETWEEN @from AND @to${bySeries}`
    const paidCount = src.sqlite.prepare(`SELECT count(DISTINCT h.series_id) ${paidBody}`).pluck().get(paidArgs) as number
    const paid = src.sqlite
      .prepare(
        `SELECT s.code || ' ' || s.name, count(*), sum(p.gross_minor), sum(p.tax_minor), sum(p.net_minor)
           ${paidBody}
          GROUP BY s.id ORDER BY s.maturity_date, s.code COLLATE NOCASE`
      )
      .raw(true)
    function* paidRows(): Generator<ReportRow> {
      for (const r of paid.all(paidArgs) as [string, number, number, number, number][]) yield row(r)
    }
    return {
      name: 'coupon-liability',
      title: 'Coupon liability',
      subtitle,
      parameters,
      profile: src.profile,
      landscape: true,
      tables: [
        {
          key: 'liability',
          title: 'Interest owed at the end date',
          columns: [
            col('series', 'Series', 'text'),
            col('member', 'Member', 'text'),
            col('units', 'Units', 'units', true),
            col('face', 'Face value', 'money', true),
            col('accruesFrom', 'Accrues from', 'date'),
            col('days', 'Days accrued', 'count'),
            col('accrued', 'Accrued interest', 'money', true),
            col('unpaid', 'Coupons due, unpaid', 'money', true),
            col('owed', 'Interest owed', 'money', true)
          ],
          rows: holdings,
          rowCount: count,
          empty: 'No holding was accruing interest or owed a coupon at the end date.',
          note:
            `Accrued interest is from the last coupon date (or the purchase) to the end date: units × face value × coupon rate × the series’ day count fraction, ` +
            `rounded once, ${ROUNDING_WORDS[COUPON_ROUNDING]}, to the currency’s smallest unit. ` +
            'Coupons due, unpaid: coupons and redemption interest due by the end date and not paid by then.',
          groupBy: 0,
          breakGroups: false
        },
        {
          key: 'paid',
          title: 'Coupons paid in the dates',
          columns: [
            col('series', 'Series', 'text'),
            col('payments', 'Payments', 'count', true),
            col('gross', 'Gross', 'money', true),
            col('tax', 'Tax withheld', 'money', true),
            col('net', 'Net', 'money', true)
          ],
          rows: paidRows,
          rowCount: paidCount,
          empty: 'No coupons were paid in these dates.',
          note: 'Coupons and redemption interest paid in the dates, for reference.',
          groupBy: null,
          breakGroups: false
        }
      ]
    }
  }
}
