import { useEffect, useState } from 'react'
import { ApiError } from '../platform/api'
import { Banner } from './Banner'
import { Button } from './Button'

/** What a person may read of an error: an ApiError's message, never a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.error.message
  if (error instanceof Error && error.message) return error.message
  if (typeof error === 'string' && error) return error
  return 'Something went wrong.'
}

/** A quiet page-level loading state; shows nothing for the first 150 ms so quick loads do not flash. */
export function PageLoading({ label = 'Loading…' }: { label?: string }) {
  const [visible, setVisible] = useState(false)
  useEffect(() => {
    const t = setTimeout(() => setVisible(true), 150)
    return () => clearTimeout(t)
  }, [])
  return (
    <div className="page-state" role="status" aria-live="polite" aria-busy="true">
      {visible ? (
        <>
          <span className="spinner" aria-hidden="true" />
          <span>{label}</span>
        </>
      ) : null}
    </div>
  )
}

export interface PageErrorProps {
  error: unknown
  title?: string
  onRetry?: () => void
  children?: React.ReactNode
}

/** A page-level failure: a title, the error's message, and a way to try again. */
export function PageError({ error, title = 'This page could not be loaded', onRetry, children }: PageErrorProps) {
  const notFound = error instanceof ApiError && error.error.code === 'NOT_FOUND'
  return (
    <div className="page-state page-state-error" role="alert">
      <p className="page-state-title">{notFound ? 'Not found' : title}</p>
      <p className="page-state-message">{errorMessage(error)}</p>
      <div className="page-state-actions">
        {onRetry && !notFound ? (
          <Button variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
        {children}
      </div>
    </div>
  )
}

/** A list that is on screen but could not be asked again: a banner over it with a way to retry. */
export function RefreshError({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => void }) {
  return (
    <Banner tone="error" className="page-banner" title={title}>
      {errorMessage(error)}{' '}
      <button type="button" className="link-button" onClick={onRetry}>
        Try again
      </button>
    </Banner>
  )
}
