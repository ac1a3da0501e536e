import { useEffect, useRef } from 'react'

/** The select-all box of a table header: ticked, unticked or (some rows ticked) indeterminate. */
export function HeaderCheckbox({
  checked,
  indeterminate,
  disabled,
  onChange,
  label
}: {
  checked: boolean
  indeterminate: boolean
  disabled: boolean
  onChange: (on: boolean) => void
  label: string
}) {
  const ref = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate
  }, [indeterminate])
  return (
    <input
      ref={ref}
      type="checkbox"
      className="row-check"
      checked={checked}
      disabled={disabled}
      onChange={(e) => onChange(e.target.checked)}
      aria-label={label}
    />
  )
}
