/**
 * Member statement: a member's accounts (savings, share capital) with the
 * balance brought forward, every posted line in the dates oldest first with
 * the running balance, and the closing balance; and their bond holdings at
 * the To date with the coupons paid to them in the dates. For one member, or
 * every active member in member-number order in one batch (each member a
 * group, a new page on paper).
 *
 * Streams: the member list is loaded once (small rows, with the counts that
 * make rowCount exact), then each member's accounts and lines are read as
 * their rows are asked for. The balance brought forward comes from the
 * ledger's summary-based statement read (LedgerService.statement closes a
 * page on the summaries), the lines from the journal. A member with no
 * account or no holding gets a row saying so, never nothing.
 */
import Decimal from 'decimal.js'
import type { MemberProduct, ReportParams } from '../../../shared/contract'
import { wordsFor, PAYMENT_KIND_WORDS } from '../../../shared/bond-labels'
import { addDays } from '../../../shared/dates'
import { formatCount } from '../../../shared/words'
import { col, row, type ReportDefinition, type ReportRow, type ReportSource, type ReportTable } from '../model'
import { dateWords, memberOf, printLocaleOf, rangeParameters, rangeWords } from './common'

const PRODUCT_WORDS: Readonly<Record<MemberProduct, string>> = { savings: 'Savings', shares: 'Share capital' }

/** A member on the statement, with how many rows each table gives them (for rowCount). */
interface StatementMember {
  id: number
  memberNo: string
  fullName: string
  active: number
  accounts: number
  lines: number
  holdings: number
  coupons: number
}

/** Held at `to`: bought on or before it, and not redeemed or matured on or before it. */
const HELD_AT = `h.purchase_date <= @to AND coalesce(h.redeemed_on, h.matured_on, s.maturity_date) > @to`
/** Coupons (and the interest of an early redemption) paid to the member as a holder in the dates. */
const COUPON_PAID = `p.holding_id IS NOT NULL AND p.kind IN ('coupon', 'interest') AND p.status = 'paid' AND p.paid_on >= @from AND p.paid_on <= @to`

const COUNTS = `
  (SELECT count(*) FROM member_accounts ma WHERE ma.member_id = m.id) AS accounts,
  (SELECT count(*) FROM member_accounts ma JOIN journal_lines l ON l.member_account_id = ma.id
     WHERE ma.member_id = m.id AND l.value_date >= @from AND l.value_date <= @to) AS lines,
  (SELECT count(*) FROM bond_holdings h JOIN bond_series s ON s.id = h.series_id WHERE h.member_id = m.id AND ${HELD_AT}) AS holdings,
  (SELECT count(*) FROM bond_payments p WHERE p.member_id = m.id AND ${COUPON_PAID}) AS coupons`

function membersOf(src: ReportSource, p: ReportParams): StatementMember[] {
  const args = { from: p.from, to: p.to }
  if (p.memberId !== undefined) {
    memberOf(src, p.memberId)
    return src.sqlite
      .prepare(`SELECT m.id, m.member_no AS memberNo, m.full_name AS fullName, m.active, ${COUNTS} FROM members m WHERE m.id = @id`)
      .all({ ...args, id: p.memberId }) as StatementMember[]
  }
  return src.sqlite
    .prepare(`SELECT m.id, m.member_no AS memberNo, m.full_name AS fullName, m.active, ${COUNTS} FROM members m WHERE m.active = 1 ORDER BY m.member_no, m.id`)
    .all(args) as StatementMember[]
}

const who = (m: Pick<StatementMember, 'memberNo' | 'fullName'>): string => `${m.memberNo} ${m.fullName}`

/** "8.5" from the stored fraction "0.085": exact, never in exponent form. */
const percentOf = (fraction: string): string => new Decimal(fraction).times(100).toFixed()

function accountsTable(src: ReportSource, p: ReportParams, members: StatementMember[]): ReportTable {
  const lineQuery = `SELECT l.value_date AS valueDate, l.debit_minor AS debit, l.credit_minor AS credit, e.description, e.reference
    FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
    WHERE l.member_account_id = ? AND l.value_date >= ? AND l.value_date <= ? ORDER BY l.value_date, l.id`
  const dayBefore = addDays(p.from, -1)
  function* rows(): Generator<ReportRow> {
    const lines = src.sqlite.prepare(lineQuery)
    for (const m of members) {
      const member = who(m)
      const accounts = src.ledger.memberAccounts(m.id)
      if (accounts.length === 0) {
        yield row([member, null, null, 'No savings or share capital account', null, null, null, null])
        continue
      }
      for (const a of accounts) {
        const account = `${a.number} ${PRODUCT_WORDS[a.product]}`
        // The balance at the end of the day before From: the ledger's statement read closes on the summaries.
        const brought = src.ledger.statement({ memberAccountId: a.id, to: dayBefore, limit: 1 }).closingMinor
        yield row([member, account, p.from, 'Balance brought forward', null, null, null, brought], 'opening')
        let balance = brought
        // No other query runs while this iterator is open (the next account's reads come after the loop).
        for (const l of lines.iterate(a.id, p.from, p.to) as IterableIterator<{ valueDate: string; debit: number; credit: number; description: string; reference: string | null }>) {
          balance += l.credit - l.debit
          yield row([member, account, l.valueDate, l.description, l.reference, l.debit === 0 ? null : l.debit, l.credit === 0 ? null : l.credit, balance])
        }
        yield row([member, account, p.to, 'Closing balance', null, null, null, balance], 'subtotal')
      }
    }
  }
  const rowCount = members.reduce((n, m) => n + (m.accounts === 0 ? 1 : 2 * m.accounts + m.lines), 0)
  return {
    key: 'accounts',
    title: 'Accounts',
    columns: [
      col('member', 'Member', 'text'),
      col('account', 'Account', 'text'),
      col('date', 'Date', 'date'),
      col('description', 'Description', 'text'),
      col('reference', 'Reference', 'text'),
      col('paidOut', 'Paid out', 'money', true),
      col('paidIn', 'Paid in', 'money', true),
      col('balance', 'Balance', 'money')
    ],
    rows,
    rowCount,
    empty: 'No member to show.',
    note: `Balances brought forward at the start of ${dateWords(src, p.from)}; lines by value date, oldest first; closing balances at the end of ${dateWords(src, p.to)}.`,
    groupBy: 0,
    breakGroups: true
  }
}

