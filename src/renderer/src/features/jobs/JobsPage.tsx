import { useId, useState } from 'react'
import type { Job, JobRun } from '../../../../shared/contract'
import { invoke } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { Switch } from '../../ui/Switch'
import { fmtAgo, fmtDuration, fmtInstant, fmtRelative } from '../../platform/format'
import { useNow } from '../../platform/useNow'
import { EditScheduleModal } from './EditScheduleModal'
import { RunHistory } from './RunHistory'
import { RunProgress } from './RunProgress'
import { RunStatusBadge } from './RunStatusBadge'
import { useJobs } from './useJobs'
import { retryWords } from './retry'
import { useCan } from '../auth/useCan'

type Notice = { tone: 'error' | 'success' | 'info'; text: string }

/** Jobs: what runs on its own, when, how it went; run it now, pause it, change its schedule; and the run history. */
export function JobsPage() {
  const { profile } = useProfile()
  const { jobs, error, reload, applyRun, replaceJob } = useJobs()
  const [editing, setEditing] = useState<Job | null>(null)
  const [notice, setNotice] = useState<Notice | null>(null)
  /** Jobs with a request on its way (run, enable), so their buttons do not take a second click. */
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set())
  /** Runs asked to stop, until they end. */
  const [cancelling, setCancelling] = useState<ReadonlySet<number>>(new Set())
  const run = useCallMutation('jobs.run')
  const enable = useCallMutation('jobs.setEnabled')

  const mark = (jobId: string, on: boolean) =>
    setPending((s) => {
      const next = new Set(s)
      if (on) next.add(jobId)
      else next.delete(jobId)
      return next
    })

  async function runNow(job: Job, force: boolean) {
    mark(job.id, true)
    setNotice(null)
    const r = await run.mutateAsync({ jobId: job.id, force })
    mark(job.id, false)
    if (!r.ok) {
      setNotice({ tone: 'error', text: r.error.message })
      return
    }
    applyRun(r.value)
  }

  async function cancel(run: JobRun) {
    setCancelling((s) => new Set(s).add(run.id))
    const r = await invoke('jobs.cancel', { runId: run.id })
    if (!r.ok || !r.value.cancelling) {
      setCancelling((s) => {
        const next = new Set(s)
        next.delete(run.id)
        return next
      })
      if (!r.ok) setNotice({ tone: 'error', text: r.error.message })
      else setNotice({ tone: 'info', text: `${run.jobTitle}: the run had already ended.` })
    }
  }

  async function setEnabled(job: Job, enabled: boolean) {
    mark(job.id, true)
    setNotice(null)
    const r = await enable.mutateAsync({ jobId: job.id, enabled })
    mark(job.id, false)
    if (!r.ok) {
      setNotice({ tone: 'error', text: r.error.message })
      return
    }
    replaceJob(r.value)
  }

  return (
    <div className="page page-jobs">
      <PageHeader
        title="Jobs"
        subtitle={<>Work Coffer does on its own, on a schedule. Times are in {profile.timeZone}.</>}
      />

      {notice ? (
        <Banner tone={notice.tone} onDismiss={() => setNotice(null)} className="page-banner">
          {notice.text}
        </Banner>
      ) : null}
      {error && jobs ? (
        <Banner tone="error" className="page-banner" title="The jobs could not be refreshed">
          {error.message}{' '}
          <button type="button" className="link-button" onClick={reload}>
            Try again
          </button>
        </Banner>
      ) : null}

      {!jobs ? (
        error ? (
          <PageError error={new Error(error.message)} title="The jobs could not be loaded" onRetry={reload} />
        ) : (
          <PageLoading label="Loading jobs…" />
        )
      ) : (
        <JobsTable
          jobs={jobs}
          pending={pending}
          cancelling={cancelling}
          onRun={(job, force) => void runNow(job, force)}
          onCancel={(run) => void cancel(run)}
          onSetEnabled={(job, enabled) => void setEnabled(job, enabled)}
          onEdit={setEditing}
        />
      )}

      <RunHistory jobs={jobs ?? []} />

      {editing ? (
        <EditScheduleModal
          key={editing.id}
          job={editing}
          onClose={() => setEditing(null)}
          onSaved={(job) => {
            replaceJob(job)
            setEditing(null)
            setNotice({ tone: 'success', text: `${job.title} now runs: ${job.scheduleText}.` })
          }}
        />
      ) : null}
    </div>
  )
}

interface JobsTableProps {
  jobs: Job[]
  pending: ReadonlySet<string>
  cancelling: ReadonlySet<number>
  onRun: (job: Job, force: boolean) => void
  onCancel: (run: JobRun) => void
  onSetEnabled: (job: Job, enabled: boolean) => void
  onEdit: (job: Job) => void
}

function JobsTable({ jobs, pending, cancelling, onRun, onCancel, onSetEnabled, onEdit }: JobsTableProps) {
  if (jobs.length === 0) return <p className="table-empty muted">No jobs are set up.</p>
  return (
    <div className="table-wrap">
      <table className="table jobs-table" aria-label="Jobs">
        <thead>
          <tr>
            <th scope="col" className="col-job">
              Job
            </th>
            <th scope="col" className="col-schedule">
              Schedule
            </th>
            <th scope="col" className="col-enabled">
              Enabled
            </th>
            <th scope="col" className="col-last">
              Last run
            </th>
            <th scope="col" className="col-next">
              Next run
            </th>
            <th scope="col" className="col-actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <JobRow
              key={job.id}
              job={job}
              pending={pending.has(job.id)}
              cancelling={job.running ? cancelling.has(job.running.id) : false}
              onRun={onRun}
              onCancel={onCancel}
              onSetEnabled={onSetEnabled}
              onEdit={onEdit}
            />
          ))}
        </tbody>
      </table>
    </div>
  )
}

