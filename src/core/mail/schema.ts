import { sql } from 'drizzle-orm'
import { blob, check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { AttemptOutcome, MessageKind, MessageStatus, NoticeKind, OutboxChannel } from '../../shared/contract/mail'
import { enumValues } from '../platform/db/enum'
import { members } from '../members'

/**
 * The outbox: one row per message to one recipient on one channel, written
 * in the transaction of the event that causes it. `event_key` is unique, so
 * an event run twice (a job retried, a payment's transaction replayed)
 * queues nothing twice.
 */
export const outboxMessages = sqliteTable(
  'outbox_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: enumValues(MessageKind) }).notNull(),
    channel: text('channel', { enum: enumValues(OutboxChannel) }).notNull(),
    /** "payment:12:voucher", "payroll:3:staff:7:payslip", "notification:55": with the channel, once. */
    eventKey: text('event_key'),
    toAddress: text('to_address').notNull(),
    toName: text('to_name'),
    memberId: integer('member_id').references(() => members.id, { onDelete: 'restrict' }),
    /** payroll_staff.id (no foreign key: payroll is a later area than mail). */
    staffId: integer('staff_id'),
    subject: text('subject'),
    body: text('body').notNull(),
    status: text('status', { enum: enumValues(MessageStatus) }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    lastAttemptAt: text('last_attempt_at'),
    lastError: text('last_error'),
    /** The RFC 5322 Message-ID, fixed when queued: every attempt carries it, so a duplicate is recognisable. */
    messageId: text('message_id'),
    /** The staff notification this message delivers (notification_deliveries has the row). */
    notificationId: integer('notification_id'),
    resendOf: integer('resend_of'),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    uniqueIndex('outbox_messages_event_once').on(t.eventKey, t.channel).where(sql`${t.eventKey} IS NOT NULL`),
    index('outbox_messages_due_idx').on(t.status, t.nextAttemptAt),
    index('outbox_messages_member_idx').on(t.memberId),
    check('outbox_messages_sent', sql`${t.status} <> 'sent' OR ${t.sentAt} IS NOT NULL`)
  ]
)

/**
 * A message's attachment. `source` (JSON) is what it shows, fixed when the
 * message is queued (a voucher's figures and names as paid); `content` and
 * `sha256` are the bytes made from it once, and never again: a retry or a
 * resend sends the same file.
 */
export const outboxAttachments = sqliteTable(
  'outbox_attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: integer('message_id')
      .notNull()
      .references(() => outboxMessages.id, { onDelete: 'restrict' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    /** JSON: { kind: 'voucher' | 'payslip', data: … } */
    source: text('source').notNull(),
    content: blob('content', { mode: 'buffer' }),
    sha256: text('sha256'),
    size: integer('size')
  },
  (t) => [index('outbox_attachments_message_idx').on(t.messageId), check('outbox_attachments_frozen', sql`(${t.content} IS NULL) = (${t.sha256} IS NULL)`)]
)

/** Every attempt to send a message, with the server's answer. */
export const outboxAttempts = sqliteTable(
  'outbox_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: integer('message_id')
      .notNull()
      .references(() => outboxMessages.id, { onDelete: 'restrict' }),
    at: text('at').notNull(),
    outcome: text('outcome', { enum: enumValues(AttemptOutcome) }),
    reply: text('reply'),
    durationMs: integer('duration_ms')
  },
  (t) => [index('outbox_attempts_message_idx').on(t.messageId)]
)

/** The treasurer's wording and channels per notice kind; a kind without a row uses Coffer's own. */
export const noticeTemplates = sqliteTable('notice_templates', {
  kind: text('kind', { enum: enumValues(NoticeKind) }).primaryKey(),
  email: integer('email', { mode: 'boolean' }).notNull(),
  sms: integer('sms', { mode: 'boolean' }).notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  smsBody: text('sms_body').notNull(),
  daysBefore: integer('days_before'),
  updatedAt: text('updated_at').notNull(),
  version: integer('version').notNull().default(1)
})

/** A member's channels: email and SMS allowed or not, or nothing at all (opted out). No row: both allowed. */
export const memberContactPrefs = sqliteTable('member_contact_prefs', {
  memberId: integer('member_id')
    .primaryKey()
    .references(() => members.id, { onDelete: 'restrict' }),
  email: integer('email', { mode: 'boolean' }).notNull(),
  sms: integer('sms', { mode: 'boolean' }).notNull(),
  optedOut: integer('opted_out', { mode: 'boolean' }).notNull(),
  updatedAt: text('updated_at').notNull(),
  version: integer('version').notNull().default(1)
})
