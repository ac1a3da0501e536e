import {
  BRIDGE_GLOBAL,
  type AppError,
  type Channel,
  type CofferBridge,
  type Envelope,
  type EventName,
  type EventPayload,
  type Input,
  type Output
} from '../../../shared/contract'

declare global {
  interface Window {
    [BRIDGE_GLOBAL]: CofferBridge
  }
}

const bridge = (): CofferBridge => {
  const b = (window as unknown as Record<string, CofferBridge | undefined>)[BRIDGE_GLOBAL]
  if (!b) throw new Error('The Coffer bridge is missing: the page was not opened by the app.')
  return b
}

/** Answers that are about the session, not the call: the window shows the lock screen or the sign-in screen. */
export type SessionProblem = 'LOCKED' | 'UNAUTHENTICATED'
const sessionListeners = new Set<(problem: SessionProblem, channel: Channel) => void>()

/**
 * Listens for calls answered LOCKED (the screen locked: show the lock
 * screen) or UNAUTHENTICATED (nobody signed in: the sign-in screen), from
 * wherever they were made. Returns the unsubscribe. The app's boot listens
 * once (app/App.tsx); pages never need to.
 */
export function onSessionProblem(listener: (problem: SessionProblem, channel: Channel) => void): () => void {
  sessionListeners.add(listener)
  return () => void sessionListeners.delete(listener)
}

/** Typed call through the contract. Never throws: failures come back as `{ ok: false, error }`. */
export async function invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Envelope<Output<C>>> {
  let r: Envelope<Output<C>>
  try {
    r = (await bridge().invoke(channel, input)) as Envelope<Output<C>>
  } catch (e) {
    return { ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } }
  }
  if (!r.ok && (r.error.code === 'LOCKED' || r.error.code === 'UNAUTHENTICATED')) {
    for (const listener of [...sessionListeners]) listener(r.error.code, channel)
  }
  return r
}

/** An error from a call, kept whole (code, message, field messages). */
export class ApiError extends Error {
  constructor(readonly error: AppError) {
    super(error.message)
  }
}

/** Typed call that throws ApiError on failure: for loaders where a failure is shown as a page error. */
export async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  const r = await invoke(channel, input)
  if (!r.ok) throw new ApiError(r.error)
  return r.value
}

/** Subscribe to an event pushed from main; returns the unsubscribe function. */
export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge().on(event, listener as (payload: unknown) => void)
}

/** A query's error as the app's error (code, message), or null. */
export function appError(error: unknown): AppError | null {
  if (error === null || error === undefined) return null
  if (error instanceof ApiError) return error.error
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) }
}
