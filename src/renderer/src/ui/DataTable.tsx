import {
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type Ref
} from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import {
  functionalUpdate,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type RowSelectionState,
  type SortingState,
  type Updater
} from '@tanstack/react-table'
import { HeaderCheckbox } from './HeaderCheckbox'

const features = tableFeatures({ rowSortingFeature, rowSelectionFeature })

/** One column: its header, how a row shows in it, and how it lines up. */
export interface Column<T> {
  id: string
  header: ReactNode
  cell: (row: T) => ReactNode
  /** On the header and every cell (e.g. `num` right-aligns both). */
  className?: string
  /** On the cells only. */
  cellClassName?: string
  /** A cell's tooltip (the whole text of a cut-off value). */
  title?: (row: T) => string | undefined
  /** The header sorts the table (the sorting itself is the owner's: `sort` and `onSort`). */
  sortable?: boolean
  /** Width in a virtual table (its columns do not size to content). */
  width?: string
}

export interface Sort {
  field: string
  direction: 'asc' | 'desc'
}

export interface Selection {
  /** Ids (getRowId) of the selected rows. */
  selected: ReadonlySet<string>
  onChange: (next: Set<string>) => void
  /** Accessible names of the header box and of each row's box. */
  selectAllLabel: string
  rowLabel: string
}

export interface DataTableHandle {
  /**
   * Makes a row the active one, scrolls it into view and focuses it; if a
   * dialog is over the table, as soon as the dialog closes.
   */
  focusRow: (index: number) => void
  /**
   * Focuses the row with this id (getRowId) once it is in the table: now, or
   * when the rows come back from a refresh (a row just added). If a refresh
   * comes back without it, the row at `fallbackIndex` (kept within the rows).
   */
  focusRowId: (id: string | number, fallbackIndex?: number) => void
}

export interface DataTableProps<T> {
  /** The table's accessible name. */
  label: string
  id?: string
  /** Classes of the <table> besides `table`. */
  className?: string
  /** Classes of the scrolling frame besides `table-wrap`. */
  wrapClassName?: string
  columns: ReadonlyArray<Column<T>>
  /** A row's identity (selection, React keys); by default its `id`. */
  getRowId?: (row: T) => string | number
  /** The attribute that carries the row's identity in the page (e.g. `data-member-id`). */
  idAttribute?: `data-${string}`
  /** Every row (a page of them)... */
  rows?: ReadonlyArray<T>
  /** ...or how many there are and the ones loaded so far (a row not loaded yet shows as a placeholder). */
  rowCount?: number
  getRow?: (index: number) => T | undefined
  rowAttributes?: (row: T) => Record<`data-${string}`, string | number | undefined>
  rowClassName?: (row: T) => string | undefined
  /** Render only the rows in view, each `rowHeight` pixels high (the frame scrolls). */
  virtual?: {
    rowHeight: number
    overscan?: number
    initialOffset?: number
    onScroll?: (scrollTop: number) => void
    /** The rows rendered changed (first and last index): the owner loads what they need. */
    onRange?: (first: number, last: number) => void
  }
  sort?: Sort
  onSort?: (sort: Sort) => void
  /** Rows tick: click, Shift-click a range, Space, Shift+Space and Shift+Arrow from the keyboard. */
  selection?: Selection
  /** Enter (or a click, or Space without selection) opens a row. */
  onOpen?: (row: T, index: number) => void
  /** Arrow Up on the first row (e.g. back to a search box). */
  onLeaveTop?: () => void
  initialActiveIndex?: number
  /** Focus the active row once it is rendered (coming back to a list). */
  focusInitial?: boolean
  onActiveChange?: (index: number) => void
  /** When it changes, the table goes back to its first row. */
  resetKey?: string
  /** Shown in place of the rows when there are none. */
  empty?: ReactNode
  /** The rows shown are being asked again. */
  busy?: boolean
  handleRef?: Ref<DataTableHandle>
}

const INTERACTIVE = 'a, button, input, label, select, textarea'

/**
 * The one table: column definitions on TanStack Table, rows in view only
 * through TanStack Virtual when asked, header sorting, row selection (click,
 * Shift-click range, keyboard range), a roving active row for the keyboard,
 * a sticky header and an empty state.
 */
