import { NavLink, Navigate, Route, Routes } from 'react-router-dom'
import { useProfile } from '../features/profile/ProfileContext'
import { MembersListPage } from '../features/members/MembersListPage'
import { MemberFormPage } from '../features/members/MemberFormPage'
import { MemberDetailPage } from '../features/members/MemberDetailPage'
import { SettingsPage } from '../features/settings/SettingsPage'
import { JobsPage } from '../features/jobs/JobsPage'
import { RunDetailPage } from '../features/jobs/RunDetailPage'
import { NotificationBell } from '../features/notifications/NotificationBell'
import { NotificationsPage } from '../features/notifications/NotificationsPage'
import { SeriesListPage } from '../features/bonds/SeriesListPage'
import { SeriesFormPage } from '../features/bonds/SeriesFormPage'
import { SeriesDetailPage } from '../features/bonds/SeriesDetailPage'
import { MaturitiesPage } from '../features/bonds/MaturitiesPage'
import { HolidaysPage } from '../features/bonds/HolidaysPage'
import { HoldingsPage } from '../features/bonds/HoldingsPage'
import { PaymentsPage } from '../features/payments/PaymentsPage'
import { ImportPage } from '../features/imports/ImportPage'
import { NotFoundPage } from './NotFoundPage'
import { NAV_ITEMS } from './nav'
import { IconCoffer } from './icons'
import { useFocusRescue } from '../ui/focus'

/** The app frame: navigation on the left, the cooperative's name on top, the page in the middle. */
export function Shell({ version }: { version?: string }) {
  const { profile } = useProfile()
  // Focus taken away with what had it (a button gone after its action) goes to the page's heading, never the body.
  useFocusRescue()
  return (
    <div className="shell">
        <a className="skip-link" href="#main" onClick={skipToMain}>
          Skip to content
        </a>
        <header className="shell-header">
          <div className="shell-brand">
            <IconCoffer />
            <span className="shell-brand-name">Coffer</span>
          </div>
          <div className="shell-coop" title={profile.name}>
            <span className="shell-coop-name" data-testid="coop-name">
              {profile.name}
            </span>
          </div>
          <div className="shell-header-tools">
            <NotificationBell />
          </div>
        </header>
        <nav className="shell-nav" aria-label="Main">
          <ul>
            {NAV_ITEMS.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
                  {item.icon ? <span className="nav-icon">{item.icon}</span> : null}
                  <span>{item.label}</span>
                </NavLink>
              </li>
            ))}
          </ul>
          {version ? <p className="shell-version">Coffer {version}</p> : null}
        </nav>
        <main className="shell-main" id="main" tabIndex={-1}>
          <Routes>
            <Route index element={<Navigate to="/members" replace />} />
            <Route path="members" element={<MembersListPage />} />
            <Route path="members/new" element={<MemberFormPage mode="new" />} />
            <Route path="members/import" element={<ImportPage kind="members" />} />
            <Route path="members/:id" element={<MemberDetailPage />} />
            <Route path="members/:id/edit" element={<MemberFormPage mode="edit" />} />
            <Route path="bonds" element={<SeriesListPage />} />
            <Route path="bonds/new" element={<SeriesFormPage />} />
            <Route path="bonds/maturities" element={<MaturitiesPage />} />
            <Route path="bonds/holidays" element={<HolidaysPage />} />
            <Route path="bonds/holdings" element={<HoldingsPage />} />
            <Route path="bonds/holdings/import" element={<ImportPage kind="holdings" />} />
            <Route path="bonds/:id" element={<SeriesDetailPage />} />
            <Route path="payments" element={<PaymentsPage />} />
            <Route path="jobs" element={<JobsPage />} />
            <Route path="jobs/runs/:id" element={<RunDetailPage />} />
            <Route path="notifications" element={<NotificationsPage />} />
            <Route path="settings" element={<SettingsPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </main>
    </div>
  )
}

// With a HashRouter, href="#main" would be read as a route: move focus by hand instead.
function skipToMain(e: React.MouseEvent) {
  e.preventDefault()
  document.getElementById('main')?.focus()
}
