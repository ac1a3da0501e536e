import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { StructureInput, type Component, type StaffDetail, type Structure } from '../../../../shared/contract'
import { minorToDecimalString } from '../../../../shared/money'
import { call } from '../../platform/api'
import { issuesToFieldErrors, placeServerError, type FieldErrors } from '../../platform/forms'
import { currencySymbol, fmtPercent, normalisePercentInput, parseAmount } from '../../platform/money'
import { useCallMutation } from '../../platform/queries'
import { todayIn } from '../../platform/today'
import { useProfile } from '../profile/ProfileContext'
import { ErrorBanner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { DateField, Field, TextField } from '../../ui/Field'
import { Modal, ModalActions } from '../../ui/Modal'
import { PageError, PageLoading } from '../../ui/PageState'
import { Select } from '../../ui/Select'
import { kindLabel } from './SetupWords'
import { payrollKeys } from './queries'

/** One row of the editor, as typed. */
interface Row {
  key: number
  componentId: string
  amount: string
  rate: string
}

let nextKey = 1
const blankRow = (): Row => ({ key: nextKey++, componentId: '', amount: '', rate: '' })

const MAX_ROWS = 60

export interface StructureEditorProps {
  staffId: number
  staffName: string
  /** The structure edited (same date: it is replaced), or the one a new structure starts from (copied, with today's date). */
  from: Structure | null
  /** True: edit `from` in place (its date stays); false: a new structure. */
  editing: boolean
  onClose: () => void
  onSaved: (detail: StaffDetail, effectiveFrom: string) => void
}

/**
 * A pay structure: from a date, rows of components; a fixed one takes its
 * amount per period, a percentage one may take the person's own rate
 * (empty: the component's), a band table takes nothing (the component's
 * bands apply). Saved with payroll.saveStructure: the same date replaces
 * that date's structure, a new date adds one.
 */
export function StructureEditor(props: StructureEditorProps) {
  const components = useQuery({ queryKey: payrollKeys.components(), queryFn: () => call('payroll.components', { includeInactive: true }) })
  if (components.data) return <StructureForm {...props} components={components.data.components} />
  return (
    <Modal open title={props.editing ? 'Change pay structure' : 'New pay structure'} onClose={props.onClose} className="payroll-structure-modal">
      {components.isError ? (
        <PageError error={components.error} title="The components could not be loaded" onRetry={() => void components.refetch()} />
      ) : (
        <PageLoading label="Loading components…" />
      )}
    </Modal>
  )
}

function StructureForm({ staffId, staffName, from, editing, onClose, onSaved, components }: StructureEditorProps & { components: Component[] }) {
  const { profile } = useProfile()
  const save = useCallMutation('payroll.saveStructure')
  const byId = new Map(components.map((c) => [c.id, c]))
  const [effectiveFrom, setEffectiveFrom] = useState(editing && from ? from.effectiveFrom : todayIn(profile.timeZone))
  const [note, setNote] = useState(editing && from ? (from.note ?? '') : '')
  const [rows, setRows] = useState<Row[]>(() =>
    from && from.items.length > 0
      ? from.items.map((i) => ({
          key: nextKey++,
          componentId: String(i.componentId),
          amount: i.amountMinor === null ? '' : minorToDecimalString(i.amountMinor, profile.currency),
          rate: i.ratePercent ?? ''
        }))
      : [blankRow()]
  )
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const symbol = currencySymbol(profile.currency, profile.locale)

  const forget = (...keys: string[]) =>
    setErrors((e) => {
      if (!keys.some((k) => k in e)) return e
      const next = { ...e }
      for (const k of keys) delete next[k]
      return next
    })
  const setRow = (i: number, patch: Partial<Row>, ...keys: string[]) => {
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)))
    forget(...keys, 'items')
  }

  // Active components, plus an inactive one a loaded structure still holds (shown as such).
  const used = new Set(rows.map((r) => r.componentId))
  const optionsFor = (row: Row) => [
    { value: '', label: 'Choose a component…' },
    ...components
      .filter((c) => (c.active || String(c.id) === row.componentId) && (String(c.id) === row.componentId || !used.has(String(c.id))))
      .map((c) => ({ value: String(c.id), label: `${c.code} · ${c.name} (${kindLabel(c.kind).toLowerCase()})${c.active ? '' : ' — inactive'}` }))
  ]

  const knownFields = ['effectiveFrom', 'note', 'items', ...rows.flatMap((_, i) => [`items.${i}.componentId`, `items.${i}.amountMinor`, `items.${i}.ratePercent`])]

  async function submit() {
    if (save.isPending) return
    setBanner(null)
    const found: FieldErrors = {}
    const items = rows.map((r, i) => {
      const c = byId.get(Number(r.componentId))
      if (!c) found[`items.${i}.componentId`] = 'Choose the component'
      let amountMinor: number | null = null
      if (c?.current.method === 'fixed') {
        const typed = r.amount.trim() ? parseAmount(r.amount, profile.currency, profile.locale) : null
        if (!typed) found[`items.${i}.amountMinor`] = 'Enter the amount per period'
        else if (!typed.ok) found[`items.${i}.amountMinor`] = typed.error
        else amountMinor = typed.minor
      }
      const ratePercent = c?.current.method === 'percentage' && r.rate.trim() ? normalisePercentInput(r.rate, profile.locale) : null
      return { componentId: c?.id ?? 0, amountMinor, ratePercent }
    })
    const input = { staffId, effectiveFrom, items, note }
    const parsed = StructureInput.safeParse(input)
    if (!parsed.success) for (const [k, m] of Object.entries(issuesToFieldErrors(parsed.error.issues))) if (!(k in found)) found[k] = m
    if (Object.keys(found).length > 0) {
      setErrors(found)
      return
    }
    setErrors({})
    const r = await save.mutateAsync(input)
    if (!r.ok) {
      const placed = placeServerError(r.error, knownFields)
      setErrors(placed.fields)
      setBanner(placed.banner)
      return
    }
    onSaved(r.value, effectiveFrom)
  }

  return (
    <Modal
      open
      title={editing ? 'Change pay structure' : 'New pay structure'}
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={save.isPending}
      className="payroll-structure-modal"
      footer={<ModalActions cancelLabel="Cancel" onCancel={onClose} confirmLabel="Save structure" onConfirm={() => void submit()} busy={save.isPending} />}
    >
      <p className="modal-text">
        What {staffName} is paid from a date on. A period uses the structure in force on its last day; a structure with the same date replaces that
        date’s one.
      </p>
      <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
      <div className="form-grid form-grid-3">
        <DateField
          label="Effective from"
          required
          value={effectiveFrom}
          disabled={editing}
          hint={editing ? 'A structure keeps its date; add a new one to change from another day' : 'Periods ending on or after this day use it'}
          error={errors.effectiveFrom}
          onChange={(e) => {
            setEffectiveFrom(e.target.value)
            forget('effectiveFrom')
          }}
        />
        <TextField
          label="Note"
          className="span-2"
          value={note}
          maxLength={300}
          autoComplete="off"
          hint="Optional: why it changed (a raise, a promotion)"
          error={errors.note}
          onChange={(e) => {
            setNote(e.target.value)
            forget('note')
          }}
        />
      </div>
      <table className="table table-compact payroll-structure-rows" aria-label="Components of the structure">
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col" className="num">
              Amount ({symbol})
            </th>
            <th scope="col" className="num">
              Own rate (%)
            </th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const c = byId.get(Number(row.componentId)) ?? null
            const method = c?.current.method ?? null
            const n = i + 1
            return (
              <tr key={row.key} data-structure-row={n}>
                <td>
                  <Field label={`Row ${n} component`} error={errors[`items.${i}.componentId`]} className="payroll-cell-field">
                    <Select
                      value={row.componentId}
                      options={optionsFor(row)}
                      onChange={(e) => setRow(i, { componentId: e.target.value, amount: '', rate: '' }, `items.${i}.componentId`, `items.${i}.amountMinor`, `items.${i}.ratePercent`)}
                    />
                  </Field>
                  {c && method !== 'fixed' ? <div className="cell-secondary payroll-rate-words">{c.current.describe}</div> : null}
                </td>
                <td className="num">
                  {method === 'fixed' ? (
                    <Field label={`Row ${n} amount`} error={errors[`items.${i}.amountMinor`]} className="payroll-cell-field">
                      <input
                        className="tnum num"
                        inputMode="decimal"
                        autoComplete="off"
                        maxLength={24}
                        value={row.amount}
                        placeholder={c && c.current.amountMinor !== null ? minorToDecimalString(c.current.amountMinor, profile.currency) : ''}
                        onChange={(e) => setRow(i, { amount: e.target.value }, `items.${i}.amountMinor`)}
                      />
                    </Field>
                  ) : (
                    <span className="muted">{method === null ? '' : method === 'bands' ? 'By its bands' : 'Worked out'}</span>
                  )}
                </td>
                <td className="num">
                  {method === 'percentage' ? (
                    <Field label={`Row ${n} own rate`} error={errors[`items.${i}.ratePercent`]} className="payroll-cell-field">
                      <input
                        className="tnum num"
                        inputMode="decimal"
                        autoComplete="off"
                        maxLength={12}
                        value={row.rate}
                        placeholder={c?.current.ratePercent ? fmtPercent(c.current.ratePercent, profile.locale) : ''}
                        onChange={(e) => setRow(i, { rate: e.target.value }, `items.${i}.ratePercent`)}
                      />
                    </Field>
                  ) : null}
                </td>
                <td className="col-actions">
                  <Button
                    small
                    variant="ghost"
                    disabled={rows.length === 1}
                    aria-label={`Remove row ${n}`}
                    onClick={() => {
                      setRows((rs) => rs.filter((_, j) => j !== i))
                      setErrors({})
                    }}
                  >
                    Remove
                  </Button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {errors.items ? (
        <p className="field-error" data-testid="structure-items-error">
          {errors.items}
        </p>
      ) : null}
      <div>
        <Button small disabled={rows.length >= MAX_ROWS} onClick={() => setRows((rs) => [...rs, blankRow()])}>
          Add component
        </Button>
        <p className="field-hint">A percentage row with no own rate uses the component’s rate; a band table needs nothing here.</p>
      </div>
    </Modal>
  )
}
