import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock, type Core } from '../../src/core'
import type { BondSeries, Holding, Member, Payment } from '../../src/shared/contract'
import type { MemberPrefs, NoticeTemplate } from '../../src/shared/contract/mail'
import type { Staff } from '../../src/shared/contract/payroll'
import { formatMoney } from '../../src/shared/money'
import { formatDate } from '../../src/shared/words'
import { SERIES, runJob } from '../support/series'
import { jobCore } from '../support/job-core'
import { resetFlaky } from '../support/test-jobs'
import { value } from '../support/temp-core'
import { prepareAndApprove } from '../support/operators'
import { addStaff, monthlyCalendar, payrollBook, period, periodStarting, run, setDay, type PayrollBook } from '../support/payroll'
import { recurringBook, runOrders, savingsToShares, setDay as setRecurringDay, type RecurringBook } from '../support/recurring'

/**
 * The notices (issue #14): each is queued in the outbox in the transaction
 * of the event that causes it, once per event, only to members who allow it
 * and have an address; their templates refuse unknown placeholders; the
 * preview uses a real member's data.
 */

const cores: Core[] = []
const books: { close(): Promise<void> }[] = []
const dbs: Database.Database[] = []
afterEach(async () => {
  for (const d of dbs.splice(0)) d.close()
  for (const c of cores.splice(0)) await c.shutdown()
  for (const b of books.splice(0)) await b.close()
})

interface OutboxRow {
  id: number
  kind: string
  channel: string
  event_key: string
  to_address: string
  to_name: string
  member_id: number | null
  staff_id: number | null
  subject: string | null
  body: string
  status: string
  notification_id: number | null
}

const outbox = (db: Database.Database, kind: string): OutboxRow[] => db.prepare('SELECT * FROM outbox_messages WHERE kind = ? ORDER BY id').all(kind) as OutboxRow[]
const attachments = (db: Database.Database, messageId: number) =>
  (db.prepare('SELECT filename, content_type AS contentType, source, sha256 FROM outbox_attachments WHERE message_id = ?').all(messageId) as { filename: string; contentType: string; source: string; sha256: string | null }[]).map((a) => ({
    ...a,
    source: JSON.parse(a.source) as { kind: string; data: Record<string, unknown> }
  }))

const KES = (minor: number) => formatMoney(minor, 'KES', 'en-KE')

/** A core with the common series and four members holding 10 units each: Jane (email), Bob (email, opted out), Carol (no email), Dan (email, but not by email). */
async function bondBook(start: string) {
  const t = await jobCore({ clock: new ManualClock(start) })
  cores.push(t.core)
  const { core } = t
  const series = value<BondSeries>(await core.invoke('bonds.createSeries', SERIES))
  const member = async (memberNo: string, fullName: string, email: string | null) => {
    const m = value<Member>(await core.invoke('members.create', { memberNo, fullName, joinedOn: '2020-01-01', email, phone: '+254 700 000 001', address: 'P.O. Box 1, Nairobi' }))
    const h = value<Holding>(await core.invoke('bonds.buyHolding', { memberId: m.id, seriesId: series.id, units: 10, purchaseDate: '2026-01-16' }))
    return { member: m, holding: h }
  }
  const jane = await member('M-1', 'Jane Wanjiru', 'jane@example.org')
  const bob = await member('M-2', 'Bob Otieno', 'bob@example.org')
  const carol = await member('M-3', 'Carol Njeri', null)
  const dan = await member('M-4', 'Dan Mwangi', 'dan@example.org')
  value<MemberPrefs>(await core.invoke('mail.saveMemberPrefs', { memberId: bob.member.id, email: true, sms: true, optedOut: true, expectedVersion: 0 }))
  value<MemberPrefs>(await core.invoke('mail.saveMemberPrefs', { memberId: dan.member.id, email: false, sms: true, optedOut: false, expectedVersion: 0 }))
  const db = new Database(path.join(t.dataDir, 'coffer.sqlite'), { readonly: true })
  dbs.push(db)
  return { ...t, series, jane, bob, carol, dan, db }
}

