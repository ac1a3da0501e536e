import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { PROFILE, TREASURER, seedOperator } from './support/auth'
import { asOperator } from '../support/operators'
import { addDays, addMonths, formatCalendarDate } from '../../src/shared/dates'
import { fieldError, go, ok, seedComponents, shooter, singlePeriod, staff, tabs, todayInZone } from './support/payroll'

/** A date as the app shows it in en-KE ("12 Mar 2026"). */
const shown = (date: string) => formatCalendarDate(date, PROFILE.locale, 'medium')

/**
 * The dates, from today: a month two months back, posted (Alice paid in it);
 * Bob hired the month after it, with a structure from his hire date; this
 * month's first day (passed, or today) and next month's (to come); PAYE's
 * bands for next year from its 1 January.
 */
function dates() {
  const today = todayInZone()
  const thisMonth = `${today.slice(0, 8)}01`
  const posted = { start: addMonths(thisMonth, -2), end: addDays(addMonths(thisMonth, -1), -1) }
  const hire = addMonths(thisMonth, -1)
  return {
    today,
    posted,
    hire,
    /** Bob's second structure: from this month's first day, a date the clock has passed (or reached). */
    passed: thisMonth,
    /** Bob's third structure: from next month's first day, still to come. */
    coming: addMonths(thisMonth, 1),
    nextYear: `${Number(today.slice(0, 4)) + 1}-01-01`,
    /** A calendar's first week, a week on (no period of it starts by today, so the job makes none while the test runs). */
    calendarStart: addDays(today, 7)
  }
}

/**
 * The book: BASIC (fixed), HOUSING (a fixed allowance only Bob has), PAYE
 * (bands) and PENSION (a percentage); Alice, hired long ago, paid in a
 * posted period two months back (her structure and the rates it used are
 * locked); Bob, hired after it, with a structure from his hire date.
 */
async function prepare(dir: string): Promise<void> {
  const d = dates()
  const core = openTestCore(dir)
  try {
    await ok(core, 'profile.save', PROFILE)
    const { basic, housing, pension, paye } = await seedComponents(core, { housing: true })
    const alice = await staff(core, 'S-001', 'Alice Achieng', { hireDate: '2020-01-01' })
    await ok(core, 'payroll.saveStructure', {
      staffId: alice,
      effectiveFrom: '2020-01-01',
      items: [{ componentId: basic, amountMinor: 5_000_000 }, { componentId: pension }, { componentId: paye }]
    })
    const bob = await staff(core, 'S-002', 'Bob Otieno', { hireDate: d.hire })
    await ok(core, 'payroll.saveStructure', {
      staffId: bob,
      effectiveFrom: d.hire,
      items: [{ componentId: basic, amountMinor: 3_000_000 }, { componentId: housing!, amountMinor: 500_000 }, { componentId: pension }, { componentId: paye }]
    })
    // The period two months back: drafted by Ada, approved by Tom, posted by Ada.
    const period = await singlePeriod(core, 'Posted month', d.posted)
    await ok(core, 'payroll.run', { periodId: period })
    await seedOperator(core, { ...TREASURER, role: 'treasurer' })
    const drafted = await ok<{ period: { version: number; status: string } }>(core, 'payroll.period', { id: period })
    expect(drafted.period.status).toBe('draft')
    const approved = await asOperator(core, TREASURER, () => ok<{ version: number }>(core, 'payroll.approve', { id: period, expectedVersion: drafted.period.version }))
    const posted = await ok<{ status: string }>(core, 'payroll.post', { id: period, expectedVersion: approved.version })
    expect(posted.status).toBe('posted')
  } finally {
    await core.shutdown()
  }
}

