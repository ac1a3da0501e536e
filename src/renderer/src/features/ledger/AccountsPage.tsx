import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate } from 'react-router-dom'
import { AccountType, type Account, type AccountRole } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtAmount, moneyHeader } from '../../platform/money'
import { useProfile } from '../profile/ProfileContext'
import { useCan } from '../auth/useCan'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { DataTable, type Column } from '../../ui/DataTable'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading, RefreshError } from '../../ui/PageState'
import { AccountFormModal, SetAccountActiveModal } from './AccountModals'
import { sumMinor } from './EntryModal'
import { ACCOUNT_TYPE_PLURAL, ACCOUNT_TYPE_WORDS, accountLabel, productWords } from './labels'
import { ledgerKeys } from './queries'
import './ledger.css'

type Dialog = { kind: 'add' } | { kind: 'edit'; account: Account } | { kind: 'active'; account: Account }

const ROLE_WORDS: Record<AccountRole, string> = {
  cash: 'cash',
  bank: 'bank payments',
  'member-savings': 'members’ savings',
  'share-capital': 'share capital',
  'bonds-payable': 'bonds payable',
  'withholding-tax': 'withholding tax',
  'salaries-payable': 'salaries payable',
  'statutory-payable': 'statutory deductions',
  'interest-income': 'interest income',
  'fee-income': 'fee income',
  'coupon-expense': 'coupon interest',
  'salary-expense': 'salaries',
  surplus: 'the surplus',
  'orders-payable': 'standing orders paid out'
}

/**
 * The chart of accounts, by type: each account's code, name, balance in its
 * normal direction (debits less credits for assets and expenses, the other
 * way for the rest) and whether it is active. Each opens its statement. The
 * treasurer adds accounts, renames or renumbers them, and deactivates or
 * reactivates them; core refuses what cannot be done, in a sentence.
 */
export function AccountsPage() {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const canManage = useCan('ledger.createAccount')
  const list = useQuery({ queryKey: ledgerKeys.accounts(), queryFn: () => call('ledger.accounts', { includeInactive: true }) })
  const [dialog, setDialog] = useState<Dialog | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const reload = () => void list.refetch()

  const done = (text: string) => {
    setDialog(null)
    setNotice(text)
  }

  const amount = (m: number) => fmtAmount(m, profile.currency, profile.locale)
  const columns: Array<Column<Account>> = [
    {
      id: 'code',
      header: 'Code',
      className: 'col-code',
      cell: (a) => (
        <Link to={`/accounts/${a.id}/statement`} className="row-link mono" aria-label={`Statement of ${accountLabel(a)}`}>
          {a.code}
        </Link>
      )
    },
    {
      id: 'name',
      header: 'Name',
      className: 'col-name',
      cell: (a) => (
        <>
          <span className="cell-primary">{a.name}</span>
          {a.controlOf ? (
            <span className="tag" title={`Members’ ${productWords(a.controlOf)} accounts are its sub-ledger: each line names the member’s account`}>
              Control: {productWords(a.controlOf)}
            </span>
          ) : null}
          {a.role ? (
            <span className="account-role muted" title="Coffer posts here by itself; the account can be renamed or renumbered, not deactivated">
              {' '}
              Coffer posts {ROLE_WORDS[a.role] ?? a.role.replaceAll('-', ' ')} here
            </span>
          ) : null}
        </>
      )
    },
    {
      id: 'balance',
      header: moneyHeader('Balance', profile.currency, profile.locale),
      className: 'num col-balance',
      cellClassName: 'tnum nowrap',
      cell: (a) => <span data-testid="account-balance">{amount(a.balanceMinor)}</span>
    },
    {
      id: 'status',
      header: 'Status',
      className: 'col-status',
      cell: (a) => <span className={a.active ? 'badge badge-active' : 'badge badge-inactive'}>{a.active ? 'Active' : 'Inactive'}</span>
    },
    {
      id: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'col-actions',
      cell: (a) => (
        <span className="row-actions">
          <Button small onClick={() => navigate(`/accounts/${a.id}/statement`)} aria-label={`Statement of ${accountLabel(a)}`}>
            Statement
          </Button>
          {canManage ? (
            <>
              <Button small onClick={() => setDialog({ kind: 'edit', account: a })} aria-label={`Edit ${accountLabel(a)}`}>
                Edit
              </Button>
              <Button
                small
                onClick={() => setDialog({ kind: 'active', account: a })}
                aria-label={`${a.active ? 'Deactivate' : 'Reactivate'} ${accountLabel(a)}`}
              >
                {a.active ? 'Deactivate' : 'Reactivate'}
              </Button>
            </>
          ) : null}
        </span>
      )
    }
  ]

  const accounts = list.data?.accounts ?? []
  return (
    <div className="page page-accounts">
      <PageHeader
        title="Accounts"
        subtitle="The chart of accounts by type, each balance in its normal direction. Open an account for its statement."
        actions={
          <>
            <Button onClick={() => navigate('/accounts/trial-balance')}>Trial balance</Button>
            {canManage ? (
              <Button variant="primary" onClick={() => setDialog({ kind: 'add' })}>
                Add account
              </Button>
            ) : null}
          </>
        }
      />
      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)} className="page-banner">
          <span data-testid="accounts-notice">{notice}</span>
        </Banner>
      ) : null}
      {list.isError && list.data ? <RefreshError title="The accounts could not be refreshed" error={list.error} onRetry={reload} /> : null}
      {list.isError && !list.data ? (
        <PageError error={list.error} title="The accounts could not be loaded" onRetry={reload} />
      ) : !list.data ? (
        <PageLoading label="Loading accounts…" />
      ) : (
        AccountType.options.map((type) => {
          const rows = accounts.filter((a) => a.type === type)
          const total = sumMinor(rows.map((a) => a.balanceMinor))
          const headingId = `accounts-${type}`
          return (
            <section key={type} className="account-group" aria-labelledby={headingId} data-account-type={type}>
              <div className="section-head account-group-head">
                <h2 className="section-title" id={headingId}>
                  {ACCOUNT_TYPE_PLURAL[type]}
                </h2>
                <span className="account-group-total tnum">
                  {rows.length === 0 ? null : (
                    <>
                      <span className="muted">Total</span> {total === null ? '—' : amount(total)}
                    </>
                  )}
                </span>
              </div>
              <DataTable
                label={ACCOUNT_TYPE_PLURAL[type]}
                className="accounts-table"
                columns={columns}
                rows={rows}
                idAttribute="data-account-id"
                rowAttributes={(a) => ({ 'data-account-code': a.code })}
                rowClassName={(a) => (a.active ? undefined : 'is-inactive')}
                onOpen={(a) => navigate(`/accounts/${a.id}/statement`)}
                busy={list.isFetching}
                empty={`No ${ACCOUNT_TYPE_WORDS[type].toLowerCase()} accounts yet.`}
              />
            </section>
          )
        })
      )}

      {dialog?.kind === 'add' || dialog?.kind === 'edit' ? (
        <AccountFormModal
          account={dialog.kind === 'edit' ? dialog.account : null}
          onClose={() => setDialog(null)}
          onSaved={(a) => done(dialog.kind === 'add' ? `${accountLabel(a)} was added.` : `${accountLabel(a)} was saved.`)}
        />
      ) : null}
      {dialog?.kind === 'active' ? (
        <SetAccountActiveModal
          account={dialog.account}
          onClose={() => setDialog(null)}
          onDone={(a) => done(a.active ? `${accountLabel(a)} was reactivated.` : `${accountLabel(a)} was deactivated: nothing more can be posted to it.`)}
        />
      ) : null}
    </div>
  )
}
