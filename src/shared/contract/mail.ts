import { z } from 'zod'
import { channel } from './define'
import { Empty } from './app'
import { id, optionalEmail, optionalText, requiredText, version, wholeNumber } from './fields'

/**
 * Email and SMS (DESIGN.md, Notifications): the transactional outbox, the
 * mail job that delivers it, SMTP and SMS gateway settings, the notices that
 * go out to members and staff with their editable templates, members'
 * channel preferences.
 *
 * A message is written to the outbox in the same transaction as the event
 * that causes it (a payment paid, a payroll posted, a job failing), once per
 * (event, recipient, channel): its `eventKey` is unique. Attachments are
 * frozen: what the PDF shows is fixed when the message is queued, the bytes
 * are made once and kept with their SHA-256, and a resend sends the same file.
 */

export const OutboxChannel = z.enum(['email', 'sms'])
export type OutboxChannel = z.infer<typeof OutboxChannel>

/** queued: waits for the mail job (maybe until a retry time); sending: handed to the server, outcome not yet recorded; sent; failed: given up (permanent error or too many attempts); cancelled. */
export const MessageStatus = z.enum(['queued', 'sending', 'sent', 'failed', 'cancelled'])
export type MessageStatus = z.infer<typeof MessageStatus>

/** What a message is: a notice kind, a test message, or a staff alert (a notification's email or SMS). */
export const NoticeKind = z.enum(['voucher', 'coupon-ready', 'maturity', 'standing-order-failed', 'payslip', 'job-failure'])
export type NoticeKind = z.infer<typeof NoticeKind>
export const MessageKind = z.enum(['voucher', 'coupon-ready', 'maturity', 'standing-order-failed', 'payslip', 'job-failure', 'alert', 'test', 'resend', 'report'])
export type MessageKind = z.infer<typeof MessageKind>

/** How an attempt ended: sent; temporary (4xx, no connection, a timeout: tried again later); permanent (5xx, a bad address: given up); auth (the server refused the user name or password: the queue is held); unknown (Coffer stopped between handing it over and recording the answer: sent again with the same Message-ID). */
export const AttemptOutcome = z.enum(['sent', 'temporary', 'permanent', 'auth', 'unknown'])
export type AttemptOutcome = z.infer<typeof AttemptOutcome>

