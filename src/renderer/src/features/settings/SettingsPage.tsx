import { useState } from 'react'
import { useProfile } from '../profile/ProfileContext'
import { ProfileForm, profileToValues } from '../profile/ProfileForm'
import { PageHeader } from '../../ui/PageHeader'
import { fmtInstant } from '../../platform/format'
import { BackupsSection } from '../backups/BackupsSection'
import { BondSettingsSection } from './BondSettingsSection'
import { RecurringSettingsSection } from './RecurringSettingsSection'
import { PayrollSettingsSection } from '../payroll/PayrollSettingsSection'
import { EmailSettingsSection } from '../mail/EmailSettingsSection'
import { SmsSettingsSection } from '../mail/SmsSettingsSection'
import { ReportSettingsSection } from '../reports/ReportSettingsSection'
import { SecuritySection } from './SecuritySection'
import { EncryptionSection } from './EncryptionSection'
import { PeriodsSection } from '../ledger/PeriodsSection'
import { useCan } from '../auth/useCan'

/**
 * Settings: the cooperative's profile (the same form as at first launch),
 * bonds, periods (closing months), security, then backups. An operator
 * whose role may not change them sees them without the Save buttons.
 */
export function SettingsPage() {
  const { profile, setProfile } = useProfile()
  const canSaveProfile = useCan('profile.save')
  const canClosePeriods = useCan('ledger.closePeriod')
  // The form keeps its own values; give it a fresh start only when it mounts.
  const [initial] = useState(() => profileToValues(profile))
  return (
    <div className="page page-narrow">
      <PageHeader
        title="Settings"
        subtitle={
          <>Cooperative profile · last changed {fmtInstant(profile.updatedAt, profile.locale, profile.timeZone)}</>
        }
      />
      {canSaveProfile ? null : (
        <p className="section-text muted">
          Only an administrator can change the settings{canClosePeriods ? '; you can close and reopen months under Periods' : ''}.
        </p>
      )}
      <ProfileForm initial={initial} onSaved={setProfile} readOnly={!canSaveProfile} />
      <BondSettingsSection />
      <RecurringSettingsSection />
      <PayrollSettingsSection />
      <EmailSettingsSection />
      <SmsSettingsSection />
      <ReportSettingsSection />
      <PeriodsSection />
      <SecuritySection />
      <EncryptionSection />
      <BackupsSection />
    </div>
  )
}
