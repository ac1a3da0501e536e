import { useState } from 'react'
import type { StandingOrder } from '../../../../../shared/contract'
import { placeServerError } from '../../../platform/forms'
import { useCallMutation } from '../../../platform/queries'
import { ConfirmModal } from '../../../ui/ConfirmModal'
import { TextAreaField } from '../../../ui/Field'

export type StatusAction = 'pause' | 'resume' | 'cancel'

const WORDS: Record<StatusAction, { title: string; confirm: string; keep: string; text: string; done: string }> = {
  pause: {
    title: 'Pause standing order',
    confirm: 'Pause order',
    keep: 'Keep it running',
    text: 'Nothing is paid while it is paused. When it is resumed, the payments that fell meanwhile are recorded as skipped and it carries on from that day.',
    done: 'paused'
  },
  resume: {
    title: 'Resume standing order',
    confirm: 'Resume order',
    keep: 'Keep it paused',
    text: 'It pays again from its next date on; the payments that fell while it was paused are recorded as skipped, not paid late.',
    done: 'resumed'
  },
  cancel: {
    title: 'Cancel standing order',
    confirm: 'Cancel order',
    keep: 'Keep order',
    text: 'It never pays again; anything it still waits to pay (in To review, or being retried) is skipped and the amount carried is dropped. Its history stays. This cannot be undone: a new order would be set up instead.',
    done: 'cancelled'
  }
}

const CHANNEL = { pause: 'recurring.pauseOrder', resume: 'recurring.resumeOrder', cancel: 'recurring.cancelOrder' } as const

/**
 * Pause, resume or cancel one order, with an optional reason (kept in its
 * status note): sent with the version the page shows, so a change meanwhile
 * (a run, another window) is refused with core's words instead of overwritten.
 */
export function OrderStatusModal({
  action,
  order,
  onClose,
  onDone
}: {
  action: StatusAction
  order: StandingOrder
  onClose: () => void
  onDone: (order: StandingOrder, words: string) => void
}) {
  const words = WORDS[action]
  const [reason, setReason] = useState('')
  const [reasonError, setReasonError] = useState<string | null>(null)
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const send = useCallMutation(CHANNEL[action])

  async function save() {
    if (saving) return
    setSaving(true)
    setReasonError(null)
    setBanner(null)
    const r = await send.mutateAsync({ id: order.id, expectedVersion: order.version, reason: reason.trim() || null })
    setSaving(false)
    if (!r.ok) {
      const placed = placeServerError(r.error, ['reason'])
      setReasonError(placed.fields.reason ?? null)
      setBanner(placed.banner)
      return
    }
    onDone(r.value, words.done)
  }

  return (
    <ConfirmModal
      title={`${words.title} #${order.id}?`}
      onClose={onClose}
      busy={saving}
      cancelLabel={words.keep}
      confirmLabel={words.confirm}
      variant={action === 'cancel' ? 'danger' : 'primary'}
      onConfirm={() => void save()}
      error={banner}
      onDismissError={() => setBanner(null)}
      fields={
        <TextAreaField
          label="Reason (optional)"
          error={reasonError}
          hint="Kept in the order’s status note."
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={300}
        />
      }
    >
      <p className="modal-text">
        {order.memberName}: from <span className="mono">{order.fromNumber}</span> {order.targetWords}.
      </p>
      <p className="modal-text">{words.text}</p>
    </ConfirmModal>
  )
}
