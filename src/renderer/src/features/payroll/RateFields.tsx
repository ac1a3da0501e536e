import type { Component, Rate, RateInput } from '../../../../shared/contract'
import { minorToDecimalString } from '../../../../shared/money'
import type { FieldErrors } from '../../platform/forms'
import { currencySymbol, normalisePercentInput, parseAmount } from '../../platform/money'
import { useProfile } from '../profile/ProfileContext'
import { Button } from '../../ui/Button'
import { DateField, Field, SelectField, TextField } from '../../ui/Field'
import { Select } from '../../ui/Select'
import { BASE_OPTIONS, METHOD_OPTIONS, ROUNDING_OPTIONS, ROUNDING_SENTENCES } from './SetupWords'

/** One band as typed; the last one has no upper bound ("and above"). */
export interface BandRow {
  key: number
  upTo: string
  rate: string
}

/** A dated rate as the form holds it: text as typed. */
export interface RateValues {
  effectiveFrom: string
  method: string
  amount: string
  ratePercent: string
  base: string
  cap: string
  floor: string
  bands: BandRow[]
  relief: string
  rounding: string
  note: string
}

let nextKey = 1
export const blankBand = (): BandRow => ({ key: nextKey++, upTo: '', rate: '' })

export function blankRate(effectiveFrom: string): RateValues {
  return {
    effectiveFrom,
    method: 'fixed',
    amount: '',
    ratePercent: '',
    base: 'basic',
    cap: '',
    floor: '',
    bands: [blankBand(), blankBand()],
    relief: '',
    rounding: 'half-up',
    note: ''
  }
}

/** A rate's values to start a new dated version from (its date is the caller's). */
export function rateValuesFrom(rate: Rate, currency: string, effectiveFrom: string): RateValues {
  const m = (minor: number | null) => (minor === null ? '' : minorToDecimalString(minor, currency))
  return {
    effectiveFrom,
    method: rate.method,
    amount: m(rate.amountMinor),
    ratePercent: rate.ratePercent ?? '',
    base: rate.base ?? (rate.method === 'bands' ? 'taxable' : 'basic'),
    cap: m(rate.capMinor),
    floor: m(rate.floorMinor),
    bands: rate.bands.length > 0 ? rate.bands.map((b) => ({ key: nextKey++, upTo: m(b.upToMinor), rate: b.ratePercent })) : [blankBand(), blankBand()],
    relief: m(rate.reliefMinor),
    rounding: rate.rounding,
    note: ''
  }
}

/**
 * The rate as the contract takes it (only the fields its method uses), and
 * the messages for boxes that do not read as money; keys are the contract's
 * paths ("capMinor", "bands.2.upToMinor").
 */
export function rateInputOf(v: RateValues, currency: string, locale: string): { input: RateInput; found: FieldErrors } {
  const found: FieldErrors = {}
  const money = (text: string, key: string, required = false): number | null => {
    if (!text.trim()) {
      if (required) found[key] = 'Enter an amount'
      return null
    }
    const r = parseAmount(text, currency, locale)
    if (!r.ok) {
      found[key] = r.error
      return null
    }
    return r.minor
  }
  const pct = (text: string) => normalisePercentInput(text, locale)
  const method = v.method as RateInput['method']
  const input: RateInput = {
    effectiveFrom: v.effectiveFrom,
    method,
    amountMinor: method === 'fixed' ? money(v.amount, 'amountMinor', true) : null,
    ratePercent: method === 'percentage' ? pct(v.ratePercent) : null,
    base: method === 'fixed' ? null : v.base,
    capMinor: method === 'percentage' ? money(v.cap, 'capMinor') : null,
    floorMinor: method === 'percentage' ? money(v.floor, 'floorMinor') : null,
    bands:
      method === 'bands'
        ? v.bands.map((b, i) => ({ upToMinor: i === v.bands.length - 1 ? null : money(b.upTo, `bands.${i}.upToMinor`, true), ratePercent: pct(b.rate) }))
        : [],
    reliefMinor: method === 'bands' ? money(v.relief, 'reliefMinor') : null,
    rounding: v.rounding as RateInput['rounding'],
    note: v.note
  }
  if (method === 'bands' && v.bands.length === 0) found.bands = 'Add at least one band'
  return { input, found }
}

