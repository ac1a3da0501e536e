import { AccountType, EntrySource, type Account } from '../../../../shared/contract'
import { ACCOUNT_TYPE_WORDS } from '../../../../shared/ledger-labels'

/** Words for the ledger contract's enums. Keyed by string, so a value the contract gains later still shows, as itself. */
const humanise = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, ' ') : s)

export { ACCOUNT_TYPE_WORDS }

/** A type's heading on the chart: "Assets". */
export const ACCOUNT_TYPE_PLURAL: Record<AccountType, string> = {
  asset: 'Assets',
  liability: 'Liabilities',
  equity: 'Equity',
  income: 'Income',
  expense: 'Expenses'
}

export const ACCOUNT_TYPE_OPTIONS = AccountType.options.map((t) => ({ value: t, label: ACCOUNT_TYPE_WORDS[t] }))

const SOURCE_WORDS: Record<EntrySource, string> = {
  manual: 'Manual entry',
  deposit: 'Deposit',
  withdrawal: 'Withdrawal',
  'share-purchase': 'Share purchase',
  'bond-payment': 'Bond payment',
  'bond-purchase': 'Bond purchase',
  reversal: 'Reversal',
  'standing-order': 'Standing order',
  recurring: 'Recurring entry',
  payroll: 'Payroll'
}

export const sourceLabel = (s: string): string => SOURCE_WORDS[s as EntrySource] ?? humanise(s)

export const SOURCE_OPTIONS = [{ value: '', label: 'Any source' }, ...EntrySource.options.map((s) => ({ value: s, label: SOURCE_WORDS[s] }))]

/** "1010 Cash" */
export const accountLabel = (a: Pick<Account, 'code' | 'name'>): string => `${a.code} ${a.name}`

const PRODUCT_WORDS: Record<string, string> = { savings: 'savings', shares: 'share capital' }
/** "savings", "share capital" */
export const productWords = (p: string): string => PRODUCT_WORDS[p] ?? p
