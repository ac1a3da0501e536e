import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useLocation, useNavigate, useParams } from 'react-router-dom'
import { RateInput, type Component, type Rate } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { focusFirstInvalid, issuesToFieldErrors, useFormErrors } from '../../platform/forms'
import { fmtCount, fmtDate } from '../../platform/format'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { parseId } from '../members/ids'
import { Banner, ErrorBanner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { FormActions } from '../../ui/FormActions'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import type { ComponentSavedState } from './ComponentFormPage'
import { RateFields, rateFieldKeys, rateInputOf, rateValuesFrom, type RateValues } from './RateFields'
import { FLAGS_FOR, FLAG_WORDS, kindLabel, methodLabel, roundingLabel } from './SetupWords'
import { Fact } from './Fact'
import { DeleteDatedModal } from './DeleteDatedModal'
import { payrollKeys } from './queries'
import './payroll.css'

/** `/payroll/components/:id`: one pay component, its dated rates, and a new rate from a date. */
export function ComponentDetailPage() {
  const params = useParams()
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no pay component at this address.')} title="Not found" />
  return <ComponentLoader key={id} id={id} />
}

function ComponentLoader({ id }: { id: number }) {
  const loaded = useQuery({ queryKey: payrollKeys.component(id), queryFn: () => call('payroll.component', { id }) })
  const all = useQuery({ queryKey: payrollKeys.components(), queryFn: () => call('payroll.components', { includeInactive: true }) })
  if (loaded.isError && !loaded.data) return <PageError error={loaded.error} onRetry={() => void loaded.refetch()} />
  if (!loaded.data) return <PageLoading />
  const earnings = (all.data?.components ?? []).filter((c) => c.kind === 'earning' && c.id !== id)
  return <ComponentView component={loaded.data} earnings={earnings} />
}

function ComponentView({ component: c, earnings }: { component: Component; earnings: Component[] }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const location = useLocation()
  // What the form saved is said with the code as it is now: the page may first show the record from before the save, then the saved one.
  const [saved, setSaved] = useState((location.state as ComponentSavedState | null)?.saved ?? null)
  const [said, setNotice] = useState<string | null>(null)
  const notice = said ?? (saved === 'created' ? `${c.code} was saved with its first rate.` : saved === 'updated' ? `${c.code} was saved.` : null)
  const [deleting, setDeleting] = useState<Rate | null>(null)
  const [toggling, setToggling] = useState(false)
  const can = { edit: useCan('payroll.updateComponent'), rate: useCan('payroll.saveRate'), deleteRate: useCan('payroll.deleteRate'), active: useCan('payroll.setComponentActive') }
  const date = (d: string) => fmtDate(d, profile.locale)
  const flags = (FLAGS_FOR[c.kind] ?? []).filter((f) => c[f])

  const actions: ReactNode[] = []
  if (can.active)
    actions.push(
      <Button key="active" onClick={() => setToggling(true)}>
        {c.active ? 'Deactivate' : 'Activate'}
      </Button>
    )
  if (can.edit)
    actions.push(
      <Button key="edit" variant="primary" onClick={() => navigate(`/payroll/components/${c.id}/edit`)}>
        Edit
      </Button>
    )

  return (
    <div className="page page-payroll-detail">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={() => navigate('/payroll/components')}>
            ← Components
          </button>
        }
        title={`${c.code} · ${c.name}`}
        subtitle={
          <span className="detail-subtitle">
            <span className={c.active ? 'badge badge-active' : 'badge badge-inactive'} data-testid="component-status">
              {c.active ? 'Active' : 'Inactive'}
            </span>
            <span>{kindLabel(c.kind)}</span>
            {c.statutory ? <span className="badge badge-info">Statutory</span> : null}
          </span>
        }
        actions={actions.length ? <>{actions}</> : undefined}
      />

      {notice ? (
        <Banner
          tone="success"
          onDismiss={() => {
            setNotice(null)
            setSaved(null)
          }}
          className="page-banner"
        >
          <span data-testid="component-notice">{notice}</span>
        </Banner>
      ) : null}

      <section className="panel payroll-panel" aria-labelledby="component-facts-title">
        <h2 className="panel-title" id="component-facts-title">
          Settings
        </h2>
        <dl className="payroll-facts">
          <Fact label="Rate in force">
            <span data-testid="component-current">{c.current.describe}</span>
          </Fact>
          <Fact label="Counts as">{flags.length ? flags.map((f) => FLAG_WORDS[f].label).join(', ') : <span className="muted">Nothing special</span>}</Fact>
          <Fact label={c.kind === 'deduction' ? 'Owed to' : 'Expense account'}>{c.accountName}</Fact>
          {c.kind === 'employer' ? <Fact label="Payable account">{c.payableAccountName ?? '—'}</Fact> : null}
          <Fact label="Order on the payslip">{c.sortOrder}</Fact>
          <Fact label="Staff">{c.staffCount === 0 ? <span className="muted">No structure in force uses it</span> : `${fmtCount(c.staffCount, profile.locale)} in force today`}</Fact>
        </dl>
      </section>

      <section className="payroll-section" aria-labelledby="component-rates-title">
        <div className="section-head">
          <h2 className="section-title" id="component-rates-title">
            Rates <span className="muted tnum">{fmtCount(c.rates.length, profile.locale)}</span>
          </h2>
          <span className="muted">Newest first. A period uses the rate in force on its last day.</span>
        </div>
        <div className="table-wrap">
          <table className="table table-compact payroll-rates" aria-label="Rates">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Method</th>
                <th scope="col">Rate</th>
                <th scope="col">Rounding</th>
                <th scope="col">Note</th>
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {c.rates.map((r) => (
                <tr key={r.id} data-rate-from={r.effectiveFrom} className={r.id === c.current.id ? 'is-current' : undefined}>
                  <td className="tnum nowrap">
                    {date(r.effectiveFrom)}
                    {r.id === c.current.id ? (
                      <div>
                        <span className="badge badge-active">In force</span>
                      </div>
                    ) : null}
                  </td>
                  <td className="nowrap">{methodLabel(r.method)}</td>
                  <td className="payroll-rate-words">{r.describe}</td>
                  <td className="nowrap">{roundingLabel(r.rounding)}</td>
                  <td>{r.note ?? <span className="muted">—</span>}</td>
                  <td className="col-actions">
                    {r.locked ? (
                      <span className="badge badge-inactive" title="Used by a posted payslip: kept as it is">
                        Locked
                      </span>
                    ) : can.deleteRate && c.rates.length > 1 ? (
                      <div className="row-actions">
                        <Button small variant="danger" onClick={() => setDeleting(r)} aria-label={`Delete the rate from ${date(r.effectiveFrom)}`}>
                          Delete
                        </Button>
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {can.rate ? <NewRate component={c} earnings={earnings} onSaved={(from) => setNotice(`The rate from ${date(from)} was saved.`)} /> : null}

      {deleting ? (
        <DeleteDatedModal
          channel="payroll.deleteRate"
          id={deleting.id}
          what="rate"
          effectiveFrom={deleting.effectiveFrom}
          onClose={() => setDeleting(null)}
          onDone={() => {
            setDeleting(null)
            setNotice(`The rate from ${date(deleting.effectiveFrom)} was deleted.`)
          }}
        >
          Periods from that day on use the rate before it. Payslips already drafted are not changed until they are worked out again.
        </DeleteDatedModal>
      ) : null}
      {toggling ? (
        <ActiveModal
          component={c}
          onClose={() => setToggling(false)}
          onDone={(x) => {
            setToggling(false)
            setNotice(x.active ? `${x.code} is active again: pay structures may use it.` : `${x.code} is inactive: new pay structures cannot use it.`)
          }}
        />
      ) : null}
    </div>
  )
}

/** "Add a rate from a date": starts from the rate in force; the same date as a saved rate replaces it (unless locked). */
function NewRate({ component: c, earnings, onSaved }: { component: Component; earnings: Component[]; onSaved: (from: string) => void }) {
  const { profile } = useProfile()
  // Starts from the rate in force, with no date: the date is the one thing a new rate must choose.
  const [values, setValues] = useState<RateValues>(() => rateValuesFrom(c.current, profile.currency, ''))
  const form = useFormErrors(rateFieldKeys(values.bands.length))
  const save = useCallMutation('payroll.saveRate')
  const formRef = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (form.focusTick > 0) focusFirstInvalid(formRef.current)
  }, [form.focusTick])
  const [done, setDone] = useState(false)

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (save.isPending) return
    form.setBanner(null)
    setDone(false)
    const { input, found } = rateInputOf(values, profile.currency, profile.locale)
    const parsed = RateInput.safeParse(input)
    const local = parsed.success ? {} : issuesToFieldErrors(parsed.error.issues)
    const all = { ...local, ...found }
    if (Object.keys(all).length > 0) {
      form.showLocal(all)
      return
    }
    form.clear()
    const r = await save.mutateAsync({ ...input, componentId: c.id })
    if (!r.ok) {
      form.showServer(r.error)
      return
    }
    setDone(true)
    // The form keeps the rate just saved to start the next one from, without its date: else it would say at once that it replaces the rate saved.
    setValues((v) => ({ ...v, effectiveFrom: '' }))
    onSaved(values.effectiveFrom)
  }

  const replaces = c.rates.find((r) => r.effectiveFrom === values.effectiveFrom) ?? null
  return (
    <section className="panel payroll-panel" aria-labelledby="new-rate-title">
      <h2 className="panel-title" id="new-rate-title">
        Add a rate from a date
      </h2>
      <form ref={formRef} className="form payroll-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label="Add a rate from a date">
        <ErrorBanner message={form.banner} onDismiss={() => form.setBanner(null)} />
        <p className="muted">
          A new rate, band table or relief takes effect on its date; earlier periods keep the rates they had.
          {replaces ? (
            <strong className="text-warning" data-testid="rate-replaces">
              {' '}
              {replaces.locked ? 'The rate of this date is locked (a posted payslip used it): choose a later date.' : 'This replaces the rate of the same date.'}
            </strong>
          ) : null}
        </p>
        <RateFields
          values={values}
          onChange={(next, changed) => {
            setValues(next)
            setDone(false)
            form.setErrors((e) => {
              if (!changed.some((k) => k in e)) return e
              const n = { ...e }
              for (const k of changed) delete n[k]
              return n
            })
          }}
          errorOf={(k) => form.errors[k]}
          earnings={earnings}
          kind={c.kind}
        />
        <FormActions saveLabel="Save rate" saving={save.isPending} saved={done} shortcut={false} />
      </form>
    </section>
  )
}

function ActiveModal({ component: c, onClose, onDone }: { component: Component; onClose: () => void; onDone: (c: Component) => void }) {
  const set = useCallMutation('payroll.setComponentActive')
  const [error, setError] = useState<string | null>(null)
  async function confirm() {
    if (set.isPending) return
    setError(null)
    const r = await set.mutateAsync({ id: c.id, expectedVersion: c.version, active: !c.active })
    if (!r.ok) {
      setError(r.error.message)
      return
    }
    onDone(r.value)
  }
  return (
    <ConfirmModal
      title={c.active ? `Deactivate ${c.code}?` : `Activate ${c.code}?`}
      confirmLabel={c.active ? 'Deactivate' : 'Activate'}
      cancelLabel="Back"
      variant={c.active ? 'danger' : 'primary'}
      onConfirm={() => void confirm()}
      onClose={onClose}
      busy={set.isPending}
      error={error}
      onDismissError={() => setError(null)}
    >
      <p className="modal-text">
        {c.active
          ? 'New pay structures cannot use it. It is not switched off while a pay structure in force, or one still to come, pays it: give those people a structure without it first.'
          : 'Pay structures may use it again.'}
      </p>
    </ConfirmModal>
  )
}
