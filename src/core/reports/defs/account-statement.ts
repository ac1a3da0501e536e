/**
 * One ledger account's statement: the balance brought forward at From,
 * every posted journal line of the account with a value date in the range,
 * oldest first, with a running balance in the account's normal direction,
 * and the closing balance. The brought-forward balance comes from the
 * summaries (LedgerService.trialBalance the day before From); the lines are
 * read in one seek of the (account_id, value_date, id) index.
 */
import { DEBIT_NORMAL, type AccountType } from '../../../shared/contract/ledger'
import { addDays } from '../../../shared/dates'
import { invalid } from '../../platform/errors'
import { col, row, type ReportDefinition, type ReportRow } from '../model'
import { rangeParameters, rangeWords } from './common'
import { netAt } from './summary'

const PRODUCT_SUFFIX: Record<string, string> = { savings: 'SAV', shares: 'SHR' }

interface LineRow {
  id: number
  entry_id: number
  value_date: string
  description: string
  reference: string | null
  debit_minor: number
  credit_minor: number
  member_no: string | null
  full_name: string | null
  product: string | null
}

export const accountStatement: ReportDefinition = {
  name: 'account-statement',
  build(src, params) {
    const { from, to } = params
    const accountId = params.accountId
    const account =
      accountId === undefined
        ? undefined
        : (src.sqlite.prepare('SELECT id, code, name, type FROM ledger_accounts WHERE id = ?').get(accountId) as
            | { id: number; code: string; name: string; type: AccountType }
            | undefined)
    if (!account) throw invalid('That account is not in the chart of accounts.', { accountId: 'There is no such account' })
    const debitNormal = DEBIT_NORMAL[account.type]
    const sign = (d: number, c: number): number => (debitNormal ? d - c : c - d)
    const openingNet = netAt(src, addDays(from, -1)).get(account.id) ?? 0
    const opening = debitNormal ? openingNet : 0 - openingNet // 0 - x: never -0
    const lines = src.sqlite.prepare(
      `SELECT l.id, l.entry_id, l.value_date, e.description, e.reference, l.debit_minor, l.credit_minor, m.member_no, m.full_name, ma.product
       FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
       LEFT JOIN member_accounts ma ON ma.id = l.member_account_id LEFT JOIN members m ON m.id = ma.member_id
       WHERE l.account_id = ? AND l.value_date >= ? AND l.value_date <= ?
       ORDER BY l.value_date, l.id`
    )
    const count = src.sqlite
      .prepare('SELECT count(*) FROM journal_lines WHERE account_id = ? AND value_date >= ? AND value_date <= ?')
      .pluck()
      .get(account.id, from, to) as number
    const label = `${account.code} ${account.name}`
    return {
      name: 'account-statement',
      title: 'Account statement',
      subtitle: `${label} · ${rangeWords(src, params)}`,
      parameters: [...rangeParameters(src, params), { label: 'Account', value: label }],
      profile: src.profile,
      landscape: true,
      tables: [
        {
          key: 'lines',
          title: 'Statement',
          columns: [
            col('date', 'Date', 'date'),
            col('entry', 'Entry', 'text'),
            col('description', 'Description', 'text'),
            col('reference', 'Reference', 'text'),
            col('memberAccount', 'Member account', 'text'),
            col('debit', 'Debit', 'money', true),
            col('credit', 'Credit', 'money', true),
            col('balance', 'Balance', 'money')
          ],
          *rows(): Iterable<ReportRow> {
            let balance = opening
            yield row([from, null, 'Balance brought forward', null, null, null, null, balance], 'opening')
            for (const l of lines.iterate(account.id, from, to) as IterableIterator<LineRow>) {
              balance += sign(l.debit_minor, l.credit_minor)
              const member = l.member_no === null ? null : `${l.member_no}-${PRODUCT_SUFFIX[l.product ?? ''] ?? l.product} ${l.full_name}`
              yield row([
                l.value_date,
                String(l.entry_id),
                l.description,
                l.reference,
                member,
                l.debit_minor === 0 ? null : l.debit_minor,
                l.credit_minor === 0 ? null : l.credit_minor,
                balance
              ])
            }
            yield row([to, null, 'Closing balance', null, null, null, null, balance], 'total')
          },
          rowCount: count + 2,
          empty: 'No lines.',
          note: `${debitNormal ? 'A debit-normal' : 'A credit-normal'} account (${account.type}): the balance is ${debitNormal ? 'debits less credits' : 'credits less debits'}.`,
          groupBy: null,
          breakGroups: false
        }
      ]
    }
  }
}
