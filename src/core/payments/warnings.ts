/**
 * The payments area's warnings before risky actions (contract/warnings.ts):
 * a cheque paid with no cheque number, a member deactivated while payments
 * are still owed to them. Worded here, decided by the service.
 */
import type { Profile, Warning } from '../../shared/contract'
import { formatCalendarDate } from '../../shared/dates'
import { formatMoney } from '../../shared/money'

/** The cooperative's currency and locale (a payment exists only once the profile does). */
export type MoneyWords = Pick<Profile, 'currency' | 'locale'>

export const amountText = (minor: number, p: MoneyWords | null): string =>
  p ? formatMoney(minor, p.currency, p.locale) : String(minor)

export const dateText = (date: string, p: MoneyWords | null): string => (p ? formatCalendarDate(date, p.locale) : date)

const payments = (n: number): string => (n === 1 ? '1 payment' : `${n} payments`)

/** payments.pay by cheque with no reference. */
export function chequeWithoutNumber(count: number, netMinor: number, paidOn: string, p: MoneyWords | null): Warning {
  return {
    code: 'cheque-without-number',
    message:
      `No cheque number is given for ${payments(count)} paid by cheque on ${dateText(paidOn, p)} (net ${amountText(netMinor, p)}): ` +
      `${count === 1 ? 'its voucher' : 'their vouchers'} will not say which cheque paid ${count === 1 ? 'it' : 'them'}.`
  }
}

/** Deactivating a member with payments due to them not paid yet (pending or approved). */
export function memberIsOwed(
  member: { memberNo: string; fullName: string },
  owed: { count: number; netMinor: number },
  p: MoneyWords | null
): Warning {
  return {
    code: 'member-is-owed',
    message:
      `${member.memberNo} ${member.fullName} is owed ${amountText(owed.netMinor, p)} (net) in ${owed.count} unpaid ` +
      `${owed.count === 1 ? 'payment' : 'payments'} (pending or approved).`
  }
}
