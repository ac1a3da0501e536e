import type { InputHTMLAttributes } from 'react'

export interface SwitchProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'onChange' | 'checked'> {
  checked: boolean
  onChange: (checked: boolean) => void
  /** Words shown next to the switch for each state, e.g. "On" / "Paused". */
  onText?: string
  offText?: string
}

/** An on/off switch: a real checkbox (role="switch"), so Space toggles it and it reads as on/off. */
export function Switch({ checked, onChange, onText, offText, className, ...rest }: SwitchProps) {
  return (
    <label className={['switch', checked ? 'is-on' : 'is-off', className ?? ''].filter(Boolean).join(' ')}>
      <input
        type="checkbox"
        role="switch"
        className="switch-input"
        checked={checked}
        aria-checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        {...rest}
      />
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      {onText || offText ? (
        <span className="switch-text" aria-hidden="true">
          {checked ? onText : offText}
        </span>
      ) : null}
    </label>
  )
}
