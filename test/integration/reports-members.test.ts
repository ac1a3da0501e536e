/**
 * The member statement and the payroll register on real books: members,
 * their deposits, share purchases and withdrawals (some back-dated), bond
 * holdings and coupons paid, made through the real core; payroll periods
 * drafted, approved and posted through the real core. Each report's figures
 * are checked against the journal read raw, the ledger's own balances, the
 * payments list, and the payroll service's register and statutory summary.
 */
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, type Core } from '../../src/core'
import { LedgerService } from '../../src/core/ledger'
import { REPORT_DEFINITIONS } from '../../src/core/reports/defs'
import type { ReportDocument, ReportSource, ReportTable } from '../../src/core/reports/model'
import type { BondSeries, Holding, JournalEntry, Member, Payment, Profile, ReportName, ReportParams, ReportRow } from '../../src/shared/contract'
import type { MemberAccount, Statement } from '../../src/shared/contract/ledger'
import type { PayPeriod, Register, StatutorySummary } from '../../src/shared/contract/payroll'
import { jobCore } from '../support/job-core'
import { rawDb } from '../support/ledger'
import { prepareAndApprove } from '../support/operators'
import { addStaff, monthlyCalendar, payrollBook, period, periodStarting, run, setDay, type PayrollBook } from '../support/payroll'
import { SERIES, runJob } from '../support/series'
import { value } from '../support/temp-core'

/** What the definitions read the book through: a connection of our own on the book's file, with a ledger service on it. */
function sourceOn(sqlite: Database.Database, profile: Profile, now: Date): ReportSource {
  const db = drizzle(sqlite)
  const clock = { now: () => now }
  const ledger = new LedgerService(
    { db, sqlite, clock, emit: () => undefined },
    { timeZone: () => profile.timeZone, locale: () => profile.locale, currency: () => profile.currency }
  )
  return { sqlite, db, ledger, profile, today: now.toISOString().slice(0, 10), now }
}

/** The document built and every table's rows read in one read transaction, as the service does; each table read twice (rows() starts over). */
function read(src: ReportSource, name: ReportName, params: ReportParams): { doc: ReportDocument; rows: Record<string, ReportRow[]> } {
  return src.sqlite.transaction(() => {
    const doc = REPORT_DEFINITIONS[name].build(src, params)
    const rows: Record<string, ReportRow[]> = {}
    for (const t of doc.tables) {
      const once = [...t.rows()]
      expect([...t.rows()]).toEqual(once)
      if (t.rowCount !== null) expect(t.rowCount, `${t.key}: rowCount`).toBe(once.length)
      for (const r of once) expect(r.cells, `${t.key}: a cell per column`).toHaveLength(t.columns.length)
      rows[t.key] = once
    }
    return { doc, rows }
  })()
}

const table = (doc: ReportDocument, key: string): ReportTable => {
  const t = doc.tables.find((x) => x.key === key)
  if (!t) throw new Error(`no table ${key}`)
  return t
}
const colOf = (doc: ReportDocument, key: string, column: string): number => {
  const i = table(doc, key).columns.findIndex((c) => c.key === column)
  if (i < 0) throw new Error(`no column ${column} in ${key}`)
  return i
}
const num = (c: unknown): number => (c === null ? 0 : (c as number))

const fieldsOf = (f: () => unknown): Record<string, string> => {
  try {
    f()
  } catch (e) {
    return (e as { fields?: Record<string, string> }).fields ?? {}
  }
  throw new Error('expected a refusal')
}

// -----------------------------------------------------------------------------
// Member statement
// -----------------------------------------------------------------------------

interface MemberFixture {
  core: Core
  sqlite: Database.Database
  src: ReportSource
  series: BondSeries
  jane: Member
  otieno: Member
  ahmed: Member
  gone: Member
  /** Member accounts by member id. */
  accounts: Map<number, MemberAccount[]>
}

let mf: MemberFixture

const FROM = '2026-03-01'
const TO = '2026-04-30'

