import type { Envelope } from './envelope'

/**
 * The one object the preload puts on `window.coffer`. Untyped at the edge on
 * purpose: the renderer's client (src/renderer/src/api.ts) adds the types from
 * the contract, and the main side validates every input anyway.
 */
export interface CofferBridge {
  invoke(channel: string, input?: unknown): Promise<Envelope<unknown>>
  on(event: string, listener: (payload: unknown) => void): () => void
}

/** The IPC channel name an event travels on, kept apart from request channels. */
export const eventChannel = (event: string): string => `event:${event}`

export const BRIDGE_GLOBAL = 'coffer'
