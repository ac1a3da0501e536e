/**
 * Recurring entries and members' standing orders: templates and orders,
 * one occurrence row per (owner, scheduled date), the two jobs that
 * generate and post them, the To review list, the forecast.
 */
import { conflict } from '../platform/errors'
import { defineModule, type ModuleEnv } from '../platform/module'
import { RecurringService } from './service'
import { recurringJob, standingOrdersJob } from './jobs'
import type { RunReport } from '../../shared/contract/recurring'
import { calendarDateInZone } from '../../shared/dates'

export { recurringTemplates, recurringTemplateLines, standingOrders, recurringOccurrences } from './schema'
export { RecurringService, readRecurringSettings } from './service'
export { RecurringRunner } from './run'
export { recurringJob, standingOrdersJob }

declare module '../platform/module' {
  interface Areas {
    recurring: RecurringService
  }
}

/** A real run goes through the job engine (its lease keeps the app and the command line apart); a dry run is done and rolled back here. */
async function run(env: ModuleEnv, service: RecurringService, kind: 'templates' | 'orders', dryRun: boolean): Promise<RunReport> {
  if (dryRun) return service.dryRun(kind)
  const jobId = kind === 'templates' ? 'recurring' : 'standing-orders'
  const started = env.jobs().start(jobId, { trigger: env.processKind === 'cli' ? 'cli' : 'manual' })
  const ended = await started.done
  if (ended.status !== 'succeeded') throw conflict(`The run ended ${ended.status}: ${ended.error ?? 'see the run history'}.`)
  return service.runReport(kind, ended.id, calendarDateInZone(new Date(ended.startedAt), env.timeZone()))
}

export const recurringModule = defineModule({
  name: 'recurring',
  prefixes: ['recurring'],
  jobs: [recurringJob, standingOrdersJob],
  create: (env) =>
    new RecurringService(env.ctx, {
      timeZone: env.timeZone,
      locale: env.locale,
      currency: () => {
        const profile = env.areas.profile.get()
        if (!profile) throw conflict("Set up the cooperative's profile first: amounts are in its currency.")
        return profile.currency
      },
      ledger: () => env.areas.ledger,
      payments: () => env.areas.payments,
      makerChecker: () => env.areas.operators.makerChecker('payments')
    }),
  handlers: (service, env) => ({
    'recurring.templates': ({ status }) => ({ templates: service().templates(status) }),
    'recurring.template': ({ id }) => service().template(id),
    'recurring.createTemplate': (v) => service().createTemplate(v),
    'recurring.updateTemplate': (v) => service().updateTemplate(v),
    'recurring.pauseTemplate': ({ id, expectedVersion, reason }) => service().pauseTemplate(id, expectedVersion, reason),
    'recurring.resumeTemplate': ({ id, expectedVersion, reason }) => service().resumeTemplate(id, expectedVersion, reason),
    'recurring.cancelTemplate': ({ id, expectedVersion, reason }) => service().cancelTemplate(id, expectedVersion, reason),
    'recurring.preview': (v) => service().preview(v),
    'recurring.review': () => ({ items: service().review() }),
    'recurring.decide': (v) => service().decide(v),
    'recurring.reverseOccurrence': ({ id, reason }) => service().reverseOccurrence(id, reason),
    'recurring.forecast': ({ days }) => service().forecast(days as 30 | 60 | 90),
    'recurring.run': ({ dryRun }) => run(env, service(), 'templates', dryRun),
    'recurring.settings': () => service().settings(),
    'recurring.saveSettings': (v) => service().saveSettings(v),
    'recurring.orders': (q) => ({ orders: service().orders(q) }),
    'recurring.order': ({ id }) => service().order(id),
    'recurring.createOrder': (v) => service().createOrder(v),
    'recurring.updateOrder': (v) => service().updateOrder(v),
    'recurring.approveOrder': ({ id, expectedVersion }) => service().approveOrder(id, expectedVersion),
    'recurring.pauseOrder': ({ id, expectedVersion, reason }) => service().pauseOrder(id, expectedVersion, reason),
    'recurring.resumeOrder': ({ id, expectedVersion, reason }) => service().resumeOrder(id, expectedVersion, reason),
    'recurring.cancelOrder': ({ id, expectedVersion, reason }) => service().cancelOrder(id, expectedVersion, reason),
    'recurring.runOrders': ({ dryRun }) => run(env, service(), 'orders', dryRun)
  })
})
