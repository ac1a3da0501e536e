import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * The audit trail: one row per row written (insert, update, delete) in any
 * business table, with who, when, through which channel, and the row before
 * and after. Written by per-connection triggers in the same transaction as
 * the write (trail.ts). Append-only (triggers made by migration refuse UPDATE
 * and DELETE), and hash-chained: each row's hash covers its content and the
 * hash of the row before, so a change or deletion made outside the app
 * breaks the chain at that row (`coffer audit verify`, the integrity job).
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    /** The operator (operators.id), or null for the system. */
    operatorId: integer('operator_id'),
    /** The operator's name when written, or "System". */
    actor: text('actor').notNull(),
    /** The channel (members.update) or the job (job:coupons). */
    channel: text('channel').notNull(),
    /** The table. */
    entity: text('entity').notNull(),
    /** The row's primary key, as text. */
    entityId: text('entity_id').notNull(),
    action: text('action', { enum: ['insert', 'update', 'delete'] }).notNull(),
    /** JSON of the row before (null for an insert) and after (null for a delete). */
    before: text('before'),
    after: text('after'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull()
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_entity_idx').on(t.entity, t.entityId)]
)
