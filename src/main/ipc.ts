import path from 'node:path'
import { BrowserWindow, ipcMain, shell, type IpcMainInvokeEvent } from 'electron'
import { coreChannels, err, eventChannel, shellChannels, type Envelope } from '../shared/contract'
import { isAllowedExternalUrl } from '../shared/external-links'
import { createDispatcher, type Logger, type ShellHandlers } from '../core/platform/ipc/dispatcher'
import { DomainError } from '../core/platform/errors'
import type { Core } from '../core'
import { VOUCHERS_FOLDER, voucherViewerUrl } from './app-urls'
import { createCalls } from './calls'
import type { ProducedFiles } from './produced-files'
import { isAppUrl, openVoucherViewer } from './window'

/**
 * Wires the contract onto ipcMain. Core channels go to core; shell channels
 * (things only Electron can do) pass core's permission check, then are
 * answered here, validated by the same dispatcher (calls.ts). A sender that
 * is not the app's own window gets FORBIDDEN. Files are opened and shown
 * only when Coffer wrote them in this session (produced-files.ts).
 */
export function wireIpc(opts: {
  core: Core
  window: () => BrowserWindow | null
  dataDir: string
  produced: ProducedFiles
  log: Logger
}): () => void {
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
      const found = await opts.produced.check(file)
      if (!found.ok) throw new DomainError(found.code, found.message)
      return { opened: (await shell.openPath(found.file)) === '' }
    },
    'vouchers.print': async ({ paymentIds, printWithMissingGlyphs }) => {
      const made = await calls.core('vouchers.pdf', { paymentIds, printWithMissingGlyphs })
      if (!made.ok) throw new DomainError(made.error.code, made.error.message, made.error.fields)
      const { file } = made.value as { file: string }
      const found = await opts.produced.check(file, VOUCHERS_FOLDER)
      const url = found.ok ? voucherViewerUrl(found.file, opts.dataDir) : null
      if (!found.ok || url === null) {
        opts.log.error('vouchers.print: the PDF core wrote cannot be shown', { file, found })
        throw new DomainError('INTERNAL', `The vouchers were saved to ${file}, but Coffer could not show them. Open the file to print it.`)
      }
      // The PDF in its own window: Chromium's viewer prints through the system print dialog.
      await openVoucherViewer({ parent: opts.window(), url, title: path.basename(file) })
      return { printed: true, file }
    }
  }
  const calls = createCalls({ core: opts.core, shell: createDispatcher(shellHandlers, opts.log), produced: opts.produced })

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

  for (const c of coreChannels) ipcMain.handle(c, guard(calls.core, c))
  for (const c of shellChannels) ipcMain.handle(c, guard(calls.shell, c))

  const off = opts.core.onEvent((event, payload) => {
    const win = opts.window()
    if (win && !win.isDestroyed()) win.webContents.send(eventChannel(event), payload)
  })
  return () => {
    off()
    for (const c of [...coreChannels, ...shellChannels]) ipcMain.removeHandler(c)
  }
}
