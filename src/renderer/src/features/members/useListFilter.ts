import { useEffect, useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useSearchParams } from 'react-router-dom'
import { call } from '../../platform/api'
import { memberKeys } from './queries'
import type { PickedMember } from './MemberPicker'

/** A list filter that may name one member. */
export interface MemberFilterFields {
  memberId: number | null
}

/**
 * A paged list's filter, kept in the address (so Back and links land on the
 * same list): `read` turns the search params into a filter, `write` the other
 * way. Changing the filter goes back to the first page. Opened with a member
 * in the address, the member is looked up so the picker can show who it is.
 */
export function useListFilter<F extends MemberFilterFields>(read: (params: URLSearchParams) => F, write: (filter: F) => URLSearchParams) {
  const [params, setParams] = useSearchParams()
  const [filter, setFilter] = useState<F>(() => read(params))
  const [member, setMember] = useState<PickedMember | null>(null)
  const [offset, setOffset] = useState(0)

  // The address mirrors the filter.
  useEffect(() => {
    setParams(write(filter), { replace: true })
  }, [filter, setParams, write])

  // Opened with ?member=: show who it is.
  const [initialId] = useState(filter.memberId)
  const lookup = useQuery({
    queryKey: memberKeys.detail(initialId ?? 0),
    queryFn: () => call('members.get', { id: initialId ?? 0 }),
    enabled: initialId !== null && initialId > 0
  }).data?.member
  const looked: PickedMember | null =
    lookup && filter.memberId === lookup.id ? { id: lookup.id, memberNo: lookup.memberNo, fullName: lookup.fullName } : null

  const update = (patch: Partial<F>) => {
    setFilter((f) => ({ ...f, ...patch }))
    setOffset(0)
  }

  /** The member the picker shows: the one picked, or a stand-in while the lookup runs. */
  const shownMember: PickedMember | null =
    member ?? looked ?? (filter.memberId ? { id: filter.memberId, memberNo: '', fullName: `Member #${filter.memberId}` } : null)

  const pickMember = (m: PickedMember | null) => {
    setMember(m)
    update({ memberId: m?.id ?? null } as Partial<F>)
  }

  /** Every field back to `empty`, the member picker cleared. */
  const clear = (empty: F) => {
    setMember(null)
    update(empty)
  }

  return { filter, update, offset, setOffset, shownMember, pickMember, clear }
}
