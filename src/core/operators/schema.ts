import { sql } from 'drizzle-orm'
import { check, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { Role } from '../../shared/contract/operators'
import { enumValues } from '../platform/db/enum'

export const ROLE_VALUES = enumValues(Role)

/**
 * The people who use Coffer. Never deleted (their names stay on audit rows,
 * approvals and vouchers): deactivated instead. The password is a scrypt
 * hash with its own salt and parameters (passwords.ts), never the password.
 */
export const operators = sqliteTable(
  'operators',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Unique without regard to case: "Ada" and "ada" are one username. */
    username: text('username').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLE_VALUES }).notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** scrypt$N$r$p$salt$hash (base64); not copied into the audit trail. */
    passwordHash: text('password_hash').notNull(),
    passwordChangedAt: text('password_changed_at').notNull(),
    /** Set by an administrator's reset: the operator picks a new password at sign-in. */
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
    /** Wrong passwords in a row; reset by a good one. */
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: text('locked_until'),
    lastSignedInAt: text('last_signed_in_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    uniqueIndex('operators_username_unique').on(sql`${t.username} COLLATE NOCASE`),
    check('operators_failed_attempts', sql`${t.failedAttempts} >= 0`)
  ]
)
