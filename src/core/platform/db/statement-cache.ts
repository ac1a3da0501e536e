import type Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'

/**
 * Drizzle prepares a new SQLite statement for every query it runs. On a
 * connection with the audit trail, preparing a write also compiles the
 * table's audit triggers into it, so a write through the contract spent as
 * long preparing as running. `drizzleCached` hands drizzle a view of the
 * connection whose `prepare` keeps the statements it made, by SQL text, and
 * gives them back ready to use again.
 *
 * A statement given back is never one still being stepped (`busy`: an
 * `iterate()` in progress; a fresh one is prepared instead), and a reader is
 * put back in object mode (drizzle switches statements to `raw()` where it
 * maps columns itself, and calls the plain `get`/`all` where it does not;
 * `raw` is a statement's lasting mode in better-sqlite3). The cache keeps
 * at most `max` statements, dropping the least recently used (a statement
 * is freed with its connection or when it is collected).
 */
export function cachedPrepare(sqlite: Database.Database, max = 500): Database.Database {
  const cache = new Map<string, Database.Statement>()
  const prepare = (source: string): Database.Statement => {
    const hit = cache.get(source)
    if (hit && !hit.busy) {
      // Most recently used last (Map keeps insertion order).
      cache.delete(source)
      cache.set(source, hit)
      if (hit.reader) hit.raw(false)
      return hit
    }
    const stmt = sqlite.prepare(source)
    if (!hit) {
      cache.set(source, stmt)
      if (cache.size > max) cache.delete(cache.keys().next().value as string)
    }
    return stmt
  }
  return new Proxy(sqlite, {
    get(target, prop) {
      if (prop === 'prepare') return prepare
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    }
  })
}

/** Drizzle over the connection, with its statements kept (`cachedPrepare`). */
export function drizzleCached(sqlite: Database.Database): BetterSQLite3Database {
  return drizzle(cachedPrepare(sqlite))
}
