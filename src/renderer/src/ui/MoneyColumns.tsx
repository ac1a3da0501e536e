/** Gross, tax and net of one payment or of a sum of them, in minor units. */
export interface MoneyAmounts {
  grossMinor: number
  taxMinor: number
  netMinor: number
}

/** The Gross, Tax and Net column headers, right-aligned like their cells. */
export function MoneyHeaders() {
  return (
    <>
      <th scope="col" className="num">
        Gross
      </th>
      <th scope="col" className="num">
        Tax
      </th>
      <th scope="col" className="num">
        Net
      </th>
    </>
  )
}

interface MoneyCellsProps {
  /** Null (a sum that could not be made, nothing to add up): each cell shows `empty`. */
  amounts: MoneyAmounts | null
  money: (minor: number) => string
  empty?: string
  /** Keep each amount on one line. */
  nowrap?: boolean
  /** Net stands out as the row's main figure. */
  primaryNet?: boolean
}

/** Gross, tax and net as right-aligned cells under MoneyHeaders. */
export function MoneyCells({ amounts, money, empty = '', nowrap = false, primaryNet = false }: MoneyCellsProps) {
  const cls = nowrap ? 'num nowrap' : 'num'
  return (
    <>
      <td className={cls}>{amounts ? money(amounts.grossMinor) : empty}</td>
      <td className={cls}>{amounts ? money(amounts.taxMinor) : empty}</td>
      <td className={primaryNet ? `${cls} cell-primary` : cls}>{amounts ? money(amounts.netMinor) : empty}</td>
    </>
  )
}
