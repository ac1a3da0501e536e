import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src/core'
import type { BondSeries, Holding, Member, Notification, Payment } from '../../src/shared/contract'
import { value } from '../support/temp-core'
import { SERIES, runJob, seriesWithHolding } from '../support/series'
import { TREASURER, asOperator, prepareAndApprove } from '../support/operators'

const cores: Core[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})


const setup = (start?: string) => seriesWithHolding(cores, start)

const payments = async (core: Core, q: Record<string, unknown> = {}) =>
  value<{ rows: Payment[]; total: number; totals: { grossMinor: number; taxMinor: number; netMinor: number } }>(
    await core.invoke('payments.list', q)
  )

describe('bond series', () => {
  it('validates terms next to the fields', async () => {
    const { core } = await setup()
    const dup = await core.invoke('bonds.createSeries', { ...SERIES, code: 'umj-27' })
    expect(dup).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { code: expect.any(String) } } })
    // Field messages name dates in the cooperative's locale.
    const early = await core.invoke('bonds.buyHolding', { memberId: 1, seriesId: 1, units: 1, purchaseDate: '2025-12-31' })
    expect(early).toMatchObject({ ok: false, error: { fields: { purchaseDate: expect.stringMatching(/^Between \d{1,2} [A-Z][a-z]{2} 2026 and \d{1,2} [A-Z][a-z]{2} 2027$/) } } })
    const offCycle = await core.invoke('bonds.previewSchedule', { ...SERIES, code: 'Z', frequency: 'quarterly', firstCouponDate: '2026-02-15' })
    expect(offCycle).toMatchObject({ ok: false, error: { fields: { firstCouponDate: expect.stringContaining('15 Feb 2026 is not a coupon date') } } })
    expect(JSON.stringify(offCycle)).not.toMatch(/\d{4}-\d{2}-\d{2}/)
    const dates = await core.invoke('bonds.createSeries', { ...SERIES, code: 'X', maturityDate: '2025-01-01' })
    expect(dates).toMatchObject({ ok: false, error: { fields: { maturityDate: expect.any(String) } } })
    const rate = await core.invoke('bonds.createSeries', { ...SERIES, code: 'Y', couponRatePercent: 'twelve' })
    expect(rate).toMatchObject({ ok: false, error: { fields: { couponRatePercent: expect.stringMatching(/percentage/) } } })
    const list = value<BondSeries[]>(await core.invoke('bonds.listSeries', {}))
    expect(list.map((s) => [s.code, s.couponRatePercent, s.withholdingTaxPercent, s.unitsOutstanding])).toEqual([['UMJ-27', '12', '15', 10]])
  })
})

describe('schedule preview messages', () => {
  it('puts a first coupon date outside the term next to its field, and never shows a fault as a field message', async () => {
    const { core, dataDir } = await setup()
    const outside = await core.invoke('bonds.previewSchedule', { ...SERIES, code: 'Z', firstCouponDate: '2027-02-01' })
    expect(outside).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { firstCouponDate: expect.stringMatching(/^The first coupon date \(1 Feb 2027\) must be after/) } } })
    // A holiday written outside the app with an impossible date: a fault, reported as one, its text kept from the user.
    const outsider = new Database(path.join(dataDir, 'coffer.sqlite'))
    outsider.prepare("INSERT INTO holidays (date, name) VALUES ('2026-02-30', 'Broken')").run()
    outsider.close()
    const fault = await core.invoke('bonds.previewSchedule', { ...SERIES, code: 'Z' })
    expect(fault).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(fault)).not.toContain('2026-02-30')
  })
})

describe('holders by name', () => {
  it("lists a series' holders as the cooperative's locale sorts names, not by character codes", async () => {
    const { core, series, jane } = await setup()
    for (const [no, fullName] of [['M-2', 'Zoë Achieng'], ['M-3', 'Émile Otieno'], ['M-4', 'Eve Wambui']] as const) {
      const m = value<Member>(await core.invoke('members.create', { memberNo: no, fullName, joinedOn: '2020-01-01' }))
      value<Holding>(await core.invoke('bonds.buyHolding', { memberId: m.id, seriesId: series.id, units: 1, purchaseDate: '2026-01-16' }))
    }
    const names = value<{ holdings: Holding[] }>(await core.invoke('bonds.getSeries', { id: series.id })).holdings.map((h) => h.memberName)
    expect(names).toEqual(['Émile Otieno', 'Eve Wambui', jane.fullName, 'Zoë Achieng'])
  })
})

