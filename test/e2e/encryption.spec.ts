import fs from 'node:fs'
import path from 'node:path'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { ADMIN, PROFILE, signIn } from './support/auth'
import { keychainSkipReason, startKeychain, type TestKeychain } from '../support/keychain'
import { keychainSecretStore } from '../../src/core/platform/secrets'

const SHOTS = process.env.COFFER_SHOTS_DIR
const PLAIN_HEADER = 'SQLite format 3\0'
const header = (dataDir: string) => fs.readFileSync(path.join(dataDir, 'coffer.sqlite')).subarray(0, 16).toString('latin1')

// A real keychain (GNOME Keyring on a private bus) for the core this process runs; the Electron driver inherits the variables.
let keychain: TestKeychain | null = null
test.beforeAll(() => {
  if (keychainSkipReason) return
  keychain = startKeychain()
  Object.assign(process.env, keychain.env)
})
test.afterAll(() => keychain?.stop())

async function book(dir: string) {
  const core = openTestCore(dir)
  expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
  expect((await core.invoke('members.create', { memberNo: 'M-00001', fullName: 'Amina Odhiambo', joinedOn: '2020-01-01', nationalId: '12345678' })).ok).toBe(true)
  return core
}

test('the administrator turns encryption on in Settings: the recovery key is shown once and stays until written down; then off again', async ({ launch }) => {
  test.skip(keychainSkipReason !== null, `no test keychain: ${keychainSkipReason}`)
  const app = await launch({
    prepare: async (dir) => {
      await (await book(dir)).shutdown()
    }
  })
  const page = app.page
  await page.getByRole('link', { name: 'Settings' }).click()
  const section = page.getByRole('region', { name: 'Encryption' })
  await expect(section.getByTestId('encryption-state')).toContainText('The data file is not encrypted.')
  await section.scrollIntoViewIfNeeded()
  if (SHOTS) await section.screenshot({ path: path.join(SHOTS, 'encryption-off.png') })

  await section.getByRole('button', { name: 'Turn encryption on…' }).click()
  const ask = page.getByRole('dialog', { name: 'Encrypt the data file?' })
  await expect(ask.getByRole('button', { name: 'Encrypt' })).toBeDisabled()
  await ask.getByLabel('I will write the recovery key down').check()
  await ask.getByRole('button', { name: 'Encrypt' }).click()

  const shown = page.getByRole('dialog', { name: 'Write down the recovery key' })
  await expect(shown.getByTestId('recovery-key')).toHaveText(/^([0-9A-Z]{4}){14}$/)
  if (SHOTS) await shown.screenshot({ path: path.join(SHOTS, 'encryption-recovery-key.png') })
  // Not closed by Esc, nor by Done before it is written down.
  await page.keyboard.press('Escape')
  await expect(shown).toBeVisible()
  await expect(shown.getByRole('button', { name: 'Done' })).toBeDisabled()
  await shown.getByLabel('I have written it down').check()
  await shown.getByRole('button', { name: 'Done' }).click()
  await expect(shown).toBeHidden()

  await expect(section.getByTestId('encryption-state')).toContainText('The data file is encrypted on disk.')
  await expect(section.getByText('Nobody confirmed writing down the recovery key')).toHaveCount(0)
  expect(header(app.dataDir)).not.toBe(PLAIN_HEADER)
  // Still signed in, on the same data.
  await page.getByRole('link', { name: 'Members' }).click()
  await expect(page.locator('[data-member-id]').filter({ hasText: 'Amina Odhiambo' })).toBeVisible()
  await page.getByRole('link', { name: 'Settings' }).click()
  await section.scrollIntoViewIfNeeded()
  if (SHOTS) await section.screenshot({ path: path.join(SHOTS, 'encryption-on.png') })

  await section.getByRole('button', { name: 'Turn encryption off…' }).click()
  const off = page.getByRole('dialog', { name: 'Stop encrypting the data file?' })
  await off.getByLabel('I understand the data file will be readable').check()
  await off.getByRole('button', { name: 'Stop encrypting' }).click()
  await expect(section.getByTestId('encryption-state')).toContainText('The data file is not encrypted.')
  expect(header(app.dataDir)).toBe(PLAIN_HEADER)
})

