import { useRef, useState, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { PaymentKind, PaymentStatus, type Payment } from '../../../../shared/contract'
import { isCalendarDate } from '../../../../shared/dates'
import { addMinor } from '../../../../shared/money'
import { pluralForm, possessive } from '../../../../shared/words'
import { call, invoke } from '../../platform/api'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { Field } from '../../ui/Field'
import { ClearFilters } from '../../ui/ClearFilters'
import { DataTable, type Column, type DataTableHandle } from '../../ui/DataTable'
import { MemberFilter } from '../members/MemberFilter'
import { SeriesFilter } from '../bonds/SeriesFilter'
import { bondKeys } from '../bonds/queries'
import { MemberCell } from '../members/MemberCell'
import { MoneyCells, MoneyHeaders, moneyColumns } from '../../ui/MoneyColumns'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading, RefreshError } from '../../ui/PageState'
import { Pager } from '../../ui/Pager'
import { SavedFile } from '../../ui/SavedFile'
import { Select } from '../../ui/Select'
import { fmtCount, fmtDate, fmtDateRange } from '../../platform/format'
import { fmtMoney } from '../../platform/money'
import { useListPage } from '../../platform/queries'
import { useListFilter } from '../members/useListFilter'
import { parseId } from '../members/ids'
import { methodLabel, paymentKindLabel, paymentStatusLabel, statusBadgeClass } from '../bonds/labels'
import { ApproveModal, CancelPaymentModal, PayModal, PrepareModal } from './PaymentModals'
import { VoidPaymentModal } from './VoidPaymentModal'
import { payeeDetails } from './subject'
import { useCallMutation } from '../../platform/queries'
import { paymentKeys } from './queries'
import { useCan } from '../auth/useCan'
import { useSession } from '../auth/session'

const PAGE_SIZE = 200
const NO_ROWS: Payment[] = []

type StatusFilter = 'all' | Payment['status']
type KindFilter = 'all' | Payment['kind']

interface Filter {
  status: StatusFilter
  kind: KindFilter
  seriesId: number | null
  memberId: number | null
  dueFrom: string
  dueTo: string
}

const STATUS_OPTIONS: Array<{ value: StatusFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'approved', label: 'Approved' },
  { value: 'paid', label: 'Paid' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'voided', label: 'Void' }
]

const KIND_OPTIONS: Array<{ value: KindFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'coupon', label: 'Coupon' },
  { value: 'principal', label: 'Principal' },
  { value: 'interest', label: 'Accrued interest' },
  { value: 'standing-order', label: 'Standing order' }
]

function readFilter(params: URLSearchParams): Filter {
  const status = PaymentStatus.safeParse(params.get('status'))
  const kind = PaymentKind.safeParse(params.get('kind'))
  const from = params.get('from') ?? ''
  const to = params.get('to') ?? ''
  return {
    status: status.success ? status.data : 'all',
    kind: kind.success ? kind.data : 'all',
    seriesId: parseId(params.get('series') ?? undefined),
    memberId: parseId(params.get('member') ?? undefined),
    dueFrom: isCalendarDate(from) ? from : '',
    dueTo: isCalendarDate(to) ? to : ''
  }
}

function writeFilter(f: Filter): URLSearchParams {
  const p = new URLSearchParams()
  if (f.status !== 'all') p.set('status', f.status)
  if (f.kind !== 'all') p.set('kind', f.kind)
  if (f.seriesId) p.set('series', String(f.seriesId))
  if (f.memberId) p.set('member', String(f.memberId))
  if (f.dueFrom) p.set('from', f.dueFrom)
  if (f.dueTo) p.set('to', f.dueTo)
  return p
}

type Totals = { count: number; grossMinor: number; taxMinor: number; netMinor: number }

function sumOf(rows: Payment[]): Totals | null {
  try {
    return {
      count: rows.length,
      grossMinor: addMinor(...rows.map((r) => r.grossMinor)),
      taxMinor: addMinor(...rows.map((r) => r.taxMinor)),
      netMinor: addMinor(...rows.map((r) => r.netMinor))
    }
  } catch {
    return null
  }
}

type Notice = { tone: 'success' | 'error' | 'info'; content: ReactNode; testId?: string }
type Dialog = 'prepare' | 'approve' | 'pay' | 'cancel' | 'void' | null

