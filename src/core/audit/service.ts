import type { AuditEntry, AuditPage, AuditVerifyResult, ParsedInput } from '../../shared/contract'
import { addDays } from '../../shared/dates'
import type { ServiceContext } from '../platform/context'
import { describeBreak, verifyChain, type AuditRow } from '../platform/audit/trail'
import { TABLE_AREAS, areaOf, tablesOf } from './areas'
import { zonedDayStartUtc } from './zone'

const KNOWN_TABLES = Object.keys(TABLE_AREAS)

type Filter = ParsedInput<'audit.export'>

type Row = Omit<AuditRow, 'prev_hash' | 'hash'>

const toEntry = (r: Row): AuditEntry => ({
  id: r.id,
  at: r.at,
  operatorId: r.operator_id,
  actor: r.actor,
  channel: r.channel,
  area: areaOf(r.entity),
  entity: r.entity,
  entityId: r.entity_id,
  action: r.action,
  before: r.before,
  after: r.after
})

/** Reads the audit trail (platform/audit writes it): the Audit page, its export, the chain check. */
export class AuditService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly timeZone: () => string
  ) {}

  /** WHERE clause and parameters for a filter; dates are the cooperative's calendar days. */
  private where(f: Filter): { sql: string; params: unknown[] } {
    const parts: string[] = []
    const params: unknown[] = []
    if (f.system) parts.push('operator_id IS NULL')
    else if (f.operatorId != null) {
      parts.push('operator_id = ?')
      params.push(f.operatorId)
    }
    if (f.from) {
      parts.push('at >= ?')
      params.push(zonedDayStartUtc(f.from, this.timeZone()))
    }
    if (f.to) {
      parts.push('at < ?')
      params.push(zonedDayStartUtc(addDays(f.to, 1), this.timeZone()))
    }
    if (f.area) {
      const tables = tablesOf(f.area)
      if (f.area === 'other') {
        parts.push(`entity NOT IN (${KNOWN_TABLES.map(() => '?').join(', ')})`)
        params.push(...KNOWN_TABLES)
      } else {
        parts.push(`entity IN (${tables.map(() => '?').join(', ') || "''"})`)
        params.push(...tables)
      }
    }
    if (f.entity) {
      parts.push('entity = ?')
      params.push(f.entity)
    }
    if (f.entityId) {
      parts.push('entity_id = ?')
      params.push(f.entityId)
    }
    return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params }
  }

  list(q: ParsedInput<'audit.list'>): AuditPage {
    const w = this.where(q)
    const total = this.ctx.sqlite.prepare(`SELECT count(*) FROM audit_log ${w.sql}`).pluck().get(...w.params) as number
    const rows = this.ctx.sqlite
      .prepare(`SELECT * FROM audit_log ${w.sql} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(...w.params, q.limit, q.offset) as Row[]
    return { rows: rows.map(toEntry), total }
  }

  /** Every row the filter matches, newest first (the export). */
  *all(f: Filter): Generator<AuditEntry> {
    const w = this.where(f)
    for (const r of this.ctx.sqlite.prepare(`SELECT * FROM audit_log ${w.sql} ORDER BY id DESC`).iterate(...w.params) as IterableIterator<Row>) {
      yield toEntry(r)
    }
  }

  verify(): AuditVerifyResult {
    const { checked, brokenAt } = verifyChain(this.ctx.sqlite)
    return { checked, ok: brokenAt === null, brokenAt: brokenAt ? { ...brokenAt, message: describeBreak(brokenAt) } : null }
  }
}

