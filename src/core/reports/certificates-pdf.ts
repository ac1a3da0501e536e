/**
 * Certificates of tax withheld (the withholding-tax report with
 * `certificates`, as PDF): one A4 page per member, printed from the rows of
 * the report's own "certificates" table (so the data fingerprint covers
 * them): the letterhead, the title and year, the member's particulars, each
 * interest payment with its voucher, gross, tax and net, the totals, the tax
 * in words, the date it was prepared and a line for the signature.
 *
 * A member with more payments than fit on a page continues on the next
 * (headed "continued"); the totals, words and signature close the last.
 * Rows are read one member at a time, pages written as they are made
 * (writePdfFile's turn() between them): memory stays flat.
 *
 * Every page has the footer of the other report PDFs ("Made … by …" and
 * "Page N") and, above it, the report's data fingerprint (the same as the
 * screen's and the generated report's), so a printed certificate can be
 * matched to its report.
 */
import type { ReportRow } from '../../shared/contract'
import { amountInWords } from '../../shared/amount-in-words'
import { formatMoney } from '../../shared/money'
import { formatDate, formatInstant } from '../../shared/words'
import {
  CONTENT_W,
  FOOTER_TOP,
  FAINT,
  INK,
  M,
  MUTED,
  RIGHT,
  checkProfile,
  footer,
  fontsFor,
  horizontalRule,
  letterhead,
  printLocale,
  tint,
  writePdfFile,
  type Doc
} from '../platform/pdf/page'
import { cleanLine, type Typesetter } from '../platform/pdf/text'
import type { PdfRunOptions, ReportProfile } from './model'

export interface CertificatesData {
  profile: ReportProfile
  year: number
  /** The day they are prepared, in words. */
  preparedOn: string
  /** How many certificates (members): the progress bar's total. */
  members: number
  /** The certificates table's rows (withholding-tax.ts CERTIFICATE_COLUMNS), member by member. */
  rows: () => Iterable<ReportRow>
  /** The whole report's data fingerprint (fingerprintDocumentWithRows), read once before the first page. */
  fingerprint: () => string
}

interface Member {
  memberNo: string
  name: string
  idNumber: string | null
  address: string | null
  payments: Array<{ paidOn: string; voucher: string | null; what: string; gross: number; tax: number; net: number }>
}

const ROW_H = 14
/** Room kept at the foot of the last page for the totals, the words, prepared on and the signature. */
const CLOSING_H = 170

/** The members, one at a time, from the table's rows (consecutive rows of one member). */
function* membersOf(rows: Iterable<ReportRow>): Generator<Member> {
  let current: Member | null = null
  for (const r of rows) {
    const [memberNo, name, idNumber, address, paidOn, voucher, what, gross, tax, net] = r.cells as [
      string,
      string,
      string | null,
      string | null,
      string,
      string | null,
      string,
      number,
      number,
      number
    ]
    if (current === null || current.memberNo !== memberNo) {
      if (current !== null) yield current
      current = { memberNo, name, idNumber, address, payments: [] }
    }
    current.payments.push({ paidOn, voucher, what, gross, tax, net })
  }
  if (current !== null) yield current
}

/** Table columns: right edges for amounts, left edges for text (the currency is said above the table, not in each header). */
const COLS = {
  paidOn: M + 6,
  voucher: M + 68,
  what: M + 148,
  gross: RIGHT - 150,
  tax: RIGHT - 76,
  net: RIGHT - 6
}
/** The widest a gross amount is drawn: "What" stops short of it. */
const AMOUNT_W = 62
/** Cell text size and the distance between the lines of a wrapped "What". */
const CELL = 8.5
const CELL_LEADING = 10.5
/** "What" wraps within this width (at spaces) rather than shrink. */
const WHAT_W = COLS.gross - AMOUNT_W - 8 - COLS.what

class CertificatePainter {
  private readonly locale: string
  private pages = 0
  private readonly madeLine: string
  private readonly fingerprintLine: string

