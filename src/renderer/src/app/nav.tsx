import type { ReactNode } from 'react'
import type { Channel } from '../../../shared/contract'
import { IconBonds, IconInbox, IconJobs, IconMembers, IconOperators, IconPayments, IconSettings } from './icons'
import { IconAudit } from '../features/audit/IconAudit'
import { IconAccounts, IconJournal } from '../features/ledger/icons'
import { IconDashboard } from '../features/dashboard/IconDashboard'
import { IconRecurring } from '../features/recurring/IconRecurring'
import { IconPayroll } from '../features/payroll/IconPayroll'
import { IconOutbox } from '../features/mail/IconOutbox'
import { IconReports } from '../features/reports/IconReports'

export interface NavItem {
  /** Route path the item opens; it is "current" for this path and everything under it. */
  to: string
  label: string
  icon?: ReactNode
  /**
   * Shown only to an operator whose role may call at least one of these
   * channels (mayCall): the page's own list, or, for a page that is for
   * changing things (Settings), the channels that change them.
   */
  channels: readonly Channel[]
}

/**
 * The left navigation. One entry per area that exists; a new area (Bonds,
 * Payroll, Jobs...) adds its entry here and its routes in Shell.tsx.
 */
export const NAV_ITEMS: NavItem[] = [
  { to: '/dashboard', label: 'Dashboard', icon: <IconDashboard />, channels: ['ledger.dashboard'] },
  { to: '/members', label: 'Members', icon: <IconMembers />, channels: ['members.list'] },
  { to: '/bonds', label: 'Bonds', icon: <IconBonds />, channels: ['bonds.listSeries'] },
  { to: '/payments', label: 'Payments', icon: <IconPayments />, channels: ['payments.list'] },
  { to: '/accounts', label: 'Accounts', icon: <IconAccounts />, channels: ['ledger.accounts'] },
  { to: '/journal', label: 'Journal', icon: <IconJournal />, channels: ['ledger.journal'] },
  { to: '/recurring', label: 'Recurring', icon: <IconRecurring />, channels: ['recurring.templates'] },
  { to: '/payroll', label: 'Payroll', icon: <IconPayroll />, channels: ['payroll.periods'] },
  { to: '/reports', label: 'Reports', icon: <IconReports />, channels: ['reports.view'] },
  { to: '/jobs', label: 'Jobs', icon: <IconJobs />, channels: ['jobs.list'] },
  { to: '/notifications', label: 'Notifications', icon: <IconInbox />, channels: ['notifications.list'] },
  { to: '/outbox', label: 'Outbox', icon: <IconOutbox />, channels: ['mail.outbox'] },
  { to: '/audit', label: 'Audit', icon: <IconAudit />, channels: ['audit.list'] },
  { to: '/operators', label: 'Operators', icon: <IconOperators />, channels: ['operators.list'] },
  {
    to: '/settings',
    label: 'Settings',
    icon: <IconSettings />,
    channels: ['profile.save', 'security.save', 'bonds.saveSettings', 'recurring.saveSettings', 'payroll.saveSettings', 'mail.saveEmailSettings', 'mail.saveSmsSettings', 'mail.saveTemplate', 'reports.saveSettings', 'backups.restore', 'ledger.closePeriod']
  }
]
