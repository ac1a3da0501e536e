import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE, type Core } from '../../src/core'
import type { AuditPage, AuditVerifyResult, JobRun, JournalEntry, Member, Payment, Periods } from '../../src/shared/contract'
import { PROFILE, tempCore, value } from '../support/temp-core'
import { seedMembers } from '../support/seed-members'
import { runJob, seriesWithHolding } from '../support/series'
import { ADMIN, TREASURER, asOperator } from '../support/operators'
import { auditedTables } from '../../src/core/platform/audit/trail'
import { TABLE_AREAS } from '../../src/core/audit/areas'

const cores: Core[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})

/** The common series and holding, with the first coupon created by the job (as the system). */
async function withCoupon() {
  const t = await seriesWithHolding(cores)
  t.clock.set('2026-02-02T06:00:00Z')
  expect(await runJob(t.core, 'coupons')).toMatchObject({ status: 'succeeded' })
  const list = value<{ rows: Payment[] }>(await t.core.invoke('payments.list', {}))
  expect(list.rows).toHaveLength(1)
  return { ...t, payment: list.rows[0]! }
}

const paymentById = async (core: Core, id: number) =>
  value<{ rows: Payment[] }>(await core.invoke('payments.list', {})).rows.find((p) => p.id === id)!

const openFile = (dataDir: string, readonly = true) => new Database(path.join(dataDir, DATABASE_FILE), { readonly })

