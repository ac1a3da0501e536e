/** Small line icons drawn inline (no remote or file assets needed). */
const common = {
  width: 16,
  height: 16,
  viewBox: '0 0 16 16',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.4,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  'aria-hidden': true,
  focusable: false
}

export function IconMembers() {
  return (
    <svg {...common}>
      <circle cx="6" cy="5.5" r="2.5" />
      <path d="M1.5 13.5c0-2.5 2-4.2 4.5-4.2s4.5 1.7 4.5 4.2" />
      <path d="M10.5 3.2a2.4 2.4 0 0 1 0 4.6M12 9.6c1.5.5 2.5 1.9 2.5 3.9" />
    </svg>
  )
}

export function IconSettings() {
  return (
    <svg {...common}>
      <circle cx="8" cy="8" r="2.2" />
      <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
    </svg>
  )
}

export function IconCoffer() {
  return (
    <svg {...common} width={20} height={20} strokeWidth={1.5}>
      <rect x="1.5" y="4" width="13" height="9.5" rx="1.5" />
      <path d="M1.5 7.5h13M6.5 7.5v2h3v-2M4 4V2.5h8V4" />
    </svg>
  )
}

export function IconJobs() {
  return (
    <svg {...common}>
      <circle cx="8" cy="8" r="6.25" />
      <path d="M8 4.5V8l2.5 1.6" />
    </svg>
  )
}

export function IconBell() {
  return (
    <svg {...common} width={18} height={18}>
      <path d="M4 11.5V7.2a4 4 0 0 1 8 0v4.3l1.2 1.3H2.8z" />
      <path d="M6.6 14.2a1.5 1.5 0 0 0 2.8 0" />
    </svg>
  )
}

export function IconInbox() {
  return (
    <svg {...common}>
      <path d="M1.8 9.2 3.6 3h8.8l1.8 6.2V13H1.8z" />
      <path d="M1.8 9.2h3.4l.9 1.6h3.8l.9-1.6h3.4" />
    </svg>
  )
}

export function IconBonds() {
  return (
    <svg {...common}>
      <path d="M3 1.75h7.2L13 4.6v9.65H3z" />
      <path d="M10 1.75V4.8h3" />
      <path d="M5.5 7.5h5M5.5 9.75h5M5.5 12h2.5" />
    </svg>
  )
}

export function IconPayments() {
  return (
    <svg {...common}>
      <rect x="1.5" y="4" width="13" height="8" rx="1" />
      <circle cx="8" cy="8" r="1.8" />
      <path d="M4 6.2v.01M12 9.8v.01" />
    </svg>
  )
}

export function IconOperators() {
  return (
    <svg {...common}>
      <rect x="2.5" y="7" width="11" height="7" rx="1.5" />
      <path d="M5 7V5a3 3 0 0 1 6 0v2" />
      <circle cx="8" cy="10.5" r="1" />
    </svg>
  )
}
