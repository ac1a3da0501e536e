import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { MemberEventKind } from '../../shared/contract/members'
import { enumValues } from '../platform/db/enum'

export const members = sqliteTable(
  'members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Unique regardless of case: "m-001" and "M-001" are the same member number. */
    memberNo: text('member_no').notNull(),
    fullName: text('full_name').notNull(),
    /**
     * The name's sort key in the cooperative's locale (./sort-key.ts): its
     * binary order is the locale's order. Kept by MembersService on every
     * write; '' until filled (rows from before this column, or seeded).
     */
    sortName: text('sort_name').notNull().default(''),
    email: text('email'),
    phone: text('phone'),
    address: text('address'),
    nationalId: text('national_id'),
    /** Calendar date YYYY-MM-DD. */
    joinedOn: text('joined_on').notNull(),
    notes: text('notes'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** UTC instant. */
    deactivatedAt: text('deactivated_at'),
    deactivationReason: text('deactivation_reason'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1)
  },
  (t) => [
    uniqueIndex('members_member_no_unique').on(sql`${t.memberNo} COLLATE NOCASE`),
    index('members_sort_name_idx').on(t.sortName, t.id),
    index('members_active_sort_name_idx').on(t.active, t.sortName, t.id),
    index('members_email_idx').on(sql`${t.email} COLLATE NOCASE`),
    index('members_joined_on_idx').on(t.joinedOn, t.id),
    check('members_active_bool', sql`${t.active} IN (0, 1)`),
    check('members_joined_on_date', sql`${t.joinedOn} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`)
  ]
)

/** The member's audit trail: who changed what, when. Never edited. */
export const memberEvents = sqliteTable(
  'member_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    at: text('at').notNull(),
    kind: text('kind', { enum: enumValues(MemberEventKind) }).notNull(),
    /** JSON: { field: { from, to } } for updates. */
    changes: text('changes'),
    reason: text('reason')
  },
  (t) => [index('member_events_member_idx').on(t.memberId, t.id)]
)
