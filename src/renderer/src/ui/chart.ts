import { useEffect, useState } from 'react'
import { minorToDecimalString } from '../../../shared/money'
import { fmtMoney } from '../platform/money'

/** The width a chart has, kept as the window is resized. */
export function useWidth(ref: React.RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(0)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    setWidth(Math.floor(el.clientWidth))
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width
      if (w !== undefined) setWidth(Math.floor(w))
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [ref])
  return width
}

/** An axis label: the amount in the locale's short form ("Ksh 50K"), from its exact decimal text. */
export function compactMoney(currency: string, locale: string): (minor: number) => string {
  let f: Intl.NumberFormat
  try {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 })
  } catch {
    return (minor) => fmtMoney(minor, currency, locale)
  }
  return (minor) => {
    try {
      return f.format(minorToDecimalString(minor, currency) as Intl.StringNumericLiteral)
    } catch {
      return fmtMoney(minor, currency, locale)
    }
  }
}
