import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { excelDateFormat, writePortfolioWorkbook, type PortfolioData } from '../../../src/core/bonds/portfolio-export'
import type { Holding, Payment, Profile } from '../../../src/shared/contract'

const PROFILE: Profile = {
  name: 'Umoja Savings & Credit',
  address: null,
  phone: null,
  email: null,
  registrationNo: null,
  currency: 'KES',
  minorDigits: 2,
  timeZone: 'Africa/Nairobi',
  locale: 'en-KE',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z'
}

const holding = (over: Partial<Holding & { accruedMinor: number }>): Holding & { accruedMinor: number } => ({
  id: 1,
  memberId: 1,
  memberNo: 'M-1',
  memberName: 'Jane Wanjiru',
  seriesId: 7,
  seriesCode: 'UMJ-27',
  units: 10,
  principalMinor: 1_000_000,
  purchaseDate: '2026-01-16',
  status: 'active',
  redeemedOn: null,
  maturedOn: null,
  version: 1,
  accruedMinor: 3000,
  ...over
})

const payment = (over: Partial<Payment>): Payment => ({
  id: 1,
  holdingId: 1,
  kind: 'coupon',
  memberId: 1,
  memberNo: 'M-1',
  memberName: 'Jane Wanjiru',
  seriesCode: 'UMJ-27',
  memberAccountId: null,
  payeeName: null,
  payeeBank: null,
  payeeAccount: null,
  payeeReference: null,
  periodStart: '2026-01-16',
  periodEnd: '2026-02-01',
  dueDate: '2026-02-01',
  grossMinor: 5000,
  taxMinor: 750,
  netMinor: 4250,
  status: 'paid',
  preparedBy: null,
  preparedById: null,
  preparedAt: null,
  approvedById: null,
  approvedBy: 'A. Treasurer',
  approvedAt: '2026-02-01T06:00:00.000Z',
  paidOn: '2026-02-02',
  method: 'cash',
  reference: null,
  voucherNumber: 'PV-2026-000001',
  cancelReason: null,
  voidedAt: null,
  voidReason: null,
  replacesPaymentId: null,
  version: 1,
  ...over
})

const DATA: PortfolioData = {
  asOf: '2026-03-10',
  member: { memberNo: 'M-1', fullName: 'Jane Wanjiru' },
  holdings: [holding({}), holding({ id: 2, units: 1, principalMinor: 100_000, status: 'redeemed', accruedMinor: 0, purchaseDate: '2026-02-01' })],
  received: [
    payment({}),
    payment({ id: 2, kind: 'principal', grossMinor: 100_000, taxMinor: 0, netMinor: 100_000, voucherNumber: 'PV-2026-000002', paidOn: '2026-03-02' }),
    payment({ id: 3, kind: 'interest', grossMinor: 1, taxMinor: 0, netMinor: 1, voucherNumber: 'PV-2026-000003' })
  ],
  upcoming: [{ seriesCode: 'UMJ-27', periodStart: '2026-03-01', periodEnd: '2026-04-01', dueDate: '2026-04-01', grossMinor: 10_000, taxMinor: 1500, netMinor: 8500 }],
  series: [{ id: 7, name: 'Umoja Bond 2027', couponRatePercent: '12.5', frequency: 'semi-annual', maturityDate: '2027-01-01' }]
}

let dir: string
let wb: ExcelJS.Workbook
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-xlsx-'))
  const file = await writePortfolioWorkbook(path.join(dir, 'p.xlsx'), PROFILE, DATA)
  wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(file)
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const rowValues = (ws: ExcelJS.Worksheet, r: number) => (ws.getRow(r).values as unknown[]).slice(1)

