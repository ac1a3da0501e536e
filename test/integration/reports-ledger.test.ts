/**
 * The ledger's reports (issue 15): monthly and weekly summaries, trial
 * balance and account statement, built by their definitions on a seeded
 * year (test/support/reports-seed.ts) and checked figure by figure against
 * what the areas' services say and the journal and base tables read raw
 * (never the summaries the definitions read).
 */
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DomainError } from '../../src/core/platform/errors'
import type { ReportDocument, ReportSource } from '../../src/core/reports/model'
import { reportSource } from '../../src/core/reports/source'
import { monthlySummary } from '../../src/core/reports/defs/monthly-summary'
import { weeklySummary } from '../../src/core/reports/defs/weekly-summary'
import { trialBalance } from '../../src/core/reports/defs/trial-balance'
import { accountStatement } from '../../src/core/reports/defs/account-statement'
import type { ReportParams, ReportRow } from '../../src/shared/contract'
import type { Account } from '../../src/shared/contract/ledger'
import type { PayPeriod, Payment } from '../../src/shared/contract'
import { PROFILE, value } from '../support/temp-core'
import { seededYear, type SeededYear } from '../support/reports-seed'

let y: SeededYear
let src: ReportSource
beforeAll(async () => {
  y = await seededYear()
  src = reportSource({ sqlite: y.db, db: drizzle(y.db), clock: y.clock, timeZone: PROFILE.timeZone, locale: PROFILE.locale })
}, 60_000)
afterAll(async () => y?.close())

const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)
const lastDay = (month: string): string => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10)

/** Every row of every table, each checked to have one cell per column. */
function rowsOf(doc: ReportDocument, key: string): ReportRow[] {
  const t = doc.tables.find((x) => x.key === key)
  if (!t) throw new Error(`no table ${key}`)
  const rows = [...t.rows()]
  for (const r of rows) {
    expect(r.cells).toHaveLength(t.columns.length)
    // Cells are plain: never -0 (it would print as "-0.00" and fingerprint differently from 0).
    for (const c of r.cells) if (typeof c === 'number') expect(Object.is(c, -0), `${t.key}: ${JSON.stringify(r.cells)}`).toBe(false)
  }
  if (t.rowCount !== null) expect(rows.length).toBe(t.rowCount)
  // Restartable: a second read gives the same rows.
  expect([...t.rows()]).toEqual(rows)
  return rows
}

/** The summary's figures by row label: the period cells and the Total. */
function figures(doc: ReportDocument): Map<string, { periods: number[]; total: number }> {
  const out = new Map<string, { periods: number[]; total: number }>()
  for (const r of rowsOf(doc, 'summary')) {
    if (r.style === 'heading') continue
    const cells = r.cells.slice(1) as number[]
    out.set(r.cells[0] as string, { periods: cells.slice(0, -1), total: cells[cells.length - 1] as number })
  }
  return out
}

const build = (def: { build(s: ReportSource, p: ReportParams): ReportDocument }, p: ReportParams): ReportDocument => {
  // As the service does: one read transaction around the build and every read of its rows.
  return y.db.transaction(() => {
    const doc = def.build(src, p)
    for (const t of doc.tables) for (const r of t.rows()) expect(r.cells).toHaveLength(t.columns.length)
    return doc
  })()
}

