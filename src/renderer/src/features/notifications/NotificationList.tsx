import { useState } from 'react'
import { Link } from 'react-router-dom'
import type { Notification } from '../../../../shared/contract'
import { useProfile } from '../profile/ProfileContext'
import { fmtAgo, fmtInstant } from '../../platform/format'
import { useNow } from '../../platform/useNow'
import { KIND_LABELS, KindIcon } from './KindIcon'
import { CHANNEL_LABELS, DELIVERY_STATUS_LABELS, subjectLink } from './labels'
import { useNotifications } from './useNotifications'

export interface NotificationListProps {
  rows: Notification[]
  /** Called when a link in the list is followed (the panel closes). */
  onNavigate?: () => void
  /** Tells the caller a "mark read" failed. */
  onError?: (message: string) => void
  compact?: boolean
}

/** Notifications, newest first: kind, title, body, when, "Mark read", a link to the subject, deliveries. */
export function NotificationList({ rows, onNavigate, onError, compact }: NotificationListProps) {
  const now = useNow(30_000)
  return (
    <ul className={compact ? 'notice-list notice-list-compact' : 'notice-list'}>
      {rows.map((n) => (
        <NotificationItem key={n.id} n={n} now={now} onNavigate={onNavigate} onError={onError} />
      ))}
    </ul>
  )
}

function NotificationItem({
  n,
  now,
  onNavigate,
  onError
}: {
  n: Notification
  now: number
  onNavigate?: () => void
  onError?: (message: string) => void
}) {
  const { profile } = useProfile()
  const { markRead } = useNotifications()
  const [busy, setBusy] = useState(false)
  const unread = n.readAt === null
  const link = subjectLink(n.subject)
  const kind = KIND_LABELS[n.kind] ? n.kind : 'info'

  return (
    <li
      className={['notice', `notice-${kind}`, unread ? 'is-unread' : 'is-read'].join(' ')}
      data-notification-id={n.id}
      data-unread={unread || undefined}
    >
      <span className="notice-icon" title={KIND_LABELS[kind]}>
        <KindIcon kind={kind} />
      </span>
      <div className="notice-main">
        <div className="notice-head">
          <span className="notice-title">
            {unread ? <span className="visually-hidden">Unread: </span> : null}
            {n.title}
          </span>
          <time className="notice-time tnum" dateTime={n.createdAt} title={fmtInstant(n.createdAt, profile.locale, profile.timeZone)}>
            {fmtAgo(n.createdAt, now, profile.locale, profile.timeZone)}
          </time>
        </div>
        {n.body ? <p className="notice-body">{n.body}</p> : null}
        <div className="notice-actions">
          {link ? (
            <Link to={link.to} className="notice-link" onClick={onNavigate}>
              {link.label}
            </Link>
          ) : null}
          {unread ? (
            <button
              type="button"
              className="link-button notice-mark"
              disabled={busy}
              onClick={async () => {
                setBusy(true)
                const error = await markRead(n.id)
                setBusy(false)
                if (error) onError?.(error.message)
              }}
            >
              Mark read
            </button>
          ) : null}
          {n.deliveries.length > 0 ? <Deliveries n={n} onNavigate={onNavigate} /> : null}
        </div>
      </div>
    </li>
  )
}

/** Each channel's delivery; an email or SMS links to its message in the outbox (its attempts and the server's replies). */
function Deliveries({ n, onNavigate }: { n: Notification; onNavigate?: () => void }) {
  const { profile } = useProfile()
  const failed = n.deliveries.some((d) => d.status === 'failed')
  const summary = n.deliveries
    .map((d) => `${CHANNEL_LABELS[d.channel] ?? d.channel}: ${(DELIVERY_STATUS_LABELS[d.status] ?? d.status).toLowerCase()}`)
    .join(' · ')
  return (
    <details className={failed ? 'deliveries has-failed' : 'deliveries'}>
      <summary>
        <span className="deliveries-summary">{summary}</span>
      </summary>
      <ul className="deliveries-list">
        {n.deliveries.map((d, i) => (
          <li key={`${d.channel}-${d.recipient ?? ''}-${i}`} className={`delivery delivery-${d.status}`}>
            <span className="delivery-channel">{CHANNEL_LABELS[d.channel] ?? d.channel}</span>
            {d.recipient ? <span className="selectable"> to {d.recipient}</span> : null}
            {' · '}
            <span className="delivery-status">{DELIVERY_STATUS_LABELS[d.status] ?? d.status}</span>
            {' · '}
            <span className="tnum">
              {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
            </span>
            {d.lastAttemptAt ? (
              <span className="tnum"> · last {fmtInstant(d.lastAttemptAt, profile.locale, profile.timeZone)}</span>
            ) : null}
            {d.outboxMessageId !== null ? (
              <>
                {' · '}
                <Link to={`/outbox/${d.outboxMessageId}`} className="delivery-outbox" onClick={onNavigate}>
                  {d.channel === 'sms' ? 'Open the SMS' : 'Open the email'}
                </Link>
              </>
            ) : null}
            {d.error ? <div className="delivery-error mono selectable">{d.error}</div> : null}
          </li>
        ))}
      </ul>
    </details>
  )
}
