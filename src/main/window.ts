import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { BrowserWindow, app, net, protocol, session, shell, type WebContents, type WebPreferences } from 'electron'
import { isAllowedExternalUrl } from '../shared/external-links'
import { STRICT_CSP } from '../shared/csp'
import { rendererDir } from './paths'
import { APP_HOST, APP_ORIGIN, APP_SCHEME, VOUCHERS_HOST, isAppPageUrl, parseUrl, rendererFile, voucherResponse } from './app-urls'
import type { ProducedFiles } from './produced-files'

/**
 * The app's own scheme, coffer:// (app-urls.ts): the renderer is served from
 * coffer://app/ and vouchers from coffer://vouchers/, never file://, so no
 * page can read the disk. Must run before app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }
  ])
}

/**
 * Serves the app's scheme: coffer://app/ is out/renderer with the CSP as a
 * header too, nothing outside that folder; coffer://vouchers/ is the voucher
 * PDFs Coffer wrote in this session (app-urls.ts), for the viewer window.
 */
export function serveAppScheme(opts: { dataDir: string; produced: ProducedFiles }): void {
  const root = path.resolve(rendererDir())
  protocol.handle(APP_SCHEME, async (request) => {
    const url = parseUrl(request.url)
    if (url?.host === VOUCHERS_HOST) return voucherResponse(url, opts.dataDir, opts.produced)
    const file = url?.host === APP_HOST ? rendererFile(root, url) : null
    if (file === null) return new Response('Not found', { status: 404 })
    const res = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(res.headers)
    headers.set('Content-Security-Policy', STRICT_CSP)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(res.body, { status: res.status, headers })
  })
}

/** The URL the window loads: the dev server under `npm run dev`, else the app scheme. */
export function startUrl(): string {
  const dev = devServerUrl()
  return dev ? dev : `${APP_ORIGIN}/index.html`
}

function devServerUrl(): string | undefined {
  return !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
}

/** Is this URL the app's own page (and not some other page that found its way into a frame)? */
export function isAppUrl(raw: string): boolean {
  return isAppPageUrl(raw, devServerUrl())
}

/** Denies every permission (camera, notifications through the web API, geolocation...). */
export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
}

/** Applied to every web contents: no webviews, no navigation away, no new windows, no devtools when packaged. */
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
  // webPreferences.devTools is off in packaged builds; this closes them for any contents made without it.
  if (app.isPackaged) contents.on('devtools-opened', () => contents.closeDevTools())
}

/** What every Coffer window runs with: isolated, sandboxed, no Node, devtools only in development. */
function hardenedPreferences(): WebPreferences {
  return {
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
    webPreferences: { ...hardenedPreferences(), preload: path.join(__dirname, '../preload/index.js') }
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(startUrl())
  return win
}

/**
 * A voucher PDF in its own window, through coffer://vouchers/ (never
 * file://): Chromium's viewer prints through the system print dialog. No
 * preload (it cannot reach Coffer's channels), Chromium's PDF viewer on
 * (plugins), and it goes nowhere else: no navigation, no new windows.
 */
export async function openVoucherViewer(opts: { parent: BrowserWindow | null; url: string; title: string }): Promise<void> {
  const viewer = new BrowserWindow({
    parent: opts.parent ?? undefined,
    width: 900,
    height: 1000,
    title: opts.title,
    autoHideMenuBar: true,
    webPreferences: { ...hardenedPreferences(), plugins: true }
  })
  const contents = viewer.webContents
  // Links inside the PDF included; redirects away from the app are refused for every window (hardenContents).
  contents.on('will-navigate', (e) => e.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  await viewer.loadURL(opts.url)
}
