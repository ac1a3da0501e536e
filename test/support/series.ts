import { ManualClock, type Core } from '../../src/core'
import type { BondSeries, Holding, JobRun, Member } from '../../src/shared/contract'
import { jobCore } from './job-core'
import { value } from './temp-core'

/** A monthly 12% series with 15% withholding: the bond tests' common terms. */
export const SERIES = {
  code: 'UMJ-27',
  name: 'Umoja 12% 2027',
  faceValueMinor: 100_000, // KES 1,000.00 a unit
  couponRatePercent: '12',
  frequency: 'monthly',
  dayCount: '30/360',
  issueDate: '2026-01-01',
  maturityDate: '2027-01-01',
  firstCouponDate: null,
  endOfMonth: false,
  businessDay: 'unadjusted',
  withholdingTaxPercent: '15'
} as const

/** The same terms issued a year earlier and running to 2030: the end-to-end tests' series, paying through 2025. */
export const SERIES_2025 = {
  ...SERIES,
  code: 'UMJ-M',
  name: 'Umoja 12% monthly',
  issueDate: '2025-01-01',
  maturityDate: '2030-01-01'
} as const

/**
 * A core on a manual clock with the common series and one member (Jane
 * Wanjiru, M-1) holding 10 units bought on 16 Jan 2026; the core goes into
 * `cores` for the test file to shut down.
 */
export async function seriesWithHolding(cores: Core[], start = '2026-01-20T06:00:00Z') {
  const clock = new ManualClock(start)
  const t = await jobCore({ clock })
  cores.push(t.core)
  const { core } = t
  const series = value<BondSeries>(await core.invoke('bonds.createSeries', SERIES))
  const jane = value<Member>(await core.invoke('members.create', { memberNo: 'M-1', fullName: 'Jane Wanjiru', joinedOn: '2020-01-01' }))
  const holding = value<Holding>(
    await core.invoke('bonds.buyHolding', { memberId: jane.id, seriesId: series.id, units: 10, purchaseDate: '2026-01-16' })
  )
  return { ...t, series, jane, holding }
}

/** Runs a job now and waits for it to end: the finished run. */
export async function runJob(core: Core, jobId: string): Promise<JobRun> {
  const r = value<JobRun>(await core.invoke('jobs.run', { jobId }))
  return (await core.jobs!.activeRun(jobId)) ?? r
}
