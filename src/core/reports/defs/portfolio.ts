import type { ReportDefinition } from '../model'

/** Scaffolding: replaced by the real definition. */
export const portfolio: ReportDefinition = {
  name: 'portfolio',
  build() {
    throw new Error('The portfolio report is not built yet.')
  }
}
