import type { Page } from '@playwright/test'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { PROFILE } from './support/auth'
import { addMonths, calendarDateInZone, compareDates, daysInMonth, formatCalendarDate, parseCalendarDate, toCalendarDate } from '../../src/shared/dates'

const SHOTS = process.env.COFFER_SHOTS_DIR

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })

/** A line of the recurring entry's lines editor (the journal's: test/e2e/ledger.spec.ts). */
async function fillLine(page: Page, n: number, line: { account: string; debit?: string; credit?: string }) {
  await page.getByLabel(`Line ${n} account`, { exact: true }).selectOption({ label: line.account })
  await page.getByLabel(`Line ${n} debit`, { exact: true }).fill(line.debit ?? '')
  await page.getByLabel(`Line ${n} credit`, { exact: true }).fill(line.credit ?? '')
}

/**
 * The rent's dates: every month on the 31st, the month's last day in shorter
 * months, from a 31st three to five months back (in the cooperative's time
 * zone, as core's today), up to today.
 */
function rentDates(today: string): { start: string; due: string[]; past: string[]; upcoming: string[] } {
  let month = addMonths(toCalendarDate(parseCalendarDate(today).year, parseCalendarDate(today).month, 1), -3)
  while (daysInMonth(parseCalendarDate(month).year, parseCalendarDate(month).month) !== 31) month = addMonths(month, -1)
  const { year, month: m } = parseCalendarDate(month)
  const start = toCalendarDate(year, m, 31)
  const dates: string[] = []
  for (let i = 0; i < 16; i++) {
    const p = parseCalendarDate(addMonths(toCalendarDate(year, m, 1), i))
    dates.push(toCalendarDate(p.year, p.month, Math.min(31, daysInMonth(p.year, p.month))))
  }
  return {
    start,
    // What the job posts today; what was missed before today; what the preview lists (today's on).
    due: dates.filter((d) => compareDates(d, today) <= 0),
    past: dates.filter((d) => compareDates(d, today) < 0),
    upcoming: dates.filter((d) => compareDates(d, today) >= 0)
  }
}

