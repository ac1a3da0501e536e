/**
 * Withholding tax: the tax withheld from the interest paid to holders
 * (coupons, and the interest accrued to an early redemption) in the dates,
 * by the month it was paid and by member. With `certificates` (PDF only,
 * the service allows nothing else; a whole calendar year, else refused next
 * to From) the document also carries every such payment of each member who
 * had tax withheld (or of the member chosen), and its PDF is one
 * certificate per member (certificates-pdf.ts) printed from those rows, so
 * the data fingerprint covers what the certificates say.
 */
import { parseCalendarDate } from '../../../shared/dates'
import { invalid } from '../../platform/errors'
import { col, row, type ReportDefinition, type ReportRow, type ReportTable } from '../model'
import { writeCertificates } from '../certificates-pdf'
import { fingerprintDocumentWithRows } from '../fingerprint'
import { dateWords, printLocaleOf } from './common'
import { INTEREST_KINDS } from './coupon-liability'
import { bondFilters, paymentWhat } from './payment-register'

/** The columns of the certificates' table, in order (certificates-pdf.ts reads the cells by these positions). */
export const CERTIFICATE_COLUMNS = [
  col('memberNo', 'Member no.', 'text'),
  col('name', 'Name', 'text'),
  col('idNumber', 'ID number', 'text'),
  col('address', 'Address', 'text'),
  col('paidOn', 'Paid on', 'date'),
  col('voucher', 'Voucher', 'text'),
  col('what', 'What', 'text'),
  col('gross', 'Gross', 'money', true),
  col('tax', 'Tax withheld', 'money', true),
  col('net', 'Net', 'money', true)
]

/** The calendar year [from, to] is exactly, or null. */
function wholeYear(from: string, to: string): number | null {
  const y = parseCalendarDate(from).year
  return from === `${String(y).padStart(4, '0')}-01-01` && to === `${String(y).padStart(4, '0')}-12-31` ? y : null
}

