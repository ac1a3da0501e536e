import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CHANNEL_PERMISSIONS,
  ROLES,
  channels,
  coreChannels,
  roleCan,
  shellChannels,
  type Channel,
  type Role
} from '../../../src/shared/contract'
import type { Core } from '../../../src/core'
import { PROFILE, tempCore, value } from '../../support/temp-core'
import { ADMIN } from '../../support/operators'

/**
 * Who may call what, over the whole contract: for each role, every channel
 * is allowed or refused by core exactly as CHANNEL_PERMISSIONS declares.
 *
 * Each call is sent with input no schema accepts (a bare string), so an
 * allowed call stops at validation (VALIDATION, or UNAVAILABLE for a shell
 * channel, which core does not answer) and nothing is ever done; a refused
 * call is FORBIDDEN before its input is even read.
 */

const PROBE = '\u2603 not an input'
const OPEN = new Set(['open', 'setup', 'signedIn'])

const operatorOf: Record<Role, { name: string; username: string; password: string }> = {
  administrator: ADMIN,
  treasurer: { name: 'Tess Treasurer', username: 'tess', password: 'treasurer password 1' },
  clerk: { name: 'Carl Clerk', username: 'carl', password: 'clerk password 12' },
  auditor: { name: 'Aud Itor', username: 'audi', password: 'auditor password 1' }
}

let core: Core

async function signInAs(role: Role): Promise<void> {
  const who = operatorOf[role]
  value(await core.invoke('auth.signIn', { username: who.username, password: who.password }))
}

beforeAll(async () => {
  core = tempCore().core
  value(await core.invoke('profile.save', PROFILE))
  const others = ROLES.filter((r) => r !== 'administrator')
  for (const role of others) {
    const who = operatorOf[role]
    value(await core.invoke('operators.create', { name: who.name, username: who.username, role, password: `${who.password}!` }))
  }
  for (const role of others) {
    const who = operatorOf[role]
    value(await core.invoke('auth.signIn', { username: who.username, password: `${who.password}!` }))
    value(await core.invoke('auth.changePassword', { current: `${who.password}!`, next: who.password }))
  }
  await signInAs('administrator')
})
afterAll(() => core.close())

describe('the permission table', () => {
  it('declares every channel of the contract, and nothing else', () => {
    expect(Object.keys(CHANNEL_PERMISSIONS).sort()).toEqual([...channels].sort())
  })

  it('gives the administrator everything, the auditor nothing that changes the book', () => {
    for (const c of channels) expect(roleCan('administrator', CHANNEL_PERMISSIONS[c]), c).toBe(true)
    const auditorMay = channels.filter((c) => roleCan('auditor', CHANNEL_PERMISSIONS[c]) && !OPEN.has(CHANNEL_PERMISSIONS[c]))
    for (const c of auditorMay) expect(['read', 'export', 'payroll.read', 'mail.read'], c).toContain(CHANNEL_PERMISSIONS[c])
  })

  it('keeps the key separations of duties', () => {
    const may = (role: Role, c: Channel) => roleCan(role, CHANNEL_PERMISSIONS[c])
    expect(may('clerk', 'payments.prepare')).toBe(true)
    expect(may('clerk', 'payments.approve')).toBe(false)
    expect(may('clerk', 'payments.pay')).toBe(false)
    expect(may('clerk', 'members.update')).toBe(true)
    expect(may('treasurer', 'payments.approve')).toBe(true)
    expect(may('treasurer', 'operators.create')).toBe(false)
    expect(may('treasurer', 'security.save')).toBe(false)
    expect(may('auditor', 'members.update')).toBe(false)
    expect(may('auditor', 'audit.export')).toBe(true)
    expect(may('auditor', 'bonds.exportPortfolio')).toBe(true)
    // The ledger (#11): a clerk posts entries, deposits and share purchases; money out, reversals and closing months are the treasurer's.
    for (const c of ['ledger.post', 'ledger.deposit', 'ledger.buyShares', 'ledger.openMemberAccount'] as const) expect(may('clerk', c), c).toBe(true)
    for (const c of ['ledger.withdraw', 'ledger.reverse', 'ledger.closePeriod', 'ledger.reopenPeriod', 'ledger.createAccount'] as const) {
      expect(may('clerk', c), c).toBe(false)
      expect(may('treasurer', c), c).toBe(true)
    }
    expect(may('auditor', 'ledger.trialBalance')).toBe(true)
    expect(may('auditor', 'ledger.post')).toBe(false)
    // Payroll (#13): staff pay is confidential (no clerk sees it); an auditor reads it; the second pair of eyes is payments'.
    for (const c of ['payroll.staffList', 'payroll.register', 'payroll.payslip', 'payroll.payslipsPdf'] as const) {
      expect(may('clerk', c), c).toBe(false)
      expect(may('auditor', c), c).toBe(true)
    }
    for (const c of ['payroll.createStaff', 'payroll.saveRate', 'payroll.run', 'payroll.approve', 'payroll.post'] as const) {
      expect(may('clerk', c), c).toBe(false)
      expect(may('auditor', c), c).toBe(false)
      expect(may('treasurer', c), c).toBe(true)
    }
    expect(CHANNEL_PERMISSIONS['payroll.approve']).toBe('payments.approve')
    expect(CHANNEL_PERMISSIONS['payroll.post']).toBe('payments.pay')
  })
})

describe.each(ROLES)('signed in with the role %s, core', (role) => {
  beforeAll(() => signInAs(role))

  it.each(coreChannels)('answers %s as declared', async (channel) => {
    const r = await core.invoke(channel, PROBE)
    expect(r.ok, channel).toBe(false)
    if (r.ok) return
    if (roleCan(role, CHANNEL_PERMISSIONS[channel])) {
      expect(r.error.code, `${role} may call ${channel}`).toBe('VALIDATION')
    } else {
      expect(r.error.code, `${role} may not call ${channel}`).toBe('FORBIDDEN')
      expect(r.error.message).toMatch(/may not/)
    }
  })

  it.each(shellChannels)('authorises the shell channel %s as declared', (channel) => {
    const refusal = core.authorize(channel)
    if (roleCan(role, CHANNEL_PERMISSIONS[channel])) expect(refusal).toBeNull()
    else expect(refusal?.error.code).toBe('FORBIDDEN')
  })
})

describe('signed out, core', () => {
  beforeAll(async () => {
    value(await core.invoke('auth.signOut'))
  })
  afterAll(() => signInAs('administrator'))

  it.each(coreChannels)('answers %s only if it is open', async (channel) => {
    const r = await core.invoke(channel, PROBE)
    expect(r.ok).toBe(false)
    if (r.ok) return
    const p = CHANNEL_PERMISSIONS[channel]
    // setup: open only while the book has no operator; this one has four.
    if (p === 'open') expect(r.error.code).toBe('VALIDATION')
    else expect(r.error.code).toBe('UNAUTHENTICATED')
  })

  it('refuses an unknown channel before anything else', async () => {
    const r = await core.invoke('members.dropEverything', {})
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })
  })
})