/** Independent expectations, month by month, from the services and the raw journal. */
async function expectedByMonth(): Promise<Record<string, number[]>> {
  const zero = () => MONTHS.map(() => 0)
  const e: Record<string, number[]> = {}
  const put = (label: string, date: string | null, v: number) => {
    if (!date || date < '2026-01-01' || date > '2026-12-31') return
    e[label] ??= zero()
    e[label]![Number(date.slice(5, 7)) - 1]! += v
  }
  const payments = value<{ rows: Payment[] }>(await y.core.invoke('payments.list', { limit: 500 })).rows
  for (const p of payments.filter((x) => x.status === 'paid' && x.kind !== 'standing-order')) {
    const coupon = p.kind !== 'principal'
    put(coupon ? 'Coupons and interest paid (payments)' : 'Redemptions paid (payments)', p.paidOn, 1)
    put(coupon ? 'Coupons and interest paid (gross)' : 'Redemptions paid (amount)', p.paidOn, p.grossMinor)
    put('Tax withheld', p.paidOn, p.taxMinor)
  }
  const holdings = y.db
    .prepare('SELECT h.purchase_date, h.units, h.redeemed_on, s.face_value_minor AS face, s.maturity_date FROM bond_holdings h JOIN bond_series s ON s.id = h.series_id')
    .all() as { purchase_date: string; units: number; redeemed_on: string | null; face: number; maturity_date: string }[]
  for (const h of holdings) {
    put('New holdings', h.purchase_date, 1)
    put('New holdings (face value)', h.purchase_date, h.units * h.face)
    if (h.redeemed_on === null) {
      put('Holdings maturing', h.maturity_date, 1)
      put('Holdings maturing (face value)', h.maturity_date, h.units * h.face)
    }
  }
  const lines = y.db.prepare('SELECT account_id, value_date, debit_minor, credit_minor FROM journal_lines').all() as {
    account_id: number
    value_date: string
    debit_minor: number
    credit_minor: number
  }[]
  const members = [y.role['member-savings'].id, y.role['share-capital'].id]
  for (const l of lines.filter((x) => members.includes(x.account_id))) {
    put('Deposits to members’ savings and share capital', l.value_date, l.credit_minor)
    put('Withdrawals from members’ savings and share capital', l.value_date, l.debit_minor)
  }
  const occ = y.db.prepare('SELECT status, due_date, value_date, amount_minor FROM recurring_occurrences WHERE standing_order_id IS NOT NULL').all() as {
    status: string
    due_date: string
    value_date: string | null
    amount_minor: number
  }[]
  for (const o of occ) {
    if (o.status === 'posted') {
      put('Standing orders run', o.value_date, 1)
      put('Standing orders run (amount)', o.value_date, o.amount_minor)
    }
    if (o.status === 'failed') put('Standing orders failed', o.due_date, 1)
  }
  for (const p of value<{ periods: PayPeriod[] }>(await y.core.invoke('payroll.periods', {})).periods.filter((x) => x.status === 'posted')) {
    put('Gross pay', p.payDate, p.grossMinor)
    put('Deductions', p.payDate, p.deductionsMinor)
    put('Net pay', p.payDate, p.netMinor)
    put('Employer contributions', p.payDate, p.employerMinor)
  }
  // The cash position from the raw journal: every line up to each month's end.
  const balanceAt = (accountId: number, date: string) =>
    lines.filter((l) => l.account_id === accountId && l.value_date <= date).reduce((s, l) => s + l.debit_minor - l.credit_minor, 0)
  e['Cash in hand at the end'] = MONTHS.map((m) => balanceAt(y.role.cash.id, lastDay(m)))
  e['Bank at the end'] = MONTHS.map((m) => balanceAt(y.role.bank.id, lastDay(m)))
  e['Cash and bank at the end'] = MONTHS.map((_, i) => e['Cash in hand at the end']![i]! + e['Bank at the end']![i]!)
  return e
}

