/**
 * Payment vouchers as one printable PDF.
 *
 * One voucher per page, A5 landscape (210 × 148 mm): the usual voucher size,
 * two to an A4 sheet on a printer that does "2 pages per sheet", or one per
 * sheet scaled up. A page, top to bottom:
 *
 *   letterhead (logo, name, address, contacts, registration no.)   PAYMENT VOUCHER
 *                                                                   No. PV-2026-000123  [COPY]
 *                                                                   Date 15 January 2026
 *   ──────────────────────────────────────────────────────────────────────────────
 *   Pay to        Zoë Müller                            │ Gross amount          Ksh 12,345.00
 *   Member no.    M-00042                               │ Less withholding tax   Ksh 1,851.75
 *   Particulars   Coupon on UMJ-2027 for …              │ Net payable           Ksh 10,493.25
 *   Series        UMJ-2027 · Umoja Bond 2027            │
 *   Period        1 Jan 2026 – 30 Jun 2026              │
 * (a payee outside the cooperative, a standing order's: Bank and Account
 * rows instead of Member no., and no series or period)
 *   [ Amount in words: Ten thousand four hundred ninety-three Kenya shillings and … only ]
 *   Payment method  Bank transfer        Reference  FT26015ABC
 *
 *   PREPARED BY            APPROVED BY             RECEIVED BY
 *   Name ________          Name ________           Name ________
 *   Signature ____         Signature ____          Signature ____
 *   Date ____              Date ____               Date ____
 *
 * A re-print carries a large, light, translucent diagonal "COPY" over the
 * content (drawn as strokes, so it stays out of the text layer) and a small
 * boxed "COPY" beside the number. Black and greys only, no solid areas beyond
 * a light tint, so it prints well on any office printer. The particulars get
 * 1 to 4 lines, whatever room is left above the signatures; names that do not
 * fit on one line shrink a little, then wrap (payee up to 3 lines).
 *
 * All text uses the embedded Unicode fonts from `opts.fontsDir` and the
 * system's CJK fonts (see fonts.ts for the folder and the fallback rules;
 * bidi.ts for right-to-left names). A character no font has prints as U+FFFD;
 * a payee name with one is followed by the member number, so the payee is
 * never blank or unidentifiable. `findMissingGlyphs` lists such characters
 * before printing.
 * Amounts and dates are formatted in the voucher's locale with Latin digits.
 * What is the same on every voucher of a cooperative (letterhead, table and
 * signature frames) is drawn once as a PDF form and placed on each page.
 * Output is streamed: each page is written out as soon as the next one
 * starts, and rendering waits whenever the destination is slower than the
 * renderer, so memory stays flat for thousands of vouchers. Pass `creationDate` for byte-for-byte reproducible
 * output (pdfkit otherwise stamps the current time).
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import PDFDocument from 'pdfkit'
import { amountInWords } from '../../shared/amount-in-words'
import { formatCalendarDate, isCalendarDate } from '../../shared/dates'
import { formatMoney } from '../../shared/money'
import { loadFontSet, missingCharacters, regularFaces, type FontSet } from '../platform/pdf/fonts'
import { Typesetter, cleanLine } from '../platform/pdf/text'

export type PaymentMethod = 'cash' | 'bank-transfer' | 'cheque'

export interface VoucherCooperative {
  name: string
  address: string | null
  phone: string | null
  email: string | null
  registrationNo: string | null
  /** PNG (or JPEG) bytes, drawn in a 48 pt square at the top left. */
  logoPng?: Buffer | null
}

export interface VoucherData {
  /** e.g. 'PV-2026-000123' */
  number: string
  /** YYYY-MM-DD */
  date: string
  cooperative: VoucherCooperative
  /**
   * A member (their number printed under the name), or, for a standing
   * order's payment, someone outside the cooperative: their bank and account
   * are printed instead (memberNo is then the paying member's, in the particulars).
   */
  payee: { name: string; memberNo: string; bank?: string | null; account?: string | null }
  /** e.g. 'Coupon on UMJ-2027 for 1 Jan 2026 – 30 Jun 2026' */
  description: string
  series?: { code: string; name: string } | null
  /** Coupon period, YYYY-MM-DD each. */
  period?: { start: string; end: string } | null
  /** Minor units; net must equal gross − tax. */
  gross: number
  tax: number
  net: number
  /** ISO 4217 */
  currency: string
  /** BCP 47, e.g. 'en-KE': amounts and dates are formatted in it. */
  locale: string
  method: PaymentMethod
  reference: string | null
  preparedBy: string | null
  approvedBy: string | null
  /** YYYY-MM-DD or an ISO 8601 timestamp (its date part is printed, as written). */
  approvedAt: string | null
}

