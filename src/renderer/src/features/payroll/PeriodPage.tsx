import { useState, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import type { PayPeriod, PayPeriodEvent, RegisterRow } from '../../../../shared/contract'
import { call, invoke } from '../../platform/api'
import { fmtCount, fmtDate, fmtDateRange, fmtInstant } from '../../platform/format'
import { fmtAmount, fmtMoney, moneyHeader } from '../../platform/money'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { parseId } from '../members/ids'
import { EntryModal } from '../ledger/EntryModal'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading, RefreshError } from '../../ui/PageState'
import { SavedFile } from '../../ui/SavedFile'
import { PayrollTabs } from './PayrollTabs'
import { PayslipModal } from './PayslipModal'
import { PeriodDecideModal, type Decision } from './PeriodDecideModal'
import { PeriodRunModal, runOutcomeWords, type RunAsk } from './PeriodRunModal'
import { RegisterTable } from './RegisterTable'
import { eventActionLabel, frequencyLabel, periodBadgeClass, periodStatusLabel } from './PeriodWords'
import { Fact } from './Fact'
import { payrollKeys } from './queries'
import './payroll-periods.css'

/** `/payroll/periods/:id`: the review of one pay period. */
export function PeriodPage() {
  const params = useParams()
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no pay period at this address.')} title="Not found" />
  return <PeriodLoader key={id} id={id} />
}

function PeriodLoader({ id }: { id: number }) {
  // The payroll job and every payroll action ask these again (app/invalidation.ts).
  const detail = useQuery({ queryKey: payrollKeys.period(id), queryFn: () => call('payroll.period', { id }) })
  if (detail.isError && !detail.data) return <PageError error={detail.error} title="The pay period could not be loaded" onRetry={() => void detail.refetch()} />
  if (!detail.data) return <PageLoading label="Loading the pay period…" />
  return <PeriodView period={detail.data.period} events={detail.data.events} refreshError={detail.isError ? detail.error : null} onRetry={() => void detail.refetch()} />
}

type Export = 'payslips' | 'register' | 'statutory'
const EXPORT_TITLES: Record<Export, string> = { payslips: 'Payslips saved', register: 'Register exported', statutory: 'Statutory summary saved' }

