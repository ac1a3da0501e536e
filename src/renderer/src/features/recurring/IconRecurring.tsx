/** The Recurring area's line icon (a calendar with a repeat arrow), drawn like app/icons.tsx's. */
export function IconRecurring() {
  return (
    <svg width={16} height={16} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable={false}>
      <path d="M12.8 6.2A5 5 0 0 0 3.6 5" />
      <path d="M3.2 2.6V5.2h2.6" />
      <path d="M3.2 9.8a5 5 0 0 0 9.2 1.2" />
      <path d="M12.8 13.4v-2.6h-2.6" />
      <path d="M8 5.8v2.4l1.6 1" />
    </svg>
  )
}
