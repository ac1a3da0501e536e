/**
 * Words for the recurring contract's codes (src/shared/contract/recurring.ts),
 * once for every place that shows them: the renderer's selects and badges,
 * the command line's run report, the Audit page's changes.
 */

export const FREQUENCY_OPTIONS = [
  { value: 'daily', label: 'Every day' },
  { value: 'weekly', label: 'Every week' },
  { value: 'biweekly', label: 'Every two weeks' },
  { value: 'monthly', label: 'Every month' },
  { value: 'quarterly', label: 'Every quarter' },
  { value: 'annually', label: 'Every year' }
] as const

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

export const OCCURRENCE_STATUS_WORDS: Readonly<Record<string, string>> = {
  generated: 'Generated',
  posted: 'Posted',
  skipped: 'Skipped',
  failed: 'Failed'
}

export const REVIEW_REASON_WORDS: Readonly<Record<string, string>> = {
  template: 'Waits for review',
  estimated: 'Estimated amount',
  'catch-up': 'Large catch-up'
}

/** What a run did with one occurrence (RunLine.outcome). */
export const RUN_OUTCOME_WORDS = {
  posted: 'Posted',
  generated: 'Generated ahead',
  review: 'To review',
  skipped: 'Skipped',
  failed: 'Failed'
} as const

/** Where a standing order's money goes (OrderTarget.kind). */
export const TARGET_KIND_WORDS: Readonly<Record<string, string>> = {
  'member-account': 'Another of the member’s accounts',
  account: 'A society account',
  bank: 'Out to a bank account'
}

/** A select's options as a code → words table. */
export const optionWords = (opts: ReadonlyArray<{ value: string; label: string }>): Readonly<Record<string, string>> =>
  Object.fromEntries(opts.map((o) => [o.value, o.label]))
