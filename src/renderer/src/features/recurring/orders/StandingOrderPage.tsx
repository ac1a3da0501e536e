import { useState, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom'
import type { Occurrence, StandingOrder, StandingOrderDetail } from '../../../../../shared/contract'
import { call } from '../../../platform/api'
import { fmtDate, fmtInstant } from '../../../platform/format'
import { fmtAmount, fmtMoney, moneyHeader } from '../../../platform/money'
import { useCallMutation } from '../../../platform/queries'
import { Banner } from '../../../ui/Banner'
import { Button } from '../../../ui/Button'
import { ConfirmModal } from '../../../ui/ConfirmModal'
import { DataTable, type Column } from '../../../ui/DataTable'
import { PageHeader } from '../../../ui/PageHeader'
import { PageError, PageLoading } from '../../../ui/PageState'
import { useSession } from '../../auth/session'
import { useCan } from '../../auth/useCan'
import { EntryModal } from '../../ledger/EntryModal'
import { parseId } from '../../members/ids'
import { useProfile } from '../../profile/ProfileContext'
import { fundsPolicyLabel, holidayRuleLabel, occurrenceStatusLabel, reviewReasonLabel, statusBadgeClass } from '../labels'
import { recurringKeys } from '../queries'
import { failuresWords, OrderStatus } from './orderColumns'
import { OrderStatusModal, type StatusAction } from './OrderStatusModal'
import './orders.css'

export function StandingOrderPage() {
  const params = useParams()
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no standing order at this address.')} title="Not found" />
  return <OrderLoader key={id} id={id} />
}

function OrderLoader({ id }: { id: number }) {
  // Runs and changes make it stale through recurringKeys.all (app/invalidation.ts).
  const loaded = useQuery({ queryKey: recurringKeys.order(id), queryFn: () => call('recurring.order', { id }) })
  if (loaded.isError && !loaded.data) return <PageError error={loaded.error} onRetry={() => void loaded.refetch()} />
  if (!loaded.data) return <PageLoading />
  return <OrderView detail={loaded.data} />
}

const SAVED_WORDS: Record<string, string> = { created: 'Standing order set up.', updated: 'Changes saved.' }

/**
 * One standing order: what it does, and its history (every occurrence with
 * its dates, amount, status, amount carried, reason, value date, journal
 * entry and, for a bank order, its payment). Approve (another operator than
 * the one who set it up), pause, resume, cancel and change it from here.
 */
function OrderView({ detail }: { detail: StandingOrderDetail }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const location = useLocation()
  const { operator } = useSession()
  const o = detail.order
  const money = (m: number) => fmtMoney(m, profile.currency, profile.locale)
  const canApprove = useCan('recurring.approveOrder')
  const canUpdate = useCan('recurring.updateOrder')
  const can: Record<StatusAction, boolean> = {
    pause: useCan('recurring.pauseOrder'),
    resume: useCan('recurring.resumeOrder'),
    cancel: useCan('recurring.cancelOrder')
  }
  const saved = (location.state as { saved?: string } | null)?.saved
  const [notice, setNotice] = useState<string | null>(() => (saved ? savedNotice(saved, o) : null))
  const [error, setError] = useState<string | null>(null)
  const [acting, setActing] = useState<StatusAction | null>(null)
  const [approving, setApproving] = useState(false)
  const [entryId, setEntryId] = useState<number | null>(null)

  const open = o.status !== 'cancelled' && o.status !== 'completed'
  // Core refuses the same operator anyway, in its own words; the page does not offer what core would refuse.
  const setUpByMe = o.createdById !== null && o.createdById === operator.id
  const pending = o.status === 'pending-approval'

  const actions: ReactNode[] = []
  if (pending && canApprove) {
    actions.push(
      <Button
        key="approve"
        variant="primary"
        disabled={setUpByMe}
        title={setUpByMe ? 'You set this order up: another operator approves it.' : undefined}
        onClick={() => setApproving(true)}
      >
        Approve
      </Button>
    )
  }
  if (o.status === 'active' && can.pause) actions.push(<Button key="pause" onClick={() => setActing('pause')}>Pause</Button>)
  if (o.status === 'paused' && can.resume) actions.push(<Button key="resume" onClick={() => setActing('resume')}>Resume</Button>)
  if (open && canUpdate) actions.push(<Button key="edit" onClick={() => navigate(`/recurring/standing-orders/${o.id}/edit`)}>Edit</Button>)
  if (open && can.cancel) actions.push(<Button key="cancel" variant="danger" onClick={() => setActing('cancel')}>Cancel order</Button>)

  return (
    <div className="page page-detail page-order">
      <PageHeader
        before={
          <span className="order-back">
            <Link to={`/members/${o.memberId}`} className="back-link">
              ← {o.memberName}
            </Link>
            <span className="muted"> · </span>
            <Link to="/recurring/standing-orders" className="back-link">
              All standing orders
            </Link>
          </span>
        }
        title={`Standing order #${o.id}`}
        documentTitle={`Standing order #${o.id}`}
        subtitle={
          <span className="detail-subtitle">
            <span>
              <span className="mono">{o.fromNumber}</span> {o.targetWords}
            </span>
            <OrderStatus order={o} />
          </span>
        }
        actions={actions.length ? <>{actions}</> : undefined}
      />

      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)}>
          <span data-testid="order-notice">{notice}</span>
        </Banner>
      ) : null}
      {error ? (
        <Banner tone="error" onDismiss={() => setError(null)}>
          {error}
        </Banner>
      ) : null}
      {pending ? (
        <Banner tone="warning" title="Waits for approval">
          <span data-testid="order-approval-note">
            {o.statusNote ?? 'This order pays out of the society: it waits for another operator’s approval.'} It does not run until it is
            approved.{' '}
            {setUpByMe && canApprove
              ? 'You set it up, so another operator who may approve payments approves it.'
              : canApprove
                ? `Set up by ${o.createdBy}: check the payee and the amount, then approve it.`
                : 'An operator who may approve payments approves it.'}
          </span>
        </Banner>
      ) : o.statusNote ? (
        <Banner tone={o.status === 'active' ? 'info' : 'warning'}>{o.statusNote}</Banner>
      ) : null}
      {o.failuresInRow >= 2 ? (
        <Banner tone="warning" title={`${failuresWords(o.failuresInRow)}`}>
          The last payments failed one after another (see the reasons in the history below); the staff were told. Check the balance of{' '}
          {o.fromNumber} or the order’s amount.
        </Banner>
      ) : null}

      <div className="order-columns" data-testid="order-summary">
        <section className="panel order-summary" aria-labelledby="order-summary-title">
          <h2 className="panel-title" id="order-summary-title">
            The order
          </h2>
          <dl className="deflist">
            <Item label="Member">
              <Link to={`/members/${o.memberId}`}>{o.memberName}</Link> <span className="muted tnum">{o.memberNo}</span>
            </Item>
            <Item label="Pays from">
              <Link to={`/member-accounts/${o.fromMemberAccountId}/statement`} className="mono" aria-label={`Statement of ${o.fromNumber}`}>
                {o.fromNumber}
              </Link>
            </Item>
            <Item label="Pays">{targetDetail(o)}</Item>
            <Item label="Amount">
              <span className="tnum">{money(o.amountMinor)}</span>
              {o.carriedMinor > 0 ? (
                <span className="order-carried tnum" data-testid="order-carried">
                  {' '}
                  + {money(o.carriedMinor)} carried from an unpaid rest: the next payment is {money(o.amountMinor + o.carriedMinor)}
                </span>
              ) : null}
            </Item>
            <Item label="Description">{o.description ?? <span className="muted">—</span>}</Item>
            <Item label="Set up">
              {o.createdBy}, {fmtInstant(o.createdAt, profile.locale, profile.timeZone)}
              {o.approvedBy ? <> · approved by {o.approvedBy}</> : null}
            </Item>
          </dl>
        </section>
        <section className="panel order-summary" aria-labelledby="order-schedule-title">
          <h2 className="panel-title" id="order-schedule-title">
            When it pays
          </h2>
          <dl className="deflist">
            <Item label="Schedule">{o.schedule}</Item>
            <Item label="First payment">
              <span className="tnum">{fmtDate(o.startDate, profile.locale)}</span>
            </Item>
            <Item label="Last payment by">{o.endDate ? <span className="tnum">{fmtDate(o.endDate, profile.locale)}</span> : <span className="muted">No end date</span>}</Item>
            <Item label="Weekends and holidays">{holidayRuleLabel(o.holidayRule)}</Item>
            <Item label="Next payment">
              {o.status === 'paused' ? (
                <span className="muted">None while it is paused</span>
              ) : o.nextDueDate && open ? (
                <span className="tnum" data-testid="order-next">
                  {fmtDate(o.nextDueDate, profile.locale)}
                </span>
              ) : (
                <span className="muted">None</span>
              )}
            </Item>
            <Item label="Last paid">{o.lastPaidOn ? <span className="tnum">{fmtDate(o.lastPaidOn, profile.locale)}</span> : <span className="muted">Never</span>}</Item>
            <Item label="If the balance is short">
              {fundsPolicyLabel(o.insufficientFunds)}
              {o.insufficientFunds === 'retry' ? ` for ${o.retryDays === 1 ? '1 day' : `${o.retryDays} days`}, then skipped` : ''}
            </Item>
            <Item label="Priority">
              <span className="tnum">{o.priority}</span> <span className="muted">(lower pays first on the same day)</span>
            </Item>
          </dl>
        </section>
      </div>

      <section className="panel order-history" aria-labelledby="order-history-title">
        <h2 className="panel-title" id="order-history-title">
          History <span className="muted tnum">{detail.occurrences.length}</span>
        </h2>
        {detail.occurrences.length === 0 ? (
          <p className="muted">
            {open
              ? 'Nothing yet: each payment appears here when its date comes (the standing-orders job runs every hour).'
              : `Nothing: it was ${o.status} before its first payment.`}
          </p>
        ) : (
          <DataTable
            label="Order history"
            className="table-compact"
            columns={historyColumns(profile, o, setEntryId)}
            rows={detail.occurrences}
            idAttribute="data-occurrence-id"
            rowAttributes={(r) => ({ 'data-status': r.status })}
            rowClassName={(r) => (r.status === 'failed' ? 'occurrence-failed' : undefined)}
          />
        )}
      </section>

      {acting ? (
        <OrderStatusModal
          action={acting}
          order={o}
          onClose={() => setActing(null)}
          onDone={(_, words) => {
            setActing(null)
            setError(null)
            setNotice(`Standing order #${o.id} ${words}.`)
          }}
        />
      ) : null}
      {approving ? (
        <ApproveModal
          order={o}
          onClose={() => setApproving(false)}
          onDone={() => {
            setApproving(false)
            setError(null)
            setNotice(`Standing order #${o.id} approved: it pays on its dates from now on.`)
          }}
        />
      ) : null}
      {entryId !== null ? <EntryModal entryId={entryId} onClose={() => setEntryId(null)} /> : null}
    </div>
  )
}

