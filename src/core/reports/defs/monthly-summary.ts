import type { ReportDefinition } from '../model'
import { buildSummary } from './summary'

/** The monthly summary: every calendar month overlapping the dates, each cut to them (see summary.ts). */
export const monthlySummary: ReportDefinition = {
  name: 'monthly-summary',
  build: (src, params) => buildSummary(src, params, 'monthly-summary', 'month')
}