test('a monthly rent on the 31st set up through the form (an unbalanced one refused next to its lines), its preview, the recurring job posting every missed month, pause and resume, one occurrence reversed', async ({
  launch
}) => {
  test.setTimeout(180_000)
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
        expect((await core.invoke('ledger.createAccount', { code: '5200', name: 'Rent', type: 'expense' })).ok).toBe(true)
      } finally {
        await core.shutdown()
      }
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 860 })
  const shot = async (name: string) => {
    if (!SHOTS) return
    await page.screenshot({ path: `${SHOTS}/recurring-${name}.png`, fullPage: true })
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.screenshot({ path: `${SHOTS}/recurring-${name}-1024.png`, fullPage: true })
    await page.setViewportSize({ width: 1280, height: 860 })
  }
  const today = calendarDateInZone(new Date(), PROFILE.timeZone)
  const { start, due, past, upcoming } = rentDates(today)
  const day = (d: string) => formatCalendarDate(d, PROFILE.locale, 'medium')

  // ---- Settings: a catch-up of up to 12 missed occurrences posts by itself (the default, 1, would send them to review).
  await nav(page).getByRole('link', { name: 'Settings' }).click()
  const settings = page.getByRole('form', { name: 'Recurring settings' })
  const missed = settings.getByLabel('Missed occurrences that post by themselves', { exact: true })
  await expect(missed).toHaveValue('1')
  await missed.fill('12')
  await settings.getByRole('button', { name: 'Save recurring settings' }).click()
  await expect(settings.getByRole('status')).toHaveText('Saved')
  await settings.scrollIntoViewIfNeeded()
  await shot('settings')

  // ---- Recurring: nothing yet.
  await nav(page).getByRole('link', { name: 'Recurring' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Recurring' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Recurring' }).getByRole('link')).toHaveText(['Recurring entries', 'Standing orders', 'To review', 'Forecast'])
  await expect(page.getByText('No recurring entries yet')).toBeVisible()
  await page.getByRole('button', { name: 'New recurring entry' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'New recurring entry' })).toBeVisible()

  // ---- The form: monthly on the 31st from months ago; the preview says so and lists the next dates.
  await page.getByLabel('Name', { exact: true }).fill('Office rent')
  await page.getByLabel('Description', { exact: true }).fill('Office rent, Moi Avenue')
  await fillLine(page, 1, { account: '5200 Rent', debit: '25000' })
  await fillLine(page, 2, { account: '1010 Bank', credit: '24000' })
  await expect(page.getByTestId('entry-difference')).toHaveText('Difference Ksh 1,000.00: debits are more.')
  await expect(page.getByLabel('Repeats', { exact: true })).toHaveValue('monthly')
  await page.getByLabel('Start date', { exact: true }).fill(start)
  const preview = page.getByTestId('schedule-preview')
  await expect(preview.getByTestId('preview-rule')).toHaveText(`Every month on the 31st (the last day in shorter months), from ${day(start)}`)
  const dates = preview.getByTestId('preview-dates').getByRole('listitem')
  await expect(dates).toHaveCount(6)
  await expect(dates.first()).toContainText(day(upcoming[0] as string))
  await expect(dates.nth(1)).toContainText(day(upcoming[1] as string))
  // The months before today are caught up by the next run, each with its own date: up to 12 post by themselves (Settings).
  await expect(preview.getByTestId('catch-up-note')).toHaveText(
    `${past.length} occurrences fall before today: the next run of the recurring job catches them up, each with its own date; they post by themselves (up to 12 missed may; Settings → Recurring entries).`
  )
  // Month end is offered for a monthly rule only.
  await expect(page.getByLabel('On the month’s last day', { exact: true })).not.toBeChecked()
  await page.getByLabel('Repeats', { exact: true }).selectOption('weekly')
  await expect(page.getByLabel('On the month’s last day', { exact: true })).toHaveCount(0)
  await expect(preview.getByTestId('preview-rule')).toContainText('Every week on ')
  await page.getByLabel('Repeats', { exact: true }).selectOption('monthly')
  await expect(preview.getByTestId('preview-rule')).toContainText('Every month on the 31st')

  // Unbalanced: core refuses it, in its words next to the lines; nothing is saved.
  await page.getByRole('button', { name: 'Save recurring entry' }).click()
  await expect(page.getByTestId('lines-error')).toHaveText('Unbalanced by Ksh 1,000.00')
  await expect(page.getByRole('heading', { level: 1, name: 'New recurring entry' })).toBeVisible()
  await shot('form-unbalanced')

  await page.getByLabel('Line 2 credit', { exact: true }).fill('25000')
  await expect(page.getByTestId('lines-error')).toHaveCount(0)
  await expect(page.getByTestId('entry-difference')).toHaveText('Balanced: debits equal credits.')
  await page.getByRole('button', { name: 'Save recurring entry' }).click()

  // ---- The entry: its settings, no occurrence until the job runs.
  await expect(page.getByRole('heading', { level: 1, name: 'Office rent' })).toBeVisible()
  await expect(page.getByTestId('template-notice')).toContainText('Office rent was saved.')
  await expect(page.getByTestId('template-status')).toHaveText('Active')
  await expect(page.getByTestId('template-schedule')).toHaveText(`Every month on the 31st (the last day in shorter months), from ${day(start)}`)
  await expect(page.getByTestId('history-empty')).toContainText(`The first falls on ${day(due[0] as string)}`)
  await shot('detail-new')

  // ---- The recurring job, run now from Jobs: every missed month posts with its own date.
  await nav(page).getByRole('link', { name: 'Jobs' }).click()
  const job = page.locator('[data-job-id="recurring"]')
  await job.getByRole('button', { name: 'Run now' }).click()
  await expect(job.getByText('Succeeded')).toBeVisible({ timeout: 60_000 })

  await nav(page).getByRole('link', { name: 'Recurring' }).click()
  const row = page.locator('[data-template-status="active"]').filter({ hasText: 'Office rent' })
  await expect(row).toContainText('Ksh 25,000.00')
  await expect(row).toContainText(day(due.at(-1) as string))
  await shot('list')
  await row.getByRole('link', { name: 'Office rent' }).click()
  const history = page.getByRole('grid', { name: 'History' }).or(page.getByRole('table', { name: 'History' }))
  await expect(history.locator('[data-occurrence-id]')).toHaveCount(due.length)
  await expect(history.locator('[data-occurrence-status="posted"]')).toHaveCount(due.length)
  for (const d of due) await expect(history.locator(`[data-scheduled="${d}"]`)).toContainText('Posted')
  await expect(page.getByTestId('template-counts')).toHaveText(`${due.length} posted`)

  // The newest occurrence's entry opens in the journal's dialog.
  const newest = history.locator(`[data-scheduled="${due.at(-1) as string}"]`)
  await newest.getByRole('button', { name: /^Open entry #/ }).click()
  const entry = page.getByRole('dialog', { name: /^Journal entry #/ })
  await expect(entry).toContainText('Office rent, Moi Avenue')
  await shot('entry')
  await page.keyboard.press('Escape')
  await expect(entry).toHaveCount(0)

  // ---- Pause, then resume.
  await page.getByRole('button', { name: 'Pause', exact: true }).click()
  const pause = page.getByRole('dialog', { name: 'Pause Office rent?' })
  await pause.getByLabel('Reason', { exact: true }).fill('Landlord renegotiating')
  await pause.getByRole('button', { name: 'Pause', exact: true }).click()
  await expect(pause).toHaveCount(0)
  await expect(page.getByTestId('template-status')).toHaveText('Paused')
  await expect(page.getByTestId('template-status-note')).toContainText('Landlord renegotiating')
  await shot('paused')
  await page.getByRole('button', { name: 'Resume', exact: true }).click()
  const resume = page.getByRole('dialog', { name: 'Resume Office rent?' })
  await resume.getByRole('button', { name: 'Resume', exact: true }).click()
  await expect(resume).toHaveCount(0)
  await expect(page.getByTestId('template-status')).toHaveText('Active')

  // ---- Edit: with occurrences, how often and from when are fixed (the dates used would move); the rest changes.
  await page.getByRole('button', { name: 'Edit', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Office rent' })).toBeVisible()
  await expect(page.getByLabel('Line 1 account', { exact: true })).toHaveValue(/\d+/)
  await expect(page.getByLabel('Line 1 debit', { exact: true })).toHaveValue('25,000.00')
  await expect(page.getByLabel('Line 2 credit', { exact: true })).toHaveValue('25,000.00')
  await expect(page.getByLabel('Repeats', { exact: true })).toBeDisabled()
  await expect(page.getByLabel('Start date', { exact: true })).toBeDisabled()
  await expect(page.getByLabel('On the month’s last day', { exact: true })).toBeDisabled()
  await expect(page.getByText(`Fixed: this entry has ${due.length} occurrences already`)).toBeVisible()
  await expect(page.getByTestId('catch-up-note')).toHaveCount(0)
  await page.getByLabel('Description', { exact: true }).fill('Office rent, Moi Avenue, 3rd floor')
  await shot('form-edit')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Office rent' })).toBeVisible()
  await expect(page.getByTestId('template-notice')).toHaveText('Office rent was saved.')
  await expect(page.locator('.recurring-facts')).toContainText('Office rent, Moi Avenue, 3rd floor')

  // ---- The newest occurrence reversed, with a reason (required).
  await newest.getByRole('button', { name: /^Reverse occurrence/ }).click()
  const reverse = page.getByRole('dialog', { name: `Reverse the occurrence of ${day(due.at(-1) as string)}?` })
  await reverse.getByRole('button', { name: 'Reverse', exact: true }).click()
  await expect(reverse.locator('.field-error')).toHaveText('Say why it is reversed')
  await reverse.getByLabel('Reason', { exact: true }).fill('Paid twice')
  await reverse.getByRole('button', { name: 'Reverse', exact: true }).click()
  await expect(reverse).toHaveCount(0)
  await expect(page.getByTestId('template-notice')).toContainText('was reversed')
  await expect(newest).toContainText('Reversed')
  await expect(newest.getByRole('button', { name: /^Reverse occurrence/ })).toHaveCount(0)
  await shot('detail-history')
})

test('editing a recurring entry whose line names a member’s account shows the member and saves it unchanged; an estimated amount waits for review', async ({ launch }) => {
  test.setTimeout(120_000)
  let templateId = 0
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
        const m = await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01' })
        if (!m.ok) throw new Error(m.error.message)
        const memberId = (m.value as { id: number }).id
        const sav = await core.invoke('ledger.openMemberAccount', { memberId, product: 'savings' })
        if (!sav.ok) throw new Error(sav.error.message)
        const accounts = await core.invoke('ledger.accounts', { includeInactive: true })
        if (!accounts.ok) throw new Error(accounts.error.message)
        const code = (c: string) => (accounts.value as { accounts: Array<{ id: number; code: string }> }).accounts.find((a) => a.code === c)?.id as number
        const t = await core.invoke('recurring.createTemplate', {
          name: 'Amina’s ledger fee',
          description: 'Monthly ledger fee',
          lines: [
            { accountId: code('2000'), memberAccountId: (sav.value as { id: number }).id, debitMinor: 5_000 },
            { accountId: code('4100'), creditMinor: 5_000 }
          ],
          frequency: 'monthly',
          startDate: '2030-01-15'
        })
        if (!t.ok) throw new Error(t.error.message)
        templateId = (t.value as { id: number }).id
      } finally {
        await core.shutdown()
      }
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 860 })
  await nav(page).getByRole('link', { name: 'Recurring' }).click()
  await page.locator(`[data-template-id="${templateId}"]`).getByRole('link', { name: 'Amina’s ledger fee' }).click()
  await expect(page.locator('.recurring-lines')).toContainText('M-00001-SAV')
  await page.getByRole('button', { name: 'Edit', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Amina’s ledger fee' })).toBeVisible()
  await expect(page.getByLabel('Line 1 member', { exact: true })).toHaveValue('Amina Odhiambo · M-00001')
  // Nothing generated yet: the schedule may still change.
  await expect(page.getByLabel('Repeats', { exact: true })).toBeEnabled()
  // An estimated amount always waits for review: Posting shows it so.
  await page.getByLabel('Amount', { exact: true }).selectOption('estimated')
  await expect(page.getByLabel('Posting', { exact: true })).toBeDisabled()
  await expect(page.getByLabel('Posting', { exact: true })).toHaveValue('review')
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/recurring-form-member.png`, fullPage: true })
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByTestId('template-notice')).toHaveText('Amina’s ledger fee was saved.')
  await expect(page.locator('.recurring-facts')).toContainText('Waits for review (estimated amount)')
  await expect(page.locator('.recurring-lines')).toContainText('M-00001-SAV')
})
