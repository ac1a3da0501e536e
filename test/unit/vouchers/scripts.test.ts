/**
 * Payee names in the scripts of a cooperative's members: each prints, shaped,
 * with the name findable in the PDF's text; a character no font has is
 * reported before printing and never prints as a blank.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cjkRegionOrder, loadFontSet, missingCharacters, regularFaces, systemCjkFonts } from '../../../src/core/platform/pdf/fonts'
import { findMissingGlyphs, renderVouchers } from '../../../src/core/payments/voucher-pdf'
import { FONTS_DIR, flat, pdfText, voucher } from './fixtures'

let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-scripts-'))
})
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Render one voucher for this payee; the PDF's path. */
async function render(name: string, file: string, over: Parameters<typeof voucher>[0] = {}, systemFonts = true): Promise<string> {
  const out = path.join(dir, file)
  await renderVouchers([voucher({ payee: { name, memberNo: 'M-00042' }, ...over })], out, { fontsDir: FONTS_DIR, systemFonts })
  return out
}

/** qpdf --check: exit 0, or 3 for warnings only. */
function qpdfCheck(file: string): void {
  const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' })
  expect(r.status, r.stdout + r.stderr).toBe(0)
}

/** Names of the fonts embedded in a PDF, as pdffonts lists them (subset prefix dropped). */
function embeddedFonts(file: string): string[] {
  return execFileSync('pdffonts', [file], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter((n) => n !== '')
    .map((n) => n.replace(/^[A-Z]{6}\+/, ''))
}

const SHIPPED_SCRIPTS = [
  'Arabic',
  'Hebrew',
  'Devanagari',
  'Bengali',
  'Tamil',
  'Telugu',
  'Gujarati',
  'Gurmukhi',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Ethiopic',
  'Armenian',
  'Georgian',
  'Khmer',
  'Myanmar',
  'Lao'
]

describe('the shipped Noto fonts', () => {
  it('are Noto Sans regular and bold for each script, with the OFL licence, in a reasonable size', () => {
    const names = fs.readdirSync(FONTS_DIR)
    for (const family of ['NotoSans', ...SHIPPED_SCRIPTS.map((s) => `NotoSans${s}`)]) {
      expect(names).toContain(`${family}-Regular.ttf`)
      expect(names).toContain(`${family}-Bold.ttf`)
    }
    const licence = fs.readFileSync(path.join(FONTS_DIR, 'LICENSE-Noto.txt'), 'utf8')
    expect(licence).toContain('SIL Open Font License')
    expect(licence).toContain('Google')
    const total = names.filter((n) => n.startsWith('Noto')).reduce((sum, n) => sum + fs.statSync(path.join(FONTS_DIR, n)).size, 0)
    expect(total).toBeLessThan(8 * 1024 * 1024)
  })

  it('cover every script a payee name is written in here; DejaVu stays the primary', () => {
    const set = loadFontSet(FONTS_DIR, { systemFonts: false })
    expect(set.families[0]?.name).toBe('DejaVuSans')
    const faces = regularFaces(set)
    const samples = 'Zoë Σοφία Дмитрий محمد דוד सुनीता সুনীতা முருகன் వెంకట નરેન્દ્ર ਗੁਰਪ੍ਰੀਤ ಕೃಷ್ಣ കൃഷ്ണൻ ශ්‍රී สมชาย አበበ Արամ გიორგი សុខ အောင် ສົມສັກ'
    expect(missingCharacters(samples, faces)).toEqual([])
  })
})

interface Case {
  script: string
  name: string
  /** The family that must draw it (pdffonts name prefix). */
  font?: string
}

const SHIPPED_CASES: Case[] = [
  { script: 'Devanagari (Hindi)', name: 'सुनीता शर्मा', font: 'NotoSansDevanagari' },
  { script: 'Bengali', name: 'রবীন্দ্রনাথ ঠাকুর', font: 'NotoSansBengali' },
  { script: 'Ethiopic (Amharic)', name: 'አበበ በቀለ', font: 'NotoSansEthiopic' },
  { script: 'Arabic', name: 'محمد', font: 'NotoSansArabic' },
  { script: 'Hebrew', name: 'דוד כהן', font: 'NotoSansHebrew' },
  { script: 'Thai', name: 'สมชาย ใจดี', font: 'NotoSansThai' },
  { script: 'Tamil', name: 'முருகன் சுப்பிரமணியம்', font: 'NotoSansTamil' },
  { script: 'Gujarati', name: 'નરેન્દ્ર મોદી', font: 'NotoSansGujarati' },
  { script: 'Sinhala', name: 'ශ්‍රී ලංකා', font: 'NotoSansSinhala' },
  { script: 'Myanmar', name: 'အောင်ဆန်းစုကြည်', font: 'NotoSansMyanmar' }
]

describe('payee names in the shipped fonts', () => {
  it.each(SHIPPED_CASES)('$script: $name prints, in its Noto family, findable in the text', async ({ name, font }) => {
    const file = await render(name, `name-${font}.pdf`)
    qpdfCheck(file)
    const text = pdfText(file)
    // The name on the Pay to line, as typed (shaped scripts carry ActualText; right-to-left ones are reordered by the reader).
    const payLine = text.split('\n').find((l) => l.includes('Pay to')) ?? ''
    expect(payLine).toContain(name)
    expect(flat(text)).toContain('M-00042')
    expect(embeddedFonts(file).some((f) => f.startsWith(`${font}-Bold`))).toBe(true)
  })

  it('a name mixing scripts keeps each part in its font, on one line', async () => {
    const file = await render('Sunita सुनीता शर्मा (Nairobi)', 'mixed.pdf')
    const payLine = pdfText(file).split('\n').find((l) => l.includes('Pay to')) ?? ''
    expect(flat(payLine)).toContain('Sunita सुनीता शर्मा (Nairobi)')
  })
})

const cjk = systemCjkFonts()
const NO_CJK = 'skipped: this computer has no CJK font (install fonts-noto-cjk; .ci/run does)'

describe(`payee names in Chinese, Japanese and Korean, with the system's CJK font${cjk.length === 0 ? ` (${NO_CJK})` : ''}`, () => {
  const cases: Case[] = [
    { script: 'Chinese', name: '陈美玲' },
    { script: 'Japanese', name: '山田 花子' },
    { script: 'Korean', name: '김민준' }
  ]
  it.skipIf(cjk.length === 0).each(cases)('$script: $name prints and is findable in the text', async ({ name, script }) => {
    const file = await render(name, `cjk-${script}.pdf`)
    qpdfCheck(file)
    const payLine = pdfText(file).split('\n').find((l) => l.includes('Pay to')) ?? ''
    expect(payLine).toContain(name)
    // Embedded as a subset: a few glyphs, not the 20 MB font.
    expect(fs.statSync(file).size).toBeLessThan(250_000)
    expect(findMissingGlyphs([voucher({ payee: { name, memberNo: 'M-1' } })], { fontsDir: FONTS_DIR })).toEqual([])
  })

  it.skipIf(cjk.length === 0)('uses the face of the voucher locale from a collection', async () => {
    const ja = await render('山田 花子', 'cjk-ja.pdf', { locale: 'ja-JP', currency: 'JPY', gross: 1000, tax: 0, net: 1000 })
    const zh = await render('陈美玲', 'cjk-zh.pdf', { locale: 'zh-CN', currency: 'CNY' })
    const isCollection = cjk[0]?.regular.endsWith('.ttc') === true
    if (isCollection && /NotoSansCJK/.test(cjk[0]?.regular ?? '')) {
      expect(embeddedFonts(ja).some((f) => f.startsWith('NotoSansCJKjp'))).toBe(true)
      expect(embeddedFonts(zh).some((f) => f.startsWith('NotoSansCJKsc'))).toBe(true)
    } else {
      expect(flat(pdfText(ja))).toContain('山田 花子')
    }
  })
})

describe('cjkRegionOrder', () => {
  it('puts the locale first', () => {
    expect(cjkRegionOrder('ja-JP')[0]).toBe('jp')
    expect(cjkRegionOrder('ko')[0]).toBe('kr')
    expect(cjkRegionOrder('zh-TW')[0]).toBe('tc')
    expect(cjkRegionOrder('zh-HK')[0]).toBe('hk')
    expect(cjkRegionOrder('zh-CN')[0]).toBe('sc')
    expect(cjkRegionOrder('en-KE')[0]).toBe('sc')
    expect(cjkRegionOrder('not a locale!')).toHaveLength(5)
  })
})

describe('characters no font has', () => {
  // Santali in Ol Chiki: a script of India no shipped or system font here covers.
  const santali = 'ᱥᱟᱱᱛᱟᱲᱤ ᱢᱟᱨᱰᱤ'

  it('are listed before printing, by voucher and field', () => {
    const list = findMissingGlyphs(
      [
        voucher({ number: 'PV-2026-000001', payee: { name: 'Zoë Müller', memberNo: 'M-1' } }),
        voucher({ number: 'PV-2026-000002', payee: { name: santali, memberNo: 'M-2' }, description: 'ᱥ coupon' })
      ],
      { fontsDir: FONTS_DIR }
    )
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ number: 'PV-2026-000002', memberNo: 'M-2', payee: santali })
    expect(list[0]?.fields.map((f) => f.field)).toEqual(['payee name', 'particulars'])
    expect(list[0]?.fields[0]?.characters).toEqual([...new Set(santali.replace(' ', ''))])
  })

  it('print as a visible replacement followed by the member number, never as a blank name', async () => {
    const file = await render(santali, 'missing.pdf')
    qpdfCheck(file)
    const payLine = pdfText(file).split('\n').find((l) => l.includes('Pay to')) ?? ''
    expect(payLine).toContain('\uFFFD\uFFFD\uFFFD')
    expect(payLine).toContain('(M-00042)')
  })

  it('without a CJK font, a Chinese name prints as replacements and the member number', async () => {
    expect(findMissingGlyphs([voucher({ payee: { name: '陈美玲', memberNo: 'M-9' } })], { fontsDir: FONTS_DIR, systemFonts: false })).toEqual([
      expect.objectContaining({ number: 'PV-2026-000123', fields: [{ field: 'payee name', characters: ['陈', '美', '玲'] }] })
    ])
    const file = await render('陈美玲', 'no-cjk.pdf', {}, false)
    const payLine = pdfText(file).split('\n').find((l) => l.includes('Pay to')) ?? ''
    expect(flat(payLine)).toContain('\uFFFD\uFFFD\uFFFD (M-00042)')
  })
})
