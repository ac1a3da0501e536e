import { Link } from 'react-router-dom'

/** A member named in a table cell: a link to their page, their number under it. */
export function MemberCell({ memberId, memberName, memberNo }: { memberId: number; memberName: string; memberNo: string }) {
  return (
    <>
      <Link to={`/members/${memberId}`} className="row-link cell-primary">
        {memberName}
      </Link>
      <div className="cell-secondary tnum">{memberNo}</div>
    </>
  )
}
