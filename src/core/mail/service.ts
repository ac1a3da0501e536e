import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { ParsedInput } from '../../shared/contract'
import {
  SmsSettingsInput,
  SmtpSecurity,
  type EmailSettings,
  type MessageDetail,
  type OutboxMessage,
  type QueueState,
  type SmsSettings,
  type TestResult
} from '../../shared/contract/mail'
import { conflict, invalid, notFound } from '../platform/errors'
import { currentActor } from '../platform/actor'
import { nowIso, type ServiceContext } from '../platform/context'
import { readSetting } from '../platform/settings'
import { SecretStoreError, type SecretStore } from '../platform/secrets'
import { Outbox } from './outbox'
import { Deliverer, frozenAttachments, type AttachmentKind, type DeliveryReport, type Renderer } from './deliver'
import { EmailSender, sendSms, usesToken, type SmsConfig, type SmtpConfig } from './sender'

/**
 * The outbox as the treasurer sees it (messages, their attempts, the queue
 * held or not), the SMTP and SMS gateway settings with their secrets, test
 * messages, and the delivery the mail job runs (deliver.ts).
 *
 * Secrets: the SMTP password ('smtp-password') and the gateway's token
 * ('sms-token') are kept in the secret store (the OS keychain; the command
 * line reads COFFER_SMTP_PASSWORD / COFFER_SMS_TOKEN first), never in the
 * data file.
 */

export const SMTP_PASSWORD = 'smtp-password'
export const SMS_TOKEN = 'sms-token'

const KEYS = {
  host: 'mail.smtp.host',
  port: 'mail.smtp.port',
  security: 'mail.smtp.security',
  user: 'mail.smtp.user',
  fromName: 'mail.fromName',
  fromAddress: 'mail.fromAddress',
  replyTo: 'mail.replyTo',
  alertAddress: 'mail.alertAddress',
  alertPhone: 'mail.alertPhone',
  held: 'mail.held',
  sms: 'mail.sms'
} as const

const Held = z.object({ reason: z.string(), at: z.string(), by: z.string().nullable(), auto: z.enum(['auth']).nullable() }).strict()
type Held = z.infer<typeof Held>
const StoredSms = SmsSettingsInput.omit({ token: true }).strict()

export interface MailEnv {
  secrets: SecretStore
  dataDir: string
  locale(): string
  /** Staff alerts (a message failed for good, the queue held): the notification centre. */
  alert(n: { kind: 'warning' | 'error'; title: string; body: string; subject: { type: string; id: string }; dedupeKey: string }): void
  /** A notification's email or SMS delivery row follows its message (notifications owns the row). */
  deliveryRecorded?: (outboxMessageId: number, d: { status: 'sent' | 'failed' | 'pending' | 'skipped'; attempts: number; at: string | null; error: string | null }) => void
  /** Where Coffer's own trouble is written in full. */
  log?: (line: string) => void
  /** The cooperative's name, for test messages. */
  profileName(): string | null
  /**
   * Tests only: a certificate authority (PEM) trusted besides the system's,
   * so a loopback SMTP server's self-signed certificate is accepted. Never a
   * setting; the app and the command line leave it undefined.
   */
  tlsCa?: string
}

type MessageRow = {
  id: number
  kind: OutboxMessage['kind']
  channel: OutboxMessage['channel']
  to: string
  toName: string | null
  memberId: number | null
  memberNo: string | null
  staffId: number | null
  staffNo: string | null
  subject: string | null
  status: OutboxMessage['status']
  attempts: number
  nextAttemptAt: string | null
  lastAttemptAt: string | null
  lastError: string | null
  messageId: string | null
  attachments: number
  createdAt: string
  sentAt: string | null
  resendOf: number | null
  resentAs: number | null
  version: number
}

const SELECT_MESSAGE = `
  SELECT m.id, m.kind, m.channel, m.to_address AS "to", m.to_name AS toName, m.member_id AS memberId, mem.member_no AS memberNo,
         m.staff_id AS staffId, st.staff_no AS staffNo, m.subject, m.status, m.attempts, m.next_attempt_at AS nextAttemptAt,
         m.last_attempt_at AS lastAttemptAt, m.last_error AS lastError, m.message_id AS messageId,
         (SELECT count(*) FROM outbox_attachments a WHERE a.message_id = m.id) AS attachments,
         m.created_at AS createdAt, m.sent_at AS sentAt, m.resend_of AS resendOf,
         (SELECT max(r.id) FROM outbox_messages r WHERE r.resend_of = m.id) AS resentAs, m.version
    FROM outbox_messages m
    LEFT JOIN members mem ON mem.id = m.member_id
    LEFT JOIN payroll_staff st ON st.id = m.staff_id`

