import { useMemo, useState } from 'react'
import type { Register, RegisterRow } from '../../../../shared/contract'
import { fmtCount } from '../../platform/format'
import { fmtAmount, fmtPercent, moneyHeader } from '../../platform/money'
import { DataTable, type Column } from '../../ui/DataTable'
import { changeLabel } from './PeriodWords'

/** One line each: 5,000 rows scroll smoothly because only those in view are drawn. */
const ROW_HEIGHT = 34

type Row = RegisterRow & { id: string }
type Show = 'all' | 'changes'

/** Column widths, shared by the rows and the totals under them so the figures line up. */
const WIDTHS = {
  no: '8%',
  name: '17%',
  days: '7%',
  gross: '11%',
  deductions: '11%',
  net: '11%',
  previous: '11%',
  change: '9%',
  changes: '15%'
} as const

/** A figure of the row: none for someone on the last period only (left), a dash for a payslip that could not be worked out. */
const figure = (r: RegisterRow, minor: number, amount: (m: number) => string) => (r.payslipId === null ? '' : r.status === 'failed' ? '—' : amount(minor))

const rowClass = (r: RegisterRow) =>
  r.changes.includes('failed') ? 'register-failed' : r.changes.includes('left') ? 'register-left' : r.changes.includes('new') ? 'register-new' : r.changes.includes('net-changed') ? 'register-changed' : undefined

/**
 * The review register: one row per payslip (and per person on the previous
 * period who has none now), virtualised like Recurring → Forecast. New
 * joiners, leavers, a net change above the threshold and failed payslips are
 * marked (a failed one with its reason); the totals line up under the
 * columns. A row opens the payslip.
 */
