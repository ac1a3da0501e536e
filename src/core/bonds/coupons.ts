import type { Sqlite } from '../platform/db/open'
import { BatchSizer } from '../platform/jobs/batch-size'
import { compareDates, isCalendarDate } from '../../shared/dates'
import { divideRounded, mulRational, parseDecimalRational, type Rational } from '../../shared/rational'
import { couponSchedule, frequencyMonths } from './schedule'
import { isDayCountConvention, yearFractionRational, type DayCountConvention } from './day-count'
import { throwIfAborted } from '../platform/jobs/types'
import { loadHolidays } from '../calendar'
import { prepareInsertPayment } from '../payments'

/**
 * Coupon amounts and the coupon run.
 *
 * Rounding rule (named, the only place money is rounded here):
 *   gross = units x face value x annual rate x year fraction, worked out as one
 *           exact fraction (BigInt numerator and denominator: multiply first,
 *           divide last) and rounded once, HALF-UP, to the currency's minor unit;
 *   tax   = gross (as rounded) x withholding rate, exactly, rounded once HALF-UP;
 *   net   = gross - tax (exact, never rounded).
 * Amounts are integer minor units; rates are exact decimal text ("0.085") read
 * as fractions (17/200), year fractions are exact fractions
 * (`yearFractionRational`). Nothing is cut to a finite decimal on the way, so
 * an amount that is exactly 1562.5 minor units is 1563, never 1562.
 * An amount beyond Number.MAX_SAFE_INTEGER minor units is a RangeError.
 *
 * The public functions check their options, never guess: an unknown, missing
 * or ill-typed option of the series terms or a period is a RangeError or
 * TypeError naming it.
 */
export const COUPON_ROUNDING = 'half-up' as const

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

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

const SERIES_KEYS: readonly (keyof SeriesTerms)[] = [
  'id',
  'faceValueMinor',
  'couponRate',
  'withholdingTaxRate',
  'frequency',
  'dayCount',
  'issueDate',
  'maturityDate',
  'firstCouponDate',
  'endOfMonth',
  'businessDay'
]
const PERIOD_KEYS: readonly string[] = ['accrualStart', 'accrualEnd', 'paymentDate', 'regularStart', 'regularEnd', 'isStub', 'notionalPeriods']
const PERIOD_DATES = ['accrualStart', 'accrualEnd', 'paymentDate', 'regularStart', 'regularEnd'] as const

/** What amounts need from a series, checked and parsed once per terms object. */
interface SeriesRates {
  /** face value x coupon rate, exact. */
  faceRate: Rational
  taxRate: Rational
  perYear: number
}

const checkedSeries = new WeakMap<SeriesTerms, SeriesRates>()

function unknownKey(obj: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) throw new RangeError(`Unknown ${what} option "${key}" (use ${known.join(', ')})`)
  }
}

/**
 * The series terms, checked (never guessed): every key present and known, the face
 * value a positive safe integer, the coupon rate exact decimal text in (0, 1], the
 * withholding tax rate in [0, 1], a known day count. RangeError/TypeError naming the
 * option otherwise.
 */
function seriesRates(s: SeriesTerms): SeriesRates {
  if (s === null || typeof s !== 'object') throw new TypeError('Series terms are required')
  const cached = checkedSeries.get(s)
  if (cached) return cached
  unknownKey(s, SERIES_KEYS, 'series terms')
  for (const key of SERIES_KEYS) {
    if (s[key] === undefined) throw new RangeError(`The series terms option "${key}" is missing`)
  }
  if (!Number.isSafeInteger(s.faceValueMinor) || s.faceValueMinor <= 0) {
    throw new RangeError(`The face value must be a whole number of minor units above zero, got ${String(s.faceValueMinor)}`)
  }
  const rate = parseDecimalRational(s.couponRate, 'The coupon rate')
  if (rate.numerator <= 0n || rate.numerator > rate.denominator) {
    throw new RangeError(`The coupon rate must be more than 0% and at most 100%, got ${s.couponRate}`)
  }
  const taxRate = parseDecimalRational(s.withholdingTaxRate, 'The withholding tax rate')
  if (taxRate.numerator < 0n || taxRate.numerator > taxRate.denominator) {
    throw new RangeError(`The withholding tax rate must be from 0% to 100%, got ${s.withholdingTaxRate}`)
  }
  if (!isDayCountConvention(s.dayCount)) throw new RangeError(`Unknown day count convention: ${String(s.dayCount)}`)
  if (typeof s.endOfMonth !== 'boolean') throw new TypeError('The series terms option "endOfMonth" must be true or false')
  const r: SeriesRates = {
    faceRate: mulRational(rate, s.faceValueMinor),
    taxRate,
    perYear: 12 / frequencyMonths(s.frequency)
  }
  checkedSeries.set(s, r)
  return r
}

