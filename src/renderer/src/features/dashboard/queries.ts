import { ledgerKeys } from '../ledger/queries'

/**
 * The dashboard's query key, under the ledger's (`ledgerKeys.all`): every
 * ledger change, payment paid or voided and bond purchase that makes the
 * ledger stale makes the dashboard stale with it (app/invalidation.ts).
 */
export const dashboardKeys = {
  all: [...ledgerKeys.all, 'dashboard'] as const
}
