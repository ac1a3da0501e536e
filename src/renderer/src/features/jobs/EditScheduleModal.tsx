import { useEffect, useRef, useState, type FormEvent } from 'react'
import { CronText, type AppError, type Job } from '../../../../shared/contract'
import { invoke } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { ErrorBanner } from '../../ui/Banner'
import { Field } from '../../ui/Field'
import { Modal, ModalActions } from '../../ui/Modal'
import { fmtInstant } from '../../platform/format'
import { useDebounced } from '../../platform/useDebounced'

interface Preview {
  /** The schedule text this preview describes. */
  cron: string
  text?: string
  nextRuns?: string[]
  error?: string
}

/** The message for the cron field from an envelope: its field message, else the error's own. */
const cronError = (error: AppError): string => error.fields?.cron ?? error.message

/** The first problem the contract's own schema finds in a schedule, before asking the app. */
function localCronError(cron: string): string | null {
  const r = CronText.safeParse(cron)
  return r.success ? null : (r.error.issues[0]?.message ?? 'This schedule is not valid')
}

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
  const [preview, setPreview] = useState<Preview>({ cron: job.cron, text: job.scheduleText, nextRuns: job.nextRuns })
  const debounced = useDebounced(cron.trim(), 250)
  const seq = useRef(0)

  useEffect(() => {
    const mine = ++seq.current
    const local = localCronError(debounced)
    // Settled after a microtask, like the app's answer, so every preview arrives the same way.
    const answer: Promise<Preview> = local
      ? Promise.resolve({ cron: debounced, error: local })
      : invoke('jobs.describeSchedule', { cron: debounced }).then((r) =>
          r.ok
            ? { cron: debounced, text: r.value.text, nextRuns: r.value.nextRuns }
            : { cron: debounced, error: cronError(r.error) }
        )
    void answer.then((p) => {
      if (mine === seq.current) setPreview(p)
    })
  }, [debounced])

  const trimmed = cron.trim()
  const current = preview.cron === trimmed
  // The field shows a save error first, then what the last preview found. While a new preview is on its
  // way the old one stays, dimmed, so typing does not make the panel flicker.
  const fieldError = saveError ?? preview.error ?? null

  async function save(e?: FormEvent) {
    e?.preventDefault()
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
    <Modal
      open
      title={`Edit schedule: ${job.title}`}
      onClose={onClose}
      busy={saving}
      className="modal-wide"
      initialFocus="input"
      footer={
        <ModalActions
          cancelLabel="Cancel"
          onCancel={onClose}
          confirmLabel="Save schedule"
          onConfirm={() => void save()}
          busy={saving}
        />
      }
    >
      <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
      <form onSubmit={save} className="form" noValidate>
        <Field
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
        >
          <input
            className="input-cron"
            value={cron}
            maxLength={120}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => {
              setCron(e.target.value)
              setSaveError(null)
            }}
          />
        </Field>
      </form>
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
    </Modal>
  )
}
