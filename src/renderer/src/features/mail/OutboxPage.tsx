import { useEffect, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import { MessageKind, MessageStatus, OutboxChannel, type Input, type OutboxMessage, type QueueState } from '../../../../shared/contract'
import { countOf } from '../../../../shared/words'
import { appError } from '../../platform/api'
import { fmtCount, fmtInstant } from '../../platform/format'
import { useCallMutation, useListPage } from '../../platform/queries'
import { useDebounced } from '../../platform/useDebounced'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { ReasonModal } from '../payments/ReasonModal'
import { Banner } from '../../ui/Banner'
import { RefreshError } from '../../ui/PageState'
import { Button } from '../../ui/Button'
import { ClearFilters } from '../../ui/ClearFilters'
import { DataTable, type Column } from '../../ui/DataTable'
import { Field } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { Pager } from '../../ui/Pager'
import { Select } from '../../ui/Select'
import { CHANNEL_WORDS, KIND_WORDS, STATUS_HINTS, STATUS_ORDER, STATUS_WORDS, statusBadgeClass } from './OutboxWords'
import { mailKeys } from './queries'
import './outbox.css'

const PAGE_SIZE = 100

/** The filter as the page keeps it (and the address mirrors): '' is "any". */
interface Filter {
  status: '' | MessageStatus
  kind: '' | MessageKind
  channel: '' | OutboxChannel
  q: string
  offset: number
}

const EMPTY: Filter = { status: '', kind: '', channel: '', q: '', offset: 0 }

function readFilter(p: URLSearchParams): Filter {
  const status = MessageStatus.safeParse(p.get('status'))
  const kind = MessageKind.safeParse(p.get('kind'))
  const channel = OutboxChannel.safeParse(p.get('channel'))
  const offset = p.get('from') ?? ''
  return {
    status: status.success ? status.data : '',
    kind: kind.success ? kind.data : '',
    channel: channel.success ? channel.data : '',
    q: (p.get('q') ?? '').slice(0, 80),
    offset: /^[0-9]{1,8}$/.test(offset) ? Number(offset) : 0
  }
}

function writeFilter(f: Filter): URLSearchParams {
  const p = new URLSearchParams()
  if (f.status) p.set('status', f.status)
  if (f.kind) p.set('kind', f.kind)
  if (f.channel) p.set('channel', f.channel)
  if (f.q) p.set('q', f.q)
  if (f.offset) p.set('from', String(f.offset))
  return p
}

const KIND_OPTIONS = [{ value: '', label: 'All kinds' }, ...MessageKind.options.map((k) => ({ value: k, label: KIND_WORDS[k] }))]
const CHANNEL_OPTIONS = [{ value: '', label: 'Email and SMS' }, ...OutboxChannel.options.map((c) => ({ value: c, label: CHANNEL_WORDS[c] }))]

/**
 * The outbox: every email and SMS Coffer has queued (vouchers, notices,
 * payslips, staff alerts), newest first, with how each stands. The queue's
 * state on top (held, by whom and why; Hold… and Resume), the counts by
 * status as filters, then filters by kind, channel and recipient, all kept
 * in the address. A row opens the message with its attempts.
 */
export function OutboxPage() {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const canHold = useCan('mail.hold')
  const canResume = useCan('mail.resume')
  const canSettings = useCan('mail.saveEmailSettings')

  const [params, setParams] = useSearchParams()
  const [filter, setFilter] = useState<Filter>(() => readFilter(params))
  useEffect(() => {
    setParams(writeFilter(filter), { replace: true })
  }, [filter, setParams])
  // Any change of filter goes back to the first page.
  const update = (patch: Partial<Omit<Filter, 'offset'>>) => setFilter((f) => ({ ...f, ...patch, offset: 0 }))
  const search = useDebounced(filter.q.trim(), 250)

  const input: Input<'mail.outbox'> = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.channel ? { channel: filter.channel } : {}),
    search: search || null,
    offset: filter.offset,
    limit: PAGE_SIZE
  }
  const list = useListPage(mailKeys.outbox(input), 'mail.outbox', input)
  const listError = appError(list.error)
  const queue = list.data?.queue ?? null

  const [holding, setHolding] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const resume = useCallMutation('mail.resume')
  const hold = useCallMutation('mail.hold')

  async function doResume() {
    setProblem(null)
    setNotice(null)
    const r = await resume.mutateAsync({})
    if (r.ok) setNotice('The queue is sending again: the mail job sends what waits within a minute.')
    else setProblem(r.error.message)
  }

  const when = (iso: string | null) => (iso ? fmtInstant(iso, profile.locale, profile.timeZone) : '')
  const columns: Array<Column<OutboxMessage>> = [
    {
      id: 'created',
      header: 'Created',
      className: 'outbox-col-created',
      cellClassName: 'tnum',
      cell: (m) => (
        <Link to={`/outbox/${m.id}`} className="row-link" onClick={(e) => e.stopPropagation()}>
          {when(m.createdAt)}
        </Link>
      )
    },
    {
      id: 'message',
      header: 'Message',
      className: 'outbox-col-message',
      title: (m) => m.subject ?? undefined,
      cell: (m) => (
        <>
          <div className="outbox-ellipsis">{m.subject ?? <span className="muted">SMS text</span>}</div>
          <div className="cell-secondary outbox-ellipsis" data-testid="outbox-kind">
            {KIND_WORDS[m.kind]} · {CHANNEL_WORDS[m.channel]}
            {m.attachments > 0 ? ` · ${countOf(m.attachments, { one: 'attachment', other: 'attachments' }, profile.locale)}` : ''}
          </div>
        </>
      )
    },
    {
      id: 'to',
      header: 'To',
      className: 'outbox-col-to',
      title: (m) => (m.toName ? `${m.toName} <${m.to}>` : m.to),
      cell: (m) => (
        <>
          <div className="cell-primary outbox-ellipsis">
            {m.toName ?? <span className="selectable">{m.to}</span>}
            {m.memberNo && m.memberId !== null ? (
              <>
                {' '}
                <Link to={`/members/${m.memberId}`} className="outbox-who mono" onClick={(e) => e.stopPropagation()} aria-label={`Member ${m.memberNo}`}>
                  {m.memberNo}
                </Link>
              </>
            ) : m.staffNo && m.staffId !== null ? (
              <>
                {' '}
                <Link to={`/payroll/staff/${m.staffId}`} className="outbox-who mono" onClick={(e) => e.stopPropagation()} aria-label={`Staff ${m.staffNo}`}>
                  {m.staffNo}
                </Link>
              </>
            ) : null}
          </div>
          {m.toName ? <div className="cell-secondary outbox-ellipsis selectable">{m.to}</div> : null}
        </>
      )
    },
    {
      id: 'status',
      header: 'Status',
      className: 'outbox-col-status',
      title: (m) => STATUS_HINTS[m.status],
      cell: (m) => (
        <>
          <span className={statusBadgeClass(m.status)}>{STATUS_WORDS[m.status]}</span>
          <div className="cell-secondary tnum">{nextWords(m, queue, when)}</div>
          {m.resendOf !== null ? <div className="cell-secondary">Resend of #{m.resendOf}</div> : m.resentAs !== null ? <div className="cell-secondary">Sent again as #{m.resentAs}</div> : null}
        </>
      )
    },
    { id: 'attempts', header: 'Attempts', className: 'num outbox-col-attempts', cellClassName: 'num tnum', cell: (m) => fmtCount(m.attempts, profile.locale) },
    {
      id: 'error',
      header: 'Last error',
      className: 'outbox-col-error',
      title: (m) => m.lastError ?? undefined,
      cell: (m) => (m.lastError ? <div className="outbox-ellipsis outbox-error">{m.lastError}</div> : null)
    }
  ]

  const filtered = Boolean(filter.status || filter.kind || filter.channel || filter.q)
  const total = list.data?.total ?? 0
  const allCount = queue ? STATUS_ORDER.reduce((n, s) => n + queue.counts[s], 0) : null

  return (
    <div className="page page-fill page-outbox">
      <PageHeader
        title="Outbox"
        subtitle="Every email and SMS Coffer sends: vouchers, notices, payslips and staff alerts, and what happened to each."
        actions={
          queue ? (
            queue.held ? (
              canResume ? (
                <Button variant="primary" onClick={() => void doResume()} busy={resume.isPending}>
                  Resume sending
                </Button>
              ) : undefined
            ) : canHold ? (
              <Button onClick={() => setHolding(true)}>Hold the queue…</Button>
            ) : undefined
          ) : undefined
        }
      />

      {queue ? <QueueBanner queue={queue} canSettings={canSettings} /> : null}
      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)} className="page-banner">
          <span data-testid="outbox-notice">{notice}</span>
        </Banner>
      ) : null}
      {problem ? (
        <Banner tone="error" title="The queue could not be changed" onDismiss={() => setProblem(null)} className="page-banner">
          <span data-testid="outbox-problem">{problem}</span>
        </Banner>
      ) : null}

      <div className="outbox-statuses segmented" role="group" aria-label="Show messages by status">
        <button type="button" className="segmented-item" aria-pressed={filter.status === ''} onClick={() => update({ status: '' })}>
          All {allCount !== null ? <span className="outbox-count tnum">{fmtCount(allCount, profile.locale)}</span> : null}
        </button>
        {STATUS_ORDER.map((s) => (
          <button
            key={s}
            type="button"
            className="segmented-item"
            aria-pressed={filter.status === s}
            data-status={s}
            title={STATUS_HINTS[s]}
            onClick={() => update({ status: filter.status === s ? '' : s })}
          >
            {STATUS_WORDS[s]} {queue ? <span className="outbox-count tnum">{fmtCount(queue.counts[s], profile.locale)}</span> : null}
          </button>
        ))}
      </div>

      <div className="filters" role="search" aria-label="Filter the outbox">
        <Field label="Search" className="outbox-filter-search">
          <input
            type="search"
            value={filter.q}
            maxLength={80}
            placeholder="Address, name, member or staff number"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => update({ q: e.target.value })}
          />
        </Field>
        <Field label="Kind" className="outbox-filter-kind">
          <Select value={filter.kind} onChange={(e) => update({ kind: e.target.value as Filter['kind'] })} options={KIND_OPTIONS} />
        </Field>
        <Field label="Channel" className="outbox-filter-channel">
          <Select value={filter.channel} onChange={(e) => update({ channel: e.target.value as Filter['channel'] })} options={CHANNEL_OPTIONS} />
        </Field>
        <ClearFilters disabled={!filtered} onClear={() => setFilter(EMPTY)} />
        <p className="outbox-total muted" aria-live="polite" data-testid="outbox-total">
          {list.isSuccess ? countOf(total, { one: 'message', other: 'messages' }, profile.locale) : 'Loading…'}
        </p>
      </div>

      {listError ? <RefreshError title="The outbox could not be loaded" error={listError} onRetry={() => list.reload()} /> : null}

      <DataTable
        label="Outbox"
        className="outbox-table"
        wrapClassName="outbox-scroll"
        columns={columns}
        rows={list.data?.rows ?? []}
        idAttribute="data-message-id"
        rowAttributes={(m) => ({ 'data-status': m.status, 'data-kind': m.kind, 'data-channel': m.channel })}
        rowClassName={(m) => (m.status === 'failed' ? 'outbox-row-failed' : undefined)}
        onOpen={(m) => navigate(`/outbox/${m.id}`)}
        busy={list.isFetching}
        resetKey={JSON.stringify(input)}
        empty={
          list.isSuccess
            ? filtered
              ? 'No message matches the filter.'
              : 'Nothing has been queued yet. Paying a member, posting payroll or a job failing queues the email or SMS it sends.'
            : null
        }
      />
      <Pager offset={filter.offset} pageSize={PAGE_SIZE} total={total} locale={profile.locale} onOffset={(offset) => setFilter((f) => ({ ...f, offset }))} />

      {holding ? (
        <ReasonModal
          title="Hold the queue?"
          cancelLabel="Keep sending"
          confirmLabel="Hold the queue"
          hint="Shown to everyone who opens the outbox, with your name."
          submit={(reason) => hold.mutateAsync({ reason })}
          onClose={() => setHolding(false)}
          onDone={() => {
            setHolding(false)
            setProblem(null)
          }}
        >
          <p className="modal-text">
            Nothing is sent, by email or SMS, until someone resumes the queue. Messages are still queued meanwhile (nothing is lost) and go out
            when it is resumed. Use it while the mail server or its settings are being changed, or to stop a wrong message going out.
          </p>
        </ReasonModal>
      ) : null}
    </div>
  )
}

