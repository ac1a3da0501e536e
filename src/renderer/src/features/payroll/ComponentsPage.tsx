import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate } from 'react-router-dom'
import type { Component } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtCount } from '../../platform/format'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { Button } from '../../ui/Button'
import { DataTable, type Column } from '../../ui/DataTable'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { PayrollTabs } from './PayrollTabs'
import { KIND_GROUPS, methodLabel } from './SetupWords'
import { payrollKeys } from './queries'
import './payroll.css'

/**
 * Payroll → Components: what a payslip pays (earnings), takes off
 * (deductions) and what the society adds on top (employer contributions),
 * each with its rate in force today in words and how many people's pay
 * structures use it.
 */
export function ComponentsPage() {
  const navigate = useNavigate()
  const { profile } = useProfile()
  const canCreate = useCan('payroll.createComponent')
  const list = useQuery({ queryKey: payrollKeys.components(), queryFn: () => call('payroll.components', { includeInactive: true }) })

  const columns: Array<Column<Component>> = [
    { id: 'code', header: 'Code', className: 'payroll-col-code', cellClassName: 'mono nowrap', cell: (c) => c.code },
    {
      id: 'name',
      header: 'Name',
      className: 'payroll-col-name',
      cell: (c) => (
        <>
          <Link to={`/payroll/components/${c.id}`} className="row-link cell-primary" onClick={(e) => e.stopPropagation()}>
            {c.name}
          </Link>
          {c.statutory ? <span className="badge badge-info payroll-badge">Statutory</span> : null}
        </>
      )
    },
    {
      id: 'rate',
      header: 'Rate in force',
      className: 'payroll-col-rate',
      cell: (c) => (
        <>
          <span className="payroll-rate-words" data-testid="rate-words">
            {c.current.describe}
          </span>
          <div className="cell-secondary">{methodLabel(c.current.method)}</div>
        </>
      )
    },
    {
      id: 'staff',
      header: 'Staff',
      className: 'num',
      cellClassName: 'num',
      title: () => 'Pay structures in force today that use it',
      cell: (c) => (c.staffCount > 0 ? fmtCount(c.staffCount, profile.locale) : <span className="muted">0</span>)
    },
    {
      id: 'active',
      header: 'Status',
      cell: (c) => (c.active ? <span className="badge badge-active">Active</span> : <span className="badge badge-inactive">Inactive</span>)
    }
  ]

  return (
    <div className="page page-payroll">
      <PageHeader
        title="Payroll"
        subtitle="The society’s own staff, what they are paid and what is taken off, period by period."
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => navigate('/payroll/components/new')}>
              New component
            </Button>
          ) : undefined
        }
      />
      <PayrollTabs />
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The components could not be loaded" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <PageLoading label="Loading components…" />
      ) : list.data.components.length === 0 ? (
        <div className="empty-state">
          <p className="empty-state-title">No pay components yet</p>
          <p className="muted">
            {canCreate ? (
              <>
                Use <strong>New component</strong> for basic pay (code BASIC), each allowance, income tax and every other deduction, and what the society
                contributes on top.
              </>
            ) : (
              'The treasurer sets up what payslips pay and take off: basic pay, allowances, income tax, pension.'
            )}
          </p>
        </div>
      ) : (
        KIND_GROUPS.map((g) => {
          const rows = list.data.components.filter((c) => c.kind === g.kind)
          return (
            <section key={g.kind} className="payroll-section" aria-labelledby={`components-${g.kind}`}>
              <div className="section-head">
                <h2 className="section-title" id={`components-${g.kind}`}>
                  {g.title} <span className="muted tnum">{fmtCount(rows.length, profile.locale)}</span>
                </h2>
              </div>
              {rows.length === 0 ? (
                <p className="table-empty muted panel">{g.empty}</p>
              ) : (
                <DataTable
                  label={g.title}
                  className="table-compact payroll-components-table"
                  columns={columns}
                  rows={rows}
                  idAttribute="data-component-id"
                  rowAttributes={(c) => ({ 'data-component-code': c.code, 'data-active': c.active ? 'true' : 'false' })}
                  rowClassName={(c) => (c.active ? undefined : 'is-inactive')}
                  onOpen={(c) => navigate(`/payroll/components/${c.id}`)}
                  busy={list.isFetching}
                />
              )}
            </section>
          )
        })
      )}
    </div>
  )
}
