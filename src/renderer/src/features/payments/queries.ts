import type { Input } from '../../../../shared/contract'

/** Query keys of the payments area. */
export const paymentKeys = {
  all: ['payments'] as const,
  list: (filter: Input<'payments.list'>) => [...paymentKeys.all, 'list', filter] as const,
  /** The security settings as payments read them: whether an approver must be another operator. */
  security: () => [...paymentKeys.all, 'security'] as const
}
