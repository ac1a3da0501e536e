/**
 * Drawing text on a pdfkit page with the embedded fonts of fonts.ts: every
 * string is split into runs by font coverage, measured run by run, and drawn
 * at an explicit baseline, so mixed-script lines share one baseline and
 * nothing ever flows onto a new page by itself. A character no font has is
 * drawn as U+FFFD (a visible replacement, never a blank). A run whose glyphs
 * are shaped out of their logical order (Indic conjuncts and pre-base vowel
 * signs, Myanmar, Khmer, Sinhala) carries its text as ActualText, so copying
 * or searching the PDF finds the name as it was typed.
 */
import type PDFDocument from 'pdfkit'
import { hasRtl, visualTokens } from './bidi'
import { missingCharacters, replaceMissing, splitRuns, type Coverage, type FontFile, type FontSet } from './fonts'
import * as fontkit from 'fontkit'

type Doc = InstanceType<typeof PDFDocument>

interface Face {
  /** The name the font is registered under in the document. */
  name: string
  coverage: Coverage
  primary: boolean
}

/**
 * Text whose glyphs may come out of logical order once shaped: marks and
 * joiners of a script written left to right (Latin with a combining accent
 * too; harmless). Right-to-left words are left to the reader's own bidi.
 */
const SHAPED = /[\p{M}\u200C\u200D]/u

/** A PDF text string in UTF-16BE with its byte order mark, as hex. */
function pdfTextString(text: string): string {
  const utf16 = Buffer.from(text, 'utf16le').swap16()
  return `<FEFF${utf16.toString('hex').toUpperCase()}>`
}

/**
 * Draw with `draw` (one pdfkit text call) inside a /Span marked-content
 * sequence whose ActualText is `text`. The sequence goes inside the text
 * object (after BT, before ET): pdfkit wraps each text call in a save/restore
 * with a flip of the page, and a reader (poppler) places the ActualText with
 * the graphics state it has when the sequence ends, so outside the text
 * object the name would be found at the mirrored height. pdfkit has no hook
 * for this; the BT and ET it writes are recognised on their way out. If they
 * are not seen, the text is drawn without ActualText (still right on paper).
 */
function withActualText(doc: Doc, text: string, draw: () => void): void {
  const target = doc as unknown as { addContent: (data: string) => unknown }
  const original = target.addContent
  let open = false
  target.addContent = function (this: unknown, data: string): unknown {
    if (data === 'ET' && open) {
      original.call(this, 'EMC')
      open = false
    }
    const result = original.call(this, data)
    if (data === 'BT' && !open) {
      original.call(this, `/Span <</ActualText ${pdfTextString(text)}>> BDC`)
      open = true
    }
    return result
  }
  try {
    draw()
  } finally {
    delete (target as { addContent?: unknown }).addContent
    if (target.addContent !== original) target.addContent = original
  }
}

/**
 * Each font parsed once for the process, not once per document: pdfkit given
 * a path or bytes parses the file afresh (fontkit.create) for every PDF and
 * decodes its layout tables again, ~25 ms of a 35 ms voucher. Handed the
 * parsed font it only subsets and embeds it; the PDF is the same, byte for
 * byte. A system font kept off the heap (no `data`) is still given by path.
 */
const parsedFonts = new Map<string, fontkit.Font>()

function parsed(file: FontFile & { data: Buffer }): fontkit.Font {
  const key = `${file.file}\u0000${file.postscriptName ?? ''}`
  let font = parsedFonts.get(key)
  if (font === undefined) {
    font = file.postscriptName !== null ? fontkit.create(file.data, file.postscriptName) : fontkit.create(file.data)
    parsedFonts.set(key, font)
  }
  return font
}

function register(doc: Doc, name: string, file: FontFile): void {
  if (file.data) {
    // pdfkit's types know paths and bytes; its font factory also takes a parsed font (any object with `layout`).
    doc.registerFont(name, parsed({ ...file, data: file.data }) as unknown as string)
    return
  }
  if (file.postscriptName !== null) doc.registerFont(name, file.file, file.postscriptName)
  else doc.registerFont(name, file.file)
}

export type Align = 'left' | 'right' | 'center'

export interface LineStyle {
  size: number
  bold?: boolean
  color?: string
  /** For 'left', x is the left edge; for 'right', the right edge; for 'center', the middle. */
  align?: Align
  /** Narrow the text to this width: shrink down to `minSize`, then cut with an ellipsis. */
  maxWidth?: number
  minSize?: number
  characterSpacing?: number
}

