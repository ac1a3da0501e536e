/**
 * Fonts for printed documents, and which font draws which character.
 *
 * Every piece of text in a voucher is drawn with an embedded Unicode font
 * (never a PDF standard-14 font, which only knows WinAnsi Latin). pdfkit
 * embeds only the glyphs a document uses (a subset), so a large font costs
 * the PDF nothing beyond the characters printed. The fonts come from one
 * folder (resources/fonts/ in the app), plus the system's CJK fonts:
 *
 * - The primary family is DejaVu Sans: `DejaVuSans.ttf` and
 *   `DejaVuSans-Bold.ttf`, both required. It draws Latin with all its
 *   diacritics, Greek, Cyrillic, digits, punctuation and currency signs.
 * - Any other `*.ttf` / `*.otf` file in the folder is a fallback family
 *   (`Name.ttf` or `Name-Regular.ttf` is the regular face; `Name-Bold.ttf`
 *   its bold; without one, bold text in that family uses the regular face).
 *   The app ships Noto Sans for the scripts a cooperative's members write
 *   their names in (Arabic, Hebrew, the Indic scripts, Sinhala, Thai, Lao,
 *   Khmer, Myanmar, Ethiopic, Armenian, Georgian, and Noto Sans itself for
 *   Latin/Greek/Cyrillic DejaVu lacks).
 * - Chinese, Japanese and Korean come from the system's fonts (a CJK font is
 *   15-20 MB; see `systemCjkFonts` for where they are looked for): Noto Sans
 *   CJK / Source Han, WenQuanYi or Droid Sans Fallback on Linux, Microsoft
 *   YaHei, Malgun Gothic, Yu Gothic or SimSun on Windows, PingFang,
 *   Hiragino or Apple SD Gothic Neo on macOS. From a `.ttc` collection the
 *   face for the document's locale is used (Noto Sans CJK JP for `ja`, KR
 *   for `ko`, TC for `zh-TW`, HK for `zh-HK`, SC otherwise).
 *
 * A line of text is split into runs, each drawn with one font. A character
 * of a script other than Latin, Greek and Cyrillic goes to the first
 * fallback family that has it (so Arabic is drawn by Noto Sans Arabic, not
 * DejaVu's plainer Arabic), anything else to the first family that has it,
 * primary first. Combining marks, joiners and variation selectors stay with
 * their base character; punctuation and digits stay in the current run when
 * its font has them (a danda after Devanagari, a comma between Han
 * characters). A character no font has is reported by `missingCharacters`
 * and printed as a visible replacement (see text.ts), never as nothing.
 *
 * Shaping is fontkit's (pdfkit's font engine), per run: Arabic joins, and
 * the Indic scripts, Sinhala, Khmer and Myanmar get their OpenType shaping
 * (conjuncts, reph, pre-base vowel signs). Right-to-left words are ordered by
 * bidi.ts.
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
  /** The file's bytes; null for a system font, which pdfkit reads from `file` only if the document uses it. */
  data: Buffer | null
  /** The face to use from a font collection (.ttc), by PostScript name; null for a single font. */
  postscriptName: string | null
  coverage: Coverage
}

export interface FontFamily {
  name: string
  regular: FontFile
  bold: FontFile | null
  /** The primary family (DejaVu Sans): preferred for Latin, Greek, Cyrillic and common characters only. */
  primary: boolean
}

export interface FontSet {
  dir: string
  /** The primary family first, then the folder's fallbacks in file-name order, then the system's CJK fonts. */
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

const TTC = 0x74746366 // 'ttcf'

function isSfnt(tag: number): boolean {
  return tag === 0x00010000 || tag === 0x4f54544f || tag === 0x74727565
}

/** Offsets of the tables of the font whose table directory starts at `sfnt`. */
function tableOffsets(buf: Buffer, sfnt: number, fail: (why: string) => never): Map<string, number> {
  if (sfnt + 12 > buf.length || !isSfnt(buf.readUInt32BE(sfnt))) fail('not a TrueType or OpenType font')
  const numTables = buf.readUInt16BE(sfnt + 4)
  const tables = new Map<string, number>()
  for (let i = 0; i < numTables; i++) {
    const rec = sfnt + 12 + i * 16
    if (rec + 16 > buf.length) fail('truncated table directory')
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8))
  }
  return tables
}

