import fs from 'node:fs'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import path from 'node:path'
import type { Profile } from '../../shared/contract'
// pdfkit (and the fonts) load only when vouchers are printed: see pdf().
import type { VoucherData } from './voucher-pdf'
import { conflict, invalid } from '../platform/errors'
import { nowIso, type ServiceContext } from '../platform/context'
import type { Db } from '../platform/db/open'
import { localStamp } from '../platform/backups/backups'
import { calendarDateInZone } from '../../shared/dates'
import { formatDate, formatPeriod, withLatinDigits } from '../../shared/words'
import { describeCharacter } from '../platform/pdf/fonts'
import { bondHoldings, bondSeries } from '../bonds'
import { members } from '../members'
import { bondPayments, vouchers } from './schema'
import { lazyModule } from '../platform/lazy'

/** The PDF writer, pdfkit and the fonts: loaded when vouchers are first printed. */
const loadVoucherPdf = lazyModule(
  () => import('./voucher-pdf'),
  { from: __filename, path: './voucher-pdf' }
)

/** Payment vouchers as PDF: one file for many, re-prints stamped COPY, print count kept. */
export class VouchersService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly o: { vouchersDir: string; fontsDir: string; profile: () => Profile | null }
  ) {}

  /**
   * Refuses (CONFLICT) when a text on a voucher has characters no font can
   * draw, naming the vouchers and the characters, unless
   * `printWithMissingGlyphs`: then they print as U+FFFD, and a payee name
   * with one is followed by the member number.
   */
  async pdf(
    paymentIds: number[],
    opts: { printWithMissingGlyphs?: boolean } = {}
  ): Promise<{ file: string; vouchers: number; copies: number }> {
    const profile = this.o.profile()
    if (!profile) throw conflict("Set up the cooperative's profile first.")
    const { db } = this.ctx
    const { rows, data } = voucherData(db, profile, paymentIds)
    if (rows.length !== new Set(paymentIds).size) {
      throw invalid('Only paid (or voided) payments have vouchers; some of the selected are not paid.', { paymentIds: 'Select paid payments' })
    }
    const { findMissingGlyphs, renderVouchers } = await loadVoucherPdf()
    if (opts.printWithMissingGlyphs !== true) {
      const missing = findMissingGlyphs(data, { fontsDir: this.o.fontsDir })
      if (missing.length > 0) {
        const list = missing
          .map((m) => `${m.number} (${m.payee}, ${m.memberNo}): ${m.fields.map((f) => `${f.field} ${f.characters.map(describeCharacter).join(' ')}`).join('; ')}`)
          .join('\n')
        throw conflict(
          `${missing.length === 1 ? 'A voucher has' : `${missing.length} vouchers have`} characters no installed font can print; ` +
            `they would print as \uFFFD. Install a font that covers them (see resources/fonts/README.md), or print anyway.\n${list}`,
          { printWithMissingGlyphs: 'Print anyway, with \uFFFD for the missing characters' }
        )
      }
    }
    const copies = new Set(rows.filter((r) => r.printCount > 0).map((r) => r.number))
    const voided = new Set(rows.filter((r) => r.status === 'voided').map((r) => r.number))
    const now = this.ctx.clock.now()
    const [d, t] = localStamp(now, profile.timeZone)
    const first = rows[0]?.number ?? 'vouchers'
    const name = rows.length === 1 ? `${first}.pdf` : `vouchers-${d}T${t}-${rows.length}.pdf`
    fs.mkdirSync(this.o.vouchersDir, { recursive: true })
    const file = path.join(this.o.vouchersDir, name)
    const partial = `${file}.partial`
    await renderVouchers(data, partial, { fontsDir: this.o.fontsDir, copy: (v) => copies.has(v.number), voided: (v) => voided.has(v.number), creationDate: now })
    fs.renameSync(partial, file)
    const at = nowIso(this.ctx)
    db.update(vouchers)
      .set({ printCount: sql`${vouchers.printCount} + 1`, lastPrintedAt: at })
      .where(inArray(vouchers.id, rows.map((r) => r.voucherId)))
      .run()
    return { file, vouchers: rows.length, copies: copies.size }
  }
}

/**
 * What each paid (or voided) payment's voucher shows, read now,
 * synchronously (on any connection, inside the caller's transaction): the PDF
 * prints it, and the voucher email freezes it as its attachment's snapshot
 * in the paying transaction. Payments that are not paid are left out.
 */
