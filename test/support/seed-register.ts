/**
 * A long payment register, seeded fast for the reports' bench and end-to-end
 * tests: one monthly bond series (made through the contract by the caller,
 * with REGISTER_SERIES), then, by raw INSERTs, a holding per member and
 * `perHolding` paid half-monthly coupons each through 2026 with their
 * vouchers (a core would take minutes for 100,000 payments). The members
 * must be there already (seedMembers).
 */
import Database from 'better-sqlite3'
import { applyPragmas } from '../../src/core/platform/db/open'

/** The series the register's coupons are on (bonds.createSeries input). */
export const REGISTER_SERIES = {
  code: 'UMJ-M29',
  name: 'Umoja Monthly 11.5% 2029',
  faceValueMinor: 100_000,
  couponRatePercent: '11.5',
  frequency: 'monthly',
  dayCount: '30/360',
  issueDate: '2025-12-15',
  maturityDate: '2029-12-15',
  firstCouponDate: null,
  endOfMonth: false,
  businessDay: 'following',
  withholdingTaxPercent: '15'
} as const

/** Seeds the holdings, paid coupons and vouchers; answers how many payments were made. `by` is who prepared and approved them. */
export function seedPaidCoupons(file: string, opts: { seriesId: number; perHolding: number; by: string }): number {
  if (opts.perHolding > 24) throw new RangeError('At most 24 half-monthly coupons fit in 2026')
  const db = new Database(file, { timeout: 10_000 })
  let seeded = 0
  try {
    applyPragmas(db)
    const holding = db.prepare(
      `INSERT INTO bond_holdings (member_id, series_id, units, purchase_date, status, created_at, updated_at) VALUES (?, ?, ?, '2025-12-15', 'active', ?, ?)`
    )
    const payment = db.prepare(
      `INSERT INTO bond_payments (holding_id, kind, member_id, period_start, period_end, due_date, gross_minor, tax_minor, net_minor, status,
         prepared_by, prepared_at, approved_by, approved_at, paid_on, method, reference, paid_at, created_at)
       VALUES (?, 'coupon', ?, ?, ?, ?, ?, ?, ?, 'paid', ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    const voucher = db.prepare('INSERT INTO vouchers (number, year, seq, payment_id, issued_at) VALUES (?, 2026, ?, ?, ?)')
    const methods = ['bank-transfer', 'bank-transfer', 'cheque', 'cash']
    db.transaction(() => {
      const members = db.prepare('SELECT id FROM members ORDER BY id').pluck().all() as number[]
      for (const memberId of members) {
        const units = 1 + (memberId % 200)
        const h = holding.run(memberId, opts.seriesId, units, '2025-12-15T09:00:00.000Z', '2025-12-15T09:00:00.000Z').lastInsertRowid as number
        for (let k = 0; k < opts.perHolding; k++) {
          // Half-month periods through 2026, paid on the period's end.
          const month = String(1 + Math.floor(k / 2)).padStart(2, '0')
          const start = `2026-${month}-${k % 2 === 0 ? '01' : '16'}`
          const end = `2026-${month}-${k % 2 === 0 ? '15' : '28'}`
          const gross = units * 479 + (memberId % 7) * 50 + k
          const tax = Math.floor((gross * 15) / 100)
          const at = `${end}T10:00:00.000Z`
          const method = methods[(memberId + k) % methods.length] as string
          const p = payment.run(h, memberId, start, end, end, gross, tax, gross - tax, opts.by, at, opts.by, at, end, method, method === 'cash' ? null : `TX${memberId}-${k}`, at, at)
            .lastInsertRowid as number
          seeded += 1
          voucher.run(`PV-2026-${String(seeded).padStart(6, '0')}`, seeded, p, at)
        }
      }
    }).immediate()
    db.exec('ANALYZE')
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
  return seeded
}
