import { useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import { REPORTS, ReportName, type GeneratedReport, type Input } from '../../../../shared/contract'
import { countOf } from '../../../../shared/words'
import { appError, invoke } from '../../platform/api'
import { fmtCount, fmtInstant } from '../../platform/format'
import { useListPage } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { Banner } from '../../ui/Banner'
import { RefreshError } from '../../ui/PageState'
import { Button } from '../../ui/Button'
import { DataTable, type Column } from '../../ui/DataTable'
import { Field } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { Pager } from '../../ui/Pager'
import { Select } from '../../ui/Select'
import { EmailReportModal } from './EmailReportModal'
import { reportKeys } from './queries'
import { FILE_STATE_HINTS, FILE_STATE_WORDS, FORMAT_WORDS, REPORT_ORDER, fileStateBadge, reportSearch, shortHash } from './words'
import './reports.css'

const PAGE_SIZE = 50

const NAME_OPTIONS = [{ value: '', label: 'All reports' }, ...REPORT_ORDER.map((n) => ({ value: n, label: REPORTS[n].title }))]

/** What happened when a row's action was tried, said under its buttons. */
interface RowNote {
  tone: 'problem' | 'ok'
  text: string
}

/**
 * Generated reports: every file Coffer made (exported here or on the
 * command line, or by the weekly and monthly summary jobs), newest first,
 * with its parameters, who made it and when, its rows, the data
 * fingerprint and whether the file is still there unchanged. Open (core
 * checks the file first and says why it will not), Email… and Show on
 * screen again.
 */
export function GeneratedReportsPage() {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const canEmail = useCan('reports.email')
  const canOutbox = useCan('mail.outbox')
  const [params, setParams] = useSearchParams()
  const parsedName = ReportName.safeParse(params.get('report'))
  const name = parsedName.success ? parsedName.data : undefined
  const offsetText = params.get('from') ?? ''
  const offset = /^[0-9]{1,8}$/.test(offsetText) ? Number(offsetText) : 0
  const input: Input<'reports.generated'> = { ...(name ? { name } : {}), offset, limit: PAGE_SIZE }
  const list = useListPage(reportKeys.generatedList(input), 'reports.generated', input)
  const listError = appError(list.error)
  const [notes, setNotes] = useState<Record<number, RowNote>>({})
  const [opening, setOpening] = useState<number | null>(null)
  const [emailing, setEmailing] = useState<GeneratedReport | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const setNote = (id: number, note: RowNote | null) =>
    setNotes((all) => {
      const next = { ...all }
      if (note) next[id] = note
      else delete next[id]
      return next
    })

  const setFilter = (next: { report?: string; from?: number }) => {
    const p = new URLSearchParams()
    const report = next.report ?? name ?? ''
    if (report) p.set('report', report)
    if (next.from) p.set('from', String(next.from))
    setParams(p, { replace: true })
  }

  async function open(r: GeneratedReport) {
    setOpening(r.id)
    setNote(r.id, null)
    const checked = await invoke('reports.file', { id: r.id })
    if (!checked.ok) {
      setOpening(null)
      setNote(r.id, { tone: 'problem', text: checked.error.message })
      // The list's file states may be out of date: ask again.
      list.reload()
      return
    }
    const opened = await invoke('app.openFile', { file: checked.value.file })
    setOpening(null)
    const text = !opened.ok
      ? opened.error.code === 'UNAVAILABLE'
        ? `Opening files needs the Coffer desktop app. The file is at ${checked.value.file}.`
        : opened.error.message
      : opened.value.opened
        ? null
        : 'The file could not be opened: there may be no program for it on this computer.'
    setNote(r.id, text ? { tone: 'problem', text } : null)
  }

  const when = (iso: string) => fmtInstant(iso, profile.locale, profile.timeZone)
  const columns: Array<Column<GeneratedReport>> = [
    {
      id: 'report',
      header: 'Report',
      className: 'generated-col-report',
      title: (r) => r.file,
      cell: (r) => (
        <>
          <div className="cell-primary">{r.title}</div>
          <div className="cell-secondary">{r.subtitle}</div>
          <div className="cell-secondary generated-file selectable" data-testid="generated-file">
            {fileName(r.file)}
          </div>
          {/* Why Open did not open it, under the file's own name (the widest column: a sentence, not a column of words). */}
          {notes[r.id] ? (
            <p className={notes[r.id]!.tone === 'problem' ? 'generated-note generated-note-problem' : 'generated-note'} role="status" data-testid="generated-note">
              {notes[r.id]!.text}
            </p>
          ) : null}
        </>
      )
    },
    { id: 'format', header: 'Format', cellClassName: 'nowrap', cell: (r) => (r.params.certificates ? `${FORMAT_WORDS[r.format]} certificates` : FORMAT_WORDS[r.format]) },
    {
      id: 'made',
      header: 'Made',
      className: 'generated-col-made',
      cell: (r) => (
        <>
          <div className="tnum nowrap">{when(r.madeAt)}</div>
          <div className="cell-secondary">{r.madeBy}</div>
        </>
      )
    },
    { id: 'rows', header: 'Rows', className: 'num', cellClassName: 'tnum', cell: (r) => fmtCount(r.rows, profile.locale) },
    {
      id: 'fingerprint',
      header: 'Data fingerprint',
      title: (r) => `Data fingerprint ${r.fingerprint}\nFile SHA-256 ${r.sha256}`,
      cell: (r) => <code className="mono generated-hash">{shortHash(r.fingerprint, 10)}</code>
    },
    {
      id: 'file',
      header: 'File',
      title: (r) => FILE_STATE_HINTS[r.fileState],
      cell: (r) => (
        <span className={fileStateBadge(r.fileState)} data-testid="file-state" data-state={r.fileState}>
          {FILE_STATE_WORDS[r.fileState]}
        </span>
      )
    },
    {
      id: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'generated-col-actions',
      cell: (r) => (
        <>
          <div className="row-actions">
            <Button small onClick={() => void open(r)} busy={opening === r.id}>
              Open
            </Button>
            {canEmail ? (
              <Button small onClick={() => setEmailing(r)}>
                Email…
              </Button>
            ) : null}
            <Button small onClick={() => navigate(`/reports?${reportSearch({ name: r.name, params: r.params })}`)}>
              Show on screen
            </Button>
          </div>
        </>
      )
    }
  ]

  const total = list.data?.total ?? 0
  return (
    <div className="page page-generated">
      <PageHeader
        title="Generated reports"
        before={
          <Link to="/reports" className="back-link">
            ← Reports
          </Link>
        }
        subtitle="Every report file Coffer made, newest first: who made it, when, from what data, and whether the file is still as it was made."
      />
      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)} className="page-banner">
          <span data-testid="generated-notice">{notice}</span>
          {canOutbox ? (
            <>
              {' '}
              <Link to="/outbox">Open the outbox</Link>
            </>
          ) : null}
        </Banner>
      ) : null}
      <div className="filters" role="search" aria-label="Filter generated reports">
        <Field label="Report" className="generated-filter-report">
          <Select value={name ?? ''} onChange={(e) => setFilter({ report: e.target.value, from: 0 })} options={NAME_OPTIONS} />
        </Field>
        <p className="generated-total muted" aria-live="polite" data-testid="generated-total">
          {list.isSuccess ? countOf(total, { one: 'file', other: 'files' }, profile.locale) : 'Loading…'}
        </p>
      </div>
      {listError ? <RefreshError title="The generated reports could not be loaded" error={listError} onRetry={() => list.reload()} /> : null}
      <DataTable
        label="Generated reports"
        className="generated-table"
        columns={columns}
        rows={list.data?.rows ?? []}
        idAttribute="data-generated-id"
        rowAttributes={(r) => ({ 'data-report': r.name, 'data-format': r.format, 'data-file-state': r.fileState })}
        busy={list.isFetching}
        resetKey={JSON.stringify(input)}
        empty={
          list.isSuccess ? (
            name ? (
              `No ${REPORTS[name].title.toLowerCase()} has been exported yet.`
            ) : (
              <>
                No report has been exported yet. Show one on the <Link to="/reports">Reports</Link> page and export it to Excel or PDF; the weekly and
                monthly summaries appear here by themselves.
              </>
            )
          ) : null
        }
      />
      <Pager offset={offset} pageSize={PAGE_SIZE} total={total} locale={profile.locale} onOffset={(from) => setFilter({ from })} />
      {emailing ? (
        <EmailReportModal
          report={emailing}
          onClose={() => setEmailing(null)}
          onQueued={(_queued, to) => {
            setEmailing(null)
            setNotice(`${emailing.title} is queued to ${to.join(', ')}: the mail job sends it within a minute once email is set up.`)
          }}
        />
      ) : null}
    </div>
  )
}

/** The file's own name from its full path (either slash). */
function fileName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'))
  return i >= 0 ? file.slice(i + 1) : file
}
