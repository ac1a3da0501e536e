import { useCallback, useEffect, useRef, useState } from 'react'
import type { AppError, MemberRow, MemberSortField, MemberStatusFilter } from '../../../shared/contract'
import { invoke } from '../api'

export const PAGE_SIZE = 100
/** Pages kept in memory; the ones farthest from what is on screen go first. */
const MAX_CACHED_PAGES = 300

export interface MemberQuery {
  search: string
  status: MemberStatusFilter
  sort: MemberSortField
  direction: 'asc' | 'desc'
}

interface PageEntry {
  key: string
  gen: number
  rows: MemberRow[]
}

export const queryKey = (q: MemberQuery): string => JSON.stringify([q.search, q.status, q.sort, q.direction])

/**
 * Rows of members.list fetched a page (100 rows) at a time for the range on
 * screen. Pages are cached per query; a new query starts from an empty cache;
 * refresh() (after a members.changed event) refetches what is on screen while
 * the old rows stay visible, so nothing flickers.
 */
export function useMemberPages(query: MemberQuery, initialTotal: number | null = null) {
  const key = queryKey(query)
  const cache = useRef(new Map<number, PageEntry>())
  const inflight = useRef(new Map<number, string>())
  const genRef = useRef(0)
  const lastRange = useRef<[number, number]>([0, 0])
  const queryRef = useRef(query)
  const [, setArrivals] = useState(0)
  const [gen, setGen] = useState(0)
  // A remembered count (coming back to the list) gives the scroll area its height at once.
  const [total, setTotal] = useState<{ key: string; gen: number; value: number } | null>(() =>
    initialTotal === null ? null : { key: '', gen: -1, value: initialTotal }
  )
  const [error, setError] = useState<{ key: string; error: AppError } | null>(null)

  useEffect(() => {
    queryRef.current = query
  })

  // A new query: forget every page of the old one (errors are kept per query already).
  useEffect(() => {
    cache.current.clear()
    inflight.current.clear()
  }, [key])

  const evict = useCallback(() => {
    if (cache.current.size <= MAX_CACHED_PAGES) return
    const [from, to] = lastRange.current
    const mid = Math.floor((from + to) / 2 / PAGE_SIZE)
    const pages = [...cache.current.keys()].sort((a, b) => Math.abs(b - mid) - Math.abs(a - mid))
    for (const p of pages.slice(0, cache.current.size - MAX_CACHED_PAGES)) cache.current.delete(p)
  }, [])

  const fetchPage = useCallback((page: number, forKey: string, forGen: number) => {
    const tag = `${forKey}\u0000${forGen}`
    inflight.current.set(page, tag)
    const q = queryRef.current
    invoke('members.list', {
      search: q.search,
      status: q.status,
      sort: q.sort,
      direction: q.direction,
      offset: page * PAGE_SIZE,
      limit: PAGE_SIZE
    }).then((r) => {
      if (inflight.current.get(page) === tag) inflight.current.delete(page)
      if (forKey !== queryKey(queryRef.current) || forGen !== genRef.current) return // stale answer
      if (!r.ok) {
        setError({ key: forKey, error: r.error })
        return
      }
      cache.current.set(page, { key: forKey, gen: forGen, rows: r.value.rows })
      setTotal({ key: forKey, gen: forGen, value: r.value.total })
      evict()
      setArrivals((n) => n + 1)
    })
  }, [evict])

  /** Make sure rows [start, end] are loaded or loading. */
  const ensureRange = useCallback(
    (start: number, end: number) => {
      lastRange.current = [start, end]
      if (end < start) return
      const first = Math.floor(Math.max(0, start) / PAGE_SIZE)
      const last = Math.floor(Math.max(0, end) / PAGE_SIZE)
      const g = genRef.current
      const tag = `${key}\u0000${g}`
      for (let p = first; p <= last; p++) {
        const entry = cache.current.get(p)
        if (entry && entry.key === key && entry.gen === g) continue
        if (inflight.current.get(p) === tag) continue
        fetchPage(p, key, g)
      }
    },
    [key, fetchPage]
  )

  /** Data changed elsewhere: refetch the rows on screen, keep showing the old ones meanwhile. */
  const refresh = useCallback(() => {
    genRef.current += 1
    setError(null)
    setGen(genRef.current)
  }, [])

  /** The row at an index, or undefined while its page loads. */
  const getRow = (index: number): MemberRow | undefined => {
    const entry = cache.current.get(Math.floor(index / PAGE_SIZE))
    if (!entry || entry.key !== key) return undefined
    return entry.rows[index % PAGE_SIZE]
  }

  const current = total !== null && total.key === key
  return {
    key,
    /** Bumps on refresh; pass to the effect that calls ensureRange. */
    gen,
    /** Row count of the current query; while it is unknown, the previous query's count (or null). */
    total: total?.value ?? null,
    /** False until the first page of the current query has answered. */
    totalIsCurrent: current,
    error: error && error.key === key ? error.error : null,
    ensureRange,
    refresh,
    getRow
  }
}
