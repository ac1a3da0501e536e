import type { Page } from '@playwright/test'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { CLERK, PROFILE, TREASURER, seedOperator, signInAs } from './support/auth'

const SHOTS = process.env.COFFER_SHOTS_DIR

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })

/** Today in the cooperative's zone (core keeps its real clock in the e2e driver). */
const today = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: PROFILE.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())
/** A date as the window shows it in en-KE ("15 Jul 2025"). */
const shown = (date: string) =>
  new Intl.DateTimeFormat('en-KE', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))))

test("a member's standing order: set up through the form (its field errors first), paid by the standing-orders job into the member's shares; a clerk's order out to a bank waits for a treasurer's approval", async ({
  launch
}) => {
  test.setTimeout(240_000)
  let memberId = 0
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
        await seedOperator(core, CLERK)
        await seedOperator(core, { ...TREASURER, role: 'treasurer' })
        const m = await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01' })
        if (!m.ok) throw new Error(m.error.message)
        memberId = (m.value as { id: number }).id
        const savings = await core.invoke('ledger.openMemberAccount', { memberId, product: 'savings' })
        if (!savings.ok) throw new Error(savings.error.message)
        expect((await core.invoke('ledger.openMemberAccount', { memberId, product: 'shares' })).ok).toBe(true)
        const d = await core.invoke('ledger.deposit', {
          memberAccountId: (savings.value as { id: number }).id,
          amountMinor: 500_000,
          valueDate: today(),
          via: 'cash',
          reference: 'RCPT-1',
          description: null
        })
        if (!d.ok) throw new Error(d.error.message)
      } finally {
        await core.shutdown()
      }
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 860 })
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/orders-${name}.png`, fullPage: true })
  }
  const base = page.url().split('#')[0]
  const openMember = async () => {
    await page.goto(`${base}#/members/${memberId}`)
    await expect(page.getByRole('heading', { level: 1, name: 'Amina Odhiambo' })).toBeVisible()
  }
  const accounts = page.getByTestId('member-accounts')
  const panel = page.getByTestId('member-standing-orders')

  // The member's page: savings 5,000, shares nothing yet, no standing order.
  await openMember()
  await expect(accounts.getByTestId('member-account-balance-savings')).toHaveText('Ksh 5,000.00')
  await expect(accounts.getByTestId('member-account-balance-shares')).toHaveText('Ksh 0.00')
  await expect(panel).toContainText('No standing orders.')
  await panel.getByRole('button', { name: 'New standing order' }).click()

  // The form: from savings (its balance shown), into shares by default; the schedule's next dates on the right.
  await expect(page.getByRole('heading', { level: 1, name: 'New standing order' })).toBeVisible()
  const form = page.getByRole('form', { name: 'New standing order' })
  await expect(form.getByLabel('Pays from', { exact: true })).toHaveValue(/\d+/)
  await expect(form.getByText('Balance Ksh 5,000.00')).toBeVisible()
  const preview = page.getByTestId('order-preview')
  await expect(preview.getByTestId('order-preview-schedule')).toContainText('Every month')
  await expect(preview.getByRole('listitem').first()).toHaveText(shown(today()))

  // Saved with no amount, and paying into the account it pays from: the amount's message first (the form's own)...
  const into = form.getByLabel('Account it pays into', { exact: true })
  await into.selectOption({ label: 'M-00001-SAV · Savings · Ksh 5,000.00' })
  await form.getByRole('button', { name: 'Save standing order' }).click()
  const amount = form.getByLabel('Amount (KES)', { exact: true })
  await expect(amount).toHaveAttribute('aria-invalid', 'true')
  await expect(amount).toBeFocused()
  await expect(form.locator('.field-error')).toHaveText(['Amount is required'])
  await shot('form-amount-required')
  // ...then core's, next to the account it pays into.
  await amount.fill('1,000')
  await form.getByRole('button', { name: 'Save standing order' }).click()
  await expect(into).toHaveAttribute('aria-invalid', 'true')
  await expect(form.locator('.field-error')).toHaveText(['The same as the account it pays from'])
  await shot('form-same-account')
  await into.selectOption({ label: 'M-00001-SHR · Share capital · Ksh 0.00' })
  await expect(preview).toContainText('Ksh 1,000.00 from M-00001-SAV to M-00001-SHR')
  await form.getByLabel('Description', { exact: true }).fill('Monthly shares')
  await form.getByRole('button', { name: 'Save standing order' }).click()

  // The order's page: active, nothing paid yet.
  await expect(page.getByRole('heading', { level: 1, name: /^Standing order #\d+$/ })).toBeVisible()
  const orderUrl = page.url()
  await expect(page.getByTestId('order-notice')).toHaveText('Standing order set up.')
  await expect(page.getByTestId('order-status')).toHaveText('Active')
  await expect(page.getByTestId('order-next')).toContainText(shown(today()))
  await expect(page.getByText(/Nothing yet: each payment appears here/)).toBeVisible()

  // The member's page lists it.
  await openMember()
  const row = panel.locator('[data-order-id]')
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('M-00001-SAV to M-00001-SHR')
  await expect(row).toContainText('1,000.00')
  await expect(row).toContainText('Active')

  // The standing-orders job, run now from the Jobs page, pays today's.
  await nav(page).getByRole('link', { name: 'Jobs' }).click()
  const job = page.locator('[data-job-id="standing-orders"]')
  await job.getByRole('button', { name: 'Run now' }).click()
  await expect(job.getByText('Succeeded')).toBeVisible({ timeout: 60_000 })

  // In the order's history: posted today, with its entry; the member's balances moved.
  await page.goto(orderUrl)
  const history = page.getByRole('table', { name: 'Order history' })
  const paid = history.locator('[data-occurrence-id]')
  await expect(paid).toHaveCount(1)
  await expect(paid).toHaveAttribute('data-status', 'posted')
  await expect(paid).toContainText('Posted')
  await expect(paid).toContainText('1,000.00')
  await expect(paid.getByRole('button', { name: /^Journal entry #\d+$/ })).toBeVisible()
  await expect(page.getByTestId('order-summary')).toContainText(`Last paid${shown(today())}`)
  await shot('order-paid')
  await page.setViewportSize({ width: 1024, height: 700 })
  await shot('order-paid-1024')
  // The entry opens from the history.
  await paid.getByRole('button', { name: /^Journal entry #\d+$/ }).click()
  const entry = page.getByRole('dialog', { name: /^Journal entry #\d+$/ })
  await expect(entry).toContainText('M-00001-SHR')
  await entry.getByRole('button', { name: 'Close' }).click()
  await page.setViewportSize({ width: 1280, height: 860 })

  await openMember()
  await expect(accounts.getByTestId('member-account-balance-savings')).toHaveText('Ksh 4,000.00')
  await expect(accounts.getByTestId('member-account-balance-shares')).toHaveText('Ksh 1,000.00')
  await expect(row).toContainText(shown(today()))
  await shot('member-panel')

  // Changed once it has paid: the schedule's fixed fields are disabled and say why; the amount changes.
  await page.goto(orderUrl)
  await page.getByRole('button', { name: 'Edit', exact: true }).click()
  const edit = page.getByRole('form', { name: 'Change standing order' })
  await expect(page.getByTestId('order-schedule-locked')).toContainText('This order has one occurrence on record')
  await expect(edit.getByLabel('How often', { exact: true })).toBeDisabled()
  await expect(edit.getByLabel('First payment', { exact: true })).toBeDisabled()
  await expect(edit.getByLabel('Amount (KES)', { exact: true })).toHaveValue('1,000.00')
  await edit.getByLabel('Amount (KES)', { exact: true }).fill('1,200')
  await shot('edit-locked')
  await edit.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByTestId('order-notice')).toHaveText('Changes saved.')
  await expect(page.getByTestId('order-summary')).toContainText('Ksh 1,200.00')

  // A clerk sets up an order out to a bank: the form says it waits for approval, and so it does.
  await signInAs(page, CLERK)
  await openMember()
  await panel.getByRole('button', { name: 'New standing order' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'New standing order' })).toBeVisible()
  await form.getByLabel('Amount (KES)', { exact: true }).fill('250')
  await form.getByLabel('Pays into', { exact: true }).selectOption({ label: 'Out to a bank account' })
  await form.getByLabel('Payee', { exact: true }).fill('Nairobi Water')
  await form.getByLabel('Bank', { exact: true }).fill('KCB')
  await form.getByLabel('Account number', { exact: true }).fill('1100223344')
  await form.getByLabel('Payee reference', { exact: true }).fill('ACC-7781')
  await expect(form.getByTestId('bank-approval-note')).toContainText('waits for another operator to approve it')
  await page.setViewportSize({ width: 1024, height: 700 })
  await shot('form-bank-1024')
  await page.setViewportSize({ width: 1280, height: 860 })
  await form.getByRole('button', { name: 'Save standing order' }).click()
  await expect(page.getByRole('heading', { level: 1, name: /^Standing order #\d+$/ })).toBeVisible()
  const bankUrl = page.url()
  await expect(page.getByTestId('order-status')).toHaveText('Awaiting approval')
  await expect(page.getByTestId('order-notice')).toContainText('waits for another operator’s approval before it runs')
  await expect(page.getByTestId('order-approval-note')).toContainText('It does not run until it is approved.')
  // A clerk may not approve payments: no Approve here.
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0)
  await shot('bank-pending')

  // The list of every order: filtered to those awaiting approval, the clerk's is there.
  await page.goto(`${base}#/recurring/standing-orders`)
  await expect(page.getByRole('navigation', { name: 'Recurring' }).getByRole('link', { name: 'Standing orders' })).toHaveClass(/is-current/)
  const list = page.getByRole('table', { name: 'All standing orders' })
  await expect(list.locator('[data-order-id]')).toHaveCount(2)
  await page.getByLabel('Status', { exact: true }).selectOption('pending-approval')
  await expect(list.locator('[data-order-id]')).toHaveCount(1)
  await expect(list.locator('[data-order-id]')).toContainText('out to Nairobi Water, account 1100223344 at KCB')
  await page.getByLabel('Member', { exact: true }).fill('nobody')
  await expect(list.locator('[data-order-id]')).toHaveCount(0)
  await page.getByLabel('Member', { exact: true }).fill('amina')
  await expect(list.locator('[data-order-id]')).toHaveCount(1)
  await shot('list')

  // A treasurer approves it: active, approved by Tom.
  await signInAs(page, TREASURER)
  await page.goto(bankUrl)
  await expect(page.getByTestId('order-status')).toHaveText('Awaiting approval')
  await expect(page.getByTestId('order-approval-note')).toContainText(`Set up by ${CLERK.name}`)
  await page.getByRole('button', { name: 'Approve', exact: true }).click()
  const approve = page.getByRole('dialog', { name: /^Approve standing order #\d+\?$/ })
  await expect(approve).toContainText('Ksh 250.00')
  await shot('approve-dialog')
  await approve.getByRole('button', { name: 'Approve order' }).click()
  await expect(approve).toHaveCount(0)
  await expect(page.getByTestId('order-status')).toHaveText('Active')
  await expect(page.getByTestId('order-notice')).toContainText('approved')
  await expect(page.getByTestId('order-summary')).toContainText(`approved by ${TREASURER.name}`)

  // Paused with a reason, then cancelled: its page says so and offers nothing more.
  await page.getByRole('button', { name: 'Pause', exact: true }).click()
  const pause = page.getByRole('dialog', { name: /^Pause standing order #\d+\?$/ })
  await pause.getByLabel('Reason (optional)').fill('Member asked to wait a month')
  await pause.getByRole('button', { name: 'Pause order' }).click()
  await expect(pause).toHaveCount(0)
  await expect(page.getByTestId('order-status')).toHaveText('Paused')
  await expect(page.getByText(/Member asked to wait a month/)).toBeVisible()
  await page.getByRole('button', { name: 'Cancel order' }).click()
  const cancel = page.getByRole('dialog', { name: /^Cancel standing order #\d+\?$/ })
  await cancel.getByRole('button', { name: 'Cancel order' }).click()
  await expect(cancel).toHaveCount(0)
  await expect(page.getByTestId('order-status')).toHaveText('Cancelled')
  await expect(page.getByRole('button', { name: 'Edit' })).toHaveCount(0)
  await shot('cancelled')
})
