import { useEffect } from 'react'

/** Moves focus to el if it can take it (there, not disabled, not under a dialog); true if it did. */
export function focusIfPossible(el: HTMLElement | null | undefined): boolean {
  if (!el || !el.isConnected || el.matches(':disabled')) return false
  el.focus()
  return document.activeElement === el
}

/** The page's heading, or its main region: where focus goes when what had it is gone. */
export function focusPageHeading(): void {
  const main = document.getElementById('main')
  const heading = main?.querySelector<HTMLElement>('h1')
  if (focusIfPossible(heading)) return
  focusIfPossible(main)
}

/**
 * The safety net under "focus never falls to the page body": when the element
 * that had focus is taken out of the page or disabled (a Deactivate button
 * that becomes Reactivate, a row's Redeem button once redeemed) and nothing
 * else took focus, the page's heading takes it. Pages and tables that know a
 * better place (DataTable's focusRow, a dialog's returnFocus) move it first:
 * this runs after React has finished the change (a MutationObserver's
 * callback comes after the commit and its layout effects).
 */
export function useFocusRescue(): void {
  useEffect(() => {
    let last: HTMLElement | null = null
    const onFocusIn = (e: FocusEvent) => {
      last = e.target instanceof HTMLElement ? e.target : null
    }
    const rescue = () => {
      if (!last || (last.isConnected && !last.matches(':disabled'))) return
      const active = document.activeElement
      if (active && active !== document.body) return
      if (document.querySelector('dialog[open]')) return
      last = null
      focusPageHeading()
    }
    const observer = new MutationObserver(rescue)
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] })
    document.addEventListener('focusin', onFocusIn)
    return () => {
      observer.disconnect()
      document.removeEventListener('focusin', onFocusIn)
    }
  }, [])
}
