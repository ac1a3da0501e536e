import { useState, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom'
import type { MessageAttempt, MessageDetail } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtBytes, fmtCount, fmtDuration, fmtInstant } from '../../platform/format'
import { useCallMutation } from '../../platform/queries'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { DataTable, type Column } from '../../ui/DataTable'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { SavedFile } from '../../ui/SavedFile'
import { useCan } from '../auth/useCan'
import { parseId } from '../members/ids'
import { ReasonModal } from '../payments/ReasonModal'
import { useProfile } from '../profile/ProfileContext'
import { CHANNEL_WORDS, KIND_WORDS, OUTCOME_WORDS, STATUS_HINTS, STATUS_WORDS, statusBadgeClass } from './OutboxWords'
import { mailKeys } from './queries'
import './outbox.css'

export function MessagePage() {
  const params = useParams()
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no message at this address.')} title="Not found" />
  return <MessageLoader key={id} id={id} />
}

function MessageLoader({ id }: { id: number }) {
  // The mail job and every mail.* change make it stale through mailKeys.all (app/invalidation.ts).
  const loaded = useQuery({ queryKey: mailKeys.message(id), queryFn: () => call('mail.message', { id }) })
  if (loaded.isError && !loaded.data) return <PageError error={loaded.error} title="The message could not be loaded" onRetry={() => void loaded.refetch()} />
  if (!loaded.data) return <PageLoading label="Loading the message…" />
  return <MessageView detail={loaded.data} />
}

/**
 * One message in the outbox: its headers, its text as it goes out, its
 * frozen attachments (with their SHA-256, the same bytes on every attempt
 * and resend), every attempt with the server's own reply, and what can be
 * done with it by its status: retry a failed one, cancel one not yet sent,
 * send a sent (or failed) one again as a new message.
 */
