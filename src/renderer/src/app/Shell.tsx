import { NavLink, Navigate, Route, Routes } from 'react-router-dom'
import { useProfile } from '../features/profile/ProfileContext'
import { MembersListPage } from '../features/members/MembersListPage'
import { MemberFormPage } from '../features/members/MemberFormPage'
import { MemberDetailPage } from '../features/members/MemberDetailPage'
import { SettingsPage } from '../features/settings/SettingsPage'
import { NoticeTemplatesPage } from '../features/mail/TemplatesPage'
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
import { OperatorsPage } from '../features/operators/OperatorsPage'
import { AuditPage } from '../features/audit/AuditPage'
import { TrialBalancePage } from '../features/ledger/TrialBalancePage'
import { AccountsPage } from '../features/ledger/AccountsPage'
import { StatementPage } from '../features/ledger/StatementPage'
import { JournalPage } from '../features/ledger/JournalPage'
import { JournalEntryFormPage } from '../features/ledger/JournalEntryFormPage'
import { DashboardPage } from '../features/dashboard/DashboardPage'
import { TemplatesPage } from '../features/recurring/TemplatesPage'
import { TemplateFormPage } from '../features/recurring/TemplateFormPage'
import { TemplateDetailPage } from '../features/recurring/TemplateDetailPage'
import { StandingOrdersPage } from '../features/recurring/orders/StandingOrdersPage'
import { StandingOrderPage } from '../features/recurring/orders/StandingOrderPage'
import { StandingOrderFormPage } from '../features/recurring/orders/StandingOrderFormPage'
import { OperatorMenu } from '../features/auth/OperatorMenu'
import { Allowed } from '../features/auth/Allowed'
import { useCanCall } from '../features/auth/useCan'
import { NotFoundPage } from './NotFoundPage'
import { ReviewPage } from '../features/recurring/review/ReviewPage'
import { ForecastPage } from '../features/recurring/review/ForecastPage'
import { PeriodsPage } from '../features/payroll/PeriodsPage'
import { PeriodFormPage } from '../features/payroll/PeriodFormPage'
import { PeriodPage } from '../features/payroll/PeriodPage'
import { CalendarsPage } from '../features/payroll/CalendarsPage'
import { CalendarFormPage } from '../features/payroll/CalendarFormPage'
import { StaffListPage } from '../features/payroll/StaffListPage'
import { StaffFormPage } from '../features/payroll/StaffFormPage'
import { StaffDetailPage } from '../features/payroll/StaffDetailPage'
import { ComponentsPage } from '../features/payroll/ComponentsPage'
import { ComponentFormPage } from '../features/payroll/ComponentFormPage'
import { ComponentDetailPage } from '../features/payroll/ComponentDetailPage'
import { OutboxPage } from '../features/mail/OutboxPage'
import { MessagePage } from '../features/mail/MessagePage'
import { ReportsPage } from '../features/reports/ReportsPage'
import { GeneratedReportsPage } from '../features/reports/GeneratedReportsPage'
import { NAV_ITEMS } from './nav'
import { IconCoffer } from './icons'
import { useFocusRescue } from '../ui/focus'

