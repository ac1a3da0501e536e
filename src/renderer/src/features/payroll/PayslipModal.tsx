import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { Payslip, PayslipLine } from '../../../../shared/contract'
import { call, invoke } from '../../platform/api'
import { fmtDate } from '../../platform/format'
import { fmtAmount, moneyHeader } from '../../platform/money'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { Modal } from '../../ui/Modal'
import { PageError, PageLoading } from '../../ui/PageState'
import { SavedFile } from '../../ui/SavedFile'
import { useCan } from '../auth/useCan'
import { useProfile } from '../profile/ProfileContext'
import { payrollKeys } from './queries'

const KINDS: ReadonlyArray<{ kind: PayslipLine['kind']; title: string }> = [
  { kind: 'earning', title: 'Earnings' },
  { kind: 'deduction', title: 'Deductions' },
  { kind: 'employer', title: 'Employer contributions (not deducted)' }
]

/**
 * One staff member's payslip for the period: each line with its base and
 * its workings ("30% of KES 12,000.00 taxable pay (band 3), rounded down"),
 * the totals, the days worked when pro-rated, and the payslip as a PDF.
 */
export function PayslipModal({ periodId, staffId, name, onClose }: { periodId: number; staffId: number; name: string; onClose: () => void }) {
  const slip = useQuery({ queryKey: payrollKeys.payslip(periodId, staffId), queryFn: () => call('payroll.payslip', { periodId, staffId }) })
  return (
    <Modal
      open
      title={`Payslip: ${name}`}
      onClose={onClose}
      className="payslip-modal"
      footer={
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      }
    >
      {slip.isError && !slip.data ? (
        <PageError error={slip.error} title="The payslip could not be loaded" onRetry={() => void slip.refetch()} />
      ) : !slip.data ? (
        <PageLoading label="Loading the payslip…" />
      ) : (
        <PayslipView p={slip.data} />
      )}
    </Modal>
  )
}

function PayslipView({ p }: { p: Payslip }) {
  const { profile } = useProfile()
  const { currency, locale } = profile
  const canPdf = useCan('payroll.payslipsPdf')
  const [saving, setSaving] = useState(false)
  const [file, setFile] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const amount = (m: number) => fmtAmount(m, currency, locale)

  async function pdf() {
    setSaving(true)
    setProblem(null)
    const r = await invoke('payroll.payslipsPdf', { periodId: p.periodId, staffId: p.staffId })
    setSaving(false)
    if (r.ok) setFile(r.value.file)
    else setProblem(r.error.message)
  }

  return (
    <div className="payslip" data-testid="payslip" data-status={p.status}>
      <div className="payslip-head">
        <p>
          <span className="mono">{p.staffNo}</span> · {p.fullName}
          {p.structureFrom ? <span className="muted"> · pay structure from {fmtDate(p.structureFrom, locale)}</span> : null}
        </p>
        {canPdf && p.status === 'ok' ? (
          <Button small onClick={() => void pdf()} busy={saving}>
            Payslip PDF
          </Button>
        ) : null}
      </div>
      {file ? <SavedFile file={file} title="Payslip saved" onDismiss={() => setFile(null)} /> : null}
      {problem ? (
        <Banner tone="error" onDismiss={() => setProblem(null)}>
          {problem}
        </Banner>
      ) : null}
      {p.status === 'failed' ? (
        <Banner tone="error" title="This payslip could not be worked out">
          <span data-testid="payslip-error">{p.error}</span>
        </Banner>
      ) : null}
      {p.proration ? (
        <p className="payslip-proration" data-testid="payslip-proration">
          {p.daysWorked} of {p.daysInPeriod} days: {p.proration}
        </p>
      ) : null}
      <table className="table table-compact payslip-lines" aria-label="Payslip lines">
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col" className="num">
              {moneyHeader('Base', currency, locale)}
            </th>
            <th scope="col" className="num">
              {moneyHeader('Amount', currency, locale)}
            </th>
            <th scope="col">Workings</th>
          </tr>
        </thead>
        {KINDS.map(({ kind, title }) => {
          const lines = p.lines.filter((l) => l.kind === kind)
          if (lines.length === 0) return null
          return (
            <tbody key={kind}>
              <tr className="payslip-group">
                <th scope="rowgroup" colSpan={4}>
                  {title}
                </th>
              </tr>
              {lines.map((l) => (
                <tr key={l.code} data-code={l.code}>
                  <td>
                    {l.name} <span className="muted mono">{l.code}</span>
                    {l.statutory ? <span className="muted"> · statutory</span> : null}
                  </td>
                  <td className="num tnum">{l.baseMinor === null ? '' : amount(l.baseMinor)}</td>
                  <td className="num tnum">{amount(l.amountMinor)}</td>
                  <td className="payslip-workings">{l.workings}</td>
                </tr>
              ))}
            </tbody>
          )
        })}
      </table>
      <dl className="payslip-totals" data-testid="payslip-totals">
        <div>
          <dt>Gross</dt>
          <dd className="tnum">{amount(p.grossMinor)}</dd>
        </div>
        <div>
          <dt>Taxable</dt>
          <dd className="tnum">{amount(p.taxableMinor)}</dd>
        </div>
        <div>
          <dt>Deductions</dt>
          <dd className="tnum">{amount(p.deductionsMinor)}</dd>
        </div>
        <div className="payslip-net">
          <dt>Net pay ({currency})</dt>
          <dd className="tnum">{amount(p.netMinor)}</dd>
        </div>
        <div>
          <dt>Employer</dt>
          <dd className="tnum">{amount(p.employerMinor)}</dd>
        </div>
      </dl>
    </div>
  )
}
