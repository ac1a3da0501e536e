import type { CoreHandlers } from './dispatcher'
import type { AppStatus, Backup, SystemDefaults } from '../../shared/contract'
import type { ProfileService } from '../services/profile'
import type { MembersService } from '../services/members'
import type { NotificationsService } from '../services/notifications'
import type { JobEngine } from '../jobs/engine'
import type { BondsService } from '../services/bonds'

export interface HandlerDeps {
  status: () => AppStatus
  systemDefaults: () => SystemDefaults
  /** Services are reached through getters: a restore swaps them for new ones. */
  profile: () => ProfileService
  members: () => MembersService
  notifications: () => NotificationsService
  jobs: () => JobEngine
  bonds: () => BondsService
  exportPortfolio: (memberId: number) => Promise<{ file: string }>
  voucherPdf: (paymentIds: number[]) => Promise<{ file: string; vouchers: number; copies: number }>
  backups: {
    list: () => { folder: string; backups: Backup[] }
    restore: (name: string) => Promise<{ restored: string; keptAside: string }>
  }
  profileSaved: () => void
}

/** One thin handler per core channel: the input is already validated; the service does the work. */
export function coreHandlers(d: HandlerDeps): CoreHandlers {
  return {
    'app.status': () => d.status(),
    'app.systemDefaults': () => d.systemDefaults(),
    'profile.get': () => d.profile().get(),
    'profile.save': (input) => {
      const saved = d.profile().save(input)
      d.profileSaved()
      return saved
    },
    'members.list': (q) => d.members().list(q),
    'members.get': ({ id }) => d.members().get(id),
    'members.create': (values) => d.members().create(values),
    'members.update': ({ id, expectedVersion, values }) => d.members().update(id, expectedVersion, values),
    'members.setActive': ({ id, active, expectedVersion, reason }) =>
      d.members().setActive(id, active, expectedVersion, reason),
    'members.suggestNumber': () => d.members().suggestNumber(),
    'jobs.list': () => d.jobs().list(),
    'jobs.history': (q) => d.jobs().history(q),
    'jobs.getRun': ({ runId }) => d.jobs().getRun(runId),
    'jobs.run': ({ jobId, force }) => d.jobs().start(jobId, { trigger: 'manual', force }).run,
    'jobs.cancel': ({ runId }) => d.jobs().cancel(runId),
    'jobs.setEnabled': ({ jobId, enabled }) => d.jobs().setEnabled(jobId, enabled),
    'jobs.updateSchedule': ({ jobId, cron }) => d.jobs().updateSchedule(jobId, cron),
    'jobs.describeSchedule': ({ cron }) => d.jobs().describe(cron),
    'notifications.list': (q) => d.notifications().list(q),
    'notifications.unreadCount': () => ({ unread: d.notifications().unreadCount() }),
    'notifications.markRead': ({ id }) => d.notifications().markRead(id),
    'notifications.markAllRead': () => d.notifications().markAllRead(),
    'backups.list': () => d.backups.list(),
    'backups.restore': ({ name }) => d.backups.restore(name),
    'bonds.listSeries': () => d.bonds().listSeries(),
    'bonds.getSeries': ({ id }) => d.bonds().getSeries(id),
    'bonds.createSeries': (v) => d.bonds().createSeries(v),
    'bonds.previewSchedule': (v) => d.bonds().preview(v),
    'bonds.buyHolding': ({ memberId, seriesId, units, purchaseDate }) => d.bonds().buy(memberId, seriesId, units, purchaseDate),
    'bonds.redeemHolding': ({ id, expectedVersion, redeemedOn }) => d.bonds().redeem(id, expectedVersion, redeemedOn),
    'bonds.listHoldings': (q) => d.bonds().listHoldings(q),
    'bonds.accrued': ({ holdingId, asOf }) => d.bonds().accrued(holdingId, asOf),
    'payments.list': (q) => d.bonds().listPayments(q),
    'payments.approve': ({ ids, approvedBy }) => d.bonds().approve(ids, approvedBy),
    'payments.pay': ({ ids, paidOn, method, reference }) => d.bonds().pay(ids, paidOn, method, reference),
    'payments.cancel': ({ id, reason }) => d.bonds().cancel(id, reason),
    'bonds.memberPortfolio': ({ memberId }) => d.bonds().memberPortfolio(memberId),
    'bonds.exportPortfolio': ({ memberId }) => d.exportPortfolio(memberId),
    'bonds.maturities': ({ withinDays }) => d.bonds().maturities(withinDays),
    'bonds.getSettings': () => d.bonds().settings(),
    'bonds.saveSettings': (v) => d.bonds().saveSettings(v),
    'bonds.setSeriesStatus': ({ id, status }) => d.bonds().setSeriesStatus(id, status),
    'holidays.list': () => d.bonds().holidays(),
    'holidays.save': ({ date, name }) => d.bonds().saveHoliday(date, name),
    'holidays.remove': ({ date }) => d.bonds().removeHoliday(date),
    'vouchers.pdf': ({ paymentIds }) => d.voucherPdf(paymentIds)
  }
}
