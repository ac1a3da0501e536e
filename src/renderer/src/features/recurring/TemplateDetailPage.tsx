import { useState, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useLocation, useNavigate, useParams } from 'react-router-dom'
import type { Occurrence, Template } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtCount, fmtDate, fmtInstant } from '../../platform/format'
import { fmtAmount, fmtMoney, moneyHeader } from '../../platform/money'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { parseId } from '../members/ids'
import { EntryModal } from '../ledger/EntryModal'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { DataTable, type Column } from '../../ui/DataTable'
import { TextField } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import type { SavedState } from './TemplateFormPage'
import {
  amountKindLabel,
  holidayRuleLabel,
  occurrenceStatusLabel,
  postModeLabel,
  reviewReasonLabel,
  statusBadgeClass,
  templateStatusLabel
} from './labels'
import { recurringKeys } from './queries'
import './recurring.css'

/** `/recurring/:id`: one recurring entry, its lines and every occurrence it has had. */
export function TemplateDetailPage() {
  const params = useParams()
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no recurring entry at this address.')} title="Not found" />
  return <TemplateLoader key={id} id={id} />
}

function TemplateLoader({ id }: { id: number }) {
  // The recurring job posts occurrences: its runs ask this again (app/invalidation.ts).
  const loaded = useQuery({ queryKey: recurringKeys.template(id), queryFn: () => call('recurring.template', { id }) })
  if (loaded.isError && !loaded.data) return <PageError error={loaded.error} onRetry={() => void loaded.refetch()} />
  if (!loaded.data) return <PageLoading />
  return <TemplateView template={loaded.data.template} occurrences={loaded.data.occurrences} />
}

type StatusAction = 'pause' | 'resume' | 'cancel'

