import type { ReportDefinition } from '../model'

/** Scaffolding: replaced by the real definition. */
export const accountStatement: ReportDefinition = {
  name: 'account-statement',
  build() {
    throw new Error('The account-statement report is not built yet.')
  }
}
