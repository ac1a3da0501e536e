import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'

const SHOTS = process.env.COFFER_SHOTS_DIR

/** A data folder with a profile in `locale`, made before the app starts. */
const withProfile = (locale: string) => async (dir: string) => {
  const core = openTestCore(dir)
  const saved = await core.invoke('profile.save', { name: 'Umoja Savings Cooperative', currency: 'EUR', timeZone: 'Africa/Nairobi', locale })
  await core.shutdown()
  expect(saved.ok).toBe(true)
}

test('the profile says when amounts in words are written in English for its language', async ({ launch }) => {
  const app = await launch({ prepare: withProfile('de-DE') })
  const page = app.page
  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByText(/amounts in words are written in English for this language/)).toBeVisible()
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/words-profile-de.png`, fullPage: true })
  // A language with its own words says nothing of the kind.
  const locale = page.getByLabel('Locale')
  await locale.fill('fr-FR')
  await expect(page.getByText(/amounts in words are written in English for this language/)).toHaveCount(0)
})

test("a run's page says who ran it in words, not the lease id", async ({ launch }) => {
  const app = await launch({ prepare: withProfile('en-KE') })
  const page = app.page
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
  await page.getByRole('link', { name: 'Jobs' }).click()
  const row = page.locator('[data-job-id="integrity"]')
  await expect(row).toBeVisible()
  await row.getByRole('button', { name: 'Run now' }).click()
  await expect(row.getByText('Succeeded')).toBeVisible({ timeout: 60_000 })
  const history = page.getByRole('table', { name: 'Run history' }).or(page.getByRole('grid', { name: 'Run history' }))
  await history.locator('[data-run-id]').first().click()
  const details = page.getByTestId('run-details')
  await expect(details).toContainText(/Run by\s*The Coffer app on this PC/)
  await expect(details).not.toContainText(/app:[^ ]+:\d+:/)
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/words-run-detail.png`, fullPage: true })
})
