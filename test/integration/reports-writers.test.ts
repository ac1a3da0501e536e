/**
 * The report writers (src/core/reports/xlsx.ts, pdf.ts) and the data
 * fingerprint (fingerprint.ts) on a synthetic report (test/support/
 * reports-doc.ts): a register of payments with half-units and names in
 * Arabic, Chinese and Devanagari, a table grouped by member with counts and
 * percentages, and an empty table. Workbooks are read back as LibreOffice
 * shows them (every sheet to CSV, as displayed) and with exceljs (frozen
 * header, print titles, properties); PDFs with pdftotext and qpdf --check.
 * Also: a 0-decimal currency, an abort mid-write leaves no file and no
 * .partial, a bad cell is refused, and one fingerprint for screen, Excel and
 * PDF. No clock: `now` is given.
 *
 * The Excel writer's data rows are rendered by xlsx-rows.ts, not exceljs:
 * the same document written that way and through exceljs' own rows
 * (`exceljsRows`) gives the same workbook (every file in it, every cell read
 * back, LibreOffice's view), and the sheet XML is well-formed even for text
 * with control characters, markup characters, emoji and Arabic.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { SaxesParser } from 'saxes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatMoney } from '../../src/shared/money'
import { DataFingerprint, fingerprintDocument, sheetNames } from '../../src/core/reports/fingerprint'
import { writeReportPdf } from '../../src/core/reports/pdf'
import { writeReportXlsx } from '../../src/core/reports/xlsx'
import { MoneyText, SheetRows } from '../../src/core/reports/xlsx-rows'
import type { ReportDocument, ReportRow, ReportTable } from '../../src/core/reports/model'
import { col, row } from '../../src/core/reports/model'
import { NAMES, paymentCells, paymentTotals, syntheticDocument, testProfile } from '../support/reports-doc'
import { pdfPages, pdfText, qpdfCheck as qpdfStatus, workbooksAsShown } from '../support/reports-files'

const FONTS_DIR = path.resolve(__dirname, '../../resources/fonts')
const NOW = new Date('2026-02-01T06:30:00.000Z')
const ROWS = 300

let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-report-writers-'))
})
afterAll(() => {
  if (!process.env.KEEP_REPORT_DOCS) fs.rmSync(dir, { recursive: true, force: true })
})

const never = (): AbortSignal => new AbortController().signal
const flat = (s: string): string => s.replace(/\s+/gu, ' ').trim()
/** As LibreOffice (en-US) shows an amount formatted '#,##0.00' (or '#,##0' for 0 decimals). */
const shown = (minor: bigint | number, currency: string): string => formatMoney(minor, currency, 'en-US', { display: 'none' })

/** Every sheet of a workbook as LibreOffice displays it, by sheet name. */
function sheetsAsShown(file: string): Map<string, string[][]> {
  return workbooksAsShown([file], fs.mkdtempSync(path.join(dir, 'csv-'))).get(file) ?? new Map()
}

function qpdfCheck(file: string): void {
  const r = qpdfStatus(file)
  expect(r.status, r.output).toBe(0)
}

function leftovers(file: string): string[] {
  return fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith(path.basename(file)))
}

