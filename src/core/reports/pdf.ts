/**
 * A report as a PDF (A4, portrait or landscape), streamed page by page:
 *
 *   letterhead (name, address, contacts, registration no.)     PAYMENT REGISTER
 *                                                       1 Jan 2026 – 31 Jan 2026
 *   ────────────────────────────────────────────────────────────────────────────
 *   From 1 Jan 2026 · To 31 Jan 2026 · Amounts in KES · Made 31 Jan 2026, 09:00 by …
 *   Payments                                      (the table's heading, its note)
 *   PAID ON   VOUCHER   PAYEE           …              GROSS      TAX       NET
 *   M-0001 Jane Wanjiru                                (a group heading, groupBy)
 *   1 Jan 2026 PV-2026-1 Jane Wanjiru   …           1,000.50   100.05    900.45
 *   ─────────────────────────────────────────────────────────────────────────────
 *   Total                                       1,529,748.00 …
 *   ─────────────────────────────────────────────────────────────────────────────
 *   Made 31 Jan 2026, 09:00 by Jane                                        Page 1
 *
 * Every further page starts with the report's title and the column headers
 * of the table it continues. Text wraps inside its column (nothing is ever
 * cut: a word wider than its column breaks between characters); money is in
 * the book's locale with Latin digits, dates in words. The last lines say
 * "End of report", the pages, the rows and the data fingerprint (the same as
 * the screen's and the workbook's for the same data).
 *
 * Memory stays flat: no page is kept (pdfkit's bufferPages is off), each
 * page is handed on (writePdfFile's turn()) before the next is drawn.
 * Written to `<file>.partial` and renamed when whole; an abort (JobAborted)
 * or a failure leaves nothing.
 */
import { currencyMinorDigits, formatMoney, minorToDecimalString } from '../../shared/money'
import { formatCount, formatDate, formatInstant } from '../../shared/words'
import { throwIfAborted } from '../platform/jobs/types'
import {
  LANDSCAPE,
  M,
  MUTED,
  PORTRAIT,
  RULE,
  checkProfile,
  fontsFor,
  footer,
  horizontalRule,
  letterhead,
  printLocale,
  tint,
  writePdfFile,
  type Doc,
  type PageGeometry
} from '../platform/pdf/page'
import { cleanLine, type Typesetter } from '../platform/pdf/text'
import { DataFingerprint, addTotals, checkCell, newTotals, totalsRow } from './fingerprint'
import type { PdfRunOptions, ReportColumn, ReportDocument, ReportRow, ReportTable } from './model'

export type ReportPdfOptions = PdfRunOptions & { madeBy: string }

// ---------------------------------------------------------------------------
// The primary font's fast path
// ---------------------------------------------------------------------------

/**
 * What this file reaches of pdfkit's embedded font: its layout of a word
 * (`layoutCached`, behind both measuring and drawing) and that cache.
 */
interface EmbeddedFontInternals {
  font: { glyphForCodePoint(cp: number): { id: number; advanceWidth: number; codePoints: number[] } }
  scale: number
  layoutCache?: Record<string, unknown>
  layoutCached(text: string): unknown
}

/** Printable ASCII: DejaVu Sans draws it glyph for glyph, nothing to shape. */
const PLAIN = /^[\x20-\x7E]*$/

/**
 * A register's cells are mostly plain Latin text and figures, and shaping
 * them (fontkit's OpenType layout of every new word) is most of the time a
 * PDF takes. In the primary font, a word of printable ASCII is laid out
 * here glyph for glyph from the font's advance widths (no kerning: measured
 * and drawn alike, so alignment stays exact); anything else is shaped as
 * before. pdfkit keeps every word it has laid out for the whole document:
 * `trimLayoutCaches` empties those caches now and then so memory stays flat.
 */