/** The PostScript name (name ID 6) of the font whose table directory starts at `sfnt`, or null. */
function postscriptNameAt(buf: Buffer, sfnt: number, fail: (why: string) => never): string | null {
  const name = tableOffsets(buf, sfnt, fail).get('name')
  if (name === undefined || name + 6 > buf.length) return null
  const count = buf.readUInt16BE(name + 2)
  const strings = name + buf.readUInt16BE(name + 4)
  for (let i = 0; i < count; i++) {
    const rec = name + 6 + i * 12
    if (rec + 12 > buf.length) return null
    const platform = buf.readUInt16BE(rec)
    const nameId = buf.readUInt16BE(rec + 6)
    const length = buf.readUInt16BE(rec + 8)
    const at = strings + buf.readUInt16BE(rec + 10)
    if (nameId !== 6 || at + length > buf.length) continue
    if (platform === 1) return buf.toString('latin1', at, at + length)
    if (platform === 3 || platform === 0) return buf.subarray(at, at + length).swap16().toString('utf16le')
  }
  return null
}

/**
 * The faces of a font file: one for a .ttf/.otf, each font of a .ttc
 * collection, with the offset of its table directory and its PostScript name.
 */
export function fontFaces(buf: Buffer, what = 'font'): Array<{ offset: number; postscriptName: string | null }> {
  const fail = (why: string): never => {
    throw new Error(`Cannot read ${what}: ${why}`)
  }
  if (buf.length < 12) fail('file is too short')
  const tag = buf.readUInt32BE(0)
  if (tag !== TTC) {
    if (!isSfnt(tag)) fail('not a TrueType or OpenType font')
    return [{ offset: 0, postscriptName: postscriptNameAt(buf, 0, fail) }]
  }
  const count = buf.readUInt32BE(8)
  if (12 + count * 4 > buf.length) fail('truncated collection header')
  const faces: Array<{ offset: number; postscriptName: string | null }> = []
  for (let i = 0; i < count; i++) {
    const offset = buf.readUInt32BE(12 + i * 4)
    faces.push({ offset, postscriptName: postscriptNameAt(buf, offset, fail) })
  }
  return faces
}

/**
 * The code points a TrueType/OpenType font maps to real glyphs, read from its
 * `cmap` table (format 12 preferred, else format 4). `sfnt` is where the
 * font's table directory starts: 0 for a single font; for a face of a .ttc
 * collection, its offset from `fontFaces` (a collection itself, without it,
 * is refused). Throws on WOFF or garbage.
 */
export function readCoverage(buf: Buffer, what = 'font', sfnt = 0): Coverage {
  const fail = (why: string): never => {
    throw new Error(`Cannot read ${what}: ${why}`)
  }
  if (buf.length < 12) fail('file is too short')
  if (sfnt === 0 && buf.readUInt32BE(0) === TTC) fail('a font collection (.ttc): pick a face (fontFaces) first')
  const cmap = tableOffsets(buf, sfnt, fail).get('cmap') ?? -1
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

function cacheKey(abs: string, extra: string): string {
  const stat = fs.statSync(abs)
  return `${abs}\u0000${stat.size}\u0000${stat.mtimeMs}\u0000${extra}`
}

function loadFontFile(file: string): FontFile {
  const abs = path.resolve(file)
  const key = cacheKey(abs, '')
  const cached = fileCache.get(key)
  if (cached) return cached
  const data = fs.readFileSync(abs)
  const loaded: FontFile = { file: abs, data, postscriptName: null, coverage: readCoverage(data, abs) }
  fileCache.set(key, loaded)
  return loaded
}

/**
 * A system font, possibly a face of a collection: only its coverage is kept
 * (pdfkit reads the file itself if the document uses it, so a 20 MB CJK font
 * stays off the heap). `pick` chooses the face from the PostScript names.
 */
function loadSystemFontFile(file: string, pick: (names: ReadonlyArray<string | null>) => number, pickKey: string): FontFile {
  const abs = path.resolve(file)
  const key = cacheKey(abs, pickKey)
  const cached = fileCache.get(key)
  if (cached) return cached
  const data = fs.readFileSync(abs)
  const faces = fontFaces(data, abs)
  const face = faces[Math.max(0, Math.min(faces.length - 1, pick(faces.map((f) => f.postscriptName))))]
  if (face === undefined) throw new Error(`Cannot read ${abs}: no fonts in the collection`)
  const collection = data.readUInt32BE(0) === TTC
  if (collection && face.postscriptName === null) throw new Error(`Cannot read ${abs}: a face without a PostScript name`)
  const loaded: FontFile = {
    file: abs,
    data: null,
    postscriptName: collection ? face.postscriptName : null,
    coverage: readCoverage(data, abs, face.offset)
  }
  fileCache.set(key, loaded)
  return loaded
}

const FONT_FILE = /\.(ttf|otf)$/i

export interface LoadFontSetOptions {
  /** Add the system's CJK fonts after the folder's (default true). */
  systemFonts?: boolean
  /** BCP 47 locale of the document: picks the CJK face (Japanese, Korean, Simplified or Traditional Chinese). */
  locale?: string
}

/** Read the fonts folder (and find the system's CJK fonts); see the module comment. */
export function loadFontSet(dir: string, opts: LoadFontSetOptions = {}): FontSet {
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
    bold: loadFontFile(path.join(absDir, PRIMARY_BOLD)),
    primary: true
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
      bold: entry.bold !== undefined && entry.regular !== undefined ? loadFontFile(path.join(absDir, entry.bold)) : null,
      primary: false
    })
  }
  if (opts.systemFonts !== false) families.push(...systemCjkFamilies(opts.locale))
  return { dir: absDir, families }
}