  constructor(
    private readonly doc: Doc,
    private readonly t: Typesetter,
    private readonly data: CertificatesData,
    opts: PdfRunOptions,
    fingerprint: string
  ) {
    this.locale = printLocale(data.profile.locale)
    const made = formatInstant(opts.now, this.locale, data.profile.timeZone)
    this.madeLine = opts.madeBy !== undefined && opts.madeBy !== '' ? `Made ${made} by ${opts.madeBy}` : `Made ${made}`
    this.fingerprintLine = `Data fingerprint (SHA-256): ${fingerprint}`
  }

  private money(minor: number): string {
    return formatMoney(minor, this.data.profile.currency, this.locale, { display: 'none' })
  }

  private date(d: string): string {
    return formatDate(d, this.locale)
  }

  /** A new page with the letterhead and footer; returns the y to write from. */
  private page(m: Member, continued: boolean): number {
    const { doc, t, data } = this
    doc.addPage({ size: 'A4', margin: 0 })
    this.pages++
    footer(t, doc, this.madeLine, `Page ${this.pages}`)
    // The report's data fingerprint, between the signature and the footer.
    t.line(this.fingerprintLine, M, FOOTER_TOP + 3, { size: 6.5, color: FAINT, maxWidth: CONTENT_W, minSize: 5.5 })
    return letterhead(t, doc, data.profile, 'TAX CERTIFICATE', [
      { text: `Year ${data.year}`, bold: true },
      { text: `Member ${m.memberNo}${continued ? ' (continued)' : ''}` }
    ])
  }

  private tableHeader(y: number): number {
    const { doc, t } = this
    tint(doc, M, y, CONTENT_W, ROW_H + 2)
    const base = y + ROW_H - 3
    t.line('Paid on', COLS.paidOn, base, { size: 8.5, bold: true })
    t.line('Voucher', COLS.voucher, base, { size: 8.5, bold: true })
    t.line('What', COLS.what, base, { size: 8.5, bold: true })
    t.line('Gross', COLS.gross, base, { size: 8.5, bold: true, align: 'right' })
    t.line('Tax withheld', COLS.tax, base, { size: 8.5, bold: true, align: 'right' })
    t.line('Net', COLS.net, base, { size: 8.5, bold: true, align: 'right' })
    return y + ROW_H + 2
  }

  /** One member's certificate: returns the pages it took. */
  draw(m: Member): number {
    const { doc, t, data } = this
    const before = this.pages
    let y = this.page(m, false) + 26
    t.line('Certificate of tax withheld', M, y, { size: 16, bold: true, maxWidth: CONTENT_W, minSize: 10 })
    y += 18
    y = t.paragraph(
      `This certifies that ${data.profile.name} withheld the tax shown below from the interest it paid to the member named here ` +
        `from 1 January to 31 December ${data.year}.`,
      M,
      y,
      { size: 9.5, width: CONTENT_W, color: MUTED }
    )
    y += 20
    const particular = (label: string, value: string, bold = false): void => {
      t.line(label, M, y, { size: 9, color: MUTED })
      y = t.fit(value, M + 110, y, { size: 10.5, minSize: 8, width: CONTENT_W - 110, maxLines: 3, bold })
      y += 15
    }
    particular('Member', m.name, true)
    particular('Member no.', m.memberNo)
    if (m.idNumber !== null && m.idNumber.trim() !== '') particular('ID number', m.idNumber)
    if (m.address !== null && cleanLine(m.address) !== '') particular('Address', m.address.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '').join(', '))
    particular('Year', String(data.year))
    t.line(`Amounts in ${data.profile.currency}`, RIGHT, y + 6, { size: 8, color: MUTED, align: 'right' })
    y += 10

