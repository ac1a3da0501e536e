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

/**
 * A figure that turns out wider than its column (a row after the sample) is
 * drawn smaller, never wrapped: down to this size, and below it only if it
 * still would not fit (nothing is cut or split).
 */
const FIGURE_FLOOR = 5
/** A text column is not squeezed below this when deciding whether a table fits the page (it wraps at spaces). */
const TEXT_LEAST = 60
/** When a table is cut into slices, its leading label columns take up to this share of the width. */
const LABEL_SHARE = 0.3
/** Header lines: distance between baselines and the letter spacing. */
const HEADER_LEADING = 8.2
const HEADER_SPACING = 0.3

/** A column as laid out: which of the table's columns, its left edge and width. */
interface Slot {
  col: number
  x: number
  w: number
  right: boolean
}

/**
 * The columns drawn in one run of pages. A table too wide for the page is
 * cut into slices: its leading label columns on every slice, the other
 * columns shared out between them.
 */
interface Slice {
  slots: Slot[]
  /** The width the slots take (the rules and bands are this wide). */
  width: number
  part: number
  parts: number
  /** "Part 1 of 3 · columns 2–12 of 34: …", or null for a table printed whole. */
  words: string | null
}

/** A row ready to draw: its cells' lines, each cell's text size, and its height. */
interface Laid {
  lines: string[][]
  sizes: number[]
  h: number
  bold: boolean
  italic: boolean
  rule: 'none' | 'above' | 'total'
}

/**
 * What a slice's columns cover, from their headers: "Jan 2026 to Jul 2026";
 * for periods with their dates in brackets "Week 23, 2026 to Week 33, 2026
 * (1 Jun 2026 – 16 Aug 2026)", and a column that is not a period after
 * them ("… and Total").
 */
