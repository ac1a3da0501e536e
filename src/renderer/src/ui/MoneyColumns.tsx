import { fmtAmount, moneyHeader } from '../platform/money'
import type { Column } from './DataTable'

/** Gross, tax and net of one payment or of a sum of them, in minor units. */
export interface MoneyAmounts {
  grossMinor: number
  taxMinor: number
  netMinor: number
}

/** The cooperative's one currency and its locale: the headers name the currency, the cells hold the amounts. */
export interface MoneyUnit {
  currency: string
  locale: string
}

const MONEY_LABELS = [
  ['gross', 'Gross'],
  ['tax', 'Tax'],
  ['net', 'Net']
] as const

/** The Gross, Tax and Net column headers with the currency ("Gross (Ksh)"), right-aligned like their cells. */
export function MoneyHeaders({ currency, locale }: MoneyUnit) {
  return (
    <>
      {MONEY_LABELS.map(([id, label]) => (
        <th key={id} scope="col" className="num">
          {moneyHeader(label, currency, locale)}
        </th>
      ))}
    </>
  )
}

interface MoneyOptions extends MoneyUnit {
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

/**
 * Gross, tax and net as DataTable columns (the same headers and cells as
 * MoneyHeaders and MoneyCells): the currency once in each header, bare
 * amounts in the cells.
 */
export function moneyColumns<T extends MoneyAmounts>(options: MoneyOptions): Array<Column<T>> {
  const cls = cellClasses(options)
  const minor = { gross: 'grossMinor', tax: 'taxMinor', net: 'netMinor' } as const
  return MONEY_LABELS.map(([id, label]) => ({
    id,
    header: moneyHeader(label, options.currency, options.locale),
    className: 'num',
    cellClassName: cls[id].slice('num '.length) || undefined,
    cell: (row: T) => fmtAmount(row[minor[id]], options.currency, options.locale)
  }))
}

/** Gross, tax and net as right-aligned cells under MoneyHeaders. */
export function MoneyCells({ amounts, currency, locale, empty = '', nowrap = false, primaryNet = false }: MoneyCellsProps) {
  const cls = cellClasses({ nowrap, primaryNet })
  const amount = (m: number) => fmtAmount(m, currency, locale)
  return (
    <>
      <td className={cls.gross}>{amounts ? amount(amounts.grossMinor) : empty}</td>
      <td className={cls.tax}>{amounts ? amount(amounts.taxMinor) : empty}</td>
      <td className={cls.net}>{amounts ? amount(amounts.netMinor) : empty}</td>
    </>
  )
}
