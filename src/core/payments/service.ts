import type { Payment } from '../../shared/contract'
import { calendarDateInZone, compareDates } from '../../shared/dates'
import { formatVoucherNumber } from '../../shared/voucher-number'
import { conflict, invalid, notFound } from '../platform/errors'
import { nowIso, type ServiceContext } from '../platform/context'
import type { Sqlite } from '../platform/db/open'
import { readSetting } from '../platform/settings'
import { whereOf } from '../platform/db/where'

export const DEFAULT_VOUCHER_PATTERN = 'PV-{YYYY}-{SEQ:6}'
export const VOUCHER_PATTERN_KEY = 'vouchers.pattern'

export const PAYMENT_SELECT = `SELECT p.id, p.holding_id AS holdingId, p.kind, h.member_id AS memberId, m.member_no AS memberNo,
  m.full_name AS memberName, s.code AS seriesCode, p.period_start AS periodStart, p.period_end AS periodEnd,
  p.due_date AS dueDate, p.gross_minor AS grossMinor, p.tax_minor AS taxMinor, p.net_minor AS netMinor, p.status,
  p.approved_by AS approvedBy, p.approved_at AS approvedAt, p.paid_on AS paidOn, p.method, p.reference,
  v.number AS voucherNumber, p.cancel_reason AS cancelReason, p.version
  FROM bond_payments p JOIN bond_holdings h ON h.id = p.holding_id JOIN members m ON m.id = h.member_id
  JOIN bond_series s ON s.id = h.series_id LEFT JOIN vouchers v ON v.payment_id = p.id`


/**
 * Creates a pending payment unless one exists for (holding, kind, period end).
 * Hot path (the coupon run inserts one per holding and period; measured in
 * test/bench/coupons.bench.ts): a raw prepared statement, positional
 * arguments. Returns whether a row was created.
 */
export function prepareInsertPayment(sqlite: Sqlite) {
  const stmt = sqlite.prepare(
    `INSERT INTO bond_payments (holding_id, kind, period_start, period_end, due_date, gross_minor, tax_minor, net_minor, status, created_at, created_by_run)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
     ON CONFLICT (holding_id, kind, period_end) DO NOTHING`
  )
  return (
    holdingId: number,
    kind: Payment['kind'],
    periodStart: string,
    periodEnd: string,
    dueDate: string,
    grossMinor: number,
    taxMinor: number,
    netMinor: number,
    createdAt: string,
    runId: number | null
  ): boolean => stmt.run(holdingId, kind, periodStart, periodEnd, dueDate, grossMinor, taxMinor, netMinor, createdAt, runId).changes === 1
}

