import { useEffect, useRef, useState } from 'react'
import { useNavigate, useSearchParams } from 'react-router-dom'
import {
  MemberSortField as SortFieldSchema,
  MemberStatusFilter as StatusSchema,
  type MemberRow,
  type MemberSortField,
  type MemberStatusFilter
} from '../../../../shared/contract'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { DataTable, type Column, type DataTableHandle, type Sort } from '../../ui/DataTable'
import { PageHeader } from '../../ui/PageHeader'
import { fmtCount, fmtDate } from '../../platform/format'
import { isTypingTarget } from '../../platform/keys'
import { useDebounced } from '../../platform/useDebounced'
import type { MemberQuery } from './queries'
import { useMemberRows } from './useMemberRows'
import { useCan } from '../auth/useCan'

const ROW_HEIGHT = 32

const STATUS_OPTIONS: Array<{ value: MemberStatusFilter; label: string }> = [
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
  { value: 'all', label: 'All' }
]

/** Where the list was when the user left it, so Back lands on the same row. */
let remembered: { key: string; scrollTop: number; activeIndex: number; anchor: number; total: number | null } | null = null

function readQuery(params: URLSearchParams): MemberQuery {
  const status = StatusSchema.safeParse(params.get('status'))
  const sort = SortFieldSchema.safeParse(params.get('sort'))
  return {
    search: (params.get('q') ?? '').slice(0, 100),
    status: status.success ? status.data : 'active',
    sort: sort.success ? sort.data : 'fullName',
    direction: params.get('dir') === 'desc' ? 'desc' : 'asc'
  }
}

function memberColumns(locale: string): Array<Column<MemberRow>> {
  return [
    { id: 'memberNo', header: 'Member no.', sortable: true, className: 'col-no', cellClassName: 'tnum', width: '12%', cell: (r) => r.memberNo },
    { id: 'fullName', header: 'Name', sortable: true, className: 'col-name', width: '27%', title: (r) => r.fullName, cell: (r) => r.fullName },
    { id: 'email', header: 'Email', className: 'col-email', width: '23%', title: (r) => r.email ?? undefined, cell: (r) => r.email ?? '' },
    { id: 'phone', header: 'Phone', className: 'col-phone', cellClassName: 'tnum', width: '13%', title: (r) => r.phone ?? undefined, cell: (r) => r.phone ?? '' },
    { id: 'joinedOn', header: 'Joined', sortable: true, className: 'col-joined', cellClassName: 'tnum nowrap', width: '104px', cell: (r) => fmtDate(r.joinedOn, locale) },
    {
      id: 'status',
      header: 'Status',
      className: 'col-status',
      width: '96px',
      cell: (r) => <span className={r.active ? 'badge badge-active' : 'badge badge-inactive'}>{r.active ? 'Active' : 'Inactive'}</span>
    }
  ]
}

