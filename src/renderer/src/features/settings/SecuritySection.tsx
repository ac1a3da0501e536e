import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { SecuritySettings } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { placeServerError, type FieldErrors } from '../../platform/forms'
import { useCan } from '../auth/useCan'
import { useSessionOrNull } from '../auth/session'
import { ErrorBanner } from '../../ui/Banner'
import { Field, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { PageError, PageLoading } from '../../ui/PageState'
import { Switch } from '../../ui/Switch'
import { settingsKeys } from './queries'
import { useProfile } from '../profile/ProfileContext'
import { fmtMoney, parseAmount } from '../../platform/money'
import { minorToDecimalString } from '../../../../shared/money'

const FIELDS = [
  'idleMinutes',
  'maxAttempts',
  'lockoutMinutes',
  'makerChecker.payments',
  'makerChecker.journal',
  'makerChecker.journalThresholdMinor',
  'makerChecker.reopen'
] as const
type NumberKey = 'idleMinutes' | 'maxAttempts' | 'lockoutMinutes'

/**
 * Settings → Security: when the screen locks, how many wrong passwords lock
 * an account and for how long, and which work needs a second operator to
 * approve it: payments, manual journal entries from an amount, reopening a
 * closed month. Administrators change it; others see it.
 */
export function SecuritySection() {
  const loaded = useQuery({ queryKey: settingsKeys.security(), queryFn: () => call('security.get', {}) })
  return (
    <section className="settings-section security-settings" aria-labelledby="security-title">
      <div className="section-head">
        <h2 className="section-title" id="security-title">
          Security
        </h2>
      </div>
      {loaded.isError && !loaded.data ? (
        <PageError error={loaded.error} title="The security settings could not be loaded" onRetry={() => void loaded.refetch()} />
      ) : !loaded.data ? (
        <PageLoading label="Loading security settings…" />
      ) : (
        <SecurityForm initial={loaded.data} />
      )}
    </section>
  )
}

function SecurityForm({ initial }: { initial: SecuritySettings }) {
  const canSave = useCan('security.save')
  const client = useQueryClient()
  const save = useCallMutation('security.save')
  const session = useSessionOrNull()
  const [text, setText] = useState<Record<NumberKey, string>>({
    idleMinutes: String(initial.idleMinutes),
    maxAttempts: String(initial.maxAttempts),
    lockoutMinutes: String(initial.lockoutMinutes)
  })
  const [payments, setPayments] = useState(initial.makerChecker.payments)
  const [journal, setJournal] = useState(initial.makerChecker.journal)
  const [reopen, setReopen] = useState(initial.makerChecker.reopen)
  const { profile } = useProfile()
  const { currency, locale } = profile
  const asText = (minor: number) => minorToDecimalString(minor, currency)
  const [threshold, setThreshold] = useState(asText(initial.makerChecker.journalThresholdMinor))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)

  const number = (key: NumberKey) => ({
    value: text[key],
    onChange: (e: { target: { value: string } }) => {
      setText((t) => ({ ...t, [key]: e.target.value }))
      setSaved(false)
    },
    error: errors[key],
    type: 'number',
    inputMode: 'numeric' as const,
    inputClassName: 'tnum',
    step: 1,
    readOnly: !canSave
  })

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!canSave || save.isPending) return
    setBanner(null)
    setSaved(false)
    // Only what cannot be sent as a number is checked here; core's messages come back per field.
    const notNumbers: FieldErrors = {}
    for (const key of ['idleMinutes', 'maxAttempts', 'lockoutMinutes'] as const) {
      const t = text[key].trim()
      if (t === '' || !Number.isFinite(Number(t))) notNumbers[key] = 'Enter a number'
    }
    const typed = parseAmount(threshold.trim() === '' ? '0' : threshold, currency, locale)
    if (!typed.ok) notNumbers['makerChecker.journalThresholdMinor'] = typed.error
    if (Object.keys(notNumbers).length > 0) {
      setErrors(notNumbers)
      return
    }
    setErrors({})
    const r = await save.mutateAsync({
      idleMinutes: Number(text.idleMinutes.trim()),
      maxAttempts: Number(text.maxAttempts.trim()),
      lockoutMinutes: Number(text.lockoutMinutes.trim()),
      makerChecker: { payments, journal, journalThresholdMinor: typed.ok ? typed.minor : 0, reopen }
    })
    if (!r.ok) {
      const placed = placeServerError(r.error, FIELDS)
      setErrors(placed.fields)
      setBanner(placed.banner)
      return
    }
    client.setQueryData(settingsKeys.security(), r.value)
    setText({
      idleMinutes: String(r.value.idleMinutes),
      maxAttempts: String(r.value.maxAttempts),
      lockoutMinutes: String(r.value.lockoutMinutes)
    })
    setPayments(r.value.makerChecker.payments)
    setJournal(r.value.makerChecker.journal)
    setReopen(r.value.makerChecker.reopen)
    setThreshold(asText(r.value.makerChecker.journalThresholdMinor))
    setSaved(true)
    // The idle lock follows the new time at once.
    session?.refresh()
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-label="Security settings">
      {canSave ? null : <p className="section-text muted">Only an administrator can change these.</p>}
      <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
      <div className="form-grid form-grid-3">
        <TextField
          label="Lock after (minutes)"
          required
          hint="Without a key or a click for this long, the screen locks; the page stays as it was (1 to 240)."
          min={1}
          max={240}
          {...number('idleMinutes')}
        />
        <TextField
          label="Wrong passwords allowed"
          required
          hint="In a row, before the account is locked (3 to 20)."
          min={3}
          max={20}
          {...number('maxAttempts')}
        />
        <TextField
          label="Locked for (minutes)"
          required
          hint="How long a locked account waits; an administrator can reset the password sooner (1 to 1440)."
          min={1}
          max={1440}
          {...number('lockoutMinutes')}
        />
      </div>
      <Field
        label="Payments need a second operator to approve"
        error={errors['makerChecker.payments']}
        hint="On: whoever prepares a payment cannot approve it; another operator who may approve payments must. Recommended."
      >
        <Switch
          checked={payments}
          onChange={(v) => {
            setPayments(v)
            setSaved(false)
          }}
          onText="On"
          offText="Off"
          disabled={!canSave}
        />
      </Field>
      <Field
        label="Manual journal entries need a second operator to approve"
        error={errors['makerChecker.journal']}
        hint="On: a manual entry of at least the amount below waits, in no balance, until another operator who may manage the ledger approves it."
      >
        <Switch
          checked={journal}
          onChange={(v) => {
            setJournal(v)
            setSaved(false)
          }}
          onText="On"
          offText="Off"
          disabled={!canSave}
        />
      </Field>
      <TextField
        label={`Entries from (${currency})`}
        hint={`Entries whose total is at least this wait for approval; 0: every manual entry. Now: ${fmtMoney(initial.makerChecker.journalThresholdMinor, currency, locale)}.`}
        value={threshold}
        onChange={(e) => {
          setThreshold(e.target.value)
          setSaved(false)
        }}
        error={errors['makerChecker.journalThresholdMinor']}
        inputMode="decimal"
        inputClassName="tnum"
        readOnly={!canSave || !journal}
      />
      <Field
        label="Reopening a closed month needs a second operator"
        error={errors['makerChecker.reopen']}
        hint="On: the first operator asks (with a reason); the month stays closed until another operator reopens it."
      >
        <Switch
          checked={reopen}
          onChange={(v) => {
            setReopen(v)
            setSaved(false)
          }}
          onText="On"
          offText="Off"
          disabled={!canSave}
        />
      </Field>
      {canSave ? <FormActions saveLabel="Save security settings" saving={save.isPending} saved={saved} shortcut={false} /> : null}
    </form>
  )
}