/** Payments to members: approve, pay with gap-free numbered vouchers, cancel. */
export class PaymentsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly timeZone: () => string
  ) {}

  private get sqlite() {
    return this.ctx.sqlite
  }

  private today(): string {
    return calendarDateInZone(this.ctx.clock.now(), this.timeZone())
  }

  voucherPattern(): string {
    return readSetting(this.sqlite, VOUCHER_PATTERN_KEY) ?? DEFAULT_VOUCHER_PATTERN
  }

  listPayments(q: {
    status?: Payment['status']
    kind?: Payment['kind']
    seriesId?: number
    memberId?: number
    dueFrom?: string
    dueTo?: string
    offset: number
    limit: number
  }) {
    const [w, args] = whereOf([
      ['p.status = ?', q.status],
      ['p.kind = ?', q.kind],
      ['h.series_id = ?', q.seriesId],
      ['h.member_id = ?', q.memberId],
      ['p.due_date >= ?', q.dueFrom],
      ['p.due_date <= ?', q.dueTo]
    ])
    const rows = this.sqlite.prepare(`${PAYMENT_SELECT}${w} ORDER BY p.due_date, p.id LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as Payment[]
    const sums = this.sqlite
      .prepare(
        `SELECT count(*) AS total, coalesce(sum(p.gross_minor), 0) AS grossMinor, coalesce(sum(p.tax_minor), 0) AS taxMinor,
                coalesce(sum(p.net_minor), 0) AS netMinor
           FROM bond_payments p JOIN bond_holdings h ON h.id = p.holding_id${w}`
      )
      .get(...args) as { total: number; grossMinor: number; taxMinor: number; netMinor: number }
    return { rows, total: sums.total, totals: { grossMinor: sums.grossMinor, taxMinor: sums.taxMinor, netMinor: sums.netMinor } }
  }

  private statuses(ids: number[]): Map<number, string> {
    const rows = this.sqlite
      .prepare(`SELECT id, status FROM bond_payments WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as { id: number; status: string }[]
    return new Map(rows.map((r) => [r.id, r.status]))
  }

  /** Pending to approved, all or none. */
  approve(ids: number[], approvedBy: string): { approved: number } {
    const at = nowIso(this.ctx)
    const run = this.sqlite.transaction(() => {
      const st = this.statuses(ids)
      const bad = ids.filter((id) => st.get(id) !== 'pending')
      if (bad.length) throw conflict(`${bad.length} of the selected payments are not pending (#${bad.slice(0, 5).join(', #')}); nothing was approved.`)
      const upd = this.sqlite.prepare(
        `UPDATE bond_payments SET status = 'approved', approved_by = ?, approved_at = ?, version = version + 1 WHERE id = ? AND status = 'pending'`
      )
      for (const id of ids) upd.run(approvedBy, at, id)
      return ids.length
    })
    return { approved: run.immediate() }
  }

  /**
   * Approved to paid, each with the next number of its year's voucher
   * sequence, in ONE transaction: if any payment cannot be paid, none is, and
   * no number is used, so the sequence stays gap-free.
   */
  pay(ids: number[], paidOn: string, method: NonNullable<Payment['method']>, reference: string | null) {
    if (compareDates(paidOn, this.today()) > 0) throw invalid('The payment date cannot be in the future.', { paidOn: 'Cannot be in the future' })
    const at = nowIso(this.ctx)
    const year = Number(paidOn.slice(0, 4))
    const pattern = this.voucherPattern()
    const run = this.sqlite.transaction(() => {
      const st = this.statuses(ids)
      const bad = ids.filter((id) => st.get(id) !== 'approved')
      if (bad.length) throw conflict(`${bad.length} of the selected payments are not approved (#${bad.slice(0, 5).join(', #')}); nothing was paid.`)
      const nextSeq = this.sqlite.prepare(
        `INSERT INTO voucher_sequences (year, next_seq) VALUES (?, 2)
         ON CONFLICT (year) DO UPDATE SET next_seq = next_seq + 1 RETURNING next_seq - 1 AS seq`
      )
      const voucher = this.sqlite.prepare(`INSERT INTO vouchers (number, year, seq, payment_id, issued_at) VALUES (?, ?, ?, ?, ?)`)
      const paid = this.sqlite.prepare(
        `UPDATE bond_payments SET status = 'paid', paid_on = ?, method = ?, reference = ?, paid_at = ?, version = version + 1 WHERE id = ? AND status = 'approved'`
      )
      const out: { id: number; voucherNumber: string }[] = []
      for (const id of [...ids].sort((a, b) => a - b)) {
        const { seq } = nextSeq.get(year) as { seq: number }
        const number = formatVoucherNumber(pattern, year, seq)
        voucher.run(number, year, seq, id, at)
        if (paid.run(paidOn, method, reference, at, id).changes !== 1) throw conflict(`Payment #${id} changed meanwhile; nothing was paid.`)
        out.push({ id, voucherNumber: number })
      }
      return out
    })
    return { paid: run.immediate() }
  }

  cancel(id: number, reason: string): Payment {
    const st = this.statuses([id]).get(id)
    if (!st) throw notFound(`Payment #${id}`)
    if (st === 'paid' || st === 'cancelled') throw conflict(`A ${st} payment cannot be cancelled.`)
    this.sqlite
      .prepare(`UPDATE bond_payments SET status = 'cancelled', cancel_reason = ?, cancelled_at = ?, version = version + 1 WHERE id = ?`)
      .run(reason, nowIso(this.ctx), id)
    return this.sqlite.prepare(`${PAYMENT_SELECT} WHERE p.id = ?`).get(id) as Payment
  }

  /** A member's paid payments, newest first (the member's portfolio). */
  paidToMember(memberId: number): Payment[] {
    return this.sqlite
      .prepare(`${PAYMENT_SELECT} WHERE h.member_id = ? AND p.status = 'paid' ORDER BY p.paid_on DESC, p.id DESC`)
      .all(memberId) as Payment[]
  }
}
