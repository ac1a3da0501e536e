import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate } from 'react-router-dom'
import { call } from '../../../platform/api'
import { DataTable } from '../../../ui/DataTable'
import { Button } from '../../../ui/Button'
import { PageError } from '../../../ui/PageState'
import { useCan } from '../../auth/useCan'
import { ledgerKeys } from '../../ledger/queries'
import { useProfile } from '../../profile/ProfileContext'
import { recurringKeys } from '../queries'
import { orderColumns, orderPath, orderRowClass } from './orderColumns'
import './orders.css'

/**
 * A member's standing orders on their page, after their accounts: where
 * each pays from and to, how much, when, the next and last payment, its
 * status (failures in a row stand out) and any amount carried. "New standing
 * order" leads to the form; it says why not when the member is inactive or
 * has no account to pay from.
 */
export function MemberStandingOrdersPanel({ memberId, memberActive }: { memberId: number; memberActive: boolean }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const canCreate = useCan('recurring.createOrder')
  // Runs, edits and postings make it stale through recurringKeys.all (app/invalidation.ts).
  const orders = useQuery({ queryKey: recurringKeys.orders({ memberId }), queryFn: () => call('recurring.orders', { memberId }) })
  // The same query as the Accounts panel above (one request for both).
  const accounts = useQuery({ queryKey: ledgerKeys.memberAccounts(memberId), queryFn: () => call('ledger.memberAccounts', { memberId }) })
  const hasAccounts = (accounts.data?.accounts.length ?? 0) > 0
  const why = !memberActive
    ? 'The member is inactive: reactivate them to set up a standing order.'
    : accounts.data && !hasAccounts
      ? 'The member has no account to pay from: open a savings or share capital account first.'
      : undefined
  const rows = orders.data?.orders ?? []
  const live = rows.filter((o) => o.status !== 'cancelled' && o.status !== 'completed').length

  return (
    <section className="panel member-orders" aria-labelledby="member-orders-title" data-testid="member-standing-orders">
      <div className="panel-head">
        <h2 className="panel-title" id="member-orders-title">
          Standing orders
          {rows.length > 0 ? <span className="muted tnum panel-title-count"> {live}</span> : null}
        </h2>
        <div className="panel-actions">
          {rows.length > 0 ? (
            <Link to="/recurring/standing-orders" className="panel-link" title="Every member's standing orders">
              All standing orders
            </Link>
          ) : null}
          {canCreate ? (
            <Button
              small
              variant="primary"
              disabled={!!why || !accounts.data}
              title={why}
              onClick={() => navigate(`/members/${memberId}/standing-orders/new`)}
            >
              New standing order
            </Button>
          ) : null}
        </div>
      </div>
      {canCreate && why ? <p className="muted member-orders-note">{why}</p> : null}
      {orders.isError && !orders.data ? (
        <PageError error={orders.error} title="The member's standing orders could not be loaded" onRetry={() => void orders.refetch()} />
      ) : !orders.data ? (
        <p className="muted">Loading standing orders…</p>
      ) : rows.length === 0 ? (
        <p className="muted">No standing orders. A standing order moves the member’s money on a schedule: savings to shares, a fee, or out to a bank.</p>
      ) : (
        <DataTable
          label="Standing orders"
          className="table-compact orders-table"
          columns={orderColumns({ currency: profile.currency, locale: profile.locale })}
          rows={rows}
          idAttribute="data-order-id"
          rowClassName={orderRowClass}
          onOpen={(o) => navigate(orderPath(o.id))}
        />
      )}
    </section>
  )
}
