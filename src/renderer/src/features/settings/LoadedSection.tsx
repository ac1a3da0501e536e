import type { ReactNode } from 'react'
import type { UseQueryResult } from '@tanstack/react-query'
import { PageError, PageLoading } from '../../ui/PageState'

/**
 * A settings section that shows a form once its settings are loaded: the
 * section's heading (and any link beside it), then the load's failure with
 * a way to try again, the loading state, or `children` with the settings.
 */
export function LoadedSection<T>({
  id,
  title,
  className,
  testId,
  headExtra,
  query,
  errorTitle,
  loadingLabel,
  children
}: {
  /** The heading's id, like "bond-settings-title". */
  id: string
  title: string
  /** Added after "settings-section". */
  className: string
  testId?: string
  headExtra?: ReactNode
  query: UseQueryResult<T>
  errorTitle: string
  loadingLabel: string
  children: (data: T) => ReactNode
}) {
  return (
    <section className={`settings-section ${className}`} aria-labelledby={id} data-testid={testId}>
      <div className="section-head">
        <h2 className="section-title" id={id}>
          {title}
        </h2>
        {headExtra}
      </div>
      {query.isError && !query.data ? (
        <PageError error={query.error} title={errorTitle} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <PageLoading label={loadingLabel} />
      ) : (
        children(query.data)
      )}
    </section>
  )
}
