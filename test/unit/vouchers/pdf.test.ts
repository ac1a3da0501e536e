import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import PDFDocument from 'pdfkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { amountInWords } from '../../../src/shared/amount-in-words'
import { formatMoney } from '../../../src/shared/money'
import { forgetShapedWords, renderVouchers, type VoucherData } from '../../../src/core/payments/voucher-pdf'
import { FONTS_DIR, flat, pageCount, pdfInfo, pdfText, ringPng, voucher } from './fixtures'

let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-vouchers-'))
})
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const CREATED = new Date(Date.UTC(2026, 0, 16, 9, 30))

const money = (minor: number): string => flat(formatMoney(minor, 'KES', 'en-KE'))

describe('renderVouchers: one voucher', () => {
  let file: string
  let text: string
  beforeAll(async () => {
    file = path.join(dir, 'one.pdf')
    const result = await renderVouchers([voucher()], file, { fontsDir: FONTS_DIR, creationDate: CREATED })
    expect(result).toEqual({ pages: 1 })
    text = flat(pdfText(file))
  })

  it('is one A5 landscape page', () => {
    expect(pageCount(file)).toBe(1)
    expect(pdfInfo(file)['Page size']).toMatch(/^595\.28 x 419\.53 pts/)
  })

  it('shows the title, number and date', () => {
    expect(text).toContain('PAYMENT VOUCHER')
    expect(text).toContain('PV-2026-000123')
    expect(text).toContain('15 January 2026')
  })

  it('shows the letterhead', () => {
    expect(text).toContain('Umoja Savings & Credit Co-operative Society Ltd')
    expect(text).toContain('Moi Avenue, Tumaini House, P.O. Box 12345-00100, Nairobi')
    expect(text).toContain('+254 700 123 456')
    expect(text).toContain('treasurer@umoja.example')
    expect(text).toContain('CS/2019/004512')
  })

  it('shows the payee with diacritics, the member number and the particulars', () => {
    expect(text).toContain('Zoë Müller')
    expect(text).toContain('M-00042')
    expect(text).toContain('Coupon on UMJ-2027 for 1 Jan 2026 – 30 Jun 2026')
    expect(text).toContain('UMJ-2027 · Umoja Bond 2027')
    expect(text).toContain('1 Jan 2026 – 30 Jun 2026')
  })

  it('shows gross, tax and net formatted in the cooperative locale', () => {
    expect(money(1234500)).toBe('Ksh 12,345.00')
    expect(text).toMatch(/Gross amount Ksh 12,345\.00/)
    expect(text).toMatch(/Less withholding tax Ksh 1,851\.75/)
    expect(text).toMatch(/Net payable Ksh 10,493\.25/)
  })

  it('writes the net amount in words', () => {
    const words = amountInWords(1049325, 'KES')
    expect(words).toBe('Ten thousand four hundred ninety-three Kenya shillings and twenty-five cents only')
    expect(text).toContain(words)
  })

  it('writes the amount in words in the language of the cooperative locale', async () => {
    const fr = path.join(dir, 'words-fr.pdf')
    await renderVouchers([voucher({ locale: 'fr-FR', currency: 'EUR', gross: 123456, tax: 0, net: 123456 })], fr, { fontsDir: FONTS_DIR, creationDate: CREATED })
    const frText = flat(pdfText(fr))
    expect(frText).toContain('Mille deux cent trente-quatre euros et cinquante-six centimes')
    expect(frText).toContain('15 janvier 2026')
    const sw = path.join(dir, 'words-sw.pdf')
    await renderVouchers([voucher({ locale: 'sw-KE', gross: 123456, tax: 0, net: 123456 })], sw, { fontsDir: FONTS_DIR, creationDate: CREATED })
    expect(flat(pdfText(sw))).toContain('Shilingi elfu moja mia mbili thelathini na nne na senti hamsini na sita')
  })

  it('shows the payment method and reference', () => {
    expect(text).toContain('Payment method Bank transfer')
    expect(text).toContain('Transfer reference FT26015ABC123')
  })

  it('has the three signature blocks with the names known', () => {
    for (const s of ['PREPARED BY', 'APPROVED BY', 'RECEIVED BY', 'Wanjiru Kamau', 'Otieno Odhiambo', '16 Jan 2026']) {
      expect(text).toContain(s)
    }
    expect(text.match(/Signature/g)).toHaveLength(3)
  })

  it('is not marked COPY', () => {
    expect(text).not.toContain('COPY')
  })

  it('has its metadata', () => {
    const info = pdfInfo(file)
    expect(info['Title']).toBe('Payment voucher PV-2026-000123')
    expect(info['Author']).toBe('Umoja Savings & Credit Co-operative Society Ltd')
    expect(info['Subject']).toBe('Payment to Zoë Müller: Coupon on UMJ-2027 for 1 Jan 2026 – 30 Jun 2026')
    expect(info['Creator']).toBe('Coffer')
    expect(info['CreationDate']).toMatch(/2026/)
  })

  it('draws every character with the embedded DejaVu fonts', () => {
    const out = execFileSync('pdffonts', [file], { encoding: 'utf8' })
    const rows = out.split('\n').slice(2).filter((l) => l.trim() !== '')
    expect(rows.length).toBeGreaterThanOrEqual(2)
    for (const row of rows) {
      expect(row).toMatch(/^[A-Z]{6}\+DejaVuSans(-Bold)? /)
      expect(row).toMatch(/ yes\s+yes\s+yes\s+/) // embedded, subset, ToUnicode
    }
  })
})

