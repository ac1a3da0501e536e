import { useState, type ReactNode } from 'react'
import type { Envelope } from '../../../shared/contract'
import { invoke } from '../platform/api'
import { Banner } from './Banner'
import { Button } from './Button'

export interface SavedFileProps {
  /** The path Coffer wrote. */
  file: string
  /** A line above the path, e.g. why the file was saved rather than printed. */
  note?: ReactNode
  title?: string
  onDismiss?: () => void
  /**
   * Asked before opening: core's check that the file is still the one it
   * made, answering the path to open (a generated report: reports.file).
   * Its refusal is shown in place of opening.
   */
  check?: () => Promise<Envelope<{ file: string }>>
}

/**
 * "Saved to <file>" with an Open button (app.openFile). Outside the desktop
 * app opening answers UNAVAILABLE: the path stays on screen, selectable, with
 * a line saying where to find it.
 */
export function SavedFile({ file, note, title, onDismiss, check }: SavedFileProps) {
  const [opening, setOpening] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  async function open() {
    setOpening(true)
    setProblem(null)
    let target = file
    if (check) {
      const checked = await check()
      if (!checked.ok) {
        setOpening(false)
        setProblem(checked.error.message)
        return
      }
      target = checked.value.file
    }
    const r = await invoke('app.openFile', { file: target })
    setOpening(false)
    if (!r.ok) {
      setProblem(
        r.error.code === 'UNAVAILABLE'
          ? 'Opening files needs the Coffer desktop app. The file is saved at the path above.'
          : r.error.message
      )
    } else if (!r.value.opened) {
      setProblem('The file could not be opened: there may be no program for it on this computer.')
    }
  }

  return (
    <Banner tone="success" title={title} onDismiss={onDismiss} className="saved-file">
      {note ? <p className="saved-file-note">{note}</p> : null}
      <p className="saved-file-line" data-testid="saved-file">
        <span>Saved to</span> <code className="saved-file-path selectable">{file}</code>
        <Button small onClick={() => void open()} busy={opening}>
          Open
        </Button>
      </p>
      {problem ? (
        <p className="saved-file-problem" role="status">
          {problem}
        </p>
      ) : null}
    </Banner>
  )
}