function TemplateView({ template: t, occurrences }: { template: Template; occurrences: Occurrence[] }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const location = useLocation()
  const saved = (location.state as SavedState | null)?.saved ?? null
  const [notice, setNotice] = useState<string | null>(
    saved === 'created' ? `${t.name} was saved. The recurring job generates its occurrences on their dates.` : saved === 'updated' ? `${t.name} was saved.` : null
  )
  const [acting, setActing] = useState<StatusAction | null>(null)
  const [reversing, setReversing] = useState<Occurrence | null>(null)
  const [entryId, setEntryId] = useState<number | null>(null)
  const can = {
    edit: useCan('recurring.updateTemplate'),
    pause: useCan('recurring.pauseTemplate'),
    resume: useCan('recurring.resumeTemplate'),
    cancel: useCan('recurring.cancelTemplate'),
    reverse: useCan('recurring.reverseOccurrence')
  }
  const money = (minor: number) => fmtMoney(minor, profile.currency, profile.locale)
  // Under a header that names the currency ("Amount (Ksh)"): the figure alone.
  const amount = (minor: number) => fmtAmount(minor, profile.currency, profile.locale)
  const date = (d: string | null) => (d ? fmtDate(d, profile.locale) : '—')

  const entryLink = (id: number, label = `#${id}`) => (
    <button type="button" className="link-button tnum" onClick={() => setEntryId(id)} aria-label={`Open entry #${id}`}>
      {label}
    </button>
  )

  const columns: Array<Column<Occurrence>> = [
    { id: 'n', header: 'No.', className: 'num', cellClassName: 'num muted', cell: (o) => o.n },
    {
      id: 'due',
      header: 'Due',
      cellClassName: 'tnum nowrap',
      cell: (o) => (
        <>
          {date(o.dueDate)}
          {o.dueDate !== o.scheduledDate ? <div className="cell-secondary">Scheduled {date(o.scheduledDate)}</div> : null}
        </>
      )
    },
    {
      id: 'amount',
      header: moneyHeader('Amount', profile.currency, profile.locale),
      className: 'num',
      cellClassName: 'num nowrap',
      cell: (o) => amount(o.amountMinor)
    },
    {
      id: 'status',
      header: 'Status',
      cell: (o) => (
        <>
          <span className="recurring-status-cell">
            <span className={statusBadgeClass(o.status)}>{occurrenceStatusLabel(o.status)}</span>
            {o.reversalEntryId !== null ? <span className="badge badge-inactive">Reversed</span> : null}
          </span>
          {o.review ? <div className="cell-secondary text-warning">To review: {reviewReasonLabel(o.review).toLowerCase()}</div> : null}
          {o.postponedUntil ? <div className="cell-secondary">Postponed to {date(o.postponedUntil)}</div> : null}
        </>
      )
    },
    { id: 'value', header: 'Value date', cellClassName: 'tnum nowrap', cell: (o) => (o.valueDate ? date(o.valueDate) : null) },
    {
      id: 'entry',
      header: 'Entry',
      cellClassName: 'nowrap',
      cell: (o) => (
        <>
          {o.entryId !== null ? entryLink(o.entryId) : null}
          {o.reversalEntryId !== null ? <div className="cell-secondary">Reversed by {entryLink(o.reversalEntryId)}</div> : null}
        </>
      )
    },
    {
      id: 'reason',
      header: 'Reason',
      cellClassName: 'recurring-reason',
      cell: (o) => (
        <>
          {o.reason}
          {o.decidedBy ? (
            <div className="cell-secondary">
              {o.decidedBy}
              {o.decidedAt ? `, ${fmtInstant(o.decidedAt, profile.locale, profile.timeZone)}` : ''}
            </div>
          ) : null}
        </>
      )
    },
    {
      id: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'col-actions',
      cell: (o) =>
        can.reverse && o.status === 'posted' && o.entryId !== null && o.reversalEntryId === null && o.paymentId === null ? (
          <div className="row-actions">
            <Button small onClick={() => setReversing(o)} aria-label={`Reverse occurrence ${o.n} of ${date(o.dueDate)}`}>
              Reverse
            </Button>
          </div>
        ) : null
    }
  ]

  const actions: ReactNode[] = []
  if (t.status === 'active' && can.pause)
    actions.push(
      <Button key="pause" onClick={() => setActing('pause')}>
        Pause
      </Button>
    )
  if (t.status === 'paused' && can.resume)
    actions.push(
      <Button key="resume" onClick={() => setActing('resume')}>
        Resume
      </Button>
    )
  if (t.status !== 'cancelled' && can.cancel)
    actions.push(
      <Button key="cancel" variant="danger" onClick={() => setActing('cancel')}>
        Cancel entry
      </Button>
    )
  if (t.status !== 'cancelled' && can.edit)
    actions.push(
      <Button key="edit" variant="primary" onClick={() => navigate(`/recurring/${t.id}/edit`)}>
        Edit
      </Button>
    )

  return (
    <div className="page page-recurring-detail">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={() => navigate('/recurring')}>
            ← Recurring
          </button>
        }
        title={t.name}
        subtitle={
          <span className="detail-subtitle">
            <span className={statusBadgeClass(t.status)} data-testid="template-status">
              {templateStatusLabel(t.status)}
            </span>
            <span data-testid="template-schedule">{t.schedule}</span>
          </span>
        }
        actions={actions.length ? <>{actions}</> : undefined}
      />

      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)} className="page-banner">
          <span data-testid="template-notice">{notice}</span>
        </Banner>
      ) : null}
      {t.statusNote ? (
        <Banner tone={t.status === 'cancelled' || t.status === 'completed' ? 'info' : 'warning'} className="page-banner">
          <span data-testid="template-status-note">{t.statusNote}</span>
        </Banner>
      ) : null}

      <section className="panel recurring-settings-panel" aria-labelledby="template-settings-title">
        <h2 className="panel-title" id="template-settings-title">
          Settings
        </h2>
        <dl className="recurring-facts">
          <Fact label="Description">{t.description}</Fact>
          <Fact label="Amount">
            {money(t.totalMinor)} <span className="muted">· {amountKindLabel(t.amountKind).toLowerCase()}</span>
          </Fact>
          <Fact label="Next due">{t.nextDueDate ? date(t.nextDueDate) : <span className="muted">None remains</span>}</Fact>
          <Fact label="Last posted">{t.lastPostedOn ? date(t.lastPostedOn) : <span className="muted">Not yet</span>}</Fact>
          <Fact label="Start date">{date(t.startDate)}</Fact>
          <Fact label="End">
            {t.endDate === null && t.maxOccurrences === null ? (
              <span className="muted">No end</span>
            ) : (
              [t.endDate ? `On ${date(t.endDate)}` : null, t.maxOccurrences !== null ? `after ${fmtCount(t.maxOccurrences, profile.locale)} occurrences` : null]
                .filter(Boolean)
                .join(', or ')
            )}
          </Fact>
          <Fact label="On weekends and holidays">{holidayRuleLabel(t.holidayRule)}</Fact>
          <Fact label="Generated ahead">{t.daysAhead === 0 ? 'On its date' : `${fmtCount(t.daysAhead, profile.locale)} day${t.daysAhead === 1 ? '' : 's'} before`}</Fact>
          <Fact label="Posting">{t.amountKind === 'estimated' ? 'Waits for review (estimated amount)' : postModeLabel(t.postMode)}</Fact>
          <Fact label="Occurrences">
            <span data-testid="template-counts">
              {fmtCount(t.counts.posted, profile.locale)} posted
              {t.counts.waiting ? `, ${fmtCount(t.counts.waiting, profile.locale)} waiting` : ''}
              {t.counts.failed ? `, ${fmtCount(t.counts.failed, profile.locale)} failed` : ''}
              {t.counts.skipped ? `, ${fmtCount(t.counts.skipped, profile.locale)} skipped` : ''}
            </span>
          </Fact>
          <Fact label="Set up by">
            {t.createdBy} <span className="muted">· {fmtInstant(t.createdAt, profile.locale, profile.timeZone)}</span>
          </Fact>
        </dl>
      </section>

      <section className="recurring-section" aria-labelledby="template-lines-title">
        <div className="section-head">
          <h2 className="section-title" id="template-lines-title">
            Lines
          </h2>
        </div>
        <div className="table-wrap">
          <table className="table table-compact recurring-lines" aria-label="Lines">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Member account</th>
                <th scope="col" className="num">
                  {moneyHeader('Debit', profile.currency, profile.locale)}
                </th>
                <th scope="col" className="num">
                  {moneyHeader('Credit', profile.currency, profile.locale)}
                </th>
              </tr>
            </thead>
            <tbody>
              {t.lines.map((l, i) => (
                <tr key={i}>
                  <td>
                    <span className="mono">{l.accountCode}</span> {l.accountName}
                  </td>
                  <td className="mono">{l.memberAccountNumber ?? <span className="muted">—</span>}</td>
                  <td className="num">{l.debitMinor ? amount(l.debitMinor) : ''}</td>
                  <td className="num">{l.creditMinor ? amount(l.creditMinor) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="recurring-section" aria-labelledby="template-history-title">
        <div className="section-head">
          <h2 className="section-title" id="template-history-title">
            History <span className="muted tnum">{fmtCount(occurrences.length, profile.locale)}</span>
          </h2>
          <span className="muted">Newest first. Waiting occurrences are decided under To review.</span>
        </div>
        {occurrences.length === 0 ? (
          <p className="table-empty muted panel" data-testid="history-empty">
            No occurrence yet. {t.nextDueDate ? `The first falls on ${date(t.nextDueDate)}; the recurring job generates it then.` : ''}
          </p>
        ) : (
          <DataTable
            label="History"
            className="table-compact recurring-history"
            columns={columns}
            rows={occurrences}
            idAttribute="data-occurrence-id"
            rowAttributes={(o) => ({ 'data-occurrence-status': o.status, 'data-scheduled': o.scheduledDate, 'data-review': o.review ?? undefined })}
            onOpen={(o) => (o.entryId !== null ? setEntryId(o.entryId) : undefined)}
          />
        )}
      </section>

      {acting ? (
        <StatusModal
          template={t}
          action={acting}
          onClose={() => setActing(null)}
          onDone={(text) => {
            setActing(null)
            setNotice(text)
          }}
        />
      ) : null}
      {reversing ? (
        <ReverseModal
          occurrence={reversing}
          onClose={() => setReversing(null)}
          onDone={(o) => {
            setReversing(null)
            setNotice(`Occurrence ${o.n} of ${date(o.dueDate)} was reversed${o.reversalEntryId !== null ? ` (entry #${o.reversalEntryId})` : ''}. It will not fall due again.`)
          }}
        />
      ) : null}
      {entryId !== null ? <EntryModal entryId={entryId} onClose={() => setEntryId(null)} /> : null}
    </div>
  )
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="recurring-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

const STATUS_WORDS: Record<StatusAction, { title: (name: string) => string; confirm: string; text: string; done: (name: string) => string }> = {
  pause: {
    title: (name) => `Pause ${name}?`,
    confirm: 'Pause',
    text: 'Nothing is generated or posted while it is paused. When you resume it, the occurrences that fell in between are recorded as skipped and it carries on from that day.',
    done: (name) => `${name} is paused.`
  },
  resume: {
    title: (name) => `Resume ${name}?`,
    confirm: 'Resume',
    text: 'It carries on from today. The occurrences that fell while it was paused are recorded as skipped, not posted.',
    done: (name) => `${name} carries on from today.`
  },
  cancel: {
    title: (name) => `Cancel ${name}?`,
    confirm: 'Cancel entry',
    text: 'Nothing more is generated or posted, and its occurrences still waiting for review or that failed are skipped. What it posted stays posted. A cancelled entry cannot be changed or resumed.',
    done: (name) => `${name} is cancelled.`
  }
}

/** Pause, resume or cancel behind a confirmation, with an optional reason; saved against the version on screen. */
function StatusModal({ template: t, action, onClose, onDone }: { template: Template; action: StatusAction; onClose: () => void; onDone: (text: string) => void }) {
  const pause = useCallMutation('recurring.pauseTemplate')
  const resume = useCallMutation('recurring.resumeTemplate')
  const cancel = useCallMutation('recurring.cancelTemplate')
  const mutation = action === 'pause' ? pause : action === 'resume' ? resume : cancel
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [reasonError, setReasonError] = useState<string | null>(null)
  const words = STATUS_WORDS[action]

  async function confirm() {
    if (mutation.isPending) return
    setError(null)
    setReasonError(null)
    const r = await mutation.mutateAsync({ id: t.id, expectedVersion: t.version, reason: reason.trim() ? reason : undefined })
    if (!r.ok) {
      if (r.error.fields?.reason) setReasonError(r.error.fields.reason)
      else setError(r.error.message)
      return
    }
    onDone(words.done(r.value.name))
  }

  return (
    <ConfirmModal
      title={words.title(t.name)}
      confirmLabel={words.confirm}
      cancelLabel="Back"
      variant={action === 'cancel' ? 'danger' : 'primary'}
      onConfirm={() => void confirm()}
      onClose={onClose}
      busy={mutation.isPending}
      error={error}
      onDismissError={() => setError(null)}
      fields={
        <TextField
          label="Reason"
          hint="Optional: kept in its history and the audit trail"
          value={reason}
          error={reasonError}
          maxLength={300}
          autoComplete="off"
          onChange={(e) => {
            setReason(e.target.value)
            setReasonError(null)
          }}
        />
      }
    >
      <p className="modal-text">{words.text}</p>
    </ConfirmModal>
  )
}

/** A posted occurrence's entry reversed, with a reason; it never falls due again. */
function ReverseModal({ occurrence: o, onClose, onDone }: { occurrence: Occurrence; onClose: () => void; onDone: (o: Occurrence) => void }) {
  const { profile } = useProfile()
  const reverse = useCallMutation('recurring.reverseOccurrence')
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [reasonError, setReasonError] = useState<string | null>(null)

  async function confirm() {
    if (reverse.isPending) return
    setError(null)
    if (!reason.trim()) {
      setReasonError('Say why it is reversed')
      return
    }
    const r = await reverse.mutateAsync({ id: o.id, reason })
    if (!r.ok) {
      if (r.error.fields?.reason) setReasonError(r.error.fields.reason)
      else setError(r.error.message)
      return
    }
    onDone(r.value)
  }

  return (
    <ConfirmModal
      title={`Reverse the occurrence of ${fmtDate(o.dueDate, profile.locale)}?`}
      confirmLabel="Reverse"
      cancelLabel="Back"
      variant="danger"
      onConfirm={() => void confirm()}
      onClose={onClose}
      busy={reverse.isPending}
      error={error}
      onDismissError={() => setError(null)}
      fields={
        <TextField
          label="Reason"
          required
          value={reason}
          error={reasonError}
          maxLength={300}
          autoComplete="off"
          onChange={(e) => {
            setReason(e.target.value)
            setReasonError(null)
          }}
        />
      }
    >
      <p className="modal-text">
        Entry #{o.entryId} ({fmtMoney(o.amountMinor, profile.currency, profile.locale)}) is reversed by a new entry dated today. This occurrence will not fall
        due again; the next ones post as scheduled.
      </p>
    </ConfirmModal>
  )
}
