/**
 * The report on screen is read on a connection of its own, giving the event
 * loop turns (issue 15: the window never freezes): while a 24,000-row payment
 * register is being read for the screen, another call is answered first;
 * and what the screen shows is the same as a file made from the same data.
 */
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DATABASE_FILE, type Core } from '../../src/core'
import type { BondSeries, ReportView } from '../../src/shared/contract'
import { seedMembers } from '../support/seed-members'
import { REGISTER_SERIES, seedPaidCoupons } from '../support/seed-register'
import { PROFILE, tempCore, tempDir, value } from '../support/temp-core'

const MEMBERS = 1_000
const PER_HOLDING = 24
let core: Core
let dataDir: string

beforeAll(async () => {
  dataDir = tempDir('coffer-view-turns-')
  const first = tempCore({ dataDir })
  value(await first.core.invoke('profile.save', PROFILE))
  const series = value<BondSeries>(await first.core.invoke('bonds.createSeries', REGISTER_SERIES))
  await first.core.shutdown()
  const file = path.join(dataDir, DATABASE_FILE)
  seedMembers({ file, count: MEMBERS })
  expect(seedPaidCoupons(file, { seriesId: series.id, perHolding: PER_HOLDING, by: 'Seed' })).toBe(MEMBERS * PER_HOLDING)
  core = tempCore({ dataDir }).core
}, 120_000)
afterAll(async () => core?.shutdown())

it('another call is answered while the screen reads a long report, and the view counts and totals every row', async () => {
  // The definitions load on first use: loaded now, so the timer below falls inside the read itself.
  value(await core.invoke('reports.view', { name: 'trial-balance', params: { from: '2026-01-01', to: '2026-01-31' } }))
  const order: string[] = []
  const view = core.invoke('reports.view', { name: 'payment-register', params: { from: '2026-01-01', to: '2026-12-31' }, limit: 50 }).then((r) => {
    order.push('view')
    return r
  })
  // Asked 25 ms into the read (a timer: it fires only when the event loop gets a turn): answered before the view ends.
  const t0 = performance.now()
  const other = new Promise((resolve) => setTimeout(resolve, 25)).then(() => core.invoke('reports.settings', {})).then((r) => {
    order.push('settings')
    return r
  })
  const [v] = await Promise.all([view, other])
  // The read is long enough for the timer to fall inside it.
  expect(performance.now() - t0).toBeGreaterThan(100)
  expect(order).toEqual(['settings', 'view'])
  const shown = value<ReportView>(v)
  const payments = shown.tables[0]!
  expect(payments.rowCount).toBe(MEMBERS * PER_HOLDING)
  expect(payments.rows).toHaveLength(50)
  const gross = core.invoke('reports.view', { name: 'payment-register', params: { from: '2026-01-01', to: '2026-12-31' }, limit: 1 })
  expect(value<ReportView>(await gross).fingerprint).toBe(shown.fingerprint)
  expect(payments.totals!.cells[4]).toBeGreaterThan(0)
}, 60_000)
