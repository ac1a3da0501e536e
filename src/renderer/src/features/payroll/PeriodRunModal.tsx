import { useEffect, useMemo, useRef, useState } from 'react'
import type { PayrollRunReport } from '../../../../shared/contract'
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtAmount, moneyHeader } from '../../platform/money'
import { useCallMutation } from '../../platform/queries'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { DataTable, type Column } from '../../ui/DataTable'
import { TextAreaField } from '../../ui/Field'
import { Modal } from '../../ui/Modal'
import { useProfile } from '../profile/ProfileContext'
import { runOutcomeLabel } from './PeriodWords'

export interface RunAsk {
  /** null: every period that is due (Run payroll now). */
  periodId: number | null
  force: boolean
  title: string
  /** What the run will do, in words. */
  explain: string
  confirmLabel: string
  /** A forced run asks why (required on a posted period). */
  reason: 'none' | 'optional' | 'required'
  /** A warning shown above the buttons (a posted period is reversed and posted again). */
  warning?: string
  /** Work it out first and show it (Run payroll now, Dry run). */
  dryFirst: boolean
}

/**
 * The payroll job's work, asked from the window: a dry run first (worked out
 * and shown, nothing written), then the real one; each answers the report
 * (per period: what it did, how many payslips were made, failed or kept, and
 * the register). Refusals show core's own message.
 */
/** What a real run did, in one sentence for the page once the dialog is closed: "November 2026: Reversed and posted again." */
export function runOutcomeWords(report: PayrollRunReport): string | null {
  const parts = report.periods.map((p) => `${p.name}: ${runOutcomeLabel(p.outcome)}${p.outcome === 'failed' && p.reason ? ` (${p.reason.replace(/\.$/, '')})` : ''}`)
  return parts.length === 0 ? null : `${parts.join('; ')}.`
}

