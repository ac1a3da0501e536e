import { Link } from 'react-router-dom'
import type { Holding } from '../../../../shared/contract'
import type { Column } from '../../ui/DataTable'
import { fmtCount, fmtDate } from '../../platform/format'
import { fmtMoney } from '../../platform/money'
import { MemberCell } from '../members/MemberCell'
import { HoldingStatusCell } from './HoldingStatusCell'

type HoldingLike = Pick<Holding, 'memberId' | 'memberName' | 'memberNo' | 'seriesId' | 'seriesCode' | 'units' | 'principalMinor'>

/**
 * The columns of every table of holdings (all holdings, a series' holdings,
 * a member's bonds, maturities): each table picks the ones it shows, in order.
 */
export function holdingColumns<T extends HoldingLike>(profile: { locale: string; currency: string }) {
  const { locale } = profile
  return {
    member: {
      id: 'member',
      header: 'Member',
      cell: (h) => <MemberCell memberId={h.memberId} memberName={h.memberName} memberNo={h.memberNo} />
    },
    series: {
      id: 'series',
      header: 'Series',
      className: 'mono',
      cell: (h) => (
        <Link to={`/bonds/${h.seriesId}`} className="row-link">
          {h.seriesCode}
        </Link>
      )
    },
    units: { id: 'units', header: 'Units', className: 'num', cell: (h) => fmtCount(h.units, locale) },
    principal: {
      id: 'principal',
      header: 'Principal',
      className: 'num',
      cellClassName: 'nowrap',
      cell: (h) => fmtMoney(h.principalMinor, profile.currency, locale)
    }
  } satisfies Record<string, Column<T>>
}

type HoldingRow = HoldingLike & Pick<Holding, 'purchaseDate' | 'status' | 'redeemedOn' | 'maturedOn'>

/** Columns of a holding itself: when it was bought and where it stands. */
export function holdingStateColumns<T extends HoldingRow>(locale: string) {
  return {
    purchaseDate: {
      id: 'purchaseDate',
      header: 'Purchase date',
      className: 'tnum nowrap',
      cell: (h) => fmtDate(h.purchaseDate, locale)
    },
    status: { id: 'status', header: 'Status', cell: (h) => <HoldingStatusCell holding={h} locale={locale} /> }
  } satisfies Record<string, Column<T>>
}
