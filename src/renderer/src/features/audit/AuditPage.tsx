import { useEffect, useMemo, useState, type ReactNode } from 'react'
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useSearchParams } from 'react-router-dom'
import { AuditArea, type AuditEntry, type AuditFilter, type AuditVerifyResult } from '../../../../shared/contract'
import {
  AUDIT_ACTION_WORDS,
  AUDIT_AREA_WORDS,
  AUDIT_ENTITY_WORDS,
  SYSTEM_ACTOR_WORDS,
  auditEntityWords,
  type AuditWordsContext
} from '../../../../shared/audit-labels'
import { isCalendarDate } from '../../../../shared/dates'
import { countOf } from '../../../../shared/words'
import { appError, call, invoke } from '../../platform/api'
import { fmtCount, fmtInstant } from '../../platform/format'
import { nextOffset, pagedRows } from '../../platform/queries'
import { useDebounced } from '../../platform/useDebounced'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ClearFilters } from '../../ui/ClearFilters'
import { DataTable, type Column } from '../../ui/DataTable'
import { Field } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { SavedFile } from '../../ui/SavedFile'
import { Select } from '../../ui/Select'
import { AuditChanges } from './AuditChanges'
import { auditKeys } from './queries'
import './audit.css'

const PAGE_SIZE = 100

/** The filter as the page keeps it (and the address mirrors): '' is "any". */
interface Filter {
  /** '' anyone, 'system' the system only, else an operator's id. */
  operator: string
  from: string
  to: string
  area: '' | AuditArea
  entity: string
  entityId: string
}

const EMPTY: Filter = { operator: '', from: '', to: '', area: '', entity: '', entityId: '' }

function readFilter(p: URLSearchParams): Filter {
  const operator = p.get('operator') ?? ''
  const area = AuditArea.safeParse(p.get('area'))
  const date = (k: string) => {
    const v = p.get(k) ?? ''
    return isCalendarDate(v) ? v : ''
  }
  return {
    operator: operator === 'system' || /^[1-9]\d{0,9}$/.test(operator) ? operator : '',
    from: date('from'),
    to: date('to'),
    area: area.success ? area.data : '',
    entity: (p.get('record') ?? '').slice(0, 60),
    entityId: (p.get('id') ?? '').slice(0, 60)
  }
}

function writeFilter(f: Filter): URLSearchParams {
  const p = new URLSearchParams()
  if (f.operator) p.set('operator', f.operator)
  if (f.from) p.set('from', f.from)
  if (f.to) p.set('to', f.to)
  if (f.area) p.set('area', f.area)
  if (f.entity) p.set('record', f.entity)
  if (f.entityId) p.set('id', f.entityId)
  return p
}

/** The contract's filter for what the page shows. */
function toQuery(f: Filter): AuditFilter {
  return {
    ...(f.operator === 'system' ? { system: true } : f.operator ? { operatorId: Number(f.operator) } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.area ? { area: f.area } : {}),
    ...(f.entity ? { entity: f.entity } : {}),
    ...(f.entityId.trim() ? { entityId: f.entityId.trim() } : {})
  }
}

const AREA_OPTIONS = [
  { value: '', label: 'All areas' },
  ...AuditArea.options.map((a) => ({ value: a, label: AUDIT_AREA_WORDS[a] }))
]

type Notice = { tone: 'success' | 'error'; title: string; content: ReactNode; testId: string }

/**
 * The audit trail: every change anyone (or the system) made, newest first,
 * with what changed field by field; filters by operator, day, area and
 * record; export to Excel with the same filter; and the check of the hash
 * chain that shows whether any row was changed outside Coffer.
 */
