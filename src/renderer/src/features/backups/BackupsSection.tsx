import { useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { Backup, JobRun } from '../../../../shared/contract'
import { call, invoke } from '../../platform/api'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { CheckField } from '../../ui/Field'
import { PageError } from '../../ui/PageState'
import { useCallMutation } from '../../platform/queries'
import { useEvent } from '../../platform/useEvent'
import { fmtBytes, fmtInstant } from '../../platform/format'
import { isRunning } from '../jobs/labels'
import { RunProgress } from '../jobs/RunProgress'
import { jobKeys, patchRun } from '../jobs/queries'
import { backupKeys } from './queries'
import { RecoveryKeyField } from '../settings/EncryptionSection'
import { useCan } from '../auth/useCan'

/** The job that writes a backup; "Back up now" runs it like any other job. */
const BACKUP_JOB = 'backup'

const KIND_LABELS: Record<string, string> = {
  daily: 'Daily',
  weekly: 'Weekly',
  manual: 'Manual',
  'pre-migration': 'Before update',
  'pre-restore': 'Before restore'
}

type Notice = { tone: 'error' | 'success' | 'info'; text: string }

/**
 * Settings → Backups: where they are, what there is, "Back up now" (the
 * backup job, with its progress) and "Restore…" behind a clear confirmation.
 */
export function BackupsSection() {
  const { profile } = useProfile()
  const client = useQueryClient()
  const list = useQuery({ queryKey: backupKeys.list(), queryFn: () => call('backups.list', {}) })
  // A backup under way (this button, the schedule, another window) shows its progress: the jobs list is kept live.
  const jobs = useQuery({ queryKey: jobKeys.list(), queryFn: () => call('jobs.list', {}) })
  const run = jobs.data?.find((j) => j.id === BACKUP_JOB)?.running ?? null
  const runJob = useCallMutation('jobs.run')
  const [starting, setStarting] = useState(false)
  const [notice, setNotice] = useState<Notice | null>(null)
  const [restoring, setRestoring] = useState<Backup | null>(null)
  const canBackUp = useCan('jobs.run')
  const canRestore = useCan('backups.restore')
  const reload = () => void list.refetch()
  const ended = (r: JobRun) => {
    if (r.status === 'succeeded') setNotice({ tone: 'success', text: r.result?.summary || 'Backup written.' })
    else setNotice({ tone: 'error', text: `The backup did not finish: ${r.error ?? r.result?.summary ?? r.status}` })
  }

  // The list itself is asked again when a backup run ends (app/invalidation.ts); here, say how it went.
  useEvent('jobs.runUpdated', (r) => {
    if (r.jobId === BACKUP_JOB && !isRunning(r)) ended(r)
  })

  async function backUpNow() {
    setStarting(true)
    setNotice(null)
    const r = await runJob.mutateAsync({ jobId: BACKUP_JOB, force: false })
    setStarting(false)
    if (!r.ok) {
      setNotice({ tone: 'error', text: r.error.message })
      return
    }
    patchRun(client, r.value)
    // Finished before it answered: the event may have come first, so say it here too.
    if (!isRunning(r.value)) ended(r.value)
  }

  const folder = list.data?.folder
  const backups = list.data?.backups ?? []
  const sorted = [...backups].sort((a, b) => (a.createdAt === b.createdAt ? 0 : a.createdAt < b.createdAt ? 1 : -1))

  return (
    <section className="settings-section backups" aria-labelledby="backups-title">
      <div className="section-head">
        <h2 className="section-title" id="backups-title">
          Backups
        </h2>
        {canBackUp ? (
          <Button variant="primary" onClick={() => void backUpNow()} busy={starting} disabled={!!run}>
            Back up now
          </Button>
        ) : null}
      </div>
      <p className="section-text muted">
        Coffer backs up its data every night and before each update. Copy the folder to another disk now and then.
      </p>
      {folder ? (
        <p className="backups-folder">
          <span className="muted">Folder</span> <code className="selectable" data-testid="backups-folder">{folder}</code>
        </p>
      ) : null}

      {run ? (
        <div className="backup-progress" data-testid="backup-progress">
          <span className="spinner" aria-hidden="true" />
          <div className="backup-progress-main">
            <p>Backing up…</p>
            <RunProgress progress={run.progress} label="Backup progress" />
          </div>
        </div>
      ) : null}
      {notice ? (
        <Banner tone={notice.tone} onDismiss={() => setNotice(null)}>
          {notice.text}
        </Banner>
      ) : null}

      {list.isError && !list.data ? (
        <PageError error={list.error} title="The backups could not be listed" onRetry={reload} />
      ) : list.data ? (
        sorted.length === 0 ? (
          <p className="table-empty muted">No backups yet. Back up now to make the first one.</p>
        ) : (
          <div className="table-wrap">
            <table className="table backups-table" aria-label="Backups">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Created</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  {canRestore ? (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {sorted.map((b) => (
                  <tr key={b.name} data-backup-name={b.name}>
                    <td className="mono selectable backup-name" title={b.name}>
                      {b.name}
                    </td>
                    <td>{KIND_LABELS[b.kind] ?? b.kind}</td>
                    <td className="tnum">{fmtInstant(b.createdAt, profile.locale, profile.timeZone, { seconds: true })}</td>
                    <td className="num">{fmtBytes(b.sizeBytes, profile.locale)}</td>
                    {canRestore ? (
                      <td className="col-actions">
                        <Button small onClick={() => setRestoring(b)} disabled={!!run}>
                          Restore…
                        </Button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : (
        <p className="muted">Loading backups…</p>
      )}

      {restoring ? <RestoreModal key={restoring.name} backup={restoring} onClose={() => setRestoring(null)} /> : null}
    </section>
  )
}

function RestoreModal({ backup, onClose }: { backup: Backup; onClose: () => void }) {
  const { profile } = useProfile()
  const [understood, setUnderstood] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // An encrypted backup whose key this computer does not keep: core asks for its recovery key.
  const [askKey, setAskKey] = useState(false)
  const [recoveryKey, setRecoveryKey] = useState('')
  const [keyError, setKeyError] = useState<string | undefined>(undefined)
  const when = fmtInstant(backup.createdAt, profile.locale, profile.timeZone)

  async function restore() {
    setBusy(true)
    setError(null)
    setKeyError(undefined)
    const r = await invoke('backups.restore', { name: backup.name, confirm: true, ...(askKey ? { recoveryKey } : {}) })
    if (!r.ok) {
      setBusy(false)
      const forKey = r.error.fields?.recoveryKey
      if (forKey && !askKey) {
        setAskKey(true)
        setError(r.error.message)
      } else if (forKey) setKeyError(forKey)
      else setError(r.error.fields?.name ?? r.error.message)
      return
    }
    // Everything on screen belongs to the old data: start again on the restored file.
    window.location.reload()
  }

  return (
    <ConfirmModal
      title="Restore this backup?"
      onClose={onClose}
      busy={busy}
      initialFocus="input[type=checkbox]"
      confirmLabel="Restore this backup"
      onConfirm={() => void restore()}
      variant="danger"
      confirmDisabled={!understood}
      error={error}
      fields={askKey ? <RecoveryKeyField value={recoveryKey} onChange={setRecoveryKey} error={keyError} disabled={busy} /> : undefined}
    >
      <p className="modal-text">
        Coffer will replace the current data with the backup from <strong className="tnum">{when}</strong>. The current
        data is kept aside as a backup first. Anything entered after {when} will not be in the restored data.
      </p>
      <p className="modal-text muted">
        Backup <code className="selectable">{backup.name}</code> · {fmtBytes(backup.sizeBytes, profile.locale)}. Coffer
        reloads when the restore is done.
      </p>
      <CheckField label="I understand" checked={understood} onChange={setUnderstood} disabled={busy} />
    </ConfirmModal>
  )
}