// ---------------------------------------------------------------------------
// The system's CJK fonts
// ---------------------------------------------------------------------------

/** A CJK font the system may have: file names, and the language it is made for (tried first for that locale). */
interface CjkCandidate {
  regular: string
  bold?: string
  lang?: 'zh' | 'ja' | 'ko'
}

/** Linux and the BSDs: found by file name anywhere under the usual font folders. */
const UNIX_CJK: readonly CjkCandidate[] = [
  { regular: 'NotoSansCJK-Regular.ttc', bold: 'NotoSansCJK-Bold.ttc' },
  { regular: 'SourceHanSans-Regular.ttc', bold: 'SourceHanSans-Bold.ttc' },
  { regular: 'NotoSansCJKsc-Regular.otf', bold: 'NotoSansCJKsc-Bold.otf', lang: 'zh' },
  { regular: 'NotoSansCJKjp-Regular.otf', bold: 'NotoSansCJKjp-Bold.otf', lang: 'ja' },
  { regular: 'NotoSansCJKkr-Regular.otf', bold: 'NotoSansCJKkr-Bold.otf', lang: 'ko' },
  { regular: 'wqy-microhei.ttc', lang: 'zh' },
  { regular: 'wqy-zenhei.ttc', lang: 'zh' },
  { regular: 'DroidSansFallbackFull.ttf' },
  { regular: 'DroidSansFallback.ttf' }
]

const WINDOWS_CJK: readonly CjkCandidate[] = [
  { regular: 'msyh.ttc', bold: 'msyhbd.ttc', lang: 'zh' },
  { regular: 'YuGothM.ttc', bold: 'YuGothB.ttc', lang: 'ja' },
  { regular: 'meiryo.ttc', bold: 'meiryob.ttc', lang: 'ja' },
  { regular: 'malgun.ttf', bold: 'malgunbd.ttf', lang: 'ko' },
  { regular: 'simsun.ttc', lang: 'zh' },
  { regular: 'msgothic.ttc', lang: 'ja' },
  { regular: 'gulim.ttc', lang: 'ko' }
]

const MAC_CJK: readonly CjkCandidate[] = [
  { regular: '/System/Library/Fonts/PingFang.ttc', lang: 'zh' },
  { regular: '/System/Library/Fonts/Hiragino Sans GB.ttc', lang: 'zh' },
  {
    regular: '/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc',
    bold: '/System/Library/Fonts/ヒラギノ角ゴシック W6.ttc',
    lang: 'ja'
  },
  { regular: '/System/Library/Fonts/AppleSDGothicNeo.ttc', lang: 'ko' },
  { regular: '/System/Library/Fonts/STHeiti Light.ttc', lang: 'zh' },
  { regular: '/System/Library/Fonts/Supplemental/Arial Unicode.ttf' },
  { regular: '/Library/Fonts/Arial Unicode.ttf' }
]

const unixFontIndex = new Map<string, Map<string, string>>()

