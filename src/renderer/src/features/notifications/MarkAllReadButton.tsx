import { useState } from 'react'
import type { Notification } from '../../../../shared/contract'
import { Button } from '../../ui/Button'
import { useNotifications } from './useNotifications'

/** "Mark all read", off when nothing shown or counted is unread; a failure goes to `onError`. */
export function MarkAllReadButton({
  rows,
  onError,
  compact = false
}: {
  rows: ReadonlyArray<Pick<Notification, 'readAt'>>
  onError: (message: string | null) => void
  /** The small ghost button of the bell's panel. */
  compact?: boolean
}) {
  const { unread, markAllRead } = useNotifications()
  const [busy, setBusy] = useState(false)
  return (
    <Button
      small={compact}
      variant={compact ? 'ghost' : undefined}
      busy={busy}
      disabled={!unread && !rows.some((n) => n.readAt === null)}
      onClick={async () => {
        setBusy(true)
        const e = await markAllRead()
        setBusy(false)
        onError(e ? e.message : null)
      }}
    >
      Mark all read
    </Button>
  )
}
