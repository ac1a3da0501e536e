/**
 * The monthly and weekly summaries (one builder): for every calendar month
 * or ISO week that overlaps the dates, each cut to them, the figures the
 * board asks for, one row per measure and one column per period, and a
 * Total column.
 *
 * Where each figure comes from:
 *  - coupons, interest, redemptions and tax withheld: bond_payments paid
 *    (status paid; a voided payment is no longer counted), by the day paid;
 *  - new holdings: bond_holdings by purchase date, at face value;
 *  - maturities: holdings (not redeemed early) of series maturing in the
 *    period, at face value;
 *  - deposits and withdrawals: the ledger's daily summaries of the savings
 *    and share capital control accounts (credits in, debits out);
 *  - standing orders: recurring_occurrences of standing orders, run (posted,
 *    not reversed) by value date, failed by due date;
 *  - payroll: payroll periods posted with a pay date in the period, their
 *    payslips' totals;
 *  - cash position: the balance brought forward from the summaries
 *    (LedgerService.trialBalance the day before) plus each day's summaries.
 *
 * Nothing here reads the journal: the cost does not grow with its lines.
 */
import type { ReportName, ReportParams } from '../../../shared/contract'
import { DEBIT_NORMAL, type AccountRole } from '../../../shared/contract/ledger'
import { addDays, addMonths, endOfMonth, isoWeek, parseCalendarDate, startOfIsoWeek, startOfMonth } from '../../../shared/dates'
import { formatPeriod } from '../../../shared/words'
import { col, row, type ReportColumn, type ReportDocument, type ReportRow, type ReportSource } from '../model'
import { printLocaleOf, rangeParameters, rangeWords } from './common'

export interface SummaryPeriod {
  /** First and last day, cut to the dates asked for. */
  start: string
  end: string
  label: string
}

/** Calendar months overlapping [from, to], each cut to them. */
export function monthsIn(from: string, to: string, locale: string): SummaryPeriod[] {
  const out: SummaryPeriod[] = []
  const fmt = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' })
  for (let m = startOfMonth(from); m <= to; m = addMonths(m, 1)) {
    const start = m < from ? from : m
    const last = endOfMonth(m)
    const end = last > to ? to : last
    const { year, month } = parseCalendarDate(m)
    const whole = start === m && end === last
    out.push({ start, end, label: whole ? fmt.format(new Date(Date.UTC(year, month - 1, 1))) : formatPeriod(start, end, locale) })
  }
  return out
}

/** ISO weeks (Monday to Sunday) overlapping [from, to], each cut to them. */
export function weeksIn(from: string, to: string, locale: string): SummaryPeriod[] {
  const out: SummaryPeriod[] = []
  for (let w = startOfIsoWeek(from); w <= to; w = addDays(w, 7)) {
    const start = w < from ? from : w
    const sunday = addDays(w, 6)
    const end = sunday > to ? to : sunday
    const { year, week } = isoWeek(w)
    out.push({ start, end, label: `Week ${week}, ${year} (${formatPeriod(start, end, locale)})` })
  }
  return out
}

/**
 * Debits and credits of accounts (their own totals, member account 0) on
 * value dates in [from, to], from the ledger's summaries: whole months from
 * the monthly buckets, the days at either end from the daily ones.
 */
export function movements(src: ReportSource, from: string, to: string, accountIds?: number[]): Map<number, { d: number; c: number }> {
  const out = new Map<number, { d: number; c: number }>()
  const add = (mode: 'daily' | 'monthly', a: string, b: string): void => {
    if (a > b) return
    for (const s of src.ledger.summaries({ mode, measure: 'amount', from: a, to: b, ...(accountIds ? { accountIds } : {}) })) {
      const t = out.get(s.accountId) ?? { d: 0, c: 0 }
      t.d += s.debitMinor
      t.c += s.creditMinor
      out.set(s.accountId, t)
    }
  }
  // The first month starting on or after `from`, the last whole month ending on or before `to`.
  const firstWhole = from === startOfMonth(from) ? from : addMonths(startOfMonth(from), 1)
  const afterLast = addDays(to, 1) === startOfMonth(addDays(to, 1)) ? addDays(to, 1) : startOfMonth(to)
  if (firstWhole < afterLast) {
    add('daily', from, addDays(firstWhole, -1))
    add('monthly', firstWhole, addMonths(afterLast, -1))
    add('daily', afterLast, to)
  } else {
    add('daily', from, to)
  }
  return out
}

