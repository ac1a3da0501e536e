/** The header row of a coupon schedule table: number, accrual start and end, payment date, notes. */
export function ScheduleHead() {
  return (
    <thead>
      <tr>
        <th scope="col" className="num">
          #
        </th>
        <th scope="col">Accrual start</th>
        <th scope="col">Accrual end</th>
        <th scope="col">Payment date</th>
        <th scope="col">
          <span className="visually-hidden">Notes</span>
        </th>
      </tr>
    </thead>
  )
}
