/** The Dashboard's line icon (bars on a baseline), drawn like app/icons.tsx's. */
export function IconDashboard() {
  return (
    <svg width={16} height={16} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable={false}>
      <path d="M1.5 14.5h13" />
      <path d="M3.5 14.5V9M6.5 14.5V5M9.5 14.5V7.5M12.5 14.5V2.5" />
    </svg>
  )
}
