/**
 * The ledger: the chart of accounts, members' savings and share capital
 * accounts, the double-entry journal every money movement posts to, the
 * summaries kept with each posting, and closed months.
 */
import { defineModule } from '../platform/module'
import { conflict } from '../platform/errors'
import { LedgerService } from './service'
import { summariesCheck, summariesIntegrityCheck } from './integrity'

export { ledgerAccounts, memberAccounts, journalEntries, journalLines, ledgerSummaries, ledgerPeriods, ledgerPeriodEvents } from './schema'
export { LedgerService, monthOf, type PostLine, type PostRequest, type Posted } from './service'
export { checkSummaries, rebuildSummaries, type CheckResult, type RebuildResult } from './summaries'

declare module '../platform/module' {
  interface Areas {
    ledger: LedgerService
  }
}

export const ledgerModule = defineModule({
  name: 'ledger',
  prefixes: ['ledger'],
  create: (env) =>
    new LedgerService(env.ctx, {
      timeZone: env.timeZone,
      locale: env.locale,
      // Money is in the book's currency, which the profile sets: never a guessed one.
      currency: () => {
        const profile = env.areas.profile.get()
        if (!profile) throw conflict("Set up the cooperative's profile first: the ledger's amounts are in its currency.")
        return profile.currency
      },
      makerChecker: (kind) => env.areas.operators.makerChecker(kind),
      journalThresholdMinor: () => env.areas.operators.journalThresholdMinor()
    }),
  integrityChecks: [summariesIntegrityCheck],
  handlers: (ledger, env) => ({
    'ledger.accounts': ({ includeInactive }) => ({ accounts: ledger().accounts(includeInactive) }),
    'ledger.createAccount': (v) => ledger().createAccount(v),
    'ledger.updateAccount': ({ id, expectedVersion, code, name }) => ledger().updateAccount(id, expectedVersion, code, name),
    'ledger.setAccountActive': ({ id, expectedVersion, active }) => ledger().setAccountActive(id, expectedVersion, active),
    'ledger.memberAccounts': ({ memberId }) => ({ accounts: ledger().memberAccounts(memberId) }),
    'ledger.openMemberAccount': ({ memberId, product }) => ledger().openMemberAccount(memberId, product),
    'ledger.post': (v) => ledger().postManual(v),
    'ledger.deposit': (v) => ledger().deposit(v),
    'ledger.withdraw': (v) => ledger().withdraw(v),
    'ledger.buyShares': (v) => ledger().buyShares(v),
    'ledger.reverse': ({ id, valueDate, reason }) => ledger().reverse(id, valueDate, reason),
    'ledger.entry': ({ id }) => ledger().entry(id),
    'ledger.approveEntry': ({ id }) => ledger().approveEntry(id),
    'ledger.rejectEntry': ({ id, reason }) => ledger().rejectEntry(id, reason),
    'ledger.journal': (q) => ledger().journal(q),
    'ledger.statement': (q) => ledger().statement(q),
    'ledger.trialBalance': ({ asOf }) => ledger().trialBalance(asOf),
    'ledger.summaries': (q) => ({ buckets: ledger().summaries(q) }),
    'ledger.checkSummaries': () => summariesCheck(env.ctx.sqlite),
    'ledger.rebuildSummaries': ({ truncate }) => ledger().rebuildSummaries(truncate),
    'ledger.dashboard': () => ledger().dashboard(),
    'ledger.periods': () => ledger().periods(),
    'ledger.closePeriod': ({ month }) => ledger().closePeriod(month),
    'ledger.reopenPeriod': ({ month, reason }) => ledger().reopenPeriod(month, reason)
  })
})