const toDto = (r: MessageRow): OutboxMessage => ({ ...r })

/** A stored setting that is not what it should be: Coffer says so instead of taking a default. */
const badSetting = (what: string): never => {
  throw conflict(`The stored ${what} cannot be read: it is not a value Coffer wrote. Save the settings again in Settings, Email and SMS.`)
}

export class MailService {
  private readonly renderers = new Map<AttachmentKind, Renderer>()
  readonly outbox: Outbox

  constructor(
    private readonly ctx: ServiceContext,
    private readonly env: MailEnv
  ) {
    this.outbox = new Outbox(ctx.sqlite, () => ctx.clock.now(), () => this.setting(KEYS.fromAddress))
  }

  /** Payments and payroll register how their documents are made (once, when a message with one is first sent). */
  registerRenderer(kind: AttachmentKind, render: Renderer): void {
    this.renderers.set(kind, render)
  }

  private setting(key: string): string | null {
    return readSetting(this.ctx.sqlite, key)
  }

  private writeSettings(values: Record<string, string | null>): void {
    const put = this.ctx.sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    const del = this.ctx.sqlite.prepare('DELETE FROM settings WHERE key = ?')
    this.ctx.sqlite
      .transaction(() => {
        for (const [k, v] of Object.entries(values)) {
          if (v === null) del.run(k)
          else put.run(k, v)
        }
      })
      .immediate()
  }

  // -------------------------------------------------------------------------
  // The queue
  // -------------------------------------------------------------------------

  private heldState(): Held | null {
    const raw = this.setting(KEYS.held)
    if (raw === null) return null
    try {
      return Held.parse(JSON.parse(raw))
    } catch {
      return badSetting('hold of the mail queue')
    }
  }

  queue(): QueueState {
    const held = this.heldState()
    const counts = { queued: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 }
    for (const r of this.ctx.sqlite.prepare('SELECT status, count(*) AS n FROM outbox_messages GROUP BY status').all() as { status: keyof typeof counts; n: number }[]) {
      counts[r.status] = r.n
    }
    return {
      held: held !== null,
      heldReason: held?.reason ?? null,
      heldAt: held?.at ?? null,
      heldBy: held?.by ?? null,
      counts,
      emailReady: !('notReady' in this.smtpConfig()),
      smsReady: !('notReady' in this.smsConfig())
    }
  }

  hold(reason: string): QueueState {
    const held = this.heldState()
    if (held) throw conflict(`The queue is already held: ${held.reason}`)
    this.writeSettings({ [KEYS.held]: JSON.stringify({ reason, at: nowIso(this.ctx), by: currentActor().name, auto: null } satisfies Held) })
    return this.queue()
  }

  resume(): QueueState {
    if (!this.heldState()) throw conflict('The queue is not held; there is nothing to resume.')
    this.writeSettings({ [KEYS.held]: null })
    return this.queue()
  }

  private holdForAuth(reply: string | null, words: string): void {
    if (this.heldState()) return
    const at = nowIso(this.ctx)
    const reason = `${words} Nothing is sent until the user name and password are corrected in Settings, Email (saving them resumes the queue) or the queue is resumed.${reply ? ` The server answered: ${reply}` : ''}`
    this.writeSettings({ [KEYS.held]: JSON.stringify({ reason, at, by: null, auto: 'auth' } satisfies Held) })
    this.env.alert({
      kind: 'error',
      title: 'Email is held: the mail server refused the password',
      body: reason,
      subject: { type: 'mail-queue', id: 'held' },
      dedupeKey: `mail-held:${at}`
    })
  }

  // -------------------------------------------------------------------------
  // Messages
  // -------------------------------------------------------------------------

