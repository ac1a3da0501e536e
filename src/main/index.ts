import path from 'node:path'
import { app, BrowserWindow, Notification, powerMonitor } from 'electron'
import { BACKUPS_DIR, DATABASE_FILE, openCore, resolveDataDir, savedProfileLocale, type Core } from '../core'
import { consoleLogger } from '../core/platform/ipc/dispatcher'
import { migrationsFolder, nativeBinding, resourcesDir } from './paths'
import { wireIpc } from './ipc'
import { ProducedFiles } from './produced-files'
import { createMainWindow, hardenContents, hardenSession, registerAppScheme, serveAppScheme } from './window'

/**
 * The Electron shell: lifecycle, the single-instance lock, the hardened
 * window and the IPC wiring. Everything else is core.
 */
const dataDir = resolveDataDir(process.env, app.getPath('userData'))
if (process.env.COFFER_DATA_DIR) {
  // Separate data folders are separate instances (tests, a second cooperative).
  app.setPath('userData', path.join(dataDir, 'electron-profile'))
}

// Date boxes are drawn in the language Electron starts in: the cooperative's, once its profile is saved.
const profileLocale = savedProfileLocale({ dataDir, nativeBinding: nativeBinding() })
if (profileLocale) app.commandLine.appendSwitch('lang', profileLocale)

registerAppScheme()

// The files Coffer wrote for the operator at the window: the only ones opened or shown (in memory, per sign-in).
const produced = new ProducedFiles({ dataDir, databaseFile: DATABASE_FILE, backupsDir: BACKUPS_DIR })

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let win: BrowserWindow | null = null
  let core: Core | null = null
  let unwire: (() => void) | null = null

  app.on('second-instance', () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  })

  app.on('web-contents-created', (_e, contents) => hardenContents(contents))

  app
    .whenReady()
    .then(() => {
      hardenSession()
      serveAppScheme({ dataDir, produced })
      core = openCore({
        dataDir,
        migrationsFolder: migrationsFolder(),
        version: app.getVersion(),
        nativeBinding: nativeBinding(),
        resourcesDir: resourcesDir(),
        log: consoleLogger,
        // Built beside this file by electron-vite; runs jobs off the window's thread.
        workerScript: { file: path.join(__dirname, 'jobs-worker.js') },
        systemDefaults: () => ({
          timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
          locale: app.getLocale() || 'en-US',
          currency: 'USD'
        })
      })
      unwire = wireIpc({ core, window: () => win, dataDir, produced, log: consoleLogger })
      core.setDesktopNotifier((n) => {
        if (!Notification.isSupported()) throw new Error('This desktop has no notification service.')
        const note = new Notification({ title: n.title, body: n.body, urgency: n.kind === 'error' ? 'critical' : 'normal' })
        note.on('click', () => {
          if (!win) return
          if (win.isMinimized()) win.restore()
          win.show()
          win.focus()
        })
        note.show()
      })
      win = createMainWindow('Coffer')
      win.on('closed', () => {
        win = null
      })
      // Jobs whose time passed while the PC was off run now, once each; node-cron takes over from here.
      core.startScheduling()
      powerMonitor.on('resume', () => core?.resumed())
    })
    .catch((e: unknown) => {
      consoleLogger.error('Coffer failed to start', e)
      app.exit(1)
    })

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && core) win = createMainWindow('Coffer')
  })

  app.on('window-all-closed', () => {
    app.quit()
  })

  // Running jobs are stopped and recorded as interrupted before the file closes.
  let quitting = false
  app.on('before-quit', (e) => {
    if (quitting || !core) return
    e.preventDefault()
    quitting = true
    const closing = core
    core = null
    unwire?.()
    void closing
      .shutdown()
      .catch((err: unknown) => consoleLogger.error('shutdown failed', err))
      .finally(() => app.quit())
  })
}
