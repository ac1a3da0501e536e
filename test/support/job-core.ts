import path from 'node:path'
import { TEST_PASSWORD_COST, signedIn } from './operators'
import { ManualClock, openCore, type Core } from '../../src/core'
import { MIGRATIONS, PROFILE, quietLogger, tempDir, value } from './temp-core'
import { jobs } from './test-jobs'

export const TEST_JOBS_MODULE = path.resolve(__dirname, 'test-jobs.ts')

export interface JobCoreOptions {
  dataDir?: string
  clock?: ManualClock
  timeZone?: string
  /** Records every backoff wait the engine asks for, and returns at once. */
  waits?: number[]
  /** The engine's wait between attempts, when a test wants to hold it. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

/** A real core with the test jobs, on a temp folder, with a saved profile. */
export async function jobCore(o: JobCoreOptions = {}): Promise<{ core: Core; dataDir: string; clock: ManualClock }> {
  const dataDir = o.dataDir ?? tempDir()
  const clock = o.clock ?? new ManualClock('2026-02-20T08:00:00Z')
  const core = openCore({
    dataDir,
    migrationsFolder: MIGRATIONS,
    version: 'test',
    clock,
    log: quietLogger,
    processKind: 'test',
    extraJobs: { definitions: jobs, modulePath: TEST_JOBS_MODULE },
    passwordCost: TEST_PASSWORD_COST,
    jobSleep:
      o.sleep ??
      (async (ms) => {
        o.waits?.push(ms)
      })
  })
  signedIn(core)
  // Ada's sign-in is done (or its failure shown) before the test goes on.
  if (core.status.state === 'ready') value(await core.invoke('auth.status', {}))
  if (core.status.state === 'ready' && core.status.needsProfile) {
    value(await core.invoke('profile.save', { ...PROFILE, timeZone: o.timeZone ?? PROFILE.timeZone }))
  }
  return { core, dataDir, clock }
}
