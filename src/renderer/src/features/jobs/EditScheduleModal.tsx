import { useState } from 'react'
import type { Job } from '../../../../shared/contract'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { TextField } from '../../ui/Field'
import { fmtInstant } from '../../platform/format'
import { useDebounced } from '../../platform/useDebounced'
import { cronError, localCronError, useCronPreview } from './queries'

export interface EditScheduleModalProps {
  job: Job
  onClose: () => void
  onSaved: (job: Job) => void
}

/**
 * Edits a job's cron schedule. While typing, jobs.describeSchedule answers
 * (debounced) with the schedule in words and its next five runs, or with
 * what is wrong, next to the field. Save goes through jobs.updateSchedule.
 */
export function EditScheduleModal({ job, onClose, onSaved }: EditScheduleModalProps) {
  const { profile } = useProfile()
  const [cron, setCron] = useState(job.cron)
  const [saveError, setSaveError] = useState<string | null>(null)
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const update = useCallMutation('jobs.updateSchedule')
  const debounced = useDebounced(cron.trim(), 250)
  const preview = useCronPreview(debounced, { cron: job.cron, text: job.scheduleText, nextRuns: job.nextRuns })

  const trimmed = cron.trim()
  const current = preview.cron === trimmed
  // The field shows a save error first, then what the last preview found. While a new preview is on its
  // way the old one stays, dimmed, so typing does not make the panel flicker.
  const fieldError = saveError ?? preview.error ?? null

  async function save() {
    if (saving) return
    const local = localCronError(trimmed)
    if (local) {
      setSaveError(local)
      return
    }
    setSaving(true)
    setBanner(null)
    const r = await update.mutateAsync({ jobId: job.id, cron: trimmed })
    setSaving(false)
    if (!r.ok) {
      if (r.error.code === 'VALIDATION' && (r.error.fields?.cron || !r.error.fields)) setSaveError(cronError(r.error))
      else setBanner(r.error.message)
      return
    }
    onSaved(r.value)
  }

  return (
    <ConfirmModal
      title={`Edit schedule: ${job.title}`}
      onClose={onClose}
      busy={saving}
      className="modal-wide"
      initialFocus="input"
      confirmLabel="Save schedule"
      onConfirm={() => void save()}
      error={banner}
      onDismissError={() => setBanner(null)}
      fields={
        <TextField
          label="Schedule (cron)"
          error={fieldError}
          hint={
            <>
              Five fields: minute, hour, day of month, month, day of week. Times are in {profile.timeZone}.{' '}
              {job.defaultCron !== trimmed ? (
                <>
                  Default: <code>{job.defaultCron}</code>{' '}
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setCron(job.defaultCron)
                      setSaveError(null)
                    }}
                  >
                    Use the default
                  </button>
                </>
              ) : (
                <>This is the default schedule.</>
              )}
            </>
          }
          inputClassName="input-cron"
          value={cron}
          maxLength={120}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => {
            setCron(e.target.value)
            setSaveError(null)
          }}
        />
      }
      below={
        <div
          className={current ? 'cron-preview' : 'cron-preview is-stale'}
          aria-live="polite"
          aria-busy={!current || undefined}
          data-testid="schedule-preview"
        >
          {preview.error ? (
            <p className="muted">Fix the schedule to see when it runs.</p>
          ) : (
            <>
              <p className="cron-preview-text">{preview.text}</p>
              {preview.nextRuns && preview.nextRuns.length > 0 ? (
                <>
                  <p className="cron-preview-label">Next runs</p>
                  <ol className="cron-preview-runs tnum">
                    {preview.nextRuns.slice(0, 5).map((iso) => (
                      <li key={iso}>
                        <time dateTime={iso}>{fmtInstant(iso, profile.locale, profile.timeZone)}</time>
                      </li>
                    ))}
                  </ol>
                </>
              ) : (
                <p className="muted">This schedule never comes round.</p>
              )}
            </>
          )}
        </div>
      }
    />
  )
}
