import { useCallback, useEffect, useRef, useState } from 'react'

export type AsyncState<T> =
  | { status: 'loading'; value?: T; error?: undefined }
  | { status: 'ok'; value: T; error?: undefined }
  | { status: 'error'; value?: T; error: unknown }

interface Settled<T> {
  key: ReadonlyArray<unknown>
  ok: boolean
  value?: T
  error?: unknown
}

const sameKey = (a: ReadonlyArray<unknown>, b: ReadonlyArray<unknown>) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]))

/**
 * Loads something when `deps` change; `reload()` runs it again and keeps the
 * previous value on screen while the new one comes (no flash of a spinner on
 * a refresh). Late answers for stale deps are dropped.
 */
export function useAsync<T>(load: () => Promise<T>, deps: ReadonlyArray<unknown>) {
  const [tick, setTick] = useState(0)
  const [settled, setSettled] = useState<Settled<T> | null>(null)
  const loadRef = useRef(load)
  useEffect(() => {
    loadRef.current = load
  })
  const key = [...deps, tick]

  useEffect(() => {
    let live = true
    loadRef.current().then(
      (value) => live && setSettled({ key, ok: true, value }),
      (error: unknown) => live && setSettled((s) => ({ key, ok: false, error, value: s?.value }))
    )
    return () => {
      live = false
    }
    // The key is the deps plus the reload counter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, key)

  const reload = useCallback(() => setTick((t) => t + 1), [])
  const setValue = useCallback((value: T) => setSettled((s) => ({ key: s?.key ?? [], ok: true, value })), [])

  let state: AsyncState<T>
  if (!settled || !sameKey(settled.key, key)) state = { status: 'loading', value: settled?.value }
  else if (settled.ok) state = { status: 'ok', value: settled.value as T }
  else state = { status: 'error', error: settled.error, value: settled.value }
  return { ...state, reload, setValue }
}
