import { spawn, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock, openCore, type Core } from '../../src/core'
import type { AuthStatus, EncryptionStatus, ExportStatus, JobRun, MemberListPage, Output, ReportView } from '../../src/shared/contract'
import { newDbKey, parseRecoveryKey, recoveryKeyText } from '../../src/core/platform/db/cipher'
import { keychainSecretStore } from '../../src/core/platform/secrets'
import { seedMembers } from '../support/seed-members'
import { keychainSkipReason, startKeychain, type TestKeychain } from '../support/keychain'
import { MIGRATIONS, PROFILE, quietLogger, tempDir, value } from '../support/temp-core'
import { TEST_PASSWORD_COST, signedIn } from '../support/operators'

const ROOT = path.resolve(__dirname, '../..')
const PLAIN_HEADER = 'SQLite format 3\0'
const header = (file: string) => fs.readFileSync(file).subarray(0, 16).toString('latin1')
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')

const cores: Core[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()?.shutdown()
})

/** A real core on the folder, signed in as Ada; jobs in worker threads (their connection needs the key too). */
async function open(dataDir = tempDir()) {
  const core = signedIn(
    openCore({
      dataDir,
      migrationsFolder: MIGRATIONS,
      version: 'test',
      clock: new ManualClock('2026-11-22T09:00:00Z'),
      log: quietLogger,
      processKind: 'test',
      systemDefaults: () => ({ timeZone: 'Africa/Nairobi', locale: 'en-KE', currency: 'KES' }),
      passwordCost: TEST_PASSWORD_COST
    })
  )
  cores.push(core)
  if (core.status.state === 'ready' && core.status.needsProfile) value(await core.invoke('profile.save', PROFILE))
  return { core, dataDir, file: path.join(dataDir, 'coffer.sqlite'), backups: path.join(dataDir, 'backups') }
}

async function close(core: Core) {
  cores.splice(cores.indexOf(core), 1)
  await core.shutdown()
}

const names = async (core: Core) => value<MemberListPage>(await core.invoke('members.list', {})).rows.map((r) => r.fullName).sort()

async function backup(core: Core): Promise<string> {
  const started = value<JobRun>(await core.invoke('jobs.run', { jobId: 'backup' }))
  const run = (await core.jobs!.activeRun('backup')) ?? value<JobRun>(await core.invoke('jobs.getRun', { runId: started.id }))
  expect(run.status, run.error ?? '').toBe('succeeded')
  return (run.result?.details as { file: string }).file
}

/** What Debian's sqlite3 shell makes of a file, when it is installed. */
function sqliteShell(file: string): { ran: boolean; out: string } {
  const r = spawnSync('sqlite3', [file, 'SELECT count(*) FROM sqlite_master;'], { encoding: 'utf8' })
  return r.error ? { ran: false, out: '' } : { ran: true, out: `${r.stdout}${r.stderr}` }
}

function child(env: NodeJS.ProcessEnv, args: string[]): { steps: Record<string, Record<string, unknown>>; raw: string } {
  const tsx = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/cjs')
  const r = spawnSync(process.execPath, ['--require', tsx, path.join(ROOT, 'test/support/encryption-child.ts'), ...args], {
    env,
    encoding: 'utf8',
    timeout: 90_000
  })
  const steps: Record<string, Record<string, unknown>> = {}
  for (const line of r.stdout.split('\n').filter((l) => l.startsWith('{'))) {
    const { step, ...rest } = JSON.parse(line) as { step: string }
    steps[step] = rest
  }
  return { steps, raw: `${r.stdout}\n${r.stderr}` }
}

describe('recovery keys', () => {
  it('round-trips a key as 14 groups of four, reads what people type, and catches a typing mistake', () => {
    const { key } = newDbKey()
    const text = recoveryKeyText(key)
    expect(text).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){13}$/)
    expect(parseRecoveryKey(text)).toEqual({ key })
    expect(parseRecoveryKey(` ${text.toLowerCase().replace(/-/g, ' ')} `)).toEqual({ key })
    expect(parseRecoveryKey(text.replace(/0/g, 'O').replace(/1/g, 'l'))).toEqual({ key })
    const typo = text.slice(0, 5) + (text[5] === 'A' ? 'B' : 'A') + text.slice(6)
    expect(parseRecoveryKey(typo)).toEqual({ problem: 'This recovery key has a typing mistake: compare each group with the one you wrote down.' })
    expect(parseRecoveryKey(text.slice(0, -5))).toEqual({ problem: 'A recovery key has 56 letters and digits (14 groups of four); this has 52.' })
    expect(parseRecoveryKey(`${text.slice(0, -1)}U`)).toEqual({ problem: 'A recovery key has only the letters and digits printed on it; “U” is not one of them.' })
    expect(parseRecoveryKey('  ')).toEqual({ problem: 'Enter the recovery key.' })
  })
})

