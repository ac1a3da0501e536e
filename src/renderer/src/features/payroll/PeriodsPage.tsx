import { useMemo, useState } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import { PayPeriodStatus, type PayPeriod } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtCount, fmtDate, fmtDateRange } from '../../platform/format'
import { fmtAmount, moneyHeader } from '../../platform/money'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { Button } from '../../ui/Button'
import { DataTable, type Column } from '../../ui/DataTable'
import { Field } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading, RefreshError } from '../../ui/PageState'
import { Select } from '../../ui/Select'
import { PayrollTabs } from './PayrollTabs'
import { PeriodRunModal } from './PeriodRunModal'
import { PERIOD_STATUS_OPTIONS, periodBadgeClass, periodStatusLabel } from './PeriodWords'
import { payrollKeys } from './queries'
import './payroll-periods.css'

const STATUS_FILTER = [{ value: 'all', label: 'All' }, ...PERIOD_STATUS_OPTIONS]

interface PeriodFilter {
  status?: PayPeriodStatus
  calendarId?: number
}

function filterOf(params: URLSearchParams): PeriodFilter {
  const status = PayPeriodStatus.safeParse(params.get('status'))
  const cal = Number(params.get('calendar'))
  return {
    ...(status.success ? { status: status.data } : {}),
    ...(Number.isInteger(cal) && cal > 0 ? { calendarId: cal } : {})
  }
}

/**
 * Payroll → Periods: every pay period, newest first, with its dates, pay
 * date, the day its rule makes it due, its status, how many staff it pays
 * and its gross and net. Filter by status and calendar; a new period (a
 * calendar's next one, or a single one); the payroll job's work now.
 */
export function PeriodsPage() {
  const navigate = useNavigate()
  const { profile } = useProfile()
  const canCreate = useCan('payroll.createPeriod')
  const canRun = useCan('payroll.run')
  const [params, setParams] = useSearchParams()
  const filter = filterOf(params)
  const [running, setRunning] = useState(false)
  const list = useQuery({ queryKey: payrollKeys.periods(filter), queryFn: () => call('payroll.periods', filter), placeholderData: keepPreviousData })
  const calendars = useQuery({ queryKey: payrollKeys.calendars(), queryFn: () => call('payroll.calendars', {}) })
  const { locale, currency } = profile
  const date = (d: string | null) => (d ? fmtDate(d, locale) : '—')
  const periods = useMemo(
    () => [...(list.data?.periods ?? [])].sort((a, b) => (a.startDate === b.startDate ? b.id - a.id : a.startDate < b.startDate ? 1 : -1)),
    [list.data]
  )

  const setFilter = (key: 'status' | 'calendar', value: string) => {
    const next = new URLSearchParams(params)
    if (value === 'all') next.delete(key)
    else next.set(key, value)
    setParams(next, { replace: true })
  }

  const columns: Array<Column<PayPeriod>> = [
    {
      id: 'name',
      header: 'Period',
      cell: (p) => (
        <>
          <Link to={`/payroll/periods/${p.id}`} className="row-link cell-primary" onClick={(e) => e.stopPropagation()}>
            {p.name}
          </Link>
          <div className="cell-secondary">{p.calendarName ?? 'Single period'}</div>
        </>
      )
    },
    { id: 'dates', header: 'Dates', cellClassName: 'tnum nowrap', cell: (p) => fmtDateRange(p.startDate, p.endDate, locale) },
    { id: 'pay', header: 'Pay date', cellClassName: 'tnum nowrap', cell: (p) => date(p.payDate) },
    {
      id: 'due',
      header: 'Due on',
      cellClassName: 'tnum nowrap',
      title: (p) => p.ruleWords,
      cell: (p) => (p.status === 'active' || p.status === 'failed' ? (p.automation ? date(p.dueOn) : <span className="muted">by hand</span>) : <span className="muted">{date(p.dueOn)}</span>)
    },
    {
      id: 'status',
      header: 'Status',
      cell: (p) => (
        <span className={periodBadgeClass(p.status)} title={p.statusNote ?? undefined} data-testid="period-status">
          {periodStatusLabel(p.status)}
        </span>
      )
    },
    {
      id: 'staff',
      header: 'Staff',
      className: 'num',
      cellClassName: 'num tnum',
      cell: (p) => (
        <>
          {fmtCount(p.payslips, locale)}
          {p.failedPayslips > 0 ? <div className="cell-secondary is-negative">{fmtCount(p.failedPayslips, locale)} failed</div> : null}
        </>
      )
    },
    { id: 'gross', header: moneyHeader('Gross', currency, locale), className: 'num', cellClassName: 'num tnum nowrap', cell: (p) => fmtAmount(p.grossMinor, currency, locale) },
    { id: 'net', header: moneyHeader('Net', currency, locale), className: 'num', cellClassName: 'num tnum nowrap cell-primary', cell: (p) => fmtAmount(p.netMinor, currency, locale) }
  ]

  const calendarOptions = [{ value: 'all', label: 'All' }, ...(calendars.data?.calendars ?? []).map((c) => ({ value: String(c.id), label: c.name }))]
  const filtered = filter.status !== undefined || filter.calendarId !== undefined

  return (
    <div className="page page-payroll">
      <PageHeader
        title="Payroll"
        documentTitle="Pay periods"
        subtitle="Each pay period: drafted by the payroll job on its day, reviewed, approved by a second operator and posted to the ledger."
        actions={
          <>
            {canRun ? <Button onClick={() => setRunning(true)}>Run payroll now</Button> : null}
            {canCreate ? (
              <Button variant="primary" onClick={() => navigate('/payroll/periods/new')}>
                New period
              </Button>
            ) : null}
          </>
        }
      />
      <PayrollTabs />
      <div className="filters" role="search" aria-label="Filter pay periods">
        <Field label="Status" className="filter-status">
          <Select value={filter.status ?? 'all'} onChange={(e) => setFilter('status', e.target.value)} options={STATUS_FILTER} />
        </Field>
        <Field label="Calendar" className="filter-calendar">
          <Select value={filter.calendarId ? String(filter.calendarId) : 'all'} onChange={(e) => setFilter('calendar', e.target.value)} options={calendarOptions} />
        </Field>
      </div>
      {list.isError && list.data ? <RefreshError title="The periods could not be refreshed" error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The pay periods could not be loaded" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <PageLoading label="Loading pay periods…" />
      ) : periods.length === 0 && !filtered ? (
        <div className="empty-state">
          <p className="empty-state-title">No pay periods yet</p>
          <p className="muted">
            A pay calendar makes its periods by itself (Calendars); <strong>New period</strong> makes a calendar’s next period now, or a single
            period with its own dates.
          </p>
        </div>
      ) : (
        <DataTable
          label="Pay periods"
          className="payroll-periods-table"
          columns={columns}
          rows={periods}
          idAttribute="data-period-id"
          rowAttributes={(p) => ({ 'data-status': p.status })}
          onOpen={(p) => navigate(`/payroll/periods/${p.id}`)}
          busy={list.isFetching}
          empty="No pay periods match these filters."
        />
      )}
      {running ? (
        <PeriodRunModal
          ask={{
            periodId: null,
            force: false,
            title: 'Run payroll now',
            explain:
              'The payroll job’s work now: each calendar’s periods that have started are made, and every period whose rule makes it due is drafted. Below is what it would do; nothing is written until you run it.',
            confirmLabel: 'Run payroll',
            reason: 'none',
            dryFirst: true
          }}
          onClose={() => setRunning(false)}
        />
      ) : null}
    </div>
  )
}