export interface RenderVoucherOptions {
  /** Folder holding DejaVuSans.ttf, DejaVuSans-Bold.ttf and any fallback fonts (resources/fonts). */
  fontsDir: string
  /** Stamp vouchers as re-prints: all of them, or those the function picks. */
  copy?: boolean | ((v: VoucherData) => boolean)
  /** Stamp VOID beside the number on the vouchers the function picks (a voided payment's voucher). */
  voided?: (v: VoucherData) => boolean
  /** The PDF's CreationDate; with it the output is deterministic. */
  creationDate?: Date
  /** Use the system's CJK fonts too (default true). */
  systemFonts?: boolean
}

const METHOD_LABELS: Readonly<Record<PaymentMethod, string>> = {
  cash: 'Cash',
  'bank-transfer': 'Bank transfer',
  cheque: 'Cheque'
}

const REFERENCE_LABELS: Readonly<Record<PaymentMethod, string>> = {
  cash: 'Reference',
  'bank-transfer': 'Transfer reference',
  cheque: 'Cheque no.'
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

function checkVoucher(v: VoucherData, index: number): void {
  const who = typeof v?.number === 'string' && v.number.trim() !== '' ? `Voucher ${v.number}` : `Voucher #${index + 1}`
  const bad = (why: string): never => {
    throw new RangeError(`${who}: ${why}`)
  }
  if (typeof v !== 'object' || v === null) bad('is not an object')
  if (typeof v.number !== 'string' || v.number.trim() === '') bad('has no number')
  if (!isCalendarDate(v.date)) bad(`date is not YYYY-MM-DD: ${String(v.date)}`)
  if (typeof v.cooperative?.name !== 'string') bad('has no cooperative name')
  if (typeof v.payee?.name !== 'string' || v.payee.name.trim() === '') bad('has no payee name')
  if (typeof v.payee.memberNo !== 'string') bad('has no member number')
  if (outsidePayee(v)) {
    if (typeof v.payee.bank !== 'string' || v.payee.bank.trim() === '') bad("has no payee's bank")
    if (typeof v.payee.account !== 'string' || v.payee.account.trim() === '') bad("has no payee's account")
  }
  if (typeof v.description !== 'string') bad('has no description')
  for (const [k, x] of [
    ['gross', v.gross],
    ['tax', v.tax],
    ['net', v.net]
  ] as const) {
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) {
      bad(`${k} must be a non-negative safe integer of minor units, got ${String(x)}`)
    }
  }
  if (v.gross - v.tax !== v.net) bad(`net ${v.net} is not gross ${v.gross} − tax ${v.tax}`)
  if (typeof v.method !== 'string' || !Object.hasOwn(METHOD_LABELS, v.method)) {
    bad(`unknown payment method: ${String(v.method)}`)
  }
  if (v.period) {
    if (!isCalendarDate(v.period.start) || !isCalendarDate(v.period.end)) bad('period dates must be YYYY-MM-DD')
  }
  // Throws RangeError for an unknown currency or a malformed locale.
  try {
    formatMoney(v.net, v.currency, printLocale(v.locale))
  } catch (e) {
    bad((e as Error).message)
  }
}

/** A payee outside the cooperative (a standing order's): paid into a bank account, not a member. */
function outsidePayee(v: VoucherData): boolean {
  return (v.payee.bank ?? null) !== null || (v.payee.account ?? null) !== null
}

/** What says who a payee is when their name has a character no font has: the account, else the member number. */
function payeeId(v: VoucherData): string {
  return outsidePayee(v) ? (v.payee.account ?? '') : v.payee.memberNo
}

// ---------------------------------------------------------------------------
// Page geometry (points; A5 landscape is 595.28 × 419.53)
// ---------------------------------------------------------------------------

const PAGE_W = 595.28
const PAGE_H = 419.53
const M = 30 // margin
const RIGHT = PAGE_W - M
const CONTENT_W = PAGE_W - 2 * M

const INK = '#111111'
const MUTED = '#555555'
const FAINT = '#8a8a8a'
const RULE = '#9a9a9a'
const TINT = '#f1f1f1'
const WATERMARK = '#000000'

const LOGO = 48
/** Baseline of the signature block titles; the block fills the page to the bottom margin. */
const SIGNATURES_TOP = PAGE_H - M - 66
const SIGNATURE_GAP = 22
const SIGNATURE_COL_W = (CONTENT_W - 2 * SIGNATURE_GAP) / 3
const SIGNATURE_TITLES = ['PREPARED BY', 'APPROVED BY', 'RECEIVED BY']
const SIGNATURE_ROWS = ['Name', 'Signature', 'Date']
const signatureX = (col: number): number => M + col * (SIGNATURE_COL_W + SIGNATURE_GAP)
const signatureRowY = (row: number): number => SIGNATURES_TOP + 20 + row * 22
/** Width of the right-hand block under the title (number, date). */
const RIGHT_BLOCK_W = 200
const TABLE_W = 210
const TABLE_X = RIGHT - TABLE_W
const TABLE_PAD = 8
const tableTop = (headerBottom: number): number => headerBottom + 20 - 11

interface AmountRow {
  label: string
  y: number
  size: number
  bold: boolean
}

