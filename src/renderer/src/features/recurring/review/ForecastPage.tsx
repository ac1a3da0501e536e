import { useMemo } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useSearchParams } from 'react-router-dom'
import type { Forecast } from '../../../../../shared/contract'
import { call } from '../../../platform/api'
import { fmtCount, fmtDate } from '../../../platform/format'
import { fmtAmount, moneyHeader } from '../../../platform/money'
import { DataTable, type Column } from '../../../ui/DataTable'
import { PageHeader } from '../../../ui/PageHeader'
import { PageError, PageLoading, RefreshError } from '../../../ui/PageState'
import { useProfile } from '../../profile/ProfileContext'
import { RecurringTabs } from '../RecurringTabs'
import { recurringKeys } from '../queries'
import { BalanceChart, accountPoints, lineStyle } from './BalanceChart'
import { kindWord } from './words'
import './review.css'

type Days = 30 | 60 | 90
const DAYS: Days[] = [30, 60, 90]
type Event = Forecast['events'][number] & { id: number }
type Failing = Forecast['failing'][number] & { id: number }
/** Rows of the virtual tables: one line each. */
const ROW_HEIGHT = 32

function readDays(params: URLSearchParams): Days {
  const n = Number(params.get('days'))
  return n === 60 || n === 90 ? n : 30
}

/**
 * The forecast: the next 30, 60 or 90 days of recurring entries and standing
 * orders (those waiting and those still to come), and what they do to the
 * balances. A chart of each society account's projected balance week by
 * week with its figures as a table, a summary per account (opening, closing,
 * the lowest point and when), the standing orders that will fail for lack of
 * the member's money, and every event in date order with the balance it
 * leaves (a virtual table: tens of thousands of events scroll smoothly).
 */
export function ForecastPage() {
  const { profile } = useProfile()
  const [params, setParams] = useSearchParams()
  const days = readDays(params)
  // Any posting, decision or change to a template or order makes it stale (app/invalidation.ts).
  const forecast = useQuery({
    queryKey: recurringKeys.forecast(days),
    queryFn: () => call('recurring.forecast', { days }),
    placeholderData: keepPreviousData
  })
  const f = forecast.data
  const setDays = (d: Days) => setParams(d === 30 ? {} : { days: String(d) }, { replace: true })

  return (
    <div className="page page-forecast">
      <PageHeader title="Recurring" documentTitle="Forecast" subtitle="What the recurring entries and standing orders will do to the balances if nothing changes." />
      <RecurringTabs />
      <div className="forecast-toolbar">
        <div className="segmented" role="group" aria-label="Days ahead">
          {DAYS.map((d) => (
            <button key={d} type="button" className="segmented-item" aria-pressed={days === d} onClick={() => setDays(d)}>
              {d} days
            </button>
          ))}
        </div>
        {f ? (
          <p className="muted forecast-span" aria-live="polite" data-testid="forecast-span">
            {fmtDate(f.from, profile.locale)} to {fmtDate(f.to, profile.locale)} · {fmtCount(f.events.length, profile.locale)}{' '}
            {f.events.length === 1 ? 'event' : 'events'}
            {forecast.isFetching ? ' · updating…' : ''}
          </p>
        ) : null}
      </div>
      {forecast.isError && f ? <RefreshError title="The forecast could not be refreshed" error={forecast.error} onRetry={() => void forecast.refetch()} /> : null}
      {forecast.isError && !f ? (
        <PageError error={forecast.error} title="The forecast could not be worked out" onRetry={() => void forecast.refetch()} />
      ) : !f ? (
        <PageLoading label="Working out the forecast…" />
      ) : (
        <ForecastView f={f} busy={forecast.isFetching} />
      )}
    </div>
  )
}

