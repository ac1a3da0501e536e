import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { BRIDGE_GLOBAL, channels, eventChannel, eventNames, type CofferBridge } from '../shared/contract'

/**
 * The only thing the renderer can reach: `window.coffer`, with exactly the
 * contract's channels and events. Runs sandboxed with context isolation.
 */
const allowedChannels = new Set<string>(channels)
const allowedEvents = new Set<string>(eventNames)

const bridge: CofferBridge = {
  invoke(channel, input) {
    if (!allowedChannels.has(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `There is no channel named ${String(channel).slice(0, 80)}.` }
      })
    }
    return ipcRenderer.invoke(channel, input)
  },
  on(event, listener) {
    if (!allowedEvents.has(event)) throw new Error(`There is no event named ${String(event).slice(0, 80)}.`)
    const name = eventChannel(event)
    const handler = (_e: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(name, handler)
    return () => {
      ipcRenderer.removeListener(name, handler)
    }
  }
}

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge)
