import { useEffect, useRef } from 'react'
import type { EventName, EventPayload } from '../../../shared/contract'
import { subscribe } from './api'

/**
 * Listens to an event pushed from main while the component is mounted. The
 * handler may change on every render: the latest one is called, and the
 * subscription is made once per event name. Without a bridge (a page opened
 * outside the app) it listens to nothing rather than failing the page.
 */
export function useEvent<E extends EventName>(
  event: E,
  handler: (payload: EventPayload<E>) => void,
  enabled = true
): void {
  const ref = useRef(handler)
  useEffect(() => {
    ref.current = handler
  })
  useEffect(() => {
    if (!enabled) return
    let off: (() => void) | undefined
    try {
      off = subscribe(event, (payload) => ref.current(payload))
    } catch {
      off = undefined
    }
    return () => off?.()
  }, [event, enabled])
}
