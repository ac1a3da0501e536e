import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { AuthStatus, Operator } from '../../src/shared/contract'
import { DATABASE_FILE, type Core } from '../../src/core'
import { PROFILE, tempCore, tempDir, value } from '../support/temp-core'
import { ADMIN } from '../support/operators'

const cores: Core[] = []
afterEach(() => {
  while (cores.length) cores.pop()?.close()
})

const CLERK = { name: 'Carl Clerk', username: 'carl', role: 'clerk', password: 'temporary pass 1' }

/** A signed-out core on a new book (no operator yet), raw: no test sign-in. */
function bare() {
  const t = tempCore({ signedOut: true })
  cores.push(t.core)
  return t
}

async function withAdmin() {
  const t = tempCore()
  cores.push(t.core)
  value(await t.core.invoke('profile.save', PROFILE))
  return t
}

async function addClerk(core: Core): Promise<Operator> {
  return value<Operator>(await core.invoke('operators.create', CLERK))
}

describe('the first launch', () => {
  it('has no operator: only the status, the profile and creating the administrator are open', async () => {
    const { core } = bare()
    expect(value<AuthStatus>(await core.invoke('auth.status'))).toMatchObject({ setupNeeded: true, operator: null, locked: false })
    expect(await core.invoke('members.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    value(await core.invoke('profile.save', PROFILE))
    const st = value<AuthStatus>(await core.invoke('auth.createAdministrator', ADMIN))
    expect(st).toMatchObject({ setupNeeded: false, locked: false, operator: { username: 'ada', role: 'administrator', mustChangePassword: false } })
    value(await core.invoke('members.list', {}))
    const ada = value<{ operators: Operator[] }>(await core.invoke('operators.list')).operators[0]
    expect(ada?.lastSignedInAt).toBe('2026-11-22T09:00:00.000Z')
  })

  it('with no usable data file nobody can sign in, yet the start-up page may still show the data folder', async () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, DATABASE_FILE), 'this is not a database, it is a letter')
    const { core } = tempCore({ dataDir: dir, signedOut: true })
    cores.push(core)
    expect(core.status.state).toBe('failed')
    expect(core.authorize('app.showDataFolder')).toBeNull()
    expect(core.authorize('vouchers.print')).toMatchObject({ error: { code: 'UNAVAILABLE' } })
    expect(await core.invoke('auth.signIn', { username: 'ada', password: ADMIN.password })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
  })

  it('creates the administrator once: afterwards setup channels need the settings permission', async () => {
    const { core } = bare()
    value(await core.invoke('auth.createAdministrator', ADMIN))
    value(await core.invoke('auth.signOut'))
    const again = await core.invoke('auth.createAdministrator', { ...ADMIN, username: 'eve' })
    expect(again).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(await core.invoke('profile.save', PROFILE)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  })

  it('refuses a short password, or the username as password, next to the field', async () => {
    const { core } = bare()
    const short = await core.invoke('auth.createAdministrator', { ...ADMIN, password: 'short' })
    expect(short).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { password: 'Password must be at least 10 characters' } } })
    const same = await core.invoke('auth.createAdministrator', { ...ADMIN, username: 'adalovelace', password: 'AdaLovelace' })
    expect(same).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { password: 'The password cannot be the username' } } })
    expect(value<AuthStatus>(await core.invoke('auth.status')).setupNeeded).toBe(true)
  })
})

describe('passwords', () => {
  it('are stored as salted scrypt hashes, never as text, and never copied into the audit trail', async () => {
    const { core, dataDir } = await withAdmin()
    await addClerk(core)
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true })
    const rows = db.prepare('SELECT username, password_hash FROM operators ORDER BY id').all() as { username: string; password_hash: string }[]
    expect(rows).toHaveLength(2)
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^scrypt\$\d+\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]{44}$/)
      expect(r.password_hash).not.toContain(ADMIN.password)
      expect(r.password_hash).not.toContain(CLERK.password)
    }
    // Two hashes of different passwords, each with its own salt.
    expect(rows[0]!.password_hash.split('$')[4]).not.toBe(rows[1]!.password_hash.split('$')[4])
    const audit = db.prepare("SELECT before, after FROM audit_log WHERE entity = 'operators'").all() as { before: string | null; after: string | null }[]
    expect(audit.length).toBeGreaterThan(0)
    for (const a of audit) {
      expect(`${a.before}${a.after}`).not.toContain('password_hash')
      expect(`${a.before}${a.after}`).not.toContain('scrypt$')
    }
    db.close()
  })

  it('a new operator must choose a new password before doing anything else', async () => {
    const { core } = await withAdmin()
    await addClerk(core)
    const st = value<AuthStatus>(await core.invoke('auth.signIn', { username: 'CARL', password: CLERK.password }))
    expect(st.operator).toMatchObject({ username: 'carl', role: 'clerk', mustChangePassword: true })
    expect(await core.invoke('members.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Choose a new password first.' } })
    const same = await core.invoke('auth.changePassword', { current: CLERK.password, next: CLERK.password })
    expect(same).toMatchObject({ ok: false, error: { fields: { next: 'This is the current password' } } })
    value(await core.invoke('auth.changePassword', { current: CLERK.password, next: 'my own secret 42' }))
    value(await core.invoke('members.list', {}))
  })
})

