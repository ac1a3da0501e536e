import { Link } from 'react-router-dom'
import { HoldingStatus, type Holding } from '../../../shared/contract'
import { call } from '../api'
import { useProfile } from '../profile/ProfileContext'
import { Field } from '../ui/Field'
import { ClearFilters, MemberFilter, SeriesFilter } from '../ui/ListFilters'
import { MemberCell } from '../ui/MemberCell'
import { PageHeader } from '../ui/PageHeader'
import { PageError, PageLoading, RefreshError } from '../ui/PageState'
import { Pager } from '../ui/Pager'
import { Select } from '../ui/Select'
import { fmtCount, fmtDate } from '../lib/format'
import { fmtMoney } from '../lib/money'
import { useAsync } from '../lib/useAsync'
import { useEvent } from '../lib/useEvent'
import { useListFilter } from '../lib/useListFilter'
import { isRunning } from '../jobs/labels'
import { parseId } from '../members/ids'
import { BondsTabs } from './BondsTabs'
import { HoldingStatusCell } from './HoldingStatusCell'

const PAGE_SIZE = 100

type StatusFilter = 'all' | Holding['status']

interface Filter {
  status: StatusFilter
  seriesId: number | null
  memberId: number | null
}

const STATUS_OPTIONS: Array<{ value: StatusFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'redeemed', label: 'Redeemed' },
  { value: 'matured', label: 'Matured' }
]

function readFilter(params: URLSearchParams): Filter {
  const status = HoldingStatus.safeParse(params.get('status'))
  return {
    status: status.success ? status.data : 'all',
    seriesId: parseId(params.get('series') ?? undefined),
    memberId: parseId(params.get('member') ?? undefined)
  }
}

function writeFilter(f: Filter): URLSearchParams {
  const p = new URLSearchParams()
  if (f.status !== 'all') p.set('status', f.status)
  if (f.seriesId) p.set('series', String(f.seriesId))
  if (f.memberId) p.set('member', String(f.memberId))
  return p
}

/** Bonds → Holdings: every holding of every series, filtered by series, status and member, 100 to a page. */
export function HoldingsPage() {
  const { profile } = useProfile()
  // The address mirrors the filter, so Back (from a member or a series) lands on the same list.
  const { filter, update, offset, setOffset, shownMember, pickMember, clear } = useListFilter(readFilter, writeFilter)

  const seriesList = useAsync(() => call('bonds.listSeries', {}), [])
  const pageKey = `${JSON.stringify(filter)}#${offset}`
  const list = useAsync(
    () =>
      call('bonds.listHoldings', {
        status: filter.status === 'all' ? undefined : filter.status,
        seriesId: filter.seriesId ?? undefined,
        memberId: filter.memberId ?? undefined,
        offset,
        limit: PAGE_SIZE
      }),
    [pageKey]
  )
  const { reload } = list

  // The maturity job closes holdings.
  useEvent('jobs.runUpdated', (run) => {
    if (run.jobId === 'maturity' && !isRunning(run)) reload()
  })

  const rows = list.value?.rows ?? []
  const total = list.value?.total ?? 0
  const filtered = filter.status !== 'all' || !!filter.seriesId || !!filter.memberId
  const money = (m: number) => fmtMoney(m, profile.currency, profile.locale)
  const count = (n: number) => fmtCount(n, profile.locale)

  return (
    <div className="page page-bonds page-holdings">
      <PageHeader title="Bonds" subtitle="Bond series, their coupon schedules and who holds them." />
      <BondsTabs />

      <div className="filters" role="search" aria-label="Filter holdings">
        <SeriesFilter value={filter.seriesId} series={seriesList.value} onChange={(seriesId) => update({ seriesId })} />
        <Field label="Status" className="filter-status">
          <Select value={filter.status} onChange={(e) => update({ status: e.target.value as StatusFilter })} options={STATUS_OPTIONS} />
        </Field>
        <MemberFilter value={shownMember} onChange={pickMember} />
        <ClearFilters disabled={!filtered} onClear={() => clear({ status: 'all', seriesId: null, memberId: null })} />
        {list.value ? (
          <span className="toolbar-count" role="status" data-testid="holdings-total">
            {total === 1 ? '1 holding' : `${count(total)} holdings`}
            {filtered ? ' match the filter' : ''}
          </span>
        ) : null}
      </div>

      {list.status === 'error' && list.value ? (
        <RefreshError title="The holdings could not be refreshed" error={list.error} onRetry={reload} />
      ) : null}

      {list.status === 'error' && !list.value ? (
        <PageError error={list.error} title="The holdings could not be loaded" onRetry={reload} />
      ) : !list.value ? (
        <PageLoading label="Loading holdings…" />
      ) : (
        <div className="table-wrap">
          <table className="table holdings-table" aria-label="All holdings" aria-busy={list.status === 'loading' || undefined}>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Series</th>
                <th scope="col" className="num">
                  Units
                </th>
                <th scope="col" className="num">
                  Principal
                </th>
                <th scope="col">Purchase date</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={6} className="table-empty muted">
                    {filtered ? 'No holding matches the filter.' : 'No holdings yet. Buy units from a series page.'}
                  </td>
                </tr>
              ) : (
                rows.map((h) => (
                  <tr key={h.id} data-holding-id={h.id}>
                    <MemberCell memberId={h.memberId} memberName={h.memberName} memberNo={h.memberNo} />
                    <td className="mono">
                      <Link to={`/bonds/${h.seriesId}`} className="row-link">
                        {h.seriesCode}
                      </Link>
                    </td>
                    <td className="num">{count(h.units)}</td>
                    <td className="num nowrap">{money(h.principalMinor)}</td>
                    <td className="tnum nowrap">{fmtDate(h.purchaseDate, profile.locale)}</td>
                    <HoldingStatusCell holding={h} locale={profile.locale} />
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}

      <Pager offset={offset} pageSize={PAGE_SIZE} total={total} locale={profile.locale} onOffset={setOffset} />
    </div>
  )
}
