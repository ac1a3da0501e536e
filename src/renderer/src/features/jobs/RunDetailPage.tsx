import { useState, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import type { JobRun } from '../../../../shared/contract'
import { call, invoke } from '../../platform/api'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { useNow } from '../../platform/useNow'
import { fmtCount, fmtDuration, fmtInstant } from '../../platform/format'
import { parseId } from '../members/ids'
import { isRunning, runTriggerLabel } from './labels'
import { RunProgress } from './RunProgress'
import { jobKeys } from './queries'
import { RunStatusBadge } from './RunStatusBadge'
import { useCan } from '../auth/useCan'

/** One run of a job (#/jobs/runs/:id): when, how, what it did or what went wrong. Live while it runs. */
export function RunDetailPage() {
  const params = useParams()
  const id = parseId(params.id)
  if (id === null) {
    return (
      <PageError error={new Error('There is no run at this address.')} title="Not found">
        <BackToJobs />
      </PageError>
    )
  }
  return <RunDetailLoader key={id} id={id} />
}

function RunDetailLoader({ id }: { id: number }) {
  // Live while it runs: jobs.runUpdated puts the run's news in this query (app/invalidation.ts).
  const loaded = useQuery({ queryKey: jobKeys.run(id), queryFn: () => call('jobs.getRun', { runId: id }) })
  if (loaded.isError && !loaded.data) {
    return (
      <PageError error={loaded.error} onRetry={() => void loaded.refetch()}>
        <BackToJobs />
      </PageError>
    )
  }
  if (!loaded.data) return <PageLoading />
  return <RunDetailView run={loaded.data} />
}

function BackToJobs() {
  const navigate = useNavigate()
  return <Button onClick={() => navigate('/jobs')}>Go to Jobs</Button>
}

function RunDetailView({ run }: { run: JobRun }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const running = isRunning(run)
  const now = useNow(running ? 1000 : 60_000)
  const [cancelling, setCancelling] = useState(false)
  const canCancel = useCan('jobs.cancel')
  const [error, setError] = useState<string | null>(null)
  const at = (iso: string | null) => (iso ? fmtInstant(iso, profile.locale, profile.timeZone, { seconds: true }) : null)
  const elapsed = running ? Math.max(0, now - Date.parse(run.startedAt)) : null

  async function cancel() {
    setCancelling(true)
    setError(null)
    const r = await invoke('jobs.cancel', { runId: run.id })
    if (!r.ok) {
      setCancelling(false)
      setError(r.error.message)
    } else if (!r.value.cancelling) {
      setCancelling(false)
    }
  }

  const details = run.result?.details ? Object.entries(run.result.details) : []

  return (
    <div className="page page-detail page-run">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={() => navigate('/jobs')}>
            ← Jobs
          </button>
        }
        title={`${run.jobTitle}: run ${run.id}`}
        subtitle={
          <span className="detail-subtitle">
            <RunStatusBadge status={run.status} />
            <span className="tnum">{at(run.startedAt)}</span>
          </span>
        }
        actions={
          running && canCancel ? (
            <Button variant="danger" busy={cancelling} onClick={() => void cancel()}>
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </Button>
          ) : null
        }
      />

      {error ? (
        <Banner tone="error" onDismiss={() => setError(null)}>
          {error}
        </Banner>
      ) : null}

      {running ? (
        <section className="panel run-live" aria-label="Progress">
          <RunProgress progress={run.progress} label={`${run.jobTitle} progress`} />
        </section>
      ) : null}

      <div className="detail-columns">
        <section className="panel" aria-labelledby="run-facts-title">
          <h2 className="panel-title" id="run-facts-title">
            Run
          </h2>
          <dl className="deflist" data-testid="run-details">
            <Item label="Job">{run.jobTitle}</Item>
            <Item label="Trigger">
              {runTriggerLabel(run.trigger)}
              {run.force ? <span className="tag">force</span> : null}
            </Item>
            <Item label="Scheduled for">{at(run.scheduledFor) ?? <Empty />}</Item>
            <Item label="Started">
              <span className="tnum">{at(run.startedAt)}</span>
            </Item>
            <Item label="Ended">{run.endedAt ? <span className="tnum">{at(run.endedAt)}</span> : <Empty text={running ? 'Still running' : '—'} />}</Item>
            <Item label="Duration">
              {run.durationMs !== null ? (
                <span className="tnum">{fmtDuration(run.durationMs, profile.locale)}</span>
              ) : elapsed !== null ? (
                <span className="tnum">{fmtDuration(elapsed, profile.locale)} so far</span>
              ) : (
                <Empty />
              )}
            </Item>
            <Item label="Attempt">
              <span className="tnum">{run.attempt}</span>
            </Item>
            <Item label="Progress">
              <span className="tnum">
                {run.progress.total !== null
                  ? `${fmtCount(run.progress.done, profile.locale)} of ${fmtCount(run.progress.total, profile.locale)}`
                  : fmtCount(run.progress.done, profile.locale)}
              </span>
              {run.progress.note ? <span className="muted"> · {run.progress.note}</span> : null}
            </Item>
            <Item label="Run by">
              <span className="selectable" title={run.owner}>
                {run.runBy.charAt(0).toUpperCase() + run.runBy.slice(1)}
              </span>
            </Item>
          </dl>
        </section>

        <section className="panel" aria-labelledby="run-result-title">
          <h2 className="panel-title" id="run-result-title">
            Result
          </h2>
          {run.result ? (
            <>
              <p className="run-summary">{run.result.summary}</p>
              {details.length > 0 ? (
                <dl className="deflist run-result-details">
                  {details.map(([k, v]) => (
                    <Item key={k} label={detailLabel(k)}>
                      <DetailValue value={v} locale={profile.locale} />
                    </Item>
                  ))}
                </dl>
              ) : null}
            </>
          ) : (
            <p className="muted">{running ? 'The result comes when the run ends.' : 'No result recorded.'}</p>
          )}
          {run.error ? (
            <>
              <h3 className="run-error-title">Error</h3>
              <pre className="run-error selectable" data-testid="run-error">
                {run.error}
              </pre>
            </>
          ) : null}
        </section>
      </div>
    </div>
  )
}

/** "foreignKeys", "rows_copied", "dry-run" → "Foreign keys", "Rows copied", "Dry run". */
function detailLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .trim()
    .toLowerCase()
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : key
}

function DetailValue({ value, locale }: { value: unknown; locale: string }) {
  if (value === null || value === undefined || value === '') return <Empty />
  if (typeof value === 'boolean') return <>{value ? 'Yes' : 'No'}</>
  // Whole numbers (counts) grouped as the cooperative writes them; anything else as it is, never rounded.
  if (typeof value === 'number') return <span className="tnum">{Number.isInteger(value) ? fmtCount(value, locale) : String(value)}</span>
  if (typeof value === 'string') return <span className="prewrap">{value}</span>
  return <code className="prewrap selectable">{JSON.stringify(value, null, 2)}</code>
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="deflist-item">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function Empty({ text = '—' }: { text?: string }) {
  return <span className="muted empty-value">{text}</span>
}
