/**
 * A report's source: what a definition reads the book through (model.ts
 * ReportSource), built on any connection: the app's for the screen, a worker
 * thread's own for an export or a scheduled summary, a test's.
 *
 * The ledger service is constructed on the same connection (as the payroll
 * job does), so its summary-based reads see the same snapshot as the
 * definition's own queries inside the caller's read transaction.
 */
import { calendarDateInZone } from '../../shared/dates'
import type { Clock } from '../platform/clock'
import type { Db, Sqlite } from '../platform/db/open'
import type { ServiceContext } from '../platform/context'
import { conflict } from '../platform/errors'
import { LedgerService } from '../ledger'
import { cooperativeProfile } from '../profile'
import type { ReportProfile, ReportSource } from './model'

export interface SourceOptions {
  sqlite: Sqlite
  db: Db
  clock: Clock
  /** The cooperative's time zone (its "today"). */
  timeZone: string
  /** The cooperative's locale. */
  locale: string
}

/** The cooperative's profile as a report prints it, or null before it is set up. */
export function reportProfile(db: Db): ReportProfile | null {
  const p = db
    .select({
      name: cooperativeProfile.name,
      address: cooperativeProfile.address,
      phone: cooperativeProfile.phone,
      email: cooperativeProfile.email,
      registrationNo: cooperativeProfile.registrationNo,
      currency: cooperativeProfile.currency,
      locale: cooperativeProfile.locale,
      timeZone: cooperativeProfile.timeZone
    })
    .from(cooperativeProfile)
    .get()
  return p ?? null
}

/** The source a definition builds from; refuses (CONFLICT) before the cooperative's profile is set up. */
export function reportSource(o: SourceOptions): ReportSource {
  const profile = reportProfile(o.db)
  if (!profile) throw conflict("Set up the cooperative's profile first: reports are printed in its name and currency.")
  const svc: ServiceContext = { db: o.db, sqlite: o.sqlite, clock: o.clock, emit: () => {} }
  const ledger = new LedgerService(svc, { timeZone: () => o.timeZone, locale: () => o.locale, currency: () => profile.currency })
  const now = o.clock.now()
  return { sqlite: o.sqlite, db: o.db, ledger, profile, today: calendarDateInZone(now, o.timeZone), now }
}
