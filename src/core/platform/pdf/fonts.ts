/**
 * Fonts for printed documents, and which font draws which character.
 *
 * Every piece of text in a voucher is drawn with an embedded Unicode font
 * (never a PDF standard-14 font, which only knows WinAnsi Latin). The fonts
 * come from one folder (resources/fonts/ in the app):
 *
 * - The primary family is DejaVu Sans: `DejaVuSans.ttf` and
 *   `DejaVuSans-Bold.ttf`, both required. It covers Latin with all its
 *   diacritics, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic
 *   letters, and most currency symbols.
 * - Any other `*.ttf` / `*.otf` file in the folder is a fallback family,
 *   tried in file-name order for characters the primary lacks. `Name.ttf` or
 *   `Name-Regular.ttf` is the regular face; `Name-Bold.ttf` its bold (without
 *   one, bold text in that family uses the regular face). To print names in
 *   Chinese, Japanese or Korean, drop a CJK font here (for example
 *   `NotoSansSC-Regular.otf`, static instances only, not variable fonts and
 *   not .ttc collections); none is shipped, to keep the app small.
 *
 * A line of text is split into runs, each drawn with the first font that has
 * glyphs for its characters (combining marks, joiners and variation selectors
 * stay with their base character). A character no font has is drawn by the
 * primary font as its "missing glyph" box.
 *
 * Limits (pdfkit/fontkit): glyphs are shaped per run, so Arabic letters join,
 * but there is no bidirectional reordering: right-to-left text (Arabic,
 * Hebrew) comes out in logical order, i.e. mirrored. Indic scripts get only
 * the shaping fontkit does.
 */
import fs from 'node:fs'
import path from 'node:path'

/** The primary family's files, required in the fonts folder. */
export const PRIMARY_REGULAR = 'DejaVuSans.ttf'
export const PRIMARY_BOLD = 'DejaVuSans-Bold.ttf'

/** Which Unicode code points a font maps to a glyph. */
export interface Coverage {
  has(codePoint: number): boolean
}

export interface FontFile {
  /** Absolute path. */
  file: string
  data: Buffer
  coverage: Coverage
}

export interface FontFamily {
  name: string
  regular: FontFile
  bold: FontFile | null
}

export interface FontSet {
  dir: string
  /** The primary family first, then the fallbacks in file-name order. */
  families: FontFamily[]
}

// ---------------------------------------------------------------------------
// cmap coverage
// ---------------------------------------------------------------------------

class RangeCoverage implements Coverage {
  /** Sorted, non-overlapping [start, end] pairs, flattened. */
  private readonly ranges: Uint32Array

  constructor(pairs: number[]) {
    this.ranges = Uint32Array.from(pairs)
  }

  has(cp: number): boolean {
    const r = this.ranges
    let lo = 0
    let hi = r.length / 2 - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const start = r[mid * 2] ?? 0
      const end = r[mid * 2 + 1] ?? 0
      if (cp < start) hi = mid - 1
      else if (cp > end) lo = mid + 1
      else return true
    }
    return false
  }
}

/** Add code point cp to a list of ranges built in increasing order. */
function pushCodePoint(pairs: number[], cp: number): void {
  const n = pairs.length
  if (n > 0 && pairs[n - 1] === cp - 1) pairs[n - 1] = cp
  else if (n > 0 && (pairs[n - 1] ?? -1) >= cp) return
  else pairs.push(cp, cp)
}

function normalise(pairs: number[]): number[] {
  const list: Array<[number, number]> = []
  for (let i = 0; i < pairs.length; i += 2) list.push([pairs[i] ?? 0, pairs[i + 1] ?? 0])
  list.sort((a, b) => a[0] - b[0])
  const out: number[] = []
  for (const [s, e] of list) {
    const n = out.length
    if (n > 0 && s <= (out[n - 1] ?? 0) + 1) out[n - 1] = Math.max(out[n - 1] ?? 0, e)
    else out.push(s, e)
  }
  return out
}

