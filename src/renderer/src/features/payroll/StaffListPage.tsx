import { useState } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import { StaffStatus, type Staff } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtDate } from '../../platform/format'
import { fmtAmount, moneyHeader } from '../../platform/money'
import { useDebounced } from '../../platform/useDebounced'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { Button } from '../../ui/Button'
import { DataTable, type Column } from '../../ui/DataTable'
import { Field } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { Select } from '../../ui/Select'
import { PayrollTabs } from './PayrollTabs'
import { STAFF_STATUS_OPTIONS, staffBadgeClass, staffStatusLabel } from './SetupWords'
import { payrollKeys } from './queries'
import './payroll.css'

const STATUS_FILTER = [{ value: 'all', label: 'All' }, ...STAFF_STATUS_OPTIONS]

/** The status in the address (?status=left), or undefined for all of them; a word that is not a status is all. */
function statusOf(params: URLSearchParams): StaffStatus | undefined {
  const s = StaffStatus.safeParse(params.get('status'))
  return s.success ? s.data : undefined
}

/**
 * Payroll → Staff: the society's own employees (not its members, though a
 * member may also be one), with their hire date, status and the basic pay of
 * the pay structure in force today.
 */
export function StaffListPage() {
  const navigate = useNavigate()
  const { profile } = useProfile()
  const canCreate = useCan('payroll.createStaff')
  const [params, setParams] = useSearchParams()
  const status = statusOf(params)
  const [searchText, setSearchText] = useState(params.get('q') ?? '')
  const search = useDebounced(searchText.trim(), 200)
  const input = { ...(status ? { status } : {}), search: search || null }
  const list = useQuery({
    queryKey: payrollKeys.staffList(input),
    queryFn: () => call('payroll.staffList', input),
    placeholderData: keepPreviousData
  })
  const date = (d: string | null) => (d ? fmtDate(d, profile.locale) : '—')

  const columns: Array<Column<Staff>> = [
    { id: 'no', header: 'No.', cellClassName: 'mono nowrap', cell: (s) => s.staffNo },
    {
      id: 'name',
      header: 'Name',
      className: 'payroll-col-name',
      cell: (s) => (
        <>
          <Link to={`/payroll/staff/${s.id}`} className="row-link cell-primary" onClick={(e) => e.stopPropagation()}>
            {s.fullName}
          </Link>
          {s.memberNo ? <div className="cell-secondary">Member {s.memberNo}</div> : null}
        </>
      )
    },
    { id: 'hired', header: 'Hired', cellClassName: 'tnum nowrap', cell: (s) => date(s.hireDate) },
    {
      id: 'status',
      header: 'Status',
      cell: (s) => (
        <>
          <span className={staffBadgeClass(s.status)}>{staffStatusLabel(s.status)}</span>
          {s.leavingDate ? <div className="cell-secondary">Leaves {date(s.leavingDate)}</div> : null}
        </>
      )
    },
    {
      id: 'basic',
      header: moneyHeader('Basic pay', profile.currency, profile.locale),
      className: 'num',
      cellClassName: 'num nowrap',
      title: () => 'Basic pay per period, of the pay structure in force today',
      cell: (s) =>
        s.basicMinor !== null ? (
          fmtAmount(s.basicMinor, profile.currency, profile.locale)
        ) : (
          <span className="muted">{s.structureFrom ? 'No basic pay' : 'No pay structure'}</span>
        )
    }
  ]

  const setStatus = (value: string) => {
    const next = new URLSearchParams(params)
    if (value === 'all') next.delete('status')
    else next.set('status', value)
    setParams(next, { replace: true })
  }
  const filtered = Boolean(status || search)

  return (
    <div className="page page-payroll">
      <PageHeader
        title="Payroll"
        subtitle="The society’s own staff, what they are paid and what is taken off, period by period."
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => navigate('/payroll/staff/new')}>
              New staff member
            </Button>
          ) : undefined
        }
      />
      <PayrollTabs />
      <div className="filters" role="search" aria-label="Filter staff">
        <Field label="Search" className="payroll-filter-search">
          <input
            type="search"
            value={searchText}
            maxLength={80}
            placeholder="Name or staff number"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </Field>
        <Field label="Status" className="payroll-filter-status">
          <Select value={status ?? 'all'} onChange={(e) => setStatus(e.target.value)} options={STATUS_FILTER} />
        </Field>
      </div>
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The staff could not be loaded" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <PageLoading label="Loading staff…" />
      ) : list.data.staff.length === 0 && !filtered ? (
        <div className="empty-state">
          <p className="empty-state-title">No staff yet</p>
          <p className="muted">
            {canCreate ? (
              <>
                Use <strong>New staff member</strong> for each person the society employs, then give them a pay structure on their page.
              </>
            ) : (
              'The treasurer records the people the society employs and what they are paid.'
            )}
          </p>
        </div>
      ) : (
        <DataTable
          label="Staff"
          className="payroll-staff-table"
          columns={columns}
          rows={list.data.staff}
          idAttribute="data-staff-id"
          rowAttributes={(s) => ({ 'data-staff-status': s.status, 'data-staff-no': s.staffNo })}
          onOpen={(s) => navigate(`/payroll/staff/${s.id}`)}
          busy={list.isFetching}
          empty={filtered ? 'No staff match this search.' : 'No staff.'}
        />
      )}
    </div>
  )
}
