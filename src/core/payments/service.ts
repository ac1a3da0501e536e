import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, sql } from 'drizzle-orm'
import type { ParsedInput, Payment, Profile } from '../../shared/contract'
import { calendarDateInZone, compareDates, isCalendarDate } from '../../shared/dates'
import { formatVoucherNumber } from '../../shared/voucher-number'
import { DomainError, conflict, invalid, notFound, requireAcknowledged } from '../platform/errors'
import { currentActor } from '../platform/actor'
import { nowIso, type ServiceContext } from '../platform/context'
import type { Db, Sqlite } from '../platform/db/open'
import { readSetting } from '../platform/settings'
import { bondHoldings, bondSeries } from '../bonds'
import { members } from '../members'
import { bondPayments, PAYMENT_ONCE_WHERE, voucherSequences, vouchers } from './schema'
import { amountText, chequeWithoutNumber, dateText, type MoneyWords } from './warnings'
import { pluralForm, possessive } from '../../shared/words'
import type { LedgerService } from '../ledger'
import { Notices, voucherValues } from '../mail'
import { voucherData } from './vouchers'
import type { VoucherData } from './voucher-pdf'

/** A voucher number as a file name: letters, digits, dots, dashes. */
const fileSafe = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'voucher'

export const DEFAULT_VOUCHER_PATTERN = 'PV-{YYYY}-{SEQ:6}'
export const VOUCHER_PATTERN_KEY = 'vouchers.pattern'

/**
 * A payment with its member, series (a holder's) or payee (a standing
 * order's) and voucher number (the contract's Payment); lazy: the tables
 * come through an import cycle.
 */
const paymentColumns = () => ({
  id: bondPayments.id,
  holdingId: bondPayments.holdingId,
  kind: bondPayments.kind,
  memberId: bondPayments.memberId,
  memberNo: members.memberNo,
  memberName: members.fullName,
  seriesCode: bondSeries.code,
  memberAccountId: bondPayments.memberAccountId,
  payeeName: bondPayments.payeeName,
  payeeBank: bondPayments.payeeBank,
  payeeAccount: bondPayments.payeeAccount,
  payeeReference: bondPayments.payeeReference,
  periodStart: bondPayments.periodStart,
  periodEnd: bondPayments.periodEnd,
  dueDate: bondPayments.dueDate,
  grossMinor: bondPayments.grossMinor,
  taxMinor: bondPayments.taxMinor,
  netMinor: bondPayments.netMinor,
  status: bondPayments.status,
  preparedBy: bondPayments.preparedBy,
  preparedById: bondPayments.preparedById,
  preparedAt: bondPayments.preparedAt,
  approvedBy: bondPayments.approvedBy,
  approvedById: bondPayments.approvedById,
  approvedAt: bondPayments.approvedAt,
  paidOn: bondPayments.paidOn,
  method: bondPayments.method,
  reference: bondPayments.reference,
  voucherNumber: vouchers.number,
  cancelReason: bondPayments.cancelReason,
  voidedAt: bondPayments.voidedAt,
  voidReason: bondPayments.voidReason,
  replacesPaymentId: bondPayments.replacesPaymentId,
  version: bondPayments.version
})

/** Payments with their member; the holding and series where there is one (a standing order's payment has none). */
const paymentsQuery = (db: Db) =>
  db
    .select(paymentColumns())
    .from(bondPayments)
    .innerJoin(members, eq(members.id, bondPayments.memberId))
    .leftJoin(bondHoldings, eq(bondHoldings.id, bondPayments.holdingId))
    .leftJoin(bondSeries, eq(bondSeries.id, bondHoldings.seriesId))
    .leftJoin(vouchers, eq(vouchers.paymentId, bondPayments.id))

/** Payments to holders (coupons, principal, interest): what a member's bond portfolio and the money owed to them count. */
const toHolder = () => isNotNull(bondPayments.holdingId)

/**
 * Creates a pending payment unless one exists for (holding, kind, period end).
 * HOT PATH, raw prepared SQL on purpose: the coupon run and the maturity job
 * insert one per holding and period; measured in test/bench/coupons.bench.ts
 * (the coupon run against raw inserts). Positional arguments. The member is
 * the holding's (a holding that does not exist fails on member_id, NOT NULL).
 * Returns whether a row was created.
 */
