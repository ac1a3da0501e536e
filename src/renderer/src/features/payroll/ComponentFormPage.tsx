import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import { ComponentInput, type Account, type Component, type ComponentKind } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { focusFirstInvalid, issuesToFieldErrors, useFormErrors, type FieldErrors } from '../../platform/forms'
import { useCallMutation } from '../../platform/queries'
import { todayIn } from '../../platform/today'
import { useSaveShortcut } from '../../platform/useSaveShortcut'
import { useProfile } from '../profile/ProfileContext'
import { parseId } from '../members/ids'
import { ledgerKeys } from '../ledger/queries'
import { ErrorBanner } from '../../ui/Banner'
import { CheckField, SelectField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { RateFields, blankRate, rateFieldKeys, rateInputOf, type RateValues } from './RateFields'
import { FLAGS_FOR, FLAG_WORDS, KIND_OPTIONS } from './SetupWords'
import { payrollKeys } from './queries'
import './payroll.css'

interface Head {
  code: string
  name: string
  kind: string
  accountId: string
  payableAccountId: string
  sortOrder: string
}
type Flags = { taxable: boolean; preTax: boolean; prorate: boolean; statutory: boolean }

const HEAD_FIELDS = ['code', 'name', 'kind', 'taxable', 'preTax', 'prorate', 'statutory', 'accountId', 'payableAccountId', 'sortOrder']

/** What the component's page says after the form saved. */
export interface ComponentSavedState {
  saved: 'created' | 'updated'
}

/** The account a kind of component posts to, in words. */
const ACCOUNT_WORDS: Record<ComponentKind, { label: string; hint: string }> = {
  earning: { label: 'Expense account', hint: 'Debited with what is paid (salaries, allowances)' },
  deduction: { label: 'Owed to account', hint: 'Credited with what is taken off: a payable (tax, pension), or a loan receivable' },
  employer: { label: 'Expense account', hint: 'Debited with the society’s contribution' }
}

/** New component (`/payroll/components/new`) and Edit (`/payroll/components/:id/edit`). */
export function ComponentFormPage({ mode }: { mode: 'new' | 'edit' }) {
  const params = useParams()
  const accounts = useQuery({ queryKey: ledgerKeys.accounts(), queryFn: () => call('ledger.accounts', { includeInactive: true }) })
  const components = useQuery({ queryKey: payrollKeys.components(), queryFn: () => call('payroll.components', { includeInactive: true }) })
  if (accounts.isError && !accounts.data) return <PageError error={accounts.error} title="The accounts could not be loaded" onRetry={() => void accounts.refetch()} />
  if (components.isError && !components.data) return <PageError error={components.error} title="The components could not be loaded" onRetry={() => void components.refetch()} />
  if (!accounts.data || !components.data) return <PageLoading />
  if (mode === 'new') return <ComponentForm accounts={accounts.data.accounts} all={components.data.components} component={null} />
  const id = parseId(params.id)
  const component = components.data.components.find((c) => c.id === id)
  if (id === null || !component) return <PageError error={new Error('There is no pay component at this address.')} title="Not found" />
  return <ComponentForm key={id} accounts={accounts.data.accounts} all={components.data.components} component={component} />
}

function ComponentForm({ accounts, all, component: loaded }: { accounts: Account[]; all: Component[]; component: Component | null }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const [component] = useState(loaded)
  const [head, setHead] = useState<Head>(() =>
    component
      ? {
          code: component.code,
          name: component.name,
          kind: component.kind,
          accountId: String(component.accountId),
          payableAccountId: component.payableAccountId === null ? '' : String(component.payableAccountId),
          sortOrder: String(component.sortOrder)
        }
      : { code: '', name: '', kind: 'earning', accountId: '', payableAccountId: '', sortOrder: '100' }
  )
  const [flags, setFlags] = useState<Flags>(() =>
    component
      ? { taxable: component.taxable, preTax: component.preTax, prorate: component.prorate, statutory: component.statutory }
      : { taxable: true, preTax: false, prorate: true, statutory: false }
  )
  const [rate, setRate] = useState<RateValues>(() => blankRate(todayIn(profile.timeZone)))
  const knownFields = [...HEAD_FIELDS, ...rateFieldKeys(rate.bands.length).map((k) => `rate.${k}`)]
  const form = useFormErrors(knownFields)
  const create = useCallMutation('payroll.createComponent')
  const update = useCallMutation('payroll.updateComponent')
  const saving = create.isPending || update.isPending
  const formRef = useRef<HTMLFormElement>(null)
  useSaveShortcut(formRef, !saving)
  useEffect(() => {
    if (form.focusTick > 0) focusFirstInvalid(formRef.current)
  }, [form.focusTick])

  const forget = (...keys: string[]) =>
    form.setErrors((e) => {
      if (!keys.some((k) => k in e)) return e
      const next = { ...e }
      for (const k of keys) delete next[k]
      return next
    })
  const bind = (key: keyof Head) => ({
    value: head[key],
    onChange: (e: { target: { value: string } }) => {
      setHead((h) => ({ ...h, [key]: e.target.value }))
      forget(key)
    },
    error: form.errors[key]
  })

  const kind = head.kind as ComponentKind
  const applies = FLAGS_FOR[kind] ?? []
  const accountOptions = [
    { value: '', label: 'Choose an account…' },
    ...accounts
      .filter((a) => a.controlOf === null && (a.active || String(a.id) === head.accountId || String(a.id) === head.payableAccountId))
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((a) => ({ value: String(a.id), label: `${a.code} ${a.name}${a.active ? '' : ' (inactive)'}` }))
  ]
  const earnings = all.filter((c) => c.kind === 'earning' && c.id !== component?.id)

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (saving) return
    form.setBanner(null)
    const found: FieldErrors = {}
    const sortText = head.sortOrder.trim()
    const sortOrder = /^\d{1,3}$/.test(sortText) ? Number(sortText) : Number.NaN
    if (Number.isNaN(sortOrder)) found.sortOrder = 'Order must be a whole number from 0 to 999'
    if (!head.accountId) found.accountId = 'Choose the account'
    if (kind === 'employer' && !head.payableAccountId) found.payableAccountId = 'Choose the account the contribution is owed to'
    const head_ = {
      code: head.code.trim().toUpperCase(),
      name: head.name,
      kind,
      // Only the flags that apply to the kind; the others are false (core refuses them).
      taxable: applies.includes('taxable') && flags.taxable,
      preTax: applies.includes('preTax') && flags.preTax,
      prorate: applies.includes('prorate') && flags.prorate,
      statutory: applies.includes('statutory') && flags.statutory,
      accountId: Number(head.accountId),
      payableAccountId: kind === 'employer' && head.payableAccountId ? Number(head.payableAccountId) : null,
      sortOrder
    }
    if (component) {
      const input = { ...head_, id: component.id, expectedVersion: component.version }
      const parsed = ComponentInput.omit({ rate: true }).safeParse(head_)
      if (!parsed.success) for (const [k, m] of Object.entries(issuesToFieldErrors(parsed.error.issues))) if (!(k in found)) found[k] = m
      if (Object.keys(found).length > 0) {
        form.showLocal(found)
        return
      }
      form.clear()
      const r = await update.mutateAsync(input)
      if (!r.ok) form.showServer(r.error)
      else navigate(`/payroll/components/${r.value.id}`, { replace: true, state: { saved: 'updated' } satisfies ComponentSavedState })
    } else {
      const r0 = rateInputOf(rate, profile.currency, profile.locale)
      for (const [k, m] of Object.entries(r0.found)) found[`rate.${k}`] = m
      const input = { ...head_, rate: r0.input }
      const parsed = ComponentInput.safeParse(input)
      if (!parsed.success) for (const [k, m] of Object.entries(issuesToFieldErrors(parsed.error.issues))) if (!(k in found)) found[k] = m
      if (Object.keys(found).length > 0) {
        form.showLocal(found)
        return
      }
      form.clear()
      const r = await create.mutateAsync(input)
      if (!r.ok) form.showServer(r.error)
      else navigate(`/payroll/components/${r.value.id}`, { replace: true, state: { saved: 'created' } satisfies ComponentSavedState })
    }
  }

  const back = () => navigate(component ? `/payroll/components/${component.id}` : '/payroll/components')
  const title = component ? `Edit ${component.code}` : 'New pay component'
  const accountWords = ACCOUNT_WORDS[kind] ?? ACCOUNT_WORDS.earning
  return (
    <div className="page page-payroll-form">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={back}>
            ← {component ? `${component.code} ${component.name}` : 'Components'}
          </button>
        }
        title={title}
        subtitle={
          component
            ? 'Its name, flags, accounts and order. Its rates are dated: add a new one from a date on its page.'
            : 'Something a payslip pays, takes off, or the society adds on top, and the rate it starts with.'
        }
      />
      <form ref={formRef} className="form payroll-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label={title}>
        <ErrorBanner message={form.banner} onDismiss={() => form.setBanner(null)} />
        <div className="form-grid form-grid-3">
          <TextField
            label="Code"
            required
            {...bind('code')}
            maxLength={20}
            autoComplete="off"
            inputClassName="mono"
            hint="Capital letters, digits and _ (BASIC, PAYE, PENSION); BASIC is basic pay"
          />
          <TextField label="Name" required {...bind('name')} maxLength={80} autoComplete="off" className="span-2" hint="As the payslip shows it" />
          <SelectField
            label="Kind"
            required
            {...bind('kind')}
            onChange={(e) => {
              bind('kind').onChange(e)
              // An earning is never a band table: its first rate goes back to a fixed amount.
              if (e.target.value === 'earning' && rate.method === 'bands') setRate((r) => ({ ...r, method: 'fixed', base: 'basic' }))
            }}
            options={KIND_OPTIONS}
            disabled={component !== null}
            hint={component ? 'Fixed once saved' : 'Paid, taken off, or added by the society on top of pay'}
          />
          <TextField label="Order" {...bind('sortOrder')} inputMode="numeric" inputClassName="tnum" maxLength={3} autoComplete="off" hint="On the payslip within its kind (0 to 999)" />
          <span />
        </div>
        <fieldset className="form-section">
          <legend className="form-section-title">How it counts</legend>
          <div className="form-grid form-grid-3 payroll-flags">
            {applies.map((f) => (
              <CheckField
                key={f}
                label={FLAG_WORDS[f].label}
                checked={flags[f]}
                onChange={(v) => {
                  setFlags((x) => ({ ...x, [f]: v }))
                  forget(f)
                }}
                error={form.errors[f]}
                hint={FLAG_WORDS[f].hint}
              />
            ))}
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend className="form-section-title">Accounts</legend>
          <div className="form-grid form-grid-3">
            <SelectField label={accountWords.label} required {...bind('accountId')} options={accountOptions} hint={accountWords.hint} />
            {kind === 'employer' ? (
              <SelectField
                label="Payable account"
                required
                {...bind('payableAccountId')}
                options={accountOptions}
                hint="Credited with the contribution, until it is paid over"
              />
            ) : null}
          </div>
        </fieldset>
        {component === null ? (
          <fieldset className="form-section">
            <legend className="form-section-title">First rate</legend>
            <RateFields
              values={rate}
              onChange={(next, changed) => {
                setRate(next)
                forget(...changed.map((k) => `rate.${k}`))
              }}
              errorOf={(k) => form.errors[`rate.${k}`]}
              earnings={earnings}
              kind={kind}
            />
          </fieldset>
        ) : null}
        <FormActions saveLabel={component ? 'Save changes' : 'Save component'} saving={saving} onCancel={back} />
      </form>
    </div>
  )
}
