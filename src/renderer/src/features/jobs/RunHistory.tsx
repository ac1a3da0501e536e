import { useState } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import { RunStatus, type Job, type JobRun } from '../../../../shared/contract'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { DataTable, type Column } from '../../ui/DataTable'
import { Button } from '../../ui/Button'
import { fmtCount, fmtDuration, fmtInstant } from '../../platform/format'
import { runStatusLabel, runTriggerLabel } from './labels'
import { RunProgress } from './RunProgress'
import { RunStatusBadge } from './RunStatusBadge'
import { useRunHistory, type HistoryFilter } from './useRunHistory'

/** Statuses offered by the filter: whatever the contract's RunStatus allows, in its order. */
const STATUS_FILTERS = RunStatus.options

/** Every run of every job (or of one job, or in one status), newest first, live. */
export function RunHistory({ jobs }: { jobs: Job[] }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const [filter, setFilter] = useState<HistoryFilter>({ jobId: null, status: null })
  const history = useRunHistory(filter)
  const open = (run: JobRun) => navigate(`/jobs/runs/${run.id}`)
  const { locale, timeZone } = profile
  const columns: Array<Column<JobRun>> = [
    { id: 'job', header: 'Job', cellClassName: 'cell-primary', cell: (run) => run.jobTitle },
    {
      id: 'trigger',
      header: 'Trigger',
      cell: (run) => (
        <>
          {runTriggerLabel(run.trigger)}
          {run.force ? <span className="tag">force</span> : null}
        </>
      )
    },
    {
      id: 'scheduledFor',
      header: 'Scheduled for',
      cellClassName: 'tnum',
      cell: (run) => (run.scheduledFor ? fmtInstant(run.scheduledFor, locale, timeZone) : <span className="muted">—</span>)
    },
    {
      id: 'started',
      header: 'Started',
      cellClassName: 'tnum',
      cell: (run) => (
        <Link to={`/jobs/runs/${run.id}`} className="row-link" title="Open this run">
          {fmtInstant(run.startedAt, locale, timeZone, { seconds: true })}
        </Link>
      )
    },
    {
      id: 'duration',
      header: 'Duration',
      className: 'num',
      cell: (run) => (run.durationMs !== null ? fmtDuration(run.durationMs, locale) : <span className="muted">—</span>)
    },
    { id: 'status', header: 'Status', cell: (run) => <RunStatusBadge status={run.status} /> },
    { id: 'attempt', header: 'Attempt', className: 'num', cell: (run) => run.attempt },
    { id: 'result', header: 'Result', className: 'col-result', cell: (run) => <RunResult run={run} /> }
  ]

  return (
    <section className="run-history-section" aria-labelledby="run-history-title">
      <div className="section-head">
        <h2 className="section-title" id="run-history-title">
          Run history
        </h2>
        <div className="toolbar toolbar-compact">
          <label className="toolbar-field">
            <span className="toolbar-label">Job</span>
            <select
              className="select"
              value={filter.jobId ?? ''}
              onChange={(e) => setFilter((f) => ({ ...f, jobId: e.target.value || null }))}
            >
              <option value="">All jobs</option>
              {jobs.map((j) => (
                <option key={j.id} value={j.id}>
                  {j.title}
                </option>
              ))}
              {filter.jobId && !jobs.some((j) => j.id === filter.jobId) ? (
                <option value={filter.jobId}>{filter.jobId}</option>
              ) : null}
            </select>
          </label>
          <label className="toolbar-field">
            <span className="toolbar-label">Status</span>
            <select
              className="select"
              value={filter.status ?? ''}
              onChange={(e) => {
                const parsed = RunStatus.safeParse(e.target.value)
                setFilter((f) => ({ ...f, status: parsed.success ? parsed.data : null }))
              }}
            >
              <option value="">Any status</option>
              {STATUS_FILTERS.map((s) => (
                <option key={s} value={s}>
                  {runStatusLabel(s)}
                </option>
              ))}
            </select>
          </label>
          <p className="toolbar-count" aria-live="polite" data-testid="history-count">
            {history.loaded ? `${fmtCount(history.total, profile.locale)} run${history.total === 1 ? '' : 's'}` : 'Loading…'}
          </p>
        </div>
      </div>

      {history.error ? (
        <Banner tone="error" title="The run history could not be loaded" className="page-banner">
          {history.error.message}{' '}
          <button type="button" className="link-button" onClick={history.reload}>
            Try again
          </button>
        </Banner>
      ) : null}

      <DataTable
        label="Run history"
        className="run-history-table"
        columns={columns}
        rows={history.rows}
        idAttribute="data-run-id"
        onOpen={open}
        busy={history.loading}
        empty={
          history.loaded
            ? filter.jobId || filter.status
              ? 'No runs match these filters.'
              : 'No runs yet. Jobs run on their schedule, or with Run now.'
            : null
        }
      />

      {history.hasMore || (history.loading && history.rows.length > 0) ? (
        <div className="pager">
          <span className="muted tnum">
            Showing {fmtCount(history.rows.length, profile.locale)} of {fmtCount(history.total, profile.locale)}
          </span>
          <Button onClick={history.loadMore} busy={history.loading} disabled={!history.hasMore}>
            Load more
          </Button>
        </div>
      ) : null}
    </section>
  )
}

/** What a run did: its progress while it runs, then its summary or the first line of its error. */
function RunResult({ run }: { run: JobRun }) {
  if (run.status === 'running') return <RunProgress progress={run.progress} label={`${run.jobTitle} progress`} />
  if (run.result?.summary) {
    return (
      <span className="result-summary" title={run.result.summary}>
        {run.result.summary}
      </span>
    )
  }
  if (run.error) {
    return (
      <span className="result-summary text-danger" title={run.error}>
        {run.error.split('\n', 1)[0]}
      </span>
    )
  }
  return <span className="muted">—</span>
}
