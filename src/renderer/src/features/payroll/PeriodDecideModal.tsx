import { useState } from 'react'
import type { PayPeriod } from '../../../../shared/contract'
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtMoney } from '../../platform/money'
import { useCallMutation } from '../../platform/queries'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { TextAreaField } from '../../ui/Field'
import { useProfile } from '../profile/ProfileContext'

export type Decision = 'approve' | 'unapprove' | 'post'

/**
 * Approve a draft, send an approved period back (with a reason), or post it:
 * one journal entry on the pay date. Core refuses what may not be done (the
 * same operator who drafted it, a failed payslip, a version that moved on):
 * its message shows in the dialog.
 */
export function PeriodDecideModal({ period: p, decision, onClose, onDone }: { period: PayPeriod; decision: Decision; onClose: () => void; onDone: (message: string) => void }) {
  const { profile } = useProfile()
  const approve = useCallMutation('payroll.approve')
  const unapprove = useCallMutation('payroll.unapprove')
  const post = useCallMutation('payroll.post')
  const [reason, setReason] = useState('')
  const [reasonError, setReasonError] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const busy = approve.isPending || unapprove.isPending || post.isPending
  const money = (m: number) => fmtMoney(m, profile.currency, profile.locale)
  const staff = `${fmtCount(p.payslips, profile.locale)} ${p.payslips === 1 ? 'payslip' : 'payslips'}`

  async function confirm() {
    setError(null)
    const ref = { id: p.id, expectedVersion: p.version }
    let r
    if (decision === 'unapprove') {
      if (!reason.trim()) {
        setReasonError('Say what is wrong: the reason is kept with the period')
        return
      }
      r = await unapprove.mutateAsync({ ...ref, reason: reason.trim() })
    } else if (decision === 'approve') r = await approve.mutateAsync(ref)
    else r = await post.mutateAsync(ref)
    if (!r.ok) {
      if (r.error.fields?.reason) setReasonError(r.error.fields.reason)
      else setError(r.error.message)
      return
    }
    const done = r.value
    onDone(
      decision === 'approve'
        ? `${done.name} is approved${done.approvedBy ? ` by ${done.approvedBy}` : ''}: it can be posted.`
        : decision === 'unapprove'
          ? `${done.name} is back to draft.`
          : `${done.name} is posted${done.entryId !== null ? ` as entry #${done.entryId}` : ''} on ${fmtDate(done.payDate, profile.locale)}.`
    )
  }

  const title = decision === 'approve' ? `Approve ${p.name}?` : decision === 'unapprove' ? `Send ${p.name} back to draft?` : `Post ${p.name}?`
  return (
    <ConfirmModal
      title={title}
      onClose={onClose}
      busy={busy}
      confirmLabel={decision === 'approve' ? 'Approve' : decision === 'unapprove' ? 'Send back' : 'Post'}
      variant={decision === 'unapprove' ? 'danger' : 'primary'}
      onConfirm={() => void confirm()}
      error={error}
      onDismissError={() => setError(null)}
      fields={
        decision === 'unapprove' ? (
          <TextAreaField
            label="Reason"
            required
            error={reasonError}
            value={reason}
            maxLength={300}
            hint="What must be put right before it is approved again"
            onChange={(e) => {
              setReason(e.target.value)
              setReasonError(null)
            }}
          />
        ) : undefined
      }
    >
      {decision === 'approve' ? (
        <p className="modal-text">
          {staff}: gross {money(p.grossMinor)}, net pay {money(p.netMinor)}
          {p.draftedBy ? `, drafted by ${p.draftedBy}` : ''}. Once approved it can be posted; sending it back makes it a draft again.
        </p>
      ) : decision === 'unapprove' ? (
        <p className="modal-text">Its approval is cleared; it is approved again once put right.</p>
      ) : (
        <p className="modal-text" data-testid="post-explain">
          One journal entry on the pay date, {fmtDate(p.payDate, profile.locale)}: the salaries and employer contributions as expenses, each deduction
          and contribution to the account it is owed to, and the net pay, {money(p.netMinor)}, out of the bank. {staff}.
        </p>
      )}
    </ConfirmModal>
  )
}
