import { useState } from 'react'
import type { Payment } from '../../../../shared/contract'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { TextAreaField } from '../../ui/Field'
import { placeServerError } from '../../platform/forms'
import { fmtDate } from '../../platform/format'
import { fmtMoney } from '../../platform/money'

interface VoidProps {
  payment: Payment
  onClose: () => void
  onDone: (r: { voided: Payment; replacement: Payment }) => void
}

/** Void one paid payment (a bounced cheque), with the reason: its voucher keeps its number and prints VOID; a pending replacement is created. */
export function VoidPaymentModal({ payment, onClose, onDone }: VoidProps) {
  const { profile } = useProfile()
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const call = useCallMutation('payments.void')

  async function save() {
    if (saving) return
    if (!reason.trim()) {
      setError('Reason is required')
      return
    }
    setSaving(true)
    setError(null)
    setBanner(null)
    const r = await call.mutateAsync({ id: payment.id, reason: reason.trim() })
    setSaving(false)
    if (!r.ok) {
      const placed = placeServerError(r.error, ['reason'])
      setError(placed.fields.reason ?? null)
      setBanner(placed.banner)
      return
    }
    onDone(r.value)
  }

  return (
    <ConfirmModal
      title={`Void voucher ${payment.voucherNumber ?? ''}?`}
      onClose={onClose}
      busy={saving}
      cancelLabel="Keep it paid"
      confirmLabel="Void voucher"
      onConfirm={() => void save()}
      variant="danger"
      error={banner}
      fields={
        <TextAreaField
          label="Reason"
          required
          error={error}
          hint="For example: cheque bounced"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={300}
        />
      }
    >
      <p className="modal-text">
        {payment.memberName}, {payment.seriesCode}, due {fmtDate(payment.dueDate, profile.locale)}, net{' '}
        {fmtMoney(payment.netMinor, profile.currency, profile.locale)}, paid {payment.paidOn ? fmtDate(payment.paidOn, profile.locale) : ''}.
      </p>
      <p className="modal-text muted">
        The voucher keeps its number and prints VOID; a new pending payment for the same amount is created, to be approved
        and paid again.
      </p>
    </ConfirmModal>
  )
}
