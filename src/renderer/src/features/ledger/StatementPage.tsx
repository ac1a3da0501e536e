import { useEffect, useState } from 'react'
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom'
import type { Statement, StatementLine } from '../../../../shared/contract'
import { isCalendarDate } from '../../../../shared/dates'
import { call } from '../../platform/api'
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtAmount, fmtMoney, moneyHeader } from '../../platform/money'
import { useProfile } from '../profile/ProfileContext'
import { parseId } from '../members/ids'
import { Button } from '../../ui/Button'
import { ClearFilters } from '../../ui/ClearFilters'
import { DataTable, type Column } from '../../ui/DataTable'
import { Field } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading, RefreshError } from '../../ui/PageState'
import { EntryModal } from './EntryModal'
import { sourceLabel } from './labels'
import { ledgerKeys } from './queries'
import './ledger.css'

const PAGE_SIZE = 100

type Kind = 'account' | 'member-account'

/**
 * The statement of an account (/accounts/:id/statement) or of a member's
 * account (/member-accounts/:id/statement): its lines newest first with the
 * balance after each, in the account's normal direction; older lines page in
 * by the keyset (the last line's date and id); a date range narrows it. A
 * line opens its entry.
 */
export function StatementPage({ kind }: { kind: Kind }) {
  const params = useParams()
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no account at this address.')} title="Not found" />
  return <StatementView key={`${kind}:${id}`} kind={kind} id={id} />
}

