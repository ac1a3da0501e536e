import type { ReactNode } from 'react'

/** One label and its value in a detail page's facts list (`<dl className="payroll-facts">`). */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="payroll-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}
