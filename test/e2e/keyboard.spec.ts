import fs from 'node:fs'
import type { Page } from '@playwright/test'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { ADMIN, TREASURER, seedOperator, signInAs } from './support/auth'

const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }
const SHOTS = process.env.COFFER_SHOTS_DIR

const MEMBERS = [
  'Amina Odhiambo',
  'Bartholomew Kiprotich Wanyama-Onyango Mwangi',
  'Chebet Njeri',
  'Zoë Wanjiru Müller'
]

/** A treasurer with a long name: the widest an approver's name gets in the payments table. */
const LONG_NAMED = { name: 'Bartholomew Kiprotich Wanyama', username: 'bartholomew', password: 'long name treasurer pass', role: 'treasurer' } as const

/** A profile, four members (one with a long name), two series, holdings; Tom and Bartholomew, treasurers, besides Ada. */
async function seed(dir: string): Promise<void> {
  const core = openTestCore(dir)
  try {
    expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
    await seedOperator(core, { ...TREASURER, role: 'treasurer' })
    await seedOperator(core, LONG_NAMED)
    const ids: number[] = []
    for (const [i, fullName] of MEMBERS.entries()) {
      const m = await core.invoke('members.create', {
        memberNo: `M-0000${i + 1}`,
        fullName,
        joinedOn: '2020-01-01',
        email: i === 1 ? 'bartholomew.kiprotich.wanyama.onyango@example.co.ke' : undefined
      })
      if (!m.ok) throw new Error(`seed member: ${m.error.message}`)
      ids.push((m.value as { id: number }).id)
    }
    const series: number[] = []
    for (const [code, name] of [
      ['UMJ-30', 'Umoja 12% 2030'],
      ['UMJ-INFRA-28', 'Umoja Infrastructure 10.5% 2028']
    ] as const) {
      const s = await core.invoke('bonds.createSeries', {
        code,
        name,
        faceValueMinor: 100_000,
        couponRatePercent: code === 'UMJ-30' ? '12' : '10.5',
        frequency: 'monthly',
        dayCount: 'ACT/365F',
        issueDate: '2025-01-01',
        maturityDate: '2030-01-01',
        firstCouponDate: null,
        endOfMonth: false,
        businessDay: 'following',
        withholdingTaxPercent: '15'
      })
      if (!s.ok) throw new Error(`seed series: ${s.error.message}`)
      series.push((s.value as { id: number }).id)
    }
    for (const [i, memberId] of ids.entries()) {
      const seriesId = series[i % 2]!
      const h = await core.invoke('bonds.buyHolding', { memberId, seriesId, units: 10 + i * 125, purchaseDate: '2025-01-01' })
      if (!h.ok) throw new Error(`seed holding: ${h.error.message}`)
    }
  } finally {
    await core.shutdown()
  }
}

