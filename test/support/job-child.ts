/**
 * A second process on the same data folder, as the CLI would be: runs one
 * job and prints what happens. Used by the cross-process tests.
 *   tsx test/support/job-child.ts <dataDir> <jobId>
 */
import path from 'node:path'
import { openCore } from '../../src/core'
import { jobs } from './test-jobs'

async function main() {
  const [dataDir, jobId] = process.argv.slice(2)
  if (!dataDir || !jobId) throw new Error('usage: job-child <dataDir> <jobId>')
  const core = openCore({
    dataDir,
    migrationsFolder: path.resolve(__dirname, '../../drizzle'),
    version: 'child',
    processKind: 'cli',
    log: { error: () => undefined, warn: () => undefined, info: () => undefined },
    extraJobs: { definitions: jobs, modulePath: path.resolve(__dirname, 'test-jobs.ts') }
  })
  core.onEvent((event, payload) => {
    if (event === 'jobs.runUpdated') {
      const run = payload as { status: string; progress: { done: number } }
      if (run.status === 'running' && run.progress.done > 0) process.stdout.write('PROGRESS\n')
    }
  })
  const engine = core.jobs
  if (!engine) throw new Error('core did not start')
  const { run, done } = engine.start(jobId, { trigger: 'cli' })
  process.stdout.write(`STARTED ${run.id}\n`)
  const final = await done
  process.stdout.write(`FINISHED ${final.status}\n`)
  await core.shutdown()
}

main().catch((e: unknown) => {
  process.stdout.write(`ERROR ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(2)
})
