import { useEffect, useState } from 'react'
import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query'
import type { Output } from '../../../../shared/contract'
import { appError, call } from '../../platform/api'
import { memberKeys, type MemberQuery } from './queries'

export const PAGE_SIZE = 100
/** Pages kept per window; the ones farthest from where the rows are asked go first. */
const MAX_PAGES = 20
/** Rows in view this many pages away from the window: start a new window there rather than walk to it. */
const NEAR_PAGES = 3

type Page = Output<'members.list'>

const sameList = (a: readonly unknown[] | undefined, q: MemberQuery) =>
  !!a && JSON.stringify(a.slice(0, 3)) === JSON.stringify(memberKeys.list(q))

/**
 * Rows of members.list as an infinite query, a page (100 rows) at a time,
 * for the range the virtualiser shows. A window of pages grows both ways from
 * its anchor page; a jump far away (End, a dragged scrollbar) starts a new
 * window there. While a window loads, the previous one's rows stay where they
 * belong (same list) or only its count is kept (another search), so nothing
 * jumps. members.changed asks the window again (app/invalidation.ts).
 */
export function useMemberRows(query: MemberQuery, initial: { anchor: number; total: number | null } | null) {
  const listKey = JSON.stringify(query)
  const [anchorState, setAnchorState] = useState({ listKey, page: initial?.anchor ?? 0 })
  const anchor = anchorState.listKey === listKey ? anchorState.page : 0

  const q = useInfiniteQuery<Page, Error, InfiniteData<Page, number>, ReturnType<typeof memberKeys.window>, number>({
    queryKey: memberKeys.window(query, anchor),
    queryFn: ({ pageParam }) => call('members.list', { ...query, offset: pageParam * PAGE_SIZE, limit: PAGE_SIZE }),
    initialPageParam: anchor,
    getNextPageParam: (last, _pages, lastParam) => ((lastParam + 1) * PAGE_SIZE < last.total ? lastParam + 1 : undefined),
    getPreviousPageParam: (_first, _pages, firstParam) => (firstParam > 0 ? firstParam - 1 : undefined),
    maxPages: MAX_PAGES,
    placeholderData: (prev, prevQuery) => {
      if (prev && sameList(prevQuery?.queryKey, query)) return prev
      const total = prev?.pages[0]?.total ?? initial?.total
      return total === undefined || total === null ? undefined : { pages: [{ rows: [], total, offset: anchor * PAGE_SIZE }], pageParams: [anchor] }
    }
  })

  const data = q.data
  const byPage = new Map<number, Page>()
  data?.pages.forEach((p, i) => byPage.set(data.pageParams[i] ?? -1, p))
  const params = data?.pageParams ?? []
  const lo = Math.min(...params)
  const hi = Math.max(...params)

  const [range, setRange] = useState<[number, number]>([0, 0])
  const { isFetching, isPlaceholderData, hasNextPage, hasPreviousPage, fetchNextPage, fetchPreviousPage } = q
  const settled = !!data && !isFetching && !isPlaceholderData
  const firstPage = Math.floor(range[0] / PAGE_SIZE)
  const lastPage = Math.floor(range[1] / PAGE_SIZE)
  // The rows in view are far from the window: start a new one there (adjusted while rendering, like a derived value).
  const far = settled && (lastPage < lo - NEAR_PAGES || firstPage > hi + NEAR_PAGES)
  if (far && anchor !== firstPage) setAnchorState({ listKey, page: firstPage })
  // Near it: grow the window toward them.
  useEffect(() => {
    if (!settled || far) return
    if (lastPage > hi && hasNextPage) void fetchNextPage()
    else if (firstPage < lo && hasPreviousPage) void fetchPreviousPage()
  }, [settled, far, firstPage, lastPage, lo, hi, hasNextPage, hasPreviousPage, fetchNextPage, fetchPreviousPage])

  return {
    /** The page the current window started from (to come back to it). */
    anchor,
    /** Row count of the list; while the first page of a new search loads, the previous one's (or null). */
    total: data?.pages[0]?.total ?? null,
    /** False until the current list has answered. */
    totalIsCurrent: !!data && !isPlaceholderData,
    error: appError(q.error),
    /** The rows on screen, first to last (both included). */
    setRange: (first: number, last: number) => setRange((r) => (r[0] === first && r[1] === last ? r : [first, last])),
    refresh: () => void q.refetch(),
    /** The row at an index, or undefined while its page loads. */
    getRow: (index: number) => byPage.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE]
  }
}
