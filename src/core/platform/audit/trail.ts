import { hash } from 'node:crypto'
import type { Sqlite } from '../db/open'
import { currentScope } from '../actor'

/**
 * The audit trail's machinery, per connection (DESIGN.md, Operators).
 *
 * `installAuditTrail` registers a few SQL functions (who, which channel, the
 * time, the chain hash) and TEMP triggers on every business table, so that
 * each row inserted, updated or deleted on this connection appends an
 * `audit_log` row in the same statement, hence the same transaction: a
 * rolled-back write leaves no audit row, a committed one always has its row.
 * TEMP triggers live only in this connection (a backup copy has none; the
 * sqlite3 shell has none), are made after migrations, and follow the tables
 * as they are at open.
 *
 * Each row's hash is sha256 over its content and the previous row's hash
 * (`chainHash`); writers are serialised by SQLite, so the chain is one line
 * across the app, the CLI and job threads.
 */

/** Platform machinery, not business data: never audited. */
export const UNAUDITED_TABLES = new Set([
  'audit_log',
  '__drizzle_migrations',
  'job_leases',
  'job_runs',
  'sqlite_sequence',
  'sqlite_stat1',
  // Derived from journal_lines (which is audited) in the same transaction, and checked against it.
  'ledger_summaries'
])

/** Columns never copied into the trail (their change shows through another column, e.g. password_changed_at). */
export const REDACTED_COLUMNS = new Set(['password_hash'])

/**
 * Columns derived from others on the same row (`table.column`): not copied,
 * so rewriting them (the members' sort keys after the locale changed) leaves
 * no audit rows, while a change to what they derive from does.
 */
export const DERIVED_COLUMNS = new Set([
  'members.sort_name',
  // An outbox attachment's bytes: made from its source (audited), named by its sha256 and size (audited); JSON cannot hold them.
  'outbox_attachments.content'
])

export interface AuditTrailOptions {
  /** The instant written on each row (the injected clock). */
  now: () => Date
}

/** The content a row's hash covers, in one fixed order. */
export interface ChainFields {
  at: string
  operatorId: number | null
  actor: string
  channel: string
  entity: string
  entityId: string
  action: string
  before: string | null
  after: string | null
}

export function chainHash(prevHash: string, f: ChainFields): string {
  return hashContent(prevHash, f.at, f.operatorId, f.actor, f.channel, f.entity, f.entityId, f.action, f.before, f.after)
}

/** sha256 (hex) over the JSON array of the fields: the one formula every row of every book is hashed with. */
function hashContent(
  prev: string,
  at: string,
  operatorId: number | null,
  actor: string,
  channel: string,
  entity: string,
  entityId: string,
  action: string,
  before: string | null,
  after: string | null
): string {
  return hash('sha256', JSON.stringify([prev, at, operatorId, actor, channel, entity, entityId, action, before, after]), 'hex')
}

const quoteId = (name: string): string => `"${name.replaceAll('"', '""')}"`
const quoteText = (text: string): string => `'${text.replaceAll("'", "''")}'`

interface TableInfo {
  name: string
  pk: number
}

/** The tables to audit: ordinary tables, not virtual tables or their shadows, not machinery. */
export function auditedTables(sqlite: Sqlite): string[] {
  const rows = sqlite
    .prepare("SELECT name, sql FROM main.sqlite_master WHERE type = 'table' ORDER BY name")
    .all() as { name: string; sql: string | null }[]
  const virtual = rows.filter((r) => /^CREATE VIRTUAL TABLE/i.test(r.sql ?? '')).map((r) => r.name)
  return rows
    .map((r) => r.name)
    .filter((n) => !UNAUDITED_TABLES.has(n) && !n.startsWith('sqlite_'))
    .filter((n) => !virtual.some((v) => n === v || n.startsWith(`${v}_`)))
}

/** json_object over the row's columns (chunked: SQLite allows at most 127 arguments to a function). */
function rowJson(row: 'OLD' | 'NEW', columns: string[]): string {
  const chunks: string[] = []
  for (let i = 0; i < columns.length; i += 60) {
    const part = columns.slice(i, i + 60).map((c) => `${quoteText(c)}, ${row}.${quoteId(c)}`)
    chunks.push(`json_object(${part.join(', ')})`)
  }
  return chunks.reduce((acc, c) => (acc ? `json_patch(${acc}, ${c})` : c), '')
}

function entityIdExpr(row: 'OLD' | 'NEW', info: TableInfo[]): string {
  const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk)
  if (pk.length === 0) return `CAST(${row}.rowid AS TEXT)`
  return pk.map((c) => `CAST(${row}.${quoteId(c.name)} AS TEXT)`).join(" || '/' || ")
}

