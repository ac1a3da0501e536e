import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { BRIDGE_GLOBAL, channels, createBridge, eventNames } from '../shared/contract'

/**
 * The only thing the renderer can reach: `window.coffer`, with exactly the
 * contract's channels and events. Runs sandboxed with context isolation.
 */
const bridge = createBridge(
  {
    invoke: (channel, input) => ipcRenderer.invoke(channel, input),
    listen(channel, handler) {
      const h = (_e: IpcRendererEvent, payload: unknown) => handler(payload)
      ipcRenderer.on(channel, h)
      return () => {
        ipcRenderer.removeListener(channel, h)
      }
    }
  },
  channels,
  eventNames
)

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge)
