import fs from 'node:fs'
import path from 'node:path'
import type { Profile } from '../../shared/contract'
import { renderVouchers, type VoucherData } from './voucher-pdf'
import { conflict, invalid } from '../platform/errors'
import { nowIso, type ServiceContext } from '../platform/context'
import { localStamp } from '../platform/backups/backups'
import { calendarDateInZone } from '../../shared/dates'

interface Row {
  voucherId: number
  number: string
  printCount: number
  paidOn: string
  kind: 'coupon' | 'principal'
  periodStart: string
  periodEnd: string
  grossMinor: number
  taxMinor: number
  netMinor: number
  method: VoucherData['method']
  reference: string | null
  approvedBy: string | null
  approvedAt: string | null
  memberNo: string
  memberName: string
  seriesCode: string
  seriesName: string
}

/** Payment vouchers as PDF: one file for many, re-prints stamped COPY, print count kept. */
export class VouchersService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly o: { vouchersDir: string; fontsDir: string; profile: () => Profile | null }
  ) {}

  async pdf(paymentIds: number[]): Promise<{ file: string; vouchers: number; copies: number }> {
    const profile = this.o.profile()
    if (!profile) throw conflict("Set up the cooperative's profile first.")
    const rows = this.ctx.sqlite
      .prepare(
        `SELECT v.id AS voucherId, v.number, v.print_count AS printCount, p.paid_on AS paidOn, p.kind,
                p.period_start AS periodStart, p.period_end AS periodEnd, p.gross_minor AS grossMinor, p.tax_minor AS taxMinor,
                p.net_minor AS netMinor, p.method, p.reference, p.approved_by AS approvedBy, p.approved_at AS approvedAt,
                m.member_no AS memberNo, m.full_name AS memberName, s.code AS seriesCode, s.name AS seriesName
           FROM bond_payments p JOIN vouchers v ON v.payment_id = p.id JOIN bond_holdings h ON h.id = p.holding_id
           JOIN members m ON m.id = h.member_id JOIN bond_series s ON s.id = h.series_id
          WHERE p.id IN (SELECT value FROM json_each(?)) AND p.status = 'paid'
          ORDER BY v.year, v.seq`
      )
      .all(JSON.stringify(paymentIds)) as Row[]
    if (rows.length !== new Set(paymentIds).size) {
      throw invalid('Only paid payments have vouchers; some of the selected are not paid.', { paymentIds: 'Select paid payments' })
    }
    const data: VoucherData[] = rows.map((r) => ({
      number: r.number,
      date: r.paidOn,
      cooperative: {
        name: profile.name,
        address: profile.address,
        phone: profile.phone,
        email: profile.email,
        registrationNo: profile.registrationNo,
        logoPng: null
      },
      payee: { name: r.memberName, memberNo: r.memberNo },
      description:
        r.kind === 'coupon'
          ? `Coupon on ${r.seriesCode} for ${r.periodStart} to ${r.periodEnd}`
          : `Redemption of ${r.seriesCode} principal at maturity, ${r.periodEnd}`,
      series: { code: r.seriesCode, name: r.seriesName },
      period: r.kind === 'coupon' ? { start: r.periodStart, end: r.periodEnd } : null,
      gross: r.grossMinor,
      tax: r.taxMinor,
      net: r.netMinor,
      currency: profile.currency,
      locale: profile.locale,
      method: r.method,
      reference: r.reference,
      preparedBy: null,
      approvedBy: r.approvedBy,
      // The approval instant as a date in the cooperative's time zone.
      approvedAt: r.approvedAt ? calendarDateInZone(new Date(r.approvedAt), profile.timeZone) : null
    }))
    const copies = new Set(rows.filter((r) => r.printCount > 0).map((r) => r.number))
    const now = this.ctx.clock.now()
    const [d, t] = localStamp(now, profile.timeZone)
    const first = rows[0]?.number ?? 'vouchers'
    const name = rows.length === 1 ? `${first}.pdf` : `vouchers-${d}T${t}-${rows.length}.pdf`
    fs.mkdirSync(this.o.vouchersDir, { recursive: true })
    const file = path.join(this.o.vouchersDir, name)
    const partial = `${file}.partial`
    await renderVouchers(data, partial, { fontsDir: this.o.fontsDir, copy: (v) => copies.has(v.number), creationDate: now })
    fs.renameSync(partial, file)
    const at = nowIso(this.ctx)
    const mark = this.ctx.sqlite.prepare('UPDATE vouchers SET print_count = print_count + 1, last_printed_at = ? WHERE id = ?')
    this.ctx.sqlite
      .transaction(() => {
        for (const r of rows) mark.run(at, r.voucherId)
      })
      .immediate()
    return { file, vouchers: rows.length, copies: copies.size }
  }
}
