import type { Channel } from './index'
import type { Role } from './operators'

/**
 * Who may call what, declared once per channel. Core's dispatcher enforces
 * it (denying anything not declared); the renderer reads the same table to
 * hide what the signed-in operator may not do.
 *
 * - open: anyone, even before signing in (the status, signing in).
 * - setup: anyone while the book has no operator yet (the first launch);
 *   afterwards it needs `settings`.
 * - signedIn: any signed-in operator (their own password, the notifications).
 * - the rest: a role must hold it (ROLE_PERMISSIONS).
 */
export const PERMISSIONS = [
  'read',
  'export',
  'members.write',
  'holdings.write',
  'bonds.manage',
  'payments.prepare',
  'payments.approve',
  'payments.pay',
  'ledger.post',
  'ledger.manage',
  'jobs.operate',
  'payroll.read',
  'payroll.manage',
  'mail.read',
  'mail.manage',
  'settings',
  'operators'
] as const
export type RolePermission = (typeof PERMISSIONS)[number]
export type Permission = 'open' | 'setup' | 'signedIn' | RolePermission

export const ROLE_PERMISSIONS: Record<Role, readonly RolePermission[]> = {
  administrator: PERMISSIONS,
  treasurer: [
    'read',
    'export',
    'members.write',
    'holdings.write',
    'bonds.manage',
    'payments.prepare',
    'payments.approve',
    'payments.pay',
    'ledger.post',
    'ledger.manage',
    'jobs.operate',
    'payroll.read',
    'payroll.manage',
    'mail.read',
    'mail.manage'
  ],
  clerk: ['read', 'export', 'members.write', 'holdings.write', 'payments.prepare', 'ledger.post'],
  auditor: ['read', 'export', 'payroll.read', 'mail.read']
}

/** What each permission lets a person do, for "A clerk may not approve payments." */
export const PERMISSION_WORDS: Record<Permission, string> = {
  open: 'use Coffer',
  setup: 'change the cooperative’s settings',
  signedIn: 'use Coffer',
  read: 'see this',
  export: 'export this',
  'members.write': 'change members',
  'holdings.write': 'record bond purchases',
  'bonds.manage': 'manage bond series, redemptions and holidays',
  'payments.prepare': 'prepare payments or print vouchers',
  'payments.approve': 'approve payments',
  'payments.pay': 'pay, cancel or void payments',
  'ledger.post': 'post journal entries, deposits and share purchases',
  'ledger.manage': 'manage the chart of accounts, reverse entries or close months',
  'jobs.operate': 'run or cancel jobs',
  'payroll.read': 'see staff pay and payslips',
  'payroll.manage': 'manage staff, pay and payroll periods',
  'mail.read': 'see the outbox and its messages',
  'mail.manage': 'hold, retry, cancel or resend messages, or edit notice templates',
  settings: 'change settings',
  operators: 'manage operators'
}

export const ROLE_WORDS: Record<Role, string> = {
  administrator: 'Administrator',
  treasurer: 'Treasurer',
  clerk: 'Clerk',
  auditor: 'Auditor'
}

/** Whether a role holds a permission (open and signedIn: every role; setup: as settings once set up). */
export function roleCan(role: Role, permission: Permission): boolean {
  if (permission === 'open' || permission === 'signedIn') return true
  if (permission === 'setup') return ROLE_PERMISSIONS[role].includes('settings')
  return ROLE_PERMISSIONS[role].includes(permission)
}

