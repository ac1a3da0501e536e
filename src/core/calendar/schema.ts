import { sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** The cooperative's holidays, for business-day adjustment of payment dates. */
export const holidays = sqliteTable('holidays', {
  date: text('date').primaryKey(),
  name: text('name').notNull()
})
