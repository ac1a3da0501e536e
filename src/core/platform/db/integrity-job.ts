import type { JobDefinition } from '../jobs/types'
import { throwIfAborted } from '../jobs/types'
import { countOf } from '../../../shared/words'
import { describeBreak, verifyChain } from '../audit/trail'

/**
 * Weekly: SQLite's integrity_check and foreign_key_check, then the audit
 * trail's hash chain. A problem fails the run, which alerts the staff.
 */
export const integrityJob: JobDefinition = {
  id: 'integrity',
  title: 'Integrity check',
  description: 'Checks the data file for damage, for broken links between records, and that the audit trail was not changed.',
  defaultCron: '0 3 * * 0',
  catchUp: 'once',
  timeLimitMs: 30 * 60_000,
  retry: { maxAttempts: 1, baseDelayMs: 0, factor: 1, maxDelayMs: 0 },
  supportsForce: false,
  thread: 'worker',
  run(ctx) {
    ctx.progress(0, 3, 'Checking the file structure')
    const integrity = (ctx.sqlite.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .filter((m) => m !== 'ok')
    throwIfAborted(ctx.signal)
    ctx.progress(1, 3, 'Checking links between records')
    const fk = ctx.sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
    throwIfAborted(ctx.signal)
    ctx.progress(2, 3, 'Checking the audit trail')
    const chain = verifyChain(ctx.sqlite, () => throwIfAborted(ctx.signal))
    ctx.progress(3, 3, null)
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
    // Shown on the run's page as "File structure: No damage", "Links between records: None broken".
    return {
      summary: 'No problems found.',
      details: { fileStructure: 'No damage', linksBetweenRecords: 'None broken', auditTrail: `${countOf(chain.checked, { one: 'row checks out', other: 'rows check out' }, ctx.locale)}` }
    }
  }
}
