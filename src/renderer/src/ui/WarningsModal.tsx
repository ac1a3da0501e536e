import type { Warning } from '../../../shared/contract'
import { Banner } from './Banner'
import { ConfirmModal } from './ConfirmModal'

export interface WarningsModalProps {
  /** The question: "Pay without a cheque number?" */
  title: string
  warnings: Warning[]
  /** Says what goes ahead: "Pay anyway". */
  confirmLabel: string
  /** Back to what was being done, nothing changed ("Back", "Cancel"). */
  cancelLabel?: string
  onConfirm: () => void
  onClose: () => void
  busy: boolean
}

/**
 * Core's warnings before a risky action, in its words, with the way back
 * (focused first, so a second Enter does not go ahead unread) and the action
 * "anyway". Nothing has been written when this shows.
 */
export function WarningsModal({ title, warnings, confirmLabel, cancelLabel = 'Back', onConfirm, onClose, busy }: WarningsModalProps) {
  return (
    <ConfirmModal
      title={title}
      onClose={onClose}
      busy={busy}
      cancelLabel={cancelLabel}
      confirmLabel={confirmLabel}
      onConfirm={onConfirm}
      variant="danger"
      initialFocus=".modal-footer button"
      className="warnings-modal"
    >
      <Banner tone="warning">
        {warnings.length === 1 ? (
          <p data-warning={warnings[0]?.code}>{warnings[0]?.message}</p>
        ) : (
          <ul className="warnings-list">
            {warnings.map((w) => (
              <li key={w.code} data-warning={w.code}>
                {w.message}
              </li>
            ))}
          </ul>
        )}
      </Banner>
      <p className="modal-text">Nothing has been changed yet. Go back to change it, or go ahead if this is what you mean.</p>
    </ConfirmModal>
  )
}