function plainLayout(doc: Doc, names: readonly string[]): Array<PlainFont | null> {
  const out: Array<PlainFont | null> = []
  for (const name of names) {
    doc.font(name)
    const f = (doc as unknown as { _fontFamilies: Record<string, EmbeddedFontInternals | undefined> })._fontFamilies[name]
    if (!f || typeof f.layoutCached !== 'function' || typeof f.font?.glyphForCodePoint !== 'function' || typeof f.scale !== 'number') {
      out.push(null)
      continue
    }
    const shaped = f.layoutCached.bind(f)
    const glyphs = new Map<number, { glyph: { id: number; advanceWidth: number; codePoints: number[] }; advance: number }>()
    const advanceOf = (cp: number): number | null => {
      let g = glyphs.get(cp)
      if (g === undefined) {
        const glyph = f.font.glyphForCodePoint(cp)
        if (glyph.id === 0) return null
        g = { glyph, advance: glyph.advanceWidth * f.scale }
        glyphs.set(cp, g)
      }
      return g.advance
    }
    f.layoutCached = (text: string): unknown => {
      if (!PLAIN.test(text)) return shaped(text)
      const cache = f.layoutCache
      const hit = cache?.[text]
      if (hit !== undefined) return hit
      const gs: Array<{ id: number; advanceWidth: number; codePoints: number[] }> = []
      const positions: Array<{ xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth: number }> = []
      let width = 0
      for (let i = 0; i < text.length; i++) {
        const cp = text.charCodeAt(i)
        let g = glyphs.get(cp)
        if (g === undefined) {
          const glyph = f.font.glyphForCodePoint(cp)
          if (glyph.id === 0) return shaped(text)
          g = { glyph, advance: glyph.advanceWidth * f.scale }
          glyphs.set(cp, g)
        }
        gs.push(g.glyph)
        positions.push({ xAdvance: g.advance, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: g.advance })
        width += g.advance
      }
      const run = { glyphs: gs, positions, advanceWidth: width }
      if (cache) cache[text] = run
      return run
    }
    out.push({
      name,
      width(text: string, size: number): number | null {
        if (!PLAIN.test(text)) return null
        let w = 0
        for (let i = 0; i < text.length; i++) {
          const a = advanceOf(text.charCodeAt(i))
          if (a === null) return null
          w += a
        }
        return (w * size) / 1000
      }
    })
  }
  return out
}

/** The primary font measured directly (printable ASCII only; null: ask the typesetter). */
interface PlainFont {
  name: string
  width(text: string, size: number): number | null
}

/** Empties pdfkit's word layouts (they are kept for the whole document otherwise). */
function trimLayoutCaches(doc: Doc): void {
  const fonts = (doc as unknown as { _fontFamilies?: Record<string, EmbeddedFontInternals | undefined> })._fontFamilies ?? {}
  for (const f of Object.values(fonts)) if (f?.layoutCache) f.layoutCache = Object.create(null) as Record<string, unknown>
}

/** Cell text size and the distance between its lines. */
const SIZE = 7.5
const LEADING = 9.2
/** Space inside a cell, left and right. */
const PAD = 3.5
/** Above the first line's baseline and below the last. */
const ROW_TOP = 8.2
const ROW_BOTTOM = 3.3
const HEADER_SIZE = 6.8
/** Rows read before a table's columns are sized. */
const SAMPLE_ROWS = 200

const PLAIN_TEXT = { lineBreak: false, baseline: 'alphabetic' as const, characterSpacing: 0 }

const numeric = (c: ReportColumn): boolean => c.kind !== 'text'

/** A column as laid out: its left edge and width. */
interface Slot {
  x: number
  w: number
  right: boolean
}

/** A row ready to draw: its cells' lines and its height. */
interface Laid {
  lines: string[][]
  h: number
  bold: boolean
  italic: boolean
  rule: 'none' | 'above' | 'total'
}

class ReportPainter {
  private readonly locale: string
  private readonly currency: string
  private page: PageGeometry
  private y = 0
  pages = 0
  readonly fingerprint = new DataFingerprint()
  private done = 0
  private readonly total: number | null
  private readonly madeLine: string
  private readonly dates = new Map<string, string>()
  private readonly percentFormat: Intl.NumberFormat
  private moneyFormat: Intl.NumberFormat | null | undefined = undefined
  /**
   * pdfkit's one-line drawing step under doc.text (which would also set up
   * options and measure the text twice more; the width is known here), when
   * this pdfkit has it.
   */
  private readonly fragment: ((text: string, x: number, y: number, options: object) => void) | null
  /** The table being drawn and its laid-out columns (for the headers of a continuation page). */
  private current: { t: ReportTable; slots: Slot[] } | null = null

