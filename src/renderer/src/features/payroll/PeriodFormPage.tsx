import { useRef, useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import type { PayFrequency } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtDate, fmtDateRange } from '../../platform/format'
import { focusFirstInvalid, placeServerError, type FieldErrors } from '../../platform/forms'
import { useCallMutation } from '../../platform/queries'
import { useSaveShortcut } from '../../platform/useSaveShortcut'
import { useProfile } from '../profile/ProfileContext'
import { ErrorBanner } from '../../ui/Banner'
import { DateField, Field, SelectField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { PageHeader } from '../../ui/PageHeader'
import { Switch } from '../../ui/Switch'
import { PayrollTabs } from './PayrollTabs'
import { PeriodRuleFields } from './PeriodRuleFields'
import { FREQUENCY_OPTIONS, ruleDraftOf, ruleOfDraft, type RuleDraft } from './PeriodWords'
import { payrollKeys } from './queries'
import './payroll-periods.css'

const FIELDS = ['calendarId', 'name', 'frequency', 'startDate', 'endDate', 'payDate', 'automation', 'rule', 'rule.kind', 'rule.days', 'rule.cron', 'rule.date'] as const

type Kind = 'calendar' | 'single'

/**
 * New period (`/payroll/periods/new`): a calendar's next period now (its
 * dates and rule follow the calendar), or a single period with its own dates,
 * pay date, rule and automation (a bonus run, an off-cycle payment).
 */
export function PeriodFormPage() {
  const navigate = useNavigate()
  const { profile } = useProfile()
  const formRef = useRef<HTMLFormElement>(null)
  const calendars = useQuery({ queryKey: payrollKeys.calendars(), queryFn: () => call('payroll.calendars', {}) })
  const active = (calendars.data?.calendars ?? []).filter((c) => c.active)
  const create = useCallMutation('payroll.createPeriod')
  const [kind, setKind] = useState<Kind>('calendar')
  const [calendarId, setCalendarId] = useState('')
  const [name, setName] = useState('')
  const [frequency, setFrequency] = useState<PayFrequency>('monthly')
  const [startDate, setStart] = useState('')
  const [endDate, setEnd] = useState('')
  const [payDate, setPayDate] = useState('')
  const [rule, setRule] = useState<RuleDraft>(() => ruleDraftOf({ kind: 'days-before-end', days: 0 }))
  const [automation, setAutomation] = useState(true)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  useSaveShortcut(formRef)
  // With calendars, a calendar's next period is the usual choice; without, a single period.
  const effectiveKind: Kind = calendars.data && active.length === 0 ? 'single' : kind
  const chosen = active.find((c) => String(c.id) === calendarId) ?? (active.length === 1 ? active[0] : undefined)

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (create.isPending) return
    setBanner(null)
    const found: FieldErrors = {}
    let input: Parameters<typeof create.mutateAsync>[0]
    if (effectiveKind === 'calendar') {
      if (!chosen) found.calendarId = 'Choose the calendar'
      input = { calendarId: chosen?.id ?? null }
    } else {
      if (!startDate) found.startDate = 'Choose the first day'
      if (!endDate) found.endDate = 'Choose the last day'
      else if (startDate && endDate < startDate) found.endDate = 'The last day is before the first'
      if (!payDate) found.payDate = 'Choose the pay date'
      const r = ruleOfDraft(rule)
      if (!r.ok) found[r.field] = r.message
      input = {
        calendarId: null,
        name: name.trim() || null,
        frequency,
        startDate: startDate || null,
        endDate: endDate || null,
        payDate: payDate || null,
        rule: r.ok ? r.rule : null,
        automation
      }
    }
    if (Object.keys(found).length > 0) {
      setErrors(found)
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setErrors({})
    const res = await create.mutateAsync(input)
    if (!res.ok) {
      const placed = placeServerError(res.error, FIELDS)
      setErrors(placed.fields)
      setBanner(placed.banner)
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    navigate(`/payroll/periods/${res.value.id}`)
  }

  return (
    <div className="page page-form page-payroll-form">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={() => navigate('/payroll')}>
            ← Periods
          </button>
        }
        title="New pay period"
      />
      <PayrollTabs />
      <form ref={formRef} className="form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label="New pay period">
        <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
        <fieldset className="payroll-kind" disabled={calendars.data !== undefined && active.length === 0}>
          <legend className="field-label">What period</legend>
          <label className="check">
            <input type="radio" name="kind" checked={effectiveKind === 'calendar'} onChange={() => setKind('calendar')} />
            <span>A calendar’s next period</span>
          </label>
          <label className="check">
            <input type="radio" name="kind" checked={effectiveKind === 'single'} onChange={() => setKind('single')} />
            <span>A single period with its own dates</span>
          </label>
          {calendars.data && active.length === 0 ? <p className="field-hint">No active calendar: a single period.</p> : null}
        </fieldset>

        {effectiveKind === 'calendar' ? (
          <>
            <SelectField
              label="Calendar"
              required
              value={chosen ? String(chosen.id) : ''}
              error={errors.calendarId}
              options={[{ value: '', label: calendars.data ? 'Choose…' : 'Loading…' }, ...active.map((c) => ({ value: String(c.id), label: c.name }))]}
              onChange={(e) => setCalendarId(e.target.value)}
            />
            {chosen ? (
              <p className="field-hint" data-testid="period-form-next">
                {chosen.next
                  ? `Its next period: ${chosen.next.periodName}, ${fmtDateRange(chosen.next.start, chosen.next.end, profile.locale)}${chosen.next.dueOn ? `, due ${fmtDate(chosen.next.dueOn, profile.locale)}` : ''}. ${chosen.ruleWords}.`
                  : chosen.ruleWords}
              </p>
            ) : null}
          </>
        ) : (
          <>
            <div className="form-grid">
              <TextField label="Name" maxLength={80} autoComplete="off" value={name} error={errors.name} hint="Optional: e.g. “Bonus, December”; otherwise named by its dates" onChange={(e) => setName(e.target.value)} />
              <SelectField label="Frequency" value={frequency} options={FREQUENCY_OPTIONS} error={errors.frequency} hint="What its pay is per: a monthly salary, a week’s wage" onChange={(e) => setFrequency(e.target.value as PayFrequency)} />
              <DateField label="Start date" required value={startDate} error={errors.startDate} onChange={(e) => setStart(e.target.value)} />
              <DateField label="End date" required value={endDate} error={errors.endDate} onChange={(e) => setEnd(e.target.value)} />
              <DateField label="Pay date" required value={payDate} error={errors.payDate} hint="The day its entry is posted" onChange={(e) => setPayDate(e.target.value)} />
            </div>
            <h2 className="section-title payroll-form-section">When it is drafted</h2>
            <PeriodRuleFields draft={rule} onChange={setRule} errors={errors} allowDate />
            <Field label="Automation" error={errors.automation} hint={automation ? 'The payroll job drafts it when it is due' : 'Drafted only by hand (Draft now)'}>
              <Switch checked={automation} onChange={setAutomation} onText="On" offText="Off" />
            </Field>
          </>
        )}
        <FormActions saveLabel="Create period" saving={create.isPending} onCancel={() => navigate('/payroll')} />
      </form>
    </div>
  )
}
