/**
 * Reports from the command line (issue 15):
 *
 *   coffer report <name> --from DATE --to DATE [--format xlsx|pdf] [--out FILE]
 *                 [--member MEMBER-NO] [--account CODE] [--series CODE] [--certificates] [--json]
 *
 * The names are the Reports page's (REPORTS). The options are checked before
 * the data folder is opened (reportCheck): a name Coffer does not have (the
 * valid names listed), a date that is not YYYY-MM-DD on the calendar, a
 * format other than xlsx or pdf, a member/account/series for a report that
 * is not per one, an --out file that is already there: exit 2. Then the
 * member number, account code and series code are found through the
 * contract (unknown: exit 2), and the export runs as the app's does: through
 * `reports.export` (the report-export job, recorded as from the command
 * line), waited for by polling `reports.exportStatus`. Without --format the
 * file is Excel, and the output says so.
 *
 * Printed: the file's path, its rows, its data fingerprint and SHA-256;
 * with --out, where it was copied (never over an existing file). --json:
 * the contract's GeneratedReport (with `copiedTo`).
 *
 * Exit codes as the other commands: 0 made; 1 the export ran and failed (or
 * was cancelled); 2 wrong usage; 3 refused (the operator may not, another
 * export is running, the profile is not set up).
 */
import fs from 'node:fs'
import path from 'node:path'
import { REPORTS, ReportName, type Account, type BondSeries, type Envelope, type ExportStatus, type GeneratedReport, type ReportParams } from '../shared/contract'
import { isCalendarDate } from '../shared/dates'
import { UsageError, type Parsed } from './args'
import { CliError, json, unwrap } from './errors'
import { oneLine } from './table'

export interface ReportCaller {
  invoke(channel: string, input?: unknown): Promise<Envelope<unknown>>
}

export interface ReportIo {
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
}

const NAMES = ReportName.options

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[]
      const prev = d[i - 1] as number[]
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
  }
  return (d[a.length] as number[])[b.length] as number
}

function checkDate(option: string, v: string | undefined): void {
  if (v === undefined) throw new UsageError(`coffer report needs ${option} DATE (YYYY-MM-DD, such as 2026-11-30).`)
  if (!isCalendarDate(v)) {
    throw new UsageError(
      /^\d{4}-\d{2}-\d{2}$/.test(v)
        ? `${option} ${v} is not a date on the calendar: give a real day, such as 2026-11-30.`
        : `${option} takes a date as YYYY-MM-DD, such as 2026-11-30, not "${oneLine(v).slice(0, 40)}".`
    )
  }
}

/** The options, checked before the data folder is opened (throws UsageError: exit 2). */
export function reportCheck(o: Parsed): void {
  const name = o.positionals[0] as string
  if (!(NAMES as readonly string[]).includes(name)) {
    const near = NAMES.filter((n) => distance(n, name.toLowerCase()) <= 3)
    throw new UsageError(
      `There is no report called "${oneLine(name).slice(0, 40)}".${near.length > 0 ? ` Did you mean ${near.join(' or ')}?` : ''} The reports: ${NAMES.join(', ')}.`
    )
  }
  const info = REPORTS[name as ReportName]
  checkDate('--from', o.values.get('--from'))
  checkDate('--to', o.values.get('--to'))
  const from = o.values.get('--from') as string
  const to = o.values.get('--to') as string
  if (from > to) throw new UsageError(`--to ${to} is before --from ${from}: the dates run from the earlier to the later.`)
  const format = o.values.get('--format')
  if (format !== undefined && format !== 'xlsx' && format !== 'pdf') throw new UsageError(`--format takes xlsx (Excel) or pdf, not "${oneLine(format).slice(0, 40)}".`)
  const per = { '--member': ['member', 'member'], '--account': ['account', 'account'], '--series': ['series', 'bond series'] } as const
  for (const [option, [key, words]] of Object.entries(per) as [keyof typeof per, (typeof per)[keyof typeof per]][]) {
    const use = info[key]
    if (use === 'refused' && o.values.has(option)) throw new UsageError(`The ${info.title.toLowerCase()} is not per ${words}: leave ${option} out.`)
    if (use === 'required' && !o.values.has(option)) throw new UsageError(`The ${info.title.toLowerCase()} is for one ${words}: give ${option}.`)
  }
  if (o.flags.has('--certificates')) {
    if (!info.certificates) throw new UsageError(`The ${info.title.toLowerCase()} has no certificates: leave --certificates out.`)
    if (format === 'xlsx') throw new UsageError('Certificates are made as PDF only: give --format pdf (or leave --format out).')
  }
  const out = o.values.get('--out')
  if (out !== undefined && fs.existsSync(out)) throw new UsageError(`${out} is already there; Coffer does not write over a file. Give another name, or move that file away first.`)
}