function savedNotice(saved: string, o: StandingOrder): string {
  const base = SAVED_WORDS[saved] ?? 'Saved.'
  if (o.status === 'pending-approval') return `${base} It pays out of the society, so it waits for another operator’s approval before it runs.`
  return base
}

function targetDetail(o: StandingOrder): ReactNode {
  const t = o.target
  if (t.kind === 'member-account') {
    return (
      <>
        Into{' '}
        <Link to={`/member-accounts/${t.memberAccountId}/statement`} className="mono" aria-label={`Statement of ${t.number}`}>
          {t.number}
        </Link>
      </>
    )
  }
  if (t.kind === 'account') {
    return (
      <>
        Into the society’s{' '}
        <Link to={`/accounts/${t.accountId}/statement`}>
          {t.name} ({t.code})
        </Link>
      </>
    )
  }
  return (
    <>
      Out to <strong>{t.payeeName}</strong>, account <span className="mono">{t.payeeAccount}</span> at {t.payeeBank}
      {t.payeeReference ? <> (reference {t.payeeReference})</> : null}
      {o.status === 'cancelled' || o.status === 'completed' ? null : (
        <div className="cell-secondary">Each payment waits on the Payments page to be approved and paid with a voucher.</div>
      )}
    </>
  )
}

function historyColumns(profile: { currency: string; locale: string }, o: StandingOrder, openEntry: (id: number) => void): Array<Column<Occurrence>> {
  const date = (d: string | null) => (d ? fmtDate(d, profile.locale) : '')
  const cols: Array<Column<Occurrence>> = [
    { id: 'scheduled', header: 'Scheduled', cellClassName: 'tnum nowrap', cell: (r) => date(r.scheduledDate) },
    {
      id: 'due',
      header: 'Due',
      cellClassName: 'tnum nowrap',
      cell: (r) => (r.dueDate === r.scheduledDate ? <span className="muted">{date(r.dueDate)}</span> : date(r.dueDate))
    },
    { id: 'amount', header: moneyHeader('Amount', profile.currency, profile.locale), className: 'num', cellClassName: 'nowrap', cell: (r) => fmtAmount(r.amountMinor, profile.currency, profile.locale) },
    {
      id: 'status',
      header: 'Status',
      cell: (r) => (
        <>
          <span className={statusBadgeClass(r.status)}>{occurrenceStatusLabel(r.status)}</span>
          {r.review && r.status === 'generated' ? (
            <div className="cell-secondary">
              <Link to="/recurring/review">In To review</Link>: {reviewReasonLabel(r.review).toLowerCase()}
            </div>
          ) : null}
          {r.postponedUntil ? <div className="cell-secondary">Postponed until {date(r.postponedUntil)}</div> : null}
          {r.status === 'failed' && r.retryUntil ? <div className="cell-secondary">Tried again daily until {date(r.retryUntil)}</div> : null}
          {r.reversalEntryId !== null ? <div className="cell-secondary">Reversed</div> : null}
        </>
      )
    },
    {
      id: 'carried',
      header: moneyHeader('Carried', profile.currency, profile.locale),
      className: 'num',
      cellClassName: 'nowrap',
      cell: (r) => (r.carriedMinor > 0 ? fmtAmount(r.carriedMinor, profile.currency, profile.locale) : <span className="muted">—</span>)
    },
    { id: 'reason', header: 'Reason', cell: (r) => r.reason ?? <span className="muted">—</span> },
    { id: 'value', header: 'Value date', cellClassName: 'tnum nowrap', cell: (r) => (r.valueDate ? date(r.valueDate) : <span className="muted">—</span>) },
    {
      id: 'entry',
      header: 'Entry',
      cellClassName: 'nowrap',
      cell: (r) =>
        r.entryId !== null ? (
          <button type="button" className="link-button tnum" onClick={() => openEntry(r.entryId as number)} aria-label={`Journal entry #${r.entryId}`}>
            #{r.entryId}
          </button>
        ) : (
          <span className="muted">—</span>
        )
    }
  ]
  if (o.target.kind === 'bank') {
    cols.push({
      id: 'payment',
      header: 'Payment',
      cellClassName: 'nowrap',
      cell: (r) =>
        r.paymentId !== null ? (
          <Link to={`/payments?member=${o.memberId}`} className="tnum" title="This member's payments, on the Payments page" data-payment-id={r.paymentId}>
            #{r.paymentId}
          </Link>
        ) : (
          <span className="muted">—</span>
        )
    })
  }
  return cols
}

