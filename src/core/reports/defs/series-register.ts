import type { ReportDefinition } from '../model'

/** Scaffolding: replaced by the real definition. */
export const seriesRegister: ReportDefinition = {
  name: 'series-register',
  build() {
    throw new Error('The series-register report is not built yet.')
  }
}