describe('monthly summary', () => {
  it('every figure, month by month, equals what the services and the raw journal give; Totals add up (the cash position’s is the last end)', async () => {
    const doc = build(monthlySummary, { from: y.from, to: y.to })
    expect(doc).toMatchObject({ name: 'monthly-summary', title: 'Monthly summary', landscape: true })
    // Month names as the book's locale shortens them (en-KE: "Sept 2026").
    const month = new Intl.DateTimeFormat('en-KE', { month: 'short', year: 'numeric', timeZone: 'UTC' })
    expect(doc.tables[0]!.columns.map((c) => c.label)).toEqual(['Figure', ...MONTHS.map((m) => month.format(new Date(`${m}-01T00:00:00Z`))), 'Total'])
    expect(doc.tables[0]!.columns[1]!.label).toBe('Jan 2026')
    const got = figures(doc)
    const expected = await expectedByMonth()
    const zero = MONTHS.map(() => 0)
    for (const [label, f] of got) {
      expect(f.periods, label).toEqual(expected[label] ?? zero)
      const cash = label.includes('at the end')
      expect(f.total, label).toBe(cash ? f.periods[11] : f.periods.reduce((s, x) => s + x, 0))
    }
    expect([...got.keys()].sort()).toEqual(Object.keys(expected).sort())
    // The seed's known facts, so an empty book could not pass: 23 coupons and 1 interest payment, 3 principal payments
    // (one early redemption, two holdings matured 1 July), one order run and one failed in June, March's payroll only.
    expect(got.get('Coupons and interest paid (payments)')!.total).toBe(24)
    expect(got.get('Redemptions paid (payments)')!.total).toBe(3)
    expect(got.get('Holdings maturing')!.periods[6]).toBe(2)
    expect(got.get('Tax withheld')!.total).toBeGreaterThan(0)
    expect(got.get('Standing orders run')!.periods[5]).toBe(1)
    expect(got.get('Standing orders failed')!.periods[5]).toBe(1)
    expect(got.get('Gross pay')!.periods[2]).toBe(y.payroll.posted.grossMinor)
    expect(got.get('Gross pay')!.periods[3]).toBe(0) // April is a draft: not counted
    expect(y.payroll.posted.grossMinor).toBeGreaterThan(0)
    // The cash position at the year's end is the ledger's balance now (nothing is dated after 15 Dec).
    const accounts = value<{ accounts: Account[] }>(await y.core.invoke('ledger.accounts', {})).accounts
    const bal = (id: number) => accounts.find((a) => a.id === id)!.balanceMinor
    expect(got.get('Cash in hand at the end')!.total).toBe(bal(y.role.cash.id))
    expect(got.get('Bank at the end')!.total).toBe(bal(y.role.bank.id))
  })

  it('a range cut inside months: the first and last months are cut, figures outside left out', async () => {
    const doc = build(monthlySummary, { from: '2026-03-10', to: '2026-07-05' })
    expect(doc.tables[0]!.columns.map((c) => c.label)).toEqual(['Figure', '10 Mar 2026 – 31 Mar 2026', 'Apr 2026', 'May 2026', 'Jun 2026', '1 Jul 2026 – 5 Jul 2026', 'Total'])
    expect(doc.tables[0]!.note).toContain('cut to the dates')
    const f = figures(doc)
    // The early redemption (16 Mar) is in; the 1 July maturities are in; nothing of January.
    const expected = await expectedByMonth()
    expect(f.get('Redemptions paid (amount)')!.periods).toEqual(expected['Redemptions paid (amount)']!.slice(2, 7))
    expect(f.get('New holdings')!.total).toBe(0)
    const cashRaw = y.db.prepare("SELECT coalesce(sum(debit_minor - credit_minor), 0) FROM journal_lines WHERE account_id = ? AND value_date <= '2026-07-05'").pluck().get(y.role.bank.id)
    expect(f.get('Bank at the end')!.total).toBe(cashRaw)
  })
})

describe('weekly summary', () => {
  it('over each month’s days its Total equals that month’s column of the monthly summary; over the year, the Totals are equal', async () => {
    const monthly = figures(build(monthlySummary, { from: y.from, to: y.to }))
    for (const [i, m] of MONTHS.entries()) {
      const weekly = figures(build(weeklySummary, { from: `${m}-01`, to: lastDay(m) }))
      for (const [label, f] of weekly) expect(f.total, `${m} ${label}`).toBe(monthly.get(label)!.periods[i])
    }
    const doc = build(weeklySummary, { from: y.from, to: y.to })
    // 1 Jan 2026 is a Thursday of week 1; 31 Dec 2026 a Thursday of week 53.
    const cols = doc.tables[0]!.columns
    expect(cols).toHaveLength(1 + 53 + 1)
    expect(cols[1]!.label).toBe('Week 1, 2026 (1 Jan 2026 – 4 Jan 2026)')
    expect(cols[53]!.label).toBe('Week 53, 2026 (28 Dec 2026 – 31 Dec 2026)')
    const year = figures(doc)
    for (const [label, f] of year) expect(f.total, label).toBe(monthly.get(label)!.total)
  })
})

