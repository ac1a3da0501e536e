import { useEffect, useMemo, useState, type ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { AuthStatus, SessionOperator } from '../../../../shared/contract'
import { invoke } from '../../platform/api'
import { ChangePasswordModal } from './ChangePassword'
import { LockScreen, type LockMode } from './LockScreen'
import { SessionProvider, type Session } from './session'
import { useIdleLock } from './useIdleLock'

export type SignedInStatus = AuthStatus & { operator: SessionOperator }

export interface SignedInProps {
  status: SignedInStatus
  /** A status answered by a call made here (lock, unlock, switch operator, change password). */
  onStatus: (status: AuthStatus) => void
  /** Signed out (by the operator, or the session ended): the sign-in screen, with why when it was not asked for. */
  onSignedOut: (notice?: string) => void
  children: ReactNode
}

/**
 * What a signed-in window has around its pages: the session for useSession
 * and useCan, the idle lock, the lock screen over the page (kept underneath
 * as it was) and the Change password dialog.
 */
export function SignedIn({ status, onStatus, onSignedOut, children }: SignedInProps) {
  const client = useQueryClient()
  const [mode, setMode] = useState<LockMode>('unlock')
  const [changing, setChanging] = useState(false)
  const { operator, locked, idleMinutes } = status

  // Each lock starts by asking for the same operator's password, unless it was Switch operator.
  const [wasLocked, setWasLocked] = useState(locked)
  if (wasLocked !== locked) {
    setWasLocked(locked)
    if (!locked) setMode('unlock')
  }

  // Calls refused while locked (the page's lists) are asked again once it opens.
  useEffect(() => {
    if (!locked) void client.refetchQueries({ type: 'active', predicate: (q) => q.state.status === 'error' })
  }, [locked, client])

  const session = useMemo<Session & { touched: (s: AuthStatus) => void }>(() => {
    // A status that says something new about this session (its idle time, the operator's name or role).
    const ifChanged = (s: AuthStatus) => {
      const o = s.operator
      if (!o || s.locked !== locked || s.idleMinutes !== idleMinutes || o.id !== operator.id || o.name !== operator.name || o.role !== operator.role) onStatus(s)
    }
    const lockAs = (m: LockMode) => {
      setMode(m)
      setChanging(false)
      onStatus({ ...status, locked: true })
      void invoke('auth.lock', {}).then((r) => r.ok && onStatus(r.value))
    }
    return {
      operator,
      idleMinutes,
      lock: () => lockAs('unlock'),
      switchOperator: () => lockAs('switch'),
      signOut: () => void invoke('auth.signOut', {}).then(() => onSignedOut()),
      changePassword: () => setChanging(true),
      refresh: () => void invoke('auth.status', {}).then((r) => r.ok && ifChanged(r.value)),
      touched: ifChanged
    }
  }, [operator, idleMinutes, locked, status, onStatus, onSignedOut])

  useIdleLock({ idleMinutes, active: !locked, onIdle: session.lock, onTouched: session.touched })

  return (
    <SessionProvider session={session}>
      {children}
      {changing && !locked ? (
        <ChangePasswordModal
          onClose={() => setChanging(false)}
          onChanged={(s) => {
            setChanging(false)
            onStatus(s)
          }}
        />
      ) : null}
      {locked ? (
        <LockScreen
          operator={operator}
          mode={mode}
          onMode={setMode}
          onStatus={onStatus}
          onSessionEnded={(message) => onSignedOut(message)}
          onSignOut={session.signOut}
        />
      ) : null}
    </SessionProvider>
  )
}
