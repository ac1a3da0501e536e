import type { ReportDefinition } from '../model'

/** Scaffolding: replaced by the real definition. */
export const couponLiability: ReportDefinition = {
  name: 'coupon-liability',
  build() {
    throw new Error('The coupon-liability report is not built yet.')
  }
}
