import type { Warning } from './warnings'

/**
 * The envelope every IPC call returns. Electron's `invoke` drops custom
 * fields from thrown errors, so failures travel as data: the form gets its
 * field messages intact and nothing ever shows a stack trace.
 */
export type ErrorCode =
  | 'VALIDATION' // input failed the contract schema or a business rule on a field
  | 'NOT_FOUND'
  | 'CONFLICT' // unique key taken, stale version, state does not allow it
  | 'FORBIDDEN' // the sender is not the app's own window, or the operator's role may not do this
  | 'UNAUTHENTICATED' // nobody is signed in
  | 'LOCKED' // the screen locked (idle): the operator's password opens it again
  | 'UNKNOWN_CHANNEL'
  | 'UNAVAILABLE' // the core could not start (see app.status) or the feature needs the desktop shell
  | 'INTERNAL'
  | 'CONFIRM_REQUIRED' // the action is risky (warnings): nothing was done; send it again acknowledging the warnings' codes

export interface AppError {
  code: ErrorCode
  /** One sentence for a person, never a stack trace. */
  message: string
  /** Field path ("email", "sort.field") to a message shown next to that field. */
  fields?: Record<string, string>
  /** With CONFIRM_REQUIRED: what is risky, each with the code to acknowledge (contract/warnings.ts). */
  warnings?: Warning[]
}

export type Ok<T> = { ok: true; value: T }
export type Err = { ok: false; error: AppError }
export type Envelope<T> = Ok<T> | Err

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value })
export const err = (
  code: ErrorCode,
  message: string,
  fields?: Record<string, string>,
  warnings?: Warning[]
): Err => {
  const error: AppError = { code, message }
  if (fields && Object.keys(fields).length > 0) error.fields = fields
  if (warnings && warnings.length > 0) error.warnings = warnings
  return { ok: false, error }
}