async function runCoupons(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Jobs' }).click()
  const row = page.locator('[data-job-id="coupons"]')
  await row.getByRole('button', { name: 'Run now' }).click()
  await expect(row.getByText('Succeeded')).toBeVisible({ timeout: 60_000 })
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}/keyboard-${name}.png` })
}

test('screenshots of the payments, members, holdings and jobs pages at 1024 x 700 and 1440 x 900', async ({ launch }) => {
  test.skip(!SHOTS, 'COFFER_SHOTS_DIR names where the screenshots go')
  test.setTimeout(180_000)
  const app = await launch({ prepare: seed })
  const page = app.page
  await runCoupons(page)
  for (const [w, h] of [
    [1024, 700],
    [1440, 900]
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await page.getByRole('link', { name: 'Payments' }).click()
    await expect(page.locator('[data-payment-id]').first()).toBeVisible()
    await shot(page, `payments-${w}`)
    await page.getByRole('link', { name: 'Members' }).click()
    await expect(page.locator('[data-member-id]').first()).toBeVisible()
    await shot(page, `members-${w}`)
    await page.goto(page.url().replace(/#.*$/, '#/bonds/holdings'))
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    await page.waitForTimeout(500)
    await shot(page, `holdings-${w}`)
    await page.getByRole('link', { name: 'Jobs' }).click()
    await expect(page.locator('[data-job-id="coupons"]')).toBeVisible()
    await shot(page, `jobs-${w}`)
  }
})

const paymentsTable = (page: Page) => page.getByRole('table', { name: 'Payments' })
const focusInTable = (page: Page) =>
  page.evaluate(() => {
    const table = document.querySelector('table[aria-label="Payments"]')
    const active = document.activeElement
    return {
      inTable: !!table && !!active && table.contains(active),
      row: active?.closest('tr')?.getAttribute('data-payment-id') ?? null,
      tag: active?.tagName ?? null
    }
  })

test('payments by keyboard: Shift+Arrow ticks a range and the totals follow, Enter prepares and approves, focus comes back to the row', async ({
  launch
}) => {
  test.setTimeout(180_000)
  const app = await launch({ prepare: seed })
  const page = app.page
  await runCoupons(page)
  await page.getByRole('link', { name: 'Payments' }).click()
  const rows = paymentsTable(page).locator('[data-payment-id]')
  await expect(rows.first()).toBeVisible()

  // Nothing ticked: the actions look and say they are unavailable.
  const prepare = page.getByRole('button', { name: 'Prepare', exact: true })
  const approve = page.getByRole('button', { name: 'Approve', exact: true })
  await expect(prepare).toHaveAttribute('aria-disabled', 'true')
  await expect(approve).toHaveAttribute('aria-disabled', 'true')
  expect(await prepare.evaluate((el) => getComputedStyle(el).cursor)).toBe('not-allowed')

  // Space ticks the first row; Shift+ArrowDown twice extends the range to three rows; Shift+ArrowUp gives one back.
  await rows.first().focus()
  await page.keyboard.press('Space')
  await expect(page.getByTestId('selection-totals')).toContainText('1')
  await page.keyboard.press('Shift+ArrowDown')
  await page.keyboard.press('Shift+ArrowDown')
  const selected = page.getByTestId('selection-totals').locator('td').first()
  await expect(selected).toHaveText('3')
  await page.keyboard.press('Shift+ArrowUp')
  await expect(selected).toHaveText('2')
  await expect(rows.nth(2)).not.toHaveClass(/is-selected/)
  // The net total is the sum of the two rows' nets.
  const nets = await rows.evaluateAll((trs) =>
    trs.slice(0, 2).map((tr) => (tr.querySelectorAll('td.num')[2] as HTMLElement).innerText.replace(/,/g, ''))
  )
  const sum = nets.reduce((a, b) => a + Math.round(Number(b) * 100), 0)
  const netTotal = await page.getByTestId('selection-totals').locator('td').nth(3).innerText()
  expect(Math.round(Number(netTotal.replace(/,/g, '')) * 100)).toBe(sum)
  // Amounts in the cells are bare: the currency is in the header, once.
  expect(nets.every((n) => /^\d+\.\d\d$/.test(n))).toBe(true)
  await expect(paymentsTable(page).locator('thead')).toContainText('Net (Ksh)')

  // Ada prepares them: Enter in the dialog confirms.
  const firstId = await rows.first().getAttribute('data-payment-id')
  const secondId = await rows.nth(1).getAttribute('data-payment-id')
  await prepare.click()
  const dialog = page.getByRole('dialog', { name: 'Prepare 2 payments' })
  await expect(dialog).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(dialog).toHaveCount(0)
  await expect(rows.first()).toHaveAttribute('data-prepared', 'yes')
  await expect(rows.nth(1)).toHaveAttribute('data-prepared', 'yes')
  await expect(rows.first()).toContainText(/Prepared/)
  await expect(rows.first()).toContainText(`by ${ADMIN.name}`)
  // Focus is on the first row acted on, in the table: not on the page body.
  await expect.poll(() => focusInTable(page)).toEqual({ inTable: true, row: firstId, tag: 'TR' })

  // Tom approves them. Under a "Pending" filter an approved row leaves the list: focus goes to the row now in its place.
  await signInAs(page, TREASURER)
  await page.getByRole('link', { name: 'Payments' }).click()
  await page.getByLabel('Status', { exact: true }).selectOption('pending')
  await expect(rows.first()).toHaveAttribute('data-payment-id', firstId!)
  await rows.first().focus()
  await page.keyboard.press('Space')
  await approve.click()
  const approving = page.getByRole('dialog', { name: 'Approve 1 payment' })
  await expect(approving).toContainText(`Prepared by ${ADMIN.name}.`)
  await page.keyboard.press('Enter')
  await expect(approving).toHaveCount(0)
  await expect(rows.first()).toHaveAttribute('data-payment-id', secondId!)
  await expect.poll(() => focusInTable(page)).toEqual({ inTable: true, row: secondId, tag: 'TR' })
})

test('dialogs: Enter in a text area is a new line and Ctrl+Enter confirms; Esc closes one thing at a time', async ({ launch }) => {
  test.setTimeout(180_000)
  const app = await launch({ prepare: seed })
  const page = app.page
  await runCoupons(page)
  await page.getByRole('link', { name: 'Payments' }).click()
  const rows = paymentsTable(page).locator('[data-payment-id]')
  await rows.first().getByRole('checkbox', { name: 'Select payment' }).check()
  const firstId = await rows.first().getAttribute('data-payment-id')

  // Cancel payment: the reason is a text area.
  await page.getByRole('button', { name: 'Cancel payment' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog.getByText('confirms')).toBeVisible()
  const reason = dialog.getByLabel('Reason', { exact: true })
  await reason.fill('Duplicate')
  await reason.press('Enter')
  await reason.pressSequentially('entry')
  await expect(reason).toHaveValue('Duplicate\nentry')
  await expect(dialog).toBeVisible()
  // A reason is one line: put it on one, then confirm from the text area.
  await reason.fill('Duplicate entry')
  await reason.press('Control+Enter')
  await expect(dialog).toHaveCount(0)
  await expect(rows.first()).toContainText(/Cancelled/)
  await expect.poll(() => focusInTable(page)).toMatchObject({ inTable: true, row: firstId })

  // A popover in the filter bar: Esc closes its list only; the text typed and the table stay.
  const member = page.getByLabel('Member', { exact: true })
  await member.fill('Chebet')
  const results = page.getByRole('listbox', { name: 'Search results' })
  await expect(results).toBeVisible()
  await member.press('Escape')
  await expect(results).toHaveCount(0)
  await expect(member).toHaveValue('Chebet')
  await expect(page).toHaveURL(/#\/payments/)

  // The bell's panel: Esc closes it alone, the filter keeps its value and the page stays.
  await page.getByLabel('Status', { exact: true }).selectOption('cancelled')
  await page.getByRole('button', { name: 'Notifications' }).click()
  const panel = page.getByRole('dialog', { name: 'Notification centre' })
  await expect(panel).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(panel).toHaveCount(0)
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('cancelled')
  await expect(page).toHaveURL(/#\/payments/)

  // A dialog with a member picker in it: the first Esc closes the picker's list, the second the dialog.
  await page.goto(page.url().replace(/#.*$/, '#/bonds'))
  await page.getByRole('link', { name: 'UMJ-30' }).click()
  await page.getByRole('button', { name: 'Buy units' }).click()
  const buy = page.getByRole('dialog')
  await buy.getByLabel('Member', { exact: true }).fill('Amina')
  await expect(buy.getByRole('listbox')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(buy.getByRole('listbox')).toHaveCount(0)
  await expect(buy).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(buy).toHaveCount(0)
  // Back on the button that opened it.
  await expect(page.getByRole('button', { name: 'Buy units' })).toBeFocused()
})

test('the payments table at 1024 x 700: due date, member, amounts, status and voucher are whole on screen', async ({ launch }) => {
  test.setTimeout(180_000)
  const app = await launch({ prepare: seed })
  const page = app.page
  await runCoupons(page)
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.getByRole('link', { name: 'Payments' }).click()
  const first = paymentsTable(page).locator('[data-payment-id]').first()
  await expect(first).toBeVisible()
  // One paid, with a voucher number and a long reference, one approved by a long name: the widest the columns get.
  // Ada prepares both; Bartholomew approves them and pays one.
  const [paidId, approvedId] = await paymentsTable(page)
    .locator('[data-payment-id]')
    .evaluateAll((trs) => trs.slice(0, 2).map((tr) => Number(tr.getAttribute('data-payment-id'))))
  const inWindow = (steps: Array<[string, unknown]>) =>
    page.evaluate(async (calls) => {
      const coffer = (window as unknown as { coffer: { invoke(c: string, i: unknown): Promise<{ ok: boolean; error?: unknown }> } }).coffer
      for (const [channel, input] of calls) {
        const r = await coffer.invoke(channel, input)
        if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`)
      }
    }, steps)
  await inWindow([['payments.prepare', { ids: [paidId, approvedId] }]])
  await signInAs(page, LONG_NAMED)
  await inWindow([
    ['payments.approve', { ids: [paidId, approvedId] }],
    ['payments.pay', { ids: [paidId], paidOn: '2025-02-03', method: 'bank-transfer', reference: 'EFT 2025-02-03 Equity Bank Westlands branch 0011223344' }]
  ])
  await page.getByRole('link', { name: 'Payments' }).click()
  await page.reload()
  await expect(first).toContainText(/PV-\d{4}-000001/)
  const layout = await page.evaluate(() => {
    const table = document.querySelector('table[aria-label="Payments"]')!
    const wrap = table.closest('.table-wrap') as HTMLElement
    const right = wrap.getBoundingClientRect().right
    const heads = Array.from(table.querySelectorAll('thead th')).map((th) => {
      const el = th as HTMLElement
      const box = el.getBoundingClientRect()
      return {
        text: el.innerText.trim(),
        clipped: el.scrollWidth > el.clientWidth,
        offscreen: box.right > right + 0.5 || box.width === 0
      }
    })
    return { heads, scrolls: wrap.scrollWidth > wrap.clientWidth }
  })
  const key = ['Due', 'Member', 'Gross (Ksh)', 'Tax (Ksh)', 'Net (Ksh)', 'Status', 'Voucher']
  for (const name of key) {
    const head = layout.heads.find((h) => h.text.startsWith(name))
    expect(head, name).toBeTruthy()
    expect(head, name).toMatchObject({ clipped: false, offscreen: false })
  }
  expect(layout.scrolls).toBe(false)
  await shot(page, 'payments-1024-test')
})