interface HoldingLine {
  seriesCode: string
  seriesName: string
  units: number
  purchaseDate: string
  faceMinor: number
  couponRate: string
  maturityDate: string
}

interface CouponLine {
  kind: 'coupon' | 'interest'
  seriesCode: string
  seriesName: string
  units: number
  paidOn: string
  periodStart: string
  periodEnd: string
  gross: number
  tax: number
  net: number
}

function holdingsTable(src: ReportSource, p: ReportParams, members: StatementMember[]): ReportTable {
  const holdingsQuery = `SELECT s.code AS seriesCode, s.name AS seriesName, h.units, h.purchase_date AS purchaseDate, h.units * s.face_value_minor AS faceMinor,
      s.coupon_rate AS couponRate, s.maturity_date AS maturityDate
    FROM bond_holdings h JOIN bond_series s ON s.id = h.series_id
    WHERE h.member_id = @member AND ${HELD_AT} ORDER BY s.maturity_date, s.code, h.id`
  const couponsQuery = `SELECT p.kind, s.code AS seriesCode, s.name AS seriesName, h.units, p.paid_on AS paidOn, p.period_start AS periodStart, p.period_end AS periodEnd,
      p.gross_minor AS gross, p.tax_minor AS tax, p.net_minor AS net
    FROM bond_payments p JOIN bond_holdings h ON h.id = p.holding_id JOIN bond_series s ON s.id = h.series_id
    WHERE p.member_id = @member AND ${COUPON_PAID} ORDER BY p.paid_on, p.id`
  function* rows(): Generator<ReportRow> {
    const holdings = src.sqlite.prepare(holdingsQuery)
    const coupons = src.sqlite.prepare(couponsQuery)
    for (const m of members) {
      const member = who(m)
      if (m.holdings === 0 && m.coupons === 0) {
        yield row([member, `No bond holding at ${dateWords(src, p.to)} and no coupon paid in these dates`, null, null, null, null, null, null, null, null, null, null])
        continue
      }
      // A member's holdings and coupons are few: read whole (no iterator stays open while a row is handed out and the next query runs).
      for (const h of holdings.all({ member: m.id, to: p.to }) as HoldingLine[]) {
        yield row([member, 'Holding', `${h.seriesCode} ${h.seriesName}`, h.purchaseDate, h.units, h.faceMinor, percentOf(h.couponRate), h.maturityDate, null, null, null, null])
      }
      for (const c of coupons.all({ member: m.id, from: p.from, to: p.to }) as CouponLine[]) {
        const what = c.kind === 'coupon' ? 'Coupon paid' : `${wordsFor(PAYMENT_KIND_WORDS, c.kind)} paid`
        const period = `${dateWords(src, c.periodStart)} – ${dateWords(src, c.periodEnd)}`
        yield row([member, what, `${c.seriesCode} ${c.seriesName}`, c.paidOn, c.units, null, null, null, period, c.gross, c.tax, c.net])
      }
    }
  }
  const rowCount = members.reduce((n, m) => n + (m.holdings + m.coupons === 0 ? 1 : m.holdings + m.coupons), 0)
  return {
    key: 'holdings',
    title: 'Holdings',
    columns: [
      col('member', 'Member', 'text'),
      col('item', 'Item', 'text'),
      col('series', 'Series', 'text'),
      col('date', 'Bought or paid on', 'date'),
      col('units', 'Units', 'units'),
      col('faceValue', 'Face value', 'money', true),
      col('couponRate', 'Coupon rate', 'percent'),
      col('maturity', 'Maturity', 'date'),
      col('period', 'Coupon period', 'text'),
      col('gross', 'Gross', 'money', true),
      col('tax', 'Tax withheld', 'money', true),
      col('net', 'Net', 'money', true)
    ],
    rows,
    rowCount,
    empty: 'No member to show.',
    note: `Holdings held at the end of ${dateWords(src, p.to)}; coupons paid from ${dateWords(src, p.from)} to ${dateWords(src, p.to)}.`,
    groupBy: 0,
    breakGroups: true
  }
}

export const memberStatement: ReportDefinition = {
  name: 'member-statement',
  build(src, params) {
    const members = membersOf(src, params)
    const one = params.memberId !== undefined ? members[0] : undefined
    const whom = one
      ? `${who(one)}${one.active === 1 ? '' : ' (inactive)'}`
      : `All active members (${formatCount(members.length, printLocaleOf(src))})`
    return {
      name: 'member-statement',
      title: 'Member statement',
      subtitle: `${whom} · ${rangeWords(src, params)}`,
      parameters: [...rangeParameters(src, params), { label: one ? 'Member' : 'Members', value: whom }],
      profile: src.profile,
      tables: [accountsTable(src, params, members), holdingsTable(src, params, members)],
      landscape: true
    }
  }
}