export function MembersListPage() {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const canCreate = useCan('members.create')
  const canImport = useCan('imports.commit')
  const [params, setParams] = useSearchParams()

  // The query lives in state (read from the address once); the address mirrors it so Back restores it.
  const [initialQuery] = useState(() => readQuery(params))
  const [status, setStatus] = useState<MemberStatusFilter>(initialQuery.status)
  const [sort, setSort] = useState<{ field: MemberSortField; direction: 'asc' | 'desc' }>({
    field: initialQuery.sort,
    direction: initialQuery.direction
  })
  // The search box answers every key press; the query follows ~200 ms after typing stops.
  const [searchText, setSearchText] = useState(initialQuery.search)
  const debouncedSearch = useDebounced(searchText.trim(), 200)
  const query: MemberQuery = { search: debouncedSearch, status, sort: sort.field, direction: sort.direction }
  const key = JSON.stringify(query)

  useEffect(() => {
    const next = new URLSearchParams()
    if (debouncedSearch) next.set('q', debouncedSearch)
    if (status !== 'active') next.set('status', status)
    if (sort.field !== 'fullName' || sort.direction !== 'asc') {
      next.set('sort', sort.field)
      next.set('dir', sort.direction)
    }
    setParams(next, { replace: true })
  }, [debouncedSearch, status, sort, setParams])

  const [restore] = useState(() => (remembered && remembered.key === key ? remembered : null))
  const members = useMemberRows(query, restore ? { anchor: restore.anchor, total: restore.total } : null)
  const count = members.total ?? 0

  const searchRef = useRef<HTMLInputElement>(null)
  const tableRef = useRef<DataTableHandle>(null)
  const [activeIndex, setActiveIndex] = useState(restore?.activeIndex ?? 0)

  // Keep the place for when the user comes back.
  const place = useRef({ scrollTop: restore?.scrollTop ?? 0, activeIndex, anchor: members.anchor, total: members.total })
  useEffect(() => {
    place.current = { ...place.current, activeIndex, anchor: members.anchor, total: members.total }
  }, [activeIndex, members.anchor, members.total])
  useEffect(() => {
    return () => {
      remembered = { key, ...place.current }
    }
  }, [key])

  // '/' jumps to the search box.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return
      if (isTypingTarget(e.target) || document.querySelector('dialog[open]')) return
      e.preventDefault()
      searchRef.current?.focus()
      searchRef.current?.select()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const open = (row: MemberRow) => navigate(`/members/${row.id}`, { state: { from: 'list' } })
  const onSort = (s: Sort) => setSort({ field: s.field as MemberSortField, direction: s.direction })

  const statusLabel = query.status === 'active' ? 'active ' : query.status === 'inactive' ? 'inactive ' : ''
  const countText =
    members.total === null
      ? 'Loading…'
      : `${fmtCount(members.total, profile.locale)} member${members.total === 1 ? '' : 's'}`

  return (
    <div className="page page-fill">
      <PageHeader
        title="Members"
        actions={
          <>
            {canImport ? <Button onClick={() => navigate('/members/import')}>Import…</Button> : null}
            {canCreate ? (
              <Button variant="primary" onClick={() => navigate('/members/new', { state: { from: 'list' } })}>
                New member
              </Button>
            ) : null}
          </>
        }
      />

      <div className="toolbar">
        <div className="toolbar-search">
          <label htmlFor="members-search" className="toolbar-label">
            Search members
          </label>
          <input
            ref={searchRef}
            id="members-search"
            type="search"
            className="search-input"
            placeholder="Name, member no. or email"
            value={searchText}
            maxLength={100}
            autoComplete="off"
            spellCheck={false}
            aria-keyshortcuts="/"
            aria-controls="members-table"
            onChange={(e) => setSearchText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && searchText) {
                e.preventDefault()
                setSearchText('')
              } else if (e.key === 'ArrowDown' && count > 0) {
                e.preventDefault()
                tableRef.current?.focusRow(activeIndex < count ? activeIndex : 0)
              } else if (e.key === 'Enter' && count > 0) {
                e.preventDefault()
                tableRef.current?.focusRow(0)
              }
            }}
          />
          <kbd className="kbd-hint" aria-hidden="true">
            /
          </kbd>
        </div>
        <div className="segmented" role="group" aria-label="Status">
          {STATUS_OPTIONS.map((o) => (
            <button
              key={o.value}
              type="button"
              className="segmented-item"
              aria-pressed={query.status === o.value}
              onClick={() => setStatus(o.value)}
            >
              {o.label}
            </button>
          ))}
        </div>
        <p className="toolbar-count" aria-live="polite" data-testid="members-count">
          {countText}
        </p>
      </div>

      {members.error ? (
        <Banner tone="error" title="Members could not be loaded">
          {members.error.message}{' '}
          <button type="button" className="link-button" onClick={members.refresh}>
            Try again
          </button>
        </Banner>
      ) : null}

      <DataTable
        id="members-table"
        label="Members"
        className="members-table"
        wrapClassName="members-scroll"
        columns={memberColumns(profile.locale)}
        rowCount={count}
        getRow={members.getRow}
        idAttribute="data-member-id"
        virtual={{
          rowHeight: ROW_HEIGHT,
          initialOffset: restore?.scrollTop ?? 0,
          onScroll: (top) => {
            place.current.scrollTop = top
          },
          onRange: members.setRange
        }}
        sort={{ field: sort.field, direction: sort.direction }}
        onSort={onSort}
        onOpen={open}
        onLeaveTop={() => searchRef.current?.focus()}
        initialActiveIndex={restore?.activeIndex ?? 0}
        focusInitial={!!restore}
        onActiveChange={setActiveIndex}
        resetKey={key}
        busy={!members.totalIsCurrent}
        handleRef={tableRef}
        empty={
          members.totalIsCurrent
            ? query.search
              ? `No ${statusLabel}members match “${query.search}”.`
              : query.status === 'inactive'
                ? 'No inactive members.'
                : 'No members yet. Add the first one with New member.'
            : null
        }
      />
    </div>
  )
}
