/**
 * "A seeded year of activity" for the reports' tests (issue 15): one real
 * core (SQLite in /dev/shm, inline jobs, Ada signed in, Tom the treasurer
 * approving what needs a second operator) with a year of 2026 made through
 * the areas' own services, never raw SQL:
 *
 * - three members (M-001 Member 1 … M-003 Member 3), each with savings and
 *   share capital accounts; deposits to savings every month, by bank and by
 *   cash; a few withdrawals; share purchases;
 * - two bond series: UMJ-27 (monthly 12 %, 15 % withholding, 1 Jan 2026 to
 *   1 Jan 2027) and UMJ-S6 (monthly 10 %, 10 % withholding, 1 Jan 2026 to
 *   1 Jul 2026, so it matures in the year); four holdings; one of them
 *   redeemed early (16 Mar); the coupons and maturity jobs run; every
 *   payment due by 15 Dec paid (by bank transfer, on its due date), so
 *   coupons with tax, the redemption's principal and interest, and the
 *   matured series' principal are all paid;
 * - two standing orders for June only: one (Member 1, savings to shares)
 *   runs, the other (Member 2, more than their savings, retry 1 day) fails;
 * - a payroll: the payroll tests' components (see ./payroll.ts), two staff,
 *   the March 2026 period (pay date 27 Mar) drafted, approved by Tom and
 *   posted; an April period only drafted (not posted: it must not count).
 *
 * The clock ends at 15 Dec 2026 (noon in Nairobi). Takes about 0.6 s.
 *
 * Usage:
 *   const y = await seededYear()
 *   … y.core.invoke(…), y.db (a raw second connection), y.members[0].savings …
 *   await y.close()
 */
import { type Core, type ManualClock } from '../../src/core'
import type Database from 'better-sqlite3'
import type { Account, AccountRole, MemberAccount } from '../../src/shared/contract/ledger'
import type { BondSeries, Holding, Member, PayPeriod, Payment, Staff, StandingOrder } from '../../src/shared/contract'
import type { BookMember } from './ledger'
import { TREASURER, asOperator, prepareAndApprove } from './operators'
import { addStaff, payrollBook } from './payroll'
import { SERIES, runJob } from './series'
import { value } from './temp-core'

export interface SeededYear {
  core: Core
  dataDir: string
  clock: ManualClock
  /** A second connection to the book's file, for raw reads. */
  db: Database.Database
  /** The chart's accounts by role (cash, bank, member-savings…), and every account (the payroll ones too). */
  role: Record<AccountRole, Account>
  accounts: Account[]
  members: BookMember[]
  series: { long: BondSeries; short: BondSeries }
  holdings: Holding[]
  orders: { runs: StandingOrder; fails: StandingOrder }
  staff: Staff[]
  /** The posted payroll period (March 2026) and the one left as a draft (April 2026). */
  payroll: { posted: PayPeriod; draft: PayPeriod }
  /** The year: 2026-01-01 … 2026-12-31; the clock's today is 2026-12-15. */
  from: string
  to: string
  today: string
  close(): Promise<void>
}

const at = (clock: ManualClock, date: string): void => clock.set(`${date}T09:00:00Z`)

