/**
 * Words for the recurring contract's codes (src/shared/contract/recurring.ts):
 * options for the forms' selects and one label function per code. Keyed by
 * string so a value the contract gains later still shows, as itself.
 */
const humanise = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, ' ') : s)
const label = (table: Record<string, string>) => (v: string | null | undefined) => (v ? (table[v] ?? humanise(v)) : '')
const toTable = (opts: ReadonlyArray<{ value: string; label: string }>) =>
  Object.fromEntries(opts.map((o) => [o.value, o.label])) as Record<string, string>

export const FREQUENCY_OPTIONS = [
  { value: 'daily', label: 'Every day' },
  { value: 'weekly', label: 'Every week' },
  { value: 'biweekly', label: 'Every two weeks' },
  { value: 'monthly', label: 'Every month' },
  { value: 'quarterly', label: 'Every quarter' },
  { value: 'annually', label: 'Every year' }
] as const

/** Frequencies whose dates fall on a day of the month (where "on the month's last day" means something). */
export const MONTH_END_FREQUENCIES: readonly string[] = ['monthly', 'quarterly', 'annually']

export const HOLIDAY_RULE_OPTIONS = [
  { value: 'none', label: 'Keep the date' },
  { value: 'before', label: 'Previous business day' },
  { value: 'after', label: 'Next business day' }
] as const

export const POST_MODE_OPTIONS = [
  { value: 'auto', label: 'Posts by itself' },
  { value: 'review', label: 'Waits for review' }
] as const

export const AMOUNT_KIND_OPTIONS = [
  { value: 'fixed', label: 'Fixed' },
  { value: 'estimated', label: 'Estimated' }
] as const

export const FUNDS_POLICY_OPTIONS = [
  { value: 'skip', label: 'Skip this payment' },
  { value: 'retry', label: 'Retry daily' },
  { value: 'partial', label: 'Pay what is available' }
] as const

export const TEMPLATE_STATUS_OPTIONS = [
  { value: 'active', label: 'Active' },
  { value: 'paused', label: 'Paused' },
  { value: 'completed', label: 'Completed' },
  { value: 'cancelled', label: 'Cancelled' }
] as const

export const ORDER_STATUS_OPTIONS = [
  { value: 'pending-approval', label: 'Awaiting approval' },
  { value: 'active', label: 'Active' },
  { value: 'paused', label: 'Paused' },
  { value: 'completed', label: 'Completed' },
  { value: 'cancelled', label: 'Cancelled' }
] as const

const OCCURRENCE_STATUS_WORDS: Record<string, string> = {
  generated: 'Generated',
  posted: 'Posted',
  skipped: 'Skipped',
  failed: 'Failed'
}

const REVIEW_REASON_WORDS: Record<string, string> = {
  template: 'Waits for review',
  estimated: 'Estimated amount',
  'catch-up': 'Large catch-up'
}

/** What a run did with one occurrence (RunLine.outcome). */
const RUN_OUTCOME_WORDS: Record<string, string> = {
  posted: 'Posted',
  generated: 'Generated ahead',
  review: 'To review',
  skipped: 'Skipped',
  failed: 'Failed'
}

/** Where a standing order's money goes (OrderTarget.kind). */
const TARGET_KIND_WORDS: Record<string, string> = {
  'member-account': 'Another of the member’s accounts',
  account: 'A society account',
  bank: 'Out to a bank account'
}

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