describe('renderVouchers: a batch', () => {
  const batch: VoucherData[] = [
    voucher(),
    voucher({
      number: 'PV-2026-000124',
      payee: { name: 'Σοφία Παπαδοπούλου', memberNo: 'M-00107' },
      method: 'cheque',
      reference: '004512',
      gross: 50000,
      tax: 7500,
      net: 42500
    }),
    voucher({
      number: 'PV-2026-000125',
      payee: { name: 'Дмитрий Кузнецов', memberNo: 'M-00311' },
      method: 'cash',
      reference: null,
      series: null,
      period: null,
      description: 'Dividend for 2025',
      gross: 100,
      tax: 0,
      net: 100,
      approvedBy: null,
      approvedAt: null
    })
  ]
  let file: string
  beforeAll(async () => {
    file = path.join(dir, 'batch.pdf')
    const result = await renderVouchers(batch, file, {
      fontsDir: FONTS_DIR,
      creationDate: CREATED,
      copy: (v) => v.number === 'PV-2026-000124'
    })
    expect(result).toEqual({ pages: 3 })
  })

  it('puts one voucher on each page', () => {
    expect(pageCount(file)).toBe(3)
    batch.forEach((v, i) => {
      const page = flat(pdfText(file, i + 1))
      expect(page).toContain(v.number)
      expect(page).toContain(v.payee.name)
      expect(page).toContain(v.payee.memberNo)
      expect(page).toContain(`Gross amount ${money(v.gross)}`)
      expect(page).toContain(`Less withholding tax ${money(v.tax)}`)
      expect(page).toContain(`Net payable ${money(v.net)}`)
      expect(page).toContain(amountInWords(v.net, 'KES'))
      for (const other of batch) if (other !== v) expect(page).not.toContain(other.number)
    })
  })

  it('prints Greek and Cyrillic names', () => {
    expect(flat(pdfText(file, 2))).toContain('Σοφία Παπαδοπούλου')
    expect(flat(pdfText(file, 3))).toContain('Дмитрий Кузнецов')
  })

  it('labels each method and its reference', () => {
    expect(flat(pdfText(file, 1))).toContain('Payment method Bank transfer Transfer reference FT26015ABC123')
    expect(flat(pdfText(file, 2))).toContain('Payment method Cheque Cheque no. 004512')
    const cash = flat(pdfText(file, 3))
    expect(cash).toContain('Payment method Cash Reference')
    expect(cash).toContain('One Kenya shilling only')
  })

  it('marks only the re-print as COPY', () => {
    expect(flat(pdfText(file, 1))).not.toContain('COPY')
    expect(flat(pdfText(file, 2))).toContain('COPY No. PV-2026-000124')
    expect(flat(pdfText(file, 3))).not.toContain('COPY')
  })

  it('leaves out what is not known', () => {
    const page = flat(pdfText(file, 3))
    expect(page).not.toContain('Series')
    expect(page).not.toContain('Period')
    expect(page).not.toContain('Otieno')
  })

  it('describes the batch in its metadata', () => {
    const info = pdfInfo(file)
    expect(info['Title']).toBe('Payment vouchers PV-2026-000123 – PV-2026-000125 (3)')
    expect(info['Subject']).toBe('3 payment vouchers')
  })
})

