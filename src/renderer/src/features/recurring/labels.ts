/**
 * Words for the recurring contract's codes (src/shared/contract/recurring.ts):
 * options for the forms' selects and one label function per code. Keyed by
 * string so a value the contract gains later still shows, as itself.
 */
import {
  AMOUNT_KIND_OPTIONS,
  FREQUENCY_OPTIONS,
  FUNDS_POLICY_OPTIONS,
  HOLIDAY_RULE_OPTIONS,
  OCCURRENCE_STATUS_WORDS,
  ORDER_STATUS_OPTIONS,
  POST_MODE_OPTIONS,
  REVIEW_REASON_WORDS,
  RUN_OUTCOME_WORDS,
  TARGET_KIND_WORDS,
  TEMPLATE_STATUS_OPTIONS,
  optionWords
} from '../../../../shared/recurring-labels'

export {
  AMOUNT_KIND_OPTIONS,
  FREQUENCY_OPTIONS,
  FUNDS_POLICY_OPTIONS,
  HOLIDAY_RULE_OPTIONS,
  ORDER_STATUS_OPTIONS,
  POST_MODE_OPTIONS,
  TEMPLATE_STATUS_OPTIONS
}

const humanise = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, ' ') : s)
const label = (table: Readonly<Record<string, string>>) => (v: string | null | undefined) => (v ? (table[v] ?? humanise(v)) : '')
const toTable = optionWords

/** Frequencies whose dates fall on a day of the month (where "on the month's last day" means something). */
export const MONTH_END_FREQUENCIES: readonly string[] = ['monthly', 'quarterly', 'annually']

export const frequencyLabel = label(toTable(FREQUENCY_OPTIONS))
export const holidayRuleLabel = label(toTable(HOLIDAY_RULE_OPTIONS))
export const postModeLabel = label(toTable(POST_MODE_OPTIONS))
export const amountKindLabel = label(toTable(AMOUNT_KIND_OPTIONS))
export const fundsPolicyLabel = label(toTable(FUNDS_POLICY_OPTIONS))
export const templateStatusLabel = label(toTable(TEMPLATE_STATUS_OPTIONS))
export const orderStatusLabel = label(toTable(ORDER_STATUS_OPTIONS))
export const occurrenceStatusLabel = label(OCCURRENCE_STATUS_WORDS)
export const reviewReasonLabel = label(REVIEW_REASON_WORDS)
export const runOutcomeLabel = label(RUN_OUTCOME_WORDS)
export const targetKindLabel = label(TARGET_KIND_WORDS)

/** Badge class per status of a template, an order or an occurrence (the ui kit's badge tones). */
const TONES: Record<string, string> = {
  active: 'badge-active',
  posted: 'badge-active',
  'pending-approval': 'badge-warn',
  paused: 'badge-warn',
  generated: 'badge-info',
  failed: 'badge-warn',
  skipped: 'badge-inactive',
  completed: 'badge-inactive',
  cancelled: 'badge-inactive'
}
export const statusBadgeClass = (status: string): string => `badge ${TONES[status] ?? 'badge-inactive'}`
