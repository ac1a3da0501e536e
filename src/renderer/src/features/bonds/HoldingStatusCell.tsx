import type { Holding } from '../../../shared/contract'
import { fmtDate } from '../lib/format'
import { holdingStatusLabel, statusBadgeClass } from './labels'

/** A holding's status badge, with the day it was redeemed or matured under it. */
export function HoldingStatusCell({ holding: h, locale }: { holding: Holding; locale: string }) {
  return (
    <td>
      <span className={statusBadgeClass(h.status)}>{holdingStatusLabel(h.status)}</span>
      {h.redeemedOn ? (
        <div className="cell-secondary tnum">on {fmtDate(h.redeemedOn, locale)}</div>
      ) : h.maturedOn ? (
        <div className="cell-secondary tnum">on {fmtDate(h.maturedOn, locale)}</div>
      ) : null}
    </td>
  )
}
