import type { Input } from '../../../../shared/contract'

/**
 * Query keys of recurring entries and standing orders: everything under
 * `all`. Posting an occurrence moves balances, so every change here also
 * invalidates the ledger's keys (app/invalidation.ts), and every ledger
 * change invalidates these (the review list's balances, the forecast).
 */
export const recurringKeys = {
  all: ['recurring'] as const,
  templates: (q: Input<'recurring.templates'> = {}) => [...recurringKeys.all, 'templates', q] as const,
  template: (id: number) => [...recurringKeys.all, 'template', id] as const,
  preview: (q: Input<'recurring.preview'>) => [...recurringKeys.all, 'preview', q] as const,
  review: () => [...recurringKeys.all, 'review'] as const,
  forecast: (days: 30 | 60 | 90) => [...recurringKeys.all, 'forecast', days] as const,
  settings: () => [...recurringKeys.all, 'settings'] as const,
  orders: (q: Input<'recurring.orders'> = {}) => [...recurringKeys.all, 'orders', q] as const,
  order: (id: number) => [...recurringKeys.all, 'order', id] as const,
  /** Whose a member account is (a template's line being edited names the member in its picker). */
  memberOfAccount: (memberAccountId: number) => [...recurringKeys.all, 'member-of-account', memberAccountId] as const
}