export function AuditPage() {
  const { profile } = useProfile()
  const ctx: AuditWordsContext = { locale: profile.locale, timeZone: profile.timeZone, currency: profile.currency }
  const canExport = useCan('audit.export')
  const canVerify = useCan('audit.verify')
  const canListOperators = useCan('operators.list')

  const [params, setParams] = useSearchParams()
  const [filter, setFilter] = useState<Filter>(() => readFilter(params))
  useEffect(() => {
    setParams(writeFilter(filter), { replace: true })
  }, [filter, setParams])
  const update = (patch: Partial<Filter>) => setFilter((f) => ({ ...f, ...patch }))
  // The record id is typed: the list follows once typing stops.
  const entityId = useDebounced(filter.entityId, 250)
  const datesWrong = !!filter.from && !!filter.to && filter.to < filter.from
  const query = toQuery({ ...filter, entityId })

  const list = useInfiniteQuery({
    queryKey: auditKeys.list(query),
    queryFn: ({ pageParam }) => call('audit.list', { ...query, offset: pageParam, limit: PAGE_SIZE }),
    initialPageParam: 0,
    getNextPageParam: nextOffset,
    placeholderData: keepPreviousData,
    enabled: !datesWrong
  })
  const { rows, total } = pagedRows(list.data)
  const listError = appError(list.error)

  // Who can be picked: every operator for whoever may list them; otherwise the ones the trail shows.
  const operators = useQuery({
    queryKey: auditKeys.operators(),
    queryFn: () => call('operators.list', {}),
    enabled: canListOperators
  })
  // Operators the trail has shown so far, kept while the filter narrows the rows (adjusted while rendering, as React advises).
  const [seen, setSeen] = useState<ReadonlyMap<number, string>>(new Map())
  const fresh = rows.filter((r) => r.operatorId !== null && !seen.has(r.operatorId))
  if (fresh.length) setSeen(new Map([...seen, ...fresh.map((r) => [r.operatorId!, r.actor] as const)]))
  const operatorOptions = useMemo(() => {
    const known = operators.data
      ? operators.data.operators.map((o) => ({ value: String(o.id), label: o.active ? o.name : `${o.name} (inactive)` }))
      : [...seen].map(([id, name]) => ({ value: String(id), label: name }))
    if (filter.operator && filter.operator !== 'system' && !known.some((o) => o.value === filter.operator)) {
      known.push({ value: filter.operator, label: `Operator #${filter.operator}` })
    }
    known.sort((a, b) => a.label.localeCompare(b.label, profile.locale))
    return [{ value: '', label: 'Anyone' }, { value: 'system', label: `${SYSTEM_ACTOR_WORDS} only (jobs)` }, ...known]
  }, [operators.data, seen, filter.operator, profile.locale])

  const entityOptions = useMemo(() => {
    const known = Object.entries(AUDIT_ENTITY_WORDS)
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label, profile.locale))
    if (filter.entity && !(filter.entity in AUDIT_ENTITY_WORDS)) known.push({ value: filter.entity, label: auditEntityWords(filter.entity) })
    return [{ value: '', label: 'Any record' }, ...known]
  }, [filter.entity, profile.locale])

  const [open, setOpen] = useState<ReadonlySet<number>>(new Set())
  const toggle = (id: number) =>
    setOpen((s) => {
      const next = new Set(s)
      if (!next.delete(id)) next.add(id)
      return next
    })

  const [notice, setNotice] = useState<Notice | null>(null)
  const [saved, setSaved] = useState<{ file: string; rows: number } | null>(null)
  const [exporting, setExporting] = useState(false)
  const [verifying, setVerifying] = useState(false)

  async function exportExcel() {
    setExporting(true)
    setNotice(null)
    setSaved(null)
    const r = await invoke('audit.export', query)
    setExporting(false)
    if (r.ok) setSaved(r.value)
    else setNotice({ tone: 'error', title: 'The trail could not be exported', content: r.error.message, testId: 'audit-export-error' })
  }

  async function verify() {
    setVerifying(true)
    setNotice(null)
    const r = await invoke('audit.verify', {})
    setVerifying(false)
    if (!r.ok) {
      setNotice({ tone: 'error', title: 'The trail could not be checked', content: r.error.message, testId: 'audit-verify' })
      return
    }
    setNotice(verifyNotice(r.value, profile.locale))
  }

  const columns: Array<Column<AuditEntry>> = [
    {
      id: 'at',
      header: 'When',
      className: 'col-at',
      cellClassName: 'tnum',
      cell: (r) => fmtInstant(r.at, profile.locale, profile.timeZone, { seconds: true })
    },
    {
      id: 'operator',
      header: 'Operator',
      className: 'col-operator',
      title: (r) => (r.operatorId === null ? 'Written by Coffer itself (a job or the start-up)' : r.actor),
      cell: (r) => (r.operatorId === null ? <span className="audit-system">{SYSTEM_ACTOR_WORDS}</span> : r.actor)
    },
    {
      id: 'channel',
      header: 'Through',
      className: 'col-channel',
      cellClassName: 'mono',
      title: (r) => r.channel,
      // A narrow column breaks "members.update" after its dot, not inside a word.
      cell: (r) =>
        r.channel.split('.').map((part, i) => (
          <span key={i}>
            {i > 0 ? '.' : null}
            {i > 0 ? <wbr /> : null}
            {part}
          </span>
        ))
    },
    { id: 'area', header: 'Area', className: 'col-area', cell: (r) => AUDIT_AREA_WORDS[r.area] },
    {
      id: 'record',
      header: 'Record',
      className: 'col-record',
      title: (r) => `${r.entity} ${r.entityId}`,
      cell: (r) => (
        <>
          {auditEntityWords(r.entity)} <span className="mono tnum">{r.entityId}</span>
        </>
      )
    },
    {
      id: 'action',
      header: 'Action',
      className: 'col-action',
      cell: (r) => <span className={`audit-action audit-action-${r.action}`}>{AUDIT_ACTION_WORDS[r.action]}</span>
    },
    {
      id: 'changes',
      header: 'What changed',
      className: 'col-changes',
      cell: (r) => <AuditChanges entry={r} ctx={ctx} open={open.has(r.id)} onToggle={() => toggle(r.id)} />
    }
  ]

  const filtered = Object.values(filter).some(Boolean)

  return (
    <div className="page page-fill page-audit">
      <PageHeader
        title="Audit"
        subtitle="Every change, who made it and when. Each row is chained to the one before, so a change made outside Coffer shows."
        actions={
          <>
            {canVerify ? (
              <Button onClick={() => void verify()} busy={verifying}>
                Check the trail
              </Button>
            ) : null}
            {canExport ? (
              <Button onClick={() => void exportExcel()} busy={exporting} disabled={datesWrong}>
                Export to Excel
              </Button>
            ) : null}
          </>
        }
      />

      <div className="filters" role="search" aria-label="Filter the audit trail">
        <Field label="Operator" className="filter-operator">
          <Select value={filter.operator} onChange={(e) => update({ operator: e.target.value })} options={operatorOptions} />
        </Field>
        <Field label="From" className="filter-date">
          <input type="date" value={filter.from} onChange={(e) => update({ from: e.target.value })} max="9999-12-31" />
        </Field>
        <Field label="To" className="filter-date" error={datesWrong ? 'To must be on or after From' : null}>
          <input type="date" value={filter.to} onChange={(e) => update({ to: e.target.value })} max="9999-12-31" />
        </Field>
        <Field label="Area" className="filter-area">
          <Select value={filter.area} onChange={(e) => update({ area: e.target.value as Filter['area'] })} options={AREA_OPTIONS} />
        </Field>
        <Field label="Record" className="filter-record">
          <Select value={filter.entity} onChange={(e) => update({ entity: e.target.value })} options={entityOptions} />
        </Field>
        <Field label="Record ID" className="filter-record-id">
          <input
            type="text"
            value={filter.entityId}
            onChange={(e) => update({ entityId: e.target.value })}
            maxLength={60}
            autoComplete="off"
            spellCheck={false}
            inputMode="numeric"
          />
        </Field>
        <ClearFilters disabled={!filtered} onClear={() => setFilter(EMPTY)} />
        <p className="audit-count" aria-live="polite" data-testid="audit-count">
          {list.isSuccess ? countOf(total, { one: 'change', other: 'changes' }, profile.locale) : 'Loading…'}
        </p>
      </div>

      {notice ? (
        <Banner tone={notice.tone} title={notice.title} onDismiss={() => setNotice(null)} className="page-banner">
          <span data-testid={notice.testId}>{notice.content}</span>
        </Banner>
      ) : null}
      {saved ? (
        <div className="page-banner">
          <SavedFile
            file={saved.file}
            title={`The audit trail as an Excel workbook (${countOf(saved.rows, { one: 'change', other: 'changes' }, profile.locale)})`}
            onDismiss={() => setSaved(null)}
          />
        </div>
      ) : null}
      {listError ? (
        <Banner tone="error" title="The audit trail could not be loaded" className="page-banner">
          {listError.message}{' '}
          <button type="button" className="link-button" onClick={() => void list.refetch()}>
            Try again
          </button>
        </Banner>
      ) : null}

      <DataTable
        label="Audit trail"
        className="audit-table"
        wrapClassName="audit-scroll"
        columns={columns}
        rows={rows}
        idAttribute="data-audit-id"
        rowAttributes={(r) => ({ 'data-entity': r.entity, 'data-action': r.action })}
        onOpen={(r) => toggle(r.id)}
        busy={list.isFetching}
        resetKey={JSON.stringify(query)}
        empty={list.isSuccess ? (filtered ? 'No change matches the filter.' : 'Nothing has been recorded yet.') : null}
      />

      {list.hasNextPage || (list.isFetchingNextPage && rows.length > 0) ? (
        <div className="pager">
          <span className="muted tnum">
            Showing {fmtCount(rows.length, profile.locale)} of {fmtCount(total, profile.locale)}
          </span>
          <Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage} disabled={!list.hasNextPage}>
            Load more
          </Button>
        </div>
      ) : null}
    </div>
  )
}

/** "All 1,234 rows check out", or where the chain breaks and why. */
function verifyNotice(v: AuditVerifyResult, locale: string): Notice {
  if (v.ok || !v.brokenAt) {
    return {
      tone: 'success',
      title: 'The trail checks out',
      testId: 'audit-verify',
      content:
        v.checked === 0
          ? 'There are no audit rows to check yet.'
          : v.checked === 1
            ? 'The one audit row checks out: it is as it was written.'
            : `All ${fmtCount(v.checked, locale)} audit rows check out: none was changed, removed or moved since it was written.`
    }
  }
  return {
    tone: 'error',
    title: `The trail does not check out at row ${v.brokenAt.id}`,
    testId: 'audit-verify',
    content: (
      <>
        {v.brokenAt.message}{' '}
        {v.checked === 0
          ? 'No row before it checks out either.'
          : `The ${v.checked === 1 ? 'row' : `${fmtCount(v.checked, locale)} rows`} before it ${v.checked === 1 ? 'checks' : 'check'} out.`}{' '}
        Coffer did not make this change: keep the data file as it is and tell the administrator.
      </>
    )
  }
}
