import type { Envelope } from './envelope'

/**
 * The one object on `window.coffer`. Untyped at the edge on purpose: the
 * renderer's client (src/renderer/src/api.ts) adds the types from the
 * contract, and main validates every input anyway.
 */
export interface CofferBridge {
  invoke(channel: string, input?: unknown): Promise<Envelope<unknown>>
  on(event: string, listener: (payload: unknown) => void): () => void
}

/** How a bridge reaches main: Electron's ipcRenderer, or a test driver's binding. */
export interface BridgeTransport {
  invoke(channel: string, input: unknown): Promise<Envelope<unknown>>
  listen(channel: string, handler: (payload: unknown) => void): () => void
}

/** The IPC channel an event travels on, kept apart from request channels. */
export const eventChannel = (event: string): string => `event:${event}`

export const BRIDGE_GLOBAL = 'coffer'

/**
 * Builds the bridge over a transport, allowing exactly the contract's
 * channels and events. Used by the preload and, unchanged, by the end-to-end
 * driver that runs the renderer in plain Chromium. It must stay
 * self-contained (no references outside its body): the driver injects its
 * source text into the page.
 */
export function createBridge(
  transport: BridgeTransport,
  channels: readonly string[],
  events: readonly string[]
): CofferBridge {
  const allowedChannels = new Set(channels)
  const allowedEvents = new Set(events)
  return {
    invoke(channel, input) {
      if (!allowedChannels.has(channel)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: 'There is no channel named ' + String(channel).slice(0, 80) + '.' }
        })
      }
      return transport.invoke(channel, input)
    },
    on(event, listener) {
      if (!allowedEvents.has(event)) throw new Error('There is no event named ' + String(event).slice(0, 80) + '.')
      return transport.listen('event:' + event, listener)
    }
  }
}
