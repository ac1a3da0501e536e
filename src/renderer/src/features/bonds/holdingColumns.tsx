import { Link } from 'react-router-dom'
import type { Holding } from '../../../../shared/contract'
import type { Column } from '../../ui/DataTable'
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtAmount, moneyHeader } from '../../platform/money'
import { MemberCell } from '../members/MemberCell'
import { HoldingStatusCell } from './HoldingStatusCell'

export type HoldingColumnId = 'member' | 'series' | 'units' | 'principal' | 'purchaseDate' | 'status'

/**
 * The columns of every table of holdings (all holdings, a series' holdings,
 * a member's bonds), declared once: each table names the ones it shows, in order.
 */
export function holdingColumns<T extends Holding>(
  profile: { locale: string; currency: string },
  ids: ReadonlyArray<HoldingColumnId>
): Array<Column<T>> {
  const { locale } = profile
  const all: Record<HoldingColumnId, Column<T>> = {
    member: {
      id: 'member',
      header: 'Member',
      cell: (h) => <MemberCell memberId={h.memberId} memberName={h.memberName} memberNo={h.memberNo} />
    },
    series: {
      id: 'series',
      header: 'Series',
      cellClassName: 'mono nowrap',
      cell: (h) => (
        <Link to={`/bonds/${h.seriesId}`} className="row-link">
          {h.seriesCode}
        </Link>
      )
    },
    units: { id: 'units', header: 'Units', className: 'num', cell: (h) => fmtCount(h.units, locale) },
    principal: {
      id: 'principal',
      header: moneyHeader('Principal', profile.currency, locale),
      className: 'num',
      cellClassName: 'nowrap',
      cell: (h) => fmtAmount(h.principalMinor, profile.currency, locale)
    },
    purchaseDate: {
      id: 'purchaseDate',
      header: 'Purchase date',
      cellClassName: 'tnum nowrap',
      cell: (h) => fmtDate(h.purchaseDate, locale)
    },
    status: { id: 'status', header: 'Status', cell: (h) => <HoldingStatusCell holding={h} locale={locale} /> }
  }
  return ids.map((id) => all[id])
}