/** Each account's balance at the end of `date` (debits less credits), from the summaries (the ledger's trial balance). */
export function netAt(src: ReportSource, date: string): Map<number, number> {
  return new Map(src.ledger.trialBalance(date).rows.map((r) => [r.accountId, r.debitMinor - r.creditMinor]))
}

type Kind = 'money' | 'count'
interface Measure {
  label: string
  kind: Kind
  /** Per period; null: a heading row. */
  values: number[] | null
  /** The Total column: the sum, unless said (the cash position's last end). */
  total?: number
}

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0)

/** Finds the period a day falls in (periods are in order and do not overlap). */
function locator(periods: SummaryPeriod[]): (date: string) => number {
  return (date) => {
    let lo = 0
    let hi = periods.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const p = periods[mid] as SummaryPeriod
      if (date < p.start) hi = mid - 1
      else if (date > p.end) lo = mid + 1
      else return mid
    }
    return -1
  }
}

/** Every figure of the summary, period by period. */
export function summaryMeasures(src: ReportSource, from: string, to: string, periods: SummaryPeriod[]): Measure[] {
  const n = periods.length
  const at = locator(periods)
  const zeros = (): number[] => new Array<number>(n).fill(0)
  const q = src.sqlite

  // Bond payments paid, by the day paid.
  const couponsN = zeros()
  const couponsGross = zeros()
  const tax = zeros()
  const redemptionsN = zeros()
  const redemptions = zeros()
  const payments = q
    .prepare(
      `SELECT paid_on AS d, kind, count(*) AS n, sum(gross_minor) AS g, sum(tax_minor) AS t FROM bond_payments
       WHERE status = 'paid' AND kind <> 'standing-order' AND paid_on >= ? AND paid_on <= ? GROUP BY paid_on, kind`
    )
    .all(from, to) as { d: string; kind: 'coupon' | 'interest' | 'principal'; n: number; g: number; t: number }[]
  for (const p of payments) {
    const i = at(p.d)
    if (i < 0) continue
    if (p.kind === 'principal') {
      redemptionsN[i]! += p.n
      redemptions[i]! += p.g
    } else {
      couponsN[i]! += p.n
      couponsGross[i]! += p.g
    }
    tax[i]! += p.t
  }

  // New holdings and maturities, at face value.
  const boughtN = zeros()
  const bought = zeros()
  for (const h of q
    .prepare(
      `SELECT h.purchase_date AS d, count(*) AS n, sum(h.units * s.face_value_minor) AS v FROM bond_holdings h JOIN bond_series s ON s.id = h.series_id
       WHERE h.purchase_date >= ? AND h.purchase_date <= ? GROUP BY h.purchase_date`
    )
    .all(from, to) as { d: string; n: number; v: number }[]) {
    const i = at(h.d)
    if (i < 0) continue
    boughtN[i]! += h.n
    bought[i]! += h.v
  }
  const maturingN = zeros()
  const maturing = zeros()
  for (const h of q
    .prepare(
      `SELECT s.maturity_date AS d, count(*) AS n, sum(h.units * s.face_value_minor) AS v FROM bond_series s JOIN bond_holdings h ON h.series_id = s.id
       WHERE s.maturity_date >= ? AND s.maturity_date <= ? AND h.redeemed_on IS NULL GROUP BY s.maturity_date`
    )
    .all(from, to) as { d: string; n: number; v: number }[]) {
    const i = at(h.d)
    if (i < 0) continue
    maturingN[i]! += h.n
    maturing[i]! += h.v
  }

  // Standing orders: run (posted, not reversed) by value date; failed by due date.
  const ordersN = zeros()
  const orders = zeros()
  const failedN = zeros()
  for (const o of q
    .prepare(
      `SELECT value_date AS d, count(*) AS n, sum(amount_minor) AS v FROM recurring_occurrences
       WHERE standing_order_id IS NOT NULL AND status = 'posted' AND reversal_entry_id IS NULL AND value_date >= ? AND value_date <= ? GROUP BY value_date`
    )
    .all(from, to) as { d: string; n: number; v: number }[]) {
    const i = at(o.d)
    if (i < 0) continue
    ordersN[i]! += o.n
    orders[i]! += o.v
  }
  for (const o of q
    .prepare(
      `SELECT due_date AS d, count(*) AS n FROM recurring_occurrences
       WHERE standing_order_id IS NOT NULL AND status = 'failed' AND due_date >= ? AND due_date <= ? GROUP BY due_date`
    )
    .all(from, to) as { d: string; n: number }[]) {
    const i = at(o.d)
    if (i >= 0) failedN[i]! += o.n
  }

  // Payroll: posted periods by pay date.
  const gross = zeros()
  const deductions = zeros()
  const net = zeros()
  const employer = zeros()
  for (const p of q
    .prepare(
      `SELECT p.pay_date AS d, coalesce(sum(s.gross_minor), 0) AS g, coalesce(sum(s.deductions_minor), 0) AS x, coalesce(sum(s.net_minor), 0) AS n,
              coalesce(sum(s.employer_minor), 0) AS e
       FROM payroll_periods p JOIN payroll_payslips s ON s.period_id = p.id AND s.status = 'ok'
       WHERE p.status = 'posted' AND p.pay_date >= ? AND p.pay_date <= ? GROUP BY p.pay_date`
    )
    .all(from, to) as { d: string; g: number; x: number; n: number; e: number }[]) {
    const i = at(p.d)
    if (i < 0) continue
    gross[i]! += p.g
    deductions[i]! += p.x
    net[i]! += p.n
    employer[i]! += p.e
  }

  // The ledger: members' accounts and the cash position, from the daily summaries.
  const role = (r: AccountRole) => src.ledger.accountFor(r)
  const savings = role('member-savings')
  const shares = role('share-capital')
  const cash = role('cash')
  const bank = role('bank')
  const deposits = zeros()
  const withdrawals = zeros()
  const cashMove = zeros()
  const bankMove = zeros()
  for (const s of src.ledger.summaries({ mode: 'daily', measure: 'amount', from, to, accountIds: [savings.id, shares.id, cash.id, bank.id] })) {
    const i = at(s.bucket)
    if (i < 0) continue
    if (s.accountId === savings.id || s.accountId === shares.id) {
      deposits[i]! += s.creditMinor
      withdrawals[i]! += s.debitMinor
    }
    if (s.accountId === cash.id) cashMove[i]! += s.debitMinor - s.creditMinor
    if (s.accountId === bank.id) bankMove[i]! += s.debitMinor - s.creditMinor
  }
  const opening = netAt(src, addDays(from, -1))
  const running = (accountId: number, type: keyof typeof DEBIT_NORMAL, moves: number[]): number[] => {
    let b = opening.get(accountId) ?? 0
    return moves.map((m) => {
      b += m
      return DEBIT_NORMAL[type] ? b : 0 - b // 0 - x: never -0
    })
  }
  const cashEnd = running(cash.id, cash.type, cashMove)
  const bankEnd = running(bank.id, bank.type, bankMove)
  const bothEnd = cashEnd.map((c, i) => c + (bankEnd[i] as number))
  const last = (xs: number[]): number => xs[xs.length - 1] ?? 0

  const heading = (label: string): Measure => ({ label, kind: 'money', values: null })
  return [
    heading('Bonds'),
    { label: 'Coupons and interest paid (payments)', kind: 'count', values: couponsN },
    { label: 'Coupons and interest paid (gross)', kind: 'money', values: couponsGross },
    { label: 'Tax withheld', kind: 'money', values: tax },
    { label: 'Redemptions paid (payments)', kind: 'count', values: redemptionsN },
    { label: 'Redemptions paid (amount)', kind: 'money', values: redemptions },
    { label: 'New holdings', kind: 'count', values: boughtN },
    { label: 'New holdings (face value)', kind: 'money', values: bought },
    { label: 'Holdings maturing', kind: 'count', values: maturingN },
    { label: 'Holdings maturing (face value)', kind: 'money', values: maturing },
    heading('Members’ accounts'),
    { label: 'Deposits to members’ savings and share capital', kind: 'money', values: deposits },
    { label: 'Withdrawals from members’ savings and share capital', kind: 'money', values: withdrawals },
    heading('Standing orders'),
    { label: 'Standing orders run', kind: 'count', values: ordersN },
    { label: 'Standing orders run (amount)', kind: 'money', values: orders },
    { label: 'Standing orders failed', kind: 'count', values: failedN },
    heading('Payroll'),
    { label: 'Gross pay', kind: 'money', values: gross },
    { label: 'Deductions', kind: 'money', values: deductions },
    { label: 'Net pay', kind: 'money', values: net },
    { label: 'Employer contributions', kind: 'money', values: employer },
    heading('Cash position at the end of each period (Total: at the end of the last)'),
    { label: 'Cash in hand at the end', kind: 'money', values: cashEnd, total: last(cashEnd) },
    { label: 'Bank at the end', kind: 'money', values: bankEnd, total: last(bankEnd) },
    { label: 'Cash and bank at the end', kind: 'money', values: bothEnd, total: last(bothEnd) }
  ]
}

