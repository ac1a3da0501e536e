import { runStatusLabel, runStatusTone } from './labels'

/** The status of a run in words, coloured by what it means; unknown statuses are grey text. */
export function RunStatusBadge({ status }: { status: string }) {
  const tone = runStatusTone(status)
  const label = runStatusLabel(status)
  if (!tone) {
    return (
      <span className="run-status run-status-unknown" data-status={status}>
        {label}
      </span>
    )
  }
  return (
    <span className={`badge run-status run-status-${tone}`} data-status={status}>
      {label}
    </span>
  )
}
