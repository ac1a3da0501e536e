import { useState, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useLocation, useNavigate, useParams } from 'react-router-dom'
import type { MemberDetail, MemberEvent } from '../../../../shared/contract'
import { call, invoke } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { WarningsModal } from '../../ui/WarningsModal'
import { useWarnings, type Acknowledge } from '../../platform/warnings'
import { TextAreaField } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { fmtDate, fmtInstant } from '../../platform/format'
import { isCalendarDate } from '../../../../shared/dates'
import { MemberBondsPanel } from '../bonds/MemberBondsPanel'
import { MemberAccounts } from '../ledger/MemberAccounts'
import { MemberStandingOrdersPanel } from '../recurring/orders/MemberStandingOrdersPanel'
import { MemberMessagesPanel } from '../mail/MemberMessagesPanel'
import { MEMBER_FIELD_LABELS } from './labels'
import { parseId } from './ids'
import { memberKeys } from './queries'
import { useCan } from '../auth/useCan'

export function MemberDetailPage() {
  const params = useParams()
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no member at this address.')} title="Not found" />
  return <MemberDetailLoader key={id} id={id} />
}

function MemberDetailLoader({ id }: { id: number }) {
  // Changed elsewhere (another window, a job): members.changed asks it again (app/invalidation.ts).
  const loaded = useQuery({ queryKey: memberKeys.detail(id), queryFn: () => call('members.get', { id }) })
  const reload = () => void loaded.refetch()
  if (loaded.isError && !loaded.data) return <PageError error={loaded.error} onRetry={reload} />
  if (!loaded.data) return <PageLoading />
  return <MemberDetailView detail={loaded.data} reload={reload} />
}

interface ViewProps {
  detail: MemberDetail
  reload: () => void
}

