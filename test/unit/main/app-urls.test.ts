/**
 * The coffer:// scheme without Electron: which pages count as the app's
 * own, which renderer file a request names, and which voucher PDFs the
 * viewer window may load (never through file://).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isAppPageUrl, rendererFile, voucherRequestFile, voucherResponse, voucherViewerUrl } from '../../../src/main/app-urls'
import { ProducedFiles } from '../../../src/main/produced-files'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

const DATA = path.resolve('/srv/coffer-data')
const url = (raw: string) => new URL(raw)

describe('isAppPageUrl: the app’s own page, by scheme and host', () => {
  it('is coffer://app/ only, not the viewer’s host nor any URL with an opaque origin', () => {
    expect(isAppPageUrl('coffer://app/index.html')).toBe(true)
    expect(isAppPageUrl('coffer://app/#/members')).toBe(true)
    for (const raw of [
      'coffer://vouchers/PV-1.pdf',
      'coffer://app.evil/index.html',
      'file:///etc/passwd',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      'about:blank',
      'blob:coffer://app/1234',
      'https://example.org/',
      'not a url',
      ''
    ]) {
      expect(isAppPageUrl(raw), raw).toBe(false)
    }
  })

  it('under npm run dev, also the dev server’s origin; a dev server URL that is not http(s) opens nothing', () => {
    const dev = 'http://localhost:5173/'
    expect(isAppPageUrl('http://localhost:5173/index.html', dev)).toBe(true)
    expect(isAppPageUrl('coffer://app/index.html', dev)).toBe(true)
    expect(isAppPageUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppPageUrl('http://127.0.0.1:5173/', dev)).toBe(false)
    expect(isAppPageUrl('file:///tmp/x.html', dev)).toBe(false)
    expect(isAppPageUrl('file:///tmp/x.html', 'file:///tmp/')).toBe(false)
    expect(isAppPageUrl('data:text/html,x', 'data:text/html,y')).toBe(false)
  })
})

describe('rendererFile: coffer://app/ serves out/renderer and nothing outside it', () => {
  const root = path.resolve('/opt/coffer/out/renderer')
  it('maps / to index.html and paths to files under the folder', () => {
    expect(rendererFile(root, url('coffer://app/'))).toBe(path.join(root, 'index.html'))
    expect(rendererFile(root, url('coffer://app/assets/index-1a2b.js'))).toBe(path.join(root, 'assets', 'index-1a2b.js'))
    expect(rendererFile(root, url('coffer://app/fonts/Noto%20Sans.woff2'))).toBe(path.join(root, 'fonts', 'Noto Sans.woff2'))
  })
  it('refuses a way out: encoded slashes and dots, backslashes, NUL, a bad escape, another host', () => {
    for (const raw of [
      'coffer://app/..%2f..%2fpackage.json',
      'coffer://app/%2e%2e%2f%2e%2e%2fpackage.json',
      'coffer://app/assets/..%5c..%5cpackage.json',
      'coffer://app/index.html%00.js',
      'coffer://app/%E0%A4%A',
      'coffer://vouchers/index.html',
      'file:///opt/coffer/out/renderer/index.html'
    ]) {
      expect(rendererFile(root, url(raw)), raw).toBeNull()
    }
    // The URL parser removes plain dot segments before the path is read.
    expect(rendererFile(root, url('coffer://app/../../package.json'))).toBe(path.join(root, 'package.json'))
  })
})

describe('voucher URLs: coffer://vouchers/<name>.pdf, a file directly in the vouchers folder', () => {
  it('names a voucher PDF by its file name, and reads the same file back', () => {
    for (const name of ['PV-2026-000001.pdf', 'vouchers-2026-11-22T09-00-00-3.pdf', 'a b#c%d?.pdf', 'Ünïcode.PDF']) {
      const file = path.join(DATA, 'vouchers', name)
      const viewer = voucherViewerUrl(file, DATA)
      expect(viewer, name).toMatch(/^coffer:\/\/vouchers\/[^/]+$/)
      expect(voucherRequestFile(url(viewer!), DATA)).toBe(file)
    }
  })
  it('has no URL for a file outside the vouchers folder, in a folder under it, or not a PDF', () => {
    for (const file of [
      path.join(DATA, 'exports', 'x.pdf'),
      path.join(DATA, 'vouchers', 'old', 'x.pdf'),
      path.join(DATA, 'vouchers', 'x.xlsx'),
      path.join(DATA, 'coffer.sqlite'),
      path.join(DATA, 'vouchers', '..', 'x.pdf')
    ]) {
      expect(voucherViewerUrl(file, DATA), file).toBeNull()
    }
  })
  it('refuses a request that names anything but one PDF in the vouchers folder', () => {
    for (const raw of [
      'coffer://vouchers/',
      'coffer://vouchers/..%2fcoffer.sqlite',
      'coffer://vouchers/..%2fexports%2fx.pdf',
      'coffer://vouchers/%2e%2e%2fbackups%2fx.pdf',
      'coffer://vouchers/..%5cx.pdf',
      'coffer://vouchers/old%2fx.pdf',
      'coffer://vouchers/old/x.pdf',
      'coffer://vouchers/x.pdf%00',
      'coffer://vouchers/x.pdf%00.pdf',
      'coffer://vouchers/%E0%A4%A.pdf',
      'coffer://vouchers/coffer.sqlite',
      'coffer://vouchers/..',
      'coffer://app/PV-1.pdf',
      'file:///srv/coffer-data/vouchers/PV-1.pdf'
    ]) {
      expect(voucherRequestFile(url(raw), DATA), raw).toBeNull()
    }
  })
})

describe('voucherResponse: what the viewer window gets', () => {
  function folder() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-viewer-'))
    dirs.push(dataDir)
    fs.mkdirSync(path.join(dataDir, 'vouchers'))
    fs.mkdirSync(path.join(dataDir, 'backups'))
    const produced = new ProducedFiles({ dataDir, databaseFile: 'coffer.sqlite', backupsDir: 'backups' })
    return { dataDir, produced }
  }

  it('a voucher Coffer wrote in this session: the PDF, typed, not sniffed, not cached', async () => {
    const { dataDir, produced } = folder()
    const file = path.join(dataDir, 'vouchers', 'PV-2026-000001.pdf')
    fs.writeFileSync(file, '%PDF-1.7\n%%EOF\n')
    produced.record(file)
    const res = await voucherResponse(url(voucherViewerUrl(file, dataDir)!), dataDir, produced)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-disposition')).toBe('inline; filename="PV-2026-000001.pdf"')
    expect(await res.text()).toBe('%PDF-1.7\n%%EOF\n')
  })

  it('404 for a PDF Coffer did not write in this session, one gone since, a link in its place, or a backup', async () => {
    const { dataDir, produced } = folder()
    const unknown = path.join(dataDir, 'vouchers', 'dropped-here.pdf')
    fs.writeFileSync(unknown, '%PDF')
    expect((await voucherResponse(url('coffer://vouchers/dropped-here.pdf'), dataDir, produced)).status).toBe(404)

    const gone = path.join(dataDir, 'vouchers', 'gone.pdf')
    fs.writeFileSync(gone, '%PDF')
    produced.record(gone)
    fs.rmSync(gone)
    expect((await voucherResponse(url('coffer://vouchers/gone.pdf'), dataDir, produced)).status).toBe(404)

    const backup = path.join(dataDir, 'backups', 'coffer.pdf')
    fs.writeFileSync(backup, 'SQLite format 3')
    const link = path.join(dataDir, 'vouchers', 'link.pdf')
    fs.symlinkSync(backup, link)
    produced.record(link)
    expect((await voucherResponse(url('coffer://vouchers/link.pdf'), dataDir, produced)).status).toBe(404)

    const traversal = await voucherResponse(url('coffer://vouchers/..%2fbackups%2fcoffer.pdf'), dataDir, produced)
    expect(traversal.status).toBe(404)
    expect(await traversal.text()).toBe('Not found')
  })
})