/**
 * Payments: coupon and principal payments the jobs created, and payments
 * out of members' standing orders to their payees' banks, filtered; pick
 * some, prepare them (the first pair of eyes), approve them (another
 * operator, when payments need two), pay them (each gets a voucher number)
 * and print the vouchers. Each action shows only to an operator whose role
 * may do it. The footer adds up the selection and everything the filter finds.
 */
export function PaymentsPage() {
  const { profile } = useProfile()
  const { operator } = useSession()
  const can = {
    prepare: useCan('payments.prepare'),
    approve: useCan('payments.approve'),
    pay: useCan('payments.pay'),
    print: useCan('vouchers.print'),
    cancel: useCan('payments.cancel'),
    void: useCan('payments.void'),
    reinstate: useCan('payments.reinstate')
  }
  // Whether an approver must be someone other than the preparer (Settings, Security); on until it is known otherwise.
  const security = useQuery({ queryKey: paymentKeys.security(), queryFn: () => call('security.get', {}) })
  const makerChecker = security.data?.makerChecker.payments ?? true
  // The address mirrors the filter, so Back and a link from a member's page land on it.
  const { filter, update, offset, setOffset, shownMember, pickMember, clear } = useListFilter(readFilter, writeFilter)
  const [selection, setSelection] = useState<{ key: string; ids: ReadonlySet<string> }>({ key: '', ids: new Set() })
  const [dialog, setDialog] = useState<Dialog>(null)
  const [notice, setNotice] = useState<Notice | null>(null)
  const [saved, setSaved] = useState<{ file: string; note?: ReactNode; title?: string } | null>(null)
  const [printing, setPrinting] = useState(false)

  const seriesList = useQuery({ queryKey: bondKeys.seriesList(), queryFn: () => call('bonds.listSeries', {}) })
  const input = {
    status: filter.status === 'all' ? undefined : filter.status,
    kind: filter.kind === 'all' ? undefined : filter.kind,
    seriesId: filter.seriesId ?? undefined,
    memberId: filter.memberId ?? undefined,
    dueFrom: filter.dueFrom || undefined,
    dueTo: filter.dueTo || undefined,
    offset,
    limit: PAGE_SIZE
  }
  const pageKey = JSON.stringify(input)
  // Coupon and maturity runs make payments: they ask this again when they end (app/invalidation.ts).
  const list = useListPage(paymentKeys.list(input), 'payments.list', input)
  const { reload } = list

  const rows = list.data?.rows ?? NO_ROWS
  const total = list.data?.total ?? 0
  // The selection belongs to one page of one filter; rows that left it (another status now) drop out.
  const ids = selection.key === pageKey ? selection.ids : new Set<string>()
  const selected = rows.filter((r) => ids.has(String(r.id)))
  const pending = selected.filter((r) => r.status === 'pending')
  const toPrepare = pending.filter((r) => r.preparedById === null)
  // Two people: only prepared payments can be approved (core refuses the preparer; the dialog shows why).
  const toApprove = makerChecker ? pending.filter((r) => r.preparedById !== null) : pending
  const approved = selected.filter((r) => r.status === 'approved')
  const paid = selected.filter((r) => r.status === 'paid')
  const cancellable = selected.length === 1 && (selected[0]?.status === 'pending' || selected[0]?.status === 'approved') ? selected[0] : null
  const voidable = selected.length === 1 && selected[0]?.status === 'paid' ? selected[0] : null
  const cancelledOne = selected.length === 1 && selected[0]?.status === 'cancelled' ? selected[0] : null
  // A standing order's payment cancelled gave its money back to the member's account: it is not reinstated.
  const reinstatable = cancelledOne && cancelledOne.kind !== 'standing-order' ? cancelledOne : null
  const reinstateCall = useCallMutation('payments.reinstate')
  const tableRef = useRef<DataTableHandle>(null)
  /**
   * After an action the keyboard goes on from the first row acted on (once the
   * dialog has closed); if the list no longer holds it (a status filter), from
   * the row now in its place.
   */
  const focusActedOn = (acted: Payment[]) => {
    const first = rows.findIndex((r) => acted.some((a) => a.id === r.id))
    if (first >= 0) tableRef.current?.focusRowId(rows[first]!.id, first)
  }

  async function reinstate(p: Payment) {
    setNotice(null)
    const r = await reinstateCall.mutateAsync({ id: p.id })
    if (r.ok) focusActedOn([p])
    setNotice(
      r.ok
        ? { tone: 'success', content: `Reinstated ${possessive(p.memberName)} ${paymentKindLabel(p.kind).toLowerCase()} payment due ${fmtDate(p.dueDate, profile.locale)}: it is pending again.` }
        : { tone: 'error', content: r.error.message }
    )
  }

  const setIds = (next: Set<string>) => setSelection({ key: pageKey, ids: next })
  /**
   * Characters no font covers stop printing with the vouchers and characters
   * named; the treasurer may print anyway (they come out as \uFFFD, the member
   * number beside the payee), never without being asked.
   */
  function printFailed(error: { message: string; fields?: Record<string, string> }) {
    const anyway = error.fields?.printWithMissingGlyphs
    if (!anyway) {
      setNotice({ tone: 'error', content: error.message })
      return
    }
    setNotice({
      tone: 'error',
      testId: 'missing-glyphs',
      content: (
        <>
          <span className="pre-line">{error.message}</span>
          <span className="banner-actions">
            <Button onClick={() => void printVouchers(true)}>{anyway}</Button>
          </span>
        </>
      )
    })
  }

  async function printVouchers(anyway = false) {
    const paymentIds = paid.map((p) => p.id)
    if (paymentIds.length === 0) return
    const glyphs = anyway ? { printWithMissingGlyphs: true } : {}
    setPrinting(true)
    setNotice(null)
    setSaved(null)
    const r = await invoke('vouchers.print', { paymentIds, ...glyphs })
    if (r.ok) {
      setPrinting(false)
      setNotice({
        tone: r.value.printed ? 'success' : 'info',
        content: r.value.printed
          ? `Sent ${paymentIds.length === 1 ? '1 voucher' : `${fmtCount(paymentIds.length, profile.locale)} vouchers`} to the printer.`
          : 'Printing was cancelled; nothing was printed.'
      })
      if (r.value.file) setSaved({ file: r.value.file, title: 'The vouchers as a PDF' })
      return
    }
    if (r.error.code !== 'UNAVAILABLE') {
      setPrinting(false)
      printFailed(r.error)
      return
    }
    // Outside the desktop app there is no printer to reach: make the PDF and say where it is.
    const pdf = await invoke('vouchers.pdf', { paymentIds, ...glyphs })
    setPrinting(false)
    if (!pdf.ok) {
      printFailed(pdf.error)
      return
    }
    const { vouchers, copies } = pdf.value
    setSaved({
      file: pdf.value.file,
      title: `${vouchers === 1 ? '1 voucher' : `${fmtCount(vouchers, profile.locale)} vouchers`} saved as a PDF`,
      note: (
        <>
          Printing needs the Coffer desktop app, so the vouchers were saved to a file instead; open it and print from
          there.
          {copies > 0
            ? ` ${fmtCount(copies, profile.locale)} ${pluralForm(copies, { one: 'voucher was printed before and is', other: 'vouchers were printed before and are' })} marked COPY.`
            : ''}
        </>
      )
    })
  }

  const columns = paymentColumns(profile, { makerChecker, me: operator.id })
  const selTotals = sumOf(selected)
  const filterTotals = list.data ? { count: total, ...list.data.totals } : null
  const filtered =
    filter.status !== 'all' || filter.kind !== 'all' || !!filter.seriesId || !!filter.memberId || !!filter.dueFrom || !!filter.dueTo

  return (
    <div className="page page-fill page-payments">
      <PageHeader
        title="Payments"
        subtitle={
          makerChecker
            ? 'Coupon, principal and standing order payments: prepare, approve (another operator), pay, print the vouchers.'
            : 'Coupon, principal and standing order payments: prepare, approve, pay, print the vouchers.'
        }
        actions={
          <>
            {can.prepare ? (
              <Button
                onClick={() => setDialog('prepare')}
                disabled={toPrepare.length === 0}
                title={toPrepare.length === 0 ? 'Select pending payments not prepared yet, once you have checked them' : undefined}
              >
                Prepare
              </Button>
            ) : null}
            {can.approve ? (
              <Button
                onClick={() => setDialog('approve')}
                disabled={toApprove.length === 0}
                title={
                  toApprove.length > 0
                    ? undefined
                    : makerChecker
                      ? 'Select prepared payments to approve (someone else prepared them)'
                      : 'Select pending payments to approve'
                }
              >
                Approve
              </Button>
            ) : null}
            {can.pay ? (
              <Button
                variant="primary"
                onClick={() => setDialog('pay')}
                disabled={approved.length === 0}
                title={approved.length === 0 ? 'Select approved payments to pay' : undefined}
              >
                Pay
              </Button>
            ) : null}
            {can.print ? (
              <Button
                onClick={() => void printVouchers()}
                disabled={paid.length === 0}
                busy={printing}
                title={paid.length === 0 ? 'Select paid payments to print their vouchers' : undefined}
              >
                Print vouchers
              </Button>
            ) : null}
            {can.cancel ? (
              <Button
                variant="danger"
                onClick={() => setDialog('cancel')}
                disabled={!cancellable}
                title={cancellable ? 'Cancel the selected payment, with a reason' : 'Select one pending or approved payment to cancel it'}
              >
                Cancel payment
              </Button>
            ) : null}
            {can.void ? (
              <Button
                variant="danger"
                onClick={() => setDialog('void')}
                disabled={!voidable}
                title={voidable ? 'Void the voucher (a bounced cheque): a pending replacement is created' : 'Select one paid payment to void its voucher'}
              >
                Void voucher
              </Button>
            ) : null}
            {can.reinstate ? (
              <Button
                onClick={() => reinstatable && void reinstate(reinstatable)}
                disabled={!reinstatable}
                busy={reinstateCall.isPending}
                title={
                  reinstatable
                    ? 'Put the cancelled payment back to pending'
                    : cancelledOne
                      ? 'A cancelled standing order payment is not reinstated: its money went back to the member’s account. The order’s next execution pays again.'
                      : 'Select one cancelled payment to reinstate it'
                }
              >
                Reinstate
              </Button>
            ) : null}
          </>
        }
      />

      <div className="filters" role="search" aria-label="Filter payments">
        <Field label="Status" className="filter-status">
          <Select value={filter.status} onChange={(e) => update({ status: e.target.value as StatusFilter })} options={STATUS_OPTIONS} />
        </Field>
        <Field label="Kind" className="filter-kind">
          <Select value={filter.kind} onChange={(e) => update({ kind: e.target.value as KindFilter })} options={KIND_OPTIONS} />
        </Field>
        <SeriesFilter value={filter.seriesId} series={seriesList.data} onChange={(seriesId) => update({ seriesId })} />
        <MemberFilter value={shownMember} onChange={pickMember} />
        <Field label="Due from" className="filter-date">
          <input type="date" value={filter.dueFrom} onChange={(e) => update({ dueFrom: e.target.value })} max="9999-12-31" />
        </Field>
        <Field label="Due to" className="filter-date">
          <input type="date" value={filter.dueTo} onChange={(e) => update({ dueTo: e.target.value })} max="9999-12-31" />
        </Field>
        <ClearFilters
          disabled={!filtered}
          onClear={() => clear({ status: 'all', kind: 'all', seriesId: null, memberId: null, dueFrom: '', dueTo: '' })}
        />
      </div>

      {notice ? (
        <Banner tone={notice.tone} onDismiss={() => setNotice(null)} className="page-banner">
          <span data-testid={notice.testId}>{notice.content}</span>
        </Banner>
      ) : null}
      {saved ? (
        <div className="page-banner">
          <SavedFile file={saved.file} note={saved.note} title={saved.title} onDismiss={() => setSaved(null)} />
        </div>
      ) : null}
      {list.isError && list.data ? (
        <RefreshError title="The payments could not be refreshed" error={list.error} onRetry={reload} />
      ) : null}

      {list.isError && !list.data ? (
        <PageError error={list.error} title="The payments could not be loaded" onRetry={reload} />
      ) : !list.data ? (
        <PageLoading label="Loading payments…" />
      ) : (
        <DataTable
          label="Payments"
          className="payments-table"
          wrapClassName="payments-scroll"
          columns={columns}
          rows={rows}
          handleRef={tableRef}
          idAttribute="data-payment-id"
          rowAttributes={(p) => ({ 'data-status': p.status, 'data-prepared': p.preparedById !== null ? 'yes' : 'no' })}
          rowClassName={(p) => (p.status === 'cancelled' || p.status === 'voided' ? 'is-cancelled' : undefined)}
          selection={{ selected: ids, onChange: setIds, selectAllLabel: 'Select all payments on this page', rowLabel: 'Select payment' }}
          busy={list.isFetching}
          empty={filtered ? 'No payment matches the filter.' : 'No payments yet. The coupon and maturity jobs create them when they fall due.'}
        />
      )}

      <footer className="payments-footer" aria-label="Totals">
        <table className="totals-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Totals of</span>
              </th>
              <th scope="col" className="num">
                Payments
              </th>
              <MoneyHeaders currency={profile.currency} locale={profile.locale} />
            </tr>
          </thead>
          <tbody>
            <tr data-testid="selection-totals" className={selected.length ? 'is-selected' : 'is-empty'}>
              <th scope="row">Selected</th>
              <td className="num">{fmtCount(selected.length, profile.locale)}</td>
              <MoneyCells amounts={selTotals} currency={profile.currency} locale={profile.locale} empty="—" />
            </tr>
            <tr data-testid="filter-totals">
              <th scope="row">{filtered ? 'All matching the filter' : 'All payments'}</th>
              <td className="num">{filterTotals ? fmtCount(filterTotals.count, profile.locale) : ''}</td>
              <MoneyCells amounts={filterTotals} currency={profile.currency} locale={profile.locale} />
            </tr>
          </tbody>
        </table>
        <div className="payments-footer-side">
          {selected.length > 0 ? (
            <p className="selection-breakdown muted">
              {[
                toPrepare.length ? `${toPrepare.length} to prepare` : '',
                pending.length - toPrepare.length ? `${pending.length - toPrepare.length} prepared` : '',
                approved.length ? `${approved.length} approved` : '',
                paid.length ? `${paid.length} paid` : '',
                selected.length - pending.length - approved.length - paid.length > 0
                  ? `${selected.length - pending.length - approved.length - paid.length} cancelled or void`
                  : ''
              ]
                .filter(Boolean)
                .join(' · ')}{' '}
              <button type="button" className="link-button" onClick={() => setIds(new Set())}>
                Clear selection
              </button>
            </p>
          ) : (
            <p className="muted">Tick payments to add them up. Shift-click ticks a range.</p>
          )}
          <Pager offset={offset} pageSize={PAGE_SIZE} total={total} locale={profile.locale} onOffset={setOffset} />
        </div>
      </footer>

      {dialog === 'prepare' ? (
        <PrepareModal
          payments={toPrepare}
          selectedCount={selected.length}
          makerChecker={makerChecker}
          onClose={() => setDialog(null)}
          onDone={(n) => {
            focusActedOn(toPrepare)
            setDialog(null)
            setSaved(null)
            setNotice({
              tone: 'success',
              testId: 'prepare-result',
              content: `Prepared ${n === 1 ? '1 payment' : `${fmtCount(n, profile.locale)} payments`} (by ${operator.name}). ${
                makerChecker ? `Another operator approves ${n === 1 ? 'it' : 'them'} next.` : `${n === 1 ? 'It' : 'They'} can be approved now.`
              }`
            })
          }}
        />
      ) : null}
      {dialog === 'approve' ? (
        <ApproveModal
          payments={toApprove}
          selectedCount={selected.length}
          makerChecker={makerChecker}
          onClose={() => setDialog(null)}
          onDone={(n) => {
            focusActedOn(toApprove)
            setDialog(null)
            setSaved(null)
            setNotice({
              tone: 'success',
              testId: 'approve-result',
              content: `Approved ${n === 1 ? '1 payment' : `${fmtCount(n, profile.locale)} payments`} (by ${operator.name}).`
            })
          }}
        />
      ) : null}
      {dialog === 'pay' ? (
        <PayModal
          payments={approved}
          selectedCount={selected.length}
          onClose={() => setDialog(null)}
          onDone={(done) => {
            focusActedOn(approved)
            setDialog(null)
            setSaved(null)
            const numbers = done.map((d) => d.voucherNumber)
            setNotice({
              tone: 'success',
              testId: 'pay-result',
              content: (
                <>
                  Paid {done.length === 1 ? '1 payment' : `${fmtCount(done.length, profile.locale)} payments`}.{' '}
                  {numbers.length === 1 ? 'Voucher ' : 'Vouchers '}
                  <span className="voucher-list tnum">{voucherText(numbers)}</span>. Print vouchers to hand them out.
                </>
              )
            })
          }}
        />
      ) : null}
      {dialog === 'void' && voidable ? (
        <VoidPaymentModal
          payment={voidable}
          onClose={() => setDialog(null)}
          onDone={({ voided }) => {
            focusActedOn([voidable])
            setDialog(null)
            setNotice({
              tone: 'success',
              testId: 'void-result',
              content: `Voided voucher ${voided.voucherNumber ?? ''} (${voided.memberName}). A replacement payment is pending: it is prepared, approved and paid like any other.`
            })
          }}
        />
      ) : null}
      {dialog === 'cancel' && cancellable ? (
        <CancelPaymentModal
          payment={cancellable}
          onClose={() => setDialog(null)}
          onDone={(p) => {
            focusActedOn([cancellable])
            setDialog(null)
            setNotice({
              tone: 'success',
              content:
                `Cancelled ${possessive(p.memberName)} ${paymentKindLabel(p.kind).toLowerCase()} payment due ${fmtDate(p.dueDate, profile.locale)}.` +
                (p.kind === 'standing-order' ? ` ${fmtMoney(p.grossMinor, profile.currency, profile.locale)} went back to ${possessive(p.memberName)} account.` : '')
            })
          }}
        />
      ) : null}
    </div>
  )
}

