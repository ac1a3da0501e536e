import type { MemberSortField, MemberStatusFilter } from '../../../../shared/contract'

export interface MemberQuery {
  search: string
  status: MemberStatusFilter
  sort: MemberSortField
  direction: 'asc' | 'desc'
}

/** Query keys of the members area: everything under `all`, so one invalidation reaches every list and page. */
export const memberKeys = {
  all: ['members'] as const,
  lists: () => [...memberKeys.all, 'list'] as const,
  list: (q: MemberQuery) => [...memberKeys.lists(), q] as const,
  /** One window of a list, fetched page by page from `anchor` (a page index) both ways. */
  window: (q: MemberQuery, anchor: number) => [...memberKeys.list(q), anchor] as const,
  details: () => [...memberKeys.all, 'detail'] as const,
  detail: (id: number) => [...memberKeys.details(), id] as const,
  /** The member number a new member is offered (members.create makes it stale with everything under `all`). */
  /** A member picker's search (the first few matches). */
  search: (text: string, status: MemberStatusFilter) => [...memberKeys.all, 'search', text, status] as const,
  nextNumber: () => [...memberKeys.all, 'next-number'] as const
}