describe('the Excel writer', () => {
  let file: string
  let result: { rows: number; fingerprint: string }
  let sheets: Map<string, string[][]>
  const doc = syntheticDocument({ rows: ROWS })
  beforeAll(async () => {
    file = path.join(dir, 'register.xlsx')
    result = await writeReportXlsx(file, doc, { now: NOW, madeBy: 'Jane Treasurer', signal: never(), progress: () => undefined })
    sheets = sheetsAsShown(file)
  }, 120_000)

  it('writes one sheet per table and an About sheet, each under its table title', () => {
    expect([...sheets.keys()].sort()).toEqual(['About', 'By member', 'Payments', 'Redemptions'])
    expect(result.rows).toBe(ROWS + 20)
    expect(fs.existsSync(`${file}.partial`)).toBe(false)
  })

  it('has the title block, the header row, every row as shown and the exact totals', () => {
    const p = sheets.get('Payments') as string[][]
    expect(p[0]?.[0]).toBe('Umoja Savings & Credit Cooperative')
    expect(p[1]?.[0]).toBe('Payment register — Payments')
    expect(p[2]?.[0]).toBe('1 Jan 2026 – 31 Dec 2026')
    expect(p[5]).toEqual(['Paid on', 'Voucher', 'Payee', 'What', 'Gross', 'Tax withheld', 'Net', 'Method', 'Reference'])
    for (let i = 0; i < ROWS; i++) {
      const c = paymentCells(i)
      const r = p[6 + i] as string[]
      const [y, m, d] = c[0].split('-').map(Number) as [number, number, number]
      const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]
      expect(r).toEqual([`${d} ${month} ${y}`, c[1], c[2], c[3], shown(c[4], 'KES'), shown(c[5], 'KES'), shown(c[6], 'KES'), c[7], c[8] ?? ''])
    }
    // Half-units kept exactly: 1,000.50 (not 1000.5), and the names in their scripts.
    expect(p[6]?.[4]).toBe('1,000.50')
    const payees = p.slice(6, 12).map((r) => r[2])
    expect(payees).toEqual(expect.arrayContaining(['M-0001 محمد عبد الله', 'M-0002 王小明', 'M-0003 सुनीता शर्मा', 'M-0004 Zoë Müller-Lüdenscheidt']))
    const totals = paymentTotals(ROWS)
    expect(p[6 + ROWS]).toEqual(['Total', '', '', '', shown(totals.gross, 'KES'), shown(totals.tax, 'KES'), shown(totals.net, 'KES'), '', ''])
  })

  it('writes group headings, counts, percentages and a totals row of counts and money', () => {
    const g = sheets.get('By member') as string[][]
    expect(g[3]?.[0]).toBe('Each member’s coupons, in the order paid.')
    expect(g[5]).toEqual(['Member', 'Paid on', 'Payments', 'Amount', 'Rate'])
    expect(g[6]).toEqual(['M-0001 Jane Wanjiru', '', '', '', ''])
    expect(g[7]).toEqual(['M-0001 Jane Wanjiru', '1 Mar 2026', '1', '10.00', '12.50%'])
    expect(g[9]).toEqual(['M-0001 Jane Wanjiru', '3 Mar 2026', '3', '10.02', '0.25%'])
    expect(g[12]).toEqual(['M-0002 محمد عبد الله', '', '', '', ''])
    // 4 members × 5 rows + 4 headings; totals: 4 × (1+…+5) payments, 4 × 5 amounts.
    const last = g.filter((r) => r.some((c) => c !== '')).at(-1)
    expect(last).toEqual(['Total', '', '60', '500.40', ''])
  })

  it('says the empty sentence in place of an empty table, with no totals row', () => {
    const e = (sheets.get('Redemptions') as string[][]).filter((r) => r.some((c) => c !== ''))
    expect(e.at(-2)).toEqual(['Paid on', 'Amount'])
    expect(e.at(-1)).toEqual(['No redemptions were paid in these dates.', ''])
  })

  it('says on the About sheet what was asked, when, by whom, the rows and the data fingerprint', () => {
    const a = new Map((sheets.get('About') as string[][]).filter((r) => r[0] !== '').map((r) => [r[0], r[1]]))
    expect(a.get('Report')).toBe('Payment register')
    expect(a.get('From')).toBe('1 Jan 2026')
    expect(a.get('To')).toBe('31 Dec 2026')
    expect(a.get('Made at')).toBe('1 Feb 2026, 09:30 (Africa/Nairobi)')
    expect(a.get('Made by')).toBe('Jane Treasurer')
    expect(a.get('Rows')).toBe('320')
    expect(a.get('Data fingerprint')).toBe(result.fingerprint)
  })

  it('freezes and repeats the header row on print, fits to width, landscape; properties say Coffer and now', async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    expect(wb.creator).toBe('Coffer')
    expect(wb.title).toBe('Payment register')
    expect(wb.created.toISOString()).toBe(NOW.toISOString())
    const ws = wb.getWorksheet('Payments') as ExcelJS.Worksheet
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 6 })
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '6:6' })
    // Real numbers and dates, with the currency's format.
    expect(ws.getCell('E7').value).toBe(1000.5)
    expect(ws.getCell('E7').numFmt).toBe('#,##0.00')
    expect(ws.getCell('A7').value).toEqual(new Date(Date.UTC(2026, 0, 1)))
    expect(ws.getCell(`E${7 + ROWS}`).value).toMatchObject({ formula: `SUM(E7:E${6 + ROWS})`, result: 1529748 })
    expect(ws.getCell(`E${7 + ROWS}`).font?.bold).toBe(true)
    const g = wb.getWorksheet('By member') as ExcelJS.Worksheet
    expect(g.getCell('E8').value).toBe(0.125)
    expect(g.getCell('C8').numFmt).toBe('#,##0')
  })

  it('writes a currency without decimals (JPY) as whole numbers', async () => {
    const jpy = syntheticDocument({ rows: 50, currency: 'JPY', onlyPayments: true })
    const f = path.join(dir, 'jpy.xlsx')
    await writeReportXlsx(f, jpy, { now: NOW, madeBy: 'Jane', signal: never(), progress: () => undefined })
    const p = sheetsAsShown(f).get('Payments') as string[][]
    expect(p[6]?.[4]).toBe('100,050')
    const totals = paymentTotals(50)
    expect(p[6 + 50]?.slice(4, 7)).toEqual([shown(totals.gross, 'JPY'), shown(totals.tax, 'JPY'), shown(totals.net, 'JPY')])
  }, 120_000)
})

