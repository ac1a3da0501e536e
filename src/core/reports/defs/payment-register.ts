import type { ReportDefinition } from '../model'

/** Scaffolding: replaced by the real definition. */
export const paymentRegister: ReportDefinition = {
  name: 'payment-register',
  build() {
    throw new Error('The payment-register report is not built yet.')
  }
}
