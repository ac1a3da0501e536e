import type { FormEvent, ReactNode } from 'react'
import { ErrorBanner } from './Banner'
import { Modal, ModalActions } from './Modal'

export interface ConfirmModalProps {
  title: string
  /** What will happen, in modal-text paragraphs. */
  children?: ReactNode
  /** Fields the action needs; they sit in a form, so Enter in one confirms. */
  fields?: ReactNode
  /** What the fields give, shown under them (a live preview). */
  below?: ReactNode
  /** The button that leaves without doing anything ("Cancel", "Back", "Keep payment"). */
  cancelLabel?: string
  confirmLabel: string
  onConfirm: () => void
  onClose: () => void
  /** While true Esc does not close, the confirm button shows busy and both are disabled. */
  busy: boolean
  variant?: 'primary' | 'danger'
  confirmDisabled?: boolean
  /** A message with no field to sit by (the call's error). */
  error?: string | null
  onDismissError?: () => void
  initialFocus?: string
  /** Where focus goes when the dialog closes, if not back to its opener (see Modal). */
  returnFocus?: () => HTMLElement | null | undefined
  className?: string
}

/**
 * The one confirm dialog: a title, what will happen, optional fields, the
 * error banner, and the way out beside the action. Enter confirms (Ctrl+Enter
 * from a text area), Esc is the way out.
 */
export function ConfirmModal({
  title,
  children,
  fields,
  below,
  cancelLabel = 'Cancel',
  confirmLabel,
  onConfirm,
  onClose,
  busy,
  variant = 'primary',
  confirmDisabled,
  error = null,
  onDismissError,
  initialFocus,
  returnFocus,
  className
}: ConfirmModalProps) {
  const confirm = () => {
    if (!busy && !confirmDisabled) onConfirm()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    confirm()
  }
  return (
    <Modal
      open
      title={title}
      onClose={onClose}
      busy={busy}
      onSubmit={confirm}
      initialFocus={initialFocus}
      returnFocus={returnFocus}
      className={className}
      footer={
        <ModalActions
          cancelLabel={cancelLabel}
          onCancel={onClose}
          confirmLabel={confirmLabel}
          onConfirm={onConfirm}
          busy={busy}
          variant={variant}
          confirmDisabled={confirmDisabled}
        />
      }
    >
      <ErrorBanner message={error} onDismiss={onDismissError} />
      {children}
      {fields ? (
        <form className="form" noValidate onSubmit={submit}>
          {fields}
          {/* Enter in a field submits (Modal answers it first; this is the form's own way). */}
          <button type="submit" hidden tabIndex={-1} aria-hidden="true" />
        </form>
      ) : null}
      {below}
    </Modal>
  )
}
