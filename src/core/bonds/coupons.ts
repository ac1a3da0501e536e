import Decimal from 'decimal.js'
import type { Sqlite } from '../platform/db/open'
import { compareDates } from '../../shared/dates'
import { couponSchedule, frequencyMonths } from './schedule'
import { yearFraction, type DayCountConvention } from './day-count'
import { throwIfAborted } from '../platform/jobs/types'
import { loadHolidays } from '../calendar'
import { prepareInsertPayment } from '../payments'

/**
 * Coupon amounts and the coupon run.
 *
 * Rounding rule (named, the only place money is rounded here):
 *   gross = units x face value x annual rate x year fraction, rounded HALF-UP
 *           to the currency's minor unit;
 *   tax   = gross x withholding rate, rounded HALF-UP to the minor unit;
 *   net   = gross - tax (exact, never rounded).
 * Amounts are integer minor units; rates and fractions are exact decimals.
 */
export const COUPON_ROUNDING = 'half-up' as const
const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP })

export interface SeriesTerms {
  id: number
  faceValueMinor: number
  couponRate: string
  withholdingTaxRate: string
  frequency: 'monthly' | 'quarterly' | 'semi-annual' | 'annual'
  dayCount: DayCountConvention
  issueDate: string
  maturityDate: string
  firstCouponDate: string | null
  endOfMonth: boolean
  businessDay: 'unadjusted' | 'following' | 'modified-following' | 'preceding'
}

export interface Period {
  accrualStart: string
  accrualEnd: string
  paymentDate: string
  regularStart: string
  regularEnd: string
  isStub: boolean
  /** The regular periods covering the accrual period (two or more for a long first coupon). */
  notionalPeriods?: { start: string; end: string; frequency: number }[]
}

export function seriesSchedule(s: SeriesTerms, holidays: ReadonlySet<string>): Period[] {
  return couponSchedule({
    issueDate: s.issueDate,
    maturityDate: s.maturityDate,
    frequency: s.frequency,
    firstCouponDate: s.firstCouponDate ?? undefined,
    endOfMonth: s.endOfMonth,
    businessDayConvention: s.businessDay,
    holidays
  }) as Period[]
}

export interface CouponAmount {
  grossMinor: number
  taxMinor: number
  netMinor: number
}

const toMinor = (d: Decimal): number => {
  const n = d.toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
  if (n.abs().greaterThan(Number.MAX_SAFE_INTEGER)) throw new RangeError('Amount is too large')
  return n.toNumber()
}

/** The year fraction of `period` from `start` to its end, under the series' day count. */
function periodFraction(s: SeriesTerms, period: Period, start: string): Decimal {
  return new D(
    yearFraction(
      s.dayCount,
      start,
      period.accrualEnd,
      period.notionalPeriods && period.notionalPeriods.length > 0
        ? period.notionalPeriods
        : { start: period.regularStart, end: period.regularEnd, frequency: 12 / frequencyMonths(s.frequency), endOfMonth: s.endOfMonth }
    ).toString()
  )
}

/** gross and tax with the named rounding (COUPON_ROUNDING), from a face x rate product and a fraction. */
function amountFrom(faceRate: Decimal, units: number, fraction: Decimal, taxRate: Decimal): CouponAmount {
  const gross = toMinor(faceRate.times(units).times(fraction))
  const tax = toMinor(taxRate.times(gross))
  return { grossMinor: gross, taxMinor: tax, netMinor: gross - tax }
}

/** The coupon of `units` for the part of `period` from `from` (a purchase mid-period) to its end. */
export function couponAmount(s: SeriesTerms, units: number, period: Period, from: string): CouponAmount {
  const start = compareDates(from, period.accrualStart) > 0 ? from : period.accrualStart
  if (compareDates(start, period.accrualEnd) >= 0) return { grossMinor: 0, taxMinor: 0, netMinor: 0 }
  return amountFrom(new D(s.faceValueMinor).times(s.couponRate), units, periodFraction(s, period, start), new D(s.withholdingTaxRate))
}