describe('coupon-ready and voucher notices', () => {
  it('the coupon job queues coupon-ready once per payment; paying queues one voucher email with its voucher frozen, in the paying transaction', async () => {
    const b = await bondBook('2026-02-02T06:00:00Z')
    const { core, db } = b

    expect(await runJob(core, 'coupons')).toMatchObject({ status: 'succeeded' })
    const ready = outbox(db, 'coupon-ready')
    // Bob opted out, Carol has no address, Dan does not take email: only Jane.
    expect(ready.map((m) => [m.to_address, m.channel, m.member_id])).toEqual([['jane@example.org', 'email', b.jane.member.id]])
    const payments = value<{ rows: Payment[] }>(await core.invoke('payments.list', { status: 'pending' })).rows
    expect(payments).toHaveLength(4)
    const janes = payments.find((p) => p.memberId === b.jane.member.id) as Payment
    expect(ready[0]!.event_key).toBe(`payment:${janes.id}:coupon-ready`)
    expect(ready[0]!.subject).toBe(`Your UMJ-27 Umoja 12% 2027 interest is ready: ${KES(janes.netMinor)}`)
    expect(ready[0]!.body).toContain('Dear Jane Wanjiru')
    expect(ready[0]!.body).toContain(`due on ${formatDate(janes.dueDate, 'en-KE')}`)
    // Run again: no new payment, no new notice.
    expect(await runJob(core, 'coupons')).toMatchObject({ status: 'succeeded' })
    expect(outbox(db, 'coupon-ready')).toHaveLength(1)

    const ids = payments.map((p) => p.id)
    await prepareAndApprove(core, ids.slice(0, 3))
    // A pay that fails (one of them is not approved) queues nothing.
    expect(await core.invoke('payments.pay', { ids, paidOn: '2026-02-02', method: 'bank-transfer', reference: 'TRF-1' })).toMatchObject({ ok: false })
    expect(outbox(db, 'voucher')).toEqual([])
    await prepareAndApprove(core, ids.slice(3))
    const paid = value<{ paid: { id: number; voucherNumber: string }[] }>(await core.invoke('payments.pay', { ids, paidOn: '2026-02-02', method: 'bank-transfer', reference: 'TRF-1' })).paid
    const vouchers = outbox(db, 'voucher')
    expect(vouchers.map((m) => [m.to_address, m.event_key, m.status])).toEqual([['jane@example.org', `payment:${janes.id}:voucher`, 'queued']])
    const number = paid.find((p) => p.id === janes.id)!.voucherNumber
    expect(vouchers[0]!.subject).toBe(`Your payment ${number} from Umoja Savings Cooperative`)
    expect(vouchers[0]!.body).toContain(`We have paid ${KES(janes.netMinor)} on ${formatDate('2026-02-02', 'en-KE')} (member M-1)`)
    const [att, ...more] = attachments(db, vouchers[0]!.id)
    expect(more).toEqual([])
    expect(att).toMatchObject({ filename: `${number}.pdf`, contentType: 'application/pdf', sha256: null, source: { kind: 'voucher' } })
    expect(att!.source.data).toMatchObject({ number, date: '2026-02-02', net: janes.netMinor, gross: janes.grossMinor, reference: 'TRF-1', payee: { name: 'Jane Wanjiru', memberNo: 'M-1' } })
    // Paid twice is impossible, so one message.
    expect(await core.invoke('payments.pay', { ids: [janes.id], paidOn: '2026-02-02', method: 'cash' })).toMatchObject({ ok: false })
    expect(outbox(db, 'voucher')).toHaveLength(1)
  })
})

describe('maturity notice', () => {
  it('goes N days (the template) before a holding matures, once, however often the job runs', async () => {
    const b = await bondBook('2026-11-25T06:00:00Z')
    const { core, db, clock } = b
    const maturity = value<{ templates: NoticeTemplate[] }>(await core.invoke('mail.templates', {})).templates.find((t) => t.kind === 'maturity')!
    expect(maturity).toMatchObject({ daysBefore: 30, version: 1, edited: false })
    // 37 days before: nothing yet.
    expect(await runJob(core, 'maturity')).toMatchObject({ status: 'succeeded' })
    expect(outbox(db, 'maturity')).toEqual([])
    clock.set('2026-12-02T06:00:00Z')
    await runJob(core, 'maturity')
    await runJob(core, 'maturity')
    const sent = outbox(db, 'maturity')
    expect(sent.map((m) => [m.to_address, m.event_key])).toEqual([['jane@example.org', `holding:${b.jane.holding.id}:maturity:2027-01-01`]])
    expect(sent[0]!.subject).toBe(`Your UMJ-27 Umoja 12% 2027 bonds mature on ${formatDate('2027-01-01', 'en-KE')}`)
    expect(sent[0]!.body).toContain(`in 30 days. Their face value of ${KES(1_000_000)}`)
    clock.set('2026-12-03T06:00:00Z')
    await runJob(core, 'maturity')
    expect(outbox(db, 'maturity')).toHaveLength(1)
  })
})

