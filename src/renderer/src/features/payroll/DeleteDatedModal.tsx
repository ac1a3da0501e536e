import { useState, type ReactNode } from 'react'
import { fmtDate } from '../../platform/format'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { ConfirmModal } from '../../ui/ConfirmModal'

/**
 * "Delete the rate/structure from <date>?": deletes one dated row (a
 * component's rate, a staff member's pay structure) by its id, and says the
 * server's refusal inside the modal.
 */
export function DeleteDatedModal({
  channel,
  id,
  what,
  effectiveFrom,
  children,
  onClose,
  onDone
}: {
  channel: 'payroll.deleteRate' | 'payroll.deleteStructure'
  id: number
  /** "rate", "structure": the title's noun. */
  what: string
  effectiveFrom: string
  /** What deleting it does, in a sentence. */
  children: ReactNode
  onClose: () => void
  onDone: () => void
}) {
  const { profile } = useProfile()
  const remove = useCallMutation(channel)
  const [error, setError] = useState<string | null>(null)
  async function confirm() {
    if (remove.isPending) return
    setError(null)
    const r = await remove.mutateAsync({ id })
    if (!r.ok) {
      setError(r.error.message)
      return
    }
    onDone()
  }
  return (
    <ConfirmModal
      title={`Delete the ${what} from ${fmtDate(effectiveFrom, profile.locale)}?`}
      confirmLabel="Delete"
      cancelLabel="Keep it"
      variant="danger"
      onConfirm={() => void confirm()}
      onClose={onClose}
      busy={remove.isPending}
      error={error}
      onDismissError={() => setError(null)}
    >
      <p className="modal-text">{children}</p>
    </ConfirmModal>
  )
}
