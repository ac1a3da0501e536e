import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { NotificationKind, DeliveryChannel, DeliveryStatus } from '../../shared/contract/notifications'
import { enumValues } from '../platform/db/enum'

export const NOTIFICATION_KINDS = enumValues(NotificationKind)
export const DELIVERY_CHANNELS = enumValues(DeliveryChannel)
export const DELIVERY_STATUSES = enumValues(DeliveryStatus)

export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** What it is about, e.g. subject_type 'job-run', subject_id '42'; the renderer turns it into a link. */
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    /** Set when the same thing must not be announced twice (one maturity notice per holding). */
    dedupeKey: text('dedupe_key'),
    createdAt: text('created_at').notNull(),
    readAt: text('read_at')
  },
  (t) => [
    index('notifications_unread_idx').on(t.readAt, t.id),
    uniqueIndex('notifications_dedupe_unique').on(t.dedupeKey)
  ]
)

/** One row per channel a notification goes out on, with its own status and attempts. */
export const notificationDeliveries = sqliteTable(
  'notification_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    notificationId: integer('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: DELIVERY_CHANNELS }).notNull(),
    /** The address for email; null for in-app and desktop. */
    recipient: text('recipient'),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastAttemptAt: text('last_attempt_at'),
    error: text('error'),
    /** outbox_messages.id for an email or SMS delivery. */
    outboxMessageId: integer('outbox_message_id')
  },
  (t) => [index('notification_deliveries_notification_idx').on(t.notificationId)]
)
