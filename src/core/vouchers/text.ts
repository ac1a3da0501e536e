/**
 * Drawing text on a pdfkit page with the embedded fonts of fonts.ts: every
 * string is split into runs by font coverage, measured run by run, and drawn
 * at an explicit baseline, so mixed-script lines share one baseline and
 * nothing ever flows onto a new page by itself.
 */
import type PDFDocument from 'pdfkit'
import { splitRuns, type Coverage, type FontSet } from './fonts'

type Doc = InstanceType<typeof PDFDocument>

interface Face {
  /** The name the font is registered under in the document. */
  name: string
  coverage: Coverage
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

/** Printable text on one line: NFC, control characters and lone surrogates out, whitespace collapsed. */
export function cleanLine(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cs}\u2028\u2029]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim()
}

interface Measured {
  runs: Array<{ font: Face; text: string; width: number }>
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
      const r: Face = { name: `F${i}`, coverage: family.regular.coverage }
      doc.registerFont(r.name, family.regular.data)
      regular.push(r)
      if (family.bold) {
        const b: Face = { name: `F${i}b`, coverage: family.bold.coverage }
        doc.registerFont(b.name, family.bold.data)
        bold.push(b)
      }
      // A character the bold face lacks is still better in the regular face than missing.
      bold.push(r)
    })
    this.regular = regular
    this.bold = bold
  }

  /** Runs of (already clean) text with their widths. */
  private measure(text: string, size: number, bold: boolean | undefined, spacing: number): Measured {
    const key = `${bold ? 'b' : 'r'}${size}/${spacing}/${text}`
    const hit = this.measured.get(key)
    if (hit) return hit
    const runs = splitRuns(text, bold ? this.bold : this.regular).map((run) => {
      this.doc.font(run.font.name).fontSize(size)
      return { ...run, width: this.doc.widthOfString(run.text, { characterSpacing: spacing }) }
    })
    const m: Measured = { runs, width: runs.reduce((sum, r) => sum + r.width, 0) }
    if (this.measured.size >= MEASURE_CACHE_LIMIT) this.measured.clear()
    this.measured.set(key, m)
    return m
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
    let cx = align === 'left' ? x : align === 'right' ? x - m.width : x - m.width / 2
    this.doc.fillColor(style.color ?? '#111111')
    for (const run of m.runs) {
      this.doc.font(run.font.name).fontSize(size)
      this.doc.text(run.text, cx, y, { lineBreak: false, baseline: 'alphabetic', characterSpacing: spacing })
      cx += run.width
    }
    return { width: m.width, size }
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
