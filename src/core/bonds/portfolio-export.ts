import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { Holding, Payment, Profile } from '../../shared/contract'
import { currencyMinorDigits, minorToDecimalString } from '../../shared/money'

export interface PortfolioData {
  asOf: string
  member: { memberNo: string; fullName: string }
  holdings: (Holding & { accruedMinor: number })[]
  received: Payment[]
  upcoming: { seriesCode: string; periodStart: string; periodEnd: string; dueDate: string; grossMinor: number; taxMinor: number; netMinor: number }[]
}

/**
 * Excel stores numbers as binary doubles: amounts are written from their
 * exact decimal text (never computed in floating point) and shown with the
 * currency's decimal places.
 */
const money = (minor: number, currency: string): number => Number(minorToDecimalString(minor, currency))
const date = (iso: string): Date => new Date(`${iso}T00:00:00Z`)

export async function writePortfolioWorkbook(file: string, profile: Profile, data: PortfolioData): Promise<string> {
  const digits = currencyMinorDigits(profile.currency)
  const numFmt = digits === 0 ? '#,##0' : `#,##0.${'0'.repeat(digits)}`
  const wb = new ExcelJS.Workbook()
  wb.creator = profile.name
  wb.title = `Bond portfolio of ${data.member.fullName}`
  const head = (ws: ExcelJS.Worksheet, title: string) => {
    ws.addRow([profile.name]).font = { bold: true, size: 13 }
    ws.addRow([`${title}: ${data.member.fullName} (${data.member.memberNo})`]).font = { bold: true }
    ws.addRow([`As of ${data.asOf}; amounts in ${profile.currency}`])
    ws.addRow([])
  }
  const table = (ws: ExcelJS.Worksheet, columns: { header: string; width: number; money?: boolean; date?: boolean }[], rows: unknown[][]) => {
    const header = ws.addRow(columns.map((c) => c.header))
    header.font = { bold: true }
    header.eachCell((c) => (c.border = { bottom: { style: 'thin' } }))
    columns.forEach((c, i) => {
      const col = ws.getColumn(i + 1)
      col.width = c.width
      if (c.money) col.numFmt = numFmt
      if (c.date) col.numFmt = 'yyyy-mm-dd'
    })
    for (const r of rows) ws.addRow(r)
    ws.views = [{ state: 'frozen', ySplit: 5 }]
  }
  const c = profile.currency

  const holdings = wb.addWorksheet('Holdings')
  head(holdings, 'Bond holdings')
  table(
    holdings,
    [
      { header: 'Series', width: 14 },
      { header: 'Units', width: 8 },
      { header: 'Principal', width: 16, money: true },
      { header: 'Purchased', width: 12, date: true },
      { header: 'Status', width: 10 },
      { header: 'Accrued interest', width: 16, money: true }
    ],
    data.holdings.map((h) => [h.seriesCode, h.units, money(h.principalMinor, c), date(h.purchaseDate), h.status, money(h.accruedMinor, c)])
  )

  const received = wb.addWorksheet('Coupons received')
  head(received, 'Coupons and redemptions received')
  table(
    received,
    [
      { header: 'Voucher', width: 18 },
      { header: 'Series', width: 14 },
      { header: 'Kind', width: 10 },
      { header: 'Period start', width: 12, date: true },
      { header: 'Period end', width: 12, date: true },
      { header: 'Paid on', width: 12, date: true },
      { header: 'Gross', width: 14, money: true },
      { header: 'Tax', width: 14, money: true },
      { header: 'Net', width: 14, money: true }
    ],
    data.received.map((p) => [
      p.voucherNumber ?? '',
      p.seriesCode,
      p.kind,
      date(p.periodStart),
      date(p.periodEnd),
      p.paidOn ? date(p.paidOn) : null,
      money(p.grossMinor, c),
      money(p.taxMinor, c),
      money(p.netMinor, c)
    ])
  )
  const totalRow = received.addRow([
    'Total',
    '',
    '',
    '',
    '',
    '',
    money(data.received.reduce((a, p) => a + p.grossMinor, 0), c),
    money(data.received.reduce((a, p) => a + p.taxMinor, 0), c),
    money(data.received.reduce((a, p) => a + p.netMinor, 0), c)
  ])
  totalRow.font = { bold: true }

  const upcoming = wb.addWorksheet('Upcoming coupons')
  head(upcoming, 'Next coupons')
  table(
    upcoming,
    [
      { header: 'Series', width: 14 },
      { header: 'Period start', width: 12, date: true },
      { header: 'Period end', width: 12, date: true },
      { header: 'Due', width: 12, date: true },
      { header: 'Gross', width: 14, money: true },
      { header: 'Tax', width: 14, money: true },
      { header: 'Net', width: 14, money: true }
    ],
    data.upcoming.map((u) => [u.seriesCode, date(u.periodStart), date(u.periodEnd), date(u.dueDate), money(u.grossMinor, c), money(u.taxMinor, c), money(u.netMinor, c)])
  )

  fs.mkdirSync(path.dirname(file), { recursive: true })
  const partial = `${file}.partial`
  await wb.xlsx.writeFile(partial)
  fs.renameSync(partial, file)
  return file
}
