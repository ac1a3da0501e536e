import { useQuery } from '@tanstack/react-query'
import { NavLink } from 'react-router-dom'
import { call } from '../../platform/api'
import { fmtCount } from '../../platform/format'
import { useProfile } from '../profile/ProfileContext'
import { recurringKeys } from './queries'
import './recurring.css'

const TABS = [
  { to: '/recurring', label: 'Recurring entries', end: true },
  { to: '/recurring/standing-orders', label: 'Standing orders', end: false },
  { to: '/recurring/review', label: 'To review', end: false },
  { to: '/recurring/forecast', label: 'Forecast', end: false }
]

/**
 * The Recurring area's views, under its page header. "To review" carries the
 * number of occurrences waiting for the treasurer (the same list the To
 * review page shows, so both refresh together).
 */
export function RecurringTabs() {
  const { profile } = useProfile()
  const review = useQuery({ queryKey: recurringKeys.review(), queryFn: () => call('recurring.review', {}) })
  const waiting = review.data?.items.length ?? 0
  return (
    <nav className="tabs" aria-label="Recurring">
      {TABS.map((t) => (
        <NavLink
          key={t.to}
          to={t.to}
          end={t.end}
          className={({ isActive }) => (isActive ? 'tab is-current' : 'tab')}
        >
          {t.label}
          {t.to === '/recurring/review' && waiting > 0 ? (
            <span className="tab-count" data-testid="review-count" aria-label={`${fmtCount(waiting, profile.locale)} waiting`}>
              {waiting > 999 ? '999+' : fmtCount(waiting, profile.locale)}
            </span>
          ) : null}
        </NavLink>
      ))}
    </nav>
  )
}
