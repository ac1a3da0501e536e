import { useEffect, useRef } from 'react'
import type { AuthStatus } from '../../../../shared/contract'
import { invoke } from '../../platform/api'

/** The input that counts as someone at the PC. */
const INPUT_EVENTS = ['keydown', 'pointerdown', 'wheel'] as const

/**
 * The idle lock, as the window sees it: real input (a key, a click, the
 * wheel) tells core the operator is there (`auth.touch`, at most once per
 * interval, and once more after the last input of a burst), and after
 * `idleMinutes` without input the window calls `onIdle` (which locks).
 * Core keeps its own count from the touches and refuses calls with LOCKED
 * once it runs out, so a window that slept is locked either way.
 */
export function useIdleLock({
  idleMinutes,
  active,
  onIdle,
  onTouched
}: {
  idleMinutes: number
  active: boolean
  onIdle: () => void
  /** Core's answer to a touch: the session as it is now (another idle time, a new name). */
  onTouched: (status: AuthStatus) => void
}): void {
  const onIdleRef = useRef(onIdle)
  const onTouchedRef = useRef(onTouched)
  useEffect(() => {
    onIdleRef.current = onIdle
    onTouchedRef.current = onTouched
  })

  useEffect(() => {
    if (!active) return
    const idleMs = idleMinutes * 60_000
    // Well inside the idle time, so core never counts an operator at work as idle.
    const touchEvery = Math.min(60_000, Math.floor(idleMs / 4))
    let lastInput = Date.now()
    // Signing in or unlocking just now counted as use in core.
    let lastTouch = lastInput
    let trailing: ReturnType<typeof setTimeout> | null = null
    let idleTimer: ReturnType<typeof setTimeout> | null = null

    const touch = () => {
      lastTouch = Date.now()
      void invoke('auth.touch', {}).then((r) => r.ok && onTouchedRef.current(r.value))
    }
    const onInput = () => {
      lastInput = Date.now()
      const since = lastInput - lastTouch
      if (since >= touchEvery) touch()
      else
        trailing ??= setTimeout(() => {
          trailing = null
          touch()
        }, touchEvery - since)
    }
    const check = () => {
      const idle = Date.now() - lastInput
      if (idle >= idleMs) {
        idleTimer = null
        onIdleRef.current()
      } else idleTimer = setTimeout(check, idleMs - idle)
    }
    idleTimer = setTimeout(check, idleMs)
    for (const type of INPUT_EVENTS) window.addEventListener(type, onInput, { capture: true, passive: true })
    return () => {
      for (const type of INPUT_EVENTS) window.removeEventListener(type, onInput, { capture: true })
      if (trailing) clearTimeout(trailing)
      if (idleTimer) clearTimeout(idleTimer)
    }
  }, [active, idleMinutes])
}
