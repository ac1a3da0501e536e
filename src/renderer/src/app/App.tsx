import { useCallback, useEffect, useRef, useState } from 'react'
import { useNavigate } from 'react-router-dom'
import { useQueryClient } from '@tanstack/react-query'
import type { AuthStatus, Profile, StartupFailure, SystemDefaults } from '../../../shared/contract'
import { invoke, ApiError, onSessionProblem } from '../platform/api'
import { BootErrorPage } from './boot/BootErrorPage'
import { FirstLaunchPage } from './boot/FirstLaunchPage'
import { StartupFailurePage } from './boot/StartupFailurePage'
import { ProfileProvider } from '../features/profile/ProfileContext'
import { SignInPage } from '../features/auth/SignInPage'
import { CreateAdministratorPage } from '../features/auth/CreateAdministratorPage'
import { MustChangePasswordPage } from '../features/auth/ChangePassword'
import { SignedIn, type SignedInStatus } from '../features/auth/SignedIn'
import { Shell } from './Shell'
import { PageLoading } from '../ui/PageState'

type Boot =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'failed'; failure: StartupFailure; version: string }
  /** No profile yet: the first launch's first step (or, signed in, a book without one). */
  | { kind: 'welcome'; defaults: SystemDefaults | null; version: string }
  /** No operator yet: the first launch's second step (or the first on a book from before operators). */
  | { kind: 'createAdmin'; profile: Profile | null; version: string }
  | { kind: 'signIn'; version: string; notice: string | null; coopName: string | null }
  | { kind: 'ready'; profile: Profile; version: string; auth: SignedInStatus }

/**
 * Where the window starts: the failure page; a new book's profile, then its
 * administrator; the sign-in screen; a book without a profile (signed in);
 * or the app.
 */
async function boot(): Promise<Boot> {
  const status = await invoke('app.status', {})
  if (!status.ok) return { kind: 'error', error: new ApiError(status.error) }
  const s = status.value
  if (s.state === 'failed') return { kind: 'failed', failure: s.failure, version: s.version }

  const welcome = async (): Promise<Boot> => {
    const d = await invoke('app.systemDefaults', {})
    return { kind: 'welcome', defaults: d.ok ? d.value : null, version: s.version }
  }
  const auth = await invoke('auth.status', {})
  if (!auth.ok) return { kind: 'error', error: new ApiError(auth.error) }
  const p = s.needsProfile ? null : await invoke('profile.get', {})
  if (p && !p.ok) return { kind: 'error', error: new ApiError(p.error) }
  const profile = p?.value ?? null
  const a = auth.value
  if (a.setupNeeded) return profile ? { kind: 'createAdmin', profile, version: s.version } : welcome()
  if (!a.operator) return { kind: 'signIn', version: s.version, notice: null, coopName: profile?.name ?? null }
  if (!profile) return welcome()
  return { kind: 'ready', profile, version: s.version, auth: { ...a, operator: a.operator } }
}

/** Boot: ask the app how it started and who is signed in, then show the page for it. */
export function App() {
  const [state, setState] = useState<Boot>({ kind: 'loading' })
  const navigate = useNavigate()
  const client = useQueryClient()
  const stateRef = useRef(state)
  useEffect(() => {
    stateRef.current = state
  })

  /** The next step of the boot (after a profile, an administrator, a sign-in), without a loading flash. */
  const advance = useCallback(() => {
    boot().then(setState, (error: unknown) => setState({ kind: 'error', error }))
  }, [])

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

  const signedOut = useCallback(
    (notice?: string) => {
      // Nothing of the last operator's stays in memory for the next one.
      client.removeQueries()
      setState((s) => ({
        kind: 'signIn',
        version: 'version' in s ? s.version : '',
        notice: notice ?? null,
        coopName: s.kind === 'ready' ? s.profile.name : null
      }))
    },
    [client]
  )

  /** A status from a call the window made: the same operator (locked, unlocked, password changed), another, or nobody. */
  const applyStatus = useCallback(
    (next: AuthStatus) => {
      const current = stateRef.current
      if (current.kind !== 'ready') return
      if (!next.operator) {
        signedOut()
        return
      }
      if (next.operator.id !== current.auth.operator.id) {
        // Another operator: their role may differ, so they start at home with nothing of the last one's on screen.
        client.removeQueries()
        navigate('/', { replace: true })
      }
      const operator = next.operator
      setState((s) => (s.kind === 'ready' ? { ...s, auth: { ...next, operator } } : s))
    },
    [client, navigate, signedOut]
  )

  // Any call answered LOCKED shows the lock screen; UNAUTHENTICATED, the sign-in screen.
  useEffect(
    () =>
      onSessionProblem((problem) => {
        if (stateRef.current.kind !== 'ready') return
        if (problem === 'LOCKED') setState((s) => (s.kind === 'ready' && !s.auth.locked ? { ...s, auth: { ...s.auth, locked: true } } : s))
        else signedOut('You were signed out. Sign in again to go on.')
      }),
    [signedOut]
  )

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
          onSaved={() => {
            navigate('/members', { replace: true })
            advance()
          }}
        />
      )
    case 'createAdmin':
      return (
        <CreateAdministratorPage
          coopName={state.profile?.name ?? null}
          onCreated={() => {
            navigate('/members', { replace: true })
            advance()
          }}
        />
      )
    case 'signIn':
      return (
        <SignInPage
          coopName={state.coopName}
          notice={state.notice}
          onSignedIn={() => {
            navigate('/', { replace: true })
            advance()
          }}
        />
      )
    case 'ready': {
      const { auth } = state
      return (
        <ProfileProvider
          profile={state.profile}
          setProfile={(profile) => setState((s) => (s.kind === 'ready' ? { ...s, profile } : s))}
        >
          <SignedIn status={auth} onStatus={applyStatus} onSignedOut={signedOut}>
            {auth.operator.mustChangePassword ? (
              <MustChangePasswordPage
                operator={auth.operator}
                onChanged={applyStatus}
                onSignOut={() => void invoke('auth.signOut', {}).then(() => signedOut())}
              />
            ) : (
              <Shell key={auth.operator.id} version={state.version} />
            )}
          </SignedIn>
        </ProfileProvider>
      )
    }
  }
}
