/**
 * The bonds area's warnings before risky actions (contract/warnings.ts): a
 * purchase dated before the member joined, a member deactivated while still
 * holding units, the voucher pattern changed when this year already has
 * vouchers. Worded here, decided by the service.
 */
import type { Profile, Warning } from '../../shared/contract'
import { formatCalendarDate } from '../../shared/dates'

type Words = Pick<Profile, 'locale'> | null

const dateText = (date: string, p: Words): string => (p ? formatCalendarDate(date, p.locale) : date)

const units = (n: number, locale: string): string => `${n.toLocaleString(locale)} ${n === 1 ? 'unit' : 'units'}`

/** "A, B and C". */
const list = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`

/** bonds.buyHolding dated before the member's joining date. */
export function purchaseBeforeJoining(
  member: { memberNo: string; fullName: string; joinedOn: string },
  purchaseDate: string,
  p: Words
): Warning {
  return {
    code: 'purchase-before-joining',
    message:
      `${member.memberNo} ${member.fullName} joined on ${dateText(member.joinedOn, p)}; ` +
      `this purchase is dated ${dateText(purchaseDate, p)}, before they joined.`
  }
}

/** At most this many series are named; the rest are counted. */
const SERIES_NAMED = 5

/** Deactivating a member who still holds active units (per series). */
export function memberHoldsBonds(
  member: { memberNo: string; fullName: string },
  held: ReadonlyArray<{ seriesCode: string; units: number }>,
  p: Words
): Warning {
  const locale = p?.locale ?? 'en'
  const named = held.slice(0, SERIES_NAMED).map((h) => `${units(h.units, locale)} of ${h.seriesCode}`)
  const more = held.length - named.length
  if (more > 0) named.push(`units of ${more} more series`)
  return {
    code: 'member-holds-bonds',
    message: `${member.memberNo} ${member.fullName} still holds ${list(named)}: their coupons and redemptions will still fall due.`
  }
}

/** A new voucher pattern while the year already has vouchers numbered under the current one. */
export function voucherPatternMidYear(
  year: number,
  current: string,
  next: string,
  vouchers: { issued: number; first: string | null; last: string | null; nextNumber: string }
): Warning {
  const numbered =
    vouchers.issued === 1
      ? `1 voucher is already numbered in ${year} (${vouchers.last ?? ''})`
      : `${vouchers.issued} vouchers are already numbered in ${year} (${vouchers.first ?? ''} to ${vouchers.last ?? ''})`
  return {
    code: 'voucher-pattern-mid-year',
    message:
      `${numbered} under the pattern ${current}. With ${next} the next would be ${vouchers.nextNumber}, ` +
      `so ${year}'s vouchers would be numbered two ways.`
  }
}
