import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core'
import type { BondSeries, Holding, Member, Payment } from '../../src/shared/contract'
import type { MessageDetail, OutboxMessage } from '../../src/shared/contract/mail'
import { SERIES, runJob } from '../support/series'
import { prepareAndApprove, signedIn } from '../support/operators'
import { PROFILE, tempDir, value } from '../support/temp-core'
import { startSmtp } from '../support/smtp'
import { emailSettingsFor, openMailCore } from '../support/mail'

/**
 * The whole way through one core, as the app runs it (the audit trail's
 * triggers on, the module's own wiring): a member's payment paid queues their
 * voucher email in the paying transaction; the mail job freezes the voucher
 * PDF once (its bytes and SHA-256 kept, the bytes not copied into the audit
 * trail) and sends it over STARTTLS with a login; what the server received
 * is the frozen file.
 */
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('a voucher email through the whole core', () => {
  it('is queued when the payment is paid, frozen once, sent with the frozen PDF, and audited without its bytes', async () => {
    const smtp = await startSmtp()
    cleanups.push(() => smtp.stop())
    const dataDir = tempDir('coffer-mail-whole-')
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }))
    const clock = new ManualClock('2026-02-02T06:00:00Z')
    const core = openMailCore(dataDir, clock, smtp)
    cleanups.push(() => core.shutdown())
    signedIn(core)
    value(await core.invoke('auth.status', {}))
    value(await core.invoke('profile.save', PROFILE))
    const series = value<BondSeries>(await core.invoke('bonds.createSeries', SERIES))
    const jane = value<Member>(await core.invoke('members.create', { memberNo: 'M-1', fullName: 'Jane Wanjiru', joinedOn: '2020-01-01', email: 'jane@example.org' }))
    value<Holding>(await core.invoke('bonds.buyHolding', { memberId: jane.id, seriesId: series.id, units: 10, purchaseDate: '2026-01-16' }))
    value(await core.invoke('mail.saveEmailSettings', emailSettingsFor(smtp)))

    expect(await runJob(core, 'coupons')).toMatchObject({ status: 'succeeded' })
    const ids = value<{ rows: Payment[] }>(await core.invoke('payments.list', { status: 'pending' })).rows.map((p) => p.id)
    expect(ids).toHaveLength(1)
    await prepareAndApprove(core, ids)
    const paid = value<{ paid: { id: number; voucherNumber: string }[] }>(await core.invoke('payments.pay', { ids, paidOn: '2026-02-02', method: 'bank-transfer', reference: 'TRF-1' })).paid
    const number = paid[0]!.voucherNumber

    const run = await core.jobs!.start('mail', { trigger: 'manual' }).done
    expect(run.status).toBe('succeeded')
    expect(run.result?.summary).toBe('Sent 2 messages.')
    const voucherMail = smtp.received.find((m) => m.subject.includes(number))
    expect(voucherMail).toBeDefined()
    expect(voucherMail!.secure).toBe(true)
    expect(voucherMail!.user).toBe(smtp.user)
    expect(voucherMail!.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`${number}.pdf`, 'application/pdf']])
    const pdf = voucherMail!.attachments[0]!.content
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')

    const rows = value<{ rows: OutboxMessage[] }>(await core.invoke('mail.outbox', { kind: 'voucher' })).rows
    expect(rows.map((r) => r.status)).toEqual(['sent'])
    const detail = value<MessageDetail>(await core.invoke('mail.message', { id: rows[0]!.id }))
    expect(detail.attachments).toMatchObject([{ filename: `${number}.pdf`, frozen: true, size: pdf.length }])
    expect(detail.attachments[0]!.sha256).toBe(createHash('sha256').update(pdf).digest('hex'))
    expect(voucherMail!.messageId).toBe(detail.message.messageId)

    // The audit trail has the attachment's change (its SHA-256 and size), never its bytes.
    const db = new Database(path.join(dataDir, 'coffer.sqlite'), { readonly: true })
    cleanups.push(() => db.close())
    const audited = db.prepare("SELECT action, after FROM audit_log WHERE entity = 'outbox_attachments' ORDER BY id").all() as { action: string; after: string }[]
    expect(audited.map((a) => a.action)).toEqual(['insert', 'update'])
    const after = JSON.parse(audited[1]!.after) as Record<string, unknown>
    expect(after).toMatchObject({ sha256: detail.attachments[0]!.sha256, size: pdf.length })
    expect(Object.keys(after)).not.toContain('content')
  })
})
