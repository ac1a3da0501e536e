import { useEffect, useState } from 'react'

/** The current time in ms, refreshed every `intervalMs` (for "5 min ago" and running timers). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(t)
  }, [intervalMs])
  return now
}