function amountRows(top: number): [AmountRow, AmountRow, AmountRow] {
  const gross = top + 17 + 14
  const tax = gross + 20
  const net = tax + 8 + 16
  return [
    { label: 'Gross amount', y: gross, size: 9.5, bold: false },
    { label: 'Less withholding tax', y: tax, size: 9.5, bold: false },
    { label: 'Net payable', y: net, size: 10.5, bold: true }
  ]
}

interface PdfImage {
  width: number
  height: number
}

interface ImageDoc {
  openImage(src: Buffer): PdfImage
  image(src: PdfImage, x: number, y: number, options: { fit: [number, number]; align: string; valign: string }): unknown
}

type Doc = InstanceType<typeof PDFDocument>

// ---------------------------------------------------------------------------
// Templates (PDF form XObjects)
// ---------------------------------------------------------------------------

/** The parts of a pdfkit PDFReference used here. */
interface FormRef {
  data: Record<string, unknown>
  write(chunk: string): void
  end(): void
}

/** The parts of pdfkit's PDFPage and document that drawing goes through. */
interface PageInternals {
  width: number
  height: number
  content: unknown
  resources: { data: Record<string, unknown> }
  write(chunk: unknown): unknown
}

interface DocInternals {
  page?: PageInternals
  ref?: (data: Record<string, unknown>) => FormRef
  addContent(data: string): unknown
}

/**
 * Records drawing into a PDF form XObject (a template placed on many pages)
 * by pointing pdfkit's current page at a stand-in whose content stream and
 * resources are the form's. pdfkit has no public API for forms; this leans on
 * its page object (`content`, `resources.data`, `write`, `width`, `height`,
 * the resource getters on PDFPage.prototype) and `doc.ref`. If those are not
 * there, `usable` is false and callers draw directly on each page instead,
 * with the same result on paper.
 */
class FormRecorder {
  constructor(private readonly doc: Doc) {}

  private get internals(): DocInternals {
    return this.doc as unknown as DocInternals
  }

  get usable(): boolean {
    const { page, ref } = this.internals
    return (
      typeof ref === 'function' &&
      page !== undefined &&
      typeof page.write === 'function' &&
      typeof page.resources?.data === 'object' &&
      typeof page.height === 'number' &&
      'fonts' in Object.getPrototypeOf(page) &&
      'xobjects' in Object.getPrototypeOf(page)
    )
  }

  /** Draw `paint` into a new form (written out at once); null if the internals are not usable. */
  record(paint: () => void): FormRef | null {
    if (!this.usable) return null
    const internals = this.internals
    const page = internals.page as PageInternals
    const resources: Record<string, unknown> = { ProcSet: ['PDF', 'Text', 'ImageB', 'ImageC', 'ImageI'] }
    const form = (internals.ref as NonNullable<DocInternals['ref']>)({
      Type: 'XObject',
      Subtype: 'Form',
      FormType: 1,
      BBox: [0, 0, page.width, page.height],
      Resources: resources
    })
    const standIn = Object.create(Object.getPrototypeOf(page) as object) as PageInternals
    Object.assign(standIn, page, { content: form, resources: { data: resources } })
    // pdfkit draws in a y-down space set up by a flip at the start of each
    // page; the form gets the same flip, and place() undoes the page's.
    form.write(`1 0 0 -1 0 ${page.height} cm`)
    internals.page = standIn
    try {
      this.doc.save()
      paint()
      this.doc.restore()
    } finally {
      internals.page = page
    }
    form.end()
    return form
  }

  /** Paint a recorded form on the current page. */
  place(form: FormRef): void {
    const page = this.internals.page as PageInternals
    const xobjects = (page as unknown as { xobjects: Record<string, unknown> }).xobjects
    let name = Object.keys(xobjects).find((k) => xobjects[k] === form)
    if (name === undefined) {
      name = `Tpl${this.formName(form)}`
      xobjects[name] = form
    }
    this.internals.addContent(`q 1 0 0 -1 0 ${page.height} cm /${name} Do Q`)
  }

  private readonly names = new Map<FormRef, number>()

  private formName(form: FormRef): number {
    let n = this.names.get(form)
    if (n === undefined) {
      n = this.names.size + 1
      this.names.set(form, n)
    }
    return n
  }
}

class VoucherPainter {
  private readonly images = new WeakMap<Buffer, PdfImage>()
  private readonly imagesByHash = new Map<string, PdfImage>()
  private readonly imageKeys = new Map<PdfImage, string>()
  private readonly templates = new Map<string, { form: FormRef; headerBottom: number }>()
  private readonly recorder: FormRecorder

  constructor(
    private readonly doc: Doc,
    private readonly t: Typesetter
  ) {
    this.recorder = new FormRecorder(doc)
  }

