import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { test, expect } from './support/fixtures'
import { TREASURER } from './support/auth'
import { nav, shooter } from './support/payroll'
import { FEB_2025, YEAR_2025, YEAR_2026, seedLongRegister, seedReportsBook } from './support/reports'

const SHOTS = process.env.COFFER_SHOTS_DIR

/** Chooses a report in the catalog, sets its dates (and ticks Certificates if asked) and shows it. */
async function showReport(page: Page, title: string, dates: { from: string; to: string }, opts: { certificates?: boolean } = {}): Promise<void> {
  await page.getByRole('navigation', { name: 'Reports' }).getByRole('button', { name: title, exact: true }).click()
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible()
  await page.getByLabel('From', { exact: true }).fill(dates.from)
  await page.getByLabel('To', { exact: true }).fill(dates.to)
  if (opts.certificates) await page.getByLabel('Certificates: one per member, as PDF').check()
  await page.getByRole('button', { name: 'Show', exact: true }).click()
}

const result = (page: Page) => page.getByTestId('report-result')
const exportState = (page: Page) => page.getByRole('dialog').getByTestId('export-dialog')

/** Waits for the export dialog to reach its file; answers the file's path. */
async function exportedFile(page: Page): Promise<string> {
  await expect(exportState(page)).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 })
  const file = ((await page.getByRole('dialog').getByTestId('saved-file').locator('code').textContent()) ?? '').trim()
  expect(fs.existsSync(file)).toBe(true)
  return file
}

const pdfText = (file: string): string => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
const pdfPages = (file: string): number => Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1])

test('a long PDF export shows its bar moving and can be cancelled: it says so, nothing is listed and no file or partial is left', async ({ launch }) => {
  test.setTimeout(120_000)
  let seeded = 0
  const app = await launch({
    prepare: async (dir) => {
      // 2,000 members × 20 paid coupons: a 40,000-row register for 2026.
      seeded = await seedLongRegister(dir, 2_000)
    },
    signIn: TREASURER
  })
  expect(seeded).toBe(40_000)
  const page = app.page
  const reportsDir = path.join(app.dataDir, 'reports')

  await nav(page).getByRole('link', { name: 'Reports' }).click()
  await showReport(page, 'Payment register', YEAR_2026)
  await expect(result(page)).toHaveAttribute('data-report', 'payment-register', { timeout: 30_000 })

  await page.getByRole('button', { name: 'Export to PDF' }).click()
  const dialog = page.getByRole('dialog', { name: 'Exporting Payment register to PDF' })
  await expect(dialog).toBeVisible()
  await expect(exportState(page)).toHaveAttribute('data-status', 'running', { timeout: 15_000 })
  const bar = dialog.getByRole('progressbar', { name: 'Export progress' })
  // The bar knows the total (every row of the register) and its value moves.
  await expect(bar).toHaveAttribute('aria-valuemax', String(seeded), { timeout: 15_000 })
  const valueNow = async () => Number((await bar.getAttribute('aria-valuenow')) ?? '0')
  await expect.poll(valueNow, { timeout: 15_000 }).toBeGreaterThan(0)
  const first = await valueNow()
  await expect.poll(valueNow, { timeout: 15_000, intervals: [100] }).toBeGreaterThan(first)
  const second = await valueNow()
  expect(second).toBeLessThan(seeded)
  await expect(bar).toHaveAttribute('aria-valuetext', /Rows/)
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-export-running-1280.png` })
  await expect(exportState(page)).toHaveAttribute('data-status', 'running')

  await dialog.getByRole('button', { name: 'Cancel export' }).click()
  await expect(exportState(page)).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 })
  await expect(dialog.getByTestId('export-ended')).toHaveText('The export was cancelled: no file was kept.')
  await expect(dialog.getByText('Export cancelled')).toBeVisible()
  await expect(dialog.getByRole('button', { name: 'Cancel export' })).toHaveCount(0)
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-export-cancelled-1280.png` })
  // No file and no partial is left behind.
  await expect.poll(() => (fs.existsSync(reportsDir) ? fs.readdirSync(reportsDir) : []), { timeout: 10_000 }).toEqual([])

  await dialog.getByRole('button', { name: 'Close' }).click()
  await page.getByRole('link', { name: 'Generated reports' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'Generated reports' })).toBeVisible()
  await expect(page.getByTestId('generated-total')).toHaveText('0 files')
  await expect(page.locator('[data-generated-id]')).toHaveCount(0)
  await expect(page.getByText('No report has been exported yet.')).toBeVisible()
  expect(fs.existsSync(reportsDir) ? fs.readdirSync(reportsDir) : []).toEqual([])
})

