import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { TREASURER, seedOperator, signInAs } from './support/auth'
import { DATABASE_FILE, type Core } from '../../src/core'
import { LedgerService } from '../../src/core/ledger'
import { PaymentsService } from '../../src/core/payments'
import { runAsSystem } from '../../src/core/platform/actor'
import { installAuditTrail } from '../../src/core/platform/audit/trail'
import { calendarDateInZone } from '../../src/shared/dates'
import type { MemberAccount } from '../../src/shared/contract/ledger'

const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }
const SHOTS = process.env.COFFER_SHOTS_DIR
const WATER = { payeeName: 'Nairobi City Water', payeeBank: 'Equity Bank, Moi Avenue', payeeAccount: '0170 2938 4411', payeeReference: 'ACC 55-0912' }

async function ok<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const r = await core.invoke(channel, input)
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`)
  return r.value as T
}

/**
 * Two executions of Amina's standing order to the water company, as the
 * standing orders' job makes them: her savings to orders payable, and a
 * pending payment, in one transaction, as the system.
 */
function executeOrders(dataDir: string, savings: MemberAccount, dates: string[]): void {
  const sqlite = new Database(path.join(dataDir, DATABASE_FILE), { timeout: 5000 })
  try {
    sqlite.pragma('foreign_keys = ON')
    const clock = { now: () => new Date() }
    installAuditTrail(sqlite, { now: () => clock.now() })
    const ctx = { sqlite, db: drizzle({ client: sqlite }), clock, emit: () => undefined }
    const ledger = new LedgerService(ctx, { timeZone: () => PROFILE.timeZone, locale: () => PROFILE.locale, currency: () => PROFILE.currency })
    const payments = new PaymentsService(ctx, () => PROFILE.timeZone, () => PROFILE, () => true, () => ledger)
    dates.forEach((date, i) => {
      const sourceRef = `e2e-order:1:${i + 1}`
      runAsSystem('job:standing-orders', () =>
        sqlite
          .transaction(() => {
            ledger.post({
              valueDate: date,
              description: 'Standing order: M-00001 Amina Odhiambo to Nairobi City Water',
              source: 'standing-order',
              sourceRef,
              lines: [
                { accountId: savings.controlAccountId, memberAccountId: savings.id, debitMinor: 450_000, creditMinor: 0 },
                { accountId: ledger.accountFor('orders-payable').id, debitMinor: 0, creditMinor: 450_000 }
              ]
            })
            payments.createOrderPayment({ memberId: savings.memberId, memberAccountId: savings.id, dueDate: date, amountMinor: 450_000, ...WATER, sourceRef, runId: null })
          })
          .immediate()
      )
    })
  } finally {
    sqlite.close()
  }
}

test('a standing order’s payment on the Payments page: its payee, no series; prepared, approved by another, paid with a voucher; cancelled, its money goes back and it is not reinstated', async ({
  launch
}) => {
  test.setTimeout(180_000)
  const today = calendarDateInZone(new Date(), PROFILE.timeZone)
  const app = await launch({
    prepare: async (dir) => {
      const core = openTestCore(dir)
      await ok(core, 'profile.save', PROFILE)
      const m = await ok<{ id: number }>(core, 'members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01' })
      const savings = await ok<MemberAccount>(core, 'ledger.openMemberAccount', { memberId: m.id, product: 'savings' })
      await ok(core, 'ledger.deposit', { memberAccountId: savings.id, amountMinor: 5_000_000, valueDate: today, via: 'bank' })
      const s = await ok<{ id: number }>(core, 'bonds.createSeries', {
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
      // Bought two months ago: the coupon run makes a coupon or two, listed beside the order's payments.
      const bought = new Date(`${today}T00:00:00Z`)
      bought.setUTCMonth(bought.getUTCMonth() - 2, 1)
      await ok(core, 'bonds.buyHolding', { memberId: m.id, seriesId: s.id, units: 10, purchaseDate: bought.toISOString().slice(0, 10) })
      await seedOperator(core, { ...TREASURER, role: 'treasurer' })
      await core.shutdown()
      executeOrders(dir, savings, [today, today])
    }
  })
  const page = app.page
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
  }

  await page.getByRole('link', { name: 'Jobs' }).click()
  const job = page.locator('[data-job-id="coupons"]')
  await job.getByRole('button', { name: 'Run now' }).click()
  await expect(job.getByText('Succeeded')).toBeVisible({ timeout: 60_000 })

  await page.getByRole('link', { name: 'Payments' }).click()
  const table = page.getByRole('table', { name: 'Payments' }).or(page.getByRole('grid', { name: 'Payments' }))
  await expect(table.locator('[data-payment-id]').first()).toBeVisible()
  // The kind filter offers standing orders; the rows show the payee and no series.
  await page.getByLabel('Kind', { exact: true }).selectOption('standing-order')
  const rows = table.locator('[data-payment-id]')
  await expect(rows).toHaveCount(2)
  const first = rows.first()
  await expect(first).toContainText('Standing order')
  await expect(first).toContainText('Amina Odhiambo')
  await expect(first.getByTestId('payee')).toContainText('to Nairobi City Water')
  await expect(first.getByTestId('payee')).toContainText('0170 2938 4411 · Equity Bank, Moi Avenue')
  await expect(first.locator('td.col-series')).toHaveText('')
  await page.getByLabel('Kind', { exact: true }).selectOption('all')
  await expect(table.locator('[data-payment-id]')).not.toHaveCount(2)
  await shot('payments-standing-orders')

  // Ada prepares the first; Tom approves and pays it by bank transfer.
  await page.getByLabel('Kind', { exact: true }).selectOption('standing-order')
  const firstId = await first.getAttribute('data-payment-id')
  const payment = table.locator(`[data-payment-id="${firstId}"]`)
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Prepare', exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Prepare', exact: true }).click()
  await expect(payment).toHaveAttribute('data-prepared', 'yes')
  await signInAs(page, TREASURER)
  await page.getByRole('link', { name: 'Payments' }).click()
  await page.getByLabel('Kind', { exact: true }).selectOption('standing-order')
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Approve', exact: true }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(payment).toHaveAttribute('data-status', 'approved')
  await payment.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Pay', exact: true }).click()
  await page.getByLabel('Method', { exact: true }).selectOption('bank-transfer')
  await page.getByLabel('Reference', { exact: true }).fill('FT26034XYZ')
  await page.getByRole('dialog').getByRole('button', { name: 'Pay', exact: true }).click()
  await expect(payment).toHaveAttribute('data-status', 'paid')
  await expect(payment).toContainText(/PV-\d{4}-\d{6}/)

  // The second is cancelled: the dialog says the money goes back; afterwards it cannot be reinstated.
  const second = table.locator('[data-payment-id]').nth(1)
  await payment.getByRole('checkbox', { name: 'Select payment' }).uncheck()
  await second.getByRole('checkbox', { name: 'Select payment' }).check()
  await page.getByRole('button', { name: 'Cancel payment' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('To Nairobi City Water, Equity Bank, Moi Avenue, account 0170 2938 4411, reference ACC 55-0912')
  await expect(dialog).toContainText('The amount goes back to Amina Odhiambo’s account')
  await shot('payments-standing-order-cancel')
  await dialog.getByLabel('Reason').fill('Member closed the water account')
  await dialog.getByRole('button', { name: 'Cancel payment' }).click()
  await expect(page.getByText('Ksh 4,500.00 went back to Amina Odhiambo’s account.')).toBeVisible()
  await expect(second).toHaveAttribute('data-status', 'cancelled')
  await second.getByRole('checkbox', { name: 'Select payment' }).check()
  const reinstate = page.getByRole('button', { name: 'Reinstate' })
  await expect(reinstate).toBeDisabled()
  await expect(reinstate).toHaveAttribute('title', /not reinstated: its money went back to the member’s account/)
  await shot('payments-standing-orders-after')
  // A narrow window: the series column gives way, the payee stays under the kind.
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.getByLabel('Kind', { exact: true }).selectOption('all')
  await expect(table.getByTestId('payee').first()).toBeVisible()
  await shot('payments-standing-orders-1024')
})
