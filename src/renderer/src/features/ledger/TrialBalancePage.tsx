import { useState } from 'react'
import { useQuery, keepPreviousData } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import { isCalendarDate } from '../../../../shared/dates'
import { call } from '../../platform/api'
import { fmtDate } from '../../platform/format'
import { fmtAmount, fmtMoney, moneyHeader } from '../../platform/money'
import { todayIn } from '../../platform/today'
import { Banner } from '../../ui/Banner'
import { DateField } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { useProfile } from '../profile/ProfileContext'
import { ACCOUNT_TYPE_WORDS } from './labels'
import { ledgerKeys } from './queries'
import './ledger.css'

/**
 * The trial balance as of the end of a day: each account's balance on its
 * debit or credit side, and the totals, which are equal in a sound book.
 * From the summaries (ledger.trialBalance), as `coffer ledger trial-balance`.
 */
export function TrialBalancePage() {
  const { profile } = useProfile()
  const [asOf, setAsOf] = useState(() => todayIn(profile.timeZone) ?? '')
  const valid = isCalendarDate(asOf)
  const tb = useQuery({
    queryKey: [...ledgerKeys.all, 'trial-balance', valid ? asOf : null],
    queryFn: () => call('ledger.trialBalance', valid ? { asOf } : {}),
    placeholderData: keepPreviousData
  })
  const amount = (m: number) => (m === 0 ? '' : fmtAmount(m, profile.currency, profile.locale))
  const data = tb.data
  const balanced = data ? data.totalDebitMinor === data.totalCreditMinor : true
  return (
    <div className="page page-trial-balance">
      <PageHeader
        title="Trial balance"
        subtitle="Each account’s balance at the end of the day, on its debit or credit side. In a sound book the totals are equal."
        before={
          <Link to="/accounts" className="back-link">
            ← Accounts
          </Link>
        }
      />
      <div className="filters">
        <DateField
          label="As of"
          value={asOf}
          onChange={(e) => setAsOf(e.target.value)}
          error={asOf !== '' && !valid ? 'Enter a real date' : undefined}
        />
      </div>
      {tb.isError && !data ? (
        <PageError error={tb.error} title="The trial balance could not be made" onRetry={() => void tb.refetch()} />
      ) : !data ? (
        <PageLoading label="Adding up the accounts…" />
      ) : (
        <>
          {!balanced ? (
            <Banner tone="error">
              Debits and credits differ by {fmtMoney(Math.abs(data.totalDebitMinor - data.totalCreditMinor), profile.currency, profile.locale)}: the
              summaries do not match the journal. Run <span className="mono">coffer summaries check</span>, then tell your administrator.
            </Banner>
          ) : null}
          <div className="table-wrap">
            <table className="table" aria-label={`Trial balance as of ${fmtDate(data.asOf, profile.locale)}`}>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Account</th>
                  <th scope="col">Type</th>
                  <th scope="col" className="num">
                    {moneyHeader('Debit', profile.currency, profile.locale)}
                  </th>
                  <th scope="col" className="num">
                    {moneyHeader('Credit', profile.currency, profile.locale)}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.rows.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="muted">
                      Nothing was posted by {fmtDate(data.asOf, profile.locale)}.
                    </td>
                  </tr>
                ) : (
                  data.rows.map((r) => (
                    <tr key={r.accountId} data-account-code={r.code}>
                      <td className="mono">
                        <Link to={`/accounts/${r.accountId}/statement?to=${data.asOf}`} className="row-link">
                          {r.code}
                        </Link>
                      </td>
                      <td>{r.name}</td>
                      <td className="muted">{ACCOUNT_TYPE_WORDS[r.type]}</td>
                      <td className="num tnum nowrap">{amount(r.debitMinor)}</td>
                      <td className="num tnum nowrap">{amount(r.creditMinor)}</td>
                    </tr>
                  ))
                )}
              </tbody>
              <tfoot>
                <tr data-testid="trial-balance-totals">
                  <th scope="row" colSpan={3}>
                    Total {balanced ? <span className="badge badge-active">Balanced</span> : <span className="badge badge-inactive">Not balanced</span>}
                  </th>
                  <td className="num tnum nowrap">{fmtAmount(data.totalDebitMinor, profile.currency, profile.locale)}</td>
                  <td className="num tnum nowrap">{fmtAmount(data.totalCreditMinor, profile.currency, profile.locale)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </div>
  )
}