describe('the PDF writer', () => {
  let file: string
  let result: { rows: number; pages: number; fingerprint: string }
  const doc = syntheticDocument({ rows: ROWS })
  beforeAll(async () => {
    file = path.join(dir, 'register.pdf')
    result = await writeReportPdf(file, doc, { fontsDir: FONTS_DIR, now: NOW, madeBy: 'Jane Treasurer', signal: never(), progress: () => undefined })
  }, 120_000)

  it('is a sound PDF of several pages with a page number on each', () => {
    qpdfCheck(file)
    expect(result.pages).toBe(pdfPages(file))
    expect(result.pages).toBeGreaterThan(3)
    for (let n = 1; n <= result.pages; n++) {
      const text = flat(pdfText(file, n))
      expect(text).toContain(`Page ${n}`)
      expect(text).toContain('Made 1 Feb 2026, 09:30 by Jane Treasurer')
    }
  })

  it('has the letterhead, the parameters, and the column headers repeated on page 2', () => {
    const one = flat(pdfText(file, 1))
    expect(one).toContain('Umoja Savings & Credit Cooperative')
    expect(one).toContain('PAYMENT REGISTER')
    expect(one).toContain('1 Jan 2026 – 31 Dec 2026')
    expect(one).toContain('From: 1 Jan 2026 · To: 31 Dec 2026 · Amounts in KES')
    const two = flat(pdfText(file, 2))
    expect(two).toContain('Payments (continued)')
    expect(two).toMatch(/PAID ON VOUCHER PAYEE WHAT GROSS (TAX )?(WITHHELD )?NET METHOD REFERENCE/)
  })

  it('prints every row with its figures, the names in their scripts, long text wrapped whole, and the exact totals', () => {
    const text = flat(pdfText(file))
    for (let i = 0; i < ROWS; i++) expect(text).toContain(paymentCells(i)[1])
    expect(text).toContain('王小明')
    expect(text).toContain('सुनीता शर्मा')
    expect(text).toContain('Zoë Müller-Lüdenscheidt')
    expect(pdfText(file)).toMatch(/محمد|دمحم/)
    expect(text).toContain('1,000.50 100.05 900.45')
    // The long description is wrapped, every word kept.
    expect(text).toContain('Coupon, UMJ-27, for the half year to 30')
    expect(text).toContain('June, paid by bank transfer after the member asked for the account to be changed twice')
    const totals = paymentTotals(ROWS)
    expect(text).toContain(`Total ${shown(totals.gross, 'KES')} ${shown(totals.tax, 'KES')} ${shown(totals.net, 'KES')}`)
    expect(text).toContain('M-0001 Jane Wanjiru 1 Mar 2026 1 10.00 12.5%')
    expect(text).toContain('Total 60 500.40')
    expect(text).toContain('No redemptions were paid in these dates.')
  })

  it('ends with the pages, the rows and the data fingerprint', () => {
    const last = flat(pdfText(file, result.pages))
    expect(last).toContain(`End of report · ${result.pages} pages · 320 rows`)
    expect(last).toContain(`Data fingerprint (SHA-256): ${result.fingerprint}`)
  })

  it('starts each group on a new page when the table says so', async () => {
    const f = path.join(dir, 'groups.pdf')
    const grouped: ReportDocument = { ...syntheticDocument({ rows: 0, members: 3, perMember: 2, breakGroups: true, withEmpty: false }), landscape: false }
    grouped.tables = grouped.tables.slice(1)
    const r = await writeReportPdf(f, grouped, { fontsDir: FONTS_DIR, now: NOW, madeBy: 'Jane', signal: never(), progress: () => undefined })
    expect(r.pages).toBe(3)
    expect(flat(pdfText(f, 2))).toContain('M-0002 محمد عبد الله'.slice(0, 6))
    expect(flat(pdfText(f, 3))).toContain('M-0003 王小明')
    qpdfCheck(f)
  })
})

/**
 * A table 30 week columns wide (plus a total and two label columns): too
 * wide for A4 landscape, so it is cut into slices across the page. 250
 * rows, so the columns are sized from the first 200 and a later row holds a
 * wider amount than any sampled one (drawn smaller, never wrapped).
 */
