import type { Input } from '../../../../shared/contract'

/** Query keys of the bonds area (series, holdings, maturities, portfolios, holidays, settings). */
export const bondKeys = {
  all: ['bonds'] as const,
  seriesList: () => [...bondKeys.all, 'series'] as const,
  series: (id: number) => [...bondKeys.all, 'series', id] as const,
  holdings: (filter: Input<'bonds.listHoldings'>) => [...bondKeys.all, 'holdings', filter] as const,
  maturities: (withinDays: number) => [...bondKeys.all, 'maturities', withinDays] as const,
  portfolio: (memberId: number) => [...bondKeys.all, 'portfolio', memberId] as const,
  holidays: () => [...bondKeys.all, 'holidays'] as const,
  settings: () => [...bondKeys.all, 'settings'] as const,
  /** The coupon schedule some terms give (`terms` is the previewed input as JSON); holidays change it. */
  schedulePreview: (terms: string) => [...bondKeys.all, 'schedule-preview', terms] as const
}
