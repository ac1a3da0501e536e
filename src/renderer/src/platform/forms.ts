import { useCallback, useState, type Dispatch, type SetStateAction } from 'react'
import type { AppError } from '../../../shared/contract'

/** Field path ("memberNo", "values.memberNo") to the message shown under that field. */
export type FieldErrors = Record<string, string>

interface IssueLike {
  path: ReadonlyArray<PropertyKey>
  message: string
}

/**
 * Turns zod issues into one message per field (the first issue wins, which is
 * the one zod found first: "required" before "too long").
 */
export function issuesToFieldErrors(issues: ReadonlyArray<IssueLike>, stripPrefix?: string): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of issues) {
    const key = normaliseKey(issue.path.map(String).join('.'), stripPrefix)
    if (!(key in out)) out[key] = issue.message
  }
  return out
}

/**
 * Field messages from a server envelope. A channel whose input wraps the form
 * (members.update sends `{ id, expectedVersion, values }`) reports paths like
 * "values.email": strip the wrapper so the message lands next to the field.
 */
export function serverFieldErrors(error: AppError, stripPrefix?: string): FieldErrors {
  const out: FieldErrors = {}
  for (const [path, message] of Object.entries(error.fields ?? {})) {
    const key = normaliseKey(path, stripPrefix)
    if (!(key in out)) out[key] = message
  }
  return out
}

function normaliseKey(path: string, stripPrefix?: string): string {
  if (stripPrefix && path.startsWith(`${stripPrefix}.`)) return path.slice(stripPrefix.length + 1)
  return path
}

/**
 * Splits a server error into what the form shows: messages for fields it
 * knows, and a banner for the rest (the error's own message when no field
 * message can be placed, plus any message for a field the form does not have).
 */
export function placeServerError(
  error: AppError,
  knownFields: ReadonlyArray<string>,
  stripPrefix?: string
): { fields: FieldErrors; banner: string | null } {
  const all = serverFieldErrors(error, stripPrefix)
  const fields: FieldErrors = {}
  const stray: string[] = []
  for (const [key, message] of Object.entries(all)) {
    if (knownFields.includes(key)) fields[key] = message
    else stray.push(message)
  }
  if (Object.keys(fields).length === 0) return { fields, banner: error.message }
  return { fields, banner: stray.length > 0 ? stray.join(' ') : null }
}

/** Focuses the first control marked invalid inside `root`, in document order. */
export function focusFirstInvalid(root: HTMLElement | null): void {
  const el = root?.querySelector<HTMLElement>('[aria-invalid="true"]')
  if (el) {
    el.focus()
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      try {
        el.select()
      } catch {
        /* date inputs cannot select */
      }
    }
  }
}

export interface FormErrors {
  errors: FieldErrors
  setErrors: Dispatch<SetStateAction<FieldErrors>>
  banner: string | null
  setBanner: Dispatch<SetStateAction<string | null>>
  /** Bumped whenever the form should focus its first invalid field. */
  focusTick: number
  /** Clears every field message (the banner is left alone). */
  clear: () => void
  /** Shows messages found by local validation and asks for focus. */
  showLocal: (found: FieldErrors) => void
  /** Shows a failed call: field messages next to known fields, the rest in the banner. */
  showServer: (error: AppError) => void
}

/**
 * The error state a form keeps: field messages, a banner, and a focus tick
 * for an effect that calls focusFirstInvalid.
 */
export function useFormErrors(knownFields: ReadonlyArray<string>, stripPrefix?: string): FormErrors {
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [focusTick, setFocusTick] = useState(0)
  const clear = useCallback(() => setErrors({}), [])
  const showLocal = useCallback((found: FieldErrors) => {
    setErrors(found)
    setFocusTick((t) => t + 1)
  }, [])
  const showServer = useCallback(
    (error: AppError) => {
      const placed = placeServerError(error, knownFields, stripPrefix)
      setErrors(placed.fields)
      setBanner(placed.banner)
      if (Object.keys(placed.fields).length > 0) setFocusTick((t) => t + 1)
    },
    [knownFields, stripPrefix]
  )
  return { errors, setErrors, banner, setBanner, focusTick, clear, showLocal, showServer }
}

type StringKey<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V] & string

/**
 * Binds a form's string values to its fields: `field('name')` is the value,
 * the change handler and the message useFormErrors holds for that field (or
 * `errorOf(key)` where the form maps keys to other paths), ready to spread
 * on TextField, DateField, TextAreaField or SelectField.
 */
export function fieldBinder<V>(
  values: V,
  onValue: (key: StringKey<V>, value: string) => void,
  errorOf: (key: StringKey<V>) => string | undefined
) {
  return (key: StringKey<V>) => ({
    value: values[key] as string,
    onChange: (e: { target: { value: string } }) => onValue(key, e.target.value),
    error: errorOf(key)
  })
}
