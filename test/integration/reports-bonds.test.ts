/**
 * The bond reports (payment register, series register, coupon liability,
 * portfolio, withholding tax and its certificates) on a real book: series,
 * holdings and coupons made and paid through the real core, then each
 * report's figures checked against what the payments list and the bonds
 * service say, worked out here independently.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DATABASE_FILE, ManualClock, type Core } from '../../src/core'
import { applyPragmas } from '../../src/core/platform/db/open'
import { reportSource } from '../../src/core/reports/source'
import { fingerprintDocumentWithRows } from '../../src/core/reports/fingerprint'
import { REPORT_DEFINITIONS } from '../../src/core/reports/defs'
import type { ReportDocument, ReportSource } from '../../src/core/reports/model'
import type { BondSeries, Holding, Member, Payment, ReportName, ReportParams, ReportRow } from '../../src/shared/contract'
import { jobCore } from '../support/job-core'
import { prepareAndApprove } from '../support/operators'
import { SERIES, runJob } from '../support/series'
import { tempDir, value } from '../support/temp-core'

const SERIES_B = {
  code: 'PAM-28',
  name: 'Pamoja 10% 2028',
  faceValueMinor: 50_000,
  couponRatePercent: '10.25',
  frequency: 'quarterly',
  dayCount: 'ACT/365F',
  issueDate: '2026-01-01',
  maturityDate: '2028-01-01',
  firstCouponDate: null,
  endOfMonth: false,
  businessDay: 'unadjusted',
  withholdingTaxPercent: '10'
} as const

interface Fixture {
  core: Core
  clock: ManualClock
  dataDir: string
  sqlite: Database.Database
  src: ReportSource
  a: BondSeries
  b: BondSeries
  jane: Member
  wang: Member
  bob: Member
  holdings: Holding[]
}

let fx: Fixture

async function payments(core: Core, q: Record<string, unknown> = {}): Promise<Payment[]> {
  const out: Payment[] = []
  for (let offset = 0; ; offset += 1000) {
    const page = value<{ rows: Payment[]; total: number }>(await core.invoke('payments.list', { ...q, offset, limit: 1000 }))
    out.push(...page.rows)
    if (out.length >= page.total) return out
  }
}

async function pay(core: Core, ids: number[], paidOn: string, method: string, reference?: string): Promise<void> {
  if (ids.length === 0) return
  await prepareAndApprove(core, ids)
  value(await core.invoke('payments.pay', { ids, paidOn, method, ...(reference ? { reference } : {}) }))
}

beforeAll(async () => {
  const clock = new ManualClock('2026-05-06T06:00:00Z')
  const t = await jobCore({ clock })
  const { core } = t
  const a = value<BondSeries>(await core.invoke('bonds.createSeries', SERIES))
  const b = value<BondSeries>(await core.invoke('bonds.createSeries', SERIES_B))
  const member = (memberNo: string, fullName: string, nationalId?: string) =>
    core.invoke('members.create', { memberNo, fullName, joinedOn: '2020-01-01', ...(nationalId ? { nationalId } : {}) }).then((r) => value<Member>(r))
  const jane = await member('M-1', 'Jane Wanjiru', 'A1234567')
  const wang = await member('M-2', 'Αλέξης Παπαδόπουλος', 'B7654321')
  const bob = await member('M-3', 'Bob Otieno')
  const buy = (m: Member, s: BondSeries, units: number, purchaseDate: string) =>
    core.invoke('bonds.buyHolding', { memberId: m.id, seriesId: s.id, units, purchaseDate }).then((r) => value<Holding>(r))
  const holdings = [
    await buy(jane, a, 10, '2026-01-16'),
    await buy(wang, a, 5, '2026-02-01'),
    await buy(wang, b, 20, '2026-01-01'),
    await buy(bob, b, 3, '2026-03-10')
  ]
  // Coupons due to 6 May (+ lead days): January–April paid on 5 May in cash, May's on 6 May by bank transfer.
  await runJob(core, 'coupons')
  const due = await payments(core, { status: 'pending' })
  await pay(core, due.filter((p) => p.dueDate <= '2026-04-30').map((p) => p.id), '2026-05-05', 'cash')
  await pay(core, due.filter((p) => p.dueDate > '2026-04-30').map((p) => p.id), '2026-05-06', 'bank-transfer', 'EFT-55')
  // Later: Bob redeems early (15 June: his principal and interest become due); June's and July's coupons are made;
  // what is due by 30 June is paid on 2 July, July's left unpaid.
  clock.set('2026-07-02T06:00:00Z')
  const bobs = holdings[3]!
  holdings[3] = value<Holding>(await core.invoke('bonds.redeemHolding', { id: bobs.id, expectedVersion: bobs.version, redeemedOn: '2026-06-15' }))
  await runJob(core, 'coupons')
  const june = (await payments(core, { status: 'pending' })).filter((p) => p.dueDate <= '2026-06-30')
  await pay(core, june.map((p) => p.id), '2026-07-02', 'cheque', 'CHQ 000777')
  const sqlite = new Database(path.join(t.dataDir, DATABASE_FILE), { timeout: 5000 })
  applyPragmas(sqlite)
  const src = reportSource({ sqlite, db: drizzle(sqlite), clock, timeZone: 'Africa/Nairobi', locale: 'en-KE' })
  fx = { core, clock, dataDir: t.dataDir, sqlite, src, a, b, jane, wang, bob, holdings }
}, 60_000)

afterAll(async () => {
  fx?.sqlite.close()
  await fx?.core.shutdown()
})

/** The document, as the service builds it (params already checked against the catalog). */
function build(name: ReportName, params: ReportParams): ReportDocument {
  return REPORT_DEFINITIONS[name].build(fx.src, params)
}

