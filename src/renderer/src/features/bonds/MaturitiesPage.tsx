import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import { addMinor } from '../../../../shared/money'
import { call } from '../../platform/api'
import { useProfile } from '../profile/ProfileContext'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtAmount, fmtMoney, moneyHeader } from '../../platform/money'
import { BondsTabs } from './BondsTabs'
import { bondKeys } from './queries'

const WINDOWS = [7, 30, 60, 90, 180, 365]

/** Holdings that mature soon (and those past maturity the maturity job has not processed yet). */
export function MaturitiesPage() {
  const { profile } = useProfile()
  const [within, setWithin] = useState(30)
  const list = useQuery({ queryKey: bondKeys.maturities(within), queryFn: () => call('bonds.maturities', { withinDays: within }) })
  const rows = list.data ?? []
  let total: number | null = null
  try {
    total = addMinor(...rows.map((r) => r.principalMinor))
  } catch {
    total = null
  }
  const money = (m: number) => fmtMoney(m, profile.currency, profile.locale)

  return (
    <div className="page page-bonds">
      <PageHeader title="Bonds" subtitle="Bond series, their coupon schedules and who holds them." />
      <BondsTabs />
      <div className="toolbar">
        <label className="toolbar-field">
          <span className="toolbar-label">Maturing within</span>
          <select className="select" value={within} onChange={(e) => setWithin(Number(e.target.value))}>
            {WINDOWS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </label>
        {list.data ? (
          <span className="toolbar-count" role="status">
            {rows.length === 1 ? '1 holding' : `${fmtCount(rows.length, profile.locale)} holdings`}
            {total !== null && rows.length > 0 ? <> · principal {money(total)}</> : null}
          </span>
        ) : null}
      </div>
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The maturities could not be loaded" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <PageLoading label="Loading maturities…" />
      ) : rows.length === 0 ? (
        <p className="table-empty muted panel">No holding matures within {within} days.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Maturities" aria-busy={list.isFetching || undefined}>
            <thead>
              <tr>
                <th scope="col">Maturity date</th>
                <th scope="col">When</th>
                <th scope="col">Member</th>
                <th scope="col">Series</th>
                <th scope="col" className="num">
                  Units
                </th>
                <th scope="col" className="num">
                  {moneyHeader('Principal', profile.currency, profile.locale)}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.holdingId} data-holding-id={r.holdingId} className={r.daysLeft < 0 ? 'is-overdue' : undefined}>
                  <td className="tnum">{fmtDate(r.maturityDate, profile.locale)}</td>
                  <td className={r.daysLeft < 0 ? 'text-danger' : r.daysLeft <= 7 ? 'text-warning' : undefined}>
                    {daysText(r.daysLeft)}
                  </td>
                  <td>
                    <Link to={`/members/${r.memberId}`} className="row-link cell-primary">
                      {r.memberName}
                    </Link>
                    <div className="cell-secondary tnum">{r.memberNo}</div>
                  </td>
                  <td className="mono">{r.seriesCode}</td>
                  <td className="num">{fmtCount(r.units, profile.locale)}</td>
                  <td className="num nowrap">{fmtAmount(r.principalMinor, profile.currency, profile.locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

function daysText(days: number): string {
  if (days === 0) return 'Today'
  if (days === 1) return 'Tomorrow'
  if (days > 1) return `In ${days} days`
  if (days === -1) return '1 day overdue'
  return `${-days} days overdue`
}
