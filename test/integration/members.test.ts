import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { PROFILE, tempCore, value } from '../support/temp-core'
import { DATABASE_FILE, type Core } from '../../src/core'
import type { Member, MemberDetail, MemberListPage } from '../../src/shared/contract'

const cores: Core[] = []
afterEach(() => {
  while (cores.length) cores.pop()?.close()
})

async function ready() {
  const t = tempCore()
  cores.push(t.core)
  value(await t.core.invoke('profile.save', PROFILE))
  return t
}

const jane = { memberNo: 'M-00001', fullName: 'Jane Wanjiru', email: 'Jane@Example.org', joinedOn: '2024-03-01' }

describe('members', () => {
  it('creates a member, with the email normalised and a created event', async () => {
    const { core } = await ready()
    const m = value<Member>(await core.invoke('members.create', jane))
    expect(m).toMatchObject({ memberNo: 'M-00001', fullName: 'Jane Wanjiru', email: 'jane@example.org', active: true, version: 1 })
    const d = value<MemberDetail>(await core.invoke('members.get', { id: m.id }))
    expect(d.history.map((h) => h.kind)).toEqual(['created'])
  })

  it('refuses a duplicate member number (any case) with a field message and writes nothing', async () => {
    const { core } = await ready()
    value(await core.invoke('members.create', jane))
    const r = await core.invoke('members.create', { ...jane, memberNo: 'm-00001', fullName: 'Other' })
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    if (!r.ok) expect(r.error.fields?.memberNo).toMatch(/already used by Jane Wanjiru/)
    const page = value<MemberListPage>(await core.invoke('members.list', { status: 'all' }))
    expect(page.total).toBe(1)
  })

  it('rejects malformed input with messages per field, and writes nothing', async () => {
    const { core } = await ready()
    const r = await core.invoke('members.create', { memberNo: '', fullName: '  ', email: 'not-an-email', joinedOn: '2024-02-30' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('VALIDATION')
    expect(r.error.fields).toMatchObject({
      memberNo: 'Member number is required',
      fullName: 'Name is required',
      email: expect.stringMatching(/email address/),
      joinedOn: expect.stringMatching(/real date/)
    })
    for (const bad of [null, 42, 'x', [], { ...jane, extra: 1 }]) {
      const e = await core.invoke('members.create', bad)
      expect(e).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    }
    expect(value<MemberListPage>(await core.invoke('members.list', { status: 'all' })).total).toBe(0)
  })

  it('refuses a joining date in the future of the cooperative time zone', async () => {
    const { core, clock } = await ready()
    clock.set('2026-11-22T20:59:00Z') // 23:59 in Nairobi
    const r = await core.invoke('members.create', { ...jane, joinedOn: '2026-11-23' })
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { joinedOn: expect.any(String) } } })
    clock.set('2026-11-22T21:00:00Z') // midnight in Nairobi: the 23rd has begun
    expect((await core.invoke('members.create', { ...jane, joinedOn: '2026-11-23' })).ok).toBe(true)
  })

  it('edits with optimistic concurrency and records what changed', async () => {
    const { core } = await ready()
    const m = value<Member>(await core.invoke('members.create', jane))
    const u = value<Member>(
      await core.invoke('members.update', { id: m.id, expectedVersion: 1, values: { ...jane, phone: '+254 700 000 001' } })
    )
    expect(u.version).toBe(2)
    expect(u.phone).toBe('+254 700 000 001')
    const stale = await core.invoke('members.update', { id: m.id, expectedVersion: 1, values: jane })
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    const d = value<MemberDetail>(await core.invoke('members.get', { id: m.id }))
    expect(d.history[0]).toMatchObject({ kind: 'updated', changes: { phone: { from: null, to: '+254 700 000 001' } } })
  })

  it('deactivates with a reason and reactivates; never deletes', async () => {
    const { core } = await ready()
    const m = value<Member>(await core.invoke('members.create', jane))
    const off = value<Member>(
      await core.invoke('members.setActive', { id: m.id, active: false, expectedVersion: 1, reason: 'Moved away' })
    )
    expect(off).toMatchObject({ active: false, deactivationReason: 'Moved away', deactivatedAt: '2026-11-22T09:00:00.000Z' })
    expect(value<MemberListPage>(await core.invoke('members.list', {})).total).toBe(0)
    expect(value<MemberListPage>(await core.invoke('members.list', { status: 'inactive' })).total).toBe(1)
    const on = value<Member>(await core.invoke('members.setActive', { id: m.id, active: true, expectedVersion: 2 }))
    expect(on).toMatchObject({ active: true, deactivatedAt: null, deactivationReason: null })
    const d = value<MemberDetail>(await core.invoke('members.get', { id: m.id }))
    expect(d.history.map((h) => h.kind)).toEqual(['reactivated', 'deactivated', 'created'])
  })

  it('lists sorted by name, searches by name prefix, member number and email', async () => {
    const { core } = await ready()
    const people = [
      ['M-00001', 'Jane Wanjiru', 'jane@example.org'],
      ['M-00002', 'Peter Otieno', 'p.otieno@mail.test'],
      ['M-00003', 'amina Hassan', null],
      ['M-00010', 'Zoë Müller', 'zoe@example.org'],
      ['M-00004', 'Wanjiku Kamau', null]
    ] as const
    for (const [memberNo, fullName, email] of people) {
      value(await core.invoke('members.create', { memberNo, fullName, email, joinedOn: '2025-01-01' }))
    }
    const byName = value<MemberListPage>(await core.invoke('members.list', { sort: 'fullName' }))
    expect(byName.rows.map((r) => r.fullName)).toEqual([
      'amina Hassan',
      'Jane Wanjiru',
      'Peter Otieno',
      'Wanjiku Kamau',
      'Zoë Müller'
    ])
    const desc = value<MemberListPage>(await core.invoke('members.list', { sort: 'memberNo', direction: 'desc', limit: 2 }))
    expect(desc.rows.map((r) => r.memberNo)).toEqual(['M-00010', 'M-00004'])
    expect(desc.total).toBe(5)
    const search = async (s: string) =>
      value<MemberListPage>(await core.invoke('members.list', { search: s })).rows.map((r) => r.memberNo)
    expect(await search('wanj')).toEqual(['M-00001', 'M-00004']) // word prefixes, first or last name
    expect(await search('jane wan')).toEqual(['M-00001'])
    expect(await search('M-00010')).toEqual(['M-00010'])
    expect(await search('otieno@mail')).toEqual(['M-00002'])
    expect(await search('zoe')).toEqual(['M-00010']) // diacritics folded
    expect(await search('"; DROP TABLE members; --')).toEqual([])
    expect(await search('@@')).toEqual([])
  })

  it('suggests the next member number after the latest', async () => {
    const { core } = await ready()
    expect(value(await core.invoke('members.suggestNumber', {}))).toEqual({ memberNo: 'M-00001' })
    value(await core.invoke('members.create', { ...jane, memberNo: 'CO-0099' }))
    expect(value(await core.invoke('members.suggestNumber', {}))).toEqual({ memberNo: 'CO-0100' })
  })

  it('keeps the data when the core is closed and reopened on the same folder', async () => {
    const { core, dataDir, clock } = await ready()
    value(await core.invoke('members.create', jane))
    core.close()
    const again = tempCore({ dataDir, clock })
    cores.push(again.core)
    expect(again.core.status).toMatchObject({ state: 'ready', needsProfile: false, preMigrationBackup: null })
    const page = value<MemberListPage>(await again.core.invoke('members.list', {}))
    expect(page.rows.map((r) => r.fullName)).toEqual(['Jane Wanjiru'])
  })

  it('announces changes as events', async () => {
    const { core } = await ready()
    const seen: unknown[] = []
    core.onEvent((e, p) => seen.push([e, p]))
    const m = value<Member>(await core.invoke('members.create', jane))
    expect(seen).toEqual([['members.changed', { id: m.id, change: 'created' }]])
  })
})