export const withholdingTax: ReportDefinition = {
  name: 'withholding-tax',
  build(src, p) {
    const year = p.certificates === true ? wholeYear(p.from, p.to) : null
    if (p.certificates === true && year === null) {
      throw invalid('Certificates are for one whole calendar year: from 1 January to 31 December of the same year.', {
        from: 'Certificates need a whole calendar year (1 January to 31 December)'
      })
    }
    const { subtitle, parameters } = bondFilters(src, p)
    const byMember = p.memberId === undefined ? '' : ' AND p.member_id = @memberId'
    const args = { from: p.from, to: p.to, ...(p.memberId === undefined ? {} : { memberId: p.memberId }) }
    const paid = `FROM bond_payments p
       WHERE p.status = 'paid' AND p.holding_id IS NOT NULL AND p.kind IN ${INTEREST_KINDS} AND p.paid_on BETWEEN @from AND @to${byMember}`
    const sums = 'count(*), sum(p.gross_minor), sum(p.tax_minor), sum(p.net_minor)'

    const monthCount = src.sqlite.prepare(`SELECT count(DISTINCT substr(p.paid_on, 1, 7)) ${paid}`).pluck().get(args) as number
    const months = src.sqlite.prepare(`SELECT substr(p.paid_on, 1, 7) AS month, ${sums} ${paid} GROUP BY month ORDER BY month`).raw(true)
    const monthName = new Intl.DateTimeFormat(printLocaleOf(src), { month: 'long', year: 'numeric', timeZone: 'UTC' })
    function* monthRows(): Generator<ReportRow> {
      for (const [month, n, gross, tax, net] of months.all(args) as [string, number, number, number, number][]) {
        const { year: y, month: m } = parseCalendarDate(`${month}-01`)
        yield row([monthName.format(Date.UTC(y, m - 1, 1)), n, gross, tax, net])
      }
    }

    const memberCount = src.sqlite.prepare(`SELECT count(DISTINCT p.member_id) ${paid}`).pluck().get(args) as number
    const members = src.sqlite
      .prepare(
        `SELECT m.member_no, m.full_name, m.national_id, ${sums}
           FROM members m JOIN (SELECT p.* ${paid}) p ON p.member_id = m.id
          GROUP BY m.id ORDER BY m.sort_name, m.full_name COLLATE NOCASE, m.id`
      )
      .raw(true)
    function* memberRows(): Generator<ReportRow> {
      for (const r of members.iterate(args) as IterableIterator<[string, string, string | null, number, number, number, number]>) yield row(r)
    }

    const tables: ReportTable[] = [
      {
        key: 'by-month',
        title: 'By month',
        columns: [
          col('month', 'Month', 'text'),
          col('payments', 'Payments', 'count', true),
          col('gross', 'Gross', 'money', true),
          col('tax', 'Tax withheld', 'money', true),
          col('net', 'Net', 'money', true)
        ],
        rows: monthRows,
        rowCount: monthCount,
        empty: 'No interest was paid in these dates.',
        note: 'Coupons and redemption interest paid in the dates, by the month they were paid.',
        groupBy: null,
        breakGroups: false
      },
      {
        key: 'by-member',
        title: 'By member',
        columns: [
          col('memberNo', 'Member no.', 'text'),
          col('name', 'Name', 'text'),
          col('idNumber', 'ID number', 'text'),
          col('payments', 'Payments', 'count', true),
          col('gross', 'Gross', 'money', true),
          col('tax', 'Tax withheld', 'money', true),
          col('net', 'Net', 'money', true)
        ],
        rows: memberRows,
        rowCount: memberCount,
        empty: 'No interest was paid to a member in these dates.',
        note: null,
        groupBy: null,
        breakGroups: false
      }
    ]
    const doc = { name: 'withholding-tax' as const, title: 'Withholding tax', subtitle, parameters, profile: src.profile, landscape: false, tables }
    if (year === null) return doc

    // Certificates: each member who had tax withheld in the year (or the one chosen), every interest payment of theirs.
    const holders = src.sqlite
      .prepare(
        `SELECT m.id, m.member_no, m.full_name, m.national_id, m.address
           FROM members m JOIN (SELECT p.member_id, sum(p.tax_minor) AS tax ${paid} GROUP BY p.member_id) t ON t.member_id = m.id
          WHERE t.tax > 0
          ORDER BY m.sort_name, m.full_name COLLATE NOCASE, m.id`
      )
      .raw(true)
    const holderList = holders.all(args) as [number, string, string, string | null, string | null][]
    if (holderList.length === 0) {
      throw p.memberId !== undefined
        ? invalid(`No tax was withheld from this member in ${year}: there is no certificate to print.`, {
            memberId: `No tax was withheld from this member in ${year}`
          })
        : invalid(`No tax was withheld from any member in ${year}: there are no certificates to print.`, {
            from: `No tax was withheld in ${year}`
          })
    }
    const paymentsOf = src.sqlite
      .prepare(
        `SELECT p.paid_on, v.number, p.kind, s.code, p.gross_minor, p.tax_minor, p.net_minor
           FROM bond_payments p
           LEFT JOIN vouchers v ON v.payment_id = p.id
           LEFT JOIN bond_holdings h ON h.id = p.holding_id
           LEFT JOIN bond_series s ON s.id = h.series_id
          WHERE p.member_id = @member AND p.status = 'paid' AND p.holding_id IS NOT NULL AND p.kind IN ${INTEREST_KINDS}
            AND p.paid_on BETWEEN @from AND @to
          ORDER BY p.paid_on, v.year, v.seq, p.id`
      )
      .raw(true)
    const paymentCount = src.sqlite
      .prepare(`SELECT count(*) ${paid} AND p.member_id IN (SELECT p.member_id ${paid} GROUP BY p.member_id HAVING sum(p.tax_minor) > 0)`)
      .pluck()
      .get(args) as number
    function* certificateRows(): Generator<ReportRow> {
      // One member's payments at a time, read whole (.all()): no statement stays open between the rows handed out.
      for (const [id, memberNo, name, idNumber, address] of holders.all(args) as [number, string, string, string | null, string | null][]) {
        for (const [paidOn, voucher, kind, code, gross, tax, net] of paymentsOf.all({ member: id, from: p.from, to: p.to }) as [
          string,
          string | null,
          string,
          string | null,
          number,
          number,
          number
        ][]) {
          yield row([memberNo, name, idNumber, address, paidOn, voucher, paymentWhat(kind, code, memberNo, name), gross, tax, net])
        }
      }
    }
    const certificates: ReportTable = {
      key: 'certificates',
      title: 'Certificates',
      columns: CERTIFICATE_COLUMNS,
      rows: certificateRows,
      rowCount: paymentCount,
      empty: `No tax was withheld from any member in ${year}.`,
      note: 'Every interest payment of each member who had tax withheld in the year: one certificate each.',
      groupBy: 0,
      breakGroups: true
    }
    const preparedOn = dateWords(src, src.today)
    const whole = { ...doc, tables: [...tables, certificates] }
    return {
      ...whole,
      customPdf: (file, opts) =>
        writeCertificates(file, opts, {
          profile: src.profile,
          year,
          preparedOn,
          members: holderList.length,
          rows: () => certificateRows(),
          // Printed on each certificate: the report's data fingerprint (all its tables, as on screen).
          fingerprint: () => fingerprintDocumentWithRows(whole).fingerprint
        })
    }
  }
}
