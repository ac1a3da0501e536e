/**
 * vouchers.pdf refuses to print a voucher with characters no font has, naming
 * the voucher and the characters, unless asked to print anyway.
 */
import { execFileSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type Core } from '../../../src/core'
import type { BondSeries, Holding, JobRun, Member, Payment } from '../../../src/shared/contract'
import { jobCore } from '../../support/job-core'
import { value } from '../../support/temp-core'
import { SERIES } from '../../support/series'
import { prepareAndApprove } from '../../support/operators'

const cores: Core[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})


/** A core with one paid coupon for a member of this name; the payment ids. */
async function paidCoupon(fullName: string): Promise<{ core: Core; ids: number[] }> {
  const clock = new ManualClock('2026-01-20T06:00:00Z')
  const { core } = await jobCore({ clock })
  cores.push(core)
  const series = value<BondSeries>(await core.invoke('bonds.createSeries', SERIES))
  const member = value<Member>(await core.invoke('members.create', { memberNo: 'M-7', fullName, joinedOn: '2020-01-01' }))
  value<Holding>(await core.invoke('bonds.buyHolding', { memberId: member.id, seriesId: series.id, units: 10, purchaseDate: '2026-01-16' }))
  clock.set('2026-03-02T06:00:00Z')
  const run = value<JobRun>(await core.invoke('jobs.run', { jobId: 'coupons' }))
  await core.jobs?.activeRun(run.jobId)
  const rows = value<{ rows: Payment[] }>(await core.invoke('payments.list', {})).rows
  const ids = rows.slice(0, 1).map((p) => p.id)
  expect(ids).toHaveLength(1)
  await prepareAndApprove(core, ids)
  value(await core.invoke('payments.pay', { ids, paidOn: '2026-03-02', method: 'cash', reference: null }))
  return { core, ids }
}

describe('vouchers.pdf and characters no font has', () => {
  it('refuses, naming the voucher, the payee and the characters; prints anyway when asked, with the member number', async () => {
    const { core, ids } = await paidCoupon('ᱥᱟᱱᱛᱟ ᱢᱟᱨᱰᱤ') // Santali in Ol Chiki: no font here has it
    const refused = await core.invoke('vouchers.pdf', { paymentIds: ids })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { printWithMissingGlyphs: expect.any(String) } } })
    const message = refused.ok ? '' : (refused.error as { message: string }).message
    expect(message).toMatch(/PV-2026-0+1/)
    expect(message).toContain('M-7')
    expect(message).toContain('payee name')
    expect(message).toContain('ᱥ (U+1C65)')

    const printed = value<{ file: string; vouchers: number }>(await core.invoke('vouchers.pdf', { paymentIds: ids, printWithMissingGlyphs: true }))
    expect(printed.vouchers).toBe(1)
    const payLine = execFileSync('pdftotext', ['-layout', printed.file, '-'], { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.includes('Pay to'))
    expect(payLine).toContain('\uFFFD')
    expect(payLine).toContain('(M-7)')
  })

  it('prints a name the shipped fonts cover without asking', async () => {
    const { core, ids } = await paidCoupon('सुनीता शर्मा')
    const printed = value<{ file: string }>(await core.invoke('vouchers.pdf', { paymentIds: ids }))
    const text = execFileSync('pdftotext', ['-layout', printed.file, '-'], { encoding: 'utf8' })
    expect(text).toContain('सुनीता शर्मा')
    // Who prepared it and who approved it, by name.
    expect(text).toContain('Ada Admin')
    expect(text).toContain('Tom Treasurer')
  })
})
