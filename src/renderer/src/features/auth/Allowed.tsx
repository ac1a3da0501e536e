import type { ReactNode } from 'react'
import { Link } from 'react-router-dom'
import { CHANNEL_PERMISSIONS, PERMISSION_WORDS, ROLE_WORDS, type Channel } from '../../../../shared/contract'
import { PageHeader } from '../../ui/PageHeader'
import { useSession } from './session'
import { useCan } from './useCan'

/**
 * A route only some roles may use (a form that saves, the Operators page):
 * the page when the operator's role may call `channel`, else a page that
 * says so. The menus do not lead here; this answers an address typed or
 * kept from before a switch of operator.
 */
export function Allowed({ channel, children }: { channel: Channel; children: ReactNode }) {
  const can = useCan(channel)
  const { operator } = useSession()
  if (can) return <>{children}</>
  return (
    <div className="page">
      <PageHeader title="Not for your role" />
      <p className="muted" data-testid="not-allowed">
        {ROLE_WORDS[operator.role]}s may not {PERMISSION_WORDS[CHANNEL_PERMISSIONS[channel]]}. Ask an administrator if you
        need to.
      </p>
      <p>
        <Link to="/members">Go to Members</Link>
      </p>
    </div>
  )
}