export function RegisterTable({
  register,
  locale,
  currency,
  onOpen,
  busy
}: {
  register: Register
  locale: string
  currency: string
  onOpen: (row: RegisterRow) => void
  busy: boolean
}) {
  const [show, setShow] = useState<Show>('all')
  const all = useMemo<Row[]>(() => register.rows.map((r) => ({ ...r, id: `${r.staffId}` })), [register.rows])
  const flagged = useMemo(() => all.filter((r) => r.changes.length > 0), [all])
  const rows = show === 'all' ? all : flagged
  const amount = (m: number) => fmtAmount(m, currency, locale)
  const count = (c: RegisterRow['changes'][number]) => all.filter((r) => r.changes.includes(c)).length
  const counts = { new: count('new'), left: count('left'), changed: count('net-changed'), failed: count('failed') }
  const threshold = fmtPercent(register.thresholdPercent, locale)

  const columns: Array<Column<Row>> = [
    { id: 'no', header: 'Staff no.', width: WIDTHS.no, cellClassName: 'mono', cell: (r) => r.staffNo },
    { id: 'name', header: 'Name', width: WIDTHS.name, title: (r) => r.fullName, cell: (r) => r.fullName },
    {
      id: 'days',
      header: 'Days',
      className: 'num',
      width: WIDTHS.days,
      cellClassName: 'tnum',
      title: (r) => (r.payslipId === null ? undefined : `${r.daysWorked} of ${r.daysInPeriod} days`),
      cell: (r) =>
        r.payslipId === null ? '' : r.daysWorked < r.daysInPeriod ? <span className="register-prorated">{`${r.daysWorked}/${r.daysInPeriod}`}</span> : r.daysInPeriod
    },
    { id: 'gross', header: moneyHeader('Gross', currency, locale), className: 'num', width: WIDTHS.gross, cellClassName: 'tnum', cell: (r) => figure(r, r.grossMinor, amount) },
    {
      id: 'deductions',
      header: moneyHeader('Deductions', currency, locale),
      className: 'num',
      width: WIDTHS.deductions,
      cellClassName: 'tnum',
      cell: (r) => figure(r, r.deductionsMinor, amount)
    },
    { id: 'net', header: moneyHeader('Net', currency, locale), className: 'num', width: WIDTHS.net, cellClassName: 'tnum cell-primary', cell: (r) => figure(r, r.netMinor, amount) },
    {
      id: 'previous',
      header: moneyHeader('Previous net', currency, locale),
      className: 'num',
      width: WIDTHS.previous,
      cellClassName: 'tnum muted',
      cell: (r) => (r.previousNetMinor === null ? '' : amount(r.previousNetMinor))
    },
    {
      id: 'change',
      header: 'Change',
      className: 'num',
      width: WIDTHS.change,
      cellClassName: 'tnum',
      cell: (r) =>
        r.netChangePercent === null ? (
          ''
        ) : (
          <span className={r.changes.includes('net-changed') ? 'register-change is-flagged' : 'register-change'} data-testid="net-change">
            {r.netMinor >= (r.previousNetMinor ?? 0) ? '+' : '−'}
            {fmtPercent(r.netChangePercent.replace(/^-/, ''), locale)}
          </span>
        )
    },
    {
      id: 'changes',
      header: 'Check',
      width: WIDTHS.changes,
      title: (r) => (r.error ? `Failed: ${r.error}` : r.changes.includes('net-changed') ? `Net changed by more than ${threshold}` : undefined),
      cell: (r) => (
        <span className="register-flags">
          {r.changes.map((c) => (
            <span key={c} className={`register-flag flag-${c}`}>
              {changeLabel(c)}
            </span>
          ))}
          {r.error ? <span className="register-error">{r.error}</span> : null}
        </span>
      )
    }
  ]

  const t = register.totals
  return (
    <div className="register">
      <div className="register-toolbar">
        <div className="segmented" role="group" aria-label="Rows shown">
          <button type="button" className="segmented-item" aria-pressed={show === 'all'} onClick={() => setShow('all')}>
            All {fmtCount(all.length, locale)}
          </button>
          <button type="button" className="segmented-item" aria-pressed={show === 'changes'} onClick={() => setShow('changes')}>
            To check {fmtCount(flagged.length, locale)}
          </button>
        </div>
        <p className="muted register-legend" data-testid="register-legend">
          {register.previous ? <>Compared with {register.previous.name}; a net change over {threshold} is marked.</> : <>The first period: nothing to compare with.</>}
          {counts.new ? <span className="register-flag flag-new">{fmtCount(counts.new, locale)} new</span> : null}
          {counts.left ? <span className="register-flag flag-left">{fmtCount(counts.left, locale)} left</span> : null}
          {counts.changed ? <span className="register-flag flag-net-changed">{fmtCount(counts.changed, locale)} net changed</span> : null}
          {counts.failed ? <span className="register-flag flag-failed">{fmtCount(counts.failed, locale)} failed</span> : null}
        </p>
      </div>
      <DataTable
        label="Register"
        className="register-table"
        wrapClassName="register-scroll"
        columns={columns}
        rows={rows}
        idAttribute="data-staff-id"
        rowAttributes={(r) => ({ 'data-changes': r.changes.join(' ') || undefined, 'data-staff-no': r.staffNo })}
        rowClassName={rowClass}
        onOpen={(r) => (r.payslipId !== null ? onOpen(r) : undefined)}
        virtual={{ rowHeight: ROW_HEIGHT, overscan: 16 }}
        resetKey={show}
        busy={busy}
        empty={show === 'all' ? 'No payslips yet: the period is not drafted.' : 'Nothing to check: no one is new, left, failed or changed by more than the threshold.'}
      />
      <table className="table table-virtual register-totals" aria-label="Register totals">
        <colgroup>
          {Object.values(WIDTHS).map((w, i) => (
            <col key={i} style={{ width: w }} />
          ))}
        </colgroup>
        <tbody>
          <tr data-testid="register-totals">
            <th scope="row" colSpan={2}>
              Total, {fmtCount(t.staff, locale)} staff
            </th>
            <td />
            <td className="num tnum">{amount(t.grossMinor)}</td>
            <td className="num tnum">{amount(t.deductionsMinor)}</td>
            <td className="num tnum cell-primary">{amount(t.netMinor)}</td>
            <td colSpan={3} className="muted">
              Employer contributions {amount(t.employerMinor)}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  )
}