/** Up to 12 numbers listed; more as the first to the last. */
function voucherText(numbers: string[]): string {
  if (numbers.length <= 12) return numbers.join(', ')
  return `${numbers[0]} to ${numbers[numbers.length - 1]} (${numbers.length})`
}

/** A pending payment someone has prepared: waiting for its approval. */
const isPrepared = (p: Payment) => p.status === 'pending' && p.preparedById !== null

/** What a payment waits for, or what was done last, in the status column's second line. */
function statusLine(p: Payment, locale: string, makerChecker: boolean): ReactNode {
  if (p.status === 'pending') {
    if (!p.preparedBy) return <span className="status-people">not prepared yet</span>
    return (
      <span className="status-people" title={`Prepared by ${p.preparedBy}; waiting for ${makerChecker ? 'another operator’s' : 'an'} approval`}>
        by {p.preparedBy}
      </span>
    )
  }
  if (p.status === 'approved' && p.approvedBy) {
    return (
      <span className="status-people" title={`${p.preparedBy ? `Prepared by ${p.preparedBy}; a` : 'A'}pproved by ${p.approvedBy}`}>
        by {p.approvedBy}
      </span>
    )
  }
  if (p.status === 'paid' && p.paidOn) return <span className="tnum nowrap">on {fmtDate(p.paidOn, locale)}</span>
  return null
}

