import { asc, eq } from 'drizzle-orm'
import { formatCalendarDate } from '../../shared/dates'
import type { ServiceContext } from '../platform/context'
import { conflict, notFound } from '../platform/errors'
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
  constructor(
    private readonly ctx: ServiceContext,
    /** The cooperative's locale, for dates in messages. */
    private readonly locale: () => string = () => 'en'
  ) {}

  holidays(): Holiday[] {
    return this.ctx.db.select({ date: holidays.date, name: holidays.name }).from(holidays).orderBy(asc(holidays.date)).all()
  }

  /** Adds a holiday. A date that already has one is refused, never overwritten: that one is edited explicitly (updateHoliday). */
  saveHoliday(date: string, name: string): Holiday[] {
    const added = this.ctx.db.insert(holidays).values({ date, name }).onConflictDoNothing({ target: holidays.date }).run().changes
    if (added !== 1) {
      const existing = this.ctx.db.select({ name: holidays.name }).from(holidays).where(eq(holidays.date, date)).get()
      const day = formatCalendarDate(date, this.locale())
      const what = existing ? `${day} is already a holiday: ${existing.name}` : `${day} is already a holiday`
      throw conflict(`${what}. Nothing was added; edit that holiday to change its name.`, { date: `${what}. Edit it instead.` })
    }
    return this.holidays()
  }

  /** Renames the holiday on a date. */
  updateHoliday(date: string, name: string): Holiday[] {
    const changed = this.ctx.db.update(holidays).set({ name }).where(eq(holidays.date, date)).run().changes
    if (changed !== 1) throw notFound(`The holiday on ${formatCalendarDate(date, this.locale())}`)
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
