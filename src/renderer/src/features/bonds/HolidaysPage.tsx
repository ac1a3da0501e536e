import { useState, type FormEvent } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { AppError, Output } from '../../../../shared/contract'
import { dayOfWeek, isCalendarDate } from '../../../../shared/dates'
import { call } from '../../platform/api'
import { useProfile } from '../profile/ProfileContext'
import { Banner } from '../../ui/Banner'
import { Button } from '../../ui/Button'
import { ConfirmModal } from '../../ui/ConfirmModal'
import { Field, TextField } from '../../ui/Field'
import { PageHeader } from '../../ui/PageHeader'
import { PageError, PageLoading } from '../../ui/PageState'
import { placeServerError, type FieldErrors } from '../../platform/forms'
import { fmtDate } from '../../platform/format'
import { todayIn } from '../../platform/today'
import { useCallMutation } from '../../platform/queries'
import { BondsTabs } from './BondsTabs'
import { bondKeys } from './queries'
import { useCan } from '../auth/useCan'

type Holiday = Output<'holidays.list'>[number]

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

/**
 * Public holidays: coupon and principal payment dates that fall on one (or
 * on a weekend) move by each series' business-day rule.
 */
export function HolidaysPage() {
  const { profile } = useProfile()
  const list = useQuery({ queryKey: bondKeys.holidays(), queryFn: () => call('holidays.list', {}) })
  const client = useQueryClient()
  const save = useCallMutation('holidays.save')
  const canManage = useCan('holidays.save')
  const removeCall = useCallMutation('holidays.remove')
  const [date, setDate] = useState('')
  const [name, setName] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [removing, setRemoving] = useState<string | null>(null)
  const [today] = useState(() => todayIn(profile.timeZone))
  // The holiday being renamed, and the name the dialog opens with.
  const [editing, setEditing] = useState<{ holiday: Holiday; name: string } | null>(null)
  // Adding on a date that already has a holiday is refused: that holiday, to edit instead.
  const [clash, setClash] = useState<Holiday | null>(null)

  const fail = (e: AppError) => {
    const placed = placeServerError(e, ['date', 'name'])
    setErrors(placed.fields)
    setBanner(placed.banner)
    setClash(e.code === 'CONFLICT' && placed.fields.date ? ((list.data ?? []).find((h) => h.date === date) ?? null) : null)
  }

  async function add(e: FormEvent) {
    e.preventDefault()
    if (saving) return
    const found: FieldErrors = {}
    if (!date) found.date = 'Date is required'
    if (!name.trim()) found.name = 'Name is required'
    setErrors(found)
    setBanner(null)
    setClash(null)
    if (Object.keys(found).length) return
    setSaving(true)
    const r = await save.mutateAsync({ date, name: name.trim() })
    setSaving(false)
    if (!r.ok) return fail(r.error)
    client.setQueryData(bondKeys.holidays(), r.value)
    setDate('')
    setName('')
  }

  async function remove(d: string) {
    setRemoving(d)
    setBanner(null)
    const r = await removeCall.mutateAsync({ date: d })
    setRemoving(null)
    if (!r.ok) return setBanner(r.error.message)
    client.setQueryData(bondKeys.holidays(), r.value)
  }

  const shown = [...(list.data ?? [])].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))

  return (
    <div className="page page-bonds">
      <PageHeader title="Bonds" subtitle="Bond series, their coupon schedules and who holds them." />
      <BondsTabs />
      <p className="section-text muted">
        A payment date that falls on a holiday or a weekend moves by its series&apos; business-day rule.
      </p>
      {canManage ? (
        <form className="holiday-form" noValidate onSubmit={add} aria-label="Add a holiday">
          <Field
            label="Date"
            required
            error={errors.date}
            hint={
              clash ? (
                <Button small onClick={() => setEditing({ holiday: clash, name: name.trim() || clash.name })}>
                  Edit {clash.name}
                </Button>
              ) : undefined
            }
          >
            <input
              type="date"
              value={date}
              onChange={(e) => {
                setDate(e.target.value)
                setClash(null)
              }}
              min="1000-01-01"
              max="9999-12-31"
            />
          </Field>
          <Field label="Name" required error={errors.name}>
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} placeholder="e.g. Madaraka Day" />
          </Field>
          <Button type="submit" variant="primary" busy={saving}>
            Add holiday
          </Button>
        </form>
      ) : null}
      {banner ? (
        <Banner tone="error" onDismiss={() => setBanner(null)} className="page-banner">
          {banner}
        </Banner>
      ) : null}

      {list.isError && !list.data ? (
        <PageError error={list.error} title="The holidays could not be loaded" onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <PageLoading label="Loading holidays…" />
      ) : (
        <>
          {shown.length === 0 ? (
            <p className="table-empty muted panel">No holidays are listed yet.</p>
          ) : (
            <div className="table-wrap holidays-wrap">
              <table className="table" aria-label="Holidays">
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Day</th>
                    <th scope="col">Name</th>
                    {canManage ? (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {shown.map((h) => (
                    <tr key={h.date} data-holiday={h.date} className={h.date < today ? 'is-past' : undefined}>
                      <td className="tnum nowrap">{fmtDate(h.date, profile.locale)}</td>
                      <td className="muted">{isCalendarDate(h.date) ? WEEKDAYS[dayOfWeek(h.date)] : ''}</td>
                      <td>{h.name}</td>
                      {canManage ? (
                        <td className="col-actions">
                          <div className="row-actions">
                            <Button small variant="ghost" onClick={() => setEditing({ holiday: h, name: h.name })} aria-label={`Edit ${h.name}`}>
                              Edit
                            </Button>
                            <Button
                              small
                              variant="ghost"
                              onClick={() => void remove(h.date)}
                              busy={removing === h.date}
                              aria-label={`Remove ${h.name}`}
                            >
                              Remove
                            </Button>
                          </div>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {editing ? (
        <EditHolidayModal
          holiday={editing.holiday}
          initialName={editing.name}
          onClose={() => setEditing(null)}
          onSaved={(all) => {
            client.setQueryData(bondKeys.holidays(), all)
            setEditing(null)
            if (clash?.date === editing.holiday.date) {
              // The holiday the add was refused for has been edited instead: the add is done with.
              setClash(null)
              setErrors({})
              setDate('')
              setName('')
            }
          }}
        />
      ) : null}
    </div>
  )
}

/** Renames the holiday on a date: the one explicit way to change a holiday that is listed (adding on its date is refused). */
function EditHolidayModal({
  holiday,
  initialName,
  onClose,
  onSaved
}: {
  holiday: Holiday
  initialName: string
  onClose: () => void
  onSaved: (all: Holiday[]) => void
}) {
  const { profile } = useProfile()
  const [name, setName] = useState(initialName)
  const [error, setError] = useState<string | null>(null)
  const [banner, setBanner] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const update = useCallMutation('holidays.update')

  async function save() {
    if (saving) return
    if (!name.trim()) {
      setError('Name is required')
      return
    }
    setSaving(true)
    setError(null)
    setBanner(null)
    const r = await update.mutateAsync({ date: holiday.date, name: name.trim() })
    setSaving(false)
    if (!r.ok) {
      const placed = placeServerError(r.error, ['name'])
      setError(placed.fields.name ?? null)
      setBanner(placed.banner)
      return
    }
    onSaved(r.value)
  }

  return (
    <ConfirmModal
      title={`Edit the holiday on ${fmtDate(holiday.date, profile.locale)}`}
      onClose={onClose}
      busy={saving}
      confirmLabel="Save holiday"
      onConfirm={() => void save()}
      error={banner}
      onDismissError={() => setBanner(null)}
      initialFocus="input"
      fields={
        <TextField
          label="Name"
          required
          error={error}
          hint={`Now: ${holiday.name}`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={80}
          autoComplete="off"
        />
      }
    />
  )
}