function StatementView({ kind, id }: { kind: Kind; id: number }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const location = useLocation()
  const [search, setSearch] = useSearchParams()
  const [range, setRange] = useState(() => {
    const from = search.get('from') ?? ''
    const to = search.get('to') ?? ''
    return { from: isCalendarDate(from) ? from : '', to: isCalendarDate(to) ? to : '' }
  })
  useEffect(() => {
    const p = new URLSearchParams()
    if (range.from) p.set('from', range.from)
    if (range.to) p.set('to', range.to)
    setSearch(p, { replace: true })
  }, [range, setSearch])
  const [entryId, setEntryId] = useState<number | null>(null)

  const datesWrong = !!range.from && !!range.to && range.to < range.from
  const base = {
    ...(kind === 'account' ? { accountId: id } : { memberAccountId: id }),
    from: range.from || undefined,
    to: range.to || undefined
  }
  const list = useInfiniteQuery({
    queryKey: ledgerKeys.statement(base),
    queryFn: ({ pageParam }) => call('ledger.statement', { ...base, before: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as { valueDate: string; lineId: number } | undefined,
    getNextPageParam: (last: Statement) => {
      const oldest = last.lines[last.lines.length - 1]
      return last.more && oldest ? { valueDate: oldest.valueDate, lineId: oldest.lineId } : undefined
    },
    placeholderData: keepPreviousData,
    enabled: !datesWrong
  })
  const reload = () => void list.refetch()
  const pages = list.data?.pages ?? []
  const first = pages[0]
  const last = pages[pages.length - 1]
  const lines = pages.flatMap((p) => p.lines)

  const back = () => {
    // Came from a page in this window (the chart, the journal, a member): back to it as it was.
    if (location.key !== 'default') navigate(-1)
    else navigate(kind === 'account' ? '/accounts' : '/members')
  }

  const amount = (m: number) => (m === 0 ? '' : fmtAmount(m, profile.currency, profile.locale))
  const columns: Array<Column<StatementLine>> = [
    { id: 'date', header: 'Date', className: 'col-date', cellClassName: 'tnum nowrap', cell: (l) => fmtDate(l.valueDate, profile.locale) },
    {
      id: 'entry',
      header: 'Entry',
      className: 'col-entry',
      cell: (l) => (
        <button type="button" className="link-button tnum" onClick={() => setEntryId(l.entryId)} aria-label={`Open entry #${l.entryId}`}>
          #{l.entryId}
        </button>
      )
    },
    {
      id: 'description',
      header: 'Description',
      className: 'col-description',
      title: (l) => l.description,
      cell: (l) => (
        <>
          <span className="clamp-2">{l.description}</span>
          {l.reference ? <div className="cell-secondary mono">{l.reference}</div> : null}
        </>
      )
    },
    { id: 'source', header: 'Source', className: 'col-source', cellClassName: 'nowrap', cell: (l) => sourceLabel(l.source) },
    { id: 'debit', header: moneyHeader('Debit', profile.currency, profile.locale), className: 'num', cellClassName: 'tnum nowrap', cell: (l) => amount(l.debitMinor) },
    { id: 'credit', header: moneyHeader('Credit', profile.currency, profile.locale), className: 'num', cellClassName: 'tnum nowrap', cell: (l) => amount(l.creditMinor) },
    {
      id: 'balance',
      header: moneyHeader('Balance', profile.currency, profile.locale),
      className: 'num col-balance',
      cellClassName: 'tnum nowrap cell-primary',
      cell: (l) => <span data-testid="line-balance">{fmtAmount(l.balanceMinor, profile.currency, profile.locale)}</span>
    }
  ]

  const title = first?.title ?? (kind === 'account' ? `Account #${id}` : `Member account #${id}`)
  const normalWords = first ? (first.normal === 'debit' ? 'debits less credits' : 'credits less debits') : null
  const filtered = !!range.from || !!range.to

  return (
    <div className="page page-fill page-statement">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={back}>
            ← {location.key !== 'default' ? 'Back' : kind === 'account' ? 'Accounts' : 'Members'}
          </button>
        }
        title={`Statement: ${title}`}
        documentTitle={`Statement ${title}`}
        subtitle={normalWords ? `Newest first; the balance after each line is ${normalWords}.` : 'Newest first, with the balance after each line.'}
      />

      <div className="filters" role="search" aria-label="Filter the statement">
        <Field label="From" className="filter-date">
          <input type="date" value={range.from} onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))} max="9999-12-31" />
        </Field>
        <Field label="To" className="filter-date" error={datesWrong ? 'To must be on or after From' : null}>
          <input type="date" value={range.to} onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))} max="9999-12-31" />
        </Field>
        <ClearFilters disabled={!filtered} onClear={() => setRange({ from: '', to: '' })} />
        {first && last ? (
          <dl className="statement-balances" aria-label="Balances">
            <div title={last.more ? 'Before the oldest line loaded: load older lines to go further back' : 'Before the oldest line shown'}>
              <dt>Opening balance</dt>
              <dd className="tnum" data-testid="opening-balance">
                {fmtMoney(last.openingMinor, profile.currency, profile.locale)}
              </dd>
            </div>
            <div title="After the newest line shown">
              <dt>Closing balance</dt>
              <dd className="tnum" data-testid="closing-balance">
                {fmtMoney(first.closingMinor, profile.currency, profile.locale)}
              </dd>
            </div>
          </dl>
        ) : null}
      </div>

      {list.isError && list.data ? <RefreshError title="The statement could not be refreshed" error={list.error} onRetry={reload} /> : null}
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The statement could not be loaded" onRetry={reload} />
      ) : !list.data && !datesWrong ? (
        <PageLoading label="Loading the statement…" />
      ) : (
        <DataTable
          label="Statement lines"
          className="statement-table"
          wrapClassName="statement-scroll"
          columns={columns}
          rows={lines}
          getRowId={(l) => l.lineId}
          idAttribute="data-line-id"
          rowAttributes={(l) => ({ 'data-entry-id': l.entryId })}
          onOpen={(l) => setEntryId(l.entryId)}
          busy={list.isFetching}
          resetKey={JSON.stringify(base)}
          empty={filtered ? 'No line in these dates.' : 'Nothing has been posted to this account yet.'}
        />
      )}

      {list.hasNextPage || (list.isFetchingNextPage && lines.length > 0) ? (
        <div className="pager">
          <span className="muted tnum">
            {fmtCount(lines.length, profile.locale)} {lines.length === 1 ? 'line' : 'lines'} shown, newest first
          </span>
          <Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage} disabled={!list.hasNextPage}>
            Load older
          </Button>
        </div>
      ) : null}

      {entryId !== null ? <EntryModal entryId={entryId} onClose={() => setEntryId(null)} /> : null}
    </div>
  )
}
