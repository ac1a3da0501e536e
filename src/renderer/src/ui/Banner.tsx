import type { ReactNode } from 'react'

export type BannerTone = 'error' | 'warning' | 'info' | 'success'

export interface BannerProps {
  tone?: BannerTone
  title?: string
  children?: ReactNode
  onDismiss?: () => void
  className?: string
}

/** A message across the top of a form or page. Errors and warnings are announced (role="alert"). */
export function Banner({ tone = 'info', title, children, onDismiss, className }: BannerProps) {
  const role = tone === 'error' || tone === 'warning' ? 'alert' : 'status'
  return (
    <div className={['banner', `banner-${tone}`, className ?? ''].filter(Boolean).join(' ')} role={role}>
      <div className="banner-body">
        {title ? <p className="banner-title">{title}</p> : null}
        {children ? <div className="banner-text">{children}</div> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="banner-dismiss" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      ) : null}
    </div>
  )
}

/** An error banner for a form's message that has no field to sit by; nothing when there is none. */
export function ErrorBanner({ message, onDismiss }: { message: string | null; onDismiss?: () => void }) {
  return message ? (
    <Banner tone="error" onDismiss={onDismiss}>
      {message}
    </Banner>
  ) : null
}