export interface ParagraphStyle {
  size: number
  bold?: boolean
  color?: string
  width: number
  /** Distance between baselines; default 1.25 × size. */
  leading?: number
  /** Further lines are dropped and the last kept line ends in an ellipsis. */
  maxLines?: number
}

const ELLIPSIS = '…'

/**
 * Printable text on one line: NFC, whitespace collapsed; control characters,
 * lone surrogates and bidi controls (marks, embeddings, isolates: the layout
 * does its own ordering, see bidi.ts) out.
 */
export function cleanLine(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/gu, '')
    .replace(/[\p{Cc}\p{Cs}\u2028\u2029]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim()
}

interface Piece {
  font: Face
  text: string
  /** Offset from the start of the line. */
  dx: number
}

interface Measured {
  pieces: Piece[]
  width: number
}

/** Measurements kept for strings that repeat on every page (labels, the letterhead); cleared when full. */
const MEASURE_CACHE_LIMIT = 2048

export class Typesetter {
  private readonly regular: Face[]
  private readonly bold: Face[]
  private readonly measured = new Map<string, Measured>()

  constructor(
    private readonly doc: Doc,
    fonts: FontSet
  ) {
    const regular: Face[] = []
    const bold: Face[] = []
    fonts.families.forEach((family, i) => {
      const r: Face = { name: `F${i}`, coverage: family.regular.coverage, primary: family.primary }
      register(doc, r.name, family.regular)
      regular.push(r)
      if (family.bold) {
        const b: Face = { name: `F${i}b`, coverage: family.bold.coverage, primary: family.primary }
        register(doc, b.name, family.bold)
        bold.push(b)
      }
      // A character the bold face lacks is still better in the regular face than missing.
      bold.push(r)
    })
    this.regular = regular
    this.bold = bold
  }

  /** Width of one font run (pdfkit lays it out word by word). */
  private runWidth(run: { font: Face; text: string }, size: number, spacing: number): number {
    this.doc.font(run.font.name).fontSize(size)
    return this.doc.widthOfString(run.text, { characterSpacing: spacing })
  }

  /**
   * Where each piece of a line (already clean) goes. Left-to-right text is a
   * few font runs; a line with right-to-left words is drawn word by word in
   * visual order (see bidi.ts).
   */
  private measure(line: string, size: number, bold: boolean | undefined, spacing: number): Measured {
    const key = `${bold ? 'b' : 'r'}${size}/${spacing}/${line}`
    const hit = this.measured.get(key)
    if (hit) return hit
    const faces = bold ? this.bold : this.regular
    const text = replaceMissing(line, this.regular)
    const pieces: Piece[] = []
    let x = 0
    if (!hasRtl(text)) {
      for (const run of splitRuns(text, faces)) {
        pieces.push({ ...run, dx: x })
        x += this.runWidth(run, size, spacing)
      }
    } else {
      const space = this.runWidth({ font: faces[0] as Face, text: ' ' }, size, spacing) + spacing
      visualTokens(text).forEach((token, i) => {
        if (i > 0) x += space
        for (const run of splitRuns(token, faces)) {
          pieces.push({ ...run, dx: x })
          x += this.runWidth(run, size, spacing)
        }
      })
    }
    const m: Measured = { pieces, width: x }
    if (this.measured.size >= MEASURE_CACHE_LIMIT) this.measured.clear()
    this.measured.set(key, m)
    return m
  }

  /** The characters of the text no font has (printed as U+FFFD). */
  missing(text: string): string[] {
    return missingCharacters(cleanLine(text), this.regular)
  }

  /** Width in points of one line of (already clean) text. */
  width(text: string, size: number, bold?: boolean, characterSpacing = 0): number {
    return this.measure(text, size, bold, characterSpacing).width
  }

  /**
   * Draw one line with its baseline at y. Returns the drawn width and the size
   * used (smaller than asked when it was shrunk to fit).
   */
  line(text: string, x: number, y: number, style: LineStyle): { width: number; size: number } {
    let s = cleanLine(text)
    if (s === '') return { width: 0, size: style.size }
    const spacing = style.characterSpacing ?? 0
    let size = style.size
    let m = this.measure(s, size, style.bold, spacing)
    if (style.maxWidth !== undefined && m.width > style.maxWidth) {
      const minSize = style.minSize ?? size
      size = Math.max(minSize, Math.floor(((size * style.maxWidth) / m.width) * 4) / 4)
      m = this.measure(s, size, style.bold, spacing)
      if (m.width > style.maxWidth) {
        s = this.cut(s, style.maxWidth, size, style.bold, spacing)
        m = this.measure(s, size, style.bold, spacing)
      }
    }
    const align = style.align ?? 'left'
    const left = align === 'left' ? x : align === 'right' ? x - m.width : x - m.width / 2
    this.doc.fillColor(style.color ?? '#111111')
    for (const piece of m.pieces) {
      this.doc.font(piece.font.name).fontSize(size)
      const options = { lineBreak: false, baseline: 'alphabetic' as const, characterSpacing: spacing }
      if (SHAPED.test(piece.text) && !hasRtl(piece.text)) withActualText(this.doc, piece.text, () => this.doc.text(piece.text, left + piece.dx, y, options))
      else this.doc.text(piece.text, left + piece.dx, y, options)
    }
    return { width: m.width, size }
  }