export const OutboxMessage = z.object({
  id: z.number().int(),
  kind: MessageKind,
  channel: OutboxChannel,
  /** An email address or a phone number. */
  to: z.string(),
  toName: z.string().nullable(),
  memberId: z.number().int().nullable(),
  memberNo: z.string().nullable(),
  staffId: z.number().int().nullable(),
  staffNo: z.string().nullable(),
  subject: z.string().nullable(),
  status: MessageStatus,
  attempts: z.number().int(),
  /** When it is tried next (queued after a temporary failure), UTC ISO. */
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  /** The last error in Coffer's words, with the server's reply where there was one. */
  lastError: z.string().nullable(),
  /** The message's Message-ID header (email): the same on every attempt, so a duplicate is recognisable. */
  messageId: z.string().nullable(),
  attachments: z.number().int(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** A resend points at the message it repeats; the original at its latest resend. */
  resendOf: z.number().int().nullable(),
  resentAs: z.number().int().nullable(),
  version: z.number().int()
})
export type OutboxMessage = z.infer<typeof OutboxMessage>

export const MessageAttempt = z.object({
  at: z.string(),
  outcome: AttemptOutcome,
  /** The server's reply ("250 2.0.0 Ok: queued as 4F2"), or the gateway's HTTP status and body, or what went wrong. */
  reply: z.string().nullable(),
  durationMs: z.number().int().nullable()
})
export type MessageAttempt = z.infer<typeof MessageAttempt>

export const MessageDetail = z.object({
  message: OutboxMessage,
  body: z.string(),
  attachments: z.array(
    z.object({ id: z.number().int(), filename: z.string(), contentType: z.string(), size: z.number().int().nullable(), sha256: z.string().nullable(), frozen: z.boolean() })
  ),
  attempts: z.array(MessageAttempt),
  /** The staff notification this message delivers, when it is one. */
  notificationId: z.number().int().nullable()
})
export type MessageDetail = z.infer<typeof MessageDetail>

export const QueueState = z.object({
  held: z.boolean(),
  /** Why it is held, in words (an operator's reason, or the server refusing the password). */
  heldReason: z.string().nullable(),
  heldAt: z.string().nullable(),
  heldBy: z.string().nullable(),
  counts: z.object({ queued: z.number().int(), sending: z.number().int(), sent: z.number().int(), failed: z.number().int(), cancelled: z.number().int() }),
  /** Whether email and SMS are set up enough to send. */
  emailReady: z.boolean(),
  smsReady: z.boolean()
})
export type QueueState = z.infer<typeof QueueState>

// ---------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------

export const SmtpSecurity = z.enum(['starttls', 'tls', 'none'], { error: 'Choose STARTTLS, TLS or none' })
export type SmtpSecurity = z.infer<typeof SmtpSecurity>

const hostName = requiredText('Server', 253).refine((v) => /^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(v), {
  error: 'Server must be a host name like mail.example.org or an IP address'
})

export const EmailSettingsInput = z
  .object({
    host: hostName,
    port: wholeNumber('Port', { min: 1, max: 65535 }),
    security: SmtpSecurity,
    user: optionalText('User name', 254),
    /** Kept in the OS keychain, never in the data file. Omitted: the kept one stays; null: forget it. */
    password: z.string({ error: 'Password must be text' }).max(512, { error: 'Password must be at most 512 characters' }).nullable().optional(),
    fromName: requiredText('Sender name', 120),
    fromAddress: optionalEmail('Sender address').refine((v) => v !== null, { error: 'Sender address is required' }),
    replyTo: optionalEmail('Reply-to'),
    /** Staff alerts (a job failed, a message could not be sent) go here by email. */
    alertAddress: optionalEmail('Alert address'),
    /** And here by SMS, when SMS is set up. */
    alertPhone: optionalText('Alert phone', 40).refine((v) => v === null || /^\+?[0-9 ()-]{6,40}$/.test(v), { error: 'Alert phone must be a phone number like +254 700 123456' })
  })
  .strict()
export type EmailSettingsInput = z.input<typeof EmailSettingsInput>

export const EmailSettings = z.object({
  configured: z.boolean(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  security: SmtpSecurity.nullable(),
  user: z.string().nullable(),
  passwordKept: z.boolean(),
  /** Where the password is kept, in words ("this computer's keychain"). */
  passwordWhere: z.string(),
  /** Why the keychain cannot be used just now, in Coffer's words (no keychain in this session, locked), or null. */
  keychainProblem: z.string().nullable(),
  fromName: z.string().nullable(),
  fromAddress: z.string().nullable(),
  replyTo: z.string().nullable(),
  alertAddress: z.string().nullable(),
  alertPhone: z.string().nullable()
})
export type EmailSettings = z.infer<typeof EmailSettings>

export const SmsHeader = z.object({ name: requiredText('Header name', 80), value: requiredText('Header value', 500) }).strict()

export const SmsSettingsInput = z
  .object({
    enabled: z.boolean(),
    /** The gateway's address; {to}, {message} and {token} may appear in it. */
    url: requiredText('Gateway URL', 500).refine((v) => /^https?:\/\/[^\s]+$/.test(v), { error: 'Gateway URL must start with https:// (or http://)' }),
    method: z.enum(['POST', 'GET'], { error: 'Choose POST or GET' }),
    headers: z.array(SmsHeader).max(20, { error: 'At most 20 headers' }),
    contentType: z.enum(['application/json', 'application/x-www-form-urlencoded', 'text/plain'], { error: 'Choose how the body is sent' }),
    /** The request body with placeholders {to}, {message}, {token} (JSON-escaped in a JSON body). Empty for GET. */
    bodyTemplate: z.string().max(4000, { error: 'The body must be at most 4,000 characters' }),
    /** The gateway's API key or token, kept in the OS keychain: {token} in the URL, a header or the body. Omitted: kept; null: forgotten. */
    token: z.string().max(1000, { error: 'Token must be at most 1,000 characters' }).nullable().optional()
  })
  .strict()
export type SmsSettingsInput = z.input<typeof SmsSettingsInput>

export const SmsSettings = z.object({
  configured: z.boolean(),
  enabled: z.boolean(),
  url: z.string().nullable(),
  method: z.enum(['POST', 'GET']),
  headers: z.array(z.object({ name: z.string(), value: z.string() })),
  contentType: z.enum(['application/json', 'application/x-www-form-urlencoded', 'text/plain']),
  bodyTemplate: z.string(),
  tokenKept: z.boolean(),
  /** Why the keychain cannot be used just now, in Coffer's words, or null. */
  keychainProblem: z.string().nullable()
})
export type SmsSettings = z.infer<typeof SmsSettings>

/** What a test message got back: the server's own answer, and Coffer's reading of it. */
export const TestResult = z.object({
  ok: z.boolean(),
  outcome: AttemptOutcome,
  /** The server's reply or the gateway's status and body. */
  reply: z.string().nullable(),
  /** In Coffer's words. */
  message: z.string()
})
export type TestResult = z.infer<typeof TestResult>

// ---------------------------------------------------------------------------
// Templates and preferences
// ---------------------------------------------------------------------------

export const NoticeTemplate = z.object({
  kind: NoticeKind,
  /** Who it goes to: a member, a staff member, or the staff's alert address. */
  audience: z.enum(['member', 'staff', 'alerts']),
  email: z.boolean(),
  sms: z.boolean(),
  subject: z.string(),
  body: z.string(),
  smsBody: z.string(),
  /** The placeholders this kind knows, with what each is: { "{member_name}": "The member's full name" }. */
  placeholders: z.record(z.string(), z.string()),
  /** The maturity notice: sent this many days before a holding matures. */
  daysBefore: z.number().int().nullable(),
  /** Changed from Coffer's wording. */
  edited: z.boolean(),
  version: z.number().int()
})
export type NoticeTemplate = z.infer<typeof NoticeTemplate>

export const NoticeTemplateInput = z
  .object({
    kind: NoticeKind,
    email: z.boolean(),
    sms: z.boolean(),
    subject: requiredText('Subject', 200),
    body: requiredText('Body', 10_000, { multiline: true }),
    smsBody: requiredText('SMS text', 480),
    daysBefore: wholeNumber('Days before', { min: 1, max: 365 }).nullable().default(null),
    expectedVersion: version
  })
  .strict()
export type NoticeTemplateInput = z.input<typeof NoticeTemplateInput>

export const MemberPrefs = z.object({
  memberId: z.number().int(),
  email: z.boolean(),
  sms: z.boolean(),
  /** Nothing is sent to the member at all. */
  optedOut: z.boolean(),
  emailAddress: z.string().nullable(),
  phone: z.string().nullable(),
  version: z.number().int()
})
export type MemberPrefs = z.infer<typeof MemberPrefs>

const listQuery = z
  .object({
    status: MessageStatus.optional(),
    kind: MessageKind.optional(),
    channel: OutboxChannel.optional(),
    /** Part of the address, the name, or the member or staff number. */
    search: optionalText('Search', 80),
    offset: wholeNumber('Offset', { min: 0, max: 10_000_000 }).default(0),
    limit: wholeNumber('Page size', { min: 1, max: 500 }).default(100)
  })
  .strict()

export const mailContract = {
  'mail.outbox': channel(listQuery.default({ search: null, offset: 0, limit: 100 }), z.object({ rows: z.array(OutboxMessage), total: z.number().int(), queue: QueueState })),
  'mail.message': channel(z.object({ id }).strict(), MessageDetail),
  'mail.queue': channel(Empty, QueueState),
  /** Holds the whole queue (nothing is sent until it is resumed). */
  'mail.hold': channel(z.object({ reason: requiredText('Reason', 300) }).strict(), QueueState),
  'mail.resume': channel(Empty, QueueState),
  /** A failed message queued again now (its attempts start over). */
  'mail.retry': channel(z.object({ id, expectedVersion: version }).strict(), OutboxMessage),
  'mail.cancel': channel(z.object({ id, expectedVersion: version, reason: requiredText('Reason', 300) }).strict(), OutboxMessage),
  /** A sent (or failed) message sent again as a new message, linked to it, with the same attachments (the same bytes). */
  'mail.resend': channel(z.object({ id }).strict(), OutboxMessage),
  /** A frozen attachment saved into the exports folder, to be opened. */
  'mail.saveAttachment': channel(z.object({ id }).strict(), z.object({ file: z.string() })),

  'mail.emailSettings': channel(Empty, EmailSettings),
  'mail.saveEmailSettings': channel(EmailSettingsInput, EmailSettings),
  /** Sends a test message now (not through the outbox) and says what the server answered. */
  'mail.testEmail': channel(z.object({ to: optionalEmail('To').refine((v) => v !== null, { error: 'To is required' }) }).strict(), TestResult),
  'mail.smsSettings': channel(Empty, SmsSettings),
  'mail.saveSmsSettings': channel(SmsSettingsInput, SmsSettings),
  'mail.testSms': channel(z.object({ to: requiredText('To', 40).refine((v) => /^\+?[0-9 ()-]{6,40}$/.test(v), { error: 'To must be a phone number like +254 700 123456' }) }).strict(), TestResult),

  'mail.templates': channel(Empty, z.object({ templates: z.array(NoticeTemplate) })),
  'mail.saveTemplate': channel(NoticeTemplateInput, NoticeTemplate),
  /** Coffer's own wording back. */
  'mail.resetTemplate': channel(z.object({ kind: NoticeKind, expectedVersion: version }).strict(), NoticeTemplate),
  /** A template rendered with a real member's (or staff member's) data, as it would go out. */
  'mail.previewTemplate': channel(
    z
      .object({
        kind: NoticeKind,
        subject: requiredText('Subject', 200),
        body: requiredText('Body', 10_000, { multiline: true }),
        smsBody: requiredText('SMS text', 480),
        memberId: id.nullable().default(null),
        staffId: id.nullable().default(null)
      })
      .strict(),
    z.object({ subject: z.string(), body: z.string(), sms: z.string(), to: z.string().nullable(), smsTo: z.string().nullable(), note: z.string().nullable() })
  ),
  'mail.memberPrefs': channel(z.object({ memberId: id }).strict(), MemberPrefs),
  'mail.saveMemberPrefs': channel(z.object({ memberId: id, email: z.boolean(), sms: z.boolean(), optedOut: z.boolean(), expectedVersion: wholeNumber('The version', { min: 0 }) }).strict(), MemberPrefs)
}
