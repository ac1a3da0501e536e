import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'

const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }
const SERIES = {
  code: 'UMJ-30', name: 'Umoja 12% 2030', faceValueMinor: 100000, couponRatePercent: '12', frequency: 'monthly',
  dayCount: '30/360', issueDate: '2025-01-01', maturityDate: '2030-01-01', withholdingTaxPercent: '15'
} as const

test('holdings list, closing a series to purchases, and bond settings with validation', async ({ launch }) => {
  test.setTimeout(90_000)
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
      const m = await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Zoë Wanjiru Müller', joinedOn: '2020-01-01' })
      const m2 = await core.invoke('members.create', { memberNo: 'M-00002', fullName: 'Otieno Kamau', joinedOn: '2021-03-01' })
      const s = await core.invoke('bonds.createSeries', SERIES)
      expect(m.ok && m2.ok && s.ok).toBe(true)
      const mid = (m as { value: { id: number } }).value.id
      const mid2 = (m2 as { value: { id: number } }).value.id
      const sid = (s as { value: { id: number } }).value.id
      const h = await core.invoke('bonds.buyHolding', { memberId: mid, seriesId: sid, units: 10, purchaseDate: '2025-01-01' })
      expect(h).toMatchObject({ ok: true })
      expect((await core.invoke('bonds.buyHolding', { memberId: mid2, seriesId: sid, units: 250, purchaseDate: '2025-03-15' })).ok).toBe(true)
      await core.shutdown()
    }
  })
  const page = app.page

  await page.getByRole('link', { name: 'Bonds' }).click()
  await page.getByRole('link', { name: 'Holdings' }).click()
  await expect(page).toHaveURL(/#\/bonds\/holdings/)
  const table = page.getByRole('table', { name: 'All holdings' })
  await expect(table).toContainText('Zoë Wanjiru Müller')
  await expect(table).toContainText('10,000.00')
  await expect(page.getByTestId('holdings-total')).toHaveText('2 holdings')
  await page.getByLabel('Status', { exact: true }).selectOption('redeemed')
  await expect(table).toContainText('No holding matches the filter.')
  await page.getByLabel('Status', { exact: true }).selectOption('all')
  await page.getByLabel('Member', { exact: true }).fill('Otieno')
  await page.getByRole('option', { name: /Otieno Kamau/ }).click()
  await expect(page.getByTestId('holdings-total')).toHaveText('1 holding match the filter')
  await table.getByRole('link', { name: 'UMJ-30' }).click()

  // Series page: close, then reopen.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('UMJ-30')
  await page.getByRole('button', { name: 'Close to purchases' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Close to purchases' }).click()
  await expect(page.getByTestId('series-status')).toHaveText('Closed')
  await expect(page.getByRole('button', { name: 'Buy units' })).toBeDisabled()
  await page.getByRole('button', { name: 'Reopen for purchases' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Reopen for purchases' }).click()
  await expect(page.getByTestId('series-status')).toHaveText('Open')

  // Settings → Bonds.
  await page.getByRole('link', { name: 'Settings' }).click()
  const pattern = page.getByLabel('Voucher number pattern', { exact: true })
  await expect(pattern).toHaveValue('PV-{YYYY}-{SEQ:6}')
  await expect(page.getByTestId('voucher-preview')).toContainText(/PV-\d{4}-000123/)
  await pattern.fill('PV/{YY}/{SEQ:4}')
  await expect(page.getByTestId('voucher-preview')).toContainText(/PV\/\d{2}\/0123/)
  await page.getByLabel('Maturity notice (days)', { exact: true }).fill('400')
  await page.getByRole('button', { name: 'Save bond settings' }).click()
  await expect(page.locator('.bond-settings .field-error')).toHaveText('At most 365 days')
  await pattern.fill('PV-{SEQ}')
  await page.getByRole('button', { name: 'Save bond settings' }).click()
  await expect(page.locator('.bond-settings .field-error').first()).toContainText('{YYYY}')
  await pattern.fill('PV/{YY}/{SEQ:4}')
  await page.getByLabel('Maturity notice (days)', { exact: true }).fill('45')
  await page.getByRole('button', { name: 'Save bond settings' }).click()
  await expect(page.locator('.bond-settings .form-status')).toHaveText('Saved')
  await expect(page.getByTestId('voucher-preview')).toContainText(/Example: PV\/\d{2}\/0123/)
})
