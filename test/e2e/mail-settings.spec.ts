import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Locator, Page } from '@playwright/test'
import { SMTPServer } from 'smtp-server'
import { test, expect } from './support/fixtures'
import { openTestCore } from './support/driver'
import { PROFILE } from './support/auth'
import { keychainSkipReason, startKeychain, type TestKeychain } from '../support/keychain'

const SHOTS = process.env.COFFER_SHOTS_DIR

// The password and the SMS token are kept in a real keychain (GNOME Keyring on a private bus); the Electron driver inherits the variables.
let keychain: TestKeychain | null = null
test.beforeAll(() => {
  if (keychainSkipReason) return
  keychain = startKeychain()
  Object.assign(process.env, keychain.env)
})
test.afterAll(() => keychain?.stop())

/** The message under a field (the one its aria-describedby names first). */
async function fieldError(page: Page, root: Page | Locator, label: string): Promise<string> {
  const control = root.getByLabel(label, { exact: true })
  await expect(control).toHaveAttribute('aria-invalid', 'true')
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ')
  return (await page.locator(`[id="${ids[0]}"]`).textContent()) ?? ''
}

interface Received {
  from: string
  to: string[]
  user: string | null
  data: string
}

/** A loopback SMTP server that takes ana / s3cret only, and keeps what it receives. */
async function startSmtp(): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = []
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'ana' && auth.password === 's3cret') cb(null, { user: 'ana' })
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }))
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : null,
          data: Buffer.concat(chunks).toString('utf8')
        })
        cb()
      })
    },
    logger: false
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

