import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { PROFILE, TREASURER, seedOperator, signInAs } from './support/auth'
import { asOperator } from '../support/operators'
import { NOV, OCT, SHOTS, go, ok, seedComponents, shooter, singlePeriod, staff } from './support/payroll'

/**
 * The book: payroll components (basic pay, pension, income tax in bands, the
 * employer's pension) on their accounts; Alice and Bob paid in October and
 * November (Bob's basic pay rises in November by a third), Carol paid in
 * October and gone by November, Dan hired on 16 November (half the month).
 * October is drafted; Tom the treasurer is the second operator.
 */
async function prepare(dir: string): Promise<void> {
  const core = openTestCore(dir)
  try {
    await ok(core, 'profile.save', PROFILE)
    const { items } = await seedComponents(core, { employerPension: true })
    const structure = (staffId: number, effectiveFrom: string, basicMinor: number) => ok(core, 'payroll.saveStructure', { staffId, effectiveFrom, items: items(basicMinor) })
    await structure(await staff(core, 'S-001', 'Alice Achieng'), '2025-01-01', 5_000_000)
    const bob = await staff(core, 'S-002', 'Bob Otieno')
    await structure(bob, '2025-01-01', 3_000_000)
    await structure(bob, NOV.start, 4_000_000)
    await structure(await staff(core, 'S-003', 'Carol Wanjiru', { leavingDate: OCT.end, status: 'left' }), '2025-01-01', 2_000_000)
    await structure(await staff(core, 'S-004', 'Dan Kiprono', { hireDate: '2026-11-16' }), '2026-11-16', 3_000_000)
    // October, a single period drafted by hand: the one November is compared with.
    const oct = await singlePeriod(core, 'October 2026', OCT)
    await ok(core, 'payroll.run', { periodId: oct })
    await seedOperator(core, { ...TREASURER, role: 'treasurer' })
    // Tom approves October (Ada drafted it): a period in each state on the list.
    const detail = await ok<{ period: { version: number } }>(core, 'payroll.period', { id: oct })
    await asOperator(core, TREASURER, () => ok(core, 'payroll.approve', { id: oct, expectedVersion: detail.period.version }))
  } finally {
    await core.shutdown()
  }
}

