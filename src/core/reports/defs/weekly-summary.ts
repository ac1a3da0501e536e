import type { ReportDefinition } from '../model'

/** Scaffolding: replaced by the real definition. */
export const weeklySummary: ReportDefinition = {
  name: 'weekly-summary',
  build() {
    throw new Error('The weekly-summary report is not built yet.')
  }
}
