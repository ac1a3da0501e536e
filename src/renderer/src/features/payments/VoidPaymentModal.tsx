import type { Payment } from '../../../../shared/contract'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { fmtDate } from '../../platform/format'
import { fmtMoney } from '../../platform/money'
import { ReasonModal } from './ReasonModal'
import { paymentSubject } from './subject'

interface VoidProps {
  payment: Payment
  onClose: () => void
  onDone: (r: { voided: Payment; replacement: Payment }) => void
}

/** Void one paid payment (a bounced cheque), with the reason: its voucher keeps its number and prints VOID; a pending replacement is created. */
export function VoidPaymentModal({ payment, onClose, onDone }: VoidProps) {
  const { profile } = useProfile()
  const call = useCallMutation('payments.void')
  return (
    <ReasonModal
      title={`Void voucher ${payment.voucherNumber ?? ''}?`}
      cancelLabel="Keep it paid"
      confirmLabel="Void voucher"
      hint="For example: cheque bounced"
      submit={(reason) => call.mutateAsync({ id: payment.id, reason })}
      onClose={onClose}
      onDone={onDone}
    >
      <p className="modal-text">
        {payment.memberName}, {paymentSubject(payment)}, due {fmtDate(payment.dueDate, profile.locale)}, net{' '}
        {fmtMoney(payment.netMinor, profile.currency, profile.locale)}, paid {payment.paidOn ? fmtDate(payment.paidOn, profile.locale) : ''}.
      </p>
      <p className="modal-text muted">
        The voucher keeps its number and prints VOID; a new pending payment for the same amount is created, to be approved
        and paid again.
      </p>
    </ReasonModal>
  )
}
