import { NavLink, useLocation } from 'react-router-dom'
import './payroll.css'

const TABS = [
  { to: '/payroll', label: 'Periods', end: true },
  { to: '/payroll/staff', label: 'Staff', end: false },
  { to: '/payroll/components', label: 'Components', end: false },
  { to: '/payroll/calendars', label: 'Calendars', end: false }
]

/**
 * The Payroll area's views, under its page header. "Periods" is also current
 * on a period's own page (/payroll/periods/:id), which is reached from it.
 */
export function PayrollTabs() {
  const { pathname } = useLocation()
  const inPeriod = pathname.startsWith('/payroll/periods')
  return (
    <nav className="tabs" aria-label="Payroll">
      {TABS.map((t) => (
        <NavLink
          key={t.to}
          to={t.to}
          end={t.end}
          className={({ isActive }) => (isActive || (t.to === '/payroll' && inPeriod) ? 'tab is-current' : 'tab')}
        >
          {t.label}
        </NavLink>
      ))}
    </nav>
  )
}
