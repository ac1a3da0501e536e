import type { Page } from '@playwright/test'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { ADMIN, CLERK, PROFILE, TREASURER, seedOperator, signInAs } from './support/auth'

const SHOTS = process.env.COFFER_SHOTS_DIR

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })

/** A line of the new-entry form: its account, the member when the account is a control account, a debit or a credit. */
async function fillLine(page: Page, n: number, line: { account: string; member?: string; debit?: string; credit?: string }) {
  await page.getByLabel(`Line ${n} account`, { exact: true }).selectOption({ label: line.account })
  if (line.member) {
    await page.getByLabel(`Line ${n} member`, { exact: true }).fill(line.member)
    await page.getByRole('option', { name: new RegExp(line.member) }).click()
  }
  await page.getByLabel(`Line ${n} debit`, { exact: true }).fill(line.debit ?? '')
  await page.getByLabel(`Line ${n} credit`, { exact: true }).fill(line.credit ?? '')
}

test('the chart of accounts, a manual entry posted (an unbalanced one refused next to its lines), in the journal and the statement with its running balance, and reversed', async ({
  launch
}) => {
  test.setTimeout(180_000)
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
        const m = await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01' })
        if (!m.ok) throw new Error(m.error.message)
        const memberId = (m.value as { id: number }).id
        expect((await core.invoke('ledger.openMemberAccount', { memberId, product: 'savings' })).ok).toBe(true)
        const s = await core.invoke('bonds.createSeries', {
          code: 'UMJ-30',
          name: 'Umoja 12% 2030',
          faceValueMinor: 100_000,
          couponRatePercent: '12',
          frequency: 'monthly',
          dayCount: 'ACT/365F',
          issueDate: '2025-01-01',
          maturityDate: '2030-01-01',
          firstCouponDate: null,
          endOfMonth: false,
          businessDay: 'following',
          withholdingTaxPercent: '15'
        })
        if (!s.ok) throw new Error(s.error.message)
        const seriesId = (s.value as { id: number }).id
        // Buying units posts an entry the bonds area owns: Dr bank / Cr bonds payable.
        expect((await core.invoke('bonds.buyHolding', { memberId, seriesId, units: 10, purchaseDate: '2025-01-01' })).ok).toBe(true)
      } finally {
        await core.shutdown()
      }
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 860 })
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/ledger-${name}.png`, fullPage: true })
  }

  // ---- The chart: the default accounts by type, the bank's balance from the bond purchase.
  await nav(page).getByRole('link', { name: 'Accounts' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible()
  const assets = page.locator('section[data-account-type="asset"]')
  await expect(assets.getByRole('heading', { name: 'Assets' })).toBeVisible()
  await expect(assets.locator('[data-account-code="1010"]')).toContainText('10,000.00')
  await expect(page.locator('section[data-account-type="liability"] [data-account-code="2000"]')).toContainText('Control: savings')

  // Add an account: a code already used is refused next to the code; then it is added.
  await page.getByRole('button', { name: 'Add account' }).click()
  const add = page.getByRole('dialog', { name: 'Add an account' })
  await add.getByLabel('Code', { exact: true }).fill('1000')
  await add.getByLabel('Name', { exact: true }).fill('Petty cash')
  await add.getByLabel('Type', { exact: true }).selectOption('asset')
  await add.getByRole('button', { name: 'Add account' }).click()
  await expect(add.locator('.field-error')).toHaveText('Already used by Cash')
  await add.getByLabel('Code', { exact: true }).fill('1020')
  await add.getByRole('button', { name: 'Add account' }).click()
  await expect(add).toHaveCount(0)
  await expect(page.getByTestId('accounts-notice')).toHaveText('1020 Petty cash was added.')
  const petty = assets.locator('[data-account-code="1020"]')
  await expect(petty).toContainText('Petty cash')
  await expect(petty).toContainText('Active')

  // Core refuses to deactivate an account Coffer posts to itself, in a sentence.
  await assets.locator('[data-account-code="1000"]').getByRole('button', { name: 'Deactivate 1000 Cash' }).click()
  const deactivate = page.getByRole('dialog', { name: 'Deactivate 1000 Cash?' })
  await deactivate.getByRole('button', { name: 'Deactivate', exact: true }).click()
  await expect(deactivate.getByRole('alert')).toContainText('Cash is where Coffer posts cash; it cannot be deactivated. Rename it instead.')
  await deactivate.getByRole('button', { name: 'Back' }).click()
  await expect(deactivate).toHaveCount(0)
  await shot('accounts')

  // ---- A manual entry: unbalanced first, refused with core's message next to the lines; nothing posted.
  await nav(page).getByRole('link', { name: 'Journal' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Journal' })).toBeVisible()
  await expect(page.locator('[data-source="bond-purchase"]')).toHaveCount(1)
  await page.getByRole('button', { name: 'New entry' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'New journal entry' })).toBeVisible()
  await page.getByLabel('Description', { exact: true }).fill('Petty cash float')
  await page.getByLabel('Reference', { exact: true }).fill('PC-001')
  await fillLine(page, 1, { account: '1020 Petty cash', debit: '500.00' })
  await fillLine(page, 2, { account: '1000 Cash', credit: '400' })
  // Leaving a box shows the amount as it was read.
  await page.getByLabel('Line 1 debit', { exact: true }).focus()
  await expect(page.getByLabel('Line 2 credit', { exact: true })).toHaveValue('400.00')
  await expect(page.getByTestId('entry-difference')).toHaveText('Difference Ksh 100.00: debits are more.')
  await page.getByRole('button', { name: 'Post entry' }).click()
  await expect(page.getByTestId('lines-error')).toHaveText('Unbalanced by Ksh 100.00')
  await shot('entry-unbalanced')

  // A control account's line names the member's account: a third line on members' savings without a member is refused.
  await page.getByRole('button', { name: 'Add line' }).click()
  await page.getByLabel('Line 3 account', { exact: true }).selectOption({ label: "2000 Members' savings" })
  await page.getByLabel('Line 3 credit', { exact: true }).fill('100')
  await page.getByRole('button', { name: 'Post entry' }).click()
  await expect(page.locator('.entry-line[data-line="3"] .field-error')).toHaveText("Choose the member: Members' savings is a control account")
  await fillLine(page, 3, { account: "2000 Members' savings", member: 'Amina', credit: '100' })
  await expect(page.locator('.entry-line[data-line="3"]')).toContainText('M-00001-SAV')
  await expect(page.getByTestId('entry-difference')).toHaveText('Balanced: debits equal credits.')
  await shot('entry-form')
  await page.getByRole('button', { name: 'Post entry' }).click()

  // Posted: the journal says so and lists it, newest first.
  await expect(page.getByRole('heading', { level: 1, name: 'Journal' })).toBeVisible()
  await expect(page.getByTestId('posted-notice')).toContainText(/Entry #\d+ was posted/)
  const firstRow = page.locator('[data-entry-id]').first()
  await expect(firstRow).toContainText('Petty cash float')
  await expect(firstRow).toContainText('PC-001')
  await expect(firstRow).toContainText('500.00')
  await expect(firstRow).toHaveAttribute('data-source', 'manual')
  const floatId = Number(await firstRow.getAttribute('data-entry-id'))

  // A second entry takes 200 back out of petty cash.
  await page.getByRole('button', { name: 'New entry' }).click()
  await page.getByLabel('Description', { exact: true }).fill('Petty cash returned')
  await fillLine(page, 1, { account: '1000 Cash', debit: '200' })
  await fillLine(page, 2, { account: '1020 Petty cash', credit: '200' })
  await page.getByRole('button', { name: 'Post entry' }).click()
  await expect(page.getByTestId('posted-notice')).toBeVisible()
  await expect(page.locator('[data-entry-id]').first()).toContainText('Petty cash returned')

  // Filtered by account and member.
  await page.getByLabel('Account', { exact: true }).selectOption({ label: '1020 Petty cash' })
  await expect(page.locator('[data-entry-id]')).toHaveCount(2)
  await page.getByPlaceholder('Any member').fill('Amina')
  await page.getByRole('option', { name: /Amina/ }).click()
  await expect(page.locator('[data-entry-id]')).toHaveCount(1)
  await expect(page.locator('[data-entry-id]')).toContainText('Petty cash float')
  await shot('journal')
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(page.locator('[data-entry-id]')).toHaveCount(3)

  // ---- The statement of petty cash: newest first, the balance after each line.
  await nav(page).getByRole('link', { name: 'Accounts' }).click()
  await expect(petty).toContainText('300.00')
  await petty.getByRole('link', { name: 'Statement of 1020 Petty cash' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statement: 1020 Petty cash')
  const lines = page.locator('[data-line-id]')
  await expect(lines).toHaveCount(2)
  await expect(lines.nth(0)).toContainText('Petty cash returned')
  await expect(lines.nth(0).getByTestId('line-balance')).toHaveText('300.00')
  await expect(lines.nth(1)).toContainText('Petty cash float')
  await expect(lines.nth(1).getByTestId('line-balance')).toHaveText('500.00')
  await expect(page.getByTestId('opening-balance')).toHaveText('Ksh 0.00')
  await expect(page.getByTestId('closing-balance')).toHaveText('Ksh 300.00')
  await shot('statement')

  // ---- A line opens its entry; the manual entry is reversed from there.
  await lines.nth(1).getByRole('button', { name: `Open entry #${floatId}` }).click()
  const entry = page.getByRole('dialog', { name: `Journal entry #${floatId}` })
  await expect(entry.getByTestId('entry-description')).toHaveText('Petty cash float')
  await expect(entry.getByRole('table', { name: 'Lines' })).toContainText('M-00001-SAV')
  await expect(entry).toContainText(`by ${ADMIN.name}`)
  await shot('entry')
  await entry.getByRole('button', { name: 'Reverse entry…' }).click()
  const reverse = page.getByRole('dialog', { name: `Reverse entry #${floatId}?` })
  await reverse.getByRole('button', { name: 'Reverse entry' }).click()
  await expect(reverse.locator('.field-error')).toHaveText('Reason is required')
  await reverse.getByLabel('Reason', { exact: true }).fill('Float entered on the wrong day')
  await shot('reverse')
  await reverse.getByRole('button', { name: 'Reverse entry' }).click()
  await expect(reverse).toHaveCount(0)
  await expect(entry.getByTestId('reverse-result')).toContainText(/Reversed by entry #\d+/)
  await expect(entry.getByTestId('entry-reversed-by')).toBeVisible()
  await expect(entry.getByRole('button', { name: 'Reverse entry…' })).toHaveCount(0)
  await entry.getByRole('button', { name: 'Close' }).click()
  await expect(entry).toHaveCount(0)
  // The statement shows the reversal with the balance after it.
  await expect(lines).toHaveCount(3)
  await expect(lines.nth(0)).toContainText(`Reversal of #${floatId}: Float entered on the wrong day`)
  await expect(lines.nth(0).getByTestId('line-balance')).toHaveText('-200.00')
  await expect(page.getByTestId('closing-balance')).toHaveText('-Ksh 200.00')

  // ---- The member's account has its own statement, opened from the entry's line.
  await lines.nth(2).getByRole('button', { name: `Open entry #${floatId}` }).click()
  await entry.getByRole('link', { name: /M-00001-SAV/ }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statement: M-00001-SAV Amina Odhiambo (savings)')
  await expect(lines).toHaveCount(2)
  await expect(lines.nth(0).getByTestId('line-balance')).toHaveText('0.00')
  await expect(lines.nth(1).getByTestId('line-balance')).toHaveText('100.00')
  await shot('member-statement')

  // ---- The bond purchase belongs to the bonds area: core refuses to reverse it by hand, in a sentence.
  await nav(page).getByRole('link', { name: 'Journal' }).click()
  await page.getByLabel('Source', { exact: true }).selectOption('bond-purchase')
  const purchase = page.locator('[data-source="bond-purchase"]')
  await expect(page.locator('[data-entry-id]')).toHaveCount(1)
  await purchase.click()
  const owned = page.getByRole('dialog', { name: /Journal entry #\d+/ })
  await owned.getByRole('button', { name: 'Reverse entry…' }).click()
  const refuse = page.getByRole('dialog', { name: /Reverse entry #\d+\?/ })
  await refuse.getByLabel('Reason', { exact: true }).fill('Testing')
  await refuse.getByRole('button', { name: 'Reverse entry' }).click()
  await expect(refuse.getByRole('alert')).toContainText(/is a bond purchase, part of the holding it recorded; it is not reversed by hand/)
  await shot('reverse-refused')
})

test('a clerk posts but neither manages accounts nor reverses; the journal and a statement page older entries in, the statement by dates with its opening balance', async ({
  launch
}) => {
  test.setTimeout(180_000)
  const app = await launch({
    signIn: CLERK,
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
        await seedOperator(core, CLERK)
        const chart = await core.invoke('ledger.accounts', {})
        if (!chart.ok) throw new Error(chart.error.message)
        const { accounts } = chart.value as { accounts: Array<{ id: number; code: string }> }
        const cash = accounts.find((a) => a.code === '1000')!.id
        const bank = accounts.find((a) => a.code === '1010')!.id
        // 120 entries of 1.00 into cash from the bank, a day apart from 1 January 2025: cash is N.00 after the Nth.
        for (let i = 0; i < 120; i++) {
          const day = new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10)
          const r = await core.invoke('ledger.post', {
            valueDate: day,
            description: `Cash drawn ${i + 1}`,
            lines: [
              { accountId: cash, debitMinor: 100 },
              { accountId: bank, creditMinor: 100 }
            ]
          })
          if (!r.ok) throw new Error(r.error.message)
        }
      } finally {
        await core.shutdown()
      }
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1024, height: 760 })
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/ledger-${name}.png` })
  }

  // The chart: no Add, Edit or Deactivate for a clerk; the statement is theirs to read.
  await nav(page).getByRole('link', { name: 'Accounts' }).click()
  const cashRow = page.locator('[data-account-code="1000"]')
  await expect(cashRow).toContainText('120.00')
  await expect(page.getByRole('button', { name: 'Add account' })).toHaveCount(0)
  await expect(cashRow.getByRole('button', { name: /^Edit|^Deactivate/ })).toHaveCount(0)
  await shot('accounts-clerk-1024')

  // The journal: 50 at a time, newest first; Load more by the last entry's id until there are no more.
  await nav(page).getByRole('link', { name: 'Journal' }).click()
  await expect(page.getByRole('button', { name: 'New entry' })).toBeVisible()
  const rows = page.locator('[data-entry-id]')
  await expect(rows).toHaveCount(50)
  await expect(rows.first()).toContainText('Cash drawn 120')
  await page.getByRole('button', { name: 'Load more' }).click()
  await expect(rows).toHaveCount(100)
  await page.getByRole('button', { name: 'Load more' }).click()
  await expect(rows).toHaveCount(120)
  await expect(rows.last()).toContainText('Cash drawn 1')
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0)
  await shot('journal-clerk-1024')
  // An entry opens; a clerk may not reverse it, so there is nothing to press.
  await rows.first().getByRole('button', { name: /Open entry #\d+/ }).click()
  const entry = page.getByRole('dialog', { name: /Journal entry #\d+/ })
  await expect(entry.getByTestId('entry-description')).toHaveText('Cash drawn 120')
  await expect(entry.getByRole('button', { name: 'Reverse entry…' })).toHaveCount(0)
  await entry.getByRole('button', { name: 'Close' }).click()

  // Cash's statement: 100 lines, then the older ones; the running balance goes on across the pages.
  await nav(page).getByRole('link', { name: 'Accounts' }).click()
  await cashRow.getByRole('link', { name: 'Statement of 1000 Cash' }).click()
  const lines = page.locator('[data-line-id]')
  await expect(lines).toHaveCount(100)
  await expect(lines.nth(0).getByTestId('line-balance')).toHaveText('120.00')
  await expect(lines.nth(99).getByTestId('line-balance')).toHaveText('21.00')
  await expect(page.getByTestId('opening-balance')).toHaveText('Ksh 20.00')
  await expect(page.getByTestId('closing-balance')).toHaveText('Ksh 120.00')
  await page.getByRole('button', { name: 'Load older' }).click()
  await expect(lines).toHaveCount(120)
  await expect(lines.nth(100).getByTestId('line-balance')).toHaveText('20.00')
  await expect(lines.nth(119).getByTestId('line-balance')).toHaveText('1.00')
  await expect(page.getByTestId('opening-balance')).toHaveText('Ksh 0.00')
  await expect(page.getByRole('button', { name: 'Load older' })).toHaveCount(0)

  // March 2025 alone: the 60th to the 90th entry, opening at the balance before 1 March.
  await page.getByLabel('From', { exact: true }).fill('2025-03-01')
  await page.getByLabel('To', { exact: true }).fill('2025-03-31')
  await expect(lines).toHaveCount(31)
  await expect(lines.nth(0)).toContainText('Cash drawn 90')
  await expect(page.getByTestId('opening-balance')).toHaveText('Ksh 59.00')
  await expect(page.getByTestId('closing-balance')).toHaveText('Ksh 90.00')
  await page.getByLabel('To', { exact: true }).fill('2025-02-01')
  await expect(page.locator('.field-error')).toHaveText('To must be on or after From')
  await page.getByLabel('To', { exact: true }).fill('2025-03-31')
  await expect(lines).toHaveCount(31)
  await shot('statement-range-1024')
})

test('maker-checker on manual entries: a clerk’s entry waits, in no balance, and another operator approves it in the entry dialog', async ({ launch }) => {
  test.setTimeout(180_000)
  const app = await launch({
    signIn: CLERK,
    prepare: async (dir) => {
      const core = openTestCore(dir)
      try {
        expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
        await seedOperator(core, CLERK)
        await seedOperator(core, { ...TREASURER, role: 'treasurer' })
        const saved = await core.invoke('security.save', {
          idleMinutes: 240,
          maxAttempts: 20,
          lockoutMinutes: 15,
          makerChecker: { payments: true, journal: true, journalThresholdMinor: 100_000, reopen: false }
        })
        if (!saved.ok) throw new Error(saved.error.message)
      } finally {
        await core.shutdown()
      }
    }
  })
  const page = app.page
  await page.setViewportSize({ width: 1280, height: 860 })
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/ledger-${name}.png`, fullPage: true })
  }

  // The clerk enters 2,500.00 (over the 1,000.00 threshold): it waits.
  await nav(page).getByRole('link', { name: 'Journal' }).click()
  await page.getByRole('button', { name: 'New entry' }).click()
  await page.getByLabel('Description', { exact: true }).fill('Office rent deposit')
  await fillLine(page, 1, { account: '3900 Surplus', debit: '2500' })
  await fillLine(page, 2, { account: '1010 Bank', credit: '2500' })
  await page.getByRole('button', { name: 'Post entry' }).click()
  await expect(page.getByTestId('posted-notice')).toContainText(/Entry #\d+ is waiting for another operator to approve it/)
  const row = page.locator('[data-entry-id]').first()
  await expect(row).toContainText('Waiting for approval')
  await row.click()
  const dialog = page.getByRole('dialog', { name: /Journal entry #\d+/ })
  await expect(dialog.getByTestId('entry-pending')).toContainText('in no balance until another operator approves it')
  // A clerk may not approve, and nobody approves their own entry.
  await expect(dialog.getByRole('button', { name: 'Approve and post' })).toHaveCount(0)
  await shot('entry-pending')
  await dialog.getByRole('button', { name: 'Close' }).click()

  // The treasurer approves it: posted, with their name; the bank's balance moves only now.
  await signInAs(page, TREASURER)
  await nav(page).getByRole('link', { name: 'Accounts' }).click()
  await expect(page.locator('[data-account-code="1010"]')).toContainText('0.00')
  await nav(page).getByRole('link', { name: 'Journal' }).click()
  await page.locator('[data-entry-id]').first().click()
  await expect(dialog.getByTestId('entry-status')).toContainText('Waiting for approval')
  await dialog.getByRole('button', { name: 'Approve and post' }).click()
  await expect(dialog.getByTestId('entry-status')).toContainText(`Approved by ${TREASURER.name}`)
  await shot('entry-approved')
  await dialog.getByRole('button', { name: 'Close' }).click()
  await nav(page).getByRole('link', { name: 'Accounts' }).click()
  await expect(page.locator('[data-account-code="1010"]')).toContainText('-2,500.00')

  // The trial balance: the approved entry on both sides, the totals equal.
  await page.getByRole('button', { name: 'Trial balance' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Trial balance' })).toBeVisible()
  const tb = page.getByRole('table', { name: /Trial balance as of/ })
  await expect(tb.locator('[data-account-code="3900"]')).toContainText('2,500.00')
  await expect(tb.locator('[data-account-code="1010"]')).toContainText('2,500.00')
  await expect(page.getByTestId('trial-balance-totals')).toContainText('Balanced')
  await expect(page.getByTestId('trial-balance-totals')).toContainText('2,500.00')
  await shot('trial-balance')
})
