import { REPORTS, ReportName, type GeneratedReport, type ReportFormat, type ReportInfo, type ReportParams } from '../../../../shared/contract'
import { addDays, addMonths, endOfMonth, isCalendarDate, startOfIsoWeek, startOfMonth } from '../../../../shared/dates'

/** The reports in the order the Reports page lists them: the catalog's own (summaries, registers, statements, ledger, bonds). */
export const REPORT_ORDER: readonly ReportName[] = ReportName.options

export const FORMAT_WORDS: Record<ReportFormat, string> = { xlsx: 'Excel', pdf: 'PDF' }

export const FILE_STATE_WORDS: Record<GeneratedReport['fileState'], string> = {
  ok: 'Saved',
  missing: 'File missing',
  changed: 'Changed since made'
}

export const FILE_STATE_HINTS: Record<GeneratedReport['fileState'], string> = {
  ok: 'The file is where Coffer saved it, exactly as it was made.',
  missing: 'The file is no longer where Coffer saved it: it was moved or deleted.',
  changed: 'The file was changed after Coffer made it (its SHA-256 differs): Coffer will not open or send it.'
}

export const fileStateBadge = (state: GeneratedReport['fileState']): string =>
  state === 'ok' ? 'badge badge-active' : 'badge report-badge-bad'

/** The From–To a report proposes, relative to today (YYYY-MM-DD in the cooperative's zone). */
export function defaultRange(range: ReportInfo['defaultRange'], today: string): { from: string; to: string } {
  if (!isCalendarDate(today)) return { from: '', to: '' }
  switch (range) {
    case 'last-month': {
      const first = startOfMonth(addMonths(startOfMonth(today), -1))
      return { from: first, to: endOfMonth(first) }
    }
    case 'last-week': {
      const monday = addDays(startOfIsoWeek(today), -7)
      return { from: monday, to: addDays(monday, 6) }
    }
    case 'year-to-date':
      return { from: `${today.slice(0, 4)}-01-01`, to: today }
    case 'last-year': {
      const year = String(Number(today.slice(0, 4)) - 1).padStart(4, '0')
      return { from: `${year}-01-01`, to: `${year}-12-31` }
    }
  }
}

/** The words for where the default range comes from, under the dates. */
export const RANGE_WORDS: Record<ReportInfo['defaultRange'], string> = {
  'last-month': 'Proposed: last month.',
  'last-week': 'Proposed: last week (Monday to Sunday).',
  'year-to-date': 'Proposed: this year so far.',
  'last-year': 'Proposed: last year.'
}

/** A report asked for: its name and parameters, as the address keeps it. */
export interface ReportRequest {
  name: ReportName
  params: ReportParams
}

const idText = (v: string | null): number | undefined => (v !== null && /^[1-9][0-9]{0,15}$/.test(v) ? Number(v) : undefined)

/** The report the address names (`?report=`), or null. */
export function reportOf(search: URLSearchParams): ReportName | null {
  const r = ReportName.safeParse(search.get('report'))
  return r.success ? r.data : null
}

/** The parameters the address holds for a report (whatever it takes; core checks them). */
export function paramsOf(search: URLSearchParams): Partial<ReportParams> {
  const from = search.get('from')
  const to = search.get('to')
  const memberId = idText(search.get('member'))
  const accountId = idText(search.get('account'))
  const seriesId = idText(search.get('series'))
  return {
    // As written: a date that is not one is refused by core next to its field, never cut to look like one.
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(memberId ? { memberId } : {}),
    ...(accountId ? { accountId } : {}),
    ...(seriesId ? { seriesId } : {}),
    ...(search.get('certificates') === '1' ? { certificates: true } : {})
  }
}

/** The report shown on screen (`show=1` with its dates), or null. */
export function shownOf(search: URLSearchParams): ReportRequest | null {
  const name = reportOf(search)
  if (!name || search.get('show') !== '1') return null
  const p = paramsOf(search)
  return { name, params: { ...p, from: p.from ?? '', to: p.to ?? '' } }
}

/** The address of a report on screen: /reports?report=…&from=…&to=…&show=1. */
export function reportSearch(request: ReportRequest, show = true): string {
  const s = new URLSearchParams()
  s.set('report', request.name)
  const p = request.params
  if (p.from) s.set('from', p.from)
  if (p.to) s.set('to', p.to)
  if (p.memberId) s.set('member', String(p.memberId))
  if (p.accountId) s.set('account', String(p.accountId))
  if (p.seriesId) s.set('series', String(p.seriesId))
  if (p.certificates) s.set('certificates', '1')
  if (show) s.set('show', '1')
  return s.toString()
}

/** Whether a report is in the catalog an operator sees (payroll figures need payroll access). */
export const reportVisible = (info: ReportInfo, canPayroll: boolean): boolean => info.permission === 'read' || canPayroll

export const reportTitle = (name: ReportName): string => REPORTS[name].title

/** The first characters of a fingerprint or SHA-256, for a list ("3f2a9c1d…"). */
export const shortHash = (hash: string, n = 10): string => (hash.length > n ? `${hash.slice(0, n)}…` : hash)

/** Addresses typed one per line or separated by commas (or semicolons): each trimmed, blanks dropped. */
export function splitAddresses(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((a) => a.trim())
    .filter((a) => a !== '')
}