describe('trial balance', () => {
  const raw = (accountId: number, from: string | null, to: string) =>
    y.db
      .prepare(
        `SELECT coalesce(sum(debit_minor), 0) AS d, coalesce(sum(credit_minor), 0) AS c FROM journal_lines WHERE account_id = ? AND value_date <= ? ${from ? 'AND value_date >= ?' : ''}`
      )
      .get(...(from ? [accountId, to, from] : [accountId, to])) as { d: number; c: number }

  it('brought forward, movements and closing per account equal the raw journal; debits equal credits in each pair; closing equals the ledger’s balance', async () => {
    for (const [from, to] of [
      ['2026-04-10', '2026-08-20'],
      ['2026-01-01', '2026-12-31'],
      ['2026-03-01', '2026-03-31']
    ] as const) {
      const doc = build(trialBalance, { from, to })
      const rows = rowsOf(doc, 'accounts')
      expect(rows.length).toBeGreaterThan(5)
      const sums = [3, 4, 5, 6, 7, 8].map((i) => rows.reduce((s, r) => s + (r.cells[i] as number), 0))
      expect(sums[0]).toBe(sums[1])
      expect(sums[2]).toBe(sums[3])
      expect(sums[4]).toBe(sums[5])
      expect(sums[2]).toBeGreaterThan(0)
      expect(doc.tables[0]!.note).toContain('debits equal credits')
      const codes = rows.map((r) => r.cells[0] as string)
      expect(codes).toEqual([...codes].sort((a, b) => a.localeCompare(b)))
      for (const r of rows) {
        const a = y.accounts.find((x) => x.code === r.cells[0])!
        const before = raw(a.id, null, new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10))
        const inRange = raw(a.id, from, to)
        const upTo = raw(a.id, null, to)
        expect((r.cells[3] as number) - (r.cells[4] as number), `${a.code} b/f`).toBe(before.d - before.c)
        expect([r.cells[5], r.cells[6]], `${a.code} movements`).toEqual([inRange.d, inRange.c])
        expect((r.cells[7] as number) - (r.cells[8] as number), `${a.code} closing`).toBe(upTo.d - upTo.c)
        expect(r.cells[2]).toBe(a.type.charAt(0).toUpperCase() + a.type.slice(1))
      }
      // Accounts with neither balance nor movement are left out; none with either is.
      const used = y.db.prepare('SELECT DISTINCT account_id FROM journal_lines WHERE value_date <= ?').pluck().all(to) as number[]
      for (const id of used) {
        const a = y.accounts.find((x) => x.id === id)!
        const upTo = raw(id, null, to)
        const inRange = raw(id, from, to)
        if (upTo.d !== upTo.c || inRange.d + inRange.c > 0) expect(codes, a.code).toContain(a.code)
      }
    }
    // Over the year (nothing after 15 Dec), each closing is the LedgerService's balance in its normal direction.
    const accounts = value<{ accounts: Account[] }>(await y.core.invoke('ledger.accounts', {})).accounts
    for (const r of rowsOf(build(trialBalance, { from: y.from, to: y.to }), 'accounts')) {
      const a = accounts.find((x) => x.code === r.cells[0])!
      const net = (r.cells[7] as number) - (r.cells[8] as number)
      expect(a.type === 'asset' || a.type === 'expense' ? net : -net, a.code).toBe(a.balanceMinor)
    }
  })
})

