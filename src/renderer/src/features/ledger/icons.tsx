/** The Accounts page's line icon (a tree of accounts), drawn like app/icons.tsx's. */
export function IconAccounts() {
  return (
    <svg width={16} height={16} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable={false}>
      <rect x="1.5" y="1.5" width="5" height="3" rx="0.8" />
      <rect x="9.5" y="6.5" width="5" height="3" rx="0.8" />
      <rect x="9.5" y="11.5" width="5" height="3" rx="0.8" />
      <path d="M4 4.5v8.5h5.5M4 8h5.5" />
    </svg>
  )
}

/** The Journal's line icon (a ruled book). */
export function IconJournal() {
  return (
    <svg width={16} height={16} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable={false}>
      <path d="M3 1.5h9a1.5 1.5 0 0 1 1.5 1.5v10a1.5 1.5 0 0 1-1.5 1.5H3z" />
      <path d="M5.5 1.5v13M7.5 5h4M7.5 8h4M7.5 11h2.5" />
    </svg>
  )
}