function triggersFor(table: string, info: TableInfo[]): string[] {
  const columns = info.map((c) => c.name).filter((c) => !REDACTED_COLUMNS.has(c) && !DERIVED_COLUMNS.has(`${table}.${c}`))
  const make = (action: 'insert' | 'update' | 'delete'): string => {
    const before = action === 'insert' ? 'NULL' : rowJson('OLD', columns)
    const after = action === 'delete' ? 'NULL' : rowJson('NEW', columns)
    const key = entityIdExpr(action === 'delete' ? 'OLD' : 'NEW', info)
    const name = quoteId(`coffer_audit_${table}_${action}`)
    // An update that changed none of the copied columns leaves no row: decided by the trigger's WHEN on
    // the columns, before any JSON is built. (A WHERE on the subquery's answer instead is pushed down
    // into the subquery by SQLite, which then builds the JSON and calls JavaScript twice a row.)
    const when = action === 'update' ? `\nWHEN ${columns.map((c) => `OLD.${quoteId(c)} IS NOT NEW.${quoteId(c)}`).join(' OR ')}` : ''
    // One call into JavaScript a row (coffer_audit: who, when, the hash), its answer taken apart by
    // SQLite. The call sits in a subquery with no FROM and no WHERE, which SQLite neither flattens nor
    // pushes a term into: it runs once (test/bench/guard.bench.ts counts the calls).
    return `CREATE TEMP TRIGGER IF NOT EXISTS ${name} AFTER ${action.toUpperCase()} ON main.${quoteId(table)}${when}
BEGIN
  INSERT INTO audit_log (at, operator_id, actor, channel, entity, entity_id, action, before, after, prev_hash, hash)
  SELECT v ->> 0, v ->> 1, v ->> 2, v ->> 3, ${quoteText(table)}, v ->> 4, '${action}', v ->> 5, v ->> 6, v ->> 7, v ->> 8
  FROM (SELECT coffer_audit(coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), ''), ${quoteText(table)}, ${key}, '${action}', ${before}, ${after}) AS v);
END`
  }
  return [make('insert'), make('update'), make('delete')]
}

/**
 * Makes every write on this connection leave its audit row. Call once per
 * connection, after migrations (the app's, a job thread's, the CLI's).
 */
export function installAuditTrail(sqlite: Sqlite, opts: AuditTrailOptions): void {
  // The triggers and the statement journals a write with triggers needs stay in memory, never in temp files.
  sqlite.pragma('temp_store = MEMORY')
  // (prev hash, table, key, action, before, after) → the row as a JSON array
  // [at, operator id, actor, channel, key, before, after, prev hash, hash].
  // The hot path of every write: no object built, one JSON for the hash and one for the answer.
  sqlite.function('coffer_audit', { deterministic: false }, (prev, entity, entityId, action, before, after) => {
    const { actor, channel } = currentScope()
    const at = opts.now().toISOString()
    const p = String(prev)
    const key = String(entityId)
    const b = before === null ? null : String(before)
    const a = after === null ? null : String(after)
    const h = hashContent(p, at, actor.operatorId, actor.name, channel, String(entity), key, String(action), b, a)
    return JSON.stringify([at, actor.operatorId, actor.name, channel, key, b, a, p, h])
  })
  const statements: string[] = []
  for (const table of auditedTables(sqlite)) {
    const info = sqlite.prepare(`PRAGMA main.table_info(${quoteId(table)})`).all() as TableInfo[]
    statements.push(...triggersFor(table, info))
  }
  sqlite.exec(statements.join(';\n'))
}

/** Drops this connection's audit triggers (benchmarks measure the write without them). */
export function removeAuditTrail(sqlite: Sqlite): void {
  const names = sqlite
    .prepare("SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'coffer_audit_%'")
    .pluck()
    .all() as string[]
  for (const n of names) sqlite.exec(`DROP TRIGGER temp.${quoteId(n)}`)
}

export interface ChainBreak {
  id: number
  reason: 'changed' | 'link' | 'order'
}

/** An audit_log row as SQLite answers it. */
export interface AuditRow {
  id: number
  at: string
  operator_id: number | null
  actor: string
  channel: string
  entity: string
  entity_id: string
  action: 'insert' | 'update' | 'delete'
  before: string | null
  after: string | null
  prev_hash: string
  hash: string
}

/**
 * Walks the chain from the first row: each row must link to the hash of the
 * row before it and hash to what it says. The first row that does not is
 * where the trail was changed (a row edited: `changed`; a row before it
 * deleted or edited with its hash recomputed: `link`).
 */
export function verifyChain(sqlite: Sqlite, onProgress?: (checked: number) => void): { checked: number; brokenAt: ChainBreak | null } {
  let prev = ''
  let lastId = 0
  let checked = 0
  for (const row of sqlite.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    if (row.id <= lastId) return { checked, brokenAt: { id: row.id, reason: 'order' } }
    if (row.prev_hash !== prev) return { checked, brokenAt: { id: row.id, reason: 'link' } }
    const expected = chainHash(row.prev_hash, {
      at: row.at,
      operatorId: row.operator_id,
      actor: row.actor,
      channel: row.channel,
      entity: row.entity,
      entityId: row.entity_id,
      action: row.action,
      before: row.before,
      after: row.after
    })
    if (expected !== row.hash) return { checked, brokenAt: { id: row.id, reason: 'changed' } }
    prev = row.hash
    lastId = row.id
    checked++
    if (onProgress && checked % 10_000 === 0) onProgress(checked)
  }
  return { checked, brokenAt: null }
}

/** The words for where the chain breaks. */
export function describeBreak(b: ChainBreak): string {
  switch (b.reason) {
    case 'changed':
      return `Audit row ${b.id} was changed after it was written: its content no longer matches its hash.`
    case 'link':
      return `Audit row ${b.id} does not follow the row before it: a row before it was deleted or changed.`
    case 'order':
      return `Audit row ${b.id} is out of order: rows were moved or re-inserted.`
  }
}
