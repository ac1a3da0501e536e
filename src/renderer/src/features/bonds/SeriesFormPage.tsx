import { useEffect, useRef, useState, type FormEvent } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { SeriesInput, type AppError } from '../../../../shared/contract'
import { invoke } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { ErrorBanner } from '../../ui/Banner'
import { CheckField, DateField, SelectField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { PageHeader } from '../../ui/PageHeader'
import { fieldBinder, focusFirstInvalid, issuesToFieldErrors, useFormErrors, type FieldErrors } from '../../platform/forms'
import { fmtDate } from '../../platform/format'
import { fmtMoney, normalisePercentInput, parseAmount } from '../../platform/money'
import { todayIn } from '../../platform/today'
import { useDebounced } from '../../platform/useDebounced'
import { useSaveShortcut } from '../../platform/useSaveShortcut'
import { BUSINESS_DAY_OPTIONS, DAY_COUNT_OPTIONS, FREQUENCY_OPTIONS } from './labels'
import { bondKeys } from './queries'
import { ScheduleHead } from './ScheduleHead'

interface SeriesValues {
  code: string
  name: string
  /** As typed; parsed with parseMoney into faceValueMinor on save. */
  faceValue: string
  couponRatePercent: string
  frequency: string
  dayCount: string
  issueDate: string
  maturityDate: string
  firstCouponDate: string
  endOfMonth: boolean
  businessDay: string
  withholdingTaxPercent: string
}

type FieldKey = Exclude<keyof SeriesValues, 'faceValue'> | 'faceValueMinor'

const FIELD_ORDER: ReadonlyArray<FieldKey> = [
  'code',
  'name',
  'faceValueMinor',
  'couponRatePercent',
  'frequency',
  'dayCount',
  'issueDate',
  'maturityDate',
  'firstCouponDate',
  'businessDay',
  'withholdingTaxPercent',
  'endOfMonth'
]

/** The terms the schedule depends on; the preview reports only on these. */
const SCHEDULE_FIELDS: ReadonlyArray<FieldKey> = [
  'frequency',
  'dayCount',
  'issueDate',
  'maturityDate',
  'firstCouponDate',
  'endOfMonth',
  'businessDay'
]

const FIELD_LABELS: Record<string, string> = {
  code: 'Code',
  name: 'Name',
  faceValueMinor: 'Face value',
  couponRatePercent: 'Coupon rate',
  frequency: 'Frequency',
  dayCount: 'Day count',
  issueDate: 'Issue date',
  maturityDate: 'Maturity date',
  firstCouponDate: 'First coupon date',
  endOfMonth: 'End-of-month rule',
  businessDay: 'Business-day adjustment',
  withholdingTaxPercent: 'Withholding tax'
}

type Period = { accrualStart: string; accrualEnd: string; paymentDate: string; isStub: boolean }

type Preview =
  | { kind: 'idle' }
  | { kind: 'ok'; key: string; periods: Period[] }
  | { kind: 'errors'; key: string; fields: FieldErrors; message: string | null }

/** The terms the coupon schedule is made of, as the series form sends them. */
function scheduleTerms(v: SeriesValues) {
  return {
    frequency: v.frequency as SeriesInput['frequency'],
    dayCount: v.dayCount as SeriesInput['dayCount'],
    issueDate: v.issueDate,
    maturityDate: v.maturityDate,
    firstCouponDate: v.firstCouponDate.trim() || null,
    endOfMonth: v.endOfMonth,
    businessDay: v.businessDay as SeriesInput['businessDay']
  }
}

/** What the series form sends; `faceError` is set when the face value does not parse. */
function toInput(v: SeriesValues, currency: string, locale: string): { input: SeriesInput; faceError: string | null } {
  const face = parseAmount(v.faceValue, currency, locale)
  return {
    input: {
      code: v.code.trim(),
      name: v.name.trim(),
      faceValueMinor: face.ok ? face.minor : (undefined as unknown as number),
      couponRatePercent: normalisePercentInput(v.couponRatePercent, locale),
      ...scheduleTerms(v),
      withholdingTaxPercent: normalisePercentInput(v.withholdingTaxPercent, locale)
    },
    faceError: face.ok ? null : face.error
  }
}

/** The schedule terms alone, the rest filled with valid stand-ins: the preview never waits for a name. */
function previewInput(v: SeriesValues): SeriesInput {
  return { code: 'PREVIEW', name: 'Preview', faceValueMinor: 100, couponRatePercent: '1', ...scheduleTerms(v), withholdingTaxPercent: '0' }
}

const scheduleOnly = (fields: FieldErrors): FieldErrors =>
  Object.fromEntries(Object.entries(fields).filter(([k]) => SCHEDULE_FIELDS.includes(k as FieldKey)))

function previewFailure(key: string, error: AppError): Preview {
  const fields = scheduleOnly(error.fields ?? {})
  return { kind: 'errors', key, fields, message: Object.keys(fields).length ? null : error.message }
}

/**
 * bonds.previewSchedule as a query, keyed by the schedule terms (JSON): what
 * the contract's schema refuses is answered without asking; while new terms
 * are being asked about, the last answer stays (its `key` says whose it is).
 */
function useSchedulePreview(key: string): Preview {
  const input = JSON.parse(key) as SeriesInput
  const ready = !!input.issueDate && !!input.maturityDate
  const query = useQuery({
    queryKey: bondKeys.schedulePreview(key),
    queryFn: async (): Promise<Preview> => {
      const local = SeriesInput.safeParse(input)
      if (!local.success) return { kind: 'errors', key, fields: scheduleOnly(issuesToFieldErrors(local.error.issues)), message: null }
      const r = await invoke('bonds.previewSchedule', input)
      return r.ok ? { kind: 'ok', key, periods: r.value } : previewFailure(key, r.error)
    },
    enabled: ready,
    placeholderData: keepPreviousData,
    staleTime: Infinity
  })
  return ready && query.data ? query.data : { kind: 'idle' }
}

/** New bond series: the terms on the left, the coupon schedule they give on the right, live. */
export function SeriesFormPage() {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const [values, setValues] = useState<SeriesValues>(() => ({
    code: '',
    name: '',
    faceValue: '',
    couponRatePercent: '',
    frequency: 'semi-annual',
    dayCount: '30/360',
    issueDate: todayIn(profile.timeZone),
    maturityDate: '',
    firstCouponDate: '',
    endOfMonth: false,
    businessDay: 'following',
    withholdingTaxPercent: ''
  }))
  const { errors, setErrors, banner, setBanner, focusTick, clear, showLocal, showServer } = useFormErrors(FIELD_ORDER)
  const [saving, setSaving] = useState(false)
  const createSeries = useCallMutation('bonds.createSeries')
  const formRef = useRef<HTMLFormElement>(null)
  useSaveShortcut(formRef, !saving)

  useEffect(() => {
    if (focusTick > 0) focusFirstInvalid(formRef.current)
  }, [focusTick])

  // ---- Live preview of the schedule (debounced), or what stops there being one.
  const pInput = previewInput(values)
  const pKey = JSON.stringify(pInput)
  const debouncedKey = useDebounced(pKey, 300)
  const preview = useSchedulePreview(debouncedKey)
  const previewCurrent = preview.kind === 'idle' || preview.key === pKey
  // A schedule problem the preview found shows next to its field too, once the dates are there.
  const liveErrors = preview.kind === 'errors' && previewCurrent ? preview.fields : {}

  const set =
    <K extends keyof SeriesValues>(key: K) =>
    (value: SeriesValues[K]) => {
      setValues((v) => ({ ...v, [key]: value }))
      const field = key === 'faceValue' ? 'faceValueMinor' : key
      setErrors((e) => {
        if (!(field in e)) return e
        const next = { ...e }
        delete next[field]
        return next
      })
    }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (saving) return
    setBanner(null)
    const { input, faceError } = toInput(values, profile.currency, profile.locale)
    const local = SeriesInput.safeParse(input)
    const found: FieldErrors = local.success ? {} : issuesToFieldErrors(local.error.issues)
    if (faceError) found.faceValueMinor = faceError
    if (!input.couponRatePercent) found.couponRatePercent = 'Coupon rate is required'
    if (!input.withholdingTaxPercent) found.withholdingTaxPercent = 'Withholding tax is required (0 for none)'
    if (Object.keys(found).length > 0) {
      showLocal(found)
      return
    }
    clear()
    setSaving(true)
    const r = await createSeries.mutateAsync(input)
    setSaving(false)
    if (!r.ok) {
      showServer(r.error)
      return
    }
    navigate(`/bonds/${r.value.id}`, { replace: true })
  }

  const err = (k: FieldKey) => errors[k] ?? liveErrors[k]
  const field = fieldBinder(values, (k, v) => set(k)(v), (k) => err(k === 'faceValue' ? 'faceValueMinor' : k))
  const face = values.faceValue.trim() ? parseAmount(values.faceValue, profile.currency, profile.locale) : null

  return (
    <div className="page page-series-form">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={() => navigate('/bonds')}>
            ← Bonds
          </button>
        }
        title="New bond series"
        subtitle="The coupon schedule on the right follows the terms as you type."
      />
      <div className="series-form-layout">
        <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-label="New bond series">
          <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
          <fieldset className="form-section">
            <legend className="form-section-title">Series</legend>
            <div className="form-grid">
              <TextField
                label="Code"
                required
                hint="Letters, digits and . _ -, e.g. B2026A"
                {...field('code')}
                inputClassName="mono"
                maxLength={20}
                autoComplete="off"
                spellCheck={false}
                autoFocus
              />
              <TextField label="Name" required {...field('name')} maxLength={120} autoComplete="off" />
              <TextField
                label="Face value"
                required
                hint={
                  face && face.ok
                    ? `${fmtMoney(face.minor, profile.currency, profile.locale)} per unit`
                    : `Of one unit, in ${profile.currency}`
                }
                {...field('faceValue')}
                inputMode="decimal"
                inputClassName="tnum"
                maxLength={30}
                autoComplete="off"
              />
              <TextField
                label="Coupon rate (%)"
                required
                hint="A year, e.g. 8.5"
                {...field('couponRatePercent')}
                inputMode="decimal"
                inputClassName="tnum"
                maxLength={12}
                autoComplete="off"
              />
              <TextField
                label="Withholding tax (%)"
                required
                hint="Taken from each coupon, e.g. 15"
                {...field('withholdingTaxPercent')}
                inputMode="decimal"
                inputClassName="tnum"
                maxLength={12}
                autoComplete="off"
              />
            </div>
          </fieldset>

          <fieldset className="form-section">
            <legend className="form-section-title">Coupon schedule</legend>
            <div className="form-grid">
              <DateField label="Issue date" required {...field('issueDate')} />
              <DateField label="Maturity date" required {...field('maturityDate')} />
              <SelectField label="Frequency" required {...field('frequency')} options={FREQUENCY_OPTIONS} />
              <SelectField label="Day count" required {...field('dayCount')} options={DAY_COUNT_OPTIONS} />
              <DateField label="First coupon date" hint="Optional: for a short or long first period (a stub)" {...field('firstCouponDate')} />
              <SelectField
                label="Business-day adjustment"
                hint="When a payment date is a weekend or holiday"
                {...field('businessDay')}
                options={BUSINESS_DAY_OPTIONS}
              />
              <CheckField
                label="End-of-month rule"
                className="span-2"
                checked={values.endOfMonth}
                onChange={set('endOfMonth')}
                error={err('endOfMonth')}
                hint="Issued on the last day of a month: every coupon falls on the last day of its month."
              />
            </div>
          </fieldset>

          <FormActions saveLabel="Save series" saving={saving} onCancel={() => navigate('/bonds')} />
        </form>

        <SchedulePreview preview={preview} current={previewCurrent} locale={profile.locale} />
      </div>
    </div>
  )
}

