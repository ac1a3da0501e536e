/**
 * What the mail tests and the mail bench share: a keychain in memory, a core
 * opened with it (trusting the test SMTP server's certificate), and the email
 * settings that send to a test SMTP server over STARTTLS with its login.
 */
import { openCore, type Clock, type Core } from '../../src/core'
import type { SecretStore } from '../../src/core/platform/secrets'
import { TEST_PASSWORD_COST } from './operators'
import type { TestSmtp } from './smtp'
import { MIGRATIONS, quietLogger } from './temp-core'

/** A keychain in memory; `kept` holds what was set in it. */
export function memorySecrets(where = 'the test keychain'): SecretStore & { kept: Map<string, string> } {
  const kept = new Map<string, string>()
  return {
    kept,
    where,
    get: (n) => kept.get(n) ?? null,
    set: (n, v) => void kept.set(n, v),
    delete: (n) => kept.delete(n)
  }
}

/** A core on `dataDir` (Nairobi, en-KE, KES) keeping its secrets in `secrets` and trusting `smtp`'s certificate; not signed in. */
export function openMailCore(dataDir: string, clock: Clock, smtp: Pick<TestSmtp, 'ca'>, secrets: SecretStore = memorySecrets()): Core {
  return openCore({
    dataDir,
    migrationsFolder: MIGRATIONS,
    version: 'test',
    clock,
    log: quietLogger,
    systemDefaults: () => ({ timeZone: 'Africa/Nairobi', locale: 'en-KE', currency: 'KES' }),
    passwordCost: TEST_PASSWORD_COST,
    secrets,
    mailTlsCa: smtp.ca
  })
}

/** Email settings sending to `smtp` on 127.0.0.1 over STARTTLS with its login, from treasurer@umoja.test; no reply-to, no alerts. */
export function emailSettingsFor(smtp: Pick<TestSmtp, 'port' | 'user' | 'password'>) {
  return {
    host: '127.0.0.1',
    port: smtp.port,
    security: 'starttls' as const,
    user: smtp.user,
    password: smtp.password,
    fromName: 'Umoja Savings',
    fromAddress: 'treasurer@umoja.test',
    replyTo: null,
    alertAddress: null,
    alertPhone: null
  }
}