export function prepareInsertPayment(sqlite: Sqlite) {
  const stmt = sqlite.prepare(
    `INSERT INTO bond_payments (holding_id, member_id, kind, period_start, period_end, due_date, gross_minor, tax_minor, net_minor, status, created_at, created_by_run)
     VALUES (?, (SELECT member_id FROM bond_holdings WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
     ON CONFLICT (holding_id, kind, period_end) WHERE ${PAYMENT_ONCE_WHERE} DO NOTHING`
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
  ): number | null => {
    const r = stmt.run(holdingId, holdingId, kind, periodStart, periodEnd, dueDate, grossMinor, taxMinor, netMinor, createdAt, runId)
    // The new payment's id (a coupon-ready notice names it); null: it existed.
    return r.changes === 1 ? Number(r.lastInsertRowid) : null
  }
}

/** A pending payment to a holder another area asks for (an early redemption's principal and interest). */
export interface NewPayment {
  holdingId: number
  kind: Exclude<Payment['kind'], 'standing-order'>
  periodStart: string
  periodEnd: string
  dueDate: string
  grossMinor: number
  taxMinor: number
}

/** A standing order's execution paying out to a bank account (createOrderPayment). */
export interface NewOrderPayment {
  memberId: number
  /** The member's account the order drew the amount from (a cancelled payment's money goes back there). */
  memberAccountId: number
  dueDate: string
  amountMinor: number
  payeeName: string
  payeeBank: string
  payeeAccount: string
  payeeReference: string | null
  /** The execution it pays, as the standing orders area names it: one payment per execution. */
  sourceRef: string
  /** The job run executing the order, if a job is. */
  runId: number | null
}

/** Longest payee name, bank, account and reference kept (the standing order's own limits are the caller's). */
const PAYEE_MAX = 200

