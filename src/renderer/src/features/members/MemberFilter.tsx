import { MemberPicker, type PickedMember } from './MemberPicker'

/** The member picker of a filter bar: any member, active or not. */
export function MemberFilter({ value, onChange }: { value: PickedMember | null; onChange: (member: PickedMember | null) => void }) {
  return <MemberPicker className="filter-member" value={value} onChange={onChange} status="all" popover placeholder="Any member" />
}
