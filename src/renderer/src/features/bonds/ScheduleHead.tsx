/**
 * The header row of a coupon schedule table: number, accrual start and end,
 * payment date, (the coupon of one unit, its header naming the currency once,)
 * notes.
 */
export function ScheduleHead({ perUnitHeader }: { perUnitHeader?: string }) {
  return (
    <thead>
      <tr>
        <th scope="col" className="num">
          #
        </th>
        <th scope="col">Accrual start</th>
        <th scope="col">Accrual end</th>
        <th scope="col">Payment date</th>
        {perUnitHeader ? (
          <th scope="col" className="num" title="The full period's coupon on one unit, before withholding tax">
            {perUnitHeader}
          </th>
        ) : null}
        <th scope="col">
          <span className="visually-hidden">Notes</span>
        </th>
      </tr>
    </thead>
  )
}