describe('standing order failed', () => {
  it("a member's order that fails tells them once, though it is retried", async () => {
    const b: RecurringBook = await recurringBook()
    books.push(b)
    const m = b.members[0]!
    value(await b.core.invoke('members.update', { id: m.member.id, expectedVersion: m.member.version, values: { memberNo: m.member.memberNo, fullName: m.member.fullName, joinedOn: '2020-01-01', email: 'member1@example.org' } }))
    await savingsToShares(b, 0, { amountMinor: 2_000, frequency: 'monthly', insufficientFunds: 'retry', retryDays: 3 })
    await runOrders(b)
    const failed = outbox(b.db, 'standing-order-failed')
    expect(failed.map((f) => [f.to_address, f.event_key.replace(/\d+/, 'N')])).toEqual([['member1@example.org', 'occurrence:N:failed']])
    expect(failed[0]!.body).toContain(`of ${KES(2_000)}, due on ${formatDate('2026-11-22', 'en-KE')}, could not be carried out: Not enough in`)
    setRecurringDay(b, '2026-11-23')
    await runOrders(b)
    expect(outbox(b.db, 'standing-order-failed')).toHaveLength(1)
  })
})

describe('payslips', () => {
  it('posting queues one payslip email per staff member with an address, its payslip frozen; a forced re-post sends the new one', async () => {
    const b: PayrollBook = await payrollBook({ makerChecker: false })
    books.push(b)
    const alice: Staff = await addStaff(b, 'S-001', 'Alice Achieng', { basicMinor: 5_000_000, email: 'alice@example.org' })
    await addStaff(b, 'S-002', 'Bob Otieno', { basicMinor: 3_000_000 })
    await monthlyCalendar(b, '2026-01-01', { kind: 'days-before-end', days: 0 })
    setDay(b, '2026-01-31')
    await run(b)
    const jan = await periodStarting(b, '2026-01-01')
    value(await b.core.invoke('payroll.approve', { id: jan.id, expectedVersion: (await period(b, jan.id)).period.version }))
    expect(outbox(b.db, 'payslip')).toEqual([])
    value(await b.core.invoke('payroll.post', { id: jan.id, expectedVersion: (await period(b, jan.id)).period.version }))
    const first = outbox(b.db, 'payslip')
    expect(first.map((m) => [m.to_address, m.staff_id, m.event_key])).toEqual([['alice@example.org', alice.id, `payroll:${jan.id}:1:staff:${alice.id}`]])
    expect(first[0]!.subject).toBe('Your payslip for January 2026')
    const [att] = attachments(b.db, first[0]!.id)
    expect(att).toMatchObject({ contentType: 'application/pdf', source: { kind: 'payslip', data: { period: { id: jan.id, name: 'January 2026' }, payslip: { staffId: alice.id, status: 'ok' }, staff: { staffNo: 'S-001' } } } })
    const net = (att!.source.data as { payslip: { netMinor: number } }).payslip.netMinor
    expect(first[0]!.body).toContain(`Net pay of ${KES(net)}`)

    setDay(b, '2026-02-02')
    await run(b, { periodId: jan.id, force: true, reason: 'Bank details corrected' })
    const after = outbox(b.db, 'payslip')
    expect(after.map((m) => m.event_key)).toEqual([`payroll:${jan.id}:1:staff:${alice.id}`, `payroll:${jan.id}:2:staff:${alice.id}`])
  })
})

