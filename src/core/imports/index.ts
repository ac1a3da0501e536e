/**
 * Imports: members and bond holdings from the spreadsheet a cooperative kept
 * before Coffer (CSV or .xlsx). Owns no table: every row is written through
 * the owning area (members.create, bonds.buy), in one transaction.
 */
import { defineModule } from '../platform/module'
import { ImportsService } from './service'

export { ImportsService }

declare module '../platform/module' {
  interface Areas {
    imports: ImportsService
  }
}

export const importsModule = defineModule({
  name: 'imports',
  prefixes: ['imports'],
  create: (env) => new ImportsService(env.ctx, env.areas),
  handlers: (imports) => ({
    'imports.preview': (file) => imports().preview(file),
    'imports.commit': (input) => imports().commit(input)
  })
})
