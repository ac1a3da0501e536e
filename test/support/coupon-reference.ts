/**
 * An independent reference for coupon amounts, for tests: nothing from src/core/bonds or
 * src/shared/rational. Day counts from calendar arithmetic on Date.UTC (2006 ISDA 4.16), rates
 * from their decimal text by hand, the product in BigInt and one half-up division, as the
 * documented rule says (gross rounded half-up; tax = gross x rate rounded half-up; net =
 * gross - tax). ACT/ACT-ICMA: the regular period ending on the accrual end, rolled back from
 * maturity; good for regular periods and short front stubs (what a schedule without a first
 * coupon date has), not for long stubs.
 */
import type { DayCountConvention } from '../../src/core/bonds/day-count'

const DAY = 86_400_000
const ymd = (d: string) => ({ y: Number(d.slice(0, 4)), m: Number(d.slice(5, 7)), d: Number(d.slice(8, 10)) })
export const dayNo = (d: string): number => {
  const { y, m, d: dd } = ymd(d)
  return Date.UTC(y, m - 1, dd) / DAY
}
export const fromDayNo = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10)
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const monthLength = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()
/** d plus n months, the day clamped to the month's length; `eom` puts it on the month's end. */
export function plusMonths(d: string, n: number, eom = false): string {
  const { y, m, d: dd } = ymd(d)
  const total = y * 12 + (m - 1) + n
  const yy = Math.floor(total / 12)
  const mm = (total % 12) + 1
  const len = monthLength(yy, mm)
  const day = eom ? len : Math.min(dd, len)
  return `${String(yy).padStart(4, '0')}-${String(mm).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
export const isMonthEnd = (d: string) => ymd(d).d === monthLength(ymd(d).y, ymd(d).m)

/** The year fraction as [numerator, denominator] BigInts (not reduced). */
export function referenceFraction(
  dc: DayCountConvention,
  start: string,
  end: string,
  icma?: { regularStart: string; regularEnd: string; perYear: number }
): [bigint, bigint] {
  const days = BigInt(dayNo(end) - dayNo(start))
  switch (dc) {
    case '30/360':
    case '30E/360': {
      const a = ymd(start)
      const b = ymd(end)
      const d1 = a.d === 31 ? 30 : a.d
      const d2 = b.d === 31 && (dc === '30E/360' || d1 >= 30) ? 30 : b.d
      return [BigInt(360 * (b.y - a.y) + 30 * (b.m - a.m) + (d2 - d1)), 360n]
    }
    case 'ACT/360':
      return [days, 360n]
    case 'ACT/365F':
      return [days, 365n]
    case 'ACT/ACT-ISDA': {
      // Sum over calendar years of days/365 or days/366, over the common denominator 365 x 366.
      let n = 0n
      for (let y = ymd(start).y; y <= ymd(end).y; y++) {
        const from = Math.max(dayNo(start), Date.UTC(y, 0, 1) / DAY)
        const to = Math.min(dayNo(end), Date.UTC(y + 1, 0, 1) / DAY)
        if (to > from) n += BigInt(to - from) * (isLeap(y) ? 365n : 366n)
      }
      return [n, 365n * 366n]
    }
    case 'ACT/ACT-ICMA': {
      if (!icma) throw new Error('ICMA needs the regular period')
      const regularDays = BigInt(dayNo(icma.regularEnd) - dayNo(icma.regularStart))
      return [days, BigInt(icma.perYear) * regularDays]
    }
  }
}

/** Rate text ("12.5" percent) to [numerator, denominator]: digits over 100 x 10^decimals. */
export function percentFraction(percent: string): [bigint, bigint] {
  const [whole, frac = ''] = percent.split('.')
  return [BigInt(`${whole}${frac}`), 100n * 10n ** BigInt(frac.length)]
}

/** n / d rounded half up (n >= 0, d > 0), by hand. */
export function halfUp(n: bigint, d: bigint): bigint {
  const q = n / d
  return (n % d) * 2n >= d ? q + 1n : q
}

export const FREQ_MONTHS = { monthly: 1, quarterly: 3, 'semi-annual': 6, annual: 12 } as const

/**
 * The coupon of `units` from `from` to the period's end, by the documented rule: gross is the
 * exact product rounded half-up once; tax is gross x rate rounded half-up once.
 */
export function referenceCoupon(
  t: {
    faceValueMinor: number; couponPercent: string; taxPercent: string; dayCount: DayCountConvention; frequency: keyof typeof FREQ_MONTHS; maturityDate: string; endOfMonth: boolean },
  units: number,
  from: string,
  accrualEnd: string
): { grossMinor: number; taxMinor: number; netMinor: number } {
  // ICMA: the regular period ending on accrualEnd, found on the cycle rolled from maturity.
  const months = FREQ_MONTHS[t.frequency]
  const eom = t.endOfMonth && isMonthEnd(t.maturityDate)
  let k = 0
  while (plusMonths(t.maturityDate, -k * months, eom) > accrualEnd) k++
  const icma = {
    regularStart: plusMonths(t.maturityDate, -(k + 1) * months, eom),
    regularEnd: plusMonths(t.maturityDate, -k * months, eom),
    perYear: 12 / months
  }
  const [fn, fd] = referenceFraction(t.dayCount, from, accrualEnd, icma)
  const [rn, rd] = percentFraction(t.couponPercent)
  const gross = halfUp(BigInt(units) * BigInt(t.faceValueMinor) * rn * fn, rd * fd)
  const [tn, td] = percentFraction(t.taxPercent)
  const tax = halfUp(gross * tn, td)
  return { grossMinor: Number(gross), taxMinor: Number(tax), netMinor: Number(gross - tax) }
}