describe('the PDF writer, a table too wide for the page', () => {
  const WEEKS = 30
  const ROWS_WIDE = 250
  const WIDER_ROW = 230
  const weekLabel = (w: number): string => `Week ${w + 1}, 2026 (${w + 1} Mar 2026 – ${w + 7} Mar 2026)`
  const amount = (r: number, w: number): number => (r === WIDER_ROW && w === 7 ? -98_765_432_101 : ((r * 7_919 + w * 104_729) % 9_000_000) + 100_000 + (r % 2))
  const total = (w: number): bigint => Array.from({ length: ROWS_WIDE }, (_, r) => BigInt(amount(r, w))).reduce((a, b) => a + b, 0n)
  const cellsOf = (r: number): Array<string | number> => [`A-${String(r).padStart(4, '0')}`, `Account number ${r}`, ...Array.from({ length: WEEKS }, (_, w) => amount(r, w)), Array.from({ length: WEEKS }, (_, w) => amount(r, w)).reduce((a, b) => a + b, 0)]
  const doc: ReportDocument = {
    name: 'weekly-summary',
    title: 'Weekly summary',
    subtitle: '2 Mar 2026 – 4 Oct 2026',
    parameters: [{ label: 'From', value: '2 Mar 2026' }],
    profile: testProfile(),
    landscape: true,
    tables: [
      {
        key: 'wide',
        title: 'Weeks',
        columns: [col('code', 'Code', 'text'), col('name', 'Account', 'text'), ...Array.from({ length: WEEKS }, (_, w) => col(`w${w}`, weekLabel(w), 'money', true)), col('total', 'Total', 'money', true)],
        *rows() {
          for (let r = 0; r < ROWS_WIDE; r++) yield row(cellsOf(r))
        },
        rowCount: ROWS_WIDE,
        empty: 'Nothing.',
        note: 'Thirty weeks.',
        groupBy: null,
        breakGroups: false
      }
    ]
  }
  const money = (v: number | bigint): string => formatMoney(v, 'KES', 'en-KE', { display: 'none' })
  const whole = (s: string): RegExp => new RegExp(`(^|[^\\d.,])${s.replace(/[.,]/g, '\\$&')}($|[^\\d])`, 'm')
  let file: string
  let result: { rows: number; pages: number; fingerprint: string }
  let pages: string[]
  beforeAll(async () => {
    file = path.join(dir, 'wide.pdf')
    result = await writeReportPdf(file, doc, { fontsDir: FONTS_DIR, now: NOW, madeBy: 'Jane Treasurer', signal: never(), progress: () => undefined })
    pages = Array.from({ length: result.pages }, (_, i) => pdfText(file, i + 1))
  }, 120_000)

  it('cuts the columns into slices, each its own run of pages saying which columns it holds', () => {
    qpdfCheck(file)
    expect(result.rows).toBe(ROWS_WIDE)
    expect(result.fingerprint).toBe(fingerprintDocument(doc))
    const starts = pages.flatMap((p, i) => {
      const m = /Columns (\d+)–(\d+) of 33: (.*)/.exec(p)
      return m ? [{ page: i, from: Number(m[1]), to: Number(m[2]), words: flat(m[3]!) }] : []
    })
    expect(starts.length).toBeGreaterThanOrEqual(3)
    // The slices cover columns 3–33 (the two label columns repeat on each), in order, none twice.
    expect(starts[0]!.from).toBe(3)
    for (let k = 1; k < starts.length; k++) expect(starts[k]!.from).toBe(starts[k - 1]!.to + 1)
    expect(starts[starts.length - 1]!.to).toBe(33)
    expect(starts[0]!.words).toMatch(/^Week 1, 2026 to Week \d+, 2026 \(1 Mar 2026 – \d+ Mar 2026\)$/)
    expect(starts[starts.length - 1]!.words).toMatch(/ and Total$/)
    starts.forEach((s, k) => expect(flat(pages[s.page]!)).toContain(`Weeks (part ${k + 1} of ${starts.length})`))
    // Each slice starts a page; its later pages carry the continuation and its column headers.
    for (const [k, s] of starts.entries()) {
      const end = k + 1 < starts.length ? starts[k + 1]!.page : pages.length
      expect(end - s.page, `slice ${k + 1} pages`).toBeGreaterThan(1)
      for (let p = s.page + 1; p < end; p++) {
        expect(flat(pages[p]!)).toContain(`Weeks (continued) · part ${k + 1} of ${starts.length}`)
        expect(flat(pages[p]!)).toMatch(/CODE ACCOUNT/)
      }
      // The label columns on every slice: every row's code and name, once per slice.
      const text = pages.slice(s.page, end).join('\n')
      for (let r = 0; r < ROWS_WIDE; r += 7) expect(text).toMatch(new RegExp(`A-${String(r).padStart(4, '0')}\\s+Account number ${r}\\b`))
      // The totals row closes every slice: "Total" and the slice's own totals in order, on one line.
      const lastPage = pages[end - 1]!
      const cols = Array.from({ length: s.to - s.from + 1 }, (_, i) => s.from - 3 + i)
      const sums = cols.map((w) => money(w === WEEKS ? Array.from({ length: WEEKS }, (_, x) => total(x)).reduce((a, b) => a + b, 0n) : total(w)))
      const line = new RegExp(`Total\\s+${sums.map((x) => x.replace(/[.,]/g, '\\$&')).join('\\s+')}\\s*$`, 'm')
      expect(lastPage, `slice ${k + 1} totals`).toMatch(line)
    }
    const all = pages.join('\n')
    expect(all.match(/^\s*Total\s/gm)?.length).toBe(starts.length)
  })

  it('prints every amount whole on one line, the wider later one too, and header words never broken', () => {
    const text = pages.join('\n')
    const broken: string[] = []
    for (let r = 0; r < ROWS_WIDE; r++) {
      for (const v of cellsOf(r).slice(2)) if (!whole(money(v as number)).test(text)) broken.push(`row ${r}: ${money(v as number)}`)
    }
    expect(broken).toEqual([])
    expect(text).toContain('-987,654,321.01')
    // Every word of every week's header, whole (headers wrap at spaces only).
    const flatText = flat(text)
    for (let w = 0; w < WEEKS; w++) for (const word of weekLabel(w).toUpperCase().split(' ')) expect(flatText, weekLabel(w)).toContain(word)
    expect(flatText).toContain('End of report')
    expect(flatText).toContain(`Data fingerprint (SHA-256): ${result.fingerprint}`)
  })
})

