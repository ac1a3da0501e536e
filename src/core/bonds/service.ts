import Decimal from 'decimal.js'
import { and, asc, count, desc, eq, lte, sql } from 'drizzle-orm'
import type { BondSeries, Holding, ParsedInput } from '../../shared/contract'
import { addDays, calendarDateInZone, compareDates, diffDays, isCalendarDate } from '../../shared/dates'
import { formatVoucherNumber } from '../../shared/voucher-number'
import { datesInText, formatDate } from '../../shared/words'
import { accruedAmount, couponAmount, holdingTooLarge, loadSeries, seriesSchedule, type Period, type SeriesTerms } from './coupons'
import { conflict, invalid, notFound, requireAcknowledged } from '../platform/errors'
import { nowIso, type ServiceContext } from '../platform/context'
import { readSetting, writeSettings } from '../platform/settings'
import type { Areas } from '../platform/module'
import { VOUCHER_PATTERN_KEY } from '../payments'
import { loadHolidays } from '../calendar'
import type { Db } from '../platform/db/open'
import { members } from '../members'
import { bondHoldings, bondSeries } from './schema'
import { DEFAULT_MATURITY_NOTICE_DAYS, MATURITY_NOTICE_DAYS_KEY } from './maturity-job'
import { COUPON_LEAD_DAYS_KEY, couponLeadDays } from './coupons-job'
import { settleFinishedSeries } from './series-status'
import { purchaseBeforeJoining, voucherPatternMidYear } from './warnings'

/** A schedule period with the full period's coupon on one unit. */
export type SchedulePeriodRow = Period & { couponPerUnitMinor: number }

/** The coupon of one unit for each period (gross, the named rounding): what the series page shows. */
function withPerUnit(terms: SeriesTerms, schedule: Period[]): SchedulePeriodRow[] {
  return schedule.map((p) => ({ ...p, couponPerUnitMinor: couponAmount(terms, 1, p, p.accrualStart).grossMinor }))
}

type SeriesValues = ParsedInput<'bonds.createSeries'>

const pct = (fraction: string) => new Decimal(fraction).times(100).toString()
const fraction = (percent: string) => new Decimal(percent).div(100).toString()

type SeriesRow = ReturnType<ReturnType<typeof seriesQuery>['all']>[number]

/** A series with its holdings count and units outstanding (lazy: the tables are imported through an import cycle). */
/**
 * The outer row's series id, written with its table: drizzle renders a column
 * inside a select's sql`` without its table ("id"), which inside a subquery on
 * bond_holdings would mean the holding's own id.
 */
const OUTER_SERIES_ID = sql`${sql.identifier('bond_series')}.${sql.identifier('id')}`

const seriesColumns = () => ({
  id: bondSeries.id,
  code: bondSeries.code,
  name: bondSeries.name,
  faceValueMinor: bondSeries.faceValueMinor,
  couponRate: bondSeries.couponRate,
  frequency: bondSeries.frequency,
  dayCount: bondSeries.dayCount,
  issueDate: bondSeries.issueDate,
  maturityDate: bondSeries.maturityDate,
  firstCouponDate: bondSeries.firstCouponDate,
  endOfMonth: bondSeries.endOfMonth,
  businessDay: bondSeries.businessDay,
  withholdingTaxRate: bondSeries.withholdingTaxRate,
  status: bondSeries.status,
  version: bondSeries.version,
  holdings: sql<number>`(SELECT count(*) FROM ${bondHoldings} WHERE ${bondHoldings.seriesId} = ${OUTER_SERIES_ID})`,
  unitsOutstanding: sql<number>`(SELECT coalesce(sum(${bondHoldings.units}), 0) FROM ${bondHoldings}
    WHERE ${bondHoldings.seriesId} = ${OUTER_SERIES_ID} AND ${bondHoldings.status} = 'active')`
})

const seriesQuery = (db: Db) => db.select(seriesColumns()).from(bondSeries)

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
  endOfMonth: r.endOfMonth,
  businessDay: r.businessDay,
  withholdingTaxPercent: pct(r.withholdingTaxRate),
  status: r.status,
  holdings: r.holdings,
  unitsOutstanding: r.unitsOutstanding,
  version: r.version
})

