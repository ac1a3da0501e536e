/**
 * The ledger from the command line (issue #11):
 *
 *   coffer summaries check [--json]
 *   coffer summaries rebuild [--truncate] [--json]
 *   coffer ledger trial-balance [--as-of DATE] [--json]
 *
 * `summaries check` recomputes every daily, weekly and monthly bucket from
 * the journal without writing (`ledger.checkSummaries`, a read) and lists
 * the buckets that differ; any difference exits EXIT_SUMMARIES_DIFFER.
 * `summaries rebuild` recomputes them and writes the ones that differ, or
 * with --truncate empties the table and writes every bucket, in one
 * transaction (`ledger.rebuildSummaries`, ledger.manage). Both run as the
 * system without --user, like audit verify. Loaded only when one of them
 * runs (money formatting brings decimal.js).
 */
import type { Envelope, SummariesCheck, SummariesRebuild, TrialBalance } from '../shared/contract'
import { formatCalendarDate } from '../shared/dates'
import { formatMoney } from '../shared/money'
import type { Parsed } from './args'
import { CliError, EXIT_SUMMARIES_DIFFER, json, unwrap } from './errors'
import { formatTable } from './table'
import type { Words } from './words'

export interface LedgerCaller {
  invoke(channel: string, input?: unknown): Promise<Envelope<unknown>>
}

/** The cooperative's words and currency, and a sentence saying whose they are. */
export interface BookWords {
  words: Words
  currency: string
  note: string
}

export interface LedgerIo {
  out: NodeJS.WritableStream
}

const MODE_WORDS = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' } as const

/** Amounts in the book's currency without its symbol (the header names it), grouped the locale's way. */
const amount = (minor: number, b: BookWords): string => formatMoney(minor, b.currency, b.words.locale, { display: 'none' })

export async function summariesCheck(as: LedgerCaller, o: Parsed, io: LedgerIo, book: () => Promise<BookWords>): Promise<number> {
  const r = unwrap<SummariesCheck>(await as.invoke('ledger.checkSummaries', {}))
  const asJson = o.flags.has('--json')
  if (asJson) io.out.write(json(r))
  if (r.differing === 0) {
    if (!asJson) {
      const b = await book()
      io.out.write(`The ledger summaries match the journal: ${b.words.count(r.buckets)} ${r.buckets === 1 ? 'bucket' : 'buckets'} checked.\n`)
    }
    return 0
  }
  const b = await book()
  if (!asJson) {
    const side = (t: { debitMinor: number; creditMinor: number; count: number } | null, k: 'debitMinor' | 'creditMinor' | 'count') =>
      t === null ? '—' : k === 'count' ? b.words.count(t.count) : amount(t[k], b)
    type D = SummariesCheck['differences'][number]
    const table = formatTable<D>(
      [
        { header: 'Mode', cell: (d) => MODE_WORDS[d.mode] },
        { header: 'Bucket', cell: (d) => formatCalendarDate(d.bucket, b.words.locale) },
        { header: 'Account', cell: (d) => `${d.accountCode} ${d.accountName}` },
        { header: 'Member account', cell: (d) => (d.memberAccountNumber ? `${d.memberAccountNumber}${d.memberName ? ` ${d.memberName}` : ''}` : '') },
        { header: `Kept debit (${b.currency})`, cell: (d) => side(d.kept, 'debitMinor'), align: 'right' },
        { header: 'Kept credit', cell: (d) => side(d.kept, 'creditMinor'), align: 'right' },
        { header: 'Kept lines', cell: (d) => side(d.kept, 'count'), align: 'right' },
        { header: 'Journal debit', cell: (d) => side(d.journal, 'debitMinor'), align: 'right' },
        { header: 'Journal credit', cell: (d) => side(d.journal, 'creditMinor'), align: 'right' },
        { header: 'Journal lines', cell: (d) => side(d.journal, 'count'), align: 'right' }
      ],
      r.differences
    )
    const unlisted = r.differing - r.differences.length
    io.out.write(
      `${table}\n${unlisted > 0 ? `And ${b.words.count(unlisted)} more not listed. ` : ''}A bucket's first day is shown (the Monday of a week, the 1st of a month); — means missing.\n`
    )
  }
  const buckets = (n: number) => `${b.words.count(n)} ${n === 1 ? 'bucket' : 'buckets'}`
  throw new CliError(
    `The ledger summaries differ from the journal in ${b.words.count(r.differing)} of ${buckets(r.buckets)}. ` +
      'The journal is the record and is not affected: coffer summaries rebuild recomputes the summaries from it.',
    EXIT_SUMMARIES_DIFFER
  )
}