describe('one data fingerprint', () => {
  it('is the same on screen, in Excel and in PDF, and changes with any cell or style', async () => {
    const doc = syntheticDocument({ rows: ROWS })
    const screen = fingerprintDocument(doc)
    const x = await writeReportXlsx(path.join(dir, 'fp.xlsx'), doc, { now: NOW, madeBy: 'A', signal: never(), progress: () => undefined })
    const p = await writeReportPdf(path.join(dir, 'fp.pdf'), doc, { fontsDir: FONTS_DIR, now: new Date('2027-01-01T00:00:00Z'), madeBy: 'B', signal: never(), progress: () => undefined })
    expect(x.fingerprint).toBe(screen)
    expect(p.fingerprint).toBe(screen)
    expect(screen).toMatch(/^[0-9a-f]{64}$/)

    const one = (cells: Array<string | number | null>, style: 'normal' | 'total' = 'normal'): string => {
      const f = new DataFingerprint()
      f.table({ key: 't', columns: [] })
      f.row(row(cells, style))
      return f.digest()
    }
    expect(one(['a', 1])).toBe(one(['a', 1]))
    expect(one(['a', 1])).not.toBe(one(['a', 2]))
    expect(one(['a', 1])).not.toBe(one(['a', '1']))
    expect(one(['a', null])).not.toBe(one(['a', '']))
    expect(one(['a,b'])).not.toBe(one(['a', 'b']))
    expect(one(['a', 1])).not.toBe(one(['a', 1], 'total'))
  })
})

describe('abort and refusal', () => {
  it('an abort mid-write leaves no file and no .partial (Excel and PDF)', async () => {
    const doc = syntheticDocument({ rows: 5_000, onlyPayments: true })
    for (const format of ['xlsx', 'pdf'] as const) {
      const file = path.join(dir, `aborted.${format}`)
      const ctl = new AbortController()
      let seen = 0
      const progress = (done: number): void => {
        seen = done
        if (done >= 1_000) ctl.abort('Cancelled by Jane')
      }
      const run =
        format === 'xlsx'
          ? writeReportXlsx(file, doc, { now: NOW, madeBy: 'A', signal: ctl.signal, progress })
          : writeReportPdf(file, doc, { fontsDir: FONTS_DIR, now: NOW, madeBy: 'A', signal: ctl.signal, progress })
      await expect(run).rejects.toMatchObject({ name: 'JobAborted', message: 'Cancelled by Jane' })
      expect(seen).toBeGreaterThanOrEqual(1_000)
      expect(seen).toBeLessThan(5_000)
      expect(leftovers(file)).toEqual([])
    }
  }, 60_000)

  it('refuses a cell its column cannot hold, leaving nothing behind', async () => {
    const doc = syntheticDocument({ rows: 10, onlyPayments: true })
    const bad: ReportDocument = {
      ...doc,
      tables: [{ ...doc.tables[0]!, rows: () => [row(['2026-01-01', 'PV-1', 'X', 'Y', 12.5, 0, 0, 'Cash', null])] }]
    }
    const x = path.join(dir, 'bad.xlsx')
    await expect(writeReportXlsx(x, bad, { now: NOW, madeBy: 'A', signal: never(), progress: () => undefined })).rejects.toThrow('Payments, row 1, Gross: 12.5 is not a whole number of minor units')
    expect(leftovers(x)).toEqual([])
    const p = path.join(dir, 'bad.pdf')
    await expect(writeReportPdf(p, bad, { fontsDir: FONTS_DIR, now: NOW, madeBy: 'A', signal: never(), progress: () => undefined })).rejects.toThrow('Payments, row 1, Gross')
    expect(leftovers(p)).toEqual([])
  })

  it('names sheets as Excel takes them: 31 characters, no []:*?/\\, unique', () => {
    const names = sheetNames(['Payments', 'payments', 'A/B: [x]*?\\', 'A very long table title that goes on and on', 'A very long table title that goes on and on', 'History', ''])
    expect(names).toEqual(['Payments', 'payments (2)', 'A-B- -x----', 'A very long table title that go', 'A very long table title tha (2)', 'Table 6', 'Table 7'])
    for (const n of names) expect(n.length).toBeLessThanOrEqual(31)
  })
})

