import { useEffect, type RefObject } from 'react'
import { isSaveShortcut } from './keys'

/** Ctrl+S / Cmd+S submits the form (through its submit handler, so validation runs). */
export function useSaveShortcut(formRef: RefObject<HTMLFormElement | null>, enabled = true): void {
  useEffect(() => {
    if (!enabled) return
    const onKeyDown = (e: KeyboardEvent) => {
      if (!isSaveShortcut(e)) return
      const form = formRef.current
      if (!form) return
      // A modal dialog on top owns the keyboard.
      if (document.querySelector('dialog[open]') && !form.closest('dialog[open]')) return
      e.preventDefault()
      form.requestSubmit()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [formRef, enabled])
}