/**
 * couponAmount for many holdings: the year fraction of each (series, start,
 * period end) and each series' face x rate are computed once. Same numbers,
 * same rounding.
 */
function couponCalculator() {
  const fractions = new Map<string, Decimal>()
  const rates = new Map<number, { faceRate: Decimal; taxRate: Decimal }>()
  return (s: SeriesTerms, units: number, period: Period, from: string): CouponAmount => {
    const start = from > period.accrualStart ? from : period.accrualStart
    if (start >= period.accrualEnd) return { grossMinor: 0, taxMinor: 0, netMinor: 0 }
    const key = `${s.id}|${start}|${period.accrualEnd}`
    let fraction = fractions.get(key)
    if (!fraction) fractions.set(key, (fraction = periodFraction(s, period, start)))
    let r = rates.get(s.id)
    if (!r) rates.set(s.id, (r = { faceRate: new D(s.faceValueMinor).times(s.couponRate), taxRate: new D(s.withholdingTaxRate) }))
    return amountFrom(r.faceRate, units, fraction, r.taxRate)
  }
}

/** Interest accrued from the start of the period `asOf` lies in (or the purchase date) to `asOf`. */
export function accruedAmount(
  s: SeriesTerms,
  units: number,
  schedule: Period[],
  purchaseDate: string,
  asOf: string
): { periodStart: string | null; periodEnd: string | null; accruedMinor: number } {
  const p = schedule.find((x) => compareDates(x.accrualStart, asOf) <= 0 && compareDates(asOf, x.accrualEnd) < 0)
  if (!p || compareDates(asOf, purchaseDate) <= 0) return { periodStart: null, periodEnd: null, accruedMinor: 0 }
  const start = compareDates(purchaseDate, p.accrualStart) > 0 ? purchaseDate : p.accrualStart
  const partial: Period = { ...p, accrualEnd: asOf }
  return { periodStart: p.accrualStart, periodEnd: p.accrualEnd, accruedMinor: couponAmount(s, units, partial, start).grossMinor }
}

/** The terms of every series, or of one. */
export function loadSeries(sqlite: Sqlite, id?: number): Map<number, SeriesTerms> {
  const rows = sqlite
    .prepare(
      `SELECT id, face_value_minor AS faceValueMinor, coupon_rate AS couponRate, withholding_tax_rate AS withholdingTaxRate,
              frequency, day_count AS dayCount, issue_date AS issueDate, maturity_date AS maturityDate,
              first_coupon_date AS firstCouponDate, end_of_month AS endOfMonth, business_day AS businessDay
         FROM bond_series${id === undefined ? '' : ' WHERE id = ?'}`
    )
    .all(...(id === undefined ? [] : [id])) as (Omit<SeriesTerms, 'endOfMonth'> & { endOfMonth: number })[]
  return new Map(rows.map((r) => [r.id, { ...r, endOfMonth: r.endOfMonth === 1 }]))
}

export interface CouponRunOptions {
  /** Today in the cooperative's time zone: coupons whose payment date is on or before it are due. */
  today: string
  createdAt: string
  runId: number | null
  signal?: AbortSignal
  progress?: (done: number, total: number) => void
  /** Only these holdings (the maturity job passes the maturing ones). */
  holdingIds?: number[]
  /** Holdings per transaction: each batch is all or nothing, and the unique key makes a redo safe. */
  batchSize?: number
  /** Called before each batch's transaction (a job yields to the app's calls here). */
  beforeBatch?: () => void
}

/**
 * Creates, for every holding, one payment for every coupon whose payment
 * date is on or before today and that has none yet, each with its own period.
 * State-driven: a run after three missed months creates the three coupons; a
 * second run creates nothing. Holdings bought mid-period accrue from the
 * purchase date; redeemed or matured holdings get nothing for periods ending
 * after that date.
 *
 * HOT PATH, raw prepared SQL on purpose (paging, the last-paid lookup and the
 * INSERT run per holding and period): measured in test/bench/coupons.bench.ts
 * against raw inserts of the same rows.
 */