/** Every row of a table, read twice (rows() must start over) and checked to be the same. */
function rowsOf(doc: ReportDocument, key: string): ReportRow[] {
  const t = doc.tables.find((x) => x.key === key)
  if (!t) throw new Error(`no table ${key}`)
  const once = [...t.rows()]
  expect([...t.rows()]).toEqual(once)
  if (t.rowCount !== null) expect(t.rowCount).toBe(once.length)
  return once
}

const col = (doc: ReportDocument, key: string, column: string): number => {
  const t = doc.tables.find((x) => x.key === key)!
  const i = t.columns.findIndex((c) => c.key === column)
  if (i < 0) throw new Error(`no column ${column}`)
  return i
}

const sum = (rows: ReportRow[], i: number): number => rows.filter((r) => r.style === 'normal').reduce((s, r) => s + (r.cells[i] as number), 0)

const fieldsOf = (f: () => unknown): Record<string, string> => {
  try {
    f()
  } catch (e) {
    return (e as { fields?: Record<string, string> }).fields ?? {}
  }
  throw new Error('expected a refusal')
}

describe('payment register', () => {
  it('lists every payment paid in the dates in paid date then voucher order, with totals that match the payments list', async () => {
    const all = (await payments(fx.core, { status: 'paid' })).filter((p) => p.paidOn! >= '2026-05-01' && p.paidOn! <= '2026-07-31')
    expect(all.length).toBeGreaterThan(10)
    const doc = build('payment-register', { from: '2026-05-01', to: '2026-07-31' })
    const rows = rowsOf(doc, 'payments')
    expect(rows).toHaveLength(all.length)
    const expected = [...all].sort((x, y) => (x.paidOn! < y.paidOn! ? -1 : x.paidOn! > y.paidOn! ? 1 : x.voucherNumber! < y.voucherNumber! ? -1 : 1))
    expect(rows.map((r) => r.cells[1])).toEqual(expected.map((p) => p.voucherNumber))
    expect(sum(rows, col(doc, 'payments', 'gross'))).toBe(all.reduce((s, p) => s + p.grossMinor, 0))
    expect(sum(rows, col(doc, 'payments', 'tax'))).toBe(all.reduce((s, p) => s + p.taxMinor, 0))
    expect(sum(rows, col(doc, 'payments', 'net'))).toBe(all.reduce((s, p) => s + p.netMinor, 0))
    // Words, not codes.
    const first = expected[0]!
    expect(rows[0]!.cells).toEqual([
      first.paidOn,
      first.voucherNumber,
      `${first.memberNo} ${first.memberName}`,
      `Coupon, ${first.seriesCode}`,
      first.grossMinor,
      first.taxMinor,
      first.netMinor,
      'Cash',
      null
    ])
    expect(rows.at(-1)!.cells.slice(7)).toEqual(['Cheque', 'CHQ 000777'])
    expect(rows.some((r) => r.cells[7] === 'Bank transfer' && r.cells[8] === 'EFT-55')).toBe(true)
  })

  it('filters by member and by series, and refuses one that is not there next to its field', async () => {
    const wangsB = (await payments(fx.core, { status: 'paid', memberId: fx.wang.id, seriesId: fx.b.id })).filter((p) => p.paidOn! <= '2026-12-31')
    expect(wangsB.length).toBeGreaterThan(0)
    const doc = build('payment-register', { from: '2026-01-01', to: '2026-12-31', memberId: fx.wang.id, seriesId: fx.b.id })
    const rows = rowsOf(doc, 'payments')
    expect(rows.map((r) => r.cells[1]).sort()).toEqual(wangsB.map((p) => p.voucherNumber).sort())
    expect(rows.every((r) => r.cells[2] === 'M-2 Αλέξης Παπαδόπουλος' && r.cells[3] === 'Coupon, PAM-28')).toBe(true)
    expect(doc.subtitle).toContain('M-2 Αλέξης Παπαδόπουλος')
    expect(doc.parameters.map((p) => p.label)).toEqual(['From', 'To', 'Member', 'Series'])
    expect(fieldsOf(() => build('payment-register', { from: '2026-01-01', to: '2026-12-31', memberId: 9999 }))).toHaveProperty('memberId')
    expect(fieldsOf(() => build('payment-register', { from: '2026-01-01', to: '2026-12-31', seriesId: 9999 }))).toHaveProperty('seriesId')
    // A range with nothing paid: no rows, and the sentence said instead.
    const none = build('payment-register', { from: '2025-01-01', to: '2025-12-31' })
    expect(rowsOf(none, 'payments')).toEqual([])
    expect(none.tables[0]!.empty).toMatch(/No payments/)
  })
})

