/**
 * Payslips as one printable PDF: one payslip per A4 page (a payslip with
 * more lines than a page holds goes on to a continuation page; nothing is
 * ever cut off). A page, top to bottom:
 *
 *   letterhead (name, address, contacts, registration no.)          PAYSLIP
 *                                                                  January 2026
 *                                                        1 Jan 2026 – 31 Jan 2026
 *                                                               Pay date 31 Jan 2026
 *   ───────────────────────────────────────────────────────────────────────────
 *   Name         Zoë Müller                 │ Bank          Equity Bank
 *   Staff no.    S-001                      │ Account no.   0123456789
 *   Tax PIN      A001234567Z                │ Days worked   12 of 31 (pro-rated)
 *   National ID  12345678                   │ Pay structure from 1 Jan 2026
 *   [ Pro-rated: 12 of 31 calendar days. <the rule in words, small> ]
 *   EARNINGS                                                       AMOUNT
 *   Basic pay (BASIC)                                           KES 50,000.00
 *     workings in small type
 *   Gross pay                                                   KES 60,000.00
 *   DEDUCTIONS …                                Total deductions …
 *   [ NET PAY                                               KES 41,234.00 ]
 *   [ in words                                                            ]
 *   EMPLOYER CONTRIBUTIONS  paid by the employer, not taken from your pay
 *   ───────────────────────────────────────────────────────────────────────────
 *   Computed on 31 Jan 2026, 02:00                         Society · January 2026
 *
 * A payslip that could not be worked out (status failed) prints its page
 * with the reason and no figures, so it is never mistaken for a payslip of 0.
 *
 * Text goes through the platform's Typesetter and font set (fonts.ts,
 * text.ts) exactly as payment vouchers do: any script the fonts folder or the
 * system's CJK fonts cover prints, shaped; a character no font has prints as
 * U+FFFD, never as a blank, and the staff number is always beside the name.
 * Amounts and dates are in the book's currency and locale, with Latin digits
 * (as vouchers print them). The file is written under a temporary name and
 * renamed when complete: a half-written payslip file never appears. Pure: it
 * reads no database and no clock (the caller passes `now`).
 */
import type { PayPeriod, Payslip, PayslipLine } from '../../shared/contract'
import { amountInWords } from '../../shared/amount-in-words'
import { formatMoney } from '../../shared/money'
import { formatDate, formatInstant, formatPeriod } from '../../shared/words'
import { loadFontSet, missingCharacters, regularFaces } from '../platform/pdf/fonts'
import { type Typesetter, cleanLine } from '../platform/pdf/text'
import {
  CONTENT_W,
  FOOTER_TOP,
  M,
  RIGHT,
  checkProfile,
  fontsFor,
  footer,
  horizontalRule,
  letterhead,
  printLocale,
  tint,
  writePdfFile,
  FAINT,
  MUTED,
  RULE,
  type Doc,
  type DocumentProfile
} from '../platform/pdf/page'

// ---------------------------------------------------------------------------
// What the payroll documents take (shared with statutory-pdf.ts)
// ---------------------------------------------------------------------------

/** The parts of the cooperative's profile the payroll documents print (a whole Profile will do). */
export type PayrollDocumentProfile = DocumentProfile

/** The staff member's particulars printed on the payslip (from the staff table). */
export interface PayslipStaff {
  staffNo: string
  fullName: string
  taxPin: string | null
  nationalId: string | null
  bankName: string | null
  bankAccount: string | null
}

export interface PayrollPdfOptions {
  /** Folder holding DejaVuSans.ttf, DejaVuSans-Bold.ttf and the fallback fonts (resources/fonts), as for vouchers. */
  fontsDir: string
  /** The clock's now: the PDF's creation date (so the output is reproducible) and the statutory summary's "Prepared on". */
  now: Date
  /** Use the system's CJK fonts too (default true). */
  systemFonts?: boolean
}

/** Width of the amount column on the right of a table. */
const AMOUNT_W = 150
const PAD = 8

// ---------------------------------------------------------------------------
// Payslips
// ---------------------------------------------------------------------------

const KIND_TITLES: Readonly<Record<PayslipLine['kind'], string>> = {
  earning: 'EARNINGS',
  deduction: 'DEDUCTIONS',
  employer: 'EMPLOYER CONTRIBUTIONS'
}

function checkMinor(x: unknown, what: string, who: string): void {
  if (typeof x !== 'number' || !Number.isSafeInteger(x)) throw new RangeError(`${who}: ${what} must be a whole number of minor units, got ${String(x)}`)
}

