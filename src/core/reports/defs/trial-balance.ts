/**
 * The trial balance over a range: per account (code order) its type, the
 * balance brought forward at From, the debits and credits on value dates in
 * the range, and the closing balance at To, each balance on its debit or
 * credit side so that every pair of columns totals equal in a sound book.
 * All from the ledger's summaries (LedgerService.trialBalance for the
 * balances, its summaries read for the movements): the journal is not read.
 */
import { ACCOUNT_TYPE_WORDS } from '../../../shared/ledger-labels'
import { addDays } from '../../../shared/dates'
import { formatMoney } from '../../../shared/money'
import { col, row, type ReportDefinition, type ReportRow } from '../model'
import { printLocaleOf, rangeParameters, rangeWords } from './common'
import { movements, netAt } from './summary'

/** A net balance (debits less credits) on its side: [debit, credit]. */
const sides = (net: number): [number, number] => (net > 0 ? [net, 0] : [0, 0 - net]) // 0 - x: never -0

export const trialBalance: ReportDefinition = {
  name: 'trial-balance',
  build(src, params) {
    const { from, to } = params
    const opening = netAt(src, addDays(from, -1))
    const closing = netAt(src, to)
    const moved = movements(src, from, to)
    const rows: ReportRow[] = []
    const totals = [0n, 0n, 0n, 0n, 0n, 0n]
    for (const a of src.ledger.accounts(true)) {
      const o = opening.get(a.id) ?? 0
      const c = closing.get(a.id) ?? 0
      const m = moved.get(a.id) ?? { d: 0, c: 0 }
      if (o === 0 && c === 0 && m.d === 0 && m.c === 0) continue
      const cells = [...sides(o), m.d, m.c, ...sides(c)]
      cells.forEach((v, i) => (totals[i] = (totals[i] as bigint) + BigInt(v)))
      rows.push(row([a.code, a.name, ACCOUNT_TYPE_WORDS[a.type], ...cells]))
    }
    const money = (v: bigint) => formatMoney(v, src.profile.currency, printLocaleOf(src))
    const problems = [
      ['brought forward', totals[0] as bigint, totals[1] as bigint],
      ['in the dates', totals[2] as bigint, totals[3] as bigint],
      ['at the close', totals[4] as bigint, totals[5] as bigint]
    ]
      .filter(([, d, c]) => d !== c)
      .map(([what, d, c]) => `${what as string}: debits ${money(d as bigint)}, credits ${money(c as bigint)}`)
    const note =
      problems.length > 0
        ? `THE BOOK DOES NOT BALANCE (${problems.join('; ')}). This should never happen: run "coffer summaries check" and tell whoever looks after Coffer before relying on any figure.`
        : 'Balances brought forward at the start of the From date, closing at the end of the To date; debits equal credits in every pair of columns.'
    return {
      name: 'trial-balance',
      title: 'Trial balance',
      subtitle: rangeWords(src, params),
      parameters: rangeParameters(src, params),
      profile: src.profile,
      landscape: true,
      tables: [
        {
          key: 'accounts',
          title: 'Trial balance',
          columns: [
            col('code', 'Code', 'text'),
            col('account', 'Account', 'text'),
            col('type', 'Type', 'text'),
            col('openingDebit', 'Brought forward debit', 'money', true),
            col('openingCredit', 'Brought forward credit', 'money', true),
            col('debits', 'Debits', 'money', true),
            col('credits', 'Credits', 'money', true),
            col('closingDebit', 'Closing debit', 'money', true),
            col('closingCredit', 'Closing credit', 'money', true)
          ],
          rows: () => rows,
          rowCount: rows.length,
          empty: 'No account has a balance or a movement in these dates.',
          note,
          groupBy: null,
          breakGroups: false
        }
      ]
    }
  }
}
