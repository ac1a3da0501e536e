/** The Audit page's line icon (a page with a tick), drawn like app/icons.tsx's. */
export function IconAudit() {
  return (
    <svg width={16} height={16} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable={false}>
      <path d="M9.5 1.5H4a1.5 1.5 0 0 0-1.5 1.5v10A1.5 1.5 0 0 0 4 14.5h8a1.5 1.5 0 0 0 1.5-1.5V5.5z" />
      <path d="M9.5 1.5v4h4" />
      <path d="M5.5 10l1.8 1.8 3.2-3.6" />
    </svg>
  )
}