/** Payments that carry interest (and tax): coupons and the interest of an early redemption. */
const interest = (p: Payment) => p.kind === 'coupon' || p.kind === 'interest'
const paidIn = (from: string, to: string) => (p: Payment) => p.status === 'paid' && p.paidOn! >= from && p.paidOn! <= to
const totalOf = (ps: Payment[]) => ({
  gross: ps.reduce((s, p) => s + p.grossMinor, 0),
  tax: ps.reduce((s, p) => s + p.taxMinor, 0),
  net: ps.reduce((s, p) => s + p.netMinor, 0)
})

describe('series register', () => {
  it('counts units issued, bought, redeemed and outstanding per series, and the face value outstanding', async () => {
    const doc = build('series-register', { from: '2026-06-01', to: '2026-07-31' })
    const rows = rowsOf(doc, 'series')
    // A (matures 2027) before B (2028); rate as exact decimal text; status in words.
    expect(rows.map((r) => r.cells.slice(0, 6))).toEqual([
      ['UMJ-27', 'Umoja 12% 2027', '12', '2026-01-01', '2027-01-01', 'Open'],
      ['PAM-28', 'Pamoja 10% 2028', '10.25', '2026-01-01', '2028-01-01', 'Open']
    ])
    // issued by the end, bought in the dates, redeemed in the dates, redeemed by the end, outstanding, face outstanding.
    expect(rows[0]!.cells.slice(6)).toEqual([15, 0, 0, 0, 15, 15 * 100_000])
    expect(rows[1]!.cells.slice(6)).toEqual([23, 0, 3, 3, 20, 20 * 50_000])
    // Before Bob redeemed, bought in the dates: Jan–Mar.
    const early = rowsOf(build('series-register', { from: '2026-01-01', to: '2026-03-31' }), 'series')
    expect(early.map((r) => r.cells.slice(6))).toEqual([
      [15, 15, 0, 0, 15, 1_500_000],
      [23, 23, 0, 0, 23, 1_150_000]
    ])
    // Before the holdings were bought: issued, nothing held.
    expect(rowsOf(build('series-register', { from: '2026-01-01', to: '2026-01-10' }), 'series').map((r) => r.cells[10])).toEqual([0, 20])
    // Before the series were issued: none.
    expect(rowsOf(build('series-register', { from: '2025-01-01', to: '2025-12-31' }), 'series')).toEqual([])
    const one = build('series-register', { from: '2026-06-01', to: '2026-07-31', seriesId: fx.b.id })
    expect(rowsOf(one, 'series').map((r) => r.cells[0])).toEqual(['PAM-28'])
    expect(one.subtitle).toContain('Series PAM-28')
    expect(fieldsOf(() => build('series-register', { from: '2026-06-01', to: '2026-07-31', seriesId: 999 }))).toHaveProperty('seriesId')
  })
})

