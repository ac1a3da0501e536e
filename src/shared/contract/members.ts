import { z } from 'zod'
import { channel } from './define'
import { Empty } from './app'
import { acknowledge } from './warnings'
import { calendarDate, id, optionalEmail, optionalPhone, optionalText, pageLimit, pageOffset, requiredText, version } from './fields'

export const MEMBER_NO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9./_-]*$/

export const MemberInput = z
  .object({
    memberNo: requiredText('Member number', 32).refine((v) => MEMBER_NO_PATTERN.test(v), {
      error: 'Use letters, digits and . / _ - (starting with a letter or digit)'
    }),
    fullName: requiredText('Name', 200),
    email: optionalEmail('Email'),
    phone: optionalPhone('Phone'),
    address: optionalText('Address', 600, { multiline: true }),
    nationalId: optionalText('National ID', 60),
    joinedOn: calendarDate('Joining date'),
    notes: optionalText('Notes', 4000, { multiline: true })
  })
  .strict()
export type MemberInput = z.input<typeof MemberInput>
export type MemberInputParsed = z.output<typeof MemberInput>

export const Member = z.object({
  id: z.number().int(),
  memberNo: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  nationalId: z.string().nullable(),
  joinedOn: z.string(),
  notes: z.string().nullable(),
  active: z.boolean(),
  deactivatedAt: z.string().nullable(),
  deactivationReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Bumped on every change; an edit names the version it started from. */
  version: z.number().int()
})
export type Member = z.infer<typeof Member>

export const MemberRow = Member.pick({
  id: true,
  memberNo: true,
  fullName: true,
  email: true,
  phone: true,
  joinedOn: true,
  active: true
})
export type MemberRow = z.infer<typeof MemberRow>

export const MemberSortField = z.enum(['fullName', 'memberNo', 'joinedOn', 'createdAt'])
export type MemberSortField = z.infer<typeof MemberSortField>
export const MemberStatusFilter = z.enum(['active', 'inactive', 'all'])
export type MemberStatusFilter = z.infer<typeof MemberStatusFilter>

export const MemberListQuery = z
  .object({
    search: z
      .string({ error: 'Search must be text' })
      .max(100, { error: 'Search can be at most 100 characters' })
      .optional()
      .transform((v) => (v ?? '').trim()),
    status: MemberStatusFilter.default('active'),
    sort: MemberSortField.default('fullName'),
    direction: z.enum(['asc', 'desc']).default('asc'),
    offset: pageOffset(),
    limit: pageLimit(500, 100)
  })
  .strict()
export type MemberListQuery = z.input<typeof MemberListQuery>

export const MemberListPage = z.object({
  rows: z.array(MemberRow),
  total: z.number().int(),
  offset: z.number().int()
})
export type MemberListPage = z.infer<typeof MemberListPage>

export const MemberEventKind = z.enum(['created', 'updated', 'deactivated', 'reactivated'])
export const MemberEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  kind: MemberEventKind,
  /** For 'updated': the fields that changed, with before and after. For 'deactivated': the reason. */
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
  reason: z.string().nullable()
})
export type MemberEvent = z.infer<typeof MemberEvent>

export const MemberDetail = z.object({
  member: Member,
  history: z.array(MemberEvent)
})
export type MemberDetail = z.infer<typeof MemberDetail>

export const membersContract = {
  'members.list': channel(MemberListQuery, MemberListPage),
  'members.get': channel(z.object({ id }).strict(), MemberDetail),
  'members.create': channel(MemberInput, Member),
  'members.update': channel(
    z.object({ id, expectedVersion: version, values: MemberInput }).strict(),
    Member
  ),
  'members.setActive': channel(
    z
      .object({
        id,
        active: z.boolean(),
        expectedVersion: version,
        reason: optionalText('Reason', 500),
        /** Deactivating a member who still holds bonds or is owed payments needs these warnings acknowledged. */
        acknowledge: acknowledge(['member-holds-bonds', 'member-is-owed'])
      })
      .strict(),
    Member
  ),
  /** The next free member number, following the pattern of the latest one (M-000123 -> M-000124). */
  'members.suggestNumber': channel(Empty, z.object({ memberNo: z.string() }))
}