/**
 * Text a sheet must carry through whole or (for characters XML cannot hold)
 * exactly as exceljs carries it: markup characters, a control character
 * (dropped), tab and newline (kept), emoji, Arabic, a lone surrogate.
 */
const TRICKY = 'Tricky <text> & more'
const TRICKY_TEXT = ['Tom & Jerry <b>"quoted"</b> \'apos\'', 'bell\u0007 and \u0001\u001f\u007f gone', 'tab\there\nnewline', 'Savings 💰🎉 ✓', 'محمد عبد الله', 'lone \ud800 surrogate', '', '=SUM(A1:A2)', '  spaced  ']

/** Every kind of column, every row style, count rows, nulls, a first row of nothing but nulls, extremes of money. */
function trickyTable(): ReportTable {
  const rows: ReportRow[] = [
    { cells: [null, null, null, null, null, null, null], kind: null, style: 'normal' },
    ...TRICKY_TEXT.map((text, i): ReportRow => ({
      cells: [text, [12_345, -50, 0, 9_007_199_254_740_991, -9_007_199_254_740_991, 1, 99, 100_000_000, 7][i] ?? 1, i, `2026-0${1 + (i % 9)}-2${i % 9}`, ['12.5', '-0.375', '0', '100', 7, '33.333333', '1', '2.5', '0.01'][i] ?? '1', i * 1_000_001, i % 2 === 0 ? 4242 : `${NAMES[i % NAMES.length]} ${text}`],
      kind: null,
      style: (['normal', 'opening', 'subtotal', 'total', 'heading'] as const)[i % 5] ?? 'normal'
    })),
    { cells: ['Payments', 3, 3, null, null, 3, null], kind: 'count', style: 'normal' },
    { cells: [null, null, null, null, null, null, null], kind: null, style: 'normal' },
    { cells: ['Subtotal', 100, null, null, null, null, null], kind: null, style: 'subtotal' }
  ]
  return {
    key: 'tricky',
    title: TRICKY,
    columns: [col('text', 'Text', 'text'), col('money', 'Money', 'money', true), col('count', 'Count', 'count', true), col('date', 'Date', 'date'), col('rate', 'Rate', 'percent'), col('units', 'Units', 'units'), col('mixed', 'Mixed', 'text')],
    rows: () => rows,
    rowCount: rows.length,
    empty: 'Nothing.',
    note: 'Notes & <things>',
    groupBy: null,
    breakGroups: false
  }
}

/** The files in a zip, each as its bytes. */
function zipEntries(file: string): Map<string, Buffer> {
  const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n')
  // unzip reads a name as a pattern: brackets escaped.
  return new Map(names.map((n) => [n, execFileSync('unzip', ['-p', file, n.replace(/[[\]*?]/g, '\\$&')], { maxBuffer: 1 << 28 })]))
}

/** Every cell of every sheet as exceljs reads it back: value, type and the style's parts. */
async function cellsOf(file: string): Promise<Map<string, unknown[]>> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(file)
  const out = new Map<string, unknown[]>()
  wb.eachSheet((ws) => {
    const cells: unknown[] = []
    ws.eachRow({ includeEmpty: true }, (r, n) => {
      r.eachCell({ includeEmpty: true }, (c) => {
        cells.push({ at: `${n}:${c.address}`, value: c.value, type: c.type, numFmt: c.numFmt, font: c.font, border: c.border, alignment: c.alignment, fill: c.fill })
      })
    })
    out.set(ws.name, cells)
  })
  return out
}

/** XML parse errors of a text (a strict parser: well-formed, only characters XML allows). */
function xmlErrors(xml: string): string[] {
  const errors: string[] = []
  const parser = new SaxesParser()
  parser.on('error', (e) => errors.push(e.message))
  parser.write(xml).close()
  return errors
}

