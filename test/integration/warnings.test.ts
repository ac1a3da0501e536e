import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src/core'
import type { BondSeries, Holding, Member, Payment } from '../../src/shared/contract'
import { SERIES } from '../support/series'
import { PROFILE, tempCore, value } from '../support/temp-core'
import { prepareAndApprove } from '../support/operators'

/**
 * Warnings before risky actions: core refuses with CONFIRM_REQUIRED and the
 * warnings (code and message naming the specifics), writes nothing, and does
 * the action when the codes are acknowledged. Unknown codes are refused.
 */

const cores: Core[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})

async function setup() {
  const t = tempCore()
  cores.push(t.core)
  t.clock.set('2026-03-10T06:00:00Z')
  const { core } = t
  value(await core.invoke('profile.save', PROFILE))
  const series = value<BondSeries>(await core.invoke('bonds.createSeries', SERIES))
  const wanjiku = value<Member>(
    await core.invoke('members.create', { memberNo: 'M-00012', fullName: 'Wanjiku Kamau', joinedOn: '2026-01-10' })
  )
  return { ...t, series, wanjiku }
}

const buy = (core: Core, memberId: number, seriesId: number, units: number, purchaseDate: string, acknowledge?: string[]) =>
  core.invoke('bonds.buyHolding', { memberId, seriesId, units, purchaseDate, ...(acknowledge ? { acknowledge } : {}) })

const holdings = async (core: Core, memberId: number) =>
  value<{ rows: Holding[] }>(await core.invoke('bonds.listHoldings', { memberId })).rows

const payments = async (core: Core, q: Record<string, unknown> = {}) =>
  value<{ rows: Payment[] }>(await core.invoke('payments.list', q)).rows

/** A redeemed holding leaves pending payments (principal and interest) owed to the member. */
async function owedPayments(core: Core, memberId: number, seriesId: number): Promise<Payment[]> {
  const h = value<Holding>(await buy(core, memberId, seriesId, 5, '2026-01-16'))
  value(await core.invoke('bonds.redeemHolding', { id: h.id, expectedVersion: h.version, redeemedOn: '2026-03-05' }))
  return payments(core, { memberId, status: 'pending' })
}

describe('a purchase dated before the member joined', () => {
  it('is refused, naming the member and both dates, and nothing is written; acknowledged, it is saved', async () => {
    const { core, series, wanjiku } = await setup()
    const refused = await buy(core, wanjiku.id, series.id, 40, '2026-01-05')
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'CONFIRM_REQUIRED',
        message: expect.stringContaining('Nothing was changed'),
        warnings: [
          {
            code: 'purchase-before-joining',
            message: 'M-00012 Wanjiku Kamau joined on 10 Jan 2026; this purchase is dated 5 Jan 2026, before they joined.'
          }
        ]
      }
    })
    expect(await holdings(core, wanjiku.id)).toEqual([])

    const saved = value<Holding>(await buy(core, wanjiku.id, series.id, 40, '2026-01-05', ['purchase-before-joining']))
    expect(saved).toMatchObject({ memberId: wanjiku.id, units: 40, purchaseDate: '2026-01-05', status: 'active' })
    expect(await holdings(core, wanjiku.id)).toHaveLength(1)
  })

  it('asks nothing on or after the joining date, and a real error still comes before the warning', async () => {
    const { core, series, wanjiku } = await setup()
    expect((await buy(core, wanjiku.id, series.id, 1, '2026-01-10')).ok).toBe(true)
    // Before the series' issue date and before joining: the date is wrong, not risky.
    expect(await buy(core, wanjiku.id, series.id, 1, '2025-12-31')).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('refuses a code that is not this action’s, and a misspelt one, next to the field', async () => {
    const { core, series, wanjiku } = await setup()
    for (const code of ['cheque-without-number', 'purchase-before-join']) {
      const r = await buy(core, wanjiku.id, series.id, 40, '2026-01-05', [code])
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', fields: { 'acknowledge.0': expect.stringContaining(`“${code}” is not a warning this action gives`) } }
      })
    }
    expect(await holdings(core, wanjiku.id)).toEqual([])
  })
})

