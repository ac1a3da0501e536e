import type { ReportDefinition } from '../model'

/** Scaffolding: replaced by the real definition. */
export const payrollRegister: ReportDefinition = {
  name: 'payroll-register',
  build() {
    throw new Error('The payroll-register report is not built yet.')
  }
}