export function generateCoupons(sqlite: Sqlite, o: CouponRunOptions): { created: number; holdings: number; grossMinor: number } {
  const holidays = loadHolidays(sqlite)
  const series = loadSeries(sqlite)
  const schedules = new Map<number, Period[]>()
  const scheduleOf = (s: SeriesTerms) => {
    let sch = schedules.get(s.id)
    if (!sch) {
      sch = seriesSchedule(s, holidays).filter((p) => compareDates(p.paymentDate, o.today) <= 0)
      schedules.set(s.id, sch)
    }
    return sch
  }
  const total = o.holdingIds
    ? o.holdingIds.length
    : (sqlite.prepare('SELECT count(*) FROM bond_holdings').pluck().get() as number)
  const batch = o.batchSize ?? 1000
  const page = sqlite.prepare(
    `SELECT id, series_id AS seriesId, units, purchase_date AS purchaseDate, redeemed_on AS redeemedOn, matured_on AS maturedOn
       FROM bond_holdings WHERE id > ? ORDER BY id LIMIT ?`
  )
  const lastPaid = sqlite.prepare(
    `SELECT holding_id AS holdingId, max(period_end) AS periodEnd FROM bond_payments
      WHERE kind = 'coupon' AND holding_id BETWEEN ? AND ? GROUP BY holding_id`
  )
  // The payments area's own INSERT (it owns the table); raw prepared SQL, the measured hot path.
  const insert = prepareInsertPayment(sqlite)
  const only = o.holdingIds ? new Set(o.holdingIds) : null
  const calc = couponCalculator()
  let created = 0
  let done = 0
  let grossMinor = 0
  let after = 0
  const writeBatch = sqlite.transaction(
    (rows: { id: number; seriesId: number; units: number; purchaseDate: string; redeemedOn: string | null; maturedOn: string | null }[]) => {
      if (rows.length === 0) return
      const first = rows[0]!.id
      const last = rows[rows.length - 1]!.id
      const paidUpTo = new Map(
        (lastPaid.all(first, last) as { holdingId: number; periodEnd: string }[]).map((r) => [r.holdingId, r.periodEnd])
      )
      for (const h of rows) {
        const s = series.get(h.seriesId)
        if (!s) continue
        const ended = h.redeemedOn ?? null
        const upTo = paidUpTo.get(h.id)
        // Dates here come from the database and the schedule, already valid YYYY-MM-DD: they compare as text.
        for (const p of scheduleOf(s)) {
          if (upTo && p.accrualEnd <= upTo) continue
          if (p.accrualEnd <= h.purchaseDate) continue
          if (ended && p.accrualEnd > ended) break
          const amount = calc(s, h.units, p, h.purchaseDate)
          const isNew = insert(
            h.id,
            'coupon',
            h.purchaseDate > p.accrualStart ? h.purchaseDate : p.accrualStart,
            p.accrualEnd,
            p.paymentDate,
            amount.grossMinor,
            amount.taxMinor,
            amount.netMinor,
            o.createdAt,
            o.runId
          )
          if (isNew) {
            created++
            grossMinor += amount.grossMinor
          }
        }
      }
    }
  )
  for (;;) {
    if (o.signal) throwIfAborted(o.signal)
    const raw = page.all(after, batch) as Parameters<typeof writeBatch>[0]
    if (raw.length === 0) break
    after = raw[raw.length - 1]!.id
    const rows = only ? raw.filter((r) => only.has(r.id)) : raw
    o.beforeBatch?.()
    writeBatch.immediate(rows)
    done += only ? rows.length : raw.length
    o.progress?.(done, total)
  }
  return { created, holdings: done, grossMinor }
}
