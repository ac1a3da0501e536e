import {
  cloneElement,
  isValidElement,
  useId,
  type InputHTMLAttributes,
  type ReactElement,
  type ReactNode,
  type TextareaHTMLAttributes
} from 'react'
import { Select, type SelectProps } from './Select'

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

/** What a form binds to one of its fields: the value, the change handler and the message under it. */
export interface FieldBinding {
  value: string
  onChange: (e: { target: { value: string } }) => void
  error?: string | null | undefined
}

type FieldFrame = Omit<FieldProps, 'children'>

function frame({ label, error, hint, required, className, id }: FieldFrame): FieldFrame {
  return { label, error, hint, required, className, id }
}

export type TextFieldProps = FieldFrame &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className' | 'required'> & {
    /** The input's own class ("mono", "tnum"); className is the field's. */
    inputClassName?: string
  }

/** A labelled one-line input (text, email, tel, number) with its message and hint. */
export function TextField({ label, error, hint, required, className, id, inputClassName, type = 'text', ...input }: TextFieldProps) {
  return (
    <Field {...frame({ label, error, hint, required, className, id })}>
      <input type={type} className={inputClassName} {...input} />
    </Field>
  )
}

/** A calendar-date input; by default limited to four-digit years. */
export function DateField(props: TextFieldProps) {
  return <TextField min="1000-01-01" max="9999-12-31" {...props} type="date" />
}

export type TextAreaFieldProps = FieldFrame & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'className' | 'required'>

/** A labelled multi-line input. */
export function TextAreaField({ label, error, hint, required, className, id, rows = 3, ...input }: TextAreaFieldProps) {
  return (
    <Field {...frame({ label, error, hint, required, className, id })}>
      <textarea rows={rows} {...input} />
    </Field>
  )
}

export type SelectFieldProps = FieldFrame & Omit<SelectProps, 'id' | 'className' | 'required'>

/** A labelled select. */
export function SelectField({ label, error, hint, required, className, id, ...select }: SelectFieldProps) {
  return (
    <Field {...frame({ label, error, hint, required, className, id })}>
      <Select {...select} />
    </Field>
  )
}

export interface CheckFieldProps {
  label: string
  checked: boolean
  onChange: (checked: boolean) => void
  error?: string | null | undefined
  hint?: ReactNode
  className?: string
  disabled?: boolean
}

/** A checkbox with its words beside it, a hint and a message under it. */
export function CheckField({ label, checked, onChange, error, hint, className, disabled }: CheckFieldProps) {
  const generated = useId()
  const base = `c${generated.replace(/[^a-zA-Z0-9_-]/g, '')}`
  const describedBy = [error ? `${base}-error` : null, hint ? `${base}-hint` : null].filter(Boolean).join(' ') || undefined
  return (
    <div className={['field', error ? 'field-invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label className="check">
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          onChange={(e) => onChange(e.target.checked)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
        <span>{label}</span>
      </label>
      {error ? (
        <p id={`${base}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={`${base}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  )
}