describe('series totals', () => {
  it("count each series' own holdings and active units, whatever the ids", async () => {
    const { core, jane, series } = await setup()
    const second = value<BondSeries>(await core.invoke('bonds.createSeries', { ...SERIES, code: 'UMJ-28', name: 'Umoja 2028' }))
    // Holding ids 2..4 all belong to the second series: a subquery comparing a holding's own id would miscount.
    for (const units of [3, 4, 5]) {
      value<Holding>(await core.invoke('bonds.buyHolding', { memberId: jane.id, seriesId: second.id, units, purchaseDate: '2026-01-16' }))
    }
    const list = value<BondSeries[]>(await core.invoke('bonds.listSeries', {}))
    expect(list.map((s) => [s.code, s.holdings, s.unitsOutstanding])).toEqual([
      ['UMJ-27', 1, 10],
      ['UMJ-28', 3, 12]
    ])
    const one = value<{ series: BondSeries }>(await core.invoke('bonds.getSeries', { id: second.id }))
    expect([one.series.holdings, one.series.unitsOutstanding]).toEqual([3, 12])
    expect(value<{ series: BondSeries }>(await core.invoke('bonds.getSeries', { id: series.id })).series.unitsOutstanding).toBe(10)
  })
})

describe('coupon job', () => {
  it('creates each due coupon once, pro-rated from a mid-period purchase, with the named rounding', async () => {
    const { core, clock, holding } = await setup()
    clock.set('2026-02-01T06:00:00Z')
    expect(await runJob(core, 'coupons')).toMatchObject({ status: 'succeeded' })
    let p = await payments(core)
    // 16 Jan - 1 Feb on 30/360 is 15 days: 10 x 1,000.00 x 12% x 15/360 = 50.00; tax 15% = 7.50.
    expect(p.rows.map((r) => [r.holdingId, r.kind, r.periodStart, r.periodEnd, r.grossMinor, r.taxMinor, r.netMinor, r.status])).toEqual([
      [holding.id, 'coupon', '2026-01-16', '2026-02-01', 5000, 750, 4250, 'pending']
    ])
    // Run again: nothing new.
    expect((await runJob(core, 'coupons')).result?.summary).toMatch(/^No coupons due/)
    expect((await payments(core)).total).toBe(1)

    // The PC is off for three months: one run, three coupons, each with its own date.
    clock.set('2026-05-02T06:00:00Z')
    await runJob(core, 'coupons')
    p = await payments(core)
    expect(p.rows.map((r) => [r.dueDate, r.grossMinor])).toEqual([
      ['2026-02-01', 5000],
      ['2026-03-01', 10000],
      ['2026-04-01', 10000],
      ['2026-05-01', 10000]
    ])
    expect(p.totals).toEqual({ grossMinor: 35000, taxMinor: 5250, netMinor: 29750 })
  })

  it('pays nothing after maturity; the maturity job notices, matures and creates the principal once', async () => {
    const { core, clock, holding } = await setup()
    clock.set('2026-12-05T06:00:00Z')
    await runJob(core, 'maturity')
    await runJob(core, 'maturity')
    const notes = value<{ rows: Notification[] }>(await core.invoke('notifications.list', {})).rows
    // Dates and counts in the cooperative's locale (en-KE), never ISO.
    const notice = notes.filter((n) => n.title === 'UMJ-27 matures on 1 Jan 2027')
    expect(notice).toHaveLength(1)
    expect(notice[0]?.body).toMatch(/holds 10 units of UMJ-27, maturing on 1 Jan 2027\.$/)

    clock.set('2027-03-10T06:00:00Z')
    expect(await runJob(core, 'maturity')).toMatchObject({ status: 'succeeded', result: { details: { matured: 1 } } })
    await runJob(core, 'coupons')
    const all = await payments(core)
    const coupons = all.rows.filter((r) => r.kind === 'coupon')
    expect(coupons).toHaveLength(12)
    expect(coupons.at(-1)?.periodEnd).toBe('2027-01-01')
    expect(all.rows.filter((r) => r.kind === 'principal').map((r) => [r.dueDate, r.grossMinor, r.taxMinor, r.netMinor])).toEqual([
      ['2027-01-01', 1_000_000, 0, 1_000_000]
    ])
    const h = value<{ rows: Holding[] }>(await core.invoke('bonds.listHoldings', {})).rows[0]
    expect(h).toMatchObject({ id: holding.id, status: 'matured', maturedOn: '2027-01-01' })
  })

  it('accrues interest as of a date', async () => {
    const { core, holding } = await setup('2026-03-16T06:00:00Z')
    // 1 Mar - 16 Mar on 30/360 = 15 days: 10 x 1,000.00 x 12% x 15/360 = 50.00.
    expect(value(await core.invoke('bonds.accrued', { holdingId: holding.id, asOf: '2026-03-16' }))).toEqual({
      asOf: '2026-03-16',
      periodStart: '2026-03-01',
      periodEnd: '2026-04-01',
      accruedMinor: 5000
    })
  })
})