test('a data file whose key this computer does not have opens from the start-up page with its recovery key', async ({ launch }) => {
  test.skip(keychainSkipReason !== null, `no test keychain: ${keychainSkipReason}`)
  let recoveryKey = ''
  const app = await launch({
    signIn: false,
    prepare: async (dir) => {
      const core = await book(dir)
      const r = await core.invoke('encryption.enable', { confirm: true })
      if (!r.ok) throw new Error(r.error.message)
      recoveryKey = (r.value as { recoveryKey: string }).recoveryKey
      await core.shutdown()
      // As on another computer: this keychain does not have the key.
      const id = fs.readFileSync(path.join(dir, 'coffer.sqlite')).subarray(0, 16).toString('hex')
      expect(keychainSecretStore().delete(`db-key/${id}`)).toBe(true)
    }
  })
  const page = app.page
  await expect(page.getByRole('heading', { level: 1, name: 'The Coffer data file is encrypted' })).toBeVisible()
  const field = page.getByRole('textbox', { name: 'Recovery key' })
  await field.fill('AAAA-BBBB')
  await page.getByRole('button', { name: 'Open the data file' }).click()
  await expect(page.getByText('A recovery key has 56 letters and digits (14 groups of four); this has 8.')).toBeVisible()
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'encryption-start-page.png'), fullPage: true })
  await field.fill(recoveryKey.toLowerCase().replace(/-/g, ' '))
  await page.getByRole('button', { name: 'Open the data file' }).click()
  await signIn(page, ADMIN)
  await page.getByRole('link', { name: 'Members' }).click()
  await expect(page.locator('[data-member-id]').filter({ hasText: 'Amina Odhiambo' })).toBeVisible()
})

test('restoring an encrypted backup from another computer asks for its recovery key in the restore dialog', async ({ launch }) => {
  test.skip(keychainSkipReason !== null, `no test keychain: ${keychainSkipReason}`)
  let recoveryKey = ''
  let name = ''
  const app = await launch({
    prepare: async (dir) => {
      // The other computer's book: encrypted, with a backup; its key is not in this keychain.
      const otherDir = fs.mkdtempSync(path.join(path.dirname(dir), 'coffer-e2e-other-'))
      const other = await book(otherDir)
      const r = await other.invoke('encryption.enable', { confirm: true })
      if (!r.ok) throw new Error(r.error.message)
      recoveryKey = (r.value as { recoveryKey: string }).recoveryKey
      const run = await other.invoke('jobs.run', { jobId: 'backup' })
      if (!run.ok) throw new Error(run.error.message)
      await other.shutdown()
      name = fs.readdirSync(path.join(otherDir, 'backups')).find((f) => f.startsWith('coffer-manual-')) ?? ''
      const id = fs.readFileSync(path.join(otherDir, 'coffer.sqlite')).subarray(0, 16).toString('hex')
      expect(keychainSecretStore().delete(`db-key/${id}`)).toBe(true)
      // This computer's book, with nobody in it yet; the backup brought over on a USB stick.
      const here = openTestCore(dir)
      expect((await here.invoke('profile.save', { ...PROFILE, name: 'New PC Cooperative' })).ok).toBe(true)
      await here.shutdown()
      fs.mkdirSync(path.join(dir, 'backups'), { recursive: true })
      fs.copyFileSync(path.join(otherDir, 'backups', name), path.join(dir, 'backups', name))
    }
  })
  const page = app.page
  await page.getByRole('link', { name: 'Settings' }).click()
  await page.locator(`[data-backup-name="${name}"]`).getByRole('button', { name: 'Restore…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Restore this backup?' })
  await dialog.getByLabel('I understand').check()
  await dialog.getByRole('button', { name: 'Restore this backup' }).click()
  await expect(dialog.getByText('is encrypted and this computer’s keychain has no key for it. Enter its recovery key to restore it.')).toBeVisible()
  const field = dialog.getByRole('textbox', { name: 'Recovery key' })
  await field.fill(`${recoveryKey.slice(0, -4)}0000`)
  await dialog.getByRole('button', { name: 'Restore this backup' }).click()
  await expect(dialog.getByText('This recovery key has a typing mistake: compare each group with the one you wrote down.')).toBeVisible()
  if (SHOTS) await dialog.screenshot({ path: path.join(SHOTS, 'encryption-restore-dialog.png') })
  await field.fill(recoveryKey)
  await dialog.getByRole('button', { name: 'Restore this backup' }).click()
  // The restored book's operators: Ada signs in there; its members are the other computer's.
  await signIn(page, ADMIN)
  await page.getByRole('link', { name: 'Members' }).click()
  await expect(page.locator('[data-member-id]').filter({ hasText: 'Amina Odhiambo' })).toBeVisible()
  expect(header(app.dataDir)).not.toBe(PLAIN_HEADER)
})
