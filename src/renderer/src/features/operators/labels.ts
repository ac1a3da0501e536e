import { ROLES, ROLE_WORDS, type Role } from '../../../../shared/contract'

/** What each role may do, in a sentence, for the role chooser. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  administrator: 'Everything, including operators and settings.',
  treasurer: 'All money work: members, bond series and holdings, approving and paying payments, running jobs.',
  clerk: 'Enters and prepares: members, bond purchases and payments to approve. Cannot approve or pay.',
  auditor: 'Reads everything and exports reports. Changes nothing.'
}

export const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_WORDS[r] }))
