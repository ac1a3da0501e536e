import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { EncryptionStatus } from '../../../../shared/contract'
import { call, invoke } from '../../platform/api'
import { useCallMutation } from '../../platform/queries'
import { placeServerError } from '../../platform/forms'
import { useCan } from '../auth/useCan'
import { Banner, ErrorBanner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { CheckField, TextField } from '../../ui/Field'
import { Modal } from '../../ui/Modal'
import { PageError, PageLoading } from '../../ui/PageState'
import './encryption.css'

/** Query keys of the data file's encryption. */
export const encryptionKeys = {
  all: ['encryption'] as const,
  status: () => [...encryptionKeys.all, 'status'] as const
}

const count = (n: number, one: string, other: string) => `${n} ${n === 1 ? one : other}`

/**
 * Settings → Encryption: whether the data file and its backups are
 * encrypted on disk, turning it on (the recovery key is shown once, until the
 * administrator says it is written down) or off. Others see the state.
 */
export function EncryptionSection() {
  const status = useQuery({ queryKey: encryptionKeys.status(), queryFn: () => call('encryption.status', {}) })
  return (
    <section className="settings-section encryption-settings" aria-labelledby="encryption-title">
      <div className="section-head">
        <h2 className="section-title" id="encryption-title">
          Encryption
        </h2>
      </div>
      {status.isError && !status.data ? (
        <PageError error={status.error} title="Whether the data file is encrypted could not be read" onRetry={() => void status.refetch()} />
      ) : !status.data ? (
        <PageLoading label="Loading encryption…" />
      ) : (
        <EncryptionState status={status.data} />
      )}
    </section>
  )
}

function EncryptionState({ status }: { status: EncryptionStatus }) {
  const client = useQueryClient()
  const canChange = useCan('encryption.enable')
  const [asking, setAsking] = useState<'enable' | 'disable' | null>(null)
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const { backups } = status

  return (
    <>
      {status.encrypted ? (
        <p className="section-text" data-testid="encryption-state">
          <strong>The data file is encrypted on disk.</strong> Without its key it cannot be read, not even by copying it. The key is kept in{' '}
          {status.keychain} on this computer; on another computer, the recovery key opens it.
        </p>
      ) : (
        <p className="section-text" data-testid="encryption-state">
          <strong>The data file is not encrypted.</strong> Anyone who copies it, or a backup, can read members’ national IDs and phone numbers.
          Encrypting it keeps its key in {status.keychain}; a recovery key, shown once, opens it on another computer.
        </p>
      )}
      {backups.encrypted + backups.plain > 0 ? (
        <p className="section-text muted">
          Backups: {count(backups.encrypted, 'encrypted', 'encrypted')}
          {backups.plain > 0 ? `, ${count(backups.plain, 'not encrypted', 'not encrypted')}` : ''}.
          {status.encrypted && backups.plain > 0 ? ' The next backup encrypts the ones that are not.' : ''}
          {!status.encrypted && backups.encrypted > 0 ? ' Encrypted backups stay so; this computer keeps their key.' : ''}
        </p>
      ) : null}
      {status.encrypted && !status.recoveryKeyConfirmed ? (
        <Banner tone="warning" title="Nobody confirmed writing down the recovery key">
          If nobody has it, turn encryption off and on again to get a new one. Without it, the data cannot be opened on another computer.
        </Banner>
      ) : null}
      {!status.encrypted && status.keychainProblem ? (
        <Banner tone="warning" title="Encryption cannot be turned on here">
          {status.keychainProblem}
        </Banner>
      ) : null}
      {notice ? (
        <Banner tone="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Banner>
      ) : null}
      {canChange ? (
        <div className="encryption-actions">
          {status.encrypted ? (
            <Button onClick={() => setAsking('disable')}>Turn encryption off…</Button>
          ) : (
            <Button variant="primary" onClick={() => setAsking('enable')} disabled={!!status.keychainProblem}>
              Turn encryption on…
            </Button>
          )}
        </div>
      ) : (
        <p className="section-text muted">Only an administrator can turn encryption on or off.</p>
      )}

      {asking === 'enable' ? (
        <EnableModal
          onClose={() => setAsking(null)}
          onEnabled={(key, leftPlain) => {
            setAsking(null)
            setRecoveryKey(key)
            setNotice(
              leftPlain.length > 0
                ? `The data file is encrypted. ${count(leftPlain.length, 'backup', 'backups')} could not be encrypted yet; the next backup tries again.`
                : 'The data file and its backups are encrypted.'
            )
          }}
        />
      ) : null}
      {asking === 'disable' ? (
        <DisableModal
          onClose={() => setAsking(null)}
          onDisabled={() => {
            setAsking(null)
            setNotice('The data file is no longer encrypted.')
          }}
        />
      ) : null}
      {recoveryKey ? (
        <RecoveryKeyModal
          recoveryKey={recoveryKey}
          onDone={(next) => {
            setRecoveryKey(null)
            if (next) client.setQueryData(encryptionKeys.status(), next)
          }}
        />
      ) : null}
    </>
  )
}

function EnableModal({ onClose, onEnabled }: { onClose: () => void; onEnabled: (recoveryKey: string, leftPlain: string[]) => void }) {
  const enable = useCallMutation('encryption.enable')
  const [understood, setUnderstood] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function go() {
    setError(null)
    const r = await enable.mutateAsync({ confirm: true })
    if (!r.ok) setError(r.error.message)
    else onEnabled(r.value.recoveryKey, r.value.backupsLeftPlain)
  }
  return (
    <ConfirmModal
      title="Encrypt the data file?"
      onClose={onClose}
      busy={enable.isPending}
      initialFocus="input[type=checkbox]"
      confirmLabel="Encrypt"
      onConfirm={() => void go()}
      confirmDisabled={!understood}
      error={error}
    >
      <p className="modal-text">
        Coffer writes an encrypted copy of the data file, checks it, and puts it in place of the file; then it encrypts the backups. The key stays
        in this computer’s keychain, so Coffer opens the file here as before.
      </p>
      <p className="modal-text">
        Next you will see a <strong>recovery key</strong>, once. Write it down and keep it safe: it is the only way to open the data or a backup on
        another computer, or here if the keychain is lost.
      </p>
      <p className="modal-text muted">Jobs must not be running, and no other Coffer window or command may have this data open.</p>
      <CheckField label="I will write the recovery key down" checked={understood} onChange={setUnderstood} disabled={enable.isPending} />
    </ConfirmModal>
  )
}

function DisableModal({ onClose, onDisabled }: { onClose: () => void; onDisabled: () => void }) {
  const disable = useCallMutation('encryption.disable')
  const [understood, setUnderstood] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function go() {
    setError(null)
    const r = await disable.mutateAsync({ confirm: true })
    if (!r.ok) setError(r.error.message)
    else onDisabled()
  }
  return (
    <ConfirmModal
      title="Stop encrypting the data file?"
      onClose={onClose}
      busy={disable.isPending}
      initialFocus="input[type=checkbox]"
      confirmLabel="Stop encrypting"
      onConfirm={() => void go()}
      variant="danger"
      confirmDisabled={!understood}
      error={error}
    >
      <p className="modal-text">
        Coffer writes a plain copy of the data file, checks it, and puts it in place. Anyone who copies the file can then read it. Backups made while
        it was encrypted stay encrypted; their key stays in this computer’s keychain, and their recovery key still opens them elsewhere.
      </p>
      <CheckField label="I understand the data file will be readable" checked={understood} onChange={setUnderstood} disabled={disable.isPending} />
    </ConfirmModal>
  )
}

/**
 * The recovery key, shown this once. It closes only when the administrator
 * says it is written down (Esc does nothing), which core records.
 */
function RecoveryKeyModal({ recoveryKey, onDone }: { recoveryKey: string; onDone: (status: EncryptionStatus | null) => void }) {
  const confirm = useCallMutation('encryption.confirmRecoveryKey')
  const [written, setWritten] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function done() {
    if (!written) return
    setError(null)
    const r = await confirm.mutateAsync({ confirm: true })
    if (!r.ok) setError(r.error.message)
    else onDone(r.value)
  }
  const groups = recoveryKey.split('-')
  return (
    <Modal
      open
      title="Write down the recovery key"
      onClose={() => undefined}
      onSubmit={() => void done()}
      initialFocus="input[type=checkbox]"
      className="recovery-key-modal"
      footer={
        <Button variant="primary" busy={confirm.isPending} disabled={!written} onClick={() => void done()}>
          Done
        </Button>
      }
    >
      <p className="modal-text">
        This key opens the data file and its backups on any computer. Coffer shows it <strong>only now</strong>. Write it on paper and keep it
        somewhere safe, away from this computer.
      </p>
      <p className="recovery-key selectable" data-testid="recovery-key" aria-label={`Recovery key: ${groups.join(' ')}`}>
        {groups.map((g, i) => (
          <span key={i} className="recovery-key-group">
            {g}
          </span>
        ))}
      </p>
      <p className="modal-text muted">Letters and digits only: there is no O, I, L or U, so 0 and 1 are digits.</p>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <CheckField label="I have written it down" checked={written} onChange={setWritten} disabled={confirm.isPending} />
    </Modal>
  )
}

/** The recovery key typed in: one line, no spell check or autofill. */
export function RecoveryKeyField({
  value,
  onChange,
  error,
  disabled,
  label = 'Recovery key'
}: {
  value: string
  onChange: (v: string) => void
  error?: string
  disabled?: boolean
  label?: string
}) {
  return (
    <TextField
      label={label}
      required
      hint="The 14 groups of four letters and digits written down when encryption was turned on."
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      disabled={disabled}
      autoComplete="off"
      spellCheck={false}
      inputClassName="mono recovery-key-input"
      name="recoveryKey"
    />
  )
}

/**
 * The start-up page's way out of DB_KEY_NEEDED: the recovery key opens the
 * data file, and this computer's keychain keeps its key for next time.
 */
export function UnlockWithRecoveryKey() {
  const [typed, setTyped] = useState('')
  const [fieldError, setFieldError] = useState<string | undefined>(undefined)
  const [banner, setBanner] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [notKept, setNotKept] = useState(false)

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (busy) return
    setBusy(true)
    setFieldError(undefined)
    setBanner(null)
    const r = await invoke('encryption.unlock', { recoveryKey: typed })
    setBusy(false)
    if (!r.ok) {
      const placed = placeServerError(r.error, ['recoveryKey'])
      setFieldError(placed.fields.recoveryKey)
      setBanner(placed.banner)
      return
    }
    if (r.value.status.state === 'failed') setBanner(r.value.status.failure.message)
    else if (!r.value.keyKept) setNotKept(true)
    else window.location.reload()
  }

  return (
    <section className="boot-recovery" aria-labelledby="unlock-title">
      <h2 id="unlock-title" className="boot-subtitle">
        Open with the recovery key
      </h2>
      {notKept ? (
        <>
          <Banner tone="warning" title="The data file is open, but this computer’s keychain could not keep its key">
            Coffer will ask for the recovery key again at the next start.
          </Banner>
          <Button variant="primary" onClick={() => window.location.reload()}>
            Carry on
          </Button>
        </>
      ) : (
        <form className="form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label="Open with the recovery key">
          <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
          <RecoveryKeyField value={typed} onChange={setTyped} error={fieldError} disabled={busy} />
          <Button type="submit" variant="primary" busy={busy}>
            Open the data file
          </Button>
        </form>
      )}
    </section>
  )
}