/** When a message goes next, or went; nothing for one that is not going. */
function nextWords(m: OutboxMessage, queue: QueueState | null, when: (iso: string | null) => string) {
  switch (m.status) {
    case 'sent':
      return <span title="Sent at">{when(m.sentAt)}</span>
    case 'queued':
      if (queue?.held) return <span>When the queue is resumed</span>
      if (m.channel === 'email' && queue && !queue.emailReady) return <span>Once email is set up</span>
      if (m.channel === 'sms' && queue && !queue.smsReady) return <span>Once SMS is set up</span>
      return m.nextAttemptAt ? <span title="Next attempt">Next try {when(m.nextAttemptAt)}</span> : <span>At the next run (every minute)</span>
    case 'sending':
      return <span>Being sent</span>
    default:
      return null
  }
}

/** The queue's state: held (why, by whom, since when), and whether email and SMS are set up. */
function QueueBanner({ queue, canSettings }: { queue: QueueState; canSettings: boolean }) {
  const { profile } = useProfile()
  const settings = canSettings ? (
    <Link to="/settings" className="outbox-settings-link">
      Set it up in Settings
    </Link>
  ) : (
    <span>An administrator sets it up in Settings.</span>
  )
  return (
    <>
      {queue.held ? (
        <Banner tone="warning" title="The queue is held: nothing is being sent" className="page-banner">
          <span data-testid="outbox-held">
            {queue.heldReason ? <>“{queue.heldReason}”</> : 'No reason was given.'}
            {queue.heldBy || queue.heldAt ? (
              <>
                {' '}
                Held{queue.heldBy ? ` by ${queue.heldBy}` : ''}
                {queue.heldAt ? ` since ${fmtInstant(queue.heldAt, profile.locale, profile.timeZone)}` : ''}.
              </>
            ) : null}{' '}
            Messages are still queued and go out once it is resumed
            {queue.counts.queued > 0 ? ` (${countOf(queue.counts.queued, { one: 'message waits', other: 'messages wait' }, profile.locale)})` : ''}.
          </span>
        </Banner>
      ) : null}
      <p className="outbox-readiness" data-testid="outbox-readiness">
        <span className={queue.emailReady ? 'outbox-ready' : 'outbox-not-ready'} data-ready={queue.emailReady}>
          Email: {queue.emailReady ? 'set up' : 'not set up'}
        </span>
        <span className={queue.smsReady ? 'outbox-ready' : 'outbox-not-ready'} data-ready={queue.smsReady}>
          SMS: {queue.smsReady ? 'set up' : 'not set up'}
        </span>
        {!queue.emailReady || !queue.smsReady ? (
          <span className="muted">
            Messages for a channel that is not set up wait in the queue. {settings}
          </span>
        ) : (
          <span className="muted">The mail job sends queued messages every minute while Coffer is open.</span>
        )}
      </p>
    </>
  )
}