  list(q: ParsedInput<'mail.outbox'>): { rows: OutboxMessage[]; total: number; queue: QueueState } {
    const where: string[] = []
    const args: unknown[] = []
    const eq = (column: string, v: string | undefined): void => {
      if (v === undefined) return
      where.push(`${column} = ?`)
      args.push(v)
    }
    eq('m.status', q.status)
    eq('m.kind', q.kind)
    eq('m.channel', q.channel)
    if (q.search) {
      const like = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      where.push("(m.to_address LIKE ? ESCAPE '\\' OR m.to_name LIKE ? ESCAPE '\\' OR mem.member_no LIKE ? ESCAPE '\\' OR st.staff_no LIKE ? ESCAPE '\\')")
      args.push(like, like, like, like)
    }
    const w = where.length ? ` WHERE ${where.join(' AND ')}` : ''
    const rows = this.ctx.sqlite.prepare(`${SELECT_MESSAGE}${w} ORDER BY m.id DESC LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as MessageRow[]
    const total = this.ctx.sqlite
      .prepare(`SELECT count(*) FROM outbox_messages m LEFT JOIN members mem ON mem.id = m.member_id LEFT JOIN payroll_staff st ON st.id = m.staff_id${w}`)
      .pluck()
      .get(...args) as number
    return { rows: rows.map(toDto), total, queue: this.queue() }
  }

  messageDto(id: number): OutboxMessage {
    const row = this.ctx.sqlite.prepare(`${SELECT_MESSAGE} WHERE m.id = ?`).get(id) as MessageRow | undefined
    if (!row) throw notFound(`Message #${id}`)
    return toDto(row)
  }

  message(id: number): MessageDetail {
    const message = this.messageDto(id)
    const extra = this.ctx.sqlite.prepare('SELECT body, notification_id AS notificationId FROM outbox_messages WHERE id = ?').get(id) as { body: string; notificationId: number | null }
    const attachments = (
      this.ctx.sqlite
        .prepare('SELECT id, filename, content_type AS contentType, size, sha256 FROM outbox_attachments WHERE message_id = ? ORDER BY id')
        .all(id) as { id: number; filename: string; contentType: string; size: number | null; sha256: string | null }[]
    ).map((a) => ({ ...a, frozen: a.sha256 !== null }))
    // An attempt still open (outcome NULL) is the one in progress: the message's status says so.
    const attempts = this.ctx.sqlite
      .prepare('SELECT at, outcome, reply, duration_ms AS durationMs FROM outbox_attempts WHERE message_id = ? AND outcome IS NOT NULL ORDER BY id')
      .all(id) as MessageDetail['attempts']
    return { message, body: extra.body, attachments, attempts, notificationId: extra.notificationId }
  }

  private current(id: number, expectedVersion: number | null): OutboxMessage {
    const m = this.messageDto(id)
    if (expectedVersion !== null && m.version !== expectedVersion) {
      throw conflict(`Message #${id} has changed since you opened it (it is ${m.status} now). Look at it again, then try again.`)
    }
    return m
  }

  /** A failed message (or one waiting for its retry time) queued again now; its attempts start over. */
  retry(id: number, expectedVersion: number): OutboxMessage {
    const m = this.current(id, expectedVersion)
    if (m.status !== 'failed' && m.status !== 'queued') throw conflict(`Message #${id} is ${m.status}: only a failed or queued message can be tried again.`)
    this.ctx.sqlite
      .transaction(() => {
        const moved = this.ctx.sqlite
          .prepare("UPDATE outbox_messages SET status = 'queued', attempts = 0, next_attempt_at = NULL, version = version + 1 WHERE id = ? AND version = ?")
          .run(id, expectedVersion)
        if (moved.changes !== 1) throw conflict(`Message #${id} changed meanwhile. Look at it again, then try once more.`)
        this.env.deliveryRecorded?.(id, { status: 'pending', attempts: 0, at: m.lastAttemptAt, error: null })
      })
      .immediate()
    return this.messageDto(id)
  }

  cancel(id: number, expectedVersion: number, reason: string): OutboxMessage {
    const m = this.current(id, expectedVersion)
    if (m.status === 'sending') throw conflict(`Message #${id} is being handed to the server right now; it cannot be cancelled.`)
    if (m.status !== 'queued' && m.status !== 'failed') throw conflict(`Message #${id} is ${m.status}: only a queued or failed message can be cancelled.`)
    const words = `Cancelled by ${currentActor().name}: ${reason}`
    this.ctx.sqlite
      .transaction(() => {
        const moved = this.ctx.sqlite
          .prepare("UPDATE outbox_messages SET status = 'cancelled', next_attempt_at = NULL, last_error = ?, version = version + 1 WHERE id = ? AND version = ?")
          .run(words, id, expectedVersion)
        if (moved.changes !== 1) throw conflict(`Message #${id} changed meanwhile. Look at it again, then try once more.`)
        this.env.deliveryRecorded?.(id, { status: 'skipped', attempts: m.attempts, at: this.ctx.clock.now().toISOString(), error: words })
      })
      .immediate()
    return this.messageDto(id)
  }

  /** A sent or failed message sent again as a new message (kind 'resend', linked by resend_of), with the same attachment bytes. */
  resend(id: number): OutboxMessage {
    const m = this.messageDto(id)
    if (m.status !== 'sent' && m.status !== 'failed') throw conflict(`Message #${id} is ${m.status}: only a sent or failed message can be sent again.`)
    const { sqlite } = this.ctx
    const body = sqlite.prepare('SELECT body FROM outbox_messages WHERE id = ?').pluck().get(id) as string
    const newId = sqlite
      .transaction(() => {
        const created = this.outbox.enqueue({
          kind: 'resend',
          channel: m.channel,
          eventKey: null,
          to: m.to,
          toName: m.toName,
          memberId: m.memberId,
          staffId: m.staffId,
          subject: m.subject,
          body,
          resendOf: id
        })
        if (created === null) throw new Error('A message without an event key was not queued')
        sqlite
          .prepare(
            `INSERT INTO outbox_attachments (message_id, filename, content_type, source, content, sha256, size)
             SELECT ?, filename, content_type, source, content, sha256, size FROM outbox_attachments WHERE message_id = ? ORDER BY id`
          )
          .run(created, id)
        return created
      })
      .immediate()
    return this.messageDto(newId)
  }

  /** The attachment's frozen bytes (made now, once, if the message has not been sent yet) written to <data folder>/exports. */
  async saveAttachment(attachmentId: number): Promise<{ file: string }> {
    const row = this.ctx.sqlite.prepare('SELECT message_id AS messageId, filename FROM outbox_attachments WHERE id = ?').get(attachmentId) as
      | { messageId: number; filename: string }
      | undefined
    if (!row) throw notFound(`Attachment #${attachmentId}`)
    const all = await frozenAttachments(this.ctx.sqlite, (k) => this.renderers.get(k), row.messageId)
    const a = all.find((x) => x.id === attachmentId)
    if (!a) throw notFound(`Attachment #${attachmentId}`)
    const safe = path.basename(a.filename).replace(/[^A-Za-z0-9._ -]+/g, '-').replace(/^[.-]+/, '') || `attachment-${attachmentId}.pdf`
    const dir = path.join(this.env.dataDir, 'exports')
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, safe)
    fs.writeFileSync(file, a.content)
    return { file }
  }

