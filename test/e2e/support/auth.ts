import { expect, type Page } from '@playwright/test'
import type { Core } from '../../../src/core'
import type { Role } from '../../../src/shared/contract'
import { ADMIN, TREASURER, asOperator } from '../../support/operators'

/**
 * Signing in and switching operators through the window, and operators made
 * quickly before the app starts. The operators are test/support/operators.ts's
 * (Ada the administrator, Tom the treasurer) and CLERK and AUDITOR here.
 */
export { ADMIN, TREASURER }

export interface Who {
  name: string
  username: string
  password: string
}

export const CLERK: Who & { role: Role } = { name: 'Carol Clerk', username: 'carol', password: 'blue teapot window', role: 'clerk' }
export const AUDITOR: Who & { role: Role } = { name: 'Abel Auditor', username: 'abel', password: 'quiet ledger lamp', role: 'auditor' }

export const PROFILE = { name: 'Umoja Savings Cooperative', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }

const signInHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Sign in' })

/** On the sign-in screen: signs in as `who` and waits until the screen is gone. */
export async function signIn(page: Page, who: Who): Promise<void> {
  await expect(signInHeading(page)).toBeVisible()
  await page.getByLabel('Username', { exact: true }).fill(who.username)
  await page.getByLabel('Password', { exact: true }).fill(who.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(signInHeading(page)).toHaveCount(0)
}

/** The top bar's button that says who is signed in and opens their menu. */
export const operatorMenu = (page: Page) => page.getByTestId('operator-menu')

/** Opens the top bar's operator menu and picks an item ("Change password", "Lock now", "Switch operator", "Sign out"). */
export async function chooseFromOperatorMenu(page: Page, item: 'Change password' | 'Lock now' | 'Switch operator' | 'Sign out'): Promise<void> {
  await operatorMenu(page).click()
  await page.getByRole('menuitem', { name: item }).click()
}

/** The lock screen (idle lock, Lock now, Switch operator): a modal dialog over the page. */
export const lockScreen = (page: Page) => page.getByRole('dialog', { name: /Coffer is locked|Switch operator/ })

/**
 * Signed in as someone: switches to `who` through the top bar (Switch
 * operator, their username and password) and waits until the top bar names
 * them. The window starts again on the home page (their role may differ).
 */
export async function signInAs(page: Page, who: Who): Promise<void> {
  await chooseFromOperatorMenu(page, 'Switch operator')
  const dialog = page.getByRole('dialog', { name: 'Switch operator' })
  await dialog.getByLabel('Username', { exact: true }).fill(who.username)
  await dialog.getByLabel('Password', { exact: true }).fill(who.password)
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(dialog).toHaveCount(0)
  await expect(operatorMenu(page)).toContainText(who.name)
}

/**
 * The first launch on a new book: the cooperative's profile, then the
 * administrator (Ada by default), then the shell.
 */
export async function firstLaunch(page: Page, opts: { coopName?: string; admin?: Who } = {}): Promise<void> {
  const name = opts.coopName ?? PROFILE.name
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/Welcome to Coffer/i)
  await page.getByLabel('Name', { exact: true }).fill(name)
  await page.getByLabel('Currency', { exact: true }).fill(PROFILE.currency)
  await page.getByLabel('Time zone', { exact: true }).fill(PROFILE.timeZone)
  await page.getByLabel('Locale', { exact: true }).fill(PROFILE.locale)
  await page.getByRole('button', { name: 'Save profile' }).click()
  await createAdministrator(page, opts.admin ?? ADMIN)
  await expect(page.getByTestId('coop-name')).toHaveText(name)
}

/** On the "Create the administrator" screen: fills it in and waits for the shell. */
export async function createAdministrator(page: Page, who: Who): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Create the administrator' })).toBeVisible()
  await page.getByLabel('Name', { exact: true }).fill(who.name)
  await page.getByLabel('Username', { exact: true }).fill(who.username)
  await page.getByLabel('Password', { exact: true }).fill(who.password)
  await page.getByLabel('Confirm password', { exact: true }).fill(who.password)
  await page.getByRole('button', { name: 'Create administrator' }).click()
  await expect(operatorMenu(page)).toContainText(who.name)
}

/**
 * Before the app starts, on a core from openTestCore: adds an operator with
 * this role whose password is already their own (no change asked at their
 * first sign-in). The core stays signed in as Ada.
 */
export async function seedOperator(core: Pick<Core, 'invoke'>, who: Who & { role: Role }): Promise<void> {
  await asOperator(core, who, async () => undefined)
}

/**
 * Signed in as an administrator: adds an operator on the Operators page with
 * a temporary password (they choose their own at first sign-in).
 */
export async function addOperatorInWindow(page: Page, who: Who & { role: Role }, temporaryPassword: string): Promise<void> {
  await page.getByRole('link', { name: 'Operators' }).click()
  await page.getByRole('button', { name: 'Add operator' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add an operator' })
  await dialog.getByLabel('Name', { exact: true }).fill(who.name)
  await dialog.getByLabel('Username', { exact: true }).fill(who.username)
  await dialog.getByLabel('Role', { exact: true }).selectOption(who.role)
  await dialog.getByLabel('Temporary password', { exact: true }).fill(temporaryPassword)
  await dialog.getByRole('button', { name: 'Add operator' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(page.locator(`[data-operator-username="${who.username}"]`)).toBeVisible()
}