/** Who prepared and who approved a payment, or what it waits for. */
function People({ p, makerChecker, me }: { p: Payment; makerChecker: boolean; me: number }) {
  if (p.status === 'pending' && !p.preparedBy) return <span className="muted people">Not prepared yet</span>
  if (!p.preparedBy && !p.approvedBy) return <span className="muted">—</span>
  const waiting =
    p.status === 'pending'
      ? makerChecker
        ? {
            text: 'awaiting another operator',
            title: p.preparedById === me ? 'You prepared it: another operator approves it' : 'Another operator than the one who prepared it approves it'
          }
        : { text: 'awaiting approval', title: 'Waiting for approval' }
      : null
  return (
    <div className="people">
      <div className="people-line" title={p.preparedBy ? `Prepared by ${p.preparedBy}` : undefined}>
        <span className="people-label">Prepared</span>{' '}
        {p.preparedBy ? (
          <span className="people-name" data-testid="prepared-by">
            {p.preparedBy}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </div>
      <div className="people-line" title={p.approvedBy ? `Approved by ${p.approvedBy}` : waiting?.title}>
        <span className="people-label">Approved</span>{' '}
        {p.approvedBy ? (
          <span className="people-name" data-testid="approved-by">
            {p.approvedBy}
          </span>
        ) : waiting ? (
          <span className="people-waiting" data-testid="approval-waiting">
            {waiting.text}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </div>
    </div>
  )
}

/** The columns of the payments list. */
function paymentColumns(
  { locale, currency }: { locale: string; currency: string },
  { makerChecker, me }: { makerChecker: boolean; me: number }
): Array<Column<Payment>> {
  return [
    { id: 'due', header: 'Due', className: 'col-due', cellClassName: 'tnum nowrap', cell: (p) => fmtDate(p.dueDate, locale) },
    {
      id: 'member',
      header: 'Member',
      className: 'col-member',
      cell: (p) => <MemberCell memberId={p.memberId} memberName={p.memberName} memberNo={p.memberNo} />
    },
    // A standing order's payment has no series.
    { id: 'series', header: 'Series', className: 'col-series', cellClassName: 'mono nowrap', cell: (p) => p.seriesCode ?? '' },
    {
      id: 'kind',
      header: 'Kind',
      className: 'col-kind',
      title: (p) =>
        p.kind === 'standing-order'
          ? `${paymentKindLabel(p.kind)} of ${p.memberName}, to ${payeeDetails(p) ?? ''}`
          : `${paymentKindLabel(p.kind)}, ${p.seriesCode ?? ''}, ${fmtDateRange(p.periodStart, p.periodEnd, locale)}`,
      cell: (p) =>
        p.kind === 'standing-order' ? (
          <>
            <span className="nowrap">{paymentKindLabel(p.kind)}</span>
            {/* Who is paid, out of the member's savings: the payee and their account. */}
            <div className="cell-secondary payee" data-testid="payee">
              <span className="payee-line">to {p.payeeName}</span>
              <span className="payee-line mono">
                {p.payeeAccount} · {p.payeeBank}
              </span>
            </div>
          </>
        ) : (
          <>
            <span className="nowrap">{paymentKindLabel(p.kind)}</span>
            {/* On a narrow window the series column gives way: its code shows here, on its own line. */}
            <div className="kind-series mono nowrap">{p.seriesCode}</div>
            <div className="cell-secondary tnum nowrap">{fmtDateRange(p.periodStart, p.periodEnd, locale)}</div>
          </>
        )
    },
    ...moneyColumns<Payment>({ currency, locale, nowrap: true, primaryNet: true }),
    {
      id: 'status',
      header: 'Status',
      className: 'col-status',
      cell: (p) => (
        <>
          {isPrepared(p) ? (
            <span className="badge badge-prepared" title="Pending: prepared, waiting for approval">
              Prepared
            </span>
          ) : (
            <span className={statusBadgeClass(p.status)}>{paymentStatusLabel(p.status)}</span>
          )}
          <div className="cell-secondary">
            {statusLine(p, locale, makerChecker)}
            {p.status === 'cancelled' && p.cancelReason ? (
              <span className="clamp-2" title={p.cancelReason}>
                {p.cancelReason}
              </span>
            ) : null}
            {p.status === 'voided' && p.voidReason ? (
              <span className="clamp-2" title={p.voidReason}>
                {p.voidReason}
              </span>
            ) : null}
            {p.replacesPaymentId ? <span className="nowrap">replaces #{p.replacesPaymentId}</span> : null}
          </div>
        </>
      )
    },
    {
      id: 'people',
      header: 'Prepared / approved by',
      className: 'col-people',
      cell: (p) => <People p={p} makerChecker={makerChecker} me={me} />
    },
    {
      id: 'voucher',
      header: 'Voucher',
      className: 'col-voucher',
      cell: (p) => (
        <span data-voucher={p.voucherNumber ?? undefined}>
          {p.voucherNumber ? <span className="mono nowrap">{p.voucherNumber}</span> : <span className="muted">—</span>}
          {p.status === 'paid' && (p.method || p.reference) ? (
            <div
              className="cell-secondary"
              title={[p.method ? methodLabel(p.method) : '', p.reference ?? ''].filter(Boolean).join(' · ')}
            >
              {[p.method ? methodLabel(p.method) : '', p.reference ?? ''].filter(Boolean).join(' · ')}
            </div>
          ) : null}
        </span>
      )
    }
  ]
}
