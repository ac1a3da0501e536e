import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { Button } from './Button'
import { focusIfPossible, focusPageHeading } from './focus'

export interface ModalProps {
  open: boolean
  title: string
  onClose: () => void
  children: ReactNode
  /** Buttons in the footer. */
  footer?: ReactNode
  /**
   * What the dialog is for: Enter in a field (or with nothing focused) calls
   * it, Ctrl+Enter anywhere calls it (Enter in a text area is a new line).
   */
  onSubmit?: () => void
  /** Selector (within the dialog) of the element to focus on open; default: first focusable. */
  initialFocus?: string
  /**
   * Where focus goes when the dialog closes, if not back to the element that
   * opened it (asked at close: e.g. the table row acted on).
   */
  returnFocus?: () => HTMLElement | null | undefined
  /** While true, Esc does not close (e.g. while a request is running). */
  busy?: boolean
  className?: string
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** Enter on these does their own thing (a button presses, a link follows, an open list picks). */
const OWN_ENTER = 'button, a[href], summary, [role="button"], [role="link"], [role="option"], [role="menuitem"]'
const INPUTS_WITHOUT_ENTER = new Set(['button', 'submit', 'reset', 'file', 'image'])

/**
 * A modal dialog on the native <dialog> element: showModal() makes the rest
 * of the page inert; Tab and Shift+Tab wrap inside; Enter submits (see
 * onSubmit); Esc closes this dialog only (a dialog over a dialog closes
 * alone; a list open inside it closes first). On close, focus goes to
 * returnFocus(), else back to the element that opened it, else (that element
 * is gone or disabled now) to the page's heading: never to the page body.
 */
export function Modal({ open, title, onClose, children, footer, onSubmit, initialFocus, returnFocus, busy, className }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const onCloseRef = useRef(onClose)
  const onSubmitRef = useRef(onSubmit)
  const returnFocusRef = useRef(returnFocus)
  const busyRef = useRef(busy)
  // A text area takes Enter for its new lines: the footer then says Ctrl+Enter confirms.
  const [hasTextArea, setHasTextArea] = useState(false)
  useEffect(() => {
    onCloseRef.current = onClose
    onSubmitRef.current = onSubmit
    returnFocusRef.current = returnFocus
    busyRef.current = busy
  })

  useLayoutEffect(() => {
    const dialog = ref.current
    if (!dialog || !open) return
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal()
      else dialog.setAttribute('open', '')
    }
    const target =
      (initialFocus ? dialog.querySelector<HTMLElement>(initialFocus) : null) ??
      dialog.querySelector('.modal-body')?.querySelector<HTMLElement>(FOCUSABLE) ??
      // Nothing to fill in: the dialog itself, so Enter confirms and Tab reaches the buttons.
      (onSubmitRef.current ? dialog : dialog.querySelector<HTMLElement>(FOCUSABLE))
    target?.focus()
    setHasTextArea(!!onSubmitRef.current && !!dialog.querySelector('.modal-body textarea'))
    return () => {
      if (dialog.open) dialog.close()
      if (focusIfPossible(returnFocusRef.current?.())) return
      if (focusIfPossible(opener)) return
      focusPageHeading()
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
    const onKeyDown = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') {
        // This dialog only: not the dialog under it, not a filter or the page behind.
        e.preventDefault()
        e.stopPropagation()
        if (!busyRef.current) onCloseRef.current()
        return
      }
      if (e.key !== 'Tab') return
      const items = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
        (el) => (el.offsetParent !== null || el === document.activeElement) && el.closest('dialog') === dialog
      )
      if (items.length === 0) {
        e.preventDefault()
        return
      }
      const first = items[0]!
      const last = items[items.length - 1]!
      const active = document.activeElement
      if (e.shiftKey && (active === first || active === dialog || !dialog.contains(active))) {
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

  // Enter submits. React's events bubble from the field up, so a field that used Enter (a member
  // picker choosing a result) has called preventDefault by the time it gets here.
  const onEnter = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Enter' || !onSubmitRef.current || e.defaultPrevented || e.nativeEvent.isComposing || e.altKey) return
    const t = e.target as HTMLElement
    if (t.closest('dialog') !== e.currentTarget) return // a dialog over this one answers for itself
    if (!(e.ctrlKey || e.metaKey)) {
      if (t instanceof HTMLTextAreaElement) return // a new line; Ctrl+Enter submits
      if (t !== e.currentTarget && t.closest(OWN_ENTER)) return
      if (t instanceof HTMLInputElement && INPUTS_WITHOUT_ENTER.has(t.type)) return
    }
    e.preventDefault()
    e.stopPropagation()
    if (!busyRef.current) onSubmitRef.current()
  }

  if (!open) return null
  return (
    <dialog
      ref={ref}
      className={['modal', className ?? ''].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      aria-modal="true"
      tabIndex={-1}
      onKeyDown={onEnter}
    >
      <div className="modal-header">
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
      </div>
      <div className="modal-body">{children}</div>
      {footer ? (
        <div className="modal-footer">
          {hasTextArea ? (
            <span className="modal-shortcut muted" aria-hidden="true">
              <kbd>Ctrl</kbd>+<kbd>Enter</kbd> confirms
            </span>
          ) : null}
          {footer}
        </div>
      ) : null}
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
