import { randomUUID } from 'node:crypto'
import type { Statement } from 'better-sqlite3'
import type { Sqlite } from '../platform/db/open'
import type { MessageKind, OutboxChannel } from '../../shared/contract/mail'

/**
 * Writing to the outbox: synchronous, on the caller's connection and inside
 * the caller's transaction (the payment paid, the payroll posted, the job's
 * own), so the message exists exactly when the event does. Used by the app's
 * services and by jobs on a worker thread's connection alike.
 */

/** What an attachment will show, fixed now; its bytes are made once, later, by the renderer registered for its kind. */
export interface AttachmentSource {
  kind: 'voucher' | 'payslip' | 'report'
  /** Everything the document shows (a voucher's VoucherData, a payslip and its period), as JSON; a generated report: its id, file name and SHA-256 (the file is sent as it was made). */
  data: unknown
}

export interface NewAttachment {
  filename: string
  contentType: string
  source: AttachmentSource
}

export interface NewMessage {
  kind: MessageKind
  channel: OutboxChannel
  /** With the channel, unique: the same event queued twice is queued once. null: no such key (a test message, a resend). */
  eventKey: string | null
  to: string
  toName: string | null
  memberId?: number | null
  staffId?: number | null
  /** Email only. */
  subject: string | null
  body: string
  attachments?: NewAttachment[]
  notificationId?: number | null
  resendOf?: number | null
}

/** The Message-ID's right-hand side: the sender's domain, or a name that is never anyone's (RFC 2606). */
export function messageIdFor(fromAddress: string | null): string {
  const domain = fromAddress?.split('@')[1]?.toLowerCase()
  return `<coffer.${randomUUID()}@${domain && /^[a-z0-9.-]+$/.test(domain) ? domain : 'coffer.invalid'}>`
}

export class Outbox {
  private readonly st: {
    insert: Statement<[Record<string, unknown>], { id: number }>
    attach: Statement<[number, string, string, string], unknown>
  }

  constructor(
    private readonly sqlite: Sqlite,
    private readonly now: () => Date,
    /** The configured sender address (Message-IDs carry its domain). */
    private readonly fromAddress: () => string | null
  ) {
    this.st = {
      insert: sqlite.prepare(
        `INSERT INTO outbox_messages (kind, channel, event_key, to_address, to_name, member_id, staff_id, subject, body, status, attempts, next_attempt_at, message_id, notification_id, resend_of, created_at)
         VALUES (@kind, @channel, @eventKey, @to, @toName, @memberId, @staffId, @subject, @body, 'queued', 0, NULL, @messageId, @notificationId, @resendOf, @at)
         ON CONFLICT (event_key, channel) WHERE event_key IS NOT NULL DO NOTHING
         RETURNING id`
      ),
      attach: sqlite.prepare('INSERT INTO outbox_attachments (message_id, filename, content_type, source) VALUES (?, ?, ?, ?)')
    }
  }

  /**
   * Queues a message in the caller's transaction (it opens none of its own
   * when one is open). Returns its id, or null when this event's message on
   * this channel was queued before: nothing is queued twice.
   */
  enqueue(m: NewMessage): number | null {
    if (m.to.trim() === '') throw new RangeError('A message needs an address to go to')
    if (m.channel === 'sms' && (m.attachments?.length ?? 0) > 0) throw new RangeError('An SMS carries no attachment')
    const run = (): number | null => {
      const row = this.st.insert.get({
        kind: m.kind,
        channel: m.channel,
        eventKey: m.eventKey,
        to: m.to,
        toName: m.toName,
        memberId: m.memberId ?? null,
        staffId: m.staffId ?? null,
        subject: m.channel === 'email' ? m.subject : null,
        body: m.body,
        messageId: m.channel === 'email' ? messageIdFor(this.fromAddress()) : null,
        notificationId: m.notificationId ?? null,
        resendOf: m.resendOf ?? null,
        at: this.now().toISOString()
      })
      if (!row) return null
      for (const a of m.attachments ?? []) this.st.attach.run(row.id, a.filename, a.contentType, JSON.stringify(a.source))
      return row.id
    }
    return this.sqlite.inTransaction ? run() : this.sqlite.transaction(run).immediate()
  }
}