describe('payments and vouchers', () => {
  it('numbers vouchers gap-free in a batch, and a batch failing half-way numbers and pays nothing', async () => {
    const { core, clock } = await setup()
    // Fifty holders, one coupon each.
    const series = value<BondSeries[]>(await core.invoke('bonds.listSeries', {}))[0]!
    for (let i = 2; i <= 50; i++) {
      const m = value<Member>(await core.invoke('members.create', { memberNo: `M-${i}`, fullName: `Member ${i}`, joinedOn: '2020-01-01' }))
      value(await core.invoke('bonds.buyHolding', { memberId: m.id, seriesId: series.id, units: 1, purchaseDate: '2026-01-01' }))
    }
    clock.set('2026-02-02T06:00:00Z')
    await runJob(core, 'coupons')
    const all = (await payments(core)).rows
    expect(all).toHaveLength(50)
    const ids = all.map((p) => p.id)

    // Ada prepares, Tom the treasurer approves (maker-checker).
    expect(value(await core.invoke('payments.prepare', { ids: ids.slice(0, 40) }))).toEqual({ prepared: 40 })
    await asOperator(core, TREASURER, async () => {
      expect(value(await core.invoke('payments.approve', { ids: ids.slice(0, 40) }))).toEqual({ approved: 40 })
    })
    // Thirty approved and one pending: refused whole.
    const half = await core.invoke('payments.pay', { ids: [...ids.slice(0, 30), ids[45]!], paidOn: '2026-02-02', method: 'cash' })
    expect(half).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/nothing was paid/) } })
    expect((await payments(core, { status: 'paid' })).total).toBe(0)

    const paid = value<{ paid: { id: number; voucherNumber: string }[] }>(
      await core.invoke('payments.pay', { ids: ids.slice(0, 40), paidOn: '2026-02-02', method: 'bank-transfer', reference: 'BATCH-7' })
    ).paid
    expect(paid.map((p) => p.voucherNumber)).toEqual(Array.from({ length: 40 }, (_, i) => `PV-2026-${String(i + 1).padStart(6, '0')}`))
    expect(await core.invoke('payments.pay', { ids: [ids[0]!], paidOn: '2026-02-02', method: 'cash' })).toMatchObject({ ok: false })

    await prepareAndApprove(core, ids.slice(40))
    const more = value<{ paid: { voucherNumber: string }[] }>(
      await core.invoke('payments.pay', { ids: ids.slice(40), paidOn: '2026-02-02', method: 'cheque', reference: 'CHQ 001234' })
    ).paid
    expect(more[0]?.voucherNumber).toBe('PV-2026-000041')
    expect(more.at(-1)?.voucherNumber).toBe('PV-2026-000050')
    const paidRows = await payments(core, { status: 'paid' })
    expect(paidRows.total).toBe(50)
    expect(paidRows.rows[0]).toMatchObject({ preparedBy: 'Ada Admin', approvedBy: 'Tom Treasurer', method: 'bank-transfer', reference: 'BATCH-7', paidOn: '2026-02-02' })
  })

  it('cancels a pending payment with a reason, never a paid one', async () => {
    const { core, clock } = await setup()
    clock.set('2026-02-02T06:00:00Z')
    await runJob(core, 'coupons')
    const [p] = (await payments(core)).rows
    expect(value<Payment>(await core.invoke('payments.cancel', { id: p!.id, reason: 'Duplicate' }))).toMatchObject({ status: 'cancelled', cancelReason: 'Duplicate' })
    expect(await core.invoke('payments.prepare', { ids: [p!.id] })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: `1 of the selected payments is not pending (#${p!.id}); nothing was prepared.` }
    })
    await asOperator(core, TREASURER, async () => {
      expect(await core.invoke('payments.approve', { ids: [p!.id] })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: `1 of the selected payments is not pending (#${p!.id}); nothing was approved.` }
      })
    })
  })
})

