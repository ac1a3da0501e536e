/** The Reports area's line icon (a sheet with a bar chart), drawn like app/icons.tsx's. */
export function IconReports() {
  return (
    <svg width={16} height={16} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable={false}>
      <rect x="2.2" y="1.8" width="11.6" height="12.4" rx="1.2" />
      <path d="M5.2 11.4V8.6" />
      <path d="M8 11.4V5.2" />
      <path d="M10.8 11.4V7.2" />
    </svg>
  )
}
