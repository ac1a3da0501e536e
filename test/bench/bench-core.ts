/**
 * How every bench opens a core and calls it: the app's way (a ManualClock,
 * Nairobi/KES system defaults, the test password cost), errors loud, and a
 * call that did not answer ok stops the bench.
 */
import { ManualClock, openCore, type Core, type CoreOptions } from '../../src/core'
import { TEST_PASSWORD_COST } from '../support/operators'
import { MIGRATIONS } from '../support/temp-core'

export const BENCH_NOW = '2026-11-22T09:00:00Z'

const logger = {
  error: (m: string, d?: unknown) => console.error(`[core] ${m}`, d ?? ''),
  warn: (m: string, d?: unknown) => console.warn(`[core] ${m}`, d ?? ''),
  info: () => undefined
}

/** A core on the data folder, ready (else the bench stops with its status). */
export function openBenchCore(dataDir: string, opts: Partial<Pick<CoreOptions, 'unguarded' | 'extraJobs' | 'processKind'>> & { now?: string } = {}): Core {
  const { now, ...rest } = opts
  const core = openCore({
    dataDir,
    migrationsFolder: MIGRATIONS,
    version: 'bench',
    clock: new ManualClock(now ?? BENCH_NOW),
    log: logger,
    systemDefaults: () => ({ timeZone: 'Africa/Nairobi', locale: 'en-KE', currency: 'KES' }),
    passwordCost: TEST_PASSWORD_COST,
    ...rest
  })
  if (core.status.state !== 'ready') throw new Error(`core did not start: ${JSON.stringify(core.status)}`)
  return core
}

/** A call's value; a refusal stops the bench, naming the channel. */
export async function callOk<T>(core: Pick<Core, 'invoke'>, channel: string, input?: unknown): Promise<T> {
  const r = await core.invoke(channel, input)
  if (!r.ok) throw new Error(`${channel} failed: ${JSON.stringify(r.error)}`)
  return r.value as T
}