interface JobRowProps extends Omit<JobsTableProps, 'jobs' | 'pending' | 'cancelling'> {
  job: Job
  pending: boolean
  cancelling: boolean
}

function JobRow({ job, pending, cancelling, onRun, onCancel, onSetEnabled, onEdit }: JobRowProps) {
  const { profile } = useProfile()
  const now = useNow(30_000)
  const titleId = `job-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`
  const running = job.running
  const last = job.lastRun
  const next = job.enabled ? job.nextRuns[0] : undefined
  const retry = running ? null : retryWords(job, now, profile.locale, profile.timeZone)
  const canOperate = useCan('jobs.run')
  const canCancel = useCan('jobs.cancel')
  const canEnable = useCan('jobs.setEnabled')
  const canSchedule = useCan('jobs.updateSchedule')

  return (
    <tr data-job-id={job.id} className={running ? 'is-running' : undefined} aria-busy={running ? true : undefined}>
      <td className="col-job">
        <div className="cell-primary" id={titleId}>
          {job.title}
        </div>
        {job.description ? <div className="cell-secondary">{job.description}</div> : null}
      </td>
      <td className="col-schedule">
        <div className="cell-primary">{job.scheduleText}</div>
        {job.onDemand ? (
          <div className="cell-secondary">Runs when asked for</div>
        ) : (
          <div className="cell-secondary">
            <code className="cron" title="Cron expression">
              {job.cron}
            </code>
            {job.cron !== job.defaultCron ? <span className="muted"> · changed from the default</span> : null}
          </div>
        )}
      </td>
      <td className="col-enabled">
        {job.onDemand ? null : (
          <Switch
            checked={job.enabled}
            onChange={(enabled) => onSetEnabled(job, enabled)}
            disabled={pending || !canEnable}
            title={canEnable ? undefined : 'Only an administrator can pause or resume a job'}
            aria-label="Enabled"
            aria-describedby={titleId}
            onText="On"
            offText="Paused"
          />
        )}
      </td>
      <td className="col-last">
        {running ? (
          <div className="last-run">
            <div className="last-run-head">
              <RunStatusBadge status={running.status} />
              <span className="muted tnum" title={fmtInstant(running.startedAt, profile.locale, profile.timeZone)}>
                started {fmtAgo(running.startedAt, now, profile.locale, profile.timeZone)}
              </span>
            </div>
            <RunProgress progress={running.progress} label={`${job.title} progress`} />
          </div>
        ) : last ? (
          <div className="last-run">
            <div className="last-run-head">
              <RunStatusBadge status={last.status} />
              {last.durationMs !== null ? (
                <span className="muted tnum" title="Duration">
                  {fmtDuration(last.durationMs, profile.locale)}
                </span>
              ) : null}
            </div>
            {retry ? (
              <div className={retry.pending ? 'retry-note is-pending tnum' : 'retry-note'} data-testid="retry">
                {retry.text}
              </div>
            ) : null}
            <div className="cell-secondary tnum">
              <time
                dateTime={last.endedAt ?? last.startedAt}
                title={fmtInstant(last.endedAt ?? last.startedAt, profile.locale, profile.timeZone)}
              >
                {fmtAgo(last.endedAt ?? last.startedAt, now, profile.locale, profile.timeZone)}
              </time>
            </div>
            {last.result?.summary ? (
              <div className="cell-secondary clamp-2" title={last.result.summary}>
                {last.result.summary}
              </div>
            ) : !last.result && last.error ? (
              <div className="cell-secondary clamp-2 text-danger" title={last.error}>
                {firstLine(last.error)}
              </div>
            ) : null}
          </div>
        ) : (
          <span className="muted">Never run</span>
        )}
      </td>
      <td className="col-next">
        {job.onDemand ? (
          <span className="muted">On demand</span>
        ) : !job.enabled ? (
          <span className="muted">Paused</span>
        ) : next ? (
          <>
            <div className="cell-primary tnum">
              <time dateTime={next}>{fmtInstant(next, profile.locale, profile.timeZone)}</time>
            </div>
            <div className="cell-secondary tnum">{fmtRelative(next, now, profile.locale, profile.timeZone)}</div>
            {job.nextRuns.length > 1 ? (
              <details className="next-runs">
                <summary>Next {job.nextRuns.length} runs</summary>
                <ol className="tnum" aria-label={`${job.title}: next ${job.nextRuns.length} runs`}>
                  {job.nextRuns.map((iso) => (
                    <li key={iso}>
                      <time dateTime={iso}>{fmtInstant(iso, profile.locale, profile.timeZone)}</time>
                    </li>
                  ))}
                </ol>
              </details>
            ) : null}
          </>
        ) : (
          <span className="muted">Not scheduled</span>
        )}
      </td>
      <td className="col-actions">
        <div className="row-actions">
          {running && canCancel ? (
            <Button small variant="danger" busy={cancelling} onClick={() => onCancel(running)}>
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </Button>
          ) : null}
          {canOperate && !job.onDemand ? (
            <Button small onClick={() => onRun(job, false)} disabled={pending || !!running}>
              Run now
            </Button>
          ) : null}
          {job.supportsForce && canOperate ? (
            <Button
              small
              onClick={() => onRun(job, true)}
              disabled={pending || !!running}
              title="Run it and redo work already done for its period"
            >
              Run with force
            </Button>
          ) : null}
          {canSchedule && !job.onDemand ? (
            <Button small variant="ghost" onClick={() => onEdit(job)}>
              Edit schedule
            </Button>
          ) : null}
        </div>
      </td>
    </tr>
  )
}

const firstLine = (s: string) => s.split('\n', 1)[0] ?? s
