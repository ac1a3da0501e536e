import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react'

interface ControlProps {
  id?: string
  'aria-invalid'?: boolean | 'true' | 'false'
  'aria-describedby'?: string
  'aria-required'?: boolean
}

export interface FieldProps {
  label: string
  /** One input, textarea or select; Field gives it its id and ARIA links. */
  children: ReactElement<ControlProps>
  error?: string | null | undefined
  hint?: ReactNode
  required?: boolean
  className?: string
  /** Force an id (otherwise a generated one). */
  id?: string
}

/**
 * Label + control + hint + error. The error sits right under the control,
 * the control gets aria-invalid and aria-describedby pointing at the message.
 */
export function Field({ label, children, error, hint, required, className, id }: FieldProps) {
  const generated = useId()
  const controlId = id ?? `f${generated.replace(/[^a-zA-Z0-9_-]/g, '')}`
  const errorId = `${controlId}-error`
  const hintId = `${controlId}-hint`
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined

  const control = isValidElement(children)
    ? cloneElement(children, {
        id: controlId,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy,
        'aria-required': required || undefined
      })
    : children

  return (
    <div className={['field', error ? 'field-invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <div className="field-label-row">
        <label htmlFor={controlId} className="field-label">
          {label}
        </label>
        {required ? (
          <span className="field-required" aria-hidden="true" title="Required">
            *
          </span>
        ) : null}
      </div>
      {control}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  )
}
