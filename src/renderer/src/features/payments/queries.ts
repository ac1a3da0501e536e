import type { Input } from '../../../../shared/contract'

/** Query keys of the payments area. */
export const paymentKeys = {
  all: ['payments'] as const,
  list: (filter: Input<'payments.list'>) => [...paymentKeys.all, 'list', filter] as const
}
