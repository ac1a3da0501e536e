import type { AuditFilter } from '../../../../shared/contract'

/** Query keys of the audit area. Every write adds to the trail: the page asks again whenever it opens. */
export const auditKeys = {
  all: ['audit'] as const,
  lists: () => [...auditKeys.all, 'list'] as const,
  list: (filter: AuditFilter) => [...auditKeys.lists(), filter] as const,
  /** The operators the filter offers (for an operator who may list them). */
  operators: () => [...auditKeys.all, 'operators'] as const
}
