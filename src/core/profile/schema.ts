import { sql } from 'drizzle-orm'
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** The cooperative's profile: exactly one row, id = 1. */
export const cooperativeProfile = sqliteTable(
  'cooperative_profile',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    address: text('address'),
    phone: text('phone'),
    email: text('email'),
    registrationNo: text('registration_no'),
    /** ISO 4217 code; its minor units drive all money formatting. */
    currency: text('currency').notNull(),
    timeZone: text('time_zone').notNull(),
    locale: text('locale').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull()
  },
  (t) => [check('cooperative_profile_single_row', sql`${t.id} = 1`)]
)
