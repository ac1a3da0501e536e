import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react'
import { Button } from './Button'

export interface ModalProps {
  open: boolean
  title: string
  onClose: () => void
  children: ReactNode
  /** Buttons in the footer. */
  footer?: ReactNode
  /** Selector (within the dialog) of the element to focus on open; default: first focusable. */
  initialFocus?: string
  /** While true, Esc does not close (e.g. while a request is running). */
  busy?: boolean
  className?: string
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/**
 * A modal dialog on the native <dialog> element: showModal() makes the rest
 * of the page inert; Tab and Shift+Tab wrap inside; Esc closes; focus goes
 * back to where it was when the dialog closes.
 */
export function Modal({ open, title, onClose, children, footer, initialFocus, busy, className }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const onCloseRef = useRef(onClose)
  const busyRef = useRef(busy)
  useEffect(() => {
    onCloseRef.current = onClose
    busyRef.current = busy
  })

  useLayoutEffect(() => {
    const dialog = ref.current
    if (!dialog || !open) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal()
      else dialog.setAttribute('open', '')
    }
    const target =
      (initialFocus ? dialog.querySelector<HTMLElement>(initialFocus) : null) ??
      dialog.querySelector('.modal-body')?.querySelector<HTMLElement>(FOCUSABLE) ??
      dialog.querySelector<HTMLElement>(FOCUSABLE)
    target?.focus()
    return () => {
      if (dialog.open) dialog.close()
      if (opener && opener.isConnected) opener.focus()
    }
    // initialFocus is read once, on open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open])

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const onCancel = (e: Event) => {
      // Esc: let React own the open state.
      e.preventDefault()
      if (!busyRef.current) onCloseRef.current()
    }
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault()
        e.stopPropagation()
        if (!busyRef.current) onCloseRef.current()
        return
      }
      if (e.key !== 'Tab') return
      const items = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
        (el) => el.offsetParent !== null || el === document.activeElement
      )
      if (items.length === 0) {
        e.preventDefault()
        return
      }
      const first = items[0]!
      const last = items[items.length - 1]!
      const active = document.activeElement
      if (e.shiftKey && (active === first || !dialog.contains(active))) {
        e.preventDefault()
        last.focus()
      } else if (!e.shiftKey && (active === last || !dialog.contains(active))) {
        e.preventDefault()
        first.focus()
      }
    }
    dialog.addEventListener('cancel', onCancel)
    dialog.addEventListener('keydown', onKeyDown)
    return () => {
      dialog.removeEventListener('cancel', onCancel)
      dialog.removeEventListener('keydown', onKeyDown)
    }
  }, [open])

  if (!open) return null
  return (
    <dialog ref={ref} className={['modal', className ?? ''].filter(Boolean).join(' ')} aria-labelledby={titleId} aria-modal="true">
      <div className="modal-header">
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
      </div>
      <div className="modal-body">{children}</div>
      {footer ? <div className="modal-footer">{footer}</div> : null}
    </dialog>
  )
}

export interface ModalActionsProps {
  /** The button that leaves without doing anything ("Cancel", "Back", "Keep payment"). */
  cancelLabel: string
  onCancel: () => void
  /** The button that does what the dialog is for. */
  confirmLabel: string
  onConfirm: () => void
  /** While true the confirm button shows busy and both are disabled. */
  busy: boolean
  variant?: 'primary' | 'danger'
  confirmDisabled?: boolean
}

/** The usual footer of a dialog: a way out, then the action. */
export function ModalActions({
  cancelLabel,
  onCancel,
  confirmLabel,
  onConfirm,
  busy,
  variant = 'primary',
  confirmDisabled
}: ModalActionsProps) {
  return (
    <>
      <Button onClick={onCancel} disabled={busy}>
        {cancelLabel}
      </Button>
      <Button variant={variant} busy={busy} disabled={confirmDisabled} onClick={onConfirm}>
        {confirmLabel}
      </Button>
    </>
  )
}