describe('account statement', () => {
  it('brought forward, every line oldest first with a running balance, the closing balance; debits and credits total the lines', async () => {
    for (const [account, from, to] of [
      [y.role.bank, '2026-03-15', '2026-09-30'],
      [y.role['member-savings'], y.from, y.to],
      [y.role['withholding-tax'], '2026-02-01', '2026-06-30']
    ] as const) {
      const doc = build(accountStatement, { from, to, accountId: account.id })
      expect(doc.subtitle).toContain(`${account.code} ${account.name}`)
      expect(doc.parameters).toContainEqual({ label: 'Account', value: `${account.code} ${account.name}` })
      const rows = rowsOf(doc, 'lines')
      const debitNormal = account.type === 'asset' || account.type === 'expense'
      const sign = (d: number, c: number) => (debitNormal ? d - c : c - d)
      const raw = y.db
        .prepare('SELECT id, entry_id, value_date, debit_minor, credit_minor FROM journal_lines WHERE account_id = ? ORDER BY value_date, id')
        .all(account.id) as { id: number; entry_id: number; value_date: string; debit_minor: number; credit_minor: number }[]
      const opening = raw.filter((l) => l.value_date < from).reduce((s, l) => s + sign(l.debit_minor, l.credit_minor), 0)
      const inRange = raw.filter((l) => l.value_date >= from && l.value_date <= to)
      expect(inRange.length).toBeGreaterThan(0)
      expect(rows[0]).toMatchObject({ style: 'opening', cells: [from, null, 'Balance brought forward', null, null, null, null, opening] })
      const body = rows.slice(1, -1)
      expect(body.map((r) => [r.cells[0], r.cells[1], r.cells[5] ?? 0, r.cells[6] ?? 0])).toEqual(inRange.map((l) => [l.value_date, String(l.entry_id), l.debit_minor, l.credit_minor]))
      let running = opening
      for (const r of body) {
        running += sign((r.cells[5] as number | null) ?? 0, (r.cells[6] as number | null) ?? 0)
        expect(r.cells[7]).toBe(running)
        expect(r.cells[2]).toEqual(expect.any(String))
      }
      const closing = opening + inRange.reduce((s, l) => s + sign(l.debit_minor, l.credit_minor), 0)
      expect(rows[rows.length - 1]).toMatchObject({ style: 'total', cells: [to, null, 'Closing balance', null, null, null, null, closing] })
      // The debit and credit columns (the only ones totalled) add up to the lines'.
      const t = doc.tables[0]!
      expect(t.columns.filter((c) => c.total).map((c) => c.key)).toEqual(['debit', 'credit'])
      expect(rows.reduce((s, r) => s + ((r.cells[5] as number | null) ?? 0), 0)).toBe(inRange.reduce((s, l) => s + l.debit_minor, 0))
      expect(rows.reduce((s, r) => s + ((r.cells[6] as number | null) ?? 0), 0)).toBe(inRange.reduce((s, l) => s + l.credit_minor, 0))
    }
    // The member account is named on a control account's lines.
    const savings = rowsOf(build(accountStatement, { from: y.from, to: y.to, accountId: y.role['member-savings'].id }), 'lines')
    expect(savings[1]!.cells[4]).toBe('M-001-SAV Member 1')
    // Over the whole year the closing balance is the ledger's balance of the account.
    const accounts = value<{ accounts: Account[] }>(await y.core.invoke('ledger.accounts', {})).accounts
    for (const a of [y.role.bank, y.role.cash, y.role['member-savings'], y.role['coupon-expense']]) {
      const rows = rowsOf(build(accountStatement, { from: y.from, to: y.to, accountId: a.id }), 'lines')
      expect(rows[rows.length - 1]!.cells[7], a.code).toBe(accounts.find((x) => x.id === a.id)!.balanceMinor)
    }
  })

  it('refuses an account that is not in the chart, or none, with an error on the account field', () => {
    for (const accountId of [987_654, undefined]) {
      let error: unknown
      try {
        accountStatement.build(src, { from: y.from, to: y.to, ...(accountId === undefined ? {} : { accountId }) })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(DomainError)
      expect(error).toMatchObject({ code: 'VALIDATION', fields: { accountId: 'There is no such account' } })
    }
  })
})
