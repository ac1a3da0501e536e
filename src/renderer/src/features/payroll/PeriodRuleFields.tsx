import { fmtInstant } from '../../platform/format'
import { useDebounced } from '../../platform/useDebounced'
import { useProfile } from '../profile/ProfileContext'
import { DateField, SelectField, TextField } from '../../ui/Field'
import { useCronPreview } from '../jobs/queries'
import { RULE_KIND_OPTIONS, type RuleDraft } from './PeriodWords'

/**
 * When the payroll job drafts a period: a number of days before its last day,
 * a cron expression (described in words with its next times, as the Jobs
 * page does), or (a single period only) a date of its own. Messages sit under
 * their fields: `errors['rule.days']`, `errors['rule.cron']`, `errors['rule.date']`.
 */
export function PeriodRuleFields({
  draft,
  onChange,
  errors,
  allowDate,
  disabled
}: {
  draft: RuleDraft
  onChange: (next: RuleDraft) => void
  errors: Record<string, string | undefined>
  /** A calendar's periods each have their own dates: "on a date" is for a single period only. */
  allowDate: boolean
  disabled?: boolean
}) {
  const { profile } = useProfile()
  const options = allowDate ? RULE_KIND_OPTIONS : RULE_KIND_OPTIONS.filter((o) => o.value !== 'on-date')
  const set = (patch: Partial<RuleDraft>) => onChange({ ...draft, ...patch })
  return (
    <div className="form-grid payroll-rule-fields">
      <SelectField
        label="Drafted"
        value={draft.kind}
        disabled={disabled}
        error={errors['rule.kind'] ?? errors.rule}
        options={options}
        onChange={(e) => set({ kind: e.target.value as RuleDraft['kind'] })}
      />
      {draft.kind === 'days-before-end' ? (
        <TextField
          label="Days before the end"
          required
          type="number"
          inputMode="numeric"
          inputClassName="tnum"
          min={0}
          max={60}
          step={1}
          disabled={disabled}
          value={draft.days}
          error={errors['rule.days']}
          hint="0: on the period’s last day"
          onChange={(e) => set({ days: e.target.value })}
        />
      ) : draft.kind === 'cron' ? (
        <CronField value={draft.cron} error={errors['rule.cron']} disabled={disabled} onChange={(cron) => set({ cron })} timeZone={profile.timeZone} />
      ) : (
        <DateField label="Run on" required disabled={disabled} value={draft.date} error={errors['rule.date']} onChange={(e) => set({ date: e.target.value })} />
      )}
    </div>
  )
}

function CronField({
  value,
  error,
  disabled,
  onChange,
  timeZone
}: {
  value: string
  error: string | undefined
  disabled?: boolean
  onChange: (cron: string) => void
  timeZone: string
}) {
  const { profile } = useProfile()
  const debounced = useDebounced(value.trim(), 300)
  const preview = useCronPreview(debounced, { cron: '' })
  const current = preview.cron === value.trim() && value.trim() !== ''
  return (
    <TextField
      label="Cron expression"
      required
      inputClassName="input-cron mono"
      spellCheck={false}
      autoComplete="off"
      maxLength={120}
      disabled={disabled}
      value={value}
      error={error ?? (current && preview.error ? preview.error : undefined)}
      hint={
        <span data-testid="cron-words">
          {current && preview.text ? (
            <>
              {preview.text}
              {preview.nextRuns?.[0] ? <> · next {fmtInstant(preview.nextRuns[0], profile.locale, profile.timeZone)}</> : null}. The first time it
              fires on or after a period’s first day drafts it.
            </>
          ) : (
            <>Five fields: minute, hour, day of month, month, day of week, in {timeZone}.</>
          )}
        </span>
      }
      onChange={(e) => onChange(e.target.value)}
    />
  )
}
