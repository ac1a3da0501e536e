import { useState } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import { RunStatus, type Job, type JobRun } from '../../../shared/contract'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../ui/Banner'
import { Button } from '../ui/Button'
import { fmtCount, fmtDuration, fmtInstant } from '../lib/format'
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

      <div className="table-wrap">
        <table className="table run-history-table" aria-label="Run history" aria-busy={history.loading || undefined}>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Trigger</th>
              <th scope="col">Scheduled for</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Attempt
              </th>
              <th scope="col" className="col-result">
                Result
              </th>
            </tr>
          </thead>
          <tbody>
            {history.rows.map((run) => (
              <tr
                key={run.id}
                data-run-id={run.id}
                className="is-clickable"
                onClick={(e) => {
                  // The link in the row handles its own clicks (and middle clicks, and keyboard).
                  if ((e.target as HTMLElement).closest('a, button')) return
                  open(run)
                }}
              >
                <td className="cell-primary">{run.jobTitle}</td>
                <td>
                  {runTriggerLabel(run.trigger)}
                  {run.force ? <span className="tag">force</span> : null}
                </td>
                <td className="tnum">
                  {run.scheduledFor ? fmtInstant(run.scheduledFor, profile.locale, profile.timeZone) : <span className="muted">—</span>}
                </td>
                <td className="tnum">
                  <Link to={`/jobs/runs/${run.id}`} className="row-link" title="Open this run">
                    {fmtInstant(run.startedAt, profile.locale, profile.timeZone, { seconds: true })}
                  </Link>
                </td>
                <td className="num">{run.durationMs !== null ? fmtDuration(run.durationMs, profile.locale) : <span className="muted">—</span>}</td>
                <td>
                  <RunStatusBadge status={run.status} />
                </td>
                <td className="num">{run.attempt}</td>
                <td className="col-result">
                  {run.status === 'running' ? (
                    <RunProgress progress={run.progress} label={`${run.jobTitle} progress`} />
                  ) : run.result?.summary ? (
                    <span className="result-summary" title={run.result.summary}>
                      {run.result.summary}
                    </span>
                  ) : run.error ? (
                    <span className="result-summary text-danger" title={run.error}>
                      {run.error.split('\n', 1)[0]}
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {history.loaded && history.rows.length === 0 ? (
          <p className="table-empty muted">
            {filter.jobId || filter.status ? 'No runs match these filters.' : 'No runs yet. Jobs run on their schedule, or with Run now.'}
          </p>
        ) : null}
      </div>

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