function cmapFormat4(buf: Buffer, off: number): number[] {
  const segX2 = buf.readUInt16BE(off + 6)
  const endCodes = off + 14
  const startCodes = endCodes + segX2 + 2
  const idDeltas = startCodes + segX2
  const idRangeOffsets = idDeltas + segX2
  const pairs: number[] = []
  for (let i = 0; i < segX2; i += 2) {
    const end = buf.readUInt16BE(endCodes + i)
    const start = buf.readUInt16BE(startCodes + i)
    const delta = buf.readUInt16BE(idDeltas + i)
    const rangeOffsetAt = idRangeOffsets + i
    const rangeOffset = buf.readUInt16BE(rangeOffsetAt)
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff
      else {
        const at = rangeOffsetAt + rangeOffset + (c - start) * 2
        if (at + 2 > buf.length) continue
        glyph = buf.readUInt16BE(at)
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff
      }
      if (glyph !== 0) pushCodePoint(pairs, c)
    }
  }
  return pairs
}

function cmapFormat12(buf: Buffer, off: number): number[] {
  const groups = buf.readUInt32BE(off + 12)
  const pairs: number[] = []
  for (let i = 0; i < groups; i++) {
    const g = off + 16 + i * 12
    let start = buf.readUInt32BE(g)
    const end = buf.readUInt32BE(g + 4)
    const glyph = buf.readUInt32BE(g + 8)
    if (glyph === 0) start += 1 // the first code maps to .notdef
    if (start <= end) pairs.push(start, end)
  }
  return pairs
}

/**
 * The code points a TrueType/OpenType font maps to real glyphs, read from its
 * `cmap` table (format 12 preferred, else format 4). Throws on a file that is
 * not a single sfnt font (a .ttc collection, WOFF, or garbage).
 */
export function readCoverage(buf: Buffer, what = 'font'): Coverage {
  const fail = (why: string): never => {
    throw new Error(`Cannot read ${what}: ${why}`)
  }
  if (buf.length < 12) fail('file is too short')
  const tag = buf.readUInt32BE(0)
  if (tag === 0x74746366) fail('font collections (.ttc) are not supported; use a single .ttf or .otf')
  if (tag !== 0x00010000 && tag !== 0x4f54544f && tag !== 0x74727565) fail('not a TrueType or OpenType font')
  const numTables = buf.readUInt16BE(4)
  let cmap = -1
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16
    if (rec + 16 > buf.length) fail('truncated table directory')
    if (buf.toString('latin1', rec, rec + 4) === 'cmap') cmap = buf.readUInt32BE(rec + 8)
  }
  if (cmap < 0 || cmap + 4 > buf.length) fail('no cmap table')
  const subtables = buf.readUInt16BE(cmap + 2)
  let best12 = -1
  let best4 = -1
  for (let i = 0; i < subtables; i++) {
    const rec = cmap + 4 + i * 8
    const platform = buf.readUInt16BE(rec)
    const encoding = buf.readUInt16BE(rec + 2)
    const off = cmap + buf.readUInt32BE(rec + 4)
    if (off + 4 > buf.length) continue
    const format = buf.readUInt16BE(off)
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10))
    if (!unicode) continue
    if (format === 12 && best12 < 0) best12 = off
    if (format === 4 && best4 < 0) best4 = off
  }
  if (best12 >= 0) return new RangeCoverage(normalise(cmapFormat12(buf, best12)))
  if (best4 >= 0) return new RangeCoverage(normalise(cmapFormat4(buf, best4)))
  return fail('no Unicode cmap (format 4 or 12)')
}

// ---------------------------------------------------------------------------
// The fonts folder
// ---------------------------------------------------------------------------

const fileCache = new Map<string, FontFile>()

function loadFontFile(file: string): FontFile {
  const abs = path.resolve(file)
  const stat = fs.statSync(abs)
  const key = `${abs}\u0000${stat.size}\u0000${stat.mtimeMs}`
  const cached = fileCache.get(key)
  if (cached) return cached
  const data = fs.readFileSync(abs)
  const loaded: FontFile = { file: abs, data, coverage: readCoverage(data, abs) }
  fileCache.set(key, loaded)
  return loaded
}

