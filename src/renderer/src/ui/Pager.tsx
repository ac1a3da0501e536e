import { fmtCount } from '../platform/format'
import { Button } from './Button'

interface PagerProps {
  offset: number
  pageSize: number
  total: number
  locale: string
  onOffset: (offset: number) => void
}

/** Previous / next page and which rows show, when there is more than one page; nothing otherwise. */
export function Pager({ offset, pageSize, total, locale, onOffset }: PagerProps) {
  if (total <= pageSize) return null
  const count = (n: number) => fmtCount(n, locale)
  return (
    <div className="pager" aria-label="Pages">
      <Button small onClick={() => onOffset(Math.max(0, offset - pageSize))} disabled={offset === 0}>
        Previous page
      </Button>
      <span className="tnum muted">
        {count(offset + 1)}–{count(Math.min(offset + pageSize, total))} of {count(total)}
      </span>
      <Button small onClick={() => onOffset(offset + pageSize)} disabled={offset + pageSize >= total}>
        Next page
      </Button>
    </div>
  )
}