  private logo(png: Buffer): PdfImage {
    let img = this.images.get(png)
    if (img) return img
    const hash = createHash('sha1').update(png).digest('hex')
    img = this.imagesByHash.get(hash)
    if (!img) {
      try {
        img = (this.doc as unknown as ImageDoc).openImage(png)
      } catch (e) {
        throw new RangeError(`Cooperative logo is not a PNG or JPEG image (${(e as Error).message})`)
      }
      this.imagesByHash.set(hash, img)
      this.imageKeys.set(img, hash)
    }
    this.images.set(png, img)
    return img
  }

  private hr(x1: number, x2: number, y: number, width = 0.5, color = RULE): void {
    this.doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke().restore()
  }

  draw(v: VoucherData, copy: boolean, voided = false): void {
    const doc = this.doc
    doc.addPage({ size: [PAGE_W, PAGE_H], margin: 0 })

    const headerBottom = this.frame(v.cooperative)
    this.letterheadValues(v, copy, voided)

    const bodyTop = headerBottom + 20
    // Everything above the signatures must end above them: the particulars
    // get as many lines as the space left allows (1 to 4).
    const words = amountInWords(v.net, v.currency, { locale: v.locale })
    const wordsH = this.wordsHeight(words)
    const wordsTopLimit = SIGNATURES_TOP - 22 - 18 - wordsH - 12
    const detailsBottom = this.details(v, M, bodyTop, TABLE_X - 16 - M, wordsTopLimit)
    const tableBottom = this.amounts(v, tableTop(headerBottom))

    const wordsTop = Math.max(detailsBottom, tableBottom) + 12
    const wordsBottom = this.words(words, wordsTop, wordsH)
    this.payment(v, wordsBottom + 18)
    this.signatureNames(v)
    // Last, so no tinted box can hide it; it is translucent, so it hides nothing.
    if (copy) this.watermark()
  }

  /**
   * What every voucher of a cooperative has in the same place: letterhead,
   * title, the amounts table's frame and labels, the signature blocks. Drawn
   * once into a PDF form (template) per cooperative and placed on each page,
   * which makes long batches faster and the file smaller; drawn directly when
   * pdfkit's internals do not allow a template (see FormRecorder). Returns
   * the y of the rule under the letterhead.
   */
  private frame(c: VoucherCooperative): number {
    const key = JSON.stringify([c.name, c.address, c.phone, c.email, c.registrationNo, this.logoKey(c.logoPng)])
    let tpl = this.templates.get(key)
    if (tpl === undefined && this.recorder.usable) {
      let headerBottom = 0
      const form = this.recorder.record(() => {
        headerBottom = this.paintFrame(c)
      })
      if (form !== null) {
        tpl = { form, headerBottom }
        this.templates.set(key, tpl)
      }
    }
    if (tpl !== undefined) {
      this.recorder.place(tpl.form)
      return tpl.headerBottom
    }
    return this.paintFrame(c)
  }

  private logoKey(png: Buffer | null | undefined): string {
    if (!png || png.length === 0) return ''
    const img = this.logo(png)
    return this.imageKeys.get(img) ?? ''
  }

  private paintFrame(c: VoucherCooperative): number {
    const headerBottom = this.letterhead(c)
    this.hr(M, RIGHT, headerBottom, 1, '#333333')
    this.amountsFrame(tableTop(headerBottom))
    this.signatureFrame()
    return headerBottom
  }

  /**
   * The large diagonal COPY, drawn as strokes rather than text so it stays
   * out of the text layer (copy-paste, search and pdftotext see only the
   * small COPY badge by the number).
   */
  private watermark(): void {
    const doc = this.doc
    const h = 96 // letter height
    const w = 64 // letter width
    const gap = 26
    const stroke = 15
    const total = 4 * w + 3 * gap
    const x0 = -total / 2
    const top = -h / 2
    const bottom = h / 2
    const mid = 0
    const rx = w / 2
    const ry = h / 2
    const letter = (i: number): number => x0 + i * (w + gap)
    // C: an ellipse open on the right.
    const cx = letter(0) + rx
    const a = Math.PI / 4
    const c = `M ${cx + rx * Math.cos(a)} ${-ry * Math.sin(a)} A ${rx} ${ry} 0 1 0 ${cx + rx * Math.cos(a)} ${ry * Math.sin(a)}`
    // P: a stem and a bowl on its upper half.
    const px = letter(2) + stroke / 2
    const bowl = h * 0.27
    const p = `M ${px} ${bottom} L ${px} ${top} L ${px + w - bowl - stroke / 2} ${top} A ${bowl} ${bowl} 0 0 1 ${px + w - bowl - stroke / 2} ${top + 2 * bowl} L ${px} ${top + 2 * bowl}`
    // Y: two arms meeting above the middle, and a stem.
    const yx = letter(3)
    const fork = mid - h * 0.05
    const y = `M ${yx} ${top} L ${yx + w / 2} ${fork} L ${yx + w} ${top} M ${yx + w / 2} ${fork} L ${yx + w / 2} ${bottom}`
    doc.save()
    doc.translate(PAGE_W / 2, PAGE_H / 2).rotate(-28)
    doc.lineWidth(stroke).lineCap('butt').lineJoin('miter').strokeColor(WATERMARK).strokeOpacity(0.08)
    doc.path(c).stroke()
    doc.ellipse(letter(1) + rx, mid, rx - stroke / 2, ry - stroke / 2).stroke()
    doc.path(p).stroke()
    doc.path(y).stroke()
    doc.restore()
  }

