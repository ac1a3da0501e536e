/**
 * Money through a real core: field bounds in the contract and at purchase, the stored
 * coupons of the real coupon run against an independent exact reference (property), and a
 * bad holding that never stops the run for the others.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DATABASE_FILE, ManualClock, type Core } from '../../src/core'
import { generateCoupons } from '../../src/core/bonds/coupons'
import { applyPragmas } from '../../src/core/platform/db/open'
import type { BondSeries, Holding, JobRun, Member, Notification, Payment } from '../../src/shared/contract'
import { jobCore } from '../support/job-core'
import { dayNo, fromDayNo, plusMonths, referenceCoupon } from '../support/coupon-reference'
import { value } from '../support/temp-core'

const SERIES = {
  code: 'M-1',
  name: 'Money test',
  faceValueMinor: 150_000,
  couponRatePercent: '12.5',
  frequency: 'monthly',
  dayCount: 'ACT/360',
  issueDate: '2026-04-01',
  maturityDate: '2027-04-01',
  firstCouponDate: null,
  endOfMonth: false,
  businessDay: 'unadjusted',
  withholdingTaxPercent: '10'
} as const

const cores: Core[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})

async function start(now = '2026-11-22T06:00:00Z') {
  const t = await jobCore({ clock: new ManualClock(now) })
  cores.push(t.core)
  const member = value<Member>(await t.core.invoke('members.create', { memberNo: 'M-1', fullName: 'Jane Wanjiru', joinedOn: '2020-01-01' }))
  return { ...t, member }
}

function connect(dataDir: string): Database.Database {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { timeout: 5000 })
  applyPragmas(db)
  return db
}

const fieldsOf = (r: unknown) => (r as { error?: { fields?: Record<string, string> } }).error?.fields ?? {}

describe('bounds, next to the field', () => {
  it('refuses a coupon rate or tax above 100% (read whole, not just the integer part), zero coupon, too many decimals', async () => {
    const { core } = await start()
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ couponRatePercent: '100.5' }, 'couponRatePercent', /at most 100%/],
      [{ couponRatePercent: '101' }, 'couponRatePercent', /at most 100%/],
      [{ couponRatePercent: '100.00001' }, 'couponRatePercent', /decimal places/],
      [{ couponRatePercent: '0' }, 'couponRatePercent', /more than 0%/],
      [{ couponRatePercent: '0.0000' }, 'couponRatePercent', /more than 0%/],
      [{ couponRatePercent: '8.12345' }, 'couponRatePercent', /at most 4 decimal places/],
      [{ withholdingTaxPercent: '100.01' }, 'withholdingTaxPercent', /at most 100%/],
      [{ withholdingTaxPercent: '150' }, 'withholdingTaxPercent', /at most 100%/],
      [{ withholdingTaxPercent: '-5' }, 'withholdingTaxPercent', /percentage/],
      [{ faceValueMinor: 1_000_000_000_001 }, 'faceValueMinor', /too large/],
      [{ faceValueMinor: 0 }, 'faceValueMinor', /more than zero/],
      [{ faceValueMinor: 10.5 }, 'faceValueMinor', /whole number/],
      [{ maturityDate: '2126-04-02' }, 'maturityDate', /within 100 years/],
      [{ maturityDate: '2026-03-01' }, 'maturityDate', /after the issue date/]
    ]
    for (const [i, [change, field, message]] of cases.entries()) {
      const r = await core.invoke('bonds.createSeries', { ...SERIES, code: `X${i}`, ...change })
      expect(r.ok, JSON.stringify(change)).toBe(false)
      expect(fieldsOf(r)[field], JSON.stringify(change)).toMatch(message)
    }
    // The edges are accepted: 100% coupon, 0% and 100% tax, 4 decimals, exactly 100 years.
    for (const [i, change] of [
      { couponRatePercent: '100', withholdingTaxPercent: '100' },
      { couponRatePercent: '0.0001', withholdingTaxPercent: '0' },
      { couponRatePercent: '13.8750%', maturityDate: '2126-04-01' },
      { faceValueMinor: 1_000_000_000_000 }
    ].entries()) {
      const r = await core.invoke('bonds.createSeries', { ...SERIES, code: `OK${i}`, ...change })
      expect(r, JSON.stringify(change)).toMatchObject({ ok: true })
    }
  })

  it('refuses a purchase whose principal or coupons would not fit exactly, on the units field', async () => {
    const { core, member } = await start()
    const big = value<BondSeries>(
      await core.invoke('bonds.createSeries', { ...SERIES, code: 'BIG', faceValueMinor: 1_000_000_000_000, couponRatePercent: '100' })
    )
    const buy = (units: number) => core.invoke('bonds.buyHolding', { memberId: member.id, seriesId: big.id, units, purchaseDate: '2026-04-01' })
    // 10,000 x 1e12 = 1e16 minor units of principal: beyond 2^53 - 1.
    const r = await buy(10_000)
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { units: expect.stringMatching(/too large/) } } })
    expect(fieldsOf(await buy(10_000_001)).units).toMatch(/At most 10,000,000 units/)
    expect(fieldsOf(await buy(1.5)).units).toMatch(/whole number/)
    // 9,000 units fit: principal 9e15, a monthly coupon at 100% well under it.
    expect(await buy(9_000)).toMatchObject({ ok: true })
  })
})

describe('the stored coupons equal the half-up rounding of the exact rational', () => {
  it('1,500.00 at 12.5% for 30 days on ACT/360 is stored as 1563 minor units (exactly 1562.5), tax 156, net 1407', async () => {
    const { core, member, dataDir } = await start('2026-05-02T06:00:00Z')
    const s = value<BondSeries>(await core.invoke('bonds.createSeries', SERIES))
    value<Holding>(await core.invoke('bonds.buyHolding', { memberId: member.id, seriesId: s.id, units: 1, purchaseDate: '2026-04-01' }))
    const db = connect(dataDir)
    try {
      expect(generateCoupons(db, { today: '2026-05-01', createdAt: '2026-05-02T06:00:00.000Z', runId: null })).toMatchObject({ created: 1, failedCount: 0 })
    } finally {
      db.close()
    }
    const rows = value<{ rows: Payment[] }>(await core.invoke('payments.list', {})).rows
    expect(rows.map((p) => [p.periodStart, p.periodEnd, p.grossMinor, p.taxMinor, p.netMinor])).toEqual([['2026-04-01', '2026-05-01', 1563, 156, 1407]])
  })

  describe('for random terms through the real coupon run (property)', () => {
    let core: Core
    let dataDir: string
    let memberId: number
    let db: Database.Database
    let n = 0
    beforeAll(async () => {
      const t = await start('2040-01-01T06:00:00Z')
      core = t.core
      dataDir = t.dataDir
      memberId = t.member.id
      db = connect(dataDir)
    })
    afterAll(() => db?.close())

    const DAY_COUNTS = ['30/360', '30E/360', 'ACT/360', 'ACT/365F', 'ACT/ACT-ISDA', 'ACT/ACT-ICMA'] as const
    const percent = (allowZero: boolean) =>
      fc
        .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 4 }))
        .map(([w, f, places]) => (w === 100 || places === 0 ? String(w) : `${w}.${String(f).padStart(4, '0').slice(0, places)}`))
        .filter((p) => allowZero || /[1-9]/.test(p))

    it('gross, tax and net of every stored coupon', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            faceValueMinor: fc.oneof(fc.integer({ min: 1, max: 1_000_000_000 }), fc.constantFrom(100, 100_000, 150_000)),
            couponRatePercent: percent(false),
            withholdingTaxPercent: percent(true),
            dayCount: fc.constantFrom(...DAY_COUNTS),
            frequency: fc.constantFrom('monthly', 'quarterly', 'semi-annual', 'annual' as const),
            issueDay: fc.integer({ min: dayNo('2000-01-01'), max: dayNo('2034-12-31') }),
            years: fc.integer({ min: 1, max: 4 }),
            extraDays: fc.integer({ min: 0, max: 200 }),
            endOfMonth: fc.boolean(),
            businessDay: fc.constantFrom('unadjusted', 'following', 'modified-following', 'preceding' as const),
            holdings: fc.array(fc.record({ units: fc.integer({ min: 1, max: 100_000 }), after: fc.nat({ max: 1000 }) }), { minLength: 1, maxLength: 3 })
          }),
          async (r) => {
            const issueDate = fromDayNo(r.issueDay)
            const maturityDate = fromDayNo(dayNo(plusMonths(issueDate, r.years * 12)) + r.extraDays)
            const s = value<BondSeries>(
              await core.invoke('bonds.createSeries', {
                code: `P${++n}`,
                name: `Property ${n}`,
                faceValueMinor: r.faceValueMinor,
                couponRatePercent: r.couponRatePercent,
                frequency: r.frequency,
                dayCount: r.dayCount,
                issueDate,
                maturityDate,
                firstCouponDate: null,
                endOfMonth: r.endOfMonth,
                businessDay: r.businessDay,
                withholdingTaxPercent: r.withholdingTaxPercent
              })
            )
            const ids = r.holdings.map((h) => {
              const bought = fromDayNo(Math.min(r.issueDay + h.after, dayNo(maturityDate) - 1))
              return Number(
                db
                  .prepare(
                    `INSERT INTO bond_holdings (member_id, series_id, units, purchase_date, status, created_at, updated_at)
                     VALUES (?, ?, ?, ?, 'active', '2040-01-01T06:00:00Z', '2040-01-01T06:00:00Z')`
                  )
                  .run(memberId, s.id, h.units, bought).lastInsertRowid
              )
            })
            const run = generateCoupons(db, { today: '2040-01-01', createdAt: '2040-01-01T06:00:00.000Z', runId: null, holdingIds: ids })
            expect(run.failedCount).toBe(0)
            const stored = db
              .prepare(
                `SELECT p.holding_id AS holdingId, p.period_start AS periodStart, p.period_end AS periodEnd, p.gross_minor AS grossMinor,
                        p.tax_minor AS taxMinor, p.net_minor AS netMinor, h.units
                   FROM bond_payments p JOIN bond_holdings h ON h.id = p.holding_id
                  WHERE p.kind = 'coupon' AND h.series_id = ? ORDER BY p.id`
              )
              .all(s.id) as { holdingId: number; periodStart: string; periodEnd: string; grossMinor: number; taxMinor: number; netMinor: number; units: number }[]
            expect(stored.length).toBeGreaterThan(0)
            expect(stored.length).toBe(run.created)
            for (const p of stored) {
              const want = referenceCoupon(
                {
                  faceValueMinor: r.faceValueMinor,
                  couponPercent: r.couponRatePercent,
                  taxPercent: r.withholdingTaxPercent,
                  dayCount: r.dayCount,
                  frequency: r.frequency,
                  maturityDate,
                  endOfMonth: r.endOfMonth
                },
                p.units,
                p.periodStart,
                p.periodEnd
              )
              expect({ grossMinor: p.grossMinor, taxMinor: p.taxMinor, netMinor: p.netMinor }, JSON.stringify({ r, p })).toEqual(want)
            }
          }
        ),
        { numRuns: 100 }
      )
    }, 120_000)
  })
})

describe('a bad holding never stops the coupon run', () => {
  async function withOversized() {
    const t = await start('2026-11-22T06:00:00Z')
    const { core, member, dataDir } = t
    const s = value<BondSeries>(await core.invoke('bonds.createSeries', { ...SERIES, issueDate: '2026-01-01', maturityDate: '2030-01-01' }))
    const buy = async (units: number) =>
      value<Holding>(await core.invoke('bonds.buyHolding', { memberId: member.id, seriesId: s.id, units, purchaseDate: '2026-01-01' })).id
    const before = await buy(10)
    // Written behind the app's back (an old version, a restored file): 2^52 units, whose coupon cannot be stored exactly.
    const db = connect(dataDir)
    let oversized: number
    let unsafe: number
    try {
      const insert = db.prepare(
        `INSERT INTO bond_holdings (member_id, series_id, units, purchase_date, status, created_at, updated_at)
         VALUES (?, ?, ?, '2026-01-01', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`
      )
      oversized = Number(insert.run(member.id, s.id, 2 ** 52).lastInsertRowid)
      unsafe = Number(insert.run(member.id, s.id, 2n ** 60n).lastInsertRowid)
    } finally {
      db.close()
    }
    const after = await buy(20)
    return { ...t, s, before, after, oversized, unsafe }
  }

  it('generateCoupons records each as failed with its reason; every other holding gets all its coupons', async () => {
    const { dataDir, before, after, oversized, unsafe } = await withOversized()
    const db = connect(dataDir)
    try {
      // Batches of 2: the bad holdings share a batch with a good one, and come before the last.
      const r = generateCoupons(db, { today: '2026-11-22', createdAt: '2026-11-22T06:00:00.000Z', runId: null, batchSize: 2 })
      expect(r.failedCount).toBe(2)
      expect(r.failed).toEqual([
        { holdingId: oversized, reason: expect.stringMatching(/beyond the largest amount Coffer stores exactly/) },
        { holdingId: unsafe, reason: expect.stringMatching(/Units must be a whole number/) }
      ])
      const counts = db.prepare("SELECT holding_id AS id, count(*) AS n FROM bond_payments WHERE kind = 'coupon' GROUP BY holding_id ORDER BY holding_id").all()
      // The coupons of 1 February to 1 November 2026 (10) for both good holdings; none for the bad ones.
      expect(counts).toEqual([
        { id: before, n: 10 },
        { id: after, n: 10 }
      ])
      expect(r.created).toBe(20)
      // Again: nothing new, the bad ones still listed.
      expect(generateCoupons(db, { today: '2026-11-22', createdAt: '2026-11-22T06:00:00.000Z', runId: null })).toMatchObject({ created: 0, failedCount: 2 })
    } finally {
      db.close()
    }
  })

  it('the coupons job succeeds, says so in its summary and details, and tells the staff', async () => {
    const { core, oversized, unsafe } = await withOversized()
    const started = value<JobRun>(await core.invoke('jobs.run', { jobId: 'coupons' }))
    const run = (await core.jobs!.activeRun('coupons')) ?? started
    const done = value<JobRun>(await core.invoke('jobs.getRun', { runId: run.id }))
    expect(done.status).toBe('succeeded')
    expect(done.result?.summary).toMatch(/Created 20 coupon payments .* 2 holdings could not be worked out/)
    expect(done.result?.details).toMatchObject({
      created: 20,
      failedCount: 2,
      failed: expect.stringMatching(new RegExp(`^Holding #${oversized}: .+\\nHolding #${unsafe}: .+$`))
    })
    // The run's page shows the details as they are: money and dates in the cooperative's locale, no minor units or ISO dates.
    expect(done.result?.details).toMatchObject({ gross: expect.stringMatching(/^Ksh\s[\d,]+\.\d\d$/), ranOn: expect.stringMatching(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/) })
    expect(done.result?.details).not.toHaveProperty('grossMinor')
    expect(done.result?.summary).not.toMatch(/\d{4}-\d{2}-\d{2}/)
    const notes = value<{ rows: Notification[] }>(await core.invoke('notifications.list', {})).rows
    const note = notes.find((x) => /Coupon run/.test(x.title))
    expect(note).toMatchObject({ kind: 'warning', title: expect.stringMatching(/2 holdings without a coupon/) })
    expect(note?.body).toContain(`holding #${oversized}`)
  })
})
