import fs from 'node:fs'
import path from 'node:path'
import { test, expect } from './support/fixtures'
import { ADMIN, createAdministrator } from './support/auth'
import type { Page } from '@playwright/test'

async function fillProfile(page: Page, name = 'Umoja Savings Cooperative') {
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/Welcome to Coffer/i)
  await page.getByLabel('Name', { exact: true }).fill(name)
  await page.getByLabel('Address', { exact: true }).fill('P.O. Box 100, Nairobi')
  await page.getByLabel('Currency', { exact: true }).fill('KES')
  await page.getByLabel('Time zone', { exact: true }).fill('Africa/Nairobi')
  await page.getByLabel('Locale', { exact: true }).fill('en-KE')
  await page.getByRole('button', { name: 'Save profile' }).click()
  await createAdministrator(page, ADMIN)
  await expect(page.getByTestId('coop-name')).toHaveText(name)
}

const membersTable = (page: Page) => page.getByRole('table', { name: 'Members' }).or(page.getByRole('grid', { name: 'Members' }))
const memberRows = (page: Page) => membersTable(page).locator('[data-member-id]')

async function addMember(page: Page, m: { memberNo?: string; name: string; email?: string; joinedOn?: string }) {
  await page.getByRole('button', { name: 'New member' }).click()
  if (m.memberNo) await page.getByLabel('Member number', { exact: true }).fill(m.memberNo)
  await page.getByLabel('Name', { exact: true }).fill(m.name)
  if (m.email) await page.getByLabel('Email', { exact: true }).fill(m.email)
  if (m.joinedOn) await page.getByLabel('Joining date', { exact: true }).fill(m.joinedOn)
  await page.getByRole('button', { name: 'Save member' }).click()
  await expect(page.getByTestId('member-status')).toHaveText(/Active/)
}

async function openMembers(page: Page) {
  await page.getByRole('link', { name: 'Members' }).click()
  await expect(membersTable(page)).toBeVisible()
}

