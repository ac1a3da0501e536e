/**
 * What the reports spec seeds before the window opens: the cooperative,
 * two members each holding 10 units of UMJ-M (1,000.00 a unit, 12% a year
 * paid monthly, 15% withheld), the coupon job's payments, and the first
 * coupon of each (due 1 Feb 2025) paid on 3 Feb 2025 by bank transfer: a
 * payment register for February 2025 of two payments of 100.00 gross,
 * 15.00 tax and 85.00 net each. Tom the treasurer approves (so he exists);
 * Carol the clerk is added.
 */
import path from 'node:path'
import { DATABASE_FILE, openCore, type Core } from '../../../src/core'
import { seedMembers } from '../../support/seed-members'
import { REGISTER_SERIES, seedPaidCoupons } from '../../support/seed-register'
import { SERIES_2025 } from '../../support/series'
import { TEST_PASSWORD_COST, asOperator, prepareAndApprove, signedIn } from '../../support/operators'
import { CLERK, PROFILE, TREASURER, seedOperator } from './auth'
import { ok } from './payroll'
// The Excel writer, compiled now for the seeding core's inline export (see driver.ts on lazy modules).
import '../../../src/core/reports/xlsx'

export const FEB_2025 = { from: '2025-02-01', to: '2025-02-28' }
export const YEAR_2025 = { from: '2025-01-01', to: '2025-12-31' }

/**
 * The seeding core: the window's core (driver.ts's openAppCore) with its
 * jobs on this thread, so an export made while seeding needs no worker.
 */
function openSeedingCore(dataDir: string): Core {
  return signedIn(
    openCore({
      dataDir,
      migrationsFolder: path.resolve(__dirname, '../../../drizzle'),
      version: 'e2e',
      log: { error: () => undefined, warn: () => undefined, info: () => undefined },
      systemDefaults: () => ({ timeZone: 'Africa/Nairobi', locale: 'en-KE', currency: 'KES' }),
      passwordCost: TEST_PASSWORD_COST,
      inlineJobs: true
    })
  )
}

/**
 * With `exported`: Tom also exports the February register to Excel while
 * seeding (reports.export, waited for): Generated reports has a file
 * before the window opens. Answers the file's path, or null.
 */
export async function seedReportsBook(dataDir: string, opts: { exported?: boolean } = {}): Promise<string | null> {
  const core: Core = openSeedingCore(dataDir)
  let file: string | null = null
  try {
    await ok(core, 'profile.save', PROFILE)
    const series = await ok<{ id: number }>(core, 'bonds.createSeries', SERIES_2025)
    const jane = await ok<{ id: number }>(core, 'members.create', { memberNo: 'M-1', fullName: 'Jane Wanjiru', joinedOn: '2020-01-01' })
    const otieno = await ok<{ id: number }>(core, 'members.create', { memberNo: 'M-2', fullName: 'Peter Otieno', joinedOn: '2020-01-01' })
    for (const m of [jane, otieno]) await ok(core, 'bonds.buyHolding', { memberId: m.id, seriesId: series.id, units: 10, purchaseDate: '2025-01-01' })
    await ok(core, 'jobs.run', { jobId: 'coupons' })
    await core.jobs?.activeRun('coupons')
    const rows = (await ok<{ rows: Array<{ id: number; memberId: number; dueDate: string }> }>(core, 'payments.list', { limit: 500 })).rows
    const ids = [jane, otieno].map((m) => rows.filter((r) => r.memberId === m.id).sort((a, b) => a.dueDate.localeCompare(b.dueDate))[0]!.id)
    await prepareAndApprove(core, ids)
    await ok(core, 'payments.pay', { ids, paidOn: '2025-02-03', method: 'bank-transfer', reference: 'BT-0203' })
    await seedOperator(core, CLERK)
    if (opts.exported) {
      file = await asOperator(core, TREASURER, async () => {
        const { runId } = await ok<{ runId: number }>(core, 'reports.export', { name: 'payment-register', params: FEB_2025, format: 'xlsx' })
        for (let i = 0; i < 600; i++) {
          const s = await ok<{ status: string; error: string | null; generated: { file: string } | null }>(core, 'reports.exportStatus', { runId })
          if (s.status === 'succeeded') return s.generated!.file
          if (s.status !== 'running') throw new Error(`The seeding export ended ${s.status}: ${s.error}`)
          await new Promise((r) => setTimeout(r, 100))
        }
        throw new Error('The seeding export did not end within a minute')
      })
    }
  } finally {
    await core.shutdown()
  }
  return file
}

/** The year of the long register (seedLongRegister): every payment is paid in 2026. */
export const YEAR_2026 = { from: '2026-01-01', to: '2026-12-31' }

/**
 * A book whose payment register for 2026 is long enough that exporting it
 * to PDF takes several seconds in the e2e driver: the cooperative, Tom the
 * treasurer, one monthly series, then `members` members (seedMembers) with
 * a holding each and 20 paid half-monthly coupons apiece with their
 * vouchers, by raw INSERTs as test/bench/reports-export.bench.ts seeds them
 * (a core would take minutes). Answers how many payments were seeded.
 */
export async function seedLongRegister(dataDir: string, members: number): Promise<number> {
  const core: Core = openSeedingCore(dataDir)
  let seriesId: number
  try {
    await ok(core, 'profile.save', PROFILE)
    seriesId = (await ok<{ id: number }>(core, 'bonds.createSeries', REGISTER_SERIES)).id
    // Tom, a treasurer (asOperator creates him as one).
    await asOperator(core, TREASURER, async () => undefined)
  } finally {
    await core.shutdown()
  }
  const file = path.join(dataDir, DATABASE_FILE)
  seedMembers({ file, count: members })
  return seedPaidCoupons(file, { seriesId, perHolding: 20, by: 'Seed' })
}
