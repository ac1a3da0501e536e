import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { test, expect } from './support/fixtures'
import { ADMIN, CLERK, TREASURER, signInAs } from './support/auth'
import { fieldError, nav, shooter } from './support/payroll'
import { FEB_2025, YEAR_2025, seedReportsBook } from './support/reports'

/** Chooses a report in the catalog, sets its dates and shows it. */
async function showReport(page: Page, title: string, dates: { from: string; to: string }): Promise<void> {
  await page.getByRole('navigation', { name: 'Reports' }).getByRole('button', { name: title, exact: true }).click()
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible()
  await page.getByLabel('From', { exact: true }).fill(dates.from)
  await page.getByLabel('To', { exact: true }).fill(dates.to)
  await page.getByRole('button', { name: 'Show', exact: true }).click()
}

const result = (page: Page) => page.getByTestId('report-result')
const cellsOf = async (page: Page, table: string, style: string) =>
  page.getByRole('table', { name: table }).locator(`tr[data-row-style="${style}"]`).allInnerTexts()

/** The first sheet of a workbook as CSV, through LibreOffice. */
function workbookCsv(file: string): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-report-csv-'))
  execFileSync('libreoffice', ['--headless', '--convert-to', 'csv', '--outdir', out, file], { stdio: 'pipe', timeout: 120_000 })
  const csv = path.join(out, `${path.basename(file, path.extname(file))}.csv`)
  return fs.readFileSync(csv, 'utf8')
}


/** The February register on screen: two coupons of 100.00 gross, 15.00 tax, 85.00 net by bank transfer; totals 200.00 and 170.00. */
async function expectRegister(page: Page): Promise<void> {
  await expect(result(page)).toHaveAttribute('data-report', 'payment-register')
  const register = page.getByRole('table', { name: 'Payments' })
  const rows = register.locator('tr[data-row-style="normal"]')
  await expect(rows).toHaveCount(2)
  await expect(rows.first()).toContainText('100.00')
  await expect(rows.first()).toContainText('15.00')
  await expect(rows.first()).toContainText('85.00')
  await expect(rows.first()).toContainText('Bank transfer')
  await expect(register.locator('tr[data-row-style="totals"]')).toContainText('200.00')
  await expect(register.locator('tr[data-row-style="totals"]')).toContainText('170.00')
  // Money right-aligned under a header naming the currency once.
  await expect(register.getByRole('columnheader', { name: 'Gross (Ksh)' })).toHaveClass(/num/)
}