/** The monthly or weekly summary's document. */
export function buildSummary(src: ReportSource, params: ReportParams, name: ReportName, by: 'month' | 'week'): ReportDocument {
  const { from, to } = params
  const locale = printLocaleOf(src)
  const periods = by === 'month' ? monthsIn(from, to, locale) : weeksIn(from, to, locale)
  const columns: ReportColumn[] = [
    col('measure', 'Figure', 'text'),
    ...periods.map((p, i) => col(`p${i + 1}`, p.label, 'money')),
    col('total', 'Total', 'money')
  ]
  const cut = periods.length > 0 && (periods[0]!.start !== (by === 'month' ? startOfMonth(from) : startOfIsoWeek(from)) || periods[periods.length - 1]!.end !== (by === 'month' ? endOfMonth(to) : addDays(startOfIsoWeek(to), 6)))
  const title = by === 'month' ? 'Monthly summary' : 'Weekly summary'
  return {
    name,
    title,
    subtitle: rangeWords(src, params),
    parameters: rangeParameters(src, params),
    profile: src.profile,
    landscape: periods.length > 4,
    tables: [
      {
        key: 'summary',
        title: 'Summary',
        columns,
        *rows(): Iterable<ReportRow> {
          for (const m of summaryMeasures(src, from, to, periods)) {
            if (m.values === null) {
              yield row([m.label, ...periods.map(() => null), null], 'heading')
              continue
            }
            yield row([m.label, ...m.values, m.total ?? sum(m.values)], 'normal', m.kind)
          }
        },
        rowCount: 26,
        empty: 'Nothing to summarise.',
        note:
          (by === 'month' ? 'Calendar months' : 'ISO weeks, Monday to Sunday') +
          (cut ? ', the first and last cut to the dates asked for' : '') +
          '. Payments by the day paid (voided ones left out); holdings at face value; deposits and withdrawals are all credits and debits to members’ savings and share capital (a transfer between a member’s own accounts counts on both); standing orders not reversed; payroll periods posted, by pay date. The cash position’s Total is its balance at the end of the last period, not a sum.',
        groupBy: null,
        breakGroups: false
      }
    ]
  }
}
