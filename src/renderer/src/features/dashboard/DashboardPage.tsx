import type { ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { Dashboard } from '../../../../shared/contract'
import { addMinor, subMinor } from '../../../../shared/money'
import { call } from '../../platform/api'
import { fmtDate } from '../../platform/format'
import { fmtAmount, fmtMoney, moneyHeader } from '../../platform/money'
import { useProfile } from '../profile/ProfileContext'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { FlowChart } from './FlowChart'
import { fmtMonth } from './months'
import { dashboardKeys } from './queries'
import './dashboard.css'

/**
 * The treasurer's first page: where the cooperative's money is (cash, bank),
 * what it owes its members (savings, share capital) and bondholders, this
 * year's coupon interest and the tax withheld from it, and cash and bank in
 * and out by month. Every figure is core's, read from the ledger's summaries
 * (ledger.dashboard); amounts in the book's currency.
 */
export function DashboardPage() {
  // Postings, payments and bond purchases make it stale through ledgerKeys.all (app/invalidation.ts).
  const loaded = useQuery({ queryKey: dashboardKeys.all, queryFn: () => call('ledger.dashboard', {}) })
  return (
    <div className="page page-dashboard">
      {loaded.isError && !loaded.data ? (
        <>
          <PageHeader title="Dashboard" />
          <PageError error={loaded.error} title="The dashboard could not be loaded" onRetry={() => void loaded.refetch()} />
        </>
      ) : !loaded.data ? (
        <>
          <PageHeader title="Dashboard" />
          <PageLoading label="Loading the dashboard…" />
        </>
      ) : (
        <DashboardView d={loaded.data} />
      )}
    </div>
  )
}

function DashboardView({ d }: { d: Dashboard }) {
  const { profile } = useProfile()
  const { locale } = profile
  // The book's currency, as core answers it (the profile's, unless they disagree mid-change).
  const currency = d.currency
  const money = (m: number) => fmtMoney(m, currency, locale)
  const year = d.asOf.slice(0, 4)
  let cashAndBank: number | null
  try {
    cashAndBank = addMinor(d.cashMinor, d.bankMinor)
  } catch {
    cashAndBank = null
  }
  const totalIn = sum(d.flows.map((f) => f.inMinor))
  const totalOut = sum(d.flows.map((f) => f.outMinor))
  const totalNet = totalIn === null || totalOut === null ? null : difference(totalIn, totalOut)

  return (
    <>
      <PageHeader title="Dashboard" subtitle={<>As of {fmtDate(d.asOf, locale)} · from the ledger</>} />

      <div className="dash-groups">
        <section className="panel dash-group" aria-labelledby="dash-money-title">
          <h2 className="panel-title" id="dash-money-title">
            Cash and bank
          </h2>
          <Figure label="Cash" testId="dash-cash" value={money(d.cashMinor)} />
          <Figure label="Bank" testId="dash-bank" value={money(d.bankMinor)} />
          <Figure label="Together" testId="dash-cash-bank" value={cashAndBank === null ? '—' : money(cashAndBank)} strong />
        </section>

        <section className="panel dash-group" aria-labelledby="dash-members-title">
          <h2 className="panel-title" id="dash-members-title">
            Members
          </h2>
          <Figure label="Savings" testId="dash-savings" value={money(d.savingsMinor)} note="What members have saved" />
          <Figure label="Share capital" testId="dash-shares" value={money(d.shareCapitalMinor)} note="Members' shares bought" />
        </section>

        <section className="panel dash-group" aria-labelledby="dash-bonds-title">
          <h2 className="panel-title" id="dash-bonds-title">
            Bonds
          </h2>
          <Figure label="Bonds payable" testId="dash-bonds" value={money(d.bondsPayableMinor)} note="Principal owed to bondholders" />
          <Figure label={`Coupon interest, ${year}`} testId="dash-coupons" value={money(d.couponInterestYearMinor)} note="Gross, paid this year" />
          <Figure label={`Tax withheld, ${year}`} testId="dash-tax" value={money(d.taxWithheldYearMinor)} note="From coupons paid this year" />
        </section>
      </div>

      <section className="panel dash-flows" aria-labelledby="dash-flows-title">
        <div className="panel-head">
          <h2 className="panel-title" id="dash-flows-title">
            Cash and bank in and out, last 12 months
          </h2>
        </div>
        <FlowChart flows={d.flows} currency={currency} locale={locale} />
        <details className="dash-figures">
          <summary>Figures by month</summary>
          <div className="table-wrap">
            <table className="table table-compact dash-flows-table" aria-label="Cash and bank by month">
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col" className="num">
                    {moneyHeader('In', currency, locale)}
                  </th>
                  <th scope="col" className="num">
                    {moneyHeader('Out', currency, locale)}
                  </th>
                  <th scope="col" className="num">
                    {moneyHeader('Net', currency, locale)}
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...d.flows].reverse().map((f) => {
                  const net = difference(f.inMinor, f.outMinor)
                  return (
                    <tr key={f.month} data-month={f.month}>
                      <th scope="row" className="nowrap dash-month">
                        {fmtMonth(f.month, locale)}
                      </th>
                      <td className="num tnum">{fmtAmount(f.inMinor, currency, locale)}</td>
                      <td className="num tnum">{fmtAmount(f.outMinor, currency, locale)}</td>
                      <td className="num tnum">{net === null ? '—' : fmtAmount(net, currency, locale)}</td>
                    </tr>
                  )
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">12 months</th>
                  <td className="num tnum">{totalIn === null ? '—' : fmtAmount(totalIn, currency, locale)}</td>
                  <td className="num tnum">{totalOut === null ? '—' : fmtAmount(totalOut, currency, locale)}</td>
                  <td className="num tnum">{totalNet === null ? '—' : fmtAmount(totalNet, currency, locale)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </details>
      </section>
    </>
  )
}

function Figure({ label, value, note, testId, strong }: { label: string; value: ReactNode; note?: string; testId: string; strong?: boolean }) {
  return (
    <div className={strong ? 'dash-figure dash-figure-total' : 'dash-figure'}>
      <div className="dash-figure-text">
        <div className="dash-figure-label">{label}</div>
        {note ? <div className="dash-figure-note">{note}</div> : null}
      </div>
      <div className="dash-figure-value tnum" data-testid={testId}>
        {value}
      </div>
    </div>
  )
}

function sum(xs: number[]): number | null {
  try {
    return addMinor(...xs)
  } catch {
    return null
  }
}

function difference(a: number, b: number): number | null {
  try {
    return subMinor(a, b)
  } catch {
    return null
  }
}
