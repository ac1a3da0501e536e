/**
 * The page machinery every printed document of Coffer shares (payslips, the
 * statutory summary, reports): A4 geometry, the house colours, the
 * letterhead and the footer line, and `writePdfFile`, which writes a PDF
 * under `<file>.partial` and renames it once whole (removed on any failure),
 * giving the event loop a turn between pages so memory stays flat.
 *
 * Figures are printed in the book's locale with Latin digits (`printLocale`).
 * Platform: no area is imported here; a document passes the profile fields it
 * prints (`DocumentProfile`).
 */
import fs from 'node:fs'
import path from 'node:path'
import PDFDocument from 'pdfkit'
import type { Profile } from '../../../shared/contract'
import { formatMoney } from '../../../shared/money'
import { formatInstant, withLatinDigits } from '../../../shared/words'
import { loadFontSet, type FontSet } from './fonts'
import { Typesetter, cleanLine } from './text'

/** The parts of the cooperative's profile a printed document prints (a whole Profile will do). */
export type DocumentProfile = Pick<Profile, 'name' | 'address' | 'phone' | 'email' | 'registrationNo' | 'currency' | 'locale' | 'timeZone'>

// ---------------------------------------------------------------------------
// Page geometry (points; A4 portrait is 595.28 × 841.89)
// ---------------------------------------------------------------------------

export const PAGE_W = 595.28
export const PAGE_H = 841.89
export const M = 40
export const RIGHT = PAGE_W - M
export const CONTENT_W = PAGE_W - 2 * M
/** Baseline of the footer line; content stays above FOOTER_TOP. */
export const FOOTER_Y = PAGE_H - M + 4
export const FOOTER_TOP = FOOTER_Y - 22

/** A page's size and the lines derived from it (portrait or landscape A4). */
export interface PageGeometry {
  width: number
  height: number
  /** The right edge of the content. */
  right: number
  contentW: number
  /** Baseline of the footer line. */
  footerY: number
  /** Content stays above this. */
  footerTop: number
}

function geometryOf(width: number, height: number): PageGeometry {
  const footerY = height - M + 4
  return { width, height, right: width - M, contentW: width - 2 * M, footerY, footerTop: footerY - 22 }
}

export const PORTRAIT: PageGeometry = geometryOf(PAGE_W, PAGE_H)
export const LANDSCAPE: PageGeometry = geometryOf(PAGE_H, PAGE_W)

export const INK = '#111111'
export const MUTED = '#555555'
export const FAINT = '#8a8a8a'
export const RULE = '#9a9a9a'
export const TINT = '#f1f1f1'

export type Doc = InstanceType<typeof PDFDocument>

// ---------------------------------------------------------------------------
// Shared drawing and writing
// ---------------------------------------------------------------------------

/** The book's locale with Latin digits: printed figures are never reordered by the PDF's approximate bidi. */
export function printLocale(locale: string): string {
  return withLatinDigits(locale)
}

/** Refuses (RangeError) an unknown currency or a malformed locale or time zone before anything is written. */
export function checkProfile(profile: DocumentProfile): void {
  if (typeof profile !== 'object' || profile === null || typeof profile.name !== 'string') {
    throw new RangeError("The cooperative's profile has no name")
  }
  formatMoney(0, profile.currency, printLocale(profile.locale))
  formatInstant(0, printLocale(profile.locale), profile.timeZone)
}

export function horizontalRule(doc: Doc, x1: number, x2: number, y: number, width = 0.5, color = RULE): void {
  doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke().restore()
}

export function tint(doc: Doc, x: number, y: number, w: number, h: number, color = TINT): void {
  doc.save().rect(x, y, w, h).fillColor(color).fill().restore()
}

/**
 * The society's letterhead on the left, a title and up to three lines under
 * it on the right. Returns the y of the rule drawn under them.
 */