function SchedulePreview({ preview, current, locale }: { preview: Preview; current: boolean; locale: string }) {
  const periods = preview.kind === 'ok' ? preview.periods : []
  const stubs = periods.filter((p) => p.isStub).length
  return (
    <aside
      className={current ? 'panel schedule-preview' : 'panel schedule-preview is-stale'}
      aria-labelledby="schedule-preview-title"
      aria-busy={!current || undefined}
      data-testid="schedule-preview"
    >
      <h2 className="panel-title" id="schedule-preview-title">
        Coupon schedule preview
      </h2>
      <div aria-live="polite">
        {preview.kind === 'idle' ? (
          <p className="muted">Enter the issue and maturity dates to see the coupons this series will pay.</p>
        ) : preview.kind === 'errors' ? (
          <div className="preview-errors">
            <p>Fix the terms to see the schedule:</p>
            <ul>
              {Object.entries(preview.fields).map(([k, m]) => (
                <li key={k}>
                  <strong>{FIELD_LABELS[k] ?? k}:</strong> {m}
                </li>
              ))}
              {preview.message ? <li>{preview.message}</li> : null}
            </ul>
          </div>
        ) : periods.length === 0 ? (
          <p className="muted">These terms give no coupon.</p>
        ) : (
          <p className="preview-summary">
            <strong className="tnum">{periods.length}</strong> {periods.length === 1 ? 'coupon' : 'coupons'}, paid{' '}
            {fmtDate(periods[0]?.paymentDate, locale)}
            {periods.length > 1 ? <> to {fmtDate(periods[periods.length - 1]?.paymentDate, locale)}</> : null}
            {stubs > 0 ? <span className="muted"> · {stubs === 1 ? 'one stub period' : `${stubs} stub periods`}</span> : null}
          </p>
        )}
      </div>
      {periods.length > 0 ? (
        <div className="schedule-preview-scroll">
          <table className="table table-compact" aria-label="Schedule preview">
            <ScheduleHead />
            <tbody>
              {periods.map((p, i) => (
                <tr key={`${p.accrualStart}-${i}`} className={p.isStub ? 'is-stub' : undefined}>
                  <td className="num muted">{i + 1}</td>
                  <td className="tnum nowrap">{fmtDate(p.accrualStart, locale)}</td>
                  <td className="tnum nowrap">{fmtDate(p.accrualEnd, locale)}</td>
                  <td className="tnum nowrap">{fmtDate(p.paymentDate, locale)}</td>
                  <td className="schedule-notes nowrap">
                    {p.isStub ? <span className="tag tag-stub">Stub</span> : null}
                    {p.paymentDate !== p.accrualEnd ? (
                      <span className="tag" title="Moved off a weekend or holiday">
                        Adjusted
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </aside>
  )
}
