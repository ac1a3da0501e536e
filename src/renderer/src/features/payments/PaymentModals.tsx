import { useState } from 'react'
import type { Payment } from '../../../../shared/contract'
import { addMinor } from '../../../../shared/money'
import { possessive } from '../../../../shared/words'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { WarningsModal } from '../../ui/WarningsModal'
import { useWarnings, type Acknowledge } from '../../platform/warnings'
import { DateField, SelectField, TextField } from '../../ui/Field'
import { placeServerError, type FieldErrors } from '../../platform/forms'
import { useSession } from '../auth/session'
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtMoney } from '../../platform/money'
import { ReasonModal } from './ReasonModal'
import { payeeDetails } from './subject'
import { todayIn } from '../../platform/today'
import { PAYMENT_METHOD_OPTIONS, paymentKindLabel } from '../bonds/labels'

const METHOD_KEY = 'coffer.payments.method'

function remembered(key: string): string {
  try {
    return window.localStorage.getItem(key) ?? ''
  } catch {
    return ''
  }
}

function remember(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value)
  } catch {
    /* storage full or off: the name is typed again next time */
  }
}

function netOf(payments: Payment[]): number | null {
  try {
    return addMinor(...payments.map((p) => p.netMinor))
  } catch {
    return null
  }
}

function countText(n: number, locale: string, word = 'payment'): string {
  return n === 1 ? `1 ${word}` : `${fmtCount(n, locale)} ${word}s`
}

/** "2 of the 5 selected payments are not pending and stay as they are." */
function leftOut(selected: number, acted: number, what: string, locale: string) {
  const others = selected - acted
  if (others <= 0) return null
  return (
    <p className="modal-text muted">
      {others === 1 ? '1 other selected payment is' : `${fmtCount(others, locale)} other selected payments are`} not {what}{' '}
      and {others === 1 ? 'stays' : 'stay'} as {others === 1 ? 'it is' : 'they are'}.
    </p>
  )
}

interface PrepareProps {
  payments: Payment[]
  selectedCount: number
  /** With maker-checker on, someone else approves what this operator prepares. */
  makerChecker: boolean
  onClose: () => void
  onDone: (prepared: number) => void
}

/**
 * Prepare pending payments: the signed-in operator has checked them (the
 * first pair of eyes). Their name stands on the vouchers as "Prepared by".
 */
export function PrepareModal({ payments, selectedCount, makerChecker, onClose, onDone }: PrepareProps) {
  const { profile } = useProfile()
  const { operator } = useSession()
  const call = useCallMutation('payments.prepare')
  const [banner, setBanner] = useState<string | null>(null)
  const net = netOf(payments)

  async function save() {
    if (call.isPending) return
    setBanner(null)
    const r = await call.mutateAsync({ ids: payments.map((p) => p.id) })
    if (!r.ok) {
      setBanner(r.error.message)
      return
    }
    onDone(r.value.prepared)
  }

  return (
    <ConfirmModal
      title={`Prepare ${countText(payments.length, profile.locale)}`}
      onClose={onClose}
      busy={call.isPending}
      cancelLabel="Back"
      confirmLabel="Prepare"
      onConfirm={() => void save()}
      error={banner}
      onDismissError={() => setBanner(null)}
    >
      <p className="modal-text">
        {countText(payments.length, profile.locale, 'pending payment')}
        {net !== null ? <>, net {fmtMoney(net, profile.currency, profile.locale)},</> : null} will be marked prepared by you (
        {operator.name}): you have checked the member, the amounts and the period.
      </p>
      <p className="modal-text muted">
        {makerChecker
          ? 'Another operator approves them before they can be paid.'
          : 'Then they can be approved, by you or another operator.'}
      </p>
      {leftOut(selectedCount, payments.length, 'waiting to be prepared', profile.locale)}
    </ConfirmModal>
  )
}

interface ApproveProps {
  payments: Payment[]
  selectedCount: number
  makerChecker: boolean
  onClose: () => void
  onDone: (approved: number) => void
}

/**
 * Approve payments: the signed-in operator is the second pair of eyes. With
 * maker-checker on, core refuses payments this operator prepared (FORBIDDEN,
 * naming them): the refusal is shown here as core words it.
 */
export function ApproveModal({ payments, selectedCount, makerChecker, onClose, onDone }: ApproveProps) {
  const { profile } = useProfile()
  const { operator } = useSession()
  const call = useCallMutation('payments.approve')
  const [banner, setBanner] = useState<string | null>(null)
  const net = netOf(payments)
  const preparers = [...new Set(payments.map((p) => p.preparedBy).filter((n): n is string => !!n))]
  const mine = makerChecker ? payments.filter((p) => p.preparedById === operator.id).length : 0

  async function save() {
    if (call.isPending) return
    setBanner(null)
    const r = await call.mutateAsync({ ids: payments.map((p) => p.id) })
    if (!r.ok) {
      setBanner(r.error.message)
      return
    }
    onDone(r.value.approved)
  }

  return (
    <ConfirmModal
      title={`Approve ${countText(payments.length, profile.locale)}`}
      onClose={onClose}
      busy={call.isPending}
      cancelLabel="Back"
      confirmLabel="Approve"
      onConfirm={() => void save()}
      error={banner}
      onDismissError={() => setBanner(null)}
    >
      <p className="modal-text">
        {countText(payments.length, profile.locale, makerChecker ? 'prepared payment' : 'pending payment')}
        {net !== null ? <>, net {fmtMoney(net, profile.currency, profile.locale)},</> : null} will be approved for payment by you (
        {operator.name}).
      </p>
      {preparers.length > 0 ? (
        <p className="modal-text muted" data-testid="approve-preparers">
          Prepared by {new Intl.ListFormat('en', { type: 'conjunction' }).format(preparers)}.
        </p>
      ) : null}
      {mine > 0 ? (
        <p className="modal-text" data-testid="approve-own">
          You prepared {mine === payments.length ? (mine === 1 ? 'it' : 'them') : `${fmtCount(mine, profile.locale)} of them`}: payments need a
          second operator, so another operator must approve {mine === 1 ? 'it' : 'them'}.
        </p>
      ) : null}
      {leftOut(selectedCount, payments.length, makerChecker ? 'prepared and waiting for approval' : 'pending', profile.locale)}
    </ConfirmModal>
  )
}

