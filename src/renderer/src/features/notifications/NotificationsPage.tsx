import { useState } from 'react'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { PageHeader } from '../../ui/PageHeader'
import { PageLoading } from '../../ui/PageState'
import { fmtCount } from '../../platform/format'
import { MarkAllReadButton } from './MarkAllReadButton'
import { NotificationList } from './NotificationList'
import { useNotifications } from './useNotifications'
import { useNotificationList } from './useNotificationList'

const PAGE_SIZE = 50

/** Every notification (#/notifications), newest first, 50 at a time. */
export function NotificationsPage() {
  const { profile } = useProfile()
  const { unread } = useNotifications()
  const [unreadOnly, setUnreadOnly] = useState(false)
  const list = useNotificationList({ unreadOnly, pageSize: PAGE_SIZE })
  const [error, setError] = useState<string | null>(null)

  return (
    <div className="page page-narrow page-notifications">
      <PageHeader
        title="Notifications"
        subtitle={
          unread === null ? null : unread === 0 ? 'All read.' : `${fmtCount(unread, profile.locale)} unread`
        }
        actions={
          <MarkAllReadButton rows={list.rows} onError={setError} />
        }
      />
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Show">
          <button type="button" className="segmented-item" aria-pressed={!unreadOnly} onClick={() => setUnreadOnly(false)}>
            All
          </button>
          <button type="button" className="segmented-item" aria-pressed={unreadOnly} onClick={() => setUnreadOnly(true)}>
            Unread
          </button>
        </div>
        <p className="toolbar-count" aria-live="polite">
          {list.loaded ? `${fmtCount(list.total, profile.locale)} notification${list.total === 1 ? '' : 's'}` : 'Loading…'}
        </p>
      </div>
      {error ? (
        <Banner tone="error" onDismiss={() => setError(null)} className="page-banner">
          {error}
        </Banner>
      ) : null}
      {list.error ? (
        <Banner tone="error" title="Notifications could not be loaded" className="page-banner">
          {list.error.message}{' '}
          <button type="button" className="link-button" onClick={list.reload}>
            Try again
          </button>
        </Banner>
      ) : null}
      {!list.loaded && !list.error ? (
        <PageLoading />
      ) : list.rows.length === 0 && list.loaded ? (
        <p className="table-empty muted panel">{unreadOnly ? 'No unread notifications.' : 'No notifications yet.'}</p>
      ) : (
        <div className="panel panel-flush">
          <NotificationList rows={list.rows} onError={setError} />
        </div>
      )}
      {list.hasMore ? (
        <div className="pager">
          <span className="muted tnum">
            Showing {fmtCount(list.rows.length, profile.locale)} of {fmtCount(list.total, profile.locale)}
          </span>
          <Button onClick={list.loadMore} busy={list.loading}>
            Load more
          </Button>
        </div>
      ) : null}
    </div>
  )
}