export async function summariesRebuild(as: LedgerCaller, o: Parsed, io: LedgerIo, book: () => Promise<BookWords>): Promise<number> {
  const truncate = o.flags.has('--truncate')
  const t0 = process.hrtime.bigint()
  const r = unwrap<SummariesRebuild>(await as.invoke('ledger.rebuildSummaries', { truncate }))
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  const linesPerSecond = ms > 0 ? Math.round((r.lines * 1000) / ms) : null
  if (o.flags.has('--json')) {
    io.out.write(json({ ...r, truncate, durationMs: Math.round(ms), linesPerSecond }))
    return 0
  }
  const { words } = await book()
  const n = (x: number, one: string, many: string) => `${words.count(x)} ${x === 1 ? one : many}`
  const what = truncate
    ? `emptied the summaries (${n(r.removed, 'bucket', 'buckets')} removed) and wrote all ${n(r.written, 'bucket', 'buckets')}`
    : r.written === 0 && r.removed === 0
      ? `all ${n(r.buckets, 'bucket', 'buckets')} already matched; nothing was written`
      : `${n(r.buckets, 'bucket', 'buckets')}: ${words.count(r.written)} written (missing or wrong), ${words.count(r.removed)} removed (no journal line in them)`
  const rate = linesPerSecond === null ? '' : `, ${words.count(linesPerSecond)} lines a second`
  io.out.write(`Rebuilt the ledger summaries from ${n(r.lines, 'journal line', 'journal lines')} in ${words.duration(ms)}${rate}: ${what}.\n`)
  return 0
}

export async function trialBalance(as: LedgerCaller, o: Parsed, io: LedgerIo, book: () => Promise<BookWords>): Promise<number> {
  const asOf = o.values.get('--as-of')
  const tb = unwrap<TrialBalance>(await as.invoke('ledger.trialBalance', asOf === undefined ? {} : { asOf }))
  const asJson = o.flags.has('--json')
  const balanced = tb.totalDebitMinor === tb.totalCreditMinor
  const b = asJson && balanced ? null : await book()
  if (asJson) io.out.write(json(tb))
  else if (b) {
    const date = formatCalendarDate(tb.asOf, b.words.locale)
    if (tb.rows.length === 0) {
      io.out.write(`Trial balance as of ${date}: no account has a balance (nothing is posted on or before that day).\n`)
    } else {
      type Row = { code: string; name: string; debit: string; credit: string }
      const rows: Row[] = tb.rows.map((r) => ({
        code: r.code,
        name: r.name,
        debit: r.debitMinor ? amount(r.debitMinor, b) : '',
        credit: r.creditMinor ? amount(r.creditMinor, b) : ''
      }))
      rows.push({ code: '', name: 'Total', debit: amount(tb.totalDebitMinor, b), credit: amount(tb.totalCreditMinor, b) })
      const table = formatTable<Row>(
        [
          { header: 'Code', cell: (r) => r.code },
          { header: 'Account', cell: (r) => r.name },
          { header: `Debit (${b.currency})`, cell: (r) => r.debit, align: 'right' },
          { header: `Credit (${b.currency})`, cell: (r) => r.credit, align: 'right' }
        ],
        rows
      )
      io.out.write(`Trial balance as of ${date}\n${table}\n${balanced ? 'Debits equal credits. ' : ''}${b.note}\n`)
    }
  }
  if (!balanced && b) {
    const diff = Math.abs(tb.totalDebitMinor - tb.totalCreditMinor)
    throw new CliError(
      `Debits and credits differ by ${formatMoney(diff, b.currency, b.words.locale)}: the summaries do not match the journal. Run coffer summaries check.`,
      EXIT_SUMMARIES_DIFFER
    )
  }
  return 0
}
