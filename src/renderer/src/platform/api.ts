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

/** Typed call through the contract. Never throws: failures come back as `{ ok: false, error }`. */
export async function invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Envelope<Output<C>>> {
  try {
    return (await bridge().invoke(channel, input)) as Envelope<Output<C>>
  } catch (e) {
    return { ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } }
  }
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
