/**
 * Payment register: every payment paid in the dates (by the day it was paid),
 * in paid date then voucher order, with its payee, what it is, gross, tax,
 * net, method and reference. One query, streamed (`.iterate()`, raw rows):
 * no query per row, so 100,000 payments stream in well under a second.
 */
import type { ReportParams } from '../../../shared/contract'
import { PAYMENT_KIND_WORDS, PAYMENT_METHOD_WORDS, wordsFor } from '../../../shared/bond-labels'
import { invalid } from '../../platform/errors'
import { col, row, type ReportDefinition, type ReportRow, type ReportSource } from '../model'
import { memberOf, rangeParameters, rangeWords } from './common'

/** A bond series by id, or a field error next to the series box. Shared by the bond reports. */
export function seriesOf(src: ReportSource, seriesId: number): { id: number; code: string; name: string } {
  const s = src.sqlite.prepare('SELECT id, code, name FROM bond_series WHERE id = ?').get(seriesId) as
    | { id: number; code: string; name: string }
    | undefined
  if (!s) throw invalid('That bond series is not in the book.', { seriesId: 'There is no such series' })
  return s
}

/** The member and series a bond report is limited to (checked: a field error for one that is not there), for the subtitle and parameters. */
export function bondFilters(
  src: ReportSource,
  p: ReportParams
): { subtitle: string; parameters: Array<{ label: string; value: string }> } {
  const parameters = rangeParameters(src, p)
  const parts = [rangeWords(src, p)]
  if (p.memberId !== undefined) {
    const m = memberOf(src, p.memberId)
    parameters.push({ label: 'Member', value: `${m.memberNo} ${m.fullName}` })
    parts.push(`${m.memberNo} ${m.fullName}`)
  }
  if (p.seriesId !== undefined) {
    const s = seriesOf(src, p.seriesId)
    parameters.push({ label: 'Series', value: `${s.code} ${s.name}` })
    parts.push(`Series ${s.code}`)
  }
  return { subtitle: parts.join(' · '), parameters }
}

/** What a paid payment is, in words: "Coupon, UMJ-27", "Standing order from M-1 Jane Wanjiru". */
export function paymentWhat(kind: string, seriesCode: string | null, memberNo: string, memberName: string): string {
  const words = wordsFor(PAYMENT_KIND_WORDS, kind)
  if (kind === 'standing-order') return `${words} from ${memberNo} ${memberName}`
  return seriesCode === null ? words : `${words}, ${seriesCode}`
}

/** The filters of a payments query over paid payments (alias p, holdings h). */
export function paidWhere(p: ReportParams): { where: string; args: Array<string | number> } {
  const where = ["p.status = 'paid'", 'p.paid_on >= ?', 'p.paid_on <= ?']
  const args: Array<string | number> = [p.from, p.to]
  if (p.memberId !== undefined) {
    where.push('p.member_id = ?')
    args.push(p.memberId)
  }
  if (p.seriesId !== undefined) {
    where.push('h.series_id = ?')
    args.push(p.seriesId)
  }
  return { where: where.join(' AND '), args }
}

type Raw = [
  paidOn: string,
  voucher: string | null,
  memberNo: string,
  memberName: string,
  kind: string,
  seriesCode: string | null,
  payeeName: string | null,
  payeeBank: string | null,
  payeeAccount: string | null,
  gross: number,
  tax: number,
  net: number,
  method: string | null,
  reference: string | null
]

export const paymentRegister: ReportDefinition = {
  name: 'payment-register',
  build(src, p) {
    const { subtitle, parameters } = bondFilters(src, p)
    const { where, args } = paidWhere(p)
    const from = `FROM bond_payments p
      JOIN members m ON m.id = p.member_id
      LEFT JOIN bond_holdings h ON h.id = p.holding_id
      LEFT JOIN bond_series s ON s.id = h.series_id
      LEFT JOIN vouchers v ON v.payment_id = p.id
     WHERE ${where}`
    const count = src.sqlite.prepare(`SELECT count(*) ${from}`).pluck().get(...args) as number
    const list = src.sqlite
      .prepare(
        `SELECT p.paid_on, v.number, m.member_no, m.full_name, p.kind, s.code, p.payee_name, p.payee_bank, p.payee_account,
                p.gross_minor, p.tax_minor, p.net_minor, p.method, p.reference
           ${from}
          ORDER BY p.paid_on, v.year, v.seq, p.id`
      )
      .raw(true)
    // Words looked up once per code, not per row.
    const methodWords = new Map<string, string>()
    const methodOf = (m: string | null): string | null => {
      if (m === null) return null
      let w = methodWords.get(m)
      if (w === undefined) methodWords.set(m, (w = wordsFor(PAYMENT_METHOD_WORDS, m)))
      return w
    }
    function* rows(): Generator<ReportRow> {
      for (const r of list.iterate(...args) as IterableIterator<Raw>) {
        const [paidOn, voucher, memberNo, memberName, kind, seriesCode, payeeName, payeeBank, payeeAccount, gross, tax, net, method, reference] = r
        const payee = payeeName === null ? `${memberNo} ${memberName}` : `${payeeName} (${payeeBank ?? ''} ${payeeAccount ?? ''})`
        yield row([paidOn, voucher, payee, paymentWhat(kind, seriesCode, memberNo, memberName), gross, tax, net, methodOf(method), reference])
      }
    }
    return {
      name: 'payment-register',
      title: 'Payment register',
      subtitle,
      parameters,
      profile: src.profile,
      landscape: true,
      tables: [
        {
          key: 'payments',
          title: 'Payments',
          columns: [
            col('paidOn', 'Paid on', 'date'),
            col('voucher', 'Voucher', 'text'),
            col('payee', 'Payee', 'text'),
            col('what', 'What', 'text'),
            col('gross', 'Gross', 'money', true),
            col('tax', 'Tax withheld', 'money', true),
            col('net', 'Net', 'money', true),
            col('method', 'Method', 'text'),
            col('reference', 'Reference', 'text')
          ],
          rows,
          rowCount: count,
          empty: 'No payments were paid in these dates.',
          note: null,
          groupBy: null,
          breakGroups: false
        }
      ]
    }
  }
}