describe('coupon liability', () => {
  it("owes each held holding the bonds service's accrued interest at the end date plus the coupons due and unpaid then", async () => {
    const to = '2026-07-31'
    const doc = build('coupon-liability', { from: '2026-07-01', to })
    const rows = rowsOf(doc, 'liability')
    const t = doc.tables[0]!
    expect(t.groupBy).toBe(0)
    const all = await payments(fx.core)
    const held = fx.holdings.filter((h) => h.status === 'active')
    expect(rows).toHaveLength(held.length)
    // The same order as the report: series by maturity, then member by name.
    for (const h of held) {
      const accrued = value<{ accruedMinor: number; periodStart: string }>(await fx.core.invoke('bonds.accrued', { holdingId: h.id, asOf: to }))
      expect(accrued.accruedMinor).toBeGreaterThan(0)
      const unpaid = all
        .filter((p) => p.holdingId === h.id && interest(p) && p.dueDate <= to && (p.status === 'pending' || p.status === 'approved'))
        .reduce((s, p) => s + p.grossMinor, 0)
      expect(unpaid).toBeGreaterThan(0)
      const series = h.seriesId === fx.a.id ? fx.a : fx.b
      const r = rows.find((x) => x.cells[0] === `${series.code} ${series.name}` && x.cells[1] === `${h.memberNo} ${h.memberName}`)
      expect(r?.cells).toEqual([
        `${series.code} ${series.name}`,
        `${h.memberNo} ${h.memberName}`,
        h.units,
        h.units * series.faceValueMinor,
        accrued.periodStart > h.purchaseDate ? accrued.periodStart : h.purchaseDate,
        Math.round((Date.parse(to) - Date.parse(accrued.periodStart > h.purchaseDate ? accrued.periodStart : h.purchaseDate)) / 86_400_000),
        accrued.accruedMinor,
        unpaid,
        accrued.accruedMinor + unpaid
      ])
    }
    // Jane's 10 units of UMJ-27 (30/360, 12%): 1–31 July is 30 days: 10 × 1,000.00 × 12% × 30/360 = 100.00.
    expect(rows.find((r) => r.cells[1] === 'M-1 Jane Wanjiru')?.cells[6]).toBe(10_000)
    // Coupons paid in the dates, by series, for reference: those paid on 2 July.
    const paidRows = rowsOf(doc, 'paid')
    const paidJuly = all.filter((p) => paidIn('2026-07-01', to)(p) && interest(p))
    const byCode = (code: string) => paidJuly.filter((p) => p.seriesCode === code)
    expect(paidRows.map((r) => r.cells)).toEqual(
      ['UMJ-27', 'PAM-28']
        .filter((c) => byCode(c).length > 0)
        .map((c) => {
          const s = totalOf(byCode(c))
          return [c === 'UMJ-27' ? 'UMJ-27 Umoja 12% 2027' : 'PAM-28 Pamoja 10% 2028', byCode(c).length, s.gross, s.tax, s.net]
        })
    )
    // One series.
    const b = build('coupon-liability', { from: '2026-07-01', to, seriesId: fx.b.id })
    expect(new Set(rowsOf(b, 'liability').map((r) => r.cells[0]))).toEqual(new Set(['PAM-28 Pamoja 10% 2028']))
    // Once everything due was paid (end date 30 June, before July's coupons were due), nothing is unpaid but Bob's, paid after it.
    const june = rowsOf(build('coupon-liability', { from: '2026-06-01', to: '2026-06-30' }), 'liability')
    const bob = june.find((r) => r.cells[1] === 'M-3 Bob Otieno')
    // Redeemed on 15 June: not held on 30 June, but his interest (due 15 June) was paid on 2 July: owed then.
    const bobsInterest = all.find((p) => p.memberId === fx.bob.id && p.kind === 'interest')!
    expect(bob?.cells).toEqual(['PAM-28 Pamoja 10% 2028', 'M-3 Bob Otieno', null, null, null, null, 0, expect.any(Number), expect.any(Number)])
    expect(bob?.cells[7]).toBeGreaterThanOrEqual(bobsInterest.grossMinor)
  })
})

