import { useState } from 'react'
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useLocation, useNavigate } from 'react-router-dom'
import { EntrySource, type JournalEntry, type JournalPage as Page } from '../../../../shared/contract'
import { isCalendarDate } from '../../../../shared/dates'
import { call } from '../../platform/api'
import { fmtCount, fmtDate, fmtInstant } from '../../platform/format'
import { fmtAmount, moneyHeader } from '../../platform/money'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { MemberFilter } from '../members/MemberFilter'
import { parseId } from '../members/ids'
import { useListFilter } from '../members/useListFilter'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ClearFilters } from '../../ui/ClearFilters'
import { DataTable, type Column } from '../../ui/DataTable'
import { Field } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading, RefreshError } from '../../ui/PageState'
import { Select } from '../../ui/Select'
import { EntryModal } from './EntryModal'
import { SOURCE_OPTIONS, accountLabel, sourceLabel } from './labels'
import { ledgerKeys } from './queries'
import './ledger.css'

const PAGE_SIZE = 50
/** Lines named in a row of the journal; the rest are counted. */
const LINES_SHOWN = 3

interface Filter {
  from: string
  to: string
  accountId: number | null
  memberId: number | null
  source: EntrySource | ''
}

const EMPTY: Filter = { from: '', to: '', accountId: null, memberId: null, source: '' }

function readFilter(params: URLSearchParams): Filter {
  const from = params.get('from') ?? ''
  const to = params.get('to') ?? ''
  const source = EntrySource.safeParse(params.get('source'))
  return {
    from: isCalendarDate(from) ? from : '',
    to: isCalendarDate(to) ? to : '',
    accountId: parseId(params.get('account') ?? undefined),
    memberId: parseId(params.get('member') ?? undefined),
    source: source.success ? source.data : ''
  }
}

function writeFilter(f: Filter): URLSearchParams {
  const p = new URLSearchParams()
  if (f.from) p.set('from', f.from)
  if (f.to) p.set('to', f.to)
  if (f.accountId) p.set('account', String(f.accountId))
  if (f.memberId) p.set('member', String(f.memberId))
  if (f.source) p.set('source', f.source)
  return p
}

/** What the journal's new-entry form leaves for this page when it posted. */
export interface PostedState {
  posted?: { id: number; valueDate: string; pending?: boolean }
}

/**
 * The journal: every entry, newest first, filtered by dates, account, member
 * and source, 50 at a time ("Load more" pages by the last entry's id). An
 * entry opens in a dialog with its lines, where it can be reversed.
 */
