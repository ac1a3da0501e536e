import type { Input } from '../../../../shared/contract'

/**
 * Query keys of payroll: everything under `all`. Posting a period moves
 * balances, so posting (and a forced re-run) also invalidates the ledger's
 * keys (app/invalidation.ts).
 */
export const payrollKeys = {
  all: ['payroll'] as const,
  staffList: (q: Input<'payroll.staffList'> = {}) => [...payrollKeys.all, 'staff-list', q] as const,
  staff: (id: number) => [...payrollKeys.all, 'staff', id] as const,
  components: () => [...payrollKeys.all, 'components'] as const,
  component: (id: number) => [...payrollKeys.all, 'component', id] as const,
  calendars: () => [...payrollKeys.all, 'calendars'] as const,
  periods: (q: Input<'payroll.periods'> = {}) => [...payrollKeys.all, 'periods', q] as const,
  period: (id: number) => [...payrollKeys.all, 'period', id] as const,
  register: (periodId: number) => [...payrollKeys.all, 'register', periodId] as const,
  payslip: (periodId: number, staffId: number) => [...payrollKeys.all, 'payslip', periodId, staffId] as const,
  statutory: (periodId: number) => [...payrollKeys.all, 'statutory', periodId] as const,
  settings: () => [...payrollKeys.all, 'settings'] as const
}