  constructor(
    private readonly doc: Doc,
    private readonly t: Typesetter,
    private readonly report: ReportDocument,
    private readonly opts: ReportPdfOptions,
    private readonly turn: () => Promise<void>,
    private readonly plain: { regular: PlainFont | null; bold: PlainFont | null }
  ) {
    const fragment = (doc as unknown as { _fragment?: unknown })._fragment
    this.fragment = typeof fragment === 'function' && fragment.length === 4 ? (fragment as (text: string, x: number, y: number, options: object) => void) : null
    this.locale = printLocale(report.profile.locale)
    this.currency = report.profile.currency
    this.total = report.tables.every((x) => x.rowCount !== null) ? report.tables.reduce((n, x) => n + (x.rowCount ?? 0), 0) : null
    this.madeLine = `Made ${formatInstant(opts.now, this.locale, report.profile.timeZone)} by ${opts.madeBy}`
    this.percentFormat = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 20, useGrouping: true })
    this.page = report.landscape || report.tables.some((x) => this.minimumWidth(x.columns) > PORTRAIT.contentW) ? LANDSCAPE : PORTRAIT
  }

  /** The narrowest a table's columns can be laid out (headers' longest words, figures at a typical width). */
  private minimumWidth(columns: ReportColumn[]): number {
    return columns.reduce((sum, c) => sum + Math.max(this.headerWordWidth(c), c.kind === 'text' ? 40 : c.kind === 'money' ? 52 : c.kind === 'date' ? 46 : 28) + 2 * PAD, 0)
  }

  private headerWordWidth(c: ReportColumn): number {
    return Math.max(0, ...cleanLine(c.label).toUpperCase().split(' ').map((w) => this.t.width(w, HEADER_SIZE, true, 0.3)))
  }

  // -------------------------------------------------------------------------
  // Cells as text
  // -------------------------------------------------------------------------

  private text(col: ReportColumn, v: ReportRow['cells'][number], kind: ReportRow['kind']): string {
    if (v === null) return ''
    switch (col.kind) {
      case 'money':
        return kind === 'count' ? formatCount(v as number, this.locale) : this.money(v as number)
      case 'count':
      case 'units':
        return formatCount(v as number, this.locale)
      case 'date': {
        let d = this.dates.get(v as string)
        if (d === undefined) {
          if (this.dates.size > 4096) this.dates.clear()
          d = formatDate(v as string, this.locale, 'medium')
          this.dates.set(v as string, d)
        }
        return d
      }
      case 'percent':
        return `${this.percentFormat.format(String(v) as Intl.StringNumericLiteral)}%`
      default:
        return cleanLine(String(v))
    }
  }

  /**
   * An amount in the book's locale without the currency (the parameters say
   * it): formatMoney's 'none' display. Its formatToParts is slow for a
   * register, so when a plain decimal format of the exact amount gives the
   * same text (checked on a few amounts first) that is used instead.
   */
  private money(minor: number): string {
    if (this.moneyFormat === undefined) {
      const digits = currencyMinorDigits(this.currency)
      const f = new Intl.NumberFormat(this.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true })
      const same = [0, 5, -1, 123456789, -987654321012, 100].every(
        (m) => f.format(minorToDecimalString(m, this.currency) as Intl.StringNumericLiteral) === formatMoney(m, this.currency, this.locale, { display: 'none' })
      )
      this.moneyFormat = same ? f : null
    }
    return this.moneyFormat === null
      ? formatMoney(minor, this.currency, this.locale, { display: 'none' })
      : this.moneyFormat.format(minorToDecimalString(minor, this.currency) as Intl.StringNumericLiteral)
  }

  /** A cell's lines within its width (wrapped at spaces; a word wider than the column breaks between characters). */
  private wrapCell(s: string, w: number, bold: boolean): string[] {
    if (s === '') return []
    const plain = (bold ? this.plain.bold : this.plain.regular)?.width(s, SIZE) ?? null
    if (plain !== null ? plain <= w : this.t.width(s, SIZE, bold) <= w) return [s]
    return this.t.wrap(s, w, SIZE, bold)
  }

  // -------------------------------------------------------------------------
  // Pages
  // -------------------------------------------------------------------------

  private get bottom(): number {
    return this.page.footerTop - 4
  }

  /** Turns to a new page (the previous one handed on first); headers of the current table repeated. */
  private async newPage(): Promise<void> {
    if (this.pages > 0) {
      if (this.pages % 16 === 0) trimLayoutCaches(this.doc)
      await this.turn()
      throwIfAborted(this.opts.signal)
      this.opts.progress(this.done, this.total)
    }
    this.doc.addPage({ size: [this.page.width, this.page.height], margin: 0 })
    this.pages += 1
    footer(this.t, this.doc, this.madeLine, `Page ${this.pages}`, this.page)
    if (this.pages === 1) {
      this.y = letterhead(this.t, this.doc, this.report.profile, this.report.title.toUpperCase(), [{ text: this.report.subtitle, bold: true }], this.page) + 4
      return
    }
    const top = M + 10
    const titleW = this.t.line(this.report.title, M, top, { size: 9, bold: true, maxWidth: this.page.contentW / 2, minSize: 6.5 }).width
    this.t.line(this.report.subtitle, M + titleW + 10, top, { size: 8.5, color: MUTED, maxWidth: this.page.contentW - titleW - 10, minSize: 6 })
    horizontalRule(this.doc, M, this.page.right, top + 5, 0.5, RULE)
    this.y = top + 5
    if (this.current) {
      this.y += 14
      this.t.line(`${this.current.t.title} (continued)`, M, this.y, { size: 8.5, bold: true, color: MUTED, maxWidth: this.page.contentW, minSize: 6 })
      this.columnHeaders(this.current.t.columns, this.current.slots)
    }
  }

  /** Room for h points below y, or a new page (returns whether it turned). */
  private async room(h: number): Promise<boolean> {
    if (this.y + h <= this.bottom) return false
    await this.newPage()
    return true
  }

  /** The parameters, the currency and who made it, under the letterhead. */
  private parameters(): void {
    const parts = [...this.report.parameters.map((p) => `${p.label}: ${p.value}`), `Amounts in ${this.currency}`, this.madeLine]
    this.y = this.t.paragraph(parts.join('   ·   '), M, this.y + 12, { size: 8, color: MUTED, width: this.page.contentW, leading: 10 })
  }

  // -------------------------------------------------------------------------
  // Tables
  // -------------------------------------------------------------------------

  /** Column edges from the headers and the first rows: figures and dates as wide as they need, text shares the rest. */
  private layout(title: string, columns: ReportColumn[], sample: ReportRow[], rowCount: number | null): Slot[] {
    const avail = this.page.contentW
    const natural = columns.map((c) => this.headerWordWidth(c))
    const longest = columns.map(() => 0)
    sample.forEach((r, n) => {
      columns.forEach((c, i) => checkCell(c, r.cells[i] ?? null, { title }, n))
    })
    for (const r of sample) {
      const bold = r.style !== 'normal' && r.style !== 'opening'
      columns.forEach((c, i) => {
        const s = this.text(c, r.cells[i] ?? null, r.kind)
        if (s === '') return
        const w = (bold ? this.plain.bold : this.plain.regular)?.width(s, SIZE) ?? this.t.width(s, SIZE, bold)
        if (w > (longest[i] as number)) longest[i] = w
      })
    }
    // A total is wider than the rows it adds up: room for the largest sample times the rows (a guess; a wider total still wraps, never cut).
    const rows = Math.min(rowCount ?? 100_000, 10_000_000)
    columns.forEach((c, i) => {
      if (!c.total) return
      let largest = 0
      for (const r of sample) {
        const v = r.cells[i]
        if (typeof v === 'number' && Math.abs(v) > largest) largest = Math.abs(v)
      }
      const guess = Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, largest) * Math.max(1, rows))
      const s = c.kind === 'money' ? this.money(-guess) : formatCount(-guess, this.locale)
      const w = this.plain.bold?.width(s, SIZE) ?? this.t.width(s, SIZE, true)
      if (w / 1.25 > (longest[i] as number)) longest[i] = w / 1.25
    })
    const want = columns.map((c, i) => {
      // Figures get room to grow beyond the sample (a later, larger amount); text up to a third of the page on one line.
      const body = numeric(c) ? (longest[i] as number) * 1.25 + 6 : Math.min(longest[i] as number, avail / 3)
      return Math.max(natural[i] as number, body) + 2 * PAD
    })
    const widths = [...want]
    const fixed = columns.reduce((a, c, i) => a + (numeric(c) ? (want[i] as number) : 0), 0)
    let open = columns.map((c, i) => (numeric(c) ? -1 : i)).filter((i) => i >= 0)
    let remaining = avail - fixed
    if (open.length === 0 && remaining > 0) return this.slots(columns, want)
    if (open.length === 0 || remaining <= 0) {
      // No text to give room to, or figures alone fill the page: everything in proportion (a figure wraps between characters, never cut).
      const sum = want.reduce((a, b) => a + b, 0)
      return this.slots(columns, want.map((w) => (w * avail) / sum))
    }
    // Short text columns get all they want; the long ones share what is left evenly (at least their header's longest word).
    for (;;) {
      const fair = remaining / open.length
      const short = open.filter((i) => (want[i] as number) <= fair)
      if (short.length === 0) break
      for (const i of short) remaining -= want[i] as number
      open = open.filter((i) => (want[i] as number) > fair)
      if (open.length === 0) break
    }
    if (open.length > 0) {
      const fair = remaining / open.length
      for (const i of open) widths[i] = Math.max(fair, (natural[i] as number) + 2 * PAD)
    } else {
      // Room to spare: it goes to the text columns in proportion.
      const texts = columns.map((c, i) => (numeric(c) ? -1 : i)).filter((i) => i >= 0)
      const base = texts.reduce((a, i) => a + (want[i] as number), 0)
      for (const i of texts) widths[i] = (want[i] as number) + (remaining * (want[i] as number)) / base
    }
    const total = widths.reduce((a, b) => a + b, 0)
    return this.slots(columns, total > avail ? widths.map((w) => (w * avail) / total) : widths)
  }

  private slots(columns: ReportColumn[], widths: number[]): Slot[] {
    let x = M
    return columns.map((c, i) => {
      const slot = { x, w: widths[i] as number, right: numeric(c) }
      x += slot.w
      return slot
    })
  }

  private columnHeaders(columns: ReportColumn[], slots: Slot[]): void {
    const lines = columns.map((c, i) => this.t.wrap(c.label.toUpperCase(), (slots[i] as Slot).w - 2 * PAD, HEADER_SIZE, true))
    const n = Math.max(1, ...lines.map((l) => l.length))
    const h = 6 + n * 8.2 + 3
    const top = this.y + 5
    tint(this.doc, M, top, this.page.contentW, h)
    lines.forEach((ls, i) => {
      const s = slots[i] as Slot
      // Headers sit on the bottom line, like the figures under them.
      const first = top + 6 + (n - ls.length) * 8.2 + 5.6
      ls.forEach((l, k) => {
        this.t.line(l, s.right ? s.x + s.w - PAD : s.x + PAD, first + k * 8.2, { size: HEADER_SIZE, bold: true, color: '#333333', align: s.right ? 'right' : 'left', characterSpacing: 0.3 })
      })
    })
    this.y = top + h
  }

  private lay(columns: ReportColumn[], slots: Slot[], r: ReportRow): Laid {
    const bold = r.style === 'heading' || r.style === 'subtotal' || r.style === 'total'
    const lines = columns.map((c, i) => this.wrapCell(this.text(c, r.cells[i] ?? null, r.kind), (slots[i] as Slot).w - 2 * PAD, bold))
    const n = Math.max(1, ...lines.map((l) => l.length))
    return { lines, h: ROW_TOP + (n - 1) * LEADING + ROW_BOTTOM, bold, italic: r.style === 'opening', rule: r.style === 'total' || r.style === 'subtotal' ? 'above' : 'none' }
  }

  private draw(slots: Slot[], row: Laid): void {
    if (row.rule !== 'none') horizontalRule(this.doc, M, this.page.right, this.y + 0.5, row.rule === 'total' ? 0.9 : 0.5, row.rule === 'total' ? '#333333' : RULE)
    const base = this.y + ROW_TOP
    const color = row.italic ? MUTED : '#111111'
    const font = row.bold ? this.plain.bold : this.plain.regular
    row.lines.forEach((ls, i) => {
      const s = slots[i] as Slot
      ls.forEach((l, k) => {
        const y = base + k * LEADING
        const w = font?.width(l, SIZE) ?? null
        if (font && w !== null) {
          // Plain text in the primary font: straight to pdfkit (the typesetter would find the same font and width).
          this.doc.font(font.name).fontSize(SIZE).fillColor(color)
          const x = s.right ? s.x + s.w - PAD - w : s.x + PAD
          if (this.fragment) this.fragment.call(this.doc, l, x, y, { baseline: 'alphabetic', textWidth: w, wordCount: 1 })
          else this.doc.text(l, x, y, PLAIN_TEXT)
          return
        }
        this.t.line(l, s.right ? s.x + s.w - PAD : s.x + PAD, y, { size: SIZE, bold: row.bold, color, align: s.right ? 'right' : 'left' })
      })
    })
    this.y += row.h
  }

  /** A group's heading: a tinted band with the group's value (e.g. the member). */
  private groupHeading(label: string): void {
    const top = this.y + 3
    tint(this.doc, M, top, this.page.contentW, 14, '#e9e9e9')
    this.t.line(label === '' ? '(none)' : label, M + PAD, top + 10, { size: 8.5, bold: true, maxWidth: this.page.contentW - 2 * PAD, minSize: 6 })
    this.y = top + 14
  }

  private async table(t: ReportTable, index: number): Promise<void> {
    const columns = t.columns
    this.fingerprint.table(t)
    const it = t.rows()[Symbol.iterator]()
    try {
      const sample: ReportRow[] = []
      while (sample.length < SAMPLE_ROWS) {
        const next = it.next()
        if (next.done === true) break
        sample.push(next.value)
      }
      const slots = this.layout(t.title, columns, sample, t.rowCount)
      // The heading, the note, the column headers and the first rows go together.
      const noteLines = t.note === null ? 0 : this.t.wrap(t.note, this.page.contentW, 8).length
      await this.room((index === 0 ? 14 : 24) + noteLines * 10 + 30 + 3 * 12.5)
      this.y += index === 0 ? 18 : 24
      this.t.line(t.title, M, this.y, { size: 11, bold: true, maxWidth: this.page.contentW, minSize: 7 })
      if (t.note !== null) this.y = this.t.paragraph(t.note, M, this.y + 11, { size: 8, color: MUTED, width: this.page.contentW, leading: 10 })
      this.current = { t, slots }
      this.columnHeaders(columns, slots)

      const totals = newTotals(columns)
      let count = 0
      let group: string | null = null
      const put = async (r: ReportRow): Promise<void> => {
        for (let i = 0; i < columns.length; i++) checkCell(columns[i] as ReportColumn, r.cells[i] ?? null, t, count)
        this.fingerprint.row(r)
        addTotals(totals, columns, r, t, count)
        if (t.groupBy !== null) {
          const g = r.cells[t.groupBy]
          const label = g === null || g === undefined ? '' : this.text(columns[t.groupBy] as ReportColumn, g, r.kind)
          if (count === 0 || label !== group) {
            if (t.breakGroups && count > 0) await this.newPage()
            group = label
            if (r.style !== 'heading') {
              await this.room(14 + 3 + 12.5)
              this.groupHeading(label)
            }
          }
        }
        const laid = this.lay(columns, slots, r)
        await this.room(laid.h)
        this.draw(slots, laid)
        count += 1
        this.done += 1
      }
      for (const r of sample) await put(r)
      for (;;) {
        const next = it.next()
        if (next.done === true) break
        await put(next.value)
      }
      if (count === 0) {
        await this.room(16)
        this.y += 13
        this.t.line(t.empty, M + PAD, this.y, { size: 8.5, color: MUTED, maxWidth: this.page.contentW - 2 * PAD, minSize: 6 })
        this.y += 3
      } else {
        const sums = totalsRow(totals, columns, count)
        if (sums !== null) {
          const labelAt = columns.findIndex((c) => !c.total)
          const laid = this.lay(columns, slots, sums)
          if (labelAt >= 0) laid.lines[labelAt] = ['Total']
          laid.rule = 'total'
          laid.h += 2
          await this.room(laid.h + 2)
          this.y += 1
          this.draw(slots, laid)
          horizontalRule(this.doc, M, this.page.right, this.y, 0.5, '#333333')
          horizontalRule(this.doc, M, this.page.right, this.y + 1.6, 0.5, '#333333')
        }
      }
      this.current = null
    } finally {
      it.return?.()
    }
  }

  async paint(): Promise<void> {
    await this.newPage()
    this.parameters()
    for (const [i, t] of this.report.tables.entries()) await this.table(t, i)
    const rows = this.fingerprint.rows
    const fp = this.fingerprint.digest()
    await this.room(34)
    this.y += 12
    horizontalRule(this.doc, M, this.page.right, this.y, 0.5, RULE)
    this.y += 11
    const words = `End of report · ${formatCount(this.pages, this.locale)} ${this.pages === 1 ? 'page' : 'pages'} · ${formatCount(rows, this.locale)} ${rows === 1 ? 'row' : 'rows'}`
    this.t.line(words, M, this.y, { size: 8, bold: true })
    this.y += 11
    this.t.line(`Data fingerprint (SHA-256): ${fp}`, M, this.y, { size: 7.5, color: MUTED, maxWidth: this.page.contentW, minSize: 5.5 })
    throwIfAborted(this.opts.signal)
    this.opts.progress(this.done, this.total)
  }
}