describe('member portfolio, Excel export, vouchers PDF', () => {
  it("shows a member's holdings with accrued interest, coupons received and upcoming, and exports them to Excel", async () => {
    const ExcelJS = (await import('exceljs')).default
    const { core, clock, jane, holding } = await setup()
    clock.set('2026-03-10T06:00:00Z')
    await runJob(core, 'coupons')
    const ids = (await payments(core)).rows.map((p) => p.id)
    await prepareAndApprove(core, ids)
    value(await core.invoke('payments.pay', { ids, paidOn: '2026-03-10', method: 'cash' }))
    const pf = value<{
      asOf: string
      holdings: { id: number; accruedMinor: number }[]
      received: Payment[]
      upcoming: { dueDate: string; grossMinor: number }[]
    }>(await core.invoke('bonds.memberPortfolio', { memberId: jane.id }))
    expect(pf.asOf).toBe('2026-03-10')
    // 1 - 10 March on 30/360 = 9 days: 10 x 1,000.00 x 12% x 9/360 = 30.00
    expect(pf.holdings).toEqual([expect.objectContaining({ id: holding.id, accruedMinor: 3000 })])
    expect(pf.received.map((p) => [p.voucherNumber, p.netMinor])).toEqual([
      ['PV-2026-000002', 8500],
      ['PV-2026-000001', 4250]
    ])
    expect(pf.upcoming).toEqual([expect.objectContaining({ dueDate: '2026-04-01', grossMinor: 10000 })])

    const { file } = value<{ file: string }>(await core.invoke('bonds.exportPortfolio', { memberId: jane.id }))
    expect(file).toMatch(/exports[/\\]portfolio-M-1-2026-03-10\.xlsx$/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Holdings', 'Coupons received', 'Upcoming coupons'])
    const received = wb.getWorksheet('Coupons received')!
    expect(received.getCell('A1').value).toBe('Umoja Savings Cooperative')
    expect(received.getRow(6).values).toEqual(expect.arrayContaining(['PV-2026-000002', 'UMJ-27', 'Coupon', 100, 15, 85]))
    const total = received.getRow(8)
    const result = (v: unknown) => (v as { result?: unknown } | null)?.result
    expect([total.getCell(1).value, result(total.getCell(7).value), result(total.getCell(8).value), result(total.getCell(9).value)]).toEqual(['Total', 150, 22.5, 127.5])
    expect(received.getCell('G5').value).toBe('Gross (KES)')
    expect(received.getCell('G6').numFmt).toBe('#,##0.00')
    expect(wb.getWorksheet('Holdings')!.getRow(6).values).toEqual(expect.arrayContaining(['UMJ-27', 'Active']))
  })

  it('lists maturities within N days and applies the holiday list to payment dates', async () => {
    const { core, clock } = await setup()
    clock.set('2026-12-10T06:00:00Z')
    const soon = value<{ seriesCode: string; daysLeft: number; principalMinor: number }[]>(await core.invoke('bonds.maturities', { withinDays: 30 }))
    expect(soon).toEqual([expect.objectContaining({ seriesCode: 'UMJ-27', daysLeft: 22, principalMinor: 1_000_000 })])
    expect(value<unknown[]>(await core.invoke('bonds.maturities', { withinDays: 7 }))).toEqual([])

    value(await core.invoke('holidays.save', { date: '2026-06-01', name: 'Madaraka Day' }))
    const s = value<BondSeries>(
      await core.invoke('bonds.createSeries', { ...SERIES, code: 'HOL-1', businessDay: 'following' })
    )
    const detail = value<{ schedule: { accrualEnd: string; paymentDate: string }[] }>(await core.invoke('bonds.getSeries', { id: s.id }))
    // 1 June 2026 is a Monday and a holiday: paid Tuesday the 2nd; 1 August is a Saturday: paid Monday the 3rd.
    expect(detail.schedule.find((p) => p.accrualEnd === '2026-06-01')?.paymentDate).toBe('2026-06-02')
    expect(detail.schedule.find((p) => p.accrualEnd === '2026-08-01')?.paymentDate).toBe('2026-08-03')
  })
})

describe('voucher PDFs', () => {
  it('prints paid payments as one PDF with number, payee, amounts and words; a re-print is stamped COPY', async () => {
    const { execFileSync } = await import('node:child_process')
    const { core, clock } = await setup()
    clock.set('2026-03-02T06:00:00Z')
    await runJob(core, 'coupons')
    const ids = (await payments(core)).rows.map((p) => p.id)
    await prepareAndApprove(core, ids)
    value(await core.invoke('payments.pay', { ids, paidOn: '2026-03-02', method: 'cheque', reference: 'CHQ 000777' }))
    expect(await core.invoke('vouchers.pdf', { paymentIds: [999] })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })

    const first = value<{ file: string; vouchers: number; copies: number }>(await core.invoke('vouchers.pdf', { paymentIds: ids }))
    expect(first).toMatchObject({ vouchers: 2, copies: 0 })
    const text = execFileSync('pdftotext', ['-layout', first.file, '-'], { encoding: 'utf8' })
    expect(text).toContain('PV-2026-000001')
    expect(text).toContain('PV-2026-000002')
    expect(text).toContain('Jane Wanjiru')
    expect(text).toContain('M-1')
    expect(text).toContain('CHQ 000777')
    // Both pairs of eyes, by name: Ada prepared, Tom approved.
    expect(text).toContain('Ada Admin')
    expect(text).toContain('Tom Treasurer')
    // The second coupon: gross 100.00, tax 15.00, net 85.00
    expect(text).toMatch(/100\.00/)
    expect(text).toMatch(/15\.00/)
    expect(text).toMatch(/85\.00/)
    expect(text.toLowerCase()).toContain('eighty-five')
    // Particulars with dates in the cooperative's locale (en-KE), never ISO dates.
    expect(text.replace(/\s+/g, ' ')).toContain('Coupon on UMJ-27 for 1 Feb 2026 – 1 Mar 2026')
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/)
    expect(text).not.toMatch(/\bCOPY\b/)
    expect(execFileSync('pdfinfo', [first.file], { encoding: 'utf8' })).toMatch(/Pages:\s+2/)

    const again = value<{ file: string; copies: number }>(await core.invoke('vouchers.pdf', { paymentIds: [ids[1]!] }))
    expect(again.copies).toBe(1)
    expect(execFileSync('pdftotext', ['-layout', again.file, '-'], { encoding: 'utf8' })).toMatch(/\bCOPY\b/)
  })
})

