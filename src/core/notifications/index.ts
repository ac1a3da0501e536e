/** The notification centre: one notification, a delivery row per channel. */
import { defineModule } from '../platform/module'
import { NotificationsService } from './service'

export { notifications, notificationDeliveries } from './schema'
export { NotificationsService, type DeliveryHook, type DesktopNotifier, type NewNotification } from './service'

declare module '../platform/module' {
  interface Areas {
    notifications: NotificationsService
  }
}

export const notificationsModule = defineModule({
  name: 'notifications',
  prefixes: ['notifications'],
  events: ['notifications.created', 'notifications.changed'],
  create: (env) => new NotificationsService(env.ctx),
  handlers: (n) => ({
    'notifications.list': (q) => n().list(q),
    'notifications.unreadCount': () => ({ unread: n().unreadCount() }),
    'notifications.markRead': ({ id }) => n().markRead(id),
    'notifications.markAllRead': () => n().markAllRead()
  })
})