test('payroll set-up changed: a staff member edited (leaving dates refused by their field), pay structures replaced, added from a passed and a coming date, deleted, and locked by a posted payroll', async ({
  launch
}) => {
  test.setTimeout(180_000)
  const d = dates()
  const app = await launch({ prepare })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 860 })
  const shot = shooter(page, 'payroll-edit')

  // ---- Bob's page, then Edit.
  await go(page, '/payroll/staff')
  const table = page.getByRole('table', { name: 'Staff' })
  await expect(table.locator('tbody tr')).toHaveCount(2)
  await table.locator('[data-staff-no="S-002"]').getByText('Bob Otieno').click()
  await expect(page.getByRole('heading', { level: 1, name: 'Bob Otieno' })).toBeVisible()
  await page.getByRole('button', { name: 'Edit', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Bob Otieno' })).toBeVisible()
  await expect(page.getByLabel('Hire date', { exact: true })).toHaveValue(d.hire)

  // A leaving date before the hire date: refused by core, said next to the leaving date, nothing saved.
  await page.getByLabel('Leaving date', { exact: true }).fill(addDays(d.hire, -1))
  await page.getByRole('button', { name: 'Save changes' }).click()
  expect(await fieldError(page, 'Leaving date')).toBe('The leaving date is before the hire date')
  await expect(page.getByLabel('Leaving date', { exact: true })).toBeFocused()
  await shot('staff-edit-error')

  // Left, with no leaving date: refused next to the leaving date too.
  await page.getByLabel('Leaving date', { exact: true }).fill('')
  await expect(page.getByLabel('Leaving date', { exact: true })).not.toHaveAttribute('aria-invalid', 'true')
  await page.getByLabel('Status', { exact: true }).selectOption('left')
  await page.getByRole('button', { name: 'Save changes' }).click()
  expect(await fieldError(page, 'Leaving date')).toBe('Give the leaving date of someone who has left')
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Bob Otieno' })).toBeVisible()

  // A good edit: his full name, his bank, a leaving date next year; still active.
  const leaving = `${d.nextYear.slice(0, 4)}-06-30`
  await page.getByLabel('Status', { exact: true }).selectOption('active')
  await page.getByLabel('Full name', { exact: true }).fill('Robert Otieno')
  await page.getByLabel('Bank', { exact: true }).fill('Equity Bank')
  await page.getByLabel('Bank account', { exact: true }).fill('0123456789')
  await page.getByLabel('Leaving date', { exact: true }).fill(leaving)
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Robert Otieno' })).toBeVisible()
  await expect(page.getByTestId('staff-notice')).toHaveText('Robert Otieno was saved.')
  await expect(page.getByTestId('staff-status')).toHaveText('Active')
  const fact = (label: string) => page.locator('.payroll-fact').filter({ has: page.locator('dt', { hasText: label }) }).locator('dd')
  await expect(fact('Leaving date')).toHaveText(shown(leaving))
  await expect(fact('Hire date')).toHaveText(shown(d.hire))
  await expect(fact('Bank')).toContainText('Equity Bank')
  await expect(fact('Bank')).toContainText('0123456789')

  // ---- His structure changed on its own date: replaced, still one.
  const structures = page.locator('.payroll-structure')
  const from = (date: string) => page.locator(`.payroll-structure[data-structure-from="${date}"]`)
  await expect(structures).toHaveCount(1)
  await expect(from(d.hire)).toContainText('In force')
  await expect(from(d.hire).locator('[data-component-code="BASIC"]')).toContainText('30,000.00')
  await page.getByRole('button', { name: `Change the structure from ${shown(d.hire)}` }).click()
  const change = page.getByRole('dialog', { name: 'Change pay structure' })
  await expect(change.getByLabel('Effective from', { exact: true })).toBeDisabled()
  await expect(change.getByLabel('Effective from', { exact: true })).toHaveValue(d.hire)
  await expect(change.getByLabel('Row 1 amount', { exact: true })).toHaveValue('30000.00')
  await change.getByLabel('Row 1 amount', { exact: true }).fill('32000')
  await change.getByRole('button', { name: 'Save structure' }).click()
  await expect(change).toHaveCount(0)
  await expect(page.getByTestId('staff-notice')).toHaveText(`The pay structure from ${shown(d.hire)} was saved.`)
  await expect(structures).toHaveCount(1)
  await expect(from(d.hire).locator('[data-component-code="BASIC"]')).toContainText('32,000.00')
  await expect(from(d.hire).locator('[data-component-code="HOUSING"]')).toContainText('5,000.00')

  // ---- A raise from this month's first day (the clock has passed it, or is on it): that one is in force now, the first no longer.
  await page.getByTestId('new-structure').click()
  let editor = page.getByRole('dialog', { name: 'New pay structure' })
  await expect(editor.getByLabel('Effective from', { exact: true })).toHaveValue(d.today)
  // Copied from the newest: the amounts are his current ones.
  await expect(editor.getByLabel('Row 1 amount', { exact: true })).toHaveValue('32000.00')
  await editor.getByLabel('Effective from', { exact: true }).fill(d.passed)
  await editor.getByLabel('Row 1 amount', { exact: true }).fill('35000')
  await editor.getByLabel('Note', { exact: true }).fill('Yearly raise')
  await editor.getByRole('button', { name: 'Save structure' }).click()
  await expect(editor).toHaveCount(0)
  await expect(page.getByTestId('staff-notice')).toHaveText(`The pay structure from ${shown(d.passed)} was saved.`)
  await expect(structures).toHaveCount(2)
  await expect(from(d.passed)).toContainText('In force')
  await expect(from(d.passed)).toContainText('Yearly raise')
  await expect(from(d.passed).locator('[data-component-code="BASIC"]')).toContainText('35,000.00')
  await expect(from(d.hire)).not.toContainText('In force')
  await expect(from(d.hire)).not.toContainText('Coming')
  await expect(fact('Basic pay')).toContainText('35,000.00')

  // ---- Another from next month's first day: coming, the raise still in force.
  await page.getByTestId('new-structure').click()
  editor = page.getByRole('dialog', { name: 'New pay structure' })
  await editor.getByLabel('Effective from', { exact: true }).fill(d.coming)
  await editor.getByLabel('Row 1 amount', { exact: true }).fill('38000')
  await editor.getByRole('button', { name: 'Save structure' }).click()
  await expect(editor).toHaveCount(0)
  await expect(structures).toHaveCount(3)
  // Newest first.
  await expect(structures.nth(0)).toHaveAttribute('data-structure-from', d.coming)
  await expect(structures.nth(1)).toHaveAttribute('data-structure-from', d.passed)
  await expect(structures.nth(2)).toHaveAttribute('data-structure-from', d.hire)
  await expect(from(d.coming)).toContainText('Coming')
  await expect(from(d.coming)).not.toContainText('In force')
  await expect(from(d.passed)).toContainText('In force')
  await expect(page.locator('.payroll-structure.is-in-force')).toHaveCount(1)
  await shot('staff-structures')

  // ---- The coming one deleted (nothing locks it).
  await page.getByRole('button', { name: `Delete the structure from ${shown(d.coming)}` }).click()
  const del = page.getByRole('dialog', { name: `Delete the structure from ${shown(d.coming)}?` })
  await del.getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(del).toHaveCount(0)
  await expect(page.getByTestId('staff-notice')).toHaveText(`The pay structure from ${shown(d.coming)} was deleted.`)
  await expect(structures).toHaveCount(2)
  await expect(from(d.coming)).toHaveCount(0)
  await expect(from(d.passed)).toContainText('In force')

  // ---- Alice's structure was used by a posted payroll: Locked, neither changed nor deleted here.
  await page.getByRole('button', { name: '← Staff' }).click()
  await expect(table.locator('[data-staff-no="S-002"]')).toContainText('Robert Otieno')
  await expect(table.locator('[data-staff-no="S-002"]')).toContainText('35,000.00')
  await table.locator('[data-staff-no="S-001"]').getByText('Alice Achieng').click()
  await expect(page.getByRole('heading', { level: 1, name: 'Alice Achieng' })).toBeVisible()
  const locked = from('2020-01-01')
  await expect(locked).toContainText('In force')
  await expect(locked.locator('.badge', { hasText: 'Locked' })).toBeVisible()
  await expect(locked.getByRole('button', { name: /^Delete the structure/ })).toHaveCount(0)
  await expect(locked.getByRole('button', { name: /^Change the structure/ })).toHaveCount(0)
  // Her posted payslip is listed.
  const slips = page.getByRole('table', { name: 'Last payslips' })
  await expect(slips.locator('tbody tr')).toHaveCount(1)
  await expect(slips.locator('tbody tr')).toContainText('Posted month')
  await expect(slips.locator('tbody tr')).toContainText('posted')
  await shot('staff-locked')
})