test('first launch asks for the profile; members are added, validated, edited, searched, deactivated and kept', async ({
  launch
}) => {
  const app = await launch()
  let page = app.page

  // First launch: the profile, validated next to the field.
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/Welcome to Coffer/i)
  await page.getByLabel('Name', { exact: true }).fill('')
  await page.getByLabel('Currency', { exact: true }).fill('XYZ1')
  await page.getByRole('button', { name: 'Save profile' }).click()
  await expect(page.locator('.field-error').filter({ hasText: 'Name is required' })).toBeVisible()
  await expect(page.locator('.field-error').filter({ hasText: /ISO 4217/ })).toBeVisible()
  await fillProfile(page)

  // Add a member.
  await openMembers(page)
  await addMember(page, { name: 'Jane Wanjiru', email: 'jane@example.org', joinedOn: '2024-03-01' })
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Jane Wanjiru')
  await openMembers(page)
  await addMember(page, { memberNo: 'M-00777', name: 'Peter Otieno', joinedOn: '2025-06-15' })

  // A validation error next to the field, and nothing saved.
  await openMembers(page)
  await expect(memberRows(page)).toHaveCount(2)
  await page.getByRole('button', { name: 'New member' }).click()
  await page.getByLabel('Member number', { exact: true }).fill('m-00777')
  await page.getByLabel('Name', { exact: true }).fill('Duplicate Person')
  await page.getByLabel('Email', { exact: true }).fill('not an email')
  await page.getByRole('button', { name: 'Save member' }).click()
  const emailError = page.locator('.field-error').filter({ hasText: /email address/i })
  await expect(emailError).toBeVisible()
  await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Duplicate Person') // what was typed stays
  // Fix the email: now the server refuses the duplicate number, next to that field.
  await page.getByLabel('Email', { exact: true }).fill('dup@example.org')
  await page.getByRole('button', { name: 'Save member' }).click()
  await expect(page.locator('.field-error').filter({ hasText: /already used by Peter Otieno/ })).toBeVisible()
  await expect(page.getByLabel('Member number', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await page.getByRole('button', { name: 'Cancel' }).click()
  await openMembers(page)
  await expect(memberRows(page)).toHaveCount(2)

  // Edit.
  await memberRows(page).filter({ hasText: 'Peter Otieno' }).click()
  await page.getByRole('button', { name: 'Edit' }).click()
  await page.getByLabel('Name', { exact: true }).fill('Peter Otieno Ouma')
  await page.getByLabel('Phone', { exact: true }).fill('+254 700 123 456')
  await page.getByRole('button', { name: 'Save member' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Peter Otieno Ouma')
  await expect(page.getByText('+254 700 123 456').first()).toBeVisible()

  // Search by name prefix, member number and email.
  await openMembers(page)
  const search = page.getByLabel('Search members')
  await search.fill('ouma')
  await expect(memberRows(page)).toHaveCount(1)
  await expect(memberRows(page).first()).toContainText('Peter Otieno Ouma')
  await search.fill('jane@exa')
  await expect(memberRows(page)).toHaveCount(1)
  await expect(memberRows(page).first()).toContainText('Jane Wanjiru')
  await search.fill('M-00777')
  await expect(memberRows(page)).toHaveCount(1)
  await search.fill('nobody-like-this')
  await expect(memberRows(page)).toHaveCount(0)
  await search.fill('')
  await expect(memberRows(page)).toHaveCount(2)

  // Deactivate with a reason: gone from Active, listed under Inactive.
  await memberRows(page).filter({ hasText: 'Jane Wanjiru' }).click()
  await page.getByRole('button', { name: 'Deactivate', exact: true }).click()
  await page.getByRole('dialog').getByRole('textbox').fill('Moved to Mombasa')
  await page.getByRole('button', { name: 'Deactivate member' }).click()
  await expect(page.getByTestId('member-status')).toContainText('Inactive')
  await expect(page.getByText('Moved to Mombasa').first()).toBeVisible()
  await openMembers(page)
  await expect(memberRows(page)).toHaveCount(1)
  await page.getByRole('radio', { name: 'Inactive' }).or(page.getByRole('button', { name: 'Inactive', exact: true })).click()
  await expect(memberRows(page)).toHaveCount(1)
  await expect(memberRows(page).first()).toContainText('Jane Wanjiru')

  // Close and reopen on the same data folder: everything is still there.
  page = await app.restart()
  await expect(page.getByTestId('coop-name')).toHaveText('Umoja Savings Cooperative')
  await openMembers(page)
  await page.getByRole('radio', { name: 'All' }).or(page.getByRole('button', { name: 'All', exact: true })).click()
  await expect(memberRows(page)).toHaveCount(2)
  await expect(membersTable(page)).toContainText('Peter Otieno Ouma')
  await expect(membersTable(page)).toContainText('Jane Wanjiru')
})

test('the profile is editable in Settings', async ({ launch }) => {
  const app = await launch()
  const page = app.page
  await fillProfile(page)
  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Umoja Savings Cooperative')
  await page.getByLabel('Name', { exact: true }).fill('Umoja Sacco Society')
  await page.getByRole('button', { name: 'Save profile' }).click()
  await expect(page.getByTestId('coop-name')).toHaveText('Umoja Sacco Society')
})

test('a damaged data file gets a clear message with its path, not a crash', async ({ launch }) => {
  const app = await launch({
    prepare: (dir) => fs.writeFileSync(path.join(dir, 'coffer.sqlite'), 'this is not a database '.repeat(200))
  })
  const page = app.page
  await expect(page.getByRole('heading', { level: 1 })).toContainText('damaged')
  await expect(page.getByText(path.join(app.dataDir, 'coffer.sqlite'))).toBeVisible()
  await expect(page.getByText(/Restore the latest backup/)).toBeVisible()
})