function PeriodView({ period: p, events, refreshError, onRetry }: { period: PayPeriod; events: PayPeriodEvent[]; refreshError: unknown; onRetry: () => void }) {
  const navigate = useNavigate()
  const { profile } = useProfile()
  const { locale, currency, timeZone } = profile
  const can = {
    run: useCan('payroll.run'),
    approve: useCan('payroll.approve'),
    unapprove: useCan('payroll.unapprove'),
    post: useCan('payroll.post'),
    payslips: useCan('payroll.payslipsPdf'),
    register: useCan('payroll.exportRegister'),
    statutory: useCan('payroll.statutoryPdf')
  }
  const drafted = p.status !== 'active'
  const register = useQuery({ queryKey: payrollKeys.register(p.id), queryFn: () => call('payroll.register', { periodId: p.id }), enabled: drafted })
  const statutory = useQuery({ queryKey: payrollKeys.statutory(p.id), queryFn: () => call('payroll.statutory', { periodId: p.id }), enabled: drafted })
  const [slip, setSlip] = useState<RegisterRow | null>(null)
  const [decision, setDecision] = useState<Decision | null>(null)
  const [run, setRun] = useState<RunAsk | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [exported, setExported] = useState<{ kind: Export; file: string; note: string } | null>(null)
  const [exporting, setExporting] = useState<Export | null>(null)
  const [exportError, setExportError] = useState<string | null>(null)
  const [entryId, setEntryId] = useState<number | null>(null)
  const date = (d: string | null) => (d ? fmtDate(d, locale) : '—')
  const money = (m: number) => fmtMoney(m, currency, locale)
  const amount = (m: number) => fmtAmount(m, currency, locale)
  const instant = (at: string | null) => (at ? fmtInstant(at, locale, timeZone) : '')

  async function exportFile(kind: Export) {
    setExporting(kind)
    setExportError(null)
    setExported(null)
    if (kind === 'payslips') {
      const r = await invoke('payroll.payslipsPdf', { periodId: p.id, staffId: null })
      if (r.ok) setExported({ kind, file: r.value.file, note: `${fmtCount(r.value.payslips, locale)} ${r.value.payslips === 1 ? 'payslip' : 'payslips'}, one a page.` })
      else setExportError(r.error.message)
    } else if (kind === 'register') {
      const r = await invoke('payroll.exportRegister', { periodId: p.id })
      if (r.ok) setExported({ kind, file: r.value.file, note: `${fmtCount(r.value.rows, locale)} rows; the statutory summary is its second sheet.` })
      else setExportError(r.error.message)
    } else {
      const r = await invoke('payroll.statutoryPdf', { periodId: p.id })
      if (r.ok) setExported({ kind, file: r.value.file, note: '' })
      else setExportError(r.error.message)
    }
    setExporting(null)
  }

  const draftAsk: RunAsk = {
    periodId: p.id,
    force: false,
    title: `Draft ${p.name} now?`,
    explain:
      p.status === 'failed'
        ? 'The payslips that failed or are missing are worked out again; those already made are kept.'
        : 'One payslip for each person employed any day of the period, with the pay structure and rates in force on its last day. It is drafted now even if its rule does not make it due yet.',
    confirmLabel: 'Draft now',
    reason: 'none',
    dryFirst: false
  }
  const recomputeAsk: RunAsk = {
    periodId: p.id,
    force: true,
    title: `Recompute ${p.name}?`,
    explain: `Every payslip is worked out again from the pay structures and rates in force on ${date(p.endDate)}${p.status === 'approved' ? '; its approval is cleared, so it must be approved again' : ''}.`,
    confirmLabel: 'Recompute',
    reason: 'optional',
    dryFirst: false
  }
  const rerunAsk: RunAsk = {
    periodId: p.id,
    force: true,
    title: `Run ${p.name} again?`,
    explain: 'Every payslip is worked out again and the period is posted anew.',
    warning: `It is posted: its journal entry${p.entryId !== null ? ` #${p.entryId}` : ''} is reversed and a new one is posted on ${date(p.payDate)}, in one step. Do this only to put a mistake right.`,
    confirmLabel: 'Reverse and post again',
    reason: 'required',
    dryFirst: false
  }

  // A run changes what the last notice said (a re-run posts a new entry): it goes when a run is asked for.
  const openRun = (ask: RunAsk) => {
    setNotice(null)
    setRun(ask)
  }

  const actions: ReactNode[] = []
  if (can.run && (p.status === 'active' || p.status === 'failed')) {
    actions.push(
      <Button key="dry" onClick={() => openRun({ ...draftAsk, title: `Dry run of ${p.name}`, dryFirst: true })}>
        Dry run
      </Button>,
      <Button key="draft" variant="primary" onClick={() => openRun(draftAsk)}>
        Draft now
      </Button>
    )
  }
  if (can.run && (p.status === 'draft' || p.status === 'approved')) {
    actions.push(
      <Button key="dry" onClick={() => openRun({ ...recomputeAsk, title: `Dry run of ${p.name}`, dryFirst: true })}>
        Dry run
      </Button>,
      <Button key="recompute" onClick={() => openRun(recomputeAsk)}>
        Recompute…
      </Button>
    )
  }
  // A failed period shows Approve too, marked with why it cannot be approved yet.
  if ((p.status === 'draft' || p.status === 'failed') && can.approve) {
    const blocked = p.status === 'failed' || p.failedPayslips > 0
    actions.push(
      <Button
        key="approve"
        variant={blocked ? 'secondary' : 'primary'}
        onClick={() => setDecision('approve')}
        disabled={blocked}
        title={
          p.failedPayslips > 0 ? 'Some payslips failed: put them right and draft again first' : blocked ? 'The run failed: draft it again first' : undefined
        }
      >
        Approve
      </Button>
    )
  }
  if (p.status === 'approved' && can.unapprove) {
    actions.push(
      <Button key="unapprove" onClick={() => setDecision('unapprove')}>
        Send back…
      </Button>
    )
  }
  if (p.status === 'approved' && can.post) {
    actions.push(
      <Button key="post" variant="primary" onClick={() => setDecision('post')}>
        Post
      </Button>
    )
  }
  if (p.status === 'posted' && can.run) {
    actions.push(
      <Button key="rerun" variant="danger" onClick={() => openRun(rerunAsk)}>
        Run again…
      </Button>
    )
  }

  const hasSlips = p.payslips > 0
  const reg = register.data
  const stat = statutory.data

  return (
    <div className="page page-payroll-period">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={() => navigate('/payroll')}>
            ← Periods
          </button>
        }
        title={p.name}
        subtitle={
          <span className="detail-subtitle">
            <span className={periodBadgeClass(p.status)} data-testid="period-status">
              {periodStatusLabel(p.status)}
            </span>
            <span className="tnum">{fmtDateRange(p.startDate, p.endDate, locale)}</span>
            <span>· paid {date(p.payDate)}</span>
          </span>
        }
        actions={actions.length ? <>{actions}</> : undefined}
      />
      <PayrollTabs />

      {refreshError ? <RefreshError title="The period could not be refreshed" error={refreshError} onRetry={onRetry} /> : null}
      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)} className="page-banner">
          <span data-testid="period-notice">{notice}</span>
        </Banner>
      ) : null}
      {p.statusNote ? (
        <Banner tone={p.status === 'failed' ? 'error' : 'info'} className="page-banner">
          <span data-testid="period-status-note">{p.statusNote}</span>
        </Banner>
      ) : null}
      {reg && reg.changedSince.length > 0 ? (
        <Banner tone="warning" title="Changed since these payslips were worked out" className="page-banner">
          <ul className="payroll-changed-since" data-testid="period-changed-since">
            {reg.changedSince.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p>The payslips stay as they are until the period is recomputed.</p>
        </Banner>
      ) : null}
      {exported ? <SavedFile file={exported.file} title={EXPORT_TITLES[exported.kind]} note={exported.note || undefined} onDismiss={() => setExported(null)} /> : null}
      {exportError ? (
        <Banner tone="error" onDismiss={() => setExportError(null)} className="page-banner">
          {exportError}
        </Banner>
      ) : null}

      <section className="panel payroll-facts-panel" aria-labelledby="period-facts-title">
        <h2 className="panel-title" id="period-facts-title">
          The period
        </h2>
        <dl className="payroll-facts">
          <Fact label="Calendar">{p.calendarName ?? 'Single period'}</Fact>
          <Fact label="Pay">{frequencyLabel(p.frequency)}</Fact>
          <Fact label="Rule">
            <span data-testid="period-rule">{p.ruleWords}</span>
            {!p.automation ? <span className="muted"> · automation off</span> : null}
          </Fact>
          <Fact label="Due on">{p.automation ? date(p.dueOn) : <span className="muted">By hand</span>}</Fact>
          <Fact label="Payslips">
            {fmtCount(p.payslips, locale)}
            {p.failedPayslips > 0 ? <span className="is-negative">, {fmtCount(p.failedPayslips, locale)} failed</span> : null}
          </Fact>
          <Fact label="Gross / net">
            <span className="tnum">
              {money(p.grossMinor)} / {money(p.netMinor)}
            </span>
          </Fact>
          <Fact label="Drafted by">{p.draftedBy ? <Who name={p.draftedBy} at={instant(p.draftedAt)} /> : <span className="muted">Not yet</span>}</Fact>
          <Fact label="Approved by">{p.approvedBy ? <Who name={p.approvedBy} at={instant(p.approvedAt)} /> : <span className="muted">Not yet</span>}</Fact>
          <Fact label="Posted by">
            {p.postedBy ? (
              <>
                <Who name={p.postedBy} at={instant(p.postedAt)} />
                {p.entryId !== null ? (
                  <div>
                    <button type="button" className="link-button tnum" onClick={() => setEntryId(p.entryId)} data-testid="period-entry">
                      Entry #{p.entryId}
                    </button>
                    {p.postings > 1 ? <span className="muted"> · posted {fmtCount(p.postings, locale)} times</span> : null}
                  </div>
                ) : null}
              </>
            ) : (
              <span className="muted">Not yet</span>
            )}
          </Fact>
        </dl>
      </section>

      <section className="panel payroll-register-panel" aria-labelledby="period-register-title">
        <div className="panel-head">
          <h2 className="panel-title" id="period-register-title">
            Register
          </h2>
          {hasSlips ? (
            <div className="panel-actions">
              {can.payslips ? (
                <Button
                  small
                  onClick={() => void exportFile('payslips')}
                  busy={exporting === 'payslips'}
                  disabled={p.status === 'failed'}
                  title={p.status === 'failed' ? 'Some payslips could not be worked out: mend them and draft again before printing' : undefined}
                >
                  Payslips PDF
                </Button>
              ) : null}
              {can.register ? (
                <Button small onClick={() => void exportFile('register')} busy={exporting === 'register'}>
                  Register (Excel)
                </Button>
              ) : null}
              {can.statutory ? (
                <Button small onClick={() => void exportFile('statutory')} busy={exporting === 'statutory'}>
                  Statutory summary (PDF)
                </Button>
              ) : null}
            </div>
          ) : null}
        </div>
        {!drafted ? (
          <p className="muted" data-testid="register-not-drafted">
            Not drafted yet{p.automation && p.dueOn ? `: the payroll job drafts it on ${date(p.dueOn)}` : ''}. {can.run ? 'Draft now makes its payslips at once.' : ''}
          </p>
        ) : register.isError && !reg ? (
          <PageError error={register.error} title="The register could not be loaded" onRetry={() => void register.refetch()} />
        ) : !reg ? (
          <PageLoading label="Loading the register…" />
        ) : (
          <RegisterTable register={reg} locale={locale} currency={currency} onOpen={setSlip} busy={register.isFetching} />
        )}
      </section>

      {reg && reg.totals.components.length > 0 ? (
        <div className="payroll-side-by-side">
          <section className="panel" aria-labelledby="period-components-title">
            <h2 className="panel-title" id="period-components-title">
              Totals by component
            </h2>
            <table className="table table-compact" aria-label="Totals by component">
              <thead>
                <tr>
                  <th scope="col">Component</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">
                    {moneyHeader('Amount', currency, locale)}
                  </th>
                </tr>
              </thead>
              <tbody>
                {reg.totals.components.map((c) => (
                  <tr key={c.code} data-code={c.code}>
                    <td>
                      {c.name} <span className="muted mono">{c.code}</span>
                    </td>
                    <td>{c.kind === 'earning' ? 'Earning' : c.kind === 'deduction' ? 'Deduction' : 'Employer'}</td>
                    <td className="num tnum">{amount(c.amountMinor)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="panel" aria-labelledby="period-statutory-title" data-testid="statutory">
            <h2 className="panel-title" id="period-statutory-title">
              Statutory summary
            </h2>
            {statutory.isError && !stat ? (
              <PageError error={statutory.error} title="The statutory summary could not be loaded" onRetry={() => void statutory.refetch()} />
            ) : !stat ? (
              <PageLoading />
            ) : stat.rows.length === 0 ? (
              <p className="muted">No statutory deduction or contribution in this period.</p>
            ) : (
              <table className="table table-compact" aria-label="Statutory summary">
                <thead>
                  <tr>
                    <th scope="col">Component</th>
                    <th scope="col">Owed to</th>
                    <th scope="col" className="num">
                      Staff
                    </th>
                    <th scope="col" className="num">
                      {moneyHeader('Base', currency, locale)}
                    </th>
                    <th scope="col" className="num">
                      {moneyHeader('Amount', currency, locale)}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {stat.rows.map((r) => (
                    <tr key={r.code} data-code={r.code}>
                      <td>
                        {r.name} <span className="muted mono">{r.code}</span>
                      </td>
                      <td>{r.accountName}</td>
                      <td className="num tnum">{fmtCount(r.staff, locale)}</td>
                      <td className="num tnum">{amount(r.baseMinor)}</td>
                      <td className="num tnum">{amount(r.amountMinor)}</td>
                    </tr>
                  ))}
                  <tr className="payroll-total-row">
                    <th scope="row" colSpan={4}>
                      Total
                    </th>
                    <td className="num tnum" data-testid="statutory-total">
                      {amount(stat.totalMinor)}
                    </td>
                  </tr>
                </tbody>
              </table>
            )}
          </section>
        </div>
      ) : null}

      <section className="panel" aria-labelledby="period-history-title">
        <h2 className="panel-title" id="period-history-title">
          History
        </h2>
        {events.length === 0 ? (
          <p className="muted">Nothing yet.</p>
        ) : (
          <table className="table table-compact payroll-history" aria-label="History">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Reason</th>
                <th scope="col">Entry</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e, i) => (
                <tr key={i} data-action={e.action}>
                  <td className="tnum nowrap">{instant(e.at)}</td>
                  <td>{eventActionLabel(e.action)}</td>
                  <td>{e.by}</td>
                  <td className="payroll-reason">{e.reason}</td>
                  <td>
                    {e.entryId !== null ? (
                      <button type="button" className="link-button tnum" onClick={() => setEntryId(e.entryId)}>
                        #{e.entryId}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {slip ? <PayslipModal periodId={p.id} staffId={slip.staffId} name={slip.fullName} onClose={() => setSlip(null)} /> : null}
      {decision ? (
        <PeriodDecideModal
          period={p}
          decision={decision}
          onClose={() => setDecision(null)}
          onDone={(message) => {
            setDecision(null)
            setNotice(message)
          }}
        />
      ) : null}
      {run ? (
        <PeriodRunModal
          ask={run}
          onClose={() => setRun(null)}
          onDone={(report) => {
            setRun(null)
            setNotice(runOutcomeWords(report))
          }}
        />
      ) : null}
      {entryId !== null ? <EntryModal entryId={entryId} onClose={() => setEntryId(null)} /> : null}
    </div>
  )
}

function Who({ name, at }: { name: string; at: string }) {
  return (
    <>
      {name}
      {at ? <span className="muted"> · {at}</span> : null}
    </>
  )
}
