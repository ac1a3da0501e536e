import { Field } from '../../ui/Field'

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