/** Payments to members: approve, pay with gap-free numbered vouchers, cancel, void and reinstate. */
export class PaymentsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly timeZone: () => string,
    /** The currency and locale warnings are worded in. */
    private readonly moneyWords: () => MoneyWords | null = () => null,
    /** Whether payments need a second operator to approve them (Settings, Security; on by default). */
    private readonly makerChecker: () => boolean = () => true,
    /** The ledger each payment paid (or voided) posts to, in the same transaction. */
    private readonly ledger: () => LedgerService = () => {
      throw new Error('PaymentsService was built without the ledger')
    },
    /** The cooperative's profile: a paid payment's voucher email shows its name and figures in its currency. */
    private readonly profile: () => Profile | null = () => null
  ) {}

  private noticesOnce: Notices | null = null
  private get notices(): Notices {
    this.noticesOnce ??= new Notices(this.ctx.sqlite, () => this.ctx.clock.now())
    return this.noticesOnce
  }

  /**
   * The voucher email (issue #14): each paid payment's member is sent their
   * voucher, its figures frozen now as the attachment's snapshot, in the
   * paying transaction (a rolled-back payment queues nothing; a payment is
   * paid once, so its voucher is queued once: 'payment:<id>:voucher').
   */
  private queueVoucherNotices(tx: Db, ids: number[]): void {
    const profile = this.profile()
    if (!profile) throw conflict("Set up the cooperative's profile first: vouchers show its name.")
    const { rows, data } = voucherData(tx, profile, ids)
    const memberOf = new Map(
      tx
        .select({ id: bondPayments.id, memberId: bondPayments.memberId })
        .from(bondPayments)
        .where(inArray(bondPayments.id, ids))
        .all()
        .map((r) => [r.id, r.memberId])
    )
    rows.forEach((r, i) => {
      const v = data[i] as VoucherData
      const memberId = memberOf.get(r.paymentId)
      if (memberId === undefined || memberId === null) return
      this.notices.notify('voucher', { memberId }, voucherValues(v), `payment:${r.paymentId}:voucher`, [
        { filename: `${fileSafe(v.number)}.pdf`, contentType: 'application/pdf', source: { kind: 'voucher', data: v } }
      ])
    })
  }

  /**
   * Posts a paid payment: the coupon interest (or the bonds repaid) gross,
   * against cash or the bank (net, by method) and the tax withheld; a
   * standing order's payment settles what the order set aside (orders
   * payable) against cash or the bank.
   */
  private postPaid(tx: Db, id: number, paidOn: string, method: NonNullable<Payment['method']>, voucherNumber: string): void {
    const p = tx
      .select({
        kind: bondPayments.kind,
        grossMinor: bondPayments.grossMinor,
        taxMinor: bondPayments.taxMinor,
        netMinor: bondPayments.netMinor,
        seriesCode: bondSeries.code,
        payeeName: bondPayments.payeeName,
        memberNo: members.memberNo,
        memberName: members.fullName
      })
      .from(bondPayments)
      .innerJoin(members, eq(members.id, bondPayments.memberId))
      .leftJoin(bondHoldings, eq(bondHoldings.id, bondPayments.holdingId))
      .leftJoin(bondSeries, eq(bondSeries.id, bondHoldings.seriesId))
      .where(eq(bondPayments.id, id))
      .get()
    if (!p || p.grossMinor === 0) return
    const ledger = this.ledger()
    if (p.kind === 'standing-order') {
      ledger.post({
        valueDate: paidOn,
        description: `Standing order paid: ${p.payeeName ?? ''}, for ${p.memberNo} ${p.memberName}`,
        source: 'bond-payment',
        sourceRef: `bond_payments:${id}`,
        reference: voucherNumber,
        dateField: 'paidOn',
        lines: [
          { accountId: ledger.accountFor('orders-payable').id, debitMinor: p.grossMinor, creditMinor: 0 },
          { accountId: ledger.cashOrBank(method).id, debitMinor: 0, creditMinor: p.grossMinor }
        ]
      })
      return
    }
    const what = p.kind === 'principal' ? 'Redemption paid' : p.kind === 'interest' ? 'Interest paid' : 'Coupon paid'
    ledger.post({
      valueDate: paidOn,
      description: `${what}: ${p.seriesCode ?? ''}, ${p.memberNo} ${p.memberName}`,
      source: 'bond-payment',
      sourceRef: `bond_payments:${id}`,
      reference: voucherNumber,
      dateField: 'paidOn',
      lines: [
        { accountId: ledger.accountFor(p.kind === 'principal' ? 'bonds-payable' : 'coupon-expense').id, debitMinor: p.grossMinor, creditMinor: 0 },
        ...(p.netMinor > 0 ? [{ accountId: ledger.cashOrBank(method).id, debitMinor: 0, creditMinor: p.netMinor }] : []),
        ...(p.taxMinor > 0 ? [{ accountId: ledger.accountFor('withholding-tax').id, debitMinor: 0, creditMinor: p.taxMinor }] : [])
      ]
    })
  }

  /** The operator doing this: payments are prepared, approved and paid by a person, never by the system. */
  private operator(): { id: number; name: string } {
    const a = currentActor()
    if (a.operatorId === null) throw new DomainError('UNAUTHENTICATED', 'Payments are prepared, approved and paid by a signed-in operator.')
    return { id: a.operatorId, name: a.name }
  }

  /** Who prepared and approved these payments, by id. */
  private signatures(ids: number[], db: Db) {
    return db
      .select({
        id: bondPayments.id,
        status: bondPayments.status,
        preparedById: bondPayments.preparedById,
        memberName: members.fullName,
        payeeName: bondPayments.payeeName,
        periodEnd: bondPayments.periodEnd,
        kind: bondPayments.kind
      })
      .from(bondPayments)
      .innerJoin(members, eq(members.id, bondPayments.memberId))
      .where(inArray(bondPayments.id, ids))
      .all()
  }

  /** "the coupon to Jane Doe (period to 30 Jun 2026)"; "Jane Doe's standing order to City Water (due 5 Mar 2026)" */
  private describe(p: { memberName: string; payeeName: string | null; kind: Payment['kind']; periodEnd: string }): string {
    const date = dateText(p.periodEnd, this.moneyWords())
    if (p.kind === 'standing-order') return `the payment of ${possessive(p.memberName)} standing order to ${p.payeeName ?? ''} (due ${date})`
    const what = p.kind === 'coupon' ? 'coupon' : p.kind === 'principal' ? 'principal repayment' : 'interest'
    return `the ${what} to ${p.memberName} (period to ${date})`
  }

  /** Pending payments marked prepared by the signed-in operator (the first pair of eyes), all or none. */
  prepare(ids: number[]): { prepared: number } {
    const me = this.operator()
    const at = nowIso(this.ctx)
    const prepared = this.ctx.db.transaction(
      (tx) => {
        const rows = this.signatures(ids, tx)
        const missing = ids.filter((id) => !rows.some((r) => r.id === id))
        if (missing.length) throw notFound(`Payment #${missing[0]}`)
        const bad = rows.filter((r) => r.status !== 'pending')
        if (bad.length) {
          throw conflict(`${bad.length} of the selected payments ${pluralForm(bad.length, { one: 'is', other: 'are' })} not pending (#${bad.slice(0, 5).map((r) => r.id).join(', #')}); nothing was prepared.`)
        }
        const done = rows.filter((r) => r.preparedById !== null)
        if (done.length) {
          throw conflict(`${this.describe(done[0]!)} is already prepared${done.length > 1 ? `, and ${done.length - 1} more` : ''}; nothing was prepared.`.replace(/^t/, 'T'))
        }
        tx.update(bondPayments)
          .set({ preparedById: me.id, preparedBy: me.name, preparedAt: at, version: sql`${bondPayments.version} + 1` })
          .where(and(inArray(bondPayments.id, ids), eq(bondPayments.status, 'pending')))
          .run()
        return ids.length
      },
      { behavior: 'immediate' }
    )
    return { prepared }
  }

  private get sqlite() {
    return this.ctx.sqlite
  }

  private today(): string {
    return calendarDateInZone(this.ctx.clock.now(), this.timeZone())
  }

  voucherPattern(): string {
    return readSetting(this.sqlite, VOUCHER_PATTERN_KEY) ?? DEFAULT_VOUCHER_PATTERN
  }

  listPayments(q: ParsedInput<'payments.list'>) {
    const filter = and(
      q.status ? eq(bondPayments.status, q.status) : undefined,
      q.kind ? eq(bondPayments.kind, q.kind) : undefined,
      q.seriesId === undefined ? undefined : eq(bondHoldings.seriesId, q.seriesId),
      q.memberId === undefined ? undefined : eq(bondPayments.memberId, q.memberId),
      q.dueFrom ? gte(bondPayments.dueDate, q.dueFrom) : undefined,
      q.dueTo ? lte(bondPayments.dueDate, q.dueTo) : undefined
    )
    const { db } = this.ctx
    const rows = paymentsQuery(db).where(filter).orderBy(asc(bondPayments.dueDate), asc(bondPayments.id)).limit(q.limit).offset(q.offset).all()
    const sums = db
      .select({
        total: count(),
        grossMinor: sql<number>`coalesce(sum(${bondPayments.grossMinor}), 0)`,
        taxMinor: sql<number>`coalesce(sum(${bondPayments.taxMinor}), 0)`,
        netMinor: sql<number>`coalesce(sum(${bondPayments.netMinor}), 0)`
      })
      .from(bondPayments)
      .leftJoin(bondHoldings, eq(bondHoldings.id, bondPayments.holdingId))
      .where(filter)
      .get() ?? { total: 0, grossMinor: 0, taxMinor: 0, netMinor: 0 }
    return { rows, total: sums.total, totals: { grossMinor: sums.grossMinor, taxMinor: sums.taxMinor, netMinor: sums.netMinor } }
  }

  private statuses(ids: number[], db: Db = this.ctx.db): Map<number, Payment['status']> {
    const rows = db.select({ id: bondPayments.id, status: bondPayments.status }).from(bondPayments).where(inArray(bondPayments.id, ids)).all()
    return new Map(rows.map((r) => [r.id, r.status]))
  }

  /**
   * Pending to approved by the signed-in operator, all or none. With
   * maker-checker on (the default), each must have been prepared by another
   * operator; with it off, an unprepared payment is prepared by the approver.
   */
  approve(ids: number[]): { approved: number } {
    const me = this.operator()
    const at = nowIso(this.ctx)
    const twoPeople = this.makerChecker()
    const approved = this.ctx.db.transaction(
      (tx) => {
        const rows = this.signatures(ids, tx)
        const missing = ids.filter((id) => !rows.some((r) => r.id === id))
        if (missing.length) throw notFound(`Payment #${missing[0]}`)
        const bad = rows.filter((r) => r.status !== 'pending')
        if (bad.length) {
          throw conflict(`${bad.length} of the selected payments ${pluralForm(bad.length, { one: 'is', other: 'are' })} not pending (#${bad.slice(0, 5).map((r) => r.id).join(', #')}); nothing was approved.`)
        }
        if (twoPeople) {
          const unprepared = rows.filter((r) => r.preparedById === null)
          if (unprepared.length) {
            throw conflict(
              `${unprepared.length} of the selected payments ${pluralForm(unprepared.length, { one: 'has', other: 'have' })} not been prepared yet (#${unprepared.slice(0, 5).map((r) => r.id).join(', #')}): someone prepares ${pluralForm(unprepared.length, { one: 'it', other: 'them' })} first, then another operator approves. Nothing was approved.`
            )
          }
          const mine = rows.filter((r) => r.preparedById === me.id)
          if (mine.length) {
            throw new DomainError(
              'FORBIDDEN',
              `You prepared ${mine.length === 1 ? this.describe(mine[0]!) : `${mine.length} of the selected payments (#${mine.slice(0, 5).map((r) => r.id).join(', #')})`}: another operator must approve ${pluralForm(mine.length, { one: 'it', other: 'them' })}. Nothing was approved.`
            )
          }
        } else {
          tx.update(bondPayments)
            .set({ preparedById: me.id, preparedBy: me.name, preparedAt: at })
            .where(and(inArray(bondPayments.id, ids), eq(bondPayments.status, 'pending'), isNull(bondPayments.preparedById)))
            .run()
        }
        tx.update(bondPayments)
          .set({ status: 'approved', approvedById: me.id, approvedBy: me.name, approvedAt: at, version: sql`${bondPayments.version} + 1` })
          .where(and(inArray(bondPayments.id, ids), eq(bondPayments.status, 'pending')))
          .run()
        return ids.length
      },
      { behavior: 'immediate' }
    )
    return { approved }
  }

  /**
   * Approved to paid, each with the next number of its year's voucher
   * sequence, in ONE transaction: if any payment cannot be paid, none is, and
   * no number is used, so the sequence stays gap-free. A cheque with no cheque number
   * (reference) is refused with CONFIRM_REQUIRED unless 'cheque-without-number' is acknowledged.
   */
  pay(ids: number[], paidOn: string, method: NonNullable<Payment['method']>, reference: string | null, acknowledged: readonly string[] = []) {
    this.operator()
    if (compareDates(paidOn, this.today()) > 0) throw invalid('The payment date cannot be in the future.', { paidOn: 'Cannot be in the future' })
    const at = nowIso(this.ctx)
    const year = Number(paidOn.slice(0, 4))
    const pattern = this.voucherPattern()
    const paid = this.ctx.db.transaction(
      (tx) => {
        const st = this.statuses(ids, tx)
        const bad = ids.filter((id) => st.get(id) !== 'approved')
        if (bad.length) throw conflict(`${bad.length} of the selected payments ${pluralForm(bad.length, { one: 'is', other: 'are' })} not approved (#${bad.slice(0, 5).join(', #')}); nothing was paid.`)
        if (method === 'cheque' && !reference) {
          const net = tx
            .select({ n: sql<number>`coalesce(sum(${bondPayments.netMinor}), 0)` })
            .from(bondPayments)
            .where(inArray(bondPayments.id, ids))
            .get()
          requireAcknowledged([chequeWithoutNumber(ids.length, net?.n ?? 0, paidOn, this.moneyWords())], acknowledged)
        }
        const out: { id: number; voucherNumber: string }[] = []
        for (const id of [...ids].sort((a, b) => a - b)) {
          const seq = this.nextVoucherSeq(tx, year)
          const number = formatVoucherNumber(pattern, year, seq)
          tx.insert(vouchers).values({ number, year, seq, paymentId: id, issuedAt: at }).run()
          const changed = tx
            .update(bondPayments)
            .set({ status: 'paid', paidOn, method, reference, paidAt: at, version: sql`${bondPayments.version} + 1` })
            .where(and(eq(bondPayments.id, id), eq(bondPayments.status, 'approved')))
            .run().changes
          if (changed !== 1) throw conflict(`Payment #${id} changed meanwhile; nothing was paid.`)
          this.postPaid(tx, id, paidOn, method, number)
          out.push({ id, voucherNumber: number })
        }
        this.queueVoucherNotices(tx, ids)
        return out
      },
      { behavior: 'immediate' }
    )
    return { paid }
  }

  /** Takes the next number of the year's voucher sequence (inside the paying transaction, so a rollback returns it). */
  private nextVoucherSeq(tx: Db, year: number): number {
    const row = tx
      .insert(voucherSequences)
      .values({ year, nextSeq: 2 })
      .onConflictDoUpdate({ target: voucherSequences.year, set: { nextSeq: sql`${voucherSequences.nextSeq} + 1` } })
      .returning({ nextSeq: voucherSequences.nextSeq })
      .get()
    return row.nextSeq - 1
  }

  /**
   * A pending or approved payment is not made after all. A standing order's
   * payment gives its money back: what the order set aside (orders payable)
   * goes back to the member account it came from, in the same transaction.
   */
  cancel(id: number, reason: string): Payment {
    const at = nowIso(this.ctx)
    this.ctx.db.transaction(
      (tx) => {
        const p = tx
          .select({ status: bondPayments.status, kind: bondPayments.kind, grossMinor: bondPayments.grossMinor, memberAccountId: bondPayments.memberAccountId, payeeName: bondPayments.payeeName })
          .from(bondPayments)
          .where(eq(bondPayments.id, id))
          .get()
        if (!p) throw notFound(`Payment #${id}`)
        if (p.status !== 'pending' && p.status !== 'approved') {
          throw conflict(`Only a pending or approved payment can be cancelled; this one is ${p.status === 'voided' ? 'void' : p.status}.`)
        }
        const changed = tx
          .update(bondPayments)
          .set({ status: 'cancelled', cancelReason: reason, cancelledAt: at, version: sql`${bondPayments.version} + 1` })
          .where(and(eq(bondPayments.id, id), inArray(bondPayments.status, ['pending', 'approved'])))
          .run().changes
        if (changed !== 1) throw conflict(`Payment #${id} changed meanwhile; it was not cancelled.`)
        if (p.kind === 'standing-order' && p.memberAccountId !== null && p.grossMinor > 0) {
          const ledger = this.ledger()
          const ma = ledger.memberAccount(p.memberAccountId)
          ledger.post({
            valueDate: this.today(),
            description: `Standing order payment to ${p.payeeName ?? ''} cancelled, back to ${ma.number} ${ma.memberName}: ${reason}`,
            source: 'standing-order',
            sourceRef: `bond_payments:${id}:cancelled`,
            whenClosed: 'next-open-day',
            lines: [
              { accountId: ledger.accountFor('orders-payable').id, debitMinor: p.grossMinor, creditMinor: 0 },
              { accountId: ma.controlAccountId, memberAccountId: ma.id, debitMinor: 0, creditMinor: p.grossMinor }
            ]
          })
        }
      },
      { behavior: 'immediate' }
    )
    return this.payment(id)
  }

  private payment(id: number): Payment {
    const p = paymentsQuery(this.ctx.db).where(eq(bondPayments.id, id)).get()
    if (!p) throw notFound(`Payment #${id}`)
    return p
  }

  /**
   * Voids a paid payment (a bounced cheque): it becomes voided and keeps its voucher and
   * number (so numbering stays gap-free, and the voucher prints VOID); a pending replacement
   * with the same holding (or member account, payee and execution), period and amounts is
   * created, in the same transaction.
   */
  void(id: number, reason: string): { voided: Payment; replacement: Payment } {
    const at = nowIso(this.ctx)
    const replacementId = this.ctx.db.transaction(
      (tx) => {
        const p = tx.select().from(bondPayments).where(eq(bondPayments.id, id)).get()
        if (!p) throw notFound(`Payment #${id}`)
        if (p.status !== 'paid') throw conflict(`Only a paid payment can be voided; this one is ${p.status}.`)
        tx.update(bondPayments)
          .set({ status: 'voided', voidedAt: at, voidReason: reason, version: sql`${bondPayments.version} + 1` })
          .where(and(eq(bondPayments.id, id), eq(bondPayments.status, 'paid')))
          .run()
        // The money did not leave after all: the payment's entry is reversed today (or on the first open day).
        if (p.grossMinor > 0) {
          const ledger = this.ledger()
          const posted = ledger.entryFor(`bond_payments:${id}`)
          if (!posted) throw conflict(`Payment #${id} has no journal entry to reverse; run \`coffer summaries check\` and tell your administrator.`)
          if (!posted.reversed) ledger.reverse(posted.id, this.today(), `payment voided: ${reason}`, { owner: true, whenClosed: 'next-open-day' })
        }
        return tx
          .insert(bondPayments)
          .values({
            holdingId: p.holdingId,
            kind: p.kind,
            memberId: p.memberId,
            memberAccountId: p.memberAccountId,
            payeeName: p.payeeName,
            payeeBank: p.payeeBank,
            payeeAccount: p.payeeAccount,
            payeeReference: p.payeeReference,
            sourceRef: p.sourceRef,
            periodStart: p.periodStart,
            periodEnd: p.periodEnd,
            dueDate: p.dueDate,
            grossMinor: p.grossMinor,
            taxMinor: p.taxMinor,
            netMinor: p.netMinor,
            status: 'pending',
            createdAt: at,
            replacesPaymentId: id
          })
          .returning({ id: bondPayments.id })
          .get().id
      },
      { behavior: 'immediate' }
    )
    return { voided: this.payment(id), replacement: this.payment(replacementId) }
  }

  /** A cancelled payment back to pending (its reason and date are cleared). */
  reinstate(id: number): Payment {
    const st = this.statuses([id]).get(id)
    if (!st) throw notFound(`Payment #${id}`)
    if (st !== 'cancelled') throw conflict(`Only a cancelled payment can be reinstated; this one is ${st}.`)
    const p = this.payment(id)
    if (p.kind === 'standing-order') {
      const where = p.memberAccountId === null ? 'the member’s account' : `${possessive(p.memberName)} account`
      throw conflict(
        `This standing order payment cannot be reinstated: when it was cancelled, its ${amountText(p.grossMinor, this.moneyWords())} went back to ${where}. ` +
          'The order’s next execution pays again; to pay this amount now, record a withdrawal from the account.'
      )
    }
    // A coupon for a period after the holding's early redemption stays cancelled: the redemption paid the interest.
    const holding =
      p.holdingId === null
        ? undefined
        : this.ctx.db.select({ redeemedOn: bondHoldings.redeemedOn }).from(bondHoldings).where(eq(bondHoldings.id, p.holdingId)).get()
    if (p.kind === 'coupon' && holding?.redeemedOn && compareDates(p.periodEnd, holding.redeemedOn) > 0) {
      throw conflict(`The holding was redeemed on ${dateText(holding.redeemedOn, this.moneyWords())}; a coupon for a later period cannot be reinstated.`)
    }
    this.ctx.db
      .update(bondPayments)
      // Back to the start: it is prepared and approved afresh.
      .set({
        status: 'pending',
        cancelReason: null,
        cancelledAt: null,
        preparedById: null,
        preparedBy: null,
        preparedAt: null,
        approvedById: null,
        approvedBy: null,
        approvedAt: null,
        version: sql`${bondPayments.version} + 1`
      })
      .where(and(eq(bondPayments.id, id), eq(bondPayments.status, 'cancelled')))
      .run()
    return this.payment(id)
  }

  /**
   * Pending payments another area creates within its own transaction (an early redemption
   * creates its principal and accrued interest with the redemption). Net is gross - tax.
   */
  createPending(rows: NewPayment[]): void {
    const at = nowIso(this.ctx)
    for (const r of rows) {
      this.ctx.db
        .insert(bondPayments)
        .values({
          ...r,
          memberId: sql`(SELECT ${bondHoldings.memberId} FROM ${bondHoldings} WHERE ${bondHoldings.id} = ${r.holdingId})`,
          netMinor: r.grossMinor - r.taxMinor,
          status: 'pending',
          createdAt: at
        })
        .run()
    }
  }

  /**
   * A pending payment out of a member's standing order (created in the
   * order's execution transaction: the caller has already moved the amount
   * from the member's account to orders payable). Idempotent: a second call
   * with the same sourceRef returns the existing payment's id and creates
   * nothing (a voided payment's replacement holds the execution after it).
   * Runs in the caller's transaction when there is one, else in its own.
   * Never asks for an operator: the standing-orders job runs as the system.
   */
  createOrderPayment(v: NewOrderPayment): { id: number; created: boolean } {
    const problems: Record<string, string> = {}
    if (!Number.isSafeInteger(v.amountMinor) || v.amountMinor <= 0) problems.amountMinor = 'The amount must be more than zero, in whole minor units'
    if (!isCalendarDate(v.dueDate)) problems.dueDate = 'Not a date (YYYY-MM-DD)'
    const text = (field: 'payeeName' | 'payeeBank' | 'payeeAccount', label: string): string => {
      const t = v[field].trim()
      if (t === '') problems[field] = `${label} is required`
      else if (t.length > PAYEE_MAX) problems[field] = `${label}: at most ${PAYEE_MAX} characters`
      return t
    }
    const payeeName = text('payeeName', 'Payee')
    const payeeBank = text('payeeBank', 'Bank')
    const payeeAccount = text('payeeAccount', 'Account number')
    const payeeReference = v.payeeReference?.trim() || null
    if (payeeReference !== null && payeeReference.length > PAYEE_MAX) problems.payeeReference = `Reference: at most ${PAYEE_MAX} characters`
    if (v.sourceRef.trim() === '' || v.sourceRef !== v.sourceRef.trim()) problems.sourceRef = 'The execution’s reference is missing'
    if (Object.keys(problems).length > 0) {
      const first = Object.values(problems)[0] as string
      throw invalid(`The standing order’s payment was not created: ${first.charAt(0).toLowerCase()}${first.slice(1)}.`, problems)
    }
    const run = (): { id: number; created: boolean } => {
      const st = this.orderStatements()
      const existing = st.existing.get(v.sourceRef) as { id: number; member_id: number } | undefined
      if (existing) {
        if (existing.member_id !== v.memberId) {
          throw conflict(`Payment #${existing.id} already pays ${v.sourceRef}, for another member; nothing was created.`)
        }
        return { id: existing.id, created: false }
      }
      const account = st.account.get(v.memberAccountId) as { member_id: number } | undefined
      if (!account) throw notFound(`Member account #${v.memberAccountId}`)
      if (account.member_id !== v.memberId) {
        throw invalid('The standing order’s payment was not created: the account it draws on is not the member’s.', { memberAccountId: 'Not this member’s account' })
      }
      const id = st.insert.get(v.memberId, v.memberAccountId, v.dueDate, v.dueDate, v.dueDate, v.amountMinor, v.amountMinor, payeeName, payeeBank, payeeAccount, payeeReference, v.sourceRef, nowIso(this.ctx), v.runId) as
        | { id: number }
        | undefined
      if (!id) throw conflict(`Payment for ${v.sourceRef} was created meanwhile; nothing was created twice.`)
      return { id: id.id, created: true }
    }
    return this.ctx.sqlite.inTransaction ? run() : this.ctx.sqlite.transaction(run).immediate()
  }

  private orderSt: ReturnType<PaymentsService['prepareOrderStatements']> | null = null

  /** createOrderPayment's statements, prepared once per service (a job creates one payment per execution). */
  private orderStatements() {
    this.orderSt ??= this.prepareOrderStatements()
    return this.orderSt
  }

  private prepareOrderStatements() {
    const { sqlite } = this.ctx
    return {
      existing: sqlite.prepare(`SELECT id, member_id FROM bond_payments WHERE source_ref = ? AND ${PAYMENT_ONCE_WHERE}`),
      account: sqlite.prepare('SELECT member_id FROM member_accounts WHERE id = ?'),
      insert: sqlite.prepare(
        `INSERT INTO bond_payments (holding_id, kind, member_id, member_account_id, period_start, period_end, due_date, gross_minor, tax_minor, net_minor,
           payee_name, payee_bank, payee_account, payee_reference, source_ref, status, created_at, created_by_run)
         VALUES (NULL, 'standing-order', ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
         ON CONFLICT (source_ref) WHERE source_ref IS NOT NULL AND ${PAYMENT_ONCE_WHERE} DO NOTHING
         RETURNING id`
      )
    }
  }

  /**
   * Coupons for periods after `after` not yet paid (pending or approved) become cancelled
   * with the reason; a paid one is refused (void it first). For an early redemption.
   */
  cancelCouponsAfter(holdingId: number, after: string, reason: string): void {
    const later = and(eq(bondPayments.holdingId, holdingId), eq(bondPayments.kind, 'coupon'), gt(bondPayments.periodEnd, after))
    const paid = this.ctx.db
      .select({ id: bondPayments.id, periodEnd: bondPayments.periodEnd })
      .from(bondPayments)
      .where(and(later, eq(bondPayments.status, 'paid')))
      .get()
    if (paid) {
      const end = dateText(paid.periodEnd, this.moneyWords())
      throw conflict(`The coupon to ${end} is already paid (payment #${paid.id}); void it first, or redeem on or after ${end}.`)
    }
    this.ctx.db
      .update(bondPayments)
      .set({ status: 'cancelled', cancelReason: reason, cancelledAt: nowIso(this.ctx), version: sql`${bondPayments.version} + 1` })
      .where(and(later, inArray(bondPayments.status, ['pending', 'approved'])))
      .run()
  }

  /** A member's unpaid (pending or approved) payments as a holder due before `today`, oldest first. */
  overdueForMember(memberId: number, today: string): Payment[] {
    return paymentsQuery(this.ctx.db)
      .where(
        and(eq(bondPayments.memberId, memberId), toHolder(), inArray(bondPayments.status, ['pending', 'approved']), lt(bondPayments.dueDate, today))
      )
      .orderBy(asc(bondPayments.dueDate), asc(bondPayments.id))
      .all()
  }

  /**
   * How many payments due to a member (as a holder) are not paid yet (pending or approved), and their net total.
   * A standing order's payment is not owed to the member: it pays someone else.
   */
  unpaidForMember(memberId: number, db: Db = this.ctx.db): { count: number; netMinor: number } {
    const r = db
      .select({ count: count(), netMinor: sql<number>`coalesce(sum(${bondPayments.netMinor}), 0)` })
      .from(bondPayments)
      .where(and(eq(bondPayments.memberId, memberId), toHolder(), inArray(bondPayments.status, ['pending', 'approved'])))
      .get()
    return { count: r?.count ?? 0, netMinor: r?.netMinor ?? 0 }
  }

  /** A year's vouchers so far: how many, the first and last numbers, and the sequence number the next one takes. */
  voucherYear(year: number): { issued: number; first: string | null; last: string | null; nextSeq: number } {
    const { db } = this.ctx
    const issued = db.select({ n: count() }).from(vouchers).where(eq(vouchers.year, year)).get()?.n ?? 0
    const first = db.select({ number: vouchers.number }).from(vouchers).where(eq(vouchers.year, year)).orderBy(asc(vouchers.seq)).limit(1).get()
    const last = db.select({ number: vouchers.number }).from(vouchers).where(eq(vouchers.year, year)).orderBy(desc(vouchers.seq)).limit(1).get()
    const next = db.select({ nextSeq: voucherSequences.nextSeq }).from(voucherSequences).where(eq(voucherSequences.year, year)).get()
    return { issued, first: first?.number ?? null, last: last?.number ?? null, nextSeq: next?.nextSeq ?? 1 }
  }

  /** A member's paid payments as a holder, newest first (the member's portfolio). */
  paidToMember(memberId: number): Payment[] {
    return paymentsQuery(this.ctx.db)
      .where(and(eq(bondPayments.memberId, memberId), toHolder(), eq(bondPayments.status, 'paid')))
      .orderBy(desc(bondPayments.paidOn), desc(bondPayments.id))
      .all()
  }
}