describe('renderVouchers: output', () => {
  it('is byte-for-byte the same for the same input and creation date', async () => {
    const a = path.join(dir, 'same-a.pdf')
    const b = path.join(dir, 'same-b.pdf')
    await renderVouchers([voucher(), voucher({ number: 'X-1' })], a, { fontsDir: FONTS_DIR, creationDate: CREATED })
    await renderVouchers([voucher(), voucher({ number: 'X-1' })], b, { fontsDir: FONTS_DIR, creationDate: CREATED })
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true)
  })

  it('marks every voucher COPY with copy: true', async () => {
    const file = path.join(dir, 'copies.pdf')
    await renderVouchers([voucher(), voucher({ number: 'PV-2' })], file, { fontsDir: FONTS_DIR, copy: true })
    expect(flat(pdfText(file, 1))).toContain('COPY')
    expect(flat(pdfText(file, 2))).toContain('COPY')
  })

  it('writes to a stream and ends it', async () => {
    const sink = new PassThrough()
    const chunks: Buffer[] = []
    sink.on('data', (c: Buffer) => chunks.push(c))
    const result = await renderVouchers([voucher()], sink, { fontsDir: FONTS_DIR })
    expect(result.pages).toBe(1)
    expect(sink.writableEnded).toBe(true)
    const pdf = Buffer.concat(chunks)
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\n?$/)
  })

  it('waits for a slow destination and loses nothing', async () => {
    const file = path.join(dir, 'slow.pdf')
    const out = fs.createWriteStream(file)
    let writes = 0
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        writes += 1
        out.write(chunk, () => setTimeout(done, writes % 50 === 0 ? 5 : 0))
      },
      final(done) {
        out.end(done)
      }
    })
    const n = 40
    const vs = Array.from({ length: n }, (_, i) =>
      voucher({ number: `PV-2026-${String(i + 1).padStart(6, '0')}`, payee: { name: `Member ${i}`, memberNo: `M-${i}` } })
    )
    await renderVouchers(vs, slow, { fontsDir: FONTS_DIR })
    if (!out.closed) await new Promise<void>((resolve) => out.on('close', () => resolve()))
    expect(pageCount(file)).toBe(n)
    expect(flat(pdfText(file, n))).toContain('PV-2026-000040')
  })

  it('embeds a logo once however many vouchers use it', async () => {
    const file = path.join(dir, 'logo.pdf')
    const logo = ringPng()
    const coop = { ...voucher().cooperative, logoPng: logo }
    const vs = [
      voucher({ cooperative: coop }),
      voucher({ cooperative: coop, number: 'PV-2' }),
      // Same bytes in another Buffer.
      voucher({ cooperative: { ...coop, logoPng: Buffer.from(logo) }, number: 'PV-3' })
    ]
    await renderVouchers(vs, file, { fontsDir: FONTS_DIR })
    const list = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
    const rows = list
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '')
    expect(rows).toHaveLength(3) // drawn on each page...
    const objects = new Set(rows.map((r) => r.trim().split(/\s+/)[10])) // ...from one image object
    expect(objects.size).toBe(1)
  })

  it('draws what repeats once per cooperative, as a template', async () => {
    const file = path.join(dir, 'templates.pdf')
    const other = { ...voucher().cooperative, name: 'Jamii Housing Co-operative' }
    await renderVouchers(
      [voucher(), voucher({ number: 'PV-2' }), voucher({ number: 'PV-3', cooperative: other }), voucher({ number: 'PV-4' })],
      file,
      { fontsDir: FONTS_DIR }
    )
    const forms = fs.readFileSync(file).toString('latin1').match(/\/Subtype \/Form/g) ?? []
    expect(forms).toHaveLength(2)
    expect(flat(pdfText(file, 3))).toContain('Jamii Housing Co-operative')
    expect(flat(pdfText(file, 4))).toContain('Umoja Savings & Credit Co-operative Society Ltd')
    expect(flat(pdfText(file, 4))).toContain('PREPARED BY')
  })

  it('refuses a bad logo without leaving a file', async () => {
    const file = path.join(dir, 'bad-logo.pdf')
    const v = voucher({ cooperative: { ...voucher().cooperative, logoPng: Buffer.from('not an image') } })
    await expect(renderVouchers([v], file, { fontsDir: FONTS_DIR })).rejects.toThrow(RangeError)
    expect(fs.existsSync(file)).toBe(false)
  })

  it('rejects when the file cannot be written', async () => {
    const file = path.join(dir, 'no-such-folder', 'x.pdf')
    await expect(renderVouchers([voucher()], file, { fontsDir: FONTS_DIR })).rejects.toThrow(/ENOENT/)
  })
})

