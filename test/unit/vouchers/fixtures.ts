import { execFileSync } from 'node:child_process'
import path from 'node:path'
import zlib from 'node:zlib'
import type { VoucherData } from '../../../src/core/payments/voucher-pdf'

export const FONTS_DIR = path.resolve(__dirname, '../../../resources/fonts')

export function voucher(over: Partial<VoucherData> = {}): VoucherData {
  return {
    number: 'PV-2026-000123',
    date: '2026-01-15',
    cooperative: {
      name: 'Umoja Savings & Credit Co-operative Society Ltd',
      address: 'Moi Avenue, Tumaini House\nP.O. Box 12345-00100, Nairobi',
      phone: '+254 700 123 456',
      email: 'treasurer@umoja.example',
      registrationNo: 'CS/2019/004512',
      logoPng: null
    },
    payee: { name: 'Zoë Müller', memberNo: 'M-00042' },
    description: 'Coupon on UMJ-2027 for 1 Jan 2026 – 30 Jun 2026',
    series: { code: 'UMJ-2027', name: 'Umoja Bond 2027' },
    period: { start: '2026-01-01', end: '2026-06-30' },
    gross: 1234500,
    tax: 185175,
    net: 1049325,
    currency: 'KES',
    locale: 'en-KE',
    method: 'bank-transfer',
    reference: 'FT26015ABC123',
    preparedBy: 'Wanjiru Kamau',
    approvedBy: 'Otieno Odhiambo',
    approvedAt: '2026-01-16',
    ...over
  }
}

/** Text of a PDF (or one page of it) as `pdftotext -layout` sees it. */
export function pdfText(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)]
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8' })
}

/** The same text with all runs of whitespace (NBSP and friends too) as one space. */
export function flat(text: string): string {
  return text.replace(/\s+/gu, ' ').trim()
}

export function pdfInfo(file: string): Record<string, string> {
  const out = execFileSync('pdfinfo', ['-enc', 'UTF-8', file], { encoding: 'utf8' })
  const info: Record<string, string> = {}
  for (const line of out.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line)
    if (m && m[1] !== undefined) info[m[1]] = m[2] ?? ''
  }
  return info
}

export function pageCount(file: string): number {
  return Number(pdfInfo(file)['Pages'])
}

function crc32(buf: Buffer): number {
  let crc = 0xffffffff
  for (const b of buf) {
    let c = (crc ^ b) & 0xff
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    crc = (crc >>> 8) ^ c
  }
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A small grey-ring RGB PNG, made here so the tests need no image files. */
export function ringPng(size = 64): Buffer {
  const row = size * 3 + 1
  const raw = Buffer.alloc(row * size)
  const c = size / 2
  for (let y = 0; y < size; y++) {
    raw[y * row] = 0
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - c, y - c)
      const v = r < c - 2 && r > c - 8 ? 40 : 255
      raw.fill(v, y * row + 1 + x * 3, y * row + 4 + x * 3)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0))
  ])
}