function checkPayslips(period: PayPeriod, payslips: readonly Payslip[], staff: ReadonlyMap<number, PayslipStaff>): void {
  if (!Array.isArray(payslips) || payslips.length === 0) throw new RangeError('No payslips to print')
  for (const p of payslips) {
    const who = `The payslip of ${p.fullName} (${p.staffNo})`
    if (p.periodId !== period.id) throw new RangeError(`${who} belongs to another period`)
    const s = staff.get(p.staffId)
    if (!s) throw new RangeError(`${who}: the staff member's particulars are missing`)
    for (const [k, v] of [
      ['gross', p.grossMinor],
      ['deductions', p.deductionsMinor],
      ['net pay', p.netMinor],
      ['employer contributions', p.employerMinor]
    ] as const) {
      checkMinor(v, k, who)
    }
    for (const l of p.lines) checkMinor(l.amountMinor, `${l.code}'s amount`, who)
  }
}

/** Draws one payslip, going on to a continuation page when it does not fit. */
class PayslipPainter {
  private readonly locale: string
  private y = 0
  private pages = 0

  constructor(
    private readonly doc: Doc,
    private readonly t: Typesetter,
    private readonly profile: PayrollDocumentProfile,
    private readonly period: PayPeriod
  ) {
    this.locale = printLocale(profile.locale)
  }

  private money(minor: number): string {
    return formatMoney(minor, this.profile.currency, this.locale)
  }

  private date(d: string): string {
    return formatDate(d, this.locale, 'medium')
  }

  /** Draw a payslip; returns the pages it took. */
  draw(p: Payslip, s: PayslipStaff): number {
    this.pages = 0
    this.newPage(p, s, false)
    this.particulars(p, s)
    if (p.status === 'failed') {
      this.failed(p)
      return this.pages
    }
    if (p.proration !== null || p.daysWorked < p.daysInPeriod) this.proration(p)
    const lines = (kind: PayslipLine['kind']): PayslipLine[] => p.lines.filter((l) => l.kind === kind)
    this.section(p, s, 'earning', lines('earning'), 'Gross pay', p.grossMinor, null)
    this.section(p, s, 'deduction', lines('deduction'), 'Total deductions', p.deductionsMinor, null)
    this.netPay(p, s)
    const employer = lines('employer')
    if (employer.length > 0 || p.employerMinor !== 0) {
      this.section(p, s, 'employer', employer, 'Total employer contributions', p.employerMinor, 'paid by the employer, not taken from your pay')
    }
    return this.pages
  }

  private newPage(p: Payslip, s: PayslipStaff, continued: boolean): void {
    const { doc, t, period } = this
    doc.addPage({ size: 'A4', margin: 0 })
    this.pages += 1
    footer(t, doc, `Computed on ${formatInstant(p.computedAt, this.locale, this.profile.timeZone)}`, `${s.fullName} (${s.staffNo}) · ${period.name}${this.pages > 1 ? ` · page ${this.pages}` : ''}`)
    const right = continued
      ? [{ text: period.name, bold: true }, { text: `${s.fullName} (${s.staffNo}), continued` }]
      : [
          { text: period.name, bold: true },
          { text: formatPeriod(period.startDate, period.endDate, this.locale) },
          { text: `Pay date ${this.date(period.payDate)}` }
        ]
    this.y = letterhead(t, doc, this.profile, 'PAYSLIP', right) + 8
  }

  /** Room for h points below y, or a continuation page. */
  private room(h: number, p: Payslip, s: PayslipStaff): void {
    if (this.y + h <= FOOTER_TOP - 6) return
    this.newPage(p, s, true)
  }

  private particulars(p: Payslip, s: PayslipStaff): void {
    const t = this.t
    const colW = (CONTENT_W - 24) / 2
    const labelW = 72
    const top = this.y + 16
    const row = (x: number, y: number, label: string, value: string | null, bold = false): number => {
      t.line(label, x, y, { size: 8, color: MUTED })
      const v = value === null || cleanLine(value) === '' ? '—' : value
      return t.fit(v, x + labelW, y, { size: bold ? 11 : 9.5, bold, width: colW - labelW, minSize: 7, maxLines: 2 })
    }
    let ly = row(M, top, 'Name', s.fullName, true) + 16
    ly = row(M, ly, 'Staff no.', s.staffNo) + 15
    ly = row(M, ly, 'Tax PIN', s.taxPin) + 15
    ly = row(M, ly, 'National ID', s.nationalId)
    const rx = M + colW + 24
    let ry = row(rx, top, 'Bank', s.bankName) + 16
    ry = row(rx, ry, 'Account no.', s.bankAccount) + 15
    const prorated = p.daysWorked < p.daysInPeriod
    ry = row(rx, ry, 'Days worked', `${p.daysWorked} of ${p.daysInPeriod}${prorated ? ' (pro-rated)' : ''}`) + 15
    ry = row(rx, ry, 'Pay structure', p.structureFrom === null ? null : `in force from ${this.date(p.structureFrom)}`)
    const bottom = Math.max(ly, ry) + 10
    this.doc
      .save()
      .moveTo(M + colW + 12, top - 10)
      .lineTo(M + colW + 12, bottom - 4)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke()
      .restore()
    this.y = bottom
  }

