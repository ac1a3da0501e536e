import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { ProfileInput, type Profile } from '../../../../shared/contract'
import { currencyMinorDigits, formatMoney, isSupportedCurrency } from '../../../../shared/money'
import { amountWordsLanguage } from '../../../../shared/amount-in-words'
import { calendarDateInZone } from '../../../../shared/dates'
import { invoke } from '../../platform/api'
import { ErrorBanner } from '../../ui/Banner'
import { TextAreaField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { fieldBinder, focusFirstInvalid, issuesToFieldErrors, useFormErrors } from '../../platform/forms'
import { useSaveShortcut } from '../../platform/useSaveShortcut'
import { allCurrencies, allTimeZones, COMMON_LOCALES, currencyName, isUsableLocale, isUsableTimeZone, localeName } from '../../platform/intl'
import { fmtDate } from '../../platform/format'

export interface ProfileValues {
  name: string
  address: string
  phone: string
  email: string
  registrationNo: string
  currency: string
  timeZone: string
  locale: string
}

const FIELD_ORDER: ReadonlyArray<keyof ProfileValues> = [
  'name',
  'address',
  'phone',
  'email',
  'registrationNo',
  'currency',
  'timeZone',
  'locale'
]

export function profileToValues(p: Profile): ProfileValues {
  return {
    name: p.name,
    address: p.address ?? '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    registrationNo: p.registrationNo ?? '',
    currency: p.currency,
    timeZone: p.timeZone,
    locale: p.locale
  }
}

export function emptyProfileValues(defaults?: { currency?: string; timeZone?: string; locale?: string }): ProfileValues {
  return {
    name: '',
    address: '',
    phone: '',
    email: '',
    registrationNo: '',
    currency: defaults?.currency ?? '',
    timeZone: defaults?.timeZone ?? '',
    locale: defaults?.locale ?? ''
  }
}

export interface ProfileFormProps {
  initial: ProfileValues
  onSaved: (profile: Profile) => void
  /** Focus the first field on mount (first launch). */
  autoFocus?: boolean
  /** Shown, not changed (an operator whose role may not change settings). */
  readOnly?: boolean
}

/**
 * The cooperative's profile: used at first launch and in Settings. Validates
 * with the contract's own ProfileInput schema, then saves via profile.save.
 */
export function ProfileForm({ initial, onSaved, autoFocus, readOnly = false }: ProfileFormProps) {
  const [values, setValues] = useState<ProfileValues>(initial)
  const { errors, banner, setBanner, focusTick, clear, showLocal, showServer } = useFormErrors(FIELD_ORDER)
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  useSaveShortcut(formRef, !saving && !readOnly)

  useEffect(() => {
    if (focusTick > 0) focusFirstInvalid(formRef.current)
  }, [focusTick])

  // "Now" for the hints (time in the zone, today's date in the locale), refreshed each minute.
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(t)
  }, [])

  const field = fieldBinder(
    values,
    (key, value) => {
      setValues((v) => ({ ...v, [key]: value }))
      setSaved(false)
    },
    (key) => errors[key]
  )

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (saving || readOnly) return
    setBanner(null)
    setSaved(false)
    const parsed = ProfileInput.safeParse(values)
    if (!parsed.success) {
      showLocal(issuesToFieldErrors(parsed.error.issues))
      return
    }
    clear()
    setSaving(true)
    const r = await invoke('profile.save', values)
    setSaving(false)
    if (!r.ok) {
      showServer(r.error)
      return
    }
    setValues(profileToValues(r.value))
    setSaved(true)
    onSaved(r.value)
  }

  const currencyCode = values.currency.trim().toUpperCase()
  const currencyHint = useMemo(() => {
    if (!/^[A-Z]{3}$/.test(currencyCode) || !isSupportedCurrency(currencyCode)) return 'ISO 4217 code, like USD, EUR or KES'
    const digits = currencyMinorDigits(currencyCode)
    const places = digits === 0 ? 'No decimal places' : `${digits} decimal place${digits === 1 ? '' : 's'}`
    const name = currencyName(currencyCode)
    return name ? `${name} · ${places}` : places
  }, [currencyCode])

  const tz = values.timeZone.trim()
  const timeZoneHint = useMemo(() => {
    if (!isUsableTimeZone(tz)) return 'IANA name, like Africa/Nairobi'
    try {
      const time = new Intl.DateTimeFormat(isUsableLocale(values.locale.trim()) ? values.locale.trim() : 'en', {
        timeZone: tz,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit'
      }).format(now)
      return `Now ${time} there`
    } catch {
      return null
    }
  }, [tz, values.locale, now])

  const loc = values.locale.trim()
  const localeHint = useMemo(() => {
    if (!isUsableLocale(loc)) return 'Language and region, like en-KE or fr-FR'
    const name = localeName(loc)
    const today = isUsableTimeZone(tz) ? calendarDateInZone(now, tz) : null
    const parts: string[] = []
    if (name) parts.push(name)
    if (today) parts.push(`dates like ${fmtDate(today, loc)}`)
    if (/^[A-Z]{3}$/.test(currencyCode) && isSupportedCurrency(currencyCode)) {
      try {
        parts.push(`amounts like ${formatMoney(123456789, currencyCode, loc)}`)
      } catch {
        /* ignore */
      }
    }
    // Vouchers write the amount in words in the locale's language when Coffer has its words (amount-in-words.ts).
    if (amountWordsLanguage(loc).fallback) parts.push('amounts in words are written in English for this language')
    return parts.join(' · ') || null
  }, [loc, tz, currencyCode, now])

  const currencies = allCurrencies()
  const timeZones = allTimeZones()

  return (
    <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-label="Cooperative profile">
      <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />

      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section-title">Cooperative</legend>
        <div className="form-grid">
          <TextField
            label="Name"
            required
            className="span-2"
            {...field('name')}
            autoComplete="organization"
            maxLength={160}
            autoFocus={autoFocus}
          />
          <TextAreaField label="Address" className="span-2" {...field('address')} maxLength={600} autoComplete="street-address" />
          <TextField label="Phone" type="tel" {...field('phone')} autoComplete="tel" maxLength={40} />
          <TextField label="Email" type="email" {...field('email')} autoComplete="email" maxLength={254} />
          <TextField label="Registration number" {...field('registrationNo')} maxLength={60} />
        </div>
      </fieldset>

      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section-title">Money, dates and time</legend>
        <div className="form-grid form-grid-3">
          <TextField
            label="Currency"
            required
            hint={currencyHint}
            {...field('currency')}
            list="coffer-currencies"
            autoComplete="off"
            spellCheck={false}
            maxLength={3}
            inputClassName="input-code"
          />
          <TextField
            label="Time zone"
            required
            hint={timeZoneHint}
            {...field('timeZone')}
            list="coffer-timezones"
            autoComplete="off"
            spellCheck={false}
          />
          <TextField label="Locale" required hint={localeHint} {...field('locale')} list="coffer-locales" autoComplete="off" spellCheck={false} />
        </div>
        <datalist id="coffer-currencies">
          {currencies.map((c) => (
            <option key={c} value={c}>
              {currencyName(c) ?? c}
            </option>
          ))}
        </datalist>
        <datalist id="coffer-timezones">
          {timeZones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <datalist id="coffer-locales">
          {COMMON_LOCALES.map((l) => (
            <option key={l} value={l}>
              {localeName(l) ?? l}
            </option>
          ))}
        </datalist>
      </fieldset>

      {readOnly ? null : <FormActions saveLabel="Save profile" saving={saving} saved={saved} />}
    </form>
  )
}