interface SmsRequest {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

/** A loopback SMS gateway answering 201 with a JSON body, keeping each request. */
async function startGateway(): Promise<{ port: number; requests: SmsRequest[]; close: () => Promise<void> }> {
  const requests: SmsRequest[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(201, { 'content-type': 'application/json' })
      res.end('{"status":"accepted","id":"sms-77"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return { port, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

test('email and SMS settings: a field refused, saved with a password kept in the keychain, a test message showing the server reply; SMS gateway tested; a notice with an unknown placeholder refused next to its field, fixed, previewed with a member, reset; a member’s channels saved', async ({
  launch
}) => {
  test.skip(keychainSkipReason !== null, `no test keychain: ${keychainSkipReason}`)
  test.setTimeout(180_000)
  const smtp = await startSmtp()
  const gateway = await startGateway()
  try {
    let memberId = 0
    const app = await launch({
      prepare: async (dir) => {
        const core = openTestCore(dir)
        try {
          expect((await core.invoke('profile.save', PROFILE)).ok).toBe(true)
          const m = await core.invoke('members.create', {
            memberNo: 'M-00001',
            fullName: 'Amina Odhiambo',
            joinedOn: '2020-01-01',
            email: 'amina@example.org',
            phone: '+254 700 111222'
          })
          expect(m.ok).toBe(true)
          if (m.ok) memberId = (m.value as { id: number }).id
        } finally {
          await core.shutdown()
        }
      }
    })
    const page = app.page
    await page.setViewportSize({ width: 1280, height: 860 })
    // An element taller than the window is cut by its own screenshot: the window is made tall enough for it first.
    const shot = async (name: string, target?: Locator) => {
      if (!SHOTS) return
      for (const [width, height, suffix] of [
        [1280, 860, ''],
        [1024, 700, '-1024']
      ] as const) {
        await page.setViewportSize({ width, height })
        const file = `${SHOTS}/mail-${name}${suffix}.png`
        if (!target) {
          await page.screenshot({ path: file, fullPage: true })
          continue
        }
        const tall = await target.evaluate((el) => Math.ceil(el.getBoundingClientRect().height))
        await page.setViewportSize({ width, height: Math.max(height, tall + 160) })
        await target.scrollIntoViewIfNeeded()
        await target.screenshot({ path: file })
      }
      await page.setViewportSize({ width: 1280, height: 860 })
    }

    // ---- Settings → Email: a server name with a space is refused next to its field.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
    const email = page.getByTestId('email-settings')
    await email.scrollIntoViewIfNeeded()
    await email.getByLabel('Server', { exact: true }).fill('mail server')
    await email.getByLabel('Port', { exact: true }).fill(String(smtp.port))
    await email.getByLabel('Security', { exact: true }).selectOption('none')
    await expect(email.getByText('Nothing is encrypted: the password and every message cross the network')).toBeVisible()
    await email.getByLabel('User name', { exact: true }).fill('ana')
    await email.getByLabel('Password', { exact: true }).fill('s3cret')
    await email.getByLabel('Sender name', { exact: true }).fill('Umoja Savings')
    await email.getByLabel('Sender address', { exact: true }).fill('treasurer@umoja.example')
    await email.getByLabel('Reply-to', { exact: true }).fill('office@umoja.example')
    await email.getByLabel('Alert address', { exact: true }).fill('alerts@umoja.example')
    await email.getByLabel('Alert phone', { exact: true }).fill('+254 700 999000')
    await email.getByRole('button', { name: 'Save email settings' }).click()
    expect(await fieldError(page, email, 'Server')).toBe('Server must be a host name like mail.example.org or an IP address')
    await shot('email-error', email)

    await email.getByLabel('Server', { exact: true }).fill('127.0.0.1')
    await expect(email.getByLabel('Server', { exact: true })).not.toHaveAttribute('aria-invalid', 'true')
    await email.getByRole('button', { name: 'Save email settings' }).click()
    await expect(email.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()
    // Write-only: the box is empty again and says the password is kept, in the keychain.
    await expect(email.getByLabel('Password', { exact: true })).toHaveValue('')
    await expect(email.getByText(/A password is kept in .*keychain.*Leave this empty to keep it/)).toBeVisible()
    await expect(email.getByRole('button', { name: 'Forget' })).toBeVisible()

    // ---- A test message: the server's reply as it came, and Coffer's reading.
    await email.getByLabel('To', { exact: true }).fill('amina@example.org')
    await email.getByRole('button', { name: 'Send a test message' }).click()
    const result = email.getByTestId('test-result')
    await expect(result).toHaveAttribute('data-outcome', 'sent')
    await expect(result).toContainText('The mail server accepted the test message for amina@example.org')
    await expect(result.getByTestId('test-reply')).toContainText(/^250 /)
    expect(smtp.received).toHaveLength(1)
    expect(smtp.received[0]?.user).toBe('ana')
    expect(smtp.received[0]?.to).toEqual(['amina@example.org'])
    expect(smtp.received[0]?.from).toBe('treasurer@umoja.example')
    expect(smtp.received[0]?.data).toContain('Reply-To: office@umoja.example')
    await shot('email-test', email)

    // ---- Settings → SMS gateway: a header with {token}, a JSON body; the token kept in the keychain.
    const sms = page.getByTestId('sms-settings')
    await sms.scrollIntoViewIfNeeded()
    await sms.getByRole('switch').check()
    await sms.getByLabel('Gateway URL', { exact: true }).fill(`http://127.0.0.1:${gateway.port}/send`)
    await sms.getByLabel('Method', { exact: true }).selectOption('POST')
    await sms.getByRole('button', { name: 'Add a header' }).click()
    await sms.getByLabel('Header 1 name', { exact: true }).fill('Authorization')
    await sms.getByLabel('Header 1 value', { exact: true }).fill('Bearer {token}')
    await sms.getByLabel('Body sent as', { exact: true }).selectOption('application/json')
    await sms.getByLabel('Body', { exact: true }).fill('{"to": "{to}", "text": "{message}"}')
    await sms.getByLabel('Token', { exact: true }).fill('tok-123')
    await sms.getByRole('button', { name: 'Save SMS settings' }).click()
    await expect(sms.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()
    await expect(sms.getByText(/A token is kept in this computer’s keychain/)).toBeVisible()

    // A test SMS to a number that is not one is refused next to its field; then sent.
    await sms.getByLabel('To', { exact: true }).fill('call me')
    await sms.getByRole('button', { name: 'Send a test SMS' }).click()
    expect(await fieldError(page, sms, 'To')).toBe('To must be a phone number like +254 700 123456')
    await sms.getByLabel('To', { exact: true }).fill('+254 700 123456')
    await sms.getByRole('button', { name: 'Send a test SMS' }).click()
    const smsResult = sms.getByTestId('test-result')
    await expect(smsResult).toHaveAttribute('data-outcome', 'sent')
    await expect(smsResult.getByTestId('test-reply')).toContainText('201')
    await expect(smsResult.getByTestId('test-reply')).toContainText('{"status":"accepted","id":"sms-77"}')
    expect(gateway.requests).toHaveLength(1)
    expect(gateway.requests[0]?.method).toBe('POST')
    expect(gateway.requests[0]?.headers.authorization).toBe('Bearer tok-123')
    expect(JSON.parse(gateway.requests[0]?.body ?? '{}')).toMatchObject({ to: '+254 700 123456' })
    await shot('sms-test', sms)

    // ---- Notices: the list, then the voucher's wording.
    await email.getByRole('link', { name: 'Notices and their wording' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Notices' })).toBeVisible()
    const table = page.getByRole('table', { name: 'Notices' })
    await expect(table.locator('tbody tr')).toHaveCount(6)
    await shot('notices')
    await table.getByRole('link', { name: 'Payment voucher' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Payment voucher notice' })).toBeVisible()
    const subject = page.getByLabel('Subject', { exact: true })
    await subject.fill('Your payment {voucher_no} of {amount} {bogus}')
    await page.getByRole('button', { name: 'Save wording' }).click()
    expect(await fieldError(page, page, 'Subject')).toContain('{bogus}')
    // Fixed with a placeholder from the list, put where the cursor is.
    await subject.fill('Your payment of {amount}, ')
    await subject.press('End')
    await page.getByTestId('placeholders').getByRole('button', { name: '{member_name}' }).click()
    await expect(subject).toHaveValue('Your payment of {amount}, {member_name}')
    await expect(subject).not.toHaveAttribute('aria-invalid', 'true')
    await page.getByLabel('SMS text', { exact: true }).fill('{member_name}: {amount} paid, voucher {voucher_no}.')
    await expect(page.getByTestId('sms-count')).toContainText('51 of 480 characters')
    await page.getByRole('button', { name: 'Save wording' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()

    // Preview with a real member: their name and address fill it in.
    const preview = page.getByTestId('template-preview')
    await preview.getByLabel('With the data of', { exact: true }).fill('Amina')
    await page.getByRole('option', { name: /Amina Odhiambo/ }).click()
    await expect(preview.getByTestId('preview-email')).toContainText('To: amina@example.org')
    await expect(preview.getByTestId('preview-email')).toContainText('Your payment of ')
    await expect(preview.getByTestId('preview-email')).toContainText(', Amina Odhiambo')
    await expect(preview.getByTestId('preview-sms')).toContainText('Amina Odhiambo: ')
    await shot('template')

    // Reset to Coffer's wording.
    await page.getByRole('button', { name: 'Reset to Coffer’s wording' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Reset the wording' }).click()
    await expect(page.getByRole('dialog')).toHaveCount(0)
    await expect(subject).not.toHaveValue('Your payment of {amount}, {member_name}')
    await expect(page.getByRole('button', { name: 'Reset to Coffer’s wording' })).toHaveAttribute('aria-disabled', 'true')

    // ---- The member's channels: SMS off, kept after a reload.
    await page.goto(page.url().replace(/#.*$/, `#/members/${memberId}`))
    const messages = page.getByTestId('member-messages')
    await expect(messages).toContainText('To amina@example.org')
    await expect(messages).toContainText('To +254 700 111222')
    const smsSwitch = messages.getByRole('switch', { name: 'By SMS' })
    await expect(smsSwitch).toBeChecked()
    await smsSwitch.uncheck()
    await expect(messages.getByRole('status')).toHaveText('Saved')
    await messages.getByRole('switch', { name: 'Opted out' }).check()
    await expect(messages.getByTestId('member-opted-out')).toBeVisible()
    await shot('member-messages', messages)
    const again = await app.restart()
    await again.goto(again.url().replace(/#.*$/, `#/members/${memberId}`))
    await expect(again.getByTestId('member-messages').getByRole('switch', { name: 'By SMS' })).not.toBeChecked()
    await expect(again.getByTestId('member-messages').getByRole('switch', { name: 'Opted out' })).toBeChecked()
    await expect(again.getByTestId('member-messages').getByRole('switch', { name: 'By email' })).toBeChecked()
  } finally {
    await smtp.close()
    await gateway.close()
  }
})
