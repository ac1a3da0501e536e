import { useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { RecurringSettings } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { fmtAmount, moneyHeader, parseAmount } from '../../platform/money'
import { placeServerError, type FieldErrors } from '../../platform/forms'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { LoadedSection } from './LoadedSection'
import { recurringKeys } from '../recurring/queries'
import { useCan } from '../auth/useCan'

const FIELDS = ['catchUpMaxCount', 'catchUpMaxAmountMinor'] as const

/**
 * Settings → Recurring entries: when the PC was off and occurrences were
 * missed, how large a catch-up may post by itself; a larger one waits in
 * Recurring → To review.
 */
export function RecurringSettingsSection() {
  const loaded = useQuery({ queryKey: recurringKeys.settings(), queryFn: () => call('recurring.settings', {}) })
  return (
    <LoadedSection
      id="recurring-settings-title"
      title="Recurring entries"
      className="recurring-settings"
      query={loaded}
      errorTitle="The recurring settings could not be loaded"
      loadingLabel="Loading recurring settings…"
    >
      {(data) => <RecurringSettingsForm initial={data} />}
    </LoadedSection>
  )
}

function RecurringSettingsForm({ initial }: { initial: RecurringSettings }) {
  const { profile } = useProfile()
  const canSave = useCan('recurring.saveSettings')
  const save = useCallMutation('recurring.saveSettings')
  const amountText = (minor: number | null) => (minor === null ? '' : fmtAmount(minor, profile.currency, profile.locale))
  const [count, setCount] = useState(String(initial.catchUpMaxCount))
  const [amount, setAmount] = useState(amountText(initial.catchUpMaxAmountMinor))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (save.isPending || !canSave) return
    setBanner(null)
    setSaved(false)
    const found: FieldErrors = {}
    const n = count.trim()
    if (n === '' || !/^\d+$/.test(n)) found.catchUpMaxCount = 'Enter a whole number of occurrences'
    let amountMinor: number | null = null
    if (amount.trim()) {
      const r = parseAmount(amount, profile.currency, profile.locale)
      if (r.ok) amountMinor = r.minor
      else found.catchUpMaxAmountMinor = r.error
    }
    if (Object.keys(found).length > 0) {
      setErrors(found)
      return
    }
    setErrors({})
    const r = await save.mutateAsync({ catchUpMaxCount: Number(n), catchUpMaxAmountMinor: amountMinor })
    if (!r.ok) {
      const placed = placeServerError(r.error, FIELDS)
      setErrors(placed.fields)
      setBanner(placed.banner)
      return
    }
    setCount(String(r.value.catchUpMaxCount))
    setAmount(amountText(r.value.catchUpMaxAmountMinor))
    setSaved(true)
  }

  const tidyAmount = () => {
    if (!amount.trim()) return
    const r = parseAmount(amount, profile.currency, profile.locale)
    if (r.ok) setAmount(fmtAmount(r.minor, profile.currency, profile.locale))
  }

  return (
    <form className="form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label="Recurring settings">
      <p className="section-text muted">
        When Coffer was not running on an occurrence’s date, the next run catches it up with its own date. A catch-up larger than this waits in
        Recurring → To review for the treasurer instead of posting by itself.
      </p>
      {banner ? (
        <Banner tone="error" onDismiss={() => setBanner(null)}>
          {banner}
        </Banner>
      ) : null}
      <div className="form-grid">
        <TextField
          label="Missed occurrences that post by themselves"
          required
          error={errors.catchUpMaxCount}
          hint="More missed occurrences of one recurring entry or standing order than this go to review (0 to 1,000; 0: every catch-up waits)."
          type="number"
          inputMode="numeric"
          inputClassName="tnum"
          min={0}
          max={1000}
          step={1}
          readOnly={!canSave}
          value={count}
          onChange={(e) => {
            setCount(e.target.value)
            setSaved(false)
            setErrors((x) => ({ ...x, catchUpMaxCount: '' }))
          }}
        />
        <TextField
          label={moneyHeader('Largest catch-up that posts by itself', profile.currency, profile.locale)}
          error={errors.catchUpMaxAmountMinor}
          hint="Optional: missed occurrences of one entry or order adding up to more than this go to review. Empty: no amount limit."
          inputMode="decimal"
          inputClassName="tnum num-input"
          maxLength={30}
          autoComplete="off"
          readOnly={!canSave}
          value={amount}
          onBlur={tidyAmount}
          onChange={(e) => {
            setAmount(e.target.value)
            setSaved(false)
            setErrors((x) => ({ ...x, catchUpMaxAmountMinor: '' }))
          }}
        />
      </div>
      {canSave ? <FormActions saveLabel="Save recurring settings" saving={save.isPending} saved={saved} shortcut={false} /> : null}
    </form>
  )
}
