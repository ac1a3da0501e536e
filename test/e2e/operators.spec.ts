import fs from 'node:fs'
import type { Page } from '@playwright/test'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import {
  ADMIN,
  CLERK,
  PROFILE,
  TREASURER,
  chooseFromOperatorMenu,
  lockScreen,
  operatorMenu,
  seedOperator,
  signIn,
  signInAs
} from './support/auth'

const SHOTS = process.env.COFFER_SHOTS_DIR

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}/auth-${name}.png` })
}

/** A call straight through the bridge the page has, past the page's own code. */
const bridgeCall = (page: Page, channel: string, input: unknown) =>
  page.evaluate(
    ([c, i]) => (window as unknown as { coffer: { invoke(c: string, i: unknown): Promise<unknown> } }).coffer.invoke(c, i),
    [channel, input] as const
  )

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })
const fieldError = (page: Page, text: string | RegExp) => page.locator('.field-error').filter({ hasText: text })

/** A book with a profile, Ada the administrator, a member, and Tom the treasurer when asked. */
const book =
  (opts: { treasurer?: boolean; clerk?: boolean } = {}) =>
  async (dir: string) => {
    const core = openTestCore(dir)
    try {
      expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
      expect((await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01' })).ok).toBe(true)
      if (opts.treasurer) await seedOperator(core, { ...TREASURER, role: 'treasurer' })
      if (opts.clerk) await seedOperator(core, CLERK)
    } finally {
      await core.shutdown()
    }
  }

test('first launch creates the administrator; a clerk added with a temporary password chooses their own and is offered only what a clerk may do; core refuses the rest', async ({
  launch
}) => {
  test.setTimeout(120_000)
  const app = await launch()
  const page = app.page

  // The profile first, then the administrator.
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/Welcome to Coffer/i)
  await page.getByLabel('Name', { exact: true }).fill(PROFILE.name)
  await page.getByLabel('Currency', { exact: true }).fill(PROFILE.currency)
  await page.getByLabel('Time zone', { exact: true }).fill(PROFILE.timeZone)
  await page.getByLabel('Locale', { exact: true }).fill(PROFILE.locale)
  await page.getByRole('button', { name: 'Save profile' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Create the administrator' })).toBeVisible()
  await page.getByLabel('Name', { exact: true }).fill(ADMIN.name)
  await page.getByLabel('Username', { exact: true }).fill(ADMIN.username)
  await page.getByLabel('Password', { exact: true }).fill('short')
  await page.getByLabel('Confirm password', { exact: true }).fill('short')
  await page.getByRole('button', { name: 'Create administrator' }).click()
  await expect(fieldError(page, 'Password must be at least 10 characters')).toBeVisible()
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password)
  await page.getByLabel('Confirm password', { exact: true }).fill(`${ADMIN.password}!`)
  await page.getByRole('button', { name: 'Create administrator' }).click()
  await expect(fieldError(page, 'The two passwords are not the same')).toBeVisible()
  await page.getByLabel('Confirm password', { exact: true }).fill(ADMIN.password)
  await shot(page, 'create-administrator')
  await page.getByRole('button', { name: 'Create administrator' }).click()
  await expect(page.getByTestId('coop-name')).toHaveText(PROFILE.name)
  await expect(operatorMenu(page)).toContainText(ADMIN.name)
  await expect(operatorMenu(page)).toContainText('Administrator')

  // The administrator sees every area, and Approve and Pay on Payments.
  for (const link of ['Members', 'Bonds', 'Payments', 'Jobs', 'Operators', 'Settings']) {
    await expect(nav(page).getByRole('link', { name: link })).toBeVisible()
  }
  await nav(page).getByRole('link', { name: 'Payments' }).click()
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Pay', exact: true })).toBeVisible()

  // Operators: a username taken is refused next to its field; then the clerk is added.
  await nav(page).getByRole('link', { name: 'Operators' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Operators' })).toBeVisible()
  await page.getByRole('button', { name: 'Add operator' }).click()
  const add = page.getByRole('dialog', { name: 'Add an operator' })
  await add.getByLabel('Name', { exact: true }).fill(CLERK.name)
  await add.getByLabel('Username', { exact: true }).fill('ADA')
  await add.getByLabel('Role', { exact: true }).selectOption('clerk')
  await expect(add.getByText(/Cannot approve or pay/)).toBeVisible()
  await add.getByLabel('Temporary password', { exact: true }).fill('temporary pass 1')
  await add.getByRole('button', { name: 'Add operator' }).click()
  await expect(add.locator('.field-error')).toHaveText('“ADA” is already someone’s username')
  await add.getByLabel('Username', { exact: true }).fill(CLERK.username)
  await add.getByRole('button', { name: 'Add operator' }).click()
  await expect(add).toHaveCount(0)
  const clerkRow = page.locator(`[data-operator-username="${CLERK.username}"]`)
  await expect(clerkRow).toContainText('Clerk')
  await expect(clerkRow).toContainText('New password due')
  await expect(clerkRow).toContainText('Never')
  await shot(page, 'operators-page')

  // Sign out; the clerk signs in with the temporary password and must choose their own first.
  await chooseFromOperatorMenu(page, 'Sign out')
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
  await page.getByLabel('Username', { exact: true }).fill(CLERK.username)
  await page.getByLabel('Password', { exact: true }).fill('not the password')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(fieldError(page, 'The username or password is not right.')).toBeVisible()
  await shot(page, 'sign-in-wrong-password')
  await signIn(page, { ...CLERK, password: 'temporary pass 1' })
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible()
  await expect(nav(page)).toHaveCount(0)
  // Nothing else is reachable meanwhile: core says so too.
  const meanwhile = await bridgeCall(page, 'members.list', {})
  expect(meanwhile).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Choose a new password first.' } })
  await page.getByLabel('Temporary password', { exact: true }).fill('temporary pass 1')
  await page.getByLabel('New password', { exact: true }).fill('temporary pass 1')
  await page.getByLabel('Confirm new password', { exact: true }).fill('temporary pass 1')
  await page.getByRole('button', { name: 'Save new password' }).click()
  await expect(fieldError(page, 'Choose a new password that differs from the current one.')).toBeVisible()
  await page.getByLabel('New password', { exact: true }).fill(CLERK.password)
  await page.getByLabel('Confirm new password', { exact: true }).fill(CLERK.password)
  await shot(page, 'must-change-password')
  await page.getByRole('button', { name: 'Save new password' }).click()
  await expect(operatorMenu(page)).toContainText(CLERK.name)
  await expect(operatorMenu(page)).toContainText('Clerk')

  // A clerk: no Operators or Settings in the navigation, no Approve or Pay, no Run now; members they may add.
  await expect(nav(page).getByRole('link', { name: 'Members' })).toBeVisible()
  await expect(nav(page).getByRole('link', { name: 'Operators' })).toHaveCount(0)
  await expect(nav(page).getByRole('link', { name: 'Settings' })).toHaveCount(0)
  await nav(page).getByRole('link', { name: 'Members' }).click()
  await expect(page.getByRole('button', { name: 'New member' })).toBeVisible()
  await nav(page).getByRole('link', { name: 'Payments' }).click()
  await expect(page.getByRole('button', { name: 'Prepare', exact: true })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Pay', exact: true })).toHaveCount(0)
  await nav(page).getByRole('link', { name: 'Jobs' }).click()
  await expect(page.locator('[data-job-id="backup"]')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Run now' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Edit schedule' })).toHaveCount(0)
  // The Operators page by its address: not for a clerk.
  await page.evaluate(() => {
    window.location.hash = '#/operators'
  })
  await expect(page.getByTestId('not-allowed')).toHaveText(/Clerks may not manage operators/)

  // Past the page, straight through window.coffer: core refuses what a clerk may not do.
  const listed = await bridgeCall(page, 'operators.list', {})
  expect(listed).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Clerks may not manage operators. Ask an operator who may.' } })
  const approved = await bridgeCall(page, 'payments.approve', { ids: [1] })
  expect(approved).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  const security = await bridgeCall(page, 'security.save', { idleMinutes: 240, maxAttempts: 20, lockoutMinutes: 1, makerChecker: { payments: false, journal: false, journalThresholdMinor: 0, reopen: false } })
  expect(security).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })

  // Restarting asks who is there.
  const again = await app.restart({ signIn: false })
  await expect(again.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
  await signIn(again, CLERK)
  await expect(operatorMenu(again)).toContainText(CLERK.name)
})

test('wrong passwords lock the account until a time; an administrator resetting the password ends it, and switched-off accounts cannot sign in', async ({
  launch
}) => {
  test.setTimeout(120_000)
  const app = await launch({ prepare: book({ clerk: true }), signIn: false })
  const page = app.page
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
  for (let i = 1; i <= 4; i++) {
    await page.getByLabel('Username', { exact: true }).fill(CLERK.username)
    await page.getByLabel('Password', { exact: true }).fill(`wrong ${i}`)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect(fieldError(page, 'The username or password is not right.')).toBeVisible()
  }
  // The fifth (the default allows five in a row) locks the account for 15 minutes, and says until when.
  await page.getByLabel('Password', { exact: true }).fill('wrong 5')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  const locked = fieldError(page, /Too many wrong passwords: this account is locked until .*\d{1,2}:\d{2}\./)
  await expect(locked).toBeVisible()
  await expect(locked).toContainText('An administrator can unlock it sooner by resetting the password.')
  await shot(page, 'sign-in-locked-out')
  // Even the right password waits.
  await page.getByLabel('Password', { exact: true }).fill(CLERK.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(locked).toBeVisible()

  // Ada sees the lockout and resets the password, which ends it.
  await signIn(page, ADMIN)
  await nav(page).getByRole('link', { name: 'Operators' }).click()
  const row = page.locator(`[data-operator-username="${CLERK.username}"]`)
  await expect(row.getByTestId('locked-until')).toHaveText(/\d{1,2}:\d{2}/)
  await row.getByRole('button', { name: /Reset .* password/ }).click()
  const reset = page.getByRole('dialog', { name: /Reset Carol Clerk.s password/ })
  await expect(reset).toContainText('It also ends the lockout')
  await reset.getByLabel('Temporary password', { exact: true }).fill('carol')
  await reset.getByRole('button', { name: 'Reset password' }).click()
  await expect(reset.locator('.field-error')).toContainText('Temporary password must be at least 10 characters')
  await reset.getByLabel('Temporary password', { exact: true }).fill('a fresh start 2')
  await reset.getByRole('button', { name: 'Reset password' }).click()
  await expect(reset).toHaveCount(0)
  await expect(row.getByTestId('locked-until')).toHaveCount(0)
  await expect(row).toContainText('New password due')

  // Switched off: Carol cannot sign in, and says so next to the username.
  await row.getByRole('button', { name: `Switch off ${CLERK.name}` }).click()
  await page.getByRole('dialog', { name: `Switch ${CLERK.name} off?` }).getByRole('button', { name: 'Switch off' }).click()
  await expect(row).toContainText('Switched off')
  // Ada cannot switch herself off: the button is not offered on her own row.
  await expect(page.locator(`[data-operator-username="${ADMIN.username}"]`).getByRole('button', { name: /Switch off/ })).toHaveCount(0)
  await chooseFromOperatorMenu(page, 'Sign out')
  await page.getByLabel('Username', { exact: true }).fill(CLERK.username)
  await page.getByLabel('Password', { exact: true }).fill('a fresh start 2')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(fieldError(page, 'This account is switched off. Ask an administrator.')).toBeVisible()
  await expect(page.getByLabel('Username', { exact: true })).toHaveAttribute('aria-invalid', 'true')
})

test('the idle lock keeps the page and what was typed; a call answered LOCKED locks too; unlocking goes back to it; switch operator starts at home', async ({
  launch
}) => {
  test.setTimeout(120_000)
  const app = await launch({ prepare: book({ treasurer: true }) })
  const page = app.page
  // The window's timers on a clock the test moves; core keeps its own (real) one. Installed, then the page
  // loaded again: the session in core stays signed in.
  await page.clock.install()
  await page.reload()
  await expect(operatorMenu(page)).toContainText(ADMIN.name)

  // Settings → Security: lock after one minute. Validation next to the field first.
  await nav(page).getByRole('link', { name: 'Settings' }).click()
  const idle = page.getByLabel('Lock after (minutes)', { exact: true })
  await expect(idle).toHaveValue('10')
  await expect(page.getByRole('switch', { name: 'Payments need a second operator to approve' })).toBeChecked()
  await idle.fill('0')
  await page.getByRole('button', { name: 'Save security settings' }).click()
  await expect(page.locator('.security-settings .field-error')).toHaveText('Lock after must be at least 1')
  await idle.fill('1')
  await page.getByRole('button', { name: 'Save security settings' }).click()
  await expect(page.locator('.security-settings .form-status')).toHaveText('Saved')
  await page.locator('.security-settings').scrollIntoViewIfNeeded()
  await shot(page, 'security-settings')

  // A member half typed, then a minute without a key or a click: the screen locks over the page.
  await nav(page).getByRole('link', { name: 'Members' }).click()
  await page.getByRole('button', { name: 'New member' }).click()
  await page.getByLabel('Name', { exact: true }).fill('Wanjiku Half-Typed')
  await page.clock.fastForward('01:05')
  const lock = lockScreen(page)
  await expect(lock).toBeVisible()
  await expect(page.getByRole('dialog', { name: 'Coffer is locked' })).toContainText(`${ADMIN.name} (Administrator) is signed in`)
  await shot(page, 'lock-screen')
  // Core agrees: the session is locked there too.
  expect(await bridgeCall(page, 'members.list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } })
  await lock.getByLabel('Password', { exact: true }).fill('not it at all')
  await lock.getByRole('button', { name: 'Unlock' }).click()
  await expect(lock.locator('.field-error')).toHaveText('The username or password is not right.')
  await lock.getByLabel('Password', { exact: true }).fill(ADMIN.password)
  await lock.getByRole('button', { name: 'Unlock' }).click()
  await expect(lock).toHaveCount(0)
  await expect(page).toHaveURL(/#\/members\/new$/)
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Wanjiku Half-Typed')

  // Locked in core behind the window's back (as after a sleep): the next call answers LOCKED and the lock screen shows.
  expect(await bridgeCall(page, 'auth.lock', {})).toMatchObject({ ok: true, value: { locked: true } })
  await page.getByLabel('Joining date', { exact: true }).fill('2024-05-01')
  await page.getByRole('button', { name: 'Save member' }).click()
  await expect(lock).toBeVisible()
  await lock.getByLabel('Password', { exact: true }).fill(ADMIN.password)
  await lock.getByRole('button', { name: 'Unlock' }).click()
  await expect(lock).toHaveCount(0)
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Wanjiku Half-Typed')
  await page.getByRole('button', { name: 'Save member' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Wanjiku Half-Typed')

  // Lock now, then Switch operator: Tom starts on the home page, with a treasurer's navigation.
  await chooseFromOperatorMenu(page, 'Lock now')
  await expect(page.getByRole('dialog', { name: 'Coffer is locked' })).toBeVisible()
  await lock.getByRole('button', { name: 'Switch operator' }).click()
  const switching = page.getByRole('dialog', { name: 'Switch operator' })
  await switching.getByLabel('Username', { exact: true }).fill(TREASURER.username)
  await switching.getByLabel('Password', { exact: true }).fill(TREASURER.password)
  await shot(page, 'switch-operator')
  await switching.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(switching).toHaveCount(0)
  await expect(operatorMenu(page)).toContainText(TREASURER.name)
  await expect(operatorMenu(page)).toContainText('Treasurer')
  await expect(page).toHaveURL(/#\/dashboard$/)
  await expect(nav(page).getByRole('link', { name: 'Operators' })).toHaveCount(0)
  // Settings only for its Periods section: a treasurer closes and reopens months.
  await expect(nav(page).getByRole('link', { name: 'Settings' })).toBeVisible()
  await nav(page).getByRole('link', { name: 'Members' }).click()
  await expect(page.getByRole('button', { name: 'New member' })).toBeVisible()
  await shot(page, 'signed-in-treasurer')

  // The top bar's menu switches back, and signs out.
  await signInAs(page, ADMIN)
  await expect(nav(page).getByRole('link', { name: 'Operators' })).toBeVisible()
  await chooseFromOperatorMenu(page, 'Sign out')
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()
  await shot(page, 'sign-in')
})

test('an operator changes their own password from the top bar; the old one no longer unlocks', async ({ launch }) => {
  const app = await launch({ prepare: book() })
  const page = app.page
  await chooseFromOperatorMenu(page, 'Change password')
  const dialog = page.getByRole('dialog', { name: 'Change your password' })
  await dialog.getByLabel('Current password', { exact: true }).fill('not my password')
  await dialog.getByLabel('New password', { exact: true }).fill('a brand new secret')
  await dialog.getByLabel('Confirm new password', { exact: true }).fill('a brand new secret')
  await dialog.getByRole('button', { name: 'Change password' }).click()
  await expect(dialog.locator('.field-error')).toHaveText('The username or password is not right.')
  await expect(dialog.getByLabel('Current password', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await dialog.getByLabel('Current password', { exact: true }).fill(ADMIN.password)
  await dialog.getByRole('button', { name: 'Change password' }).click()
  await expect(dialog).toHaveCount(0)

  await chooseFromOperatorMenu(page, 'Lock now')
  const lock = lockScreen(page)
  await lock.getByLabel('Password', { exact: true }).fill(ADMIN.password)
  await lock.getByRole('button', { name: 'Unlock' }).click()
  await expect(lock.locator('.field-error')).toHaveText('The username or password is not right.')
  await lock.getByLabel('Password', { exact: true }).fill('a brand new secret')
  await lock.getByRole('button', { name: 'Unlock' }).click()
  await expect(lock).toHaveCount(0)
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
})