describe('the portfolio workbook', () => {
  it('has a title block: the cooperative, whose portfolio, as of a date in the locale, the currency', () => {
    const ws = wb.getWorksheet('Holdings')!
    expect(ws.getCell('A1').value).toBe('Umoja Savings & Credit')
    expect(ws.getCell('A2').value).toBe('Bond holdings: Jane Wanjiru (M-1)')
    expect(ws.getCell('A3').value).toBe('As of 10 March 2026. Amounts in KES.')
  })

  it('labels codes in words and puts the currency once, in the money headers', () => {
    const ws = wb.getWorksheet('Holdings')!
    expect(rowValues(ws, 5)).toEqual([
      'Series',
      'Series name',
      'Coupon rate (%)',
      'Frequency',
      'Matures',
      'Units',
      'Principal (KES)',
      'Purchased',
      'Status',
      'Accrued interest (KES)'
    ])
    expect(rowValues(ws, 6)).toEqual(['UMJ-27', 'Umoja Bond 2027', 12.5, 'Semi-annual', new Date(Date.UTC(2027, 0, 1)), 10, 10000, new Date(Date.UTC(2026, 0, 16)), 'Active', 30])
    expect(ws.getCell('I7').value).toBe('Redeemed')
    const received = wb.getWorksheet('Coupons received')!
    expect([received.getCell('C6').value, received.getCell('C7').value, received.getCell('C8').value]).toEqual(['Coupon', 'Principal', 'Accrued interest'])
    expect(rowValues(received, 5)).toEqual(['Voucher', 'Series', 'Kind', 'Period start', 'Period end', 'Paid on', 'Gross (KES)', 'Tax (KES)', 'Net (KES)'])
    // No codes, no minor units, anywhere in the sheets.
    for (const sheet of wb.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(String(cell.value)).not.toMatch(/^(active|redeemed|coupon|principal|interest|semi-annual)$|[Mm]inor/)
        })
      )
    }
  })

  it('writes money as numbers with the currency decimals, dates as dates in a locale format, and totals every money column', () => {
    const ws = wb.getWorksheet('Coupons received')!
    expect(ws.getCell('G6').value).toBe(50)
    expect(ws.getCell('G6').numFmt).toBe('#,##0.00')
    expect(ws.getCell('D6').value).toEqual(new Date(Date.UTC(2026, 0, 16)))
    expect(ws.getCell('D6').numFmt).toBe('d mmm yyyy')
    const total = ws.getRow(9)
    expect(total.getCell(1).value).toBe('Total')
    expect(total.getCell(7).value).toEqual({ formula: 'SUM(G6:G8)', result: 1050.01 })
    expect(total.getCell(8).value).toEqual({ formula: 'SUM(H6:H8)', result: 7.5 })
    expect(total.getCell(9).value).toEqual({ formula: 'SUM(I6:I8)', result: 1042.51 })
    expect(total.getCell(9).numFmt).toBe('#,##0.00')
    expect(total.font?.bold ?? total.getCell(1).font?.bold).toBe(true)
    const holdings = wb.getWorksheet('Holdings')!
    expect(holdings.getCell('G8').value).toEqual({ formula: 'SUM(G6:G7)', result: 11000 })
    expect(holdings.getCell('J8').value).toEqual({ formula: 'SUM(J6:J7)', result: 30 })
    expect(holdings.getCell('F6').numFmt).toBe('#,##0')
  })

  it('aligns each header with its data: numbers and dates right, text left', () => {
    const ws = wb.getWorksheet('Coupons received')!
    for (const col of ['D', 'E', 'F', 'G', 'H', 'I']) {
      expect(ws.getCell(`${col}5`).alignment?.horizontal, col).toBe('right')
      expect(ws.getCell(`${col}6`).alignment?.horizontal, col).toBe('right')
    }
    for (const col of ['A', 'B', 'C']) {
      expect(ws.getCell(`${col}5`).alignment?.horizontal, col).toBe('left')
      expect(ws.getCell(`${col}6`).alignment?.horizontal, col).toBe('left')
    }
  })

  it('prints fitted to the page width, landscape when wide, the header row on every page, with a title; the header is frozen', () => {
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup).toMatchObject({ fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9, printTitlesRow: '5:5' })
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 })
      expect(ws.headerFooter.oddHeader).toContain('Umoja Savings && Credit')
      expect(ws.headerFooter.oddFooter).toContain('Page &P of &N')
    }
    expect(wb.getWorksheet('Holdings')!.pageSetup.orientation).toBe('landscape')
    expect(wb.getWorksheet('Coupons received')!.pageSetup.orientation).toBe('landscape')
    expect(wb.getWorksheet('Upcoming coupons')!.pageSetup.orientation).toBe('landscape')
  })

  it('says so when a table is empty, with no totals row', async () => {
    const file = await writePortfolioWorkbook(path.join(dir, 'empty.xlsx'), PROFILE, { ...DATA, received: [], upcoming: [] })
    const empty = new ExcelJS.Workbook()
    await empty.xlsx.readFile(file)
    const ws = empty.getWorksheet('Coupons received')!
    expect(ws.getCell('A6').value).toBe('Nothing received yet.')
    expect(ws.getRow(7).getCell(1).value).toBeNull()
  })
})

describe('excelDateFormat: the locale medium date as an Excel format', () => {
  it.each([
    ['en-KE', 'd mmm yyyy'],
    ['en-GB', 'd mmm yyyy'],
    ['en-US', 'mmm d, yyyy'],
    ['de-DE', 'dd.mm.yyyy'],
    ['fr-FR', 'd mmm yyyy']
  ])('%s → %s', (locale, fmt) => {
    expect(excelDateFormat(locale)).toBe(fmt)
  })
})
