import path from 'node:path'
import Database from 'better-sqlite3'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { seedMembers } from '../support/seed-members'

const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }

/** A data folder with a profile (and whatever `more` adds), made before the app starts. */
const withProfile = (more?: (file: string) => void) => async (dir: string) => {
  const core = openTestCore(dir)
  const saved = await core.invoke('profile.save', PROFILE)
  await core.shutdown()
  expect(saved.ok).toBe(true)
  more?.(path.join(dir, 'coffer.sqlite'))
}

test('the Jobs screen runs a job now, shows its progress, and the run lands in the history', async ({ launch }) => {
  test.setTimeout(180_000)
  // Enough data that the backup takes a moment and reports progress page by page.
  const app = await launch({ prepare: withProfile((file) => seedMembers({ file, count: 100_000 })) })
  const page = app.page
  await page.getByRole('link', { name: 'Jobs' }).click()
  const row = page.locator('[data-job-id="backup"]')
  await expect(row).toContainText('At 02:00')
  await row.getByRole('button', { name: 'Run now' }).click()
  await expect(row.getByRole('progressbar')).toBeVisible()
  await expect(row.getByText('Succeeded')).toBeVisible({ timeout: 60_000 })

  const history = page.getByRole('table', { name: 'Run history' }).or(page.getByRole('grid', { name: 'Run history' }))
  const run = history.locator('[data-run-id]').first()
  await expect(run).toContainText('Database backup')
  await expect(run).toContainText('Manual')
  await expect(run).toContainText('Succeeded')
  await run.click()
  const details = page.getByTestId('run-details')
  await expect(details).toContainText(/Progress\s*([\d,]+) of \1/)
  await expect(page.getByText(/Backed up .* to coffer-manual-.*\.sqlite/).first()).toBeVisible()

  // The backup is listed in Settings.
  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Backups' })).toBeVisible()
  await expect(page.locator('[data-backup-name^="coffer-manual-"]')).toHaveCount(1)
})

test('a schedule is edited with validation next to the field', async ({ launch }) => {
  const app = await launch({ prepare: withProfile() })
  const page = app.page
  await page.getByRole('link', { name: 'Jobs' }).click()
  const row = page.locator('[data-job-id="integrity"]')
  await row.getByRole('button', { name: 'Edit schedule' }).click()
  const cron = page.getByLabel('Schedule (cron)')
  await cron.fill('0 99 * * *')
  await page.getByRole('button', { name: 'Save schedule' }).click()
  await expect(page.locator('.field-error').filter({ hasText: /hour/i })).toBeVisible()
  await expect(row).toContainText('At 03:00, only on Sunday')
  await cron.fill('30 4 * * 1-5')
  await expect(page.getByRole('dialog')).toContainText('At 04:30, Monday through Friday')
  await page.getByRole('button', { name: 'Save schedule' }).click()
  await expect(row).toContainText('At 04:30, Monday through Friday')
})

test('the bell counts a failed job and goes down when the notification is read', async ({ launch }) => {
  // A broken link between records: the integrity check will fail.
  const app = await launch({
    prepare: withProfile((file) => {
      const db = new Database(file)
      db.pragma('foreign_keys = OFF')
      db.prepare("INSERT INTO member_events (member_id, at, kind) VALUES (4242, '2026-01-01T00:00:00Z', 'created')").run()
      db.close()
    })
  })
  const page = app.page
  const badge = page.getByTestId('unread-count')
  await expect(badge).toHaveText('0')
  await page.getByRole('link', { name: 'Jobs' }).click()
  const row = page.locator('[data-job-id="integrity"]')
  await row.getByRole('button', { name: 'Run now' }).click()
  await expect(row.getByText('Failed')).toBeVisible({ timeout: 30_000 })
  await expect(badge).toHaveText('1')

  await page.getByRole('button', { name: 'Notifications' }).click()
  const note = page.locator('[data-notification-id]').filter({ hasText: 'Integrity check failed' })
  await expect(note).toContainText('member_events row 1 points to a missing members record')
  await note.getByRole('button', { name: 'Mark read' }).click()
  await expect(badge).toHaveText('0')
})
