import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { ADMIN, AUDITOR, CLERK, TREASURER, seedOperator, signInAs } from './support/auth'

const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }
const SHOTS = process.env.COFFER_SHOTS_DIR

test('create a series, buy a holding, run the coupon job; Ada prepares, cannot approve what she prepared, Tom approves and pays; the voucher names both', async ({
  launch
}) => {
  test.setTimeout(120_000)
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
      expect((await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Zoë Wanjiru Müller', joinedOn: '2020-01-01' })).ok).toBe(true)
      await seedOperator(core, { ...TREASURER, role: 'treasurer' })
      await seedOperator(core, CLERK)
      await seedOperator(core, AUDITOR)
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

  // Ada (signed in) prepares the first coupon: the first pair of eyes. Wide enough for the "Prepared / approved by" column.
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.getByRole('link', { name: 'Payments' }).click()
  const table = page.getByRole('table', { name: 'Payments' }).or(page.getByRole('grid', { name: 'Payments' }))
  const first = table.locator('[data-payment-id]').first()
  await expect(first).toContainText('Zoë Wanjiru Müller')
  const id = await first.getAttribute('data-payment-id')
  const payment = table.locator(`[data-payment-id="${id}"]`)
  // 10 x 1,000.00 x 12% x 30/360 = 100.00 gross, 15.00 tax, 85.00 net
  await expect(payment).toContainText('100.00')
  await expect(payment).toContainText('85.00')
  await expect(payment).toContainText('not prepared yet')
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await expect(page.getByTestId('selection-totals')).toContainText('85.00')
  // Nothing prepared yet: nothing to approve.
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toHaveAttribute('aria-disabled', 'true')
  await page.getByRole('button', { name: 'Prepare', exact: true }).click()
  const prepare = page.getByRole('dialog', { name: 'Prepare 1 payment' })
  await expect(prepare).toContainText(`marked prepared by you (${ADMIN.name})`)
  await prepare.getByRole('button', { name: 'Prepare', exact: true }).click()
  await expect(prepare).toHaveCount(0)
  await expect(page.getByTestId('prepare-result')).toContainText(`Prepared 1 payment (by ${ADMIN.name}). Another operator approves it next.`)
  await expect(payment).toHaveAttribute('data-status', 'pending')
  await expect(payment).toHaveAttribute('data-prepared', 'yes')
  await expect(payment.locator('.badge')).toHaveText('Prepared')
  await expect(payment.getByTestId('prepared-by')).toHaveText(ADMIN.name)
  await expect(payment.getByTestId('approval-waiting')).toHaveText('awaiting another operator')

  // The same operator cannot approve what she prepared: core's refusal, naming the payment, in the dialog; nothing changes.
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Approve', exact: true }).click()
  const approve = page.getByRole('dialog', { name: 'Approve 1 payment' })
  await expect(approve.getByTestId('approve-own')).toContainText('You prepared it')
  await approve.getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(approve.getByRole('alert').locator('.banner-text')).toHaveText(
    /^You prepared the coupon to Zoë Wanjiru Müller \(period to .+\): another operator must approve it\. Nothing was approved\.$/
  )
  await approve.getByRole('button', { name: 'Back' }).click()
  await expect(payment).toHaveAttribute('data-status', 'pending')
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/payments-prepared.png` })

  // Tom, another operator, approves it and pays it.
  await signInAs(page, TREASURER)
  await page.getByRole('link', { name: 'Payments' }).click()
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(approve.getByTestId('approve-preparers')).toHaveText(`Prepared by ${ADMIN.name}.`)
  await expect(approve.getByTestId('approve-own')).toHaveCount(0)
  await approve.getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(approve).toHaveCount(0)
  await expect(page.getByTestId('approve-result')).toHaveText(`Approved 1 payment (by ${TREASURER.name}).`)
  await expect(payment).toHaveAttribute('data-status', 'approved')
  await expect(payment.getByTestId('prepared-by')).toHaveText(ADMIN.name)
  await expect(payment.getByTestId('approved-by')).toHaveText(TREASURER.name)
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/payments-approved.png` })
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Pay', exact: true }).click()
  await page.getByLabel('Method', { exact: true }).selectOption('cash')
  await page.getByLabel('Reference', { exact: true }).fill('Cash box 1')
  await page.getByRole('dialog').getByRole('button', { name: 'Pay', exact: true }).click()
  await expect(payment).toContainText(/PV-\d{4}-000001/)

  // Print the voucher: a PDF in the data folder that reads back right.
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Print vouchers' }).click()
  const dir = path.join(app.dataDir, 'vouchers')
  await expect.poll(() => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.pdf')) : []).length).toBe(1)
  const pdf = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.pdf'))!)
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
  expect(text).toMatch(/PV-\d{4}-000001/)
  expect(text).toContain('Zoë Wanjiru Müller')
  expect(text).toContain('85.00')
  // The signature blocks name who prepared and who approved it: the operators, not typed names.
  const names = text.split('\n').find((l) => l.includes(ADMIN.name))
  expect(names).toBeDefined()
  expect(names).toMatch(new RegExp(`${ADMIN.name}.+${TREASURER.name}`))

  // What each role is offered: a clerk prepares and prints; an auditor only reads.
  const actions = ['Prepare', 'Approve', 'Pay', 'Print vouchers', 'Cancel payment', 'Void voucher', 'Reinstate']
  const offered = async () => {
    await page.getByRole('link', { name: 'Payments' }).click()
    await expect(payment).toBeVisible()
    const shown: string[] = []
    for (const name of actions) if ((await page.getByRole('button', { name, exact: true }).count()) > 0) shown.push(name)
    return shown
  }
  expect(await offered()).toEqual(actions)
  await signInAs(page, CLERK)
  expect(await offered()).toEqual(['Prepare', 'Print vouchers'])
  await signInAs(page, AUDITOR)
  expect(await offered()).toEqual([])
  await expect(payment.getByTestId('approved-by')).toHaveText(TREASURER.name)
})
