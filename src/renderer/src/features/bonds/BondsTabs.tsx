import { NavLink } from 'react-router-dom'

const TABS = [
  { to: '/bonds', label: 'Series', end: true },
  { to: '/bonds/holdings', label: 'Holdings', end: false },
  { to: '/bonds/maturities', label: 'Maturities', end: false },
  { to: '/bonds/holidays', label: 'Holidays', end: false }
]

/** The Bonds area's views, under its page header. */
export function BondsTabs() {
  return (
    <nav className="tabs" aria-label="Bonds">
      {TABS.map((t) => (
        <NavLink
          key={t.to}
          to={t.to}
          end={t.end}
          className={({ isActive }) => (isActive ? 'tab is-current' : 'tab')}
        >
          {t.label}
        </NavLink>
      ))}
    </nav>
  )
}
