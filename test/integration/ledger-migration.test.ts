/**
 * The ledger's backfill (migration 0009): a book made by the Coffer before
 * the ledger (migrations up to 0007), with bond holdings and payments paid,
 * voided, pending and cancelled, is opened by this Coffer; the ledger then
 * starts complete: each purchase and each paid payment has its entry, dated
 * its purchase or paid date, a voided payment its reversal, and the book's
 * invariants hold (summaries equal a rebuild, the trial balance balances at
 * every date).
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE, ManualClock, type Core } from '../../src/core'
import { openDatabase } from '../../src/core/platform/db/open'
import type { Payment } from '../../src/shared/contract'
import type { Account, AccountRole, JournalEntry, JournalPage } from '../../src/shared/contract/ledger'
import { TODAY, datesBetween, ledgerProblems, rawDb } from '../support/ledger'
import { prepareAndApprove } from '../support/operators'
import { PROFILE, tempCore, tempDir, value } from '../support/temp-core'
import { migrationsUpTo } from '../support/migrations'

const cores: Core[] = []
const dbs: Database.Database[] = []
afterEach(() => {
  while (dbs.length) dbs.pop()?.close()
  while (cores.length) cores.pop()?.close()
})


interface OldPayment {
  holding: number
  kind: 'coupon' | 'principal' | 'interest'
  periodEnd: string
  gross: number
  tax: number
  status: 'pending' | 'approved' | 'paid' | 'voided' | 'cancelled'
  paidOn?: string
  method?: 'cash' | 'bank-transfer' | 'cheque'
  voidedAt?: string
  approvedBy?: string
}

/**
 * An older book: its profile (in `timeZone`), two members, a series of KES 1,000.00 units, three
 * holdings, and payments in every state, as that Coffer wrote them (raw SQL
 * on its schema). Answers the ids.
 */
