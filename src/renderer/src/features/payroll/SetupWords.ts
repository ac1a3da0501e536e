/**
 * Words for the payroll contract's set-up codes (src/shared/contract/payroll.ts):
 * staff statuses, component kinds and methods, rounding, and what a rate is
 * worked out on. Keyed by string so a value the contract gains later still
 * shows, as itself.
 */
import type { ComponentKind, ComponentMethod, Rounding, StaffStatus } from '../../../../shared/contract'

const humanise = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, ' ') : s)
const label = (table: Readonly<Record<string, string>>) => (v: string | null | undefined) => (v ? (table[v] ?? humanise(v)) : '')
const tableOf = (options: ReadonlyArray<{ value: string; label: string }>) => Object.fromEntries(options.map((o) => [o.value, o.label]))

export const STAFF_STATUS_OPTIONS: ReadonlyArray<{ value: StaffStatus; label: string }> = [
  { value: 'active', label: 'Active' },
  { value: 'suspended', label: 'Suspended' },
  { value: 'left', label: 'Left' }
]
export const staffStatusLabel = label(tableOf(STAFF_STATUS_OPTIONS))
const STAFF_TONES: Record<string, string> = { active: 'badge-active', suspended: 'badge-warn', left: 'badge-inactive' }
export const staffBadgeClass = (status: string): string => `badge ${STAFF_TONES[status] ?? 'badge-inactive'}`

export const STAFF_STATUS_HINTS: Record<string, string> = {
  active: 'Paid every period',
  suspended: 'Not paid until active again',
  left: 'Paid up to the leaving date, then never'
}

export const KIND_OPTIONS: ReadonlyArray<{ value: ComponentKind; label: string }> = [
  { value: 'earning', label: 'Earning' },
  { value: 'deduction', label: 'Deduction' },
  { value: 'employer', label: 'Employer contribution' }
]
export const kindLabel = label(tableOf(KIND_OPTIONS))

/** The components page's groups, in payslip order. */
export const KIND_GROUPS: ReadonlyArray<{ kind: ComponentKind; title: string; empty: string }> = [
  { kind: 'earning', title: 'Earnings', empty: 'No earnings yet: basic pay, allowances.' },
  { kind: 'deduction', title: 'Deductions', empty: 'No deductions yet: income tax, the staff’s share of pension, a loan repayment.' },
  { kind: 'employer', title: 'Employer contributions', empty: 'No employer contributions yet: the society’s share of pension or health insurance.' }
]

export const METHOD_OPTIONS: ReadonlyArray<{ value: ComponentMethod; label: string }> = [
  { value: 'fixed', label: 'Fixed amount' },
  { value: 'percentage', label: 'Percentage' },
  { value: 'bands', label: 'Bands (a table of rates)' }
]
export const methodLabel = label(tableOf(METHOD_OPTIONS))

export const ROUNDING_OPTIONS: ReadonlyArray<{ value: Rounding; label: string }> = [
  { value: 'half-up', label: 'Half up' },
  { value: 'half-even', label: 'Half even (banker’s)' },
  { value: 'down', label: 'Down' },
  { value: 'up', label: 'Up' }
]
export const roundingLabel = label(tableOf(ROUNDING_OPTIONS))

/** What each rounding does to a part of a cent, in a sentence (shown under the choice). */
export const ROUNDING_SENTENCES: Record<string, string> = {
  'half-up': 'To the nearest cent; exactly half a cent goes up (12.345 → 12.35).',
  'half-even': 'To the nearest cent; exactly half a cent goes to the even cent (12.345 → 12.34, 12.355 → 12.36).',
  down: 'Any part of a cent is dropped (12.349 → 12.34): the usual rule for income tax.',
  up: 'Any part of a cent makes a whole one (12.341 → 12.35).'
}

/** The bases a percentage or band table can be worked out on, besides an earning's own code. */
export const BASE_OPTIONS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'gross', label: 'Gross pay' },
  { value: 'basic', label: 'Basic pay' },
  { value: 'taxable', label: 'Taxable pay' }
]

/** Which flags mean something for a kind of component (the form shows only those). */
export const FLAGS_FOR: Record<ComponentKind, ReadonlyArray<'taxable' | 'preTax' | 'prorate' | 'statutory'>> = {
  earning: ['taxable', 'prorate'],
  deduction: ['preTax', 'statutory'],
  employer: ['statutory']
}

export const FLAG_WORDS: Record<'taxable' | 'preTax' | 'prorate' | 'statutory', { label: string; hint: string }> = {
  taxable: { label: 'Taxable', hint: 'Counts towards taxable pay' },
  preTax: { label: 'Before tax', hint: 'Taken off before taxable pay is worked out (a pension contribution)' },
  prorate: { label: 'Pro-rated', hint: 'A joiner or leaver mid-period gets the share of the days worked' },
  statutory: { label: 'Statutory', hint: 'Owed by law (income tax, pension, health insurance): on the statutory summary' }
}
