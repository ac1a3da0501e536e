import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { seedMembers } from '../support/seed-members'

const SHOTS = process.env.COFFER_SHOTS_DIR

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
  await expect(row).toContainText('Every day at 02:00')
  // The next five runs, on demand under the next one: 02:00 on five days running.
  await row.getByText('Next 5 runs').click()
  const next = row.getByRole('list', { name: 'Database backup: next 5 runs' }).getByRole('listitem')
  await expect(next).toHaveCount(5)
  for (const item of await next.all()) await expect(item).toContainText(/02:00/)
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/jobs-page.png`, fullPage: true })
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

test('a schedule is chosen in words, with the next five runs shown before saving; cron is the advanced option', async ({ launch }) => {
  const app = await launch({ prepare: withProfile() })
  const page = app.page
  await page.getByRole('link', { name: 'Jobs' }).click()
  const row = page.locator('[data-job-id="integrity"]')
  await expect(row).toContainText('Every week on Sunday at 03:00')
  await row.getByRole('button', { name: 'Edit schedule' }).click()
  const dialog = page.getByRole('dialog')
  const preview = dialog.getByTestId('schedule-preview')

  // Its cron (0 3 * * 0) is a word form: the dialog opens in words.
  await expect(dialog.getByRole('tab', { name: 'In words' })).toHaveAttribute('aria-selected', 'true')
  await expect(dialog.getByLabel('Runs', { exact: true })).toHaveValue('week')
  await expect(dialog.getByLabel('Sunday', { exact: true })).toBeChecked()
  await expect(dialog.getByLabel('Monday', { exact: true })).not.toBeChecked()
  await expect(dialog.getByLabel('At', { exact: true })).toHaveValue('03:00')
  await expect(preview).toContainText('Every week on Sunday at 03:00')

  // The tabs answer the arrow keys: to the advanced tab (the same schedule as cron) and back.
  await dialog.getByRole('tab', { name: 'In words' }).focus()
  await page.keyboard.press('ArrowRight')
  await expect(dialog.getByRole('tab', { name: 'Advanced (cron)' })).toHaveAttribute('aria-selected', 'true')
  await expect(dialog.getByRole('tab', { name: 'Advanced (cron)' })).toBeFocused()
  await page.keyboard.press('ArrowLeft')
  await expect(dialog.getByRole('tab', { name: 'In words' })).toHaveAttribute('aria-selected', 'true')

  await dialog.getByLabel('Monday', { exact: true }).check()
  await expect(preview).toContainText('Every week on Monday and Sunday at 03:00')
  await expect(preview.getByRole('listitem')).toHaveCount(5)

  // A day not every month has is refused next to the field, pointing to the last day.
  await dialog.getByLabel('Runs', { exact: true }).selectOption('month')
  await dialog.getByLabel('On', { exact: true }).selectOption('31')
  await expect(dialog.locator('.field-error')).toContainText('Not every month has a day 31')
  await expect(preview).toContainText('Fix the schedule to see when it runs.')
  await page.getByRole('button', { name: 'Save schedule' }).click()
  await expect(dialog).toBeVisible()

  await dialog.getByLabel('On', { exact: true }).selectOption('last')
  await dialog.getByLabel('At', { exact: true }).fill('25:00')
  await dialog.getByLabel('At', { exact: true }).blur()
  await expect(dialog.locator('.field-error')).toContainText('Write the time as hours and minutes, 24-hour')
  await dialog.getByLabel('At', { exact: true }).fill('23:30')
  await expect(dialog.locator('.field-error')).toHaveCount(0)
  await expect(preview).toContainText('Every month on the last day at 23:30')
  const runs = preview.getByRole('listitem')
  await expect(runs).toHaveCount(5)
  // Each on a month's own last day (28, 29, 30 or 31), at 23:30.
  for (const r of await runs.all()) await expect(r).toContainText(/\b(28|29|30|31) \w+ \d{4}.*23:30/)
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/jobs-schedule-words.png` })
  await page.getByRole('button', { name: 'Save schedule' }).click()
  await expect(dialog).toBeHidden()
  await expect(row).toContainText('Every month on the last day at 23:30')
  await expect(row.locator('code.cron')).toHaveText('30 23 L * *')

  // Cron, the advanced option, with validation next to the field.
  await row.getByRole('button', { name: 'Edit schedule' }).click()
  await expect(dialog.getByLabel('On', { exact: true })).toHaveValue('last')
  await dialog.getByRole('tab', { name: 'Advanced (cron)' }).click()
  const cron = dialog.getByLabel('Schedule (cron)')
  await expect(cron).toHaveValue('30 23 L * *')
  await cron.fill('0 99 * * *')
  await page.getByRole('button', { name: 'Save schedule' }).click()
  await expect(dialog.locator('.field-error').filter({ hasText: /hour/i })).toBeVisible()
  await expect(row).toContainText('Every month on the last day at 23:30')
  await cron.fill('30 4 * * 1-5')
  await expect(preview).toContainText('At 04:30, Monday through Friday')
  await expect(preview.getByRole('listitem')).toHaveCount(5)
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/jobs-schedule-cron.png` })
  await page.getByRole('button', { name: 'Save schedule' }).click()
  await expect(row).toContainText('At 04:30, Monday through Friday')

  // Not a word form: it opens on the advanced tab.
  await row.getByRole('button', { name: 'Edit schedule' }).click()
  await expect(dialog.getByRole('tab', { name: 'Advanced (cron)' })).toHaveAttribute('aria-selected', 'true')
  await expect(dialog.getByLabel('Schedule (cron)')).toHaveValue('30 4 * * 1-5')
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
  // The integrity check has one attempt: the row says no retry is coming.
  await expect(row.getByTestId('retry')).toHaveText('Not retried; it runs again at its next scheduled time')
  await expect(badge).toHaveText('1')
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/jobs-failed.png`, fullPage: true })

  await page.getByRole('button', { name: 'Notifications' }).click()
  const note = page.locator('[data-notification-id]').filter({ hasText: 'Integrity check failed' })
  await expect(note).toContainText('member_events row 1 points to a missing members record')
  await note.getByRole('button', { name: 'Mark read' }).click()
  await expect(badge).toHaveText('0')
})

