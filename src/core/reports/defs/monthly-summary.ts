import type { ReportDefinition } from '../model'

/** Scaffolding: replaced by the real definition. */
export const monthlySummary: ReportDefinition = {
  name: 'monthly-summary',
  build() {
    throw new Error('The monthly-summary report is not built yet.')
  }
}
