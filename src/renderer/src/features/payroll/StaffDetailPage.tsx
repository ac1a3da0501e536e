import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom'
import type { StaffDetail, Structure } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtCount, fmtDate, fmtInstant } from '../../platform/format'
import { fmtAmount, fmtMoney, fmtPercent, moneyHeader } from '../../platform/money'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { parseId } from '../members/ids'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import type { StaffSavedState } from './StaffFormPage'
import { StructureEditor } from './StructureEditor'
import { kindLabel, staffBadgeClass, staffStatusLabel } from './SetupWords'
import { Fact } from './Fact'
import { DeleteDatedModal } from './DeleteDatedModal'
import { payrollKeys } from './queries'
import './payroll.css'

/** `/payroll/staff/:id`: one staff member, their pay structures over time and their last payslips. */
export function StaffDetailPage() {
  const params = useParams()
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no staff member at this address.')} title="Not found" />
  return <StaffLoader key={id} id={id} />
}

function StaffLoader({ id }: { id: number }) {
  const loaded = useQuery({ queryKey: payrollKeys.staff(id), queryFn: () => call('payroll.staff', { id }) })
  if (loaded.isError && !loaded.data) return <PageError error={loaded.error} onRetry={() => void loaded.refetch()} />
  if (!loaded.data) return <PageLoading />
  return <StaffView detail={loaded.data} />
}

type Editing = { from: Structure | null; editing: boolean }

