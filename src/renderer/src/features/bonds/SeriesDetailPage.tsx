import { useRef, useState, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import type { BondSeries, Holding } from '../../../../shared/contract'
import { addMinor, multiplyMinor } from '../../../../shared/money'
import { countOf, possessive } from '../../../../shared/words'
import { call } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { DataTable, type Column, type DataTableHandle } from '../../ui/DataTable'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { WarningsModal } from '../../ui/WarningsModal'
import { useWarnings, type Acknowledge } from '../../platform/warnings'
import { DateField, TextField } from '../../ui/Field'
import { MemberPicker, type PickedMember } from '../members/MemberPicker'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { placeServerError, type FieldErrors } from '../../platform/forms'
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtAmount, fmtMoney, fmtPercent, moneyHeader } from '../../platform/money'
import { todayIn } from '../../platform/today'
import { parseId } from '../members/ids'
import {
  businessDayLabel,
  dayCountLabel,
  frequencyLabel,
  seriesStatusLabel,
  statusBadgeClass
} from './labels'
import { holdingColumns } from './holdingColumns'
import { bondKeys } from './queries'
import { ScheduleHead } from './ScheduleHead'
import { SeriesStatusButton } from './SeriesStatusButton'
import { useCan } from '../auth/useCan'

type Period = { accrualStart: string; accrualEnd: string; paymentDate: string; isStub: boolean; couponPerUnitMinor: number }
type Notice = { tone: 'success' | 'error'; text: string }

export function SeriesDetailPage() {
  const params = useParams()
  const id = parseId(params.id)
  if (id === null) return <PageError error={new Error('There is no bond series at this address.')} title="Not found" />
  return <SeriesLoader key={id} id={id} />
}

function SeriesLoader({ id }: { id: number }) {
  // The maturity job closes holdings and series: its runs ask this again (app/invalidation.ts).
  const loaded = useQuery({ queryKey: bondKeys.series(id), queryFn: () => call('bonds.getSeries', { id }) })
  if (loaded.isError && !loaded.data) return <PageError error={loaded.error} onRetry={() => void loaded.refetch()} />
  if (!loaded.data) return <PageLoading />
  return <SeriesView {...loaded.data} />
}

interface ViewProps {
  series: BondSeries
  schedule: Period[]
  holdings: Holding[]
}