function coverage(labels: string[]): string {
  const clean = labels.map(cleanLine)
  const dated = /^(.+?)\s*\((.+?) – (.+?)\)$/u
  const periods = clean.map((l) => dated.exec(l))
  const first = periods.findIndex((m) => m !== null)
  const last = periods.findLastIndex((m) => m !== null)
  if (first < 0 || clean.length === 1) return clean.length === 1 ? (clean[0] ?? '') : `${clean[0] ?? ''} to ${clean[clean.length - 1] ?? ''}`
  const a = periods[first] as RegExpExecArray
  const b = periods[last] as RegExpExecArray
  const span = first === last ? (clean[first] ?? '') : `${a[1] ?? ''} to ${b[1] ?? ''} (${a[2] ?? ''} – ${b[3] ?? ''})`
  const before = clean.slice(0, first)
  const after = clean.slice(last + 1)
  return [...before, span].join(', ') + (after.length > 0 ? ` and ${after.join(', ')}` : '')
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
  private current: { t: ReportTable; slice: Slice } | null = null

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
    return Math.max(0, ...cleanLine(c.label).toUpperCase().split(' ').map((w) => this.t.width(w, HEADER_SIZE, true, HEADER_SPACING)))
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
      const { t, slice } = this.current
      const part = slice.parts > 1 ? ` · part ${slice.part} of ${slice.parts}` : ''
      this.t.line(`${t.title} (continued)${part}`, M, this.y, { size: 8.5, bold: true, color: MUTED, maxWidth: this.page.contentW, minSize: 6 })
      this.columnHeaders(t.columns, slice)
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

  /**
   * The slices a table is printed in (one when it fits the page). Figures
   * (money, counts, units, percent, dates) get at least the width of their
   * widest value as printed: among the sampled rows, the header's longest
   * word, and for a total column the total (exact when the sample is the
   * whole table, else estimated). Text columns take the rest and wrap at
   * spaces. When the figures and the text at its least do not fit, the
   * table is cut into slices across the page: the text columns before the
   * first figure repeat on each slice.
   */
  private layout(title: string, columns: ReportColumn[], sample: ReportRow[], rowCount: number | null, complete: boolean): Slice[] {
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
        const w = this.measure(s, SIZE, bold)
        if (w > (longest[i] as number)) longest[i] = w
      })
    }
    // The total, as wide as it will print: exact when every row was sampled, else the sampled average times the rows (and a minus sign).
    const rows = Math.min(rowCount ?? 100_000, 10_000_000)
    columns.forEach((c, i) => {
      if (!c.total || !numeric(c)) return
      let sum = 0
      let size = 0
      let n = 0
      for (const r of sample) {
        const v = r.cells[i]
        if (typeof v !== 'number') continue
        sum += v
        size += Math.abs(v)
        n += 1
      }
      const guess = complete ? sum : -(size / Math.max(1, n)) * Math.max(rows, sample.length)
      const amount = Math.sign(guess) * Math.min(Number.MAX_SAFE_INTEGER, Math.round(Math.abs(guess)))
      const s = c.kind === 'money' ? this.money(amount) : formatCount(amount, this.locale)
      const w = this.measure(s, SIZE, true)
      if (w > (longest[i] as number)) longest[i] = w
    })
    // A later row may hold a larger figure: two more digits' room unless every row was sampled (beyond that, its size shrinks).
    const slack = complete ? 0 : this.measure('00', SIZE, false)
    const need = columns.map((c, i) => (numeric(c) ? Math.max(natural[i] as number, (longest[i] as number) + slack) + 2 * PAD : 0))
    const want = columns.map((c, i) => (numeric(c) ? (need[i] as number) : Math.max(natural[i] as number, Math.min(longest[i] as number, avail / 3)) + 2 * PAD))
    const least = columns.map((c, i) => (numeric(c) ? (need[i] as number) : Math.max((natural[i] as number) + 2 * PAD, Math.min(want[i] as number, TEXT_LEAST))))
    const all = columns.map((_, i) => i)
    const sum = (ix: number[], of: number[]): number => ix.reduce((a, i) => a + (of[i] as number), 0)

    if (sum(all, least) <= avail || columns.every((c) => !numeric(c))) {
      return [this.slice(columns, all, this.share(columns, all, avail, want, least, true), 1, 1, null)]
    }
    // Too wide: the label columns (text before the first figure) repeat; the rest is cut into slices that fit.
    const firstFigure = columns.findIndex(numeric)
    const lead = all.slice(0, firstFigure)
    const rest = all.slice(firstFigure)
    const leadW = lead.length === 0 ? 0 : Math.min(avail / 2, Math.max(sum(lead, least), Math.min(sum(lead, want), avail * LABEL_SHARE)))
    const leadWidths = this.share(columns, lead, leadW, want, least, true)
    const room = avail - leadW
    const greedy: number[][] = []
    let chunk: number[] = []
    let used = 0
    for (const i of rest) {
      const w = least[i] as number
      if (chunk.length > 0 && used + w > room) {
        greedy.push(chunk)
        chunk = []
        used = 0
      }
      chunk.push(i)
      used += w
    }
    if (chunk.length > 0) greedy.push(chunk)
    // As even as the page allows: the same number of columns on each slice when that fits.
    const per = Math.ceil(rest.length / greedy.length)
    const even: number[][] = []
    for (let k = 0; k < rest.length; k += per) even.push(rest.slice(k, k + per))
    const chunks = even.length === greedy.length && even.every((c) => sum(c, least) <= room) ? even : greedy
    return chunks.map((c, p) => {
      const widths = new Map(leadWidths)
      const own = this.share(columns, c, room, want, least, false)
      for (const [i, w] of own) widths.set(i, w)
      const first = c[0] as number
      const last = c[c.length - 1] as number
      const span = first === last ? `column ${first + 1}` : `columns ${first + 1}–${last + 1}`
      const words = `${span[0]?.toUpperCase() ?? ''}${span.slice(1)} of ${columns.length}: ${coverage(c.map((i) => (columns[i] as ReportColumn).label))}`
      return this.slice(columns, [...lead, ...c], widths, p + 1, chunks.length, words)
    })
  }

  /**
   * Widths for some columns within `budget`: figures at what they need, text
   * sharing the rest (short text gets all it wants, long text shares evenly,
   * never below its least). Room to spare goes to the text in proportion
   * when `fill`, else a little to each figure (at most a fifth more).
   */
  private share(columns: ReportColumn[], ix: number[], budget: number, want: number[], least: number[], fill: boolean): Map<number, number> {
    const widths = new Map<number, number>()
    const texts = ix.filter((i) => !numeric(columns[i] as ReportColumn))
    const figures = ix.filter((i) => numeric(columns[i] as ReportColumn))
    let remaining = budget
    for (const i of figures) {
      widths.set(i, want[i] as number)
      remaining -= want[i] as number
    }
    const lowest = texts.reduce((a, i) => a + (least[i] as number), 0)
    if (remaining < lowest) {
      // Even the least does not fit (one slice cannot hold a single figure beside the labels): everything in proportion; figures shrink, never wrap.
      const total = ix.reduce((a, i) => a + (figures.includes(i) ? (want[i] as number) : (least[i] as number)), 0)
      for (const i of ix) widths.set(i, ((figures.includes(i) ? (want[i] as number) : (least[i] as number)) * budget) / total)
      return widths
    }
    let open = [...texts]
    for (;;) {
      if (open.length === 0) break
      const fair = remaining / open.length
      // Text that wants no more than its fair share gets it all; then text whose least is more than its share gets its least.
      let settled = open.filter((i) => (want[i] as number) <= fair)
      const take = settled.length > 0 ? want : least
      if (settled.length === 0) settled = open.filter((i) => (least[i] as number) >= fair)
      if (settled.length === 0) {
        for (const i of open) widths.set(i, fair)
        remaining = 0
        open = []
        break
      }
      for (const i of settled) {
        widths.set(i, take[i] as number)
        remaining -= take[i] as number
      }
      open = open.filter((i) => !settled.includes(i))
    }
    if (remaining > 0.5) {
      const base = texts.reduce((a, i) => a + (widths.get(i) as number), 0)
      if (fill && texts.length > 0) for (const i of texts) widths.set(i, (widths.get(i) as number) + (remaining * (widths.get(i) as number)) / base)
      else if (figures.length > 0) {
        const each = Math.min(remaining / figures.length, ...figures.map((i) => (want[i] as number) * 0.2))
        for (const i of figures) widths.set(i, (widths.get(i) as number) + each)
      }
    }
    return widths
  }

  private slice(columns: ReportColumn[], ix: number[], widths: Map<number, number>, part: number, parts: number, words: string | null): Slice {
    let x = M
    const slots = ix.map((i) => {
      const slot: Slot = { col: i, x, w: widths.get(i) as number, right: numeric(columns[i] as ReportColumn) }
      x += slot.w
      return slot
    })
    return { slots, width: Math.min(this.page.contentW, x - M), part, parts, words }
  }

  /** A header's lines: wrapped at spaces only; a word wider than its column shrinks the header's size instead of breaking. */
  private headerLines(label: string, w: number): { lines: string[]; size: number } {
    const words = cleanLine(label).toUpperCase().split(' ').filter((x) => x !== '')
    let size = HEADER_SIZE
    const widest = (): number => Math.max(0, ...words.map((x) => this.t.width(x, size, true, HEADER_SPACING)))
    while (size > 3 && widest() > w) size = Math.max(3, Math.floor(size * Math.min(0.97, w / widest()) * 20) / 20)
    const lines: string[] = []
    for (const word of words) {
      const last = lines[lines.length - 1]
      if (last !== undefined && this.t.width(`${last} ${word}`, size, true, HEADER_SPACING) <= w) lines[lines.length - 1] = `${last} ${word}`
      else lines.push(word)
    }
    return { lines, size }
  }

  private columnHeaders(columns: ReportColumn[], slice: Slice): void {
    const heads = slice.slots.map((s) => this.headerLines((columns[s.col] as ReportColumn).label, s.w - 2 * PAD))
    const n = Math.max(1, ...heads.map((l) => l.lines.length))
    const h = 6 + n * HEADER_LEADING + 3
    const top = this.y + 5
    tint(this.doc, M, top, slice.width, h)
    heads.forEach((head, i) => {
      const s = slice.slots[i] as Slot
      // Headers sit on the bottom line, like the figures under them.
      const first = top + 6 + (n - head.lines.length) * HEADER_LEADING + 5.6
      head.lines.forEach((l, k) => {
        this.t.line(l, s.right ? s.x + s.w - PAD : s.x + PAD, first + k * HEADER_LEADING, {
          size: head.size,
          bold: true,
          color: '#333333',
          align: s.right ? 'right' : 'left',
          characterSpacing: HEADER_SPACING
        })
      })
    })
    this.y = top + h
  }

  /** Width of one line of cell text (the primary font's fast measure when it applies). */
  private measure(s: string, size: number, bold: boolean): number {
    return (bold ? this.plain.bold : this.plain.regular)?.width(s, size) ?? this.t.width(s, size, bold)
  }

  private lay(columns: ReportColumn[], slice: Slice, r: ReportRow): Laid {
    const bold = r.style === 'heading' || r.style === 'subtotal' || r.style === 'total'
    const sizes: number[] = []
    const lines = slice.slots.map((s) => {
      const c = columns[s.col] as ReportColumn
      const text = this.text(c, r.cells[s.col] ?? null, r.kind)
      if (!s.right) {
        sizes.push(SIZE)
        return this.wrapCell(text, s.w - 2 * PAD, bold)
      }
      sizes.push(this.figureSize(text, s.w - 2 * PAD, bold))
      return text === '' ? [] : [text]
    })
    const n = Math.max(1, ...lines.map((l) => l.length))
    return { lines, sizes, h: ROW_TOP + (n - 1) * LEADING + ROW_BOTTOM, bold, italic: r.style === 'opening', rule: r.style === 'total' || r.style === 'subtotal' ? 'above' : 'none' }
  }

  /** The size a figure is drawn at: the cell size, or smaller so it fits on one line (never wrapped, never cut). */
  private figureSize(text: string, w: number, bold: boolean): number {
    if (text === '') return SIZE
    const natural = this.measure(text, SIZE, bold)
    if (natural <= w) return SIZE
    const floor = Math.floor(((SIZE * w) / natural) * 20) / 20
    return floor >= FIGURE_FLOOR ? floor : Math.max(0.5, floor)
  }

  private draw(slice: Slice, row: Laid): void {
    if (row.rule !== 'none') horizontalRule(this.doc, M, M + slice.width, this.y + 0.5, row.rule === 'total' ? 0.9 : 0.5, row.rule === 'total' ? '#333333' : RULE)
    const base = this.y + ROW_TOP
    const color = row.italic ? MUTED : '#111111'
    const font = row.bold ? this.plain.bold : this.plain.regular
    row.lines.forEach((ls, i) => {
      const s = slice.slots[i] as Slot
      const size = row.sizes[i] ?? SIZE
      ls.forEach((l, k) => {
        const y = base + k * LEADING
        const w = font?.width(l, size) ?? null
        if (font && w !== null) {
          // Plain text in the primary font: straight to pdfkit (the typesetter would find the same font and width).
          this.doc.font(font.name).fontSize(size).fillColor(color)
          const x = s.right ? s.x + s.w - PAD - w : s.x + PAD
          if (this.fragment) this.fragment.call(this.doc, l, x, y, { baseline: 'alphabetic', textWidth: w, wordCount: 1 })
          else this.doc.text(l, x, y, PLAIN_TEXT)
          return
        }
        this.t.line(l, s.right ? s.x + s.w - PAD : s.x + PAD, y, { size, bold: row.bold, color, align: s.right ? 'right' : 'left' })
      })
    })
    this.y += row.h
  }

  /** A group's heading: a tinted band with the group's value (e.g. the member). */
  private groupHeading(label: string, width: number): void {
    const top = this.y + 3
    tint(this.doc, M, top, width, 14, '#e9e9e9')
    this.t.line(label === '' ? '(none)' : label, M + PAD, top + 10, { size: 8.5, bold: true, maxWidth: this.page.contentW - 2 * PAD, minSize: 6 })
    this.y = top + 14
  }

  /** A table's heading, its note (first slice only) and which columns this slice holds. */
  private heading(t: ReportTable, slice: Slice, index: number): void {
    this.y += index === 0 && slice.part === 1 ? 18 : 24
    this.t.line(slice.parts === 1 ? t.title : `${t.title} (part ${slice.part} of ${slice.parts})`, M, this.y, { size: 11, bold: true, maxWidth: this.page.contentW, minSize: 7 })
    if (t.note !== null && slice.part === 1) this.y = this.t.paragraph(t.note, M, this.y + 11, { size: 8, color: MUTED, width: this.page.contentW, leading: 10 })
    if (slice.words !== null) this.y = this.t.paragraph(slice.words, M, this.y + 11, { size: 8, bold: true, color: '#333333', width: this.page.contentW, leading: 10 })
  }

  private async table(t: ReportTable, index: number): Promise<void> {
    const columns = t.columns
    this.fingerprint.table(t)
    let slices: Slice[] = []
    let sample: ReportRow[] = []
    let complete = false
    let count = 0
    let sums: ReportRow | null = null
    const it = t.rows()[Symbol.iterator]()
    try {
      while (sample.length < SAMPLE_ROWS) {
        const next = it.next()
        if (next.done === true) {
          complete = true
          break
        }
        sample.push(next.value)
      }
      slices = this.layout(t.title, columns, sample, t.rowCount, complete)
      const slice = slices[0] as Slice
      // The heading, the note, the column headers and the first rows go together.
      const noteLines = (t.note === null ? 0 : this.t.wrap(t.note, this.page.contentW, 8).length) + (slice.words === null ? 0 : 1)
      await this.room((index === 0 ? 14 : 24) + noteLines * 10 + 30 + 3 * 12.5)
      this.heading(t, slice, index)
      this.current = { t, slice }
      this.columnHeaders(columns, slice)

      const totals = newTotals(columns)
      const put = this.rowPutter(t, slice, (r) => {
        for (let i = 0; i < columns.length; i++) checkCell(columns[i] as ReportColumn, r.cells[i] ?? null, t, count)
        this.fingerprint.row(r)
        addTotals(totals, columns, r, t, count)
        count += 1
        this.done += 1
      })
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
        this.current = null
        return
      }
      sums = totalsRow(totals, columns, count)
      if (sums !== null) await this.totalsLine(columns, slice, sums)
    } finally {
      it.return?.()
    }
    if (complete) sample = sample.slice(0, count)
    else sample = []
    // Each further slice: its own run of pages, every row again (read again unless the sample was the whole table), the totals under it.
    for (const slice of slices.slice(1)) {
      this.current = null
      await this.newPage()
      this.heading(t, slice, index)
      this.current = { t, slice }
      this.columnHeaders(columns, slice)
      const put = this.rowPutter(t, slice, () => undefined)
      if (complete) for (const r of sample) await put(r)
      else {
        const again = t.rows()[Symbol.iterator]()
        try {
          for (;;) {
            const next = again.next()
            if (next.done === true) break
            await put(next.value)
          }
        } finally {
          again.return?.()
        }
      }
      if (sums !== null) await this.totalsLine(columns, slice, sums)
    }
    this.current = null
  }

  /** Draws the rows of one slice, one at a time, with group headings; `seen` is told of each row before it is drawn. */
  private rowPutter(t: ReportTable, slice: Slice, seen: (r: ReportRow) => void): (r: ReportRow) => Promise<void> {
    const columns = t.columns
    let n = 0
    let group: string | null = null
    return async (r: ReportRow): Promise<void> => {
      seen(r)
      if (t.groupBy !== null) {
        const g = r.cells[t.groupBy]
        const label = g === null || g === undefined ? '' : this.text(columns[t.groupBy] as ReportColumn, g, r.kind)
        if (n === 0 || label !== group) {
          if (t.breakGroups && n > 0) await this.newPage()
          group = label
          if (r.style !== 'heading') {
            await this.room(14 + 3 + 12.5)
            this.groupHeading(label, slice.width)
          }
        }
      }
      n += 1
      const laid = this.lay(columns, slice, r)
      await this.room(laid.h)
      this.draw(slice, laid)
    }
  }

  /** The exact totals under a slice, "Total" in its first column that is not a total. */
  private async totalsLine(columns: ReportColumn[], slice: Slice, sums: ReportRow): Promise<void> {
    const laid = this.lay(columns, slice, sums)
    const labelAt = slice.slots.findIndex((s) => !(columns[s.col] as ReportColumn).total)
    if (labelAt >= 0) {
      laid.lines[labelAt] = ['Total']
      laid.sizes[labelAt] = SIZE
    }
    laid.rule = 'total'
    laid.h += 2
    await this.room(laid.h + 2)
    this.y += 1
    this.draw(slice, laid)
    horizontalRule(this.doc, M, M + slice.width, this.y, 0.5, '#333333')
    horizontalRule(this.doc, M, M + slice.width, this.y + 1.6, 0.5, '#333333')
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
