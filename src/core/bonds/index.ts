/**
 * Bonds: series, holdings, coupon schedules and amounts, accrued interest,
 * the coupon and maturity jobs, the member's portfolio and its Excel export.
 */
import path from 'node:path'
import { conflict } from '../platform/errors'
import { defineModule, type ModuleEnv } from '../platform/module'
import { BondsService } from './service'
import { couponsJob } from './coupons-job'
import { maturityJob } from './maturity-job'
import { memberHoldsBonds } from './warnings'
import { lazyModule } from '../platform/lazy'

/** The workbook writer and exceljs: loaded when a portfolio is first exported. */
const loadPortfolioExport = lazyModule(
  () => import('./portfolio-export'),
  { from: __filename, path: './portfolio-export' }
)

export { bondSeries, bondHoldings } from './schema'
export { BondsService }
export { couponsJob, maturityJob }
/** The accrual and its inputs, for readers outside the area (the coupon liability and portfolio reports). */
export { accruedAmount, loadSeries, seriesSchedule, COUPON_ROUNDING, type Period, type SeriesTerms } from './coupons'

declare module '../platform/module' {
  interface Areas {
    bonds: BondsService
  }
}

/** The member's portfolio as a workbook in the data folder's exports folder. exceljs loads only when asked. */
async function exportPortfolio(env: ModuleEnv, bonds: BondsService, memberId: number): Promise<{ file: string }> {
  const data = bonds.memberPortfolio(memberId)
  const member = env.areas.members.get(memberId).member
  const profile = env.areas.profile.get()
  if (!profile) throw conflict("Set up the cooperative's profile first.")
  const safe = member.memberNo.replace(/[^A-Za-z0-9._-]/g, '_')
  const file = path.join(env.dataDir, 'exports', `portfolio-${safe}-${data.asOf}.xlsx`)
  const { writePortfolioWorkbook } = await loadPortfolioExport()
  await writePortfolioWorkbook(file, profile, { ...data, member, series: bonds.listSeries() })
  return { file }
}

export const bondsModule = defineModule({
  name: 'bonds',
  prefixes: ['bonds'],
  jobs: [couponsJob, maturityJob],
  create: (env) => {
    const bonds = new BondsService(env.ctx, env.areas)
    env.areas.members.warnBeforeDeactivating((m) => {
      const held = bonds.activeUnitsBySeries(m.id)
      return held.length > 0 ? memberHoldsBonds(m, held, env.areas.profile.get()) : null
    })
    return bonds
  },
  handlers: (bonds, env) => ({
    'bonds.listSeries': () => bonds().listSeries(),
    'bonds.getSeries': ({ id }) => bonds().getSeries(id),
    'bonds.createSeries': (v) => bonds().createSeries(v),
    'bonds.previewSchedule': (v) => bonds().preview(v),
    'bonds.buyHolding': ({ memberId, seriesId, units, purchaseDate, acknowledge }) =>
      bonds().buy(memberId, seriesId, units, purchaseDate, acknowledge),
    'bonds.redeemHolding': ({ id, expectedVersion, redeemedOn }) => bonds().redeem(id, expectedVersion, redeemedOn),
    'bonds.listHoldings': (q) => bonds().listHoldings(q),
    'bonds.accrued': ({ holdingId, asOf }) => bonds().accrued(holdingId, asOf),
    'bonds.memberPortfolio': ({ memberId }) => bonds().memberPortfolio(memberId),
    'bonds.exportPortfolio': ({ memberId }) => exportPortfolio(env, bonds(), memberId),
    'bonds.maturities': ({ withinDays }) => bonds().maturities(withinDays),
    'bonds.getSettings': () => bonds().settings(),
    'bonds.saveSettings': (v) => bonds().saveSettings(v),
    'bonds.setSeriesStatus': ({ id, status }) => bonds().setSeriesStatus(id, status)
  })
})
