/**
 * Words for the ledger contract's codes, shared by the window and what core
 * writes (reports). Exhaustive: a type the contract gains is a compile error
 * here until it has its words.
 *
 * Pure module: no Node built-ins, no Electron.
 */
import type { AccountType } from './contract/ledger'

export const ACCOUNT_TYPE_WORDS: Readonly<Record<AccountType, string>> = {
  asset: 'Asset',
  liability: 'Liability',
  equity: 'Equity',
  income: 'Income',
  expense: 'Expense'
}
