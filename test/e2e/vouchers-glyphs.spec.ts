import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { SERIES } from '../support/series'
import { prepareAndApprove } from '../support/operators'

const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }
const value = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.value as T
}

test('a voucher with characters no font has: printing stops and says which; Print anyway prints them as \uFFFD with the member number', async ({
  launch
}) => {
  test.setTimeout(120_000)
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      value(await core.invoke('profile.save', PROFILE))
      const series = value<{ id: number }>(await core.invoke('bonds.createSeries', { ...SERIES, issueDate: '2025-01-01', maturityDate: '2030-01-01' }))
      // Santali in Ol Chiki: no font shipped or installed here covers it.
      const member = value<{ id: number }>(await core.invoke('members.create', { memberNo: 'M-7', fullName: 'ᱥᱟᱱᱛᱟ ᱢᱟᱨᱰᱤ', joinedOn: '2020-01-01' }))
      value(await core.invoke('bonds.buyHolding', { memberId: member.id, seriesId: series.id, units: 10, purchaseDate: '2025-01-01' }))
      value(await core.invoke('jobs.run', { jobId: 'coupons' }))
      await core.jobs?.activeRun('coupons')
      const first = value<{ rows: Array<{ id: number }> }>(await core.invoke('payments.list', { limit: 1 })).rows[0]!
      // Two people: Ada prepares it, Tom approves it.
      await prepareAndApprove(core, [first.id])
      value(await core.invoke('payments.pay', { ids: [first.id], paidOn: '2025-02-03', method: 'cash', reference: 'Cash box 1' }))
      await core.shutdown()
    }
  })
  const page = app.page
  await page.getByRole('link', { name: 'Payments' }).click()
  const paid = page.getByRole('table', { name: 'Payments' }).locator('[data-payment-id]').filter({ hasText: /PV-\d{4}-000001/ })
  await paid.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Print vouchers' }).click()

  // Nothing printed yet: the banner names the voucher, the payee and the characters, and offers to print anyway.
  const banner = page.getByTestId('missing-glyphs')
  await expect(banner).toContainText(/PV-\d{4}-000001/)
  await expect(banner).toContainText('M-7')
  await expect(banner).toContainText('U+1C65')
  if (process.env.COFFER_SHOTS_DIR) await page.screenshot({ path: path.join(process.env.COFFER_SHOTS_DIR, 'vouchers-missing-glyphs.png') })
  const dir = path.join(app.dataDir, 'vouchers')
  const pdfs = () => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.pdf')) : [])
  expect(pdfs()).toEqual([])

  await page.getByRole('button', { name: /Print anyway/ }).click()
  await expect.poll(() => pdfs().length).toBe(1)
  const payLine = execFileSync('pdftotext', ['-layout', path.join(dir, pdfs()[0]!), '-'], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.includes('Pay to'))
  expect(payLine).toContain('\uFFFD')
  expect(payLine).toContain('(M-7)')
  await expect(page.getByTestId('missing-glyphs')).toHaveCount(0)
})
