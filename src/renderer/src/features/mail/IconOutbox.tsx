/** The Outbox area's line icon (an envelope leaving a tray), drawn like app/icons.tsx's. */
export function IconOutbox() {
  return (
    <svg width={16} height={16} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable={false}>
      <path d="M1.8 9.5h3.4l1 1.7h3.6l1-1.7h3.4" />
      <path d="M1.8 9.5v4h12.4v-4" />
      <path d="M3.6 2.2h8.8v5H3.6z" />
      <path d="M3.6 2.4 8 5.3l4.4-2.9" />
    </svg>
  )
}
