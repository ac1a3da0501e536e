import { useEffect, useRef, type ReactNode } from 'react'

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

/**
 * A page's title, subtitle and actions. The heading takes focus when a page
 * opens with focus lost (the button that led here was on the page before, e.g.
 * Save on a form): the keyboard goes on from the top of the new page, not
 * from the page body.
 */
export function PageHeader({ title, documentTitle, subtitle, actions, before }: PageHeaderProps) {
  const text = documentTitle ?? (typeof title === 'string' ? title : undefined)
  const headingRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (text) document.title = `${text} · Coffer`
  }, [text])
  useEffect(() => {
    const active = document.activeElement
    if ((active === null || active === document.body) && !document.querySelector('dialog[open]')) {
      headingRef.current?.focus({ preventScroll: true })
    }
  }, [])
  return (
    <header className="page-header">
      {before ? <div className="page-header-before">{before}</div> : null}
      <div className="page-header-row">
        <div className="page-header-titles">
          <h1 className="page-title" ref={headingRef} tabIndex={-1}>
            {title}
          </h1>
          {subtitle ? (
            // A narrow window may cut the subtitle short: the whole of it on hover.
            <p className="page-subtitle" title={typeof subtitle === 'string' ? subtitle : undefined}>
              {subtitle}
            </p>
          ) : null}
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
    </header>
  )
}
