import Decimal from 'decimal.js'
import type { BondSeries, Holding, ParsedInput } from '../../shared/contract'
import { addDays, calendarDateInZone, compareDates, diffDays, isCalendarDate } from '../../shared/dates'
import { formatVoucherNumber } from '../../shared/voucher-number'
import { accruedAmount, couponAmount, loadSeries, seriesSchedule, type Period, type SeriesTerms } from './coupons'
import { conflict, invalid, notFound } from '../platform/errors'
import { nowIso, type ServiceContext } from '../platform/context'
import { readSetting, writeSettings } from '../platform/settings'
import type { Areas } from '../platform/module'
import { VOUCHER_PATTERN_KEY } from '../payments'
import { loadHolidays } from '../calendar'
import { whereOf } from '../platform/db/where'
import { DEFAULT_MATURITY_NOTICE_DAYS, MATURITY_NOTICE_DAYS_KEY } from './maturity-job'

type SeriesValues = ParsedInput<'bonds.createSeries'>

const pct = (fraction: string) => new Decimal(fraction).times(100).toString()
const fraction = (percent: string) => new Decimal(percent).div(100).toString()

interface SeriesRow {
  id: number
  code: string
  name: string
  faceValueMinor: number
  couponRate: string
  frequency: BondSeries['frequency']
  dayCount: BondSeries['dayCount']
  issueDate: string
  maturityDate: string
  firstCouponDate: string | null
  endOfMonth: number
  businessDay: BondSeries['businessDay']
  withholdingTaxRate: string
  status: BondSeries['status']
  version: number
  holdings: number
  unitsOutstanding: number
}

const SERIES_SELECT = `SELECT s.id, s.code, s.name, s.face_value_minor AS faceValueMinor, s.coupon_rate AS couponRate,
  s.frequency, s.day_count AS dayCount, s.issue_date AS issueDate, s.maturity_date AS maturityDate,
  s.first_coupon_date AS firstCouponDate, s.end_of_month AS endOfMonth, s.business_day AS businessDay,
  s.withholding_tax_rate AS withholdingTaxRate, s.status, s.version,
  (SELECT count(*) FROM bond_holdings h WHERE h.series_id = s.id) AS holdings,
  (SELECT coalesce(sum(units), 0) FROM bond_holdings h WHERE h.series_id = s.id AND h.status = 'active') AS unitsOutstanding
  FROM bond_series s`

const toSeries = (r: SeriesRow): BondSeries => ({
  id: r.id,
  code: r.code,
  name: r.name,
  faceValueMinor: r.faceValueMinor,
  couponRatePercent: pct(r.couponRate),
  frequency: r.frequency,
  dayCount: r.dayCount,
  issueDate: r.issueDate,
  maturityDate: r.maturityDate,
  firstCouponDate: r.firstCouponDate,
  endOfMonth: r.endOfMonth === 1,
  businessDay: r.businessDay,
  withholdingTaxPercent: pct(r.withholdingTaxRate),
  status: r.status,
  holdings: r.holdings,
  unitsOutstanding: r.unitsOutstanding,
  version: r.version
})

const HOLDING_SELECT = `SELECT h.id, h.member_id AS memberId, m.member_no AS memberNo, m.full_name AS memberName,
  h.series_id AS seriesId, s.code AS seriesCode, h.units, h.units * s.face_value_minor AS principalMinor,
  h.purchase_date AS purchaseDate, h.status, h.redeemed_on AS redeemedOn, h.matured_on AS maturedOn, h.version
  FROM bond_holdings h JOIN members m ON m.id = h.member_id JOIN bond_series s ON s.id = h.series_id`

