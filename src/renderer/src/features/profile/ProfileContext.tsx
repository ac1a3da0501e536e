import { createContext, useContext, type ReactNode } from 'react'
import type { Profile } from '../../../../shared/contract'

interface ProfileContextValue {
  profile: Profile
  /** Replace the profile after a save (the header and formatting follow). */
  setProfile: (p: Profile) => void
}

const Ctx = createContext<ProfileContextValue | null>(null)

export function ProfileProvider({
  profile,
  setProfile,
  children
}: ProfileContextValue & { children: ReactNode }) {
  return <Ctx.Provider value={{ profile, setProfile }}>{children}</Ctx.Provider>
}

/** The cooperative's profile. Only available inside the app shell (after first launch). */
export function useProfile(): ProfileContextValue {
  const v = useContext(Ctx)
  if (!v) throw new Error('useProfile() outside ProfileProvider')
  return v
}
