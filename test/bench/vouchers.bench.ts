/**
 * Issue target: 1,000 vouchers into one PDF at 200 vouchers a second or more
 * (under 5 s), with memory flat.
 *
 * renderVouchers (src/core/vouchers/pdf.ts) is called directly with 1,000
 * VoucherData (payee names with diacritics, a few in Greek and Cyrillic; one
 * in twenty stamped COPY) and the app's fonts (resources/fonts), writing to a
 * temporary file. Its baseline is the same call with the first 100 of them,
 * made linear: the time of a 1-voucher document (fonts parsed and embedded,
 * the file opened and closed) plus 10 x the rest. The ratio is 1.00x when a
 * voucher costs the same in a long document as in a short one.
 *
 * Memory: process.memoryUsage() (rss, heapUsed) every 50 ms while a document
 * renders, after a full GC. "Flat" = the peak RSS growth over the start of the
 * run for 1,000 vouchers is not ~10x the growth for 100: both are printed with
 * their ratio, and the case fails at or over FLAT_MAX_RATIO. Each file's page
 * count is checked with pdfinfo.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { renderVouchers, type PaymentMethod, type VoucherData } from '../../src/core/payments/voucher-pdf'
import { addDays } from '../../src/shared/dates'
import { tempDir } from '../support/temp-core'
import { stats, type CaseResult, type Stats } from './harness'

const FONTS_DIR = path.resolve(__dirname, '../../resources/fonts')
const BIG = 1_000
const SMALL = 100
/** Timed runs of each size, after a warm-up render. */
const RUNS = 3
/** Enough for the JIT to settle, so the 100-voucher runs are not slowed by it. */
const WARMUP_VOUCHERS = 200
const TARGET_PER_S = 200
/** Peak RSS growth for 1,000 vouchers at or above this multiple of the growth for 100 is not flat (linear: 10x). */
const FLAT_MAX_RATIO = 5
/**
 * The ratio is taken against at least this growth. Under a steady allocation
 * rate V8 enlarges its young generation (semi-spaces up to 16 MB each) and
 * lets garbage build up before a major GC: 15-35 MB of RSS that a run of a
 * few seconds reaches whatever the voucher count (3,000 vouchers peak no
 * higher than 1,000), while a 100-voucher run (< 1 s) grows RSS by 0-5 MB.
 */
const NOISE_FLOOR_MB = 10
const SAMPLE_MS = 50
const CREATION_DATE = new Date('2026-11-22T09:00:00Z')

const FIRST = [
  'Zoë', 'José', 'Renée', 'Björn', 'Søren', 'Jürgen', 'Łukasz', 'Inés', 'François', 'Anaïs', 'Ángel', 'Óscar',
  'Gĩthĩnji', 'Wanjikũ', 'Ngũgĩ', 'Müge', 'Grace', 'Wanjiru', 'Otieno', 'Akinyi', 'Chebet', 'Zawadi', 'Halima', 'Kiprono'
]
const LAST = [
  'Müller', 'Núñez', 'Gómez', 'Pérez', 'Sørensen', 'Öztürk', 'Çelik', 'Dvořák', 'Lefèvre', 'Ngũgĩ', 'Kamau', 'Nyambura',
  "Nyong'o", 'Chepkoech', 'Mwangi', 'Odhiambo', 'Wafula', 'Kiplagat', 'Mohamed', 'Ščerbová', 'Đorđević', 'Ægir'
]
/** Every 25th payee: Greek or Cyrillic. */
const OTHER_SCRIPTS = [
  'Γιώργος Παπαδόπουλος', 'Ελένη Κωνσταντίνου', 'Νίκος Αλεξίου',
  'Анна Иванова', 'Дмитрий Соколов', 'Олена Шевченко', 'Сергій Коваленко', 'Ђорђе Петровић'
]
const SERIES = [
  { code: 'UMJ-M29', name: 'Umoja Monthly 11.5% 2029' },
  { code: 'HAR-Q31', name: 'Harambee Quarterly 12.25% 2031' },
  { code: 'JAM-S36', name: 'Jamii Semi-annual 13.875% 2036' },
  { code: 'MAV-A30', name: 'Mavuno Annual 10% 2030' }
]
const METHODS: PaymentMethod[] = ['bank-transfer', 'bank-transfer', 'cash', 'cheque']