  /** The cooperative's letterhead and the title. Returns the y of the rule under them. */
  private letterhead(c: VoucherCooperative): number {
    const t = this.t
    const top = M
    let x = M
    if (c.logoPng && c.logoPng.length > 0) {
      const img = this.logo(c.logoPng)
      ;(this.doc as unknown as ImageDoc).image(img, M, top, { fit: [LOGO, LOGO], align: 'center', valign: 'center' })
      x = M + LOGO + 12
    }
    const leftW = RIGHT - RIGHT_BLOCK_W - 16 - x

    // Left: who pays.
    let y = t.fit(c.name, x, top + 13, { size: 13, bold: true, width: leftW, minSize: 10, maxLines: 2 })
    y += 4
    const address = c.address
      ? cleanLine(
          c.address
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter((l) => l !== '')
            .join(', ')
        )
      : ''
    if (address !== '') {
      y = t.paragraph(address, x, y + 11, { size: 8, color: MUTED, width: leftW, leading: 10, maxLines: 2 })
    }
    const contacts = [c.phone ? `Tel. ${cleanLine(c.phone)}` : '', c.email ? cleanLine(c.email) : '']
      .filter((s) => s !== '')
      .join('   ·   ')
    if (contacts !== '') {
      y += 10
      t.line(contacts, x, y, { size: 8, color: MUTED, maxWidth: leftW, minSize: 6.5 })
    }
    if (c.registrationNo) {
      y += 10
      t.line(`Reg. no. ${c.registrationNo}`, x, y, { size: 8, color: MUTED, maxWidth: leftW, minSize: 6.5 })
    }

    // Right: what this is.
    t.line('PAYMENT VOUCHER', RIGHT, top + 13, {
      size: 15,
      bold: true,
      align: 'right',
      characterSpacing: 1.2
    })

    const bottom = Math.max(y, top + 50, c.logoPng && c.logoPng.length > 0 ? top + LOGO : 0)
    return bottom + 9
  }

  /** Number, COPY badge and date under the title. */
  private letterheadValues(v: VoucherData, copy: boolean, voided = false): void {
    const t = this.t
    const top = M
    const numberY = top + 32
    const drawn = t.line(v.number, RIGHT, numberY, {
      size: 12,
      bold: true,
      align: 'right',
      maxWidth: RIGHT_BLOCK_W - 60,
      minSize: 8
    })
    let labelRight = RIGHT - drawn.width - 5
    t.line('No.', labelRight, numberY, { size: 9, color: MUTED, align: 'right' })
    labelRight -= t.width('No.', 9) + 8
    if (voided) labelRight = this.copyBadge(labelRight, numberY, 'VOID') - 4
    if (copy) this.copyBadge(labelRight, numberY)
    const date = t.line(formatCalendarDate(v.date, printLocale(v.locale), 'long'), RIGHT, top + 48, {
      size: 9.5,
      align: 'right'
    })
    t.line('Date', RIGHT - date.width - 5, top + 48, {
      size: 9,
      color: MUTED,
      align: 'right'
    })
  }

  /** A small boxed COPY (or VOID) whose right edge is at x, on the baseline y. Returns its left edge. */
  private copyBadge(right: number, baseline: number, label = 'COPY'): number {
    const size = 7.5
    const w = this.t.width(label, size, true, 1)
    const padX = 4
    const boxW = w + 2 * padX
    const left = right - boxW
    this.doc
      .save()
      .roundedRect(left, baseline - size - 2.5, boxW, size + 6, 2)
      .lineWidth(0.8)
      .strokeColor(INK)
      .stroke()
      .restore()
    this.t.line(label, left + padX, baseline, { size, bold: true, characterSpacing: 1 })
    return left
  }

