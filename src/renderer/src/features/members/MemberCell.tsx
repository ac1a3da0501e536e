import { Link } from 'react-router-dom'

/** A table cell naming a member (a link to their page) with their number under it. */
export function MemberCell({
  memberId,
  memberName,
  memberNo,
  className
}: {
  memberId: number
  memberName: string
  memberNo: string
  className?: string
}) {
  return (
    <td className={className}>
      <Link to={`/members/${memberId}`} className="row-link cell-primary">
        {memberName}
      </Link>
      <div className="cell-secondary tnum">{memberNo}</div>
    </td>
  )
}
