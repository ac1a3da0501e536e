import type { Payment } from '../../../../shared/contract'

type Subject = Pick<Payment, 'kind' | 'seriesCode' | 'payeeName' | 'payeeBank' | 'payeeAccount' | 'payeeReference'>

/** What a payment pays, in a few words: a holder's its series ("UMJ-27"), a standing order's its payee ("to Nairobi City Water"). */
export function paymentSubject(p: Subject): string {
  return p.kind === 'standing-order' ? `to ${p.payeeName ?? ''}` : (p.seriesCode ?? '')
}

/** A standing order's payee in full: "Nairobi City Water, Equity Bank, account 0170 2938 4411, reference ACC 55-0912"; null for a holder's payment. */
export function payeeDetails(p: Subject): string | null {
  if (p.kind !== 'standing-order') return null
  return [p.payeeName, p.payeeBank, p.payeeAccount ? `account ${p.payeeAccount}` : null, p.payeeReference ? `reference ${p.payeeReference}` : null]
    .filter((x): x is string => !!x)
    .join(', ')
}
