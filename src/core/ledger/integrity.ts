/**
 * The summaries' check in people's words: the buckets that differ from the
 * journal with their accounts' codes and names (`ledger.checkSummaries`, and
 * so `coffer summaries check`), and the check the weekly integrity job runs
 * for the ledger (its module's `integrityChecks`).
 */
import type { Sqlite } from '../platform/db/open'
import type { IntegrityCheck } from '../platform/db/integrity-job'
import type { MemberProduct, SummariesCheck } from '../../shared/contract/ledger'
import { countOf, formatDate } from '../../shared/words'
import { MODE_NAMES, checkSummaries, type BucketRow } from './summaries'

/** The differences listed in one answer; `differing` counts them all. */
export const MAX_LISTED_DIFFERENCES = 10_000

const SUFFIX: Record<MemberProduct, string> = { savings: 'SAV', shares: 'SHR' }
const MODE_ORDER = { d: 0, w: 1, m: 2 } as const

type Difference = SummariesCheck['differences'][number]

/** Recomputes every bucket from the journal (writing nothing) and names the accounts of those that differ. */
export function summariesCheck(sqlite: Sqlite): SummariesCheck {
  const { buckets, differences } = checkSummaries(sqlite)
  const accounts = new Map(
    (sqlite.prepare('SELECT id, code, name FROM ledger_accounts').all() as { id: number; code: string; name: string }[]).map((a) => [a.id, a])
  )
  const listed = differences.slice(0, MAX_LISTED_DIFFERENCES)
  const memberIds = [...new Set(listed.map((d) => d.member_account_id).filter((id) => id !== 0))]
  const members = new Map(
    (
      sqlite
        .prepare(
          `SELECT ma.id, ma.product, m.member_no, m.full_name FROM member_accounts ma JOIN members m ON m.id = ma.member_id
           WHERE ma.id IN (SELECT value FROM json_each(?))`
        )
        .all(JSON.stringify(memberIds)) as { id: number; product: MemberProduct; member_no: string; full_name: string }[]
    ).map((m) => [m.id, m])
  )
  const totals = (d: number | null, c: number | null, n: number | null) =>
    d === null || c === null || n === null ? null : { debitMinor: d, creditMinor: c, count: n }
  const rows: (Difference & { order: number })[] = listed.map((r: BucketRow) => {
    const a = accounts.get(r.account_id)
    const m = r.member_account_id === 0 ? undefined : members.get(r.member_account_id)
    return {
      order: MODE_ORDER[r.mode],
      mode: MODE_NAMES[r.mode],
      bucket: r.bucket,
      accountId: r.account_id,
      // A bucket of an account that no longer exists is itself a difference worth naming.
      accountCode: a?.code ?? `#${r.account_id}`,
      accountName: a?.name ?? 'an account that does not exist',
      memberAccountId: r.member_account_id === 0 ? null : r.member_account_id,
      memberAccountNumber: r.member_account_id === 0 ? null : m ? `${m.member_no}-${SUFFIX[m.product]}` : `#${r.member_account_id}`,
      memberName: m?.full_name ?? null,
      kept: totals(r.kd, r.kc, r.kn),
      journal: totals(r.jd, r.jc, r.jn)
    }
  })
  rows.sort(
    (x, y) =>
      x.order - y.order ||
      x.accountCode.localeCompare(y.accountCode, 'en', { numeric: true }) ||
      (x.memberAccountId ?? 0) - (y.memberAccountId ?? 0) ||
      (x.bucket < y.bucket ? -1 : x.bucket > y.bucket ? 1 : 0)
  )
  return { buckets, differences: rows.map(({ order: _order, ...d }) => d), differing: differences.length }
}

/** "daily bucket of 4 Mar 2026", "week of 2 Mar 2026", "March 2026" */
function bucketWords(d: Difference, locale: string): string {
  if (d.mode === 'daily') return formatDate(d.bucket, locale)
  if (d.mode === 'weekly') return `the week of ${formatDate(d.bucket, locale)}`
  const [y, m] = d.bucket.split('-').map(Number) as [number, number]
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1))
}

/** What differs in a bucket, without amounts (the job knows no currency; `coffer summaries check` prints them). */
function whatDiffers(d: Difference): string {
  if (d.kept === null) return 'missing'
  if (d.journal === null) return 'kept, with no journal line in it'
  const parts = [
    d.kept.debitMinor !== d.journal.debitMinor ? 'debits' : null,
    d.kept.creditMinor !== d.journal.creditMinor ? 'credits' : null,
    d.kept.count !== d.journal.count ? 'line count' : null
  ].filter((p): p is string => p !== null)
  return `${parts.join(', ')} differ`
}

/** The ledger's part of the weekly integrity job: the kept summaries against a recomputation from the journal. */
export const summariesIntegrityCheck: IntegrityCheck = {
  key: 'ledgerSummaries',
  title: 'Checking the ledger summaries against the journal',
  run(ctx) {
    const check = summariesCheck(ctx.sqlite)
    if (check.differing === 0) {
      return { problem: null, detail: `${countOf(check.buckets, { one: 'bucket matches', other: 'buckets match' }, ctx.locale)} the journal` }
    }
    const shown = check.differences.slice(0, 5).map((d) => {
      const who = d.memberAccountNumber ? ` ${d.memberAccountNumber}${d.memberName ? ` (${d.memberName})` : ''}` : ''
      return `${d.accountCode} ${d.accountName}${who}, ${bucketWords(d, ctx.locale)}: ${whatDiffers(d)}`
    })
    const rest = check.differing - shown.length
    return {
      problem:
        `The ledger summaries differ from the journal in ${countOf(check.differing, { one: 'bucket', other: 'buckets' }, ctx.locale)}: ${shown.join('; ')}` +
        `${rest > 0 ? `; and ${countOf(rest, { one: 'more', other: 'more' }, ctx.locale)}` : ''}. ` +
        'The dashboard and balances read these totals; the journal itself is the record. ' +
        'Run coffer summaries check to see the amounts, then coffer summaries rebuild to recompute them from the journal.'
    }
  }
}
