import { z } from 'zod'
import { echo } from './messages'

/**
 * Warnings before risky actions. Core decides when an action is risky; a
 * caller that has shown the warnings to a person sends the action again with
 * their codes in `acknowledge`. Until then core refuses with
 * CONFIRM_REQUIRED (envelope.ts), carrying `warnings`, and writes nothing.
 */
export const WARNING_CODES = [
  /** payments.pay: method cheque and no reference (cheque number). */
  'cheque-without-number',
  /** bonds.saveSettings: a new voucher pattern when vouchers are already numbered this year. */
  'voucher-pattern-mid-year',
  /** members.setActive (deactivating): the member still holds active bonds. */
  'member-holds-bonds',
  /** members.setActive (deactivating): payments due to the member are not paid yet (pending or approved). */
  'member-is-owed',
  /** bonds.buyHolding: the purchase is dated before the member joined. */
  'purchase-before-joining'
] as const

export const WarningCode = z.enum(WARNING_CODES)
export type WarningCode = z.infer<typeof WarningCode>

/** One warning: its code, and what is risky in the app's words, naming the specifics. */
export const Warning = z.object({ code: WarningCode, message: z.string() })
export type Warning = z.infer<typeof Warning>

/**
 * The warnings a caller accepts for one action: a list of that action's codes
 * (optional; empty when left out). A code the action never gives is refused,
 * never ignored, so a misspelt code cannot pass for an acknowledgement.
 */
export const acknowledge = <const C extends readonly [WarningCode, ...WarningCode[]]>(codes: C) =>
  z
    .array(
      z.enum(codes, {
        error: (iss) => `“${echo(String(iss.input))}” is not a warning this action gives (it gives ${codes.join(', ')})`
      }),
      { error: 'Acknowledge must be a list of warning codes' }
    )
    .max(codes.length * 2, { error: `Acknowledge lists at most ${codes.length * 2} codes` })
    .optional()
    .transform((v) => v ?? [])