async function payments(core: Core, q: Record<string, unknown> = {}): Promise<Payment[]> {
  const out: Payment[] = []
  for (let offset = 0; ; offset += 1000) {
    const page = value<{ rows: Payment[]; total: number }>(await core.invoke('payments.list', { ...q, offset, limit: 1000 }))
    out.push(...page.rows)
    if (out.length >= page.total) return out
  }
}

beforeAll(async () => {
  const clock = new ManualClock('2026-05-06T06:00:00Z')
  const { core, dataDir } = await jobCore({ clock })
  const member = (memberNo: string, fullName: string) =>
    core.invoke('members.create', { memberNo, fullName, joinedOn: '2020-01-01' }).then((r) => value<Member>(r))
  const open = (m: Member, product: 'savings' | 'shares') =>
    core.invoke('ledger.openMemberAccount', { memberId: m.id, product }).then((r) => value<MemberAccount>(r))
  // Made out of number order: the batch is in member-number order all the same.
  const ahmed = await member('M-003', 'Ahmed Hassan')
  const jane = await member('M-001', 'Jane Wanjiru')
  const gone = await member('M-004', 'Grace Left')
  const otieno = await member('M-002', '王小明 Otieno')
  const janeSav = await open(jane, 'savings')
  const janeShr = await open(jane, 'shares')
  const otiSav = await open(otieno, 'savings')
  const goneSav = await open(gone, 'savings')
  const money = (kind: 'deposit' | 'withdraw' | 'buyShares', ma: MemberAccount, amountMinor: number, valueDate: string, reference?: string) =>
    core
      .invoke(`ledger.${kind}`, { memberAccountId: ma.id, amountMinor, valueDate, via: 'cash', ...(reference ? { reference } : {}) })
      .then((r) => value<JournalEntry>(r))
  await money('deposit', janeSav, 1_000_000, '2026-01-10', 'R-1')
  // On From itself: in the dates, not brought forward.
  await money('deposit', janeSav, 11_100, '2026-03-01', 'R-from')
  await money('deposit', janeSav, 250_000, '2026-03-03', 'R-2')
  await money('withdraw', janeSav, 120_000, '2026-03-20')
  await money('deposit', janeSav, 75_050, '2026-04-30', 'R-3')
  await money('deposit', janeSav, 999_999, '2026-05-02', 'after')
  await money('buyShares', janeShr, 500_000, '2026-02-01')
  await money('buyShares', janeShr, 100_000, '2026-04-01')
  // Back-dated: entered after the lines above, one before From (into the balance brought forward), one inside the dates.
  await money('deposit', janeSav, 33_300, '2026-02-14', 'late-bf')
  await money('deposit', janeSav, 44_400, '2026-03-10', 'late-in')
  await money('deposit', otiSav, 200_000, '2026-02-28')
  await money('withdraw', otiSav, 50_000, '2026-03-31')
  await money('deposit', goneSav, 10_000, '2026-03-15')
  // Grace leaves: not in the batch.
  value(await core.invoke('members.setActive', { id: gone.id, active: false, expectedVersion: gone.version }))
  // Jane holds 10 units from 16 Jan; Otieno buys 2 units on 2 May, after To: not held at To.
  const series = value<BondSeries>(await core.invoke('bonds.createSeries', SERIES))
  value<Holding>(await core.invoke('bonds.buyHolding', { memberId: jane.id, seriesId: series.id, units: 10, purchaseDate: '2026-01-16' }))
  value<Holding>(await core.invoke('bonds.buyHolding', { memberId: otieno.id, seriesId: series.id, units: 2, purchaseDate: '2026-05-02' }))
  await runJob(core, 'coupons')
  const due = await payments(core, { status: 'pending' })
  const early = due.filter((p) => p.dueDate <= '2026-03-31').map((p) => p.id)
  const late = due.filter((p) => p.dueDate > '2026-03-31' && p.dueDate <= '2026-04-30').map((p) => p.id)
  expect(early.length).toBeGreaterThan(1)
  expect(late.length).toBeGreaterThan(0)
  await prepareAndApprove(core, [...early, ...late])
  value(await core.invoke('payments.pay', { ids: early, paidOn: '2026-04-02', method: 'cash' }))
  value(await core.invoke('payments.pay', { ids: late, paidOn: '2026-05-05', method: 'cash' }))
  const sqlite = rawDb(dataDir)
  const profile = value<Profile>(await core.invoke('profile.get', {}))
  const accounts = new Map<number, MemberAccount[]>()
  for (const m of [jane, otieno, ahmed, gone]) {
    accounts.set(m.id, value<{ accounts: MemberAccount[] }>(await core.invoke('ledger.memberAccounts', { memberId: m.id })).accounts)
  }
  mf = { core, sqlite, src: sourceOn(sqlite, profile, clock.now()), series, jane, otieno, ahmed, gone, accounts }
}, 60_000)

