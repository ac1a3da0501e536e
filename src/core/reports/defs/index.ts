/** Every report's definition, by name (the compiler checks none is missing). */
import type { ReportName } from '../../../shared/contract'
import type { ReportDefinition } from '../model'
import { monthlySummary } from './monthly-summary'
import { weeklySummary } from './weekly-summary'
import { paymentRegister } from './payment-register'
import { memberStatement } from './member-statement'
import { portfolio } from './portfolio'
import { withholdingTax } from './withholding-tax'
import { payrollRegister } from './payroll-register'
import { trialBalance } from './trial-balance'
import { accountStatement } from './account-statement'
import { seriesRegister } from './series-register'
import { couponLiability } from './coupon-liability'

export const REPORT_DEFINITIONS: Readonly<Record<ReportName, ReportDefinition>> = {
  'monthly-summary': monthlySummary,
  'weekly-summary': weeklySummary,
  'payment-register': paymentRegister,
  'member-statement': memberStatement,
  portfolio,
  'withholding-tax': withholdingTax,
  'payroll-register': payrollRegister,
  'trial-balance': trialBalance,
  'account-statement': accountStatement,
  'series-register': seriesRegister,
  'coupon-liability': couponLiability
}
