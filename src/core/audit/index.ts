/**
 * The audit trail as people read it: the Audit page's list, its export, and
 * the check of the hash chain. The trail itself is written by platform
 * (platform/audit/trail.ts) on every connection, in the write's transaction.
 */
import path from 'node:path'
import { conflict } from '../platform/errors'
import { defineModule, type ModuleEnv } from '../platform/module'
import { lazyModule } from '../platform/lazy'
import { formatDate, formatInstant } from '../../shared/words'
import { AUDIT_AREA_WORDS, auditEntityWords } from '../../shared/audit-labels'
import type { ParsedInput } from '../../shared/contract'
import { AuditService } from './service'

export { AuditService }

const loadAuditExport = lazyModule(() => import('./export'), { from: __filename, path: './export' })

declare module '../platform/module' {
  interface Areas {
    audit: AuditService
  }
}

async function exportAudit(env: ModuleEnv, audit: AuditService, filter: ParsedInput<'audit.export'>) {
  const profile = env.areas.profile.get()
  if (!profile) throw conflict("Set up the cooperative's profile first.")
  const now = env.ctx.clock.now()
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-')
  const file = path.join(env.dataDir, 'exports', `audit-trail-${stamp}.xlsx`)
  const words = [
    `Exported ${formatInstant(now, profile.locale, profile.timeZone)}`,
    filter.from ? `from ${formatDate(filter.from, profile.locale)}` : null,
    filter.to ? `to ${formatDate(filter.to, profile.locale)}` : null,
    filter.system ? 'by the system only' : filter.operatorId != null ? `by ${env.areas.operators.nameOf(filter.operatorId)}` : null,
    filter.area ? `area: ${AUDIT_AREA_WORDS[filter.area]}` : null,
    filter.entity ? `record: ${auditEntityWords(filter.entity)}${filter.entityId ? ` ${filter.entityId}` : ''}` : null
  ]
    .filter(Boolean)
    .join(', ')
  const { writeAuditWorkbook } = await loadAuditExport()
  return writeAuditWorkbook(file, profile, audit.all(filter), words)
}

export const auditModule = defineModule({
  name: 'audit',
  prefixes: ['audit'],
  create: (env) => new AuditService(env.ctx, env.timeZone),
  handlers: (audit, env) => ({
    'audit.list': (q) => audit().list(q),
    'audit.export': (f) => exportAudit(env, audit(), f),
    'audit.verify': () => audit().verify()
  })
})
