import { useInfiniteQuery } from '@tanstack/react-query'
import { appError, call } from '../../platform/api'
import { nextOffset, pagedRows } from '../../platform/queries'
import { notificationKeys, type NotificationListOptions } from './queries'

/**
 * A page of notifications.list, newest first, with "load more"; new ones
 * arrive at the top and reads follow the shared state (app/invalidation.ts,
 * useNotifications).
 */
export function useNotificationList(options: NotificationListOptions) {
  const { unreadOnly, pageSize } = options
  const query = useInfiniteQuery({
    queryKey: notificationKeys.list({ unreadOnly, pageSize }),
    queryFn: ({ pageParam }) => call('notifications.list', { unreadOnly, offset: pageParam, limit: pageSize }),
    initialPageParam: 0,
    getNextPageParam: nextOffset
  })
  const { rows, total } = pagedRows(query.data)
  return {
    rows,
    total,
    loading: query.isFetching,
    loaded: query.isSuccess,
    error: appError(query.error),
    hasMore: query.hasNextPage,
    loadMore: () => void query.fetchNextPage(),
    reload: () => void query.refetch()
  }
}
