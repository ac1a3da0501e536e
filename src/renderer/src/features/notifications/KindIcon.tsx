const common = {
  width: 16,
  height: 16,
  viewBox: '0 0 16 16',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.5,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  'aria-hidden': true,
  focusable: false
}

/** The icon of a notification's kind (info, success, warning, error); anything else reads as info. */
export function KindIcon({ kind }: { kind: string }) {
  switch (kind) {
    case 'success':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M5.2 8.2l1.9 1.9 3.7-4" />
        </svg>
      )
    case 'warning':
      return (
        <svg {...common}>
          <path d="M8 1.8l6.4 11.4H1.6z" />
          <path d="M8 6.3v3.1M8 11.3v.1" />
        </svg>
      )
    case 'error':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M5.8 5.8l4.4 4.4M10.2 5.8l-4.4 4.4" />
        </svg>
      )
    default:
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M8 7.2v3.8M8 4.9v.1" />
        </svg>
      )
  }
}

export const KIND_LABELS: Record<string, string> = {
  info: 'Information',
  success: 'Success',
  warning: 'Warning',
  error: 'Error'
}