export function JournalPage() {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const location = useLocation()
  const canPost = useCan('ledger.post')
  const { filter, update, shownMember, pickMember, clear } = useListFilter(readFilter, writeFilter)
  const [entryId, setEntryId] = useState<number | null>(null)
  const [posted, setPosted] = useState((location.state as PostedState | null)?.posted ?? null)

  const accounts = useQuery({ queryKey: ledgerKeys.accounts(), queryFn: () => call('ledger.accounts', { includeInactive: true }) })
  const accountOptions = [
    { value: '', label: 'Any account' },
    ...(accounts.data?.accounts ?? []).map((a) => ({ value: String(a.id), label: a.active ? accountLabel(a) : `${accountLabel(a)} (inactive)` }))
  ]
  if (filter.accountId && !accounts.data?.accounts.some((a) => a.id === filter.accountId)) {
    accountOptions.push({ value: String(filter.accountId), label: `Account #${filter.accountId}` })
  }

  const datesWrong = !!filter.from && !!filter.to && filter.to < filter.from
  const query = {
    from: filter.from || undefined,
    to: filter.to || undefined,
    accountId: filter.accountId ?? undefined,
    memberId: filter.memberId ?? undefined,
    source: filter.source || undefined
  }
  const list = useInfiniteQuery({
    queryKey: ledgerKeys.journal(query),
    queryFn: ({ pageParam }) => call('ledger.journal', { ...query, beforeId: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last: Page) => (last.more ? last.entries[last.entries.length - 1]?.id : undefined),
    placeholderData: keepPreviousData,
    enabled: !datesWrong
  })
  const reload = () => void list.refetch()
  const entries = list.data?.pages.flatMap((p) => p.entries) ?? []
  const filtered = !!filter.from || !!filter.to || !!filter.accountId || !!filter.memberId || !!filter.source

  const amount = (m: number) => fmtAmount(m, profile.currency, profile.locale)
  const columns: Array<Column<JournalEntry>> = [
    {
      id: 'id',
      header: 'Entry',
      className: 'col-entry',
      cell: (e) => (
        <button type="button" className="link-button tnum" onClick={() => setEntryId(e.id)} aria-label={`Open entry #${e.id}`}>
          #{e.id}
        </button>
      )
    },
    { id: 'date', header: 'Date', className: 'col-date', cellClassName: 'tnum nowrap', cell: (e) => fmtDate(e.valueDate, profile.locale) },
    {
      id: 'description',
      header: 'Description',
      className: 'col-description',
      title: (e) => e.description,
      cell: (e) => (
        <>
          <span className="clamp-2">{e.description}</span>
          <div className="cell-secondary entry-marks">
            {e.reference ? <span className="mono">{e.reference}</span> : null}
            {e.status === 'pending' ? <span className="badge badge-warn">Waiting for approval</span> : null}
            {e.status === 'rejected' ? <span className="badge badge-inactive">Rejected</span> : null}
            {e.reversedById !== null ? <span className="badge badge-inactive">Reversed by #{e.reversedById}</span> : null}
            {e.reversesId !== null ? <span className="badge badge-info">Reverses #{e.reversesId}</span> : null}
          </div>
        </>
      )
    },
    { id: 'source', header: 'Source', className: 'col-source', cellClassName: 'nowrap', cell: (e) => sourceLabel(e.source) },
    {
      id: 'lines',
      header: 'Lines',
      className: 'col-lines',
      cell: (e) => (
        <ul className="entry-line-summary">
          {e.lines.slice(0, LINES_SHOWN).map((l) => (
            <li key={l.id} title={`${l.debitMinor ? 'Debit' : 'Credit'} ${l.accountCode} ${l.accountName}${l.memberAccountNumber ? ` (${l.memberAccountNumber} ${l.memberName ?? ''})` : ''}`}>
              <span className="side">{l.debitMinor ? 'Dr' : 'Cr'}</span> <span className="mono">{l.accountCode}</span> {l.accountName}
              {l.memberAccountNumber ? <span className="muted"> · {l.memberAccountNumber}</span> : null}
            </li>
          ))}
          {e.lines.length > LINES_SHOWN ? <li className="muted">and {e.lines.length - LINES_SHOWN} more</li> : null}
        </ul>
      )
    },
    {
      id: 'amount',
      header: moneyHeader('Amount', profile.currency, profile.locale),
      className: 'num col-amount',
      cellClassName: 'tnum nowrap cell-primary',
      cell: (e) => amount(e.totalMinor)
    },
    {
      id: 'entered',
      header: 'Entered by',
      className: 'col-entered',
      cell: (e) => (
        <>
          <span>{e.enteredBy}</span>
          <div className="cell-secondary tnum nowrap">{fmtInstant(e.enteredAt, profile.locale, profile.timeZone)}</div>
        </>
      )
    }
  ]

  return (
    <div className="page page-fill page-journal">
      <PageHeader
        title="Journal"
        subtitle="Every entry, newest first. Open one for its lines; a correction is a reversal, never an edit."
        actions={
          canPost ? (
            <Button variant="primary" onClick={() => navigate('/journal/new')}>
              New entry
            </Button>
          ) : null
        }
      />

      <div className="filters" role="search" aria-label="Filter the journal">
        <Field label="From" className="filter-date">
          <input type="date" value={filter.from} onChange={(e) => update({ from: e.target.value })} max="9999-12-31" />
        </Field>
        <Field label="To" className="filter-date" error={datesWrong ? 'To must be on or after From' : null}>
          <input type="date" value={filter.to} onChange={(e) => update({ to: e.target.value })} max="9999-12-31" />
        </Field>
        <Field label="Account" className="filter-account">
          <Select
            value={filter.accountId ? String(filter.accountId) : ''}
            onChange={(e) => update({ accountId: parseId(e.target.value || undefined) })}
            options={accountOptions}
          />
        </Field>
        <MemberFilter value={shownMember} onChange={pickMember} />
        <Field label="Source" className="filter-source">
          <Select value={filter.source} onChange={(e) => update({ source: e.target.value as Filter['source'] })} options={SOURCE_OPTIONS} />
        </Field>
        <ClearFilters disabled={!filtered} onClear={() => clear(EMPTY)} />
      </div>

      {posted ? (
        <Banner tone="success" onDismiss={() => setPosted(null)} className="page-banner">
          <span data-testid="posted-notice">
            {posted.pending
              ? `Entry #${posted.id} is waiting for another operator to approve it; it is in no balance until then.`
              : `Entry #${posted.id} was posted, dated ${fmtDate(posted.valueDate, profile.locale)}.`}{' '}
            <button type="button" className="link-button" onClick={() => setEntryId(posted.id)}>
              Open it
            </button>
          </span>
        </Banner>
      ) : null}
      {list.isError && list.data ? <RefreshError title="The journal could not be refreshed" error={list.error} onRetry={reload} /> : null}
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The journal could not be loaded" onRetry={reload} />
      ) : !list.data && !datesWrong ? (
        <PageLoading label="Loading the journal…" />
      ) : (
        <DataTable
          label="Journal entries"
          className="journal-table"
          wrapClassName="journal-scroll"
          columns={columns}
          rows={entries}
          idAttribute="data-entry-id"
          rowAttributes={(e) => ({ 'data-source': e.source, 'data-reversed': e.reversedById !== null ? 'yes' : 'no' })}
          rowClassName={(e) => (e.reversedById !== null ? 'is-reversed' : undefined)}
          onOpen={(e) => setEntryId(e.id)}
          busy={list.isFetching}
          resetKey={JSON.stringify(query)}
          empty={filtered ? 'No entry matches the filter.' : 'Nothing has been posted yet.'}
        />
      )}

      {list.hasNextPage || (list.isFetchingNextPage && entries.length > 0) ? (
        <div className="pager">
          <span className="muted tnum">
            {fmtCount(entries.length, profile.locale)} {entries.length === 1 ? 'entry' : 'entries'} shown, newest first
          </span>
          <Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage} disabled={!list.hasNextPage}>
            Load more
          </Button>
        </div>
      ) : null}

      {entryId !== null ? <EntryModal entryId={entryId} onClose={() => setEntryId(null)} /> : null}
    </div>
  )
}
