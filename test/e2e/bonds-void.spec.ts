import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { ADMIN, TREASURER, seedOperator, signInAs } from './support/auth'

const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }
const SHOTS = process.env.COFFER_SHOTS_DIR

test('void a paid voucher (a pending replacement appears), reinstate a cancelled payment; overdue, per-unit coupon and lead days on screen', async ({
  launch
}) => {
  test.setTimeout(180_000)
  let memberId = 0
  let seriesId = 0
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
      const m = await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01' })
      const s = await core.invoke('bonds.createSeries', {
        code: 'UMJ-30',
        name: 'Umoja 12% 2030',
        faceValueMinor: 100_000,
        couponRatePercent: '12',
        frequency: 'monthly',
        dayCount: 'ACT/365F',
        issueDate: '2025-01-01',
        maturityDate: '2030-01-01',
        firstCouponDate: null,
        endOfMonth: false,
        businessDay: 'following',
        withholdingTaxPercent: '15'
      })
      if (!m.ok || !s.ok) throw new Error('seed failed')
      memberId = (m.value as { id: number }).id
      seriesId = (s.value as { id: number }).id
      expect((await core.invoke('bonds.buyHolding', { memberId, seriesId, units: 10, purchaseDate: '2025-01-01' })).ok).toBe(true)
      await seedOperator(core, { ...TREASURER, role: 'treasurer' })
      await core.shutdown()
    }
  })
  const page = app.page
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
  }

  await page.getByRole('link', { name: 'Jobs' }).click()
  const row = page.locator('[data-job-id="coupons"]')
  await row.getByRole('button', { name: 'Run now' }).click()
  await expect(row.getByText('Succeeded')).toBeVisible({ timeout: 60_000 })

  await page.getByRole('link', { name: 'Payments' }).click()
  const table = page.getByRole('table', { name: 'Payments' }).or(page.getByRole('grid', { name: 'Payments' }))
  const first = table.locator('[data-payment-id]').first()
  await expect(first).toContainText('Amina Odhiambo')
  const firstId = await first.getAttribute('data-payment-id')
  const payment = table.locator(`[data-payment-id="${firstId}"]`)
  // Ada prepares it; Tom approves and pays it.
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Prepare', exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Prepare', exact: true }).click()
  await expect(payment).toHaveAttribute('data-prepared', 'yes')
  await signInAs(page, TREASURER)
  await page.getByRole('link', { name: 'Payments' }).click()
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Approve', exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(payment).toHaveAttribute('data-status', 'approved')
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Pay', exact: true }).click()
  await page.getByLabel('Method', { exact: true }).selectOption('cheque')
  await page.getByLabel('Reference', { exact: true }).fill('CHQ 000123')
  await page.getByRole('dialog').getByRole('button', { name: 'Pay', exact: true }).click()
  await expect(payment).toContainText(/PV-\d{4}-000001/)

  // Void it: the voucher keeps its number; a pending replacement appears.
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Void voucher' }).click()
  await page.getByRole('dialog').getByLabel('Reason').fill('Cheque bounced')
  await page.getByRole('dialog').getByRole('button', { name: 'Void voucher' }).click()
  await expect(page.getByTestId('void-result')).toContainText(/Voided voucher PV-\d{4}-000001/)
  const voided = table.locator(`[data-payment-id="${firstId}"]`)
  await expect(voided).toHaveAttribute('data-status', 'voided')
  await expect(voided).toContainText(/PV-\d{4}-000001/)
  await expect(voided).toContainText('Cheque bounced')
  const replacement = table.locator('[data-payment-id]', { hasText: `replaces #${firstId}` })
  await expect(replacement).toHaveAttribute('data-status', 'pending')
  await shot('payments-void')

  // Cancel the replacement, then reinstate it.
  await voided.getByRole('checkbox', { name: 'Select payment' }).uncheck()
  await replacement.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Cancel payment' }).click()
  await page.getByRole('dialog').getByLabel('Reason').fill('Wrong account')
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel payment' }).click()
  await expect(replacement).toHaveAttribute('data-status', 'cancelled')
  await replacement.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Reinstate' }).click()
  await expect(replacement).toHaveAttribute('data-status', 'pending')

  // The member's page lists what is overdue; the series page the coupon of one unit; settings the lead days.
  await page.goto(`${page.url().split('#')[0]}#/members/${memberId}`)
  const overdue = page.getByRole('table', { name: 'Overdue payments' }).or(page.getByRole('grid', { name: 'Overdue payments' }))
  await expect(overdue.locator('[data-payment-id]').first()).toBeVisible()
  await shot('member-overdue')
  await page.goto(`${page.url().split('#')[0]}#/bonds/${seriesId}`)
  // January 2025 on ACT/365F: 1,000.00 x 12% x 31/365 = 10.19
  await expect(page.getByTestId('coupon-per-unit').first()).toContainText('10.19')
  await shot('series-per-unit')
  // Settings are the administrator's.
  await signInAs(page, ADMIN)
  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByLabel('Create coupons ahead (days)')).toHaveValue('7')
  await shot('settings-lead-days')
})
