/**
 * The statutory summary of a pay period as a PDF (A4 portrait): what is owed
 * to each authority for the period, to remit and to file.
 *
 *   letterhead                                   STATUTORY SUMMARY
 *                                                        January 2026
 *                                             1 Jan 2026 – 31 Jan 2026
 *                                                 Pay date 31 Jan 2026
 *   ────────────────────────────────────────────────────────────────────
 *   Status: Posted
 *   CODE  NAME              ACCOUNT            STAFF   BASE TOTAL   AMOUNT
 *   DEDUCTIONS FROM STAFF PAY
 *   PAYE  Income tax        2310 PAYE payable     3    …            …
 *   …                                            Deductions total …
 *   EMPLOYER CONTRIBUTIONS
 *   …                                   Employer contributions total …
 *   ════════════════════════════════════════════════ Grand total  …
 *   Prepared on 1 Feb 2026, 09:30                  Society · January 2026
 *
 * A table longer than a page goes on to the next, its column titles
 * repeated; names and accounts wrap, nothing is cut off. The grand total
 * printed is the summary's, and must equal the sum of its rows (RangeError
 * otherwise: a summary that does not add up is never printed). Fonts, text
 * and the write-then-rename are the platform's (src/core/platform/pdf/page.ts).
 * Pure: no database, no clock (`opts.now` is "Prepared on").
 */
import type { StatutorySummary } from '../../shared/contract'
import { addMinor, formatMoney } from '../../shared/money'
import { formatDate, formatInstant, formatPeriod } from '../../shared/words'
import type { Typesetter } from '../platform/pdf/text'
import { cleanLine } from '../platform/pdf/text'
import {
  CONTENT_W,
  FOOTER_TOP,
  M,
  MUTED,
  RIGHT,
  checkProfile,
  fontsFor,
  footer,
  horizontalRule,
  letterhead,
  printLocale,
  tint,
  writePdfFile,
  type Doc
} from '../platform/pdf/page'
import type { PayrollDocumentProfile, PayrollPdfOptions } from './payslip-pdf'

type Row = StatutorySummary['rows'][number]

const STATUS_WORDS: Readonly<Record<StatutorySummary['period']['status'], string>> = {
  active: 'Not drafted yet: figures are not final',
  draft: 'Draft: not yet approved or posted',
  approved: 'Approved, not yet posted',
  posted: 'Posted to the ledger',
  failed: 'Failed: some payslips could not be worked out, figures are incomplete'
}

const GROUPS: ReadonlyArray<{ kind: Row['kind']; title: string; total: string }> = [
  { kind: 'deduction', title: 'DEDUCTIONS FROM STAFF PAY', total: 'Deductions total' },
  { kind: 'employer', title: 'EMPLOYER CONTRIBUTIONS', total: 'Employer contributions total' },
  { kind: 'earning', title: 'EARNINGS', total: 'Earnings total' }
]

/** Columns: x of the left edge (text) or the right edge (figures), and width. */
const PAD = 6
const COLS = {
  // A code is up to 20 capitals: on one line, shrunk to fit if it must be (never wrapped mid-code).
  code: { x: M + PAD, w: 86 },
  name: { x: M + 96, w: 124 },
  account: { x: M + 224, w: 84 },
  staff: { right: M + 336, w: 28 },
  base: { right: M + 424, w: 84 },
  amount: { right: RIGHT - PAD, w: 84 }
}

function checkSummary(summary: StatutorySummary): void {
  if (typeof summary !== 'object' || summary === null || !Array.isArray(summary.rows)) throw new RangeError('No statutory summary to print')
  for (const r of summary.rows) {
    for (const [k, v] of [
      ['staff', r.staff],
      ['base total', r.baseMinor],
      ['amount', r.amountMinor]
    ] as const) {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new RangeError(`${r.code}: ${k} must be a whole number, got ${String(v)}`)
    }
  }
  const sum = summary.rows.length === 0 ? 0 : addMinor(...summary.rows.map((r) => r.amountMinor))
  if (sum !== summary.totalMinor) {
    throw new RangeError(`The statutory summary does not add up: its rows come to ${sum} minor units, its total says ${summary.totalMinor}`)
  }
}

class StatutoryPainter {
  private y = 0
  pages = 0

  constructor(
    private readonly doc: Doc,
    private readonly t: Typesetter,
    private readonly profile: PayrollDocumentProfile,
    private readonly summary: StatutorySummary,
    private readonly preparedOn: string
  ) {}

  private get locale(): string {
    return printLocale(this.profile.locale)
  }

  private money(minor: number): string {
    return formatMoney(minor, this.profile.currency, this.locale)
  }

  private page(): void {
    const { doc, t, summary } = this
    const period = summary.period
    doc.addPage({ size: 'A4', margin: 0 })
    this.pages += 1
    footer(t, doc, `Prepared on ${this.preparedOn}`, `${this.profile.name} · ${period.name}${this.pages > 1 ? ` · page ${this.pages}` : ''}`)
    this.y = letterhead(t, doc, this.profile, 'STATUTORY SUMMARY', [
      { text: period.name, bold: true },
      { text: formatPeriod(period.startDate, period.endDate, this.locale) },
      { text: `Pay date ${formatDate(period.payDate, this.locale)}` }
    ])
    if (this.pages === 1) {
      this.y += 18
      t.line(`Status: ${STATUS_WORDS[period.status]}`, M, this.y, { size: 9, color: MUTED, maxWidth: CONTENT_W, minSize: 6.5 })
      this.y += 12
      t.line(`Amounts in ${this.profile.currency}. Statutory deductions and contributions of ${period.payslips} payslips.`, M, this.y, {
        size: 9,
        color: MUTED,
        maxWidth: CONTENT_W,
        minSize: 6.5
      })
    }
    this.columnTitles()
  }

