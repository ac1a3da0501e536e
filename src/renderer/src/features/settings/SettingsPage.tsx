import { useState } from 'react'
import { useProfile } from '../profile/ProfileContext'
import { ProfileForm, profileToValues } from '../profile/ProfileForm'
import { PageHeader } from '../../ui/PageHeader'
import { fmtInstant } from '../../platform/format'
import { BackupsSection } from '../backups/BackupsSection'
import { BondSettingsSection } from './BondSettingsSection'

/** Settings: the cooperative's profile (the same form as at first launch), then backups. */
export function SettingsPage() {
  const { profile, setProfile } = useProfile()
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
      <ProfileForm initial={initial} onSaved={setProfile} />
      <BondSettingsSection />
      <BackupsSection />
    </div>
  )
}