function MessageView({ detail }: { detail: MessageDetail }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const location = useLocation()
  const m = detail.message
  const canRetry = useCan('mail.retry')
  const canCancel = useCan('mail.cancel')
  const canResend = useCan('mail.resend')
  const canSave = useCan('mail.saveAttachment')
  const retry = useCallMutation('mail.retry')
  const cancel = useCallMutation('mail.cancel')
  const resend = useCallMutation('mail.resend')
  const saveAttachment = useCallMutation('mail.saveAttachment')

  const arrived = (location.state as { notice?: string } | null)?.notice
  const [notice, setNotice] = useState<string | null>(arrived ?? null)
  const [refusal, setRefusal] = useState<{ title: string; message: string } | null>(null)
  const [cancelling, setCancelling] = useState(false)
  const [resending, setResending] = useState(false)
  const [resendError, setResendError] = useState<string | null>(null)
  const [saved, setSaved] = useState<{ file: string; filename: string } | null>(null)
  const [savingId, setSavingId] = useState<number | null>(null)

  const when = (iso: string | null) => (iso ? fmtInstant(iso, profile.locale, profile.timeZone, { seconds: true }) : '')

  async function doRetry() {
    setNotice(null)
    setRefusal(null)
    const r = await retry.mutateAsync({ id: m.id, expectedVersion: m.version })
    if (r.ok) setNotice('Queued again: the mail job tries it within a minute, its attempts counted afresh.')
    else setRefusal({ title: 'The message could not be retried', message: r.error.message })
  }

  async function doResend() {
    setResendError(null)
    const r = await resend.mutateAsync({ id: m.id })
    if (!r.ok) {
      setResendError(r.error.message)
      return
    }
    setResending(false)
    navigate(`/outbox/${r.value.id}`, { state: { notice: `Message #${m.id} queued again as this new message: the mail job sends it within a minute.` } })
  }

  async function save(attachmentId: number, filename: string) {
    setSavingId(attachmentId)
    setRefusal(null)
    const r = await saveAttachment.mutateAsync({ id: attachmentId })
    setSavingId(null)
    if (r.ok) setSaved({ file: r.value.file, filename })
    else setRefusal({ title: `${filename} could not be saved`, message: r.error.message })
  }

  const actions: ReactNode[] = []
  if (m.status === 'failed' && canRetry) {
    actions.push(
      <Button key="retry" variant="primary" onClick={() => void doRetry()} busy={retry.isPending}>
        Retry
      </Button>
    )
  }
  if ((m.status === 'sent' || m.status === 'failed') && canResend) {
    actions.push(
      <Button key="resend" onClick={() => setResending(true)}>
        Resend…
      </Button>
    )
  }
  if ((m.status === 'queued' || m.status === 'failed') && canCancel) {
    actions.push(
      <Button key="cancel" variant="danger" onClick={() => setCancelling(true)}>
        Cancel…
      </Button>
    )
  }

  const attemptColumns: Array<Column<MessageAttempt & { n: number }>> = [
    { id: 'n', header: '#', className: 'num', cellClassName: 'num tnum', cell: (a) => a.n },
    { id: 'at', header: 'When', className: 'message-col-when', cellClassName: 'tnum nowrap', cell: (a) => when(a.at) },
    {
      id: 'outcome',
      header: 'Outcome',
      className: 'message-col-outcome',
      cell: (a) => <span className={`message-outcome message-outcome-${a.outcome}`}>{OUTCOME_WORDS[a.outcome]}</span>
    },
    {
      id: 'reply',
      header: 'Server’s reply',
      className: 'message-col-reply',
      cell: (a) => (a.reply ? <code className="message-reply selectable">{a.reply}</code> : <span className="muted">No reply</span>)
    },
    { id: 'duration', header: 'Took', className: 'num message-col-took', cellClassName: 'num tnum nowrap', cell: (a) => (a.durationMs !== null ? fmtDuration(a.durationMs, profile.locale) : '—') }
  ]
  const attempts = detail.attempts.map((a, i) => ({ ...a, n: i + 1, id: i + 1 }))

  return (
    <div className="page page-detail page-message" data-status={m.status}>
      <PageHeader
        before={
          <Link to="/outbox" className="back-link">
            ← Outbox
          </Link>
        }
        title={`Message #${m.id}`}
        documentTitle={`Message #${m.id}`}
        subtitle={
          <span className="detail-subtitle">
            <span className={statusBadgeClass(m.status)} title={STATUS_HINTS[m.status]} data-testid="message-status">
              {STATUS_WORDS[m.status]}
            </span>
            <span>
              {KIND_WORDS[m.kind]} · {CHANNEL_WORDS[m.channel]}
            </span>
          </span>
        }
        actions={actions.length ? <>{actions}</> : undefined}
      />

      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)} className="page-banner">
          <span data-testid="message-notice">{notice}</span>
        </Banner>
      ) : null}
      {refusal ? (
        <Banner tone="error" title={refusal.title} onDismiss={() => setRefusal(null)} className="page-banner">
          <span data-testid="message-refusal">{refusal.message}</span>
        </Banner>
      ) : null}
      {m.status === 'failed' && m.lastError ? (
        <Banner tone="error" title="Not sent" className="page-banner">
          <span data-testid="message-last-error">{m.lastError}</span>
        </Banner>
      ) : m.status === 'queued' && m.lastError ? (
        <Banner tone="warning" title={m.nextAttemptAt ? `Not sent yet: tried again ${when(m.nextAttemptAt)}` : 'Not sent yet: tried again at the next run'} className="page-banner">
          {m.lastError}
        </Banner>
      ) : null}
      {saved ? (
        <div className="page-banner">
          <SavedFile file={saved.file} title={`${saved.filename}, as it was sent`} onDismiss={() => setSaved(null)} />
        </div>
      ) : null}

      <section className="panel message-headers" aria-labelledby="message-headers-title">
        <h2 className="panel-title" id="message-headers-title">
          The message
        </h2>
        <dl className="deflist">
          <Item label="To">
            {m.toName ? <>{m.toName} </> : null}
            <span className="selectable mono">{m.channel === 'email' && m.toName ? `<${m.to}>` : m.to}</span>
            {m.memberId !== null && m.memberNo ? (
              <>
                {' · '}
                <Link to={`/members/${m.memberId}`}>Member {m.memberNo}</Link>
              </>
            ) : null}
            {m.staffId !== null && m.staffNo ? (
              <>
                {' · '}
                <Link to={`/payroll/staff/${m.staffId}`}>Staff {m.staffNo}</Link>
              </>
            ) : null}
          </Item>
          {m.channel === 'email' ? <Item label="Subject">{m.subject ?? <span className="muted">—</span>}</Item> : null}
          {m.channel === 'email' ? (
            <Item label="Message-ID">
              {m.messageId ? (
                <code className="selectable message-id" data-testid="message-id">
                  {m.messageId}
                </code>
              ) : (
                <span className="muted">Given when it is first sent</span>
              )}
            </Item>
          ) : null}
          <Item label="Kind">
            {KIND_WORDS[m.kind]} · {CHANNEL_WORDS[m.channel]}
          </Item>
          <Item label="Status">
            {STATUS_WORDS[m.status]}
            <span className="muted"> · {STATUS_HINTS[m.status].toLowerCase()}</span>
          </Item>
          <Item label="Created">
            <span className="tnum">{when(m.createdAt)}</span>
          </Item>
          <Item label="Sent">{m.sentAt ? <span className="tnum">{when(m.sentAt)}</span> : <span className="muted">Not sent</span>}</Item>
          {m.status === 'queued' ? (
            <Item label="Next attempt">{m.nextAttemptAt ? <span className="tnum">{when(m.nextAttemptAt)}</span> : <span className="muted">At the next run of the mail job</span>}</Item>
          ) : null}
          <Item label="Attempts">
            <span className="tnum">{fmtCount(m.attempts, profile.locale)}</span>
            {m.lastAttemptAt ? <span className="muted tnum"> · last {when(m.lastAttemptAt)}</span> : null}
          </Item>
          {m.resendOf !== null ? (
            <Item label="Resend of">
              <Link to={`/outbox/${m.resendOf}`} data-testid="message-original">
                Message #{m.resendOf}
              </Link>
            </Item>
          ) : null}
          {m.resentAs !== null ? (
            <Item label="Sent again as">
              <Link to={`/outbox/${m.resentAs}`} data-testid="message-resend">
                Message #{m.resentAs}
              </Link>
            </Item>
          ) : null}
          {detail.notificationId !== null ? (
            <Item label="Delivers">
              <Link to="/notifications">Staff notification #{detail.notificationId}</Link>
            </Item>
          ) : null}
        </dl>
      </section>

      <section className="panel message-body-panel" aria-labelledby="message-body-title">
        <h2 className="panel-title" id="message-body-title">
          {m.channel === 'sms' ? 'Text' : 'Body'}
        </h2>
        <pre className="message-body selectable" data-testid="message-body">
          {detail.body}
        </pre>
      </section>

      {detail.attachments.length > 0 ? (
        <section className="panel message-attachments" aria-labelledby="message-attachments-title">
          <h2 className="panel-title" id="message-attachments-title">
            Attachments <span className="muted tnum">{detail.attachments.length}</span>
          </h2>
          <table className="table table-compact" aria-label="Attachments">
            <thead>
              <tr>
                <th>File</th>
                <th className="num">Size</th>
                <th>SHA-256</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {detail.attachments.map((a) => (
                <tr key={a.id} data-attachment-id={a.id}>
                  <td>
                    {a.filename}
                    <div className="cell-secondary">{a.contentType}</div>
                  </td>
                  <td className="num tnum nowrap">{a.size !== null ? fmtBytes(a.size, profile.locale) : '—'}</td>
                  <td>
                    {a.sha256 ? (
                      <code className="message-sha selectable" data-testid="attachment-sha">
                        {a.sha256}
                      </code>
                    ) : (
                      <span className="muted">{a.frozen ? '—' : 'Made when the message is first sent, then kept'}</span>
                    )}
                  </td>
                  <td className="nowrap">
                    {canSave ? (
                      <Button small onClick={() => void save(a.id, a.filename)} busy={savingId === a.id}>
                        Save a copy
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      <section className="panel message-attempts" aria-labelledby="message-attempts-title">
        <h2 className="panel-title" id="message-attempts-title">
          Attempts <span className="muted tnum">{detail.attempts.length}</span>
        </h2>
        {attempts.length === 0 ? (
          <p className="muted">
            {m.status === 'cancelled' ? 'None: it was cancelled before it was tried.' : 'None yet: the mail job tries queued messages every minute.'}
          </p>
        ) : (
          <DataTable
            label="Attempts"
            className="table-compact message-attempts-table"
            columns={attemptColumns}
            rows={attempts}
            idAttribute="data-attempt"
            rowAttributes={(a) => ({ 'data-outcome': a.outcome })}
          />
        )}
      </section>

      {cancelling ? (
        <ReasonModal
          title={`Cancel message #${m.id}?`}
          cancelLabel="Keep message"
          confirmLabel="Cancel message"
          hint="Kept with the message."
          submit={(reason) => cancel.mutateAsync({ id: m.id, expectedVersion: m.version, reason })}
          onClose={() => setCancelling(false)}
          onDone={() => {
            setCancelling(false)
            setRefusal(null)
            setNotice('Cancelled: it will not be sent.')
          }}
        >
          <p className="modal-text">
            {m.toName ?? m.to} will not get this {m.channel === 'sms' ? 'SMS' : 'email'}. It stays in the outbox as cancelled, with your reason; this
            cannot be undone.
          </p>
        </ReasonModal>
      ) : null}
      {resending ? (
        <ConfirmModal
          title={`Send message #${m.id} again?`}
          cancelLabel="Back"
          confirmLabel="Resend"
          onConfirm={() => void doResend()}
          onClose={() => {
            setResending(false)
            setResendError(null)
          }}
          busy={resend.isPending}
          error={resendError}
          onDismissError={() => setResendError(null)}
        >
          <p className="modal-text">
            A new message goes to {m.toName ? `${m.toName} (${m.to})` : m.to}, linked to this one, with the same text
            {detail.attachments.length > 0 ? ' and the same attachments (the same files, byte for byte)' : ''}. It is queued now and sent by the mail
            job within a minute.
          </p>
        </ConfirmModal>
      ) : null}
    </div>
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
