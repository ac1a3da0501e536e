import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate } from 'react-router-dom'
import type { Calendar } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtCount, fmtDate, fmtDateRange } from '../../platform/format'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { DataTable, type Column } from '../../ui/DataTable'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { Switch } from '../../ui/Switch'
import { PayrollTabs } from './PayrollTabs'
import { frequencyLabel } from './PeriodWords'
import { payrollKeys } from './queries'
import './payroll-periods.css'

/**
 * Payroll → Calendars: how often staff are paid and when the payroll job
 * drafts each period; each calendar's next period and the day it is due.
 */
export function CalendarsPage() {
  const navigate = useNavigate()
  const { profile } = useProfile()
  const canCreate = useCan('payroll.createCalendar')
  const canEdit = useCan('payroll.updateCalendar')
  const canSwitch = useCan('payroll.setCalendarActive')
  const list = useQuery({ queryKey: payrollKeys.calendars(), queryFn: () => call('payroll.calendars', {}) })
  const setActive = useCallMutation('payroll.setCalendarActive')
  const [problem, setProblem] = useState<string | null>(null)
  const date = (d: string | null) => (d ? fmtDate(d, profile.locale) : '—')

  async function toggle(c: Calendar, active: boolean) {
    setProblem(null)
    const r = await setActive.mutateAsync({ id: c.id, expectedVersion: c.version, active })
    if (!r.ok) setProblem(`${c.name}: ${r.error.message}`)
  }

  const columns: Array<Column<Calendar>> = [
    {
      id: 'name',
      header: 'Name',
      cell: (c) => (
        <>
          {canEdit ? (
            <Link to={`/payroll/calendars/${c.id}/edit`} className="row-link cell-primary" onClick={(e) => e.stopPropagation()}>
              {c.name}
            </Link>
          ) : (
            <span className="cell-primary">{c.name}</span>
          )}
          <div className="cell-secondary">
            {frequencyLabel(c.frequency)} from {date(c.firstStart)} · {fmtCount(c.periods, profile.locale)} {c.periods === 1 ? 'period' : 'periods'}
          </div>
        </>
      )
    },
    {
      id: 'pay',
      header: 'Paid',
      cell: (c) => (c.payDayOffset === 0 ? 'On the last day' : `${fmtCount(c.payDayOffset, profile.locale)} ${c.payDayOffset === 1 ? 'day' : 'days'} after the end`)
    },
    {
      id: 'rule',
      header: 'Drafted',
      cell: (c) => (
        <>
          <span data-testid="calendar-rule">{c.ruleWords}</span>
          {!c.automation ? <div className="cell-secondary text-warning">Automation off: drafted by hand</div> : null}
        </>
      )
    },
    {
      id: 'next',
      header: 'Next period',
      cell: (c) =>
        c.next ? (
          <span data-testid="calendar-next">
            <span className="nowrap">{c.next.periodName}</span>
            <div className="cell-secondary tnum nowrap">{fmtDateRange(c.next.start, c.next.end, profile.locale)}</div>
            <div className="cell-secondary">{c.next.dueOn ? `Due ${date(c.next.dueOn)}` : c.automation ? 'The rule never makes it due' : 'Not drafted by itself'}</div>
          </span>
        ) : (
          <span className="muted">—</span>
        )
    },
    {
      id: 'active',
      header: 'Active',
      cell: (c) =>
        canSwitch ? (
          <Switch
            checked={c.active}
            onChange={(on) => void toggle(c, on)}
            onText="Active"
            offText="Stopped"
            aria-label={`${c.name} active`}
            disabled={setActive.isPending}
          />
        ) : (
          <span className={c.active ? 'badge badge-active' : 'badge badge-inactive'}>{c.active ? 'Active' : 'Stopped'}</span>
        )
    }
  ]

  return (
    <div className="page page-payroll">
      <PageHeader
        title="Payroll"
        documentTitle="Pay calendars"
        subtitle="How often staff are paid, and when the payroll job drafts each period for review."
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => navigate('/payroll/calendars/new')}>
              New calendar
            </Button>
          ) : undefined
        }
      />
      <PayrollTabs />
      {problem ? (
        <Banner tone="error" onDismiss={() => setProblem(null)} className="page-banner">
          {problem}
        </Banner>
      ) : null}
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The calendars could not be loaded" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <PageLoading label="Loading calendars…" />
      ) : list.data.calendars.length === 0 ? (
        <div className="empty-state">
          <p className="empty-state-title">No pay calendars yet</p>
          <p className="muted">
            A calendar makes a period each month (or two weeks, or week) and drafts it on the day its rule says. A single period can also be made
            on its own, under Periods.
          </p>
        </div>
      ) : (
        <DataTable
          label="Pay calendars"
          className="payroll-calendars-table"
          columns={columns}
          rows={list.data.calendars}
          idAttribute="data-calendar-id"
          rowAttributes={(c) => ({ 'data-active': c.active ? 'yes' : 'no' })}
          onOpen={canEdit ? (c) => navigate(`/payroll/calendars/${c.id}/edit`) : undefined}
          busy={list.isFetching}
        />
      )}
    </div>
  )
}