test('PDF from the window: the payment register (title and total in the file, qpdf clean), the withholding-tax certificates (Excel disabled, one page per member); Generated reports shows a deleted file as missing and an altered one as changed, and Open says why not', async ({
  launch
}) => {
  test.setTimeout(120_000)
  const app = await launch({ prepare: (dir) => seedReportsBook(dir).then(() => undefined), signIn: TREASURER })
  const page = app.page
  const shot = shooter(page, 'reports-export')
  await nav(page).getByRole('link', { name: 'Reports' }).click()

  // The February register to PDF: two payments, net total 170.00.
  await showReport(page, 'Payment register', FEB_2025)
  await expect(result(page)).toHaveAttribute('data-report', 'payment-register')
  await page.getByRole('button', { name: 'Export to PDF' }).click()
  const register = await exportedFile(page)
  expect(register).toMatch(/\.pdf$/)
  expect(path.dirname(register)).toBe(path.join(app.dataDir, 'reports'))
  await expect(page.getByRole('dialog')).toContainText('Payment register to PDF: 2 rows')
  await shot('pdf-done')
  execFileSync('qpdf', ['--check', register], { stdio: 'pipe' })
  const text = pdfText(register)
  // The title (printed in capitals), the payee, and the totals line: gross 200.00, tax 30.00, net 170.00.
  expect(text).toMatch(/PAYMENT REGISTER/i)
  expect(text).toMatch(/Jane Wanjiru/)
  expect(text).toMatch(/^\s*Total\s+200\.00\s+30\.00\s+170\.00\b/m)
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()

  // Withholding tax for 2025 with certificates: PDF only; one certificate (page) per member with tax withheld (Jane and Peter).
  await showReport(page, 'Withholding tax', YEAR_2025, { certificates: true })
  await expect(result(page)).toHaveAttribute('data-report', 'withholding-tax')
  await expect(page.getByRole('button', { name: 'Export to Excel' })).toBeDisabled()
  await expect(page.getByRole('button', { name: 'Export to Excel' })).toHaveAttribute('title', 'Certificates are made as PDF only.')
  await shot('certificates')
  await page.getByRole('button', { name: 'Export certificates to PDF' }).click()
  const certificates = await exportedFile(page)
  expect(certificates).toMatch(/\.pdf$/)
  execFileSync('qpdf', ['--check', certificates], { stdio: 'pipe' })
  expect(pdfPages(certificates)).toBe(2)
  const certText = pdfText(certificates)
  expect(certText).toMatch(/Jane Wanjiru/)
  expect(certText).toMatch(/Peter Otieno/)
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
  // Unticked again, Excel is offered once more.
  await page.getByLabel('Certificates: one per member, as PDF').uncheck()
  await page.getByRole('button', { name: 'Show', exact: true }).click()
  await expect(page.getByRole('button', { name: 'Export to Excel' })).toBeEnabled()

  // The register's PDF deleted, the certificates' PDF altered by one byte.
  fs.rmSync(register)
  const bytes = fs.readFileSync(certificates)
  bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x20
  fs.writeFileSync(certificates, bytes)

  await page.getByRole('link', { name: 'Generated reports' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'Generated reports' })).toBeVisible()
  const gone = page.locator('[data-generated-id][data-report="payment-register"]')
  const altered = page.locator('[data-generated-id][data-report="withholding-tax"]')
  await expect(gone).toHaveCount(1)
  await expect(altered).toHaveCount(1)
  await expect(gone.getByTestId('file-state')).toHaveText('File missing')
  await expect(gone.getByTestId('file-state')).toHaveAttribute('data-state', 'missing')
  await expect(altered.getByTestId('file-state')).toHaveText('Changed since made')
  await expect(altered.getByTestId('file-state')).toHaveAttribute('data-state', 'changed')
  await expect(altered).toContainText('PDF certificates')

  await gone.getByRole('button', { name: 'Open' }).click()
  await expect(gone.getByTestId('generated-note')).toContainText(`The file ${path.basename(register)} is no longer there`)
  await altered.getByRole('button', { name: 'Open' }).click()
  await expect(altered.getByTestId('generated-note')).toContainText(`The file ${path.basename(certificates)} has changed since Coffer made it`)
  await shot('generated-bad')
})
