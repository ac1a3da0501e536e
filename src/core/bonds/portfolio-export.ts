import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { BondSeries, Holding, Payment, Profile } from '../../shared/contract'
import { FREQUENCY_WORDS, HOLDING_STATUS_WORDS, PAYMENT_KIND_WORDS, wordsFor } from '../../shared/bond-labels'
import { countOf, formatDate } from '../../shared/words'
import { excelDate as date, money, writeTableSheet, type Column, type Row, type TableStyle } from '../platform/xlsx/table'

export interface PortfolioData {
  asOf: string
  member: { memberNo: string; fullName: string }
  holdings: (Holding & { accruedMinor: number })[]
  received: Payment[]
  upcoming: { seriesCode: string; periodStart: string; periodEnd: string; dueDate: string; grossMinor: number; taxMinor: number; netMinor: number }[]
  /** The series the holdings are in: name, rate, frequency and maturity are shown beside each holding. */
  series: Pick<BondSeries, 'id' | 'name' | 'couponRatePercent' | 'frequency' | 'maturityDate'>[]
}

export { excelDateFormat } from '../platform/xlsx/table'

export async function writePortfolioWorkbook(file: string, profile: Profile, data: PortfolioData): Promise<string> {
  const c = profile.currency
  const locale = profile.locale
  const asOf = formatDate(data.asOf, locale, 'long')
  const seriesById = new Map(data.series.map((s) => [s.id, s]))

  const wb = new ExcelJS.Workbook()
  wb.creator = profile.name
  wb.title = `Bond portfolio of ${data.member.fullName}`
  wb.subject = `As of ${asOf}`

  // Headers on one line; widths padded by 3 (a number by 6), at most 40.
  const style: TableStyle = { wrapHeaders: false, rateFormat: '0.00##', maxWidth: 40, pad: 3, numberPad: 3 }
  const sheet = (name: string, title: string, columns: Column[], rows: Row[], empty: string) =>
    writeTableSheet(wb, style, {
      name,
      organisation: profile.name,
      title,
      // The title block: what, whose, as of when, in which currency.
      heading: `${title}: ${data.member.fullName} (${data.member.memberNo})`,
      note: `As of ${asOf}. Amounts in ${c}.`,
      footer: `${data.member.fullName} (${data.member.memberNo}) · as of ${asOf}`,
      columns,
      rows,
      empty,
      currency: c,
      locale
    })

  // Each row carries the minor units of its amounts (for the exact totals and the widths).
  const withMinor = (values: unknown[], minor: Record<number, number>): Row => ({ values, minor })

  const holdingColumns: Column[] = [
    { header: 'Series', kind: 'text', width: 10 },
    { header: 'Series name', kind: 'text', width: 16 },
    { header: 'Coupon rate (%)', kind: 'rate', width: 8 },
    { header: 'Frequency', kind: 'text', width: 10 },
    { header: 'Matures', kind: 'date', width: 12 },
    { header: 'Units', kind: 'count', width: 7 },
    { header: `Principal (${c})`, kind: 'money', total: true, width: 14 },
    { header: 'Purchased', kind: 'date', width: 12 },
    { header: 'Status', kind: 'text', width: 9 },
    { header: `Accrued interest (${c})`, kind: 'money', total: true, width: 14 }
  ]
  sheet(
    'Holdings',
    'Bond holdings',
    holdingColumns,
    data.holdings.map((h) => {
      const s = seriesById.get(h.seriesId)
      if (!s) throw new RangeError(`The series of holding #${h.id} is missing from the export`)
      return withMinor(
        [
          h.seriesCode,
          s.name,
          Number(s.couponRatePercent),
          wordsFor(FREQUENCY_WORDS, s.frequency),
          date(s.maturityDate),
          h.units,
          money(h.principalMinor, c),
          date(h.purchaseDate),
          wordsFor(HOLDING_STATUS_WORDS, h.status),
          money(h.accruedMinor, c)
        ],
        { 6: h.principalMinor, 9: h.accruedMinor }
      )
    }),
    'No holdings.'
  )

  const paymentColumns = (first: Column[]): Column[] => [
    ...first,
    { header: `Gross (${c})`, kind: 'money', total: true, width: 13 },
    { header: `Tax (${c})`, kind: 'money', total: true, width: 12 },
    { header: `Net (${c})`, kind: 'money', total: true, width: 13 }
  ]
  const receivedColumns = paymentColumns([
    { header: 'Voucher', kind: 'text', width: 15 },
    { header: 'Series', kind: 'text', width: 10 },
    { header: 'Kind', kind: 'text', width: 10 },
    { header: 'Period start', kind: 'date', width: 12 },
    { header: 'Period end', kind: 'date', width: 12 },
    { header: 'Paid on', kind: 'date', width: 12 }
  ])
  sheet(
    'Coupons received',
    'Coupons and redemptions received',
    receivedColumns,
    data.received.map((p) =>
      withMinor(
        [
          p.voucherNumber ?? '',
          p.seriesCode,
          wordsFor(PAYMENT_KIND_WORDS, p.kind),
          date(p.periodStart),
          date(p.periodEnd),
          p.paidOn ? date(p.paidOn) : null,
          money(p.grossMinor, c),
          money(p.taxMinor, c),
          money(p.netMinor, c)
        ],
        { 6: p.grossMinor, 7: p.taxMinor, 8: p.netMinor }
      )
    ),
    'Nothing received yet.'
  )

  const upcomingColumns = paymentColumns([
    { header: 'Series', kind: 'text', width: 10 },
    { header: 'Period start', kind: 'date', width: 12 },
    { header: 'Period end', kind: 'date', width: 12 },
    { header: 'Due', kind: 'date', width: 12 }
  ])
  sheet(
    'Upcoming coupons',
    `Next coupons (${countOf(data.upcoming.length, { one: 'coupon', other: 'coupons' }, locale)})`,
    upcomingColumns,
    data.upcoming.map((u) =>
      withMinor(
        [u.seriesCode, date(u.periodStart), date(u.periodEnd), date(u.dueDate), money(u.grossMinor, c), money(u.taxMinor, c), money(u.netMinor, c)],
        { 4: u.grossMinor, 5: u.taxMinor, 6: u.netMinor }
      )
    ),
    'No coupons to come.'
  )

  fs.mkdirSync(path.dirname(file), { recursive: true })
  const partial = `${file}.partial`
  await wb.xlsx.writeFile(partial)
  fs.renameSync(partial, file)
  return file
}

