/**
 * Payments out of members' standing orders (#12): the standing orders area
 * executes an order in one transaction (Dr the member's savings / Cr
 * standing orders payable, then PaymentsService.createOrderPayment), as the
 * system, on a connection of its own like a job's; the payment then goes
 * through prepare, approve (another operator), pay, with the next voucher
 * number of the same sequence as the coupons. Paying settles orders payable
 * against the bank or cash; voiding reverses that and leaves a replacement;
 * cancelling gives the money back to the member's savings, and such a
 * payment is never reinstated. One payment per execution, however often
 * the execution is retried.
 */
import { execFileSync } from 'node:child_process'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core, ManualClock } from '../../src/core'
import { LedgerService } from '../../src/core/ledger'
import { PaymentsService } from '../../src/core/payments'
import { runAsSystem } from '../../src/core/platform/actor'
import { installAuditTrail } from '../../src/core/platform/audit/trail'
import { DomainError } from '../../src/core/platform/errors'
import type { JournalEntry, JournalPage, Account, AccountRole, MemberAccount } from '../../src/shared/contract/ledger'
import type { Member, Payment } from '../../src/shared/contract'
import { ledgerProblems, rawDb } from '../support/ledger'
import { TREASURER, asOperator, prepareAndApprove } from '../support/operators'
import { runJob, seriesWithHolding } from '../support/series'
import { value } from '../support/temp-core'

const cores: Core[] = []
const dbs: Database.Database[] = []
afterEach(async () => {
  while (dbs.length) dbs.pop()?.close()
  while (cores.length) await cores.pop()?.shutdown()
})

/** KES 50,000.00 deposited in Jane's savings on 20 Jan 2026. */
const DEPOSIT = 5_000_000
/** The order pays KES 1,234.50 a month to the water company. */
const AMOUNT = 123_450
const WATER = { payeeName: 'Nairobi City Water', payeeBank: 'Equity Bank, Moi Avenue', payeeAccount: '0170 2938 4411', payeeReference: 'ACC 55-0912' }

type AuditPage = { rows: { actor: string; operatorId: number | null; channel: string; action: string }[] }

async function rolesOf(core: Core): Promise<Record<AccountRole, Account>> {
  const accounts = value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts
  return Object.fromEntries(accounts.filter((a) => a.role).map((a) => [a.role, a])) as Record<AccountRole, Account>
}

/** An entry's lines as [role, member account or null, debit, credit]. */
function linesOf(e: JournalEntry, role: Record<AccountRole, Account>): [string, number | null, number, number][] {
  const byId = new Map(Object.entries(role).map(([r, a]) => [a.id, r]))
  return e.lines.map((l) => [byId.get(l.accountId) ?? l.accountCode, l.memberAccountId, l.debitMinor, l.creditMinor])
}

async function journal(core: Core): Promise<JournalEntry[]> {
  return value<JournalPage>(await core.invoke('ledger.journal', { limit: 200 })).entries
}

const payments = async (core: Core, q: Record<string, unknown> = {}) => value<{ rows: Payment[] }>(await core.invoke('payments.list', q)).rows

/**
 * A book with the common series, Jane (M-1) holding 10 units and KES 50,000.00
 * in her savings, Otieno (M-2) with savings of his own, February's first coupon
 * pending, and the standing orders' side: a LedgerService and a
 * PaymentsService on a connection of their own (audited, as a job's), built
 * the way the standing orders job builds them.
 */
async function book() {
  const { core, dataDir, clock, jane, holding } = await seriesWithHolding(cores)
  const savings = value<MemberAccount>(await core.invoke('ledger.openMemberAccount', { memberId: jane.id, product: 'savings' }))
  value(await core.invoke('ledger.deposit', { memberAccountId: savings.id, amountMinor: DEPOSIT, valueDate: '2026-01-20', via: 'bank' }))
  const otieno = value<Member>(await core.invoke('members.create', { memberNo: 'M-2', fullName: 'Otieno Ouma', joinedOn: '2021-03-01' }))
  const otienoSavings = value<MemberAccount>(await core.invoke('ledger.openMemberAccount', { memberId: otieno.id, product: 'savings' }))
  clock.set('2026-02-03T06:00:00Z')
  await runJob(core, 'coupons')
  const [coupon] = await payments(core, { kind: 'coupon' })
  expect(coupon).toBeDefined()
  const role = await rolesOf(core)
  return { core, dataDir, clock, jane, holding, savings, otieno, otienoSavings, coupon: coupon!, role, orders: ordersSide(dataDir, clock) }
}

