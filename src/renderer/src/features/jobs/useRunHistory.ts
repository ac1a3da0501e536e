import { useInfiniteQuery } from '@tanstack/react-query'
import { appError, call } from '../../platform/api'
import { nextOffset, pagedRows } from '../../platform/queries'
import { jobKeys, type HistoryFilter } from './queries'

export const HISTORY_PAGE_SIZE = 50
export type { HistoryFilter }

/**
 * Run history from jobs.history, newest first, 50 at a time ("Load more"
 * asks for the next page). Runs that start, progress or end arrive through
 * jobs.runUpdated (app/invalidation.ts): a row on screen is replaced in place;
 * a new run, or one that left the status filter, has the list asked again.
 */
export function useRunHistory(filter: HistoryFilter) {
  const query = useInfiniteQuery({
    queryKey: jobKeys.history(filter),
    queryFn: ({ pageParam }) =>
      call('jobs.history', {
        jobId: filter.jobId ?? undefined,
        status: filter.status ?? undefined,
        offset: pageParam,
        limit: HISTORY_PAGE_SIZE
      }),
    initialPageParam: 0,
    getNextPageParam: nextOffset
  })
  const { rows, total } = pagedRows(query.data)
  const error = appError(query.error)
  return {
    rows,
    total,
    loading: query.isFetching,
    loaded: query.isSuccess,
    error,
    hasMore: query.hasNextPage,
    loadMore: () => void query.fetchNextPage(),
    reload: () => void query.refetch()
  }
}