function SeriesView({ series: s, schedule, holdings }: ViewProps) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const [today] = useState(() => todayIn(profile.timeZone))
  const [buying, setBuying] = useState(false)
  const [redeeming, setRedeeming] = useState<Holding | null>(null)
  const canRedeem = useCan('bonds.redeemHolding')
  const canBuy = useCan('bonds.buyHolding')
  // After buying or redeeming, the keyboard goes on from the holding's row.
  const holdingsRef = useRef<DataTableHandle>(null)
  const [notice, setNotice] = useState<Notice | null>(null)
  const money = (minor: number) => fmtMoney(minor, profile.currency, profile.locale)
  const holdingTable: Array<Column<Holding>> = [
    ...holdingColumns<Holding>(profile, ['member', 'units', 'principal', 'purchaseDate', 'status']),
    {
      id: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'col-actions',
      cell: (h) =>
        h.status === 'active' && canRedeem ? (
          <div className="row-actions">
            <Button small onClick={() => setRedeeming(h)}>
              Redeem
            </Button>
          </div>
        ) : null
    }
  ]

  let outstanding: number | null = null
  try {
    outstanding = addMinor(...holdings.filter((h) => h.status === 'active').map((h) => h.principalMinor))
  } catch {
    outstanding = null
  }

  return (
    <div className="page page-series">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={() => navigate('/bonds')}>
            ← Bonds
          </button>
        }
        title={
          <>
            <span className="mono">{s.code}</span> · {s.name}
          </>
        }
        documentTitle={`${s.code} · ${s.name}`}
        subtitle={
          <span className="detail-subtitle">
            <span className={statusBadgeClass(s.status)} data-testid="series-status">
              {seriesStatusLabel(s.status)}
            </span>
            <span>
              {fmtPercent(s.couponRatePercent, profile.locale)} {frequencyLabel(s.frequency).toLowerCase()}, matures{' '}
              {fmtDate(s.maturityDate, profile.locale)}
            </span>
          </span>
        }
        actions={
          <>
            <SeriesStatusButton series={s} />
            {canBuy ? (
              <Button
                variant="primary"
                onClick={() => setBuying(true)}
                disabled={s.status !== 'open'}
                title={s.status !== 'open' ? 'This series is not open for purchases' : undefined}
              >
                Buy units
              </Button>
            ) : null}
          </>
        }
      />

      {notice ? (
        <Banner tone={notice.tone} onDismiss={() => setNotice(null)} className="page-banner">
          {notice.text}
        </Banner>
      ) : null}

      <section className="panel series-terms" aria-labelledby="terms-title">
        <h2 className="panel-title" id="terms-title">
          Terms
        </h2>
        <dl className="terms-grid">
          <Term label="Face value">{money(s.faceValueMinor)} per unit</Term>
          <Term label="Coupon rate">{fmtPercent(s.couponRatePercent, profile.locale)} a year</Term>
          <Term label="Frequency">{frequencyLabel(s.frequency)}</Term>
          <Term label="Day count">{dayCountLabel(s.dayCount)}</Term>
          <Term label="Issue date">{fmtDate(s.issueDate, profile.locale)}</Term>
          <Term label="Maturity date">{fmtDate(s.maturityDate, profile.locale)}</Term>
          <Term label="First coupon date">
            {s.firstCouponDate ? fmtDate(s.firstCouponDate, profile.locale) : <span className="muted">Regular</span>}
          </Term>
          <Term label="Business days">
            {businessDayLabel(s.businessDay)}
            {s.endOfMonth ? <span className="tag">End of month</span> : null}
          </Term>
          <Term label="Withholding tax">{fmtPercent(s.withholdingTaxPercent, profile.locale)}</Term>
          <Term label="Units outstanding">
            {fmtCount(s.unitsOutstanding, profile.locale)}
            {outstanding !== null ? <span className="muted"> · {money(outstanding)}</span> : null}
          </Term>
        </dl>
      </section>

      <section className="series-section" aria-labelledby="holdings-title">
        <div className="section-head">
          <h2 className="section-title" id="holdings-title">
            Holdings <span className="muted tnum">{fmtCount(holdings.length, profile.locale)}</span>
          </h2>
        </div>
        {holdings.length === 0 ? (
          <p className="table-empty muted panel">No member holds units of this series yet.</p>
        ) : (
          <DataTable
            label="Holdings"
            className="holdings-table"
            columns={holdingTable}
            rows={holdings}
            idAttribute="data-holding-id"
            handleRef={holdingsRef}
          />
        )}
      </section>

      <section className="series-section" aria-labelledby="schedule-title">
        <div className="section-head">
          <h2 className="section-title" id="schedule-title">
            Coupon schedule <span className="muted tnum">{fmtCount(schedule.length, profile.locale)}</span>
          </h2>
          <span className="muted">Dates before today are greyed.</span>
        </div>
        <ScheduleTable schedule={schedule} today={today} locale={profile.locale} currency={profile.currency} />
      </section>

      {buying ? (
        <BuyUnitsModal
          series={s}
          today={today}
          onClose={() => setBuying(false)}
          onBought={(h) => {
            holdingsRef.current?.focusRowId(h.id)
            setBuying(false)
            setNotice({
              tone: 'success',
              text: `${h.memberName} bought ${countOf(h.units, { one: 'unit', other: 'units' }, profile.locale)} (${money(h.principalMinor)}).`
            })
          }}
        />
      ) : null}
      {redeeming ? (
        <RedeemModal
          holding={redeeming}
          today={today}
          onClose={() => setRedeeming(null)}
          onRedeemed={(h) => {
            holdingsRef.current?.focusRowId(h.id)
            setRedeeming(null)
            setNotice({ tone: 'success', text: `${possessive(h.memberName)} holding was redeemed on ${fmtDate(h.redeemedOn, profile.locale)}.` })
          }}
        />
      ) : null}
    </div>
  )
}