const FONT_FILE = /\.(ttf|otf)$/i

/** Read the fonts folder; see the module comment for what it must hold. */
export function loadFontSet(dir: string): FontSet {
  const absDir = path.resolve(dir)
  let names: string[]
  try {
    names = fs.readdirSync(absDir)
  } catch (e) {
    throw new Error(`Fonts folder cannot be read: ${absDir} (${(e as Error).message})`)
  }
  for (const required of [PRIMARY_REGULAR, PRIMARY_BOLD]) {
    if (!names.includes(required)) throw new Error(`Fonts folder ${absDir} has no ${required}`)
  }
  const primary: FontFamily = {
    name: 'DejaVuSans',
    regular: loadFontFile(path.join(absDir, PRIMARY_REGULAR)),
    bold: loadFontFile(path.join(absDir, PRIMARY_BOLD))
  }

  const byFamily = new Map<string, { regular?: string; bold?: string }>()
  for (const name of [...names].sort()) {
    if (!FONT_FILE.test(name) || name === PRIMARY_REGULAR || name === PRIMARY_BOLD) continue
    const stem = name.replace(FONT_FILE, '')
    const bold = /-bold$/i.test(stem)
    const family = stem.replace(/-(regular|bold)$/i, '')
    const entry = byFamily.get(family) ?? {}
    if (bold) entry.bold = name
    else if (entry.regular === undefined || /-regular$/i.test(stem)) entry.regular = name
    byFamily.set(family, entry)
  }
  const families: FontFamily[] = [primary]
  for (const [name, entry] of byFamily) {
    const regularName = entry.regular ?? entry.bold
    if (regularName === undefined) continue
    families.push({
      name,
      regular: loadFontFile(path.join(absDir, regularName)),
      bold: entry.bold !== undefined && entry.regular !== undefined ? loadFontFile(path.join(absDir, entry.bold)) : null
    })
  }
  return { dir: absDir, families }
}

// ---------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------

export interface Run<F> {
  font: F
  text: string
}

/** Characters that belong to the run of the character before them. */
const CLUSTER_CONTINUATION = /\p{M}|\u200C|\u200D/u // marks (variation selectors are marks too) and joiners
const SPACE = /\s/u

function covering<F extends { coverage: Coverage }>(fonts: readonly F[], ch: string): F | undefined {
  const cp = ch.codePointAt(0) ?? 0
  return fonts.find((f) => f.coverage.has(cp))
}

/**
 * Split text into runs of the first font (in `fonts` order) that covers each
 * character. Whitespace and combining characters stay in the current run. A
 * character no font covers is replaced by its compatibility form when the
 * fonts have that (fullwidth ￥ → ¥, ﬁ → fi); otherwise it goes to fonts[0],
 * which draws its missing-glyph box.
 */
export function splitRuns<F extends { coverage: Coverage }>(text: string, fonts: readonly F[]): Run<F>[] {
  const first = fonts[0]
  if (first === undefined) throw new Error('splitRuns needs at least one font')
  const runs: Run<F>[] = []
  let current: Run<F> | null = null
  const add = (ch: string, font: F): void => {
    if (current !== null && current.font === font) current.text += ch
    else {
      current = { font, text: ch }
      runs.push(current)
    }
  }
  for (const ch of text) {
    if (current !== null && (SPACE.test(ch) || CLUSTER_CONTINUATION.test(ch))) {
      add(ch, (current as Run<F>).font)
      continue
    }
    const font = covering(fonts, ch)
    if (font) {
      add(ch, font)
      continue
    }
    const compat = ch.normalize('NFKC')
    const compatFonts = compat !== ch && compat !== '' ? [...compat].map((c) => covering(fonts, c)) : []
    if (compatFonts.length > 0 && compatFonts.every((f) => f !== undefined)) {
      ;[...compat].forEach((c, i) => add(c, compatFonts[i] as F))
    } else add(ch, first)
  }
  return runs
}
