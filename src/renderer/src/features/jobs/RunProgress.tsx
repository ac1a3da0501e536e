import type { JobRun } from '../../../../shared/contract'
import { useProfile } from '../profile/ProfileContext'
import { fmtCount } from '../../platform/format'

/**
 * The progress of a running run: a bar (indeterminate while the total is not
 * known yet) with "done / total" and the run's note.
 */
export function RunProgress({ progress, label }: { progress: JobRun['progress']; label?: string }) {
  const { profile } = useProfile()
  const { done, total, note } = progress
  const known = total !== null && total > 0
  const pct = known ? Math.max(0, Math.min(100, Math.round((done / total) * 100))) : null
  const counts = known
    ? `${fmtCount(done, profile.locale)} / ${fmtCount(total, profile.locale)}`
    : done > 0
      ? fmtCount(done, profile.locale)
      : null
  return (
    <div className="run-progress">
      <div
        className={known ? 'progress' : 'progress progress-indeterminate'}
        role="progressbar"
        aria-label={label ?? 'Progress'}
        aria-valuemin={0}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? done : undefined}
        aria-valuetext={[counts, note].filter(Boolean).join(' · ') || 'Working…'}
      >
        <div className="progress-bar" style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
      <div className="run-progress-text">
        {counts ? <span className="tnum">{counts}</span> : null}
        {note ? (
          <span className="run-progress-note" title={note}>
            {note}
          </span>
        ) : null}
        {!counts && !note ? <span className="muted">Working…</span> : null}
      </div>
    </div>
  )
}
