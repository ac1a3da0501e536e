import { execFileSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src/core'
import type { BondSeries, Holding, Payment } from '../../src/shared/contract'
import { value } from '../support/temp-core'
import { SERIES, runJob, seriesWithHolding } from '../support/series'
import { TREASURER, asOperator, prepareAndApprove } from '../support/operators'

const cores: Core[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})


const setup = (start?: string) => seriesWithHolding(cores, start)

const payments = async (core: Core, q: Record<string, unknown> = {}) =>
  value<{ rows: Payment[]; total: number }>(await core.invoke('payments.list', q)).rows

const seriesOf = async (core: Core, id: number) =>
  value<{ series: BondSeries; schedule: { accrualEnd: string; couponPerUnitMinor: number }[] }>(await core.invoke('bonds.getSeries', { id }))

async function approveAndPay(core: Core, ids: number[], paidOn: string, method: 'cash' | 'cheque' = 'cheque') {
  await prepareAndApprove(core, ids)
  return value<{ paid: { id: number; voucherNumber: string }[] }>(
    await core.invoke('payments.pay', { ids, paidOn, method, reference: 'CHQ 1' })
  ).paid
}

describe('early redemption', () => {
  it('creates the principal and the interest accrued to the date as pending payments, in the same transaction', async () => {
    const { core, clock, holding, series } = await setup()
    clock.set('2026-03-16T06:00:00Z')
    const h = value<Holding>(await core.invoke('bonds.redeemHolding', { id: holding.id, expectedVersion: holding.version, redeemedOn: '2026-03-16' }))
    expect(h).toMatchObject({ status: 'redeemed', redeemedOn: '2026-03-16' })
    const created = await payments(core, { memberId: h.memberId })
    // 1 - 16 March on 30/360 = 15 days: 10 x 1,000.00 x 12% x 15/360 = 50.00, tax 15% = 7.50.
    expect(created.map((p) => [p.kind, p.periodStart, p.periodEnd, p.dueDate, p.grossMinor, p.taxMinor, p.netMinor, p.status])).toEqual([
      ['principal', '2026-03-16', '2026-03-16', '2026-03-16', 1_000_000, 0, 1_000_000, 'pending'],
      ['interest', '2026-03-01', '2026-03-16', '2026-03-16', 5000, 750, 4250, 'pending']
    ])
    // The coupons up to the redemption still come from the coupon run; nothing after it.
    await runJob(core, 'coupons')
    const all = await payments(core)
    expect(all.filter((p) => p.kind === 'coupon').map((p) => p.periodEnd)).toEqual(['2026-02-01', '2026-03-01'])
    // Approved, paid and vouchered like the others.
    const paid = await approveAndPay(core, all.map((p) => p.id), '2026-03-16')
    expect(paid.map((p) => p.voucherNumber)).toEqual(['PV-2026-000001', 'PV-2026-000002', 'PV-2026-000003', 'PV-2026-000004'])
    const pdf = value<{ file: string }>(await core.invoke('vouchers.pdf', { paymentIds: all.map((p) => p.id) }))
    const text = execFileSync('pdftotext', ['-layout', pdf.file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
    expect(text).toContain('Early redemption of UMJ-27 principal')
    expect(text).toContain('Interest accrued on UMJ-27')
    // The only holding is redeemed: the series settles (closed, its maturity has not come).
    expect((await seriesOf(core, series.id)).series.status).toBe('closed')
  })

  it('writes nothing when the redemption is refused, and cancels coupons created ahead for later periods', async () => {
    const { core, clock, holding } = await setup()
    // 26 Feb: the 1 March coupon is created ahead (7 days by default).
    clock.set('2026-02-26T06:00:00Z')
    await runJob(core, 'coupons')
    expect((await payments(core)).map((p) => p.periodEnd)).toEqual(['2026-02-01', '2026-03-01'])
    // Not on or after maturity, and nothing written on refusal.
    const late = await core.invoke('bonds.redeemHolding', { id: holding.id, expectedVersion: holding.version, redeemedOn: '2027-01-01' })
    expect(late).toMatchObject({ ok: false })
    const h = value<Holding>(await core.invoke('bonds.redeemHolding', { id: holding.id, expectedVersion: holding.version, redeemedOn: '2026-02-20' }))
    const rows = await payments(core)
    const march = rows.find((p) => p.kind === 'coupon' && p.periodEnd === '2026-03-01')
    expect(march).toMatchObject({ status: 'cancelled', cancelReason: 'Holding redeemed early on 20 Feb 2026' })
    // A coupon for a period after the redemption cannot be reinstated.
    expect(await core.invoke('payments.reinstate', { id: march!.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'The holding was redeemed on 20 Feb 2026; a coupon for a later period cannot be reinstated.' }
    })
    expect(rows.filter((p) => p.kind !== 'coupon').map((p) => [p.kind, p.periodStart, p.grossMinor])).toEqual([
      ['principal', '2026-02-20', 1_000_000],
      // 1 - 20 Feb: 19 days of 30/360: 10 x 1,000.00 x 12% x 19/360 = 63.33
      ['interest', '2026-02-01', 6333]
    ])
    expect(h.status).toBe('redeemed')
  })
})

describe('series settle by themselves', () => {
  it('a series whose every holding matured becomes matured in the maturity run', async () => {
    const { core, clock, series, jane } = await setup()
    const other = value<Holding>(
      await core.invoke('bonds.buyHolding', { memberId: jane.id, seriesId: series.id, units: 1, purchaseDate: '2026-01-18' })
    )
    clock.set('2026-06-10T06:00:00Z')
    value(await core.invoke('bonds.redeemHolding', { id: other.id, expectedVersion: other.version, redeemedOn: '2026-06-10' }))
    expect((await seriesOf(core, series.id)).series.status).toBe('open')
    clock.set('2027-01-02T06:00:00Z')
    expect(await runJob(core, 'maturity')).toMatchObject({ status: 'succeeded', result: { details: { matured: 1, seriesMatured: 1 } } })
    expect((await seriesOf(core, series.id)).series.status).toBe('matured')
    expect(await core.invoke('bonds.setSeriesStatus', { id: series.id, status: 'open' })).toMatchObject({ ok: false })
  })
})

describe('coupons ahead of their date', () => {
  it('creates each coupon the configured number of days before its payment date; the job runs daily', async () => {
    const { core, clock } = await setup()
    const jobs = value<{ id: string; cron: string }[]>(await core.invoke('jobs.list', {}))
    expect(jobs.find((j) => j.id === 'coupons')?.cron).toBe('0 2 * * *')
    expect(value(await core.invoke('bonds.getSettings', {}))).toMatchObject({ couponLeadDays: 7 })
    clock.set('2026-01-24T06:00:00Z') // 1 Feb is 8 days away
    await runJob(core, 'coupons')
    expect(await payments(core)).toEqual([])
    clock.set('2026-01-25T06:00:00Z') // 7 days
    await runJob(core, 'coupons')
    expect((await payments(core)).map((p) => [p.dueDate, p.grossMinor])).toEqual([['2026-02-01', 5000]])

    const s = value<{ couponLeadDays: number }>(
      await core.invoke('bonds.saveSettings', { voucherPattern: 'PV-{YYYY}-{SEQ:6}', maturityNoticeDays: 30, couponLeadDays: 0 })
    )
    expect(s.couponLeadDays).toBe(0)
    expect(await core.invoke('bonds.saveSettings', { voucherPattern: 'PV-{YYYY}-{SEQ:6}', maturityNoticeDays: 30, couponLeadDays: 91 })).toMatchObject({
      ok: false,
      error: { fields: { couponLeadDays: 'At most 90 days' } }
    })
    clock.set('2026-02-28T06:00:00Z')
    await runJob(core, 'coupons')
    expect((await payments(core)).map((p) => p.dueDate)).toEqual(['2026-02-01'])
    clock.set('2026-03-01T06:00:00Z')
    await runJob(core, 'coupons')
    expect((await payments(core)).map((p) => p.dueDate)).toEqual(['2026-02-01', '2026-03-01'])
    // Left out, the lead days are kept.
    value(await core.invoke('bonds.saveSettings', { voucherPattern: 'PV-{YYYY}-{SEQ:6}', maturityNoticeDays: 30 }))
    expect(value(await core.invoke('bonds.getSettings', {}))).toMatchObject({ couponLeadDays: 0 })
  })
})

describe('void and reinstate', () => {
  it('voids a paid voucher: it keeps its number and prints VOID; a pending replacement is paid with the next number', async () => {
    const { core, clock } = await setup()
    clock.set('2026-02-02T06:00:00Z')
    await runJob(core, 'coupons')
    const [p] = await payments(core)
    const [paid] = await approveAndPay(core, [p!.id], '2026-02-02')
    expect(paid?.voucherNumber).toBe('PV-2026-000001')
    expect(await core.invoke('payments.void', { id: p!.id, reason: '' })).toMatchObject({ ok: false, error: { fields: { reason: expect.any(String) } } })

    const r = value<{ voided: Payment; replacement: Payment }>(await core.invoke('payments.void', { id: p!.id, reason: 'Cheque bounced' }))
    expect(r.voided).toMatchObject({ status: 'voided', voucherNumber: 'PV-2026-000001', voidReason: 'Cheque bounced', voidedAt: expect.any(String) })
    expect(r.replacement).toMatchObject({
      status: 'pending',
      voucherNumber: null,
      replacesPaymentId: p!.id,
      periodEnd: p!.periodEnd,
      grossMinor: p!.grossMinor,
      netMinor: p!.netMinor
    })
    // Only a paid payment can be voided; the coupon run does not recreate the voided one.
    expect(await core.invoke('payments.void', { id: p!.id, reason: 'Again' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    await runJob(core, 'coupons')
    expect((await payments(core)).map((x) => [x.id, x.status])).toEqual([
      [p!.id, 'voided'],
      [r.replacement.id, 'pending']
    ])
    // Not counted as received.
    const pf = value<{ received: Payment[] }>(await core.invoke('bonds.memberPortfolio', { memberId: p!.memberId }))
    expect(pf.received).toEqual([])

    clock.set('2026-02-03T06:00:00Z')
    const [again] = await approveAndPay(core, [r.replacement.id], '2026-02-03', 'cash')
    expect(again?.voucherNumber).toBe('PV-2026-000002')

    const pdf = value<{ file: string }>(await core.invoke('vouchers.pdf', { paymentIds: [p!.id, r.replacement.id] }))
    const pages = execFileSync('pdftotext', ['-layout', pdf.file, '-'], { encoding: 'utf8' }).split('\f')
    expect(pages[0]).toContain('PV-2026-000001')
    expect(pages[0]).toMatch(/\bVOID\b/)
    expect(pages[1]).toContain('PV-2026-000002')
    expect(pages[1]).not.toMatch(/\bVOID\b/)
  })

  it('reinstates a cancelled payment to pending, and nothing else', async () => {
    const { core, clock } = await setup()
    clock.set('2026-02-02T06:00:00Z')
    await runJob(core, 'coupons')
    const [p] = await payments(core)
    expect(await core.invoke('payments.reinstate', { id: p!.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    value(await core.invoke('payments.cancel', { id: p!.id, reason: 'Wrong account' }))
    expect(value<Payment>(await core.invoke('payments.reinstate', { id: p!.id }))).toMatchObject({ status: 'pending', cancelReason: null })
    expect(value(await core.invoke('payments.prepare', { ids: [p!.id] }))).toEqual({ prepared: 1 })
    await asOperator(core, TREASURER, async () => {
      expect(value(await core.invoke('payments.approve', { ids: [p!.id] }))).toEqual({ approved: 1 })
    })
    expect(await core.invoke('payments.reinstate', { id: 999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe("member's overdue coupons and the per-unit coupon", () => {
  it('lists unpaid payments past their due date on the member portfolio; the schedule carries the coupon of one unit', async () => {
    const { core, clock, jane, series } = await setup()
    clock.set('2026-03-05T06:00:00Z')
    await runJob(core, 'coupons')
    const rows = await payments(core)
    await prepareAndApprove(core, [rows[0]!.id])
    clock.set('2026-03-06T06:00:00Z')
    const pf = value<{ overdue: Payment[] }>(await core.invoke('bonds.memberPortfolio', { memberId: jane.id }))
    expect(pf.overdue.map((p) => [p.dueDate, p.status])).toEqual([
      ['2026-02-01', 'approved'],
      ['2026-03-01', 'pending']
    ])
    await approveAndPay(core, [rows[1]!.id], '2026-03-06')
    const after = value<{ overdue: Payment[] }>(await core.invoke('bonds.memberPortfolio', { memberId: jane.id }))
    expect(after.overdue.map((p) => p.dueDate)).toEqual(['2026-02-01'])

    // 1,000.00 x 12% / 12 = 10.00 a unit each month.
    const { schedule } = await seriesOf(core, series.id)
    expect(schedule).toHaveLength(12)
    expect(new Set(schedule.map((p) => p.couponPerUnitMinor))).toEqual(new Set([1000]))
    const act = value<BondSeries>(await core.invoke('bonds.createSeries', { ...SERIES, code: 'ACT-1', dayCount: 'ACT/365F' }))
    const actSchedule = (await seriesOf(core, act.id)).schedule
    // January: 1,000.00 x 12% x 31/365 = 10.19 (10.1917...); February: x 28/365 = 9.21 (9.2055...)
    expect(actSchedule.slice(0, 2).map((p) => p.couponPerUnitMinor)).toEqual([1019, 921])
  })
})
