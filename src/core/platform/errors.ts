import type { ErrorCode } from '../../shared/contract/envelope'
import type { Warning } from '../../shared/contract/warnings'

/**
 * An error a service throws on purpose: it carries the code and a message
 * for a person, and optionally a message per field. The dispatcher turns it
 * into an envelope; anything else becomes INTERNAL with a generic message.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    /** With CONFIRM_REQUIRED: the warnings to show and acknowledge. */
    readonly warnings?: Warning[]
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export const notFound = (what: string): DomainError => new DomainError('NOT_FOUND', `${what} was not found.`)

export const conflict = (message: string, fields?: Record<string, string>): DomainError =>
  new DomainError('CONFLICT', message, fields)

export const invalid = (message: string, fields?: Record<string, string>): DomainError =>
  new DomainError('VALIDATION', message, fields)

/**
 * Refuses a risky action until every warning it raises is acknowledged: the
 * warnings whose code is not in `acknowledged` become a CONFIRM_REQUIRED
 * error (nothing is written: call this before writing, or inside the
 * transaction so the throw rolls it back). No warning left: returns.
 */
export function requireAcknowledged(warnings: readonly Warning[], acknowledged: readonly string[]): void {
  const open = warnings.filter((w) => !acknowledged.includes(w.code))
  if (open.length === 0) return
  throw new DomainError(
    'CONFIRM_REQUIRED',
    `${open.map((w) => w.message).join(' ')} Nothing was changed; confirm to go ahead anyway.`,
    undefined,
    open
  )
}