async function memberId(as: ReportCaller, memberNo: string): Promise<number> {
  const page = unwrap<{ rows: { id: number; memberNo: string }[] }>(await as.invoke('members.list', { search: memberNo, status: 'all', limit: 100 }))
  const found = page.rows.find((m) => m.memberNo.toLowerCase() === memberNo.toLowerCase())
  if (!found) throw new CliError(`There is no member numbered ${oneLine(memberNo).slice(0, 40)} in the book.`, 2)
  return found.id
}

async function accountId(as: ReportCaller, code: string): Promise<number> {
  const { accounts } = unwrap<{ accounts: Account[] }>(await as.invoke('ledger.accounts', { includeInactive: true }))
  const found = accounts.find((a) => a.code.toLowerCase() === code.toLowerCase())
  if (!found) throw new CliError(`There is no ledger account with the code ${oneLine(code).slice(0, 40)} (see the chart of accounts).`, 2)
  return found.id
}

async function seriesId(as: ReportCaller, code: string): Promise<number> {
  const series = unwrap<BondSeries[]>(await as.invoke('bonds.listSeries', {}))
  const found = series.find((s) => s.code.toLowerCase() === code.toLowerCase())
  if (!found) throw new CliError(`There is no bond series with the code ${oneLine(code).slice(0, 40)}.`, 2)
  return found.id
}

const POLL_MS = 150
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Makes the report through reports.export, waits for it and prints where the file is. */
export async function reportCommand(as: ReportCaller, o: Parsed, io: ReportIo): Promise<number> {
  const name = o.positionals[0] as ReportName
  const params: ReportParams = { from: o.values.get('--from') as string, to: o.values.get('--to') as string }
  const member = o.values.get('--member')
  const account = o.values.get('--account')
  const series = o.values.get('--series')
  if (member !== undefined) params.memberId = await memberId(as, member)
  if (account !== undefined) params.accountId = await accountId(as, account)
  if (series !== undefined) params.seriesId = await seriesId(as, series)
  if (o.flags.has('--certificates')) params.certificates = true
  const given = o.values.get('--format') as 'xlsx' | 'pdf' | undefined
  const format = given ?? (params.certificates ? 'pdf' : 'xlsx')
  const { runId } = unwrap<{ runId: number }>(await as.invoke('reports.export', { name, params, format }))
  const tty = (io.err as NodeJS.WriteStream).isTTY === true
  let st: ExportStatus
  let shown = ''
  for (;;) {
    st = unwrap<ExportStatus>(await as.invoke('reports.exportStatus', { runId }))
    if (st.status !== 'running') break
    if (tty) {
      const note = `${st.note ?? 'Rows'} ${st.done.toLocaleString('en')}${st.total ? ` of ${st.total.toLocaleString('en')}` : ''}`
      if (note !== shown) io.err.write(`\r\x1b[K  ${note}`)
      shown = note
    }
    await sleep(POLL_MS)
  }
  if (tty && shown) io.err.write('\r\x1b[K')
  if (st.status !== 'succeeded' || !st.generated) throw new CliError(`The ${REPORTS[name].title.toLowerCase()} was not made (${st.status}): ${oneLine(st.error ?? 'see coffer jobs history --job report-export')}`, 1)
  const g: GeneratedReport = st.generated
  const out = o.values.get('--out')
  let copiedTo: string | null = null
  if (out !== undefined) {
    const target = path.resolve(out)
    try {
      fs.copyFileSync(g.file, target, fs.constants.COPYFILE_EXCL)
    } catch (e) {
      const code = (e as { code?: string }).code
      throw new CliError(
        code === 'EEXIST'
          ? `${out} is already there; Coffer does not write over a file. The report is in ${g.file}.`
          : `The report could not be copied to ${out} (${code === 'ENOENT' ? 'no such folder' : code === 'EACCES' || code === 'EPERM' ? 'not allowed to write there' : 'the system refused'}). It is in ${g.file}.`,
        1
      )
    }
    copiedTo = target
  }
  if (o.flags.has('--json')) {
    io.out.write(json({ ...g, copiedTo }))
    return 0
  }
  const what = g.format === 'pdf' ? 'PDF' : 'Excel workbook'
  io.out.write(
    [
      `${g.title} — ${g.subtitle}`,
      given !== undefined ? `Format: ${what}` : params.certificates ? `Format: ${what} (certificates are PDF only)` : `Format: ${what} (the default; --format pdf for a PDF)`,
      `File: ${g.file}`,
      ...(copiedTo ? [`Copied to: ${copiedTo}`] : []),
      `Rows: ${g.rows.toLocaleString('en')}`,
      `Data fingerprint: ${g.fingerprint}`,
      `File SHA-256: ${g.sha256}`,
      ''
    ].join('\n')
  )
  return 0
}
