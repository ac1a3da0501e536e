import { useRef, useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import type { Calendar, PayFrequency } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { focusFirstInvalid, placeServerError, type FieldErrors } from '../../platform/forms'
import { fmtDate } from '../../platform/format'
import { useCallMutation } from '../../platform/queries'
import { useSaveShortcut } from '../../platform/useSaveShortcut'
import { todayIn } from '../../platform/today'
import { useProfile } from '../profile/ProfileContext'
import { parseId } from '../members/ids'
import { ErrorBanner } from '../../ui/Banner'
import { DateField, Field, SelectField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { Switch } from '../../ui/Switch'
import { PayrollTabs } from './PayrollTabs'
import { PeriodRuleFields } from './PeriodRuleFields'
import { FREQUENCY_OPTIONS, ruleDraftOf, ruleOfDraft, type RuleDraft } from './PeriodWords'
import { payrollKeys } from './queries'
import './payroll-periods.css'

const FIELDS = ['name', 'frequency', 'firstStart', 'payDayOffset', 'automation', 'rule', 'rule.kind', 'rule.days', 'rule.cron', 'rule.date'] as const

/** New pay calendar (`/payroll/calendars/new`) and Edit (`/payroll/calendars/:id/edit`). */
export function CalendarFormPage({ mode }: { mode: 'new' | 'edit' }) {
  const params = useParams()
  const id = mode === 'edit' ? parseId(params.id) : null
  const list = useQuery({ queryKey: payrollKeys.calendars(), queryFn: () => call('payroll.calendars', {}), enabled: mode === 'edit' })
  if (mode === 'new') return <CalendarForm calendar={null} />
  if (id === null) return <PageError error={new Error('There is no pay calendar at this address.')} title="Not found" />
  if (list.isError && !list.data) return <PageError error={list.error} title="The calendar could not be loaded" onRetry={() => void list.refetch()} />
  if (!list.data) return <PageLoading />
  const calendar = list.data.calendars.find((c) => c.id === id)
  if (!calendar) return <PageError error={new Error('There is no pay calendar at this address.')} title="Not found" />
  return <CalendarForm key={calendar.id} calendar={calendar} />
}

function CalendarForm({ calendar }: { calendar: Calendar | null }) {
  const navigate = useNavigate()
  const { profile } = useProfile()
  const formRef = useRef<HTMLFormElement>(null)
  const create = useCallMutation('payroll.createCalendar')
  const update = useCallMutation('payroll.updateCalendar')
  const [name, setName] = useState(calendar?.name ?? '')
  const [frequency, setFrequency] = useState<PayFrequency>(calendar?.frequency ?? 'monthly')
  const [firstStart, setFirstStart] = useState(calendar?.firstStart ?? firstOfThisMonth(todayIn(profile.timeZone)))
  const [offset, setOffset] = useState(String(calendar?.payDayOffset ?? 0))
  const [rule, setRule] = useState<RuleDraft>(() => ruleDraftOf(calendar?.rule ?? { kind: 'days-before-end', days: 3 }))
  const [automation, setAutomation] = useState(calendar?.automation ?? true)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const saving = create.isPending || update.isPending
  // Frequency and first start are fixed once it has periods.
  const fixed = (calendar?.periods ?? 0) > 0
  useSaveShortcut(formRef)
  // A message goes as soon as its field is changed (the next save checks it again).
  const forget = (...keys: string[]) =>
    setErrors((e) => {
      if (!keys.some((k) => k in e)) return e
      const next = { ...e }
      for (const k of keys) delete next[k]
      return next
    })

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (saving) return
    setBanner(null)
    const found: FieldErrors = {}
    if (!name.trim()) found.name = 'Enter the calendar’s name'
    if (!firstStart) found.firstStart = 'Choose the first period’s first day'
    const off = offset.trim()
    if (!/^\d{1,2}$/.test(off) || Number(off) > 31) found.payDayOffset = 'Enter a whole number of days from 0 to 31'
    const r = ruleOfDraft(rule)
    if (!r.ok) found[r.field] = r.message
    if (Object.keys(found).length > 0 || !r.ok) {
      setErrors(found)
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    setErrors({})
    const input = { name: name.trim(), frequency, firstStart, payDayOffset: Number(off), rule: r.rule, automation }
    const res = calendar ? await update.mutateAsync({ ...input, id: calendar.id, expectedVersion: calendar.version }) : await create.mutateAsync(input)
    if (!res.ok) {
      const placed = placeServerError(res.error, FIELDS)
      setErrors(placed.fields)
      setBanner(placed.banner)
      requestAnimationFrame(() => focusFirstInvalid(formRef.current))
      return
    }
    navigate('/payroll/calendars')
  }

  const title = calendar ? `Edit ${calendar.name}` : 'New pay calendar'
  return (
    <div className="page page-form page-payroll-form">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={() => navigate('/payroll/calendars')}>
            ← Calendars
          </button>
        }
        title={title}
        subtitle="Its periods follow one another from the first start; the payroll job drafts each on the day the rule gives."
      />
      <PayrollTabs />
      <form ref={formRef} className="form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label={title}>
        <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
        <div className="form-grid">
          <TextField label="Name" required maxLength={80} autoComplete="off" value={name} error={errors.name} onChange={(e) => {
              setName(e.target.value)
              forget('name')
            }} hint="e.g. “Monthly staff”" />
          <SelectField
            label="Frequency"
            required
            value={frequency}
            options={FREQUENCY_OPTIONS}
            disabled={fixed}
            error={errors.frequency}
            hint={fixed ? 'Fixed: the calendar has periods' : undefined}
            onChange={(e) => {
              setFrequency(e.target.value as PayFrequency)
              forget('frequency')
            }}
          />
          <DateField
            label="First period starts"
            required
            value={firstStart}
            disabled={fixed}
            error={errors.firstStart}
            hint={fixed ? 'Fixed: the calendar has periods' : 'The next ones follow a month, two weeks or a week each'}
            onChange={(e) => {
              setFirstStart(e.target.value)
              forget('firstStart')
            }}
          />
          <TextField
            label="Paid days after the end"
            required
            type="number"
            inputMode="numeric"
            inputClassName="tnum"
            min={0}
            max={31}
            step={1}
            value={offset}
            error={errors.payDayOffset}
            hint="0: paid on the period’s last day"
            onChange={(e) => {
              setOffset(e.target.value)
              forget('payDayOffset')
            }}
          />
        </div>
        <h2 className="section-title payroll-form-section">When it is drafted</h2>
        <PeriodRuleFields
          draft={rule}
          onChange={(next) => {
            setRule(next)
            forget('rule', 'rule.kind', 'rule.days', 'rule.cron', 'rule.date')
          }}
          errors={errors}
          allowDate={false}
        />
        <Field label="Automation" error={errors.automation} hint={automation ? 'The payroll job drafts each period when it is due' : 'Periods are drafted only by hand (Draft now)'}>
          <Switch
            checked={automation}
            onChange={(on) => {
              setAutomation(on)
              forget('automation')
            }}
            onText="On"
            offText="Off"
          />
        </Field>
        {calendar?.next ? (
          <p className="field-hint" data-testid="calendar-form-next">
            Next period: {calendar.next.periodName}
            {calendar.next.dueOn ? `, due ${fmtDate(calendar.next.dueOn, profile.locale)}` : ''} (as last saved).
          </p>
        ) : null}
        <FormActions saveLabel={calendar ? 'Save calendar' : 'Create calendar'} saving={saving} onCancel={() => navigate('/payroll/calendars')} />
      </form>
    </div>
  )
}

function firstOfThisMonth(today: string): string {
  return today ? `${today.slice(0, 8)}01` : ''
}
