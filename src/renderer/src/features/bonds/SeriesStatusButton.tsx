import { useState } from 'react'
import type { BondSeries } from '../../../../shared/contract'
import { useCallMutation } from '../../platform/queries'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { useCan } from '../auth/useCan'

export interface SeriesStatusButtonProps {
  series: Pick<BondSeries, 'id' | 'code' | 'status'>
  /** After the change is saved, with the series as it is now: refresh what the page shows. */
  onChanged?: (series: BondSeries) => void
}

/**
 * "Close to purchases" on an open series, "Reopen for purchases" on a closed
 * one (nothing on a matured one), each behind a small confirmation.
 */
export function SeriesStatusButton({ series, onChanged }: SeriesStatusButtonProps) {
  const [confirming, setConfirming] = useState(false)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const setStatus = useCallMutation('bonds.setSeriesStatus')
  const can = useCan('bonds.setSeriesStatus')
  if (series.status === 'matured' || !can) return null

  const closing = series.status === 'open'
  const action = closing ? 'Close to purchases' : 'Reopen for purchases'

  const close = () => {
    setConfirming(false)
    setError(null)
  }

  async function confirm() {
    if (saving) return
    setSaving(true)
    setError(null)
    const r = await setStatus.mutateAsync({ id: series.id, status: closing ? 'closed' : 'open' })
    setSaving(false)
    if (!r.ok) {
      setError(r.error.message)
      return
    }
    setConfirming(false)
    onChanged?.(r.value)
  }

  return (
    <>
      <Button onClick={() => setConfirming(true)} data-testid="series-status-button">
        {action}
      </Button>
      {confirming ? (
        <ConfirmModal
          title={closing ? `Close ${series.code} to purchases?` : `Reopen ${series.code} for purchases?`}
          onClose={close}
          busy={saving}
          initialFocus=".modal-footer .btn-primary"
          confirmLabel={action}
          onConfirm={() => void confirm()}
          error={error}
          onDismissError={() => setError(null)}
        >
          <p className="modal-text">
            {closing
              ? 'No one can buy units of this series while it is closed. Holdings already bought keep earning coupons and mature as scheduled. You can reopen it later.'
              : 'Members can buy units of this series again.'}
          </p>
        </ConfirmModal>
      ) : null}
    </>
  )
}
