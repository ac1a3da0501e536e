import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { JournalEntryInput, type Account } from '../../../../shared/contract'
import { call } from '../../platform/api'
import { fieldBinder, focusFirstInvalid, issuesToFieldErrors, useFormErrors } from '../../platform/forms'
import { useCallMutation } from '../../platform/queries'
import { todayIn } from '../../platform/today'
import { useSaveShortcut } from '../../platform/useSaveShortcut'
import { useProfile } from '../profile/ProfileContext'
import { ErrorBanner } from '../../ui/Banner'
import { DateField, TextField } from '../../ui/Field'
import { FormActions } from '../../ui/FormActions'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { EntryLinesEditor, blankEntryLine, lineFieldKeys, useEntryLines } from './EntryLines'
import type { PostedState } from './JournalPage'
import { ledgerKeys } from './queries'
import './ledger.css'

interface Head {
  valueDate: string
  description: string
  reference: string
}

const HEAD_FIELDS = ['valueDate', 'description', 'reference'] as const

/** The fields the form shows a message next to, for `n` lines. */
function knownFields(n: number): string[] {
  return [...HEAD_FIELDS, ...lineFieldKeys(n)]
}

/**
 * A general journal entry: a value date, a description and reference, and
 * lines (an active account, the member's account when the account is a
 * control account, a debit or a credit), with the totals and the difference
 * live. Core checks it (balanced, accounts active, the month open) and says
 * what is wrong next to the field; nothing is posted until it is right.
 */
export function JournalEntryFormPage() {
  const accounts = useQuery({ queryKey: ledgerKeys.accounts(), queryFn: () => call('ledger.accounts', { includeInactive: true }) })
  if (accounts.isError && !accounts.data) return <PageError error={accounts.error} title="The accounts could not be loaded" onRetry={() => void accounts.refetch()} />
  if (!accounts.data) return <PageLoading label="Loading accounts…" />
  return <EntryForm accounts={accounts.data.accounts} />
}

function EntryForm({ accounts }: { accounts: Account[] }) {
  const { profile } = useProfile()
  const navigate = useNavigate()
  const [head, setHead] = useState<Head>(() => ({ valueDate: todayIn(profile.timeZone), description: '', reference: '' }))
  const model = useEntryLines(accounts, () => [blankEntryLine(), blankEntryLine()])
  const form = useFormErrors(knownFields(model.lines.length))
  const post = useCallMutation('ledger.post')
  const formRef = useRef<HTMLFormElement>(null)
  useSaveShortcut(formRef, !post.isPending)
  useEffect(() => {
    if (form.focusTick > 0) focusFirstInvalid(formRef.current)
  }, [form.focusTick])

  const forget = (key: string) =>
    form.setErrors((e) => {
      if (!(key in e)) return e
      const next = { ...e }
      delete next[key]
      return next
    })

  const field = fieldBinder(
    head,
    (key, value) => {
      setHead((h) => ({ ...h, [key]: value }))
      forget(key)
    },
    (key) => form.errors[key]
  )

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (post.isPending) return
    form.setBanner(null)
    const { lines: sent, found } = model.collect()
    const input = { valueDate: head.valueDate, description: head.description, reference: head.reference, lines: sent }
    const parsed = JournalEntryInput.safeParse(input)
    const local = parsed.success ? {} : issuesToFieldErrors(parsed.error.issues)
    // A line without an account is said once, in the app's words, not as the schema's "The id".
    const all = { ...local, ...found }
    if (Object.keys(all).length > 0) {
      form.showLocal(all)
      return
    }
    form.clear()
    const r = await post.mutateAsync(input)
    if (!r.ok) {
      form.showServer(r.error)
      return
    }
    const state: PostedState = { posted: { id: r.value.id, valueDate: r.value.valueDate, pending: r.value.status === 'pending' } }
    navigate('/journal', { state })
  }

  return (
    <div className="page page-entry-form">
      <PageHeader
        before={
          <button type="button" className="link-button back-link" onClick={() => navigate('/journal')}>
            ← Journal
          </button>
        }
        title="New journal entry"
        subtitle="Debits must equal credits. A line on a control account names the member’s account."
      />
      <form ref={formRef} className="form entry-form" noValidate onSubmit={onSubmit} aria-label="New journal entry">
        <ErrorBanner message={form.banner} onDismiss={() => form.setBanner(null)} />
        <div className="form-grid form-grid-3">
          <DateField label="Value date" required {...field('valueDate')} />
          <TextField label="Description" required {...field('description')} maxLength={300} autoComplete="off" className="entry-description" />
          <TextField label="Reference" hint="Optional: a receipt, invoice or bank reference" {...field('reference')} maxLength={60} autoComplete="off" />
        </div>

        <EntryLinesEditor model={model} form={form} maxLines={200} />

        <FormActions saveLabel="Post entry" saving={post.isPending} onCancel={() => navigate('/journal')} />
      </form>
    </div>
  )
}