function Term({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="term">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function ScheduleTable({ schedule, today, locale, currency }: { schedule: Period[]; today: string; locale: string; currency: string }) {
  if (schedule.length === 0) return <p className="table-empty muted panel">This series has no coupon dates.</p>
  const next = schedule.findIndex((p) => p.paymentDate >= today)
  return (
    <div className="table-wrap schedule-scroll">
      <table className="table table-compact schedule-table" aria-label="Coupon schedule">
        <ScheduleHead perUnitHeader={moneyHeader('Coupon per unit', currency, locale)} />
        <tbody>
          {schedule.map((p, i) => {
            const past = p.paymentDate < today
            return (
              <tr
                key={`${p.accrualStart}-${i}`}
                className={[past ? 'is-past' : '', i === next ? 'is-next' : ''].filter(Boolean).join(' ') || undefined}
                data-past={past || undefined}
              >
                <td className="num muted">{i + 1}</td>
                <td className="tnum">{fmtDate(p.accrualStart, locale)}</td>
                <td className="tnum">{fmtDate(p.accrualEnd, locale)}</td>
                <td className="tnum">{fmtDate(p.paymentDate, locale)}</td>
                <td className="num tnum nowrap" data-testid="coupon-per-unit">
                  {fmtAmount(p.couponPerUnitMinor, currency, locale)}
                </td>
                <td className="schedule-notes">
                  {i === next ? <span className="tag tag-next">Next</span> : null}
                  {p.isStub ? <span className="tag tag-stub">Stub</span> : null}
                  {p.paymentDate !== p.accrualEnd ? <span className="tag" title="Moved off a weekend or holiday">Adjusted</span> : null}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

const UNIT_FIELDS = ['memberId', 'units', 'purchaseDate'] as const

function BuyUnitsModal({
  series,
  today,
  onClose,
  onBought
}: {
  series: BondSeries
  today: string
  onClose: () => void
  onBought: (h: Holding) => void
}) {
  const { profile } = useProfile()
  const [member, setMember] = useState<PickedMember | null>(null)
  const [units, setUnits] = useState('')
  const [purchaseDate, setPurchaseDate] = useState(() => (today > series.issueDate ? today : series.issueDate))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const buy = useCallMutation('bonds.buyHolding')
  // Dated before the member joined: core asks first (bonds.buyHolding's acknowledge).
  const warn = useWarnings('bonds.buyHolding')

  const unitCount = /^\d{1,8}$/.test(units.trim()) ? Number(units.trim()) : null
  let principal: string | null = null
  if (unitCount !== null && unitCount > 0) {
    try {
      principal = fmtMoney(multiplyMinor(series.faceValueMinor, String(unitCount), 'half-up'), profile.currency, profile.locale)
    } catch {
      principal = null
    }
  }

  async function save(acknowledge: Acknowledge<'bonds.buyHolding'> = []) {
    if (saving) return
    const found: FieldErrors = {}
    if (!member) found.memberId = 'Search for the member and pick them from the results'
    if (units.trim() === '') found.units = 'Units are required'
    else if (unitCount === null || unitCount < 1) found.units = 'Enter a whole number of units, at least 1'
    if (!purchaseDate) found.purchaseDate = 'Purchase date is required'
    setErrors(found)
    setBanner(null)
    if (Object.keys(found).length > 0 || !member || unitCount === null) return
    setSaving(true)
    const r = await buy.mutateAsync({ memberId: member.id, seriesId: series.id, units: unitCount, purchaseDate, acknowledge })
    setSaving(false)
    if (!r.ok) {
      if (warn.caught(r.error)) return
      warn.reset()
      const placed = placeServerError(r.error, UNIT_FIELDS)
      setErrors(placed.fields)
      setBanner(placed.banner)
      return
    }
    onBought(r.value)
  }

  return (
    <ConfirmModal
      title={`Buy units of ${series.code}`}
      onClose={onClose}
      busy={saving}
      className="modal-wide"
      confirmLabel="Save holding"
      onConfirm={() => void save()}
      error={banner}
      onDismissError={() => setBanner(null)}
      fields={
        <>
          <MemberPicker
            value={member}
            onChange={(m) => {
              setMember(m)
              setErrors(({ memberId: _drop, ...rest }) => rest)
            }}
            error={errors.memberId}
            required
            autoFocus
          />
          <div className="form-grid">
            <TextField
              label="Units"
              required
              error={errors.units}
              hint={principal ? `Principal ${principal}` : `${fmtMoney(series.faceValueMinor, profile.currency, profile.locale)} each`}
              inputMode="numeric"
              inputClassName="tnum"
              value={units}
              onChange={(e) => setUnits(e.target.value)}
              maxLength={9}
              autoComplete="off"
            />
            <DateField
              label="Purchase date"
              required
              error={errors.purchaseDate}
              value={purchaseDate}
              onChange={(e) => setPurchaseDate(e.target.value)}
              min={series.issueDate}
              max={today || undefined}
            />
          </div>
        </>
      }
      below={
        warn.shown ? (
          <WarningsModal
            title="Record a purchase from before the member joined?"
            warnings={warn.shown}
            confirmLabel="Save holding anyway"
            busy={saving}
            onConfirm={() => void save(warn.accept())}
            onClose={warn.reset}
          />
        ) : null
      }
    />
  )
}

function RedeemModal({
  holding,
  today,
  onClose,
  onRedeemed
}: {
  holding: Holding
  today: string
  onClose: () => void
  onRedeemed: (h: Holding) => void
}) {
  const { profile } = useProfile()
  const [date, setDate] = useState(today)
  const [error, setError] = useState<string | null>(null)
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const redeem = useCallMutation('bonds.redeemHolding')

  async function save() {
    if (saving) return
    if (!date) {
      setError('Redemption date is required')
      return
    }
    setSaving(true)
    setError(null)
    setBanner(null)
    const r = await redeem.mutateAsync({ id: holding.id, expectedVersion: holding.version, redeemedOn: date })
    setSaving(false)
    if (!r.ok) {
      const placed = placeServerError(r.error, ['redeemedOn'])
      setError(placed.fields.redeemedOn ?? null)
      setBanner(placed.banner)
      return
    }
    onRedeemed(r.value)
  }

  return (
    <ConfirmModal
      title={`Redeem ${possessive(holding.memberName)} ${holding.seriesCode} units?`}
      onClose={onClose}
      busy={saving}
      cancelLabel="Keep holding"
      confirmLabel="Redeem holding"
      onConfirm={() => void save()}
      variant="danger"
      error={banner}
      onDismissError={() => setBanner(null)}
      fields={
        <DateField
          label="Redemption date"
          required
          error={error}
          value={date}
          onChange={(e) => setDate(e.target.value)}
          min={holding.purchaseDate}
          max={today || undefined}
        />
      }
    >
      <p className="modal-text">
        {fmtCount(holding.units, profile.locale)} units, {fmtMoney(holding.principalMinor, profile.currency, profile.locale)}{' '}
        bought {fmtDate(holding.purchaseDate, profile.locale)}. No coupon accrues after the redemption date.
      </p>
    </ConfirmModal>
  )
}
