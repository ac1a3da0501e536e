import { createContext, useContext, type ReactNode } from 'react'
import type { SessionOperator } from '../../../../shared/contract'

/** The signed-in operator and what the window can do with the session. */
export interface Session {
  /** Who is signed in (their role decides what the window offers). */
  operator: SessionOperator
  /** Minutes without input before the screen locks itself. */
  idleMinutes: number
  /** Locks the screen now (the page stays underneath). */
  lock: () => void
  /** Locks the screen and asks who signs in instead; the new operator starts on the home page. */
  switchOperator: () => void
  /** Signs out: the sign-in screen. */
  signOut: () => void
  /** Opens the dialog to change one's own password. */
  changePassword: () => void
  /** Asks core for the session again (after saving the security settings: a new idle time). */
  refresh: () => void
}

const Ctx = createContext<Session | null>(null)

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <Ctx.Provider value={session}>{children}</Ctx.Provider>
}

/** The session, inside the signed-in shell; null outside it (boot pages). */
export function useSessionOrNull(): Session | null {
  return useContext(Ctx)
}

/** The session. Only inside the signed-in shell. */
export function useSession(): Session {
  const s = useContext(Ctx)
  if (!s) throw new Error('useSession() outside SessionProvider')
  return s
}