export function PeriodRunModal({ ask, onClose, onDone }: { ask: RunAsk; onClose: () => void; onDone?: (report: PayrollRunReport) => void }) {
  const run = useCallMutation('payroll.run')
  const [reason, setReason] = useState('')
  const [reasonError, setReasonError] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [report, setReport] = useState<PayrollRunReport | null>(null)
  const [busy, setBusy] = useState(false)
  const started = useRef(false)
  const done = report !== null && !report.dryRun

  async function go(dryRun: boolean) {
    if (busy) return
    setProblem(null)
    const why = reason.trim()
    if (!dryRun && ask.reason === 'required' && !why) {
      setReasonError('Say why it is run again: the reason is kept with the period')
      return
    }
    setReasonError(null)
    setBusy(true)
    const r = await run.mutateAsync({ periodId: ask.periodId, force: ask.force, dryRun, reason: why || null })
    setBusy(false)
    if (!r.ok) {
      if (r.error.fields?.reason) setReasonError(r.error.fields.reason)
      else setProblem(r.error.message)
      return
    }
    setReport(r.value)
  }

  useEffect(() => {
    if (ask.dryFirst && !started.current) {
      started.current = true
      void go(true)
    }
    // Once, on opening.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  return (
    <Modal
      open
      title={ask.title}
      onClose={onClose}
      busy={busy}
      className="payroll-run-modal"
      footer={
        done ? (
          <>
            <Button variant="primary" onClick={() => (report && onDone ? onDone(report) : onClose())}>
              Close
            </Button>
          </>
        ) : (
          <>
            <Button onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button onClick={() => void go(true)} busy={busy && !done} disabled={busy}>
              {report?.dryRun ? 'Dry run again' : 'Dry run'}
            </Button>
            <Button variant={ask.warning ? 'danger' : 'primary'} onClick={() => void go(false)} busy={busy} data-testid="run-confirm">
              {ask.confirmLabel}
            </Button>
          </>
        )
      }
    >
      {problem ? (
        <Banner tone="error" onDismiss={() => setProblem(null)}>
          <span data-testid="run-problem">{problem}</span>
        </Banner>
      ) : null}
      {!done ? <p className="modal-text">{ask.explain}</p> : null}
      {ask.warning && !done ? (
        <Banner tone="warning">
          <span data-testid="run-warning">{ask.warning}</span>
        </Banner>
      ) : null}
      {ask.reason !== 'none' && !done ? (
        <TextAreaField
          label="Reason"
          required={ask.reason === 'required'}
          hint={ask.reason === 'required' ? 'Kept with the period’s history' : 'Optional: kept with the period’s history'}
          error={reasonError}
          value={reason}
          maxLength={300}
          onChange={(e) => {
            setReason(e.target.value)
            setReasonError(null)
          }}
        />
      ) : null}
      {busy && !report ? <p className="muted" role="status">Working it out…</p> : null}
      {report ? <RunReport report={report} /> : null}
    </Modal>
  )
}

type ReportRow = PayrollRunReport['periods'][number]['register'][number] & { id: number }

/** A run's report: what it did (or would do) per period, with each period's register. */
export function RunReport({ report }: { report: PayrollRunReport }) {
  const { profile } = useProfile()
  const { locale, currency } = profile
  return (
    <section className="payroll-run-report" aria-label={report.dryRun ? 'Dry run' : 'What the run did'} data-testid="run-report" data-dry-run={report.dryRun ? 'yes' : 'no'}>
      <p className={report.dryRun ? 'payroll-run-head is-dry' : 'payroll-run-head'}>
        <strong>{report.dryRun ? 'Dry run: nothing was written.' : 'Done.'}</strong> As of {fmtDate(report.today, locale)}
        {report.created > 0 ? `; ${fmtCount(report.created, locale)} ${report.created === 1 ? 'period' : 'periods'} ${report.dryRun ? 'would be' : 'were'} made from calendars` : ''}.
      </p>
      {report.periods.length === 0 ? <p className="muted">No period is due: nothing {report.dryRun ? 'would be' : 'was'} drafted.</p> : null}
      {report.periods.map((p) => (
        <RunPeriod key={p.periodId} p={p} dry={report.dryRun} locale={locale} currency={currency} />
      ))}
    </section>
  )
}

function RunPeriod({ p, dry, locale, currency }: { p: PayrollRunReport['periods'][number]; dry: boolean; locale: string; currency: string }) {
  const rows = useMemo<ReportRow[]>(() => p.register.map((r, i) => ({ ...r, id: i })), [p.register])
  const columns: Array<Column<ReportRow>> = [
    { id: 'no', header: 'Staff no.', width: '14%', cellClassName: 'mono', cell: (r) => r.staffNo },
    {
      id: 'name',
      header: 'Name',
      width: '34%',
      title: (r) => (r.error ? `${r.fullName}: ${r.error}` : r.fullName),
      cell: (r) => (
        <>
          {r.fullName}
          {r.error ? <span className="is-negative"> · {r.error}</span> : null}
        </>
      )
    },
    { id: 'gross', header: moneyHeader('Gross', currency, locale), className: 'num', width: '17%', cellClassName: 'tnum', cell: (r) => fmtAmount(r.grossMinor, currency, locale) },
    { id: 'ded', header: moneyHeader('Deductions', currency, locale), className: 'num', width: '17%', cellClassName: 'tnum', cell: (r) => fmtAmount(r.deductionsMinor, currency, locale) },
    { id: 'net', header: moneyHeader('Net', currency, locale), className: 'num', width: '18%', cellClassName: 'tnum', cell: (r) => fmtAmount(r.netMinor, currency, locale) }
  ]
  return (
    <div className="payroll-run-period" data-period-id={p.periodId} data-outcome={p.outcome}>
      <p>
        <strong>{p.name}</strong>: <span data-testid="run-outcome">{runOutcomeLabel(p.outcome)}</span>
        {' · '}
        {fmtCount(p.made, locale)} {p.made === 1 ? 'payslip' : 'payslips'} {dry ? 'would be made' : 'made'}
        {p.failed > 0 ? <span className="is-negative">, {fmtCount(p.failed, locale)} failed</span> : null}
        {p.kept > 0 ? `, ${fmtCount(p.kept, locale)} kept` : ''}
      </p>
      {p.reason ? <p className="payroll-run-reason is-negative">{p.reason}</p> : null}
      {rows.length > 0 ? (
        <DataTable
          label={`Register of ${p.name}`}
          className="payroll-run-table"
          wrapClassName="payroll-run-scroll"
          columns={columns}
          rows={rows}
          virtual={{ rowHeight: 30 }}
          rowAttributes={(r) => ({ 'data-status': r.status })}
        />
      ) : null}
    </div>
  )
}