describe('signing in', () => {
  it('says the same for an unknown username and a wrong password', async () => {
    const { core } = await withAdmin()
    const unknown = await core.invoke('auth.signIn', { username: 'nobody', password: 'whatever it is' })
    const wrong = await core.invoke('auth.signIn', { username: 'ada', password: 'whatever it is' })
    expect(unknown).toEqual(wrong)
    expect(wrong).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'The username or password is not right.' } })
  })

  it('locks the account after too many wrong passwords, until the time it names, even for the right one', async () => {
    const { core, clock } = await withAdmin()
    await addClerk(core)
    value(await core.invoke('security.save', { idleMinutes: 10, maxAttempts: 3, lockoutMinutes: 15, makerChecker: { payments: true, journal: false, journalThresholdMinor: 0, reopen: false } }))
    value(await core.invoke('auth.signOut'))
    for (let i = 0; i < 2; i++) {
      expect(await core.invoke('auth.signIn', { username: 'carl', password: 'not the password' })).toMatchObject({
        ok: false,
        error: { message: 'The username or password is not right.' }
      })
    }
    const third = await core.invoke('auth.signIn', { username: 'carl', password: 'not the password' })
    // 09:00 UTC is 12:00 in Nairobi: locked until 12:15 there.
    expect(third).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/locked until 12:15\. An administrator/) } })
    const right = await core.invoke('auth.signIn', { username: 'carl', password: CLERK.password })
    expect(right).toMatchObject({ ok: false, error: { message: expect.stringMatching(/locked until/) } })
    clock.advance(15 * 60_000)
    value(await core.invoke('auth.signIn', { username: 'carl', password: CLERK.password }))
  })

  it('an administrator unlocks an account by resetting its password', async () => {
    const { core } = await withAdmin()
    const carl = await addClerk(core)
    for (let i = 0; i < 5; i++) await core.invoke('auth.signIn', { username: 'carl', password: 'not the password' })
    expect(await core.invoke('auth.signIn', { username: 'carl', password: CLERK.password })).toMatchObject({ ok: false })
    value(await core.invoke('auth.signIn', { username: 'ada', password: ADMIN.password }))
    const locked = value<{ operators: Operator[] }>(await core.invoke('operators.list')).operators.find((o) => o.id === carl.id)
    expect(locked?.lockedUntil).not.toBeNull()
    value(await core.invoke('operators.resetPassword', { id: carl.id, password: 'fresh temporary 9' }))
    value(await core.invoke('auth.signIn', { username: 'carl', password: 'fresh temporary 9' }))
  })

  it('a switched-off operator cannot sign in, and their open session ends', async () => {
    const { core } = await withAdmin()
    const carl = await addClerk(core)
    value(await core.invoke('operators.setActive', { id: carl.id, version: carl.version, active: false }))
    expect(await core.invoke('auth.signIn', { username: 'carl', password: CLERK.password })).toMatchObject({
      ok: false,
      error: { message: 'This account is switched off. Ask an administrator.' }
    })
  })

  it('keeps at least one active administrator, and nobody switches themselves off', async () => {
    const { core } = await withAdmin()
    const me = value<{ operators: Operator[] }>(await core.invoke('operators.list')).operators[0]!
    expect(await core.invoke('operators.update', { id: me.id, version: me.version, name: me.name, username: me.username, role: 'clerk' })).toMatchObject({
      ok: false,
      error: { fields: { role: 'This is the only active administrator' } }
    })
    expect(await core.invoke('operators.setActive', { id: me.id, version: me.version, active: false })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' }
    })
  })

  it('usernames are unique whatever their case', async () => {
    const { core } = await withAdmin()
    await addClerk(core)
    const r = await core.invoke('operators.create', { ...CLERK, username: 'Carl' })
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { username: '“Carl” is already someone’s username' } } })
  })
})

describe('the idle lock', () => {
  it('locks after the idle time: reads are refused, the same password unlocks, wrong ones count', async () => {
    const { core, clock } = await withAdmin()
    const raw = rawInvoke(core)
    clock.advance(9 * 60_000)
    value(await raw('members.list', {}))
    // Reading is not using: the session still locks 10 minutes after the last write or touch.
    clock.advance(60_000)
    expect(await raw('members.list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } })
    expect(value<AuthStatus>(await raw('auth.status'))).toMatchObject({ locked: true, operator: { username: 'ada' } })
    expect(await raw('auth.unlock', { password: 'not it at all' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    value(await raw('auth.unlock', { password: ADMIN.password }))
    value(await raw('members.list', {}))
  })

  it('a touch (keys, mouse) keeps the session open', async () => {
    const { core, clock } = await withAdmin()
    const raw = rawInvoke(core)
    for (let i = 0; i < 6; i++) {
      clock.advance(5 * 60_000)
      value(await raw('auth.touch'))
    }
    value(await raw('members.list', {}))
  })

  it('locks at once when asked; signing out ends the session', async () => {
    const { core } = await withAdmin()
    const raw = rawInvoke(core)
    value(await raw('auth.lock'))
    expect(await raw('members.list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } })
    value(await raw('auth.signOut'))
    expect(await raw('members.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  })
})

/** The core's own invoke, without the test wrapper that unlocks after a clock jump. */
function rawInvoke(core: Core): Core['invoke'] {
  const raw = (core as Core & { rawInvoke?: Core['invoke'] }).rawInvoke
  if (!raw) throw new Error('not a test core')
  return raw
}