const COOPERATIVE = {
  name: 'Umoja Savings & Credit Co-operative Society Ltd',
  address: 'Umoja House, 3rd floor\nMoi Avenue\nP.O. Box 100-00100, Nairobi',
  phone: '+254 20 123 4567',
  email: 'treasurer@umoja.example.ke',
  registrationNo: 'CS/12345',
  logoPng: null
}

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` vouchers as VouchersService builds them (deterministic). */
function benchVouchers(count: number, seed = 20261122): VoucherData[] {
  const rnd = prng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T
  return Array.from({ length: count }, (_, i) => {
    const seq = i + 1
    const s = pick(SERIES)
    const name = seq % 25 === 0 ? (OTHER_SCRIPTS[(seq / 25) % OTHER_SCRIPTS.length] as string) : `${pick(FIRST)} ${pick(LAST)}`
    const gross = 500 + Math.floor(rnd() * 5_000_000)
    const tax = Math.round((gross * 15) / 100)
    const end = addDays('2026-11-01', Math.floor(rnd() * 20))
    const start = addDays(end, -30 - Math.floor(rnd() * 150))
    const method = pick(METHODS)
    return {
      number: `PV-2026-${String(seq).padStart(6, '0')}`,
      date: '2026-11-22',
      cooperative: COOPERATIVE,
      payee: { name, memberNo: `M-${String(1 + Math.floor(rnd() * 5000)).padStart(6, '0')}` },
      description: `Coupon on ${s.code} for ${start} to ${end}`,
      series: s,
      period: { start, end },
      gross,
      tax,
      net: gross - tax,
      currency: 'KES',
      locale: 'en-KE',
      method,
      reference: method === 'cash' ? null : `${method === 'cheque' ? 'CHQ' : 'FT'}26${String(100000 + seq)}`,
      preparedBy: 'Mercy Achieng',
      approvedBy: 'Jürgen Ørsted',
      approvedAt: '2026-11-20T10:15:00Z'
    }
  })
}

/** A full GC, when the runtime lets us ask for one (it always does: the flag is set here). */
function fullGc(): void {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as (() => void) | undefined
  gc?.()
}

interface Memory {
  /** At the start of the run, after a GC (MB). */
  rss0: number
  heap0: number
  /** Highest sample during the run, minus the start (MB). */
  rssGrowth: number
  heapGrowth: number
  samples: number
}

const MB = 1024 * 1024

interface Render {
  ms: number
  /** CPU time of the process (user + system, all threads: V8's GC helpers too) during the render; contention for the CPU changes it less than the wall time. */
  cpuMs: number
  pages: number
  bytes: number
  memory: Memory
}

async function render(vouchers: VoucherData[], file: string): Promise<Render> {
  fullGc()
  const m0 = process.memoryUsage()
  let rssMax = m0.rss
  let heapMax = m0.heapUsed
  let samples = 0
  const sample = () => {
    const m = process.memoryUsage()
    rssMax = Math.max(rssMax, m.rss)
    heapMax = Math.max(heapMax, m.heapUsed)
    samples++
  }
  const timer = setInterval(sample, SAMPLE_MS)
  const t0 = process.hrtime.bigint()
  const c0 = process.cpuUsage()
  let pages: number
  try {
    pages = (await renderVouchers(vouchers, file, { fontsDir: FONTS_DIR, copy: (v) => Number(v.number.slice(-6)) % 20 === 0, creationDate: CREATION_DATE })).pages
  } finally {
    clearInterval(timer)
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  const cpu = process.cpuUsage(c0)
  sample()
  if (pages !== vouchers.length) throw new Error(`renderVouchers reported ${pages} pages for ${vouchers.length} vouchers`)
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    pages,
    bytes: fs.statSync(file).size,
    memory: {
      rss0: m0.rss / MB,
      heap0: m0.heapUsed / MB,
      rssGrowth: (rssMax - m0.rss) / MB,
      heapGrowth: (heapMax - m0.heapUsed) / MB,
      samples
    }
  }
}

/**
 * Retained memory: renders again with a full GC before each sample (every
 * SAMPLE_MS), so heapUsed is what is still referenced. Not timed (the GCs
 * slow it down).
 */
async function liveHeapGrowth(vouchers: VoucherData[], file: string): Promise<number> {
  fullGc()
  const h0 = process.memoryUsage().heapUsed
  let peak = 0
  const timer = setInterval(() => {
    fullGc()
    peak = Math.max(peak, process.memoryUsage().heapUsed - h0)
  }, SAMPLE_MS)
  try {
    await renderVouchers(vouchers, file, { fontsDir: FONTS_DIR, creationDate: CREATION_DATE })
  } finally {
    clearInterval(timer)
  }
  return peak / MB
}

/** Pages per pdfinfo: the file is a whole, readable PDF with one page a voucher. */
function pdfPages(file: string): number {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const m = /^Pages:\s+(\d+)/m.exec(out)
  if (!m) throw new Error(`pdfinfo gave no page count for ${file}:\n${out}`)
  return Number(m[1])
}

/** The text of one page, to check a Greek or Cyrillic name came out as text (not missing glyphs). */
function pageText(file: string, page: number): string {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
}

const f1 = (x: number): string => x.toFixed(1)
const perS = (n: number, ms: number): number => n / (ms / 1000)
const one = (x: number): Stats => ({ n: 1, median: x, p95: x, min: x, max: x })

export default async function vouchersBench(): Promise<CaseResult[]> {
  const dir = tempDir('coffer-bench-')
  try {
    const big = benchVouchers(BIG)
    // The same vouchers, the first 100 of them.
    const small = big.slice(0, SMALL)
    const fileOf = (n: number, k: number) => path.join(dir, `vouchers-${n}-${k}.pdf`)

    const load = () => os.loadavg().map((x) => x.toFixed(1)).join(', ')
    const loadBefore = load()
    // Warm-up: fonts read and parsed, code compiled; not counted.
    await render(benchVouchers(WARMUP_VOUCHERS, 7), path.join(dir, 'warm-up.pdf'))

    // Small first, then big: RSS a big run leaves behind would flatter the small runs' growth, not the big one's.
    const smallRuns: Render[] = []
    const bigRuns: Render[] = []
    const oneRuns: Render[] = []
    for (let k = 0; k < RUNS; k++) oneRuns.push(await render(big.slice(0, 1), path.join(dir, `one-${k}.pdf`)))
    for (let k = 0; k < RUNS; k++) smallRuns.push(await render(small, fileOf(SMALL, k)))
    for (let k = 0; k < RUNS; k++) bigRuns.push(await render(big, fileOf(BIG, k)))

    for (const [n, runs] of [
      [SMALL, smallRuns],
      [BIG, bigRuns]
    ] as const) {
      runs.forEach((r, k) => {
        const pages = pdfPages(fileOf(n, k))
        if (pages !== n) throw new Error(`pdfinfo: ${fileOf(n, k)} has ${pages} pages, expected ${n}`)
        console.log(
          `${n} vouchers #${k + 1}: ${r.ms.toFixed(0)} ms (${perS(n, r.ms).toFixed(0)}/s), CPU ${r.cpuMs.toFixed(0)} ms, ` +
            `${(r.bytes / MB).toFixed(2)} MB, pdfinfo ${pages} pages; ` +
            `RSS ${f1(r.memory.rss0)} MB + peak ${f1(r.memory.rssGrowth)} MB, heap ${f1(r.memory.heap0)} MB + peak ${f1(r.memory.heapGrowth)} MB ` +
            `(${r.memory.samples} samples)`
        )
      })
    }
    // Page 25 is the first Greek payee: its name should come back out of the PDF as text.
    const greek = OTHER_SCRIPTS[1] as string
    const text = pageText(fileOf(SMALL, 0), 25)
    if (!text.normalize('NFC').includes(greek)) throw new Error(`page 25 does not contain "${greek}" as text:\n${text}`)
    const cyr = OTHER_SCRIPTS[3] as string
    if (!pageText(fileOf(SMALL, 0), 75).normalize('NFC').includes(cyr)) throw new Error(`page 75 does not contain "${cyr}" as text`)
    console.log(`text check: "${greek}" on page 25 and "${cyr}" on page 75 extract as text`)

    const liveSmall = await liveHeapGrowth(small, path.join(dir, 'live-small.pdf'))
    const liveBig = await liveHeapGrowth(big, path.join(dir, 'live-big.pdf'))
    const perVoucherKb = ((liveBig - liveSmall) * 1024) / (BIG - SMALL)
    console.log(
      `retained heap (full GC before each sample): ${f1(liveSmall)} MB for ${SMALL}, ${f1(liveBig)} MB for ${BIG} ` +
        `(${perVoucherKb.toFixed(1)} KB a voucher beyond the first ${SMALL})`
    )

    const loadAfter = load()
    const bigTimes = stats(bigRuns.map((r) => r.ms))
    const bigCpu = stats(bigRuns.map((r) => r.cpuMs))
    const smallTimes = stats(smallRuns.map((r) => r.ms))
    const fixed = stats(oneRuns.map((r) => r.ms)).median
    // Linear from the 100-voucher runs: the per-document cost once, the per-voucher cost x 1,000.
    const linear = (ms: number): number => fixed + ((ms - fixed) * BIG) / SMALL
    const scaled: Stats = {
      n: smallTimes.n,
      median: linear(smallTimes.median),
      p95: linear(smallTimes.p95),
      min: linear(smallTimes.min),
      max: linear(smallTimes.max)
    }
    const perVoucherMs = (ms: number, n: number): string => ((ms - fixed) / n).toFixed(2)
    // Memory of the FIRST run of each size (the later ones start on what the earlier left behind).
    const [s0, b0] = [smallRuns[0] as Render, bigRuns[0] as Render]
    const rssRatio = b0.memory.rssGrowth / Math.max(s0.memory.rssGrowth, NOISE_FLOOR_MB)
    const rawRssRatio = b0.memory.rssGrowth / s0.memory.rssGrowth
    const heapRatio = b0.memory.heapGrowth / Math.max(s0.memory.heapGrowth, NOISE_FLOOR_MB)
    const maxRss = (runs: Render[]) => Math.max(...runs.map((r) => r.memory.rssGrowth))
    console.log(
      `memory: peak RSS growth ${f1(s0.memory.rssGrowth)} MB for ${SMALL}, ${f1(b0.memory.rssGrowth)} MB for ${BIG} ` +
        `(ratio ${rssRatio.toFixed(2)}x against at least ${NOISE_FLOOR_MB} MB, ${rawRssRatio.toFixed(1)}x without; linear would be 10x); ` +
        `heap ${f1(s0.memory.heapGrowth)} / ${f1(b0.memory.heapGrowth)} MB (${heapRatio.toFixed(2)}x); ` +
        `over all runs, peak RSS growth ${f1(maxRss(smallRuns))} MB for ${SMALL}, ${f1(maxRss(bigRuns))} MB for ${BIG}`
    )

    return [
      {
        name: `renderVouchers: ${BIG.toLocaleString('en')} vouchers, one PDF`,
        measured: bigTimes,
        baseline: scaled,
        targetMedianMs: (BIG / TARGET_PER_S) * 1000,
        note:
          `${perS(BIG, bigTimes.median).toFixed(0)} vouchers/s (target >= ${TARGET_PER_S}/s); ` +
          `baseline = the ${SMALL}-voucher runs made linear: ${fixed.toFixed(0)} ms a document (1 voucher) + ${BIG / SMALL} x the rest; ` +
          `ratio 1.00x = the same cost a voucher (${perVoucherMs(bigTimes.median, BIG)} ms for ${BIG}, ${perVoucherMs(smallTimes.median, SMALL)} ms for ${SMALL}); ` +
          `${RUNS} runs each, ${(b0.bytes / MB).toFixed(2)} MB file, ${b0.pages} pages per pdfinfo; ` +
          `process CPU time (all threads, GC's included) ${bigCpu.median.toFixed(0)} ms median (${perS(BIG, bigCpu.median).toFixed(0)} vouchers per CPU-second); ` +
          `load average ${loadBefore} before, ${loadAfter} after (${os.availableParallelism()} CPUs)`
      },
      {
        name: `renderVouchers: ${SMALL} vouchers`,
        measured: smallTimes,
        note: `information; ${perS(SMALL, smallTimes.median).toFixed(0)} vouchers/s`
      },
      {
        name: `memory: peak RSS growth, ${BIG} vs ${SMALL} (MB, not ms)`,
        measured: one(b0.memory.rssGrowth),
        baseline: one(Math.max(s0.memory.rssGrowth, NOISE_FLOOR_MB)),
        targetMedianMs: FLAT_MAX_RATIO * Math.max(s0.memory.rssGrowth, NOISE_FLOOR_MB),
        note:
          `figures in MB: flat = ratio < ${FLAT_MAX_RATIO}x (linear growth would be ~10x); ${SMALL}: ${f1(s0.memory.rssGrowth)} MB ` +
          `(the ratio is taken against at least ${NOISE_FLOOR_MB} MB; ${rawRssRatio.toFixed(1)}x without), ${BIG}: ${f1(b0.memory.rssGrowth)} MB; ` +
          `first run of each size, sampled every ${SAMPLE_MS} ms from a full GC`
      },
      {
        name: `memory: peak heapUsed growth, ${BIG} vs ${SMALL} (MB, not ms)`,
        measured: one(b0.memory.heapGrowth),
        baseline: one(Math.max(s0.memory.heapGrowth, NOISE_FLOOR_MB)),
        note: `information; ${SMALL}: ${f1(s0.memory.heapGrowth)} MB, ${BIG}: ${f1(b0.memory.heapGrowth)} MB`
      },
      {
        name: `memory: retained heap (after GC), ${BIG} vs ${SMALL} (MB, not ms)`,
        measured: one(liveBig),
        baseline: one(liveSmall),
        note: `information; ${perVoucherKb.toFixed(1)} KB a voucher beyond the first ${SMALL} (pdfkit keeps each page's dictionary for the page tree)`
      }
    ]
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
