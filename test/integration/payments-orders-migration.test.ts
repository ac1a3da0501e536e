/**
 * Migration 0011 (payments out of standing orders) rebuilds bond_payments:
 * holding_id becomes nullable, member_id is filled from each payment's
 * holding. A book at migration 0010 with coupons paid, voided (with their
 * replacement), pending, approved and cancelled, and a redemption, keeps
 * every payment, voucher and member as they were, every index (the
 * one-per-period key still binds holders' payments), its id sequence, and
 * its ledger; and afterwards it works as before: a voided payment's entry is
 * reversed, a pending one is paid with the next voucher number.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE, ManualClock, type Core } from '../../src/core'
import { openDatabase } from '../../src/core/platform/db/open'
import type { Payment } from '../../src/shared/contract'
import { ledgerProblems, rawDb } from '../support/ledger'
import { prepareAndApprove } from '../support/operators'
import { PROFILE, tempCore, tempDir, value } from '../support/temp-core'
import { migrationsUpTo } from '../support/migrations'

const cores: Core[] = []
const dbs: Database.Database[] = []
afterEach(async () => {
  while (dbs.length) dbs.pop()?.close()
  while (cores.length) await cores.pop()?.shutdown()
})


const AT = '2026-01-05T08:00:00.000Z'

/**
 * A book written by an older Coffer (raw SQL on its schema at 0007: profile,
 * two members, a series, three holdings, payments in every state with their
 * vouchers), then opened by the Coffer of migration 0010 (its ledger
 * backfilled from them). Answers the payment ids in the order given.
 */