function checkPeriodOption(p: Period): void {
  if (p === null || typeof p !== 'object') throw new TypeError('A coupon period is required')
  unknownKey(p, PERIOD_KEYS, 'coupon period')
  for (const key of PERIOD_DATES) {
    if (p[key] === undefined) throw new RangeError(`The coupon period option "${key}" is missing`)
    if (!isCalendarDate(p[key])) throw new RangeError(`The coupon period option "${key}" must be a YYYY-MM-DD date, got ${String(p[key])}`)
  }
  if (typeof p.isStub !== 'boolean') throw new TypeError('The coupon period option "isStub" must be true or false')
}

function checkUnits(units: number): void {
  if (!Number.isSafeInteger(units) || units <= 0) {
    throw new RangeError(`Units must be a whole number above zero that Coffer can count exactly, got ${String(units)}`)
  }
}

export function seriesSchedule(s: SeriesTerms, holidays: ReadonlySet<string>): Period[] {
  seriesRates(s)
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

const NOTHING: Readonly<CouponAmount> = Object.freeze({ grossMinor: 0, taxMinor: 0, netMinor: 0 })

/** The exact year fraction of `period` from `start` to its end, under the series' day count. */
function periodFraction(s: SeriesTerms, perYear: number, period: Period, start: string): Rational {
  return yearFractionRational(
    s.dayCount,
    start,
    period.accrualEnd,
    period.notionalPeriods && period.notionalPeriods.length > 0
      ? period.notionalPeriods
      : { start: period.regularStart, end: period.regularEnd, frequency: perYear, endOfMonth: s.endOfMonth }
  )
}

function safeAmount(n: bigint, what: string): number {
  if (n > MAX_SAFE || n < -MAX_SAFE) {
    throw new RangeError(
      `The ${what} (${n.toString()} minor units) is beyond the largest amount Coffer stores exactly (${Number.MAX_SAFE_INTEGER} minor units)`
    )
  }
  return Number(n)
}

/**
 * gross and tax by the named rule (COUPON_ROUNDING), from the exact per-unit amount
 * `perUnit` = face x rate x year fraction: gross = units x perUnit rounded half-up once;
 * tax = gross x tax rate rounded half-up once; net = gross - tax.
 */
function amountFrom(perUnit: Rational, units: number, taxRate: Rational): CouponAmount {
  const gross = divideRounded(BigInt(units) * perUnit.numerator, perUnit.denominator, COUPON_ROUNDING)
  const tax = divideRounded(gross * taxRate.numerator, taxRate.denominator, COUPON_ROUNDING)
  const grossMinor = safeAmount(gross, 'coupon')
  const taxMinor = safeAmount(tax, 'withholding tax')
  return { grossMinor, taxMinor, netMinor: grossMinor - taxMinor }
}

/**
 * The coupon of `units` for the part of `period` from `from` (a purchase mid-period) to its
 * end. RangeError/TypeError naming the option for unknown, missing or invalid terms or
 * period options; RangeError when an amount would not fit exactly.
 */
export function couponAmount(s: SeriesTerms, units: number, period: Period, from: string): CouponAmount {
  const r = seriesRates(s)
  checkPeriodOption(period)
  checkUnits(units)
  if (!isCalendarDate(from)) throw new RangeError(`The accrual start must be a YYYY-MM-DD date, got ${String(from)}`)
  const start = compareDates(from, period.accrualStart) > 0 ? from : period.accrualStart
  if (compareDates(start, period.accrualEnd) >= 0) return { ...NOTHING }
  return amountFrom(mulRational(r.faceRate, periodFraction(s, r.perYear, period, start)), units, r.taxRate)
}

/**
 * couponAmount for many holdings: each series' terms are checked once and the exact
 * per-unit amount (face x rate x year fraction) of each (series, start, period end) is
 * worked out once. Same numbers, same single rounding. Periods come from seriesSchedule.
 */
function couponCalculator() {
  const perUnit = new Map<string, Rational>()
  return (s: SeriesTerms, units: number, period: Period, from: string): CouponAmount => {
    const r = seriesRates(s)
    checkUnits(units)
    const start = from > period.accrualStart ? from : period.accrualStart
    if (start >= period.accrualEnd) return { ...NOTHING }
    const key = `${s.id}|${start}|${period.accrualEnd}`
    let k = perUnit.get(key)
    if (!k) perUnit.set(key, (k = mulRational(r.faceRate, periodFraction(s, r.perYear, period, start))))
    return amountFrom(k, units, r.taxRate)
  }
}

/**
 * Why `units` of the series cannot be held, or null: the principal (units x face value)
 * and every coupon of the schedule (from `from`) must fit exactly in
 * Number.MAX_SAFE_INTEGER minor units. For a purchase, before anything is written.
 */
export function holdingTooLarge(s: SeriesTerms, units: number, schedule: Period[], from: string): string | null {
  checkUnits(units)
  if (BigInt(units) * BigInt(s.faceValueMinor) > MAX_SAFE) return 'The principal (units x face value) is too large to record exactly'
  try {
    for (const p of schedule) couponAmount(s, units, p, from)
  } catch (e) {
    if (e instanceof RangeError && /beyond the largest amount/.test(e.message)) return 'A coupon of this many units is too large to record exactly'
    throw e
  }
  return null
}

/** Interest accrued from the start of the period `asOf` lies in (or the purchase date) to `asOf`. */
export function accruedAmount(
  s: SeriesTerms,
  units: number,
  schedule: Period[],
  purchaseDate: string,
  asOf: string
): { periodStart: string | null; periodEnd: string | null; accruedMinor: number } {
  seriesRates(s)
  checkUnits(units)
  if (!Array.isArray(schedule)) throw new TypeError('The schedule must be a list of coupon periods')
  for (const [name, d] of [['purchaseDate', purchaseDate], ['asOf', asOf]] as const) {
    if (!isCalendarDate(d)) throw new RangeError(`The option "${name}" must be a YYYY-MM-DD date, got ${String(d)}`)
  }
  const p = schedule.find((x) => compareDates(x.accrualStart, asOf) <= 0 && compareDates(asOf, x.accrualEnd) < 0)
  if (!p || compareDates(asOf, purchaseDate) <= 0) return { periodStart: null, periodEnd: null, accruedMinor: 0 }
  const start = compareDates(purchaseDate, p.accrualStart) > 0 ? purchaseDate : p.accrualStart
  const partial: Period = { ...p, accrualEnd: asOf }
  // One rounding (COUPON_ROUNDING) of the exact accrued amount: couponAmount's gross for the part period.
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

/** How long one transaction of the coupon run may hold the write lock. */
export const COUPON_TRANSACTION_MS = 50

export interface CouponRunOptions {
  /** Today in the cooperative's time zone: coupons whose payment date is on or before it are due. */
  today: string
  /** Create coupons whose payment date is on or before this date (the coupon job: today + lead days). Default today. */
  createUpTo?: string
  createdAt: string
  runId: number | null
  signal?: AbortSignal
  progress?: (done: number, total: number) => void
  /** Only these holdings (the maturity job passes the maturing ones). */
  holdingIds?: number[]
  /**
   * Holdings per transaction: each batch is all or nothing, and the unique key makes a redo safe.
   * Unset: as many as take about 50 ms (BatchSizer, at most 1,000): a window call waiting on the run
   * waits at most that, and the run still commits (an fsync, ~10 ms here) no more often than it must.
   */
  batchSize?: number
  /** Called before each batch's transaction (a job yields to the app's calls here). */
  beforeBatch?: () => void
  /**
   * Called inside the batch's transaction for each coupon payment created (the
   * coupon job queues the member's coupon-ready notice here, so the notice
   * exists exactly when the payment does). A throw rolls the batch back.
   */
  onCreated?: (paymentId: number) => void
}

/** A holding the run could not work out, and why (a sentence for the treasurer). */
export interface FailedHolding {
  holdingId: number
  reason: string
}

export interface CouponRunResult {
  created: number
  holdings: number
  grossMinor: number
  /** Holdings skipped because their coupon could not be worked out (the first FAILED_LIST_LIMIT). */
  failed: FailedHolding[]
  /** All failed holdings, even past the list's limit. */
  failedCount: number
}

/** How many failed holdings a run lists (all are counted). */
export const FAILED_LIST_LIMIT = 100

type HoldingRow = { id: number; seriesId: number; units: number; purchaseDate: string; redeemedOn: string | null; maturedOn: string | null }

const reasonOf = (e: unknown): string => {
  const m = e instanceof Error ? e.message : String(e)
  return m.length > 300 ? `${m.slice(0, 300)}…` : m
}

/**
 * Creates, for every holding, one payment for every coupon whose payment
 * date is on or before today and that has none yet, each with its own period.
 * State-driven: a run after three missed months creates the three coupons; a
 * second run creates nothing. Holdings bought mid-period accrue from the
 * purchase date; redeemed or matured holdings get nothing for periods ending
 * after that date.
 *
 * A bad item never stops the others: a holding whose coupon cannot be worked
 * out (an amount too large to store exactly, units that are not a whole
 * number, terms that do not parse) is left at its last good coupon and listed
 * in `failed` with the reason; every other holding proceeds. Its earlier due
 * coupons that did compute are kept, its later ones wait (the run never skips
 * past a coupon it could not make), so a run after the cause is fixed
 * catches up.
 *
 * HOT PATH, raw prepared SQL on purpose (paging, the last-paid lookup and the
 * INSERT run per holding and period): measured in test/bench/coupons.bench.ts
 * against raw inserts of the same rows.
 */
export function generateCoupons(sqlite: Sqlite, o: CouponRunOptions): CouponRunResult {
  if (!isCalendarDate(o.today)) throw new RangeError(`The coupon run option "today" must be a YYYY-MM-DD date, got ${String(o.today)}`)
  const holidays = loadHolidays(sqlite)
  const series = loadSeries(sqlite)
  const schedules = new Map<number, Period[]>()
  const scheduleOf = (s: SeriesTerms) => {
    let sch = schedules.get(s.id)
    if (!sch) {
      sch = seriesSchedule(s, holidays).filter((p) => p.paymentDate <= (o.createUpTo ?? o.today))
      schedules.set(s.id, sch)
    }
    return sch
  }
  const total = o.holdingIds
    ? o.holdingIds.length
    : (sqlite.prepare('SELECT count(*) FROM bond_holdings').pluck().get() as number)
  const sizer = o.batchSize === undefined ? new BatchSizer({ initial: 500, max: 1000, targetMs: COUPON_TRANSACTION_MS }) : null
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
  const failed: FailedHolding[] = []
  let failedCount = 0
  const fail = (holdingId: number, e: unknown) => {
    failedCount++
    if (failed.length < FAILED_LIST_LIMIT) failed.push({ holdingId, reason: reasonOf(e) })
  }
  const writeBatch = sqlite.transaction((rows: HoldingRow[]) => {
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
      const made: number[] = []
      try {
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
          if (isNew !== null) {
            created++
            grossMinor += amount.grossMinor
            made.push(isNew)
          }
        }
      } catch (e) {
        // A failed statement that took the transaction with it is not this holding's fault: stop the run.
        if (!sqlite.inTransaction) throw e
        fail(h.id, e)
      }
      // Outside the holding's try: a notice that cannot be queued is not the holding's fault, and rolls the batch back.
      if (o.onCreated) for (const id of made) o.onCreated(id)
    }
  })
  for (;;) {
    if (o.signal) throwIfAborted(o.signal)
    const raw = page.all(after, sizer ? sizer.size : (o.batchSize as number)) as HoldingRow[]
    if (raw.length === 0) break
    after = raw[raw.length - 1]!.id
    const rows = only ? raw.filter((r) => only.has(r.id)) : raw
    o.beforeBatch?.()
    if (sizer) sizer.run(() => ({ rows: raw.length, value: writeBatch.immediate(rows) }))
    else writeBatch.immediate(rows)
    done += only ? rows.length : raw.length
    o.progress?.(done, total)
  }
  return { created, holdings: done, grossMinor, failed, failedCount }
}