function oldBook(dataDir: string, payments: OldPayment[], timeZone = PROFILE.timeZone): { holdings: number[]; payments: number[] } {
  const old = openDatabase({
    file: path.join(dataDir, DATABASE_FILE),
    migrationsFolder: migrationsUpTo('0007_audit_append_only'),
    backupsDir: path.join(dataDir, 'backups'),
    clock: new ManualClock('2026-06-01T08:00:00Z')
  })
  const db = old.sqlite
  try {
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'journal_entries'").pluck().get()).toBe(0)
    const at = '2026-01-05T08:00:00.000Z'
    db.prepare('INSERT INTO cooperative_profile (id, name, address, currency, time_zone, locale, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)').run(
      PROFILE.name,
      PROFILE.address,
      PROFILE.currency,
      timeZone,
      PROFILE.locale,
      at,
      at
    )
    const member = db.prepare('INSERT INTO members (member_no, full_name, joined_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    const jane = Number(member.run('M-1', 'Jane Wanjiru', '2020-01-01', at, at).lastInsertRowid)
    const otieno = Number(member.run('M-2', 'Otieno Ouma', '2021-03-01', at, at).lastInsertRowid)
    const series = Number(
      db
        .prepare(
          `INSERT INTO bond_series (code, name, face_value_minor, coupon_rate, frequency, day_count, issue_date, maturity_date, withholding_tax_rate, created_at, updated_at)
           VALUES ('UMJ-27', 'Umoja 12% 2027', 100000, '12', 'monthly', '30/360', '2026-01-01', '2027-01-01', '15', ?, ?)`
        )
        .run(at, at).lastInsertRowid
    )
    const holding = db.prepare('INSERT INTO bond_holdings (member_id, series_id, units, purchase_date, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    const holdings = [
      Number(holding.run(jane, series, 10, '2026-01-01', 'active', at, at).lastInsertRowid),
      Number(holding.run(otieno, series, 5, '2026-01-16', 'redeemed', at, at).lastInsertRowid),
      Number(holding.run(jane, series, 3, '2026-02-20', 'active', at, at).lastInsertRowid)
    ]
    const insert = db.prepare(
      `INSERT INTO bond_payments (holding_id, kind, period_start, period_end, due_date, gross_minor, tax_minor, net_minor, status,
         approved_by, approved_at, paid_on, method, reference, paid_at, created_at, voided_at, void_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    const voucher = db.prepare('INSERT INTO vouchers (number, year, seq, payment_id, issued_at) VALUES (?, ?, ?, ?, ?)')
    let seq = 0
    const ids = payments.map((p) => {
      const wasPaid = p.status === 'paid' || p.status === 'voided'
      const id = Number(
        insert.run(
          holdings[p.holding],
          p.kind,
          p.periodEnd.slice(0, 8) + '01',
          p.periodEnd,
          p.periodEnd,
          p.gross,
          p.tax,
          p.gross - p.tax,
          p.status,
          p.status === 'pending' ? null : (p.approvedBy ?? 'Tom Treasurer'),
          p.status === 'pending' ? null : `${p.periodEnd}T07:00:00.000Z`,
          wasPaid ? p.paidOn : null,
          wasPaid ? p.method : null,
          wasPaid ? 'REF' : null,
          wasPaid ? `${p.paidOn}T08:00:00.000Z` : null,
          `${p.periodEnd}T06:00:00.000Z`,
          p.voidedAt ?? null,
          p.voidedAt ? 'Cheque bounced' : null
        ).lastInsertRowid
      )
      if (wasPaid) voucher.run(`PV-2026-${String(++seq).padStart(6, '0')}`, 2026, seq, id, `${p.paidOn}T08:00:00.000Z`)
      return id
    })
    if (seq > 0) db.prepare('INSERT INTO voucher_sequences (year, next_seq) VALUES (2026, ?)').run(seq + 1)
    return { holdings, payments: ids }
  } finally {
    db.close()
  }
}

async function opened(dataDir: string, now = '2026-06-01T09:00:00Z') {
  const { core, clock } = tempCore({ dataDir, clock: new ManualClock(now) })
  cores.push(core)
  expect(core.status).toMatchObject({ state: 'ready', needsProfile: false, preMigrationBackup: expect.stringMatching(/coffer-before-0008_ledger-/) })
  const accounts = value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts
  const role = Object.fromEntries(accounts.filter((a) => a.role).map((a) => [a.role, a])) as Record<AccountRole, Account>
  const entries = value<JournalPage>(await core.invoke('ledger.journal', { limit: 200 })).entries.reverse()
  const db = rawDb(dataDir)
  dbs.push(db)
  return { core, clock, role, entries, db }
}

function linesOf(e: JournalEntry, role: Record<AccountRole, Account>): [string, number, number][] {
  const byId = new Map(Object.entries(role).map(([r, a]) => [a.id, r]))
  return e.lines.map((l) => [byId.get(l.accountId) ?? l.accountCode, l.debitMinor, l.creditMinor])
}

describe('the ledger backfill of a book made before the ledger', () => {
  it('posts every purchase and every paid payment, dated their own dates, reverses the voided ones, and the book is sound', async () => {
    const dataDir = tempDir()
    const old = oldBook(dataDir, [
      // 0: Jane's February coupon, paid in cash by Tom.
      { holding: 0, kind: 'coupon', periodEnd: '2026-02-01', gross: 10_000, tax: 1_500, status: 'paid', paidOn: '2026-02-03', method: 'cash' },
      // 1: Otieno's first coupon by cheque, voided a week later (its replacement 6 is pending).
      { holding: 1, kind: 'coupon', periodEnd: '2026-02-01', gross: 2_500, tax: 375, status: 'voided', paidOn: '2026-02-02', method: 'cheque', voidedAt: '2026-02-09T10:15:00.000Z' },
      // 2, 3: Otieno redeemed in March: principal (no tax) and accrued interest, by transfer.
      { holding: 1, kind: 'principal', periodEnd: '2026-03-16', gross: 500_000, tax: 0, status: 'paid', paidOn: '2026-03-16', method: 'bank-transfer' },
      { holding: 1, kind: 'interest', periodEnd: '2026-03-16', gross: 2_500, tax: 375, status: 'paid', paidOn: '2026-03-17', method: 'bank-transfer', approvedBy: 'Ada Admin' },
      // 4: all of it withheld (100% tax): nothing left the bank.
      { holding: 2, kind: 'coupon', periodEnd: '2026-03-01', gross: 800, tax: 800, status: 'paid', paidOn: '2026-03-02', method: 'cheque' },
      // 5: a zero coupon paid: no money, no entry.
      { holding: 2, kind: 'coupon', periodEnd: '2026-04-01', gross: 0, tax: 0, status: 'paid', paidOn: '2026-04-02', method: 'cash' },
      // 6 - 8: not paid: no entries.
      { holding: 1, kind: 'coupon', periodEnd: '2026-02-01', gross: 2_500, tax: 375, status: 'pending' },
      { holding: 0, kind: 'coupon', periodEnd: '2026-03-01', gross: 10_000, tax: 1_500, status: 'approved' },
      { holding: 0, kind: 'coupon', periodEnd: '2026-04-01', gross: 10_000, tax: 1_500, status: 'cancelled' }
    ])
    const { core, role, entries, db } = await opened(dataDir)
    const bySource = (ref: string) => entries.filter((e) => e.sourceRef === ref)
    const system = { enteredBy: 'System', note: 'Posted when the ledger was added' }

    // Purchases: Dr bank / Cr bonds payable at face value, dated the purchase date.
    const purchases = entries.filter((e) => e.source === 'bond-purchase')
    expect(purchases.map((e) => [e.sourceRef, e.valueDate, ...linesOf(e, role)])).toEqual([
      [`bond_holdings:${old.holdings[0]}`, '2026-01-01', ['bank', 1_000_000, 0], ['bonds-payable', 0, 1_000_000]],
      [`bond_holdings:${old.holdings[1]}`, '2026-01-16', ['bank', 500_000, 0], ['bonds-payable', 0, 500_000]],
      [`bond_holdings:${old.holdings[2]}`, '2026-02-20', ['bank', 300_000, 0], ['bonds-payable', 0, 300_000]]
    ])
    for (const e of purchases) expect(e).toMatchObject(system)
    expect(purchases[0]?.description).toBe('Bond purchase: UMJ-27, 10 units, M-1 Jane Wanjiru')

    // Payments paid: dated the paid date, gross against net by method and the tax; the voucher as reference.
    const paid = (i: number) => bySource(`bond_payments:${old.payments[i]}`).find((e) => e.reversesId === null)
    expect(paid(0)).toMatchObject({ valueDate: '2026-02-03', source: 'bond-payment', reference: 'PV-2026-000001', enteredBy: 'Tom Treasurer', note: system.note })
    expect(paid(0)?.description).toBe('Coupon paid: UMJ-27, M-1 Jane Wanjiru')
    expect(linesOf(paid(0)!, role)).toEqual([['coupon-expense', 10_000, 0], ['cash', 0, 8_500], ['withholding-tax', 0, 1_500]])
    expect(linesOf(paid(1)!, role)).toEqual([['coupon-expense', 2_500, 0], ['bank', 0, 2_125], ['withholding-tax', 0, 375]])
    expect(paid(1)?.valueDate).toBe('2026-02-02')
    expect(paid(2)?.description).toBe('Redemption paid: UMJ-27, M-2 Otieno Ouma')
    expect(linesOf(paid(2)!, role)).toEqual([['bonds-payable', 500_000, 0], ['bank', 0, 500_000]])
    expect(paid(3)).toMatchObject({ valueDate: '2026-03-17', enteredBy: 'Ada Admin' })
    expect(paid(3)?.description).toBe('Interest paid: UMJ-27, M-2 Otieno Ouma')
    expect(linesOf(paid(3)!, role)).toEqual([['coupon-expense', 2_500, 0], ['bank', 0, 2_125], ['withholding-tax', 0, 375]])
    expect(linesOf(paid(4)!, role)).toEqual([['coupon-expense', 800, 0], ['withholding-tax', 0, 800]])
    for (const i of [5, 6, 7, 8]) expect(bySource(`bond_payments:${old.payments[i]}`), `payment ${i}`).toEqual([])

    // The voided one: reversed the day it was voided, linked both ways, the lines mirrored.
    const reversal = bySource(`bond_payments:${old.payments[1]}`).find((e) => e.reversesId !== null)
    expect(reversal).toMatchObject({ valueDate: '2026-02-09', source: 'reversal', reversesId: paid(1)!.id, ...system })
    expect(reversal?.description).toBe(`Reversal of #${paid(1)!.id}: payment voided: Cheque bounced`)
    expect(linesOf(reversal!, role)).toEqual([['coupon-expense', 0, 2_500], ['bank', 2_125, 0], ['withholding-tax', 375, 0]])
    expect(paid(1)?.reversedById).toBe(reversal!.id)
    expect(entries).toHaveLength(3 + 5 + 1)

    // Summaries equal a rebuild, the trial balance balances on every day since the first purchase.
    expect(await ledgerProblems(core, db, datesBetween('2025-12-31', '2026-06-01'))).toEqual([])
    const balance = Object.fromEntries(value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts.map((a) => [a.role ?? a.code, a.balanceMinor]))
    expect(balance).toMatchObject({
      bank: 1_800_000 - 500_000 - 2_125,
      cash: -8_500,
      'bonds-payable': 1_300_000,
      'coupon-expense': 10_000 + 2_500 + 800,
      'withholding-tax': 1_500 + 375 + 800
    })
  })

  it('a payment paid before the ledger and voided after it is reversed like any other', async () => {
    const dataDir = tempDir()
    const old = oldBook(dataDir, [{ holding: 0, kind: 'coupon', periodEnd: '2026-02-01', gross: 10_000, tax: 1_500, status: 'paid', paidOn: '2026-02-03', method: 'cheque' }])
    const { core, entries, db, role } = await opened(dataDir, '2026-06-10T09:00:00Z')
    const posted = entries.find((e) => e.sourceRef === `bond_payments:${old.payments[0]}`)!
    const { replacement } = value<{ replacement: Payment }>(await core.invoke('payments.void', { id: old.payments[0], reason: 'Cheque lost' }))
    const after = value<JournalPage>(await core.invoke('ledger.journal', { source: 'reversal' })).entries
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({ reversesId: posted.id, valueDate: '2026-06-10', enteredBy: 'Ada Admin', note: null })
    expect(linesOf(after[0]!, role)).toEqual([['coupon-expense', 0, 10_000], ['bank', 8_500, 0], ['withholding-tax', 1_500, 0]])
    // The replacement pays and posts as any payment made with the ledger.
    await prepareAndApprove(core, [replacement.id])
    value(await core.invoke('payments.pay', { ids: [replacement.id], paidOn: '2026-06-10', method: 'cash' }))
    expect(await ledgerProblems(core, db, datesBetween('2025-12-31', '2026-06-10'))).toEqual([])
  })

  it("dates a voided payment's reversal by the cooperative's calendar, not by UTC's: voided at 10:00 in Auckland is reversed that day", async () => {
    const dataDir = tempDir()
    // Voided on 10 March 2026 at 10:00 in Auckland (UTC+13 in March): 9 March, 21:00 UTC. The app itself would date it 10 March.
    const old = oldBook(
      dataDir,
      [{ holding: 0, kind: 'coupon', periodEnd: '2026-02-01', gross: 10_000, tax: 1_500, status: 'voided', paidOn: '2026-02-03', method: 'cheque', voidedAt: '2026-03-09T21:00:00.000Z' }],
      'Pacific/Auckland'
    )
    const { entries, core, db } = await opened(dataDir)
    const reversal = entries.find((e) => e.sourceRef === `bond_payments:${old.payments[0]}` && e.reversesId !== null)
    expect(reversal?.valueDate).toBe('2026-03-10')
    expect(await ledgerProblems(core, db, [TODAY])).toEqual([])
  })
})