  // -------------------------------------------------------------------------
  // Settings
  // -------------------------------------------------------------------------

  private readSecret(name: string): { value: string | null; problem: string | null } {
    try {
      return { value: this.env.secrets.get(name), problem: null }
    } catch (e) {
      if (e instanceof SecretStoreError) return { value: null, problem: e.message }
      throw e
    }
  }

  private storedEmail(): Omit<EmailSettings, 'configured' | 'passwordKept' | 'passwordWhere' | 'keychainProblem'> {
    const port = this.setting(KEYS.port)
    const security = this.setting(KEYS.security)
    if (port !== null && !/^[0-9]{1,5}$/.test(port)) badSetting('SMTP port')
    if (security !== null && !SmtpSecurity.safeParse(security).success) badSetting('SMTP security')
    return {
      host: this.setting(KEYS.host),
      port: port === null ? null : Number(port),
      security: security as EmailSettings['security'],
      user: this.setting(KEYS.user),
      fromName: this.setting(KEYS.fromName),
      fromAddress: this.setting(KEYS.fromAddress),
      replyTo: this.setting(KEYS.replyTo),
      alertAddress: this.setting(KEYS.alertAddress),
      alertPhone: this.setting(KEYS.alertPhone)
    }
  }

  /**
   * The email settings. `passwordWhere` names the store ("the Secret
   * Service keychain ..."); when the store cannot be read, `keychainProblem`
   * says why in Coffer's words, and passwordKept is false.
   */
  emailSettings(): EmailSettings {
    const s = this.storedEmail()
    const secret = this.readSecret(SMTP_PASSWORD)
    return {
      configured: s.host !== null && s.port !== null && s.security !== null && s.fromAddress !== null,
      ...s,
      passwordKept: secret.value !== null,
      passwordWhere: this.env.secrets.where,
      keychainProblem: secret.problem
    }
  }

