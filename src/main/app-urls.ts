import path from 'node:path'
import { readProducedFile, type ProducedFiles } from './produced-files'

/**
 * The app's own scheme, coffer://, without Electron (src/main/window.ts
 * registers and serves it):
 * - coffer://app/… is the built renderer (out/renderer), nothing outside it;
 * - coffer://vouchers/<name>.pdf is a voucher PDF core wrote into the data
 *   folder's vouchers folder in this session, for the voucher viewer window.
 * Two hosts of a standard scheme are two origins: the viewer cannot reach
 * the app's page, and the page (CSP connect-src 'self') cannot fetch PDFs.
 */
export const APP_SCHEME = 'coffer'
export const APP_HOST = 'app'
export const VOUCHERS_HOST = 'vouchers'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
/** Where core writes vouchers (src/core/payments/index.ts: `<data folder>/vouchers`). */
export const VOUCHERS_FOLDER = 'vouchers'

export function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw)
  } catch {
    return null
  }
}

/**
 * Is this the app's own page: coffer://app/…, or under `npm run dev` the dev
 * server's http(s) origin? Compared by scheme and host, never by `origin`:
 * Node gives every URL of a non-http scheme (file:, data:, coffer:) the same
 * opaque origin "null", which would let any of them pass.
 */
export function isAppPageUrl(raw: string, devServerUrl?: string): boolean {
  const url = parseUrl(raw)
  if (!url) return false
  if (url.protocol === `${APP_SCHEME}:`) return url.host === APP_HOST
  if (!devServerUrl) return false
  const dev = parseUrl(devServerUrl)
  return !!dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && url.origin === dev.origin
}

/** A request's path decoded, or null when it cannot be (a lone %, a NUL, a backslash). */
function decodedPath(url: URL): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  return decoded.includes('\0') || decoded.includes('\\') ? null : decoded
}

/** The file under `root` a coffer://app/ request names (/ is index.html), or null when it is outside it. */
export function rendererFile(root: string, url: URL): string | null {
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  const rel = decodedPath(url)
  if (rel === null) return null
  const base = path.resolve(root)
  const file = path.resolve(base, `.${rel === '/' ? '/index.html' : rel}`)
  return file.startsWith(base + path.sep) ? file : null
}

/** coffer://vouchers/<name> for a PDF directly in the vouchers folder, else null. */
export function voucherViewerUrl(file: string, dataDir: string): string | null {
  const resolved = path.resolve(file)
  const name = path.basename(resolved)
  if (path.dirname(resolved) !== path.resolve(dataDir, VOUCHERS_FOLDER) || path.extname(name).toLowerCase() !== '.pdf') return null
  return `${APP_SCHEME}://${VOUCHERS_HOST}/${encodeURIComponent(name)}`
}

/**
 * The voucher a coffer://vouchers/ request names: one plain file name (no
 * folder, no "..", no backslash or NUL, ending .pdf) directly in the
 * vouchers folder; null for anything else.
 */
export function voucherRequestFile(url: URL, dataDir: string): string | null {
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== VOUCHERS_HOST) return null
  const decoded = decodedPath(url)
  if (decoded === null || !decoded.startsWith('/')) return null
  const name = decoded.slice(1)
  if (name === '' || name === '.' || name === '..' || name.includes('/') || path.extname(name).toLowerCase() !== '.pdf') return null
  const folder = path.resolve(dataDir, VOUCHERS_FOLDER)
  const file = path.resolve(folder, name)
  return path.dirname(file) === folder && path.basename(file) === name ? file : null
}

const notFound = (): Response => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/**
 * Answers a coffer://vouchers/ request: the PDF when core wrote it in this
 * session (ProducedFiles) and it is still a plain file inside the vouchers
 * folder, else 404. Never cached: a reprint rewrites the same file (COPY).
 */
export async function voucherResponse(url: URL, dataDir: string, produced: ProducedFiles): Promise<Response> {
  const file = voucherRequestFile(url, dataDir)
  if (file === null) return notFound()
  const checked = await produced.check(file, VOUCHERS_FOLDER)
  if (!checked.ok || checked.contentType !== 'application/pdf') return notFound()
  let body: Buffer
  try {
    body = await readProducedFile(checked.file)
  } catch {
    return notFound()
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': checked.contentType,
      'Content-Length': String(body.length),
      'Content-Disposition': `inline; filename="${path.basename(checked.file).replace(/[^\w.-]/g, '_')}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store'
    }
  })
}
