import fs from 'node:fs'
import ExcelJS from 'exceljs'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'

const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }
const SERIES = {
  code: 'UMJ-30',
  name: 'Umoja 12% 2030',
  faceValueMinor: 100_000,
  couponRatePercent: '12',
  frequency: 'monthly',
  dayCount: '30/360',
  issueDate: '2024-01-01',
  maturityDate: '2030-01-01',
  firstCouponDate: null,
  endOfMonth: false,
  businessDay: 'unadjusted',
  withholdingTaxPercent: '15'
}

const SHOTS = '/tmp/shots'

const MEMBERS_CSV = [
  'Member number,Name,Email,Phone,Joined',
  'M-00101,Achieng Odhiambo,achieng@example.org,+254 700 000101,15/03/2024',
  'M-00102,Baraka Mwangi,baraka(at)example.org,,2024-03-16',
  'M-00103,Chebet Kiprono,,,17/03/2024',
  'M-00001,Duplicate of the first member,,,2024-03-18',
  'M-00104,Daudi Njoroge,,,"18/03/2024"',
  ''
].join('\r\n')

test('import members from CSV with a row problem left out, and holdings from a workbook', async ({ launch }) => {
  test.setTimeout(120_000)
  fs.mkdirSync(SHOTS, { recursive: true })
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
      expect((await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Zoë Wanjiru', joinedOn: '2020-01-01' })).ok).toBe(true)
      expect((await core.invoke('bonds.createSeries', SERIES)).ok).toBe(true)
      await core.shutdown()
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 800 })

  // Members → Import…
  await page.getByRole('link', { name: 'Members' }).click()
  await page.getByRole('button', { name: 'Import…' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import members')
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(MEMBERS_CSV) })

  const summary = page.getByTestId('import-summary')
  await expect(summary).toContainText('5 rows in members.csv: 3 ready, 2 with problems.')
  const table = page.getByRole('table', { name: 'Rows to import' }).or(page.getByRole('grid', { name: 'Rows to import' }))
  await expect(table.locator('[data-import-row="3"]')).toContainText('Email: Enter an email address like name@example.org')
  await expect(table.locator('[data-import-row="5"]')).toContainText('Member number: Member number M-00001 is already used by Zoë Wanjiru')
  await expect(table.locator('[data-import-row="2"]')).toContainText('15 Mar 2024')
  await expect(table.locator('[data-import-row="2"]')).toContainText('Ready')
  const importButton = page.getByRole('button', { name: 'Import members' })
  await expect(importButton).toHaveAttribute('aria-disabled', 'true')
  await page.screenshot({ path: `${SHOTS}/import-members-preview.png`, fullPage: true })

  // Leave the two rows out: the button counts what will be imported.
  await page.getByLabel('Leave out the 2 rows with problems (3, 5)').check()
  await expect(page.getByRole('button', { name: 'Import 3 members' })).not.toHaveAttribute('aria-disabled', 'true')
  await page.screenshot({ path: `${SHOTS}/import-members-excluded.png`, fullPage: true })
  await page.getByRole('button', { name: 'Import 3 members' }).click()
  await expect(page.getByText('3 members imported from members.csv')).toBeVisible()
  await expect(page.getByTestId('import-report')).toHaveText('2 rows left out: 3, 5.')
  await page.screenshot({ path: `${SHOTS}/import-members-report.png`, fullPage: true })

  // The members list has them.
  await page.getByRole('link', { name: 'See the members' }).click()
  const members = page.getByRole('table', { name: 'Members' }).or(page.getByRole('grid', { name: 'Members' }))
  await expect(members.locator('[data-member-id]')).toHaveCount(4)
  await expect(members).toContainText('Achieng Odhiambo')
  await expect(members).toContainText('Daudi Njoroge')
  await expect(members).not.toContainText('Baraka Mwangi')

  // Holdings from a workbook: Bonds → Holdings → Import…
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Holdings 2024')
  ws.addRow(['Member number', 'Series', 'Units', 'Purchase date'])
  ws.addRow(['M-00101', 'UMJ-30', 25, new Date(Date.UTC(2024, 3, 2))])
  ws.addRow(['M-00103', 'umj-30', 10, '02/04/2024'])
  ws.addRow(['M-00104', 'UMJ-30', 7.5, '2024-04-02'])
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer())
  await page.getByRole('link', { name: 'Bonds' }).click()
  await page.getByRole('link', { name: 'Holdings' }).click()
  await page.getByRole('button', { name: 'Import holdings…' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import bond holdings')
  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'holdings.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: xlsx
  })
  await expect(page.getByTestId('import-summary')).toContainText('3 rows in holdings.xlsx (worksheet “Holdings 2024”): 2 ready, 1 with problems.')
  await expect(table.locator('[data-import-row="4"]')).toContainText('Units: Units must be a whole number')
  await page.screenshot({ path: `${SHOTS}/import-holdings-preview.png`, fullPage: true })
  await page.getByLabel(/^Leave out the 1 row with problems/).check()
  await page.getByRole('button', { name: 'Import 2 holdings' }).click()
  await expect(page.getByText('2 holdings imported from holdings.xlsx')).toBeVisible()
  await page.getByRole('link', { name: 'See the holdings' }).click()
  await expect(page.getByTestId('holdings-total')).toHaveText('2 holdings')
  await page.screenshot({ path: `${SHOTS}/import-holdings-list.png`, fullPage: true })
})
