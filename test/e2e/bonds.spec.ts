import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'

const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }

test('create a series, buy a holding, run the coupon job, approve, pay and print the voucher', async ({ launch }) => {
  test.setTimeout(120_000)
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
      expect((await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Zoë Wanjiru Müller', joinedOn: '2020-01-01' })).ok).toBe(true)
      await core.shutdown()
    }
  })
  const page = app.page

  // A series, with its schedule.
  await page.getByRole('link', { name: 'Bonds' }).click()
  await page.getByRole('button', { name: 'New series' }).click()
  await page.getByLabel('Code', { exact: true }).fill('UMJ-30')
  await page.getByLabel('Name', { exact: true }).fill('Umoja 12% 2030')
  await page.getByLabel('Face value', { exact: true }).fill('1,000.00')
  await page.getByLabel('Coupon rate (%)', { exact: true }).fill('12')
  await page.getByLabel('Frequency', { exact: true }).selectOption('monthly')
  await page.getByLabel('Day count', { exact: true }).selectOption('30/360')
  await page.getByLabel('Issue date', { exact: true }).fill('2025-01-01')
  await page.getByLabel('Maturity date', { exact: true }).fill('2030-01-01')
  await page.getByLabel('Withholding tax (%)', { exact: true }).fill('15')
  await page.getByRole('button', { name: 'Save series' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('UMJ-30')
  await expect(page.getByRole('table', { name: 'Coupon schedule' })).toContainText('2025-02-01'.slice(0, 4))

  // A holding for the member.
  await page.getByRole('button', { name: 'Buy units' }).click()
  await page.getByLabel('Member', { exact: true }).fill('Wanjiru')
  await page.getByRole('option', { name: /Zoë Wanjiru Müller/ }).or(page.getByRole('button', { name: /Zoë Wanjiru Müller/ })).first().click()
  await page.getByLabel('Units', { exact: true }).fill('10')
  await page.getByLabel('Purchase date', { exact: true }).fill('2025-01-01')
  await page.getByRole('button', { name: 'Save holding' }).click()
  await expect(page.getByRole('table', { name: 'Holdings' })).toContainText('Zoë Wanjiru Müller')

  // The coupon job creates the coupons due so far.
  await page.getByRole('link', { name: 'Jobs' }).click()
  const row = page.locator('[data-job-id="coupons"]')
  await row.getByRole('button', { name: 'Run now' }).click()
  await expect(row.getByText('Succeeded')).toBeVisible({ timeout: 60_000 })

  // Approve and pay the first coupon.
  await page.getByRole('link', { name: 'Payments' }).click()
  const table = page.getByRole('table', { name: 'Payments' }).or(page.getByRole('grid', { name: 'Payments' }))
  const first = table.locator('[data-payment-id]').first()
  await expect(first).toContainText('Zoë Wanjiru Müller')
  // 10 x 1,000.00 x 12% x 30/360 = 100.00 gross, 15.00 tax, 85.00 net
  await expect(first).toContainText('100.00')
  await expect(first).toContainText('85.00')
  await first.getByRole('checkbox', { name: 'Select payment' }).check()
  await expect(page.getByTestId('selection-totals')).toContainText('85.00')
  await page.getByRole('button', { name: 'Approve', exact: true }).click()
  const approvedBy = page.getByLabel('Approved by', { exact: true })
  if (await approvedBy.isVisible()) {
    await approvedBy.fill('A. Treasurer')
    await page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click()
  }
  await expect(first).toContainText(/Approved/i)
  await first.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Pay', exact: true }).click()
  await page.getByLabel('Method', { exact: true }).selectOption('cash')
  await page.getByLabel('Reference', { exact: true }).fill('Cash box 1')
  await page.getByRole('dialog').getByRole('button', { name: 'Pay', exact: true }).click()
  await expect(first).toContainText(/PV-\d{4}-000001/)

  // Print the voucher: a PDF in the data folder that reads back right.
  await first.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Print vouchers' }).click()
  const dir = path.join(app.dataDir, 'vouchers')
  await expect.poll(() => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.pdf')) : []).length).toBe(1)
  const pdf = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.pdf'))!)
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
  expect(text).toMatch(/PV-\d{4}-000001/)
  expect(text).toContain('Zoë Wanjiru Müller')
  expect(text).toContain('85.00')
})
