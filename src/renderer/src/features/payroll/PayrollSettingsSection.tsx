import { useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { PayrollSettings } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { normalisePercentInput } from '../../platform/money'
import { placeServerError, type FieldErrors } from '../../platform/forms'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { LoadedSection } from '../settings/LoadedSection'
import { useCan } from '../auth/useCan'
import { payrollKeys } from './queries'

const FIELDS = ['netChangePercent'] as const

/**
 * Settings → Payroll: how large a change in a person's net pay against the
 * last period is marked in the review register. Shown to those who may read
 * payroll; saved by those who may change the settings.
 */
export function PayrollSettingsSection() {
  const canRead = useCan('payroll.settings')
  const loaded = useQuery({ queryKey: payrollKeys.settings(), queryFn: () => call('payroll.settings', {}), enabled: canRead })
  if (!canRead) return null
  return (
    <LoadedSection
      id="payroll-settings-title"
      title="Payroll"
      className="payroll-settings"
      query={loaded}
      errorTitle="The payroll settings could not be loaded"
      loadingLabel="Loading payroll settings…"
    >
      {(data) => <PayrollSettingsForm initial={data} />}
    </LoadedSection>
  )
}

function PayrollSettingsForm({ initial }: { initial: PayrollSettings }) {
  const { profile } = useProfile()
  const canSave = useCan('payroll.saveSettings')
  const save = useCallMutation('payroll.saveSettings')
  const [percent, setPercent] = useState(initial.netChangePercent)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (save.isPending || !canSave) return
    setBanner(null)
    setSaved(false)
    const text = normalisePercentInput(percent, profile.locale)
    if (!text) {
      setErrors({ netChangePercent: 'Enter a percentage like 10' })
      return
    }
    setErrors({})
    // The contract checks the figure (a percentage like 7.5, at most 1,000%): its message lands by the field.
    const r = await save.mutateAsync({ netChangePercent: text })
    if (!r.ok) {
      const placed = placeServerError(r.error, FIELDS)
      setErrors(placed.fields)
      setBanner(placed.banner)
      return
    }
    setPercent(r.value.netChangePercent)
    setSaved(true)
  }

  return (
    <form className="form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label="Payroll settings">
      <p className="section-text muted">
        In a pay period’s review each person’s net pay is compared with the last period’s; a change larger than this is marked for a second look.
      </p>
      {banner ? (
        <Banner tone="error" onDismiss={() => setBanner(null)}>
          {banner}
        </Banner>
      ) : null}
      <div className="form-grid">
        <TextField
          label="Net pay change marked above (%)"
          required
          error={errors.netChangePercent}
          hint="e.g. 10: a net pay more than 10% above or below the last period’s is marked"
          inputMode="decimal"
          inputClassName="tnum"
          maxLength={12}
          autoComplete="off"
          readOnly={!canSave}
          value={percent}
          onChange={(e) => {
            setPercent(e.target.value)
            setSaved(false)
            setErrors({})
          }}
        />
      </div>
      {canSave ? <FormActions saveLabel="Save payroll settings" saving={save.isPending} saved={saved} shortcut={false} /> : null}
    </form>
  )
}
