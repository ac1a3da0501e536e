import { useEffect, useRef, useState } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { HoldingStatus, type Holding } from '../../../shared/contract'
import { call, invoke } from '../api'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../ui/Banner'
import { Button } from '../ui/Button'
import { Field } from '../ui/Field'
import { MemberPicker, type PickedMember } from '../ui/MemberPicker'
import { PageHeader } from '../ui/PageHeader'
import { PageError, PageLoading, errorMessage } from '../ui/PageState'
import { fmtCount, fmtDate } from '../lib/format'
import { fmtMoney } from '../lib/money'
import { useAsync } from '../lib/useAsync'
import { useEvent } from '../lib/useEvent'
import { isRunning } from '../jobs/labels'
import { parseId } from '../members/ids'
import { BondsTabs } from './BondsTabs'
import { holdingStatusLabel, statusBadgeClass } from './labels'

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
  const [params, setParams] = useSearchParams()
  const [filter, setFilter] = useState<Filter>(() => readFilter(params))
  const [member, setMember] = useState<PickedMember | null>(null)
  const [offset, setOffset] = useState(0)

  // The address mirrors the filter, so Back (from a member or a series) lands on the same list.
  useEffect(() => {
    setParams(writeFilter(filter), { replace: true })
  }, [filter, setParams])

  // Opened with ?member=: show who it is.
  const initialMember = useRef(filter.memberId)
  useEffect(() => {
    const id = initialMember.current
    if (!id) return
    let live = true
    void invoke('members.get', { id }).then((r) => {
      if (live && r.ok) setMember({ id, memberNo: r.value.member.memberNo, fullName: r.value.member.fullName })
    })
    return () => {
      live = false
    }
  }, [])

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

  const update = (patch: Partial<Filter>) => {
    setFilter((f) => ({ ...f, ...patch }))
    setOffset(0)
  }

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
        <Field label="Series" className="filter-series">
          <select value={filter.seriesId ?? ''} onChange={(e) => update({ seriesId: e.target.value ? Number(e.target.value) : null })}>
            <option value="">All series</option>
            {(seriesList.value ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} · {s.name}
              </option>
            ))}
            {filter.seriesId && !seriesList.value?.some((s) => s.id === filter.seriesId) ? (
              <option value={filter.seriesId}>Series #{filter.seriesId}</option>
            ) : null}
          </select>
        </Field>
        <Field label="Status" className="filter-status">
          <select value={filter.status} onChange={(e) => update({ status: e.target.value as StatusFilter })}>
            {STATUS_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <MemberPicker
          className="filter-member"
          value={member ?? (filter.memberId ? { id: filter.memberId, memberNo: '', fullName: `Member #${filter.memberId}` } : null)}
          onChange={(m) => {
            setMember(m)
            update({ memberId: m?.id ?? null })
          }}
          status="all"
          popover
          placeholder="Any member"
        />
        <div className="filters-end">
          <Button
            small
            variant="ghost"
            disabled={!filtered}
            onClick={() => {
              setMember(null)
              update({ status: 'all', seriesId: null, memberId: null })
            }}
          >
            Clear filters
          </Button>
        </div>
        {list.value ? (
          <span className="toolbar-count" role="status" data-testid="holdings-total">
            {total === 1 ? '1 holding' : `${count(total)} holdings`}
            {filtered ? ' match the filter' : ''}
          </span>
        ) : null}
      </div>

      {list.status === 'error' && list.value ? (
        <Banner tone="error" className="page-banner" title="The holdings could not be refreshed">
          {errorMessage(list.error)}{' '}
          <button type="button" className="link-button" onClick={reload}>
            Try again
          </button>
        </Banner>
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
                    <td>
                      <Link to={`/members/${h.memberId}`} className="row-link cell-primary">
                        {h.memberName}
                      </Link>
                      <div className="cell-secondary tnum">{h.memberNo}</div>
                    </td>
                    <td className="mono">
                      <Link to={`/bonds/${h.seriesId}`} className="row-link">
                        {h.seriesCode}
                      </Link>
                    </td>
                    <td className="num">{count(h.units)}</td>
                    <td className="num nowrap">{money(h.principalMinor)}</td>
                    <td className="tnum nowrap">{fmtDate(h.purchaseDate, profile.locale)}</td>
                    <td>
                      <span className={statusBadgeClass(h.status)}>{holdingStatusLabel(h.status)}</span>
                      {h.redeemedOn ? (
                        <div className="cell-secondary tnum">on {fmtDate(h.redeemedOn, profile.locale)}</div>
                      ) : h.maturedOn ? (
                        <div className="cell-secondary tnum">on {fmtDate(h.maturedOn, profile.locale)}</div>
                      ) : null}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}

      {total > PAGE_SIZE ? (
        <div className="pager" aria-label="Pages">
          <Button small onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))} disabled={offset === 0}>
            Previous page
          </Button>
          <span className="tnum muted">
            {count(offset + 1)}–{count(Math.min(offset + PAGE_SIZE, total))} of {count(total)}
          </span>
          <Button small onClick={() => setOffset(offset + PAGE_SIZE)} disabled={offset + PAGE_SIZE >= total}>
            Next page
          </Button>
        </div>
      ) : null}
    </div>
  )
}