test('pay components changed: a name edited, a dated PAYE band table added and deleted, a rate locked by a posted payslip, switching off a component a structure pays refused naming the person', async ({
  launch
}) => {
  test.setTimeout(180_000)
  const d = dates()
  const app = await launch({ prepare })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 860 })
  const shot = shooter(page, 'payroll-edit')

  await go(page, '/payroll/components')
  const deductions = page.getByRole('table', { name: 'Deductions' })
  const earnings = page.getByRole('table', { name: 'Earnings' })
  await expect(deductions.locator('tbody tr')).toHaveCount(2)

  // ---- PENSION's name edited.
  await deductions.locator('[data-component-code="PENSION"]').getByText('PENSION', { exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'PENSION · Pension' })).toBeVisible()
  await page.getByRole('button', { name: 'Edit', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Edit PENSION' })).toBeVisible()
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Pension')
  await page.getByLabel('Name', { exact: true }).fill('')
  await page.getByRole('button', { name: 'Save changes' }).click()
  expect(await fieldError(page, 'Name')).not.toBe('')
  await page.getByLabel('Name', { exact: true }).fill('Pension (staff share)')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'PENSION · Pension (staff share)' })).toBeVisible()
  await expect(page.getByTestId('component-notice')).toHaveText('PENSION was saved.')
  await expect(page.getByTestId('component-current')).toContainText('5% of basic pay')

  // ---- PAYE: next year's band table from 1 January.
  await page.getByRole('button', { name: '← Components' }).click()
  await expect(deductions.locator('[data-component-code="PENSION"]')).toContainText('Pension (staff share)')
  await deductions.locator('[data-component-code="PAYE"]').getByText('PAYE', { exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'PAYE · Income tax' })).toBeVisible()
  const rates = page.getByRole('table', { name: 'Rates' })
  await expect(rates.locator('tbody tr')).toHaveCount(1)
  // The one rate was used by the posted payroll: locked.
  await expect(rates.locator('tr[data-rate-from="2020-01-01"]')).toContainText('Locked')
  const add = page.getByRole('form', { name: 'Add a rate from a date' })
  // It starts from the rate in force, with no date.
  await expect(add.getByLabel('Effective from', { exact: true })).toHaveValue('')
  await expect(add.getByLabel('Method', { exact: true })).toHaveValue('bands')
  // The same date as the locked rate: said before saving, and refused by core.
  await add.getByLabel('Effective from', { exact: true }).fill('2020-01-01')
  await expect(add.getByTestId('rate-replaces')).toContainText('locked')
  await add.getByLabel('Effective from', { exact: true }).fill(d.nextYear)
  await expect(add.getByTestId('rate-replaces')).toHaveCount(0)
  await add.getByLabel('Band 1 up to', { exact: true }).fill('28000')
  await add.getByLabel('Band 2 up to', { exact: true }).fill('36000')
  await add.getByLabel('Band 2 rate', { exact: true }).fill('25')
  await add.getByLabel('Band 3 rate', { exact: true }).fill('32.5')
  await add.getByLabel('Relief (Ksh)', { exact: true }).fill('2400')
  await add.getByLabel('Note', { exact: true }).fill('Finance Act')
  await add.getByRole('button', { name: 'Save rate' }).click()
  await expect(page.getByTestId('component-notice')).toHaveText(`The rate from ${shown(d.nextYear)} was saved.`)
  // The form starts the next rate from this one, without a date (it does not say it replaces the rate just saved).
  await expect(add.getByLabel('Effective from', { exact: true })).toHaveValue('')
  await expect(add.getByTestId('rate-replaces')).toHaveCount(0)
  await expect(rates.locator('tbody tr')).toHaveCount(2)
  // Newest first, each in words; this year's is still the one in force.
  await expect(rates.locator('tbody tr').nth(0)).toHaveAttribute('data-rate-from', d.nextYear)
  await expect(rates.locator('tbody tr').nth(1)).toHaveAttribute('data-rate-from', '2020-01-01')
  const newer = rates.locator(`tr[data-rate-from="${d.nextYear}"]`)
  const older = rates.locator('tr[data-rate-from="2020-01-01"]')
  await expect(newer.locator('td').nth(0)).toContainText(shown(d.nextYear))
  await expect(newer).toContainText('Bands on taxable pay: 10% up to')
  await expect(newer).toContainText('28,000.00; 25% up to')
  await expect(newer).toContainText('36,000.00; 32.5% above; relief')
  await expect(newer).toContainText('Finance Act')
  await expect(newer).not.toContainText('In force')
  await expect(older).toContainText('24,000.00; 25% up to')
  await expect(older).toContainText('32,333.00; 30% above; relief')
  await expect(older).toContainText('In force')
  await expect(older).toContainText('Locked')
  await expect(older.getByRole('button', { name: /^Delete/ })).toHaveCount(0)
  await expect(page.getByTestId('component-current')).toContainText('24,000.00')
  await shot('component-rates')

  // ---- The newer rate deleted.
  await newer.getByRole('button', { name: `Delete the rate from ${shown(d.nextYear)}` }).click()
  const del = page.getByRole('dialog', { name: `Delete the rate from ${shown(d.nextYear)}?` })
  await del.getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(del).toHaveCount(0)
  await expect(page.getByTestId('component-notice')).toHaveText(`The rate from ${shown(d.nextYear)} was deleted.`)
  await expect(rates.locator('tbody tr')).toHaveCount(1)
  await expect(newer).toHaveCount(0)

  // ---- HOUSING is in Bob's structure: switching it off is refused with core's words, naming him; it stays active.
  await page.getByRole('button', { name: '← Components' }).click()
  await earnings.locator('[data-component-code="HOUSING"]').getByText('HOUSING', { exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'HOUSING · Housing allowance' })).toBeVisible()
  await page.getByRole('button', { name: 'Deactivate', exact: true }).click()
  const off = page.getByRole('dialog', { name: 'Deactivate HOUSING?' })
  await off.getByRole('button', { name: 'Deactivate', exact: true }).click()
  await expect(off.getByRole('alert').locator('.banner-text')).toHaveText(
    'HOUSING is in the pay structure of S-002 Bob Otieno: give them a structure without it first, or their next payroll could not be worked out.'
  )
  await shot('component-deactivate-refused')
  await off.getByRole('button', { name: 'Back', exact: true }).click()
  await expect(off).toHaveCount(0)
  await expect(page.getByTestId('component-status')).toHaveText('Active')
})

