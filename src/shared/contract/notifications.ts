import { z } from 'zod'
import { channel } from './define'
import { Empty } from './app'

export const NotificationKind = z.enum(['info', 'success', 'warning', 'error'])
export const DeliveryChannel = z.enum(['in-app', 'desktop', 'email', 'sms'])
export const DeliveryStatus = z.enum(['pending', 'sent', 'failed', 'skipped'])

export const Delivery = z.object({
  channel: DeliveryChannel,
  recipient: z.string().nullable(),
  status: DeliveryStatus,
  attempts: z.number().int(),
  lastAttemptAt: z.string().nullable(),
  error: z.string().nullable(),
  /** The outbox message that carries an email or SMS delivery (Outbox shows its attempts). */
  outboxMessageId: z.number().int().nullable()
})

export const Notification = z.object({
  id: z.number().int(),
  kind: NotificationKind,
  title: z.string(),
  body: z.string(),
  /** What it is about, e.g. { type: 'job-run', id: '42' }: the centre links to it. */
  subject: z.object({ type: z.string(), id: z.string() }).nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  deliveries: z.array(Delivery)
})
export type Notification = z.infer<typeof Notification>

export const notificationsContract = {
  'notifications.list': channel(
    z
      .object({
        unreadOnly: z.boolean().default(false),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(200).default(50)
      })
      .strict(),
    z.object({ rows: z.array(Notification), total: z.number().int(), unread: z.number().int() })
  ),
  'notifications.unreadCount': channel(Empty, z.object({ unread: z.number().int() })),
  'notifications.markRead': channel(
    z.object({ id: z.number().int().positive() }).strict(),
    z.object({ unread: z.number().int() })
  ),
  'notifications.markAllRead': channel(Empty, z.object({ unread: z.number().int() }))
}

export const NotificationCreatedEvent = Notification
export const NotificationsChangedEvent = z.object({ unread: z.number().int() })
