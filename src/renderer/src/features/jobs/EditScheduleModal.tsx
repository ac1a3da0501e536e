import { useId, useState } from 'react'
import type { Job } from '../../../../shared/contract'
import {
  cronToWords,
  parseTime,
  WEEKDAY_NAMES,
  WEEKDAYS_MONDAY_FIRST,
  wordsToCron,
  type ScheduleWords,
  type Weekday,
  type WordsProblem
} from '../../../../shared/schedule-words'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { SelectField, TextField } from '../../ui/Field'
import { fmtInstant } from '../../platform/format'
import { useDebounced } from '../../platform/useDebounced'
import { cronError, localCronError, useCronPreview } from './queries'

export interface EditScheduleModalProps {
  job: Job
  onClose: () => void
  onSaved: (job: Job) => void
}

type Mode = 'words' | 'cron'

/** What the words tab holds: every field of every form, so switching "every" keeps what was chosen. */
interface Draft {
  every: ScheduleWords['every']
  time: string
  weekdays: Weekday[]
  /** '1'..'31' or 'last'. */
  day: string
}

function draftOf(cron: string): Draft {
  const w = cronToWords(cron)
  const base: Draft = { every: 'day', time: '02:00', weekdays: [1], day: '1' }
  if (!w) {
    // Not a word form: start from its time of day, if it has one.
    const [min, hour] = cron.trim().split(/\s+/)
    const t = parseTime(`${hour ?? ''}:${(min ?? '').padStart(2, '0')}`)
    return t ? { ...base, time: `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}` } : base
  }
  if (w.every === 'week') return { ...base, every: 'week', time: w.time, weekdays: w.weekdays }
  if (w.every === 'month') return { ...base, every: 'month', time: w.time, day: String(w.day) }
  return { ...base, time: w.time }
}

function wordsOf(d: Draft): ScheduleWords {
  if (d.every === 'week') return { every: 'week', weekdays: d.weekdays, time: d.time }
  if (d.every === 'month') return { every: 'month', day: d.day === 'last' ? 'last' : Number(d.day), time: d.time }
  return { every: 'day', time: d.time }
}

const EVERY_OPTIONS = [
  { value: 'day', label: 'Every day' },
  { value: 'week', label: 'Every week' },
  { value: 'month', label: 'Every month' }
]

const DAY_OPTIONS = [
  ...Array.from({ length: 31 }, (_, i) => ({ value: String(i + 1), label: `Day ${i + 1}` })),
  { value: 'last', label: 'The last day' }
]

/**
 * Edits a job's schedule: in words (every day, every week on some days, every
 * month on a day or its last day, at a time), or as cron (the advanced tab).
 * It opens in words when the current cron is one of the word forms. Whichever
 * tab, jobs.describeSchedule answers (debounced) with the schedule in words
 * and its next five runs, or with what is wrong, before anything is saved.
 */
