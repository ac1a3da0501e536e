import { useQuery } from '@tanstack/react-query'
import { useNavigate, useSearchParams } from 'react-router-dom'
import { OrderStatus as OrderStatusCode, type StandingOrder } from '../../../../../shared/contract'
import { call } from '../../../platform/api'
import { fmtCount } from '../../../platform/format'
import { ClearFilters } from '../../../ui/ClearFilters'
import { DataTable } from '../../../ui/DataTable'
import { Field } from '../../../ui/Field'
import { PageHeader } from '../../../ui/PageHeader'
import { PageError, PageLoading, RefreshError } from '../../../ui/PageState'
import { Select } from '../../../ui/Select'
import { useProfile } from '../../profile/ProfileContext'
import { ORDER_STATUS_OPTIONS } from '../labels'
import { recurringKeys } from '../queries'
import { RecurringTabs } from '../RecurringTabs'
import { orderColumns, orderPath, orderRowClass } from './orderColumns'
import './orders.css'

const STATUS_OPTIONS = [{ value: 'all', label: 'Any status' }, ...ORDER_STATUS_OPTIONS]
const NO_ROWS: StandingOrder[] = []

/** Folded for a search: case and accents do not count. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase()

/**
 * Recurring → Standing orders: every member's orders, by member, filtered by
 * status and by a member's name or number. The address keeps the filter, so
 * Back from an order lands on the same list.
 */
export function StandingOrdersPage() {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const parsedStatus = OrderStatusCode.safeParse(params.get('status'))
  const status = parsedStatus.success ? parsedStatus.data : undefined
  const search = params.get('q') ?? ''
  const input = status ? { status } : {}
  // Runs and changes make it stale through recurringKeys.all (app/invalidation.ts).
  const list = useQuery({ queryKey: recurringKeys.orders(input), queryFn: () => call('recurring.orders', input) })
  const all = list.data?.orders ?? NO_ROWS
  const needle = fold(search.trim())
  const rows = needle ? all.filter((o) => fold(`${o.memberName} ${o.memberNo}`).includes(needle)) : all
  const filtered = !!status || !!needle

  const update = (key: 'status' | 'q', value: string) => {
    const next = new URLSearchParams(params)
    if (value && value !== 'all') next.set(key, value)
    else next.delete(key)
    setParams(next, { replace: true })
  }
  const failing = all.filter((o) => o.failuresInRow >= 2).length
  const waiting = all.filter((o) => o.status === 'pending-approval').length

  return (
    <div className="page page-recurring page-orders">
      <PageHeader title="Recurring" subtitle="The society’s recurring entries and members’ standing orders, what waits for review, and what is to come." />
      <RecurringTabs />

      <div className="filters orders-toolbar" role="search" aria-label="Filter standing orders">
        <Field label="Member" className="orders-filter-member">
          <input
            type="search"
                        placeholder="Name or member number"
            value={search}
            onChange={(e) => update('q', e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
        <Field label="Status" className="orders-filter-status">
          <Select value={status ?? 'all'} onChange={(e) => update('status', e.target.value)} options={STATUS_OPTIONS} />
        </Field>
        <ClearFilters disabled={!filtered} onClear={() => setParams(new URLSearchParams(), { replace: true })} />
        {list.data ? (
          <span className="toolbar-count" role="status" data-testid="orders-total">
            {rows.length === 1 ? '1 order' : `${fmtCount(rows.length, profile.locale)} orders`}
            {filtered ? (rows.length === 1 ? ' matches the filter' : ' match the filter') : ''}
            {waiting > 0 ? ` · ${fmtCount(waiting, profile.locale)} awaiting approval` : ''}
            {failing > 0 ? ` · ${fmtCount(failing, profile.locale)} failing` : ''}
          </span>
        ) : null}
      </div>

      {list.isError && list.data ? <RefreshError title="The standing orders could not be refreshed" error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The standing orders could not be loaded" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <PageLoading label="Loading standing orders…" />
      ) : (
        <DataTable
          label="All standing orders"
          className="table-compact orders-table"
          columns={orderColumns({ currency: profile.currency, locale: profile.locale }, { member: true })}
          rows={rows}
          idAttribute="data-order-id"
          rowClassName={orderRowClass}
          onOpen={(o) => navigate(orderPath(o.id))}
          resetKey={`${status ?? ''}|${needle}`}
          empty={
            filtered ? (
              <p className="muted">No standing order matches the filter.</p>
            ) : (
              <p className="muted">No standing orders yet. A member’s standing order is set up from their page (Members → the member → Standing orders).</p>
            )
          }
        />
      )}
    </div>
  )
}
