import type { ButtonHTMLAttributes, MouseEvent } from 'react'

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost'

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant
  /** Shows a busy state and disables the button. */
  busy?: boolean
  small?: boolean
}

/**
 * A button. `type` defaults to "button" so nothing submits a form by accident.
 *
 * A disabled button that says why (`title`) stays in the Tab order with
 * aria-disabled, so the keyboard can reach it and a screen reader reads the
 * reason; it does nothing when pressed. A busy button keeps its focus the
 * same way (focus on a button that turns disabled would fall to the page).
 */
export function Button({
  variant = 'secondary',
  busy = false,
  small = false,
  type = 'button',
  className,
  disabled,
  children,
  onClick,
  ...rest
}: ButtonProps) {
  const classes = ['btn', `btn-${variant}`, small ? 'btn-small' : '', className ?? ''].filter(Boolean).join(' ')
  const off = !!disabled || busy
  // Focus stays on a button that is busy, or disabled with a reason given: it is only marked.
  const soft = off && (busy || !!rest.title)
  const click = (e: MouseEvent<HTMLButtonElement>) => {
    if (off) {
      e.preventDefault()
      return
    }
    onClick?.(e)
  }
  return (
    <button
      type={type}
      className={classes}
      disabled={off && !soft}
      aria-disabled={off || undefined}
      aria-busy={busy || undefined}
      onClick={click}
      {...rest}
    >
      {children}
    </button>
  )
}
