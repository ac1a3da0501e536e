/**
 * The outbox and the mail job against a real SMTP server on loopback
 * (smtp-server with STARTTLS on a certificate made here, and AUTH) and a
 * loopback HTTP SMS gateway; the clock is injected. What the server
 * received is read back (subject, body, Message-ID, attachment bytes).
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { ManualClock } from '../../src/core'
import { Outbox } from '../../src/core/mail/outbox'
import { openDatabase } from '../../src/core/platform/db/open'
import type { ServiceContext } from '../../src/core/platform/context'
import type { JobContext } from '../../src/core/platform/jobs/types'
import { SecretStoreError } from '../../src/core/platform/secrets'
import { NotificationsService } from '../../src/core/notifications'
import { MailService, mailJob, mailServices } from '../../src/core/mail'
import { backoffMs } from '../../src/core/mail/deliver'
import { MIGRATIONS, tempDir, value } from '../support/temp-core'
import { signedIn } from '../support/operators'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { emailSettingsFor, memorySecrets, openMailCore } from '../support/mail'
import { startGateway, type TestGateway } from '../support/sms-gateway'

const T0 = '2026-11-22T09:00:00.000Z'
const MIN = 60_000
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function smtpServer(opts: Parameters<typeof startSmtp>[0] = {}): Promise<TestSmtp> {
  const s = await startSmtp(opts)
  cleanups.push(() => s.stop())
  return s
}

async function gateway(): Promise<TestGateway> {
  const g = await startGateway()
  cleanups.push(() => g.stop())
  return g
}

/** A data file with the mail service on it (as the mail module builds it), the notification centre, and a voucher renderer that counts its calls. */
function mailBook(smtp: TestSmtp | null) {
  const dir = tempDir('coffer-mail-')
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  const clock = new ManualClock(T0)
  const { db, sqlite } = openDatabase({ file: path.join(dir, 'coffer.sqlite'), migrationsFolder: MIGRATIONS, backupsDir: path.join(dir, 'backups'), clock })
  cleanups.push(() => sqlite.close())
  const ctx: ServiceContext = { db, sqlite, clock, emit: () => undefined }
  const notifications = new NotificationsService(ctx)
  const secrets = memorySecrets()
  const mail = new MailService(ctx, {
    secrets,
    dataDir: dir,
    locale: () => 'en-KE',
    profileName: () => 'Umoja Savings Cooperative',
    alert: (n) => void notifications.create(n),
    tlsCa: smtp?.ca
  })
  mailServices.set(sqlite, mail)
  const renders: unknown[] = []
  mail.registerRenderer('voucher', async (data) => {
    renders.push(data)
    return Buffer.from(`%PDF-1.7\n% voucher ${JSON.stringify(data)}\n%%EOF\n`, 'utf8')
  })
  const job = async () => {
    const jobCtx = { sqlite, db, clock, signal: new AbortController().signal, locale: 'en-KE', timeZone: 'Africa/Nairobi' } as unknown as JobContext
    return mailJob.run(jobCtx)
  }
  const alerts = () => sqlite.prepare("SELECT title, body, dedupe_key AS dedupeKey FROM notifications WHERE kind = 'error' ORDER BY id").all() as { title: string; body: string; dedupeKey: string }[]
  const row = (id: number) =>
    sqlite.prepare('SELECT status, attempts, next_attempt_at AS nextAttemptAt, sent_at AS sentAt, last_error AS lastError, message_id AS messageId FROM outbox_messages WHERE id = ?').get(id) as {
      status: string
      attempts: number
      nextAttemptAt: string | null
      sentAt: string | null
      lastError: string | null
      messageId: string | null
    }
  const configure = (over: Partial<Parameters<MailService['saveEmailSettings']>[0]> = {}) =>
    mail.saveEmailSettings({
      host: '127.0.0.1',
      port: smtp?.port ?? 2525,
      security: 'starttls',
      user: smtp?.user ?? null,
      password: smtp?.password,
      fromName: 'Umoja Savings',
      fromAddress: 'treasurer@umoja.test',
      replyTo: 'office@umoja.test',
      alertAddress: 'alerts@umoja.test',
      alertPhone: null,
      ...over
    } as Parameters<MailService['saveEmailSettings']>[0])
  const voucherEmail = (to: string, eventKey: string | null = `payment:${to}:voucher`) =>
    mail.outbox.enqueue({
      kind: 'voucher',
      channel: 'email',
      eventKey,
      to,
      toName: 'Wanjiru Kamau',
      subject: 'Your payment voucher PV-2026-0007',
      body: 'Dear Wanjiru,\n\nYour coupon of KES 4,250.00 was paid today. The voucher is attached.\n\nUmoja Savings',
      attachments: [{ filename: 'PV-2026-0007.pdf', contentType: 'application/pdf', source: { kind: 'voucher', data: { voucherNo: 'PV-2026-0007', amountMinor: 425000 } } }]
    }) as number
  const attempts = (id: number) =>
    sqlite.prepare('SELECT at, outcome, reply FROM outbox_attempts WHERE message_id = ? ORDER BY id').all(id) as { at: string; outcome: string | null; reply: string | null }[]
  return { dir, clock, sqlite, mail, secrets, notifications, renders, job, alerts, row, configure, voucherEmail, attempts }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

describe('email through a real SMTP server (STARTTLS, AUTH)', () => {
  it('sends a queued voucher email: what the server received, the frozen attachment, the Message-ID, the attempt', async () => {
    const smtp = await smtpServer()
    const b = mailBook(smtp)
    const settings = b.configure()
    expect(settings).toMatchObject({ configured: true, passwordKept: true, passwordWhere: 'the test keychain', user: smtp.user })
    // The password is in the secret store, never in the data file.
    expect(b.secrets.kept.get('smtp-password')).toBe(smtp.password)
    const stored = b.sqlite.prepare("SELECT group_concat(value, '|') FROM settings WHERE key LIKE 'mail.%'").pluck().get() as string
    expect(stored).not.toContain(smtp.password)

    const id = b.voucherEmail('wanjiru@members.test')
    expect(b.row(id).status).toBe('queued')
    const result = await b.job()
    expect(result.summary).toBe('Sent 1 message.')

    expect(smtp.received).toHaveLength(1)
    const got = smtp.received[0]!
    expect(got.secure).toBe(true)
    expect(got.user).toBe(smtp.user)
    expect(got.from).toBe('treasurer@umoja.test')
    expect(got.to).toEqual(['wanjiru@members.test'])
    expect(got.subject).toBe('Your payment voucher PV-2026-0007')
    expect(got.text).toContain('Your coupon of KES 4,250.00 was paid today.')
    expect(got.headers.get('reply-to')).toBe('office@umoja.test')
    const r = b.row(id)
    expect(got.messageId).toBe(r.messageId)
    expect(r.messageId).toMatch(/^<coffer\.[0-9a-f-]+@umoja\.test>$/)
    expect(got.attachments).toHaveLength(1)
    const att = b.sqlite.prepare('SELECT content, sha256, size FROM outbox_attachments WHERE message_id = ?').get(id) as { content: Buffer; sha256: string; size: number }
    expect(got.attachments[0]!.filename).toBe('PV-2026-0007.pdf')
    expect(got.attachments[0]!.contentType).toBe('application/pdf')
    expect(sha(got.attachments[0]!.content)).toBe(att.sha256)
    expect(att.size).toBe(got.attachments[0]!.content.length)
    expect(b.renders).toEqual([{ voucherNo: 'PV-2026-0007', amountMinor: 425000 }])

    expect(r).toMatchObject({ status: 'sent', attempts: 1, sentAt: T0, lastError: null })
    const detail = b.mail.message(id)
    expect(detail.attempts).toHaveLength(1)
    expect(detail.attempts[0]).toMatchObject({ at: T0, outcome: 'sent' })
    expect(detail.attempts[0]!.reply).toMatch(/^250 2\.0\.0 Ok: queued as T1/)
    expect(detail.attachments[0]).toMatchObject({ filename: 'PV-2026-0007.pdf', frozen: true, sha256: att.sha256 })

    // The same event queued again queues nothing; a second run sends nothing.
    expect(b.voucherEmail('wanjiru@members.test')).toBeNull()
    expect((await b.job()).summary).toBe('Nothing was due.')
    expect(smtp.received).toHaveLength(1)

    // The attachment saved to the exports folder is the frozen file.
    const saved = await b.mail.saveAttachment(detail.attachments[0]!.id)
    expect(saved.file).toBe(path.join(b.dir, 'exports', 'PV-2026-0007.pdf'))
    expect(sha(fs.readFileSync(saved.file))).toBe(att.sha256)
    expect(b.renders).toHaveLength(1)
  })

  it('a 4xx, then success: both replies in the attempt log, the retry waits its backoff', async () => {
    const smtp = await smtpServer({ failures: [{ to: 'busy@members.test', attempts: [1], code: 451, message: '4.7.1 Greylisted, please try again later' }] })
    const b = mailBook(smtp)
    b.configure()
    const id = b.voucherEmail('busy@members.test')
    expect((await b.job()).summary).toBe('1 to be tried again later.')
    let r = b.row(id)
    expect(r).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: new Date(Date.parse(T0) + MIN).toISOString() })
    expect(r.lastError).toContain('The mail server asked to try again later.')
    expect(r.lastError).toContain('451 4.7.1 Greylisted')
    // Not due yet: 30 seconds later nothing is tried.
    b.clock.advance(30_000)
    expect((await b.job()).summary).toBe('Nothing was due.')
    expect(smtp.attempts.get('busy@members.test')).toBe(1)
    b.clock.advance(30_000)
    expect((await b.job()).summary).toBe('Sent 1 message.')
    r = b.row(id)
    expect(r).toMatchObject({ status: 'sent', attempts: 2 })
    const log = b.attempts(id)
    expect(log.map((a) => a.outcome)).toEqual(['temporary', 'sent'])
    expect(log[0]!.reply).toMatch(/^451 4\.7\.1 Greylisted/)
    expect(log[1]!.reply).toMatch(/^250 /)
    expect(log.map((a) => a.at)).toEqual([T0, new Date(Date.parse(T0) + MIN).toISOString()])
    expect(b.alerts()).toEqual([])
    // The backoff: 1, 5, 15, 60 minutes, 3 hours, then 6 hours at most.
    expect([1, 2, 3, 4, 5, 6, 7, 9].map((n) => backoffMs(n) / MIN)).toEqual([1, 5, 15, 60, 180, 360, 360, 360])
  })

  it('gives up after 10 temporary failures with one alert; only attempts count, not time', async () => {
    const smtp = await smtpServer({ failures: [{ to: 'full@members.test', attempts: 'always', code: 452, message: '4.2.2 Mailbox full' }] })
    const b = mailBook(smtp)
    b.configure()
    const id = b.voucherEmail('full@members.test')
    for (let i = 1; i <= 10; i++) {
      await b.job()
      const r = b.row(id)
      expect(r.attempts).toBe(i)
      if (i < 10) {
        expect(r.status).toBe('queued')
        b.clock.set(r.nextAttemptAt as string)
      }
    }
    const r = b.row(id)
    expect(r.status).toBe('failed')
    expect(r.lastError).toContain('Coffer gave up after 10 attempts.')
    expect(b.alerts()).toHaveLength(1)
    expect(b.alerts()[0]!.title).toBe('An email to full@members.test could not be sent')
  })

  it('a 5xx fails the message at once, with a staff alert', async () => {
    const smtp = await smtpServer({ failures: [{ to: 'nobody@members.test', attempts: 'always', code: 550, message: '5.1.1 No such user here' }] })
    const b = mailBook(smtp)
    b.configure()
    const bad = b.voucherEmail('nobody@members.test')
    const good = b.voucherEmail('wanjiru@members.test')
    expect((await b.job()).summary).toBe('Sent 1 message, 1 failed.')
    expect(b.row(bad)).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null })
    expect(b.row(bad).lastError).toContain('550 5.1.1 No such user here')
    expect(b.row(good).status).toBe('sent')
    expect(b.attempts(bad).map((a) => a.outcome)).toEqual(['permanent'])
    const alerts = b.alerts()
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ title: 'An email to nobody@members.test could not be sent', dedupeKey: `mail-failed:${bad}` })
    expect(alerts[0]!.body).toContain('550 5.1.1 No such user here')
    // Nothing more is tried.
    b.clock.advance(7 * 24 * 60 * MIN)
    await b.job()
    expect(smtp.attempts.get('nobody@members.test')).toBe(1)
  })

  it('bad credentials hold the queue with one alert, count no attempt, and saving the right password resumes it', async () => {
    const smtp = await smtpServer()
    const b = mailBook(smtp)
    b.configure({ password: 'wrong password' })
    const ids = [b.voucherEmail('a@members.test'), b.voucherEmail('b@members.test'), b.voucherEmail('c@members.test')]
    const first = await b.job()
    expect(first.summary).toContain('the queue is held')
    const q = b.mail.queue()
    expect(q).toMatchObject({ held: true, heldBy: null })
    expect(q.heldReason).toContain('The mail server refused the user name or password.')
    expect(q.heldReason).toContain('535 5.7.8 Authentication credentials invalid')
    for (const id of ids) {
      expect(b.row(id)).toMatchObject({ status: 'queued', attempts: 0, nextAttemptAt: null })
    }
    const authAttempts = ids.flatMap((id) => b.attempts(id)).filter((a) => a.outcome === 'auth')
    expect(authAttempts.length).toBeGreaterThanOrEqual(1)
    expect(authAttempts.length).toBeLessThanOrEqual(4)
    expect(b.alerts()).toHaveLength(1)
    expect(b.alerts()[0]!.title).toBe('Email is held: the mail server refused the password')
    expect(smtp.received).toHaveLength(0)

    // Held: a minute later nothing is tried, no new alert.
    const failuresBefore = smtp.authFailures
    b.clock.advance(MIN)
    expect((await b.job()).summary).toBe('Nothing was sent: the queue is held.')
    expect(smtp.authFailures).toBe(failuresBefore)
    expect(b.alerts()).toHaveLength(1)

    // The right password saved: the queue goes on, every message is sent.
    b.configure({ password: smtp.password })
    expect(b.mail.queue().held).toBe(false)
    expect((await b.job()).summary).toBe('Sent 3 messages.')
    for (const id of ids) expect(b.row(id)).toMatchObject({ status: 'sent', attempts: 1 })
    expect(b.alerts()).toHaveLength(1)
  })

  it('an operator hold is not lifted by saving settings; resume lifts it', async () => {
    const smtp = await smtpServer()
    const b = mailBook(smtp)
    b.configure()
    b.mail.hold('The bank asked us to wait until Monday')
    const id = b.voucherEmail('wanjiru@members.test')
    expect((await b.job()).summary).toBe('Nothing was sent: the queue is held.')
    b.configure()
    expect(b.mail.queue()).toMatchObject({ held: true, heldReason: 'The bank asked us to wait until Monday', heldBy: 'System' })
    expect(() => b.mail.hold('again')).toThrow(/already held/)
    b.mail.resume()
    expect((await b.job()).summary).toBe('Sent 1 message.')
    expect(b.row(id).status).toBe('sent')
  })

  it('Coffer stopped between handing over and recording: the attempt is unknown and the message is sent again with the same Message-ID', async () => {
    const smtp = await smtpServer()
    const b = mailBook(smtp)
    b.configure()
    const id = b.voucherEmail('wanjiru@members.test')
    await b.job()
    const messageId = b.row(id).messageId
    expect(smtp.received).toHaveLength(1)
    // As a run killed after the server took it: 'sending' with an open attempt.
    b.sqlite.prepare("UPDATE outbox_messages SET status = 'sending', sent_at = NULL WHERE id = ?").run(id)
    b.sqlite.prepare('INSERT INTO outbox_attempts (message_id, at) VALUES (?, ?)').run(id, T0)
    b.clock.advance(MIN)
    const run = await b.job()
    expect(run.summary).toBe('Sent 1 message, 1 found half-sent and queued again.')
    expect(b.attempts(id).map((a) => a.outcome)).toEqual(['sent', 'unknown', 'sent'])
    expect(b.attempts(id)[1]!.reply).toContain('same Message-ID')
    expect(smtp.received).toHaveLength(2)
    expect(smtp.received[1]!.messageId).toBe(messageId)
    expect(smtp.received[0]!.messageId).toBe(messageId)
    expect(sha(smtp.received[1]!.attachments[0]!.content)).toBe(sha(smtp.received[0]!.attachments[0]!.content))
    expect(b.renders).toHaveLength(1)
  })

  it('the PC off for a week: nothing expires, the attempts are unchanged, then it is sent', async () => {
    const smtp = await smtpServer({ failures: [{ to: 'busy@members.test', attempts: [1, 2, 3], code: 421, message: '4.3.2 Service shutting down' }] })
    const b = mailBook(smtp)
    b.configure()
    const id = b.voucherEmail('busy@members.test')
    await b.job()
    b.clock.advance(MIN)
    await b.job()
    expect(b.row(id)).toMatchObject({ status: 'queued', attempts: 2 })
    const before = b.attempts(id).length
    // Off for a week.
    b.clock.advance(7 * 24 * 60 * MIN)
    expect(b.row(id)).toMatchObject({ status: 'queued', attempts: 2 })
    expect(b.attempts(id)).toHaveLength(before)
    await b.job()
    expect(b.row(id)).toMatchObject({ status: 'queued', attempts: 3 })
    b.clock.advance(15 * MIN)
    await b.job()
    expect(b.row(id)).toMatchObject({ status: 'sent', attempts: 4 })
    expect(b.alerts()).toEqual([])
  })

  it('retry, cancel and resend: a resend is a new linked message with the same attachment bytes and a Message-ID of its own', async () => {
    const smtp = await smtpServer({ failures: [{ to: 'nobody@members.test', attempts: [1], code: 550, message: '5.1.1 No such user' }] })
    const b = mailBook(smtp)
    b.configure()
    const failed = b.voucherEmail('nobody@members.test')
    const sent = b.voucherEmail('wanjiru@members.test')
    const cancelled = b.voucherEmail('c@members.test')
    let m = b.mail.messageDto(cancelled)
    b.mail.cancel(cancelled, m.version, 'Sent by hand instead')
    await b.job()
    expect(b.row(cancelled).status).toBe('cancelled')
    expect(b.row(cancelled).lastError).toBe('Cancelled by System: Sent by hand instead')
    expect(smtp.attempts.get('c@members.test')).toBeUndefined()

    // Retry: a stale version is refused, the right one queues it again, attempts start over.
    m = b.mail.messageDto(failed)
    expect(m.status).toBe('failed')
    expect(() => b.mail.retry(failed, m.version - 1)).toThrow(/changed since you opened it/)
    expect(b.mail.retry(failed, m.version)).toMatchObject({ status: 'queued', attempts: 0 })
    await b.job()
    expect(b.row(failed)).toMatchObject({ status: 'sent', attempts: 1 })

    // Resend of a sent message.
    expect(() => b.mail.resend(cancelled)).toThrow(/only a sent or failed message/)
    const again = b.mail.resend(sent)
    expect(again).toMatchObject({ kind: 'resend', status: 'queued', resendOf: sent, to: 'wanjiru@members.test', attachments: 1 })
    expect(b.mail.messageDto(sent).resentAs).toBe(again.id)
    expect(again.messageId).not.toBe(b.row(sent).messageId)
    await b.job()
    expect(b.row(again.id).status).toBe('sent')
    const [orig, copy] = [sent, again.id].map((id) => b.sqlite.prepare('SELECT sha256 FROM outbox_attachments WHERE message_id = ?').pluck().get(id) as string)
    expect(copy).toBe(orig)
    const last = smtp.received.at(-1)!
    expect(sha(last.attachments[0]!.content)).toBe(orig)
    expect(last.messageId).toBe(again.messageId)
    expect(b.renders).toHaveLength(2) // the failed one and the sent one; the resend made nothing
  })

  it('refuses settings that cannot work, and reads a stored value that is not Coffer’s as an error', async () => {
    const b = mailBook(null)
    expect(() => b.configure({ user: 'someone', password: undefined })).toThrow(/No password is kept for someone/)
    expect(() => b.configure({ user: null, password: 'secret' })).toThrow(/A password needs a user name/)
    b.configure({ user: null, password: undefined, security: 'none', port: 25 })
    expect(b.mail.emailSettings()).toMatchObject({ configured: true, user: null, passwordKept: false, security: 'none', port: 25 })
    b.sqlite.prepare("UPDATE settings SET value = 'sometimes' WHERE key = 'mail.smtp.security'").run()
    expect(() => b.mail.emailSettings()).toThrow(/The stored SMTP security cannot be read/)
    // A keychain that refuses: Coffer's words, next to the password.
    const refusing = mailBook(null)
    refusing.secrets.set = () => {
      throw new SecretStoreError('KEYCHAIN_LOCKED', 'Coffer cannot keep a secret in the keychain: it is locked.')
    }
    try {
      refusing.configure({ user: 'u', password: 'p' })
      expect.unreachable()
    } catch (e) {
      expect(e).toMatchObject({ code: 'CONFLICT', message: 'Coffer cannot keep a secret in the keychain: it is locked.', fields: { password: 'Coffer cannot keep a secret in the keychain: it is locked.' } })
    }
  })

  it('a test message answers with the server’s reply', async () => {
    const smtp = await smtpServer()
    const b = mailBook(smtp)
    b.configure()
    const ok = await b.mail.testEmail('me@umoja.test')
    expect(ok).toMatchObject({ ok: true, outcome: 'sent' })
    expect(ok.reply).toMatch(/^250 2\.0\.0 Ok/)
    expect(smtp.received.at(-1)!.subject).toBe('Test message from Umoja Savings Cooperative')
    b.configure({ password: 'wrong' })
    const bad = await b.mail.testEmail('me@umoja.test')
    expect(bad).toMatchObject({ ok: false, outcome: 'auth', message: 'The mail server refused the user name or password.' })
    expect(bad.reply).toContain('535')
    // No outbox row for either.
    expect(b.sqlite.prepare('SELECT count(*) FROM outbox_messages').pluck().get()).toBe(0)
  })
})