export function EditScheduleModal({ job, onClose, onSaved }: EditScheduleModalProps) {
  const { profile } = useProfile()
  const [mode, setMode] = useState<Mode>(cronToWords(job.cron) ? 'words' : 'cron')
  const [draft, setDraft] = useState<Draft>(() => draftOf(job.cron))
  const [timeTouched, setTimeTouched] = useState(false)
  const [cron, setCron] = useState(job.cron)
  const [saveError, setSaveError] = useState<string | null>(null)
  const [banner, setBanner] = useState<string | null>(null)
  const [replacesCron, setReplacesCron] = useState(false)
  const [saving, setSaving] = useState(false)
  const update = useCallMutation('jobs.updateSchedule')
  const tabsId = useId().replace(/[^a-zA-Z0-9_-]/g, '')

  const fromWords = wordsToCron(wordsOf(draft))
  const problems: WordsProblem[] = fromWords.ok ? [] : fromWords.problems
  const problemOf = (field: WordsProblem['field']) => {
    const p = problems.find((x) => x.field === field)
    if (!p) return null
    // The time is judged once the treasurer has left the field (or tried to save), not at every key.
    return field === 'time' && !timeTouched ? null : p.message
  }
  // What would be saved: the words' cron (null while they are not a schedule), or the cron typed.
  const effective = mode === 'words' ? (fromWords.ok ? fromWords.cron : null) : cron.trim()

  const debounced = useDebounced(effective ?? '', 250)
  const preview = useCronPreview(debounced, { cron: job.cron, text: job.scheduleText, nextRuns: job.nextRuns })
  const current = effective !== null && preview.cron === effective
  const fieldError = saveError ?? preview.error ?? null
  const previewError = mode === 'words' ? (effective === null ? 'words' : preview.error ? 'server' : null) : preview.error ? 'cron' : null

  const setDraftField = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }))
    setSaveError(null)
  }

  function switchTo(next: Mode) {
    if (next === mode) return
    setSaveError(null)
    if (next === 'cron') {
      if (fromWords.ok) setCron(fromWords.cron)
    } else {
      const fits = cronToWords(cron.trim())
      setReplacesCron(!fits)
      if (fits) setDraft(draftOf(cron.trim()))
    }
    setMode(next)
  }

  async function save() {
    if (saving) return
    if (mode === 'words') {
      setTimeTouched(true)
      if (!fromWords.ok) return
    } else {
      const local = localCronError(cron.trim())
      if (local) {
        setSaveError(local)
        return
      }
    }
    if (effective === null) return
    setSaving(true)
    setBanner(null)
    const r = await update.mutateAsync({ jobId: job.id, cron: effective })
    setSaving(false)
    if (!r.ok) {
      if (r.error.code === 'VALIDATION' && (r.error.fields?.cron || !r.error.fields)) {
        if (mode === 'cron') setSaveError(cronError(r.error))
        else setBanner(cronError(r.error))
      } else setBanner(r.error.message)
      return
    }
    onSaved(r.value)
  }

  const tab = (m: Mode, label: string) => (
    <button
      type="button"
      role="tab"
      id={`${tabsId}-${m}`}
      aria-selected={mode === m}
      aria-controls={`${tabsId}-panel`}
      className={mode === m ? 'schedule-tab is-selected' : 'schedule-tab'}
      tabIndex={mode === m ? 0 : -1}
      onClick={() => switchTo(m)}
      onKeyDown={(e) => {
        // Tabs as keyboards expect them: the arrows (and Home/End) move between the two, Tab goes on to the panel.
        if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return
        e.preventDefault()
        const next: Mode = e.key === 'Home' ? 'words' : e.key === 'End' ? 'cron' : m === 'words' ? 'cron' : 'words'
        switchTo(next)
        document.getElementById(`${tabsId}-${next}`)?.focus()
      }}
    >
      {label}
    </button>
  )

  const wordsFields = (
    <div className="schedule-words">
      <div className="schedule-words-row">
        <SelectField
          label="Runs"
          options={EVERY_OPTIONS}
          value={draft.every}
          onChange={(e) => setDraftField('every', e.target.value as Draft['every'])}
          error={problemOf('every')}
        />
        {draft.every === 'month' ? (
          <SelectField
            label="On"
            options={DAY_OPTIONS}
            value={draft.day}
            onChange={(e) => setDraftField('day', e.target.value)}
            error={problemOf('day')}
          />
        ) : null}
        <TextField
          label="At"
          className="schedule-time"
          inputClassName="input-time"
          value={draft.time}
          inputMode="numeric"
          maxLength={5}
          placeholder="02:00"
          autoComplete="off"
          spellCheck={false}
          error={problemOf('time')}
          hint="24-hour, HH:MM"
          onChange={(e) => setDraftField('time', e.target.value)}
          onBlur={() => setTimeTouched(true)}
        />
      </div>
      {draft.every === 'week' ? (
        <fieldset className={problemOf('weekdays') ? 'field field-invalid schedule-weekdays' : 'field schedule-weekdays'}>
          <legend className="field-label">On</legend>
          <div className="schedule-weekday-list">
            {WEEKDAYS_MONDAY_FIRST.map((d) => (
              <label key={d} className="check">
                <input
                  type="checkbox"
                  checked={draft.weekdays.includes(d)}
                  onChange={(e) =>
                    setDraftField(
                      'weekdays',
                      e.target.checked ? [...draft.weekdays, d] : draft.weekdays.filter((x) => x !== d)
                    )
                  }
                />
                <span>{WEEKDAY_NAMES[d]}</span>
              </label>
            ))}
          </div>
          {problemOf('weekdays') ? <p className="field-error">{problemOf('weekdays')}</p> : null}
        </fieldset>
      ) : null}
      <p className="field-hint">
        Times are in {profile.timeZone}.{' '}
        {replacesCron ? <>The cron schedule on the Advanced tab cannot be said in words: saving here replaces it.</> : null}
      </p>
    </div>
  )

  const cronFields = (
    <TextField
      label="Schedule (cron)"
      error={fieldError}
      hint={
        <>
          Five fields: minute, hour, day of month, month, day of week. Times are in {profile.timeZone}.{' '}
          {job.defaultCron !== cron.trim() ? (
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
  )

  return (
    <ConfirmModal
      title={`Edit schedule: ${job.title}`}
      onClose={onClose}
      busy={saving}
      className="modal-wide"
      initialFocus={mode === 'words' ? 'select' : 'input'}
      confirmLabel="Save schedule"
      onConfirm={() => void save()}
      error={banner}
      onDismissError={() => setBanner(null)}
      fields={
        <>
          <div className="schedule-tabs" role="tablist" aria-label="How to give the schedule">
            {tab('words', 'In words')}
            {tab('cron', 'Advanced (cron)')}
          </div>
          <div role="tabpanel" id={`${tabsId}-panel`} aria-labelledby={`${tabsId}-${mode}`}>
            {mode === 'words' ? wordsFields : cronFields}
          </div>
        </>
      }
      below={
        <div
          className={current ? 'cron-preview' : 'cron-preview is-stale'}
          aria-live="polite"
          aria-busy={!current || undefined}
          data-testid="schedule-preview"
        >
          {previewError ? (
            <p className="muted">
              {previewError === 'server' ? preview.error : 'Fix the schedule to see when it runs.'}
            </p>
          ) : (
            <>
              <p className="cron-preview-text">{preview.text}</p>
              {preview.nextRuns && preview.nextRuns.length > 0 ? (
                <>
                  <p className="cron-preview-label">Next {Math.min(5, preview.nextRuns.length)} runs</p>
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
