import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate } from 'react-router-dom'
import type { BondSeries } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { useProfile } from '../profile/ProfileContext'
import { Button } from '../../ui/Button'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtAmount, fmtPercent, moneyHeader } from '../../platform/money'
import { BondsTabs } from './BondsTabs'
import { bondKeys } from './queries'
import { frequencyLabel, seriesStatusLabel, statusBadgeClass } from './labels'
import { useCan } from '../auth/useCan'

/** Bonds: every series, newest maturity last; a row opens the series. */
export function SeriesListPage() {
  const navigate = useNavigate()
  const canCreate = useCan('bonds.createSeries')
  const list = useQuery({ queryKey: bondKeys.seriesList(), queryFn: () => call('bonds.listSeries', {}) })
  return (
    <div className="page page-bonds">
      <PageHeader
        title="Bonds"
        subtitle="Bond series, their coupon schedules and who holds them."
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => navigate('/bonds/new')}>
              New series
            </Button>
          ) : undefined
        }
      />
      <BondsTabs />
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The bond series could not be loaded" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <PageLoading label="Loading bond series…" />
      ) : list.data.length === 0 ? (
        <div className="empty-state">
          <p className="empty-state-title">No bond series yet</p>
          <p className="muted">
            Use <strong>New series</strong> to set up the first one: its rate, coupon frequency, day count and maturity.
          </p>
        </div>
      ) : (
        <SeriesTable series={list.data} />
      )}
    </div>
  )
}

function SeriesTable({ series }: { series: BondSeries[] }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  return (
    <div className="table-wrap">
      <table className="table series-table" aria-label="Bond series">
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">Name</th>
            <th scope="col" className="num">
              Rate
            </th>
            <th scope="col">Frequency</th>
            <th scope="col">Day count</th>
            <th scope="col">Issue</th>
            <th scope="col">Maturity</th>
            <th scope="col" className="num">
              {moneyHeader('Face value', profile.currency, profile.locale)}
            </th>
            <th scope="col" className="num">
              Units outstanding
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {series.map((s) => (
            <tr key={s.id} data-series-id={s.id} className="is-clickable" onClick={() => navigate(`/bonds/${s.id}`)}>
              <td className="mono">
                <Link to={`/bonds/${s.id}`} className="row-link" onClick={(e) => e.stopPropagation()}>
                  {s.code}
                </Link>
              </td>
              <td className="cell-primary">{s.name}</td>
              <td className="num">{fmtPercent(s.couponRatePercent, profile.locale)}</td>
              <td>{frequencyLabel(s.frequency)}</td>
              <td className="nowrap">{s.dayCount}</td>
              <td className="tnum nowrap">{fmtDate(s.issueDate, profile.locale)}</td>
              <td className="tnum nowrap">{fmtDate(s.maturityDate, profile.locale)}</td>
              <td className="num nowrap">{fmtAmount(s.faceValueMinor, profile.currency, profile.locale)}</td>
              <td className="num">
                {fmtCount(s.unitsOutstanding, profile.locale)}
                <div className="cell-secondary">
                  {s.holdings === 1 ? '1 holding' : `${fmtCount(s.holdings, profile.locale)} holdings`}
                </div>
              </td>
              <td>
                <span className={statusBadgeClass(s.status)}>{seriesStatusLabel(s.status)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