describe("the Excel writer's own data rows", () => {
  const doc = syntheticDocument({ rows: ROWS })
  doc.tables.push(trickyTable())
  let fast: { rows: number; fingerprint: string; fastRows: number }
  let slow: { rows: number; fingerprint: string; fastRows: number }
  let fastFile: string
  let slowFile: string
  beforeAll(async () => {
    fastFile = path.join(dir, 'own-rows.xlsx')
    slowFile = path.join(dir, 'exceljs-rows.xlsx')
    fast = await writeReportXlsx(fastFile, doc, { now: NOW, madeBy: 'Jane Treasurer', signal: never(), progress: () => undefined })
    slow = await writeReportXlsx(slowFile, doc, { now: NOW, madeBy: 'Jane Treasurer', signal: never(), progress: () => undefined, exceljsRows: true })
  }, 60_000)

  it('renders the data rows after each sheet first row (which exceljs writes and it is checked against)', () => {
    expect(slow.fastRows).toBe(0)
    // Payments: all but the first; By member: all but the first (headings are exceljs'); Tricky: not the row of
    // nulls before the first, the first, nor the later row of nulls.
    const tricky = trickyTable().rowCount as number
    expect(fast.fastRows).toBe(ROWS - 1 + (20 - 1) + (tricky - 3))
    expect(fast.rows).toBe(slow.rows)
    expect(fast.fingerprint).toBe(slow.fingerprint)
  })

  it('gives the same workbook as exceljs: every file in it byte for byte', () => {
    const a = zipEntries(fastFile)
    const b = zipEntries(slowFile)
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort())
    expect(a.size).toBeGreaterThanOrEqual(9)
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name) as Buffer), name).toBe(true)
  })

  it('reads back the same, cell by cell (values, types, number formats, fonts, borders, alignment, fills)', async () => {
    const a = await cellsOf(fastFile)
    const b = await cellsOf(slowFile)
    expect([...a.keys()]).toEqual(['Payments', 'By member', 'Redemptions', TRICKY, 'About'])
    for (const [name, cells] of a) {
      expect(cells.length, name).toBeGreaterThan(0)
      expect(cells, name).toEqual(b.get(name))
    }
    // The tricky text as exceljs keeps it: markup whole, the control characters dropped, tab and newline kept.
    const tricky = a.get(TRICKY) as Array<{ at: string; value: unknown; numFmt?: string; font?: { bold?: boolean } }>
    expect(tricky.filter((c) => /:A\d+$/.test(c.at)).map((c) => c.value)).toEqual(expect.arrayContaining(['Tom & Jerry <b>"quoted"</b> \'apos\'', 'bell and  gone', 'tab\there\nnewline', 'Savings 💰🎉 ✓', 'محمد عبد الله', 'lone \ufffd surrogate', '=SUM(A1:A2)', '  spaced  ']))
    const at = (ref: string): { value: unknown; numFmt?: string; font?: { bold?: boolean } } | undefined => tricky.find((c) => c.at.endsWith(`:${ref}`))
    // Row 7 is the row of nulls (no cells); the first text row is 8, the extremes of money at rows 11 and 12.
    expect(at('A7')?.value ?? null).toBe(null)
    expect(at('B8')?.value).toBe(123.45)
    expect(at('B11')?.value).toBe(90_071_992_547_409.91)
    expect(at('B12')?.value).toBe(-90_071_992_547_409.91)
    expect(at('D8')?.value).toEqual(new Date(Date.UTC(2026, 0, 20)))
    expect(at('E9')?.value).toBe(-0.00375)
    expect(at('E9')?.numFmt).toBe('0.00##%')
    expect(at('B10')?.font?.bold).toBe(true)
    // The count row: money column as a whole number.
    expect(at('B17')?.value).toBe(3)
    expect(at('B17')?.numFmt).toBe('#,##0')
  })

  it('looks the same in LibreOffice', () => {
    const a = sheetsAsShown(fastFile)
    const b = sheetsAsShown(slowFile)
    expect([...a.keys()].sort()).toEqual(['About', 'By member', 'Payments', 'Redemptions', TRICKY])
    for (const [name, rows] of a) expect(rows, name).toEqual(b.get(name))
    const tricky = a.get(TRICKY) as string[][]
    expect(tricky.map((r) => r[0])).toEqual(expect.arrayContaining(['Tom & Jerry <b>"quoted"</b> \'apos\'', 'Savings 💰🎉 ✓', 'محمد عبد الله']))
  }, 120_000)

  it('writes well-formed sheet XML with no character XML cannot hold', () => {
    const sheets = [...zipEntries(fastFile)].filter(([name]) => name.startsWith('xl/worksheets/sheet'))
    expect(sheets.length).toBe(5)
    for (const [name, bytes] of sheets) {
      const xml = bytes.toString('utf8')
      expect(xmlErrors(xml), name).toEqual([])
      // eslint-disable-next-line no-control-regex
      expect(xml, name).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
    }
    // The checker does see a bad character.
    expect(xmlErrors('<a>b\u0001</a>')).not.toEqual([])
    // The fourth sheet is the tricky table's.
    const tricky = sheets.find(([name]) => name === 'xl/worksheets/sheet4.xml')?.[1].toString('utf8') ?? ''
    expect(tricky).toContain('<c r="A8" s="')
    expect(tricky).toContain('t="str"><v>Tom &amp; Jerry &lt;b&gt;&quot;quoted&quot;&lt;/b&gt; &apos;apos&apos;</v>')
  })

  it('leaves every row to exceljs when exceljs writes a row differently from xlsx-rows.ts (an exceljs upgrade): the same cells', async () => {
    // exceljs as if it wrote its rows another way: each sheet's first data row no longer matches.
    const RowXform = createRequire(__filename)('exceljs/lib/xlsx/xform/sheet/row-xform') as { prototype: { toXml(model: unknown): string } }
    const toXml = RowXform.prototype.toXml
    RowXform.prototype.toXml = function (this: unknown, model: unknown): string {
      return toXml.call(this, model).replace('x14ac:dyDescent="0.25"', 'x14ac:dyDescent="0.26"')
    }
    const file = path.join(dir, 'other-exceljs.xlsx')
    let r: { fastRows: number; fingerprint: string }
    try {
      r = await writeReportXlsx(file, doc, { now: NOW, madeBy: 'Jane Treasurer', signal: never(), progress: () => undefined })
    } finally {
      RowXform.prototype.toXml = toXml
    }
    expect(r.fastRows).toBe(0)
    expect(r.fingerprint).toBe(slow.fingerprint)
    const xml = zipEntries(file).get('xl/worksheets/sheet1.xml')?.toString('utf8') ?? ''
    // Every row (title block, header, ROWS data rows, totals) is exceljs'.
    expect(xml.match(/dyDescent="0.26"/g)?.length).toBe(5 + ROWS)
    expect(xml).not.toContain('dyDescent="0.25"')
    expect(await cellsOf(file)).toEqual(await cellsOf(slowFile))
  })

  it('writes an amount as the very text JavaScript (and so exceljs) gives for minor / 10^digits', () => {
    let seed = 12_345
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      return seed / 2_147_483_648
    }
    const edges = [0, -0, 1, -1, 5, 10, 50, 99, 100, 101, 999_999_999_999_999, -999_999_999_999_999, 1e15, -1e15, 1e15 + 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 123_456_789_012_345, 900_719_925_474_099]
    let checked = 0
    const wrong: string[] = []
    for (const digits of [0, 1, 2, 3, 4, 5]) {
      const money = new MoneyText(digits)
      const scale = 10 ** digits
      const values = [...edges]
      for (let k = -25_000; k <= 25_000; k++) values.push(k)
      // Every magnitude up to the largest safe integer, and each with every last digit.
      for (let n = 0; n < 20_000; n++) values.push(Math.floor(random() * 10 ** (1 + (n % 16))) * (n % 3 === 0 ? -1 : 1))
      for (let e = 3; e <= 15; e++) for (let f = 0; f < Math.min(scale, 1_000); f++) values.push(10 ** e * 7 + f, -(10 ** e * 3) - f)
      for (const v of values) {
        if (!Number.isSafeInteger(v)) continue
        if (money.of(v) !== String(v / scale)) wrong.push(`${v} / 10^${digits}: ${money.of(v)} for ${String(v / scale)}`)
        checked++
      }
    }
    expect(wrong).toEqual([])
    expect(checked).toBeGreaterThan(300_000)
    expect(new MoneyText(2).of(-5)).toBe('-0.05')
    expect(new MoneyText(2).of(100_050)).toBe('1000.5')
  })

  it('is not used when exceljs lacks what it relies on', () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path.join(dir, 'unused.xlsx'), useSharedStrings: false, useStyles: true })
    expect(SheetRows.open(wb, {} as ExcelJS.Worksheet, 3, 2)).toBeNull()
    const ws = wb.addWorksheet('One')
    expect(SheetRows.open(wb, ws, 3, 2)).not.toBeNull()
    expect(SheetRows.open({} as ExcelJS.stream.xlsx.WorkbookWriter, ws, 3, 2)).toBeNull()
    const shared = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path.join(dir, 'shared.xlsx'), useSharedStrings: true, useStyles: true })
    expect(SheetRows.open(shared, shared.addWorksheet('One'), 3, 2)).toBeNull()
  })
})
