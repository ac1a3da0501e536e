import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link, useSearchParams } from 'react-router-dom'
import { REPORTS, type ReportFormat, type ReportName, type ReportView } from '../../../../shared/contract'
import { appError, call } from '../../platform/api'
import { fmtInstant } from '../../platform/format'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { PageHeader } from '../../ui/PageHeader'
import { PageLoading } from '../../ui/PageState'
import { ExportDialog } from './ExportDialog'
import { ReportForm } from './ReportForm'
import { ReportTable } from './ReportTable'
import { reportKeys } from './queries'
import { REPORT_ORDER, paramsOf, reportOf, reportSearch, reportVisible, shortHash, shownOf, type ReportRequest } from './words'
import './reports.css'

/**
 * Reports: the catalog on the left; the chosen report's parameters (only
 * those it takes); Show puts it on screen (reports.view: title, subtitle,
 * parameters, each table a page at a time with its exact totals, the data
 * fingerprint); Export to Excel or PDF runs off the window's path with a
 * progress dialog. The report and what was shown live in the address, so
 * Generated reports can show one again.
 */
export function ReportsPage() {
  const [search, setSearch] = useSearchParams()
  const canPayroll = useCan('payroll.register')
  const chosen = reportOf(search)
  const name = chosen && reportVisible(REPORTS[chosen], canPayroll) ? chosen : null
  const shown = name ? shownOf(search) : null
  const visible = REPORT_ORDER.filter((n) => reportVisible(REPORTS[n], canPayroll))

  const input = shown ? { name: shown.name, params: shown.params, offset: 0, limit: 100 } : null
  const view = useQuery({
    queryKey: reportKeys.view(input ?? { name: 'trial-balance', params: { from: '', to: '' }, offset: 0, limit: 100 }),
    queryFn: () => call('reports.view', input!),
    enabled: input !== null
  })

  const choose = (n: ReportName) => setSearch(new URLSearchParams({ report: n }))
  const show = (request: ReportRequest) => {
    const next = reportSearch(request)
    if (next === search.toString()) void view.refetch()
    else setSearch(new URLSearchParams(next))
  }

  return (
    <div className="page page-reports">
      <PageHeader
        title="Reports"
        subtitle="Reports to the board and to members: each opens on screen first, then exports to Excel or PDF."
        actions={<Link to="/reports/generated" className="btn btn-secondary">Generated reports</Link>}
      />
      <div className="reports-top">
        <nav className="reports-catalog" aria-label="Reports">
          <ul>
            {visible.map((n) => (
              <li key={n}>
                <button
                  type="button"
                  className="reports-catalog-item"
                  aria-current={n === name ? 'true' : undefined}
                  data-report={n}
                  onClick={() => choose(n)}
                >
                  {REPORTS[n].title}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="reports-chosen">
          {name ? (
            <>
              <h2 className="reports-chosen-title">{REPORTS[name].title}</h2>
              <p className="reports-chosen-description muted">{REPORTS[name].description}</p>
              <ReportForm
                key={name}
                name={name}
                initial={paramsOf(search)}
                serverError={shown ? view.error : null}
                showing={view.isFetching}
                onShow={show}
              />
            </>
          ) : (
            <div className="empty-state reports-choose">
              <p className="empty-state-title">Choose a report</p>
              <p className="muted">
                Pick one on the left: its dates and what else it takes appear here. Every file exported is kept in{' '}
                <Link to="/reports/generated">Generated reports</Link>.
              </p>
            </div>
          )}
        </div>
      </div>
      {shown ? <ReportResult request={shown} view={view.data ?? null} loading={view.isPending || (view.isFetching && !view.data)} failed={view.isError} error={view.error} /> : null}
    </div>
  )
}

function ReportResult({
  request,
  view,
  loading,
  failed,
  error
}: {
  request: ReportRequest
  view: ReportView | null
  loading: boolean
  failed: boolean
  error: unknown
}) {
  const { profile } = useProfile()
  const canExport = useCan('reports.export')
  const [exporting, setExporting] = useState<ReportFormat | null>(null)
  const problem = appError(error)
  if (failed && !view) {
    // Field messages sit by their fields; a message with none gets a line here too, so the result area is not silent.
    return problem && !problem.fields ? (
      <Banner tone="error" title="The report could not be made" className="page-banner">
        <span data-testid="report-problem">{problem.message}</span>
      </Banner>
    ) : null
  }
  if (loading || !view) return <PageLoading label="Making the report…" />
  const certificates = request.params.certificates === true
  return (
    <article className="report-result" aria-labelledby="report-title" data-testid="report-result" data-report={view.name}>
      <header className="report-head">
        <div className="report-head-titles">
          <h2 className="report-title" id="report-title">
            {view.title}
          </h2>
          <p className="report-subtitle">{view.subtitle}</p>
          {view.parameters.length > 0 ? (
            <p className="report-parameters muted" data-testid="report-parameters">
              {view.parameters.map((p, i) => (
                <span key={p.label}>
                  {i > 0 ? ' · ' : ''}
                  {p.label}: <span className="report-parameter-value">{p.value}</span>
                </span>
              ))}
            </p>
          ) : null}
        </div>
        {canExport ? (
          <div className="report-exports">
            <Button
              onClick={() => setExporting('xlsx')}
              disabled={certificates}
              title={certificates ? 'Certificates are made as PDF only.' : undefined}
            >
              Export to Excel
            </Button>
            <Button onClick={() => setExporting('pdf')}>{certificates ? 'Export certificates to PDF' : 'Export to PDF'}</Button>
          </div>
        ) : null}
      </header>
      {view.tables.map((t) => (
        <ReportTable key={t.key} request={request} table={t} currency={view.currency} locale={profile.locale} showTitle={view.tables.length > 1 || t.title !== view.title} />
      ))}
      <p className="report-fingerprint muted" title={`SHA-256 of the data this report read: ${view.fingerprint}. The same data gives the same fingerprint on screen, in Excel and in PDF.`}>
        Made {fmtInstant(view.madeAt, profile.locale, profile.timeZone, { seconds: true })} · Data fingerprint{' '}
        <code className="mono selectable" data-testid="report-fingerprint">
          {shortHash(view.fingerprint, 12)}
        </code>
      </p>
      {exporting ? <ExportDialog request={request} format={exporting} onClose={() => setExporting(null)} /> : null}
    </article>
  )
}