describe('maker-checker on payments', () => {
  it('the operator who prepared a payment cannot approve it; another operator can; both names are kept', async () => {
    const { core, payment } = await withCoupon()
    expect(payment).toMatchObject({ status: 'pending', preparedBy: null, approvedBy: null })
    // Not prepared yet: nobody approves it.
    const early = await core.invoke('payments.approve', { ids: [payment.id] })
    expect(early).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/not been prepared yet/) } })

    value(await core.invoke('payments.prepare', { ids: [payment.id] }))
    const self = await core.invoke('payments.approve', { ids: [payment.id] })
    expect(self).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/^You prepared the coupon to Jane Wanjiru .*another operator must approve it/) }
    })
    expect(await paymentById(core, payment.id)).toMatchObject({ status: 'pending', preparedBy: ADMIN.name })

    await asOperator(core, TREASURER, async () => value(await core.invoke('payments.approve', { ids: [payment.id] })))
    const approved = await paymentById(core, payment.id)
    expect(approved).toMatchObject({ status: 'approved', preparedBy: ADMIN.name, approvedBy: TREASURER.name })
    expect(approved.preparedById).not.toBe(approved.approvedById)
  })

  it('with maker-checker switched off, one operator may prepare and approve', async () => {
    const { core, payment } = await withCoupon()
    value(await core.invoke('security.save', { idleMinutes: 10, maxAttempts: 5, lockoutMinutes: 15, makerChecker: { payments: false, journal: false, journalThresholdMinor: 0, reopen: false } }))
    value(await core.invoke('payments.approve', { ids: [payment.id] }))
    expect(await paymentById(core, payment.id)).toMatchObject({ status: 'approved', preparedBy: ADMIN.name, approvedBy: ADMIN.name })
  })

  it('a clerk prepares but may not approve or pay; the system never approves', async () => {
    const { core, payment } = await withCoupon()
    await asOperator(core, { name: 'Carl Clerk', username: 'carl', password: 'clerk password 1', role: 'clerk' }, async () => {
      value(await core.invoke('payments.prepare', { ids: [payment.id] }))
      expect(await core.invoke('payments.approve', { ids: [payment.id] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await core.invoke('payments.pay', { ids: [payment.id], paidOn: '2026-02-02', method: 'cash' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' }
      })
    })
    expect(await core.invokeAsSystem('payments.approve', { ids: [payment.id] })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    value(await core.invoke('payments.approve', { ids: [payment.id] }))
    expect(await paymentById(core, payment.id)).toMatchObject({ status: 'approved', preparedBy: 'Carl Clerk', approvedBy: ADMIN.name })
  })

  it('a reinstated payment is prepared and approved afresh', async () => {
    const { core, payment } = await withCoupon()
    value(await core.invoke('payments.prepare', { ids: [payment.id] }))
    await asOperator(core, TREASURER, async () => value(await core.invoke('payments.approve', { ids: [payment.id] })))
    value(await core.invoke('payments.cancel', { id: payment.id, reason: 'Wrong account' }))
    value(await core.invoke('payments.reinstate', { id: payment.id }))
    expect(await paymentById(core, payment.id)).toMatchObject({ status: 'pending', preparedBy: null, approvedBy: null })
  })
})

describe('maker-checker on manual journal entries and on reopening a month', () => {
  const SECURITY = { idleMinutes: 10, maxAttempts: 5, lockoutMinutes: 15 }
  const accountId = async (core: Core, code: string) =>
    value<{ accounts: { id: number; code: string; balanceMinor: number }[] }>(await core.invoke('ledger.accounts', {})).accounts.find((a) => a.code === code)!

  it('an entry of at least the threshold waits, in no balance, until another operator approves it', async () => {
    const { core, clock } = await seriesWithHolding(cores)
    clock.set('2026-11-25T09:00:00Z')
    value(await core.invoke('security.save', { ...SECURITY, makerChecker: { payments: true, journal: true, journalThresholdMinor: 100_000, reopen: false } }))
    const cash = await accountId(core, '1000')
    const surplus = await accountId(core, '3900')
    const lines = (amount: number) => [
      { accountId: cash.id, debitMinor: amount },
      { accountId: surplus.id, creditMinor: amount }
    ]
    // Under the threshold: posted at once.
    const small = value<JournalEntry>(await core.invoke('ledger.post', { valueDate: '2026-11-20', description: 'Small', lines: lines(99_999) }))
    expect(small.status).toBe('posted')
    // At the threshold: pending, no line written, no balance moved.
    const big = value<JournalEntry>(await core.invoke('ledger.post', { valueDate: '2026-11-20', description: 'Big', lines: lines(100_000) }))
    expect(big).toMatchObject({ status: 'pending', enteredBy: ADMIN.name, decidedBy: null })
    expect(big.lines.map((l) => [l.accountCode, l.debitMinor, l.creditMinor])).toEqual([['1000', 100_000, 0], ['3900', 0, 100_000]])
    expect((await accountId(core, '1000')).balanceMinor).toBe(99_999)
    // Not by the one who entered it; not reversible while pending.
    expect(await core.invoke('ledger.approveEntry', { id: big.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/another operator must approve/) } })
    expect(await core.invoke('ledger.reverse', { id: big.id, valueDate: '2026-11-21', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    const approved = await asOperator(core, TREASURER, async () => value<JournalEntry>(await core.invoke('ledger.approveEntry', { id: big.id })))
    expect(approved).toMatchObject({ status: 'posted', decidedBy: TREASURER.name })
    expect((await accountId(core, '1000')).balanceMinor).toBe(199_999)
    // Approved once only.
    expect(await core.invoke('ledger.approveEntry', { id: big.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    // Rejected: stays in the journal as rejected, never posted.
    const other = value<JournalEntry>(await core.invoke('ledger.post', { valueDate: '2026-11-20', description: 'Doubtful', lines: lines(500_000) }))
    const rejected = await asOperator(core, TREASURER, async () => value<JournalEntry>(await core.invoke('ledger.rejectEntry', { id: other.id, reason: 'No receipt' })))
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: 'No receipt', decidedBy: TREASURER.name })
    expect((await accountId(core, '1000')).balanceMinor).toBe(199_999)
    const pending = value<{ entries: JournalEntry[] }>(await core.invoke('ledger.journal', { status: 'rejected' }))
    expect(pending.entries.map((e) => e.id)).toEqual([other.id])
    const check = value<{ ok: boolean }>(await core.invoke('audit.verify', {}))
    expect(check).toMatchObject({ ok: true })
  })

  it('a pending entry cannot be changed in the file other than approved or rejected once', async () => {
    const t = await seriesWithHolding(cores)
    t.clock.set('2026-11-25T09:00:00Z')
    value(await t.core.invoke('security.save', { ...SECURITY, makerChecker: { payments: true, journal: true, journalThresholdMinor: 0, reopen: false } }))
    const cash = await accountId(t.core, '1000')
    const surplus = await accountId(t.core, '3900')
    const e = value<JournalEntry>(
      await t.core.invoke('ledger.post', { valueDate: '2026-11-20', description: 'Any', lines: [{ accountId: cash.id, debitMinor: 5 }, { accountId: surplus.id, creditMinor: 5 }] })
    )
    const db = openFile(t.dataDir, false)
    try {
      expect(() => db.prepare('UPDATE journal_entries SET description = ? WHERE id = ?').run('Changed', e.id)).toThrow(/cannot be changed/)
      expect(() => db.prepare("UPDATE journal_entries SET status = 'posted' WHERE id = ?").run(e.id)).toThrow(/cannot be changed/)
    } finally {
      db.close()
    }
  })

  it('security settings saved before these kinds existed read with them off; anything else unreadable is refused', async () => {
    const t = await seriesWithHolding(cores)
    const db = openFile(t.dataDir, false)
    const write = (v: unknown) => db.prepare("INSERT INTO settings (key, value) VALUES ('security', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(v))
    try {
      write({ idleMinutes: 12, maxAttempts: 5, lockoutMinutes: 15, makerChecker: { payments: true } })
      expect(value(await t.core.invoke('security.get', {}))).toMatchObject({ idleMinutes: 12, makerChecker: { payments: true, journal: false, journalThresholdMinor: 0, reopen: false } })
      // A misspelled kind is not taken for a default.
      write({ idleMinutes: 12, maxAttempts: 5, lockoutMinutes: 15, makerChecker: { payments: true, jornal: true } })
      expect(await t.core.invoke('security.get', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/cannot be read/) } })
    } finally {
      db.close()
    }
  })

  it('reopening a closed month: asked by one operator, confirmed by another', async () => {
    const { core, clock } = await seriesWithHolding(cores)
    clock.set('2026-11-25T09:00:00Z')
    value(await core.invoke('security.save', { ...SECURITY, makerChecker: { payments: true, journal: false, journalThresholdMinor: 0, reopen: true } }))
    value(await core.invoke('ledger.closePeriod', { month: '2026-09' }))
    const asked = value<Periods>(await core.invoke('ledger.reopenPeriod', { month: '2026-09', reason: 'Late bank charges' }))
    expect(asked.periods[0]).toMatchObject({ month: '2026-09', reopenRequest: { by: ADMIN.name, reason: 'Late bank charges' } })
    expect(asked.events[0]).toMatchObject({ action: 'reopen-requested', by: ADMIN.name })
    // Still closed; the one who asked cannot confirm.
    expect(await core.invoke('ledger.reopenPeriod', { month: '2026-09', reason: 'Again' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const done = await asOperator(core, TREASURER, async () => value<Periods>(await core.invoke('ledger.reopenPeriod', { month: '2026-09', reason: 'Agreed' })))
    expect(done.periods).toEqual([])
    expect(done.events[0]).toMatchObject({ action: 'reopened', by: TREASURER.name, reason: 'Agreed' })
  })
})

describe('the audit trail', () => {
  it('records who changed a member, through which channel, and the row before and after', async () => {
    const { core, jane } = await seriesWithHolding(cores)
    const updated = value<Member>(
      await core.invoke('members.update', { id: jane.id, expectedVersion: jane.version, values: { memberNo: 'M-1', fullName: 'Jane W. Otieno', joinedOn: '2020-01-01' } })
    )
    expect(updated.fullName).toBe('Jane W. Otieno')
    const page = value<AuditPage>(await core.invoke('audit.list', { entity: 'members', entityId: String(jane.id) }))
    const change = page.rows.find((r) => r.action === 'update')!
    expect(change).toMatchObject({ actor: ADMIN.name, channel: 'members.update', area: 'members', entity: 'members', entityId: String(jane.id) })
    expect(JSON.parse(change.before!)).toMatchObject({ full_name: 'Jane Wanjiru' })
    expect(JSON.parse(change.after!)).toMatchObject({ full_name: 'Jane W. Otieno' })
    const created = page.rows.find((r) => r.action === 'insert')!
    expect(created).toMatchObject({ channel: 'members.create', before: null })
  })

  it('writes nothing for a write that was refused: the audit row is in the write’s transaction', async () => {
    const { core, dataDir, jane } = await seriesWithHolding(cores)
    const db = openFile(dataDir)
    const before = db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number
    // A stale version: refused inside the transaction, after nothing is kept.
    const stale = await core.invoke('members.update', { id: jane.id, expectedVersion: jane.version + 5, values: { memberNo: 'M-1', fullName: 'X', joinedOn: '2020-01-01' } })
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    // A batch pay that fails half-way (one payment is not approved): nothing paid, no audit row.
    const bad = await core.invoke('payments.pay', { ids: [999], paidOn: '2026-01-20', method: 'cash' })
    expect(bad.ok).toBe(false)
    expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(before)
    db.close()
  })

  it('records a job’s writes as the system’s, with the job’s name', async () => {
    const { core, payment } = await withCoupon()
    const page = value<AuditPage>(await core.invoke('audit.list', { entity: 'bond_payments', entityId: String(payment.id) }))
    expect(page.rows[0]).toMatchObject({ actor: 'System', operatorId: null, channel: 'job:coupons', action: 'insert' })
    const system = value<AuditPage>(await core.invoke('audit.list', { system: true }))
    expect(system.rows.every((r) => r.operatorId === null)).toBe(true)
  })

  it('filters by operator, area and day', async () => {
    const { core, payment } = await withCoupon()
    value(await core.invoke('payments.prepare', { ids: [payment.id] }))
    const me = value<AuditPage>(await core.invoke('audit.list', { operatorId: 1, area: 'payments' }))
    expect(me.rows.length).toBeGreaterThan(0)
    expect(me.rows.every((r) => r.operatorId === 1 && r.area === 'payments')).toBe(true)
    const none = value<AuditPage>(await core.invoke('audit.list', { from: '2027-01-01' }))
    expect(none.total).toBe(0)
    const refused = await core.invoke('audit.list', { from: '2026-03-01', to: '2026-02-01' })
    expect(refused).toMatchObject({ ok: false, error: { fields: { to: 'To must be on or after From' } } })
  })

  it('leaves no rows for derived columns: the members’ sort keys filled in by a read', async () => {
    const { core, dataDir } = tempCore()
    cores.push(core)
    value(await core.invoke('profile.save', PROFILE))
    await core.shutdown()
    cores.pop()
    // Members written outside the app have no sort key yet; the first list fills them in.
    seedMembers({ file: path.join(dataDir, DATABASE_FILE), count: 40 })
    const again = tempCore({ dataDir })
    cores.push(again.core)
    const count = (where = '') => openFile(dataDir).prepare(`SELECT count(*) FROM audit_log ${where}`).pluck().get() as number
    const before = count()
    const listed = value<{ rows: unknown[] }>(await again.core.invoke('members.list', { status: 'all', sort: 'fullName', limit: 10 }))
    expect(listed.rows).toHaveLength(10)
    const keys = openFile(dataDir).prepare("SELECT count(*) FROM members WHERE sort_name = ''").pluck().get()
    expect(keys).toBe(0)
    // Only the setting that records which locale the keys are in (40 key rewrites left no row).
    expect(count()).toBe(before + 1)
    expect(count("WHERE entity = 'members'")).toBe(0)
    // A change to the name itself is recorded, without the key.
    const m = value<{ rows: { id: number }[] }>(await again.core.invoke('members.list', { status: 'all', limit: 1 })).rows[0]!
    const detail = value<{ member: Member }>(await again.core.invoke('members.get', { id: m.id })).member
    value(await again.core.invoke('members.update', { id: m.id, expectedVersion: detail.version, values: { memberNo: detail.memberNo, fullName: 'Zed Renamed', joinedOn: detail.joinedOn } }))
    const row = openFile(dataDir).prepare("SELECT before, after FROM audit_log WHERE entity = 'members' ORDER BY id DESC LIMIT 1").get() as { before: string; after: string }
    expect(JSON.parse(row.after)).toMatchObject({ full_name: 'Zed Renamed' })
    expect(JSON.parse(row.after)).not.toHaveProperty('sort_name')
  })

  it('places every audited table in an area of the Audit page', async () => {
    const { dataDir } = await withCoupon()
    const db = openFile(dataDir)
    expect(auditedTables(db).filter((t) => !(t in TABLE_AREAS))).toEqual([])
    db.close()
  })

  it('is append-only inside the app', async () => {
    const { dataDir } = await withCoupon()
    const db = openFile(dataDir, false)
    expect(() => db.prepare("UPDATE audit_log SET actor = 'Mallory'").run()).toThrow(/The audit trail cannot be changed/)
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/The audit trail cannot be changed/)
    db.close()
  })

  it('verify finds the row changed outside the app, and the row after one deleted; the integrity job fails', async () => {
    const { core, dataDir } = await withCoupon()
    expect(value<AuditVerifyResult>(await core.invoke('audit.verify'))).toMatchObject({ ok: true, brokenAt: null })
    const db = openFile(dataDir, false)
    const rows = db.prepare('SELECT id FROM audit_log ORDER BY id').pluck().all() as number[]
    expect(rows.length).toBeGreaterThan(5)
    const target = rows[3]!
    const original = db.prepare('SELECT actor FROM audit_log WHERE id = ?').pluck().get(target) as string
    // What an intruder with the sqlite3 shell would do: drop the guard, edit a row.
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete')
    db.prepare("UPDATE audit_log SET actor = 'Mallory' WHERE id = ?").run(target)
    const changed = value<AuditVerifyResult>(await core.invoke('audit.verify'))
    expect(changed).toMatchObject({ ok: false, checked: 3, brokenAt: { id: target, reason: 'changed' } })
    expect(changed.brokenAt?.message).toBe(`Audit row ${target} was changed after it was written: its content no longer matches its hash.`)
    // Put it back, then delete a row in the middle: the next row no longer links.
    db.prepare('UPDATE audit_log SET actor = ? WHERE id = ?').run(original, target)
    expect(value<AuditVerifyResult>(await core.invoke('audit.verify')).ok).toBe(true)
    db.prepare('DELETE FROM audit_log WHERE id = ?').run(rows[1])
    const deleted = value<AuditVerifyResult>(await core.invoke('audit.verify'))
    expect(deleted.brokenAt).toMatchObject({ id: rows[2], reason: 'link' })
    db.close()
    const run = value<JobRun>(await core.invoke('jobs.run', { jobId: 'integrity' }))
    const final = (await core.jobs!.activeRun('integrity')) ?? run
    expect(final.status).toBe('failed')
    expect(final.error).toMatch(new RegExp(`Audit row ${rows[2]} does not follow the row before it`))
  })
})