describe('portfolio', () => {
  it("shows one member's holdings at the end date with the bonds service's accrued interest and the coupons paid in the dates", async () => {
    const to = '2026-07-31'
    const doc = build('portfolio', { from: '2026-01-01', to, memberId: fx.wang.id })
    const rows = rowsOf(doc, 'holdings')
    expect(doc.tables[0]!.breakGroups).toBe(false)
    expect(rows.map((r) => r.cells.slice(0, 3))).toEqual([
      ['M-2 Αλέξης Παπαδόπουλος', 'UMJ-27', 'Umoja 12% 2027'],
      ['M-2 Αλέξης Παπαδόπουλος', 'PAM-28', 'Pamoja 10% 2028']
    ])
    const all = await payments(fx.core, { memberId: fx.wang.id })
    for (const [i, h] of fx.holdings.filter((x) => x.memberId === fx.wang.id).entries()) {
      const accrued = value<{ accruedMinor: number }>(await fx.core.invoke('bonds.accrued', { holdingId: h.id, asOf: to })).accruedMinor
      const series = h.seriesId === fx.a.id ? fx.a : fx.b
      const paid = totalOf(all.filter((p) => p.holdingId === h.id && interest(p) && paidIn('2026-01-01', to)(p)))
      expect(paid.tax).toBeGreaterThan(0)
      expect(rows[i]!.cells.slice(3)).toEqual([
        series.couponRatePercent,
        series.maturityDate,
        h.units,
        h.units * series.faceValueMinor,
        'Active',
        accrued,
        paid.gross,
        paid.tax,
        paid.net
      ])
    }
  })

  it('groups every active member, a page each, and shows a holding redeemed in the dates with its coupons but no units', async () => {
    const doc = build('portfolio', { from: '2026-01-01', to: '2026-07-31' })
    const t = doc.tables[0]!
    expect([t.groupBy, t.breakGroups]).toEqual([0, true])
    const rows = rowsOf(doc, 'holdings')
    expect([...new Set(rows.map((r) => r.cells[0]))]).toEqual(['M-3 Bob Otieno', 'M-1 Jane Wanjiru', 'M-2 Αλέξης Παπαδόπουλος'].sort((x, y) => x.slice(4).localeCompare(y.slice(4))))
    const bob = rows.find((r) => r.cells[0] === 'M-3 Bob Otieno')!
    const bobsPaid = totalOf((await payments(fx.core, { memberId: fx.bob.id })).filter((p) => interest(p) && paidIn('2026-01-01', '2026-07-31')(p)))
    expect(bob.cells.slice(5)).toEqual([null, null, 'Redeemed', 0, bobsPaid.gross, bobsPaid.tax, bobsPaid.net])
    // Every interest payment in the dates is in exactly one row.
    const everyone = totalOf((await payments(fx.core)).filter((p) => interest(p) && paidIn('2026-01-01', '2026-07-31')(p)))
    expect(sum(rows, col(doc, 'holdings', 'tax'))).toBe(everyone.tax)
    expect(sum(rows, col(doc, 'holdings', 'gross'))).toBe(everyone.gross)
    expect(fieldsOf(() => build('portfolio', { from: '2026-01-01', to: '2026-07-31', memberId: 4242 }))).toHaveProperty('memberId')
  })
})

