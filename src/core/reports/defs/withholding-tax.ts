import type { ReportDefinition } from '../model'

/** Scaffolding: replaced by the real definition. */
export const withholdingTax: ReportDefinition = {
  name: 'withholding-tax',
  build() {
    throw new Error('The withholding-tax report is not built yet.')
  }
}