  private proration(p: Payslip): void {
    const t = this.t
    const rule = p.proration ?? ''
    const ruleLines = rule === '' ? 0 : t.wrap(rule, CONTENT_W - 2 * PAD, 7.5).length
    const h = 8 + 12 + (ruleLines > 0 ? 4 + ruleLines * 9.5 : 0) + 6
    const top = this.y + 6
    tint(this.doc, M, top, CONTENT_W, h)
    this.doc.save().moveTo(M, top).lineTo(M, top + h).lineWidth(2).strokeColor('#444444').stroke().restore()
    t.line(`Pro-rated: ${p.daysWorked} of ${p.daysInPeriod} calendar days worked in this period`, M + PAD, top + 16, { size: 9.5, bold: true })
    if (ruleLines > 0) t.paragraph(rule, M + PAD, top + 16 + 13, { size: 7.5, color: MUTED, width: CONTENT_W - 2 * PAD, leading: 9.5 })
    this.y = top + h
  }

  private failed(p: Payslip): void {
    const t = this.t
    const reason = p.error ?? 'No reason was recorded.'
    const lines = t.wrap(reason, CONTENT_W - 2 * PAD, 9.5).length
    const top = this.y + 14
    const h = 14 + 14 + lines * 12 + 8
    tint(this.doc, M, top, CONTENT_W, h)
    t.line('This payslip could not be worked out: it shows no figures.', M + PAD, top + 17, { size: 11, bold: true })
    t.paragraph(reason, M + PAD, top + 34, { size: 9.5, width: CONTENT_W - 2 * PAD, leading: 12 })
    this.y = top + h
  }

  /** A table of lines of one kind with its total; `note` beside the title. */
  private section(p: Payslip, s: PayslipStaff, kind: PayslipLine['kind'], lines: PayslipLine[], totalLabel: string, totalMinor: number, note: string | null): void {
    const t = this.t
    const textW = CONTENT_W - AMOUNT_W - 2 * PAD
    const right = RIGHT - PAD
    const header = (): void => {
      const top = this.y + 14
      tint(this.doc, M, top, CONTENT_W, 17)
      const titleW = t.line(KIND_TITLES[kind], M + PAD, top + 11.5, { size: 8, bold: true, characterSpacing: 0.6 }).width
      if (note) t.line(note, M + PAD + titleW + 10, top + 11.5, { size: 8, color: MUTED, maxWidth: textW - titleW - 10, minSize: 6.5 })
      t.line('AMOUNT', right, top + 11.5, { size: 7.5, color: MUTED, align: 'right', characterSpacing: 0.6 })
      this.y = top + 17
    }
    this.room(14 + 17 + 34, p, s)
    header()
    if (lines.length === 0) {
      this.y += 15
      t.line(kind === 'deduction' ? 'No deductions' : 'None', M + PAD, this.y, { size: 9, color: MUTED })
    }
    for (const l of lines) {
      const workings = l.workings.trim() === '' ? [] : t.wrap(l.workings, textW, 7.5)
      const h = 15 + workings.length * 9.5 + 3
      const before = this.pages
      this.room(h + 4, p, s)
      if (this.pages !== before) header()
      this.y += 15
      const nameW = t.line(l.name, M + PAD, this.y, { size: 9.5, maxWidth: textW - 60, minSize: 7 }).width
      t.line(l.code, M + PAD + nameW + 6, this.y, { size: 7, color: FAINT, maxWidth: Math.max(20, textW - nameW - 6), minSize: 6 })
      t.line(this.money(l.amountMinor), right, this.y, { size: 9.5, align: 'right', maxWidth: AMOUNT_W - PAD, minSize: 6 })
      if (workings.length > 0) {
        this.y = t.paragraph(l.workings, M + PAD + 8, this.y + 10.5, { size: 7.5, color: MUTED, width: textW - 8, leading: 9.5 })
      }
      this.y += 3
    }
    this.room(26, p, s)
    this.y += 5
    horizontalRule(this.doc, M, RIGHT, this.y, 0.75, '#444444')
    this.y += 14
    t.line(totalLabel, M + PAD, this.y, { size: 10, bold: true })
    t.line(this.money(totalMinor), right, this.y, { size: 10, bold: true, align: 'right', maxWidth: AMOUNT_W - PAD, minSize: 6 })
    this.y += 4
  }

