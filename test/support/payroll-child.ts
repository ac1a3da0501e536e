/**
 * A process that runs payroll on a book until it is killed (the payroll kill
 * test, test/integration/payroll-kill.test.ts): opens the core on the data
 * folder at the instant given, prints `READY`, runs payroll.run for the
 * period through the engine (jobs on this thread, as the tests run them),
 * printing `PROGRESS <done> <total>` as the engine announces it, and
 * `DONE <outcome> <made> <kept>` if it finishes before the kill.
 *
 *   payroll-child.ts <dataDir> <instant> <periodId>
 */
import { ManualClock } from '../../src/core'
import type { PayrollRunReport } from '../../src/shared/contract/payroll'
import { openPayrollCore } from './payroll'

const say = (line: string) => process.stdout.write(`${line}\n`)

async function main() {
  const [dataDir, instant, periodId] = process.argv.slice(2)
  if (!dataDir || !instant || !periodId) throw new Error('usage: payroll-child <dataDir> <instant> <periodId>')
  const core = openPayrollCore(dataDir, new ManualClock(instant))
  const st = await core.invoke('auth.status', {})
  if (!st.ok) throw new Error(st.error.message)
  core.onEvent((event, payload) => {
    if (event !== 'jobs.runUpdated') return
    const run = payload as { jobId: string; status: string; progress: { done: number; total: number | null } }
    if (run.jobId === 'payroll' && run.status === 'running' && run.progress.done > 0) say(`PROGRESS ${run.progress.done} ${run.progress.total ?? 0}`)
  })
  say('READY')
  const r = await core.invoke('payroll.run', { periodId: Number(periodId) })
  if (!r.ok) throw new Error(`payroll.run: ${r.error.message}`)
  const p = (r.value as PayrollRunReport).periods[0]
  say(`DONE ${p?.outcome} ${p?.made} ${p?.kept}`)
  await core.shutdown()
}

main().catch((e: unknown) => {
  say(`ERROR ${e instanceof Error ? e.stack : String(e)}`)
  process.exit(2)
})
