import { createHash } from 'node:crypto'
import type { Sqlite } from '../platform/db/open'
import { DomainError } from '../platform/errors'
import type { OutboxChannel } from '../../shared/contract/mail'
import { EmailSender, sendSms, type SendOutcome, type SmsConfig, type SmtpConfig } from './sender'

/**
 * The delivery loop the mail job runs: due messages handed to the mail
 * server or the SMS gateway, each attempt recorded with the server's reply.
 *
 * AT-LEAST-ONCE. Before a message is handed over, one transaction marks it
 * 'sending' and opens its attempt; after, another records the outcome. If
 * Coffer stops in between (the PC switched off, the process killed), the
 * next run finds the message 'sending': its attempt is recorded as
 * 'unknown' and the message is queued again at once, so it may arrive
 * twice. A duplicate carries the same Message-ID header as the first (it is
 * fixed when the message is queued), so a mail program or the member can
 * recognise it; the outbox shows the 'unknown' attempt.
 *
 * Outcomes: temporary (4xx, no connection, a timeout; HTTP 408, 429, 5xx and
 * network errors for SMS) is tried again after backoff(attempts), and after
 * MAX_ATTEMPTS attempts fails with a staff alert; permanent (5xx, a refused
 * address, any other HTTP 4xx) fails at once with a staff alert; auth (the
 * server refused the user name or password) holds the whole queue with one
 * alert and puts the message back without counting the attempt. Only
 * attempts count towards giving up, never the time elapsed: a PC off for a
 * week expires nothing.
 */

export const MAX_ATTEMPTS = 10

/** A server's reply is kept whole up to 2,000 characters; a longer one is cut there, and says so. */
export function clip(reply: string): string {
  return reply.length <= 2000 ? reply : `${reply.slice(0, 2000)} … (the rest of the server's ${reply.length.toLocaleString('en')}-character answer is not kept)`
}
const MINUTE = 60_000
/** Wait before the next attempt after `attempts` attempts: 1, 5, 15, 60 minutes, then 3 hours, then 6 hours (the cap). */
const BACKOFF_MINUTES = [1, 5, 15, 60, 180, 360]

export function backoffMs(attempts: number): number {
  const i = Math.min(Math.max(attempts, 1), BACKOFF_MINUTES.length) - 1
  return (BACKOFF_MINUTES[i] as number) * MINUTE
}

export type AttachmentKind = 'voucher' | 'payslip' | 'report'
export type Renderer = (data: unknown) => Promise<Buffer>

export interface DeliveryEnv {
  sqlite: Sqlite
  now: () => Date
  /** The SMTP settings with the password, or why email cannot be sent (not set up, the keychain unreadable). */
  smtp: () => SmtpConfig | { notReady: string }
  sms: () => SmsConfig | { notReady: string }
  renderer: (kind: AttachmentKind) => Renderer | undefined
  /** Where Coffer's own trouble is written in full (the app's log). */
  log?: (line: string) => void
  held: () => boolean
  /** Holds the queue because the server refused the password (one alert per hold). */
  holdForAuth: (reply: string | null, words: string) => void
  /** A notification's email or SMS delivery row follows its message (the notifications area writes it). */
  deliveryRecorded: (outboxMessageId: number, d: { status: 'sent' | 'failed' | 'pending'; attempts: number; at: string; error: string | null }) => void
  /** A staff alert: a message failed for good. */
  messageFailed: (m: { id: number; channel: OutboxChannel; to: string; kind: string; words: string; reply: string | null; gaveUp: boolean }) => void
}

export interface DeliveryReport {
  /** Messages found 'sending' (Coffer stopped mid-attempt) and queued again. */
  recovered: number
  sent: number
  /** Tried and to be tried again later. */
  retrying: number
  failed: number
  /** The queue was held (before or during the run). */
  held: boolean
  /** Due messages left waiting because their channel is not set up, with why. */
  waiting: { channel: OutboxChannel; count: number; why: string }[]
}

interface DueRow {
  id: number
  kind: string
  channel: OutboxChannel
  to: string
  toName: string | null
  subject: string | null
  body: string
  messageId: string | null
  attempts: number
}

const UNKNOWN_REPLY =
  'Coffer stopped after handing the message over and before recording the answer: it may have been delivered. It is sent again with the same Message-ID, so a duplicate is recognisable.'

const CONCURRENCY = 4
const BATCH = 200

