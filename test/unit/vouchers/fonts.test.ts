import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fontkitReversesWord, hasRtl, prepareReversedWord, visualTokens } from '../../../src/core/platform/pdf/bidi'
import { loadFontSet, readCoverage, splitRuns, type Coverage } from '../../../src/core/platform/pdf/fonts'
import { cleanLine } from '../../../src/core/platform/pdf/text'
import { renderVouchers } from '../../../src/core/payments/voucher-pdf'
import { FONTS_DIR, flat, pdfText, voucher } from './fixtures'

const dejavu = fs.readFileSync(path.join(FONTS_DIR, 'DejaVuSans.ttf'))

let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-fonts-'))
})
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('the shipped fonts', () => {
  it('are DejaVu Sans regular and bold, with their licence', () => {
    const names = fs.readdirSync(FONTS_DIR)
    expect(names).toEqual(expect.arrayContaining(['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'LICENSE-DejaVu.txt']))
    expect(fs.readFileSync(path.join(FONTS_DIR, 'LICENSE-DejaVu.txt'), 'utf8')).toContain('Bitstream Vera Fonts Copyright')
  })

  it('cover Latin with diacritics, Greek, Cyrillic, Armenian, Georgian and currency signs, not CJK', () => {
    const cov = readCoverage(dejavu)
    for (const s of ['Zoë Müller', 'ŁŹŻ ąęó ş ğ İ', 'Σοφία', 'Дмитрий', 'Հայերեն', 'ქართული', '€£¥₹₦₵₺₽']) {
      for (const ch of s.replace(/ /g, '')) expect(cov.has(ch.codePointAt(0) ?? 0), `${ch} in "${s}"`).toBe(true)
    }
    expect(cov.has('中'.codePointAt(0) ?? 0)).toBe(false)
    expect(cov.has('가'.codePointAt(0) ?? 0)).toBe(false)
  })
})

describe('readCoverage', () => {
  it('refuses what is not a single TrueType/OpenType font', () => {
    expect(() => readCoverage(Buffer.from('hello world, not a font'))).toThrow(/not a TrueType or OpenType/)
    expect(() => readCoverage(Buffer.from('ttcf\0\0\0\0\0\0\0\0'))).toThrow(/\.ttc/)
    expect(() => readCoverage(Buffer.alloc(4))).toThrow(/too short/)
  })
})

describe('loadFontSet', () => {
  it('puts DejaVu Sans first and pairs fallback families by name', () => {
    const d = fs.mkdtempSync(path.join(dir, 'set-'))
    for (const f of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']) fs.copyFileSync(path.join(FONTS_DIR, f), path.join(d, f))
    // Stand-ins for real fallback fonts: any valid font file will do.
    fs.copyFileSync(path.join(FONTS_DIR, 'DejaVuSans.ttf'), path.join(d, 'ZFallback-Regular.ttf'))
    fs.copyFileSync(path.join(FONTS_DIR, 'DejaVuSans-Bold.ttf'), path.join(d, 'ZFallback-Bold.ttf'))
    fs.copyFileSync(path.join(FONTS_DIR, 'DejaVuSans.ttf'), path.join(d, 'AOnlyRegular.otf'))
    fs.writeFileSync(path.join(d, 'README.md'), 'not a font')
    const set = loadFontSet(d, { systemFonts: false })
    expect(set.families.map((f) => f.name)).toEqual(['DejaVuSans', 'AOnlyRegular', 'ZFallback'])
    expect(set.families[1]?.bold).toBeNull()
    expect(path.basename(set.families[2]?.regular.file ?? '')).toBe('ZFallback-Regular.ttf')
    expect(path.basename(set.families[2]?.bold?.file ?? '')).toBe('ZFallback-Bold.ttf')
  })

  it('needs both DejaVu files', () => {
    const d = fs.mkdtempSync(path.join(dir, 'half-'))
    fs.copyFileSync(path.join(FONTS_DIR, 'DejaVuSans.ttf'), path.join(d, 'DejaVuSans.ttf'))
    expect(() => loadFontSet(d)).toThrow(/DejaVuSans-Bold\.ttf/)
    expect(() => loadFontSet(path.join(dir, 'missing'))).toThrow(/cannot be read/)
  })
})

describe('splitRuns', () => {
  const cover = (re: RegExp): Coverage => ({ has: (cp) => re.test(String.fromCodePoint(cp)) })
  const latin = { name: 'latin', coverage: cover(/^(?![\uFF00-\uFFEF])[\p{Script=Latin}\p{Script=Common}]$/u) }
  const han = { name: 'han', coverage: cover(/\p{Script=Han}/u) }
  const names = (text: string) => splitRuns(text, [latin, han]).map((r) => `${r.font.name}:${r.text}`)

  it('gives each character the first font that has it', () => {
    expect(names('Yamada 山田 太郎 (Tarō)')).toEqual(['latin:Yamada ', 'han:山田 太郎 ', 'latin:(Tarō)'])
    expect(names('Zoë')).toEqual(['latin:Zoë'])
  })

  it('keeps combining marks and joiners with their base', () => {
    expect(names('山\u0301a')).toEqual(['han:山\u0301', 'latin:a'])
  })

  it('falls back to the compatibility form, then to the first font', () => {
    expect(names('￥100')).toEqual(['latin:¥100']) // fullwidth yen sign
    expect(names('Ж')).toEqual(['latin:Ж']) // nobody has it: first font, missing-glyph box
  })
})

describe('cleanLine', () => {
  it('normalises to NFC, collapses whitespace and drops controls and bidi marks', () => {
    expect(cleanLine('  Zoe\u0308\n\tMu\u0308ller  ')).toBe('Zoë Müller')
    expect(cleanLine('\u200F1,234.50\u00A0د.ك.\u200F')).toBe('1,234.50 د.ك.')
    expect(cleanLine('a\u0000b\u2028c')).toBe('a b c')
  })
})

describe('bidi: right-to-left words on a left-to-right page', () => {
  it('leaves left-to-right text alone', () => {
    expect(visualTokens('Zoë Müller 12')).toEqual(['Zoë', 'Müller', '12'])
    expect(hasRtl('Σοφία Дмитрий')).toBe(false)
  })

  it('reverses the order of right-to-left words', () => {
    expect(visualTokens('محمد علي')).toEqual(['علي', 'محمد'])
    expect(visualTokens('שלום עולם')).toEqual(['עולם', 'שלום'])
    expect(visualTokens('Ali محمد علي Hassan')).toEqual(['Ali', 'علي', 'محمد', 'Hassan'])
  })

  it('places numbers as the Unicode algorithm does', () => {
    expect(visualTokens('محمد 12')).toEqual(['12', 'محمد']) // a number after RTL joins it
    expect(visualTokens('12 محمد')).toEqual(['12', 'محمد']) // a number at the start stays left to right
  })

  it('pre-reverses digits and swaps brackets inside words fontkit reverses', () => {
    expect(fontkitReversesWord('محمد')).toBe(true)
    expect(fontkitReversesWord('١٢٣')).toBe(true)
    expect(fontkitReversesWord('123')).toBe(false)
    expect(fontkitReversesWord('abc١٢٣')).toBe(false)
    expect(prepareReversedWord('ك1,234.50')).toBe('ك05.432,1')
    expect(prepareReversedWord('(محمد)')).toBe(')محمد(')
    expect(visualTokens('١٢٣')).toEqual(['٣٢١'])
  })
})

describe('renderVouchers with scripts DejaVu lacks', () => {
  it('keeps the Latin part of a name that is partly CJK', async () => {
    const file = path.join(dir, 'cjk.pdf')
    const v = voucher({ payee: { name: '山田 太郎 (Yamada Tarō)', memberNo: 'J-1' } })
    await renderVouchers([v], file, { fontsDir: FONTS_DIR })
    expect(flat(pdfText(file))).toContain('(Yamada Tarō)')
  })

  it('renders an Arabic name and keeps amounts in Latin digits for an Arabic locale', async () => {
    const file = path.join(dir, 'arabic.pdf')
    const v = voucher({
      payee: { name: 'محمد علي', memberNo: 'K-7' },
      currency: 'KWD',
      locale: 'ar-KW',
      gross: 123456789,
      tax: 0,
      net: 123456789
    })
    await renderVouchers([v], file, { fontsDir: FONTS_DIR })
    const text = flat(pdfText(file))
    expect(text).toContain('123,456.789')
    expect(text).toContain('One hundred twenty-three thousand four hundred fifty-six Kuwaiti dinars')
    expect(text).not.toMatch(/[\u0660-\u0669]/) // no Arabic-Indic digits anywhere
  })
})