  saveEmailSettings(v: ParsedInput<'mail.saveEmailSettings'>): EmailSettings {
    if (v.user === null && typeof v.password === 'string') throw invalid('A password needs a user name.', { password: 'Enter the user name too, or leave the password empty' })
    if (v.user !== null && v.password === undefined) {
      const kept = this.readSecret(SMTP_PASSWORD)
      if (kept.problem) throw conflict(kept.problem, { password: kept.problem })
      if (kept.value === null) throw invalid(`No password is kept for ${v.user}.`, { password: 'Enter the password' })
    }
    if (v.user !== null && v.password === null) throw invalid('A user name needs its password.', { password: 'Enter the password, or clear the user name' })
    try {
      if (typeof v.password === 'string') {
        if (v.password === '') throw invalid('The password is empty.', { password: 'Enter the password' })
        this.env.secrets.set(SMTP_PASSWORD, v.password)
      } else if (v.password === null || v.user === null) {
        this.forget(SMTP_PASSWORD)
      }
    } catch (e) {
      if (e instanceof SecretStoreError) throw conflict(e.message, { password: e.message })
      throw e
    }
    const held = this.heldState()
    this.writeSettings({
      [KEYS.host]: v.host,
      [KEYS.port]: String(v.port),
      [KEYS.security]: v.security,
      [KEYS.user]: v.user,
      [KEYS.fromName]: v.fromName,
      [KEYS.fromAddress]: v.fromAddress,
      [KEYS.replyTo]: v.replyTo,
      [KEYS.alertAddress]: v.alertAddress,
      [KEYS.alertPhone]: v.alertPhone,
      // New settings are the answer to a refused password: the queue held for it goes on.
      ...(held?.auto === 'auth' ? { [KEYS.held]: null } : {})
    })
    return this.emailSettings()
  }

  private forget(name: string): void {
    // Nothing kept is nothing to forget; a store that cannot forget (environment variables) says so.
    if (this.readSecret(name).value === null) return
    this.env.secrets.delete(name)
  }

  private storedSms(): z.infer<typeof StoredSms> | null {
    const raw = this.setting(KEYS.sms)
    if (raw === null) return null
    try {
      return StoredSms.parse(JSON.parse(raw))
    } catch {
      return badSetting('SMS gateway settings')
    }
  }

  smsSettings(): SmsSettings {
    const s = this.storedSms()
    const token = this.readSecret(SMS_TOKEN)
    if (!s) return { configured: false, enabled: false, url: null, method: 'POST', headers: [], contentType: 'application/json', bodyTemplate: '', tokenKept: token.value !== null, keychainProblem: token.problem }
    return { configured: true, ...s, tokenKept: token.value !== null, keychainProblem: token.problem }
  }

  saveSmsSettings(v: ParsedInput<'mail.saveSmsSettings'>): SmsSettings {
    const { token, ...rest } = v
    if (rest.method === 'GET' && rest.bodyTemplate.trim() !== '') throw invalid('A GET request has no body.', { bodyTemplate: 'Leave the body empty for GET, or choose POST' })
    if (rest.method === 'POST' && rest.bodyTemplate.trim() === '') throw invalid('The body is empty.', { bodyTemplate: 'Write the body the gateway expects, with {to} and {message}' })
    const unknown = [...`${rest.url}${rest.bodyTemplate}${rest.headers.map((h) => h.value).join('')}`.matchAll(/\{([A-Za-z_]+)\}/g)]
      .map((m) => m[1])
      .filter((n) => n !== 'to' && n !== 'message' && n !== 'token')
    if (unknown.length > 0) {
      throw invalid(`{${unknown[0]}} is not a placeholder the gateway settings know: use {to}, {message} and {token}.`, {
        [rest.bodyTemplate.includes(`{${unknown[0]}}`) ? 'bodyTemplate' : 'url']: `Unknown placeholder {${unknown[0]}}: use {to}, {message} or {token}`
      })
    }
    if (usesToken(rest) && token === null) throw invalid('The settings use {token}, so the token cannot be forgotten.', { token: 'Enter the token, or take {token} out' })
    if (usesToken(rest) && token === undefined) {
      const kept = this.readSecret(SMS_TOKEN)
      if (kept.problem) throw conflict(kept.problem, { token: kept.problem })
      if (kept.value === null) throw invalid('The settings use {token} and no token is kept.', { token: 'Enter the token' })
    }
    try {
      if (typeof token === 'string') {
        if (token === '') throw invalid('The token is empty.', { token: 'Enter the token' })
        this.env.secrets.set(SMS_TOKEN, token)
      } else if (token === null) this.forget(SMS_TOKEN)
    } catch (e) {
      if (e instanceof SecretStoreError) throw conflict(e.message, { token: e.message })
      throw e
    }
    this.writeSettings({ [KEYS.sms]: JSON.stringify(StoredSms.parse(rest)) })
    return this.smsSettings()
  }

