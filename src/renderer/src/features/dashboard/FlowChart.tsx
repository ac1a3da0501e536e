import { useId, useRef } from 'react'
import type { Dashboard } from '../../../../shared/contract'
import { fmtMoney } from '../../platform/money'
import { fmtMonth } from './months'
import { compactMoney, useWidth } from '../../ui/chart'

type Flow = Dashboard['flows'][number]

const HEIGHT = 232
const MARGIN = { top: 12, right: 8, bottom: 38, left: 64 }

/**
 * Cash and bank in and out by month, as a bar chart drawn by hand in SVG:
 * two bars a month (in, out) on a shared scale with a few round ticks. The
 * chart is an image with a title and a description; each month's bars carry
 * a tooltip with both figures, and the figures are in a table under it.
 */
export function FlowChart({ flows, currency, locale }: { flows: Flow[]; currency: string; locale: string }) {
  const id = useId().replace(/[^a-zA-Z0-9_-]/g, '')
  const wrapRef = useRef<HTMLDivElement>(null)
  const width = useWidth(wrapRef)
  const money = (m: number) => fmtMoney(m, currency, locale)
  const first = flows[0]
  const last = flows[flows.length - 1]
  const period = first && last ? `${fmtMonth(first.month, locale)} to ${fmtMonth(last.month, locale)}` : ''
  const max = flows.reduce((m, f) => Math.max(m, f.inMinor, f.outMinor), 0)
  const ticks = niceTicks(max)
  const top = ticks[ticks.length - 1] ?? 0
  const plotW = Math.max(0, width - MARGIN.left - MARGIN.right)
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const band = flows.length > 0 ? plotW / flows.length : 0
  const barW = Math.max(2, Math.min(22, band * 0.34))
  const y = (v: number) => MARGIN.top + plotH - (top > 0 ? (v / top) * plotH : 0)
  const axis = compactMoney(currency, locale)

  return (
    <figure className="flow-chart">
      <div className="flow-legend" aria-hidden="true">
        <span className="flow-key flow-key-in" />
        In
        <span className="flow-key flow-key-out" />
        Out
      </div>
      <div ref={wrapRef} className="flow-chart-canvas">
        {width > 0 ? (
          <svg
            width={width}
            height={HEIGHT}
            viewBox={`0 0 ${width} ${HEIGHT}`}
            role="img"
            aria-labelledby={`${id}-title ${id}-desc`}
            data-testid="flow-chart"
          >
            <title id={`${id}-title`}>Cash and bank in and out by month</title>
            <desc id={`${id}-desc`}>
              {`Money received into cash and bank (in) and paid out of them (out), each month from ${period}. The figures are in the table "Cash and bank by month".`}
            </desc>
            {ticks.map((t) => (
              <g key={t} className="flow-tick">
                <line x1={MARGIN.left} x2={MARGIN.left + plotW} y1={y(t)} y2={y(t)} className={t === 0 ? 'flow-baseline' : 'flow-grid'} />
                <text x={MARGIN.left - 8} y={y(t)} dy="0.32em" textAnchor="end" className="flow-axis-label">
                  {axis(t)}
                </text>
              </g>
            ))}
            {flows.map((f, i) => {
              const cx = MARGIN.left + band * i + band / 2
              const showYear = i === 0 || f.month.endsWith('-01')
              return (
                <g key={f.month} className="flow-month" data-month={f.month}>
                  <title>{`${fmtMonth(f.month, locale)}: in ${money(f.inMinor)}, out ${money(f.outMinor)}`}</title>
                  {/* The whole band answers the pointer, so a month with no bars still has its tooltip. */}
                  <rect x={cx - band / 2} y={MARGIN.top} width={band} height={plotH} className="flow-hit" />
                  <rect x={cx - barW - 1} y={y(f.inMinor)} width={barW} height={y(0) - y(f.inMinor)} className="flow-bar flow-bar-in" />
                  <rect x={cx + 1} y={y(f.outMinor)} width={barW} height={y(0) - y(f.outMinor)} className="flow-bar flow-bar-out" />
                  <text x={cx} y={MARGIN.top + plotH + 15} textAnchor="middle" className="flow-axis-label">
                    {fmtMonth(f.month, locale, 'short-no-year')}
                  </text>
                  {showYear ? (
                    <text x={cx} y={MARGIN.top + plotH + 29} textAnchor="middle" className="flow-axis-label flow-axis-year">
                      {f.month.slice(0, 4)}
                    </text>
                  ) : null}
                </g>
              )
            })}
          </svg>
        ) : null}
      </div>
      {max === 0 ? <figcaption className="muted flow-empty">No money came into or went out of cash or bank in these months.</figcaption> : null}
    </figure>
  )
}

/**
 * Round ticks from 0 to at least `max` (minor units): 1, 2 or 5 times a power
 * of ten, four or five of them. Whole minor units throughout.
 */
export function niceTicks(max: number): number[] {
  if (max <= 0) return [0]
  const raw = max / 4
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((k) => k * power).find((s) => s >= raw) ?? 10 * power
  const whole = Math.max(1, Math.round(step))
  const ticks: number[] = []
  for (let t = 0; ticks.length === 0 || ticks[ticks.length - 1]! < max; t += whole) ticks.push(t)
  return ticks
}