describe('job failures', () => {
  it('a failed job emails the alert address, and its notification has an email delivery linked to the message', async () => {
    const t = await jobCore()
    cores.push(t.core)
    const { core } = t
    value(
      await core.invoke('mail.saveEmailSettings', {
        host: 'mail.example.org',
        port: 587,
        security: 'starttls',
        user: null,
        fromName: 'Umoja office',
        fromAddress: 'office@example.org',
        replyTo: null,
        alertAddress: 'alerts@example.org',
        alertPhone: null
      })
    )
    resetFlaky(10)
    expect(await runJob(core, 'flaky')).toMatchObject({ status: 'failed' })
    const db = new Database(path.join(t.dataDir, 'coffer.sqlite'), { readonly: true })
    dbs.push(db)
    const alerts = outbox(db, 'job-failure')
    expect(alerts.map((a) => [a.to_address, a.channel, a.subject])).toEqual([['alerts@example.org', 'email', 'Coffer: the Test flaky job failed']])
    expect(alerts[0]!.body).toContain('The office network share is not reachable')
    expect(alerts[0]!.event_key).toBe(`notification:${alerts[0]!.notification_id}`)
    const deliveries = db.prepare('SELECT channel, recipient, status, outbox_message_id AS outboxMessageId FROM notification_deliveries WHERE notification_id = ? ORDER BY id').all(alerts[0]!.notification_id)
    expect(deliveries).toContainEqual({ channel: 'email', recipient: 'alerts@example.org', status: 'pending', outboxMessageId: alerts[0]!.id })
  })
})

describe('templates and preview', () => {
  it('saving refuses an unknown placeholder next to its field, naming the ones that exist; a saved wording is used', async () => {
    const b = await bondBook('2026-02-02T06:00:00Z')
    const { core } = b
    const bad = await core.invoke('mail.saveTemplate', {
      kind: 'coupon-ready',
      email: true,
      sms: false,
      subject: 'Interest for {membr_name}',
      body: 'Hello {member_name}, {amount} is due.',
      smsBody: 'Due: {amount}',
      daysBefore: null,
      expectedVersion: 1
    })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const fields = (bad as { ok: false; error: { fields: Record<string, string> } }).error.fields
    expect(fields.subject).toContain('{membr_name}')
    expect(fields.subject).toContain('{member_name}')
    expect(fields.body).toBeUndefined()

    const saved = value<NoticeTemplate>(
      await core.invoke('mail.saveTemplate', { kind: 'coupon-ready', email: true, sms: false, subject: 'Interest for {member_name}', body: 'Hello {member_name}, {amount} is due on {date}.', smsBody: 'Due: {amount}', daysBefore: null, expectedVersion: 1 })
    )
    expect(saved).toMatchObject({ version: 2, edited: true })
    // A stale version is refused.
    expect(await core.invoke('mail.resetTemplate', { kind: 'coupon-ready', expectedVersion: 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    await runJob(core, 'coupons')
    const [msg] = outbox(b.db, 'coupon-ready')
    expect(msg!.subject).toBe('Interest for Jane Wanjiru')
    expect(value<NoticeTemplate>(await core.invoke('mail.resetTemplate', { kind: 'coupon-ready', expectedVersion: 2 }))).toMatchObject({ version: 3, edited: false, subject: 'Your {series} interest is ready: {amount}' })
  })

  it("previews with a real member's name, number and latest record, or example figures with a note", async () => {
    const b = await bondBook('2026-02-02T06:00:00Z')
    const { core } = b
    const t = value<{ templates: NoticeTemplate[] }>(await core.invoke('mail.templates', {})).templates
    const coupon = t.find((x) => x.kind === 'coupon-ready')!
    expect(coupon.placeholders['{member_name}']).toBe("The member's full name")
    const input = { kind: 'coupon-ready', subject: coupon.subject, body: coupon.body, smsBody: coupon.smsBody, memberId: b.jane.member.id, staffId: null }
    const before = value<{ subject: string; body: string; to: string | null; note: string | null }>(await core.invoke('mail.previewTemplate', input))
    expect(before.to).toBe('jane@example.org')
    expect(before.body).toContain('Dear Jane Wanjiru')
    expect(before.note).toBe('Jane Wanjiru has no coupon payment yet: the figures are examples.')
    await runJob(core, 'coupons')
    const janes = value<{ rows: Payment[] }>(await core.invoke('payments.list', { status: 'pending' })).rows.find((p) => p.memberId === b.jane.member.id)!
    const after = value<{ subject: string; note: string | null }>(await core.invoke('mail.previewTemplate', input))
    expect(after.subject).toBe(`Your UMJ-27 Umoja 12% 2027 interest is ready: ${KES(janes.netMinor)}`)
    expect(after.note).toBeNull()
    const bobs = value<{ to: string | null; note: string | null }>(await core.invoke('mail.previewTemplate', { ...input, memberId: b.bob.member.id }))
    expect(bobs.note).toContain('Bob Otieno has opted out')
    expect(await core.invoke('mail.previewTemplate', { ...input, body: 'Hi {nobody}' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { body: expect.stringContaining('{nobody}') } } })
  })
})

