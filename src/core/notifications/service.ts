import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm'
import { notificationDeliveries, notifications } from './schema'
import type { Notification, ParsedInput } from '../../shared/contract'
import { notFound } from '../platform/errors'
import { nowIso, type ServiceContext } from '../platform/context'

export interface NewNotification {
  kind: 'info' | 'success' | 'warning' | 'error'
  title: string
  body: string
  subject?: { type: string; id: string } | null
  /** Announced once only: a second create with the same key returns the first. */
  dedupeKey?: string | null
  /** Also show it on the desktop (OS notification) when the app runs. */
  desktop?: boolean
}

/**
 * Further channels of a notification, decided inside the transaction that
 * stores it (mail: email and SMS of a failed job's alert, queued in its
 * outbox). Each delivery it answers gets its row here, pending, linked to
 * its outbox message; the mail job records how it went.
 */
export type DeliveryHook = (n: NewNotification, notificationId: number) => readonly { channel: 'email' | 'sms'; recipient: string; outboxMessageId: number }[]

/** Shows a notification on the desktop; the Electron shell provides it. Throws if it cannot. */
export type DesktopNotifier = (n: Notification) => void

type Row = typeof notifications.$inferSelect

/** A notice's text kept to a length a list can show; one that is longer is cut visibly, with an ellipsis, never silently. */
function shorten(text: string, max: number): string {
  const chars = [...text]
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}

/**
 * The notification centre. Each notification has one delivery row per
 * channel: in-app (sent when stored), desktop (the OS notification, when the
 * shell is there), email (a later issue).
 */
export class NotificationsService {
  private desktop: DesktopNotifier | null = null

  constructor(private readonly ctx: ServiceContext) {}

  setDesktopNotifier(notifier: DesktopNotifier | null): void {
    this.desktop = notifier
  }

  private toDto(row: Row): Notification {
    return this.toDtos([row])[0] as Notification
  }

  /** Notifications with their deliveries, read in one query for the lot. */
  private toDtos(rows: Row[]): Notification[] {
    if (rows.length === 0) return []
    const deliveries = this.ctx.db
      .select()
      .from(notificationDeliveries)
      .where(inArray(notificationDeliveries.notificationId, rows.map((r) => r.id)))
      .orderBy(notificationDeliveries.id)
      .all()
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      body: row.body,
      subject: row.subjectType && row.subjectId ? { type: row.subjectType, id: row.subjectId } : null,
      createdAt: row.createdAt,
      readAt: row.readAt,
      deliveries: deliveries
        .filter((d) => d.notificationId === row.id)
        .map((d) => ({
          channel: d.channel,
          recipient: d.recipient,
          status: d.status,
          attempts: d.attempts,
          lastAttemptAt: d.lastAttemptAt,
          error: d.error,
          outboxMessageId: d.outboxMessageId
        }))
    }))
  }

  private readonly deliveryHooks: DeliveryHook[] = []

  /** Another area adds channels to notifications (mail: a failed job's email and SMS); the notifications table stays this area's. */
  /**
   * An email or SMS delivery's outcome, as the outbox recorded it (the mail
   * job calls this in the transaction that records the attempt): sent,
   * failed, or still pending with its attempts so far.
   */
  recordOutboxDelivery(outboxMessageId: number, d: { status: 'sent' | 'failed' | 'pending' | 'skipped'; attempts: number; at: string | null; error: string | null }): void {
    this.ctx.sqlite
      .prepare('UPDATE notification_deliveries SET status = ?, attempts = ?, last_attempt_at = ?, error = ? WHERE outbox_message_id = ?')
      .run(d.status, d.attempts, d.at, d.error, outboxMessageId)
  }

  addDeliveryHook(hook: DeliveryHook): void {
    this.deliveryHooks.push(hook)
  }

  create(n: NewNotification): Notification {
    const at = nowIso(this.ctx)
    const { db } = this.ctx
    if (n.dedupeKey) {
      const existing = db.select().from(notifications).where(eq(notifications.dedupeKey, n.dedupeKey)).get()
      if (existing) return this.toDto(existing)
    }
    const row = db.transaction((tx) => {
      const r = tx
        .insert(notifications)
        .values({
          kind: n.kind,
          title: shorten(n.title, 200),
          body: shorten(n.body, 4000),
          subjectType: n.subject?.type ?? null,
          subjectId: n.subject?.id ?? null,
          dedupeKey: n.dedupeKey ?? null,
          createdAt: at
        })
        .returning()
        .get()
      tx.insert(notificationDeliveries)
        .values({ notificationId: r.id, channel: 'in-app', status: 'sent', attempts: 1, lastAttemptAt: at })
        .run()
      if (n.desktop) {
        tx.insert(notificationDeliveries).values({ notificationId: r.id, channel: 'desktop', status: 'pending' }).run()
      }
      for (const hook of this.deliveryHooks) {
        for (const d of hook(n, r.id)) {
          tx.insert(notificationDeliveries).values({ notificationId: r.id, channel: d.channel, recipient: d.recipient, status: 'pending', outboxMessageId: d.outboxMessageId }).run()
        }
      }
      return r
    }, { behavior: 'immediate' })
    if (n.desktop) this.deliverDesktop(row)
    const dto = this.toDto(row)
    this.ctx.emit('notifications.created', dto)
    this.ctx.emit('notifications.changed', { unread: this.unreadCount() })
    return dto
  }

  private deliverDesktop(row: Row): void {
    const at = nowIso(this.ctx)
    let status: 'sent' | 'failed' | 'skipped' = 'sent'
    let error: string | null = null
    if (!this.desktop) {
      status = 'skipped'
      error = 'No desktop session (command line or test run).'
    } else {
      try {
        this.desktop(this.toDto(row))
      } catch (e) {
        status = 'failed'
        error = e instanceof Error ? e.message : String(e)
      }
    }
    this.ctx.db
      .update(notificationDeliveries)
      .set({ status, error, attempts: 1, lastAttemptAt: at })
      .where(and(eq(notificationDeliveries.notificationId, row.id), eq(notificationDeliveries.channel, 'desktop')))
      .run()
  }

  list(q: ParsedInput<'notifications.list'>): { rows: Notification[]; total: number; unread: number } {
    const where = q.unreadOnly ? isNull(notifications.readAt) : undefined
    const rows = this.ctx.db
      .select()
      .from(notifications)
      .where(where)
      .orderBy(desc(notifications.id))
      .limit(q.limit)
      .offset(q.offset)
      .all()
    const total = this.ctx.db.select({ n: count() }).from(notifications).where(where).get()?.n ?? 0
    return { rows: this.toDtos(rows), total, unread: this.unreadCount() }
  }

  unreadCount(): number {
    return this.ctx.db.select({ n: count() }).from(notifications).where(isNull(notifications.readAt)).get()?.n ?? 0
  }

  markRead(id: number): { unread: number } {
    const row = this.ctx.db.select({ id: notifications.id }).from(notifications).where(eq(notifications.id, id)).get()
    if (!row) throw notFound(`Notification #${id}`)
    this.ctx.db
      .update(notifications)
      .set({ readAt: nowIso(this.ctx) })
      .where(and(eq(notifications.id, id), isNull(notifications.readAt)))
      .run()
    return this.changed()
  }

  markAllRead(): { unread: number } {
    this.ctx.db.update(notifications).set({ readAt: nowIso(this.ctx) }).where(isNull(notifications.readAt)).run()
    return this.changed()
  }

  private changed(): { unread: number } {
    const unread = this.unreadCount()
    this.ctx.emit('notifications.changed', { unread })
    return { unread }
  }

}
