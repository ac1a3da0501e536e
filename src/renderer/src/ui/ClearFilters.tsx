import { Button } from './Button'

/** The Clear filters button at the end of a filter bar. */
export function ClearFilters({ disabled, onClear }: { disabled: boolean; onClear: () => void }) {
  return (
    <div className="filters-end">
      <Button small variant="ghost" disabled={disabled} onClick={onClear}>
        Clear filters
      </Button>
    </div>
  )
}
