import { useCallback, useRef, useState } from 'react'
import type { AppError, Channel, Input, Warning } from '../../../shared/contract'

/** Channels whose input takes `acknowledge` (the actions core may warn about). */
export type WarnedChannel = { [C in Channel]: 'acknowledge' extends keyof Input<C> ? C : never }[Channel]
/** The warning codes a channel's `acknowledge` takes. */
export type Acknowledge<C extends WarnedChannel> = NonNullable<Input<C> extends { acknowledge?: infer A } ? A : never>

/**
 * A risky action's warnings (core answers CONFIRM_REQUIRED with them): what
 * is shown, and the codes acknowledged so far in this round. The action is
 * sent again with `acknowledge: accept()`; a new warning then (the data
 * changed meanwhile) is shown in turn and added. Going back forgets them all,
 * so an edited form is checked afresh. The channel only types the codes.
 */
export function useWarnings<C extends WarnedChannel>(_channel: C) {
  const [shown, setShown] = useState<Warning[] | null>(null)
  const acked = useRef<Warning['code'][]>([])
  /** True when the error asks for confirmation: its warnings are now shown. */
  const caught = useCallback((error: AppError): boolean => {
    if (error.code !== 'CONFIRM_REQUIRED' || !error.warnings?.length) return false
    setShown(error.warnings)
    return true
  }, [])
  /** The person goes ahead: every code shown so far (core gave them for this channel), to send with the action. */
  const accept = useCallback((): Acknowledge<C> => {
    acked.current = [...new Set([...acked.current, ...(shown ?? []).map((w) => w.code)])]
    return acked.current as Acknowledge<C>
  }, [shown])
  /** Back (or the action finished, or failed for another reason): nothing acknowledged any more. */
  const reset = useCallback(() => {
    setShown(null)
    acked.current = []
  }, [])
  return { shown, caught, accept, reset }
}