/** Freezes a message's attachments (renders each once, stores its bytes and SHA-256) and returns them. Never renders one twice. */
export async function frozenAttachments(
  sqlite: Sqlite,
  renderer: (kind: AttachmentKind) => Renderer | undefined,
  messageId: number
): Promise<{ id: number; filename: string; contentType: string; content: Buffer; sha256: string }[]> {
  const rows = sqlite
    .prepare('SELECT id, filename, content_type AS contentType, source, content, sha256 FROM outbox_attachments WHERE message_id = ? ORDER BY id')
    .all(messageId) as { id: number; filename: string; contentType: string; source: string; content: Buffer | null; sha256: string | null }[]
  const out: { id: number; filename: string; contentType: string; content: Buffer; sha256: string }[] = []
  for (const r of rows) {
    if (r.content !== null && r.sha256 !== null) {
      out.push({ id: r.id, filename: r.filename, contentType: r.contentType, content: r.content, sha256: r.sha256 })
      continue
    }
    const source = JSON.parse(r.source) as { kind: AttachmentKind; data: unknown }
    const render = renderer(source.kind)
    if (!render) throw new Error(`Coffer cannot make ${r.filename}: nothing makes ${source.kind} documents in this process.`)
    const bytes = await render(source.data)
    const sha = createHash('sha256').update(bytes).digest('hex')
    sqlite.prepare('UPDATE outbox_attachments SET content = ?, sha256 = ?, size = ? WHERE id = ? AND content IS NULL').run(bytes, sha, bytes.length, r.id)
    // Whatever is stored now is the file (made once: another run's bytes win if it was first).
    const kept = sqlite.prepare('SELECT content, sha256 FROM outbox_attachments WHERE id = ?').get(r.id) as { content: Buffer; sha256: string }
    out.push({ id: r.id, filename: r.filename, contentType: r.contentType, content: kept.content, sha256: kept.sha256 })
  }
  return out
}

export class Deliverer {
  constructor(private readonly env: DeliveryEnv) {}

  private nowIso(): string {
    return this.env.now().toISOString()
  }

  /** Messages left 'sending' by a Coffer that stopped mid-attempt: the attempt is 'unknown', the message queued again at once. */
  recover(): number {
    const { sqlite } = this.env
    // Most runs find none: no write transaction for them.
    if (sqlite.prepare("SELECT 1 FROM outbox_messages WHERE status = 'sending' LIMIT 1").get() === undefined) return 0
    return sqlite
      .transaction(() => {
        const ids = sqlite.prepare("SELECT id FROM outbox_messages WHERE status = 'sending'").pluck().all() as number[]
        const closeAttempt = sqlite.prepare("UPDATE outbox_attempts SET outcome = 'unknown', reply = ? WHERE message_id = ? AND outcome IS NULL")
        const requeue = sqlite.prepare(
          "UPDATE outbox_messages SET status = 'queued', next_attempt_at = NULL, last_error = ?, version = version + 1 WHERE id = ? AND status = 'sending'"
        )
        for (const id of ids) {
          closeAttempt.run(UNKNOWN_REPLY, id)
          requeue.run(UNKNOWN_REPLY, id)
        }
        return ids.length
      })
      .immediate()
  }

