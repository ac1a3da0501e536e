import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ManualClock, openCore, type Core, type Logger } from '../../src/core'
import { TEST_PASSWORD_COST, signedIn } from './operators'

export const MIGRATIONS = path.resolve(__dirname, '../../drizzle')

export const quietLogger: Logger & { errors: unknown[][] } = {
  errors: [],
  error: (...a: unknown[]) => void quietLogger.errors.push(a),
  warn: () => undefined,
  info: () => undefined
}

export function tempDir(prefix = 'coffer-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

export interface TempCoreOptions {
  dataDir?: string
  clock?: ManualClock
  /** Leave the session signed out (tests of signing in itself). */
  signedOut?: boolean
}

/**
 * A real core on a real SQLite file in a temporary folder, signed in as Ada
 * the administrator (created on a new book; see ./operators.ts): its
 * `invoke` first waits for that sign-in.
 */
export function tempCore(opts: TempCoreOptions = {}): { core: Core; dataDir: string; clock: ManualClock } {
  const dataDir = opts.dataDir ?? tempDir()
  const clock = opts.clock ?? new ManualClock('2026-11-22T09:00:00Z')
  const core = openCore({
    dataDir,
    migrationsFolder: MIGRATIONS,
    version: 'test',
    clock,
    log: quietLogger,
    systemDefaults: () => ({ timeZone: 'Africa/Nairobi', locale: 'en-KE', currency: 'KES' }),
    passwordCost: TEST_PASSWORD_COST
  })
  if (!opts.signedOut) signedIn(core)
  return { core, dataDir, clock }
}

export const PROFILE = {
  name: 'Umoja Savings Cooperative',
  address: 'P.O. Box 100, Nairobi',
  currency: 'KES',
  timeZone: 'Africa/Nairobi',
  locale: 'en-KE'
}

/** Unwraps an envelope, failing the test with the error if it is not ok. */
export function value<T = unknown>(env: { ok: true; value: unknown } | { ok: false; error: unknown }): T {
  if (!env.ok) throw new Error(`expected ok, got ${JSON.stringify(env.error)}`)
  return env.value as T
}