describe('withholding tax', () => {
  it('sums the tax withheld by month and by member, matching the payments paid', async () => {
    const from = '2026-01-01'
    const to = '2026-12-31'
    const doc = build('withholding-tax', { from, to })
    const paid = (await payments(fx.core)).filter((p) => interest(p) && paidIn(from, to)(p))
    const months = rowsOf(doc, 'by-month')
    expect(months.map((r) => r.cells[0])).toEqual(['May 2026', 'July 2026'])
    for (const [r, month] of [
      [months[0]!, '2026-05'],
      [months[1]!, '2026-07']
    ] as const) {
      const ps = paid.filter((p) => p.paidOn!.startsWith(month))
      const s = totalOf(ps)
      expect(r.cells.slice(1)).toEqual([ps.length, s.gross, s.tax, s.net])
    }
    const members = rowsOf(doc, 'by-member')
    const expected = [fx.bob, fx.jane, fx.wang].map((m) => {
      const ps = paid.filter((p) => p.memberId === m.id)
      const s = totalOf(ps)
      return [m.memberNo, m.fullName, m.nationalId, ps.length, s.gross, s.tax, s.net]
    })
    expect(members.map((r) => r.cells)).toEqual(expected)
    expect(sum(members, 5)).toBe(totalOf(paid).tax)
    expect(doc.customPdf).toBeUndefined()
    // One member.
    const jane = build('withholding-tax', { from, to, memberId: fx.jane.id })
    expect(rowsOf(jane, 'by-member').map((r) => r.cells[0])).toEqual(['M-1'])
  })

  it('refuses certificates for a part year next to From, and for a member with nothing withheld or not there', async () => {
    for (const [from, to] of [
      ['2026-01-01', '2026-06-30'],
      ['2026-01-02', '2026-12-31'],
      ['2025-01-01', '2026-12-31'],
      ['2025-12-31', '2026-12-30']
    ]) {
      expect(fieldsOf(() => build('withholding-tax', { from: from!, to: to!, certificates: true })), `${from} ${to}`).toEqual({
        from: 'Certificates need a whole calendar year (1 January to 31 December)'
      })
    }
    const nobody = value<Member>(await fx.core.invoke('members.create', { memberNo: 'M-9', fullName: 'No Bonds', joinedOn: '2020-01-01' }))
    expect(fieldsOf(() => build('withholding-tax', { from: '2026-01-01', to: '2026-12-31', certificates: true, memberId: nobody.id }))).toHaveProperty('memberId')
    expect(fieldsOf(() => build('withholding-tax', { from: '2026-01-01', to: '2026-12-31', certificates: true, memberId: 7777 }))).toHaveProperty('memberId')
    expect(fieldsOf(() => build('withholding-tax', { from: '2025-01-01', to: '2025-12-31', certificates: true }))).toHaveProperty('from')
  })

  it('prints one certificate page per member who had tax withheld, with their payments, totals and the tax in words', async () => {
    const doc = build('withholding-tax', { from: '2026-01-01', to: '2026-12-31', certificates: true })
    expect(doc.customPdf).toBeTypeOf('function')
    const certRows = rowsOf(doc, 'certificates')
    const paid = (await payments(fx.core)).filter((p) => interest(p) && paidIn('2026-01-01', '2026-12-31')(p))
    expect(certRows).toHaveLength(paid.length)
    const dir = tempDir('coffer-certificates-')
    const file = path.join(dir, 'certificates.pdf')
    const progress: number[] = []
    const out = await doc.customPdf!(file, {
      fontsDir: path.resolve(__dirname, '../../resources/fonts'),
      now: fx.clock.now(),
      madeBy: 'Jane Treasurer',
      signal: new AbortController().signal,
      progress: (done) => progress.push(done)
    })
    expect(out.pages).toBe(3)
    expect(progress).toEqual([1, 2, 3])
    expect(fs.existsSync(`${file}.partial`)).toBe(false)
    execFileSync('qpdf', ['--check', file])
    const pages = [1, 2, 3].map((n) => execFileSync('pdftotext', ['-layout', '-f', String(n), '-l', String(n), file, '-']).toString())
    const order = [fx.bob, fx.jane, fx.wang]
    for (const [i, m] of order.entries()) {
      const text = pages[i]!
      expect(text).toContain('Certificate of tax withheld')
      expect(text).toContain('Year 2026')
      expect(text).toContain(m.fullName)
      expect(text).toContain(m.memberNo)
      if (m.nationalId) expect(text).toContain(m.nationalId)
      const mine = paid.filter((p) => p.memberId === m.id)
      for (const p of mine) expect(text).toContain(p.voucherNumber!)
      const s = totalOf(mine)
      const money = (minor: number) => (minor / 100).toLocaleString('en-KE', { minimumFractionDigits: 2 })
      expect(text).toMatch(new RegExp(`Total\\s+${money(s.gross)}\\s+${money(s.tax)}\\s+${money(s.net)}`))
      expect(text).toContain('Prepared on')
      expect(text).toContain('Signature, for Umoja Savings Cooperative')
      // The footer of every report PDF, and the report's data fingerprint (all its tables, as on screen).
      expect(text).toMatch(new RegExp(`Made \\d{1,2} \\w+ 2026, \\d\\d:\\d\\d by Jane Treasurer[\\s\\S]*\\bPage ${i + 1}\\b`))
      expect(text).toContain(`Data fingerprint (SHA-256): ${fingerprintDocumentWithRows(doc).fingerprint}`)
      // "What" ("Accrued interest, PAM-28") at the table's own size, as tall as the vouchers beside it (never shrunk to fit).
      const boxes = [...execFileSync('pdftotext', ['-bbox', '-f', String(i + 1), '-l', String(i + 1), file, '-']).toString().matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</g)].map((m) => ({ h: Number(m[2]) - Number(m[1]), word: m[3]! }))
      const voucherH = boxes.filter((b) => b.word.startsWith('PV-')).map((b) => b.h)
      const whatH = boxes.filter((b) => /^(Accrued|interest,|Coupon,)$/.test(b.word)).map((b) => b.h)
      expect(voucherH.length).toBe(mine.length)
      expect(whatH.length).toBeGreaterThanOrEqual(mine.length)
      for (const h of whatH) expect(h).toBeCloseTo(voucherH[0]!, 1)
      // Another member's voucher is never on this page.
      for (const p of paid.filter((x) => x.memberId !== m.id)) expect(text).not.toContain(p.voucherNumber!)
    }
    expect(pages[1]).toMatch(/Kenya shillings?/i)
    fs.copyFileSync(file, path.join(process.env.COFFER_SHOTS_DIR ?? dir, 'withholding-certificates.pdf'))
    // Just one member's.
    const one = build('withholding-tax', { from: '2026-01-01', to: '2026-12-31', certificates: true, memberId: fx.wang.id })
    const oneFile = path.join(dir, 'one.pdf')
    expect((await one.customPdf!(oneFile, { fontsDir: path.resolve(__dirname, '../../resources/fonts'), now: fx.clock.now(), signal: new AbortController().signal, progress: () => {} })).pages).toBe(1)
    expect(execFileSync('pdftotext', [oneFile, '-']).toString()).toContain('Αλέξης Παπαδόπουλος')
  })
})