    y = this.tableHeader(y)
    const totals = { gross: 0, tax: 0, net: 0 }
    m.payments.forEach((p, i) => {
      const last = i === m.payments.length - 1
      const what = t.wrap(p.what, WHAT_W, CELL)
      const h = ROW_H + Math.max(0, what.length - 1) * CELL_LEADING
      // Room for this row, and after the last the closing block; else continue on a new page.
      if (y + h + (last ? CLOSING_H : 0) > FOOTER_TOP) {
        y = this.page(m, true) + 20
        t.line(`Certificate of tax withheld, ${data.year}: ${m.name} (continued)`, M, y, { size: 10, bold: true, maxWidth: CONTENT_W, minSize: 7 })
        y = this.tableHeader(y + 10)
      }
      const base = y + ROW_H - 4
      t.line(this.date(p.paidOn), COLS.paidOn, base, { size: CELL })
      t.line(p.voucher ?? '', COLS.voucher, base, { size: CELL, maxWidth: COLS.what - COLS.voucher - 6, minSize: 7 })
      what.forEach((l, k) => t.line(l, COLS.what, base + k * CELL_LEADING, { size: CELL }))
      t.line(this.money(p.gross), COLS.gross, base, { size: CELL, align: 'right' })
      t.line(this.money(p.tax), COLS.tax, base, { size: CELL, align: 'right' })
      t.line(this.money(p.net), COLS.net, base, { size: CELL, align: 'right' })
      horizontalRule(doc, M, RIGHT, y + h, 0.25, '#d0d0d0')
      totals.gross += p.gross
      totals.tax += p.tax
      totals.net += p.net
      y += h
    })
    horizontalRule(doc, M, RIGHT, y, 0.8, INK)
    const base = y + ROW_H - 3
    t.line('Total', COLS.paidOn, base, { size: 9, bold: true })
    t.line(this.money(totals.gross), COLS.gross, base, { size: 9, bold: true, align: 'right' })
    t.line(this.money(totals.tax), COLS.tax, base, { size: 9, bold: true, align: 'right' })
    t.line(this.money(totals.net), COLS.net, base, { size: 9, bold: true, align: 'right' })
    y += ROW_H + 22

    const currency = data.profile.currency
    t.line('Total tax withheld', M, y, { size: 9, color: MUTED })
    t.line(formatMoney(totals.tax, currency, this.locale), M + 110, y, { size: 12, bold: true })
    y += 16
    t.line('In words', M, y, { size: 9, color: MUTED })
    y = t.paragraph(amountInWords(totals.tax, currency, { locale: data.profile.locale }), M + 110, y, { size: 9.5, width: CONTENT_W - 110 })
    y += 16
    t.line('Prepared on', M, y, { size: 9, color: MUTED })
    t.line(data.preparedOn, M + 110, y, { size: 9.5 })

    // The signature line, at the foot of the page.
    const sy = Math.max(y + 50, FOOTER_TOP - 30)
    horizontalRule(doc, M, M + 220, sy, 0.6, INK)
    horizontalRule(doc, M + 280, M + 420, sy, 0.6, INK)
    t.line(`Signature, for ${data.profile.name}`, M, sy + 11, { size: 8, color: MUTED, maxWidth: 220, minSize: 6 })
    t.line('Date', M + 280, sy + 11, { size: 8, color: MUTED })
    return this.pages - before
  }
}

/** Writes the certificates to `file` (through `<file>.partial`); one page per member, more only for a member with very many payments. */
export async function writeCertificates(file: string, opts: PdfRunOptions, data: CertificatesData): Promise<{ pages: number }> {
  checkProfile(data.profile)
  const info: PDFKit.DocumentInfo = {
    Title: `Certificates of tax withheld, ${data.year}`,
    Author: cleanLine(data.profile.name),
    Subject: `Tax withheld from interest paid in ${data.year}`,
    Creator: 'Coffer',
    CreationDate: opts.now,
    ModDate: opts.now
  }
  return writePdfFile(file, info, fontsFor(data.profile, opts), async (doc, t, turn) => {
    const painter = new CertificatePainter(doc, t, data, opts, data.fingerprint())
    let pages = 0
    let done = 0
    for (const m of membersOf(data.rows())) {
      opts.signal.throwIfAborted()
      pages += painter.draw(m)
      done++
      opts.progress(done, data.members)
      await turn()
    }
    if (pages === 0) throw new RangeError('There are no certificates to print')
    return { pages }
  })
}
