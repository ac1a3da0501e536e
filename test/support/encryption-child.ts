/**
 * Another process for the encryption tests (run with tsx): "another PC",
 * with its own keychain (the variables test/support/keychain.ts gives), or a
 * process to kill while it rewrites the data file. Prints one JSON line per
 * step: `{"step": ..., ...}`.
 *
 *   encryption-child.ts enable <dataDir>
 *   encryption-child.ts restore <dataDir> <backupFile> <recoveryKey> <wrongRecoveryKey>
 *   encryption-child.ts unlock <dataDir> <recoveryKey> <wrongRecoveryKey>
 */
import fs from 'node:fs'
import path from 'node:path'
import { ManualClock, openCore, type Core } from '../../src/core'
import { ADMIN, TEST_PASSWORD_COST, signedIn } from './operators'

const PROFILE = { name: 'Other PC Cooperative', address: 'P.O. Box 1', currency: 'KES', timeZone: 'Africa/Nairobi', locale: 'en-KE' }

const say = (step: string, data: Record<string, unknown> = {}) => process.stdout.write(`${JSON.stringify({ step, ...data })}\n`)

function open(dataDir: string): Core {
  return openCore({
    dataDir,
    migrationsFolder: path.resolve(__dirname, '../../drizzle'),
    version: 'child',
    processKind: 'test',
    clock: new ManualClock('2026-11-23T09:00:00Z'),
    log: { error: () => undefined, warn: () => undefined, info: () => undefined },
    inlineJobs: true,
    systemDefaults: () => ({ timeZone: 'Africa/Nairobi', locale: 'en-KE', currency: 'KES' }),
    passwordCost: TEST_PASSWORD_COST
  })
}

const names = async (core: Core) => {
  const r = await core.invoke('members.list', {})
  return r.ok ? (r.value as { rows: { fullName: string }[] }).rows.map((m) => m.fullName) : r.error
}

async function main() {
  const [cmd, dataDir, ...rest] = process.argv.slice(2)
  if (!cmd || !dataDir) throw new Error('usage: encryption-child <enable|restore|unlock> <dataDir> ...')

  if (cmd === 'enable') {
    const core = signedIn(open(dataDir))
    await core.invoke('auth.status')
    say('ready')
    const r = await core.invoke('encryption.enable', { confirm: true })
    say('enabled', { ok: r.ok })
    await core.shutdown()
    return
  }

  if (cmd === 'restore') {
    const [backupFile = '', recoveryKey, wrongKey] = rest
    // A new book on this PC: Ada, a profile, no members; then the backup brought from the other PC goes into its backups folder.
    const core = signedIn(open(dataDir))
    await core.invoke('profile.save', PROFILE)
    say('fresh', { status: core.status.state, members: await names(core) })
    const name = path.basename(backupFile)
    fs.mkdirSync(path.join(dataDir, 'backups'), { recursive: true })
    fs.copyFileSync(backupFile, path.join(dataDir, 'backups', name))
    const attempt = async (extra: Record<string, unknown>) => {
      const r = await core.invoke('backups.restore', { name, confirm: true, ...extra })
      return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error }
    }
    say('without a key', await attempt({}))
    say('with a typing mistake', await attempt({ recoveryKey: `${recoveryKey?.slice(0, -1)}${recoveryKey?.endsWith('0') ? '1' : '0'}` }))
    say('with another book’s key', await attempt({ recoveryKey: wrongKey }))
    say('after the refusals', { status: core.status.state, members: await names(core) })
    say('with its recovery key', await attempt({ recoveryKey }))
    // The restored file's operators: Ada signs in with her password there.
    await core.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password })
    const st = await core.invoke('encryption.status', {})
    say('restored', { members: await names(core), encryption: st.ok ? st.value : st.error })
    await core.shutdown()
    // The next start on this PC: the keychain now has the key.
    const again = signedIn(open(dataDir))
    say('reopened', { status: again.status.state, members: await names(again) })
    await again.shutdown()
    return
  }

  if (cmd === 'unlock') {
    const [recoveryKey, wrongKey] = rest
    const core = open(dataDir)
    const failure = core.status.state === 'failed' ? core.status.failure : null
    say('start', { status: core.status.state, code: failure?.code, title: failure?.title, message: failure?.message, advice: failure?.advice })
    const wrong = await core.invoke('encryption.unlock', { recoveryKey: wrongKey })
    say('another book’s key', { ok: wrong.ok, error: wrong.ok ? null : wrong.error, status: core.status.state })
    const right = await core.invoke('encryption.unlock', { recoveryKey })
    say('its recovery key', { ok: right.ok, value: right.ok ? right.value : right.error })
    const signed = signedIn(core)
    say('open', { status: signed.status.state, members: await names(signed) })
    await core.shutdown()
    const again = signedIn(open(dataDir))
    say('reopened', { status: again.status.state, members: await names(again) })
    await again.shutdown()
    return
  }
  throw new Error(`unknown command ${cmd}`)
}

main().catch((e: unknown) => {
  say('error', { message: e instanceof Error ? e.stack : String(e) })
  process.exit(2)
})
