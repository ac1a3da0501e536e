/** How each member field is named on screen (forms, detail, history). */
export const MEMBER_FIELD_LABELS: Record<string, string> = {
  memberNo: 'Member number',
  fullName: 'Name',
  email: 'Email',
  phone: 'Phone',
  address: 'Address',
  nationalId: 'National ID',
  joinedOn: 'Joining date',
  notes: 'Notes',
  active: 'Status',
  deactivationReason: 'Reason'
}

