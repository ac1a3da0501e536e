import type { SelectHTMLAttributes } from 'react'

export interface SelectOption {
  value: string
  label: string
}

export interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  options: ReadonlyArray<SelectOption>
}

/**
 * A <select> with one <option> per entry. Other props go to the select, so it
 * works inside Field (which gives it its id and ARIA links).
 */
export function Select({ options, ...rest }: SelectProps) {
  return (
    <select {...rest}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  )
}
