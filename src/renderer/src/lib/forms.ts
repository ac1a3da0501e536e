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
