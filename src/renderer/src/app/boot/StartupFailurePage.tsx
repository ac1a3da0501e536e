import { useEffect, useState } from 'react'
import type { StartupFailure } from '../../../../shared/contract'
import { invoke } from '../../platform/api'
import { Button } from '../../ui/Button'
import { fmtInstant } from '../../platform/format'
import { UnlockWithRecoveryKey } from '../../features/settings/EncryptionSection'

// The data file could not be opened, so neither could the cooperative's profile: the computer's own locale and zone.
const SYSTEM = (() => {
  const o = new Intl.DateTimeFormat().resolvedOptions()
  return { locale: o.locale, timeZone: o.timeZone }
})()

export interface StartupFailurePageProps {
  failure: StartupFailure
  version?: string
}

/** Full-window page when the data file could not be opened: what happened, where, and what to do. */
export function StartupFailurePage({ failure, version }: StartupFailurePageProps) {
  const [note, setNote] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [recovering, setRecovering] = useState<'restore' | 'empty' | null>(null)
  const [confirmEmpty, setConfirmEmpty] = useState(false)
  const recovery = failure.code === 'DB_MISSING_WITH_BACKUPS' ? failure.recovery : undefined
  const newest = recovery?.newestGoodBackup ?? null

  /** Restores the newest good backup, or starts empty; the app reloads on the data once core has started. */
  async function recover(how: 'restore' | 'empty') {
    setRecovering(how)
    setNote(null)
    const r = how === 'restore' ? await invoke('app.restoreNewestBackup', { confirm: true }) : await invoke('app.startEmpty', { confirm: true })
    setRecovering(null)
    if (!r.ok) setNote(r.error.message)
    else if (r.value.status.state === 'failed') setNote(r.value.status.failure.message)
    else window.location.reload()
  }

  useEffect(() => {
    document.title = `${failure.title} · Coffer`
  }, [failure.title])

  async function showFolder() {
    setBusy(true)
    setNote(null)
    const r = await invoke('app.showDataFolder', {})
    setBusy(false)
    if (!r.ok) {
      setNote(
        r.error.code === 'UNAVAILABLE'
          ? 'Showing the folder only works in the desktop app. Open the path above in your file manager.'
          : r.error.message
      )
    } else if (!r.value.opened) {
      setNote('The folder could not be opened. Open the path above in your file manager.')
    }
  }

  return (
    <main className="boot-page" aria-labelledby="startup-failure-title">
      <div className="boot-card boot-card-failure">
        <p className="boot-eyebrow">Coffer could not start</p>
        <h1 id="startup-failure-title" className="boot-title">
          {failure.title}
        </h1>
        <p className="boot-message">{failure.message}</p>

        <div className="boot-path-block">
          <span className="boot-path-label" id="startup-failure-path-label">
            File
          </span>
          <code className="boot-path" aria-labelledby="startup-failure-path-label" data-testid="failure-path">
            {failure.path}
          </code>
        </div>

        {failure.advice.length > 0 ? (
          <section className="boot-advice" aria-labelledby="startup-failure-advice">
            <h2 id="startup-failure-advice" className="boot-subtitle">
              What you can do
            </h2>
            <ul>
              {failure.advice.map((a, i) => (
                <li key={i}>{a}</li>
              ))}
            </ul>
          </section>
        ) : null}

        {failure.code === 'DB_KEY_NEEDED' ? <UnlockWithRecoveryKey /> : null}

        {recovery ? (
          <section className="boot-recovery" aria-labelledby="startup-recovery-title">
            <h2 id="startup-recovery-title" className="boot-subtitle">
              Carry on
            </h2>
            {newest ? (
              <div className="boot-recovery-option">
                <p>
                  Newest good backup: <span className="mono">{newest.name}</span>, saved {fmtInstant(newest.createdAt, SYSTEM.locale, SYSTEM.timeZone)}
                  {newest.holdsData ? null : ' (it holds no records)'}.
                </p>
                <Button variant="primary" onClick={() => void recover('restore')} busy={recovering === 'restore'} disabled={recovering !== null}>
                  Restore this backup
                </Button>
              </div>
            ) : recovery.backups === 0 ? (
              <p>There is no backup to restore from here.</p>
            ) : (
              <p>None of the {recovery.backups} backups passed its check, so none can be restored from here.</p>
            )}
            <div className="boot-recovery-option">
              <label className="check">
                <input type="checkbox" checked={confirmEmpty} onChange={(e) => setConfirmEmpty(e.target.checked)} />
                {recovery.backups === 0
                  ? 'I want to start again with no records (the old journal files are kept aside)'
                  : 'I want to start again with no records (the backups are kept)'}
              </label>
              <Button
                variant="danger"
                onClick={() => void recover('empty')}
                busy={recovering === 'empty'}
                disabled={!confirmEmpty || recovering !== null}
              >
                Start with an empty data file
              </Button>
            </div>
          </section>
        ) : null}

        <div className="boot-actions">
          <Button variant={recovery ? 'secondary' : 'primary'} onClick={() => window.location.reload()}>
            Try again
          </Button>
          <Button onClick={showFolder} busy={busy}>
            Show data folder
          </Button>
        </div>
        {note ? (
          <p className="boot-note" role="status">
            {note}
          </p>
        ) : null}
        <p className="boot-footnote">
          Error code <span className="mono">{failure.code}</span>
          {version ? <> · Coffer {version}</> : null}
        </p>
      </div>
    </main>
  )
}
