import type { Page } from '@playwright/test'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { prepareAndApprove } from '../support/operators'

/**
 * Warnings before risky actions, through the window: core refuses with the
 * warnings, the window shows them over the action's dialog with the way back
 * (nothing changed) and the action "anyway".
 */

const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }
const SHOTS = process.env.COFFER_SHOTS_DIR
const SERIES = {
  code: 'UMJ-30',
  name: 'Umoja 12% 2030',
  faceValueMinor: 100_000,
  couponRatePercent: '12',
  frequency: 'monthly',
  dayCount: '30/360',
  issueDate: '2025-01-01',
  maturityDate: '2030-01-01',
  firstCouponDate: null,
  endOfMonth: false,
  businessDay: 'unadjusted',
  withholdingTaxPercent: '15'
}

type Ok<T> = { ok: true; value: T }
const ok = <T>(r: unknown): T => {
  const e = r as Ok<T> | { ok: false; error: unknown }
  if (!e.ok) throw new Error(`seed failed: ${JSON.stringify(e.error)}`)
  return e.value
}

/** Wanjiku holds 40 units and is owed two approved payments (an early redemption's principal and interest). */
async function seed(dir: string) {
  const core = openTestCore(dir)
  ok(await core.invoke('profile.save', PROFILE))
  const wanjiku = ok<{ id: number }>(await core.invoke('members.create', { memberNo: 'M-00012', fullName: 'Wanjiku Kamau', joinedOn: '2025-01-01' }))
  ok(await core.invoke('members.create', { memberNo: 'M-00013', fullName: 'Otieno Ouma', joinedOn: '2025-06-01' }))
  const series = ok<{ id: number }>(await core.invoke('bonds.createSeries', SERIES))
  ok(await core.invoke('bonds.buyHolding', { memberId: wanjiku.id, seriesId: series.id, units: 40, purchaseDate: '2025-01-01' }))
  const early = ok<{ id: number; version: number }>(
    await core.invoke('bonds.buyHolding', { memberId: wanjiku.id, seriesId: series.id, units: 5, purchaseDate: '2025-01-01' })
  )
  ok(await core.invoke('bonds.redeemHolding', { id: early.id, expectedVersion: early.version, redeemedOn: '2025-03-05' }))
  const pending = ok<{ rows: { id: number }[] }>(await core.invoke('payments.list', { status: 'pending' })).rows
  // Two people: Ada prepares them, Tom approves them.
  await prepareAndApprove(core, pending.map((p) => p.id))
  ok(await core.invoke('holidays.save', { date: '2026-06-01', name: 'Madaraka Day' }))
  await core.shutdown()
}