function bookAt0010(dataDir: string): number[] {
  const file = path.join(dataDir, DATABASE_FILE)
  const backupsDir = path.join(dataDir, 'backups')
  const old = openDatabase({ file, migrationsFolder: migrationsUpTo('0007_audit_append_only'), backupsDir, clock: new ManualClock('2026-06-01T08:00:00Z') })
  const db = old.sqlite
  let ids: number[]
  try {
    db.prepare('INSERT INTO cooperative_profile (id, name, address, currency, time_zone, locale, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)').run(
      PROFILE.name,
      PROFILE.address,
      PROFILE.currency,
      PROFILE.timeZone,
      PROFILE.locale,
      AT,
      AT
    )
    const member = db.prepare('INSERT INTO members (member_no, full_name, joined_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    const jane = Number(member.run('M-1', 'Jane Wanjiru', '2020-01-01', AT, AT).lastInsertRowid)
    const otieno = Number(member.run('M-2', 'Otieno Ouma', '2021-03-01', AT, AT).lastInsertRowid)
    const series = Number(
      db
        .prepare(
          `INSERT INTO bond_series (code, name, face_value_minor, coupon_rate, frequency, day_count, issue_date, maturity_date, withholding_tax_rate, created_at, updated_at)
           VALUES ('UMJ-27', 'Umoja 12% 2027', 100000, '12', 'monthly', '30/360', '2026-01-01', '2027-01-01', '15', ?, ?)`
        )
        .run(AT, AT).lastInsertRowid
    )
    const holding = db.prepare('INSERT INTO bond_holdings (member_id, series_id, units, purchase_date, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    const h = [
      Number(holding.run(jane, series, 10, '2026-01-01', 'active', AT, AT).lastInsertRowid),
      Number(holding.run(otieno, series, 5, '2026-01-16', 'redeemed', AT, AT).lastInsertRowid)
    ]
    const insert = db.prepare(
      `INSERT INTO bond_payments (holding_id, kind, period_start, period_end, due_date, gross_minor, tax_minor, net_minor, status,
         approved_by, approved_at, paid_on, method, reference, paid_at, created_at, voided_at, void_reason, replaces_payment_id, cancelled_at, cancel_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    const voucher = db.prepare('INSERT INTO vouchers (number, year, seq, payment_id, issued_at, print_count) VALUES (?, ?, ?, ?, ?, ?)')
    let seq = 0
    const add = (
      holdingAt: number,
      kind: string,
      periodEnd: string,
      gross: number,
      tax: number,
      status: string,
      o: { paidOn?: string; method?: string; voidedAt?: string; replaces?: number; cancelled?: boolean } = {}
    ): number => {
      const wasPaid = status === 'paid' || status === 'voided'
      const id = Number(
        insert.run(
          h[holdingAt],
          kind,
          `${periodEnd.slice(0, 8)}01`,
          periodEnd,
          periodEnd,
          gross,
          tax,
          gross - tax,
          status,
          status === 'pending' ? null : 'Tom Treasurer',
          status === 'pending' ? null : `${periodEnd}T07:00:00.000Z`,
          wasPaid ? o.paidOn : null,
          wasPaid ? o.method : null,
          wasPaid ? 'REF' : null,
          wasPaid ? `${o.paidOn}T08:00:00.000Z` : null,
          `${periodEnd}T06:00:00.000Z`,
          o.voidedAt ?? null,
          o.voidedAt ? 'Cheque bounced' : null,
          o.replaces ?? null,
          o.cancelled ? `${periodEnd}T09:00:00.000Z` : null,
          o.cancelled ? 'Holder asked to skip' : null
        ).lastInsertRowid
      )
      if (wasPaid) voucher.run(`PV-2026-${String(++seq).padStart(6, '0')}`, 2026, seq, id, `${o.paidOn}T08:00:00.000Z`, seq % 2)
      return id
    }
    const paid = add(0, 'coupon', '2026-02-01', 10_000, 1_500, 'paid', { paidOn: '2026-02-03', method: 'cash' })
    const voided = add(1, 'coupon', '2026-02-01', 2_500, 375, 'voided', { paidOn: '2026-02-02', method: 'cheque', voidedAt: '2026-02-09T10:15:00.000Z' })
    const replacement = add(1, 'coupon', '2026-02-01', 2_500, 375, 'pending', { replaces: voided })
    const principal = add(1, 'principal', '2026-03-16', 500_000, 0, 'paid', { paidOn: '2026-03-16', method: 'bank-transfer' })
    const approved = add(0, 'coupon', '2026-03-01', 10_000, 1_500, 'approved')
    const cancelled = add(0, 'coupon', '2026-04-01', 10_000, 1_500, 'cancelled', { cancelled: true })
    const pending = add(0, 'coupon', '2026-05-01', 10_000, 1_500, 'pending')
    db.prepare('INSERT INTO voucher_sequences (year, next_seq) VALUES (2026, ?)').run(seq + 1)
    ids = [paid, voided, replacement, principal, approved, cancelled, pending]
  } finally {
    db.close()
  }
  // The Coffer of 0010: the ledger's backfill posts the paid ones and reverses the voided one.
  const at0010 = openDatabase({ file, migrationsFolder: migrationsUpTo('0010_recurring'), backupsDir, clock: new ManualClock('2026-06-01T08:30:00Z') })
  try {
    expect(at0010.sqlite.prepare('PRAGMA table_info(bond_payments)').all()).not.toContainEqual(expect.objectContaining({ name: 'member_id' }))
    expect(at0010.sqlite.prepare("SELECT count(*) FROM journal_entries WHERE source_ref LIKE 'bond_payments:%'").pluck().get()).toBe(4)
  } finally {
    at0010.sqlite.close()
  }
  return ids
}

/** Every row of a table, by id, as the file holds it. */
function rows(db: Database.Database, table: string): Record<string, unknown>[] {
  return db.prepare(`SELECT * FROM ${table} ORDER BY id`).all() as Record<string, unknown>[]
}

function snapshot(dataDir: string) {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true })
  try {
    return {
      payments: rows(db, 'bond_payments'),
      vouchers: rows(db, 'vouchers'),
      members: rows(db, 'members'),
      holdings: rows(db, 'bond_holdings'),
      entries: rows(db, 'journal_entries'),
      lines: rows(db, 'journal_lines'),
      sequence: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'bond_payments'").pluck().get(),
      voucherSequences: db.prepare('SELECT * FROM voucher_sequences').all()
    }
  } finally {
    db.close()
  }
}

describe('migration 0011 on a book with payments', () => {
  it('keeps every payment, voucher, member and entry; fills each payment’s member from its holding; keeps the indexes and the id sequence', async () => {
    const dataDir = tempDir()
    const ids = bookAt0010(dataDir)
    const before = snapshot(dataDir)
    expect(before.payments).toHaveLength(7)

    const clock = new ManualClock('2026-06-02T09:00:00Z')
    const { core } = tempCore({ dataDir, clock })
    cores.push(core)
    expect(core.status).toMatchObject({ state: 'ready', preMigrationBackup: expect.stringMatching(/coffer-before-0011_payments_standing_orders-/) })
    const after = snapshot(dataDir)

    // Every payment as it was, with its member (its holding's) and nothing of a standing order's.
    const memberOf = new Map(before.holdings.map((h) => [h.id, h.member_id]))
    expect(after.payments).toEqual(
      before.payments.map((p) => ({
        ...p,
        member_id: memberOf.get(p.holding_id),
        member_account_id: null,
        payee_name: null,
        payee_bank: null,
        payee_account: null,
        payee_reference: null,
        source_ref: null
      }))
    )
    expect(after.payments.every((p) => p.member_id !== undefined && p.member_id !== null)).toBe(true)
    expect(after.vouchers).toEqual(before.vouchers)
    expect(after.members).toEqual(before.members)
    expect(after.entries).toEqual(before.entries)
    expect(after.lines).toEqual(before.lines)
    expect(after.voucherSequences).toEqual(before.voucherSequences)
    expect(after.sequence).toBe(before.sequence)

    const db = rawDb(dataDir)
    dbs.push(db)
    const indexes = Object.fromEntries(
      (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bond_payments' AND sql IS NOT NULL").all() as { name: string; sql: string }[]).map(
        (r) => [r.name, r.sql]
      )
    )
    expect(Object.keys(indexes).sort()).toEqual(['bond_payments_due_idx', 'bond_payments_member_idx', 'bond_payments_once', 'bond_payments_source_once', 'bond_payments_status_idx'])
    expect(indexes.bond_payments_once).toMatch(/\(`holding_id`,`kind`,`period_end`\) WHERE status <> 'voided'$/)
    expect(indexes.bond_payments_source_once).toMatch(/\(`source_ref`\) WHERE source_ref IS NOT NULL AND status <> 'voided'$/)
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    // The one-per-period key still binds a holder's payments: a second February coupon for Jane is refused.
    expect(() =>
      db
        .prepare(
          `INSERT INTO bond_payments (holding_id, member_id, kind, period_start, period_end, due_date, gross_minor, tax_minor, net_minor, created_at)
           SELECT holding_id, member_id, kind, period_start, period_end, due_date, gross_minor, tax_minor, net_minor, created_at FROM bond_payments WHERE id = ?`
        )
        .run(ids[0])
    ).toThrow(/UNIQUE constraint failed/)

    // Listed as before, with their series and members.
    const listed = value<{ rows: Payment[] }>(await core.invoke('payments.list', {})).rows
    expect(listed.map((p) => [p.id, p.memberNo, p.seriesCode, p.status, p.voucherNumber])).toEqual([
      [ids[0], 'M-1', 'UMJ-27', 'paid', 'PV-2026-000001'],
      [ids[1], 'M-2', 'UMJ-27', 'voided', 'PV-2026-000002'],
      [ids[2], 'M-2', 'UMJ-27', 'pending', null],
      [ids[4], 'M-1', 'UMJ-27', 'approved', null],
      [ids[3], 'M-2', 'UMJ-27', 'paid', 'PV-2026-000003'],
      [ids[5], 'M-1', 'UMJ-27', 'cancelled', null],
      [ids[6], 'M-1', 'UMJ-27', 'pending', null]
    ])

    // And it works as before: the paid coupon voided (its backfilled entry reversed), the pending one paid next in the sequence.
    const { replacement } = value<{ replacement: Payment }>(await core.invoke('payments.void', { id: ids[0], reason: 'Paid to the wrong holder' }))
    expect(replacement).toMatchObject({ holdingId: before.payments[0]!.holding_id, memberNo: 'M-1', status: 'pending', replacesPaymentId: ids[0] })
    expect(replacement.id).toBe(Number(before.sequence) + 1)
    await prepareAndApprove(core, [ids[6]!])
    const paid = value<{ paid: { voucherNumber: string }[] }>(await core.invoke('payments.pay', { ids: [ids[6]], paidOn: '2026-06-02', method: 'cash' })).paid
    expect(paid[0]?.voucherNumber).toBe('PV-2026-000004')
    const dates = db.prepare('SELECT DISTINCT value_date FROM journal_entries ORDER BY 1').pluck().all() as string[]
    expect(await ledgerProblems(core, db, dates)).toEqual([])
  })
})