/** Builds the seeded year (see the header). */
export async function seededYear(): Promise<SeededYear> {
  const b = await payrollBook({ now: '2026-06-10T09:00:00Z' })
  const { core, clock } = b
  const invoke = core.invoke.bind(core)

  // Members and their accounts.
  const members: BookMember[] = []
  for (let i = 1; i <= 3; i++) {
    const member = value<Member>(await invoke('members.create', { memberNo: `M-${String(i).padStart(3, '0')}`, fullName: `Member ${i}`, joinedOn: '2020-01-01' }))
    const savings = value<MemberAccount>(await invoke('ledger.openMemberAccount', { memberId: member.id, product: 'savings' }))
    const shares = value<MemberAccount>(await invoke('ledger.openMemberAccount', { memberId: member.id, product: 'shares' }))
    members.push({ member, savings, shares })
  }
  const deposit = async (m: BookMember, amountMinor: number, valueDate: string, via: 'cash' | 'bank') =>
    value(await invoke('ledger.deposit', { memberAccountId: m.savings.id, amountMinor, valueDate, via }))
  const withdraw = async (m: BookMember, amountMinor: number, valueDate: string) =>
    value(await invoke('ledger.withdraw', { memberAccountId: m.savings.id, amountMinor, valueDate, via: 'cash' }))
  const buyShares = async (m: BookMember, amountMinor: number, valueDate: string) =>
    value(await invoke('ledger.buyShares', { memberAccountId: m.shares.id, amountMinor, valueDate, via: 'bank' }))

  // January to May: deposits (Member 1 and 3 by bank, Member 2 by cash), shares, a withdrawal.
  for (let month = 1; month <= 5; month++) {
    const mm = String(month).padStart(2, '0')
    await deposit(members[0]!, 1_000_000 + month * 10_000, `2026-${mm}-05`, 'bank')
    await deposit(members[1]!, 20_000 + month * 1_000, `2026-${mm}-12`, 'cash')
    await deposit(members[2]!, 300_000, `2026-${mm}-2${month % 9}`, 'bank')
  }
  await buyShares(members[0]!, 500_000, '2026-01-20')
  await buyShares(members[2]!, 250_000, '2026-04-30')
  await withdraw(members[0]!, 150_000, '2026-03-31')

  // Standing orders for June only: one runs, one fails (more than Member 2's savings; retried 1 day, then given up).
  const runs = value<StandingOrder>(
    await invoke('recurring.createOrder', {
      memberId: members[0]!.member.id,
      fromMemberAccountId: members[0]!.savings.id,
      target: { kind: 'member-account', memberAccountId: members[0]!.shares.id },
      amountMinor: 200_000,
      frequency: 'monthly',
      startDate: '2026-06-10',
      endDate: '2026-06-30'
    })
  )
  const fails = value<StandingOrder>(
    await invoke('recurring.createOrder', {
      memberId: members[1]!.member.id,
      fromMemberAccountId: members[1]!.savings.id,
      target: { kind: 'member-account', memberAccountId: members[1]!.shares.id },
      amountMinor: 99_000_000,
      frequency: 'monthly',
      startDate: '2026-06-10',
      endDate: '2026-06-30',
      insufficientFunds: 'retry',
      retryDays: 1
    })
  )
  value(await invoke('recurring.runOrders', { dryRun: false }))
  at(clock, '2026-06-12')
  value(await invoke('recurring.runOrders', { dryRun: false }))

  // Bonds (bought from 10 June's point of view, back-dated).
  const long = value<BondSeries>(
    await invoke('bonds.createSeries', SERIES) // the bond tests' common terms: UMJ-27, monthly 12%, 15% tax
  )
  const short = value<BondSeries>(
    await invoke('bonds.createSeries', {
      code: 'UMJ-S6',
      name: 'Umoja 10% six months',
      faceValueMinor: 50_000,
      couponRatePercent: '10',
      frequency: 'monthly',
      dayCount: '30/360',
      issueDate: '2026-01-01',
      maturityDate: '2026-07-01',
      firstCouponDate: null,
      endOfMonth: false,
      businessDay: 'unadjusted',
      withholdingTaxPercent: '10'
    })
  )
  const buy = async (m: BookMember, s: BondSeries, units: number, purchaseDate: string) =>
    value<Holding>(await invoke('bonds.buyHolding', { memberId: m.member.id, seriesId: s.id, units, purchaseDate }))
  const holdings = [
    await buy(members[0]!, long, 10, '2026-01-16'),
    await buy(members[1]!, short, 6, '2026-01-10'),
    await buy(members[2]!, long, 4, '2026-02-03'),
    await buy(members[2]!, short, 2, '2026-02-20')
  ]

  // Payroll: March posted (drafted by Ada, approved by Tom, posted), April drafted only.
  const staff = [await addStaff(b, 'S-001', 'Alice Achieng'), await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })]
  const makePeriod = async (name: string, startDate: string, endDate: string, payDate: string) =>
    value<PayPeriod>(await invoke('payroll.createPeriod', { name, frequency: 'monthly', startDate, endDate, payDate, rule: { kind: 'on-date', date: startDate } }))
  const march = await makePeriod('March 2026', '2026-03-01', '2026-03-31', '2026-03-27')
  const april = await makePeriod('April 2026', '2026-04-01', '2026-04-30', '2026-04-28')
  value(await invoke('payroll.run', {}))
  const fresh = async (id: number) => value<{ period: PayPeriod }>(await invoke('payroll.period', { id })).period
  await asOperator(core, TREASURER, async () => value(await invoke('payroll.approve', { id: march.id, expectedVersion: (await fresh(march.id)).version })))
  value(await invoke('payroll.post', { id: march.id, expectedVersion: (await fresh(march.id)).version }))

  // The rest of the year, from 15 December: deposits, an early redemption, the jobs, every payment due paid.
  at(clock, '2026-12-15')
  for (let month = 7; month <= 12; month++) {
    const mm = String(month).padStart(2, '0')
    await deposit(members[0]!, 800_000, `2026-${mm}-07`, 'bank')
    await deposit(members[2]!, 150_000, `2026-${mm}-${month === 12 ? '14' : '28'}`, 'cash')
  }
  await withdraw(members[2]!, 400_000, '2026-09-30')
  const toRedeem = holdings[2]!
  value(await invoke('bonds.redeemHolding', { id: toRedeem.id, expectedVersion: toRedeem.version, redeemedOn: '2026-03-16' }))
  await runJob(core, 'coupons')
  await runJob(core, 'maturity')
  const due = value<{ rows: Payment[] }>(await invoke('payments.list', { limit: 500 })).rows.filter(
    (p) => p.status === 'pending' && p.dueDate <= '2026-12-15'
  )
  const byDay = new Map<string, number[]>()
  for (const p of due) byDay.set(p.dueDate, [...(byDay.get(p.dueDate) ?? []), p.id])
  for (const [day, ids] of [...byDay].sort(([x], [y]) => x.localeCompare(y))) {
    await prepareAndApprove(core, ids)
    value(await invoke('payments.pay', { ids, paidOn: day, method: 'bank-transfer', reference: `BT-${day}` }))
  }

  const accounts = value<{ accounts: Account[] }>(await invoke('ledger.accounts', {})).accounts
  return {
    core,
    dataDir: b.dataDir,
    clock,
    db: b.db,
    role: b.role,
    accounts,
    members,
    series: { long, short },
    holdings,
    orders: { runs, fails },
    staff,
    payroll: { posted: await fresh(march.id), draft: await fresh(april.id) },
    from: '2026-01-01',
    to: '2026-12-31',
    today: '2026-12-15',
    close: b.close
  }
}
