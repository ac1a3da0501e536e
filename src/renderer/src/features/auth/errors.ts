import type { AppError } from '../../../../shared/contract'
import { placeServerError, type FieldErrors } from '../../platform/forms'

/**
 * Where a signing-in answer goes. Core names one field and says the whole of
 * it in the message ("Too many wrong passwords: this account is locked until
 * 14:05. An administrator can…"; "This account is switched off. Ask an
 * administrator."): the message itself sits next to that field, so the time
 * and the way out are where the operator looks. Anything else is placed as
 * forms place it.
 */
export function placeAuthError(error: AppError, knownFields: ReadonlyArray<string>): { fields: FieldErrors; banner: string | null } {
  const named = Object.keys(error.fields ?? {})
  if (named.length === 1 && knownFields.includes(named[0]!)) return { fields: { [named[0]!]: error.message }, banner: null }
  return placeServerError(error, knownFields)
}