/** File name → path of every font file under the usual Unix font folders (walked once per process). */
function unixFonts(roots: readonly string[]): Map<string, string> {
  const key = roots.join('\u0000')
  const hit = unixFontIndex.get(key)
  if (hit) return hit
  const found = new Map<string, string>()
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(dir, e.name)
      if (e.isDirectory() && depth < 6) walk(p, depth + 1)
      else if (/\.(ttf|otf|ttc)$/i.test(e.name) && !found.has(e.name)) found.set(e.name, p)
    }
  }
  for (const root of roots) walk(root, 0)
  unixFontIndex.set(key, found)
  return found
}

/**
 * The CJK fonts this computer has, as paths, in the order they are tried
 * (those made for the locale's language first). Empty when there are none:
 * then Chinese, Japanese and Korean characters are missing (see
 * `missingCharacters`).
 */
export function systemCjkFonts(locale?: string): Array<{ regular: string; bold: string | null }> {
  const lang = locale === undefined ? undefined : safeLanguage(locale)
  let candidates: Array<{ regular: string; bold: string | null; lang?: string }> = []
  if (process.platform === 'win32') {
    const dir = path.join(process.env['WINDIR'] ?? process.env['SystemRoot'] ?? 'C:\\Windows', 'Fonts')
    candidates = WINDOWS_CJK.map((c) => ({
      regular: path.join(dir, c.regular),
      bold: c.bold === undefined ? null : path.join(dir, c.bold),
      lang: c.lang
    }))
  } else if (process.platform === 'darwin') {
    candidates = MAC_CJK.map((c) => ({ regular: c.regular, bold: c.bold ?? null, lang: c.lang }))
  } else {
    const home = process.env['HOME']
    const roots = ['/usr/share/fonts', '/usr/local/share/fonts', ...(home ? [path.join(home, '.local/share/fonts'), path.join(home, '.fonts')] : [])]
    const index = unixFonts(roots)
    for (const c of UNIX_CJK) {
      const regular = index.get(c.regular)
      if (regular === undefined) continue
      candidates.push({ regular, bold: (c.bold === undefined ? undefined : index.get(c.bold)) ?? null, lang: c.lang })
    }
  }
  const exists = (p: string): boolean => {
    try {
      return fs.statSync(p).isFile()
    } catch {
      return false
    }
  }
  const present = candidates.filter((c) => exists(c.regular))
  // Fonts made for the locale's language first; the rest keep their order.
  const ordered = [...present.filter((c) => c.lang !== undefined && c.lang === lang), ...present.filter((c) => c.lang === undefined || c.lang !== lang)]
  return ordered.map((c) => ({ regular: c.regular, bold: c.bold !== null && exists(c.bold) ? c.bold : null }))
}

function safeLanguage(locale: string): string | undefined {
  try {
    return new Intl.Locale(locale).language
  } catch {
    return undefined
  }
}

/** Region tags of CJK collections (Noto Sans CJK, Source Han Sans, PingFang) in the order the locale prefers them. */
export function cjkRegionOrder(locale?: string): string[] {
  let first = 'sc'
  try {
    const l = new Intl.Locale(locale ?? 'und').maximize()
    if (l.language === 'ja') first = 'jp'
    else if (l.language === 'ko') first = 'kr'
    else if (l.language === 'zh' && (l.region === 'HK' || l.region === 'MO')) first = 'hk'
    else if (l.language === 'zh' && l.script === 'Hant') first = 'tc'
  } catch {
    // An unreadable locale: Simplified Chinese first.
  }
  const order = ['sc', 'tc', 'hk', 'jp', 'kr']
  return [first, ...order.filter((t) => t !== first)]
}

/** Index of the face to use from a collection's PostScript names: the locale's region, never a monospaced face if avoidable. */
function pickCjkFace(names: ReadonlyArray<string | null>, regions: readonly string[]): number {
  const usable = names.map((n, i) => ({ n: n ?? '', i })).filter(({ n }) => !/mono/i.test(n))
  for (const region of regions) {
    const re = new RegExp(`(?:CJK|HanSans|PingFang)${region}(?![a-z])`, 'i')
    const hit = usable.find(({ n }) => re.test(n))
    if (hit) return hit.i
  }
  return usable[0]?.i ?? 0
}

