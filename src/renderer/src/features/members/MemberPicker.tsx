import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import type { MemberRow, MemberStatusFilter } from '../../../../shared/contract'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { call } from '../../platform/api'
import { useDebounced } from '../../platform/useDebounced'
import { Field } from '../../ui/Field'
import { memberKeys } from './queries'

/** A member as a picker holds it: enough to show who was chosen. */
export interface PickedMember {
  id: number
  memberNo: string
  fullName: string
}

export interface MemberPickerProps {
  /** The field's label; "Member" unless told. */
  label?: string
  value: PickedMember | null
  onChange: (member: PickedMember | null) => void
  error?: string | null
  hint?: string
  required?: boolean
  /** Which members the search finds: active ones by default. */
  status?: MemberStatusFilter
  /** The results float over what follows (a toolbar) instead of pushing it down (a form). */
  popover?: boolean
  placeholder?: string
  className?: string
  autoFocus?: boolean
}

const RESULTS = 8

export const memberLabel = (m: PickedMember): string => (m.memberNo ? `${m.fullName} · ${m.memberNo}` : m.fullName)

/**
 * A search box over members.list: type part of a name or number, pick from
 * the results (click, or arrows and Enter). The chosen member shows in the
 * box; typing again starts a new search and clears the choice.
 */
export function MemberPicker({ label = 'Member', error, hint, required, className, ...rest }: MemberPickerProps) {
  return (
    <Field label={label} error={error} hint={hint} required={required} className={className}>
      <PickerControl {...rest} />
    </Field>
  )
}

interface ControlProps extends Omit<MemberPickerProps, 'label' | 'error' | 'hint' | 'required' | 'className'> {
  id?: string
  'aria-invalid'?: boolean | 'true' | 'false'
  'aria-describedby'?: string
  'aria-required'?: boolean
}

interface Results {
  query: string
  rows: MemberRow[]
  total: number
}

function PickerControl({
  id,
  value,
  onChange,
  status = 'active',
  popover = false,
  placeholder = 'Search by name or number',
  autoFocus,
  ...aria
}: ControlProps) {
  const generated = useId().replace(/[^a-zA-Z0-9_-]/g, '')
  const baseId = id ?? `picker${generated}`
  const listId = `${baseId}-results`
  const inputRef = useRef<HTMLInputElement>(null)
  const [text, setText] = useState(value ? memberLabel(value) : '')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)

  // The parent chose, cleared or filled in the member (a name loaded later): show it in the box.
  const valueKey = value ? `${value.id}\u0000${memberLabel(value)}` : null
  const [shownKey, setShownKey] = useState(valueKey)
  if (valueKey !== shownKey) {
    setShownKey(valueKey)
    setText(value ? memberLabel(value) : '')
    setOpen(false)
  }

  const query = useDebounced(value ? '' : text.trim(), 200)
  const search = useQuery({
    queryKey: memberKeys.search(query, status),
    queryFn: (): Promise<Results> =>
      call('members.list', { search: query, status, sort: 'fullName', direction: 'asc', offset: 0, limit: RESULTS }).then(
        (v) => ({ query, rows: v.rows, total: v.total })
      ),
    enabled: query !== '',
    placeholderData: keepPreviousData,
    retry: false
  })
  const results = search.data ?? null
  const failure = search.isError ? { query, message: search.error.message } : null
  // New results: the first one is the active one.
  const [activeFor, setActiveFor] = useState<string | null>(null)
  if (results && results.query !== activeFor) {
    setActiveFor(results.query)
    setActive(0)
  }

  const typed = value ? '' : text.trim()
  const current = results && results.query === typed ? results : null
  const rows = current?.rows ?? []
  const showList = open && !value && typed !== ''

  // Esc closes the results, not the dialog around the picker: the dialog listens on itself,
  // before React sees the key, so this listens on the input directly.
  useEffect(() => {
    const input = inputRef.current
    if (!input || !showList) return
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape') return
      e.preventDefault()
      e.stopPropagation()
      setOpen(false)
    }
    input.addEventListener('keydown', onKey)
    return () => input.removeEventListener('keydown', onKey)
  }, [showList])

  const pick = (row: MemberRow) => {
    const m = { id: row.id, memberNo: row.memberNo, fullName: row.fullName }
    setShownKey(`${m.id}\u0000${memberLabel(m)}`)
    setText(memberLabel(m))
    setOpen(false)
    onChange(m)
  }

  const clear = () => {
    setShownKey(null)
    setText('')
    onChange(null)
    inputRef.current?.focus()
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      if (!open) setOpen(true)
      else setActive((i) => Math.min(rows.length - 1, i + 1))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((i) => Math.max(0, i - 1))
    } else if (e.key === 'Enter') {
      // Enter picks; it never submits the form around the picker half-filled.
      if (showList) {
        e.preventDefault()
        const row = rows[active]
        if (row) pick(row)
      }
    } else if (e.key === 'Tab') {
      setOpen(false)
    }
  }

  const activeRow = showList ? rows[active] : undefined
  let statusText: string | null = null
  if (showList) {
    if (failure && failure.query === typed) statusText = failure.message
    else if (!current) statusText = 'Searching…'
    else if (rows.length === 0) statusText = 'No member matches.'
    else if (current.total > rows.length) statusText = `First ${rows.length} of ${current.total}: type more to narrow.`
  }

  return (
    <div className={popover ? 'picker picker-popover' : 'picker'}>
      <div className={value ? 'picker-box is-picked' : 'picker-box'}>
        <input
          ref={inputRef}
          id={baseId}
          type="text"
          role="combobox"
          aria-expanded={showList}
          aria-controls={showList ? listId : undefined}
          aria-autocomplete="list"
          aria-activedescendant={activeRow ? `${listId}-${activeRow.id}` : undefined}
          {...aria}
          value={text}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          autoFocus={autoFocus}
          onChange={(e) => {
            setText(e.target.value)
            setOpen(true)
            if (value) {
              setShownKey(null)
              onChange(null)
            }
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        {value ? (
          <button type="button" className="picker-clear" onClick={clear} title="Clear the choice" aria-label="Clear">
            ×
          </button>
        ) : null}
      </div>
      {showList ? (
        <div className="picker-results">
          {rows.length > 0 ? (
            <ul id={listId} role="listbox" aria-label="Search results" className="picker-list">
              {rows.map((row, i) => (
                <li
                  key={row.id}
                  id={`${listId}-${row.id}`}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'picker-option is-active' : 'picker-option'}
                  onMouseDown={(e) => e.preventDefault()}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => pick(row)}
                >
                  <span className="picker-option-name">{row.fullName}</span>
                  <span className="picker-option-no tnum">{row.memberNo}</span>
                  {!row.active ? <span className="tag">Inactive</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
          {statusText ? (
            <p className="picker-status" role="status">
              {statusText}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}
