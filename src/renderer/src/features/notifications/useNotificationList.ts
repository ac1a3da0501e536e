import { useCallback, useEffect, useRef, useState } from 'react'
import type { AppError, Notification } from '../../../shared/contract'
import { invoke } from '../api'
import { useEvent } from '../lib/useEvent'
import { useNotifications } from './NotificationsContext'

interface ListState {
  key: string
  rows: Notification[]
  total: number
  loading: boolean
  loaded: boolean
  error: AppError | null
}

/**
 * A page of notifications.list, newest first, with "load more"; new ones
 * arrive at the top (notifications.created), reads follow the shared state.
 */
export function useNotificationList({ unreadOnly, pageSize }: { unreadOnly: boolean; pageSize: number }) {
  const key = JSON.stringify([unreadOnly, pageSize])
  const { onLocalChange } = useNotifications()
  const [state, setState] = useState<ListState>({ key, rows: [], total: 0, loading: true, loaded: false, error: null })
  const seq = useRef(0)

  const fetchPage = useCallback(
    async (offset: number) => {
      const mine = ++seq.current
      const r = await invoke('notifications.list', { unreadOnly, offset, limit: pageSize })
      if (mine !== seq.current) return
      setState((s) => {
        if (s.key !== key) return s
        if (!r.ok) return { ...s, loading: false, error: r.error }
        const seen = new Set(offset === 0 ? [] : s.rows.map((n) => n.id))
        const incoming = r.value.rows.filter((n) => !seen.has(n.id))
        return {
          key,
          rows: offset === 0 ? incoming : [...s.rows, ...incoming],
          total: r.value.total,
          loading: false,
          loaded: true,
          error: null
        }
      })
    },
    [key, unreadOnly, pageSize]
  )

  if (state.key !== key) setState({ key, rows: [], total: 0, loading: true, loaded: false, error: null })

  useEffect(() => {
    void fetchPage(0)
  }, [fetchPage])

  useEffect(
    () =>
      onLocalChange((c) => {
        // Under "Unread only" a read notification stays (shown as read) until the list is loaded again,
        // so rows do not jump away under the pointer.
        setState((s) => ({
          ...s,
          rows: s.rows.map((n) => (n.readAt !== null || (c.kind === 'read' && c.id !== n.id) ? n : { ...n, readAt: c.at }))
        }))
      }),
    [onLocalChange]
  )

  useEvent('notifications.created', (n) => {
    setState((s) => {
      if (!s.loaded || s.rows.some((x) => x.id === n.id)) return s
      if (unreadOnly && n.readAt !== null) return s
      return { ...s, rows: [n, ...s.rows], total: s.total + 1 }
    })
  })

  const loadMore = useCallback(() => {
    setState((s) => ({ ...s, loading: true }))
    void fetchPage(state.rows.length)
  }, [fetchPage, state.rows.length])

  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true, error: null }))
    void fetchPage(0)
  }, [fetchPage])

  const current = state.key === key
  return {
    rows: current ? state.rows : [],
    total: current ? state.total : 0,
    loading: !current || state.loading,
    loaded: current && state.loaded,
    error: current ? state.error : null,
    hasMore: current && state.rows.length < state.total,
    loadMore,
    reload
  }
}