function ApproveModal({ order, onClose, onDone }: { order: StandingOrder; onClose: () => void; onDone: () => void }) {
  const { profile } = useProfile()
  const approve = useCallMutation('recurring.approveOrder')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function save() {
    if (saving) return
    setSaving(true)
    setError(null)
    const r = await approve.mutateAsync({ id: order.id, expectedVersion: order.version })
    setSaving(false)
    if (!r.ok) {
      setError(r.error.message)
      return
    }
    onDone()
  }
  return (
    <ConfirmModal
      title={`Approve standing order #${order.id}?`}
      onClose={onClose}
      busy={saving}
      confirmLabel="Approve order"
      onConfirm={() => void save()}
      error={error}
      onDismissError={() => setError(null)}
    >
      <p className="modal-text">
        {order.memberName}: <strong>{fmtMoney(order.amountMinor, profile.currency, profile.locale)}</strong> from{' '}
        <span className="mono">{order.fromNumber}</span> {order.targetWords}, {order.schedule.charAt(0).toLowerCase() + order.schedule.slice(1)}.
      </p>
      <p className="modal-text">
        Set up by {order.createdBy}. Once approved it runs on its dates; each payment it makes waits on the Payments page to be approved and paid
        with a voucher.
      </p>
    </ConfirmModal>
  )
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="deflist-item">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}
