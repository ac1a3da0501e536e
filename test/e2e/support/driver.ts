import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { chromium, _electron, type Browser, type BrowserContext, type ElectronApplication, type Page } from '@playwright/test'
import { openCore, savedProfileLocale, type Core } from '../../../src/core'
import { ADMIN, TEST_PASSWORD_COST, signedIn } from '../../support/operators'
import { signIn, type Who } from './auth'
// Core loads these on first use (src/core/platform/lazy.ts): by import() in the
// built app, which Node cannot do for a .ts file, so here by require(). Playwright
// compiles TypeScript reliably only while it loads the spec files, so they are
// loaded now and the require() at first use finds them already compiled.
import '../../../src/core/payments/voucher-pdf'
import '../../../src/core/bonds/portfolio-export'
import '../../../src/core/audit/export'
import '../../../src/core/payroll/payslip-pdf'
import '../../../src/core/payroll/statutory-pdf'
import '../../../src/core/payroll/register-export'
import '../../../src/core/reports/defs'
import '../../../src/core/reports/xlsx'
import '../../../src/core/reports/pdf'
import { createDispatcher } from '../../../src/core/platform/ipc/dispatcher'
import { contract, createBridge, channels, eventChannel, eventNames, isChannel } from '../../../src/shared/contract'

const ROOT = path.resolve(__dirname, '../../..')
const RENDERER = path.join(ROOT, 'out', 'renderer')
const MIGRATIONS = path.join(ROOT, 'drizzle')
/** The origin the Chromium driver serves the built renderer from (intercepted, never resolved). */
export const TEST_ORIGIN = 'http://app.coffer.test'

export type DriverKind = 'electron' | 'chromium'

/** The Electron executable if its binary was downloaded at install, else null. */
export function electronExecutable(): string | null {
  const dir = path.join(ROOT, 'node_modules', 'electron')
  const pathFile = path.join(dir, 'path.txt')
  if (!fs.existsSync(pathFile)) return null
  const exe = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim())
  return fs.existsSync(exe) ? exe : null
}

export function driverKind(): DriverKind {
  const forced = process.env.COFFER_E2E_DRIVER
  if (forced === 'electron' || forced === 'chromium') return forced
  return electronExecutable() ? 'electron' : 'chromium'
}

export function chromiumExecutable(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)
  for (const c of candidates) if (c && fs.existsSync(c)) return c
  throw new Error('No Chromium found: install Debian\'s chromium (apt-get install chromium) or set CHROMIUM_PATH.')
}

export interface AppHandle {
  readonly kind: DriverKind
  readonly dataDir: string
  readonly page: Page
  /**
   * Closes the app (or the core) and starts it again on the same data folder;
   * signs in as `signIn` (default: Ada, the administrator, when the book has
   * operators; false: stay on the sign-in screen).
   */
  restart(opts?: { signIn?: Who | false }): Promise<Page>
  close(): Promise<void>
}

export interface LaunchOptions {
  /** Runs on the data folder before the app starts (seed a file, damage it...). */
  prepare?: (dataDir: string) => void | Promise<void>
  /**
   * Who signs in through the sign-in screen once the window is up. Default:
   * Ada, the administrator (test/support/operators.ts's ADMIN), when the book
   * has operators (a core from openTestCore made her); false leaves the
   * window on the sign-in screen. A new book shows the first launch instead.
   */
  signIn?: Who | false
}

function requireBuild(): void {
  if (!fs.existsSync(path.join(RENDERER, 'index.html'))) {
    throw new Error('The app is not built: run `npm run build` before the end-to-end tests.')
  }
}

export function newDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-e2e-'))
}

/** Whether the data folder's book has operators (somebody must sign in), read without opening a core. */
export function bookHasOperators(dataDir: string): boolean {
  const file = path.join(dataDir, 'coffer.sqlite')
  if (!fs.existsSync(file)) return false
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true })
    try {
      return (db.prepare('SELECT count(*) FROM operators').pluck().get() as number) > 0
    } finally {
      db.close()
    }
  } catch {
    return false
  }
}

// ---------------------------------------------------------------- Electron
type Started = Omit<AppHandle, 'restart'> & { restart(): Promise<Page> }

async function launchElectron(dataDir: string): Promise<Started> {
  const executablePath = electronExecutable()
  if (!executablePath) throw new Error('COFFER_E2E_DRIVER=electron but the Electron binary is not installed.')
  let app: ElectronApplication
  let page: Page
  const start = async () => {
    app = await _electron.launch({
      executablePath,
      args: [path.join(ROOT, 'out', 'main', 'index.js')],
      env: { ...process.env, COFFER_DATA_DIR: dataDir } as Record<string, string>
    })
    page = await app.firstWindow()
    return page
  }
  await start()
  return {
    kind: 'electron',
    dataDir,
    get page() {
      return page
    },
    async restart() {
      await app.close()
      return start()
    },
    async close() {
      await app.close()
    }
  }
}

// ---------------------------------------------------------------- Chromium
let sharedBrowser: Browser | null = null
async function browser(): Promise<Browser> {
  if (sharedBrowser?.isConnected()) return sharedBrowser
  sharedBrowser = await chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run'
    ]
  })
  return sharedBrowser
}

