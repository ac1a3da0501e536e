/** The Payroll area's line icon (a payslip with a person), drawn like app/icons.tsx's. */
export function IconPayroll() {
  return (
    <svg width={16} height={16} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable={false}>
      <path d="M3.5 1.8h6.2l2.8 2.8v9.6h-9z" />
      <path d="M9.7 1.8v2.8h2.8" />
      <circle cx="8" cy="7" r="1.5" />
      <path d="M5.6 11.2a2.6 2.6 0 0 1 4.8 0" />
    </svg>
  )
}
