import { Button } from './Button'

interface FormActionsProps {
  /** The submit button's words ("Save member"). */
  saveLabel: string
  saving: boolean
  /** A page form's way out; a settings form that stays on screen has none. */
  onCancel?: () => void
  /** Shows "Saved" once a form that stays on screen has saved. */
  saved?: boolean
  /** Shows the Ctrl+S hint (the form calls useSaveShortcut). */
  shortcut?: boolean
}

/** Save (and Cancel) under a form, the saving status for screen readers, and the Ctrl+S hint. */
export function FormActions({ saveLabel, saving, onCancel, saved = false, shortcut = true }: FormActionsProps) {
  return (
    <div className="form-actions">
      <Button type="submit" variant="primary" busy={saving}>
        {saveLabel}
      </Button>
      {onCancel ? (
        <Button onClick={onCancel} disabled={saving}>
          Cancel
        </Button>
      ) : null}
      <span className={saved ? 'form-status form-status-ok' : 'form-status'} role="status">
        {saving ? 'Saving…' : saved ? 'Saved' : ''}
      </span>
      {shortcut ? (
        <span className="form-shortcut muted" aria-hidden="true">
          <kbd>Ctrl</kbd>+<kbd>S</kbd> saves
        </span>
      ) : null}
    </div>
  )
}