  /** The SMTP settings with the password, or why email cannot be sent now. */
  smtpConfig(): SmtpConfig | { notReady: string } {
    const s = this.storedEmail()
    if (s.host === null || s.port === null || s.security === null || s.fromAddress === null) return { notReady: 'Email is not set up (Settings, Email).' }
    let password: string | null = null
    if (s.user !== null) {
      const secret = this.readSecret(SMTP_PASSWORD)
      if (secret.problem) return { notReady: secret.problem }
      if (secret.value === null) return { notReady: `No password is kept for ${s.user} in ${this.env.secrets.where}: enter it in Settings, Email.` }
      password = secret.value
    }
    return {
      host: s.host,
      port: s.port,
      security: s.security,
      user: s.user,
      password,
      fromName: s.fromName ?? s.fromAddress,
      fromAddress: s.fromAddress,
      replyTo: s.replyTo,
      tlsCa: this.env.tlsCa
    }
  }

  smsConfig(): SmsConfig | { notReady: string } {
    const s = this.storedSms()
    if (!s) return { notReady: 'SMS is not set up (Settings, SMS).' }
    if (!s.enabled) return { notReady: 'SMS is switched off (Settings, SMS).' }
    let token: string | null = null
    if (usesToken(s)) {
      const secret = this.readSecret(SMS_TOKEN)
      if (secret.problem) return { notReady: secret.problem }
      if (secret.value === null) return { notReady: `No gateway token is kept in ${this.env.secrets.where}: enter it in Settings, SMS.` }
      token = secret.value
    }
    return { url: s.url, method: s.method, headers: s.headers, contentType: s.contentType, bodyTemplate: s.bodyTemplate, token }
  }

  /** A test message sent now, not through the outbox: the server's own answer. */
  async testEmail(to: string): Promise<TestResult> {
    const cfg = this.smtpConfig()
    if ('notReady' in cfg) throw conflict(cfg.notReady)
    const sender = new EmailSender(cfg, { pooled: false })
    try {
      const name = this.env.profileName() ?? 'Coffer'
      const r = await sender.send({
        to,
        toName: null,
        subject: `Test message from ${name}`,
        body: `This is a test message from Coffer, sent by ${currentActor().name} through ${cfg.host}:${cfg.port}. If it arrived, email is set up.`,
        messageId: null,
        attachments: []
      })
      const ok = r.outcome === 'sent'
      return { ok, outcome: r.outcome, reply: r.reply, message: ok ? `The mail server accepted the test message for ${to}. Check that it arrives.` : r.words }
    } finally {
      sender.close()
    }
  }

  async testSms(to: string): Promise<TestResult> {
    const cfg = this.smsConfig()
    if ('notReady' in cfg) throw conflict(cfg.notReady)
    const r = await sendSms(cfg, to, `Test message from ${this.env.profileName() ?? 'Coffer'}: SMS is set up.`)
    const ok = r.outcome === 'sent'
    return { ok, outcome: r.outcome, reply: r.reply, message: ok ? `The SMS gateway accepted the test message for ${to}. Check that it arrives.` : r.words }
  }

  // -------------------------------------------------------------------------
  // Delivery (the mail job)
  // -------------------------------------------------------------------------

  deliver(signal: AbortSignal): Promise<DeliveryReport> {
    return new Deliverer({
      sqlite: this.ctx.sqlite,
      now: () => this.ctx.clock.now(),
      smtp: () => this.smtpConfig(),
      sms: () => this.smsConfig(),
      renderer: (k) => this.renderers.get(k),
      held: () => this.heldState() !== null,
      holdForAuth: (reply, words) => this.holdForAuth(reply, words),
      deliveryRecorded: (id, d) => this.env.deliveryRecorded?.(id, d),
      log: (line) => this.env.log?.(line),
      messageFailed: (m) => {
        const what = m.channel === 'email' ? 'An email' : 'An SMS'
        this.env.alert({
          kind: 'error',
          title: `${what} to ${m.to} could not be sent`,
          body: `${m.words}${m.gaveUp ? ' Coffer stopped trying.' : ''}${m.reply ? ` The answer: ${m.reply}` : ''} Message #${m.id} is in the outbox: retry it, or cancel it.`,
          subject: { type: 'outbox-message', id: String(m.id) },
          dedupeKey: `mail-failed:${m.id}`
        })
      }
    }).run(signal)
  }
}
