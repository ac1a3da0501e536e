import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useNavigate, useSearchParams } from 'react-router-dom'
import { useVirtualizer } from '@tanstack/react-virtual'
import {
  MemberSortField as SortFieldSchema,
  MemberStatusFilter as StatusSchema,
  type MemberRow,
  type MemberSortField,
  type MemberStatusFilter
} from '../../../shared/contract'
import { subscribe } from '../api'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../ui/Banner'
import { Button } from '../ui/Button'
import { PageHeader } from '../ui/PageHeader'
import { fmtCount, fmtDate } from '../lib/format'
import { isTypingTarget } from '../lib/keys'
import { useDebounced } from '../lib/useDebounced'
import { queryKey, useMemberPages, type MemberQuery } from './useMemberPages'

const ROW_HEIGHT = 32

interface Column {
  id: string
  label: string
  sort?: MemberSortField
  className?: string
}

const COLUMNS: Column[] = [
  { id: 'memberNo', label: 'Member no.', sort: 'memberNo', className: 'col-no' },
  { id: 'fullName', label: 'Name', sort: 'fullName', className: 'col-name' },
  { id: 'email', label: 'Email', className: 'col-email' },
  { id: 'phone', label: 'Phone', className: 'col-phone' },
  { id: 'joinedOn', label: 'Joined', sort: 'joinedOn', className: 'col-joined' },
  { id: 'status', label: 'Status', className: 'col-status' }
]

const STATUS_OPTIONS: Array<{ value: MemberStatusFilter; label: string }> = [
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
  { value: 'all', label: 'All' }
]

/** Where the list was when the user left it, so Back lands on the same row. */
let remembered: { key: string; scrollTop: number; activeIndex: number; total: number | null } | null = null

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

