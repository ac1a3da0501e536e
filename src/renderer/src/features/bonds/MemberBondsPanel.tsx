import { useState, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import type { Output, Payment } from '../../../../shared/contract'
import { addMinor } from '../../../../shared/money'
import { call, invoke } from '../../platform/api'
import { DataTable, type Column } from '../../ui/DataTable'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { PageError } from '../../ui/PageState'
import { MoneyCells, MoneyHeaders, moneyColumns } from '../../ui/MoneyColumns'
import { SavedFile } from '../../ui/SavedFile'
import { fmtDate, fmtDateRange } from '../../platform/format'
import { fmtAmount, fmtMoney, moneyHeader } from '../../platform/money'
import { holdingColumns } from './holdingColumns'
import { methodLabel, paymentKindLabel, paymentStatusLabel, statusBadgeClass } from './labels'
import { bondKeys } from './queries'
import { useCan } from '../auth/useCan'

type PortfolioHolding = Output<'bonds.memberPortfolio'>['holdings'][number]

/**
 * A member's bonds on their page: holdings with the interest accrued so far,
 * the next coupon of each, the coupons already paid; the lot exports to Excel.
 */
export function MemberBondsPanel({ memberId }: { memberId: number }) {
  const canExport = useCan('bonds.exportPortfolio')
  const { profile } = useProfile()
  // Coupon and maturity runs change it: they ask it again (app/invalidation.ts).
  const portfolio = useQuery({ queryKey: bondKeys.portfolio(memberId), queryFn: () => call('bonds.memberPortfolio', { memberId }) })
  const reload = () => void portfolio.refetch()
  const [exporting, setExporting] = useState(false)
  const [exported, setExported] = useState<string | null>(null)
  const [exportError, setExportError] = useState<string | null>(null)

  async function exportExcel() {
    setExporting(true)
    setExportError(null)
    setExported(null)
    const r = await invoke('bonds.exportPortfolio', { memberId })
    setExporting(false)
    if (r.ok) setExported(r.value.file)
    else setExportError(r.error.message)
  }

  const money = (m: number) => fmtMoney(m, profile.currency, profile.locale)
  const p = portfolio.data
  const holdingTable: Array<Column<PortfolioHolding>> = [
    ...holdingColumns<PortfolioHolding>(profile, ['series', 'units', 'principal', 'purchaseDate', 'status']),
    {
      id: 'accrued',
      header: moneyHeader('Accrued interest', profile.currency, profile.locale),
      className: 'num',
      cell: (h) => (h.status === 'active' ? fmtAmount(h.accruedMinor, profile.currency, profile.locale) : <span className="muted">—</span>)
    }
  ]
  const sum = (xs: number[]): number | null => {
    try {
      return addMinor(...xs)
    } catch {
      return null
    }
  }
  const active = p ? p.holdings.filter((h) => h.status === 'active') : []
  const accruedTotal = sum(active.map((h) => h.accruedMinor))
  const principalTotal = sum(active.map((h) => h.principalMinor))
  const receivedNet = p ? sum(p.received.map((r) => r.netMinor)) : null
  const overdueTable: Array<Column<Payment>> = [
    { id: 'due', header: 'Due', cellClassName: 'tnum nowrap', cell: (r) => fmtDate(r.dueDate, profile.locale) },
    { id: 'series', header: 'Series', cellClassName: 'mono', cell: (r) => r.seriesCode },
    {
      id: 'kind',
      header: 'Kind',
      cell: (r) => (
        <>
          {paymentKindLabel(r.kind)}
          <div className="cell-secondary tnum nowrap">
            {fmtDateRange(r.periodStart, r.periodEnd, profile.locale)}
          </div>
        </>
      )
    },
    ...moneyColumns<Payment>({ currency: profile.currency, locale: profile.locale, nowrap: true, primaryNet: true }),
    { id: 'status', header: 'Status', cell: (r) => <span className={statusBadgeClass(r.status)}>{paymentStatusLabel(r.status)}</span> }
  ]

  return (
    <section className="panel member-bonds" aria-labelledby="member-bonds-title" data-testid="member-bonds">
      <div className="panel-head">
        <h2 className="panel-title" id="member-bonds-title">
          Bonds
        </h2>
        <div className="panel-actions">
          {/* Not "Payments": that is the main navigation's link. */}
          <Link to={`/payments?member=${memberId}`} className="panel-link" title="This member's payments, on the Payments page">
            Payment list
          </Link>
          {canExport ? (
            <Button small onClick={() => void exportExcel()} busy={exporting}>
              Export to Excel
            </Button>
          ) : null}
        </div>
      </div>
      {exported ? <SavedFile file={exported} title="Portfolio exported" onDismiss={() => setExported(null)} /> : null}
      {exportError ? (
        <Banner tone="error" onDismiss={() => setExportError(null)}>
          {exportError}
        </Banner>
      ) : null}

      {portfolio.isError && !p ? (
        <PageError error={portfolio.error} title="The member's bonds could not be loaded" onRetry={reload} />
      ) : !p ? (
        <p className="muted">Loading bonds…</p>
      ) : p.holdings.length === 0 && p.received.length === 0 ? (
        <p className="muted">No bond holdings. Units are bought from a series&apos; page under Bonds.</p>
      ) : (
        <>
          <div className="portfolio-summary">
            <Stat label="Principal held">{principalTotal !== null ? money(principalTotal) : '—'}</Stat>
            <Stat label={`Accrued interest, ${fmtDate(p.asOf, profile.locale)}`}>
              {accruedTotal !== null ? money(accruedTotal) : '—'}
            </Stat>
            <Stat label="Coupons received (net)">{receivedNet !== null ? money(receivedNet) : '—'}</Stat>
          </div>

          {p.overdue.length > 0 ? (
            <>
              <h3 className="subsection-title" id="overdue-title">
                Overdue, not paid <span className="muted tnum">{p.overdue.length}</span>
              </h3>
              <p className="muted">Due before {fmtDate(p.asOf, profile.locale)} and still pending or approved: pay them from Payments.</p>
              <DataTable
                label="Overdue payments"
                className="table-compact overdue-table"
                columns={overdueTable}
                rows={p.overdue}
                idAttribute="data-payment-id"
              />
            </>
          ) : null}

          <h3 className="subsection-title">Holdings</h3>
          <DataTable
            label="Bond holdings"
            className="table-compact"
            columns={holdingTable}
            rows={p.holdings}
            idAttribute="data-holding-id"
          />

          <h3 className="subsection-title">Upcoming coupons</h3>
          {p.upcoming.length === 0 ? (
            <p className="muted">No coupon to come.</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-compact" aria-label="Upcoming coupons">
                <thead>
                  <tr>
                    <th scope="col">Due</th>
                    <th scope="col">Series</th>
                    <th scope="col">Period</th>
                    <MoneyHeaders currency={profile.currency} locale={profile.locale} />
                  </tr>
                </thead>
                <tbody>
                  {p.upcoming.map((u) => (
                    <tr key={`${u.holdingId}-${u.dueDate}`}>
                      <td className="tnum nowrap">{fmtDate(u.dueDate, profile.locale)}</td>
                      <td className="mono">{u.seriesCode}</td>
                      <td className="tnum nowrap muted">
                        {fmtDateRange(u.periodStart, u.periodEnd, profile.locale)}
                      </td>
                      <MoneyCells amounts={u} currency={profile.currency} locale={profile.locale} primaryNet />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <h3 className="subsection-title">Coupons received</h3>
          {p.received.length === 0 ? (
            <p className="muted">Nothing paid yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-compact" aria-label="Coupons received">
                <thead>
                  <tr>
                    <th scope="col">Paid on</th>
                    <th scope="col">Series</th>
                    <th scope="col">Kind</th>
                    <MoneyHeaders currency={profile.currency} locale={profile.locale} />
                    <th scope="col">Voucher</th>
                  </tr>
                </thead>
                <tbody>
                  {p.received.map((r) => (
                    <tr key={r.id} data-payment-id={r.id}>
                      <td className="tnum nowrap">
                        {fmtDate(r.paidOn, profile.locale)}
                        {r.method ? <div className="cell-secondary">{methodLabel(r.method)}</div> : null}
                      </td>
                      <td className="mono">{r.seriesCode}</td>
                      <td>
                        {paymentKindLabel(r.kind)}
                        <div className="cell-secondary tnum nowrap">
                          {fmtDateRange(r.periodStart, r.periodEnd, profile.locale)}
                        </div>
                      </td>
                      <MoneyCells amounts={r} currency={profile.currency} locale={profile.locale} primaryNet />
                      <td className="mono nowrap">{r.voucherNumber ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  )
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value tnum">{children}</div>
    </div>
  )
}
