import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { AUDITOR, CLERK, PROFILE, TREASURER, seedOperator, signInAs } from './support/auth'
import type { Page } from '@playwright/test'

const SHOTS = process.env.COFFER_SHOTS_DIR

/** Today and the month before it in the cooperative's zone (core keeps its real clock in the e2e driver). */
function months(): { today: string; thisMonth: string; lastMonth: string } {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: PROFILE.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())
  const [y, m] = today.split('-').map(Number) as [number, number]
  const lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
  return { today, thisMonth: today.slice(0, 7), lastMonth }
}

const monthWords = (month: string) =>
  new Intl.DateTimeFormat('en-KE', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1)
  )

test("a member's savings and shares: deposit, withdrawal refused past the balance, shares; the dashboard follows; a closed month refuses a deposit until reopened", async ({
  launch
}) => {
  test.setTimeout(180_000)
  let memberId = 0
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
      const m = await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01' })
      if (!m.ok) throw new Error('seed failed')
      memberId = (m.value as { id: number }).id
      await core.shutdown()
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 860 })
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/ledger-${name}.png`, fullPage: true })
  }
  const { thisMonth, lastMonth } = months()
  const base = page.url().split('#')[0]
  const openMember = async (p: Page) => {
    await p.goto(`${base}#/members/${memberId}`)
    await expect(p.getByRole('heading', { level: 1, name: 'Amina Odhiambo' })).toBeVisible()
  }

  // Signed in, the dashboard is the first page; nothing has moved yet.
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  await expect(page.getByTestId('dash-savings')).toHaveText('Ksh 0.00')
  await expect(page.getByTestId('dash-shares')).toHaveText('Ksh 0.00')

  // The member's page: open a savings account, deposit into it.
  await openMember(page)
  const accounts = page.getByTestId('member-accounts')
  await expect(accounts.locator('[data-product="savings"]')).toContainText('No savings account')
  await accounts.getByRole('button', { name: 'Open savings account' }).click()
  const savings = accounts.locator('[data-product="savings"]')
  await expect(savings).toContainText('M-00001-SAV')
  await expect(accounts.getByTestId('member-account-balance-savings')).toHaveText('Ksh 0.00')
  await expect(savings.getByRole('link', { name: 'Statement of M-00001-SAV' })).toHaveAttribute('href', /#\/member-accounts\/\d+\/statement$/)

  await savings.getByRole('button', { name: 'Deposit' }).click()
  let dialog = page.getByRole('dialog', { name: 'Deposit to M-00001-SAV' })
  await dialog.getByLabel('Amount (KES)').fill('1,500.00')
  await dialog.getByLabel('Reference').fill('RCPT-0001')
  await shot('deposit-dialog')
  await dialog.getByRole('button', { name: 'Deposit', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(accounts.getByTestId('member-account-balance-savings')).toHaveText('Ksh 1,500.00')
  await expect(accounts.getByTestId('member-accounts-notice')).toContainText('Deposited M-00001-SAV: Ksh 1,500.00')

  // The dashboard's savings total and cash follow.
  await page.getByRole('link', { name: 'Dashboard' }).click()
  await expect(page.getByTestId('dash-savings')).toHaveText('Ksh 1,500.00')
  await expect(page.getByTestId('dash-cash')).toHaveText('Ksh 1,500.00')

  // A withdrawal past the balance is refused, with core's message next to the amount; nothing moves.
  await openMember(page)
  await savings.getByRole('button', { name: 'Withdraw' }).click()
  dialog = page.getByRole('dialog', { name: 'Withdraw from M-00001-SAV' })
  const amount = dialog.getByLabel('Amount (KES)')
  await amount.fill('2000')
  await dialog.getByRole('button', { name: 'Withdraw', exact: true }).click()
  await expect(amount).toHaveAttribute('aria-invalid', 'true')
  await expect(dialog.locator('.field-error')).toHaveText('More than the available Ksh 1,500.00')
  await shot('withdraw-refused')
  await amount.fill('200')
  await dialog.getByRole('button', { name: 'Withdraw', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(accounts.getByTestId('member-account-balance-savings')).toHaveText('Ksh 1,300.00')

  // Share capital: open the account, buy shares through the bank.
  await accounts.getByRole('button', { name: 'Open share capital account' }).click()
  const shares = accounts.locator('[data-product="shares"]')
  await expect(shares).toContainText('M-00001-SHR')
  await shares.getByRole('button', { name: 'Buy shares' }).click()
  dialog = page.getByRole('dialog', { name: 'Buy shares for M-00001-SHR' })
  await dialog.getByLabel('Amount (KES)').fill('1000')
  await dialog.getByLabel('Received in').selectOption('bank')
  await dialog.getByRole('button', { name: 'Buy shares', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(accounts.getByTestId('member-account-balance-shares')).toHaveText('Ksh 1,000.00')
  await shot('member-accounts')

  // Settings → Periods: this month has not ended, so core refuses it, its sentence next to the month.
  await page.getByRole('link', { name: 'Settings' }).click()
  const periods = page.getByTestId('periods')
  const month = periods.getByLabel('Month to close')
  await month.fill(thisMonth)
  await periods.getByRole('button', { name: 'Close month' }).click()
  await expect(month).toHaveAttribute('aria-invalid', 'true')
  await expect(periods.locator('.field-error')).toHaveText(`${monthWords(thisMonth)} has not ended yet; a month is closed after its last day.`)
  await periods.scrollIntoViewIfNeeded()
  await shot('periods-not-ended')
  // Last month closes.
  await month.fill(lastMonth)
  await periods.getByRole('button', { name: 'Close month' }).click()
  const closed = periods.getByRole('table', { name: 'Closed months' })
  await expect(closed.locator(`[data-month="${lastMonth}"]`)).toContainText(monthWords(lastMonth))
  await expect(closed.locator(`[data-month="${lastMonth}"]`)).toContainText('Ada')
  await expect(periods.getByRole('table', { name: 'Closing and reopening history' }).locator('[data-action="closed"]')).toHaveCount(1)

  // A deposit dated in the closed month is refused, the message next to the date.
  await openMember(page)
  await savings.getByRole('button', { name: 'Deposit' }).click()
  dialog = page.getByRole('dialog', { name: 'Deposit to M-00001-SAV' })
  await dialog.getByLabel('Amount (KES)').fill('250')
  const valueDate = dialog.getByLabel('Value date')
  await valueDate.fill(`${lastMonth}-15`)
  await dialog.getByRole('button', { name: 'Deposit', exact: true }).click()
  await expect(valueDate).toHaveAttribute('aria-invalid', 'true')
  await expect(dialog.locator('.field-error')).toHaveText(`${monthWords(lastMonth)} is closed: reopen it in Settings, or choose a later date`)
  await shot('deposit-closed-month')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(accounts.getByTestId('member-account-balance-savings')).toHaveText('Ksh 1,300.00')

  // Reopen it, with a reason (required); the history says who and why.
  await page.getByRole('link', { name: 'Settings' }).click()
  await closed.getByRole('button', { name: `Reopen ${monthWords(lastMonth)}` }).click()
  dialog = page.getByRole('dialog', { name: `Reopen ${monthWords(lastMonth)}?` })
  await dialog.getByRole('button', { name: 'Reopen month' }).click()
  await expect(dialog.locator('.field-error')).toHaveText('Reason is required')
  await dialog.getByLabel('Reason').fill('A late deposit slip from the bank')
  await shot('reopen-dialog')
  await dialog.getByRole('button', { name: 'Reopen month' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(periods.getByText('No month is closed.')).toBeVisible()
  const reopened = periods.getByRole('table', { name: 'Closing and reopening history' }).locator('[data-action="reopened"]')
  await expect(reopened).toContainText('A late deposit slip from the bank')
  await expect(reopened).toContainText('Ada')
  await periods.scrollIntoViewIfNeeded()
  await shot('periods')

  // Now the back-dated deposit goes through, and the dashboard shows it in last month's bars.
  await openMember(page)
  await savings.getByRole('button', { name: 'Deposit' }).click()
  dialog = page.getByRole('dialog', { name: 'Deposit to M-00001-SAV' })
  await dialog.getByLabel('Amount (KES)').fill('250')
  await dialog.getByLabel('Value date').fill(`${lastMonth}-15`)
  await dialog.getByRole('button', { name: 'Deposit', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(accounts.getByTestId('member-account-balance-savings')).toHaveText('Ksh 1,550.00')

  await page.getByRole('link', { name: 'Dashboard' }).click()
  await expect(page.getByTestId('dash-savings')).toHaveText('Ksh 1,550.00')
  await expect(page.getByTestId('dash-shares')).toHaveText('Ksh 1,000.00')
  await expect(page.getByTestId('dash-cash')).toHaveText('Ksh 1,550.00')
  await expect(page.getByTestId('dash-bank')).toHaveText('Ksh 1,000.00')
  const chart = page.getByRole('img', { name: 'Cash and bank in and out by month' })
  await expect(chart).toBeVisible()
  await expect(chart.locator(`[data-month="${lastMonth}"] title`)).toHaveText(`${monthWords(lastMonth)}: in Ksh 250.00, out Ksh 0.00`)
  await page.getByText('Figures by month').click()
  const figures = page.getByRole('table', { name: 'Cash and bank by month' })
  await expect(figures.locator(`[data-month="${thisMonth}"]`)).toContainText('2,500.00')
  await expect(figures.locator(`[data-month="${thisMonth}"]`)).toContainText('200.00')
  await shot('dashboard')
})

test('each role is offered only what it may do: a clerk deposits and buys shares but does not withdraw, an auditor only reads, a treasurer closes months', async ({
  launch
}) => {
  test.setTimeout(120_000)
  let memberId = 0
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
      const m = await core.invoke('members.create', { memberNo: 'M-00002', fullName: 'Baraka Mwangi', joinedOn: '2021-03-01' })
      if (!m.ok) throw new Error('seed failed')
      memberId = (m.value as { id: number }).id
      expect((await core.invoke('ledger.openMemberAccount', { memberId, product: 'savings' })).ok).toBe(true)
      for (const who of [CLERK, AUDITOR, { ...TREASURER, role: 'treasurer' as const }]) await seedOperator(core, who)
      await core.shutdown()
    }
  })
  const page = app.page
  const base = page.url().split('#')[0]
  const accounts = page.getByTestId('member-accounts')
  const savings = accounts.locator('[data-product="savings"]')

  await signInAs(page, CLERK)
  await page.goto(`${base}#/members/${memberId}`)
  await expect(savings).toContainText('M-00002-SAV')
  await expect(savings.getByRole('button', { name: 'Deposit' })).toBeVisible()
  await expect(savings.getByRole('button', { name: 'Withdraw' })).toHaveCount(0)
  await expect(accounts.getByRole('button', { name: 'Open share capital account' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' })).toHaveCount(0)

  await signInAs(page, AUDITOR)
  await page.goto(`${base}#/members/${memberId}`)
  await expect(savings).toContainText('M-00002-SAV')
  await expect(savings.getByRole('link', { name: 'Statement of M-00002-SAV' })).toBeVisible()
  await expect(accounts.getByRole('button')).toHaveCount(0)
  await page.getByRole('link', { name: 'Dashboard' }).click()
  await expect(page.getByTestId('dash-savings')).toHaveText('Ksh 0.00')

  await signInAs(page, TREASURER)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
  const periods = page.getByTestId('periods')
  await expect(periods.getByRole('button', { name: 'Close month' })).toBeVisible()
  await expect(page.getByText('Only an administrator can change the settings; you can close and reopen months under Periods.')).toBeVisible()
})
