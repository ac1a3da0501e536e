import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { AppError } from '../../../shared/contract'
import { invoke } from '../api'
import { useEvent } from '../lib/useEvent'

/** What happened to notifications already on screen (so every open list follows). */
export type LocalChange = { kind: 'read'; id: number; at: string } | { kind: 'all-read'; at: string }

interface NotificationsValue {
  /** Unread notifications, or null until the first answer. */
  unread: number | null
  markRead(id: number): Promise<AppError | null>
  markAllRead(): Promise<AppError | null>
  /** Listen to reads done from this window or reported by the app; returns the unsubscribe. */
  onLocalChange(listener: (change: LocalChange) => void): () => void
}

const Ctx = createContext<NotificationsValue | null>(null)

/**
 * The notification centre's shared state: the unread count (asked once, then
 * following notifications.changed and notifications.created), and the
 * "mark read" actions, broadcast to the bell's panel and the page alike.
 */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [unread, setUnread] = useState<number | null>(null)
  const listeners = useRef(new Set<(c: LocalChange) => void>())
  // Each change to the count bumps this; an answer to an older question is dropped.
  const version = useRef(0)

  const emit = useCallback((c: LocalChange) => {
    for (const l of listeners.current) l(c)
  }, [])

  const refreshCount = useCallback(async () => {
    const mine = ++version.current
    const r = await invoke('notifications.unreadCount', {})
    if (r.ok && mine === version.current) setUnread(r.value.unread)
  }, [])

  const setCount = useCallback(
    (n: number) => {
      version.current++
      setUnread(n)
      if (n === 0) emit({ kind: 'all-read', at: new Date().toISOString() })
    },
    [emit]
  )

  useEffect(() => {
    void refreshCount()
  }, [refreshCount])

  useEvent('notifications.changed', (e) => setCount(e.unread))
  // The app may or may not send "changed" with a new notification: ask for the count, never guess it.
  useEvent('notifications.created', () => void refreshCount())

  const markRead = useCallback(
    async (id: number) => {
      const r = await invoke('notifications.markRead', { id })
      if (!r.ok) return r.error
      emit({ kind: 'read', id, at: new Date().toISOString() })
      setCount(r.value.unread)
      return null
    },
    [emit, setCount]
  )

  const markAllRead = useCallback(async () => {
    const r = await invoke('notifications.markAllRead', {})
    if (!r.ok) return r.error
    emit({ kind: 'all-read', at: new Date().toISOString() })
    setCount(r.value.unread)
    return null
  }, [emit, setCount])

  const onLocalChange = useCallback((listener: (c: LocalChange) => void) => {
    listeners.current.add(listener)
    return () => {
      listeners.current.delete(listener)
    }
  }, [])

  const value = useMemo(
    () => ({ unread, markRead, markAllRead, onLocalChange }),
    [unread, markRead, markAllRead, onLocalChange]
  )
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>
}

export function useNotifications(): NotificationsValue {
  const v = useContext(Ctx)
  if (!v) throw new Error('useNotifications() outside NotificationsProvider')
  return v
}
