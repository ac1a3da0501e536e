import type { Holding } from '../../../../shared/contract'
import { fmtDate } from '../../platform/format'
import { holdingStatusLabel, statusBadgeClass } from './labels'

/** A holding's status badge, with the day it was redeemed or matured under it. */
export function HoldingStatusCell({
  holding: h,
  locale
}: {
  holding: Pick<Holding, 'status' | 'redeemedOn' | 'maturedOn'>
  locale: string
}) {
  const on = h.redeemedOn ?? h.maturedOn
  return (
    <>
      <span className={statusBadgeClass(h.status)}>{holdingStatusLabel(h.status)}</span>
      {on ? <div className="cell-secondary tnum">on {fmtDate(on, locale)}</div> : null}
    </>
  )
}