afterAll(async () => {
  mf?.sqlite.close()
  await mf?.core.shutdown()
})

/** A member account's balance (credit-normal) at the end of `date`, from the journal read raw. */
const rawBalance = (db: Database.Database, memberAccountId: number, before: string): number =>
  db
    .prepare('SELECT coalesce(sum(credit_minor) - sum(debit_minor), 0) FROM journal_lines WHERE member_account_id = ? AND value_date < ?')
    .pluck()
    .get(memberAccountId, before) as number

/** The Accounts rows split by account (column 1), in order. */
function byAccount(rows: ReportRow[]): Map<string, ReportRow[]> {
  const out = new Map<string, ReportRow[]>()
  for (const r of rows) {
    if (r.cells[1] === null) continue
    const k = r.cells[1] as string
    out.set(k, [...(out.get(k) ?? []), r])
  }
  return out
}

describe('member statement', () => {
  it('one member: brought forward (with a back-dated entry), every line oldest first with a running balance, closing equal to the ledger at To', async () => {
    const { doc, rows } = read(mf.src, 'member-statement', { from: FROM, to: TO, memberId: mf.jane.id })
    expect(doc.title).toBe('Member statement')
    expect(doc.subtitle).toContain('M-001 Jane Wanjiru')
    expect(doc.parameters.map((p) => p.label)).toEqual(['From', 'To', 'Member'])
    const t = table(doc, 'accounts')
    expect(t.groupBy).toBe(0)
    expect(t.breakGroups).toBe(true)
    expect(t.columns.map((c) => c.label)).toEqual(['Member', 'Account', 'Date', 'Description', 'Reference', 'Paid out', 'Paid in', 'Balance'])
    const accounts = mf.accounts.get(mf.jane.id)!
    const groups = byAccount(rows.accounts!)
    expect([...groups.keys()]).toEqual(['M-001-SAV Savings', 'M-001-SHR Share capital'])
    expect(rows.accounts!.every((r) => r.cells[0] === 'M-001 Jane Wanjiru')).toBe(true)
    const bal = colOf(doc, 'accounts', 'balance')
    const out = colOf(doc, 'accounts', 'paidOut')
    const inn = colOf(doc, 'accounts', 'paidIn')
    for (const a of accounts) {
      const g = groups.get(`${a.number} ${a.product === 'savings' ? 'Savings' : 'Share capital'}`)!
      const first = g[0]!
      const last = g.at(-1)!
      expect(first.style).toBe('opening')
      expect(first.cells.slice(2, 4)).toEqual([FROM, 'Balance brought forward'])
      expect(first.cells[bal]).toBe(rawBalance(mf.sqlite, a.id, FROM))
      expect(last.style).toBe('subtotal')
      expect(last.cells.slice(2, 4)).toEqual([TO, 'Closing balance'])
      // Closing: the journal raw, and the ledger's own statement at To.
      expect(last.cells[bal]).toBe(rawBalance(mf.sqlite, a.id, '2026-05-01'))
      const st = value<Statement>(await mf.core.invoke('ledger.statement', { memberAccountId: a.id, to: TO, limit: 1 }))
      expect(last.cells[bal]).toBe(st.closingMinor)
      // Every line in the dates, oldest first, each balance the one before plus what came in less what went out.
      const lines = g.slice(1, -1)
      const raw = mf.sqlite
        .prepare('SELECT value_date, debit_minor, credit_minor FROM journal_lines WHERE member_account_id = ? AND value_date BETWEEN ? AND ? ORDER BY value_date, id')
        .all(a.id, FROM, TO) as { value_date: string; debit_minor: number; credit_minor: number }[]
      expect(lines.map((r) => [r.cells[2], num(r.cells[out]), num(r.cells[inn])])).toEqual(raw.map((l) => [l.value_date, l.debit_minor, l.credit_minor]))
      let running = first.cells[bal] as number
      for (const l of lines) {
        expect(l.style).toBe('normal')
        running += num(l.cells[inn]) - num(l.cells[out])
        expect(l.cells[bal]).toBe(running)
      }
      expect(last.cells[bal]).toBe(running)
    }
    // The figures by hand: savings brought forward 10,000.00 + the back-dated 333.00; in the dates +111.00 (on From) +2,500.00 +444.00 −1,200.00 +750.50.
    const sav = groups.get('M-001-SAV Savings')!
    expect(sav[0]!.cells[bal]).toBe(1_033_300)
    expect(sav.map((r) => r.cells[4])).toEqual([null, 'R-from', 'R-2', 'late-in', null, 'R-3', null])
    expect(sav.at(-1)!.cells[bal]).toBe(1_033_300 + 11_100 + 250_000 + 44_400 - 120_000 + 75_050)
    const shr = groups.get('M-001-SHR Share capital')!
    expect(shr.map((r) => r.cells[bal])).toEqual([500_000, 600_000, 600_000])
  })

  it('one member: holdings at To and the coupons paid in the dates, as the payments list has them', async () => {
    const { doc, rows } = read(mf.src, 'member-statement', { from: FROM, to: TO, memberId: mf.jane.id })
    const t = table(doc, 'holdings')
    expect(t.columns.map((c) => c.label)).toEqual([
      'Member',
      'Item',
      'Series',
      'Bought or paid on',
      'Units',
      'Face value',
      'Coupon rate',
      'Maturity',
      'Coupon period',
      'Gross',
      'Tax withheld',
      'Net'
    ])
    const h = rows.holdings!
    const holdings = h.filter((r) => r.cells[1] === 'Holding')
    expect(holdings.map((r) => r.cells)).toEqual([
      ['M-001 Jane Wanjiru', 'Holding', 'UMJ-27 Umoja 12% 2027', '2026-01-16', 10, 1_000_000, '12', '2027-01-01', null, null, null, null]
    ])
    const paid = (await payments(mf.core, { status: 'paid', memberId: mf.jane.id })).filter((p) => p.paidOn! >= FROM && p.paidOn! <= TO)
    expect(paid.length).toBeGreaterThan(1)
    const coupons = h.filter((r) => r.cells[1] === 'Coupon paid')
    expect(coupons).toHaveLength(paid.length)
    expect(coupons.length + holdings.length).toBe(h.length)
    const g = colOf(doc, 'holdings', 'gross')
    const sumOf = (i: number) => coupons.reduce((s, r) => s + num(r.cells[i]), 0)
    expect(sumOf(g)).toBe(paid.reduce((s, p) => s + p.grossMinor, 0))
    expect(sumOf(g + 1)).toBe(paid.reduce((s, p) => s + p.taxMinor, 0))
    expect(sumOf(g + 2)).toBe(paid.reduce((s, p) => s + p.netMinor, 0))
    expect(coupons.every((r) => r.cells[3] === '2026-04-02' && num(r.cells[g]) - num(r.cells[g + 1]) === r.cells[g + 2])).toBe(true)
    // The coupons paid on 5 May are after To: not here.
    expect(coupons.some((r) => r.cells[3] === '2026-05-05')).toBe(false)
  })

  it('all active members: each once, in member-number order, the inactive one left out; a member with nothing still gets a line saying so', async () => {
    const { doc, rows } = read(mf.src, 'member-statement', { from: FROM, to: TO })
    expect(doc.subtitle).toContain('All active members (3)')
    expect(doc.parameters.map((p) => p.label)).toEqual(['From', 'To', 'Members'])
    const order = (rs: ReportRow[]) => [...new Set(rs.map((r) => r.cells[0]))]
    const members = ['M-001 Jane Wanjiru', 'M-002 王小明 Otieno', 'M-003 Ahmed Hassan']
    expect(order(rows.accounts!)).toEqual(members)
    expect(order(rows.holdings!)).toEqual(members)
    // Grouped: a member's rows are together (no member comes back after another).
    const runs = rows.accounts!.filter((r, i, a) => i === 0 || a[i - 1]!.cells[0] !== r.cells[0]).map((r) => r.cells[0])
    expect(runs).toEqual(members)
    expect(rows.accounts!.some((r) => String(r.cells[0]).includes('Grace'))).toBe(false)
    // Ahmed has no account and no holding: one line each, in words.
    const ahmed = rows.accounts!.filter((r) => r.cells[0] === 'M-003 Ahmed Hassan')
    expect(ahmed.map((r) => r.cells[3])).toEqual(['No savings or share capital account'])
    const ahmedH = rows.holdings!.filter((r) => r.cells[0] === 'M-003 Ahmed Hassan')
    expect(ahmedH).toHaveLength(1)
    expect(ahmedH[0]!.cells[1]).toMatch(/^No bond holding at .* and no coupon paid in these dates$/)
    // Otieno's units were bought after To: no holding at To, said so.
    const otiH = rows.holdings!.filter((r) => r.cells[0] === 'M-002 王小明 Otieno')
    expect(otiH.map((r) => r.cells[1])).toEqual([expect.stringMatching(/^No bond holding/)])
    // Every active member's closing balances equal the ledger's at To; the batch's Jane is the one-member statement's Jane.
    const bal = colOf(doc, 'accounts', 'balance')
    const closings = rows.accounts!.filter((r) => r.style === 'subtotal')
    const expected: number[] = []
    for (const m of [mf.jane, mf.otieno]) for (const a of mf.accounts.get(m.id)!) expected.push(rawBalance(mf.sqlite, a.id, '2026-05-01'))
    expect(closings.map((r) => r.cells[bal])).toEqual(expected)
    const one = read(mf.src, 'member-statement', { from: FROM, to: TO, memberId: mf.jane.id })
    expect(rows.accounts!.filter((r) => r.cells[0] === 'M-001 Jane Wanjiru')).toEqual(one.rows.accounts)
    expect(rows.holdings!.filter((r) => r.cells[0] === 'M-001 Jane Wanjiru')).toEqual(one.rows.holdings)
  })

  it('an inactive member chosen by name still gets their statement, marked inactive', () => {
    const { doc, rows } = read(mf.src, 'member-statement', { from: FROM, to: TO, memberId: mf.gone.id })
    expect(doc.subtitle).toContain('M-004 Grace Left (inactive)')
    expect(rows.accounts!.filter((r) => r.style === 'subtotal').map((r) => r.cells.at(-1))).toEqual([10_000])
  })

  it('rows are read lazily: the first row reads only the first account, and nothing is read before rows are asked for', () => {
    let statements = 0
    const ledger = new Proxy(mf.src.ledger, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown
        if (prop === 'statement') return (...a: unknown[]) => (statements++, (v as (...x: unknown[]) => unknown).apply(target, a))
        return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v
      }
    })
    const src = { ...mf.src, ledger }
    mf.sqlite.transaction(() => {
      const doc = REPORT_DEFINITIONS['member-statement'].build(src, { from: FROM, to: TO })
      expect(statements).toBe(0)
      const it = table(doc, 'accounts').rows()[Symbol.iterator]()
      expect(it.next().value?.style).toBe('opening')
      expect(statements).toBe(1)
      // Stopping part way closes the open read (else the next query on the connection would be refused).
      it.return?.(undefined)
      expect(mf.sqlite.prepare('SELECT count(*) FROM members').pluck().get()).toBe(4)
      const all = [...table(doc, 'accounts').rows()]
      expect(statements).toBe(1 + 3)
      expect(all.filter((r) => r.style === 'opening')).toHaveLength(3)
    })()
  })

  it('refuses a member that is not there, next to the member box', () => {
    expect(fieldsOf(() => REPORT_DEFINITIONS['member-statement'].build(mf.src, { from: FROM, to: TO, memberId: 99_999 }))).toHaveProperty('memberId')
  })
})