function MemberDetailView({ detail, reload }: ViewProps) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const location = useLocation()
  const m = detail.member
  const [confirming, setConfirming] = useState(false)
  const [reason, setReason] = useState('')
  const [reasonError, setReasonError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const setActiveCall = useCallMutation('members.setActive')
  const canEdit = useCan('members.update')
  const canSetActive = useCan('members.setActive')
  // Bonds still held or payments still owed: core asks first (members.setActive's acknowledge).
  const warn = useWarnings('members.setActive')

  // Came from the list: go back to it as it was (search, filter, scroll). Otherwise open it afresh.
  const back = () => {
    const from = (location.state as { from?: string } | null)?.from
    if (from === 'list') navigate(-1)
    else navigate('/members')
  }

  async function setActive(active: boolean, acknowledge: Acknowledge<'members.setActive'> = []) {
    setBusy(true)
    setError(null)
    setReasonError(null)
    const r = await setActiveCall.mutateAsync({
      id: m.id,
      active,
      expectedVersion: m.version,
      reason: active ? null : reason,
      acknowledge
    })
    setBusy(false)
    if (!r.ok) {
      if (warn.caught(r.error)) return
      warn.reset()
      if (!active && r.error.fields?.reason) {
        setReasonError(r.error.fields.reason)
        return
      }
      setConfirming(false)
      setError(r.error.message)
      return
    }
    warn.reset()
    setConfirming(false)
    setReason('')
    setNotice(active ? 'Member reactivated.' : 'Member deactivated.')
  }

  const mailto = m.email ? `mailto:${m.email}` : null

  return (
    <div className="page page-detail">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={back}>
            ← Members
          </button>
        }
        title={m.fullName}
        subtitle={
          <span className="detail-subtitle">
            <span className="tnum">{m.memberNo}</span>
            <span data-testid="member-status" className={m.active ? 'badge badge-active' : 'badge badge-inactive'}>
              {m.active ? 'Active' : 'Inactive'}
            </span>
          </span>
        }
        actions={
          <>
            {canEdit ? <Button onClick={() => navigate(`/members/${m.id}/edit`, { state: { from: 'detail' } })}>Edit</Button> : null}
            {!canSetActive ? null : m.active ? (
              <Button variant="danger" onClick={() => setConfirming(true)}>
                Deactivate
              </Button>
            ) : (
              <Button onClick={() => setActive(true)} busy={busy}>
                Reactivate
              </Button>
            )}
          </>
        }
      />

      {error ? (
        <Banner tone="error" onDismiss={() => setError(null)}>
          {error}{' '}
          <button type="button" className="link-button" onClick={reload}>
            Reload
          </button>
        </Banner>
      ) : null}
      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Banner>
      ) : null}

      {!m.active ? (
        <div className="inactive-note" data-testid="member-deactivation">
          <span>
            Deactivated{' '}
            {m.deactivatedAt ? fmtInstant(m.deactivatedAt, profile.locale, profile.timeZone) : '(date not recorded)'}
          </span>
          <span>
            {m.deactivationReason ? <>Reason: {m.deactivationReason}</> : <span className="muted">No reason given</span>}
          </span>
        </div>
      ) : null}

      <div className="detail-columns">
        <section className="panel" aria-labelledby="member-details-title">
          <h2 className="panel-title" id="member-details-title">
            Details
          </h2>
          <dl className="deflist">
            <Item label="Member number">
              <span className="tnum">{m.memberNo}</span>
            </Item>
            <Item label="Name">{m.fullName}</Item>
            <Item label="Email">
              {mailto ? (
                <a
                  href={mailto}
                  onClick={(e) => {
                    e.preventDefault()
                    void invoke('app.openExternal', { url: mailto }).then((r) => {
                      if (!r.ok) setError(r.error.message)
                    })
                  }}
                >
                  {m.email}
                </a>
              ) : (
                <Empty />
              )}
            </Item>
            <Item label="Phone">{m.phone ? <span className="tnum">{m.phone}</span> : <Empty />}</Item>
            <Item label="Address">{m.address ? <span className="prewrap">{m.address}</span> : <Empty />}</Item>
            <Item label="National ID">{m.nationalId ? <span className="tnum">{m.nationalId}</span> : <Empty />}</Item>
            <Item label="Joining date">
              <span className="tnum">{fmtDate(m.joinedOn, profile.locale)}</span>
            </Item>
            <Item label="Notes">{m.notes ? <span className="prewrap">{m.notes}</span> : <Empty />}</Item>
            <Item label="Record">
              <span className="muted">
                Created {fmtInstant(m.createdAt, profile.locale, profile.timeZone)} · updated{' '}
                {fmtInstant(m.updatedAt, profile.locale, profile.timeZone)}
              </span>
            </Item>
          </dl>
        </section>

        <section className="panel" aria-labelledby="member-history-title">
          <h2 className="panel-title" id="member-history-title">
            History
          </h2>
          <History events={detail.history} />
        </section>
      </div>

      <MemberAccounts memberId={m.id} memberActive={m.active} />

      <MemberStandingOrdersPanel memberId={m.id} memberActive={m.active} />

      <MemberBondsPanel memberId={m.id} />

      <MemberMessagesPanel memberId={m.id} />

      {confirming ? (
        <ConfirmModal
          title={`Deactivate ${m.fullName}?`}
          onClose={() => {
            setConfirming(false)
            setReasonError(null)
          }}
          busy={busy}
          variant="danger"
          confirmLabel="Deactivate member"
          onConfirm={() => void setActive(false)}
          fields={
            <TextAreaField
              label="Reason (optional)"
              error={reasonError}
              hint="Kept in the member's history."
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
            />
          }
        >
          <p className="modal-text">
            The member stays on record with their history and can be reactivated at any time. Inactive members are hidden
            from the default member list.
          </p>
          {warn.shown ? (
            <WarningsModal
              title="Deactivate a member with bonds or payments open?"
              warnings={warn.shown}
              confirmLabel="Deactivate anyway"
              busy={busy}
              onConfirm={() => void setActive(false, warn.accept())}
              onClose={warn.reset}
            />
          ) : null}
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

function Empty() {
  return <span className="muted empty-value">—</span>
}

const isBlank = (v: unknown) => v === null || v === undefined || v === ''

const KIND_LABEL: Record<MemberEvent['kind'], string> = {
  created: 'Registered',
  updated: 'Updated',
  deactivated: 'Deactivated',
  reactivated: 'Reactivated'
}

function History({ events }: { events: MemberEvent[] }) {
  const { profile } = useProfile()
  if (events.length === 0) return <p className="muted">No history recorded.</p>
  const sorted = [...events].sort((a, b) => (a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1))
  const show = (field: string, v: unknown): ReactNode => {
    if (v === null || v === undefined || v === '') return <span className="muted">(empty)</span>
    if (typeof v === 'boolean') return field === 'active' ? (v ? 'Active' : 'Inactive') : v ? 'Yes' : 'No'
    if (typeof v === 'string' && field === 'joinedOn' && isCalendarDate(v)) return fmtDate(v, profile.locale)
    if (typeof v === 'string' || typeof v === 'number') return String(v)
    return JSON.stringify(v)
  }
  return (
    <ol className="history" data-testid="member-history">
      {sorted.map((ev) => {
        const changes = ev.changes ? Object.entries(ev.changes) : []
        return (
          <li key={ev.id} className={`history-item history-${ev.kind}`}>
            <div className="history-head">
              <span className="history-kind">{KIND_LABEL[ev.kind] ?? ev.kind}</span>
              <time className="history-time tnum" dateTime={ev.at}>
                {fmtInstant(ev.at, profile.locale, profile.timeZone)}
              </time>
            </div>
            {ev.kind === 'deactivated' ? (
              <p className="history-reason">{ev.reason ? <>Reason: {ev.reason}</> : <span className="muted">No reason given</span>}</p>
            ) : null}
            {ev.kind === 'updated' && changes.length > 0 ? (
              <ul className="history-changes">
                {changes.map(([field, c]) => (
                  <li key={field}>
                    <span className="history-field">{MEMBER_FIELD_LABELS[field] ?? field}</span>{' '}
                    <span className={isBlank(c.from) ? 'history-from history-blank' : 'history-from'}>
                      {show(field, c.from)}
                    </span>
                    <span className="history-arrow" aria-label="changed to">
                      {' '}
                      →{' '}
                    </span>
                    <span className="history-to">{show(field, c.to)}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        )
      })}
    </ol>
  )
}
