/**
 * Member portfolio: for one member, or every active member (a group each,
 * each starting a new page on paper), the bond holdings held at the end
 * date with their face value and interest accrued then, and the coupons
 * paid on each in the dates (gross, tax, net). A holding redeemed or matured
 * in the dates still shows, with the coupons it was paid, but no units or
 * face value: it was not held at the end date.
 *
 * The bonds service's memberPortfolio is as of today; this is as of any
 * date, so it uses the same pieces (accruedAmount over the series'
 * schedules, through accrualAt) rather than that method. One streamed
 * query; terms and schedules are read before it opens.
 */
import { HOLDING_STATUS_WORDS } from '../../../shared/bond-labels'
import { col, row, type ReportDefinition, type ReportRow } from '../model'
import { accrualAt, INTEREST_KINDS } from './coupon-liability'
import { bondFilters } from './payment-register'
import { percentOf } from './series-register'

type Raw = [
  memberNo: string,
  memberName: string,
  seriesId: number,
  seriesCode: string,
  seriesName: string,
  couponRate: string,
  maturityDate: string,
  units: number,
  faceValueMinor: number,
  purchaseDate: string,
  redeemedOn: string | null,
  maturedOn: string | null,
  gross: number,
  tax: number,
  net: number
]

export const portfolio: ReportDefinition = {
  name: 'portfolio',
  build(src, p) {
    const { subtitle, parameters } = bondFilters(src, p)
    const args = { from: p.from, to: p.to, ...(p.memberId === undefined ? {} : { memberId: p.memberId }), ...(p.seriesId === undefined ? {} : { seriesId: p.seriesId }) }
    const filters = [
      p.memberId === undefined ? 'm.active = 1' : 'h.member_id = @memberId',
      ...(p.seriesId === undefined ? [] : ['h.series_id = @seriesId'])
    ].join(' AND ')
    const body = `FROM bond_holdings h
        JOIN bond_series s ON s.id = h.series_id
        JOIN members m ON m.id = h.member_id
        LEFT JOIN (SELECT p.holding_id, sum(p.gross_minor) AS gross, sum(p.tax_minor) AS tax, sum(p.net_minor) AS net
                     FROM bond_payments p
                    WHERE p.holding_id IS NOT NULL AND p.status = 'paid' AND p.kind IN ${INTEREST_KINDS} AND p.paid_on BETWEEN @from AND @to
                    GROUP BY p.holding_id) c ON c.holding_id = h.id
       WHERE ${filters} AND h.purchase_date <= @to
         AND (coalesce(h.redeemed_on, h.matured_on) IS NULL OR coalesce(h.redeemed_on, h.matured_on) > @to OR c.gross IS NOT NULL)`
    const count = src.sqlite.prepare(`SELECT count(*) ${body}`).pluck().get(args) as number
    const list = src.sqlite
      .prepare(
        `SELECT m.member_no, m.full_name, h.series_id, s.code, s.name, s.coupon_rate, s.maturity_date, h.units, s.face_value_minor,
                h.purchase_date, h.redeemed_on, h.matured_on, coalesce(c.gross, 0), coalesce(c.tax, 0), coalesce(c.net, 0)
           ${body}
          ORDER BY m.sort_name, m.full_name COLLATE NOCASE, m.id, s.maturity_date, s.code COLLATE NOCASE, h.id`
      )
      .raw(true)
    function* rows(): Generator<ReportRow> {
      const accrued = accrualAt(src)
      for (const r of list.iterate(args) as IterableIterator<Raw>) {
        const [memberNo, memberName, seriesId, code, name, rate, maturity, units, face, purchaseDate, redeemedOn, maturedOn, gross, tax, net] = r
        const endedOn = redeemedOn ?? maturedOn
        const held = endedOn === null || endedOn > p.to
        const status = held ? HOLDING_STATUS_WORDS.active : redeemedOn !== null ? HOLDING_STATUS_WORDS.redeemed : HOLDING_STATUS_WORDS.matured
        yield row([
          `${memberNo} ${memberName}`,
          code,
          name,
          percentOf(rate),
          maturity,
          held ? units : null,
          held ? units * face : null,
          status,
          held ? accrued(seriesId, units, purchaseDate, p.to).accruedMinor : 0,
          gross,
          tax,
          net
        ])
      }
    }
    const one = p.memberId !== undefined
    return {
      name: 'portfolio',
      title: 'Member portfolio',
      subtitle,
      parameters,
      profile: src.profile,
      landscape: true,
      tables: [
        {
          key: 'holdings',
          title: 'Bond holdings',
          columns: [
            col('member', 'Member', 'text'),
            col('series', 'Series', 'text'),
            col('seriesName', 'Series name', 'text'),
            col('couponRate', 'Coupon rate', 'percent'),
            col('maturity', 'Matures', 'date'),
            col('units', 'Units', 'units', true),
            col('face', 'Face value', 'money', true),
            col('status', 'Status at the end date', 'text'),
            col('accrued', 'Accrued interest', 'money', true),
            col('gross', 'Coupons paid, gross', 'money', true),
            col('tax', 'Tax withheld', 'money', true),
            col('net', 'Coupons paid, net', 'money', true)
          ],
          rows,
          rowCount: count,
          empty: one ? 'This member held no bonds at the end date and was paid no coupons in the dates.' : 'No active member held bonds at the end date or was paid coupons in the dates.',
          note: 'Units, face value and accrued interest as at the To date; coupons (and redemption interest) paid in the dates.',
          groupBy: 0,
          breakGroups: !one
        }
      ]
    }
  }
}
