import type { ReportDefinition } from '../model'

/** Scaffolding: replaced by the real definition. */
export const memberStatement: ReportDefinition = {
  name: 'member-statement',
  build() {
    throw new Error('The member-statement report is not built yet.')
  }
}