/** Every channel's permission. A channel missing here does not compile. */
export const CHANNEL_PERMISSIONS = {
  'app.status': 'open',
  'app.systemDefaults': 'open',
  'app.restoreNewestBackup': 'open',
  'app.startEmpty': 'open',
  'app.openExternal': 'open',
  'app.showDataFolder': 'settings',
  'app.openFile': 'read',
  'auth.status': 'open',
  'auth.signIn': 'open',
  'auth.unlock': 'open',
  'auth.createAdministrator': 'setup',
  'auth.signOut': 'signedIn',
  'auth.lock': 'signedIn',
  'auth.touch': 'signedIn',
  'auth.changePassword': 'signedIn',
  'profile.get': 'open',
  'profile.save': 'setup',
  'notifications.list': 'signedIn',
  'notifications.unreadCount': 'signedIn',
  'notifications.markRead': 'signedIn',
  'notifications.markAllRead': 'signedIn',
  'backups.list': 'read',
  'backups.restore': 'settings',
  'encryption.status': 'read',
  'encryption.enable': 'settings',
  'encryption.disable': 'settings',
  'encryption.confirmRecoveryKey': 'settings',
  // Whoever holds the recovery key may open the file it encrypts (start-up, before anyone can sign in).
  'encryption.unlock': 'open',
  'members.list': 'read',
  'members.get': 'read',
  'members.suggestNumber': 'read',
  'members.create': 'members.write',
  'members.update': 'members.write',
  'members.setActive': 'members.write',
  'imports.preview': 'members.write',
  'imports.commit': 'members.write',
  'bonds.listSeries': 'read',
  'bonds.getSeries': 'read',
  'bonds.previewSchedule': 'read',
  'bonds.listHoldings': 'read',
  'bonds.accrued': 'read',
  'bonds.memberPortfolio': 'read',
  'bonds.maturities': 'read',
  'bonds.getSettings': 'read',
  'bonds.exportPortfolio': 'export',
  'bonds.buyHolding': 'holdings.write',
  'bonds.createSeries': 'bonds.manage',
  'bonds.setSeriesStatus': 'bonds.manage',
  'bonds.redeemHolding': 'bonds.manage',
  'bonds.saveSettings': 'settings',
  'holidays.list': 'read',
  'holidays.save': 'bonds.manage',
  'holidays.update': 'bonds.manage',
  'holidays.remove': 'bonds.manage',
  'payments.list': 'read',
  'payments.prepare': 'payments.prepare',
  'vouchers.pdf': 'payments.prepare',
  'vouchers.print': 'payments.prepare',
  'payments.approve': 'payments.approve',
  'payments.pay': 'payments.pay',
  'payments.cancel': 'payments.pay',
  'payments.void': 'payments.pay',
  'payments.reinstate': 'payments.pay',
  'jobs.list': 'read',
  'jobs.history': 'read',
  'jobs.getRun': 'read',
  'jobs.describeSchedule': 'read',
  'jobs.run': 'jobs.operate',
  'jobs.cancel': 'jobs.operate',
  'jobs.setEnabled': 'settings',
  'jobs.updateSchedule': 'settings',
  'operators.list': 'operators',
  'operators.create': 'operators',
  'operators.update': 'operators',
  'operators.setActive': 'operators',
  'operators.resetPassword': 'operators',
  'security.get': 'read',
  'security.save': 'settings',
  'audit.list': 'read',
  'audit.export': 'export',
  'audit.verify': 'read',
  'ledger.accounts': 'read',
  'ledger.memberAccounts': 'read',
  'ledger.entry': 'read',
  'ledger.journal': 'read',
  'ledger.statement': 'read',
  'ledger.trialBalance': 'read',
  'ledger.summaries': 'read',
  'ledger.checkSummaries': 'read',
  'ledger.rebuildSummaries': 'ledger.manage',
  'ledger.dashboard': 'read',
  'ledger.periods': 'read',
  'ledger.createAccount': 'ledger.manage',
  'ledger.updateAccount': 'ledger.manage',
  'ledger.setAccountActive': 'ledger.manage',
  'ledger.openMemberAccount': 'ledger.post',
  'ledger.post': 'ledger.post',
  'ledger.deposit': 'ledger.post',
  'ledger.buyShares': 'ledger.post',
  // Money out of the cooperative: as paying.
  'ledger.withdraw': 'payments.pay',
  'ledger.reverse': 'ledger.manage',
  'ledger.approveEntry': 'ledger.manage',
  'ledger.rejectEntry': 'ledger.manage',
  'ledger.closePeriod': 'ledger.manage',
  'ledger.reopenPeriod': 'ledger.manage',
  'recurring.templates': 'read',
  'recurring.template': 'read',
  'recurring.preview': 'read',
  'recurring.review': 'read',
  'recurring.forecast': 'read',
  'recurring.settings': 'read',
  // The society's own recurring entries post to the ledger by themselves: as managing the ledger.
  'recurring.createTemplate': 'ledger.manage',
  'recurring.updateTemplate': 'ledger.manage',
  'recurring.pauseTemplate': 'ledger.manage',
  'recurring.resumeTemplate': 'ledger.manage',
  'recurring.cancelTemplate': 'ledger.manage',
  'recurring.decide': 'ledger.manage',
  'recurring.reverseOccurrence': 'ledger.manage',
  'recurring.saveSettings': 'settings',
  'recurring.run': 'jobs.operate',
  'recurring.orders': 'read',
  'recurring.order': 'read',
  // A member's instruction, taken down at the counter: as posting for them.
  'recurring.createOrder': 'ledger.post',
  'recurring.updateOrder': 'ledger.post',
  'recurring.pauseOrder': 'ledger.post',
  'recurring.resumeOrder': 'ledger.post',
  'recurring.cancelOrder': 'ledger.post',
  // An order paying out of the society is a payment: a second pair of eyes.
  'recurring.approveOrder': 'payments.approve',
  'recurring.runOrders': 'jobs.operate',
  // Staff pay is confidential: clerks do not see it; auditors read it.
  'payroll.staffList': 'payroll.read',
  'payroll.staff': 'payroll.read',
  'payroll.components': 'payroll.read',
  'payroll.component': 'payroll.read',
  'payroll.calendars': 'payroll.read',
  'payroll.periods': 'payroll.read',
  'payroll.period': 'payroll.read',
  'payroll.register': 'payroll.read',
  'payroll.payslip': 'payroll.read',
  'payroll.statutory': 'payroll.read',
  'payroll.settings': 'payroll.read',
  'payroll.payslipsPdf': 'payroll.read',
  'payroll.exportRegister': 'payroll.read',
  'payroll.statutoryPdf': 'payroll.read',
  'payroll.createStaff': 'payroll.manage',
  'payroll.updateStaff': 'payroll.manage',
  'payroll.saveStructure': 'payroll.manage',
  'payroll.deleteStructure': 'payroll.manage',
  'payroll.createComponent': 'payroll.manage',
  'payroll.updateComponent': 'payroll.manage',
  'payroll.saveRate': 'payroll.manage',
  'payroll.deleteRate': 'payroll.manage',
  'payroll.setComponentActive': 'payroll.manage',
  'payroll.createCalendar': 'payroll.manage',
  'payroll.updateCalendar': 'payroll.manage',
  'payroll.setCalendarActive': 'payroll.manage',
  'payroll.createPeriod': 'payroll.manage',
  'payroll.updatePeriod': 'payroll.manage',
  'payroll.run': 'payroll.manage',
  // A second pair of eyes, as for payments; posting pays the staff.
  'payroll.approve': 'payments.approve',
  'payroll.unapprove': 'payments.approve',
  'payroll.post': 'payments.pay',
  'payroll.saveSettings': 'settings',
  // The outbox holds payslips and members' addresses: not a clerk's; auditors read it.
  'mail.outbox': 'mail.read',
  'mail.message': 'mail.read',
  'mail.queue': 'mail.read',
  'mail.saveAttachment': 'mail.read',
  'mail.templates': 'mail.read',
  'mail.previewTemplate': 'mail.read',
  'mail.emailSettings': 'mail.read',
  'mail.smsSettings': 'mail.read',
  'mail.hold': 'mail.manage',
  'mail.resume': 'mail.manage',
  'mail.retry': 'mail.manage',
  'mail.cancel': 'mail.manage',
  'mail.resend': 'mail.manage',
  'mail.saveTemplate': 'mail.manage',
  'mail.resetTemplate': 'mail.manage',
  'mail.saveEmailSettings': 'settings',
  'mail.testEmail': 'settings',
  'mail.saveSmsSettings': 'settings',
  'mail.testSms': 'settings',
  // A member's channels are part of their record.
  'mail.memberPrefs': 'read',
  'mail.saveMemberPrefs': 'members.write',
  // Reports: seeing one is reading (core also asks payroll.read for the payroll register); files are exports; emailing one sends the book's figures out.
  'reports.view': 'read',
  'reports.export': 'export',
  'reports.exportStatus': 'read',
  'reports.cancelExport': 'export',
  'reports.generated': 'read',
  'reports.file': 'read',
  'reports.email': 'mail.manage',
  'reports.settings': 'read',
  'reports.saveSettings': 'settings'
} as const satisfies { [C in Channel]: Permission }

/** The permission a channel needs; anything unknown needs what no role holds. */
export function channelPermission(channel: string): Permission | null {
  return Object.prototype.hasOwnProperty.call(CHANNEL_PERMISSIONS, channel)
    ? (CHANNEL_PERMISSIONS as Record<string, Permission>)[channel] ?? null
    : null
}

/** Permissions that only read: calling them is not "using" the window for the idle lock. */
export const READ_PERMISSIONS: readonly Permission[] = ['open', 'read', 'export']

/** Whether the operator with this role may call the channel (for the renderer to hide what it may not). */
export const mayCall = (role: Role | null | undefined, channel: Channel): boolean =>
  !!role && roleCan(role, CHANNEL_PERMISSIONS[channel])