test('a pay period: made on the New period page, drafted, reviewed with its highlights and payslips, refused to the one who drafted it, approved by a second operator, posted, its payslips printed', async ({
  launch
}) => {
  test.setTimeout(240_000)
  const app = await launch({ prepare })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 900 })
  const shot = shooter(page, 'payroll')

  // ---- The list: October, approved, with its staff and pay.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payroll' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Payroll' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Payroll' }).getByRole('link', { name: 'Periods' })).toHaveClass(/is-current/)
  const october = page.locator('tr[data-period-id]').filter({ hasText: 'October 2026' })
  await expect(october).toHaveAttribute('data-status', 'approved')
  await expect(october.locator('td').nth(5)).toHaveText('3')
  await page.getByLabel('Status', { exact: true }).selectOption('posted')
  await expect(page.getByText('No pay periods match these filters.')).toBeVisible()
  await page.getByLabel('Status', { exact: true }).selectOption('all')
  await expect(october).toBeVisible()
  await shot('periods')

  // ---- New period: a single one for November, drafted by hand (automation off).
  await page.getByRole('button', { name: 'New period' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'New pay period' })).toBeVisible()
  await page.getByRole('button', { name: 'Create period' }).click()
  await expect(page.getByText('Choose the first day')).toBeVisible()
  await page.getByLabel('Name', { exact: true }).fill('November 2026')
  await page.getByLabel('Start date').fill(NOV.start)
  await page.getByLabel('End date').fill(NOV.end)
  await page.getByLabel('Pay date').fill(NOV.end)
  await page.getByLabel('Drafted', { exact: true }).selectOption('on-date')
  await page.getByLabel('Run on').fill(NOV.end)
  await page.getByLabel('Automation').uncheck()
  await page.getByRole('button', { name: 'Create period' }).click()

  await expect(page.getByRole('heading', { level: 1, name: 'November 2026' })).toBeVisible()
  await expect(page.getByTestId('period-status')).toHaveText('Not drafted yet')
  await expect(page.getByTestId('register-not-drafted')).toBeVisible()
  const periodUrl = page.url()

  // ---- Dry run first: what it would make, nothing written.
  await page.getByRole('button', { name: 'Dry run', exact: true }).click()
  const dry = page.getByRole('dialog', { name: 'Dry run of November 2026' })
  await expect(dry.getByTestId('run-report')).toHaveAttribute('data-dry-run', 'yes')
  await expect(dry.getByTestId('run-outcome')).toHaveText('Drafted')
  await expect(dry).toContainText('3 payslips would be made')
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/payroll-dry-run-1280.png` })
  await dry.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByTestId('period-status')).toHaveText('Not drafted yet')

  // ---- Draft now.
  await page.getByRole('button', { name: 'Draft now' }).click()
  const draft = page.getByRole('dialog', { name: 'Draft November 2026 now?' })
  await draft.getByTestId('run-confirm').click()
  await expect(draft.getByTestId('run-report')).toHaveAttribute('data-dry-run', 'no', { timeout: 60_000 })
  await expect(draft.getByTestId('run-outcome')).toHaveText('Drafted')
  await draft.getByRole('button', { name: 'Close' }).click()
  await expect(page.getByTestId('period-status')).toHaveText('Draft, to review')

  // ---- The register: Alice as before, Bob's net changed, Carol left, Dan new for half the month.
  const row = (no: string) => page.locator(`tr[data-staff-no="${no}"]`)
  await expect(row('S-001')).toBeVisible()
  await expect(row('S-001')).not.toHaveAttribute('data-changes', /./)
  await expect(row('S-002')).toHaveAttribute('data-changes', /net-changed/)
  await expect(row('S-002')).toHaveClass(/register-changed/)
  await expect(row('S-002').getByTestId('net-change')).toContainText('+')
  await expect(row('S-003')).toHaveAttribute('data-changes', 'left')
  await expect(row('S-004')).toHaveAttribute('data-changes', 'new')
  await expect(row('S-004').locator('td').nth(2)).toHaveText('15/30')
  await expect(page.getByTestId('register-legend')).toContainText('Compared with October 2026; a net change over 10% is marked.')
  await expect(page.getByTestId('register-totals')).toContainText('Total, 3 staff')
  await expect(page.getByTestId('statutory')).toContainText('Income tax')
  await expect(page.getByTestId('statutory-total')).not.toHaveText('0.00')
  const aliceNet = (await row('S-001').locator('td').nth(5).textContent())!.trim()
  expect(aliceNet).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/)
  await shot('period-draft')

  // "To check" shows only the marked rows.
  await page.getByRole('button', { name: /^To check/ }).click()
  await expect(row('S-001')).toHaveCount(0)
  await expect(row('S-002')).toBeVisible()
  await page.getByRole('button', { name: /^All / }).click()

  // ---- Dan's payslip: each line with its workings, half the month.
  await row('S-004').click()
  const slip = page.getByRole('dialog', { name: 'Payslip: Dan Kiprono' })
  await expect(slip.getByTestId('payslip-proration')).toContainText('15 of 30 days')
  await expect(slip.locator('tr[data-code="BASIC"]')).toContainText('15,000.00')
  await expect(slip.locator('tr[data-code="PENSION"] .payslip-workings')).not.toBeEmpty()
  await expect(slip.locator('tr[data-code="PAYE"] .payslip-workings')).not.toBeEmpty()
  await shot('payslip')
  await slip.getByRole('button', { name: 'Close' }).click()

  // ---- Ada drafted it: her approval is refused, with core's reason in the dialog.
  await page.getByRole('button', { name: 'Approve', exact: true }).click()
  const approveAda = page.getByRole('dialog', { name: 'Approve November 2026?' })
  await approveAda.getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(approveAda.getByRole('alert')).toBeVisible()
  await expect(approveAda.getByRole('alert')).not.toBeEmpty()
  await approveAda.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByTestId('period-status')).toHaveText('Draft, to review')

  // ---- Tom approves and posts.
  await signInAs(page, TREASURER)
  await page.goto(periodUrl)
  await expect(page.getByRole('heading', { level: 1, name: 'November 2026' })).toBeVisible()
  await page.getByRole('button', { name: 'Approve', exact: true }).click()
  await page.getByRole('dialog', { name: 'Approve November 2026?' }).getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(page.getByTestId('period-notice')).toHaveText(`November 2026 is approved by ${TREASURER.name}: it can be posted.`)
  await expect(page.getByTestId('period-status')).toHaveText('Approved')
  await page.getByRole('button', { name: 'Post', exact: true }).click()
  const post = page.getByRole('dialog', { name: 'Post November 2026?' })
  await expect(post.getByTestId('post-explain')).toContainText('30 Nov 2026')
  await post.getByRole('button', { name: 'Post', exact: true }).click()
  await expect(page.getByTestId('period-status')).toHaveText('Posted')
  await expect(page.getByTestId('period-notice')).toContainText(/is posted as entry #\d+ on 30 Nov 2026\./)
  await expect(page.getByTestId('period-entry')).toBeVisible()
  await expect(page.locator('tr[data-action="posted"]')).toHaveCount(1)
  await expect(page.getByRole('button', { name: 'Run again…' })).toBeVisible()

  // ---- The payslips as one PDF: read back, Alice's net as the register shows it.
  await page.getByRole('button', { name: 'Payslips PDF' }).click()
  const saved = page.getByTestId('saved-file')
  await expect(saved).toBeVisible()
  const file = (await saved.locator('code').textContent())!.trim()
  expect(file.endsWith('.pdf')).toBe(true)
  expect(fs.existsSync(file)).toBe(true)
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  expect(text).toContain('Alice Achieng')
  expect(text).toContain('Dan Kiprono')
  expect(text).toContain('November 2026')
  expect(text).toContain(aliceNet)
  await shot('period-posted')
})

test('pay calendars and Settings → Payroll: a calendar with a cron rule described, its next period due; a bad threshold refused by its field', async ({ launch }) => {
  test.setTimeout(120_000)
  const app = await launch({ prepare })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 900 })

  await go(page, '/payroll/calendars')
  await expect(page.getByRole('heading', { level: 1, name: 'Payroll' })).toBeVisible()
  await page.getByRole('button', { name: 'New calendar' }).click()
  await page.getByLabel('Name', { exact: true }).fill('Monthly staff')
  await page.getByLabel('First period starts').fill('2026-12-01')
  await page.getByLabel('Drafted', { exact: true }).selectOption('cron')
  await page.getByLabel('Cron expression').fill('0 10 25 * *')
  await expect(page.getByTestId('cron-words')).toContainText('next', { timeout: 10_000 })
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/payroll-calendar-form-1280.png`, fullPage: true })
  await page.getByRole('button', { name: 'Create calendar' }).click()
  const cal = page.locator('tr[data-calendar-id]').filter({ hasText: 'Monthly staff' })
  await expect(cal.getByTestId('calendar-next')).toContainText('Due 25 Dec 2026')
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/payroll-calendars-1280.png`, fullPage: true })

  await go(page, '/settings')
  const field = page.getByLabel('Net pay change marked above (%)')
  await expect(field).toHaveValue('10')
  await field.fill('abc')
  await page.getByRole('button', { name: 'Save payroll settings' }).click()
  const section = page.locator('section.payroll-settings')
  await expect(section.locator('.field-error')).toContainText('percentage like 7.5')
  await field.fill('12.5')
  await page.getByRole('button', { name: 'Save payroll settings' }).click()
  await expect(section.getByText('Saved')).toBeVisible()
})