function systemCjkFamilies(locale: string | undefined): FontFamily[] {
  const regions = cjkRegionOrder(locale)
  const pick = (names: ReadonlyArray<string | null>): number => pickCjkFace(names, regions)
  const families: FontFamily[] = []
  for (const c of systemCjkFonts(locale)) {
    try {
      const regular = loadSystemFontFile(c.regular, pick, regions.join(','))
      let bold: FontFile | null = null
      try {
        bold = c.bold === null ? null : loadSystemFontFile(c.bold, pick, regions.join(','))
      } catch {
        bold = null // a broken bold: the regular face draws bold text
      }
      families.push({ name: path.basename(c.regular).replace(/\.(ttf|otf|ttc)$/i, ''), regular, bold, primary: false })
    } catch {
      // A font the system has but this code cannot read: skipped, like a font that is not there.
    }
  }
  return families
}

// ---------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------

export interface Run<F> {
  font: F
  text: string
}

/** What is printed in place of a character no font has. */
export const REPLACEMENT_CHARACTER = '\uFFFD'

/** Characters that belong to the run of the character before them. */
const CLUSTER_CONTINUATION = /\p{M}|\u200C|\u200D/u // marks (variation selectors are marks too) and joiners
const SPACE = /\s/u
/** Scripts the primary family is preferred for; a character of any other script goes to a fallback that has it first. */
const PRIMARY_SCRIPT = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}\p{Script=Inherited}]/u
/** Punctuation, digits and symbols shared by all scripts: kept in the current run when its font has them. */
const COMMON = /\p{Script=Common}/u
/** Characters that draw nothing by themselves: no font needs them. */
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Cs}\u034F\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u

type Face = { coverage: Coverage; primary?: boolean }

function covering<F extends Face>(fonts: readonly F[], ch: string): F | undefined {
  const cp = ch.codePointAt(0) ?? 0
  if (!PRIMARY_SCRIPT.test(ch)) {
    const own = fonts.find((f) => f.primary !== true && f.coverage.has(cp))
    if (own) return own
  }
  return fonts.find((f) => f.coverage.has(cp))
}

/**
 * Split text into runs of the font that draws each character (see the module
 * comment for the choice). Whitespace and combining characters stay in the
 * current run; so do common characters (punctuation, digits) its font has. A
 * character no font covers is replaced by its compatibility form when the
 * fonts have that (fullwidth ￥ → ¥, ﬁ → fi); otherwise it goes to fonts[0]
 * (callers replace such characters first: `replaceMissing`).
 */
export function splitRuns<F extends Face>(text: string, fonts: readonly F[]): Run<F>[] {
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
    if (current !== null) {
      const run = current as Run<F>
      if (SPACE.test(ch) || CLUSTER_CONTINUATION.test(ch) || (COMMON.test(ch) && run.font.coverage.has(ch.codePointAt(0) ?? 0))) {
        add(ch, run.font)
        continue
      }
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

function drawable(fonts: readonly Face[], ch: string): boolean {
  if (INVISIBLE.test(ch) || covering(fonts, ch)) return true
  const compat = ch.normalize('NFKC')
  return compat !== ch && compat !== '' && [...compat].every((c) => INVISIBLE.test(c) || covering(fonts, c) !== undefined)
}

/** The characters of `text` (each once, in order) that no font has a glyph for. */
export function missingCharacters(text: string, fonts: readonly Face[]): string[] {
  const missing = new Set<string>()
  for (const ch of text.normalize('NFC')) if (!drawable(fonts, ch)) missing.add(ch)
  return [...missing]
}

/** The text with every character no font has replaced by REPLACEMENT_CHARACTER (which the primary font has). */
export function replaceMissing(text: string, fonts: readonly Face[]): string {
  let out = ''
  let changed = false
  for (const ch of text) {
    if (drawable(fonts, ch)) out += ch
    else {
      out += REPLACEMENT_CHARACTER
      changed = true
    }
  }
  return changed ? out : text
}

/** The regular faces of a font set, for `missingCharacters` (a bold face lacking a glyph falls back to its regular). */
export function regularFaces(set: FontSet): Array<{ coverage: Coverage; primary: boolean }> {
  return set.families.map((f) => ({ coverage: f.regular.coverage, primary: f.primary }))
}

/** A character and its code point, for a message about what no font can print: "ᱥ (U+1C65)". */
export function describeCharacter(ch: string): string {
  return `${ch} (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`
}
