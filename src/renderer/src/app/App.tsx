import { useEffect, useState } from 'react'
import { useNavigate } from 'react-router-dom'
import type { Profile, StartupFailure, SystemDefaults } from '../../../shared/contract'
import { invoke, ApiError } from '../platform/api'
import { BootErrorPage } from './boot/BootErrorPage'
import { FirstLaunchPage } from './boot/FirstLaunchPage'
import { StartupFailurePage } from './boot/StartupFailurePage'
import { ProfileProvider } from '../features/profile/ProfileContext'
import { Shell } from './Shell'
import { PageLoading } from '../ui/PageState'

type Boot =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'failed'; failure: StartupFailure; version: string }
  | { kind: 'welcome'; defaults: SystemDefaults | null; version: string }
  | { kind: 'ready'; profile: Profile; version: string }

async function boot(): Promise<Boot> {
  const status = await invoke('app.status', {})
  if (!status.ok) return { kind: 'error', error: new ApiError(status.error) }
  const s = status.value
  if (s.state === 'failed') return { kind: 'failed', failure: s.failure, version: s.version }

  const welcome = async (): Promise<Boot> => {
    const d = await invoke('app.systemDefaults', {})
    return { kind: 'welcome', defaults: d.ok ? d.value : null, version: s.version }
  }
  if (s.needsProfile) return welcome()
  const p = await invoke('profile.get', {})
  if (!p.ok) return { kind: 'error', error: new ApiError(p.error) }
  if (!p.value) return welcome()
  return { kind: 'ready', profile: p.value, version: s.version }
}

/** Boot: ask the app how it started, then show the failure page, the first-launch form or the app. */
export function App() {
  const [state, setState] = useState<Boot>({ kind: 'loading' })
  const navigate = useNavigate()

  useEffect(() => {
    let live = true
    boot().then(
      (b) => live && setState(b),
      (error: unknown) => live && setState({ kind: 'error', error })
    )
    return () => {
      live = false
    }
  }, [])

  switch (state.kind) {
    case 'loading':
      return (
        <main className="boot-page">
          <PageLoading label="Starting Coffer…" />
        </main>
      )
    case 'error':
      return <BootErrorPage error={state.error} />
    case 'failed':
      return <StartupFailurePage failure={state.failure} version={state.version} />
    case 'welcome':
      return (
        <FirstLaunchPage
          defaults={state.defaults}
          onSaved={(profile) => {
            setState({ kind: 'ready', profile, version: state.version })
            navigate('/members', { replace: true })
          }}
        />
      )
    case 'ready':
      return (
        <ProfileProvider
          profile={state.profile}
          setProfile={(profile) => setState((s) => (s.kind === 'ready' ? { ...s, profile } : s))}
        >
          <Shell version={state.version} />
        </ProfileProvider>
      )
  }
}
