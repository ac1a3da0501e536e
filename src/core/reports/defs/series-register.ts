/**
 * Series register: each bond series issued by the end date, with the units
 * bought in the dates, the units issued and redeemed up to the end date, and
 * what was outstanding then (units and face value). A holding counts as
 * redeemed on the day it was redeemed early or matured. One grouped query.
 */
import Decimal from 'decimal.js'
import { SERIES_STATUS_WORDS, wordsFor } from '../../../shared/bond-labels'
import { col, row, type ReportDefinition, type ReportRow } from '../model'
import { bondFilters } from './payment-register'

/** An exact decimal fraction ("0.1025") as a percent in exact decimal text ("10.25"). */
export const percentOf = (fraction: string): string => new Decimal(fraction).times(100).toFixed()

type Raw = {
  code: string
  name: string
  couponRate: string
  issueDate: string
  maturityDate: string
  status: string
  faceValueMinor: number
  issued: number
  bought: number
  redeemedIn: number
  redeemedTo: number
}

/** A face value beyond what Coffer stores exactly is a fault, never a rounded figure. */
function safe(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`The ${what} is beyond the largest amount Coffer prints exactly`)
  return n
}

export const seriesRegister: ReportDefinition = {
  name: 'series-register',
  build(src, p) {
    const { subtitle, parameters } = bondFilters(src, p)
    const ended = 'coalesce(h.redeemed_on, h.matured_on)'
    const where = ['s.issue_date <= @to', ...(p.seriesId === undefined ? [] : ['s.id = @seriesId'])].join(' AND ')
    const args = { from: p.from, to: p.to, ...(p.seriesId === undefined ? {} : { seriesId: p.seriesId }) }
    const count = src.sqlite.prepare(`SELECT count(*) FROM bond_series s WHERE ${where}`).pluck().get(args) as number
    const list = src.sqlite.prepare(
      `SELECT s.code, s.name, s.coupon_rate AS couponRate, s.issue_date AS issueDate, s.maturity_date AS maturityDate, s.status,
              s.face_value_minor AS faceValueMinor,
              coalesce(sum(CASE WHEN h.purchase_date <= @to THEN h.units END), 0) AS issued,
              coalesce(sum(CASE WHEN h.purchase_date BETWEEN @from AND @to THEN h.units END), 0) AS bought,
              coalesce(sum(CASE WHEN ${ended} BETWEEN @from AND @to THEN h.units END), 0) AS redeemedIn,
              coalesce(sum(CASE WHEN ${ended} <= @to THEN h.units END), 0) AS redeemedTo
         FROM bond_series s LEFT JOIN bond_holdings h ON h.series_id = s.id
        WHERE ${where}
        GROUP BY s.id
        ORDER BY s.maturity_date, s.code COLLATE NOCASE`
    )
    function* rows(): Generator<ReportRow> {
      // A handful of series: read whole, then yielded.
      for (const r of list.all(args) as Raw[]) {
        const outstanding = r.issued - r.redeemedTo
        yield row([
          r.code,
          r.name,
          percentOf(r.couponRate),
          r.issueDate,
          r.maturityDate,
          wordsFor(SERIES_STATUS_WORDS, r.status),
          r.issued,
          r.bought,
          r.redeemedIn,
          r.redeemedTo,
          outstanding,
          safe(outstanding * r.faceValueMinor, 'face value outstanding')
        ])
      }
    }
    return {
      name: 'series-register',
      title: 'Series register',
      subtitle,
      parameters,
      profile: src.profile,
      landscape: true,
      tables: [
        {
          key: 'series',
          title: 'Bond series',
          columns: [
            col('code', 'Series', 'text'),
            col('name', 'Name', 'text'),
            col('couponRate', 'Coupon rate', 'percent'),
            col('issueDate', 'Issued', 'date'),
            col('maturityDate', 'Matures', 'date'),
            col('status', 'Status', 'text'),
            col('issued', 'Units issued by the end date', 'units', true),
            col('bought', 'Units bought in the dates', 'units', true),
            col('redeemedIn', 'Units redeemed in the dates', 'units', true),
            col('redeemedTo', 'Units redeemed by the end date', 'units', true),
            col('outstanding', 'Units outstanding at the end date', 'units', true),
            col('faceOutstanding', 'Face value outstanding', 'money', true)
          ],
          rows,
          rowCount: count,
          empty: 'No bond series was issued by the end date.',
          note: 'Units issued, redeemed and outstanding are as at the To date; a holding counts as redeemed on the day it was redeemed early or matured. Status is the series’ status today.',
          groupBy: null,
          breakGroups: false
        }
      ]
    }
  }
}