  private columnTitles(): void {
    const t = this.t
    const top = this.y + 12
    tint(this.doc, M, top, CONTENT_W, 18)
    const y = top + 12
    const s = { size: 7.5, color: MUTED, characterSpacing: 0.5 }
    t.line('CODE', COLS.code.x, y, s)
    t.line('NAME', COLS.name.x, y, s)
    t.line('ACCOUNT', COLS.account.x, y, s)
    t.line('STAFF', COLS.staff.right, y, { ...s, align: 'right' })
    t.line('BASE TOTAL', COLS.base.right, y, { ...s, align: 'right' })
    t.line('AMOUNT', COLS.amount.right, y, { ...s, align: 'right' })
    this.y = top + 18
  }

  private room(h: number): void {
    if (this.y + h > FOOTER_TOP - 6) this.page()
  }

  draw(): void {
    const { t, summary } = this
    this.page()
    if (summary.rows.length === 0) {
      this.y += 18
      t.line('No statutory deductions or contributions in this period.', M + PAD, this.y, { size: 9.5, color: MUTED })
    }
    for (const g of GROUPS) {
      const rows = summary.rows.filter((r) => r.kind === g.kind)
      if (rows.length === 0) continue
      this.room(18 + 16 + 20)
      this.y += 18
      t.line(g.title, M + PAD, this.y, { size: 8, bold: true, characterSpacing: 0.5 })
      this.y += 2
      for (const r of rows) this.row(r)
      this.room(22)
      this.y += 4
      horizontalRule(this.doc, COLS.amount.right - COLS.amount.w - 150, RIGHT, this.y, 0.5, '#444444')
      this.y += 12
      const drawn = t.line(this.money(addMinor(...rows.map((r) => r.amountMinor))), COLS.amount.right, this.y, {
        size: 8.5,
        bold: true,
        align: 'right',
        maxWidth: COLS.amount.w + 60,
        minSize: 5.5
      })
      t.line(g.total, COLS.amount.right - drawn.width - 14, this.y, { size: 8.5, bold: true, align: 'right' })
    }
    this.room(36)
    this.y += 14
    horizontalRule(this.doc, M, RIGHT, this.y, 0.75, '#444444')
    horizontalRule(this.doc, M, RIGHT, this.y + 2, 0.75, '#444444')
    this.y += 17
    t.line('Grand total', M + PAD, this.y, { size: 11, bold: true })
    t.line(this.money(summary.totalMinor), COLS.amount.right, this.y, { size: 11, bold: true, align: 'right', maxWidth: 260, minSize: 7 })
  }

  private row(r: Row): void {
    const t = this.t
    const size = 8.5
    const leading = 10.5
    const nameLines = t.wrap(r.name, COLS.name.w, size).length
    const accountLines = t.wrap(r.accountName, COLS.account.w, size).length
    const h = 6 + Math.max(nameLines, accountLines, 1) * leading
    this.room(h + 4)
    const y = this.y + 6 + size + 1
    t.line(r.code, COLS.code.x, y, { size, bold: true, maxWidth: COLS.code.w - 4, minSize: 5 })
    t.paragraph(r.name, COLS.name.x, y, { size, width: COLS.name.w, leading })
    t.paragraph(r.accountName, COLS.account.x, y, { size, width: COLS.account.w, leading })
    t.line(String(r.staff), COLS.staff.right, y, { size, align: 'right' })
    t.line(this.money(r.baseMinor), COLS.base.right, y, { size, align: 'right', maxWidth: COLS.base.w - 8, minSize: 5 })
    t.line(this.money(r.amountMinor), COLS.amount.right, y, { size, align: 'right', maxWidth: COLS.amount.w - 8, minSize: 5 })
    this.y += h
    horizontalRule(this.doc, M, RIGHT, this.y + 2, 0.3, '#cccccc')
  }
}

/**
 * The statutory summary of a period as a PDF at `file` (created or replaced,
 * whole or not at all). Throws RangeError before writing anything when the
 * rows do not add up to the total, or the currency, locale or time zone is
 * unknown. Returns the pages written (one, unless the table is long).
 */
export async function writeStatutoryPdf(
  file: string,
  profile: PayrollDocumentProfile,
  summary: StatutorySummary,
  opts: PayrollPdfOptions
): Promise<{ pages: number }> {
  checkProfile(profile)
  checkSummary(summary)
  const preparedOn = formatInstant(opts.now, printLocale(profile.locale), profile.timeZone)
  const info: PDFKit.DocumentInfo = {
    Title: `Statutory summary, ${cleanLine(summary.period.name)}`,
    Author: cleanLine(profile.name),
    Subject: `Statutory deductions and contributions of payroll ${cleanLine(summary.period.name)}`,
    Creator: 'Coffer',
    CreationDate: opts.now,
    ModDate: opts.now
  }
  return writePdfFile(file, info, fontsFor(profile, opts), (doc, t) => {
    const painter = new StatutoryPainter(doc, t, profile, summary, preparedOn)
    painter.draw()
    return { pages: painter.pages }
  })
}