test('a pay calendar: created weekly, its rule changed to a cron expression (a bad one refused next to its field), stopped and started again', async ({ launch }) => {
  test.setTimeout(120_000)
  const d = dates()
  const app = await launch({ prepare })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 860 })
  const shot = shooter(page, 'payroll-edit')

  await go(page, '/payroll/calendars')
  await expect(tabs(page).getByRole('link', { name: 'Calendars' })).toHaveClass(/is-current/)
  await expect(page.getByText('No pay calendars yet')).toBeVisible()

  // ---- Weekly, drafted two days before each week ends.
  await page.getByRole('button', { name: 'New calendar' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'New pay calendar' })).toBeVisible()
  await page.getByLabel('Name', { exact: true }).fill('Weekly casuals')
  await page.getByLabel('Frequency', { exact: true }).selectOption('weekly')
  await page.getByLabel('First period starts', { exact: true }).fill(d.calendarStart)
  await page.getByLabel('Paid days after the end', { exact: true }).fill('1')
  await expect(page.getByLabel('Drafted', { exact: true })).toHaveValue('days-before-end')
  await page.getByLabel('Days before the end', { exact: true }).fill('2')
  await page.getByRole('button', { name: 'Create calendar' }).click()
  const cal = page.locator('tr[data-calendar-id]').filter({ hasText: 'Weekly casuals' })
  await expect(cal).toHaveAttribute('data-active', 'yes')
  await expect(cal).toContainText(`Weekly from ${shown(d.calendarStart)}`)
  await expect(cal).toContainText('1 day after the end')
  await expect(cal.getByTestId('calendar-rule')).toHaveText('2 days before the period ends')
  // Its first week ends six days after it starts: due two days before.
  await expect(cal.getByTestId('calendar-next')).toContainText(`Due ${shown(addDays(d.calendarStart, 4))}`)

  // ---- Its rule changed to a cron expression: a bad one first.
  await cal.getByRole('link', { name: 'Weekly casuals' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Weekly casuals' })).toBeVisible()
  await expect(page.getByLabel('Frequency', { exact: true })).toHaveValue('weekly')
  await page.getByLabel('Drafted', { exact: true }).selectOption('cron')
  await page.getByLabel('Cron expression', { exact: true }).fill('0 25 * * 5')
  await page.getByRole('button', { name: 'Save calendar' }).click()
  expect(await fieldError(page, 'Cron expression')).toBe('The hour must be between 0 and 23 (got 25)')
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Weekly casuals' })).toBeVisible()
  await shot('calendar-cron-error')
  await page.getByLabel('Cron expression', { exact: true }).fill('0 9 * * 5')
  await expect(page.getByTestId('cron-words')).toContainText('next', { timeout: 10_000 })
  await expect(page.getByLabel('Cron expression', { exact: true })).not.toHaveAttribute('aria-invalid', 'true')
  await page.getByRole('button', { name: 'Save calendar' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Payroll' })).toBeVisible()
  await expect(cal.getByTestId('calendar-rule')).toContainText('(cron 0 9 * * 5)')
  await expect(cal.getByTestId('calendar-next')).toContainText('Due ')

  // ---- Stopped, then started again.
  const active = page.getByRole('switch', { name: 'Weekly casuals active' })
  await expect(active).toBeChecked()
  await active.click()
  await expect(cal).toHaveAttribute('data-active', 'no')
  await expect(active).not.toBeChecked()
  await expect(cal).toContainText('Stopped')
  await expect(cal.getByTestId('calendar-next')).toHaveCount(0)
  await shot('calendars-stopped')
  await active.click()
  await expect(cal).toHaveAttribute('data-active', 'yes')
  await expect(active).toBeChecked()
  await expect(cal.getByTestId('calendar-next')).toContainText('Due ')
})
