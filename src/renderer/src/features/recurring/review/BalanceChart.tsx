import { useId, useRef } from 'react'
import type { Forecast } from '../../../../../shared/contract'
import { diffDays } from '../../../../../shared/dates'
import { fmtDate } from '../../../platform/format'
import { fmtMoney } from '../../../platform/money'
import { compactMoney, useWidth } from '../../../ui/chart'

type Account = Forecast['accounts'][number]

const HEIGHT = 260
const MARGIN = { top: 14, right: 16, bottom: 30, left: 72 }
/** Line colours, told apart also by their dashes beyond the first six (and by the legend and the table). */
const COLOURS = ['#2458a6', '#c2581b', '#2f7d4a', '#7a3fb0', '#a3366b', '#46707a']
const DASHES = ['', '6 4', '2 3']

/** An account's line: its colour and dash, by its place in the list. */
export function lineStyle(index: number): { colour: string; dash: string } {
  return { colour: COLOURS[index % COLOURS.length] as string, dash: DASHES[Math.floor(index / COLOURS.length) % DASHES.length] as string }
}

/** An account's points: the opening balance on the first day, then each week's closing balance. */
export function accountPoints(a: Account, from: string): Array<{ date: string; balanceMinor: number }> {
  return [{ date: from, balanceMinor: a.openingMinor }, ...a.weekly]
}

/**
 * The projected balance of each society account the forecast moves, drawn
 * by hand in SVG: one line per account through its opening balance and the
 * closing balance of each week, a zero line, the part below zero shaded. The
 * chart is an image with a title and a description; every point has a
 * tooltip, and the figures are in the table "Projected balance by week".
 */
export function BalanceChart({ forecast, currency, locale }: { forecast: Forecast; currency: string; locale: string }) {
  const id = useId().replace(/[^a-zA-Z0-9_-]/g, '')
  const wrapRef = useRef<HTMLDivElement>(null)
  const width = useWidth(wrapRef)
  const money = (m: number) => fmtMoney(m, currency, locale)
  const { from, to, accounts } = forecast
  const series = accounts.map((a) => ({ a, points: accountPoints(a, from) }))
  const values = series.flatMap((s) => s.points.map((p) => p.balanceMinor))
  const ticks = rangeTicks(Math.min(0, ...values), Math.max(0, ...values))
  const low = ticks[0] ?? 0
  const high = ticks[ticks.length - 1] ?? 0
  const plotW = Math.max(0, width - MARGIN.left - MARGIN.right)
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const span = Math.max(1, diffDays(from, to))
  const x = (date: string) => MARGIN.left + (diffDays(from, date) / span) * plotW
  const y = (v: number) => MARGIN.top + plotH - (high > low ? ((v - low) / (high - low)) * plotH : plotH / 2)
  const axis = compactMoney(currency, locale)
  // Date labels: the first day, then about one a fortnight (a label per week crowds a 90-day chart).
  const labelDates = series[0]?.points.map((p) => p.date) ?? [from]
  const every = Math.max(1, Math.ceil(labelDates.length / Math.max(2, Math.floor(plotW / 90))))

  return (
    <figure className="balance-chart">
      <ul className="balance-legend" aria-hidden="true">
        {series.map(({ a }, i) => {
          const style = lineStyle(i)
          return (
            <li key={a.accountId}>
              <svg width="22" height="10" className="balance-key">
                <line x1="1" x2="21" y1="5" y2="5" stroke={style.colour} strokeWidth="2.5" strokeDasharray={style.dash || undefined} />
              </svg>
              {a.code} {a.name}
            </li>
          )
        })}
      </ul>
      <div ref={wrapRef} className="balance-chart-canvas">
        {width > 0 ? (
          <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} data-testid="balance-chart">
            <title id={`${id}-title`}>Projected balances, {fmtDate(from, locale)} to {fmtDate(to, locale)}</title>
            <desc id={`${id}-desc`}>
              {`The balance of ${accounts.map((a) => `${a.code} ${a.name}`).join(', ')} at the start and at the end of each week, if every recurring entry and standing order goes through as planned. The figures are in the table "Projected balance by week".`}
            </desc>
            {low < 0 ? <rect x={MARGIN.left} y={y(0)} width={plotW} height={y(low) - y(0)} className="balance-below-zero" /> : null}
            {ticks.map((t) => (
              <g key={t}>
                <line x1={MARGIN.left} x2={MARGIN.left + plotW} y1={y(t)} y2={y(t)} className={t === 0 ? 'balance-zero' : 'balance-grid'} />
                <text x={MARGIN.left - 8} y={y(t)} dy="0.32em" textAnchor="end" className="balance-axis-label">
                  {axis(t)}
                </text>
              </g>
            ))}
            {labelDates.map((d, i) =>
              // Every few weeks, and the last day always; a regular label too close to the last gives way.
              i === labelDates.length - 1 || (i % every === 0 && x(labelDates[labelDates.length - 1] as string) - x(d) > 56) ? (
                <text key={d} x={x(d)} y={MARGIN.top + plotH + 18} textAnchor={i === 0 ? 'start' : i === labelDates.length - 1 ? 'end' : 'middle'} className="balance-axis-label">
                  {shortDate(d, locale)}
                </text>
              ) : null
            )}
            {series.map(({ a, points }, i) => {
              const style = lineStyle(i)
              return (
                <g key={a.accountId} data-account={a.code}>
                  <polyline
                    points={points.map((p) => `${x(p.date).toFixed(1)},${y(p.balanceMinor).toFixed(1)}`).join(' ')}
                    fill="none"
                    stroke={style.colour}
                    strokeWidth="2"
                    strokeDasharray={style.dash || undefined}
                    strokeLinejoin="round"
                  />
                  {points.map((p, k) => (
                    <circle
                      key={p.date}
                      cx={x(p.date)}
                      cy={y(p.balanceMinor)}
                      r={3.5}
                      fill={p.balanceMinor < 0 ? 'var(--danger)' : style.colour}
                      className="balance-point"
                    >
                      <title>{`${a.code} ${a.name}, ${k === 0 ? `opening ${fmtDate(p.date, locale)}` : `end of the week to ${fmtDate(p.date, locale)}`}: ${money(p.balanceMinor)}`}</title>
                    </circle>
                  ))}
                </g>
              )
            })}
          </svg>
        ) : null}
      </div>
    </figure>
  )
}

/**
 * Round ticks covering low..high (minor units, low ≤ 0 ≤ high): 1, 2 or 5
 * times a power of ten, about five of them, always through zero.
 */
export function rangeTicks(low: number, high: number): number[] {
  const range = high - low
  if (range <= 0) return [0]
  const raw = range / 5
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = Math.max(1, Math.round([1, 2, 5, 10].map((k) => k * power).find((s) => s >= raw) ?? 10 * power))
  const ticks: number[] = []
  for (let t = -Math.ceil(-low / step) * step; t < high + step; t += step) {
    ticks.push(t)
    if (t >= high) break
  }
  return ticks
}

/** "12 May" (the day and month; the year is in the title and the table). */
function shortDate(date: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.parse(`${date}T00:00:00Z`))
  } catch {
    return date
  }
}
