import type { ReactNode } from 'react'
import { IconBonds, IconInbox, IconJobs, IconMembers, IconPayments, IconSettings } from './icons'

export interface NavItem {
  /** Route path the item opens; it is "current" for this path and everything under it. */
  to: string
  label: string
  icon?: ReactNode
}

/**
 * The left navigation. One entry per area that exists; a new area (Bonds,
 * Payroll, Jobs...) adds its entry here and its routes in Shell.tsx.
 */
export const NAV_ITEMS: NavItem[] = [
  { to: '/members', label: 'Members', icon: <IconMembers /> },
  { to: '/bonds', label: 'Bonds', icon: <IconBonds /> },
  { to: '/payments', label: 'Payments', icon: <IconPayments /> },
  { to: '/jobs', label: 'Jobs', icon: <IconJobs /> },
  { to: '/notifications', label: 'Notifications', icon: <IconInbox /> },
  { to: '/settings', label: 'Settings', icon: <IconSettings /> }
]
