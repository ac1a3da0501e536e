import { useEffect } from 'react'
import type { Profile, SystemDefaults } from '../../../../shared/contract'
import { ProfileForm, emptyProfileValues } from '../../features/profile/ProfileForm'

export interface FirstLaunchPageProps {
  defaults: SystemDefaults | null
  onSaved: (profile: Profile) => void
}

/** Asked once, before anything else: who the cooperative is and how it counts money and days. */
export function FirstLaunchPage({ defaults, onSaved }: FirstLaunchPageProps) {
  useEffect(() => {
    document.title = 'Welcome · Coffer'
  }, [])
  return (
    <main className="boot-page boot-page-welcome" aria-labelledby="welcome-title">
      <div className="boot-card boot-card-wide">
        <p className="boot-eyebrow">First launch</p>
        <h1 id="welcome-title" className="boot-title">
          Welcome to Coffer — tell us about your cooperative
        </h1>
        <p className="boot-message">
          This appears on vouchers, reports and emails. Currency, time zone and locale decide how amounts and dates are
          shown and when scheduled work runs. You can change all of it later in Settings.
        </p>
        <ProfileForm initial={emptyProfileValues(defaults ?? undefined)} onSaved={onSaved} autoFocus />
      </div>
    </main>
  )
}