function StaffView({ detail }: { detail: StaffDetail }) {
  const { staff: s, structures, payslips } = detail
  const { profile } = useProfile()
  const navigate = useNavigate()
  const location = useLocation()
  // What the form saved is said with the name as it is now: the page may first show the record from before the save, then the saved one.
  const [saved, setSaved] = useState((location.state as StaffSavedState | null)?.saved ?? null)
  const [said, setNotice] = useState<string | null>(null)
  const notice =
    said ??
    (saved === 'created'
      ? `${s.fullName} was saved. Give them a pay structure: what they are paid from a date on.`
      : saved === 'updated'
        ? `${s.fullName} was saved.`
        : null)
  const [editor, setEditor] = useState<Editing | null>(null)
  const [deleting, setDeleting] = useState<Structure | null>(null)
  const can = { edit: useCan('payroll.updateStaff'), structure: useCan('payroll.saveStructure'), deleteStructure: useCan('payroll.deleteStructure') }
  const date = (d: string | null) => (d ? fmtDate(d, profile.locale) : '—')
  const money = (minor: number) => fmtMoney(minor, profile.currency, profile.locale)
  const amount = (minor: number) => fmtAmount(minor, profile.currency, profile.locale)
  // The one in force today is the one whose date the staff row carries (core decides "today").
  const inForce = structures.find((x) => x.effectiveFrom === s.structureFrom) ?? null
  const latest = structures[0] ?? null

  return (
    <div className="page page-payroll-detail">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={() => navigate('/payroll/staff')}>
            ← Staff
          </button>
        }
        title={s.fullName}
        subtitle={
          <span className="detail-subtitle">
            <span className={staffBadgeClass(s.status)} data-testid="staff-status">
              {staffStatusLabel(s.status)}
            </span>
            <span className="mono">{s.staffNo}</span>
          </span>
        }
        actions={
          can.edit ? (
            <Button variant="primary" onClick={() => navigate(`/payroll/staff/${s.id}/edit`)}>
              Edit
            </Button>
          ) : undefined
        }
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
          <span data-testid="staff-notice">{notice}</span>
        </Banner>
      ) : null}

      <section className="panel payroll-panel" aria-labelledby="staff-details-title">
        <h2 className="panel-title" id="staff-details-title">
          Details
        </h2>
        <dl className="payroll-facts">
          <Fact label="Hire date">{date(s.hireDate)}</Fact>
          <Fact label="Leaving date">{s.leavingDate ? date(s.leavingDate) : <span className="muted">Not leaving</span>}</Fact>
          <Fact label="National ID">{s.nationalId ?? <span className="muted">—</span>}</Fact>
          <Fact label="Tax PIN">{s.taxPin ? <span className="mono">{s.taxPin}</span> : <span className="muted">—</span>}</Fact>
          <Fact label="Bank">
            {s.bankName || s.bankAccount ? (
              <>
                {s.bankName ?? ''} {s.bankAccount ? <span className="mono">{s.bankAccount}</span> : null}
              </>
            ) : (
              <span className="muted">—</span>
            )}
          </Fact>
          <Fact label="Email">{s.email ?? <span className="muted">None: no payslip by email</span>}</Fact>
          <Fact label="Phone">{s.phone ?? <span className="muted">—</span>}</Fact>
          <Fact label="Member">{s.memberId !== null ? <Link to={`/members/${s.memberId}`}>{s.memberNo ?? `#${s.memberId}`}</Link> : <span className="muted">Not a member</span>}</Fact>
          <Fact label="Basic pay">{s.basicMinor !== null ? money(s.basicMinor) : <span className="muted">—</span>}</Fact>
        </dl>
      </section>

      <section className="payroll-section" aria-labelledby="staff-structures-title">
        <div className="section-head">
          <h2 className="section-title" id="staff-structures-title">
            Pay structures <span className="muted tnum">{fmtCount(structures.length, profile.locale)}</span>
          </h2>
          <span className="muted">Newest first. A period uses the one in force on its last day.</span>
          {can.structure ? (
            <Button onClick={() => setEditor({ from: latest, editing: false })} data-testid="new-structure">
              New pay structure
            </Button>
          ) : null}
        </div>
        {structures.length === 0 ? (
          <p className="table-empty muted panel" data-testid="structures-empty">
            No pay structure yet: {s.fullName} cannot be paid until one is in force.
          </p>
        ) : (
          <div className="payroll-structures">
            {structures.map((x) => (
              <article key={x.id} className={x === inForce ? 'panel payroll-structure is-in-force' : 'panel payroll-structure'} data-structure-from={x.effectiveFrom}>
                <header className="payroll-structure-head">
                  <h3 className="payroll-structure-title">
                    From {date(x.effectiveFrom)}
                    {x === inForce ? <span className="badge badge-active">In force</span> : null}
                    {x.effectiveFrom > (s.structureFrom ?? '') && x !== inForce ? <span className="badge badge-info">Coming</span> : null}
                    {x.locked ? (
                      <span className="badge badge-inactive" title="Used by a posted payslip: kept as it is. Add a structure with a later date to change it.">
                        Locked
                      </span>
                    ) : null}
                  </h3>
                  <span className="muted payroll-structure-by">
                    {x.createdBy} · {fmtInstant(x.createdAt, profile.locale, profile.timeZone)}
                  </span>
                  <div className="row-actions">
                    {can.structure && !x.locked ? (
                      <Button small onClick={() => setEditor({ from: x, editing: true })} aria-label={`Change the structure from ${date(x.effectiveFrom)}`}>
                        Change
                      </Button>
                    ) : null}
                    {can.deleteStructure && !x.locked ? (
                      <Button small variant="danger" onClick={() => setDeleting(x)} aria-label={`Delete the structure from ${date(x.effectiveFrom)}`}>
                        Delete
                      </Button>
                    ) : null}
                  </div>
                </header>
                {x.note ? <p className="payroll-structure-note">{x.note}</p> : null}
                <table className="table table-compact" aria-label={`Structure from ${date(x.effectiveFrom)}`}>
                  <thead>
                    <tr>
                      <th scope="col">Component</th>
                      <th scope="col">Kind</th>
                      <th scope="col" className="num">
                        {moneyHeader('Amount', profile.currency, profile.locale)}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {x.items.map((i) => (
                      <tr key={i.componentId} data-component-code={i.code}>
                        <td>
                          <Link to={`/payroll/components/${i.componentId}`} className="mono">
                            {i.code}
                          </Link>{' '}
                          {i.name}
                        </td>
                        <td>{kindLabel(i.kind)}</td>
                        <td className="num nowrap">
                          {i.method === 'fixed' && i.amountMinor !== null ? (
                            amount(i.amountMinor)
                          ) : i.method === 'percentage' ? (
                            <span className="muted">{i.ratePercent ? `Own rate ${fmtPercent(i.ratePercent, profile.locale)}` : 'Component’s rate'}</span>
                          ) : (
                            <span className="muted">By its bands</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </article>
            ))}
          </div>
        )}
      </section>

      <section className="payroll-section" aria-labelledby="staff-payslips-title">
        <div className="section-head">
          <h2 className="section-title" id="staff-payslips-title">
            Last payslips
          </h2>
        </div>
        {payslips.length === 0 ? (
          <p className="table-empty muted panel" data-testid="payslips-empty">
            No payslip yet.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table table-compact" aria-label="Last payslips">
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  <th scope="col">Ends</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    {moneyHeader('Gross', profile.currency, profile.locale)}
                  </th>
                  <th scope="col" className="num">
                    {moneyHeader('Net', profile.currency, profile.locale)}
                  </th>
                </tr>
              </thead>
              <tbody>
                {payslips.map((p) => (
                  <tr key={p.periodId}>
                    <td>
                      <Link to={`/payroll/periods/${p.periodId}`}>{p.periodName}</Link>
                    </td>
                    <td className="tnum nowrap">{date(p.endDate)}</td>
                    <td>{p.status === 'failed' ? <span className="badge badge-warn">Failed</span> : <span className="badge badge-active">{p.status === 'ok' ? 'Worked out' : p.status}</span>}</td>
                    <td className="num nowrap">{amount(p.grossMinor)}</td>
                    <td className="num nowrap">{amount(p.netMinor)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {editor ? (
        <StructureEditor
          staffId={s.id}
          staffName={s.fullName}
          from={editor.from}
          editing={editor.editing}
          onClose={() => setEditor(null)}
          onSaved={(_, from) => {
            setEditor(null)
            setNotice(`The pay structure from ${date(from)} was saved.`)
          }}
        />
      ) : null}
      {deleting ? (
        <DeleteDatedModal
          channel="payroll.deleteStructure"
          id={deleting.id}
          what="structure"
          effectiveFrom={deleting.effectiveFrom}
          onClose={() => setDeleting(null)}
          onDone={() => {
            setDeleting(null)
            setNotice(`The pay structure from ${date(deleting.effectiveFrom)} was deleted.`)
          }}
        >
          Periods from that day on use the structure before it (if any). Payslips already drafted are not changed until they are worked out again.
        </DeleteDatedModal>
      ) : null}
    </div>
  )
}

