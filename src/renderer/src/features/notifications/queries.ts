import type { InfiniteData, QueryClient } from '@tanstack/react-query'
import type { Notification, Output } from '../../../../shared/contract'

export interface NotificationListOptions {
  unreadOnly: boolean
  pageSize: number
}

/** Query keys of the notifications area. */
export const notificationKeys = {
  all: ['notifications'] as const,
  unread: () => [...notificationKeys.all, 'unread'] as const,
  lists: () => [...notificationKeys.all, 'list'] as const,
  list: (o: NotificationListOptions) => [...notificationKeys.lists(), o] as const
}

type ListPage = Output<'notifications.list'>

/**
 * Notifications read (one, or all of them): every list on screen shows them
 * as read. Under "Unread only" a read one stays (shown as read) until the list
 * is asked again, so rows do not jump away under the pointer.
 */
export function markReadInLists(client: QueryClient, which: { id: number } | 'all', at = new Date().toISOString()) {
  client.setQueriesData<InfiniteData<ListPage>>({ queryKey: notificationKeys.lists() }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((p) => ({
            ...p,
            rows: p.rows.map((n) => (n.readAt !== null || (which !== 'all' && which.id !== n.id) ? n : { ...n, readAt: at }))
          }))
        }
      : data
  )
}

/** A new notification goes on top of every list it belongs to. */
export function prependToLists(client: QueryClient, n: Notification) {
  for (const [key, data] of client.getQueriesData<InfiniteData<ListPage>>({ queryKey: notificationKeys.lists() })) {
    const o = key[2] as NotificationListOptions
    if (!data || !data.pages[0] || (o.unreadOnly && n.readAt !== null)) continue
    if (data.pages.some((p) => p.rows.some((x) => x.id === n.id))) continue
    const [first, ...rest] = data.pages
    client.setQueryData<InfiniteData<ListPage>>(key, {
      ...data,
      pages: [{ ...first, rows: [n, ...first.rows], total: first.total + 1 }, ...rest]
    })
  }
}
