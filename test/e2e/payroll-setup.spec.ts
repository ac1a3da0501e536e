import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { PROFILE } from './support/auth'
import { fieldError, nav, shooter, tabs } from './support/payroll'

test('payroll set-up: components (basic pay, a PAYE band table, a pension percentage), a staff member with a pay structure, a bad staff number refused next to its field', async ({
  launch
}) => {
  test.setTimeout(180_000)
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
        expect((await core.invoke('ledger.createAccount', { code: '2320', name: 'Pension payable', type: 'liability' })).ok).toBe(true)
      } finally {
        await core.shutdown()
      }
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 860 })
  const shot = shooter(page, 'payroll')

  // ---- Payroll → Components: nothing yet.
  await nav(page).getByRole('link', { name: 'Payroll' }).click()
  await expect(tabs(page).getByRole('link')).toHaveText(['Periods', 'Staff', 'Components', 'Calendars'])
  await tabs(page).getByRole('link', { name: 'Components' }).click()
  await expect(page.getByText('No pay components yet')).toBeVisible()

  // ---- BASIC: an earning, a fixed amount (each structure sets its own).
  await page.getByRole('button', { name: 'New component' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'New pay component' })).toBeVisible()
  // Earnings offer taxable and pro-rated, not the deduction's flags.
  await expect(page.getByLabel('Taxable', { exact: true })).toBeChecked()
  await expect(page.getByLabel('Before tax', { exact: true })).toHaveCount(0)
  await expect(page.getByLabel('Statutory', { exact: true })).toHaveCount(0)
  // An earning is never a band table.
  await expect(page.getByLabel('Method', { exact: true }).locator('option')).toHaveText(['Fixed amount', 'Percentage'])
  await page.getByLabel('Code', { exact: true }).fill('BASIC')
  await page.getByLabel('Name', { exact: true }).fill('Basic pay')
  await page.getByLabel('Expense account', { exact: true }).selectOption({ label: '5100 Salaries' })
  // The usual amount is required for a fixed amount: said next to it, nothing saved.
  await page.getByRole('button', { name: 'Save component' }).click()
  expect(await fieldError(page, 'Usual amount (Ksh)')).toBe('Enter an amount')
  await page.getByLabel('Usual amount (Ksh)', { exact: true }).fill('40,000')
  await page.getByRole('button', { name: 'Save component' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'BASIC · Basic pay' })).toBeVisible()
  await expect(page.getByTestId('component-notice')).toHaveText('BASIC was saved with its first rate.')
  await expect(page.getByTestId('component-current')).toContainText('Fixed amount (usually')
  await expect(page.getByTestId('component-current')).toContainText('40,000.00')

  // ---- PAYE: a statutory deduction, bands on taxable pay, a relief, rounded down.
  await page.getByRole('button', { name: '← Components' }).click()
  await page.getByRole('button', { name: 'New component' }).click()
  await page.getByLabel('Code', { exact: true }).fill('PAYE')
  await page.getByLabel('Name', { exact: true }).fill('Income tax (PAYE)')
  await page.getByLabel('Kind', { exact: true }).selectOption('deduction')
  await expect(page.getByLabel('Taxable', { exact: true })).toHaveCount(0)
  await page.getByLabel('Statutory', { exact: true }).check()
  await page.getByLabel('Owed to account', { exact: true }).selectOption({ label: '2310 Statutory deductions payable' })
  await page.getByLabel('Method', { exact: true }).selectOption('bands')
  await expect(page.getByLabel('On', { exact: true })).toHaveValue('taxable')
  await page.getByRole('button', { name: 'Add a band' }).click()
  await page.getByLabel('Band 1 up to', { exact: true }).fill('24000')
  await page.getByLabel('Band 1 rate', { exact: true }).fill('10')
  await page.getByLabel('Band 2 up to', { exact: true }).fill('32333')
  await page.getByLabel('Band 2 rate', { exact: true }).fill('25')
  // The last band has no upper bound.
  await expect(page.getByLabel('Band 3 up to', { exact: true })).toHaveCount(0)
  await expect(page.locator('[data-band="3"]').getByTestId('band-above')).toHaveText('and above')
  await page.getByLabel('Band 3 rate', { exact: true }).fill('30')
  await page.getByLabel('Relief (Ksh)', { exact: true }).fill('2400')
  await page.getByLabel('Rounding', { exact: true }).selectOption('down')
  await expect(page.getByText('Any part of a cent is dropped (12.349 → 12.34): the usual rule for income tax.')).toBeVisible()
  await shot('component-form-bands')
  await page.getByRole('button', { name: 'Save component' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'PAYE · Income tax (PAYE)' })).toBeVisible()
  const paye = page.getByTestId('component-current')
  await expect(paye).toContainText('Bands on taxable pay: 10% up to')
  await expect(paye).toContainText('24,000.00; 25% up to')
  await expect(paye).toContainText('32,333.00; 30% above; relief')
  await expect(page.getByRole('form', { name: 'Add a rate from a date' })).toBeVisible()
  await shot('component-detail')

  // ---- PENSION: a statutory deduction taken before tax, 6% of basic pay, at most 2,160.
  await page.getByRole('button', { name: '← Components' }).click()
  await page.getByRole('button', { name: 'New component' }).click()
  await page.getByLabel('Code', { exact: true }).fill('PENSION')
  await page.getByLabel('Name', { exact: true }).fill('Pension (staff share)')
  await page.getByLabel('Kind', { exact: true }).selectOption('deduction')
  await page.getByLabel('Before tax', { exact: true }).check()
  await page.getByLabel('Statutory', { exact: true }).check()
  await page.getByLabel('Owed to account', { exact: true }).selectOption({ label: '2320 Pension payable' })
  await page.getByLabel('Method', { exact: true }).selectOption('percentage')
  await page.getByLabel('Rate (%)', { exact: true }).fill('6')
  await expect(page.getByLabel('Of', { exact: true })).toHaveValue('basic')
  await page.getByLabel('Cap (Ksh)', { exact: true }).fill('2160')
  await page.getByRole('button', { name: 'Save component' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'PENSION · Pension (staff share)' })).toBeVisible()
  await expect(page.getByTestId('component-current')).toContainText('6% of basic pay, at most')

  // ---- The list: grouped by kind, the rate in words, statutory marked.
  await page.getByRole('button', { name: '← Components' }).click()
  const earnings = page.getByRole('table', { name: 'Earnings' })
  const deductions = page.getByRole('table', { name: 'Deductions' })
  await expect(earnings.locator('tbody tr')).toHaveCount(1)
  await expect(earnings.locator('[data-component-code="BASIC"]')).toContainText('Fixed amount')
  await expect(deductions.locator('tbody tr')).toHaveCount(2)
  await expect(deductions.locator('[data-component-code="PAYE"]')).toContainText('Statutory')
  await expect(deductions.locator('[data-component-code="PAYE"]').getByTestId('rate-words')).toContainText('Bands on taxable pay')
  await expect(deductions.locator('[data-component-code="PENSION"]').getByTestId('rate-words')).toContainText('6% of basic pay')
  await expect(page.getByText('No employer contributions yet')).toBeVisible()
  await shot('components')

  // ---- Staff: a bad staff number is refused next to its field.
  await tabs(page).getByRole('link', { name: 'Staff' }).click()
  await expect(page.getByText('No staff yet')).toBeVisible()
  await page.getByRole('button', { name: 'New staff member' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'New staff member' })).toBeVisible()
  await page.getByLabel('Staff number', { exact: true }).fill('S 001')
  await page.getByLabel('Full name', { exact: true }).fill('Wanjiku Njoroge')
  await page.getByLabel('Tax PIN', { exact: true }).fill('A001234567Z')
  await page.getByLabel('Hire date', { exact: true }).fill('2024-03-01')
  await page.getByRole('button', { name: 'Save staff member' }).click()
  expect(await fieldError(page, 'Staff number')).toBe('Staff number may hold letters, digits and . _ / - only, starting with a letter or digit')
  await expect(page.getByLabel('Staff number', { exact: true })).toBeFocused()
  await shot('staff-form-error')
  await page.getByLabel('Staff number', { exact: true }).fill('S001')
  await expect(page.getByLabel('Staff number', { exact: true })).not.toHaveAttribute('aria-invalid', 'true')
  await page.getByRole('button', { name: 'Save staff member' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Wanjiku Njoroge' })).toBeVisible()
  await expect(page.getByTestId('staff-notice')).toContainText('Wanjiku Njoroge was saved. Give them a pay structure')
  await expect(page.getByTestId('structures-empty')).toBeVisible()

  // ---- Her pay structure from today: basic 50,000, PAYE by its bands, pension at the component's rate.
  await page.getByTestId('new-structure').click()
  const editor = page.getByRole('dialog', { name: 'New pay structure' })
  await editor.getByLabel('Row 1 component', { exact: true }).selectOption({ label: 'BASIC · Basic pay (earning)' })
  await editor.getByLabel('Row 1 amount', { exact: true }).fill('50000')
  await editor.getByRole('button', { name: 'Add component' }).click()
  await editor.getByLabel('Row 2 component', { exact: true }).selectOption({ label: 'PAYE · Income tax (PAYE) (deduction)' })
  await expect(editor.getByLabel('Row 2 amount', { exact: true })).toHaveCount(0)
  await editor.getByRole('button', { name: 'Add component' }).click()
  // A component appears once: BASIC and PAYE are no longer offered.
  await expect(editor.getByLabel('Row 3 component', { exact: true }).locator('option')).toHaveText(['Choose a component…', 'PENSION · Pension (staff share) (deduction)'])
  await editor.getByLabel('Row 3 component', { exact: true }).selectOption({ label: 'PENSION · Pension (staff share) (deduction)' })
  await expect(editor.getByLabel('Row 3 own rate', { exact: true })).toHaveAttribute('placeholder', '6%')
  await shot('structure-editor')
  await editor.getByRole('button', { name: 'Save structure' }).click()
  await expect(editor).toHaveCount(0)
  await expect(page.getByTestId('staff-notice')).toContainText('was saved.')
  const structure = page.locator('.payroll-structure')
  await expect(structure).toHaveCount(1)
  await expect(structure).toContainText('In force')
  await expect(structure.locator('[data-component-code="BASIC"]')).toContainText('50,000.00')
  await expect(structure.locator('[data-component-code="PAYE"]')).toContainText('By its bands')
  await expect(structure.locator('[data-component-code="PENSION"]')).toContainText('Component’s rate')
  await expect(page.getByTestId('payslips-empty')).toBeVisible()
  await shot('staff-detail')

  // ---- A second person given the same number: core refuses it, next to the field.
  await page.getByRole('button', { name: '← Staff' }).click()
  await page.getByRole('button', { name: 'New staff member' }).click()
  await page.getByLabel('Staff number', { exact: true }).fill('S001')
  await page.getByLabel('Full name', { exact: true }).fill('Otieno Ouma')
  await page.getByRole('button', { name: 'Save staff member' }).click()
  expect(await fieldError(page, 'Staff number')).toBe('Already used by Wanjiku Njoroge')
  await page.getByLabel('Staff number', { exact: true }).fill('S002')
  await page.getByRole('button', { name: 'Save staff member' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Otieno Ouma' })).toBeVisible()

  // ---- The list: both, hers with her basic pay, his without a structure; the search finds one.
  await page.getByRole('button', { name: '← Staff' }).click()
  const table = page.getByRole('table', { name: 'Staff' })
  await expect(table.locator('tbody tr')).toHaveCount(2)
  await expect(table.locator('[data-staff-no="S001"]')).toContainText('Wanjiku Njoroge')
  await expect(table.locator('[data-staff-no="S001"]')).toContainText('50,000.00')
  await expect(table.locator('[data-staff-no="S001"]')).toContainText('Active')
  await expect(table.locator('[data-staff-no="S002"]')).toContainText('No pay structure')
  await page.getByLabel('Search', { exact: true }).fill('Otieno')
  await expect(table.locator('tbody tr')).toHaveCount(1)
  await expect(table.locator('tbody tr')).toContainText('Otieno Ouma')
  await page.getByLabel('Search', { exact: true }).fill('')
  await expect(table.locator('tbody tr')).toHaveCount(2)
  await shot('staff-list')
})