describe.skipIf(keychainSkipReason !== null)(
  `encryption at rest, with a real keychain${keychainSkipReason ? `: skipped, ${keychainSkipReason}` : ''}`,
  () => {
    let keychain: TestKeychain
    beforeAll(() => {
      keychain = startKeychain()
      // The keychain binding keeps its bus for the life of the process: set before its first use.
      Object.assign(process.env, keychain.env)
    })
    afterAll(() => keychain?.stop())

    it('plain → encrypted → plain: the data, the session and the backups come through; the file is not SQLite on disk while encrypted', async () => {
      const { core, file, backups, dataDir } = await open()
      for (const [no, name] of [['M-001', 'Wanjiru Kamau'], ['M-002', 'Otieno Ochieng']]) {
        value(await core.invoke('members.create', { memberNo: no, fullName: name, joinedOn: '2025-01-01', nationalId: `ID-${no}`, phone: '+254700000001' }))
      }
      const plainBackup = await backup(core)
      const before = value<EncryptionStatus>(await core.invoke('encryption.status', {}))
      expect(before).toMatchObject({ encrypted: false, recoveryKeyConfirmed: true, keychainProblem: null, backups: { encrypted: 0, plain: 1 } })

      const enabled = value<Output<'encryption.enable'>>(await core.invoke('encryption.enable', { confirm: true }))
      expect(enabled.recoveryKey).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/)
      expect(enabled).toMatchObject({ backupsEncrypted: 1, backupsLeftPlain: [] })

      // On disk: not SQLite; readable by no plain SQLite, with or without the app.
      expect(header(file)).not.toBe(PLAIN_HEADER)
      expect(() => new Database(file, { readonly: true }).prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/)
      const shell = sqliteShell(file)
      if (shell.ran) expect(shell.out).toMatch(/file is not a database/)
      expect(fs.readFileSync(file).includes(Buffer.from('Wanjiru Kamau'))).toBe(false)
      expect(header(path.join(backups, plainBackup))).not.toBe(PLAIN_HEADER)
      // Nothing of the rewrite is left beside it.
      expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('coffer.sqlite.'))).toEqual([])

      // The same book, and Ada is still signed in (the session crossed the reopen).
      expect(value<AuthStatus>(await core.rawInvoke('auth.status', {})).operator?.username).toBe('ada')
      expect(await names(core)).toEqual(['Otieno Ochieng', 'Wanjiru Kamau'])
      // Reports read the encrypted book on connections of their own, with its key: the screen's reader and the export job's.
      const shown = value<ReportView>(await core.invoke('reports.view', { name: 'member-statement', params: { from: '2025-01-01', to: '2026-11-22' } }))
      expect(shown.tables[0]!.rowCount).toBeGreaterThanOrEqual(2)
      const { runId } = value<{ runId: number }>(await core.invoke('reports.export', { name: 'member-statement', params: { from: '2025-01-01', to: '2026-11-22' }, format: 'xlsx' }))
      await core.jobs?.activeRun('report-export')
      expect(value<ExportStatus>(await core.invoke('reports.exportStatus', { runId }))).toMatchObject({ status: 'succeeded', generated: { fingerprint: shown.fingerprint } })
      const after = value<EncryptionStatus>(await core.invoke('encryption.status', {}))
      expect(after).toMatchObject({ encrypted: true, recoveryKeyConfirmed: false, backups: { encrypted: 1, plain: 0 } })
      expect(value<EncryptionStatus>(await core.invoke('encryption.confirmRecoveryKey', { confirm: true })).recoveryKeyConfirmed).toBe(true)
      expect(await core.invoke('encryption.enable', { confirm: true })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'The data file is already encrypted.' } })

      // A backup of the encrypted book, made by the job's worker thread with its own connection: encrypted with the same key.
      const encryptedBackup = await backup(core)
      expect(header(path.join(backups, encryptedBackup))).toBe(header(file))
      value(await core.invoke('members.create', { memberNo: 'M-003', fullName: 'Akinyi Atieno', joinedOn: '2025-01-01' }))

      // Another start finds the key in the keychain.
      await close(core)
      const second = await open(dataDir)
      expect(second.core.status.state).toBe('ready')
      expect(await names(second.core)).toEqual(['Akinyi Atieno', 'Otieno Ochieng', 'Wanjiru Kamau'])

      value(await second.core.invoke('encryption.disable', { confirm: true }))
      expect(header(file)).toBe(PLAIN_HEADER)
      expect(new Database(file, { readonly: true }).prepare('SELECT count(*) AS n FROM members').get()).toEqual({ n: 3 })
      expect(await names(second.core)).toEqual(['Akinyi Atieno', 'Otieno Ochieng', 'Wanjiru Kamau'])
      // Backups made while it was encrypted stay encrypted, and still restore here: the keychain kept the key.
      expect(value<EncryptionStatus>(await second.core.invoke('encryption.status', {}))).toMatchObject({
        encrypted: false,
        backups: { encrypted: 2, plain: 0 }
      })
      value(await second.core.invoke('backups.restore', { name: encryptedBackup, confirm: true }))
      await second.core.invoke('auth.signIn', { username: 'ada', password: 'correct horse battery' })
      expect(await names(second.core)).toEqual(['Otieno Ochieng', 'Wanjiru Kamau'])
      // Restored as it was made: encrypted (a restore never decrypts silently).
      expect(value<EncryptionStatus>(await second.core.invoke('encryption.status', {})).encrypted).toBe(true)
      expect(header(file)).not.toBe(PLAIN_HEADER)
    })

    it('a plain backup restored into an encrypted book is encrypted with the book’s key', async () => {
      const { core, file, backups } = await open()
      value(await core.invoke('members.create', { memberNo: 'M-001', fullName: 'Wanjiru Kamau', joinedOn: '2025-01-01' }))
      const plain = await backup(core)
      // The plain backup keeps its bytes while encryption is on only if it was made after: copy it aside and back.
      const kept = fs.readFileSync(path.join(backups, plain))
      value(await core.invoke('encryption.enable', { confirm: true }))
      fs.writeFileSync(path.join(backups, plain), kept)
      expect(header(path.join(backups, plain))).toBe(PLAIN_HEADER)
      const bookHeader = header(file)
      value(await core.invoke('backups.restore', { name: plain, confirm: true }))
      await core.invoke('auth.signIn', { username: 'ada', password: 'correct horse battery' })
      expect(header(file)).toBe(bookHeader)
      expect(await names(core)).toEqual(['Wanjiru Kamau'])
    })

    it('on another PC (a fresh data folder, an empty keychain): restore asks for the recovery key, refuses a wrong one changing nothing, and opens with the right one', async () => {
      const { core, backups } = await open()
      value(await core.invoke('members.create', { memberNo: 'M-001', fullName: 'Wanjiru Kamau', joinedOn: '2025-01-01' }))
      const { recoveryKey } = value<Output<'encryption.enable'>>(await core.invoke('encryption.enable', { confirm: true }))
      const name = await backup(core)

      const otherPc = startKeychain()
      try {
        const wrong = recoveryKeyText(newDbKey().key)
        const { steps, raw } = child({ ...process.env, ...otherPc.env }, ['restore', tempDir(), path.join(backups, name), recoveryKey, wrong])
        expect(steps.fresh, raw).toMatchObject({ status: 'ready', members: [] })
        expect(steps['without a key']).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION', fields: { recoveryKey: 'Enter the recovery key of this backup' } }
        })
        expect((steps['without a key']?.error as { message: string }).message).toContain('is encrypted and this computer’s keychain has no key for it')
        expect(steps['with a typing mistake']).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { recoveryKey: expect.stringContaining('typing mistake') } } })
        expect(steps['with another book’s key']).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION', fields: { recoveryKey: 'This recovery key does not open this backup' } }
        })
        expect(steps['after the refusals']).toMatchObject({ status: 'ready', members: [] })
        expect(steps['with its recovery key']).toMatchObject({ ok: true, value: { restored: name } })
        expect(steps.restored).toMatchObject({ members: ['Wanjiru Kamau'], encryption: { encrypted: true } })
        // The key is now in that PC's keychain: the next start needs no recovery key.
        expect(steps.reopened).toMatchObject({ status: 'ready', members: ['Wanjiru Kamau'] })
      } finally {
        otherPc.stop()
      }
    })

    it('a data folder moved to another PC starts as DB_KEY_NEEDED; a wrong recovery key changes nothing; the right one opens it; the command line reads COFFER_DB_KEY', async () => {
      const { core, dataDir, file } = await open()
      value(await core.invoke('members.create', { memberNo: 'M-001', fullName: 'Wanjiru Kamau', joinedOn: '2025-01-01' }))
      const { recoveryKey } = value<Output<'encryption.enable'>>(await core.invoke('encryption.enable', { confirm: true }))
      await close(core)
      const moved = tempDir()
      fs.cpSync(dataDir, moved, { recursive: true })
      fs.rmSync(path.join(moved, 'processes'), { recursive: true, force: true })
      const movedFile = path.join(moved, 'coffer.sqlite')
      const bytes = sha(movedFile)

      const otherPc = startKeychain()
      try {
        // The command line on a server: no keychain, the key in COFFER_DB_KEY.
        const cli = spawnSync(process.execPath, [path.join(ROOT, 'src/cli/bin.cjs'), 'jobs', 'list'], {
          env: { ...process.env, ...otherPc.env, COFFER_DATA_DIR: moved, COFFER_DB_KEY: recoveryKey },
          encoding: 'utf8',
          timeout: 60_000
        })
        expect(cli.status, cli.stderr).toBe(0)
        expect(cli.stdout).toContain('Database backup')
        const noKey = spawnSync(process.execPath, [path.join(ROOT, 'src/cli/bin.cjs'), 'jobs', 'list'], {
          env: { ...process.env, ...otherPc.env, COFFER_DATA_DIR: moved },
          encoding: 'utf8',
          timeout: 60_000
        })
        expect(noKey.status).not.toBe(0)
        expect(noKey.stderr).toContain('encrypted')
        expect(noKey.stderr).toContain('COFFER_DB_KEY')
        expect(sha(movedFile)).toBe(bytes)

        const { steps, raw } = child({ ...process.env, ...otherPc.env }, ['unlock', moved, recoveryKey, recoveryKeyText(newDbKey().key)])
        expect(steps.start, raw).toMatchObject({ status: 'failed', code: 'DB_KEY_NEEDED', title: 'The Coffer data file is encrypted' })
        expect(steps.start?.message).toContain('Coffer has no key for it on this computer')
        expect(steps.start?.advice).toEqual(expect.arrayContaining([expect.stringContaining('Enter the recovery key')]))
        expect(steps['another book’s key']).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION', fields: { recoveryKey: 'This recovery key does not open this data file' } },
          status: 'failed'
        })
        expect(steps['its recovery key']).toMatchObject({ ok: true, value: { keyKept: true, status: { state: 'ready' } } })
        expect(steps.open).toMatchObject({ status: 'ready', members: ['Wanjiru Kamau'] })
        expect(steps.reopened).toMatchObject({ status: 'ready', members: ['Wanjiru Kamau'] })
      } finally {
        otherPc.stop()
      }
      expect(header(file)).not.toBe(PLAIN_HEADER)
    })

    it('a restore with the wrong recovery key changes nothing on disk', async () => {
      // A backup of another book, whose key this keychain does not have.
      const other = await open()
      value(await other.core.invoke('encryption.enable', { confirm: true }))
      const name = await backup(other.core)
      await close(other.core)
      const keyId = fs.readFileSync(path.join(other.backups, name)).subarray(0, 16).toString('hex')
      expect(keychainSecretStore().delete(`db-key/${keyId}`)).toBe(true)

      const { core, file, backups } = await open()
      value(await core.invoke('members.create', { memberNo: 'M-001', fullName: 'Wanjiru Kamau', joinedOn: '2025-01-01' }))
      fs.mkdirSync(backups, { recursive: true })
      fs.copyFileSync(path.join(other.backups, name), path.join(backups, name))
      const onDisk = () => ({ file: sha(file), wal: fs.existsSync(`${file}-wal`) ? sha(`${file}-wal`) : null, backups: fs.readdirSync(backups).sort() })
      const before = onDisk()
      const r = await core.invoke('backups.restore', { name, confirm: true, recoveryKey: recoveryKeyText(newDbKey().key) })
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { recoveryKey: 'This recovery key does not open this backup' } } })
      expect((r as { error: { message: string } }).error.message).toBe(
        `The recovery key does not open the backup ${name}: it is another book’s key, or the backup is damaged. Nothing was changed.`
      )
      expect(onDisk()).toEqual(before)
      expect(fs.existsSync(`${file}.restoring`)).toBe(false)
      expect(await names(core)).toEqual(['Wanjiru Kamau'])
    })

    it('a process killed while it turns encryption on leaves a usable file, plain or encrypted, never half of each; backups left plain are encrypted by the next backup', async () => {
      const source = await open()
      await close(source.core)
      seedMembers({ file: source.file, count: 20_000 })
      // A backup from before encryption, which turning it on encrypts too.
      fs.mkdirSync(source.backups, { recursive: true })
      const seeded = new Database(source.file)
      seeded.prepare('VACUUM INTO ?').run(path.join(source.backups, 'coffer-manual-2026-11-21T090000.sqlite'))
      seeded.close()
      const tsx = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/cjs')
      /** Starts turning encryption on in a child, and kills it (SIGKILL) the moment `when` holds; answers what was on disk then. */
      const killWhen = async (when: (dir: string, sinceReadyMs: number) => boolean) => {
        const dir = tempDir()
        fs.cpSync(source.dataDir, dir, { recursive: true })
        fs.rmSync(path.join(dir, 'processes'), { recursive: true, force: true })
        const proc = spawn(process.execPath, ['--require', tsx, path.join(ROOT, 'test/support/encryption-child.ts'), 'enable', dir], {
          env: process.env,
          stdio: ['ignore', 'pipe', 'pipe']
        })
        let out = ''
        let readyAt = 0
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          if (!readyAt && out.includes('"ready"')) readyAt = performance.now()
        })
        const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()))
        let seen: string[] = []
        while (proc.exitCode === null) {
          if (readyAt && when(dir, performance.now() - readyAt)) {
            seen = [...fs.readdirSync(dir), ...fs.readdirSync(path.join(dir, 'backups')).map((f) => `backups/${f}`)]
            proc.kill('SIGKILL')
            break
          }
          await new Promise((r) => setTimeout(r, 1))
        }
        await exited
        return { dir, seen: seen.filter((f) => /coffer\.sqlite\.|\.partial/.test(f)), finished: out.includes('"enabled"') }
      }
      const partialBackup = (dir: string) => fs.readdirSync(path.join(dir, 'backups')).some((f) => f.endsWith('.partial'))
      const cases = [
        { name: 'while the encrypted copy is written', when: (dir: string) => fs.existsSync(path.join(dir, 'coffer.sqlite.rewriting')), expect: 'plain' },
        { name: 'with the copy in place and the old file beside it', when: (dir: string) => fs.existsSync(path.join(dir, 'coffer.sqlite.before-rewrite')), expect: 'encrypted' },
        { name: 'while the backups are encrypted', when: partialBackup, expect: 'encrypted' },
        { name: 'a moment after it began', when: (_: string, ms: number) => ms > 150, expect: null }
      ]
      for (const c of cases) {
        const { dir, seen, finished } = await killWhen(c.when)
        expect(finished, c.name).toBe(false)
        const after = await open(dir)
        expect(after.core.status.state, c.name).toBe('ready')
        expect(value<MemberListPage>(await after.core.invoke('members.list', { status: 'all' })).total, c.name).toBe(20_000)
        const state = value<EncryptionStatus>(await after.core.invoke('encryption.status', {}))
        if (c.expect) expect(state.encrypted ? 'encrypted' : 'plain', `${c.name}: ${seen.join(', ')}`).toBe(c.expect)
        const file = path.join(dir, 'coffer.sqlite')
        expect(header(file) === PLAIN_HEADER, c.name).toBe(!state.encrypted)
        // The leftovers are gone once the file in place opened; each backup is whole, plain or encrypted.
        expect(fs.readdirSync(dir).filter((f) => /^coffer\.sqlite\.(rewriting|before-rewrite)/.test(f)), c.name).toEqual([])
        expect(partialBackup(dir), c.name).toBe(false)
        expect(state.backups.encrypted + state.backups.plain, c.name).toBe(1)
        if (state.encrypted && state.backups.plain > 0) {
          // The next backup of the encrypted book encrypts the one left plain.
          await backup(after.core)
          expect(value<EncryptionStatus>(await after.core.invoke('encryption.status', {})).backups, c.name).toEqual({ encrypted: 2, plain: 0 })
        }
        await close(after.core)
      }
    }, 180_000)
  }
)
