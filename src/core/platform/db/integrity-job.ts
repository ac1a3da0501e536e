import type { JobContext, JobDefinition } from '../jobs/types'
import { throwIfAborted } from '../jobs/types'
import { countOf } from '../../../shared/words'
import { describeBreak, verifyChain } from '../audit/trail'

/**
 * A check an area adds to the weekly integrity job, through its module's
 * `integrityChecks` (platform/module.ts): platform runs it without knowing
 * the area (the ledger's: its summaries against the journal). It runs on the
 * job's connection, in the job's thread; it reads and writes nothing of the
 * book.
 */
export interface IntegrityCheck {
  /** The key of its line in the run's details (shown as words on the run's page): "ledgerSummaries". */
  key: string
  /** The progress note while it runs: "Checking the ledger's summaries". */
  title: string
  /**
   * `problem`: what is wrong and what to do, in the app's words (it becomes
   * the failed run's error and the staff's notification); `detail`: the
   * line shown when all is well.
   */
  run(ctx: JobContext): { problem: null; detail: string } | { problem: string }
}

/**
 * Weekly: SQLite's integrity_check and foreign_key_check, the audit trail's
 * hash chain, then each area's own checks. A problem fails the run, which
 * alerts the staff. modules.ts builds it with every module's checks.
 */
export function makeIntegrityJob(checks: readonly IntegrityCheck[]): JobDefinition {
  return {
    id: 'integrity',
    title: 'Integrity check',
    description: `Checks the data file for damage, for broken links between records, that the audit trail was not changed${checks.length ? ', and that derived totals match what they are derived from' : ''}.`,
    defaultCron: '0 3 * * 0',
    catchUp: 'once',
    timeLimitMs: 30 * 60_000,
    retry: { maxAttempts: 1, baseDelayMs: 0, factor: 1, maxDelayMs: 0 },
    supportsForce: false,
    thread: 'worker',
    run(ctx) {
      const steps = 3 + checks.length
      ctx.progress(0, steps, 'Checking the file structure')
      const integrity = (ctx.sqlite.pragma('integrity_check') as { integrity_check: string }[])
        .map((r) => r.integrity_check)
        .filter((m) => m !== 'ok')
      throwIfAborted(ctx.signal)
      ctx.progress(1, steps, 'Checking links between records')
      const fk = ctx.sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
      throwIfAborted(ctx.signal)
      ctx.progress(2, steps, 'Checking the audit trail')
      const chain = verifyChain(ctx.sqlite, () => throwIfAborted(ctx.signal))
      throwIfAborted(ctx.signal)
      if (chain.brokenAt) {
        throw new Error(
          `${describeBreak(chain.brokenAt)} Someone changed the data file outside Coffer. Keep the file as it is for the auditor, and contact support.`
        )
      }
      if (integrity.length > 0 || fk.length > 0) {
        const lines = [
          ...integrity.slice(0, 5),
          ...fk.slice(0, 5).map((r) => `${r.table} row ${r.rowid} points to a missing ${r.parent} record`)
        ]
        throw new Error(
          `The data file has ${countOf(integrity.length + fk.length, { one: 'problem', other: 'problems' }, ctx.locale)}: ${lines.join('; ')}. Restore the latest good backup from Settings, or contact support.`
        )
      }
      // The areas' checks, on a file that is sound: each says what it found.
      const details: Record<string, string> = {}
      const problems: string[] = []
      checks.forEach((check, i) => {
        ctx.progress(3 + i, steps, check.title)
        const r = check.run(ctx)
        throwIfAborted(ctx.signal)
        if (r.problem !== null) problems.push(r.problem)
        else details[check.key] = r.detail
      })
      ctx.progress(steps, steps, null)
      if (problems.length > 0) throw new Error(problems.join(' '))
      // Shown on the run's page as "File structure: No damage", "Links between records: None broken".
      return {
        summary: 'No problems found.',
        details: {
          fileStructure: 'No damage',
          linksBetweenRecords: 'None broken',
          auditTrail: `${countOf(chain.checked, { one: 'row checks out', other: 'rows check out' }, ctx.locale)}`,
          ...details
        }
      }
    }
  }
}