export function voucherData(db: Db, profile: Profile, paymentIds: number[]) {
  const rows = db
    .select({
      voucherId: vouchers.id,
      paymentId: bondPayments.id,
      number: vouchers.number,
      printCount: vouchers.printCount,
      paidOn: bondPayments.paidOn,
      kind: bondPayments.kind,
      periodStart: bondPayments.periodStart,
      periodEnd: bondPayments.periodEnd,
      dueDate: bondPayments.dueDate,
      grossMinor: bondPayments.grossMinor,
      taxMinor: bondPayments.taxMinor,
      netMinor: bondPayments.netMinor,
      method: bondPayments.method,
      reference: bondPayments.reference,
      preparedBy: bondPayments.preparedBy,
      approvedBy: bondPayments.approvedBy,
      approvedAt: bondPayments.approvedAt,
      status: bondPayments.status,
      voidReason: bondPayments.voidReason,
      holdingStatus: bondHoldings.status,
      memberNo: members.memberNo,
      memberName: members.fullName,
      seriesCode: bondSeries.code,
      seriesName: bondSeries.name,
      payeeName: bondPayments.payeeName,
      payeeBank: bondPayments.payeeBank,
      payeeAccount: bondPayments.payeeAccount,
      payeeReference: bondPayments.payeeReference
    })
    .from(bondPayments)
    .innerJoin(vouchers, eq(vouchers.paymentId, bondPayments.id))
    .innerJoin(members, eq(members.id, bondPayments.memberId))
    // A standing order's payment has no holding or series.
    .leftJoin(bondHoldings, eq(bondHoldings.id, bondPayments.holdingId))
    .leftJoin(bondSeries, eq(bondSeries.id, bondHoldings.seriesId))
    // A voided payment keeps its voucher: it prints stamped VOID.
    .where(and(inArray(bondPayments.id, paymentIds), inArray(bondPayments.status, ['paid', 'voided'])))
    .orderBy(asc(vouchers.year), asc(vouchers.seq))
    .all()
  const dateLocale = withLatinDigits(profile.locale)
  const data: VoucherData[] = rows.map((r) => ({
    number: r.number,
    // A paid payment always has its payment date and method (the query takes paid ones only).
    date: r.paidOn as string,
    cooperative: {
      name: profile.name,
      address: profile.address,
      phone: profile.phone,
      email: profile.email,
      registrationNo: profile.registrationNo,
      logoPng: null
    },
    // A standing order pays someone outside the cooperative, into their bank account; anything else pays the member.
    payee:
      r.kind === 'standing-order'
        ? { name: r.payeeName ?? '', memberNo: r.memberNo, bank: r.payeeBank, account: r.payeeAccount }
        : { name: r.memberName, memberNo: r.memberNo },
    description:
      (r.status === 'voided' ? `VOID${r.voidReason ? ` (${r.voidReason})` : ''}: ` : '') +
      // Dates in the cooperative's locale, as the rest of the voucher (Latin digits, like its amounts).
      (r.kind === 'standing-order'
        ? `Standing order of ${r.memberName} (${r.memberNo}), due ${formatDate(r.dueDate, dateLocale)}${r.payeeReference ? `; reference ${r.payeeReference}` : ''}`
        : r.kind === 'coupon'
          ? `Coupon on ${r.seriesCode ?? ''} for ${formatPeriod(r.periodStart, r.periodEnd, dateLocale)}`
          : r.kind === 'interest'
            ? `Interest accrued on ${r.seriesCode ?? ''} from ${formatDate(r.periodStart, dateLocale)} to ${formatDate(r.periodEnd, dateLocale)} (early redemption)`
            : r.holdingStatus === 'redeemed'
              ? `Early redemption of ${r.seriesCode ?? ''} principal, ${formatDate(r.periodEnd, dateLocale)}`
              : `Redemption of ${r.seriesCode ?? ''} principal at maturity, ${formatDate(r.periodEnd, dateLocale)}`),
    series: r.seriesCode !== null && r.seriesName !== null ? { code: r.seriesCode, name: r.seriesName } : null,
    period: r.kind === 'principal' || r.kind === 'standing-order' ? null : { start: r.periodStart, end: r.periodEnd },
    gross: r.grossMinor,
    tax: r.taxMinor,
    net: r.netMinor,
    currency: profile.currency,
    locale: profile.locale,
    method: r.method as VoucherData['method'],
    reference: r.reference,
    preparedBy: r.preparedBy,
    approvedBy: r.approvedBy,
    // The approval instant as a date in the cooperative's time zone.
    approvedAt: r.approvedAt ? calendarDateInZone(new Date(r.approvedAt), profile.timeZone) : null
  }))
  return { rows, data }
}

/**
 * A voucher email's attachment: the PDF of one voucher as it was when paid
 * (`data` is the VoucherData frozen in the paying transaction), made once by
 * the mail job and kept with its SHA-256.
 */
export async function renderVoucherAttachment(data: unknown, opts: { fontsDir: string; now: Date }): Promise<Buffer> {
  const { renderVouchers } = await loadVoucherPdf()
  const { PassThrough } = await import('node:stream')
  const sink = new PassThrough()
  const chunks: Buffer[] = []
  sink.on('data', (c: Buffer) => chunks.push(c))
  await renderVouchers([data as VoucherData], sink, { fontsDir: opts.fontsDir, creationDate: opts.now })
  return Buffer.concat(chunks)
}