/** The standing orders' side of the book: what their job does, on its own connection, as the system. */
function ordersSide(dataDir: string, clock: ManualClock) {
  const sqlite = rawDb(dataDir)
  dbs.push(sqlite)
  installAuditTrail(sqlite, { now: () => clock.now() })
  const ctx = { sqlite, db: drizzle({ client: sqlite }), clock, emit: () => undefined }
  const ledger = new LedgerService(ctx, { timeZone: () => 'Africa/Nairobi', locale: () => 'en-KE', currency: () => 'KES' })
  const service = new PaymentsService(
    ctx,
    () => 'Africa/Nairobi',
    () => ({ currency: 'KES', locale: 'en-KE' }),
    () => true,
    () => ledger
  )
  const input = (memberId: number, memberAccountId: number, sourceRef: string, dueDate: string) => ({
    memberId,
    memberAccountId,
    dueDate,
    amountMinor: AMOUNT,
    ...WATER,
    sourceRef,
    runId: null
  })
  return {
    sqlite,
    service,
    input,
    /** One execution: the member's savings to orders payable, and the payment, in one transaction. */
    execute(savings: MemberAccount, sourceRef: string, dueDate: string): { id: number; created: boolean } {
      return runAsSystem('job:standing-orders', () =>
        sqlite
          .transaction(() => {
            ledger.post({
              valueDate: dueDate,
              description: `Standing order: ${savings.memberNo} ${savings.memberName} to ${WATER.payeeName}`,
              source: 'standing-order',
              sourceRef,
              lines: [
                { accountId: savings.controlAccountId, memberAccountId: savings.id, debitMinor: AMOUNT, creditMinor: 0 },
                { accountId: ledger.accountFor('orders-payable').id, debitMinor: 0, creditMinor: AMOUNT }
              ]
            })
            return service.createOrderPayment(input(savings.memberId, savings.id, sourceRef, dueDate))
          })
          .immediate()
      )
    }
  }
}

/** A member account's balance and an account's, as the ledger reports them. */
async function balanceOf(core: Core, savings: MemberAccount): Promise<number> {
  const { accounts } = value<{ accounts: MemberAccount[] }>(await core.invoke('ledger.memberAccounts', { memberId: savings.memberId }))
  return accounts.find((a) => a.id === savings.id)!.balanceMinor
}
async function accountBalance(core: Core, id: number): Promise<number> {
  return (await allAccounts(core)).find((a) => a.id === id)!.balanceMinor
}
async function allAccounts(core: Core): Promise<Account[]> {
  return value<{ accounts: Account[] }>(await core.invoke('ledger.accounts', {})).accounts
}

async function sound(core: Core, dataDir: string): Promise<void> {
  const db = rawDb(dataDir)
  dbs.push(db)
  const dates = db.prepare('SELECT DISTINCT value_date FROM journal_entries ORDER BY 1').pluck().all() as string[]
  expect(await ledgerProblems(core, db, dates)).toEqual([])
}

