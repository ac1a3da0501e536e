import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  SecretStoreError,
  chainedSecretStore,
  envSecretStore,
  envVarFor,
  keychainSecretStore,
  secretStore
} from '../../../src/core/platform/secrets'
import { keychainError } from '../../../src/core/platform/secrets/keychain'
import { keychainSkipReason, startKeychain, type TestKeychain } from '../../support/keychain'

const ROOT = path.resolve(__dirname, '../../..')

describe('secret names and their environment variables', () => {
  it('names the variable after the part before the slash', () => {
    expect(envVarFor('db-key/0f3a9c')).toBe('COFFER_DB_KEY')
    expect(envVarFor('smtp-password')).toBe('COFFER_SMTP_PASSWORD')
  })

  it('refuses names that are not secret names', () => {
    for (const bad of ['', 'DB-KEY', 'db key', '../x', 'a/b/c', 'db-key/', 'x'.repeat(41)]) expect(() => envVarFor(bad)).toThrow(/Not a secret name/)
  })

  it('reads environment variables, an empty one as unset, and never writes them', () => {
    const store = envSecretStore({ COFFER_DB_KEY: 'ABCD-EFGH', COFFER_SMTP_PASSWORD: '  ' })
    expect(store.get('db-key/0f3a')).toBe('ABCD-EFGH')
    expect(store.get('smtp-password')).toBeNull()
    expect(() => store.set('smtp-password', 'x')).toThrow(SecretStoreError)
    expect(() => store.set('smtp-password', 'x')).toThrow('set it yourself')
  })

  it('the command line reads the variable before the keychain, and keeps secrets in the keychain', () => {
    const kept = new Map<string, string>()
    const keeper = {
      where: 'the keeper',
      get: (n: string) => kept.get(n) ?? null,
      set: (n: string, v: string) => void kept.set(n, v),
      delete: (n: string) => kept.delete(n)
    }
    const chained = chainedSecretStore(envSecretStore({ COFFER_SMTP_PASSWORD: 'from-env' }), keeper)
    chained.set('smtp-password', 'kept')
    chained.set('db-key/ab12', 'kept-key')
    expect(chained.get('smtp-password')).toBe('from-env')
    expect(chained.get('db-key/ab12')).toBe('kept-key')
    expect(chained.delete('db-key/ab12')).toBe(true)
    expect(chained.get('db-key/ab12')).toBeNull()
  })
})

describe('keychain failures in Coffer’s words', () => {
  it('no Secret Service on Linux: says there is no keychain in this session and what to do, not D-Bus', () => {
    const e = keychainError(new Error('Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled'), 'keep the key', 'linux')
    expect(e.problem).toBe('KEYCHAIN_UNAVAILABLE')
    expect(e.message).toContain('there is no keychain in this session')
    expect(e.message).not.toMatch(/dbus|X11/i)
  })

  it('a locked keychain, and anything else, named for the OS', () => {
    expect(keychainError(new Error("Couldn't access platform storage: Secret Service: no result found"), 'keep the key', 'linux').problem).toBe('KEYCHAIN_LOCKED')
    const other = keychainError(new Error('Unexpected HRESULT 0x8009'), 'keep the key', 'win32')
    expect(other.problem).toBe('KEYCHAIN_FAILED')
    expect(other.message).toContain('Windows Credential Manager')
    expect(other.message).not.toContain('HRESULT')
  })
})

/** Runs the keychain store in a child process with these variables; prints what it answered. */
function inChild(env: NodeJS.ProcessEnv, code: string): { out: string; err: string } {
  const tsx = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/cjs')
  const script = `const s = require(${JSON.stringify(path.join(ROOT, 'src/core/platform/secrets'))});\n${code}`
  const r = spawnSync(process.execPath, ['--require', tsx, '-e', script], { env, encoding: 'utf8', timeout: 20_000 })
  return { out: r.stdout.trim(), err: r.stderr }
}

const report = `
  const store = s.keychainSecretStore('Coffer test');
  for (const [what, f] of [['get', () => store.get('db-key/ab12')], ['set', () => store.set('db-key/ab12', 'x')]]) {
    try { console.log(what, JSON.stringify(f())) } catch (e) { console.log(what, e.problem, e.message) }
  }`

describe.skipIf(keychainSkipReason !== null)(`the OS keychain (real GNOME Keyring on a private bus)${keychainSkipReason ? `: skipped, ${keychainSkipReason}` : ''}`, () => {
  let keychain: TestKeychain
  beforeAll(() => {
    keychain = startKeychain()
    // The binding keeps its bus for the life of the process: set before its first use.
    Object.assign(process.env, keychain.env)
  })
  afterAll(() => keychain?.stop())

  it('keeps, gives back, and forgets a secret; names are independent', () => {
    const store = keychainSecretStore('Coffer test')
    expect(store.get('smtp-password')).toBeNull()
    store.set('smtp-password', 'pässwörd ✓ 口令')
    store.set('db-key/ab12', 'a'.repeat(64))
    expect(store.get('smtp-password')).toBe('pässwörd ✓ 口令')
    expect(store.get('db-key/ab12')).toBe('a'.repeat(64))
    store.set('smtp-password', 'changed')
    expect(store.get('smtp-password')).toBe('changed')
    expect(store.delete('smtp-password')).toBe(true)
    expect(store.delete('smtp-password')).toBe(false)
    expect(store.get('smtp-password')).toBeNull()
    expect(store.get('db-key/ab12')).toBe('a'.repeat(64))
  })

  it('the command line store reads COFFER_DB_KEY first, and keeps in the real keychain', () => {
    const store = secretStore({ env: { COFFER_DB_KEY: 'from-the-environment' } })
    store.set('db-key/cd34', 'from-the-keychain')
    expect(store.get('db-key/cd34')).toBe('from-the-environment')
    expect(keychainSecretStore().get('db-key/cd34')).toBe('from-the-keychain')
    expect(keychainSecretStore().delete('db-key/cd34')).toBe(true)
  })

  it('a keychain with nothing unlocked refuses to keep a secret, and says to unlock it', () => {
    const locked = startKeychain({ unlock: false })
    try {
      const { out, err } = inChild({ ...process.env, ...locked.env }, report)
      expect(out, err).toContain('set KEYCHAIN_LOCKED')
      expect(out).toContain('is locked or has no default keyring')
      expect(out).toContain('get null')
    } finally {
      locked.stop()
    }
  })

  it('with no session bus at all (a server): KEYCHAIN_UNAVAILABLE in Coffer’s words, for reading and keeping', () => {
    const env = { ...process.env }
    delete env.DBUS_SESSION_BUS_ADDRESS
    const { out, err } = inChild(env, report)
    expect(out, err).toContain('get KEYCHAIN_UNAVAILABLE Coffer cannot read a secret from the keychain: there is no keychain in this session')
    expect(out).toContain('set KEYCHAIN_UNAVAILABLE')
    expect(out).not.toMatch(/dbus/i)
  })
})
