/**
 * Words for the bond contract's codes, for anything people read that core
 * writes (workbooks, vouchers, messages). Exhaustive per enum: a code the
 * contract gains is a compile error here until it has its words.
 *
 * Pure module: no Node built-ins, no Electron.
 */
import type { z } from 'zod'
import type { CouponFrequency, HoldingStatus, PaymentKind, PaymentMethod, PaymentStatus, SeriesStatus } from './contract/bonds'

export const FREQUENCY_WORDS: Readonly<Record<z.infer<typeof CouponFrequency>, string>> = {
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  'semi-annual': 'Semi-annual',
  annual: 'Annual'
}

export const SERIES_STATUS_WORDS: Readonly<Record<z.infer<typeof SeriesStatus>, string>> = { open: 'Open', closed: 'Closed', matured: 'Matured' }

export const HOLDING_STATUS_WORDS: Readonly<Record<z.infer<typeof HoldingStatus>, string>> = { active: 'Active', redeemed: 'Redeemed', matured: 'Matured' }

export const PAYMENT_KIND_WORDS: Readonly<Record<z.infer<typeof PaymentKind>, string>> = {
  coupon: 'Coupon',
  principal: 'Principal',
  interest: 'Accrued interest',
  'standing-order': 'Standing order'
}

export const PAYMENT_STATUS_WORDS: Readonly<Record<z.infer<typeof PaymentStatus>, string>> = {
  pending: 'Pending',
  approved: 'Approved',
  paid: 'Paid',
  cancelled: 'Cancelled',
  voided: 'Void'
}

export const PAYMENT_METHOD_WORDS: Readonly<Record<z.infer<typeof PaymentMethod>, string>> = {
  cash: 'Cash',
  'bank-transfer': 'Bank transfer',
  cheque: 'Cheque'
}

/** The words for a code of one of the tables above; a code it does not know (a newer file) is refused, not shown raw. */
export function wordsFor<K extends string>(table: Readonly<Record<K, string>>, code: string): string {
  const w = (table as Record<string, string>)[code]
  if (w === undefined) throw new RangeError(`No words for the code "${code}"`)
  return w
}
