import { useQuery, keepPreviousData } from '@tanstack/react-query'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import { TemplateStatus, type Template } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtMoney } from '../../platform/money'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { Button } from '../../ui/Button'
import { DataTable, type Column } from '../../ui/DataTable'
import { Field } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { Select } from '../../ui/Select'
import { RecurringTabs } from './RecurringTabs'
import { TEMPLATE_STATUS_OPTIONS, amountKindLabel, statusBadgeClass, templateStatusLabel } from './labels'
import { recurringKeys } from './queries'

const STATUS_FILTER = [{ value: 'all', label: 'All' }, ...TEMPLATE_STATUS_OPTIONS]

/** The status in the address (?status=paused), or undefined for all of them; a word that is not a status is all. */
function statusOf(params: URLSearchParams): TemplateStatus | undefined {
  const s = TemplateStatus.safeParse(params.get('status'))
  return s.success ? s.data : undefined
}

/**
 * Recurring → Recurring entries: the society's own repeating journal entries
 * (rent, a fee, a transfer between its bank accounts), each with its schedule
 * in words, its amount, when it is next due and when it last posted, and how
 * many of its occurrences wait or failed.
 */
export function TemplatesPage() {
  const navigate = useNavigate()
  const { profile } = useProfile()
  const canCreate = useCan('recurring.createTemplate')
  const [params, setParams] = useSearchParams()
  const status = statusOf(params)
  const list = useQuery({
    queryKey: recurringKeys.templates(status ? { status } : {}),
    queryFn: () => call('recurring.templates', status ? { status } : {}),
    placeholderData: keepPreviousData
  })
  const money = (minor: number) => fmtMoney(minor, profile.currency, profile.locale)
  const date = (d: string | null) => (d ? fmtDate(d, profile.locale) : '—')

  const columns: Array<Column<Template>> = [
    {
      id: 'name',
      header: 'Name',
      className: 'recurring-col-name',
      cell: (t) => (
        <>
          <Link to={`/recurring/${t.id}`} className="row-link cell-primary" onClick={(e) => e.stopPropagation()}>
            {t.name}
          </Link>
          <div className="cell-secondary">{t.description}</div>
        </>
      )
    },
    { id: 'schedule', header: 'Schedule', cell: (t) => <span className="recurring-schedule">{t.schedule}</span> },
    {
      id: 'amount',
      header: 'Amount',
      className: 'num',
      cellClassName: 'num nowrap',
      cell: (t) => (
        <>
          {money(t.totalMinor)}
          {t.amountKind === 'estimated' ? <div className="cell-secondary">{amountKindLabel(t.amountKind)}</div> : null}
        </>
      )
    },
    { id: 'next', header: 'Next due', cellClassName: 'tnum nowrap', cell: (t) => date(t.nextDueDate) },
    { id: 'last', header: 'Last posted', cellClassName: 'tnum nowrap', cell: (t) => date(t.lastPostedOn) },
    {
      id: 'status',
      header: 'Status',
      cell: (t) => (
        <span className={statusBadgeClass(t.status)} title={t.statusNote ?? undefined}>
          {templateStatusLabel(t.status)}
        </span>
      )
    },
    {
      id: 'waiting',
      header: 'Waiting',
      className: 'num',
      cellClassName: 'num',
      title: () => 'Occurrences waiting in To review',
      cell: (t) => (t.counts.waiting > 0 ? <span className="text-warning">{fmtCount(t.counts.waiting, profile.locale)}</span> : <span className="muted">0</span>)
    },
    {
      id: 'failed',
      header: 'Failed',
      className: 'num',
      cellClassName: 'num',
      title: () => 'Occurrences that could not post',
      cell: (t) => (t.counts.failed > 0 ? <span className="text-danger">{fmtCount(t.counts.failed, profile.locale)}</span> : <span className="muted">0</span>)
    }
  ]

  const setStatus = (value: string) => {
    const next = new URLSearchParams(params)
    if (value === 'all') next.delete('status')
    else next.set('status', value)
    setParams(next, { replace: true })
  }

  return (
    <div className="page page-recurring">
      <PageHeader
        title="Recurring"
        subtitle="The society’s entries that repeat on a schedule, members’ standing orders, what waits for review and what is coming."
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => navigate('/recurring/new')}>
              New recurring entry
            </Button>
          ) : undefined
        }
      />
      <RecurringTabs />
      <div className="filters" role="search" aria-label="Filter recurring entries">
        <Field label="Status" className="filter-status">
          <Select value={status ?? 'all'} onChange={(e) => setStatus(e.target.value)} options={STATUS_FILTER} />
        </Field>
      </div>
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The recurring entries could not be loaded" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <PageLoading label="Loading recurring entries…" />
      ) : list.data.templates.length === 0 && !status ? (
        <div className="empty-state">
          <p className="empty-state-title">No recurring entries yet</p>
          <p className="muted">
            {canCreate ? (
              <>
                Use <strong>New recurring entry</strong> for an entry the society posts on a schedule: the rent, a fee, a transfer between its bank
                accounts.
              </>
            ) : (
              'The treasurer sets up the entries the society posts on a schedule: the rent, a fee, a transfer between its bank accounts.'
            )}
          </p>
        </div>
      ) : (
        <DataTable
          label="Recurring entries"
          className="recurring-templates-table"
          columns={columns}
          rows={list.data.templates}
          idAttribute="data-template-id"
          rowAttributes={(t) => ({ 'data-template-status': t.status })}
          onOpen={(t) => navigate(`/recurring/${t.id}`)}
          busy={list.isFetching}
          empty={status ? `No ${templateStatusLabel(status).toLowerCase()} recurring entries.` : 'No recurring entries.'}
        />
      )}
    </div>
  )
}
