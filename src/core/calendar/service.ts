import { asc, eq } from 'drizzle-orm'
import type { ServiceContext } from '../platform/context'
import type { Sqlite } from '../platform/db/open'
import { holidays } from './schema'

export interface Holiday {
  date: string
  name: string
}

/** Every holiday date, for business-day adjustment (read on hot paths: plain SQL). */
export function loadHolidays(sqlite: Sqlite): Set<string> {
  return new Set(sqlite.prepare('SELECT date FROM holidays').pluck().all() as string[])
}

/** The cooperative's holiday list, which coupon schedules (and later payroll and standing orders) adjust around. */
export class CalendarService {
  constructor(private readonly ctx: ServiceContext) {}

  holidays(): Holiday[] {
    return this.ctx.db.select({ date: holidays.date, name: holidays.name }).from(holidays).orderBy(asc(holidays.date)).all()
  }

  saveHoliday(date: string, name: string): Holiday[] {
    this.ctx.db
      .insert(holidays)
      .values({ date, name })
      .onConflictDoUpdate({ target: holidays.date, set: { name } })
      .run()
    return this.holidays()
  }

  removeHoliday(date: string): Holiday[] {
    this.ctx.db.delete(holidays).where(eq(holidays.date, date)).run()
    return this.holidays()
  }

  /** The holiday dates as a set. */
  holidaySet(): Set<string> {
    return loadHolidays(this.ctx.sqlite)
  }
}
