/**
 * The window's calls after the sender check (src/main/calls.ts), on a real
 * core: shell channels pass core's permission check before their handler
 * runs; the files producing channels answer are remembered, and forgotten
 * when the operator changes. The shell handlers here are a real dispatcher
 * over handlers that note they ran (Electron's shell is not needed to see
 * whether the handler was reached).
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../../src/core'
import { BACKUPS_DIR, DATABASE_FILE } from '../../../src/core'
import { createDispatcher, type ShellHandlers } from '../../../src/core/platform/ipc/dispatcher'
import type { Payment } from '../../../src/shared/contract'
import { createCalls } from '../../../src/main/calls'
import { ProducedFiles } from '../../../src/main/produced-files'
import { VOUCHERS_FOLDER, voucherResponse, voucherViewerUrl } from '../../../src/main/app-urls'
import { PROFILE, quietLogger, tempCore, value } from '../../support/temp-core'
import { ADMIN, asOperator, prepareAndApprove } from '../../support/operators'
import { runJob, seriesWithHolding } from '../../support/series'

const cores: Core[] = []
afterEach(async () => {
  for (const c of cores.splice(0)) await c.shutdown()
})

const AUDITOR = { name: 'Aggie Auditor', username: 'aggie', password: 'ledger lantern quill', role: 'auditor' }

function wired(core: Core, dataDir: string) {
  const ran: string[] = []
  const handlers: ShellHandlers = {
    'app.openExternal': () => (ran.push('app.openExternal'), { opened: false }),
    'app.showDataFolder': () => (ran.push('app.showDataFolder'), { opened: false }),
    'app.openFile': () => (ran.push('app.openFile'), { opened: true }),
    'vouchers.print': () => (ran.push('vouchers.print'), { printed: true, file: 'x.pdf' })
  }
  const produced = new ProducedFiles({ dataDir, databaseFile: DATABASE_FILE, backupsDir: BACKUPS_DIR })
  const calls = createCalls({ core, shell: createDispatcher(handlers, quietLogger), produced })
  return { calls, ran, produced }
}

async function ready() {
  const t = tempCore()
  cores.push(t.core)
  value(await t.core.invoke('profile.save', PROFILE))
  return { ...t, ...wired(t.core, t.dataDir) }
}

describe('shell channels pass core’s permission check first', () => {
  it('runs the handler for an operator allowed to', async () => {
    const { calls, ran } = await ready()
    expect(await calls.shell('app.openFile', { file: 'x.pdf' })).toEqual({ ok: true, value: { opened: true } })
    expect(await calls.shell('vouchers.print', { paymentIds: [1] })).toMatchObject({ ok: true })
    expect(ran).toEqual(['app.openFile', 'vouchers.print'])
  })

  it('signed out: UNAUTHENTICATED, and no handler runs', async () => {
    const { core, calls, ran } = await ready()
    value(await core.invoke('auth.signOut'))
    for (const channel of ['app.openFile', 'vouchers.print', 'app.showDataFolder']) {
      expect(await calls.shell(channel, { file: 'x.pdf', paymentIds: [1] })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    }
    expect(ran).toEqual([])
  })

  it('the screen locked: LOCKED, and no handler runs', async () => {
    const { core, calls, ran } = await ready()
    value(await core.invoke('auth.lock'))
    expect(await calls.shell('app.openFile', { file: 'x.pdf' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } })
    expect(ran).toEqual([])
  })

  it('an auditor may open files but not print vouchers (payments.prepare) nor open the data folder (settings)', async () => {
    const { core, calls, ran } = await ready()
    await asOperator(core, AUDITOR, async () => {
      expect(await calls.shell('vouchers.print', { paymentIds: [1] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await calls.shell('app.showDataFolder', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await calls.shell('app.openFile', { file: 'x.pdf' })).toMatchObject({ ok: true })
    })
    expect(ran).toEqual(['app.openFile'])
  })

  it('the permission check comes before the input is read', async () => {
    const { core, calls, ran } = await ready()
    value(await core.invoke('auth.signOut'))
    expect(await calls.shell('app.openFile', { nonsense: true })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(await calls.shell('no.such.channel', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })
    expect(ran).toEqual([])
  })
})

describe('files core answers are remembered for the operator who asked', () => {
  it('an audit export opens until an operator signs in or out', async () => {
    const { core, calls, produced } = await ready()
    const out = value<{ file: string }>(await calls.core('audit.export', {}))
    expect(await produced.check(out.file)).toMatchObject({ ok: true, contentType: expect.stringContaining('spreadsheetml') })
    // The data file sits beside it; nobody answered it, and it is never opened anyway.
    expect(await produced.check(path.join(path.dirname(path.dirname(out.file)), DATABASE_FILE))).toMatchObject({ ok: false, code: 'FORBIDDEN' })

    await asOperator(core, AUDITOR, async () => {
      // The sign-in went straight to core (asOperator), not through the window: the file is still known.
      expect(produced.size).toBe(1)
      value(await calls.core('auth.signIn', { username: AUDITOR.username, password: AUDITOR.password }))
      expect(await produced.check(out.file)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    })
    value(await calls.core('auth.signIn', { username: ADMIN.username, password: ADMIN.password }))
    expect(produced.size).toBe(0)
  })

  it('a voucher core printed is served to the viewer from the vouchers folder as a PDF; after sign-out, not at all', async () => {
    const { core, dataDir, clock } = await seriesWithHolding(cores)
    const { calls, produced } = wired(core, dataDir)
    clock.set('2026-03-02T06:00:00Z')
    await runJob(core, 'coupons')
    const ids = value<{ rows: Payment[] }>(await core.invoke('payments.list', {})).rows.slice(0, 1).map((p) => p.id)
    expect(ids).toHaveLength(1)
    await prepareAndApprove(core, ids)
    value(await core.invoke('payments.pay', { ids, paidOn: '2026-03-02', method: 'cash', reference: null }))

    const made = value<{ file: string }>(await calls.core('vouchers.pdf', { paymentIds: ids }))
    expect(path.dirname(made.file)).toBe(path.join(dataDir, VOUCHERS_FOLDER))
    const viewer = voucherViewerUrl(made.file, dataDir)
    expect(viewer).toBe(`coffer://vouchers/${encodeURIComponent(path.basename(made.file))}`)
    const res = await voucherResponse(new URL(viewer!), dataDir, produced)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    const body = Buffer.from(await res.arrayBuffer())
    expect(body.subarray(0, 5).toString()).toBe('%PDF-')
    expect(body.equals(fs.readFileSync(made.file))).toBe(true)

    value(await calls.core('auth.signOut', {}))
    expect((await voucherResponse(new URL(viewer!), dataDir, produced)).status).toBe(404)
  })
})
