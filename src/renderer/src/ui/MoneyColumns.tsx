import type { Column } from './DataTable'

/** Gross, tax and net of one payment or of a sum of them, in minor units. */
export interface MoneyAmounts {
  grossMinor: number
  taxMinor: number
  netMinor: number
}

const MONEY_LABELS = [
  ['gross', 'Gross'],
  ['tax', 'Tax'],
  ['net', 'Net']
] as const

/** The Gross, Tax and Net column headers, right-aligned like their cells. */
export function MoneyHeaders() {
  return (
    <>
      {MONEY_LABELS.map(([id, label]) => (
        <th key={id} scope="col" className="num">
          {label}
        </th>
      ))}
    </>
  )
}

interface MoneyOptions {
  money: (minor: number) => string
  /** Keep each amount on one line. */
  nowrap?: boolean
  /** Net stands out as the row's main figure. */
  primaryNet?: boolean
}

interface MoneyCellsProps extends MoneyOptions {
  /** Null (a sum that could not be made, nothing to add up): each cell shows `empty`. */
  amounts: MoneyAmounts | null
  empty?: string
}

const cellClasses = ({ nowrap = false, primaryNet = false }: Pick<MoneyOptions, 'nowrap' | 'primaryNet'>) => {
  const cls = nowrap ? 'num nowrap' : 'num'
  return { gross: cls, tax: cls, net: primaryNet ? `${cls} cell-primary` : cls }
}

/** Gross, tax and net as DataTable columns (the same headers and cells as MoneyHeaders and MoneyCells). */
export function moneyColumns<T extends MoneyAmounts>(options: MoneyOptions): Array<Column<T>> {
  const cls = cellClasses(options)
  const minor = { gross: 'grossMinor', tax: 'taxMinor', net: 'netMinor' } as const
  return MONEY_LABELS.map(([id, label]) => ({
    id,
    header: label,
    className: 'num',
    cellClassName: cls[id].slice('num '.length) || undefined,
    cell: (row: T) => options.money(row[minor[id]])
  }))
}

/** Gross, tax and net as right-aligned cells under MoneyHeaders. */
export function MoneyCells({ amounts, money, empty = '', nowrap = false, primaryNet = false }: MoneyCellsProps) {
  const cls = cellClasses({ nowrap, primaryNet })
  return (
    <>
      <td className={cls.gross}>{amounts ? money(amounts.grossMinor) : empty}</td>
      <td className={cls.tax}>{amounts ? money(amounts.taxMinor) : empty}</td>
      <td className={cls.net}>{amounts ? money(amounts.netMinor) : empty}</td>
    </>
  )
}
