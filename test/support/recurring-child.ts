/**
 * A process that runs the standing-orders job on a book until it is killed
 * (the recurring kill test, test/integration/recurring-kill.test.ts): opens
 * the core on the data folder at the instant given, prints `READY`, runs
 * the job through the engine (jobs on this thread), printing `PROGRESS
 * <done> <total>` as the engine announces it (about every 100 ms), and
 * `DONE <posted>` if it finishes before the kill.
 *
 *   recurring-child.ts <dataDir> <instant>
 */
import { ManualClock } from '../../src/core'
import { openRecurringCore } from './recurring'

const say = (line: string) => process.stdout.write(`${line}\n`)

async function main() {
  const [dataDir, instant] = process.argv.slice(2)
  if (!dataDir || !instant) throw new Error('usage: recurring-child <dataDir> <instant>')
  const core = openRecurringCore(dataDir, new ManualClock(instant))
  const st = await core.invoke('auth.status', {})
  if (!st.ok) throw new Error(st.error.message)
  core.onEvent((event, payload) => {
    if (event !== 'jobs.runUpdated') return
    const run = payload as { jobId: string; status: string; progress: { done: number; total: number | null } }
    if (run.jobId === 'standing-orders' && run.status === 'running' && run.progress.done > 0) say(`PROGRESS ${run.progress.done} ${run.progress.total ?? 0}`)
  })
  say('READY')
  const r = await core.invoke('recurring.runOrders', { dryRun: false })
  if (!r.ok) throw new Error(`recurring.runOrders: ${r.error.message}`)
  say(`DONE ${(r.value as { posted: number }).posted}`)
  await core.shutdown()
}

main().catch((e: unknown) => {
  say(`ERROR ${e instanceof Error ? e.stack : String(e)}`)
  process.exit(2)
})
