import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import type { JournalEntry, MemberAccount, MemberProduct } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fmtDate } from '../../platform/format'
import { fmtMoney } from '../../platform/money'
import { useCallMutation } from '../../platform/queries'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { PageError } from '../../ui/PageState'
import { useCan } from '../auth/useCan'
import { useProfile } from '../profile/ProfileContext'
import { MemberMoneyModal, type MoneyAction } from './MemberAccountsMoneyModal'
import { ledgerKeys } from './queries'
import './MemberAccounts.css'

const PRODUCTS: readonly MemberProduct[] = ['savings', 'shares']
const PRODUCT_NAME: Record<MemberProduct, string> = { savings: 'Savings', shares: 'Share capital' }
const DONE_WORDS: Record<MoneyAction, string> = { deposit: 'Deposited', withdraw: 'Withdrew', buyShares: 'Bought shares for' }

/**
 * A member's savings and share capital accounts on their page: each with its
 * number, balance and statement; opened here; deposits and withdrawals
 * (savings) and share purchases (shares) through a dialog. Actions the
 * operator's role may not use are not offered (core refuses them anyway).
 */
export function MemberAccounts({ memberId, memberActive }: { memberId: number; memberActive: boolean }) {
  const { profile } = useProfile()
  // Every posting makes it stale through ledgerKeys.all (app/invalidation.ts).
  const loaded = useQuery({ queryKey: ledgerKeys.memberAccounts(memberId), queryFn: () => call('ledger.memberAccounts', { memberId }) })
  const canOpen = useCan('ledger.openMemberAccount')
  const can: Record<MoneyAction, boolean> = {
    deposit: useCan('ledger.deposit'),
    withdraw: useCan('ledger.withdraw'),
    buyShares: useCan('ledger.buyShares')
  }
  const open = useCallMutation('ledger.openMemberAccount')
  const [opening, setOpening] = useState<MemberProduct | null>(null)
  const [acting, setActing] = useState<{ action: MoneyAction; account: MemberAccount } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const money = (m: number) => fmtMoney(m, profile.currency, profile.locale)

  async function openAccount(product: MemberProduct) {
    setOpening(product)
    setError(null)
    setNotice(null)
    const r = await open.mutateAsync({ memberId, product })
    setOpening(null)
    if (!r.ok) setError(r.error.message)
    else setNotice(`${PRODUCT_NAME[product]} account ${r.value.number} opened.`)
  }

  function done(action: MoneyAction, account: MemberAccount, entry: JournalEntry) {
    setActing(null)
    setError(null)
    const note = entry.note ? ` ${entry.note}` : ''
    setNotice(`${DONE_WORDS[action]} ${account.number}: ${money(entry.totalMinor)}, on ${fmtDate(entry.valueDate, profile.locale)} (entry #${entry.id}).${note}`)
  }

  const accounts = loaded.data?.accounts ?? []
  const byProduct = new Map(accounts.map((a) => [a.product, a]))
  const anyAction = canOpen || can.deposit || can.withdraw || can.buyShares

  return (
    <section className="panel member-accounts" aria-labelledby="member-accounts-title" data-testid="member-accounts">
      <div className="panel-head">
        <h2 className="panel-title" id="member-accounts-title">
          Accounts
        </h2>
      </div>
      {error ? (
        <Banner tone="error" onDismiss={() => setError(null)}>
          {error}
        </Banner>
      ) : null}
      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)}>
          <span data-testid="member-accounts-notice">{notice}</span>
        </Banner>
      ) : null}
      {loaded.isError && !loaded.data ? (
        <PageError error={loaded.error} title="The member's accounts could not be loaded" onRetry={() => void loaded.refetch()} />
      ) : !loaded.data ? (
        <p className="muted">Loading accounts…</p>
      ) : (
        <>
          {!memberActive && anyAction ? (
            <p className="muted member-accounts-note">The member is inactive: reactivate them to open accounts or move money.</p>
          ) : null}
          <ul className="member-account-list">
            {PRODUCTS.map((product) => {
              const a = byProduct.get(product)
              if (!a) {
                return (
                  <li key={product} className="member-account member-account-none" data-product={product}>
                    <div className="member-account-main">
                      <span className="member-account-name">{PRODUCT_NAME[product]}</span>
                      <span className="muted">No {product === 'savings' ? 'savings' : 'share capital'} account</span>
                    </div>
                    {canOpen && memberActive ? (
                      <div className="member-account-actions">
                        <Button small onClick={() => void openAccount(product)} busy={opening === product} disabled={opening !== null && opening !== product}>
                          Open {product === 'savings' ? 'savings' : 'share capital'} account
                        </Button>
                      </div>
                    ) : null}
                  </li>
                )
              }
              const actions: MoneyAction[] = product === 'savings' ? ['deposit', 'withdraw'] : ['buyShares']
              const shown = memberActive ? actions.filter((x) => can[x]) : []
              return (
                <li key={product} className="member-account" data-product={product} data-member-account-id={a.id}>
                  <div className="member-account-main">
                    <span className="member-account-name">{PRODUCT_NAME[product]}</span>
                    <span className="mono member-account-number">{a.number}</span>
                    <span className="muted member-account-opened">Opened {fmtDate(a.openedOn, profile.locale)}</span>
                  </div>
                  <div className="member-account-balance">
                    <span className="visually-hidden">Balance </span>
                    <span className="tnum" data-testid={`member-account-balance-${product}`}>
                      {money(a.balanceMinor)}
                    </span>
                  </div>
                  <div className="member-account-actions">
                    <Link to={`/member-accounts/${a.id}/statement`} className="panel-link" aria-label={`Statement of ${a.number}`}>
                      Statement
                    </Link>
                    {shown.map((x) => (
                      <Button key={x} small onClick={() => setActing({ action: x, account: a })}>
                        {x === 'deposit' ? 'Deposit' : x === 'withdraw' ? 'Withdraw' : 'Buy shares'}
                      </Button>
                    ))}
                  </div>
                </li>
              )
            })}
          </ul>
        </>
      )}
      {acting ? (
        <MemberMoneyModal
          action={acting.action}
          account={acting.account}
          onClose={() => setActing(null)}
          onDone={(entry) => done(acting.action, acting.account, entry)}
        />
      ) : null}
    </section>
  )
}