describe('members sorted by name in the cooperative locale', () => {
  const NAMES = ['Zoë', 'Łukasz', 'Lucy', 'Mary', 'Öberg', 'Otieno', 'Åsa', 'Zetterlund', 'Ñandú', 'Nyambura', 'Ängel', 'Adler']
  let n = 0
  async function withMembers(locale: string) {
    const t = tempCore()
    cores.push(t.core)
    value(await t.core.invoke('profile.save', { ...PROFILE, locale }))
    for (const fullName of NAMES) {
      value(await t.core.invoke('members.create', { memberNo: `M-${++n}`, fullName, joinedOn: '2024-03-01' }))
    }
    return t
  }
  const names = async (core: Core, direction: 'asc' | 'desc' = 'asc'): Promise<string[]> =>
    value<MemberListPage>(await core.invoke('members.list', { sort: 'fullName', direction })).rows.map((r) => r.fullName)

  it('puts "Łukasz" before "Zoë" (en-KE), and reverses exactly', async () => {
    const { core } = await withMembers('en-KE')
    const asc = await names(core)
    expect(asc).toEqual(['Adler', 'Ängel', 'Åsa', 'Lucy', 'Łukasz', 'Mary', 'Ñandú', 'Nyambura', 'Öberg', 'Otieno', 'Zetterlund', 'Zoë'])
    expect(await names(core, 'desc')).toEqual([...asc].reverse())
  })

  it('follows the locale (Swedish: Å Ä Ö after Z; Spanish: Ñ after N), and re-sorts when the profile locale changes', async () => {
    const { core } = await withMembers('sv-SE')
    expect(await names(core)).toEqual(['Adler', 'Lucy', 'Łukasz', 'Mary', 'Ñandú', 'Nyambura', 'Otieno', 'Zetterlund', 'Zoë', 'Åsa', 'Ängel', 'Öberg'])
    value(await core.invoke('profile.save', { ...PROFILE, locale: 'es-ES' }))
    expect(await names(core)).toEqual(['Adler', 'Ängel', 'Åsa', 'Lucy', 'Łukasz', 'Mary', 'Nyambura', 'Ñandú', 'Öberg', 'Otieno', 'Zetterlund', 'Zoë'])
  })

  it('keeps the order on rename, and fills missing keys (rows written before the column) on next open', async () => {
    const { core, dataDir, clock } = await withMembers('pl-PL')
    const zoe = value<MemberListPage>(await core.invoke('members.list', { search: 'Zoë' })).rows[0]!
    value(await core.invoke('members.update', { id: zoe.id, expectedVersion: 1, values: { memberNo: zoe.memberNo, fullName: 'Ćwik', joinedOn: '2024-03-01' } }))
    expect((await names(core)).slice(0, 3)).toEqual(['Adler', 'Ängel', 'Åsa'])
    expect((await names(core)).slice(3, 5)).toEqual(['Ćwik', 'Lucy'])
    core.close()
    const db = new Database(path.join(dataDir, DATABASE_FILE))
    db.prepare("UPDATE members SET sort_name = ''").run()
    db.prepare("INSERT INTO members (member_no, full_name, joined_on, created_at, updated_at) VALUES ('X-1', 'Żaneta', '2024-01-01', 'x', 'x')").run()
    db.close()
    const again = tempCore({ dataDir, clock })
    cores.push(again.core)
    const all = await names(again.core)
    expect(all.slice(0, 5)).toEqual(['Adler', 'Ängel', 'Åsa', 'Ćwik', 'Lucy'])
    expect(all.slice(-3)).toEqual(['Otieno', 'Zetterlund', 'Żaneta'])
  })
})
