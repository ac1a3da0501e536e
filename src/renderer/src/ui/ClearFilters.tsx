import { Button } from './Button'
import { Field } from './Field'
import { MemberPicker, type PickedMember } from './MemberPicker'

interface SeriesOption {
  id: number
  code: string
  name: string
}

/** The Series select of a filter bar: all series, or one (kept even when it is not in the list). */
export function SeriesFilter({
  value,
  series,
  onChange
}: {
  value: number | null
  series: ReadonlyArray<SeriesOption> | undefined
  onChange: (seriesId: number | null) => void
}) {
  return (
    <Field label="Series" className="filter-series">
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}>
        <option value="">All series</option>
        {(series ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.code} · {s.name}
          </option>
        ))}
        {value && !series?.some((s) => s.id === value) ? <option value={value}>Series #{value}</option> : null}
      </select>
    </Field>
  )
}

/** The member picker of a filter bar: any member, active or not. */
export function MemberFilter({ value, onChange }: { value: PickedMember | null; onChange: (member: PickedMember | null) => void }) {
  return <MemberPicker className="filter-member" value={value} onChange={onChange} status="all" popover placeholder="Any member" />
}

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
