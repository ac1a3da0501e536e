import type { Page } from '@playwright/test'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { PROFILE } from './support/auth'
import { addDays, addMonths, formatCalendarDate } from '../../src/shared/dates'
import type { Core } from '../../src/core'

const SHOTS = process.env.COFFER_SHOTS_DIR

/** Today in the cooperative's zone (core keeps its real clock in the e2e driver). */
const todayInZone = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: PROFILE.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())

/** A date as the app shows it in en-KE ("12 Mar 2026"). */
const shown = (date: string) => formatCalendarDate(date, PROFILE.locale, 'medium')

async function ok<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const r = await core.invoke(channel as never, input as never)
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`)
  return r.value as T
}

/**
 * The plan: a monthly rent whose start lies three months back, on a day every
 * month has (at most the 28th). Its dates up to today; those before today
 * were missed while the PC was off.
 */
function plan() {
  const today = todayInZone()
  const back = addMonths(today, -3)
  const start = `${back.slice(0, 8)}${String(Math.min(Number(back.slice(8)), 28)).padStart(2, '0')}`
  const dates: string[] = []
  for (let k = 0; addMonths(start, k) <= today; k++) dates.push(addMonths(start, k))
  const missed = dates.filter((d) => d < today)
  const dueToday = dates.includes(today)
  // The next one after today (the forecast's).
  let k = dates.length
  while (addMonths(start, k) <= today) k++
  return { today, start, missed, dueToday, next: addMonths(start, k) }
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })

test('To review: a large catch-up waits; post some with their own dates, one order short of money fails by its row, skip it, postpone the rest, confirm an estimate; the journal has them on their dates; the forecast lists the failing order', async ({
  launch
}) => {
  test.setTimeout(240_000)
  const p = plan()
  const ORDER = 5_000_00
  // Before the catch-up is decided the member has 7,000: one missed order (5,000) goes through, the next does not.
  const deposit = 7_000_00 + (p.dueToday ? ORDER : 0)
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        await ok(core, 'profile.save', PROFILE)
        const rent = await ok<{ id: number }>(core, 'ledger.createAccount', { code: '5200', name: 'Rent', type: 'expense' })
        const power = await ok<{ id: number }>(core, 'ledger.createAccount', { code: '5210', name: 'Electricity', type: 'expense' })
        const accounts = (await ok<{ accounts: Array<{ id: number; role: string | null }> }>(core, 'ledger.accounts', {})).accounts
        const bank = accounts.find((a) => a.role === 'bank')!.id
        const member = await ok<{ id: number }>(core, 'members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01' })
        const savings = await ok<{ id: number }>(core, 'ledger.openMemberAccount', { memberId: member.id, product: 'savings' })
        const shares = await ok<{ id: number }>(core, 'ledger.openMemberAccount', { memberId: member.id, product: 'shares' })
        await ok(core, 'ledger.deposit', { memberAccountId: savings.id, amountMinor: deposit, valueDate: addDays(p.start, -5), via: 'bank' })
        await ok(core, 'recurring.createTemplate', {
          name: 'Office rent',
          description: 'Office rent',
          lines: [
            { accountId: rent.id, debitMinor: 30_000_00 },
            { accountId: bank, creditMinor: 30_000_00 }
          ],
          frequency: 'monthly',
          startDate: p.start
        })
        // An estimated bill: it always waits for its real amount.
        await ok(core, 'recurring.createTemplate', {
          name: 'Electricity',
          description: 'Electricity bill',
          amountKind: 'estimated',
          lines: [
            { accountId: power.id, debitMinor: 1_500_00 },
            { accountId: bank, creditMinor: 1_500_00 }
          ],
          frequency: 'monthly',
          startDate: p.today
        })
        await ok(core, 'recurring.createOrder', {
          memberId: member.id,
          fromMemberAccountId: savings.id,
          target: { kind: 'member-account', memberAccountId: shares.id },
          amountMinor: ORDER,
          frequency: 'monthly',
          startDate: p.start
        })
        // The jobs, as after the PC was off: the missed ones go to To review (more than one missed), today's go through.
        await ok(core, 'recurring.run', { dryRun: false })
        await ok(core, 'recurring.runOrders', { dryRun: false })
      } finally {
        await core.shutdown()
      }
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 860 })
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/recurring-review-${name}.png`, fullPage: true })
  }

  await page.goto(page.url().replace(/#.*$/, '#/recurring/review'))
  await expect(page.getByRole('heading', { level: 1, name: 'Recurring' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Recurring' }).getByRole('link', { name: /To review/ })).toHaveClass(/is-current/)

  const rows = page.locator('tr[data-occurrence-id]')
  const rentRows = rows.filter({ hasText: 'Office rent' })
  const orderRows = page.locator('tr[data-occurrence-id][data-kind="order"]')
  const power = rows.filter({ hasText: 'Electricity' })
  const n = p.missed.length
  await expect(rentRows).toHaveCount(n)
  await expect(orderRows).toHaveCount(n)
  await expect(power).toHaveCount(1)
  await expect(rentRows.first()).toHaveAttribute('data-review', 'catch-up')
  await expect(rentRows.first()).toContainText('Large catch-up')
  await expect(rentRows.first()).toContainText(shown(p.missed[0]!))
  await expect(power).toContainText('Estimated amount')
  // The bank pays the rent: it goes below zero, in red. The member's savings: 7,000 after today's order.
  await expect(rentRows.first().locator('.is-negative')).toBeVisible()
  await expect(rentRows.first()).toContainText('Bank (1010)')
  await expect(orderRows.first()).toContainText('M-00001-SAV')
  await expect(orderRows.first().getByTestId('balance-after')).toHaveText('2,000.00')
  await expect(orderRows.nth(1).getByTestId('balance-after')).toHaveText('-3,000.00')
  await shot('list')

  // ---- The member's orders (the list is in date order, the rent between them): tick the first two; the second is short of money.
  await orderRows.first().click()
  await orderRows.nth(1).click()
  await expect(page.getByTestId('review-selection')).toContainText('2 occurrences selected')
  await page.getByRole('button', { name: 'Post', exact: true }).click()
  await page.getByRole('dialog', { name: 'Post 2 occurrences with their own dates?' }).getByRole('button', { name: 'Post', exact: true }).click()
  await expect(page.getByTestId('review-result')).toHaveText('Posted 1 occurrence with its own date. 1 could not be posted: the reason is next to it, marked below.')
  const short = page.locator('tr[data-occurrence-id][data-result="failed"]')
  await expect(short).toHaveCount(1)
  await expect(short.getByTestId('row-failure')).toContainText('Not posted: Not enough in M-00001-SAV: the balance is Ksh 2,000.00, the order needs Ksh 5,000.00.')
  await expect(orderRows).toHaveCount(n - 1)
  await shot('failed-by-row')

  // What could not be done stays selected: skip it, with a reason.
  await expect(page.getByTestId('review-selection')).toContainText('1 occurrence selected')
  await page.getByRole('button', { name: 'Skip…' }).click()
  const skip = page.getByRole('dialog', { name: 'Skip 1 occurrence?' })
  await skip.getByLabel('Reason').fill('Amina is short this month')
  await skip.getByRole('button', { name: 'Skip', exact: true }).click()
  await expect(page.getByTestId('review-result')).toHaveText('Skipped 1 occurrence.')
  await expect(orderRows).toHaveCount(n - 2)

  // The rest of the orders: postponed a week.
  const until = addDays(p.today, 7)
  for (let i = 0; i < n - 2; i++) await orderRows.nth(i).click()
  await page.getByRole('button', { name: 'Postpone…' }).click()
  const postpone = page.getByRole('dialog', { name: /^Postpone \d+ occurrences?\?$/ })
  await postpone.getByLabel('Until').fill(p.today)
  await postpone.getByRole('button', { name: 'Postpone', exact: true }).click()
  await expect(postpone.locator('.field-error')).toHaveText('Choose a day after today')
  await postpone.getByLabel('Until').fill(until)
  await postpone.getByRole('button', { name: 'Postpone', exact: true }).click()
  await expect(page.getByTestId('review-result')).toContainText(`until ${shown(until)}: ${n - 2 === 1 ? 'it comes' : 'they come'} back to this list then.`)
  await expect(orderRows).toHaveCount(0)

  // ---- The rent, now one run of rows: click the first, Shift-click the last (a range), post with their own dates.
  await rentRows.first().click()
  await rentRows.last().click({ modifiers: ['Shift'] })
  await expect(page.getByTestId('review-selection')).toContainText(`${n} occurrences selected`)
  await page.getByRole('button', { name: 'Post', exact: true }).click()
  const postDialog = page.getByRole('dialog', { name: `Post ${n} occurrences with their own dates?` })
  await expect(postDialog).toContainText('Each is posted on its own date')
  await postDialog.getByRole('button', { name: 'Post', exact: true }).click()
  await expect(postDialog).toHaveCount(0)
  await expect(page.getByTestId('review-result')).toHaveText(`Posted ${n} occurrences with their own dates.`)
  await expect(rentRows).toHaveCount(0)

  // ---- The estimate: it asks for the real amount before it posts.
  await power.click()
  await page.getByRole('button', { name: 'Post', exact: true }).click()
  const confirm = page.getByRole('dialog', { name: 'Post 1 occurrence with its own date?' })
  await expect(confirm).toContainText('One amount is an estimate')
  const amount = confirm.getByLabel(/^Real amount of Electricity/)
  await expect(amount).toBeFocused()
  await confirm.getByRole('button', { name: 'Post', exact: true }).click()
  await expect(confirm.locator('.field-error')).toHaveText('Enter the real amount')
  await amount.fill('1,234.50')
  await shot('estimate')
  await confirm.getByRole('button', { name: 'Post', exact: true }).click()
  await expect(page.getByTestId('review-result')).toHaveText('Posted 1 occurrence with its own date.')
  await expect(page.getByTestId('review-empty')).toHaveText(/Nothing waits for review\./)
  await shot('empty')

  // ---- The journal lists the rent on its own dates.
  await nav(page).getByRole('link', { name: 'Journal' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Journal' })).toBeVisible()
  const recurringEntries = page.locator('[data-entry-id][data-source="recurring"]')
  await expect(recurringEntries).toHaveCount(n + (p.dueToday ? 1 : 0) + 1)
  for (const d of p.missed) await expect(recurringEntries.filter({ hasText: 'Office rent' }).filter({ hasText: shown(d) })).toHaveCount(1)
  await expect(recurringEntries.filter({ hasText: 'Electricity bill' })).toContainText('1,234.50')

  // ---- The forecast: the member's order cannot be covered (2,000 left against 5,000).
  await page.goto(page.url().replace(/#.*$/, '#/recurring/forecast'))
  await expect(page.getByRole('heading', { level: 1, name: 'Recurring' })).toBeVisible()
  await page.getByRole('group', { name: 'Days ahead' }).getByRole('button', { name: '60 days' }).click()
  await expect(page.getByTestId('forecast-span')).toContainText(`${shown(p.today)} to ${shown(addDays(p.today, 59))}`)
  const failing = page.getByTestId('forecast-failing')
  await expect(failing.getByRole('heading')).toContainText('will fail for lack of funds')
  const nextOrder = failing.locator(`tr[data-date="${p.next}"]`)
  await expect(nextOrder).toContainText('Amina Odhiambo')
  await expect(nextOrder).toContainText('M-00001-SAV')
  await expect(nextOrder).toContainText('5,000.00')
  await expect(nextOrder).toContainText('3,000.00')
  await expect(page.getByTestId('balance-chart')).toBeVisible()
  await expect(page.locator('.forecast-accounts [data-account-code="1010"]')).toBeVisible()
  await expect(page.locator('.forecast-events-table tr[data-will-fail="yes"]').first()).toBeVisible()
  await shot('forecast')
  if (SHOTS) {
    await failing.screenshot({ path: `${SHOTS}/recurring-review-forecast-failing.png` })
    await page.locator('.forecast-events-panel').screenshot({ path: `${SHOTS}/recurring-review-forecast-events.png` })
  }

  await page.setViewportSize({ width: 1024, height: 700 })
  await shot('forecast-1024')
  await page.goto(page.url().replace(/#.*$/, '#/recurring/review'))
  await expect(page.getByTestId('review-empty')).toBeVisible()

  // ---- Core has the entries on the rent's own dates.
  const dataDir = app.dataDir
  await app.close()
  const core = openTestCore(dataDir)
  try {
    const journal = await ok<{ entries: Array<{ valueDate: string; description: string; source: string }> }>(core, 'ledger.journal', { source: 'recurring', limit: 200 })
    const rentDates = journal.entries.filter((e) => e.description === 'Office rent').map((e) => e.valueDate).sort()
    expect(rentDates).toEqual([...p.missed, ...(p.dueToday ? [p.today] : [])])
    const orders = await ok<{ entries: Array<{ valueDate: string }> }>(core, 'ledger.journal', { source: 'standing-order', limit: 200 })
    expect(orders.entries.map((e) => e.valueDate).sort()).toEqual([p.missed[0]!, ...(p.dueToday ? [p.today] : [])].sort())
  } finally {
    await core.shutdown()
  }
})

test('To review and the forecast on a narrow window; the forecast keeps up with 30,000 events', async ({ launch }) => {
  test.setTimeout(300_000)
  const p = plan()
  const ORDERS = 340 // daily, 90 days: about 30,600 events
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        await ok(core, 'profile.save', PROFILE)
        const accounts = (await ok<{ accounts: Array<{ id: number; role: string | null }> }>(core, 'ledger.accounts', {})).accounts
        const fees = accounts.find((a) => a.role === 'fee-income')!.id
        const bank = accounts.find((a) => a.role === 'bank')!.id
        const rent = await ok<{ id: number }>(core, 'ledger.createAccount', { code: '5200', name: 'Rent', type: 'expense' })
        await ok(core, 'recurring.createTemplate', {
          name: 'Office rent',
          description: 'Office rent',
          lines: [
            { accountId: rent.id, debitMinor: 30_000_00 },
            { accountId: bank, creditMinor: 30_000_00 }
          ],
          frequency: 'monthly',
          startDate: p.start
        })
        const member = await ok<{ id: number }>(core, 'members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01' })
        const savings = await ok<{ id: number }>(core, 'ledger.openMemberAccount', { memberId: member.id, product: 'savings' })
        await ok(core, 'ledger.deposit', { memberAccountId: savings.id, amountMinor: 500_000_00, valueDate: addDays(p.today, -1), via: 'bank' })
        const tomorrow = addDays(p.today, 1)
        for (let i = 0; i < ORDERS; i++) {
          await ok(core, 'recurring.createOrder', {
            memberId: member.id,
            fromMemberAccountId: savings.id,
            target: { kind: 'account', accountId: fees },
            amountMinor: 10_00 + i,
            frequency: 'daily',
            startDate: tomorrow,
            priority: 1 + (i % 99)
          })
        }
        await ok(core, 'recurring.run', { dryRun: false })
      } finally {
        await core.shutdown()
      }
    }
  })
  const page = app.page
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/recurring-review-${name}.png`, fullPage: true })
  }

  // The rent's catch-up on a 1024 x 700 window: every column and the four actions whole.
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.goto(page.url().replace(/#.*$/, '#/recurring/review'))
  const rows = page.locator('tr[data-occurrence-id]')
  await expect(rows).toHaveCount(p.missed.length)
  // From the keyboard: Space ticks the first, Shift+Arrow Down extends the range a row at a time.
  await rows.first().focus()
  await page.keyboard.press('Space')
  await page.keyboard.press('Shift+ArrowDown')
  await expect(page.getByTestId('review-selection')).toContainText('2 occurrences selected')
  await page.getByRole('button', { name: 'Clear selection' }).click()
  await page.getByRole('checkbox', { name: 'Select all occurrences' }).check()
  await expect(page.getByTestId('review-selection')).toContainText(`${p.missed.length} occurrences selected`)
  for (const name of ['Post', 'Post as of today', 'Postpone…', 'Skip…']) await expect(page.getByRole('button', { name, exact: true })).toBeEnabled()
  const frame = await page.locator('.review-scroll').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }))
  expect(frame.scroll).toBeLessThanOrEqual(frame.client)
  await shot('list-1024')

  // 90 days of 340 daily orders: the events table draws only what is in view, and scrolls to the end at once.
  await page.setViewportSize({ width: 1280, height: 860 })
  const asked = Date.now()
  await page.goto(page.url().replace(/#.*$/, '#/recurring/forecast?days=90'))
  await expect(page.getByTestId('forecast-span')).toContainText(/3\d,\d{3} events/, { timeout: 60_000 })
  test.info().annotations.push({ type: 'forecast of ~30,000 events on screen', description: `${Date.now() - asked} ms` })
  const events = page.locator('.forecast-events-table tbody tr[data-event]')
  const drawn = await events.count()
  expect(drawn).toBeGreaterThan(5)
  expect(drawn).toBeLessThan(120)
  const scroller = page.locator('.forecast-events-scroll')
  const started = Date.now()
  await scroller.evaluate((el) => {
    el.scrollTop = el.scrollHeight
  })
  await expect(page.locator('.forecast-events-table tbody tr[aria-rowindex]').last()).toHaveAttribute('data-date', addDays(p.today, 89))
  expect(Date.now() - started).toBeLessThan(2_000)
  if (SHOTS) await page.locator('.forecast-events-panel').screenshot({ path: `${SHOTS}/recurring-review-forecast-30k-events.png` })
  // Switching back to 30 days and again to 90 stays quick (the answer is kept).
  await page.getByRole('group', { name: 'Days ahead' }).getByRole('button', { name: '30 days' }).click()
  await expect(page.getByTestId('forecast-span')).toContainText(`to ${shown(addDays(p.today, 29))}`)
  await shot('forecast-30k')
})
