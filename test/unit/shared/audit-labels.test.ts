import { describe, expect, test } from 'vitest'
import { auditChangeLine, auditChanges, auditEntityWords, auditFieldWords, auditValueWords } from '../../../src/shared/audit-labels'

const ctx = { locale: 'en-KE', timeZone: 'Africa/Nairobi', currency: 'KES' }
const entry = (entity: string, entityId: string, before: object | string | null, after: object | string | null) => ({
  entity,
  entityId,
  before: before === null || typeof before === 'string' ? before : JSON.stringify(before),
  after: after === null || typeof after === 'string' ? after : JSON.stringify(after)
})

describe('the audit trail in words', () => {
  test('a change lists only the fields that changed, real changes before bookkeeping, never the derived sort key', () => {
    const changes = auditChanges(
      entry(
        'members',
        '7',
        { id: 7, member_no: 'M-1', full_name: 'Amina Odhiambo', phone: null, sort_name: 'a', version: 1, updated_at: '2026-11-22T09:00:00.000Z' },
        { id: 7, member_no: 'M-1', full_name: 'Amina Achieng', phone: '0722 000 111', sort_name: 'b', version: 2, updated_at: '2026-11-22T09:01:30.000Z' }
      ),
      ctx
    )!
    expect(changes.map(auditChangeLine)).toEqual([
      'Full name: Amina Odhiambo → Amina Achieng',
      'Phone: (none) → 0722 000 111',
      'Version: 1 → 2',
      'Updated at: 22 Nov 2026, 12:00:00 → 22 Nov 2026, 12:01:30'
    ])
    expect(changes.map((c) => c.bookkeeping)).toEqual([false, false, true, true])
  })

  test('an addition gives the values it was made with (not its own key, not empty fields); a removal what it had', () => {
    const added = auditChanges(entry('bond_payments', '3', null, { id: 3, kind: 'coupon', gross_minor: 10_000, status: 'pending', prepared_by: null }), ctx)!
    expect(added.map(auditChangeLine)).toEqual(['Kind: Coupon', 'Gross: Ksh\u00a0100.00', 'Status: Pending'])
    const removed = auditChanges(entry('holidays', '2026-06-01', { date: '2026-06-01', name: 'Madaraka Day' }, null), ctx)!
    expect(removed.map(auditChangeLine)).toEqual(['Date: was 1 Jun 2026', 'Name: was Madaraka Day'])
  })

  test('recurring entries, standing orders and their occurrences: codes in words, records by name', () => {
    const changed = auditChanges(entry('standing_orders', '4', { status: 'pending-approval', version: 1 }, { status: 'active', version: 2 }), ctx)!
    expect(changed.map(auditChangeLine)).toEqual(['Status: Awaiting approval → Active', 'Version: 1 → 2'])
    expect(auditValueWords('recurring_occurrences', 'review', 'catch-up', ctx)).toBe('Large catch-up')
    expect(auditValueWords('recurring_templates', 'frequency', 'biweekly', ctx)).toBe('Every two weeks')
    expect(auditValueWords('standing_orders', 'insufficient_funds', 'partial', ctx)).toBe('Pay what is available')
    expect(auditEntityWords('recurring_occurrences')).toBe('Occurrence')
    expect(auditEntityWords('standing_orders')).toBe('Standing order')
  })

  test('codes, yes/no and roles in words; a code it does not know is shown as stored', () => {
    expect(auditValueWords('operators', 'role', 'treasurer', ctx)).toBe('Treasurer')
    expect(auditValueWords('bond_payments', 'status', 'voided', ctx)).toBe('Void')
    expect(auditValueWords('bond_payments', 'status', 'someday', ctx)).toBe('someday')
    expect(auditValueWords('members', 'active', 0, ctx)).toBe('No')
    expect(auditValueWords('operators', 'must_change_password', 1, ctx)).toBe('Yes')
    expect(auditValueWords('members', 'version', 1, ctx)).toBe('1')
  })

  test('records and fields in words, unknown ones from their names', () => {
    expect(auditEntityWords('bond_payments')).toBe('Payment')
    expect(auditEntityWords('payroll_widgets')).toBe('Payroll widgets')
    expect(auditFieldWords('member_no')).toBe('Member no.')
    expect(auditFieldWords('net_minor')).toBe('Net')
    expect(auditFieldWords('holding_id')).toBe('Holding ID')
  })

  test('a row whose stored JSON cannot be read (edited outside the app) is said to be so, not guessed at', () => {
    expect(auditChanges(entry('members', '1', '{"id":1,', null), ctx)).toBeNull()
    expect(auditChanges(entry('members', '1', null, '[1,2]'), ctx)).toBeNull()
  })
})