export function letterhead(
  t: Typesetter,
  doc: Doc,
  profile: DocumentProfile,
  title: string,
  right: Array<{ text: string; bold?: boolean }>,
  page: PageGeometry = PORTRAIT
): number {
  const top = M
  const rightW = page === PORTRAIT ? 170 : 260
  const leftW = page.contentW - rightW - 16
  let y = t.fit(profile.name, M, top + 14, { size: 14, bold: true, width: leftW, minSize: 10, maxLines: 2 })
  const address = profile.address
    ? cleanLine(
        profile.address
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l !== '')
          .join(', ')
      )
    : ''
  if (address !== '') y = t.paragraph(address, M, y + 12, { size: 8.5, color: MUTED, width: leftW, leading: 10.5 })
  const contacts = [profile.phone ? `Tel. ${cleanLine(profile.phone)}` : '', profile.email ? cleanLine(profile.email) : '']
    .filter((s) => s !== '')
    .join('   ·   ')
  if (contacts !== '') {
    y += 10.5
    t.line(contacts, M, y, { size: 8.5, color: MUTED, maxWidth: leftW, minSize: 6.5 })
  }
  if (profile.registrationNo) {
    y += 10.5
    t.line(`Reg. no. ${profile.registrationNo}`, M, y, { size: 8.5, color: MUTED, maxWidth: leftW, minSize: 6.5 })
  }

  t.line(title, page.right, top + 14, { size: 15, bold: true, align: 'right', characterSpacing: 1, maxWidth: rightW, minSize: 8 })
  let ry = top + 14
  right.forEach((r, i) => {
    ry += i === 0 ? 17 : 12
    t.line(r.text, page.right, ry, { size: r.bold ? 11 : 9, bold: r.bold, color: r.bold ? INK : MUTED, align: 'right', maxWidth: rightW, minSize: 6.5 })
  })
  const bottom = Math.max(y, ry) + 10
  horizontalRule(doc, M, page.right, bottom, 1, '#333333')
  return bottom
}

/** A small line at the foot of the page: left and right texts. */
export function footer(t: Typesetter, doc: Doc, left: string, right: string, page: PageGeometry = PORTRAIT): void {
  horizontalRule(doc, M, page.right, page.footerY - 11, 0.5, RULE)
  const rightW = t.width(cleanLine(right), 7.5)
  const leftDrawn = t.line(left, M, page.footerY, { size: 7.5, color: MUTED, maxWidth: page.contentW / 2 - 8, minSize: 6 })
  t.line(right, page.right, page.footerY, {
    size: 7.5,
    color: MUTED,
    align: 'right',
    maxWidth: Math.max(page.contentW - leftDrawn.width - 16, Math.min(rightW, page.contentW / 2)),
    minSize: 6
  })
}

/** Where the fonts are and whether the system's CJK fonts may be used. */
export interface FontOptions {
  /** Folder holding DejaVuSans.ttf, DejaVuSans-Bold.ttf and the fallback fonts (resources/fonts). */
  fontsDir: string
  /** Use the system's CJK fonts too (default true). */
  systemFonts?: boolean
}

/** The font set for a document of this profile (the locale orders the CJK fonts). */
export function fontsFor(profile: Pick<DocumentProfile, 'locale'>, opts: FontOptions): FontSet {
  return loadFontSet(opts.fontsDir, { systemFonts: opts.systemFonts, locale: profile.locale })
}

/** Wait for the destination when more than this many bytes are queued in the document. */
const HIGH_WATER = 1 << 20

function nextTurn(ms = 0): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)))
}

/**
 * Write a PDF to `file` through `paint`, which adds the pages and calls
 * `turn()` after each (the event loop gets a turn; rendering waits while the
 * disk is slower). Written to `<file>.partial` and renamed once complete;
 * the partial file is removed if anything fails. Returns what paint returns.
 */
export async function writePdfFile<R>(
  file: string,
  info: PDFKit.DocumentInfo,
  fonts: FontSet,
  paint: (doc: Doc, t: Typesetter, turn: () => Promise<void>) => R | Promise<R>
): Promise<R> {
  if (!(info.CreationDate instanceof Date) || Number.isNaN(info.CreationDate.getTime())) throw new RangeError('now must be a valid Date')
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const partial = `${file}.partial`
  const doc = new PDFDocument({ autoFirstPage: false, size: 'A4', margin: 0, compress: true, lang: 'en', displayTitle: true, info })
  const t = new Typesetter(doc, fonts)
  const dest = fs.createWriteStream(partial)
  let failure: Error | null = null
  const finished = new Promise<void>((resolve, reject) => {
    const fail = (e: Error): void => {
      failure ??= e
      reject(e)
    }
    doc.on('error', fail)
    dest.on('error', fail)
    dest.on('close', () => (failure ? reject(failure) : resolve()))
  })
  finished.catch(() => undefined) // observed below; never an unhandled rejection
  doc.pipe(dest)
  const turn = async (): Promise<void> => {
    if (failure) throw failure
    await nextTurn()
    while (doc.readableLength > HIGH_WATER) {
      if (failure) throw failure
      await nextTurn(2)
    }
  }
  try {
    const result = await paint(doc, t, turn)
    doc.end()
    await finished
    fs.renameSync(partial, file)
    return result
  } catch (e) {
    doc.unpipe(dest)
    if (!dest.closed) {
      const closed = new Promise<void>((resolve) => dest.once('close', () => resolve()))
      dest.destroy()
      await closed
    }
    await fs.promises.rm(partial, { force: true })
    throw e
  }
}