export async function closeSharedBrowser(): Promise<void> {
  await sharedBrowser?.close()
  sharedBrowser = null
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json'
}

/**
 * The renderer as the app serves it, with window.coffer built by the same
 * createBridge the preload uses; its transport is a Playwright binding into a
 * real core in this process, refusing frames that are not the app's page
 * (as main does).
 */
async function launchChromium(dataDir: string): Promise<Started> {
  let core: Core = openAppCore(dataDir)
  const noShell = createDispatcher({})
  // As the app does (src/main/index.ts): the window starts in the profile's saved language, so date boxes read as the cooperative writes dates.
  const locale = savedProfileLocale({ dataDir })
  const context: BrowserContext = await (await browser()).newContext({ viewport: { width: 1280, height: 820 }, ...(locale ? { locale } : {}) })
  await context.route(`${TEST_ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url())
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
    const file = path.resolve(RENDERER, `.${rel}`)
    if (!file.startsWith(RENDERER + path.sep) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'Not found' })
    return route.fulfill({
      status: 200,
      body: fs.readFileSync(file),
      headers: { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' }
    })
  })
  await context.route(/^(?!http:\/\/app\.coffer\.test\/).*/, (route) => route.abort('blockedbyclient'))
  await context.exposeBinding('__cofferBridgeInvoke', async (source, channel: unknown, input: unknown) => {
    if (new URL(source.frame.url()).origin !== TEST_ORIGIN || source.frame !== source.page.mainFrame()) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not use Coffer.' } }
    }
    // As main does: the permission check first (signed out, locked or not allowed), then no shell here.
    if (isChannel(channel) && contract[channel].host === 'shell') return core.authorize(channel) ?? noShell(channel, input)
    return core.invoke(String(channel), input)
  })
  await context.addInitScript({
    content: `(() => {
      const createBridge = ${createBridge.toString()};
      const handlers = new Map();
      window.__cofferDeliver = (channel, payload) => {
        for (const h of handlers.get(channel) || []) h(payload);
      };
      const transport = {
        invoke: (channel, input) => window.__cofferBridgeInvoke(channel, input),
        listen: (channel, handler) => {
          if (!handlers.has(channel)) handlers.set(channel, new Set());
          handlers.get(channel).add(handler);
          return () => handlers.get(channel).delete(handler);
        }
      };
      Object.defineProperty(window, 'coffer', {
        value: Object.freeze(createBridge(transport, ${JSON.stringify(channels)}, ${JSON.stringify(eventNames)})),
        writable: false,
        configurable: false
      });
    })();`
  })
  const page = await context.newPage()
  const forward = () =>
    core.onEvent((event, payload) => {
      void page
        .evaluate(([c, p]) => (globalThis as unknown as { __cofferDeliver(c: string, p: unknown): void }).__cofferDeliver(c, p), [
          eventChannel(event),
          payload
        ] as const)
        .catch(() => undefined)
    })
  let stopForwarding = forward()
  await page.goto(`${TEST_ORIGIN}/index.html`)
  return {
    kind: 'chromium',
    dataDir,
    page,
    async restart() {
      stopForwarding()
      core.close()
      core = openAppCore(dataDir)
      stopForwarding = forward()
      await page.goto(`${TEST_ORIGIN}/index.html`)
      return page
    },
    async close() {
      stopForwarding()
      await context.close()
      core.close()
    }
  }
}

/** The core the Chromium window talks to: nobody signed in, as the app starts. */
function openAppCore(dataDir: string): Core {
  return openCore({
    dataDir,
    migrationsFolder: MIGRATIONS,
    version: 'e2e',
    log: { error: () => undefined, warn: () => undefined, info: () => undefined },
    systemDefaults: () => ({ timeZone: 'Africa/Nairobi', locale: 'en-KE', currency: 'KES' }),
    passwordCost: TEST_PASSWORD_COST
  })
}

/**
 * A core on the data folder for a test to prepare it with (before the app
 * starts), signed in as Ada the administrator (created on a new book, as
 * test cores are: test/support/operators.ts). Shut it down before launch.
 */
export function openTestCore(dataDir: string): Core {
  return signedIn(openAppCore(dataDir))
}

async function signInIfAsked(page: Page, dataDir: string, who: Who | false | undefined): Promise<void> {
  if (who === false) return
  if (who === undefined && !bookHasOperators(dataDir)) return
  await signIn(page, who ?? ADMIN)
}

export async function launchApp(opts: LaunchOptions = {}): Promise<AppHandle> {
  requireBuild()
  const dataDir = newDataDir()
  await opts.prepare?.(dataDir)
  const started = driverKind() === 'electron' ? await launchElectron(dataDir) : await launchChromium(dataDir)
  await signInIfAsked(started.page, dataDir, opts.signIn)
  return {
    kind: started.kind,
    dataDir,
    get page() {
      return started.page
    },
    async restart(again = {}) {
      const page = await started.restart()
      await signInIfAsked(page, dataDir, again.signIn)
      return page
    },
    close: () => started.close()
  }
}