// -----------------------------------------------------------------------------
// Payroll register
// -----------------------------------------------------------------------------

describe('payroll register', () => {
  let b: PayrollBook
  let src: ReportSource
  let jan: PayPeriod
  let feb: PayPeriod
  let mar: PayPeriod

  const fresh = async (id: number): Promise<PayPeriod> => (await period(b, id)).period
  const approve = async (id: number) => value<PayPeriod>(await b.core.invoke('payroll.approve', { id, expectedVersion: (await fresh(id)).version }))
  const post = async (id: number) => value<PayPeriod>(await b.core.invoke('payroll.post', { id, expectedVersion: (await fresh(id)).version }))

  beforeAll(async () => {
    b = await payrollBook({ makerChecker: false })
    await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })
    await addStaff(b, 'S-001', 'Alice Achieng', { loanMinor: 200_000 })
    await monthlyCalendar(b, '2026-01-01', { kind: 'days-before-end', days: 3 })
    // January: drafted, approved, posted on its pay date.
    setDay(b, '2026-01-28')
    await run(b)
    jan = await periodStarting(b, '2026-01-01')
    await approve(jan.id)
    setDay(b, '2026-01-31')
    await post(jan.id)
    // February: drafted and approved, not posted. A third person joins.
    await addStaff(b, 'S-003', 'Chen 陈 Wei', { basicMinor: 4_200_000, hireDate: '2026-02-01' })
    setDay(b, '2026-02-25')
    await run(b)
    feb = await periodStarting(b, '2026-02-01')
    await approve(feb.id)
    // March: a draft only.
    setDay(b, '2026-03-28')
    await run(b)
    mar = await periodStarting(b, '2026-03-01')
    expect([(await fresh(jan.id)).status, (await fresh(feb.id)).status, (await fresh(mar.id)).status]).toEqual(['posted', 'approved', 'draft'])
    const profile = value<Profile>(await b.core.invoke('profile.get', {}))
    src = sourceOn(b.db, profile, b.clock.now())
  }, 60_000)

  afterAll(async () => {
    await b?.close()
  })

  it('the approved and posted periods paid in the dates; totals equal the payroll service’s register; drafts left out and named in the note', async () => {
    const { doc, rows } = read(src, 'payroll-register', { from: '2026-01-01', to: '2026-03-31' })
    expect(doc.title).toBe('Payroll register')
    const t = table(doc, 'register')
    expect(t.note).toMatch(/drafts are left out/)
    expect(t.note).toContain('March 2026')
    expect(t.note).toMatch(/a draft/)
    const regs = [value<Register>(await b.core.invoke('payroll.register', { periodId: jan.id })), value<Register>(await b.core.invoke('payroll.register', { periodId: feb.id }))]
    const reg = rows.register!
    expect(reg.map((r) => [r.cells[0], r.cells[1]])).toEqual([
      ['January 2026', 'S-001'],
      ['January 2026', 'S-002'],
      ['February 2026 (approved, not yet posted)', 'S-001'],
      ['February 2026 (approved, not yet posted)', 'S-002'],
      ['February 2026 (approved, not yet posted)', 'S-003']
    ])
    expect(reg.some((r) => String(r.cells[0]).startsWith('March'))).toBe(false)
    // A column per component, labelled by its name; the totals equal the register's, period by period and in all.
    const components = regs.flatMap((r) => r.totals.components.map((c) => c.name))
    expect(t.columns.map((c) => c.label)).toEqual(['Period', 'Staff no.', 'Name', ...new Set(components), 'Gross', 'Total deductions', 'Net'])
    expect(t.columns.filter((c) => c.kind === 'money').every((c) => c.total)).toBe(true)
    const [gross, ded, net] = [colOf(doc, 'register', 'gross'), colOf(doc, 'register', 'deductions'), colOf(doc, 'register', 'net')]
    const periodsByLabel = ['January 2026', 'February 2026 (approved, not yet posted)']
    regs.forEach((r, i) => {
      const mine = reg.filter((x) => x.cells[0] === periodsByLabel[i])
      expect(mine.reduce((s, x) => s + num(x.cells[gross]), 0)).toBe(r.totals.grossMinor)
      expect(mine.reduce((s, x) => s + num(x.cells[ded]), 0)).toBe(r.totals.deductionsMinor)
      expect(mine.reduce((s, x) => s + num(x.cells[net]), 0)).toBe(r.totals.netMinor)
      for (const c of r.totals.components) {
        const k = colOf(doc, 'register', `component:${c.code}`)
        expect(mine.reduce((s, x) => s + num(x.cells[k]), 0), `${r.period.name} ${c.code}`).toBe(c.amountMinor)
      }
    })
    // Each person's row is their register row (and gross less deductions is net).
    const alice = regs[0]!.rows.find((r) => r.staffNo === 'S-001')!
    expect(reg[0]!.cells.slice(gross)).toEqual([alice.grossMinor, alice.deductionsMinor, alice.netMinor])
    expect(reg.every((r) => num(r.cells[gross]) - num(r.cells[ded]) === r.cells[net])).toBe(true)
    // The loan only Alice repays: Bob's and Chen's LOAN cells are empty.
    const loan = colOf(doc, 'register', 'component:LOAN')
    expect(reg.map((r) => r.cells[loan])).toEqual([200_000, null, 200_000, null, null])
  })

  it('statutory deductions per period equal the payroll service’s statutory summary', async () => {
    const { doc, rows } = read(src, 'payroll-register', { from: '2026-01-01', to: '2026-03-31' })
    const t = table(doc, 'statutory')
    expect(t.columns.map((c) => c.label)).toEqual(['Period', 'Code', 'Name', 'Kind', 'Account', 'Staff', 'Base total', 'Amount'])
    expect(t.columns.filter((c) => c.total).map((c) => c.key)).toEqual(['amount'])
    const sums = [
      value<StatutorySummary>(await b.core.invoke('payroll.statutory', { periodId: jan.id })),
      value<StatutorySummary>(await b.core.invoke('payroll.statutory', { periodId: feb.id }))
    ]
    expect(sums[0]!.rows.length).toBeGreaterThan(0)
    const st = rows.statutory!
    expect(st).toHaveLength(sums[0]!.rows.length + sums[1]!.rows.length)
    const amount = colOf(doc, 'statutory', 'amount')
    expect(st.reduce((s, r) => s + num(r.cells[amount]), 0)).toBe(sums[0]!.totalMinor + sums[1]!.totalMinor)
    const expected = sums.flatMap((s, i) =>
      s.rows.map((r) => [
        i === 0 ? 'January 2026' : 'February 2026 (approved, not yet posted)',
        r.code,
        r.name,
        r.kind === 'deduction' ? 'Deduction' : 'Employer contribution',
        r.accountName,
        r.staff,
        r.baseMinor,
        r.amountMinor
      ])
    )
    expect(st.map((r) => r.cells)).toEqual(expected)
  })

  it('a range with only a draft in it: no rows, and the note says what was left out', () => {
    const { doc, rows } = read(src, 'payroll-register', { from: '2026-03-01', to: '2026-03-31' })
    expect(rows.register).toEqual([])
    expect(rows.statutory).toEqual([])
    expect(table(doc, 'register').columns.map((c) => c.label)).toEqual(['Period', 'Staff no.', 'Name', 'Gross', 'Total deductions', 'Net'])
    expect(table(doc, 'register').note).toMatch(/Left out, not approved yet: March 2026 \(pay date .*, a draft\)/)
    expect(doc.parameters.at(-1)).toEqual({ label: 'Periods', value: 'None approved or posted' })
  })
})