/** The app frame: navigation on the left, the cooperative's name on top, the page in the middle. */
export function Shell({ version }: { version?: string }) {
  const { profile } = useProfile()
  const can = useCanCall()
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
            <OperatorMenu />
          </div>
        </header>
        <nav className="shell-nav" aria-label="Main">
          <ul>
            {NAV_ITEMS.filter((item) => item.channels.some(can)).map((item) => (
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
            <Route index element={<Navigate to="/dashboard" replace />} />
            <Route path="dashboard" element={<DashboardPage />} />
            <Route path="members" element={<MembersListPage />} />
            <Route path="members/new" element={<Allowed channel="members.create"><MemberFormPage mode="new" /></Allowed>} />
            <Route path="members/import" element={<Allowed channel="imports.commit"><ImportPage kind="members" /></Allowed>} />
            <Route path="members/:id" element={<MemberDetailPage />} />
            <Route path="members/:id/edit" element={<Allowed channel="members.update"><MemberFormPage mode="edit" /></Allowed>} />
            <Route path="members/:id/standing-orders/new" element={<Allowed channel="recurring.createOrder"><StandingOrderFormPage mode="new" /></Allowed>} />
            <Route path="bonds" element={<SeriesListPage />} />
            <Route path="bonds/new" element={<Allowed channel="bonds.createSeries"><SeriesFormPage /></Allowed>} />
            <Route path="bonds/maturities" element={<MaturitiesPage />} />
            <Route path="bonds/holidays" element={<HolidaysPage />} />
            <Route path="bonds/holdings" element={<HoldingsPage />} />
            <Route path="bonds/holdings/import" element={<Allowed channel="imports.commit"><ImportPage kind="holdings" /></Allowed>} />
            <Route path="bonds/:id" element={<SeriesDetailPage />} />
            <Route path="payments" element={<PaymentsPage />} />
            <Route path="accounts" element={<AccountsPage />} />
            <Route path="accounts/trial-balance" element={<TrialBalancePage />} />
            <Route path="accounts/:id/statement" element={<StatementPage kind="account" />} />
            <Route path="member-accounts/:id/statement" element={<StatementPage kind="member-account" />} />
            <Route path="journal" element={<JournalPage />} />
            <Route path="journal/new" element={<Allowed channel="ledger.post"><JournalEntryFormPage /></Allowed>} />
            <Route path="recurring" element={<TemplatesPage />} />
            <Route path="recurring/new" element={<Allowed channel="recurring.createTemplate"><TemplateFormPage mode="new" /></Allowed>} />
            <Route path="recurring/:id" element={<TemplateDetailPage />} />
            <Route path="recurring/:id/edit" element={<Allowed channel="recurring.updateTemplate"><TemplateFormPage mode="edit" /></Allowed>} />
            <Route path="recurring/standing-orders" element={<StandingOrdersPage />} />
            <Route path="recurring/standing-orders/:id" element={<StandingOrderPage />} />
            <Route path="recurring/standing-orders/:id/edit" element={<Allowed channel="recurring.updateOrder"><StandingOrderFormPage mode="edit" /></Allowed>} />
            <Route path="recurring/review" element={<ReviewPage />} />
            <Route path="recurring/forecast" element={<ForecastPage />} />
            <Route path="payroll" element={<Allowed channel="payroll.periods"><PeriodsPage /></Allowed>} />
            <Route path="payroll/periods/new" element={<Allowed channel="payroll.createPeriod"><PeriodFormPage /></Allowed>} />
            <Route path="payroll/periods/:id" element={<Allowed channel="payroll.period"><PeriodPage /></Allowed>} />
            <Route path="payroll/calendars" element={<Allowed channel="payroll.calendars"><CalendarsPage /></Allowed>} />
            <Route path="payroll/calendars/new" element={<Allowed channel="payroll.createCalendar"><CalendarFormPage mode="new" /></Allowed>} />
            <Route path="payroll/calendars/:id/edit" element={<Allowed channel="payroll.updateCalendar"><CalendarFormPage mode="edit" /></Allowed>} />
            <Route path="payroll/staff" element={<Allowed channel="payroll.staffList"><StaffListPage /></Allowed>} />
            <Route path="payroll/staff/new" element={<Allowed channel="payroll.createStaff"><StaffFormPage mode="new" /></Allowed>} />
            <Route path="payroll/staff/:id" element={<Allowed channel="payroll.staff"><StaffDetailPage /></Allowed>} />
            <Route path="payroll/staff/:id/edit" element={<Allowed channel="payroll.updateStaff"><StaffFormPage mode="edit" /></Allowed>} />
            <Route path="payroll/components" element={<Allowed channel="payroll.components"><ComponentsPage /></Allowed>} />
            <Route path="payroll/components/new" element={<Allowed channel="payroll.createComponent"><ComponentFormPage mode="new" /></Allowed>} />
            <Route path="payroll/components/:id" element={<Allowed channel="payroll.component"><ComponentDetailPage /></Allowed>} />
            <Route path="payroll/components/:id/edit" element={<Allowed channel="payroll.updateComponent"><ComponentFormPage mode="edit" /></Allowed>} />
            <Route path="reports" element={<ReportsPage />} />
            <Route path="reports/generated" element={<GeneratedReportsPage />} />
            <Route path="jobs" element={<JobsPage />} />
            <Route path="jobs/runs/:id" element={<RunDetailPage />} />
            <Route path="notifications" element={<NotificationsPage />} />
            <Route path="outbox" element={<Allowed channel="mail.outbox"><OutboxPage /></Allowed>} />
            <Route path="outbox/:id" element={<Allowed channel="mail.message"><MessagePage /></Allowed>} />
            <Route path="operators" element={<Allowed channel="operators.list"><OperatorsPage /></Allowed>} />
            <Route path="audit" element={<Allowed channel="audit.list"><AuditPage /></Allowed>} />
            <Route path="settings" element={<SettingsPage />} />
            <Route path="settings/notices" element={<Allowed channel="mail.templates"><NoticeTemplatesPage /></Allowed>} />
            <Route path="settings/notices/:kind" element={<Allowed channel="mail.templates"><NoticeTemplatesPage /></Allowed>} />
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
