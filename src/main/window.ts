import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { BrowserWindow, app, net, protocol, session, shell, type WebContents } from 'electron'
import { isAllowedExternalUrl } from '../shared/external-links'
import { STRICT_CSP } from '../shared/csp'
import { rendererDir } from './paths'

/** The renderer is served from coffer://app/, never file://, so it cannot read the disk. */
export const APP_SCHEME = 'coffer'
export const APP_ORIGIN = `${APP_SCHEME}://app`


/** Must run before app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }
  ])
}

/** Serves out/renderer under coffer://app/ with the CSP as a header too; nothing outside that folder. */
export function serveRenderer(): void {
  const root = path.resolve(rendererDir())
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
    const file = path.resolve(root, `.${rel}`)
    if (url.host !== 'app' || (file !== root && !file.startsWith(root + path.sep))) {
      return new Response('Not found', { status: 404 })
    }
    const res = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(res.headers)
    headers.set('Content-Security-Policy', STRICT_CSP)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(res.body, { status: res.status, headers })
  })
}

/** The URL the window loads: the dev server under `npm run dev`, else the app scheme. */
export function startUrl(): string {
  const dev = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
  return dev ? dev : `${APP_ORIGIN}/index.html`
}

/** Is this URL the app's own page (and not some other page that found its way into a frame)? */
export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw)
    const start = new URL(startUrl())
    return url.origin === start.origin || (url.protocol === `${APP_SCHEME}:` && url.host === 'app')
  } catch {
    return false
  }
}

/** Denies every permission (camera, notifications through the web API, geolocation...). */
export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
}

/** Applied to every web contents: no webviews, no navigation away, no new windows. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-attach-webview', (e) => e.preventDefault())
  contents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault()
  })
  contents.on('will-redirect', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}

export function createMainWindow(title: string): BrowserWindow {
  const win = new BrowserWindow({
    title,
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !app.isPackaged
    }
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(startUrl())
  return win
}