/** Bond series, holdings, coupons, accrued interest, maturities. Payments and vouchers are the payments area's. */
export class BondsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly areas: Pick<Areas, 'profile' | 'payments'>
  ) {}

  private get sqlite() {
    return this.ctx.sqlite
  }

  today(): string {
    const tz = this.areas.profile.get()?.timeZone ?? 'UTC'
    return calendarDateInZone(this.ctx.clock.now(), tz)
  }

  private termsFrom(v: SeriesValues, id = 0): SeriesTerms {
    return {
      id,
      faceValueMinor: v.faceValueMinor,
      couponRate: fraction(v.couponRatePercent),
      withholdingTaxRate: fraction(v.withholdingTaxPercent),
      frequency: v.frequency,
      dayCount: v.dayCount,
      issueDate: v.issueDate,
      maturityDate: v.maturityDate,
      firstCouponDate: v.firstCouponDate,
      endOfMonth: v.endOfMonth,
      businessDay: v.businessDay
    }
  }

  /** The schedule the terms give, or field messages saying why there is none. */
  preview(v: SeriesValues): Period[] {
    if (compareDates(v.maturityDate, v.issueDate) <= 0) {
      throw invalid('The maturity date must come after the issue date.', { maturityDate: 'Must be after the issue date' })
    }
    if (v.firstCouponDate !== null && !isCalendarDate(v.firstCouponDate)) {
      throw invalid('The first coupon date must be a real date.', { firstCouponDate: 'Must be a real date (YYYY-MM-DD)' })
    }
    try {
      return seriesSchedule(this.termsFrom(v), loadHolidays(this.sqlite))
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      throw invalid(message, { firstCouponDate: message })
    }
  }

  listSeries(): BondSeries[] {
    return (this.sqlite.prepare(`${SERIES_SELECT} ORDER BY s.maturity_date, s.code`).all() as SeriesRow[]).map(toSeries)
  }

  getSeries(id: number): { series: BondSeries; schedule: Period[]; holdings: Holding[] } {
    const row = this.sqlite.prepare(`${SERIES_SELECT} WHERE s.id = ?`).get(id) as SeriesRow | undefined
    if (!row) throw notFound(`Bond series #${id}`)
    const terms = loadSeries(this.sqlite, id).get(id) as SeriesTerms
    return {
      series: toSeries(row),
      schedule: seriesSchedule(terms, loadHolidays(this.sqlite)),
      holdings: this.sqlite.prepare(`${HOLDING_SELECT} WHERE h.series_id = ? ORDER BY m.full_name COLLATE NOCASE`).all(id) as Holding[]
    }
  }

  createSeries(v: SeriesValues): BondSeries {
    this.preview(v)
    const taken = this.sqlite.prepare('SELECT 1 FROM bond_series WHERE code = ? COLLATE NOCASE').get(v.code)
    if (taken) throw conflict(`Series code ${v.code} is already used.`, { code: `${v.code} is already used` })
    const at = nowIso(this.ctx)
    const t = this.termsFrom(v)
    const r = this.sqlite
      .prepare(
        `INSERT INTO bond_series (code, name, face_value_minor, coupon_rate, frequency, day_count, issue_date, maturity_date,
          first_coupon_date, end_of_month, business_day, withholding_tax_rate, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`
      )
      .run(v.code, v.name, t.faceValueMinor, t.couponRate, t.frequency, t.dayCount, t.issueDate, t.maturityDate,
        t.firstCouponDate, t.endOfMonth ? 1 : 0, t.businessDay, t.withholdingTaxRate, at, at)
    return this.getSeries(Number(r.lastInsertRowid)).series
  }

  private holding(id: number): Holding {
    const h = this.sqlite.prepare(`${HOLDING_SELECT} WHERE h.id = ?`).get(id) as Holding | undefined
    if (!h) throw notFound(`Holding #${id}`)
    return h
  }

  listHoldings(q: { memberId?: number; seriesId?: number; status?: Holding['status']; offset: number; limit: number }) {
    const [w, args] = whereOf([
      ['h.member_id = ?', q.memberId],
      ['h.series_id = ?', q.seriesId],
      ['h.status = ?', q.status]
    ])
    const rows = this.sqlite.prepare(`${HOLDING_SELECT}${w} ORDER BY h.id DESC LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as Holding[]
    const total = this.sqlite.prepare(`SELECT count(*) FROM bond_holdings h${w}`).pluck().get(...args) as number
    return { rows, total }
  }

  buy(memberId: number, seriesId: number, units: number, purchaseDate: string): Holding {
    const member = this.sqlite.prepare('SELECT active FROM members WHERE id = ?').get(memberId) as { active: number } | undefined
    if (!member) throw notFound(`Member #${memberId}`)
    if (member.active !== 1) throw conflict('This member is inactive; reactivate them first.', { memberId: 'The member is inactive' })
    const s = this.sqlite.prepare('SELECT status, issue_date AS issueDate, maturity_date AS maturityDate FROM bond_series WHERE id = ?').get(seriesId) as
      | { status: string; issueDate: string; maturityDate: string }
      | undefined
    if (!s) throw notFound(`Bond series #${seriesId}`)
    if (s.status !== 'open') throw conflict('This series is not open for purchases.', { seriesId: 'The series is closed' })
    if (compareDates(purchaseDate, s.issueDate) < 0 || compareDates(purchaseDate, s.maturityDate) >= 0) {
      throw invalid('The purchase date must be between the issue date and maturity.', {
        purchaseDate: `Between ${s.issueDate} and ${s.maturityDate}`
      })
    }
    if (compareDates(purchaseDate, this.today()) > 0) {
      throw invalid('The purchase date cannot be in the future.', { purchaseDate: 'Cannot be in the future' })
    }
    const at = nowIso(this.ctx)
    const r = this.sqlite
      .prepare(
        `INSERT INTO bond_holdings (member_id, series_id, units, purchase_date, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'active', ?, ?)`
      )
      .run(memberId, seriesId, units, purchaseDate, at, at)
    return this.holding(Number(r.lastInsertRowid))
  }

  /** Early redemption: no coupon accrues after this date. */
  redeem(id: number, expectedVersion: number, redeemedOn: string): Holding {
    const h = this.holding(id)
    if (h.version !== expectedVersion) throw conflict('This holding was changed since you opened it. Reload and try again.')
    if (h.status !== 'active') throw conflict('Only an active holding can be redeemed.')
    if (compareDates(redeemedOn, h.purchaseDate) <= 0 || compareDates(redeemedOn, this.today()) > 0) {
      throw invalid('The redemption date must be after the purchase and not in the future.', { redeemedOn: 'After the purchase, not in the future' })
    }
    this.sqlite
      .prepare(`UPDATE bond_holdings SET status = 'redeemed', redeemed_on = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`)
      .run(redeemedOn, nowIso(this.ctx), id, expectedVersion)
    return this.holding(id)
  }

  accrued(holdingId: number, asOf?: string) {
    const h = this.holding(holdingId)
    const date = asOf ?? this.today()
    const terms = loadSeries(this.sqlite, h.seriesId).get(h.seriesId) as SeriesTerms
    const schedule = seriesSchedule(terms, loadHolidays(this.sqlite))
    if (h.status !== 'active') return { asOf: date, periodStart: null, periodEnd: null, accruedMinor: 0 }
    return { asOf: date, ...accruedAmount(terms, h.units, schedule, h.purchaseDate, date) }
  }

  /** Holdings with accrued interest, coupons received, and the next coupon of each active holding. */
  memberPortfolio(memberId: number) {
    const member = this.sqlite.prepare('SELECT id FROM members WHERE id = ?').get(memberId)
    if (!member) throw notFound(`Member #${memberId}`)
    const asOf = this.today()
    const series = loadSeries(this.sqlite)
    const holidays = loadHolidays(this.sqlite)
    const schedules = new Map<number, Period[]>()
    const scheduleOf = (id: number) => {
      let sch = schedules.get(id)
      if (!sch) schedules.set(id, (sch = seriesSchedule(series.get(id) as SeriesTerms, holidays)))
      return sch
    }
    const holdings = (this.sqlite.prepare(`${HOLDING_SELECT} WHERE h.member_id = ? ORDER BY s.maturity_date, h.id`).all(memberId) as Holding[]).map(
      (h) => ({
        ...h,
        accruedMinor:
          h.status === 'active'
            ? accruedAmount(series.get(h.seriesId) as SeriesTerms, h.units, scheduleOf(h.seriesId), h.purchaseDate, asOf).accruedMinor
            : 0
      })
    )
    const received = this.areas.payments.paidToMember(memberId)
    const upcoming = holdings
      .filter((h) => h.status === 'active')
      .flatMap((h) => {
        const s = series.get(h.seriesId) as SeriesTerms
        const next = scheduleOf(h.seriesId).find((p) => compareDates(p.paymentDate, asOf) > 0 && compareDates(p.accrualEnd, h.purchaseDate) > 0)
        if (!next) return []
        const a = couponAmount(s, h.units, next, h.purchaseDate)
        return [
          {
            holdingId: h.id,
            seriesCode: h.seriesCode,
            periodStart: compareDates(h.purchaseDate, next.accrualStart) > 0 ? h.purchaseDate : next.accrualStart,
            periodEnd: next.accrualEnd,
            dueDate: next.paymentDate,
            ...a
          }
        ]
      })
    return { asOf, holdings, received, upcoming }
  }

  maturities(withinDays: number) {
    const today = this.today()
    const rows = this.sqlite
      .prepare(
        `SELECT h.id AS holdingId, h.member_id AS memberId, m.member_no AS memberNo, m.full_name AS memberName, s.code AS seriesCode,
                h.units, h.units * s.face_value_minor AS principalMinor, s.maturity_date AS maturityDate
           FROM bond_holdings h JOIN bond_series s ON s.id = h.series_id JOIN members m ON m.id = h.member_id
          WHERE h.status = 'active' AND s.maturity_date <= ? ORDER BY s.maturity_date, m.full_name COLLATE NOCASE`
      )
      .all(addDays(today, withinDays)) as {
      holdingId: number
      memberId: number
      memberNo: string
      memberName: string
      seriesCode: string
      units: number
      principalMinor: number
      maturityDate: string
    }[]
    return rows.map((r) => ({ ...r, daysLeft: diffDays(today, r.maturityDate) }))
  }

  settings() {
    const voucherPattern = this.areas.payments.voucherPattern()
    const days = Number(readSetting(this.sqlite, MATURITY_NOTICE_DAYS_KEY) ?? DEFAULT_MATURITY_NOTICE_DAYS)
    const year = Number(this.today().slice(0, 4))
    return { voucherPattern, maturityNoticeDays: days, example: formatVoucherNumber(voucherPattern, year, 123) }
  }

  saveSettings(v: { voucherPattern: string; maturityNoticeDays: number }) {
    // Both in one transaction; the voucher pattern is the payments area's setting, kept in the same table.
    writeSettings(this.sqlite, { [VOUCHER_PATTERN_KEY]: v.voucherPattern, [MATURITY_NOTICE_DAYS_KEY]: String(v.maturityNoticeDays) })
    return this.settings()
  }

  setSeriesStatus(id: number, status: 'open' | 'closed'): BondSeries {
    const current = this.getSeries(id).series
    if (current.status === 'matured') throw conflict('A matured series cannot be reopened.')
    this.sqlite.prepare('UPDATE bond_series SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?').run(status, nowIso(this.ctx), id)
    return this.getSeries(id).series
  }
}