export function MembersListPage() {
  const { profile } = useProfile()
  const navigate = useNavigate()
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
  const key = queryKey(query)

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

  const restore = useRef(remembered && remembered.key === key ? remembered : null)
  const pages = useMemberPages(query, restore.current?.total ?? null)
  const count = pages.total ?? 0
  const totalRef = useRef(pages.total)
  useEffect(() => {
    totalRef.current = pages.total
  }, [pages.total])

  const scrollRef = useRef<HTMLDivElement>(null)
  const searchRef = useRef<HTMLInputElement>(null)
  const [activeIndex, setActiveIndex] = useState(restore.current?.activeIndex ?? 0)
  const pendingFocus = useRef<number | null>(restore.current ? restore.current.activeIndex : null)

  // TanStack Virtual returns fresh functions by design; the React Compiler skips this component, as intended.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialOffset: restore.current?.scrollTop ?? 0
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? -1

  // Fetch the pages the visible range needs (and again after a refresh). A new
  // query starts at the top, whatever the old scroll position was.
  const ensuredKey = useRef<string | null>(null)
  useEffect(() => {
    if (ensuredKey.current !== null && ensuredKey.current !== pages.key) {
      pages.ensureRange(0, Math.max(0, last - first))
    } else {
      pages.ensureRange(first, Math.max(first, last))
    }
    ensuredKey.current = pages.key
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [first, last, pages.key, pages.gen])

  // A new query starts at the top.
  const prevKey = useRef(key)
  useEffect(() => {
    if (prevKey.current === key) return
    prevKey.current = key
    if (scrollRef.current) scrollRef.current.scrollTop = 0
    setActiveIndex(0)
  }, [key])

  // Keep the place for when the user comes back.
  const activeIndexRef = useRef(activeIndex)
  useEffect(() => {
    activeIndexRef.current = activeIndex
  }, [activeIndex])
  const scrollTopRef = useRef(restore.current?.scrollTop ?? 0)
  useEffect(() => {
    return () => {
      remembered = {
        key,
        scrollTop: scrollTopRef.current,
        activeIndex: activeIndexRef.current,
        total: totalRef.current
      }
    }
  }, [key])

  // Someone added, changed or (de)activated a member: refresh what is on screen.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    let off: (() => void) | undefined
    try {
      off = subscribe('members.changed', () => {
        if (timer) return
        timer = setTimeout(() => {
          timer = null
          pages.refresh()
        }, 150)
      })
    } catch {
      off = undefined
    }
    return () => {
      off?.()
      if (timer) clearTimeout(timer)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pages.refresh])

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

  // Move focus to a row once it is rendered (after scrollToIndex it may take a frame).
  useLayoutEffect(() => {
    const i = pendingFocus.current
    if (i === null) return
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${i}"]`)
    if (el) {
      el.focus({ preventScroll: true })
      pendingFocus.current = null
    }
  })

  const moveTo = (index: number) => {
    if (count === 0) return
    const i = Math.max(0, Math.min(count - 1, index))
    setActiveIndex(i)
    virtualizer.scrollToIndex(i, { align: 'auto' })
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${i}"]`)
    if (el) {
      pendingFocus.current = null
      el.focus({ preventScroll: true })
    } else {
      pendingFocus.current = i // focused once rendered
    }
  }

  const open = (row: MemberRow | undefined) => {
    if (row) navigate(`/members/${row.id}`, { state: { from: 'list' } })
  }

  const onRowKeyDown = (e: KeyboardEvent<HTMLDivElement>, rowIndex: number) => {
    // Keys pressed faster than rows render continue from where focus is heading.
    const index = pendingFocus.current ?? rowIndex
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1)
    switch (e.key) {
      case 'ArrowDown':
        moveTo(index + 1)
        break
      case 'ArrowUp':
        if (index === 0) searchRef.current?.focus()
        else moveTo(index - 1)
        break
      case 'PageDown':
        moveTo(index + pageRows)
        break
      case 'PageUp':
        moveTo(index - pageRows)
        break
      case 'Home':
        moveTo(0)
        break
      case 'End':
        moveTo(count - 1)
        break
      case 'Enter':
      case ' ':
        open(pages.getRow(index))
        break
      default:
        return
    }
    e.preventDefault()
  }

  const onSort = (field: MemberSortField) => {
    setSort((s) => ({ field, direction: s.field === field && s.direction === 'asc' ? 'desc' : 'asc' }))
  }

  // The row that takes Tab: the active one if it is rendered, else the first one on screen.
  const rendered = items.some((it) => it.index === activeIndex)
  const tabIndexRow = rendered ? activeIndex : first

  const statusLabel = query.status === 'active' ? 'active ' : query.status === 'inactive' ? 'inactive ' : ''
  const countText =
    pages.total === null
      ? 'Loading…'
      : `${fmtCount(pages.total, profile.locale)} member${pages.total === 1 ? '' : 's'}`

  return (
    <div className="page page-fill">
      <PageHeader
        title="Members"
        actions={
          <Button variant="primary" onClick={() => navigate('/members/new', { state: { from: 'list' } })}>
            New member
          </Button>
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
                moveTo(activeIndex < count ? activeIndex : 0)
              } else if (e.key === 'Enter' && count > 0) {
                e.preventDefault()
                moveTo(0)
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

      {pages.error ? (
        <Banner tone="error" title="Members could not be loaded">
          {pages.error.message}{' '}
          <button type="button" className="link-button" onClick={pages.refresh}>
            Try again
          </button>
        </Banner>
      ) : null}

      <div
        className="vtable members-table"
        role="table"
        id="members-table"
        aria-label="Members"
        aria-rowcount={count + 1}
        aria-busy={!pages.totalIsCurrent || undefined}
      >
        <div role="rowgroup" className="vtable-head">
          <div role="row" className="vtable-row vtable-header-row" aria-rowindex={1}>
            {COLUMNS.map((c) => {
              const active = c.sort !== undefined && query.sort === c.sort
              const ariaSort = c.sort ? (active ? (query.direction === 'asc' ? 'ascending' : 'descending') : 'none') : undefined
              return (
                <div key={c.id} role="columnheader" className={`vtable-cell ${c.className ?? ''}`} aria-sort={ariaSort}>
                  {c.sort ? (
                    <button
                      type="button"
                      className={active ? 'sort-button sorted' : 'sort-button'}
                      onClick={() => onSort(c.sort!)}
                      title={`Sort by ${c.label}`}
                    >
                      <span>{c.label}</span>
                      <span className="sort-indicator" aria-hidden="true">
                        {active ? (query.direction === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    <span className="vtable-head-label">{c.label}</span>
                  )}
                </div>
              )
            })}
          </div>
        </div>

        <div
          className="vtable-scroll"
          ref={scrollRef}
          onScroll={(e) => {
            scrollTopRef.current = e.currentTarget.scrollTop
          }}
        >
          {pages.totalIsCurrent && count === 0 ? (
            <div className="vtable-empty" role="row">
              <div role="cell">
                {query.search
                  ? `No ${statusLabel}members match “${query.search}”.`
                  : query.status === 'inactive'
                    ? 'No inactive members.'
                    : 'No members yet. Add the first one with New member.'}
              </div>
            </div>
          ) : null}
          <div role="rowgroup" className="vtable-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = pages.getRow(item.index)
              const common = {
                role: 'row',
                'data-index': item.index,
                'aria-rowindex': item.index + 2,
                tabIndex: item.index === tabIndexRow ? 0 : -1,
                style: { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT },
                onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => onRowKeyDown(e, item.index),
                onFocus: () => setActiveIndex(item.index)
              }
              if (!row) {
                return (
                  <div key={item.key} {...common} className="vtable-row vtable-row-loading" aria-busy="true">
                    {COLUMNS.map((c) => (
                      <div key={c.id} role="cell" className={`vtable-cell ${c.className ?? ''}`}>
                        <span className="skeleton" />
                      </div>
                    ))}
                  </div>
                )
              }
              return (
                <div
                  key={item.key}
                  {...common}
                  className={item.index === activeIndex ? 'vtable-row vtable-row-data is-active' : 'vtable-row vtable-row-data'}
                  data-member-id={row.id}
                  onClick={() => {
                    setActiveIndex(item.index)
                    open(row)
                  }}
                >
                  <div role="cell" className="vtable-cell col-no tnum">
                    {row.memberNo}
                  </div>
                  <div role="cell" className="vtable-cell col-name" title={row.fullName}>
                    {row.fullName}
                  </div>
                  <div role="cell" className="vtable-cell col-email" title={row.email ?? undefined}>
                    {row.email ?? ''}
                  </div>
                  <div role="cell" className="vtable-cell col-phone tnum">
                    {row.phone ?? ''}
                  </div>
                  <div role="cell" className="vtable-cell col-joined tnum">
                    {fmtDate(row.joinedOn, profile.locale)}
                  </div>
                  <div role="cell" className="vtable-cell col-status">
                    <span className={row.active ? 'badge badge-active' : 'badge badge-inactive'}>
                      {row.active ? 'Active' : 'Inactive'}
                    </span>
                  </div>
                </div>
              )
            })}
          </div>
        </div>
      </div>
    </div>
  )
}