describe('a cheque payment without a cheque number', () => {
  async function approved() {
    const s = await setup()
    const owed = await owedPayments(s.core, s.wanjiku.id, s.series.id)
    const ids = owed.map((p) => p.id)
    await prepareAndApprove(s.core, ids)
    return { ...s, ids, owed }
  }

  it('is refused with the count, date and net; nothing is paid and no voucher number is used', async () => {
    const { core, ids, owed } = await approved()
    expect(ids).toHaveLength(2)
    // Principal 5,000.00 and interest 1-5 March on 5 units (6.67 gross, 1.00 tax).
    expect(owed.reduce((n, p) => n + p.netMinor, 0)).toBe(500_567)
    const refused = await core.invoke('payments.pay', { ids, paidOn: '2026-03-09', method: 'cheque', reference: '   ' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFIRM_REQUIRED' } })
    if (refused.ok) return
    expect(refused.error.warnings).toEqual([
      {
        code: 'cheque-without-number',
        message: `No cheque number is given for 2 payments paid by cheque on 9 Mar 2026 (net Ksh\u00a05,005.67): their vouchers will not say which cheque paid them.`
      }
    ])
    expect((await payments(core, { status: 'approved' })).map((p) => p.id).sort()).toEqual([...ids].sort())

    const paid = value<{ paid: { voucherNumber: string }[] }>(
      await core.invoke('payments.pay', { ids, paidOn: '2026-03-09', method: 'cheque', reference: null, acknowledge: ['cheque-without-number'] })
    ).paid
    // The refusal used no number: the sequence starts at 1.
    expect(paid.map((p) => p.voucherNumber)).toEqual(['PV-2026-000001', 'PV-2026-000002'])
  })

  it('asks nothing with a cheque number, or for another method', async () => {
    const { core, ids } = await approved()
    const [a, b] = ids as [number, number]
    expect((await core.invoke('payments.pay', { ids: [a], paidOn: '2026-03-09', method: 'cheque', reference: '004512' })).ok).toBe(true)
    expect((await core.invoke('payments.pay', { ids: [b], paidOn: '2026-03-09', method: 'cash', reference: null })).ok).toBe(true)
  })
})

describe('deactivating a member who holds bonds or is owed payments', () => {
  it('is refused with both warnings naming the units, series, amount and count; nothing changes; acknowledged, the member is deactivated', async () => {
    const { core, series, wanjiku } = await setup()
    value(await buy(core, wanjiku.id, series.id, 40, '2026-01-16'))
    expect(await owedPayments(core, wanjiku.id, series.id)).toHaveLength(2)
    const deactivate = (acknowledge?: string[]) =>
      core.invoke('members.setActive', { id: wanjiku.id, active: false, expectedVersion: 1, reason: 'Moved away', ...(acknowledge ? { acknowledge } : {}) })

    const refused = await deactivate()
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFIRM_REQUIRED' } })
    if (refused.ok) return
    expect(refused.error.warnings).toEqual([
      {
        code: 'member-holds-bonds',
        message: 'M-00012 Wanjiku Kamau still holds 40 units of UMJ-27: their coupons and redemptions will still fall due.'
      },
      { code: 'member-is-owed', message: `M-00012 Wanjiku Kamau is owed Ksh\u00a05,005.67 (net) in 2 unpaid payments (pending or approved).` }
    ])
    const still = value<{ member: Member; history: unknown[] }>(await core.invoke('members.get', { id: wanjiku.id }))
    expect(still.member).toMatchObject({ active: true, version: 1, deactivatedAt: null })
    expect(still.history).toHaveLength(1)

    // One warning acknowledged is not enough: the other is still asked.
    const half = await deactivate(['member-holds-bonds'])
    expect(half).toMatchObject({ ok: false, error: { code: 'CONFIRM_REQUIRED', warnings: [{ code: 'member-is-owed' }] } })

    const done = value<Member>(await deactivate(['member-holds-bonds', 'member-is-owed']))
    expect(done).toMatchObject({ active: false, deactivationReason: 'Moved away', version: 2 })
  })

  it('asks nothing of a member with no active units and nothing owed, nor when reactivating', async () => {
    const { core, wanjiku } = await setup()
    const off = value<Member>(await core.invoke('members.setActive', { id: wanjiku.id, active: false, expectedVersion: 1, reason: null }))
    expect(off.active).toBe(false)
    expect(value<Member>(await core.invoke('members.setActive', { id: wanjiku.id, active: true, expectedVersion: 2, reason: null })).active).toBe(true)
  })

  it('names at most five series and counts the rest', async () => {
    const { core, wanjiku } = await setup()
    for (let i = 1; i <= 7; i++) {
      const s = value<BondSeries>(await core.invoke('bonds.createSeries', { ...SERIES, code: `S-${i}`, maturityDate: `2027-0${i}-01` }))
      value(await buy(core, wanjiku.id, s.id, i, '2026-02-01'))
    }
    const r = await core.invoke('members.setActive', { id: wanjiku.id, active: false, expectedVersion: 1, reason: null })
    if (r.ok) throw new Error('expected a refusal')
    expect(r.error.warnings?.[0]?.message).toBe(
      'M-00012 Wanjiku Kamau still holds 1 unit of S-1, 2 units of S-2, 3 units of S-3, 4 units of S-4, 5 units of S-5 and units of 2 more series: their coupons and redemptions will still fall due.'
    )
  })
})

describe('changing the voucher pattern in the middle of a year', () => {
  const settings = (voucherPattern: string, acknowledge?: string[]) => ({
    voucherPattern,
    maturityNoticeDays: 30,
    ...(acknowledge ? { acknowledge } : {})
  })

  it('is refused once this year has vouchers, naming them and the next number; nothing is saved; acknowledged, it is', async () => {
    const { core, series, wanjiku } = await setup()
    // No voucher yet this year: changed freely.
    value(await core.invoke('bonds.saveSettings', settings('PV/{YYYY}/{SEQ:5}')))
    const owed = await owedPayments(core, wanjiku.id, series.id)
    const ids = owed.map((p) => p.id)
    await prepareAndApprove(core, ids)
    value(await core.invoke('payments.pay', { ids, paidOn: '2026-03-09', method: 'bank-transfer', reference: 'EFT 1' }))

    const refused = await core.invoke('bonds.saveSettings', settings('UMJ/{YY}/{SEQ:4}'))
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'CONFIRM_REQUIRED',
        warnings: [
          {
            code: 'voucher-pattern-mid-year',
            message:
              "2 vouchers are already numbered in 2026 (PV/2026/00001 to PV/2026/00002) under the pattern PV/{YYYY}/{SEQ:5}. With UMJ/{YY}/{SEQ:4} the next would be UMJ/26/0003, so 2026's vouchers would be numbered two ways."
          }
        ]
      }
    })
    expect(value<{ voucherPattern: string }>(await core.invoke('bonds.getSettings', {})).voucherPattern).toBe('PV/{YYYY}/{SEQ:5}')

    // The same pattern with other settings changed asks nothing.
    expect(value<{ maturityNoticeDays: number }>(await core.invoke('bonds.saveSettings', { ...settings('PV/{YYYY}/{SEQ:5}'), maturityNoticeDays: 45 })).maturityNoticeDays).toBe(45)

    const saved = value<{ voucherPattern: string }>(await core.invoke('bonds.saveSettings', settings('UMJ/{YY}/{SEQ:4}', ['voucher-pattern-mid-year'])))
    expect(saved.voucherPattern).toBe('UMJ/{YY}/{SEQ:4}')
  })
})

describe('a holiday on a date that already has one', () => {
  it('is refused next to the date, naming the holiday there, and kept as it was; it is renamed only explicitly', async () => {
    const { core } = await setup()
    value(await core.invoke('holidays.save', { date: '2026-06-01', name: 'Madaraka Day' }))
    const refused = await core.invoke('holidays.save', { date: '2026-06-01', name: 'Madaraka' })
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: '1 Jun 2026 is already a holiday: Madaraka Day. Nothing was added; edit that holiday to change its name.',
        fields: { date: '1 Jun 2026 is already a holiday: Madaraka Day. Edit it instead.' }
      }
    })
    expect(value(await core.invoke('holidays.list', {}))).toEqual([{ date: '2026-06-01', name: 'Madaraka Day' }])

    expect(value(await core.invoke('holidays.update', { date: '2026-06-01', name: 'Madaraka Day (observed)' }))).toEqual([
      { date: '2026-06-01', name: 'Madaraka Day (observed)' }
    ])
    expect(await core.invoke('holidays.update', { date: '2026-06-02', name: 'Nothing here' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'The holiday on 2 Jun 2026 was not found.' }
    })
    expect(value(await core.invoke('holidays.list', {}))).toHaveLength(1)
  })
})
