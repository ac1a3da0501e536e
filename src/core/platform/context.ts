import type { Clock } from './clock'
import type { Db, Sqlite } from './db/open'
import type { EventName, EventPayload } from '../../shared/contract'

/** What every service is built with: the database, the clock, and a way to announce changes. */
export interface ServiceContext {
  db: Db
  sqlite: Sqlite
  clock: Clock
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
}

/** The current instant as the UTC ISO text stored in the database. */
export const nowIso = (ctx: Pick<ServiceContext, 'clock'>): string => ctx.clock.now().toISOString()