  async run(signal: AbortSignal): Promise<DeliveryReport> {
    const report: DeliveryReport = { recovered: this.recover(), sent: 0, retrying: 0, failed: 0, held: false, waiting: [] }
    if (this.env.held()) {
      report.held = true
      return report
    }
    const smtp = this.env.smtp()
    const sms = this.env.sms()
    const ready: OutboxChannel[] = []
    const now = this.nowIso()
    const dueCount = this.env.sqlite.prepare(
      "SELECT count(*) FROM outbox_messages WHERE status = 'queued' AND channel = ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
    )
    for (const [channel, cfg] of [['email', smtp], ['sms', sms]] as const) {
      if ('notReady' in cfg) {
        const count = dueCount.pluck().get(channel, now) as number
        if (count > 0) report.waiting.push({ channel, count, why: cfg.notReady })
      } else ready.push(channel)
    }
    if (ready.length === 0) return report

    let sender: EmailSender | null = null
    const emailSender = (): EmailSender => {
      if ('notReady' in smtp) throw new Error(smtp.notReady)
      sender ??= new EmailSender(smtp, { pooled: true })
      return sender
    }
    const due = this.env.sqlite.prepare(
      `SELECT id, kind, channel, to_address AS "to", to_name AS toName, subject, body, message_id AS messageId, attempts
         FROM outbox_messages
        WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND id > ?
          AND channel IN (${ready.map(() => '?').join(', ')})
        ORDER BY id LIMIT ${BATCH}`
    )
    let after = 0
    try {
      for (;;) {
        if (signal.aborted || this.env.held()) break
        const rows = due.all(this.nowIso(), after, ...ready) as DueRow[]
        if (rows.length === 0) break
        after = (rows.at(-1) as DueRow).id
        let next = 0
        const worker = async (): Promise<void> => {
          while (next < rows.length) {
            if (signal.aborted || this.env.held()) return
            const row = rows[next++] as DueRow
            const outcome = await this.deliverOne(row, emailSender, sms)
            if (outcome === 'sent') report.sent++
            else if (outcome === 'retrying') report.retrying++
            else if (outcome === 'failed') report.failed++
          }
        }
        await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, worker))
      }
    } finally {
      ;(sender as EmailSender | null)?.close()
    }
    report.held = this.env.held()
    return report
  }

  /** One attempt: marked 'sending' with an open attempt, handed over, then the outcome recorded. */
  private async deliverOne(row: DueRow, emailSender: () => EmailSender, sms: SmsConfig | { notReady: string }): Promise<'sent' | 'retrying' | 'failed' | 'held' | 'skipped'> {
    const { sqlite } = this.env
    const at = this.nowIso()
    const attemptId = sqlite
      .transaction(() => {
        const moved = sqlite
          .prepare("UPDATE outbox_messages SET status = 'sending', last_attempt_at = ?, version = version + 1 WHERE id = ? AND status = 'queued'")
          .run(at, row.id)
        if (moved.changes === 0) return null
        return sqlite.prepare('INSERT INTO outbox_attempts (message_id, at) VALUES (?, ?) RETURNING id').pluck().get(row.id, at) as number
      })
      .immediate()
    if (attemptId === null) return 'skipped'
    const started = performance.now()
    let result: SendOutcome
    try {
      if (row.channel === 'email') {
        const attachments = await frozenAttachments(sqlite, this.env.renderer, row.id)
        result = await emailSender().send({
          to: row.to,
          toName: row.toName,
          subject: row.subject ?? '',
          body: row.body,
          messageId: row.messageId,
          attachments
        })
      } else {
        if ('notReady' in sms) throw new Error(sms.notReady)
        result = await sendSms(sms, row.to, row.body)
      }
    } catch (e) {
      // Coffer's own trouble before anything was handed over (an attachment could not be made): tried again later,
      // said in Coffer's words; the library's own text goes to the log, not to the treasurer.
      this.env.log?.(`outbox message ${row.id}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
      result = {
        outcome: 'temporary',
        reply: null,
        words: e instanceof DomainError ? e.message : 'Coffer could not prepare this message (its attachment could not be made); it will try again.'
      }
    }
    return this.record(row, attemptId, result, Math.round(performance.now() - started))
  }

  private record(row: DueRow, attemptId: number, r: SendOutcome, durationMs: number): 'sent' | 'retrying' | 'failed' | 'held' {
    const { sqlite } = this.env
    const now = this.env.now()
    const at = now.toISOString()
    const attempts = r.outcome === 'auth' ? row.attempts : row.attempts + 1
    const gaveUp = r.outcome === 'temporary' && attempts >= MAX_ATTEMPTS
    const state: 'sent' | 'retrying' | 'failed' | 'held' =
      r.outcome === 'sent' ? 'sent' : r.outcome === 'auth' ? 'held' : r.outcome === 'permanent' || gaveUp ? 'failed' : 'retrying'
    const lastError =
      r.outcome === 'sent'
        ? null
        : `${r.words}${gaveUp ? ` Coffer gave up after ${MAX_ATTEMPTS} attempts.` : ''}${r.reply ? ` The answer: ${clip(r.reply)}` : ''}`
    sqlite
      .transaction(() => {
        sqlite.prepare('UPDATE outbox_attempts SET outcome = ?, reply = ?, duration_ms = ? WHERE id = ?').run(r.outcome, r.reply === null ? null : clip(r.reply), durationMs, attemptId)
        sqlite
          .prepare(
            `UPDATE outbox_messages SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, sent_at = ?, version = version + 1
              WHERE id = ?`
          )
          .run(
            state === 'sent' ? 'sent' : state === 'failed' ? 'failed' : 'queued',
            attempts,
            state === 'retrying' ? new Date(now.getTime() + backoffMs(attempts)).toISOString() : null,
            lastError,
            state === 'sent' ? at : null,
            row.id
          )
        this.env.deliveryRecorded(row.id, { status: state === 'sent' ? 'sent' : state === 'failed' ? 'failed' : 'pending', attempts, at, error: lastError })
      })
      .immediate()
    if (r.outcome === 'auth') this.env.holdForAuth(r.reply, r.words)
    if (state === 'failed') this.env.messageFailed({ id: row.id, channel: row.channel, to: row.to, kind: row.kind, words: r.words, reply: r.reply, gaveUp })
    return state
  }
}
