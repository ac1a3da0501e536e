import { useEffect, useId, useRef, useState } from 'react'
import { Link, useLocation } from 'react-router-dom'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { PageLoading } from '../../ui/PageState'
import { fmtCount } from '../../platform/format'
import { IconBell } from '../../app/icons'
import { MarkAllReadButton } from './MarkAllReadButton'
import { NotificationList } from './NotificationList'
import { useNotifications } from './useNotifications'
import { useNotificationList } from './useNotificationList'

const PANEL_SIZE = 20

/**
 * The bell in the header: the unread count as a badge, and a panel with the
 * latest notifications. The panel closes on Esc, on a click outside, and when
 * a link in it is followed.
 */
export function NotificationBell() {
  const { profile } = useProfile()
  const { unread } = useNotifications()
  const [open, setOpen] = useState(false)
  const location = useLocation()
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const panelId = useId()
  const countId = useId()

  // Following a link elsewhere closes the panel (the route changed under it).
  const [openedAt, setOpenedAt] = useState(location.key)
  if (open && openedAt !== location.key) {
    setOpen(false)
  }

  useEffect(() => {
    if (!open) return
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false)
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || document.querySelector('dialog[open]')) return
      e.preventDefault()
      setOpen(false)
      buttonRef.current?.focus()
    }
    document.addEventListener('pointerdown', onPointer)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('pointerdown', onPointer)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])

  const count = unread ?? 0
  const countText = count > 99 ? '99+' : fmtCount(count, profile.locale)

  return (
    <div className="bell" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={open ? 'bell-button is-open' : 'bell-button'}
        aria-label="Notifications"
        aria-describedby={countId}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-haspopup="dialog"
        onClick={() => {
          setOpenedAt(location.key)
          setOpen((o) => !o)
        }}
      >
        <IconBell />
        <span
          className={count > 0 ? 'bell-badge' : 'bell-badge is-zero'}
          data-testid="unread-count"
          data-count={count}
          aria-hidden="true"
        >
          {count > 0 ? countText : '0'}
        </span>
      </button>
      <span id={countId} className="visually-hidden">
        {count === 0 ? 'No unread notifications' : `${count} unread`}
      </span>
      {open ? <BellPanel id={panelId} onClose={() => setOpen(false)} /> : null}
    </div>
  )
}

function BellPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const list = useNotificationList({ unreadOnly: false, pageSize: PANEL_SIZE })
  const [error, setError] = useState<string | null>(null)
  const panelRef = useRef<HTMLDivElement>(null)

  useEffect(() => {
    panelRef.current?.focus()
  }, [])

  return (
    <div className="bell-panel" id={id} role="dialog" aria-label="Notification centre" ref={panelRef} tabIndex={-1}>
      <div className="bell-panel-head">
        <h2 className="bell-panel-title">Notifications</h2>
        <MarkAllReadButton rows={list.rows} onError={setError} compact />
      </div>
      {error || list.error ? (
        <Banner tone="error" onDismiss={error ? () => setError(null) : undefined}>
          {error ?? list.error?.message}
        </Banner>
      ) : null}
      <div className="bell-panel-body">
        {!list.loaded && !list.error ? (
          <PageLoading />
        ) : list.rows.length === 0 ? (
          <p className="bell-panel-empty muted">Nothing yet. Jobs that finish or fail tell you here.</p>
        ) : (
          <NotificationList rows={list.rows} compact onNavigate={onClose} onError={setError} />
        )}
      </div>
      <div className="bell-panel-foot">
        <Link to="/notifications" onClick={onClose}>
          See all
        </Link>
        {list.total > list.rows.length ? <span className="muted tnum">{list.total - list.rows.length} more</span> : null}
      </div>
    </div>
  )
}
