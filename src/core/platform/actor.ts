import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * Who is doing what, for the audit trail: the operator a call runs as and
 * the channel (or job) it came through. The dispatcher sets it around each
 * call; jobs run as the system. Read synchronously by the audit trail's SQL
 * functions while a write runs (platform/audit/trail.ts).
 */
export interface Actor {
  /** The operator's id, or null for the system. */
  operatorId: number | null
  /** The operator's name as it is now (kept on the audit row even if renamed later). */
  name: string
}

export interface CallScope {
  actor: Actor
  /** `members.update`, or `job:coupons` for a job. */
  channel: string
}

export const SYSTEM: Actor = Object.freeze({ operatorId: null, name: 'System' })

const storage = new AsyncLocalStorage<CallScope>()

/** The scope of the running call, or the system's when no call is running (start-up, a scheduled job). */
export function currentScope(): CallScope {
  return storage.getStore() ?? { actor: SYSTEM, channel: 'system' }
}

export const currentActor = (): Actor => currentScope().actor

/** Runs `fn` (and everything it awaits) as `scope`. */
export function runAs<T>(scope: CallScope, fn: () => T): T {
  return storage.run(scope, fn)
}

/** Runs `fn` as the system: a job started by an operator's "Run now" still runs as the system. */
export function runAsSystem<T>(channel: string, fn: () => T): T {
  return storage.run({ actor: SYSTEM, channel }, fn)
}

/**
 * Signing in changes who the rest of the call is (the sign-in's own writes,
 * such as the last sign-in time, are the operator's): the scope is mutable
 * for that one purpose.
 */
export function becomeActor(actor: Actor): void {
  const scope = storage.getStore()
  if (scope) scope.actor = actor
}