interface PayProps {
  payments: Payment[]
  selectedCount: number
  onClose: () => void
  onDone: (paid: Array<{ id: number; voucherNumber: string }>) => void
}

const PAY_FIELDS = ['paidOn', 'method', 'reference']

/** Pay approved payments: one date, method and reference for the batch; each gets its voucher number. */
export function PayModal({ payments, selectedCount, onClose, onDone }: PayProps) {
  const { profile } = useProfile()
  const [today] = useState(() => todayIn(profile.timeZone))
  const [paidOn, setPaidOn] = useState(today)
  const [method, setMethod] = useState(() => {
    const m = remembered(METHOD_KEY)
    return PAYMENT_METHOD_OPTIONS.some((o) => o.value === m) ? m : 'bank-transfer'
  })
  const [reference, setReference] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const call = useCallMutation('payments.pay')
  const net = netOf(payments)
  // A cheque with no number: core asks first (payments.pay's acknowledge).
  const warn = useWarnings('payments.pay')

  async function save(acknowledge: Acknowledge<'payments.pay'> = []) {
    if (saving) return
    if (!paidOn) {
      setErrors({ paidOn: 'Payment date is required' })
      return
    }
    setSaving(true)
    setErrors({})
    setBanner(null)
    const r = await call.mutateAsync({
      ids: payments.map((p) => p.id),
      paidOn,
      method: method as 'cash' | 'bank-transfer' | 'cheque',
      reference: reference.trim() || null,
      acknowledge
    })
    setSaving(false)
    if (!r.ok) {
      if (warn.caught(r.error)) return
      warn.reset()
      const placed = placeServerError(r.error, PAY_FIELDS)
      setErrors(placed.fields)
      setBanner(placed.banner)
      return
    }
    remember(METHOD_KEY, method)
    onDone(r.value.paid)
  }

  return (
    <ConfirmModal
      title={`Pay ${countText(payments.length, profile.locale)}`}
      onClose={onClose}
      busy={saving}
      cancelLabel="Back"
      confirmLabel="Pay"
      onConfirm={() => void save()}
      error={banner}
      fields={
        <div className="form-grid">
          <DateField
            label="Payment date"
            required
            error={errors.paidOn}
            value={paidOn}
            onChange={(e) => setPaidOn(e.target.value)}
            max={today || undefined}
          />
          <SelectField
            label="Method"
            required
            error={errors.method}
            value={method}
            onChange={(e) => setMethod(e.target.value)}
            options={PAYMENT_METHOD_OPTIONS}
          />
          <TextField
            label="Reference"
            error={errors.reference}
            hint="Cheque number or bank reference (optional)"
            className="span-2"
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            maxLength={80}
            autoComplete="off"
          />
        </div>
      }
    >
      <p className="modal-text">
        {countText(payments.length, profile.locale, 'approved payment')}
        {net !== null ? <>, net {fmtMoney(net, profile.currency, profile.locale)},</> : null} will be marked paid. Each gets
        the next voucher number.
      </p>
      {leftOut(selectedCount, payments.length, 'approved', profile.locale)}
      {warn.shown ? (
        <WarningsModal
          title="Pay without a cheque number?"
          warnings={warn.shown}
          confirmLabel="Pay anyway"
          busy={saving}
          onConfirm={() => void save(warn.accept())}
          onClose={warn.reset}
        />
      ) : null}
    </ConfirmModal>
  )
}

interface CancelProps {
  payment: Payment
  onClose: () => void
  onDone: (p: Payment) => void
}

/** Cancel one payment that is not paid yet, with the reason on record. */
export function CancelPaymentModal({ payment, onClose, onDone }: CancelProps) {
  const { profile } = useProfile()
  const call = useCallMutation('payments.cancel')
  return (
    <ReasonModal
      title={`Cancel ${possessive(payment.memberName)} ${paymentKindLabel(payment.kind).toLowerCase()} payment?`}
      cancelLabel="Keep payment"
      confirmLabel="Cancel payment"
      submit={(reason) => call.mutateAsync({ id: payment.id, reason })}
      onClose={onClose}
      onDone={onDone}
    >
      {payment.kind === 'standing-order' ? (
        <p className="modal-text">
          To {payeeDetails(payment)}, due {fmtDate(payment.dueDate, profile.locale)},{' '}
          {fmtMoney(payment.netMinor, profile.currency, profile.locale)}. The amount goes back to {possessive(payment.memberName)} account, and a
          cancelled standing order payment cannot be reinstated: the order’s next execution pays again.
        </p>
      ) : (
        <p className="modal-text">
          {payment.seriesCode}, due {fmtDate(payment.dueDate, profile.locale)}, net {fmtMoney(payment.netMinor, profile.currency, profile.locale)}. A
          cancelled payment is kept on record and is not paid.
        </p>
      )}
    </ReasonModal>
  )
}
