/**
 * What the payroll specs share: the contract called on a seeding core, the
 * book's pay components (basic pay, a 5% pension before tax, income tax in
 * bands, the employer's 5%), staff and single periods, the pages' navigation,
 * a field's error message, and the screenshots at two widths.
 */
import type { Locator, Page } from '@playwright/test'
import { expect } from './fixtures'
import { PROFILE } from './auth'
import type { Core } from '../../../src/core'

/** Where screenshots go (COFFER_SHOTS_DIR); none are taken without it. */
export const SHOTS = process.env.COFFER_SHOTS_DIR

/** Fixed dates in the past. */
export const OCT = { start: '2026-10-01', end: '2026-10-31' }
export const NOV = { start: '2026-11-01', end: '2026-11-30' }

/** A contract call that must succeed: its value, or a throw naming the channel and core's message. */
export async function ok<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const r = await core.invoke(channel as never, input as never)
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`)
  return r.value as T
}

/** Today in the cooperative's zone (core keeps its real clock in the e2e driver). */
export const todayInZone = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: PROFILE.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())

export interface PayComponents {
  basic: number
  /** HOUSING, a fixed allowance of 5,000.00 (only with `housing`). */
  housing?: number
  pension: number
  paye: number
  /** PENSION_ER, the employer's 5% (only with `employerPension`). */
  pensionEr?: number
  /** A pay structure's items for a basic pay: BASIC, PENSION, PAYE and (if made) PENSION_ER. */
  items(basicMinor: number): Array<{ componentId: number; amountMinor?: number }>
}

/**
 * Payroll's components on their accounts, made in this order: the account
 * 2320 Pension payable (and 5120 Employer pension with `employerPension`);
 * BASIC (fixed, taxable, pro-rated); HOUSING (with `housing`); PENSION (5% of
 * basic, before tax); PAYE (bands on taxable pay: 10% to 24,000, 25% to
 * 32,333, 30% above, relief 2,400, rounded down); PENSION_ER (the employer's
 * 5%, with `employerPension`).
 */
export async function seedComponents(core: Core, opts: { housing?: boolean; employerPension?: boolean } = {}): Promise<PayComponents> {
  const accounts = (await ok<{ accounts: Array<{ id: number; role: string | null }> }>(core, 'ledger.accounts', {})).accounts
  const role = (r: string) => accounts.find((a) => a.role === r)!.id
  const pensionPayable = await ok<{ id: number }>(core, 'ledger.createAccount', { code: '2320', name: 'Pension payable', type: 'liability' })
  const employerPension = opts.employerPension
    ? await ok<{ id: number }>(core, 'ledger.createAccount', { code: '5120', name: 'Employer pension', type: 'expense' })
    : undefined
  const comp = async (input: unknown) => (await ok<{ id: number }>(core, 'payroll.createComponent', input)).id
  const basic = await comp({
    code: 'BASIC',
    name: 'Basic salary',
    kind: 'earning',
    taxable: true,
    prorate: true,
    accountId: role('salary-expense'),
    sortOrder: 10,
    rate: { effectiveFrom: '2020-01-01', method: 'fixed', amountMinor: 0, rounding: 'half-up' }
  })
  const housing = opts.housing
    ? await comp({
        code: 'HOUSING',
        name: 'Housing allowance',
        kind: 'earning',
        taxable: true,
        accountId: role('salary-expense'),
        sortOrder: 20,
        rate: { effectiveFrom: '2020-01-01', method: 'fixed', amountMinor: 500_000, rounding: 'half-up' }
      })
    : undefined
  const pension = await comp({
    code: 'PENSION',
    name: 'Pension',
    kind: 'deduction',
    preTax: true,
    statutory: true,
    accountId: pensionPayable.id,
    sortOrder: 10,
    rate: { effectiveFrom: '2020-01-01', method: 'percentage', ratePercent: '5', base: 'basic', rounding: 'half-up' }
  })
  const paye = await comp({
    code: 'PAYE',
    name: 'Income tax',
    kind: 'deduction',
    statutory: true,
    accountId: role('statutory-payable'),
    sortOrder: 20,
    rate: {
      effectiveFrom: '2020-01-01',
      method: 'bands',
      base: 'taxable',
      bands: [
        { upToMinor: 2_400_000, ratePercent: '10' },
        { upToMinor: 3_233_300, ratePercent: '25' },
        { upToMinor: null, ratePercent: '30' }
      ],
      reliefMinor: 240_000,
      rounding: 'down'
    }
  })
  const pensionEr = employerPension
    ? await comp({
        code: 'PENSION_ER',
        name: 'Employer pension',
        kind: 'employer',
        statutory: true,
        accountId: employerPension.id,
        payableAccountId: pensionPayable.id,
        sortOrder: 10,
        rate: { effectiveFrom: '2020-01-01', method: 'percentage', ratePercent: '5', base: 'basic', rounding: 'half-up' }
      })
    : undefined
  return {
    basic,
    ...(housing === undefined ? {} : { housing }),
    pension,
    paye,
    ...(pensionEr === undefined ? {} : { pensionEr }),
    items: (basicMinor) => [
      { componentId: basic, amountMinor: basicMinor },
      { componentId: pension },
      { componentId: paye },
      ...(pensionEr === undefined ? [] : [{ componentId: pensionEr }])
    ]
  }
}

/** A staff member (hired 1 January 2025 unless `extra` says otherwise); answers the id. */
export async function staff(core: Core, staffNo: string, fullName: string, extra: Record<string, unknown> = {}): Promise<number> {
  return (await ok<{ id: number }>(core, 'payroll.createStaff', { staffNo, fullName, hireDate: '2025-01-01', ...extra })).id
}

/** A single monthly period with its own dates, paid and drafted on its last day, by hand (automation off); answers the id. */
export async function singlePeriod(core: Core, name: string, dates: { start: string; end: string }): Promise<number> {
  const p = await ok<{ id: number }>(core, 'payroll.createPeriod', {
    name,
    frequency: 'monthly',
    startDate: dates.start,
    endDate: dates.end,
    payDate: dates.end,
    rule: { kind: 'on-date', date: dates.end },
    automation: false
  })
  return p.id
}

export const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })
export const tabs = (page: Page) => page.getByRole('navigation', { name: 'Payroll' })
export const go = (page: Page, hash: string) => page.goto(page.url().replace(/#.*$/, `#${hash}`))

/**
 * The message under the control a Field labels (the one its aria-describedby
 * names first), the control found in `scope` (the page unless given, e.g. a
 * dialog); the control must be marked invalid.
 */
export async function fieldError(page: Page, label: string, scope: Page | Locator = page): Promise<string> {
  const control = scope.getByLabel(label, { exact: true })
  await expect(control).toHaveAttribute('aria-invalid', 'true')
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ')
  return (await page.locator(`[id="${ids[0]}"]`).textContent()) ?? ''
}

/**
 * Screenshots of the whole page (with COFFER_SHOTS_DIR) as
 * `<prefix>-<name>-<width>.png` at the viewport's width and at 1024, the
 * viewport put back as it was.
 */
export function shooter(page: Page, prefix: string): (name: string) => Promise<void> {
  return async (name) => {
    if (!SHOTS) return
    const wide = page.viewportSize() ?? { width: 1280, height: 900 }
    await page.screenshot({ path: `${SHOTS}/${prefix}-${name}-${wide.width}.png`, fullPage: true })
    await page.setViewportSize({ width: 1024, height: wide.height })
    await page.screenshot({ path: `${SHOTS}/${prefix}-${name}-1024.png`, fullPage: true })
    await page.setViewportSize(wide)
  }
}