test('a failed job waiting to be tried again says when, in the cooperative\'s time', async ({ launch }) => {
  // The backup failed 10 s ago in another live process (the command line), which holds the job until its
  // next attempt: the backup's policy waits 1 minute before attempt 2.
  const failedAt = new Date(Date.now() - 10_000)
  const retryAt = new Date(failedAt.getTime() + 60_000)
  const app = await launch({
    prepare: withProfile((file) => {
      const owner = `cli:${os.hostname()}:${process.pid}:e2e001`
      const db = new Database(file)
      const runId = db
        .prepare(
          "INSERT INTO job_runs (job_id, trigger, started_at, ended_at, status, attempt, owner, error) VALUES ('backup', 'cli', ?, ?, 'failed', 1, ?, 'The backups folder is not reachable.')"
        )
        .run(new Date(failedAt.getTime() - 2000).toISOString(), failedAt.toISOString(), owner).lastInsertRowid
      db.prepare("INSERT INTO job_leases (job_id, owner, run_id, acquired_at, expires_at) VALUES ('backup', ?, ?, ?, ?)").run(
        owner,
        runId,
        failedAt.toISOString(),
        new Date(Date.now() + 10 * 60_000).toISOString()
      )
      db.close()
    })
  })
  const page = app.page
  await page.getByRole('link', { name: 'Jobs' }).click()
  const row = page.locator('[data-job-id="backup"]')
  await expect(row.getByText('Failed')).toBeVisible()
  const sameDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: PROFILE.timeZone }).format(d)
  const when =
    sameDay(retryAt) === sameDay(new Date())
      ? new Intl.DateTimeFormat(PROFILE.locale, { timeStyle: 'short', timeZone: PROFILE.timeZone }).format(retryAt)
      : new Intl.DateTimeFormat(PROFILE.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: PROFILE.timeZone }).format(retryAt)
  await expect(row.getByTestId('retry')).toHaveText(`Retry at ${when} (attempt 2 of 3)`)
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/jobs-retry-pending.png`, fullPage: true })
})
