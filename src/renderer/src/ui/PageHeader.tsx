import { useEffect, type ReactNode } from 'react'

export interface PageHeaderProps {
  title: ReactNode
  /** Plain text for the window title when `title` is not a string. */
  documentTitle?: string
  subtitle?: ReactNode
  /** Buttons on the right. */
  actions?: ReactNode
  /** A line above the title, e.g. a back link. */
  before?: ReactNode
}

export function PageHeader({ title, documentTitle, subtitle, actions, before }: PageHeaderProps) {
  const text = documentTitle ?? (typeof title === 'string' ? title : undefined)
  useEffect(() => {
    if (text) document.title = `${text} · Coffer`
  }, [text])
  return (
    <header className="page-header">
      {before ? <div className="page-header-before">{before}</div> : null}
      <div className="page-header-row">
        <div className="page-header-titles">
          <h1 className="page-title">{title}</h1>
          {subtitle ? <p className="page-subtitle">{subtitle}</p> : null}
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
    </header>
  )
}