describe('renderVouchers: refuses bad input before writing', () => {
  const cases: Array<[string, VoucherData[]]> = [
    ['no vouchers', []],
    ['net ≠ gross − tax', [voucher({ net: 1 })]],
    ['negative tax', [voucher({ tax: -1, net: 1234501 })]],
    ['fractional amount', [voucher({ gross: 1.5, tax: 0, net: 1.5 })]],
    ['bad date', [voucher({ date: '2026-02-30' })]],
    ['bad period', [voucher({ period: { start: '2026-01-01', end: 'June' } })]],
    ['unknown currency', [voucher({ currency: 'ZZZ' })]],
    ['unknown method', [voucher({ method: 'crypto' as VoucherData['method'] })]],
    ['no payee name', [voucher({ payee: { name: ' ', memberNo: 'M-1' } })]],
    ['no number', [voucher({ number: '' })]]
  ]
  for (const [what, vs] of cases) {
    it(what, async () => {
      const file = path.join(dir, 'refused.pdf')
      await expect(renderVouchers(vs, file, { fontsDir: FONTS_DIR })).rejects.toThrow(RangeError)
      expect(fs.existsSync(file)).toBe(false)
    })
  }

  it('names the voucher at fault', async () => {
    await expect(
      renderVouchers([voucher(), voucher({ number: 'PV-9', net: 5 })], path.join(dir, 'x.pdf'), { fontsDir: FONTS_DIR })
    ).rejects.toThrow(/PV-9/)
  })

  it('needs the fonts', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'nofonts-'))
    await expect(renderVouchers([voucher()], path.join(dir, 'y.pdf'), { fontsDir: empty })).rejects.toThrow(
      /DejaVuSans\.ttf/
    )
  })
})

describe('pdfkit internals the renderer relies on', () => {
  it('forgetShapedWords still finds and empties pdfkit’s per-font layout caches', () => {
    const doc = new PDFDocument({ autoFirstPage: true })
    doc.registerFont('Body', path.join(FONTS_DIR, 'DejaVuSans.ttf'))
    doc.font('Body').text('Hello world', 10, 10, { lineBreak: false })
    const fonts = (doc as unknown as { _fontFamilies: Record<string, { layoutCache?: Record<string, unknown> }> })
      ._fontFamilies
    const cache = () => Object.values(fonts).find((f) => f.layoutCache)?.layoutCache ?? {}
    expect(Object.keys(cache()).length).toBeGreaterThan(0)
    // If this fails after a pdfkit upgrade, long batches will grow in memory: revisit forgetShapedWords.
    expect(forgetShapedWords(doc)).toBeGreaterThan(0)
    expect(Object.keys(cache())).toHaveLength(0)
    doc.end()
  })
})