/**
 * Writes the report to `file` (created or replaced, whole or not at all) as
 * a PDF. Returns the data rows, the pages and the data fingerprint. Throws
 * JobAborted when the signal aborts and RangeError for a cell that is not
 * what its column says, leaving nothing behind either way.
 */
export async function writeReportPdf(file: string, report: ReportDocument, opts: ReportPdfOptions): Promise<{ rows: number; pages: number; fingerprint: string }> {
  checkProfile(report.profile)
  throwIfAborted(opts.signal)
  const info: PDFKit.DocumentInfo = {
    Title: cleanLine(`${report.title} — ${report.subtitle}`),
    Author: cleanLine(report.profile.name),
    Subject: cleanLine(report.parameters.map((p) => `${p.label}: ${p.value}`).join('; ')),
    Creator: 'Coffer',
    CreationDate: opts.now,
    ModDate: opts.now
  }
  const fonts = fontsFor(report.profile, opts)
  return writePdfFile(file, info, fonts, async (doc, t, turn) => {
    const primary = fonts.families.findIndex((f) => f.primary)
    const hasBold = fonts.families[primary]?.bold !== null && fonts.families[primary]?.bold !== undefined
    const [regular = null, bold = null] = primary >= 0 ? plainLayout(doc, [`F${primary}`, ...(hasBold ? [`F${primary}b`] : [])]) : []
    const painter = new ReportPainter(doc, t, report, opts, turn, { regular, bold })
    await painter.paint()
    return { rows: painter.fingerprint.rows, pages: painter.pages, fingerprint: painter.fingerprint.digest() }
  })
}
