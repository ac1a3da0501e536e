import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { ROLE_WORDS } from '../../../../shared/contract'
import { useSession } from './session'

interface Item {
  label: 'Change password' | 'Lock now' | 'Switch operator' | 'Sign out'
  run: () => void
}

/**
 * The top bar's "who is signed in" (name and role) and their menu: Change
 * password, Lock now, Switch operator, Sign out. A menu button: arrows move
 * between the items, Esc or a click outside closes it.
 */
export function OperatorMenu() {
  const session = useSession()
  const { operator } = session
  const [open, setOpen] = useState(false)
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const menuRef = useRef<HTMLUListElement>(null)
  const menuId = useId()

  const items: Item[] = [
    { label: 'Change password', run: session.changePassword },
    { label: 'Lock now', run: session.lock },
    { label: 'Switch operator', run: session.switchOperator },
    { label: 'Sign out', run: session.signOut }
  ]

  useEffect(() => {
    if (!open) return
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    return () => document.removeEventListener('pointerdown', onPointer)
  }, [open])

  const close = () => {
    setOpen(false)
    buttonRef.current?.focus()
  }

  const onMenuKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const all = Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])
    const at = all.indexOf(document.activeElement as HTMLElement)
    const go = (i: number) => all[(i + all.length) % all.length]?.focus()
    if (e.key === 'ArrowDown') go(at + 1)
    else if (e.key === 'ArrowUp') go(at - 1)
    else if (e.key === 'Home') go(0)
    else if (e.key === 'End') go(all.length - 1)
    else if (e.key === 'Escape' || e.key === 'Tab') {
      if (e.key === 'Escape') close()
      else setOpen(false)
      if (e.key === 'Tab') return
    } else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div className="operator-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={open ? 'operator-button is-open' : 'operator-button'}
        data-testid="operator-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault()
            setOpen(true)
          }
        }}
      >
        <span className="operator-avatar" aria-hidden="true">
          {initials(operator.name)}
        </span>
        <span className="operator-text">
          <span className="operator-name">{operator.name}</span>
          <span className="operator-role">{ROLE_WORDS[operator.role]}</span>
        </span>
        <span className="operator-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open ? (
        <ul className="operator-menu-list" role="menu" id={menuId} ref={menuRef} aria-label={`${operator.name}`} onKeyDown={onMenuKey}>
          {items.map((item) => (
            <li role="none" key={item.label}>
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="operator-menu-item"
                onClick={() => {
                  setOpen(false)
                  item.run()
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean)
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words.slice(0, 1)
  return letters.map((w) => [...w][0]?.toLocaleUpperCase() ?? '').join('')
}
