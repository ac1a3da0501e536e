import type { ReportDefinition } from '../model'

/** Scaffolding: replaced by the real definition. */
export const trialBalance: ReportDefinition = {
  name: 'trial-balance',
  build() {
    throw new Error('The trial-balance report is not built yet.')
  }
}