export function DataTable<T extends RowData>(props: DataTableProps<T>) {
  const { columns, rows, rowCount, getRow, virtual, sort, onSort, selection, onOpen } = props
  const getRowId = props.getRowId ?? ((row: T) => (row as { id: string | number }).id)
  const count = rowCount ?? rows?.length ?? 0
  const rowAt = (i: number): T | undefined => (getRow ? getRow(i) : rows?.[i])
  const scrollRef = useRef<HTMLDivElement>(null)
  const tableRef = useRef<HTMLTableElement>(null)
  const [activeIndex, setActive] = useState(props.initialActiveIndex ?? 0)
  // The active row is marked once the table is in use (a virtual list marks its first row from the start).
  const [engaged, setEngaged] = useState(false)
  const setActiveIndex = (i: number) => {
    setActive(i)
    setEngaged(true)
  }
  const pendingFocus = useRef<number | null>(props.focusInitial ? (props.initialActiveIndex ?? 0) : null)
  // A row asked for by id, the rows it was asked on, and where to go if a refresh leaves it out.
  const pendingId = useRef<{ id: string; rows: unknown; fallback: number | null } | null>(null)
  // The row that has the focus (its id and index): if a refresh takes it away, the focus goes to the row now in its place.
  const focusedRow = useRef<{ id: string; index: number } | null>(null)
  const anchor = useRef<number | null>(null)
  // The selection before a Shift+Arrow range began: the range is added to it, and shrinks back to it.
  const rangeBase = useRef<RowSelectionState | null>(null)

  // TanStack Virtual returns fresh functions by design; the React Compiler skips this component, as intended.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: virtual ? count : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => virtual?.rowHeight ?? 32,
    overscan: virtual?.overscan ?? 12,
    initialOffset: virtual?.initialOffset ?? 0,
    enabled: !!virtual
  })
  const items = virtual ? virtualizer.getVirtualItems() : []
  const indexes = virtual ? items.map((it) => it.index) : Array.from({ length: count }, (_, i) => i)
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? -1
  const onRange = virtual?.onRange
  useEffect(() => {
    onRange?.(first, Math.max(first, last))
  }, [first, last, onRange])
  const paddingTop = items[0]?.start ?? 0
  const paddingBottom = items.length ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0

  // The table's data: every row, or (virtual) the loaded rows in view.
  const data: T[] = rows && !virtual ? (rows as T[]) : indexes.map(rowAt).filter((r): r is T => r !== undefined)
  const defs: Array<ColumnDef<typeof features, T>> = columns.map((c) => ({
    id: c.id,
    header: () => c.header,
    cell: (ctx) => c.cell(ctx.row.original),
    accessorFn: c.sortable ? () => null : undefined,
    enableSorting: !!c.sortable
  }))
  const sorting: SortingState = sort ? [{ id: sort.field, desc: sort.direction === 'desc' }] : []
  const rowSelection: RowSelectionState = {}
  for (const id of selection?.selected ?? []) rowSelection[id] = true

  const table = useTable({
    features,
    columns: defs,
    data,
    getRowId: (r) => String(getRowId(r)),
    state: { sorting, rowSelection },
    manualSorting: true,
    enableSortingRemoval: false,
    sortDescFirst: false,
    onSortingChange: (u: Updater<SortingState>) => {
      const next = functionalUpdate(u, sorting)[0]
      if (next && onSort) onSort({ field: next.id, direction: next.desc ? 'desc' : 'asc' })
    },
    enableRowSelection: !!selection,
    onRowSelectionChange: (u: Updater<RowSelectionState>) => {
      const next = functionalUpdate(u, rowSelection)
      selection?.onChange(new Set(Object.keys(next).filter((k) => next[k])))
    }
  })
  const byId = new Map(table.getRowModel().rows.map((r) => [r.id, r]))
  const colClass = new Map(columns.map((c) => [c.id, c]))

  // A new list starts at the top.
  const resetKey = useRef(props.resetKey)
  useEffect(() => {
    if (resetKey.current === props.resetKey) return
    resetKey.current = props.resetKey
    if (scrollRef.current) scrollRef.current.scrollTop = 0
    setActive(0)
    anchor.current = null
  }, [props.resetKey])

  const { onActiveChange } = props
  useEffect(() => {
    onActiveChange?.(activeIndex)
  }, [activeIndex, onActiveChange])

  // Move focus to a row once it is rendered (after scrollToIndex it may take a frame, after a dialog closes it may take a render).
  useLayoutEffect(() => {
    const asked = pendingId.current
    if (asked) {
      const at = rowIndexOf(asked.id)
      if (at !== null) {
        pendingId.current = null
        pendingFocus.current = at
      } else if (asked.rows !== (rows ?? getRow) && !props.busy) {
        // The rows came back without it: the row in its place, if one was named.
        pendingId.current = null
        if (asked.fallback !== null && count > 0) pendingFocus.current = Math.min(asked.fallback, count - 1)
      }
    }
    const lost = focusedRow.current
    if (pendingFocus.current === null && lost && tableLostFocus(lost.id)) {
      // The focused row left the table (approved under a "pending" filter, say): the row now in its place.
      focusedRow.current = null
      if (count > 0) pendingFocus.current = Math.min(lost.index, count - 1)
    }
    const i = pendingFocus.current
    if (i === null) return
    const el = tableRef.current?.querySelector<HTMLElement>(`tbody tr[data-index="${i}"]`)
    if (el) {
      if (!virtual) el.scrollIntoView({ block: 'nearest' })
      el.focus({ preventScroll: true })
      // Under a dialog the row cannot take focus yet: it is tried again when the dialog has gone.
      if (document.activeElement === el) pendingFocus.current = null
    }
  })

  /** The index of the row with this id among the rows loaded (a virtual table: those in view), or null. */
  function rowIndexOf(id: string): number | null {
    for (const i of indexes) if (idAt(i) === id) return i
    return null
  }
  /**
   * True when the focused row is gone from the table and focus with it
   * (nowhere now). A virtual table's rows leave as they scroll out of view:
   * there the focus is the scroll's business, not this.
   */
  function tableLostFocus(id: string): boolean {
    if (virtual) return false
    const active = document.activeElement
    if (active && active !== document.body) return false
    return !tableRef.current?.querySelector(`tbody tr[data-row-id="${CSS.escape(id)}"]`)
  }

  const moveTo = (index: number) => {
    if (count === 0) return
    const i = Math.max(0, Math.min(count - 1, index))
    setActiveIndex(i)
    if (virtual) virtualizer.scrollToIndex(i, { align: 'auto' })
    const el = tableRef.current?.querySelector<HTMLElement>(`tbody tr[data-index="${i}"]`)
    if (el) {
      pendingFocus.current = null
      if (!virtual) el.scrollIntoView({ block: 'nearest' })
      el.focus({ preventScroll: !!virtual })
      // A dialog over the table: focused once it has closed.
      if (document.activeElement !== el) pendingFocus.current = i
    } else {
      pendingFocus.current = i // focused once rendered
    }
    return i
  }
  useImperativeHandle(props.handleRef, () => ({
    focusRow: (i: number) => void moveTo(i),
    focusRowId: (id: string | number, fallbackIndex?: number) => {
      const at = rowIndexOf(String(id))
      if (at !== null) {
        pendingId.current = null
        moveTo(at)
      } else {
        pendingId.current = { id: String(id), rows: rows ?? getRow, fallback: fallbackIndex ?? null }
      }
    }
  }))

  const idAt = (i: number) => {
    const r = rowAt(i)
    return r === undefined ? null : String(getRowId(r))
  }
  /** Ticks (or unticks) rows from..to, both included. */
  const setRange = (from: number, to: number, on: boolean) => {
    const next: RowSelectionState = { ...rowSelection }
    for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
      const id = idAt(i)
      if (id === null) continue
      if (on) next[id] = true
      else delete next[id]
    }
    table.setRowSelection(next)
  }
  const toggle = (index: number, shift: boolean) => {
    const id = idAt(index)
    if (id === null) return
    const on = !rowSelection[id]
    if (shift && anchor.current !== null && anchor.current < count) setRange(anchor.current, index, on)
    else byId.get(id)?.toggleSelected(on)
    anchor.current = index
    rangeBase.current = null
  }

  const onRowKeyDown = (e: KeyboardEvent<HTMLTableRowElement>, rowIndex: number) => {
    if (e.target !== e.currentTarget) return // keys in a link or a box of the row are theirs
    // Keys pressed faster than rows render continue from where focus is heading.
    const index = pendingFocus.current ?? rowIndex
    const rowHeight = virtual?.rowHeight ?? 36
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1)
    const extend = (to: number) => {
      const i = moveTo(to)
      if (i === undefined || !selection) return
      if (anchor.current === null || rangeBase.current === null) {
        anchor.current ??= index
        rangeBase.current = { ...rowSelection }
      }
      // The selection from before, plus the rows from the anchor to here: going back unticks what the range ticked.
      const next: RowSelectionState = { ...rangeBase.current }
      for (let r = Math.min(anchor.current, i); r <= Math.max(anchor.current, i); r++) {
        const id = idAt(r)
        if (id !== null) next[id] = true
      }
      table.setRowSelection(next)
    }
    const move = (to: number) => {
      // A move without Shift ends the range: the next Shift+Arrow starts from the row it lands on.
      anchor.current = null
      rangeBase.current = null
      moveTo(to)
    }
    switch (e.key) {
      case 'ArrowDown':
        if (e.shiftKey && selection) extend(index + 1)
        else move(index + 1)
        break
      case 'ArrowUp':
        if (e.shiftKey && selection) extend(index - 1)
        else if (index === 0 && props.onLeaveTop) props.onLeaveTop()
        else move(index - 1)
        break
      case 'PageDown':
        if (e.shiftKey && selection) extend(index + pageRows)
        else move(index + pageRows)
        break
      case 'PageUp':
        if (e.shiftKey && selection) extend(index - pageRows)
        else move(index - pageRows)
        break
      case 'Home':
        if (e.shiftKey && selection) extend(0)
        else move(0)
        break
      case 'End':
        if (e.shiftKey && selection) extend(count - 1)
        else move(count - 1)
        break
      case 'Enter': {
        const r = rowAt(index)
        if (r !== undefined && onOpen) onOpen(r, index)
        break
      }
      case ' ': {
        const r = rowAt(index)
        if (selection) toggle(index, e.shiftKey)
        else if (r !== undefined && onOpen) onOpen(r, index)
        break
      }
      default:
        return
    }
    e.preventDefault()
  }

  const onRowClick = (e: MouseEvent<HTMLTableRowElement>, index: number) => {
    // Links and controls in the row handle their own clicks (and middle clicks, and keyboard).
    if ((e.target as HTMLElement).closest(INTERACTIVE)) return
    setActiveIndex(index)
    // Shift-click keeps the browser from focusing the row (see onMouseDown): the keyboard goes on from here.
    e.currentTarget.focus({ preventScroll: true })
    if (selection) {
      // Text being selected to copy (a voucher number) is not a tick.
      if (!e.shiftKey && window.getSelection()?.toString()) return
      toggle(index, e.shiftKey)
    } else {
      const r = rowAt(index)
      if (r !== undefined && onOpen) onOpen(r, index)
    }
  }

  const interactive = !!selection || !!onOpen
  // The row that takes Tab: the active one if it is rendered, else the first one on screen.
  const tabIndexRow = indexes.includes(activeIndex) ? activeIndex : (indexes[0] ?? 0)
  const colCount = columns.length + (selection ? 1 : 0)
  const loadedRows = table.getRowModel().rows
  const allSelected = !!selection && loadedRows.length > 0 && loadedRows.every((r) => rowSelection[r.id])
  const someSelected = !!selection && !allSelected && loadedRows.some((r) => rowSelection[r.id])

  return (
    <div
      className={['table-wrap', virtual ? 'table-scroll' : '', props.wrapClassName ?? ''].filter(Boolean).join(' ')}
      ref={scrollRef}
      onScroll={virtual?.onScroll ? (e) => virtual.onScroll?.(e.currentTarget.scrollTop) : undefined}
    >
      <table
        ref={tableRef}
        id={props.id}
        className={['table', virtual ? 'table-virtual' : '', props.className ?? ''].filter(Boolean).join(' ')}
        aria-label={props.label}
        aria-rowcount={virtual ? count + 1 : undefined}
        aria-busy={props.busy || undefined}
      >
        {virtual ? (
          <colgroup>
            {selection ? <col className="col-check" /> : null}
            {columns.map((c) => (
              <col key={c.id} style={c.width ? { width: c.width } : undefined} />
            ))}
          </colgroup>
        ) : null}
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={virtual ? 1 : undefined}>
              {selection ? (
                <th scope="col" className="col-check">
                  <HeaderCheckbox
                    checked={allSelected}
                    indeterminate={someSelected}
                    disabled={loadedRows.length === 0}
                    onChange={(on) => table.toggleAllRowsSelected(on)}
                    label={selection.selectAllLabel}
                  />
                </th>
              ) : null}
              {group.headers.map((header) => {
                const c = colClass.get(header.column.id)
                const sortable = header.column.getCanSort()
                const sorted = header.column.getIsSorted()
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={c?.className}
                    aria-sort={sortable ? (sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none') : undefined}
                  >
                    {sortable ? (
                      <button
                        type="button"
                        className={sorted ? 'sort-button sorted' : 'sort-button'}
                        onClick={header.column.getToggleSortingHandler()}
                        title={typeof c?.header === 'string' ? `Sort by ${c.header}` : undefined}
                      >
                        <span>
                          <table.FlexRender header={header} />
                        </span>
                        <span className="sort-indicator" aria-hidden="true">
                          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                        </span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {count === 0 && props.empty ? (
            <tr>
              <td colSpan={colCount} className="table-empty muted">
                {props.empty}
              </td>
            </tr>
          ) : null}
          {paddingTop > 0 ? (
            <tr aria-hidden="true" className="table-spacer">
              <td colSpan={colCount} style={{ height: paddingTop }} />
            </tr>
          ) : null}
          {indexes.map((index) => {
            const original = rowAt(index)
            const common = {
              'data-index': index,
              'aria-rowindex': virtual ? index + 2 : undefined,
              // A table without row keys still takes focus on a row from the page (focusRow after an action).
              tabIndex: interactive ? (index === tabIndexRow ? 0 : -1) : -1,
              onKeyDown: interactive ? (e: KeyboardEvent<HTMLTableRowElement>) => onRowKeyDown(e, index) : undefined,
              onFocus: (e: FocusEvent<HTMLTableRowElement>) => {
                if (e.target !== e.currentTarget) return
                const id = idAt(index)
                focusedRow.current = id === null ? null : { id, index }
                if (interactive) setActiveIndex(index)
              },
              onBlur: (e: FocusEvent<HTMLTableRowElement>) => {
                // Focus that moves on (to another row, a field) is no longer the table's to keep; a row removed under it is.
                if (e.relatedTarget) focusedRow.current = null
              }
            }
            const row = original === undefined ? undefined : byId.get(String(getRowId(original)))
            if (original === undefined || !row) {
              return (
                <tr key={`loading-${index}`} {...common} className="table-row-loading" aria-busy="true">
                  {Array.from({ length: colCount }, (_, i) => (
                    <td key={i}>
                      <span className="skeleton" />
                    </td>
                  ))}
                </tr>
              )
            }
            const selected = !!rowSelection[row.id]
            const cls = [
              interactive ? 'is-clickable' : '',
              selected ? 'is-selected' : '',
              interactive && (engaged || virtual) && index === activeIndex ? 'is-active' : '',
              props.rowClassName?.(original) ?? ''
            ]
              .filter(Boolean)
              .join(' ')
            return (
              <tr
                key={row.id}
                {...common}
                data-row-id={row.id}
                {...(props.idAttribute ? { [props.idAttribute]: row.id } : null)}
                {...props.rowAttributes?.(original)}
                className={cls || undefined}
                onClick={interactive ? (e) => onRowClick(e, index) : undefined}
                // Shift-click ticks a range: keep the browser from selecting text across the rows.
                onMouseDown={selection ? (e) => e.shiftKey && e.preventDefault() : undefined}
              >
                {selection ? (
                  <td className="col-check">
                    <input
                      type="checkbox"
                      className="row-check"
                      tabIndex={-1}
                      checked={selected}
                      onChange={() => undefined}
                      onClick={(e) => {
                        setActiveIndex(index)
                        toggle(index, e.shiftKey)
                      }}
                      aria-label={selection.rowLabel}
                    />
                  </td>
                ) : null}
                {row.getAllCells().map((cell) => {
                  const c = colClass.get(cell.column.id)
                  return (
                    <td
                      key={cell.id}
                      className={[c?.className, c?.cellClassName].filter(Boolean).join(' ') || undefined}
                      title={c?.title?.(original)}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  )
                })}
              </tr>
            )
          })}
          {paddingBottom > 0 ? (
            <tr aria-hidden="true" className="table-spacer">
              <td colSpan={colCount} style={{ height: paddingBottom }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  )
}
