/**
 * The cooperative's calendar: holidays and business-day adjustment, shared
 * by bond coupon schedules and (later) payroll and standing orders.
 */
import { defineModule } from '../platform/module'
import { CalendarService } from './service'

export { holidays } from './schema'
export { CalendarService, loadHolidays, type Holiday } from './service'
export * from './holidays'

declare module '../platform/module' {
  interface Areas {
    calendar: CalendarService
  }
}

export const calendarModule = defineModule({
  name: 'calendar',
  prefixes: ['holidays'],
  create: (env) => new CalendarService(env.ctx, () => env.areas.profile.get()?.locale ?? 'en'),
  handlers: (calendar) => ({
    'holidays.list': () => calendar().holidays(),
    'holidays.save': ({ date, name }) => calendar().saveHoliday(date, name),
    'holidays.update': ({ date, name }) => calendar().updateHoliday(date, name),
    'holidays.remove': ({ date }) => calendar().removeHoliday(date)
  })
})
