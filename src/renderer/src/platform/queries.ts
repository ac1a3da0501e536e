import { keepPreviousData, useMutation, useQuery, type InfiniteData, type QueryKey, type UseQueryResult } from '@tanstack/react-query'
import type { Channel, Envelope, Input, Output } from '../../../shared/contract'
import { call, invoke } from './api'

/**
 * A call that changes something, as a TanStack mutation keyed by its channel.
 * It answers the envelope (forms place `error.fields` next to the fields);
 * what a successful call changes is asked again by the query client, which
 * reads the channel from the mutation key (app/invalidation.ts declares it).
 */
export function useCallMutation<C extends Channel>(channel: C) {
  return useMutation<Envelope<Output<C>>, Error, Input<C>>({
    mutationKey: [channel],
    mutationFn: (input) => invoke(channel, input)
  })
}

interface OffsetPage<R> {
  rows: R[]
  total: number
}

/** For an infinite query paged by offset: where the next page starts, or undefined once all are loaded. */
export function nextOffset<R>(last: OffsetPage<R>, pages: ReadonlyArray<OffsetPage<R>>): number | undefined {
  const loaded = pages.reduce((n, p) => n + p.rows.length, 0)
  return loaded < last.total ? loaded : undefined
}

/** The rows of an offset-paged infinite query, in order, each once (a row may move between pages as rows arrive). */
export function pagedRows<R extends { id: number }>(data: InfiniteData<OffsetPage<R>> | undefined): { rows: R[]; total: number } {
  const pages = data?.pages ?? []
  const seen = new Set<number>()
  const rows = pages.flatMap((p) => p.rows).filter((r) => !seen.has(r.id) && !!seen.add(r.id))
  return { rows, total: pages[0]?.total ?? 0 }
}

/** One page of a filtered list: the page on screen stays while the next one (another filter, another page) loads. */
export function useListPage<C extends Channel>(
  queryKey: QueryKey,
  channel: C,
  input: Input<C>
): UseQueryResult<Output<C>> & { reload: () => void } {
  const query = useQuery({ queryKey, queryFn: () => call(channel, input), placeholderData: keepPreviousData })
  return { ...query, reload: () => void query.refetch() }
}