const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/warnings-${name}.png` })
}

test('a cheque without a number, a voucher pattern changed mid-year and deactivating a member with bonds and money owed ask first', async ({
  launch
}) => {
  test.setTimeout(180_000)
  const app = await launch({ prepare: seed })
  const page = app.page

  // Pay one approved payment by cheque with no cheque number.
  await page.getByRole('link', { name: 'Payments' }).click()
  const table = page.getByRole('table', { name: 'Payments' }).or(page.getByRole('grid', { name: 'Payments' }))
  const row = table.locator('[data-payment-id][data-status="approved"]').first()
  await expect(row).toContainText('Wanjiku Kamau')
  const id = await row.getAttribute('data-payment-id')
  const paying = table.locator(`[data-payment-id="${id}"]`)
  await paying.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Pay', exact: true }).click()
  const payDialog = page.getByRole('dialog', { name: /^Pay 1 payment/ })
  await payDialog.getByLabel('Method', { exact: true }).selectOption('cheque')
  await payDialog.getByRole('button', { name: 'Pay', exact: true }).click()

  const chequeWarning = page.getByRole('dialog', { name: 'Pay without a cheque number?' })
  await expect(chequeWarning).toContainText(/No cheque number is given for 1 payment paid by cheque on .+ \(net Ksh.+\): its voucher will not say which cheque paid it\./)
  await expect(chequeWarning.getByRole('button', { name: 'Back' })).toBeFocused()
  await shot(page, 'cheque')

  // Back: nothing paid, the pay dialog as it was.
  await chequeWarning.getByRole('button', { name: 'Back' }).click()
  await expect(chequeWarning).toHaveCount(0)
  await expect(payDialog.getByLabel('Method', { exact: true })).toHaveValue('cheque')
  await expect(paying).toHaveAttribute('data-status', 'approved')

  // Again, and anyway: paid with the next voucher number.
  await payDialog.getByRole('button', { name: 'Pay', exact: true }).click()
  await chequeWarning.getByRole('button', { name: 'Pay anyway' }).click()
  await expect(payDialog).toHaveCount(0)
  await expect(paying).toHaveAttribute('data-status', 'paid')
  await expect(paying).toContainText(/PV-\d{4}-000001/)

  // Settings: a new voucher pattern now that this year has a voucher.
  await page.getByRole('link', { name: 'Settings' }).click()
  const pattern = page.getByLabel('Voucher number pattern', { exact: true })
  await expect(pattern).toHaveValue('PV-{YYYY}-{SEQ:6}')
  await pattern.fill('UMJ/{YY}/{SEQ:4}')
  await page.getByRole('button', { name: 'Save bond settings' }).click()
  const patternWarning = page.getByRole('dialog', { name: 'Change the voucher pattern in the middle of the year?' })
  await expect(patternWarning).toContainText(
    /1 voucher is already numbered in (\d{4}) \(PV-\1-000001\) under the pattern PV-\{YYYY\}-\{SEQ:6\}\. With UMJ\/\{YY\}\/\{SEQ:4\} the next would be UMJ\/\d{2}\/0002/
  )
  await shot(page, 'voucher-pattern')
  await patternWarning.getByRole('button', { name: 'Back' }).click()
  await expect(patternWarning).toHaveCount(0)
  await page.reload()
  await expect(page.getByLabel('Voucher number pattern', { exact: true })).toHaveValue('PV-{YYYY}-{SEQ:6}')
  await page.getByLabel('Voucher number pattern', { exact: true }).fill('UMJ/{YY}/{SEQ:4}')
  await page.getByRole('button', { name: 'Save bond settings' }).click()
  await patternWarning.getByRole('button', { name: 'Change pattern anyway' }).click()
  await expect(patternWarning).toHaveCount(0)
  await expect(page.getByTestId('voucher-preview')).toContainText(/UMJ\/\d{2}\/0123/)

  // Deactivate Wanjiku: she still holds 40 units and is owed the other payment.
  await page.getByRole('link', { name: 'Members' }).click()
  await page.locator('[data-member-id]').filter({ hasText: 'Wanjiku Kamau' }).click()
  await page.getByRole('button', { name: 'Deactivate', exact: true }).click()
  await page.getByRole('dialog').getByRole('textbox').fill('Moved to Kisumu')
  await page.getByRole('button', { name: 'Deactivate member' }).click()
  const memberWarning = page.getByRole('dialog', { name: 'Deactivate a member with bonds or payments open?' })
  await expect(memberWarning.locator('[data-warning="member-holds-bonds"]')).toHaveText(
    'M-00012 Wanjiku Kamau still holds 40 units of UMJ-30: their coupons and redemptions will still fall due.'
  )
  await expect(memberWarning.locator('[data-warning="member-is-owed"]')).toHaveText(
    /^M-00012 Wanjiku Kamau is owed Ksh.+ \(net\) in 1 unpaid payment \(pending or approved\)\.$/
  )
  await shot(page, 'deactivate')
  await memberWarning.getByRole('button', { name: 'Back' }).click()
  await expect(memberWarning).toHaveCount(0)
  await expect(page.getByTestId('member-status')).toHaveText('Active')
  await page.getByRole('button', { name: 'Deactivate member' }).click()
  await memberWarning.getByRole('button', { name: 'Deactivate anyway' }).click()
  await expect(page.getByTestId('member-status')).toHaveText('Inactive')
  await expect(page.getByText('Moved to Kisumu').first()).toBeVisible()
})

test('a holiday on a date that has one is refused next to the date and edited explicitly; a purchase before joining asks first', async ({
  launch
}) => {
  test.setTimeout(120_000)
  const app = await launch({ prepare: seed })
  const page = app.page

  await page.getByRole('link', { name: 'Bonds' }).click()
  await page.getByRole('link', { name: 'Holidays' }).click()
  const form = page.getByRole('form', { name: 'Add a holiday' })
  await form.getByLabel('Date', { exact: true }).fill('2026-06-01')
  await form.getByLabel('Name', { exact: true }).fill('Madaraka (observed)')
  await form.getByRole('button', { name: 'Add holiday' }).click()
  await expect(form.locator('.field-error')).toHaveText('1 Jun 2026 is already a holiday: Madaraka Day. Edit it instead.')
  await expect(page.locator('[data-holiday="2026-06-01"]')).toContainText('Madaraka Day')
  await shot(page, 'holiday')

  await form.getByRole('button', { name: 'Edit Madaraka Day' }).click()
  const edit = page.getByRole('dialog', { name: /^Edit the holiday on 1 Jun 2026/ })
  await expect(edit.getByLabel('Name', { exact: true })).toHaveValue('Madaraka (observed)')
  await shot(page, 'holiday-edit')
  await edit.getByRole('button', { name: 'Save holiday' }).click()
  await expect(edit).toHaveCount(0)
  await expect(page.locator('[data-holiday="2026-06-01"]')).toContainText('Madaraka (observed)')
  await expect(form.locator('.field-error')).toHaveCount(0)
  // The row's own Edit.
  await page.getByRole('button', { name: 'Edit Madaraka (observed)' }).click()
  await edit.getByLabel('Name', { exact: true }).fill('Madaraka Day')
  await edit.getByRole('button', { name: 'Save holiday' }).click()
  await expect(page.locator('[data-holiday="2026-06-01"]')).toContainText('Madaraka Day')

  // Otieno joined on 1 June 2025: units bought on 1 February 2025 ask first.
  await page.getByRole('link', { name: 'Series' }).first().click()
  await page.getByRole('link', { name: 'UMJ-30' }).first().click()
  await page.getByRole('button', { name: 'Buy units' }).click()
  await page.getByLabel('Member', { exact: true }).fill('Otieno')
  await page.getByRole('option', { name: /Otieno Ouma/ }).or(page.getByRole('button', { name: /Otieno Ouma/ })).first().click()
  await page.getByLabel('Units', { exact: true }).fill('10')
  await page.getByLabel('Purchase date', { exact: true }).fill('2025-02-01')
  await page.getByRole('button', { name: 'Save holding', exact: true }).click()
  const buyWarning = page.getByRole('dialog', { name: 'Record a purchase from before the member joined?' })
  await expect(buyWarning).toContainText('M-00013 Otieno Ouma joined on 1 Jun 2025; this purchase is dated 1 Feb 2025, before they joined.')
  await shot(page, 'purchase-before-joining')
  await buyWarning.getByRole('button', { name: 'Back' }).click()
  await expect(buyWarning).toHaveCount(0)
  await expect(page.getByRole('table', { name: 'Holdings' })).not.toContainText('Otieno Ouma')
  await page.getByRole('button', { name: 'Save holding', exact: true }).click()
  await buyWarning.getByRole('button', { name: 'Save holding anyway' }).click()
  await expect(page.getByRole('table', { name: 'Holdings' })).toContainText('Otieno Ouma')
})