function ForecastView({ f, busy }: { f: Forecast; busy: boolean }) {
  const { profile } = useProfile()
  const { currency, locale } = profile
  const amount = (m: number) => fmtAmount(m, currency, locale)
  const negative = (m: number) => (m < 0 ? 'num tnum is-negative' : 'num tnum')
  // Row identities for the tables (an event has no id of its own): its place in the list.
  const events = useMemo<Event[]>(() => f.events.map((e, i) => ({ ...e, id: i })), [f.events])
  const failing = useMemo<Failing[]>(() => f.failing.map((x, i) => ({ ...x, id: i })), [f.failing])
  const weeks = f.accounts[0] ? accountPoints(f.accounts[0], f.from).map((p) => p.date) : []

  return (
    <>
      <section className="panel forecast-panel" aria-labelledby="forecast-balances-title">
        <h2 className="panel-title" id="forecast-balances-title">
          Projected balances
        </h2>
        {f.accounts.length === 0 ? (
          <p className="muted" data-testid="forecast-no-accounts">
            No society account moves in these {f.days} days: what is planned moves only members’ own accounts.
          </p>
        ) : (
          <>
            <BalanceChart forecast={f} currency={currency} locale={locale} />
            <details className="forecast-figures">
              <summary>Figures by week</summary>
              <div className="table-wrap">
                <table className="table table-compact" aria-label="Projected balance by week">
                  <thead>
                    <tr>
                      <th scope="col">Week to</th>
                      {f.accounts.map((a) => (
                        <th key={a.accountId} scope="col" className="num">
                          {a.code} {a.name} ({currency})
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {weeks.map((date, w) => (
                      <tr key={date}>
                        <th scope="row" className="nowrap forecast-week">
                          {w === 0 ? `Opening, ${fmtDate(date, locale)}` : fmtDate(date, locale)}
                        </th>
                        {f.accounts.map((a) => {
                          const p = accountPoints(a, f.from)[w]
                          return (
                            <td key={a.accountId} className={p ? negative(p.balanceMinor) : 'num'}>
                              {p ? amount(p.balanceMinor) : '—'}
                            </td>
                          )
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
            <div className="table-wrap forecast-accounts-wrap">
              <table className="table table-compact forecast-accounts" aria-label="Each account over the forecast">
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col" className="num">
                      {moneyHeader('Opening', currency, locale)}
                    </th>
                    <th scope="col" className="num">
                      {moneyHeader('Closing', currency, locale)}
                    </th>
                    <th scope="col" className="num">
                      {moneyHeader('Lowest', currency, locale)}
                    </th>
                    <th scope="col">Lowest on</th>
                  </tr>
                </thead>
                <tbody>
                  {f.accounts.map((a, i) => {
                    const style = lineStyle(i)
                    return (
                      <tr key={a.accountId} data-account-code={a.code}>
                        <th scope="row" className="forecast-account-name">
                          <svg width="18" height="10" aria-hidden="true" className="balance-key">
                            <line x1="1" x2="17" y1="5" y2="5" stroke={style.colour} strokeWidth="2.5" strokeDasharray={style.dash || undefined} />
                          </svg>
                          <span className="mono">{a.code}</span> {a.name}
                        </th>
                        <td className={negative(a.openingMinor)}>{amount(a.openingMinor)}</td>
                        <td className={negative(a.closingMinor)}>{amount(a.closingMinor)}</td>
                        <td className={negative(a.lowestMinor)} data-testid="lowest">
                          {amount(a.lowestMinor)}
                        </td>
                        <td className="tnum nowrap">{a.lowestOn ? fmtDate(a.lowestOn, locale) : <span className="muted">never below the opening</span>}</td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section
        className={failing.length > 0 ? 'panel forecast-panel forecast-failing' : 'panel forecast-panel'}
        aria-labelledby="forecast-failing-title"
        data-testid="forecast-failing"
      >
        <h2 className="panel-title" id="forecast-failing-title">
          {failing.length > 0
            ? `${failing.length === 1 ? '1 standing order' : `${fmtCount(failing.length, locale)} standing orders`} will fail for lack of funds`
            : 'Standing orders that will fail'}
        </h2>
        {failing.length === 0 ? (
          <p className="muted">Every standing order in these {f.days} days has the money to go through, as far as Coffer can see.</p>
        ) : (
          <>
            <p className="muted forecast-note">
              The member’s account will not hold enough on the day if nothing changes. Each order does what it was set to do then (skip,
              retry, or pay what is there).
            </p>
            <DataTable
              label="Standing orders that will fail"
              className="forecast-failing-table"
              wrapClassName="forecast-failing-scroll"
              columns={failingColumns(currency, locale)}
              rows={failing}
              idAttribute="data-failing"
              rowAttributes={(x) => ({ 'data-order-id': x.orderId, 'data-date': x.date })}
              virtual={{ rowHeight: ROW_HEIGHT }}
            />
          </>
        )}
      </section>

      <section className="panel forecast-panel forecast-events-panel" aria-labelledby="forecast-events-title">
        <h2 className="panel-title" id="forecast-events-title">
          Every event, in date order
        </h2>
        <DataTable
          label="Every event in date order"
          className="forecast-events-table"
          wrapClassName="forecast-events-scroll"
          columns={eventColumns(currency, locale)}
          rows={events}
          idAttribute="data-event"
          rowAttributes={(e) => ({ 'data-kind': e.kind, 'data-will-fail': e.willFail ? 'yes' : undefined, 'data-date': e.date })}
          rowClassName={(e) => (e.willFail ? 'will-fail' : undefined)}
          virtual={{ rowHeight: ROW_HEIGHT, overscan: 16 }}
          busy={busy}
          empty={`Nothing falls due in these ${f.days} days.`}
        />
      </section>
    </>
  )
}

function failingColumns(currency: string, locale: string): Array<Column<Failing>> {
  return [
    { id: 'member', header: 'Member', width: '32%', title: (x) => x.memberName, cell: (x) => x.memberName },
    { id: 'from', header: 'From account', width: '18%', cellClassName: 'mono', cell: (x) => x.fromNumber },
    { id: 'date', header: 'Date', width: '16%', cellClassName: 'tnum', cell: (x) => fmtDate(x.date, locale) },
    { id: 'amount', header: moneyHeader('Amount', currency, locale), className: 'num', width: '17%', cellClassName: 'tnum', cell: (x) => fmtAmount(x.amountMinor, currency, locale) },
    {
      id: 'short',
      header: moneyHeader('Short by', currency, locale),
      className: 'num',
      width: '17%',
      cellClassName: 'tnum is-negative',
      cell: (x) => fmtAmount(x.shortByMinor, currency, locale)
    }
  ]
}

function eventColumns(currency: string, locale: string): Array<Column<Event>> {
  return [
    { id: 'date', header: 'Date', width: '11%', cellClassName: 'tnum', cell: (e) => fmtDate(e.date, locale) },
    {
      id: 'what',
      header: 'What',
      width: '31%',
      title: (e) => `${kindWord(e.kind)}: ${e.name}${e.generated ? ' (waiting already)' : ''}`,
      cell: (e) => (
        <>
          <span className="forecast-kind">{e.kind === 'template' ? 'Entry' : 'Order'}</span> {e.name}
          {e.generated ? <span className="muted"> · waiting</span> : null}
        </>
      )
    },
    { id: 'amount', header: moneyHeader('Amount', currency, locale), className: 'num', width: '12%', cellClassName: 'tnum', cell: (e) => fmtAmount(e.amountMinor, currency, locale) },
    { id: 'account', header: 'Account', width: '15%', title: (e) => e.balanceAccount, cell: (e) => e.balanceAccount },
    {
      id: 'balance',
      header: moneyHeader('Balance after', currency, locale),
      className: 'num',
      width: '15%',
      cell: (e) => <span className={e.balanceAfterMinor < 0 ? 'tnum is-negative' : 'tnum'}>{fmtAmount(e.balanceAfterMinor, currency, locale)}</span>
    },
    {
      id: 'note',
      header: 'Note',
      width: '16%',
      title: (e) => (e.willFail ? `Will fail: short by ${fmtAmount(e.shortByMinor, currency, locale)} ${currency}` : undefined),
      cell: (e) => (e.willFail ? <span className="is-negative">Short by {fmtAmount(e.shortByMinor, currency, locale)}</span> : null)
    }
  ]
}
