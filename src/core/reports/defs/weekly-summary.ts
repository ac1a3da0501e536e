import type { ReportDefinition } from '../model'
import { buildSummary } from './summary'

/** The weekly summary: the monthly summary's figures by ISO week (Monday to Sunday), each cut to the dates (see summary.ts). */
export const weeklySummary: ReportDefinition = {
  name: 'weekly-summary',
  build: (src, params) => buildSummary(src, params, 'weekly-summary', 'week')
}
