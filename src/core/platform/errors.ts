import type { ErrorCode } from '../../shared/contract/envelope'

/**
 * An error a service throws on purpose: it carries the code and a message
 * for a person, and optionally a message per field. The dispatcher turns it
 * into an envelope; anything else becomes INTERNAL with a generic message.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>
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