/** The message keys a rate's fields show (the contract's paths), for a form's known fields. */
export const rateFieldKeys = (bands: number): string[] => [
  'effectiveFrom',
  'method',
  'amountMinor',
  'ratePercent',
  'base',
  'capMinor',
  'floorMinor',
  'bands',
  'reliefMinor',
  'rounding',
  'note',
  ...Array.from({ length: bands }, (_, i) => [`bands.${i}.upToMinor`, `bands.${i}.ratePercent`]).flat()
]

export interface RateFieldsProps {
  values: RateValues
  onChange: (next: RateValues, changed: string[]) => void
  /** The message for a key of rateFieldKeys. */
  errorOf: (key: string) => string | undefined
  /** Earnings a percentage or band table may be worked out on, besides gross, basic and taxable pay. */
  earnings: ReadonlyArray<Pick<Component, 'code' | 'name'>>
  /** An earning is a fixed amount or a percentage, never a band table. */
  kind: string
}

/**
 * A dated rate's fields: from when, the method and its fields (a fixed
 * amount; a percentage of a base with an optional cap and floor; a band
 * table whose last band has no upper bound, with a relief), how the amount
 * is rounded (with a sentence saying what that means) and a note.
 */
export function RateFields({ values: v, onChange, errorOf, earnings, kind }: RateFieldsProps) {
  const { profile } = useProfile()
  const symbol = currencySymbol(profile.currency, profile.locale)
  const set = (key: keyof RateValues, value: string) => onChange({ ...v, [key]: value }, [key === 'amount' ? 'amountMinor' : key === 'cap' ? 'capMinor' : key === 'floor' ? 'floorMinor' : key === 'relief' ? 'reliefMinor' : key])
  const bind = (key: 'effectiveFrom' | 'method' | 'amount' | 'ratePercent' | 'base' | 'cap' | 'floor' | 'relief' | 'rounding' | 'note', errorKey: string = key) => ({
    value: v[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
    error: errorOf(errorKey)
  })
  const setBand = (i: number, patch: Partial<BandRow>, key: string) =>
    onChange({ ...v, bands: v.bands.map((b, j) => (j === i ? { ...b, ...patch } : b)) }, [`bands.${i}.${key}`, 'bands'])
  const baseOptions = [
    ...BASE_OPTIONS,
    ...earnings.filter((e) => e.code !== 'BASIC').map((e) => ({ value: e.code, label: `${e.code} · ${e.name}` })),
    // A base a saved rate names that is no longer offered still shows, as itself.
    ...(v.base && !BASE_OPTIONS.some((o) => o.value === v.base) && !earnings.some((e) => e.code === v.base) ? [{ value: v.base, label: v.base }] : [])
  ]

  return (
    <div className="payroll-rate-fields">
      <div className="form-grid form-grid-3">
        <DateField label="Effective from" required {...bind('effectiveFrom')} hint="Periods ending on or after this day use it" />
        <SelectField
          label="Method"
          {...bind('method')}
          options={kind === 'earning' ? METHOD_OPTIONS.filter((o) => o.value !== 'bands' || v.method === 'bands') : METHOD_OPTIONS}
          onChange={(e) => onChange({ ...v, method: e.target.value, base: e.target.value === 'bands' ? 'taxable' : v.base === 'taxable' ? 'basic' : v.base }, ['method', 'base'])}
        />
        <span />
      </div>

      {v.method === 'fixed' ? (
        <div className="form-grid form-grid-3">
          <TextField
            label={`Usual amount (${symbol})`}
            required
            {...bind('amount', 'amountMinor')}
            inputMode="decimal"
            inputClassName="tnum"
            maxLength={24}
            autoComplete="off"
            hint="Per period; each pay structure sets its own amount"
          />
        </div>
      ) : null}

      {v.method === 'percentage' ? (
        <div className="form-grid form-grid-3">
          <TextField label="Rate (%)" required {...bind('ratePercent')} inputMode="decimal" inputClassName="tnum" maxLength={12} autoComplete="off" hint="Like 7.5" />
          <SelectField label="Of" required {...bind('base')} options={baseOptions} hint="Gross, basic or taxable pay, or an earning" />
          <span />
          <TextField label={`Cap (${symbol})`} {...bind('cap', 'capMinor')} inputMode="decimal" inputClassName="tnum" maxLength={24} autoComplete="off" hint="Optional: never more than this" />
          <TextField
            label={`Floor (${symbol})`}
            {...bind('floor', 'floorMinor')}
            inputMode="decimal"
            inputClassName="tnum"
            maxLength={24}
            autoComplete="off"
            hint="Optional: never less than this"
          />
        </div>
      ) : null}

      {v.method === 'bands' ? (
        <>
          <div className="form-grid form-grid-3">
            <SelectField label="On" required {...bind('base')} options={baseOptions} hint="Each band’s rate applies to the part of this inside it" />
            <TextField
              label={`Relief (${symbol})`}
              {...bind('relief', 'reliefMinor')}
              inputMode="decimal"
              inputClassName="tnum"
              maxLength={24}
              autoComplete="off"
              hint="Optional: taken off the result, never below nothing"
            />
          </div>
          <table className="table table-compact payroll-bands" aria-label="Bands">
            <thead>
              <tr>
                <th scope="col">Band</th>
                <th scope="col" className="num">
                  Up to ({symbol}, per period)
                </th>
                <th scope="col" className="num">
                  Rate (%)
                </th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {v.bands.map((b, i) => {
                const n = i + 1
                const last = i === v.bands.length - 1
                return (
                  <tr key={b.key} data-band={n}>
                    <td className="muted tnum">{n}</td>
                    <td className="num">
                      {last ? (
                        <span className="muted" data-testid="band-above">
                          and above
                        </span>
                      ) : (
                        <Field label={`Band ${n} up to`} error={errorOf(`bands.${i}.upToMinor`)} className="payroll-cell-field">
                          <input className="tnum num" inputMode="decimal" maxLength={24} autoComplete="off" value={b.upTo} onChange={(e) => setBand(i, { upTo: e.target.value }, 'upToMinor')} />
                        </Field>
                      )}
                    </td>
                    <td className="num">
                      <Field label={`Band ${n} rate`} error={errorOf(`bands.${i}.ratePercent`)} className="payroll-cell-field">
                        <input className="tnum num" inputMode="decimal" maxLength={12} autoComplete="off" value={b.rate} onChange={(e) => setBand(i, { rate: e.target.value }, 'ratePercent')} />
                      </Field>
                    </td>
                    <td className="col-actions">
                      <Button
                        small
                        variant="ghost"
                        disabled={v.bands.length === 1}
                        aria-label={`Remove band ${n}`}
                        onClick={() => onChange({ ...v, bands: v.bands.filter((_, j) => j !== i) }, ['bands'])}
                      >
                        Remove
                      </Button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          {errorOf('bands') ? (
            <p className="field-error" data-testid="bands-error">
              {errorOf('bands')}
            </p>
          ) : null}
          <div>
            <Button
              small
              disabled={v.bands.length >= 30}
              onClick={() => {
                // The new band goes before the last ("and above") one.
                const bands = [...v.bands]
                bands.splice(Math.max(0, bands.length - 1), 0, blankBand())
                onChange({ ...v, bands }, ['bands'])
              }}
            >
              Add a band
            </Button>
          </div>
        </>
      ) : null}

      <div className="form-grid form-grid-3">
        <Field label="Rounding" error={errorOf('rounding')} hint={ROUNDING_SENTENCES[v.rounding]}>
          <Select value={v.rounding} onChange={(e) => set('rounding', e.target.value)} options={ROUNDING_OPTIONS} />
        </Field>
        <TextField label="Note" {...bind('note')} className="span-2" maxLength={300} autoComplete="off" hint="Optional: where the rate comes from (a gazette, a circular)" />
      </div>
    </div>
  )
}