describe('bond settings', () => {
  it('changes the voucher pattern and the maturity notice window, with validation', async () => {
    const { core, clock } = await setup()
    expect(value(await core.invoke('bonds.getSettings', {}))).toEqual({
      voucherPattern: 'PV-{YYYY}-{SEQ:6}',
      maturityNoticeDays: 30,
      couponLeadDays: 7,
      example: 'PV-2026-000123'
    })
    const bad = await core.invoke('bonds.saveSettings', { voucherPattern: 'PV-{SEQ}', maturityNoticeDays: 400 })
    expect(bad).toMatchObject({ ok: false, error: { fields: { voucherPattern: expect.stringMatching(/YYYY/), maturityNoticeDays: 'At most 365 days' } } })
    expect(value(await core.invoke('bonds.saveSettings', { voucherPattern: 'UMJ/{YY}/{SEQ:4}', maturityNoticeDays: 60 }))).toMatchObject({ example: 'UMJ/26/0123' })
    clock.set('2026-02-02T06:00:00Z')
    await runJob(core, 'coupons')
    const ids = (await payments(core)).rows.map((p) => p.id)
    await prepareAndApprove(core, ids)
    const paid = value<{ paid: { voucherNumber: string }[] }>(await core.invoke('payments.pay', { ids, paidOn: '2026-02-02', method: 'cash' }))
    expect(paid.paid[0]?.voucherNumber).toBe('UMJ/26/0001')
    const s = value<BondSeries[]>(await core.invoke('bonds.listSeries', {}))[0]!
    expect(value(await core.invoke('bonds.setSeriesStatus', { id: s.id, status: 'closed' }))).toMatchObject({ status: 'closed' })
    const jane = value<{ rows: Member[] }>(await core.invoke('members.list', {})).rows[0]!
    expect(await core.invoke('bonds.buyHolding', { memberId: jane.id, seriesId: s.id, units: 1, purchaseDate: '2026-02-01' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' }
    })
  })
})
