import { useQuery } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { HoldingStatus, type Holding } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { useProfile } from '../profile/ProfileContext'
import { Field } from '../../ui/Field'
import { ClearFilters } from '../../ui/ClearFilters'
import { DataTable } from '../../ui/DataTable'
import { MemberFilter } from '../members/MemberFilter'
import { PageHeader } from '../../ui/PageHeader'
import { Button } from '../../ui/Button'
import { PageError, PageLoading, RefreshError } from '../../ui/PageState'
import { Pager } from '../../ui/Pager'
import { Select } from '../../ui/Select'
import { fmtCount } from '../../platform/format'
import { useListPage } from '../../platform/queries'
import { useListFilter } from '../members/useListFilter'
import { parseId } from '../members/ids'
import { BondsTabs } from './BondsTabs'
import { holdingColumns } from './holdingColumns'
import { bondKeys } from './queries'
import { SeriesFilter } from './SeriesFilter'
import { useCan } from '../auth/useCan'

const PAGE_SIZE = 100
const NO_ROWS: Holding[] = []

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
  const navigate = useNavigate()
  const canImport = useCan('imports.commit')
  // The address mirrors the filter, so Back (from a member or a series) lands on the same list.
  const { filter, update, offset, setOffset, shownMember, pickMember, clear } = useListFilter(readFilter, writeFilter)

  const seriesList = useQuery({ queryKey: bondKeys.seriesList(), queryFn: () => call('bonds.listSeries', {}) })
  const input = {
    status: filter.status === 'all' ? undefined : filter.status,
    seriesId: filter.seriesId ?? undefined,
    memberId: filter.memberId ?? undefined,
    offset,
    limit: PAGE_SIZE
  }
  // The maturity job closes holdings: its runs ask this again (app/invalidation.ts).
  const list = useListPage(bondKeys.holdings(input), 'bonds.listHoldings', input)
  const { reload } = list

  const rows = list.data?.rows ?? NO_ROWS
  const total = list.data?.total ?? 0
  const columns = holdingColumns<Holding>(profile, ['member', 'series', 'units', 'principal', 'purchaseDate', 'status'])
  const filtered = filter.status !== 'all' || !!filter.seriesId || !!filter.memberId
  const count = (n: number) => fmtCount(n, profile.locale)

  return (
    <div className="page page-bonds page-holdings">
      <PageHeader
        title="Bonds"
        subtitle="Bond series, their coupon schedules and who holds them."
        actions={canImport ? <Button onClick={() => navigate('/bonds/holdings/import')}>Import holdings…</Button> : undefined}
      />
      <BondsTabs />

      <div className="filters" role="search" aria-label="Filter holdings">
        <SeriesFilter value={filter.seriesId} series={seriesList.data} onChange={(seriesId) => update({ seriesId })} />
        <Field label="Status" className="filter-status">
          <Select value={filter.status} onChange={(e) => update({ status: e.target.value as StatusFilter })} options={STATUS_OPTIONS} />
        </Field>
        <MemberFilter value={shownMember} onChange={pickMember} />
        <ClearFilters disabled={!filtered} onClear={() => clear({ status: 'all', seriesId: null, memberId: null })} />
        {list.data ? (
          <span className="toolbar-count" role="status" data-testid="holdings-total">
            {total === 1 ? '1 holding' : `${count(total)} holdings`}
            {filtered ? ' match the filter' : ''}
          </span>
        ) : null}
      </div>

      {list.isError && list.data ? (
        <RefreshError title="The holdings could not be refreshed" error={list.error} onRetry={reload} />
      ) : null}

      {list.isError && !list.data ? (
        <PageError error={list.error} title="The holdings could not be loaded" onRetry={reload} />
      ) : !list.data ? (
        <PageLoading label="Loading holdings…" />
      ) : (
        <DataTable
          label="All holdings"
          className="holdings-table"
          columns={columns}
          rows={rows}
          idAttribute="data-holding-id"
          busy={list.isFetching}
          empty={filtered ? 'No holding matches the filter.' : 'No holdings yet. Buy units from a series page.'}
        />
      )}

      <Pager offset={offset} pageSize={PAGE_SIZE} total={total} locale={profile.locale} onOffset={setOffset} />
    </div>
  )
}
