import path from 'node:path'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { seedMembers } from '../support/seed-members'

const COUNT = 100_000

test('the members table scrolls through 100,000 rows without rendering them all', async ({ launch }) => {
  test.setTimeout(180_000)
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      const saved = await core.invoke('profile.save', {
        name: 'Umoja Savings Cooperative',
        currency: 'KES',
        timeZone: 'Africa/Nairobi',
        locale: 'en-KE'
      })
      core.close()
      expect(saved.ok).toBe(true)
      seedMembers({ file: path.join(dir, 'coffer.sqlite'), count: COUNT })
    }
  })
  const page = app.page
  await page.getByRole('link', { name: 'Members' }).click()
  const rows = page.locator('[data-member-id]')
  await expect(rows.first()).toBeVisible()
  await page.getByRole('button', { name: 'All', exact: true }).click()
  await expect(page.getByText('100,000 members')).toBeVisible()

  const rendered = await rows.count()
  expect(rendered).toBeGreaterThan(10)
  expect(rendered).toBeLessThan(200)

  // To the very end: the last member by name is there, and still only a window of rows is in the DOM.
  await rows.first().focus()
  await page.keyboard.press('End')
  // aria-rowindex counts the header as row 1: the last member is row COUNT + 1.
  const lastRow = page.locator(`[data-member-id][aria-rowindex="${COUNT + 1}"]`)
  await expect(lastRow).toBeVisible()
  await expect(lastRow).toContainText(/M-\d{6}/)
  expect(await rows.count()).toBeLessThan(200)
})