  /** Label/value rows. Returns the y below the last row. */
  private details(v: VoucherData, x: number, top: number, width: number, maxBottom: number): number {
    const t = this.t
    const labelW = 70
    const vx = x + labelW
    const vw = width - labelW
    const label = (text: string, y: number): void => {
      t.line(text, x, y, { size: 8, color: MUTED })
    }

    let y = top
    label('Pay to', y)
    // A name with a character no font has: the replacement marks where, the member number (or account) says who.
    const payee = t.missing(v.payee.name).length > 0 ? `${v.payee.name} (${payeeId(v)})` : v.payee.name
    y = t.fit(payee, vx, y, { size: 12, bold: true, width: vw, minSize: 9.5, maxLines: 3 })
    y += 16
    if (outsidePayee(v)) {
      label('Bank', y)
      t.line(v.payee.bank ?? '', vx, y, { size: 10, maxWidth: vw, minSize: 7 })
      y += 15
      label('Account no.', y)
      t.line(v.payee.account ?? '', vx, y, { size: 10, maxWidth: vw, minSize: 7 })
    } else {
      label('Member no.', y)
      t.line(v.payee.memberNo, vx, y, { size: 10, maxWidth: vw, minSize: 7 })
    }
    y += 18
    label('Particulars', y)
    const after = (v.series ? 15 : 0) + (v.period ? 15 : 0) + 6
    const descLines = Math.max(1, Math.min(4, Math.floor((maxBottom - after - y) / 12) + 1))
    y = t.paragraph(v.description, vx, y, { size: 9.5, width: vw, leading: 12, maxLines: descLines })
    if (v.series) {
      y += 15
      label('Series', y)
      t.line(`${v.series.code} · ${v.series.name}`, vx, y, { size: 9.5, maxWidth: vw, minSize: 7 })
    }
    if (v.period) {
      y += 15
      label('Period', y)
      const start = formatCalendarDate(v.period.start, printLocale(v.locale), 'medium')
      const end = formatCalendarDate(v.period.end, printLocale(v.locale), 'medium')
      t.line(`${start} – ${end}`, vx, y, { size: 9.5, maxWidth: vw, minSize: 7 })
    }
    return y + 6
  }

  /** The Gross / Withholding tax / Net table without its figures; top is the top of its header row. */
  private amountsFrame(top: number): void {
    const t = this.t
    const x = TABLE_X
    const right = x + TABLE_W - TABLE_PAD
    this.doc.save().rect(x, top, TABLE_W, 17).fillColor(TINT).fill().restore()
    t.line('Amount', right, top + 11.5, { size: 7.5, color: MUTED, align: 'right', characterSpacing: 0.6 })
    t.line('Item', x + TABLE_PAD, top + 11.5, { size: 7.5, color: MUTED, characterSpacing: 0.6 })
    const rows = amountRows(top)
    for (const row of rows) t.line(row.label, x + TABLE_PAD, row.y, { size: row.size, bold: row.bold })
    this.hr(x, x + TABLE_W, rows[1].y + 8, 0.75, '#444444')
    // Accountants' double rule under the total.
    const bottom = rows[2].y + 6
    this.hr(x, x + TABLE_W, bottom, 0.75, '#444444')
    this.hr(x, x + TABLE_W, bottom + 2, 0.75, '#444444')
  }

  /** The table's figures. Returns the table's bottom. */
  private amounts(v: VoucherData, top: number): number {
    const t = this.t
    const right = TABLE_X + TABLE_W - TABLE_PAD
    const rows = amountRows(top)
    const values = [v.gross, v.tax, v.net]
    rows.forEach((row, i) => {
      const labelW = t.width(row.label, row.size, row.bold)
      const text = formatMoney(values[i] ?? 0, v.currency, printLocale(v.locale))
      t.line(text, right, row.y, {
        size: row.size,
        bold: row.bold,
        align: 'right',
        maxWidth: right - (TABLE_X + TABLE_PAD + labelW + 10),
        minSize: 6
      })
    })
    return rows[2].y + 8
  }

  private wordsHeight(words: string): number {
    const lines = Math.min(3, this.t.wrap(words, CONTENT_W - 16, 10, true).length)
    return 8 + 10 + lines * 13 + 4
  }

  /** The amount in words, in a tinted box of height h. Returns the box bottom. */
  private words(words: string, top: number, h: number): number {
    const t = this.t
    const doc = this.doc
    const pad = 8
    doc.save().rect(M, top, CONTENT_W, h).fillColor(TINT).fill().restore()
    doc.save().moveTo(M, top).lineTo(M, top + h).lineWidth(2).strokeColor('#444444').stroke().restore()
    t.line('Amount in words', M + pad, top + 12, { size: 7.5, color: MUTED, characterSpacing: 0.6 })
    t.paragraph(words, M + pad, top + 26, { size: 10, bold: true, width: CONTENT_W - 2 * pad, leading: 13, maxLines: 3 })
    return top + h
  }

  private payment(v: VoucherData, y: number): void {
    const t = this.t
    let x = M
    const label = (text: string): void => {
      x += t.line(text, x, y, { size: 8, color: MUTED }).width + 6
    }
    label('Payment method')
    x += t.line(METHOD_LABELS[v.method], x, y, { size: 10, bold: true }).width + 28
    label(REFERENCE_LABELS[v.method])
    if (v.reference && cleanLine(v.reference) !== '') {
      t.line(v.reference, x, y, { size: 10, maxWidth: RIGHT - x, minSize: 7 })
    } else {
      this.hr(x, Math.min(x + 150, RIGHT), y + 2, 0.5, FAINT)
    }
  }

