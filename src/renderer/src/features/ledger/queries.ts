import type { Input } from '../../../../shared/contract'

/**
 * Query keys of the ledger area: everything under `all`, so one invalidation
 * (any ledger.* change, a payment paid or voided) reaches every page that
 * shows a balance, a journal or a statement.
 */
export const ledgerKeys = {
  all: ['ledger'] as const,
  accounts: () => [...ledgerKeys.all, 'accounts'] as const,
  journal: (q: Input<'ledger.journal'>) => [...ledgerKeys.all, 'journal', q] as const,
  entry: (id: number) => [...ledgerKeys.all, 'entry', id] as const,
  statement: (q: Input<'ledger.statement'>) => [...ledgerKeys.all, 'statement', q] as const,
  memberAccounts: (memberId: number) => [...ledgerKeys.all, 'member-accounts', memberId] as const
}