  private netPay(p: Payslip, s: PayslipStaff): void {
    const t = this.t
    const words = amountInWords(p.netMinor, this.profile.currency, { locale: this.profile.locale })
    const wordLines = t.wrap(words, CONTENT_W - 2 * PAD, 8.5).length
    const h = 12 + 22 + 6 + wordLines * 11 + 8
    this.room(h + 16, p, s)
    const top = this.y + 16
    tint(this.doc, M, top, CONTENT_W, h)
    this.doc.save().rect(M, top, CONTENT_W, h).lineWidth(1.25).strokeColor('#333333').stroke().restore()
    const amount = this.money(p.netMinor)
    t.line('NET PAY', M + PAD, top + 27, { size: 15, bold: true, characterSpacing: 1 })
    t.line(amount, RIGHT - PAD, top + 28, { size: 18, bold: true, align: 'right', maxWidth: CONTENT_W - 140, minSize: 9 })
    t.paragraph(words, M + PAD, top + 34 + 12, { size: 8.5, color: MUTED, width: CONTENT_W - 2 * PAD, leading: 11 })
    this.y = top + h
  }
}

/**
 * The staff whose particulars have characters no font (the folder's or the
 * system's) can draw: they would print as U+FFFD (the staff number always
 * prints beside the name). Check before printing, as vouchers do; empty when
 * everything can be drawn.
 */
export function payslipMissingGlyphs(
  profile: PayrollDocumentProfile,
  staff: Iterable<PayslipStaff>,
  opts: Pick<PayrollPdfOptions, 'fontsDir' | 'systemFonts'>
): Array<{ staffNo: string; fullName: string; characters: string[] }> {
  const faces = regularFaces(loadFontSet(opts.fontsDir, { systemFonts: opts.systemFonts, locale: profile.locale }))
  const out: Array<{ staffNo: string; fullName: string; characters: string[] }> = []
  for (const s of staff) {
    const text = [s.fullName, s.staffNo, s.taxPin, s.nationalId, s.bankName, s.bankAccount].filter((x): x is string => typeof x === 'string').join(' ')
    const characters = missingCharacters(cleanLine(text), faces)
    if (characters.length > 0) out.push({ staffNo: s.staffNo, fullName: s.fullName, characters })
  }
  return out
}

/**
 * Payslips of one period as one PDF at `file` (created or replaced, whole or
 * not at all): one payslip per A4 page, in the order given. `staff` holds
 * each payslip's staff member's particulars by staff id. Throws RangeError
 * before writing anything when there are no payslips, a payslip is of
 * another period or has no particulars, or the currency, locale or time zone
 * is unknown. Returns the pages written (more than the payslips when one ran
 * onto a continuation page).
 */
export async function writePayslipsPdf(
  file: string,
  profile: PayrollDocumentProfile,
  period: PayPeriod,
  payslips: Payslip[],
  staff: ReadonlyMap<number, PayslipStaff>,
  opts: PayrollPdfOptions
): Promise<{ pages: number }> {
  checkProfile(profile)
  checkPayslips(period, payslips, staff)
  const first = payslips[0] as Payslip
  const one = payslips.length === 1
  const info: PDFKit.DocumentInfo = {
    Title: one ? `Payslip of ${cleanLine(first.fullName)}, ${cleanLine(period.name)}` : `Payslips, ${cleanLine(period.name)} (${payslips.length})`,
    Author: cleanLine(profile.name),
    Subject: `Payroll ${cleanLine(period.name)}, paid ${period.payDate}`,
    Creator: 'Coffer',
    CreationDate: opts.now,
    ModDate: opts.now
  }
  return writePdfFile(file, info, fontsFor(profile, opts), async (doc, t, turn) => {
    const painter = new PayslipPainter(doc, t, profile, period)
    let pages = 0
    for (const p of payslips) {
      pages += painter.draw(p, staff.get(p.staffId) as PayslipStaff)
      await turn()
    }
    return { pages }
  })
}
