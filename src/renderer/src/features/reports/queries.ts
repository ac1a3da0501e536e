import type { Input } from '../../../../shared/contract'

/**
 * Query keys of reports: everything under `all`. The report on screen
 * (`view`, one per request and, for a table's further pages, per table and
 * offset), an export's progress, the generated reports' list and the
 * settings. An export's end makes `generated()` stale (app/invalidation.ts:
 * the report-export and summary jobs); nothing else re-reads a report on
 * screen but opening it again.
 */
export const reportKeys = {
  all: ['reports'] as const,
  view: (q: Input<'reports.view'>) => [...reportKeys.all, 'view', q] as const,
  exportStatus: (runId: number) => [...reportKeys.all, 'export', runId] as const,
  generated: () => [...reportKeys.all, 'generated'] as const,
  generatedList: (q: Input<'reports.generated'>) => [...reportKeys.generated(), q] as const,
  settings: () => [...reportKeys.all, 'settings'] as const
}
