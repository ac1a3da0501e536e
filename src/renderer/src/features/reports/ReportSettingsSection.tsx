import { useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import { ReportFormat, type ReportSettings } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { serverFieldErrors, type FieldErrors } from '../../platform/forms'
import { Banner } from '../../ui/Banner'
import { SelectField, TextAreaField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { LoadedSection } from '../settings/LoadedSection'
import { useCan } from '../auth/useCan'
import { reportKeys } from './queries'
import { FORMAT_WORDS, splitAddresses } from './words'

const FORMAT_OPTIONS = ReportFormat.options.map((f) => ({ value: f, label: FORMAT_WORDS[f] }))

/**
 * Settings → Reports: who the weekly and monthly summaries are emailed to
 * and in which format. Saved with the version it was read at: someone
 * else's save meanwhile is refused, not overwritten.
 */
export function ReportSettingsSection() {
  const canRead = useCan('reports.settings')
  const loaded = useQuery({ queryKey: reportKeys.settings(), queryFn: () => call('reports.settings', {}), enabled: canRead })
  // Bumped when the settings are loaded again on purpose (after a conflict): the form starts from them.
  const [generation, setGeneration] = useState(0)
  const reload = async () => {
    await loaded.refetch()
    setGeneration((g) => g + 1)
  }
  if (!canRead) return null
  return (
    <LoadedSection
      id="report-settings-title"
      title="Reports"
      className="report-settings"
      testId="report-settings"
      query={loaded}
      errorTitle="The report settings could not be loaded"
      loadingLabel="Loading report settings…"
    >
      {(data) => <ReportSettingsForm key={generation} initial={data} reload={() => void reload()} />}
    </LoadedSection>
  )
}

function ReportSettingsForm({ initial, reload }: { initial: ReportSettings; reload: () => void }) {
  const canSave = useCan('reports.saveSettings')
  const save = useCallMutation('reports.saveSettings')
  const [recipients, setRecipients] = useState(initial.recipients.join('\n'))
  const [weekly, setWeekly] = useState(initial.weeklyFormat)
  const [monthly, setMonthly] = useState(initial.monthlyFormat)
  const [version, setVersion] = useState(initial.version)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [conflict, setConflict] = useState(false)
  const [saved, setSaved] = useState(false)

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (save.isPending || !canSave) return
    setBanner(null)
    setConflict(false)
    setSaved(false)
    setErrors({})
    const list = splitAddresses(recipients)
    const r = await save.mutateAsync({ recipients: list, weeklyFormat: weekly, monthlyFormat: monthly, expectedVersion: version })
    if (!r.ok) {
      if (r.error.code === 'CONFLICT') {
        setConflict(true)
        return
      }
      const found: FieldErrors = {}
      const stray: string[] = []
      for (const [path, text] of Object.entries(serverFieldErrors(r.error))) {
        const index = /^recipients\.(\d+)$/.exec(path)
        if (path === 'recipients' || index) {
          const which = index ? list[Number(index[1])] : undefined
          found.recipients ??= which ? `${which}: ${text}` : text
        } else if (path === 'weeklyFormat' || path === 'monthlyFormat') found[path] = text
        else stray.push(text)
      }
      setErrors(found)
      setBanner(Object.keys(found).length === 0 ? r.error.message : stray.length > 0 ? stray.join(' ') : null)
      return
    }
    setRecipients(r.value.recipients.join('\n'))
    setWeekly(r.value.weeklyFormat)
    setMonthly(r.value.monthlyFormat)
    setVersion(r.value.version)
    setSaved(true)
  }

  const touched = () => {
    setSaved(false)
    setErrors({})
  }

  return (
    <form className="form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label="Report settings">
      <p className="section-text muted">
        The weekly summary (Mondays, for the week before) and the monthly summary (on the 1st, for the month before) are made by their jobs and
        emailed to these addresses; with none, they are still made and kept in <Link to="/reports/generated">Generated reports</Link>, and the
        notification says they were not emailed. When they run is set on the <Link to="/jobs">Jobs</Link> page.
      </p>
      {conflict ? (
        <Banner tone="warning" title="Someone else changed these settings meanwhile">
          Yours were not saved.{' '}
          <button type="button" className="link-button" onClick={reload}>
            Load theirs
          </button>{' '}
          and make your change again.
        </Banner>
      ) : null}
      {banner ? (
        <Banner tone="error" onDismiss={() => setBanner(null)}>
          {banner}
        </Banner>
      ) : null}
      <div className="form-grid">
        <TextAreaField
          className="span-2"
          label="Email the summaries to"
          rows={4}
          spellCheck={false}
          autoComplete="off"
          readOnly={!canSave}
          value={recipients}
          error={errors.recipients}
          hint="One address per line (or separated by commas); at most 20. Empty: the summaries are not emailed."
          onChange={(e) => {
            setRecipients(e.target.value)
            touched()
          }}
        />
        <SelectField
          label="Weekly summary as"
          value={weekly}
          options={FORMAT_OPTIONS}
          disabled={!canSave}
          error={errors.weeklyFormat}
          onChange={(e) => {
            setWeekly(e.target.value as ReportFormat)
            touched()
          }}
        />
        <SelectField
          label="Monthly summary as"
          value={monthly}
          options={FORMAT_OPTIONS}
          disabled={!canSave}
          error={errors.monthlyFormat}
          onChange={(e) => {
            setMonthly(e.target.value as ReportFormat)
            touched()
          }}
        />
      </div>
      {canSave ? <FormActions saveLabel="Save report settings" saving={save.isPending} saved={saved} shortcut={false} /> : null}
    </form>
  )
}
