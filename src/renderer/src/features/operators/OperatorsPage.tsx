import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { ROLE_WORDS, type Operator } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtInstant } from '../../platform/format'
import { useNow } from '../../platform/useNow'
import { useProfile } from '../profile/ProfileContext'
import { useSession } from '../auth/session'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { DataTable, type Column } from '../../ui/DataTable'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { OperatorFormModal, ResetPasswordModal, SetActiveModal } from './OperatorModals'
import { operatorKeys } from './queries'

type Dialog =
  | { kind: 'add' }
  | { kind: 'edit'; operator: Operator }
  | { kind: 'reset'; operator: Operator }
  | { kind: 'active'; operator: Operator }

/**
 * Operators (administrators only): who may use Coffer, in which role; add
 * one with a temporary password, change name, username or role, switch off
 * or on, reset a password (which also ends a lockout).
 */
export function OperatorsPage() {
  const { profile } = useProfile()
  const { operator: me } = useSession()
  const list = useQuery({ queryKey: operatorKeys.list(), queryFn: () => call('operators.list', {}) })
  const [dialog, setDialog] = useState<Dialog | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const now = useNow()
  const when = (iso: string | null) => fmtInstant(iso, profile.locale, profile.timeZone)

  const done = (text: string) => {
    setDialog(null)
    setNotice(text)
  }

  const columns: Column<Operator>[] = [
    {
      id: 'name',
      header: 'Name',
      cell: (o) => (
        <>
          <span className="cell-primary">{o.name}</span>
          {o.id === me.id ? <span className="muted"> (you)</span> : null}
        </>
      )
    },
    { id: 'username', header: 'Username', cellClassName: 'mono', cell: (o) => o.username },
    { id: 'role', header: 'Role', cell: (o) => ROLE_WORDS[o.role] },
    {
      id: 'status',
      header: 'Status',
      cell: (o) => (
        <span className="operator-badges">
          <span className={o.active ? 'badge badge-active' : 'badge badge-inactive'}>{o.active ? 'Active' : 'Switched off'}</span>
          {o.active && o.mustChangePassword ? <span className="badge badge-info">New password due</span> : null}
        </span>
      )
    },
    {
      id: 'lastSignedIn',
      header: 'Last sign-in',
      cellClassName: 'tnum nowrap',
      cell: (o) => (o.lastSignedInAt ? when(o.lastSignedInAt) : <span className="muted">Never</span>)
    },
    {
      id: 'lockedUntil',
      header: 'Locked until',
      cellClassName: 'tnum nowrap',
      cell: (o) =>
        o.lockedUntil && Date.parse(o.lockedUntil) > now ? (
          <span className="text-warning" data-testid="locked-until">
            {when(o.lockedUntil)}
          </span>
        ) : (
          <span className="muted">—</span>
        )
    },
    {
      id: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'col-actions',
      cell: (o) => (
        <span className="row-actions">
          <Button small onClick={() => setDialog({ kind: 'edit', operator: o })} aria-label={`Edit ${o.name}`}>
            Edit
          </Button>
          {o.id !== me.id ? (
            <>
              <Button small onClick={() => setDialog({ kind: 'reset', operator: o })} aria-label={`Reset ${o.name}’s password`}>
                Reset password
              </Button>
              <Button small onClick={() => setDialog({ kind: 'active', operator: o })} aria-label={`${o.active ? 'Switch off' : 'Switch on'} ${o.name}`}>
                {o.active ? 'Switch off' : 'Switch on'}
              </Button>
            </>
          ) : null}
        </span>
      )
    }
  ]

  return (
    <div className="page page-operators">
      <PageHeader
        title="Operators"
        subtitle="The people who use Coffer and what each may do. Your own password: the menu under your name, top right."
        actions={
          <Button variant="primary" onClick={() => setDialog({ kind: 'add' })}>
            Add operator
          </Button>
        }
      />
      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)} className="page-banner">
          {notice}
        </Banner>
      ) : null}
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The operators could not be loaded" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <PageLoading label="Loading operators…" />
      ) : (
        <DataTable
          label="Operators"
          className="operators-table"
          columns={columns}
          rows={list.data.operators}
          idAttribute="data-operator-id"
          rowAttributes={(o) => ({ 'data-operator-username': o.username })}
          rowClassName={(o) => (o.active ? undefined : 'is-inactive')}
          busy={list.isFetching}
          empty="No operators yet."
        />
      )}

      {dialog?.kind === 'add' || dialog?.kind === 'edit' ? (
        <OperatorFormModal
          operator={dialog.kind === 'edit' ? dialog.operator : null}
          onClose={() => setDialog(null)}
          onSaved={(o) =>
            done(
              dialog.kind === 'add'
                ? `${o.name} was added as ${ROLE_WORDS[o.role].toLowerCase()}. Give them the temporary password; they choose their own when they first sign in.`
                : `${o.name} was saved.`
            )
          }
        />
      ) : null}
      {dialog?.kind === 'reset' ? (
        <ResetPasswordModal
          operator={dialog.operator}
          onClose={() => setDialog(null)}
          onDone={(o) => done(`${o.name}’s password was reset. They choose a new one when they next sign in.`)}
        />
      ) : null}
      {dialog?.kind === 'active' ? (
        <SetActiveModal
          operator={dialog.operator}
          onClose={() => setDialog(null)}
          onDone={(o) => done(o.active ? `${o.name} was switched on.` : `${o.name} was switched off.`)}
        />
      ) : null}
    </div>
  )
}