describe('SMS through a loopback HTTP gateway', () => {
  const smsSettings = (g: TestGateway, over: Record<string, unknown> = {}) => ({
    enabled: true,
    url: `${g.url}/send?key={token}&to={to}`,
    method: 'POST' as const,
    headers: [{ name: 'Authorization', value: 'Bearer {token}' }],
    contentType: 'application/json' as const,
    bodyTemplate: '{"to": "{to}", "text": "{message}"}',
    token: 'tok&en "1"',
    ...over
  })
  const smsMessage = (b: ReturnType<typeof mailBook>, to: string, body: string) =>
    b.mail.outbox.enqueue({ kind: 'standing-order-failed', channel: 'sms', eventKey: `occurrence:${to}:failed`, to, toName: null, subject: null, body }) as number

  it('fills the template (JSON-escaped in the body, URL-encoded in the URL), and reads 200, 503 and 400', async () => {
    const g = await gateway()
    const b = mailBook(null)
    expect(() => b.mail.saveSmsSettings({ ...smsSettings(g), token: undefined })).toThrow(/no token is kept/)
    const saved = b.mail.saveSmsSettings(smsSettings(g))
    expect(saved).toMatchObject({ configured: true, enabled: true, tokenKept: true })
    expect(b.secrets.kept.get('sms-token')).toBe('tok&en "1"')
    expect(b.sqlite.prepare("SELECT value FROM settings WHERE key = 'mail.sms'").pluck().get()).not.toContain('tok&en')

    const ok = smsMessage(b, '+254 700 123456', 'Your standing order "Savings" failed: 5% & more\nCall us.')
    const busy = smsMessage(b, '+254 700 000001', 'Busy')
    const refused = smsMessage(b, '+254 700 000002', 'Refused')
    g.answers.push({ status: 200, body: '{"status":"queued"}' }, { status: 503, body: 'Service Unavailable: try later' }, { status: 400, body: '{"error":"invalid number"}' })
    expect((await b.job()).summary).toBe('Sent 1 message, 1 to be tried again later, 1 failed.')
    const first = g.requests.find((r) => r.url.includes(encodeURIComponent('+254 700 123456')))!
    expect(first.method).toBe('POST')
    expect(first.url).toBe(`/send?key=${encodeURIComponent('tok&en "1"')}&to=${encodeURIComponent('+254 700 123456')}`)
    expect(first.headers.authorization).toBe('Bearer tok&en "1"')
    expect(first.headers['content-type']).toBe('application/json')
    expect(JSON.parse(first.body)).toEqual({ to: '+254 700 123456', text: 'Your standing order "Savings" failed: 5% & more\nCall us.' })
    expect(b.row(ok).status).toBe('sent')
    expect(b.attempts(ok)[0]!.reply).toBe('HTTP 200 OK: {"status":"queued"}')
    expect(b.row(busy)).toMatchObject({ status: 'queued', attempts: 1 })
    expect(b.attempts(busy)[0]).toMatchObject({ outcome: 'temporary', reply: 'HTTP 503 Service Unavailable: Service Unavailable: try later' })
    expect(b.row(refused)).toMatchObject({ status: 'failed', attempts: 1 })
    expect(b.attempts(refused)[0]).toMatchObject({ outcome: 'permanent', reply: 'HTTP 400 Bad Request: {"error":"invalid number"}' })
    expect(b.alerts().map((a) => a.title)).toEqual(['An SMS to +254 700 000002 could not be sent'])
    b.clock.advance(MIN)
    await b.job()
    expect(b.row(busy)).toMatchObject({ status: 'sent', attempts: 2 })
  })

  it('a form body is URL-encoded; a test SMS answers with the gateway’s reply', async () => {
    const g = await gateway()
    const b = mailBook(null)
    b.mail.saveSmsSettings(smsSettings(g, { url: `${g.url}/sms`, headers: [], contentType: 'application/x-www-form-urlencoded', bodyTemplate: 'to={to}&msg={message}&key={token}' }))
    g.answers.push({ status: 429, body: 'slow down' })
    const r = await b.mail.testSms('+254 700 123456')
    expect(r).toMatchObject({ ok: false, outcome: 'temporary', reply: 'HTTP 429 Too Many Requests: slow down' })
    const body = new URLSearchParams(g.requests[0]!.body)
    expect(body.get('to')).toBe('+254 700 123456')
    expect(body.get('msg')).toBe('Test message from Umoja Savings Cooperative: SMS is set up.')
    expect(body.get('key')).toBe('tok&en "1"')
    expect(() => b.mail.saveSmsSettings(smsSettings(g, { bodyTemplate: '{"to":"{to}","x":"{sender}"}' }))).toThrow(/\{sender\} is not a placeholder/)
  })
})