  /** Three signature blocks: title, then Name / Signature / Date lines. */
  private signatureFrame(): void {
    const t = this.t
    SIGNATURE_TITLES.forEach((title, i) => {
      const x = signatureX(i)
      t.line(title, x, SIGNATURES_TOP, { size: 7.5, bold: true, color: MUTED, characterSpacing: 0.3 })
      SIGNATURE_ROWS.forEach((label, r) => {
        const y = signatureRowY(r)
        t.line(label, x, y, { size: 7.5, color: FAINT })
        this.hr(this.signatureLineX(i), x + SIGNATURE_COL_W, y + 2.5, 0.5, FAINT)
      })
    })
  }

  private signatureLineX(col: number): number {
    return signatureX(col) + this.t.width('Signature', 7.5) + 6
  }

  /** The names and the approval date known for the signature blocks. */
  private signatureNames(v: VoucherData): void {
    const values: Array<[number, number, string | null]> = [
      [0, 0, v.preparedBy],
      [1, 0, v.approvedBy],
      [1, 2, dateOf(v.approvedAt, printLocale(v.locale))]
    ]
    for (const [col, row, value] of values) {
      if (!value || cleanLine(value) === '') continue
      const lineX = this.signatureLineX(col)
      this.t.line(value, lineX + 2, signatureRowY(row), {
        size: 9,
        maxWidth: signatureX(col) + SIGNATURE_COL_W - lineX - 2,
        minSize: 6.5
      })
    }
  }
}

const printLocales = new Map<string, string>()

/**
 * The voucher's locale with Latin digits. Amounts and dates are printed with
 * 0-9 whatever the locale's own digits: the PDF layer orders right-to-left
 * text only approximately (bidi.ts), and a figure on a payment voucher must
 * never come out in the wrong order.
 */
function printLocale(locale: string): string {
  let l = printLocales.get(locale)
  if (l === undefined) {
    l = new Intl.Locale(locale, { numberingSystem: 'latn' }).toString()
    printLocales.set(locale, l)
  }
  return l
}

/** A YYYY-MM-DD prefix formatted in the locale; anything else printed as given. */
function dateOf(s: string | null, locale: string): string | null {
  if (s === null || s.trim() === '') return null
  const head = s.slice(0, 10)
  if (isCalendarDate(head) && (s.length === 10 || s.charAt(10) === 'T' || s.charAt(10) === ' ')) {
    return formatCalendarDate(head, locale, 'medium')
  }
  return s
}

// ---------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------

/** Wait for the destination when more than this many bytes are queued in the document. */
const HIGH_WATER = 1 << 20
/** Give the event loop a turn every this many vouchers (Electron's main process stays responsive). */
const YIELD_EVERY = 8

/** Forget pdfkit's shaped words every this many vouchers (see forgetShapedWords). */
const FORGET_SHAPES_EVERY = 100

/**
 * pdfkit memoises the glyph layout of every distinct word it draws, per font,
 * for the life of the document (`EmbeddedFont.layoutCache`). Names, numbers
 * and amounts differ on every voucher, so over a long batch that memo grows
 * by ~15 KB a voucher. It is only a memo: emptying it now and then keeps
 * memory flat and costs one re-layout of the words that repeat (labels).
 * This reaches into pdfkit internals; if they change it does nothing (and
 * test/unit/vouchers/pdf.test.ts says so). Returns how many caches it emptied.
 */
export function forgetShapedWords(doc: InstanceType<typeof PDFDocument>): number {
  const families = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: unknown }> })._fontFamilies
  if (typeof families !== 'object' || families === null) return 0
  let emptied = 0
  for (const font of new Set(Object.values(families))) {
    if (typeof font === 'object' && font !== null && typeof font.layoutCache === 'object' && font.layoutCache !== null) {
      font.layoutCache = Object.create(null)
      emptied += 1
    }
  }
  return emptied
}

function nextTurn(ms = 0): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)))
}

function documentInfo(vouchers: readonly VoucherData[], creationDate: Date | undefined): PDFKit.DocumentInfo {
  const first = vouchers[0] as VoucherData
  const last = vouchers[vouchers.length - 1] as VoucherData
  const one = vouchers.length === 1
  const info: PDFKit.DocumentInfo = {
    Title: one
      ? `Payment voucher ${cleanLine(first.number)}`
      : `Payment vouchers ${cleanLine(first.number)} – ${cleanLine(last.number)} (${vouchers.length})`,
    Author: cleanLine(first.cooperative.name),
    Subject: one
      ? `Payment to ${cleanLine(first.payee.name)}: ${cleanLine(first.description)}`
      : `${vouchers.length} payment vouchers`,
    Creator: 'Coffer'
  }
  if (creationDate) {
    if (!(creationDate instanceof Date) || Number.isNaN(creationDate.getTime())) {
      throw new RangeError('creationDate must be a valid Date')
    }
    info.CreationDate = creationDate
    info.ModDate = creationDate
  }
  return info
}

function voucherFonts(vouchers: readonly VoucherData[], opts: Pick<RenderVoucherOptions, 'fontsDir' | 'systemFonts'>): FontSet {
  return loadFontSet(opts.fontsDir, { systemFonts: opts.systemFonts, locale: vouchers[0]?.locale })
}

