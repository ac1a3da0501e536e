import { sqliteTable, text } from 'drizzle-orm/sqlite-core'
import type { Sqlite } from './db/open'

/** Small settings that are not the profile: the voucher number pattern, the maturity notice window. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull()
})

/** One setting's text, or null when it was never set. */
export function readSetting(sqlite: Sqlite, key: string): string | null {
  return (sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined) ?? null
}

/** Writes settings in one IMMEDIATE transaction. */
export function writeSettings(sqlite: Sqlite, values: Record<string, string>): void {
  const put = sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
  sqlite
    .transaction(() => {
      for (const [k, v] of Object.entries(values)) put.run(k, v)
    })
    .immediate()
}
