import { useCallback } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { AppError } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { markReadInLists, notificationKeys } from './queries'

/**
 * The notification centre's shared state: the unread count (asked once, then
 * following notifications.changed and notifications.created through
 * app/invalidation.ts), and the "mark read" actions, which every list on
 * screen (the bell's panel, the page) follows.
 */
export function useNotifications() {
  const client = useQueryClient()
  const unread = useQuery({ queryKey: notificationKeys.unread(), queryFn: async () => (await call('notifications.unreadCount', {})).unread })
  const readOne = useCallMutation('notifications.markRead')
  const readAll = useCallMutation('notifications.markAllRead')

  const settle = useCallback(
    (which: { id: number } | 'all', count: number) => {
      markReadInLists(client, count === 0 ? 'all' : which)
      client.setQueryData(notificationKeys.unread(), count)
    },
    [client]
  )
  const { mutateAsync: markOne } = readOne
  const { mutateAsync: markAll } = readAll

  const markRead = useCallback(
    async (id: number): Promise<AppError | null> => {
      const r = await markOne({ id })
      if (!r.ok) return r.error
      settle({ id }, r.value.unread)
      return null
    },
    [markOne, settle]
  )

  const markAllRead = useCallback(async (): Promise<AppError | null> => {
    const r = await markAll({})
    if (!r.ok) return r.error
    settle('all', r.value.unread)
    return null
  }, [markAll, settle])

  return { unread: unread.data ?? null, markRead, markAllRead }
}
