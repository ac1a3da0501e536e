import path from 'node:path'
import fs from 'node:fs'
import { pathToFileURL } from 'node:url'
import { BrowserWindow, ipcMain, shell, type IpcMainInvokeEvent } from 'electron'
import { coreChannels, err, eventChannel, shellChannels, type Envelope } from '../shared/contract'
import { isAllowedExternalUrl } from '../shared/external-links'
import { createDispatcher, type Logger, type ShellHandlers } from '../core/platform/ipc/dispatcher'
import { DomainError } from '../core/platform/errors'
import type { Core } from '../core'
import { isAppUrl } from './window'

/**
 * Wires the contract onto ipcMain. Core channels go to core; shell channels
 * (things only Electron can do) are answered here, validated by the same
 * dispatcher. A sender that is not the app's own window gets FORBIDDEN.
 */
export function wireIpc(opts: { core: Core; window: () => BrowserWindow | null; dataDir: string; log: Logger }): () => void {
  const shellHandlers: ShellHandlers = {
    'app.openExternal': async ({ url }) => {
      if (!isAllowedExternalUrl(url)) return { opened: false }
      await shell.openExternal(url)
      return { opened: true }
    },
    'app.showDataFolder': async () => {
      const problem = await shell.openPath(opts.dataDir)
      return { opened: problem === '' }
    },
    'app.openFile': async ({ file }) => {
      const resolved = path.resolve(file)
      const rel = path.relative(opts.dataDir, resolved)
      if (rel.startsWith('..') || path.isAbsolute(rel) || !fs.existsSync(resolved)) return { opened: false }
      return { opened: (await shell.openPath(resolved)) === '' }
    },
    'vouchers.print': async ({ paymentIds, printWithMissingGlyphs }) => {
      const made = await opts.core.invoke('vouchers.pdf', { paymentIds, printWithMissingGlyphs })
      if (!made.ok) throw new DomainError(made.error.code, made.error.message, made.error.fields)
      const { file } = made.value as { file: string }
      // The PDF in its own window: Chromium's viewer prints through the system print dialog.
      const viewer = new BrowserWindow({
        parent: opts.window() ?? undefined,
        width: 900,
        height: 1000,
        title: path.basename(file),
        autoHideMenuBar: true,
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true }
      })
      await viewer.loadURL(pathToFileURL(file).toString())
      return { printed: true, file }
    }
  }
  const shellInvoke = createDispatcher(shellHandlers, opts.log)

  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const win = opts.window()
    const frame = event.senderFrame
    return !!win && event.sender === win.webContents && !!frame && frame === event.sender.mainFrame && isAppUrl(frame.url)
  }
  const guard =
    (invoke: (channel: string, input: unknown) => Promise<Envelope<unknown>>, channel: string) =>
    (event: IpcMainInvokeEvent, input: unknown): Promise<Envelope<unknown>> => {
      if (!trusted(event)) {
        opts.log.warn(`refused ${channel} from ${event.senderFrame?.url ?? 'an unknown sender'}`)
        return Promise.resolve(err('FORBIDDEN', 'This window may not use Coffer.'))
      }
      return invoke(channel, input)
    }

  for (const c of coreChannels) ipcMain.handle(c, guard(opts.core.invoke, c))
  for (const c of shellChannels) ipcMain.handle(c, guard(shellInvoke, c))

  const off = opts.core.onEvent((event, payload) => {
    const win = opts.window()
    if (win && !win.isDestroyed()) win.webContents.send(eventChannel(event), payload)
  })
  return () => {
    off()
    for (const c of [...coreChannels, ...shellChannels]) ipcMain.removeHandler(c)
  }
}
