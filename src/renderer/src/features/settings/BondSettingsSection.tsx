import { useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { BondSettings } from '../../../../shared/contract'
import { formatVoucherNumber as previewVoucherNumber } from '../../../../shared/voucher-number'
import { call, invoke } from '../../platform/api'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Field, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { WarningsModal } from '../../ui/WarningsModal'
import { useWarnings, type Acknowledge } from '../../platform/warnings'
import { LoadedSection } from './LoadedSection'
import { placeServerError, type FieldErrors } from '../../platform/forms'
import { todayIn } from '../../platform/today'
import { bondKeys } from '../bonds/queries'
import { useCan } from '../auth/useCan'

type Loaded = BondSettings & { example: string }

const FIELDS = ['voucherPattern', 'maturityNoticeDays', 'couponLeadDays'] as const
/** The sequence number the examples show (the server's example uses the same). */
const SAMPLE_SEQ = 123

/** Settings → Bonds: how voucher numbers look, how far ahead maturities are announced and coupons created. */
export function BondSettingsSection() {
  const loaded = useQuery({ queryKey: bondKeys.settings(), queryFn: () => call('bonds.getSettings', {}) })
  return (
    <LoadedSection
      id="bond-settings-title"
      title="Bonds"
      className="bond-settings"
      query={loaded}
      errorTitle="The bond settings could not be loaded"
      loadingLabel="Loading bond settings…"
    >
      {(data) => <BondSettingsForm initial={data} />}
    </LoadedSection>
  )
}

function BondSettingsForm({ initial }: { initial: Loaded }) {
  const { profile } = useProfile()
  const canSave = useCan('bonds.saveSettings')
  const [pattern, setPattern] = useState(initial.voucherPattern)
  const [days, setDays] = useState(String(initial.maturityNoticeDays))
  const [leadDays, setLeadDays] = useState(String(initial.couponLeadDays))
  const [example, setExample] = useState(initial.example)
  const [savedPattern, setSavedPattern] = useState(initial.voucherPattern)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)
  // A new pattern when this year already has vouchers: core asks first (bonds.saveSettings's acknowledge).
  const warn = useWarnings('bonds.saveSettings')

  const year = Number(todayIn(profile.timeZone).slice(0, 4)) || new Date().getFullYear()
  // The server's example is of the saved pattern; while it is being edited, the same numbering done here.
  const preview = pattern.trim() ? previewVoucherNumber(pattern.trim(), year, SAMPLE_SEQ) : ''
  const changed = pattern.trim() !== savedPattern

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    await save()
  }

  async function save(acknowledge: Acknowledge<'bonds.saveSettings'> = []) {
    if (saving || !canSave) return
    setBanner(null)
    setSaved(false)
    const text = days.trim()
    // Only what cannot be sent as a number is checked here; the contract's messages come back per field.
    const lead = leadDays.trim()
    const notNumbers: FieldErrors = {}
    if (text === '' || !Number.isFinite(Number(text))) notNumbers.maturityNoticeDays = 'Enter a number of days'
    if (lead === '' || !Number.isFinite(Number(lead))) notNumbers.couponLeadDays = 'Enter a number of days'
    if (Object.keys(notNumbers).length > 0) {
      setErrors(notNumbers)
      return
    }
    setErrors({})
    setSaving(true)
    const r = await invoke('bonds.saveSettings', {
      voucherPattern: pattern,
      maturityNoticeDays: Number(text),
      couponLeadDays: Number(lead),
      acknowledge
    })
    setSaving(false)
    if (!r.ok) {
      if (warn.caught(r.error)) return
      warn.reset()
      const placed = placeServerError(r.error, FIELDS)
      setErrors(placed.fields)
      setBanner(placed.banner)
      return
    }
    setPattern(r.value.voucherPattern)
    setSavedPattern(r.value.voucherPattern)
    setDays(String(r.value.maturityNoticeDays))
    setLeadDays(String(r.value.couponLeadDays))
    setExample(r.value.example)
    setSaved(true)
    warn.reset()
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label="Bond settings">
      {banner ? (
        <Banner tone="error" onDismiss={() => setBanner(null)}>
          {banner}
        </Banner>
      ) : null}
      <div className="form-grid">
        <Field
          label="Voucher number pattern"
          required
          error={errors.voucherPattern}
          hint={
            <>
              <code>{'{YYYY}'}</code> is the year ({year}), <code>{'{YY}'}</code> its last two digits,{' '}
              <code>{'{SEQ:6}'}</code> the year’s running number padded to 6 digits. Numbers restart every year.
              <br />
              {changed ? (
                <span data-testid="voucher-preview">
                  {preview ? (
                    <>
                      Preview: <strong className="mono">{preview}</strong>
                      <span className="muted">
                        {' '}
                        (the saved pattern gives <span className="mono">{example}</span>)
                      </span>
                    </>
                  ) : (
                    'Type a pattern to see an example.'
                  )}
                </span>
              ) : (
                <span data-testid="voucher-preview">
                  Example: <strong className="mono">{example}</strong>
                </span>
              )}
            </>
          }
        >
          <input
            type="text"
            className="mono"
            value={pattern}
            maxLength={40}
            autoComplete="off"
            spellCheck={false}
            readOnly={!canSave}
            onChange={(e) => {
              setPattern(e.target.value)
              setSaved(false)
            }}
          />
        </Field>
        <TextField
          label="Maturity notice (days)"
          required
          error={errors.maturityNoticeDays}
          hint="How many days before a holding matures it is announced (0 to 365)."
          type="number"
          inputMode="numeric"
          inputClassName="tnum"
          min={0}
          max={365}
          step={1}
          readOnly={!canSave}
          value={days}
          onChange={(e) => {
            setDays(e.target.value)
            setSaved(false)
          }}
        />
        <TextField
          label="Create coupons ahead (days)"
          required
          error={errors.couponLeadDays}
          hint="How many days before its payment date a coupon is created, so it can be approved and paid on the day (0 to 90)."
          type="number"
          inputMode="numeric"
          inputClassName="tnum"
          min={0}
          max={90}
          step={1}
          readOnly={!canSave}
          value={leadDays}
          onChange={(e) => {
            setLeadDays(e.target.value)
            setSaved(false)
          }}
        />
      </div>
      {canSave ? <FormActions saveLabel="Save bond settings" saving={saving} saved={saved} shortcut={false} /> : null}
      {warn.shown ? (
        <WarningsModal
          title="Change the voucher pattern in the middle of the year?"
          warnings={warn.shown}
          confirmLabel="Change pattern anyway"
          busy={saving}
          onConfirm={() => void save(warn.accept())}
          onClose={warn.reset}
        />
      ) : null}
    </form>
  )
}