describe('the mail module in a core', () => {
  it('answers mail.* channels; the mail job, started by the engine, sends through the module’s service', async () => {
    const smtp = await smtpServer()
    const dataDir = tempDir('coffer-mail-core-')
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }))
    const secrets = memorySecrets()
    const core = openMailCore(dataDir, new ManualClock(T0), smtp, secrets)
    cleanups.push(() => core.close())
    signedIn(core)
    const q = value<{ held: boolean; emailReady: boolean }>(await core.invoke('mail.queue'))
    expect(q).toMatchObject({ held: false, emailReady: false, smsReady: false })
    expect(value(await core.invoke('mail.outbox', {}))).toMatchObject({ rows: [], total: 0 })
    const refused = await core.invoke('mail.saveEmailSettings', { host: 'mail example', port: 0, security: 'ssl', user: null, fromName: 'x', fromAddress: null, replyTo: null, alertAddress: null, alertPhone: null })
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(Object.keys(refused.error.fields ?? {}).sort()).toEqual(['fromAddress', 'host', 'port', 'security'])
    const saved = value(await core.invoke('mail.saveEmailSettings', emailSettingsFor(smtp)))
    expect(saved).toMatchObject({ configured: true, passwordKept: true })
    expect(secrets.kept.get('smtp-password')).toBe(smtp.password)
    const test = value<{ ok: boolean; reply: string }>(await core.invoke('mail.testEmail', { to: 'me@umoja.test' }))
    expect(test.ok).toBe(true)
    expect(test.reply).toMatch(/^250 /)

    // A message queued on another connection to the same file, then the engine's run.
    const raw = new Database(path.join(dataDir, 'coffer.sqlite'))
    cleanups.push(() => raw.close())
    new Outbox(raw, () => new Date(T0), () => 'treasurer@umoja.test').enqueue({ kind: 'alert', channel: 'email', eventKey: 'notification:1', to: 'alerts@umoja.test', toName: null, subject: 'A job failed', body: 'The backup failed.' })
    const started = core.jobs!.start('mail', { trigger: 'manual' })
    const ended = await started.done
    expect(ended).toMatchObject({ status: 'succeeded', result: { summary: 'Sent 1 message.' } })
    expect(smtp.received.map((m) => m.subject)).toEqual(['Test message from Coffer', 'A job failed'])
    const list = value<{ rows: { status: string; to: string }[]; queue: { counts: { sent: number } } }>(await core.invoke('mail.outbox', { status: 'sent' }))
    expect(list.rows).toMatchObject([{ status: 'sent', to: 'alerts@umoja.test' }])
    expect(list.queue.counts.sent).toBe(1)

    expect(mailJob).toMatchObject({ id: 'mail', defaultCron: '* * * * *', thread: 'inline', catchUp: 'skip', supportsForce: false, retry: { maxAttempts: 1 } })
    const jobs = value<{ id: string }[]>(await core.invoke('jobs.list'))
    expect(jobs.map((j) => j.id)).toContain('mail')
  })
})
