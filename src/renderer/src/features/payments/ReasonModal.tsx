import { useState, type ReactNode } from 'react'
import type { Envelope } from '../../../../shared/contract'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { TextAreaField } from '../../ui/Field'
import { placeServerError } from '../../platform/forms'

export interface ReasonModalProps<T> {
  title: string
  cancelLabel: string
  confirmLabel: string
  hint?: string
  /** Sends the action with the reason (trimmed, never empty); its answer. */
  submit: (reason: string) => Promise<Envelope<T>>
  onClose: () => void
  onDone: (value: T) => void
  /** What the action does to which payment, in words. */
  children: ReactNode
}

/**
 * A payment action that needs the reason on record (cancel, void): the reason
 * is required, the core's refusal lands next to it or above, and nothing
 * changes until it is accepted.
 */
export function ReasonModal<T>({ title, cancelLabel, confirmLabel, hint, submit, onClose, onDone, children }: ReasonModalProps<T>) {
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  async function save() {
    if (saving) return
    if (!reason.trim()) {
      setError('Reason is required')
      return
    }
    setSaving(true)
    setError(null)
    setBanner(null)
    const r = await submit(reason.trim())
    setSaving(false)
    if (!r.ok) {
      const placed = placeServerError(r.error, ['reason'])
      setError(placed.fields.reason ?? null)
      setBanner(placed.banner)
      return
    }
    onDone(r.value)
  }

  return (
    <ConfirmModal
      title={title}
      onClose={onClose}
      busy={saving}
      cancelLabel={cancelLabel}
      confirmLabel={confirmLabel}
      onConfirm={() => void save()}
      variant="danger"
      error={banner}
      fields={<TextAreaField label="Reason" required error={error} hint={hint} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={300} />}
    >
      {children}
    </ConfirmModal>
  )
}
