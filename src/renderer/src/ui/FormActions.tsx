import { Button } from './Button'

interface FormActionsProps {
  /** The submit button's words ("Save member"). */
  saveLabel: string
  saving: boolean
  onCancel: () => void
}

/** Save and Cancel under a page form, the saving status for screen readers, and the Ctrl+S hint. */
export function FormActions({ saveLabel, saving, onCancel }: FormActionsProps) {
  return (
    <div className="form-actions">
      <Button type="submit" variant="primary" busy={saving}>
        {saveLabel}
      </Button>
      <Button onClick={onCancel} disabled={saving}>
        Cancel
      </Button>
      <span className="form-status" role="status">
        {saving ? 'Saving…' : ''}
      </span>
      <span className="form-shortcut muted" aria-hidden="true">
        <kbd>Ctrl</kbd>+<kbd>S</kbd> saves
      </span>
    </div>
  )
}
