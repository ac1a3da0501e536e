import type { AuditEntry } from '../../../../shared/contract'
import { auditChanges, type AuditChange, type AuditWordsContext } from '../../../../shared/audit-labels'

/** Real changes shown before "Show all" is asked for. */
const FOLDED = 2

/**
 * What an audit row changed, field by field, as "Full name: Amina Odhiambo
 * → Amina Achieng" (an addition gives the new values, a removal the old
 * ones). Folded to the first real changes; open, every change, bookkeeping
 * (version, time of change) last and quieter.
 */
export function AuditChanges({
  entry,
  ctx,
  open,
  onToggle
}: {
  entry: AuditEntry
  ctx: AuditWordsContext
  open: boolean
  onToggle: () => void
}) {
  const changes = auditChanges(entry, ctx)
  if (changes === null) {
    return (
      <div className="audit-changes">
        <p className="text-warning">The stored values cannot be read as fields:</p>
        <pre className="audit-raw selectable">{[entry.before, entry.after].filter((v) => v !== null).join('\n→\n')}</pre>
      </div>
    )
  }
  if (changes.length === 0) return <span className="muted">No field changed</span>
  const real = changes.filter((c) => !c.bookkeeping)
  const shown = open ? changes : (real.length ? real : changes).slice(0, FOLDED)
  const hidden = changes.length - shown.length
  return (
    <div className="audit-changes">
      <ul className="audit-change-list">
        {shown.map((c) => (
          <ChangeLine key={c.field} c={c} />
        ))}
      </ul>
      {hidden > 0 || open ? (
        <button type="button" className="link-button audit-more" aria-expanded={open} onClick={onToggle}>
          {open ? 'Show fewer' : `Show all ${changes.length} fields (${hidden} more)`}
        </button>
      ) : null}
    </div>
  )
}

function ChangeLine({ c }: { c: AuditChange }) {
  return (
    <li className={c.bookkeeping ? 'audit-change is-bookkeeping' : 'audit-change'} data-field={c.field}>
      <span className="audit-field">{c.label}:</span>{' '}
      {c.before !== null && c.after !== null ? (
        <>
          <del className="audit-old">{c.before}</del>
          <span className="audit-arrow" aria-label="changed to">
            {' → '}
          </span>
          <ins className="audit-new">{c.after}</ins>
        </>
      ) : c.after !== null ? (
        <ins className="audit-new">{c.after}</ins>
      ) : (
        <del className="audit-old">{c.before}</del>
      )}
    </li>
  )
}
