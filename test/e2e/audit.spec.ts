import fs from 'node:fs'
import ExcelJS from 'exceljs'
import type { Page } from '@playwright/test'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { ADMIN, AUDITOR, PROFILE, TREASURER, seedOperator, signInAs } from './support/auth'
// Core loads the workbook writer on first use; the Chromium driver runs core from source, which Playwright
// compiles only while it loads specs (as support/driver.ts does for the voucher and portfolio writers).
import '../../src/core/audit/export'

const SHOTS = process.env.COFFER_SHOTS_DIR

const auditRows = (page: Page) => page.getByRole('table', { name: 'Audit trail' }).locator('[data-audit-id]')

/** Today on the cooperative's calendar (Nairobi), as YYYY-MM-DD. */
function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: PROFILE.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())
}

function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

test('a member edited in the window shows on the Audit page with who and what changed; filters narrow it; export writes a workbook; the trail checks out; an auditor sees it too', async ({
  launch
}) => {
  test.setTimeout(180_000)
  let aminaId = 0
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
      const amina = await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01' })
      if (!amina.ok) throw new Error(amina.error.message)
      aminaId = (amina.value as { id: number }).id
      expect((await core.invoke('members.create', { memberNo: 'M-00002', fullName: 'Otieno Ouma', joinedOn: '2021-03-01' })).ok).toBe(true)
      await seedOperator(core, { ...TREASURER, role: 'treasurer' })
      await seedOperator(core, AUDITOR)
      await core.shutdown()
    }
  })
  const page = app.page

  // Ada edits Amina in the window: her name and a phone number.
  await page.getByRole('link', { name: 'Members' }).click()
  await page.locator('[data-member-id]').filter({ hasText: 'Amina Odhiambo' }).click()
  await page.getByRole('button', { name: 'Edit' }).click()
  await page.getByLabel('Name', { exact: true }).fill('Amina Achieng Odhiambo')
  await page.getByLabel('Phone', { exact: true }).fill('0722 000 111')
  await page.getByRole('button', { name: 'Save member' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Amina Achieng Odhiambo')

  // The Audit page, newest first: the edit, by Ada, through members.update, field by field.
  await page.getByRole('link', { name: 'Audit' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible()
  const edit = auditRows(page).and(page.locator(`[data-entity="members"][data-action="update"]`))
  await expect(edit).toHaveCount(1)
  await expect(edit).toContainText(ADMIN.name)
  await expect(edit).toContainText('members.update')
  await expect(edit).toContainText('Members')
  await expect(edit).toContainText(`Member ${aminaId}`)
  await expect(edit).toContainText('Changed')
  await expect(edit.locator('[data-field="full_name"]')).toHaveText('Full name: Amina Odhiambo → Amina Achieng Odhiambo')
  await expect(edit.locator('[data-field="phone"]')).toHaveText('Phone: (none) → 0722 000 111')
  // Fields that did not change are not listed; the bookkeeping (version, time of change) only when asked for.
  await expect(edit.locator('[data-field="member_no"]')).toHaveCount(0)
  await expect(edit.locator('[data-field="version"]')).toHaveCount(0)
  await edit.getByRole('button', { name: /^Show all 4 fields/ }).click()
  await expect(edit.locator('[data-field="version"]')).toHaveText('Version: 1 → 2')
  await expect(edit.getByRole('button', { name: 'Show fewer' })).toHaveAttribute('aria-expanded', 'true')
  // Newer rows first.
  const ids = await auditRows(page).evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-audit-id'))))
  expect(ids.length).toBeGreaterThan(3)
  expect([...ids].sort((a, b) => b - a)).toEqual(ids)
  if (SHOTS) {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.screenshot({ path: `${SHOTS}/audit-diff.png` })
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.screenshot({ path: `${SHOTS}/audit-diff-1024.png` })
    await page.setViewportSize({ width: 1280, height: 820 })
  }

  // Filters narrow it. The operator: only Tom's rows (his own password, set at his first sign-in).
  const count = page.getByTestId('audit-count')
  await page.getByLabel('Operator', { exact: true }).selectOption({ label: TREASURER.name })
  await expect(auditRows(page).first()).toBeVisible()
  await expect(auditRows(page).filter({ hasNotText: TREASURER.name })).toHaveCount(0)
  await expect(auditRows(page).and(page.locator('[data-entity="members"]'))).toHaveCount(0)
  // Ada, the Members area, then Amina's record alone: her creation and the edit.
  await page.getByLabel('Operator', { exact: true }).selectOption({ label: ADMIN.name })
  await page.getByLabel('Area', { exact: true }).selectOption('members')
  await expect(auditRows(page).and(page.locator('[data-entity="operators"]'))).toHaveCount(0)
  await page.getByLabel('Record', { exact: true }).selectOption('members')
  await page.getByLabel('Record ID', { exact: true }).fill(String(aminaId))
  await expect(count).toHaveText('2 changes')
  await expect(auditRows(page).nth(0)).toHaveAttribute('data-action', 'update')
  await expect(auditRows(page).nth(1)).toHaveAttribute('data-action', 'insert')
  await expect(page).toHaveURL(new RegExp(`#/audit\\?.*record=members.*id=${aminaId}`))
  // Another area: nothing.
  await page.getByLabel('Area', { exact: true }).selectOption('payments')
  await expect(page.getByText('No change matches the filter.')).toBeVisible()
  await page.getByLabel('Area', { exact: true }).selectOption('members')
  await expect(count).toHaveText('2 changes')
  // Days: from tomorrow, nothing; To before From is said next to To, and the list stays as it was.
  const day = today()
  await page.getByLabel('From', { exact: true }).fill(dayAfter(day))
  await expect(page.getByText('No change matches the filter.')).toBeVisible()
  await page.getByLabel('From', { exact: true }).fill(day)
  await expect(count).toHaveText('2 changes')
  await page.getByLabel('To', { exact: true }).fill('2020-01-01')
  await expect(page.getByText('To must be on or after From')).toBeVisible()
  await expect(page.getByLabel('To', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByRole('button', { name: 'Export to Excel' })).toHaveAttribute('aria-disabled', 'true')
  await page.getByLabel('To', { exact: true }).fill(day)
  await expect(count).toHaveText('2 changes')

  // Export with the same filter: a workbook in the data folder's exports, with the two rows in words.
  await page.getByRole('button', { name: 'Export to Excel' }).click()
  const saved = page.getByTestId('saved-file')
  await expect(saved).toContainText('audit-trail-')
  await expect(page.getByRole('button', { name: 'Open', exact: true })).toBeVisible()
  const file = (await saved.locator('code').innerText()).trim()
  expect(file.startsWith(app.dataDir)).toBe(true)
  expect(fs.existsSync(file)).toBe(true)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(file)
  const ws = wb.getWorksheet('Audit trail')!
  const rows = [6, 7, 8].map((r) => (ws.getRow(r).values as unknown[]).slice(1))
  expect(rows[0]![2]).toBe(ADMIN.name)
  expect(rows[0]![7]).toBe('Changed')
  expect(String(rows[0]![8]).split('\n')).toContain('Full name: Amina Odhiambo → Amina Achieng Odhiambo')
  expect(rows[1]![7]).toBe('Added')
  expect(rows[2]).toEqual([])

  // Check the trail: every row checks out.
  await page.getByRole('button', { name: 'Check the trail' }).click()
  await expect(page.getByTestId('audit-verify')).toHaveText(/^All [\d,]+ audit rows check out: none was changed, removed or moved since it was written\.$/)

  // An auditor reads the trail too: the page, export and check, and the operators the trail shows to filter by.
  await signInAs(page, AUDITOR)
  await page.getByRole('link', { name: 'Audit' }).click()
  await expect(auditRows(page).and(page.locator('[data-entity="members"][data-action="update"]'))).toHaveCount(1)
  await expect(page.getByRole('button', { name: 'Export to Excel' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Check the trail' })).toBeVisible()
  await expect(page.getByLabel('Operator', { exact: true }).locator('option', { hasText: ADMIN.name })).toHaveCount(1)
})
