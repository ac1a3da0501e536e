import { HOLDING_STATUS_WORDS, PAYMENT_KIND_WORDS, PAYMENT_STATUS_WORDS, SERIES_STATUS_WORDS } from '../../../../shared/bond-labels'

/**
 * Words for the bond contract's enums. Keyed by string so a value the
 * contract gains later still shows, as itself.
 */
const humanise = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, ' ') : s)
const label = (table: Record<string, string>) => (v: string | null | undefined) => (v ? (table[v] ?? humanise(v)) : '')

export const FREQUENCY_OPTIONS = [
  { value: 'monthly', label: 'Monthly' },
  { value: 'quarterly', label: 'Quarterly' },
  { value: 'semi-annual', label: 'Semi-annual' },
  { value: 'annual', label: 'Annual' }
] as const

export const DAY_COUNT_OPTIONS = [
  { value: '30/360', label: '30/360 (US bond basis)' },
  { value: '30E/360', label: '30E/360 (Eurobond basis)' },
  { value: 'ACT/360', label: 'ACT/360' },
  { value: 'ACT/365F', label: 'ACT/365 Fixed' },
  { value: 'ACT/ACT-ISDA', label: 'ACT/ACT (ISDA)' },
  { value: 'ACT/ACT-ICMA', label: 'ACT/ACT (ICMA)' }
] as const

export const BUSINESS_DAY_OPTIONS = [
  { value: 'following', label: 'Following business day' },
  { value: 'modified-following', label: 'Modified following' },
  { value: 'preceding', label: 'Preceding business day' },
  { value: 'unadjusted', label: 'Unadjusted' }
] as const

export const PAYMENT_METHOD_OPTIONS = [
  { value: 'cash', label: 'Cash' },
  { value: 'bank-transfer', label: 'Bank transfer' },
  { value: 'cheque', label: 'Cheque' }
] as const

const toTable = (opts: ReadonlyArray<{ value: string; label: string }>) =>
  Object.fromEntries(opts.map((o) => [o.value, o.label])) as Record<string, string>

export const frequencyLabel = label(toTable(FREQUENCY_OPTIONS))
export const dayCountLabel = label(toTable(DAY_COUNT_OPTIONS))
export const businessDayLabel = label(toTable(BUSINESS_DAY_OPTIONS))
export const methodLabel = label(toTable(PAYMENT_METHOD_OPTIONS))

// The same words core writes into workbooks (src/shared/bond-labels.ts): one table per code.
export const seriesStatusLabel = label(SERIES_STATUS_WORDS)
export const holdingStatusLabel = label(HOLDING_STATUS_WORDS)
export const paymentStatusLabel = label(PAYMENT_STATUS_WORDS)
export const paymentKindLabel = label(PAYMENT_KIND_WORDS)

/** Badge class per status (the ui kit's badge tones). */
const TONES: Record<string, string> = {
  open: 'badge-active',
  active: 'badge-active',
  paid: 'badge-active',
  approved: 'badge-info',
  pending: 'badge-warn',
  closed: 'badge-inactive',
  matured: 'badge-inactive',
  redeemed: 'badge-inactive',
  cancelled: 'badge-inactive',
  voided: 'badge-warn'
}
export const statusBadgeClass = (status: string): string => `badge ${TONES[status] ?? 'badge-inactive'}`
