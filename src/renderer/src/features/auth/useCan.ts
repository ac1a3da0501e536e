import { mayCall, type Channel } from '../../../../shared/contract'
import { useSessionOrNull } from './session'

/**
 * Whether the signed-in operator's role may call this channel (the
 * contract's CHANNEL_PERMISSIONS), to hide a nav entry or a button it may
 * not use. Core refuses anyway (FORBIDDEN): this only keeps the window from
 * offering it. False outside the signed-in shell.
 */
export function useCan(channel: Channel): boolean {
  return mayCall(useSessionOrNull()?.operator.role, channel)
}

/** For several channels at once: a function answering each. */
export function useCanCall(): (channel: Channel) => boolean {
  const role = useSessionOrNull()?.operator.role
  return (channel) => mayCall(role, channel)
}