/** A holding with its member and series code (the contract's Holding). */
const holdingColumns = () => ({
  id: bondHoldings.id,
  memberId: bondHoldings.memberId,
  memberNo: members.memberNo,
  memberName: members.fullName,
  seriesId: bondHoldings.seriesId,
  seriesCode: bondSeries.code,
  units: bondHoldings.units,
  principalMinor: sql<number>`${bondHoldings.units} * ${bondSeries.faceValueMinor}`,
  purchaseDate: bondHoldings.purchaseDate,
  status: bondHoldings.status,
  redeemedOn: bondHoldings.redeemedOn,
  maturedOn: bondHoldings.maturedOn,
  version: bondHoldings.version
})

const holdingsQuery = (db: Db) =>
  db
    .select(holdingColumns())
    .from(bondHoldings)
    .innerJoin(members, eq(members.id, bondHoldings.memberId))
    .innerJoin(bondSeries, eq(bondSeries.id, bondHoldings.seriesId))

/** Members by name as the cooperative's locale sorts them (members' sort key), the name itself breaking ties. */
const byName = () => sql`${members.sortName}, ${members.fullName} COLLATE NOCASE`

/** Bond series, holdings, coupons, accrued interest, maturities. Payments and vouchers are the payments area's. */
export class BondsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly areas: Pick<Areas, 'profile' | 'payments' | 'ledger'>
  ) {}

  private get sqlite() {
    return this.ctx.sqlite
  }

  /** A date as people read it in messages: the cooperative's locale (ISO only before a profile exists, which nothing here allows). */
  private dateText(date: string): string {
    const locale = this.areas.profile.get()?.locale
    return locale ? formatDate(date, locale) : date
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
  preview(v: SeriesValues): SchedulePeriodRow[] {
    if (compareDates(v.maturityDate, v.issueDate) <= 0) {
      throw invalid('The maturity date must come after the issue date.', { maturityDate: 'Must be after the issue date' })
    }
    if (v.firstCouponDate !== null && !isCalendarDate(v.firstCouponDate)) {
      throw invalid('The first coupon date must be a real date.', { firstCouponDate: 'Must be a real date (YYYY-MM-DD)' })
    }
    try {
      const terms = this.termsFrom(v)
      return withPerUnit(terms, seriesSchedule(terms, loadHolidays(this.sqlite)))
    } catch (e) {
      // Terms that passed the contract can still give no schedule for one reason a person can fix: a first
      // coupon date off the cycle or outside the term. The schedule says so in words written for the
      // treasurer, with dates as YYYY-MM-DD that people read in the cooperative's locale. Anything else is a
      // fault, not a field message: it goes on as it is (logged, and the window says something went wrong).
      if (!(e instanceof RangeError) || !e.message.startsWith('The first coupon date')) throw e
      const locale = this.areas.profile.get()?.locale
      const message = locale ? datesInText(e.message, locale) : e.message
      throw invalid(message, { firstCouponDate: message })
    }
  }

  listSeries(): BondSeries[] {
    return seriesQuery(this.ctx.db).orderBy(asc(bondSeries.maturityDate), asc(bondSeries.code)).all().map(toSeries)
  }

  getSeries(id: number): { series: BondSeries; schedule: SchedulePeriodRow[]; holdings: Holding[] } {
    const row = seriesQuery(this.ctx.db).where(eq(bondSeries.id, id)).get()
    if (!row) throw notFound(`Bond series #${id}`)
    const terms = loadSeries(this.sqlite, id).get(id) as SeriesTerms
    return {
      series: toSeries(row),
      schedule: withPerUnit(terms, seriesSchedule(terms, loadHolidays(this.sqlite))),
      holdings: holdingsQuery(this.ctx.db).where(eq(bondHoldings.seriesId, id)).orderBy(byName()).all()
    }
  }

  createSeries(v: SeriesValues): BondSeries {
    this.preview(v)
    const taken = this.ctx.db
      .select({ id: bondSeries.id })
      .from(bondSeries)
      .where(sql`${bondSeries.code} = ${v.code} COLLATE NOCASE`)
      .get()
    if (taken) throw conflict(`Series code ${v.code} is already used.`, { code: `${v.code} is already used` })
    const at = nowIso(this.ctx)
    const t = this.termsFrom(v)
    const r = this.ctx.db
      .insert(bondSeries)
      .values({
        code: v.code,
        name: v.name,
        faceValueMinor: t.faceValueMinor,
        couponRate: t.couponRate,
        frequency: t.frequency,
        dayCount: t.dayCount,
        issueDate: t.issueDate,
        maturityDate: t.maturityDate,
        firstCouponDate: t.firstCouponDate,
        endOfMonth: t.endOfMonth,
        businessDay: t.businessDay,
        withholdingTaxRate: t.withholdingTaxRate,
        status: 'open',
        createdAt: at,
        updatedAt: at
      })
      .returning({ id: bondSeries.id })
      .get()
    return this.getSeries(r.id).series
  }

  private holding(id: number): Holding {
    const h = holdingsQuery(this.ctx.db).where(eq(bondHoldings.id, id)).get()
    if (!h) throw notFound(`Holding #${id}`)
    return h
  }

  listHoldings(q: ParsedInput<'bonds.listHoldings'>) {
    const filter = and(
      q.memberId === undefined ? undefined : eq(bondHoldings.memberId, q.memberId),
      q.seriesId === undefined ? undefined : eq(bondHoldings.seriesId, q.seriesId),
      q.status ? eq(bondHoldings.status, q.status) : undefined
    )
    const rows = holdingsQuery(this.ctx.db).where(filter).orderBy(desc(bondHoldings.id)).limit(q.limit).offset(q.offset).all()
    const total = this.ctx.db.select({ n: count() }).from(bondHoldings).where(filter).get()?.n ?? 0
    return { rows, total }
  }

  /** A purchase dated before the member joined is refused with CONFIRM_REQUIRED unless 'purchase-before-joining' is acknowledged. */
  buy(memberId: number, seriesId: number, units: number, purchaseDate: string, acknowledged: readonly string[] = []): Holding {
    const member = this.ctx.db
      .select({ active: members.active, memberNo: members.memberNo, fullName: members.fullName, joinedOn: members.joinedOn })
      .from(members)
      .where(eq(members.id, memberId))
      .get()
    if (!member) throw notFound(`Member #${memberId}`)
    if (!member.active) throw conflict('This member is inactive; reactivate them first.', { memberId: 'The member is inactive' })
    const s = this.ctx.db
      .select({ status: bondSeries.status, issueDate: bondSeries.issueDate, maturityDate: bondSeries.maturityDate, code: bondSeries.code })
      .from(bondSeries)
      .where(eq(bondSeries.id, seriesId))
      .get()
    if (!s) throw notFound(`Bond series #${seriesId}`)
    if (s.status !== 'open') throw conflict('This series is not open for purchases.', { seriesId: 'The series is closed' })
    if (compareDates(purchaseDate, s.issueDate) < 0 || compareDates(purchaseDate, s.maturityDate) >= 0) {
      throw invalid('The purchase date must be between the issue date and maturity.', {
        purchaseDate: `Between ${this.dateText(s.issueDate)} and ${this.dateText(s.maturityDate)}`
      })
    }
    if (compareDates(purchaseDate, this.today()) > 0) {
      throw invalid('The purchase date cannot be in the future.', { purchaseDate: 'Cannot be in the future' })
    }
    // The principal and every coupon of these units must fit exactly in an amount (Number.MAX_SAFE_INTEGER minor units).
    const terms = loadSeries(this.sqlite, seriesId).get(seriesId) as SeriesTerms
    const tooLarge = holdingTooLarge(terms, units, seriesSchedule(terms, loadHolidays(this.sqlite)), purchaseDate)
    if (tooLarge) throw invalid(`${tooLarge}: buy fewer units.`, { units: 'Too many units for this series: the amounts would be too large' })
    if (compareDates(purchaseDate, member.joinedOn) < 0) {
      requireAcknowledged([purchaseBeforeJoining(member, purchaseDate, this.areas.profile.get())], acknowledged)
    }
    const at = nowIso(this.ctx)
    // The holding and its money in one write: the bank receives the face value, owed back as bonds payable.
    const id = this.ctx.db.transaction(
      (tx) => {
        const r = tx
          .insert(bondHoldings)
          .values({ memberId, seriesId, units, purchaseDate, status: 'active', createdAt: at, updatedAt: at })
          .returning({ id: bondHoldings.id })
          .get()
        const ledger = this.areas.ledger
        const amount = units * terms.faceValueMinor
        ledger.post({
          valueDate: purchaseDate,
          description: `Bond purchase: ${s.code}, ${units} units, ${member.memberNo} ${member.fullName}`,
          source: 'bond-purchase',
          sourceRef: `bond_holdings:${r.id}`,
          dateField: 'purchaseDate',
          lines: [
            { accountId: ledger.accountFor('bank').id, debitMinor: amount, creditMinor: 0 },
            { accountId: ledger.accountFor('bonds-payable').id, debitMinor: 0, creditMinor: amount }
          ]
        })
        return r.id
      },
      { behavior: 'immediate' }
    )
    return this.holding(id)
  }

  /**
   * Early redemption: no coupon accrues after this date. In one transaction: the holding is
   * redeemed; its principal and the interest accrued from the start of the current period (or
   * the purchase) to this date become pending payments (approved, paid and vouchered like the
   * others); unpaid coupons for later periods (created ahead of their date) are cancelled, a
   * paid one refuses the redemption; a series left with no active holding settles
   * (settleFinishedSeries).
   */
  redeem(id: number, expectedVersion: number, redeemedOn: string): Holding {
    const h = this.holding(id)
    if (h.version !== expectedVersion) throw conflict('This holding was changed since you opened it. Reload and try again.')
    if (h.status !== 'active') throw conflict('Only an active holding can be redeemed.')
    if (compareDates(redeemedOn, h.purchaseDate) <= 0 || compareDates(redeemedOn, this.today()) > 0) {
      throw invalid('The redemption date must be after the purchase and not in the future.', { redeemedOn: 'After the purchase, not in the future' })
    }
    const terms = loadSeries(this.sqlite, h.seriesId).get(h.seriesId) as SeriesTerms
    if (compareDates(redeemedOn, terms.maturityDate) >= 0) {
      throw invalid('The redemption date must be before maturity; at maturity the maturity job redeems the holding.', {
        redeemedOn: `Before maturity (${this.dateText(terms.maturityDate)})`
      })
    }
    const schedule = seriesSchedule(terms, loadHolidays(this.sqlite))
    const p = schedule.find((x) => compareDates(x.accrualStart, redeemedOn) <= 0 && compareDates(redeemedOn, x.accrualEnd) < 0)
    const from = p && compareDates(h.purchaseDate, p.accrualStart) > 0 ? h.purchaseDate : p?.accrualStart
    const interest = p && from && compareDates(from, redeemedOn) < 0 ? couponAmount(terms, h.units, { ...p, accrualEnd: redeemedOn }, from) : null
    const at = nowIso(this.ctx)
    this.ctx.db.transaction(
      (tx) => {
        const changed = tx
          .update(bondHoldings)
          .set({ status: 'redeemed', redeemedOn, updatedAt: at, version: sql`${bondHoldings.version} + 1` })
          .where(and(eq(bondHoldings.id, id), eq(bondHoldings.version, expectedVersion), eq(bondHoldings.status, 'active')))
          .run().changes
        if (changed !== 1) throw conflict('This holding was changed since you opened it. Reload and try again.')
        const payments = this.areas.payments
        payments.cancelCouponsAfter(id, redeemedOn, `Holding redeemed early on ${this.dateText(redeemedOn)}`)
        const dated = { holdingId: id, periodEnd: redeemedOn, dueDate: redeemedOn }
        payments.createPending([
          { ...dated, kind: 'principal', periodStart: redeemedOn, grossMinor: h.principalMinor, taxMinor: 0 },
          ...(interest && interest.grossMinor > 0
            ? [{ ...dated, kind: 'interest' as const, periodStart: from as string, grossMinor: interest.grossMinor, taxMinor: interest.taxMinor }]
            : [])
        ])
        settleFinishedSeries(tx, { today: this.today(), at, seriesId: h.seriesId })
      },
      { behavior: 'immediate' }
    )
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
    const member = this.ctx.db.select({ id: members.id }).from(members).where(eq(members.id, memberId)).get()
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
    const holdings = holdingsQuery(this.ctx.db)
      .where(eq(bondHoldings.memberId, memberId))
      .orderBy(asc(bondSeries.maturityDate), asc(bondHoldings.id))
      .all()
      .map(
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
    const overdue = this.areas.payments.overdueForMember(memberId, asOf)
    return { asOf, holdings, received, upcoming, overdue }
  }

  /** A member's active units, per series (what they still hold). */
  activeUnitsBySeries(memberId: number): { seriesCode: string; units: number }[] {
    return this.ctx.db
      .select({ seriesCode: bondSeries.code, units: sql<number>`sum(${bondHoldings.units})` })
      .from(bondHoldings)
      .innerJoin(bondSeries, eq(bondSeries.id, bondHoldings.seriesId))
      .where(and(eq(bondHoldings.memberId, memberId), eq(bondHoldings.status, 'active')))
      .groupBy(bondSeries.id)
      .orderBy(asc(bondSeries.maturityDate), asc(bondSeries.code))
      .all()
  }

  maturities(withinDays: number) {
    const today = this.today()
    const rows = this.ctx.db
      .select({
        holdingId: bondHoldings.id,
        memberId: bondHoldings.memberId,
        memberNo: members.memberNo,
        memberName: members.fullName,
        seriesCode: bondSeries.code,
        units: bondHoldings.units,
        principalMinor: sql<number>`${bondHoldings.units} * ${bondSeries.faceValueMinor}`,
        maturityDate: bondSeries.maturityDate
      })
      .from(bondHoldings)
      .innerJoin(bondSeries, eq(bondSeries.id, bondHoldings.seriesId))
      .innerJoin(members, eq(members.id, bondHoldings.memberId))
      .where(and(eq(bondHoldings.status, 'active'), lte(bondSeries.maturityDate, addDays(today, withinDays))))
      .orderBy(asc(bondSeries.maturityDate), byName())
      .all()
    return rows.map((r) => ({ ...r, daysLeft: diffDays(today, r.maturityDate) }))
  }

  settings() {
    const voucherPattern = this.areas.payments.voucherPattern()
    const days = Number(readSetting(this.sqlite, MATURITY_NOTICE_DAYS_KEY) ?? DEFAULT_MATURITY_NOTICE_DAYS)
    const year = Number(this.today().slice(0, 4))
    return {
      voucherPattern,
      maturityNoticeDays: days,
      couponLeadDays: couponLeadDays(this.sqlite),
      example: formatVoucherNumber(voucherPattern, year, 123)
    }
  }

  /**
   * A new voucher pattern while this year already has numbered vouchers is refused with
   * CONFIRM_REQUIRED unless 'voucher-pattern-mid-year' is acknowledged.
   */
  saveSettings(v: ParsedInput<'bonds.saveSettings'>) {
    const current = this.areas.payments.voucherPattern()
    if (v.voucherPattern !== current) {
      const year = Number(this.today().slice(0, 4))
      const issued = this.areas.payments.voucherYear(year)
      if (issued.issued > 0) {
        const nextNumber = formatVoucherNumber(v.voucherPattern, year, issued.nextSeq)
        requireAcknowledged([voucherPatternMidYear(year, current, v.voucherPattern, { ...issued, nextNumber })], v.acknowledge)
      }
    }
    // All in one transaction; the voucher pattern is the payments area's setting, kept in the same table.
    writeSettings(this.sqlite, {
      [VOUCHER_PATTERN_KEY]: v.voucherPattern,
      [MATURITY_NOTICE_DAYS_KEY]: String(v.maturityNoticeDays),
      ...(v.couponLeadDays === undefined ? {} : { [COUPON_LEAD_DAYS_KEY]: String(v.couponLeadDays) })
    })
    return this.settings()
  }

  setSeriesStatus(id: number, status: 'open' | 'closed'): BondSeries {
    const current = this.getSeries(id).series
    if (current.status === 'matured') throw conflict('A matured series cannot be reopened.')
    this.ctx.db
      .update(bondSeries)
      .set({ status, updatedAt: nowIso(this.ctx), version: sql`${bondSeries.version} + 1` })
      .where(eq(bondSeries.id, id))
      .run()
    return this.getSeries(id).series
  }
}
