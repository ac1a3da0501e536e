import { useEffect, useRef, useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import type { ExportStatus, ReportFormat } from '../../../../shared/contract'
import { call, invoke } from '../../platform/api'
import { fmtCount } from '../../platform/format'
import { useCallMutation } from '../../platform/queries'
import { useProfile } from '../profile/ProfileContext'
import { RunProgress } from '../jobs/RunProgress'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { Modal } from '../../ui/Modal'
import { errorMessage } from '../../ui/PageState'
import { SavedFile } from '../../ui/SavedFile'
import { reportKeys } from './queries'
import { FORMAT_WORDS, reportTitle, type ReportRequest } from './words'
import '../jobs/jobs.css'

/** How often the dialog asks how the export is going. */
const POLL_MS = 300

/** Why an export ended without a file, in plain words, when core gave none. */
const ENDED_WORDS: Record<Exclude<ExportStatus['status'], 'running' | 'succeeded'>, string> = {
  failed: 'The export failed: no file was kept.',
  cancelled: 'The export was cancelled: no file was kept.',
  interrupted: 'The export was interrupted (Coffer closed while it ran): no file was kept. Export again to make it.',
  'timed-out': 'The export took longer than it may and was stopped: no file was kept.'
}

/**
 * Exporting the report on screen to Excel or PDF: reports.export starts a
 * run of the report-export job off the window's path and answers at once;
 * this dialog asks reports.exportStatus every 300 ms and shows the bar
 * (rows or pages done of all), Cancel (reports.cancelExport), then the
 * file saved (with Open) and the way to Generated reports, or what went
 * wrong. Closing it while the export runs leaves the export running.
 */
export function ExportDialog({ request, format, onClose }: { request: ReportRequest; format: ReportFormat; onClose: () => void }) {
  const { profile } = useProfile()
  const start = useCallMutation('reports.export')
  const [runId, setRunId] = useState<number | null>(null)
  const [startError, setStartError] = useState<string | null>(null)
  const [cancelling, setCancelling] = useState(false)
  const [cancelError, setCancelError] = useState<string | null>(null)
  const started = useRef(false)

  useEffect(() => {
    // Once per dialog (React's development double effect must not start two exports).
    if (started.current) return
    started.current = true
    void start.mutateAsync({ name: request.name, params: request.params, format }).then((r) => {
      if (r.ok) setRunId(r.value.runId)
      else setStartError(r.error.message)
    })
  }, [format, request, start])

  const status = useQuery({
    queryKey: reportKeys.exportStatus(runId ?? 0),
    queryFn: () => call('reports.exportStatus', { runId: runId! }),
    enabled: runId !== null,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'running' ? false : POLL_MS),
    refetchIntervalInBackground: true
  })
  const s = status.data
  const running = startError === null && (!s || s.status === 'running')

  async function cancel() {
    if (runId === null) return
    setCancelling(true)
    setCancelError(null)
    const r = await invoke('reports.cancelExport', { runId })
    if (!r.ok) {
      setCancelling(false)
      setCancelError(r.error.message)
    } else if (!r.value.cancelling) {
      // It had already ended: the next answer says how.
      setCancelling(false)
      void status.refetch()
    }
  }

  const what = `${reportTitle(request.name)} to ${FORMAT_WORDS[format]}`
  return (
    <Modal
      open
      title={s?.status === 'succeeded' ? `${reportTitle(request.name)} exported` : `Exporting ${what}`}
      onClose={onClose}
      className="report-export-dialog"
      footer={
        running ? (
          <>
            <Button onClick={onClose}>Close</Button>
            <Button variant="danger" onClick={() => void cancel()} busy={cancelling} disabled={runId === null}>
              Cancel export
            </Button>
          </>
        ) : (
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        )
      }
    >
      <div data-testid="export-dialog" data-status={startError ? 'refused' : (s?.status ?? 'starting')}>
        {startError ? (
          <Banner tone="error" title="The export could not start">
            {startError}
          </Banner>
        ) : status.isError && !s ? (
          <Banner tone="error" title="Coffer could not say how the export is going">
            {errorMessage(status.error)}{' '}
            <button type="button" className="link-button" onClick={() => void status.refetch()}>
              Try again
            </button>
          </Banner>
        ) : !s || s.status === 'running' ? (
          <>
            <p className="modal-text">
              Coffer is writing the file in the background; the window stays free. Closing this leaves the export running: the file appears in{' '}
              <Link to="/reports/generated">Generated reports</Link> when it is done.
            </p>
            <RunProgress progress={{ done: s?.done ?? 0, total: s?.total ?? null, note: s?.note ?? (cancelling ? 'Cancelling…' : null) }} label="Export progress" />
            {cancelError ? (
              <Banner tone="error" title="The export could not be cancelled">
                {cancelError}
              </Banner>
            ) : null}
          </>
        ) : s.status === 'succeeded' && s.generated ? (
          <>
            <SavedFile
              file={s.generated.file}
              check={() => invoke('reports.file', { id: s.generated!.id })}
              title={`${what}: ${fmtCount(s.generated.rows, profile.locale)} ${s.generated.rows === 1 ? 'row' : 'rows'}`}
            />
            <p className="modal-text">
              It is listed with the others, to open again or email, in <Link to="/reports/generated">Generated reports</Link>.
            </p>
          </>
        ) : (
          <Banner tone={s.status === 'cancelled' ? 'info' : 'error'} title={s.status === 'cancelled' ? 'Export cancelled' : 'The export did not finish'}>
            <span data-testid="export-ended">{s.status === 'cancelled' ? ENDED_WORDS.cancelled : (s.error ?? ENDED_WORDS[s.status as keyof typeof ENDED_WORDS] ?? ENDED_WORDS.failed)}</span>
          </Banner>
        )}
      </div>
    </Modal>
  )
}