describe('a standing order’s payment goes the way of a coupon', () => {
  it('is created pending with its payee, prepared and approved by two operators, paid with the next voucher number, and posts Dr orders payable / Cr bank', async () => {
    const { core, dataDir, clock, jane, savings, coupon, role, orders } = await book()
    const ref = 'standing_orders:1:2026-02-03'
    const made = orders.execute(savings, ref, '2026-02-03')
    expect(made.created).toBe(true)

    const [p] = await payments(core, { kind: 'standing-order' })
    expect(p).toMatchObject({
      id: made.id,
      kind: 'standing-order',
      holdingId: null,
      seriesCode: null,
      memberId: jane.id,
      memberNo: 'M-1',
      memberName: 'Jane Wanjiru',
      memberAccountId: savings.id,
      ...WATER,
      periodStart: '2026-02-03',
      periodEnd: '2026-02-03',
      dueDate: '2026-02-03',
      grossMinor: AMOUNT,
      taxMinor: 0,
      netMinor: AMOUNT,
      status: 'pending',
      preparedBy: null,
      voucherNumber: null
    })
    // Listed with the coupons, by member too; the kind filter tells them apart.
    expect((await payments(core)).map((x) => x.id).sort()).toEqual([coupon.id, made.id].sort())
    expect((await payments(core, { memberId: jane.id })).map((x) => x.id).sort()).toEqual([coupon.id, made.id].sort())
    expect((await payments(core, { kind: 'coupon' })).map((x) => x.id)).toEqual([coupon.id])
    // Made by the system, through the standing orders' job.
    const audit = value<AuditPage>(await core.invoke('audit.list', { entity: 'bond_payments', entityId: String(made.id) }))
    expect(audit.rows[0]).toMatchObject({ actor: 'System', operatorId: null, channel: 'job:standing-orders', action: 'insert' })
    // The money has left Jane's savings and waits in orders payable.
    expect(await balanceOf(core, savings)).toBe(DEPOSIT - AMOUNT)
    expect(await accountBalance(core, role['orders-payable'].id)).toBe(AMOUNT)

    // The coupon is paid first: PV-2026-000001.
    await prepareAndApprove(core, [coupon.id])
    const first = value<{ paid: { voucherNumber: string }[] }>(await core.invoke('payments.pay', { ids: [coupon.id], paidOn: '2026-02-03', method: 'cash' })).paid
    expect(first[0]!.voucherNumber).toBe('PV-2026-000001')

    // Ada prepares the order's payment; she may not approve it herself.
    value(await core.invoke('payments.prepare', { ids: [made.id] }))
    const self = await core.invoke('payments.approve', { ids: [made.id] })
    expect(self).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(self.ok ? '' : self.error.message).toMatch(/^You prepared the payment of Jane Wanjiru’s standing order to Nairobi City Water \(due 3 Feb 2026\): another operator must approve it/)
    await asOperator(core, TREASURER, async () => value(await core.invoke('payments.approve', { ids: [made.id] })))
    const paid = value<{ paid: { id: number; voucherNumber: string }[] }>(
      await core.invoke('payments.pay', { ids: [made.id], paidOn: '2026-02-03', method: 'bank-transfer', reference: 'FT26034XYZ' })
    ).paid
    // The next number of the same sequence: no gap, no second series.
    expect(paid).toEqual([{ id: made.id, voucherNumber: 'PV-2026-000002' }])
    const [after] = await payments(core, { kind: 'standing-order' })
    expect(after).toMatchObject({ status: 'paid', preparedBy: 'Ada Admin', approvedBy: 'Tom Treasurer', voucherNumber: 'PV-2026-000002', method: 'bank-transfer', reference: 'FT26034XYZ' })

    const e = (await journal(core)).find((x) => x.sourceRef === `bond_payments:${made.id}` && x.reversesId === null)
    expect(e).toMatchObject({ valueDate: '2026-02-03', source: 'bond-payment', reference: 'PV-2026-000002', totalMinor: AMOUNT })
    expect(e?.description).toBe('Standing order paid: Nairobi City Water, for M-1 Jane Wanjiru')
    expect(linesOf(e!, role)).toEqual([
      ['orders-payable', null, AMOUNT, 0],
      ['bank', null, 0, AMOUNT]
    ])
    expect(await accountBalance(core, role['orders-payable'].id)).toBe(0)
    expect(await balanceOf(core, savings)).toBe(DEPOSIT - AMOUNT)

    // Not a coupon received: the member's bond portfolio does not list it.
    const portfolio = value<{ received: Payment[]; overdue: Payment[] }>(await core.invoke('bonds.memberPortfolio', { memberId: jane.id }))
    expect(portfolio.received.map((x) => x.id)).toEqual([coupon.id])

    // Its voucher: the payee, their bank and account, whose order it is, the amount in words.
    const pdf = value<{ file: string; vouchers: number }>(await core.invoke('vouchers.pdf', { paymentIds: [made.id] }))
    expect(pdf.vouchers).toBe(1)
    const text = execFileSync('pdftotext', ['-layout', pdf.file, '-'], { encoding: 'utf8' })
    expect(text).toContain('PV-2026-000002')
    expect(text).toMatch(/Pay to\s+Nairobi City Water/)
    expect(text).toMatch(/Bank\s+Equity Bank, Moi Avenue/)
    expect(text).toMatch(/Account no\.\s+0170 2938 4411/)
    expect(text).toContain('Standing order of Jane Wanjiru (M-1)')
    expect(text).toContain('ACC 55-0912')
    expect(text).not.toContain('Member no.')
    expect(text.replace(/\s+/g, ' ')).toMatch(/One thousand two hundred thirty-four Kenya shillings and fifty cents only/i)
    clock.set('2026-02-04T06:00:00Z')
    await sound(core, dataDir)
  })

  it('voided, its entry is reversed and a pending replacement pays the same execution; cancelled, the money goes back to the member’s savings and it is never reinstated', async () => {
    const { core, dataDir, clock, savings, role, orders } = await book()
    const ref = 'standing_orders:1:2026-02-03'
    const { id } = orders.execute(savings, ref, '2026-02-03')
    await prepareAndApprove(core, [id])
    const [paid] = value<{ paid: { voucherNumber: string }[] }>(
      await core.invoke('payments.pay', { ids: [id], paidOn: '2026-02-03', method: 'cheque', reference: 'CHQ 000481' })
    ).paid
    const posted = (await journal(core)).find((x) => x.sourceRef === `bond_payments:${id}` && x.reversesId === null)!

    // The cheque bounced: voided two days later.
    clock.set('2026-02-05T06:00:00Z')
    const { voided, replacement } = value<{ voided: Payment; replacement: Payment }>(await core.invoke('payments.void', { id, reason: 'Cheque bounced' }))
    expect(voided).toMatchObject({ status: 'voided', voucherNumber: paid!.voucherNumber })
    expect(replacement).toMatchObject({
      kind: 'standing-order',
      status: 'pending',
      replacesPaymentId: id,
      holdingId: null,
      memberAccountId: savings.id,
      ...WATER,
      dueDate: '2026-02-03',
      grossMinor: AMOUNT,
      netMinor: AMOUNT
    })
    const reversal = (await journal(core)).find((x) => x.reversesId === posted.id)
    expect(reversal).toMatchObject({ valueDate: '2026-02-05', source: 'reversal', sourceRef: `bond_payments:${id}` })
    expect(linesOf(reversal!, role)).toEqual([
      ['orders-payable', null, 0, AMOUNT],
      ['bank', null, AMOUNT, 0]
    ])
    // The money is owed to the payee again, still out of Jane's savings.
    expect(await accountBalance(core, role['orders-payable'].id)).toBe(AMOUNT)
    expect(await balanceOf(core, savings)).toBe(DEPOSIT - AMOUNT)
    // The execution is the replacement's now: a retry of it finds the replacement.
    expect(orders.service.createOrderPayment(orders.input(savings.memberId, savings.id, ref, '2026-02-03'))).toEqual({ id: replacement.id, created: false })

    // The member asks to stop it: cancelled (approved already), the money goes back to her savings.
    await prepareAndApprove(core, [replacement.id])
    clock.set('2026-02-06T06:00:00Z')
    const cancelled = value<Payment>(await core.invoke('payments.cancel', { id: replacement.id, reason: 'Member closed the water account' }))
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Member closed the water account' })
    const back = (await journal(core)).find((x) => x.sourceRef === `bond_payments:${replacement.id}:cancelled`)
    expect(back).toMatchObject({ valueDate: '2026-02-06', source: 'standing-order', totalMinor: AMOUNT })
    expect(back?.description).toBe('Standing order payment to Nairobi City Water cancelled, back to M-1-SAV Jane Wanjiru: Member closed the water account')
    expect(linesOf(back!, role)).toEqual([
      ['orders-payable', null, AMOUNT, 0],
      ['member-savings', savings.id, 0, AMOUNT]
    ])
    expect(await balanceOf(core, savings)).toBe(DEPOSIT)
    expect(await accountBalance(core, role['orders-payable'].id)).toBe(0)
    // Its entry is the area's: not reversed by hand.
    expect(await core.invoke('ledger.reverse', { id: back!.id, valueDate: '2026-02-06', reason: 'By hand' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })

    // Reinstating would pay money that went back to her: refused, saying what to do instead.
    const again = await core.invoke('payments.reinstate', { id: replacement.id })
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(again.ok ? '' : again.error.message).toBe(
      'This standing order payment cannot be reinstated: when it was cancelled, its Ksh\u00a01,234.50 went back to Jane Wanjiru’s account. ' +
        'The order’s next execution pays again; to pay this amount now, record a withdrawal from the account.'
    )
    expect((await payments(core, { kind: 'standing-order' })).map((x) => [x.id, x.status])).toEqual([
      [id, 'voided'],
      [replacement.id, 'cancelled']
    ])
    // A cancelled or voided payment is not cancelled (again).
    expect(await core.invoke('payments.cancel', { id: replacement.id, reason: 'Twice' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await core.invoke('payments.cancel', { id, reason: 'Voided' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    // A retried execution creates nothing: its payment was cancelled, its money returned.
    expect(orders.service.createOrderPayment(orders.input(savings.memberId, savings.id, ref, '2026-02-03'))).toEqual({ id: replacement.id, created: false })
    await sound(core, dataDir)
  })

  it('a pending one cancelled gives the money back too; a coupon cancelled posts nothing and is reinstated as before', async () => {
    const { core, dataDir, savings, coupon, role, orders } = await book()
    const { id } = orders.execute(savings, 'standing_orders:2:2026-02-03', '2026-02-03')
    const before = (await journal(core)).length
    value(await core.invoke('payments.cancel', { id, reason: 'Entered twice' }))
    expect((await journal(core)).length).toBe(before + 1)
    expect(await balanceOf(core, savings)).toBe(DEPOSIT)
    expect(await accountBalance(core, role['orders-payable'].id)).toBe(0)

    value(await core.invoke('payments.cancel', { id: coupon.id, reason: 'Wrong holder' }))
    expect((await journal(core)).length).toBe(before + 1)
    expect(value<Payment>(await core.invoke('payments.reinstate', { id: coupon.id }))).toMatchObject({ status: 'pending', cancelReason: null })
    await sound(core, dataDir)
  })
})

describe('createOrderPayment', () => {
  it('creates one payment per execution: called again (in a transaction or not) it answers the same payment and creates nothing', async () => {
    const { core, savings, orders } = await book()
    const ref = 'standing_orders:3:2026-02-03'
    const first = orders.execute(savings, ref, '2026-02-03')
    expect(first.created).toBe(true)
    const inTx = runAsSystem('job:standing-orders', () =>
      orders.sqlite.transaction(() => orders.service.createOrderPayment(orders.input(savings.memberId, savings.id, ref, '2026-02-03'))).immediate()
    )
    expect(inTx).toEqual({ id: first.id, created: false })
    // Without a transaction of the caller's, in one of its own.
    expect(orders.service.createOrderPayment(orders.input(savings.memberId, savings.id, ref, '2026-02-03'))).toEqual({ id: first.id, created: false })
    expect(orders.sqlite.prepare('SELECT count(*) FROM bond_payments WHERE source_ref = ?').pluck().get(ref)).toBe(1)
    expect(await payments(core, { kind: 'standing-order' })).toHaveLength(1)
    // Another execution is another payment.
    expect(orders.execute(savings, 'standing_orders:3:2026-03-03', '2026-03-03')).toEqual({ id: expect.any(Number), created: true })
    expect(await payments(core, { kind: 'standing-order' })).toHaveLength(2)
  })

  it('refuses what cannot be paid, naming the field, and writes nothing', async () => {
    const { savings, otieno, otienoSavings, orders } = await book()
    const base = orders.input(savings.memberId, savings.id, 'standing_orders:4:2026-02-03', '2026-02-03')
    const refused = (over: Record<string, unknown>): DomainError => {
      try {
        orders.service.createOrderPayment({ ...base, ...over })
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError)
        return e as DomainError
      }
      throw new Error(`not refused: ${JSON.stringify(over)}`)
    }
    expect(refused({ amountMinor: 0 })).toMatchObject({ code: 'VALIDATION', fields: { amountMinor: expect.any(String) } })
    expect(refused({ amountMinor: 12.5 })).toMatchObject({ code: 'VALIDATION', fields: { amountMinor: expect.any(String) } })
    expect(refused({ dueDate: '2026-02-30' })).toMatchObject({ code: 'VALIDATION', fields: { dueDate: expect.any(String) } })
    expect(refused({ payeeName: '  ' })).toMatchObject({ code: 'VALIDATION', fields: { payeeName: 'Payee is required' } })
    expect(refused({ payeeAccount: '' })).toMatchObject({ code: 'VALIDATION', fields: { payeeAccount: 'Account number is required' } })
    expect(refused({ sourceRef: '' })).toMatchObject({ code: 'VALIDATION', fields: { sourceRef: expect.any(String) } })
    // Otieno's account for Jane's order.
    expect(refused({ memberAccountId: otienoSavings.id })).toMatchObject({ code: 'VALIDATION', fields: { memberAccountId: 'Not this member’s account' } })
    expect(refused({ memberAccountId: 999_999 })).toMatchObject({ code: 'NOT_FOUND' })
    expect(orders.sqlite.prepare("SELECT count(*) FROM bond_payments WHERE kind = 'standing-order'").pluck().get()).toBe(0)
    // An execution already paid for one member is not answered for another.
    const made = orders.service.createOrderPayment(base)
    expect(made.created).toBe(true)
    expect(refused({ memberId: otieno.id, memberAccountId: otienoSavings.id })).toMatchObject({ code: 'CONFLICT' })
    expect(orders.sqlite.prepare("SELECT count(*) FROM bond_payments WHERE kind = 'standing-order'").pluck().get()).toBe(1)
  })

  it('the table holds the rules itself: a standing order’s payment has no holding and has its account, payee and execution; any other has a holding', async () => {
    const { savings, holding, orders } = await book()
    const db = orders.sqlite
    const insert = (holdingId: number | null, kind: string, memberAccountId: number | null, payee: string | null, sourceRef: string | null, tax = 0) =>
      db
        .prepare(
          `INSERT INTO bond_payments (holding_id, member_id, kind, member_account_id, payee_name, payee_bank, payee_account, source_ref,
             period_start, period_end, due_date, gross_minor, tax_minor, net_minor, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, '2026-02-03', '2026-02-03', '2026-02-03', 100, ?, ?, '2026-02-03T06:00:00.000Z')`
        )
        .run(holdingId, savings.memberId, kind, memberAccountId, payee, payee, payee, sourceRef, tax, 100 - tax)
    expect(() => insert(holding.id, 'standing-order', savings.id, 'X', 'r:1')).toThrow(/CHECK constraint failed: bond_payments_payee/)
    expect(() => insert(null, 'standing-order', null, 'X', 'r:1')).toThrow(/CHECK constraint failed: bond_payments_payee/)
    expect(() => insert(null, 'standing-order', savings.id, null, 'r:1')).toThrow(/CHECK constraint failed: bond_payments_payee/)
    expect(() => insert(null, 'standing-order', savings.id, 'X', null)).toThrow(/CHECK constraint failed: bond_payments_payee/)
    expect(() => insert(null, 'standing-order', savings.id, 'X', 'r:1', 10)).toThrow(/CHECK constraint failed: bond_payments_payee/)
    expect(() => insert(null, 'coupon', null, null, null)).toThrow(/CHECK constraint failed: bond_payments_payee/)
    expect(() => insert(holding.id, 'principal', savings.id, null, null)).toThrow(/CHECK constraint failed: bond_payments_payee/)
    insert(null, 'standing-order', savings.id, 'X', 'r:1')
    expect(() => insert(null, 'standing-order', savings.id, 'X', 'r:1')).toThrow(/UNIQUE constraint failed: bond_payments.source_ref/)
  })
})
