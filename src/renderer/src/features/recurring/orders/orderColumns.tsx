import { Link } from 'react-router-dom'
import type { StandingOrder } from '../../../../../shared/contract'
import { fmtDate } from '../../../platform/format'
import { fmtAmount, fmtMoney, moneyHeader } from '../../../platform/money'
import type { Column } from '../../../ui/DataTable'
import { orderStatusLabel, statusBadgeClass } from '../labels'

interface Unit {
  currency: string
  locale: string
}

/** The address of one order's page. */
export const orderPath = (id: number) => `/recurring/standing-orders/${id}`

/** "2 failures in a row": the staff are told from the second one on. */
export function failuresWords(n: number): string {
  return n === 1 ? '1 failure' : `${n} failures in a row`
}

/** An order's status as a badge, with its failures in a row beside it when there are any. */
export function OrderStatus({ order }: { order: StandingOrder }) {
  return (
    <span className="order-status">
      <span className={statusBadgeClass(order.status)} data-testid="order-status">
        {orderStatusLabel(order.status)}
      </span>
      {order.failuresInRow > 0 ? (
        <span className="order-failures" data-testid="order-failures" title="Payments that failed one after another; the staff are told from the second">
          {failuresWords(order.failuresInRow)}
        </span>
      ) : null}
    </span>
  )
}

/**
 * The columns an order list shows: where from and where to (in words), the
 * amount, the schedule in words, the next and last payment dates, the status
 * (failures in a row beside it) and the amount carried, if any. `member` adds
 * the member's column (the list of every member's orders).
 */
export function orderColumns(unit: Unit, { member = false }: { member?: boolean } = {}): Array<Column<StandingOrder>> {
  const money = (m: number) => fmtMoney(m, unit.currency, unit.locale)
  const cols: Array<Column<StandingOrder>> = []
  if (member) {
    cols.push({
      id: 'member',
      header: 'Member',
      cell: (o) => (
        <>
          <Link to={`/members/${o.memberId}`} className="row-link">
            {o.memberName}
          </Link>
          <div className="cell-secondary tnum">{o.memberNo}</div>
        </>
      )
    })
  }
  cols.push(
    {
      id: 'order',
      header: 'Order',
      className: 'order-cell',
      cell: (o) => (
        <>
          <Link to={orderPath(o.id)} className="row-link" aria-label={`Standing order #${o.id}: from ${o.fromNumber} ${o.targetWords}`}>
            <span className="mono">{o.fromNumber}</span> {o.targetWords}
          </Link>
          {o.description ? <div className="cell-secondary">{o.description}</div> : null}
        </>
      ),
      title: (o) => `From ${o.fromNumber} ${o.targetWords}`
    },
    {
      id: 'amount',
      header: moneyHeader('Amount', unit.currency, unit.locale),
      className: 'num',
      cellClassName: 'nowrap',
      cell: (o) => (
        <>
          {fmtAmount(o.amountMinor, unit.currency, unit.locale)}
          {o.carriedMinor > 0 ? (
            <div className="cell-secondary order-carried" title="Not paid last time (not enough money): added to the next payment">
              + {money(o.carriedMinor)} carried
            </div>
          ) : null}
        </>
      )
    },
    { id: 'schedule', header: 'Schedule', cell: (o) => o.schedule },
    {
      id: 'next',
      header: 'Next payment',
      cellClassName: 'tnum nowrap',
      cell: (o) => (o.nextDueDate && (o.status === 'active' || o.status === 'pending-approval') ? fmtDate(o.nextDueDate, unit.locale) : <span className="muted">—</span>)
    },
    {
      id: 'last',
      header: 'Last paid',
      cellClassName: 'tnum nowrap',
      cell: (o) => (o.lastPaidOn ? fmtDate(o.lastPaidOn, unit.locale) : <span className="muted">Never</span>)
    },
    { id: 'status', header: 'Status', cell: (o) => <OrderStatus order={o} /> }
  )
  return cols
}

/** Rows with failures in a row stand out. */
export const orderRowClass = (o: StandingOrder): string | undefined => (o.failuresInRow >= 2 ? 'order-failing' : o.failuresInRow > 0 ? 'order-failed-once' : undefined)
