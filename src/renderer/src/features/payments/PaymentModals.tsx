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
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtMoney } from '../../platform/money'
import { ReasonModal } from './ReasonModal'
import { todayIn } from '../../platform/today'
import { PAYMENT_METHOD_OPTIONS, paymentKindLabel } from '../bonds/labels'

const APPROVED_BY_KEY = 'coffer.payments.approvedBy'
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

interface ApproveProps {
  payments: Payment[]
  selectedCount: number
  onClose: () => void
  onDone: (approved: number, by: string) => void
}

/** Approve pending payments: who approves is asked once and remembered on this computer. */
export function ApproveModal({ payments, selectedCount, onClose, onDone }: ApproveProps) {
  const { profile } = useProfile()
  const [by, setBy] = useState(() => remembered(APPROVED_BY_KEY))
  const [error, setError] = useState<string | null>(null)
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const call = useCallMutation('payments.approve')
  const net = netOf(payments)

  async function save() {
    if (saving) return
    const name = by.trim()
    if (!name) {
      setError('Approved by is required')
      return
    }
    setSaving(true)
    setError(null)
    setBanner(null)
    const r = await call.mutateAsync({ ids: payments.map((p) => p.id), approvedBy: name })
    setSaving(false)
    if (!r.ok) {
      const placed = placeServerError(r.error, ['approvedBy'])
      setError(placed.fields.approvedBy ?? null)
      setBanner(placed.banner)
      return
    }
    remember(APPROVED_BY_KEY, name)
    onDone(r.value.approved, name)
  }

  return (
    <ConfirmModal
      title={`Approve ${countText(payments.length, profile.locale)}`}
      onClose={onClose}
      busy={saving}
      initialFocus="input"
      cancelLabel="Back"
      confirmLabel="Approve"
      onConfirm={() => void save()}
      error={banner}
      fields={
        <TextField
          label="Approved by"
          required
          error={error}
          hint="Your name as it should stand on the vouchers; remembered here"
          value={by}
          onChange={(e) => setBy(e.target.value)}
          maxLength={80}
          autoComplete="name"
        />
      }
    >
      <p className="modal-text">
        {countText(payments.length, profile.locale, 'pending payment')}
        {net !== null ? <>, net {fmtMoney(net, profile.currency, profile.locale)},</> : null} will be approved for payment.
      </p>
      {leftOut(selectedCount, payments.length, 'pending', profile.locale)}
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
      <p className="modal-text">
        {payment.seriesCode}, due {fmtDate(payment.dueDate, profile.locale)}, net {fmtMoney(payment.netMinor, profile.currency, profile.locale)}. A
        cancelled payment is kept on record and is not paid.
      </p>
    </ReasonModal>
  )
}