test('a treasurer shows the trial balance and the payment register on screen; Generated reports lists a file made, opened in LibreOffice, shown again; a missing account is refused by its field; a clerk may not email; Settings → Reports', async ({
  launch
}) => {
  test.setTimeout(240_000)
  let seeded: string | null = null
  const app = await launch({
    prepare: async (dir) => {
      seeded = await seedReportsBook(dir, { exported: true })
    },
    signIn: TREASURER
  })
  const page = app.page
  const shot = shooter(page, 'reports')

  await nav(page).getByRole('link', { name: 'Reports' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible()
  await expect(page.getByText('Choose a report')).toBeVisible()
  // Tom reads payroll: the payroll register is in his catalog.
  await expect(page.getByRole('navigation', { name: 'Reports' }).getByRole('button')).toHaveCount(11)
  await shot('catalog')

  // The trial balance for 2025: both purchases of 10,000.00 reached the bank; debits equal credits on the totals row.
  await showReport(page, 'Trial balance', YEAR_2025)
  await expect(result(page)).toHaveAttribute('data-report', 'trial-balance')
  await expect(result(page).getByRole('heading', { name: 'Trial balance', level: 2 })).toBeVisible()
  await expect(page.getByTestId('report-parameters')).toContainText('2025')
  await expect(page.getByTestId('report-fingerprint')).toHaveText(/^[0-9a-f]{12}…$/)
  const tbTotals = await cellsOf(page, 'Trial balance', 'totals')
  expect(tbTotals).toHaveLength(1)
  const totals = tbTotals[0]!.split('\t').map((t) => t.trim())
  // Debits = credits, and closing debit = closing credit.
  expect(totals[5]).toBe(totals[6])
  expect(totals[7]).toBe(totals[8])
  expect(totals[5]).toMatch(/\d/)
  await expect(result(page)).toContainText('20,000.00')
  await shot('trial-balance')

  // The payment register for February 2025: two coupons of 100.00 gross, 15.00 tax, 85.00 net, by bank transfer.
  await showReport(page, 'Payment register', FEB_2025)
  await expectRegister(page)
  await expect(page.getByLabel('Member', { exact: true })).toBeVisible()
  await expect(page.getByText('Optional: leave it blank for every active member.')).toBeVisible()
  const fingerprint = (await page.getByTestId('report-fingerprint').textContent()) ?? ''
  await shot('payment-register')

  // Generated reports: the file Tom exported (while seeding) with the same data fingerprint as on screen.
  await page.getByRole('link', { name: 'Generated reports' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'Generated reports' })).toBeVisible()
  const made = page.locator('[data-generated-id][data-report="payment-register"]')
  await expect(made).toHaveCount(1)
  await expect(made).toHaveAttribute('data-format', 'xlsx')
  await expect(made.getByTestId('file-state')).toHaveText('Saved')
  await expect(made).toContainText('Tom Treasurer')
  expect(seeded).toMatch(/\.xlsx$/)
  await expect(made).toContainText(path.basename(seeded!))
  await expect(made).toContainText(fingerprint.slice(0, 10))
  await expect(made.getByRole('button', { name: 'Email…' })).toBeVisible()
  await shot('generated')

  // The workbook itself: the register's rows and net total.
  const csv = workbookCsv(seeded!)
  expect(csv).toMatch(/Payment register/)
  expect(csv).toMatch(/Jane Wanjiru/)
  expect(csv).toMatch(/170(\.00)?\b/)

  // Email…: an address core refuses is named by the field.
  await made.getByRole('button', { name: 'Email…' }).click()
  const email = page.getByRole('dialog', { name: 'Email this report' })
  await email.getByLabel('To', { exact: true }).fill('board@umoja.test, not-an-address')
  await email.getByRole('button', { name: 'Queue the email' }).click()
  expect(await fieldError(page, 'To', email)).toMatch(/not-an-address/)
  await shot('email')
  await email.getByRole('button', { name: 'Cancel' }).click()

  // Show on screen again: back on Reports with the same report and dates.
  await made.getByRole('button', { name: 'Show on screen' }).click()
  await expect(page.getByLabel('From', { exact: true })).toHaveValue(FEB_2025.from)
  await expectRegister(page)

  // The account statement without an account: core's message under the Account field.
  await page.getByRole('navigation', { name: 'Reports' }).getByRole('button', { name: 'Account statement', exact: true }).click()
  await page.getByRole('button', { name: 'Show', exact: true }).click()
  expect(await fieldError(page, 'Account')).toMatch(/Choose the account/)
  await shot('account-missing')

  // Carol the clerk: she may export, not email; she does not read payroll (ten reports).
  await signInAs(page, CLERK)
  await nav(page).getByRole('link', { name: 'Reports' }).click()
  await expect(page.getByRole('navigation', { name: 'Reports' }).getByRole('button')).toHaveCount(10)
  await page.getByRole('link', { name: 'Generated reports' }).first().click()
  const hers = page.locator('[data-generated-id][data-report="payment-register"]')
  await expect(hers).toHaveCount(1)
  await expect(hers.getByRole('button', { name: 'Open' })).toBeVisible()
  await expect(hers.getByRole('button', { name: 'Email…' })).toHaveCount(0)

  // Settings → Reports (Ada may save it): a bad address is refused by the field, then saved.
  await signInAs(page, ADMIN)
  await nav(page).getByRole('link', { name: 'Settings' }).click()
  const section = page.getByTestId('report-settings')
  await section.getByLabel('Email the summaries to').fill('board@umoja.test\nnot an address')
  await section.getByRole('button', { name: 'Save report settings' }).click()
  expect(await fieldError(page, 'Email the summaries to', section)).toMatch(/not an address/)
  await section.getByLabel('Email the summaries to').fill('board@umoja.test, chair@umoja.test')
  await section.getByLabel('Monthly summary as').selectOption('pdf')
  await section.getByRole('button', { name: 'Save report settings' }).click()
  await expect(section.getByText('Saved')).toBeVisible()
  await section.scrollIntoViewIfNeeded()
  await shot('settings')
})

test('exporting the payment register to Excel from the window: the progress dialog reaches the file, listed in Generated reports; the workbook holds the figures', async ({ launch }) => {
  test.setTimeout(180_000)
  const app = await launch({ prepare: (dir) => seedReportsBook(dir).then(() => undefined), signIn: TREASURER })
  const page = app.page
  const shot = shooter(page, 'reports')
  await nav(page).getByRole('link', { name: 'Reports' }).click()
  await showReport(page, 'Payment register', FEB_2025)
  await expectRegister(page)

  await page.getByRole('button', { name: 'Export to Excel' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog.getByTestId('export-dialog')).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 })
  const file = ((await dialog.getByTestId('saved-file').locator('code').textContent()) ?? '').trim()
  expect(file).toMatch(/\.xlsx$/)
  expect(fs.existsSync(file)).toBe(true)
  await shot('export-done')
  await dialog.getByRole('link', { name: 'Generated reports' }).first().click()
  const made = page.locator('[data-generated-id][data-report="payment-register"]')
  await expect(made).toHaveCount(1)
  await expect(made).toContainText(path.basename(file))
  await expect(made.getByTestId('file-state')).toHaveText('Saved')
  const csv = workbookCsv(file)
  expect(csv).toMatch(/Jane Wanjiru/)
  expect(csv).toMatch(/170(\.00)?\b/)
})