  /**
   * Text that must be printed whole (a name): one line, shrunk down to
   * `minSize` if need be; failing that, the largest size from `size` down to
   * `minSize` at which it wraps onto at most `maxLines` lines (cut with an
   * ellipsis only if even that fails). Returns the baseline of the last line.
   */
  fit(
    text: string,
    x: number,
    y: number,
    style: { size: number; minSize: number; width: number; maxLines: number; bold?: boolean; color?: string }
  ): number {
    const s = cleanLine(text)
    const natural = this.width(s, style.size, style.bold)
    const oneLine = Math.min(style.size, Math.floor(((style.size * style.width) / Math.max(1, natural)) * 4) / 4)
    if (oneLine >= style.minSize || style.maxLines <= 1) {
      this.line(s, x, y, { size: style.size, bold: style.bold, color: style.color, maxWidth: style.width, minSize: style.minSize })
      return y
    }
    let size = style.size
    while (size > style.minSize && this.wrap(s, style.width, size, style.bold).length > style.maxLines) size -= 0.5
    size = Math.max(size, style.minSize)
    return this.paragraph(s, x, y, {
      size,
      bold: style.bold,
      color: style.color,
      width: style.width,
      maxLines: style.maxLines,
      leading: size * 1.18
    })
  }

  /** The longest prefix of s that fits maxWidth with an ellipsis after it. */
  private cut(s: string, maxWidth: number, size: number, bold: boolean | undefined, spacing = 0): string {
    const chars = [...s]
    let lo = 0
    let hi = chars.length
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      const candidate = chars.slice(0, mid).join('').trimEnd() + ELLIPSIS
      if (this.width(candidate, size, bold, spacing) <= maxWidth) lo = mid
      else hi = mid - 1
    }
    return chars.slice(0, lo).join('').trimEnd() + ELLIPSIS
  }

  /**
   * Greedy word wrap of one paragraph into lines no wider than `width`
   * (words are measured one by one; kerning across a space is ignored).
   */
  wrap(text: string, width: number, size: number, bold?: boolean): string[] {
    const words = cleanLine(text).split(' ').filter((w) => w !== '')
    const space = this.width(' ', size, bold)
    const lines: string[] = []
    let current: string[] = []
    let currentW = 0
    for (let word of words) {
      let w = this.width(word, size, bold)
      if (current.length > 0 && currentW + space + w <= width) {
        current.push(word)
        currentW += space + w
        continue
      }
      if (current.length > 0) lines.push(current.join(' '))
      current = []
      currentW = 0
      // A single word wider than the line is broken between characters.
      while (w > width) {
        const chars = [...word]
        let n = chars.length - 1
        while (n > 1 && this.width(chars.slice(0, n).join(''), size, bold) > width) n--
        lines.push(chars.slice(0, n).join(''))
        word = chars.slice(n).join('')
        w = this.width(word, size, bold)
      }
      current = [word]
      currentW = w
    }
    if (current.length > 0) lines.push(current.join(' '))
    return lines
  }

  /**
   * Draw wrapped text whose first baseline is at y. Returns the baseline of
   * the last line drawn (y itself when there was nothing to draw).
   */
  paragraph(text: string, x: number, y: number, style: ParagraphStyle): number {
    let lines = this.wrap(text, style.width, style.size, style.bold)
    if (style.maxLines !== undefined && lines.length > style.maxLines) {
      const kept = lines.slice(0, style.maxLines)
      const last = kept.length - 1
      kept[last] = this.cut(`${kept[last] ?? ''} ${lines[style.maxLines] ?? ''}`, style.width, style.size, style.bold)
      lines = kept
    }
    const leading = style.leading ?? style.size * 1.25
    let baseline = y
    lines.forEach((l, i) => {
      baseline = y + i * leading
      this.line(l, x, baseline, { size: style.size, bold: style.bold, color: style.color })
    })
    return baseline
  }
}