/** A voucher with characters no font can draw (they would print as U+FFFD). */
export interface MissingGlyphs {
  number: string
  payee: string
  memberNo: string
  /** What holds them ('payee name', 'particulars'...) and the characters, each once. */
  fields: Array<{ field: string; characters: string[] }>
}

/** The texts printed on a voucher, by what they are. */
function printedTexts(v: VoucherData): Array<[string, string | null | undefined]> {
  const c = v.cooperative
  return [
    ['payee name', v.payee.name],
    ['member no.', v.payee.memberNo],
    ["payee's bank", v.payee.bank],
    ["payee's account", v.payee.account],
    ['voucher number', v.number],
    ['particulars', v.description],
    ['series', v.series ? `${v.series.code} ${v.series.name}` : null],
    ['reference', v.reference],
    ['prepared by', v.preparedBy],
    ['approved by', v.approvedBy],
    ["cooperative's name", c.name],
    ["cooperative's address", c.address],
    ["cooperative's phone", c.phone],
    ["cooperative's email", c.email],
    ["cooperative's registration no.", c.registrationNo]
  ]
}

/**
 * The vouchers with characters that no font (the folder's or the system's)
 * has, with the fields that hold them: check before printing, since such a
 * character prints as U+FFFD. Empty when everything can be drawn.
 */
export function findMissingGlyphs(
  vouchers: readonly VoucherData[],
  opts: Pick<RenderVoucherOptions, 'fontsDir' | 'systemFonts'>
): MissingGlyphs[] {
  if (vouchers.length === 0) return []
  const faces = regularFaces(voucherFonts(vouchers, opts))
  const out: MissingGlyphs[] = []
  for (const v of vouchers) {
    const fields: MissingGlyphs['fields'] = []
    for (const [field, text] of printedTexts(v)) {
      if (typeof text !== 'string') continue
      const characters = missingCharacters(cleanLine(text), faces)
      if (characters.length > 0) fields.push({ field, characters })
    }
    if (fields.length > 0) out.push({ number: v.number, payee: v.payee.name, memberNo: v.payee.memberNo, fields })
  }
  return out
}

/**
 * Render vouchers, one per page, into a single PDF written to `out`: a
 * writable stream (ended when the document is complete; left open, not
 * ended, if rendering fails, for the caller to destroy) or a file path
 * (created or replaced; removed again if rendering fails). Resolves once
 * everything is written (for a file: flushed and closed). Throws RangeError before writing
 * anything when the list is empty or a voucher is invalid (net ≠ gross − tax,
 * bad date, unknown currency...).
 */
export async function renderVouchers(
  vouchers: VoucherData[],
  out: NodeJS.WritableStream | string,
  opts: RenderVoucherOptions
): Promise<{ pages: number }> {
  if (!Array.isArray(vouchers) || vouchers.length === 0) throw new RangeError('No vouchers to render')
  vouchers.forEach(checkVoucher)
  const fonts = voucherFonts(vouchers, opts)
  const isCopy: (v: VoucherData) => boolean =
    typeof opts.copy === 'function' ? opts.copy : opts.copy === true ? () => true : () => false

  const doc = new PDFDocument({
    autoFirstPage: false,
    size: [PAGE_W, PAGE_H],
    margin: 0,
    compress: true,
    lang: 'en',
    displayTitle: true,
    info: documentInfo(vouchers, opts.creationDate)
  })
  const typesetter = new Typesetter(doc, fonts)
  const painter = new VoucherPainter(doc, typesetter)

  const filePath = typeof out === 'string' ? out : null
  const dest: NodeJS.WritableStream = filePath === null ? (out as NodeJS.WritableStream) : fs.createWriteStream(filePath)
  let failure: Error | null = null
  const finished = new Promise<void>((resolve, reject) => {
    const fail = (e: Error): void => {
      failure ??= e
      reject(e)
    }
    doc.on('error', fail)
    dest.on('error', fail)
    dest.on(filePath === null ? 'finish' : 'close', () => {
      if (failure) reject(failure)
      else resolve()
    })
  })
  finished.catch(() => undefined) // observed below; never an unhandled rejection
  doc.pipe(dest)

  try {
    let pages = 0
    for (const v of vouchers) {
      painter.draw(v, isCopy(v), opts.voided?.(v) ?? false)
      pages += 1
      if (pages % FORGET_SHAPES_EVERY === 0) forgetShapedWords(doc)
      if (pages % YIELD_EVERY === 0) await nextTurn()
      while (doc.readableLength > HIGH_WATER) {
        if (failure) throw failure
        await nextTurn(2)
      }
      if (failure) throw failure
    }
    doc.end()
    await finished
    return { pages }
  } catch (e) {
    doc.unpipe(dest)
    if (filePath !== null) {
      const file = dest as fs.WriteStream
      if (!file.closed) {
        const closed = new Promise<void>((resolve) => file.once('close', () => resolve()))
        file.destroy()
        await closed
      }
      await fs.promises.rm(filePath, { force: true })
    }
    throw e
  }
}
