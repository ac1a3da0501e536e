import { useState } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { ReportCell, ReportColumn, ReportRow, ReportTableView } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtAmount, fmtPercent, moneyHeader } from '../../platform/money'
import { Banner } from '../../ui/Banner'
import { DataTable, type Column } from '../../ui/DataTable'
import { errorMessage } from '../../ui/PageState'
import { Pager } from '../../ui/Pager'
import { reportKeys } from './queries'
import type { ReportRequest } from './words'

/** Rows of one table a page on screen (reports.view's own default). */
export const REPORT_PAGE = 100

interface Line {
  id: string
  row: ReportRow
  /** The totals row under the table. */
  totals: boolean
  /** The group column repeats the row above's value (shown once per group). */
  sameGroup: boolean
}

/** Text up to this long with no space is a code kept on one line. */
const CODE_MAX = 32

const NUMERIC = new Set<ReportColumn['kind']>(['money', 'count', 'units', 'percent'])

/** One cell as the column's kind writes it: money without the symbol (the header names it), counts grouped, dates in the locale. */
export function cellText(cell: ReportCell, column: ReportColumn, row: ReportRow, currency: string, locale: string): string {
  if (cell === null) return ''
  if (typeof cell === 'string') {
    if (column.kind === 'date') return fmtDate(cell, locale)
    if (column.kind === 'percent') return fmtPercent(cell, locale)
    return cell
  }
  switch (column.kind) {
    case 'money':
      // A row of counts in a table of money (a summary's "Payments paid"): whole numbers.
      return row.kind === 'count' ? fmtCount(cell, locale) : fmtAmount(cell, currency, locale)
    case 'count':
    case 'units':
      return fmtCount(cell, locale)
    default:
      return String(cell)
  }
}

/**
 * One table of a report on screen: its title and note, the rows of this
 * page in the app's DataTable (money right-aligned without the symbol, the
 * currency once in the header; opening, subtotal and total rows bold,
 * headings set apart), the exact totals row under them, the table's own
 * sentence when it has no rows, and its further pages (reports.view for
 * this table only, from an offset).
 */
export function ReportTable({
  request,
  table,
  currency,
  locale,
  showTitle
}: {
  request: ReportRequest
  table: ReportTableView
  currency: string
  locale: string
  showTitle: boolean
}) {
  const [offset, setOffset] = useState(0)
  const input = { name: request.name, params: request.params, table: table.key, offset, limit: REPORT_PAGE }
  const page = useQuery({
    queryKey: reportKeys.view(input),
    queryFn: () => call('reports.view', input),
    enabled: offset > 0,
    placeholderData: keepPreviousData
  })
  const paged = offset > 0 ? page.data?.tables.find((t) => t.key === table.key) : undefined
  const shown = offset > 0 ? (paged ?? null) : table
  const rows = shown?.rows ?? []
  const rowOffset = shown?.offset ?? offset
  const groupBy = table.groupBy

  const lines: Line[] = rows.map((row, i) => ({
    id: `r${rowOffset + i}`,
    row,
    totals: false,
    sameGroup:
      groupBy !== null && i > 0 && row.style === 'normal' && rows[i - 1]!.style === 'normal' && sameCell(rows[i - 1]!.cells[groupBy], row.cells[groupBy])
  }))
  if (table.totals && rows.length > 0) lines.push({ id: 'totals', row: table.totals, totals: true, sameGroup: false })

  const columns: Array<Column<Line>> = table.columns.map((c, index) => {
    const numeric = NUMERIC.has(c.kind)
    return {
      id: `c${index}`,
      header: c.kind === 'money' ? moneyHeader(c.label, currency, locale) : c.label,
      className: numeric ? 'num' : undefined,
      cellClassName: [numeric || c.kind === 'date' ? 'tnum nowrap' : '', c.kind === 'text' ? 'report-text' : ''].filter(Boolean).join(' ') || undefined,
      cell: (line: Line) => {
        if (line.sameGroup && index === groupBy) return null
        const text = cellText(line.row.cells[index] ?? null, c, line.row, currency, locale)
        // The totals row says what it is where its first cell is blank.
        if (line.totals && index === 0 && text === '') return 'Total'
        // A code (voucher PV-2026-000001, series UMJ-M29, a reference) is one word: never split at its hyphens.
        if (c.kind === 'text' && text.length <= CODE_MAX && !/\s/.test(text)) return <span className="nowrap">{text}</span>
        return text
      }
    }
  })

  return (
    <section className="report-table" aria-label={table.title} data-table-key={table.key}>
      {showTitle ? <h3 className="report-table-title">{table.title}</h3> : null}
      {table.note ? <p className="report-table-note muted">{table.note}</p> : null}
      {table.rowCount === 0 ? (
        <p className="report-empty" data-testid="report-empty">
          {table.empty}
        </p>
      ) : (
        <>
          {page.isError && offset > 0 ? (
            <Banner tone="error" title="This page of the table could not be read" className="page-banner">
              {errorMessage(page.error)}{' '}
              <button type="button" className="link-button" onClick={() => void page.refetch()}>
                Try again
              </button>
            </Banner>
          ) : null}
          <DataTable
            label={table.title}
            className="report-grid"
            columns={columns}
            rows={lines}
            getRowId={(l) => l.id}
            rowClassName={(l) => (l.totals ? 'report-row-totals' : `report-row-${l.row.style}`)}
            rowAttributes={(l) => ({ 'data-row-style': l.totals ? 'totals' : l.row.style })}
            busy={offset > 0 && (page.isFetching || !paged)}
            resetKey={`${table.key}:${offset}`}
            empty={table.empty}
          />
          {table.rowCount > REPORT_PAGE ? (
            <Pager offset={offset} pageSize={REPORT_PAGE} total={table.rowCount} locale={locale} onOffset={setOffset} />
          ) : null}
        </>
      )}
    </section>
  )
}

function sameCell(a: ReportCell | undefined, b: ReportCell | undefined): boolean {
  return a !== undefined && a !== null && a === b
}
