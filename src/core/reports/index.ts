/** Reports (#15). Scaffolding: the service helper replaces this with the real module. */
import { conflict } from '../platform/errors'
import { defineModule } from '../platform/module'

export { generatedReports } from './schema'

const notYet = (): never => {
  throw conflict('Reports are not built yet.')
}

declare module '../platform/module' {
  interface Areas {
    reports: object
  }
}

export const reportsModule = defineModule({
  name: 'reports',
  prefixes: ['reports'],
  create: () => ({}),
  handlers: () => ({
    'reports.view': notYet,
    'reports.export': notYet,
    'reports.exportStatus': notYet,
    'reports.cancelExport': notYet,
    'reports.generated': notYet,
    'reports.file': notYet,
    'reports.email': notYet,
    'reports.settings': notYet,
    'reports.saveSettings': notYet
  })
})
