import { z } from 'zod'
import { channel } from './define'
import { Empty } from './app'
import { calendarDate, id, pageLimit, pageOffset, requiredText, version, wholeNumber } from './fields'

/**
 * Operators (the people who use Coffer), signing in, the security settings
 * and the audit trail. Who may call what is in ./permissions.ts.
 */

/** administrator: operators, settings, everything; treasurer: all money work; clerk: enters and prepares; auditor: reads and exports. */
export const Role = z.enum(['administrator', 'treasurer', 'clerk', 'auditor'])
export type Role = z.infer<typeof Role>
export const ROLES = Role.options

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
export const PASSWORD_MIN = 10
export const PASSWORD_MAX = 200

export const username = requiredText('Username', 40).refine((v) => USERNAME_PATTERN.test(v), {
  error: 'Use letters, digits and . _ - (starting with a letter or digit)'
})

/**
 * A new password: at least PASSWORD_MIN characters, at most PASSWORD_MAX
 * (refused, never cut). Not trimmed: spaces are part of a password.
 */
export const newPassword = (label = 'Password') =>
  z
    .string({ error: `${label} is required` })
    .min(1, { error: `${label} is required` })
    .refine((v) => [...v].length >= PASSWORD_MIN, { error: `${label} must be at least ${PASSWORD_MIN} characters` })
    .refine((v) => [...v].length <= PASSWORD_MAX, { error: `${label} can be at most ${PASSWORD_MAX} characters` })
    .refine((v) => v.trim().length > 0, { error: `${label} cannot be only spaces` })

/** A password typed to sign in or confirm: any text up to the limit (checked against the stored hash). */
export const typedPassword = z
  .string({ error: 'Password is required' })
  .min(1, { error: 'Password is required' })
  .max(1000, { error: 'Password is not right' })

export const Operator = z.object({
  id: z.number().int(),
  username: z.string(),
  name: z.string(),
  role: Role,
  active: z.boolean(),
  /** The administrator set this password: the operator chooses a new one at sign-in. */
  mustChangePassword: z.boolean(),
  /** Too many wrong passwords: refused until this instant (UTC), or null. */
  lockedUntil: z.string().nullable(),
  lastSignedInAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int()
})
export type Operator = z.infer<typeof Operator>

/** Who is signed in, as the window needs it. */
export const SessionOperator = Operator.pick({ id: true, username: true, name: true, role: true, mustChangePassword: true })
export type SessionOperator = z.infer<typeof SessionOperator>

export const AuthStatus = z.object({
  /** No operator exists yet: the first launch creates the administrator. */
  setupNeeded: z.boolean(),
  /** Who is signed in, or null. */
  operator: SessionOperator.nullable(),
  /** Signed in, but the screen locked (idle): the same operator's password unlocks it. */
  locked: z.boolean(),
  /** Minutes without use before the screen locks. */
  idleMinutes: z.number().int()
})
export type AuthStatus = z.infer<typeof AuthStatus>

export const OperatorInput = z
  .object({
    name: requiredText('Name', 120),
    username,
    role: Role
  })
  .strict()

/** Kinds of work a second operator approves: payments, manual journal entries over a threshold, reopening a closed month. */
export const MakerCheckerKind = z.enum(['payments', 'journal', 'reopen'])
export type MakerCheckerKind = z.infer<typeof MakerCheckerKind>

export const SecuritySettings = z
  .object({
    /** Minutes without use before the screen locks (1 to 240). */
    idleMinutes: wholeNumber('Lock after', { min: 1, max: 240 }),
    /** Wrong passwords in a row before the account is locked (3 to 20). */
    maxAttempts: wholeNumber('Wrong passwords allowed', { min: 3, max: 20 }),
    /** How long a locked account stays locked (1 to 1440 minutes). */
    lockoutMinutes: wholeNumber('Locked for', { min: 1, max: 1440 }),
    /** Per kind: the approver must be another operator than the one who prepared it. */
    makerChecker: z
      .object({
        payments: z.boolean({ error: 'Choose whether payments need a second operator' }),
        journal: z.boolean({ error: 'Choose whether manual journal entries need a second operator' }),
        /** Manual entries of at least this total (minor units) wait for approval when `journal` is on; 0: every one. */
        journalThresholdMinor: wholeNumber('Entries from', { min: 0, max: 1e15 }),
        reopen: z.boolean({ error: 'Choose whether reopening a closed month needs a second operator' })
      })
      .strict()
  })
  .strict()
export type SecuritySettings = z.infer<typeof SecuritySettings>

/** What an audit row is about: the area that owns the table. */
export const AuditArea = z.enum(['operators', 'profile', 'members', 'bonds', 'payments', 'ledger', 'recurring', 'payroll', 'reports', 'mail', 'calendar', 'notifications', 'jobs', 'settings', 'other'])
export type AuditArea = z.infer<typeof AuditArea>

export const AuditAction = z.enum(['insert', 'update', 'delete'])
export type AuditAction = z.infer<typeof AuditAction>

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  /** The operator, or null for the system (jobs, start-up). */
  operatorId: z.number().int().nullable(),
  /** The operator's name when it was written (kept even if renamed later); "System" for jobs. */
  actor: z.string(),
  /** The channel (members.update) or job (job:coupons) that wrote it. */
  channel: z.string(),
  area: AuditArea,
  /** The table ("members") and the row's key. */
  entity: z.string(),
  entityId: z.string(),
  action: AuditAction,
  /** The row before and after, as JSON text (null for an insert's before and a delete's after). */
  before: z.string().nullable(),
  after: z.string().nullable()
})
export type AuditEntry = z.infer<typeof AuditEntry>

const auditFilterFields = {
  operatorId: id.nullable().optional(),
  /** Only the system's rows (jobs). */
  system: z.boolean().optional(),
  from: calendarDate('From').optional(),
  to: calendarDate('To').optional(),
  area: AuditArea.optional(),
  entity: requiredText('Entity', 60).optional(),
  entityId: requiredText('Entity id', 60).optional()
}
const fromBeforeTo = (q: { from?: string; to?: string }): boolean => !q.from || !q.to || q.from <= q.to
export const AuditFilter = z
  .object(auditFilterFields)
  .strict()
  .refine(fromBeforeTo, { error: 'To must be on or after From', path: ['to'] })
export type AuditFilter = z.input<typeof AuditFilter>
export const AuditQuery = z
  .object({ ...auditFilterFields, offset: pageOffset(), limit: pageLimit(500, 100) })
  .strict()
  .refine(fromBeforeTo, { error: 'To must be on or after From', path: ['to'] })
export type AuditQuery = z.input<typeof AuditQuery>

export const AuditPage = z.object({ rows: z.array(AuditEntry), total: z.number().int() })
export type AuditPage = z.infer<typeof AuditPage>

export const AuditVerifyResult = z.object({
  /** Rows checked. */
  checked: z.number().int(),
  ok: z.boolean(),
  /** The first row whose hash or link does not match, in words and by id. */
  brokenAt: z
    .object({ id: z.number().int(), reason: z.enum(['changed', 'link', 'order']), message: z.string() })
    .nullable()
})
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>

export const operatorsContract = {
  'auth.status': channel(Empty, AuthStatus),
  /** First launch only (no operator yet): creates the administrator and signs them in. */
  'auth.createAdministrator': channel(
    z.object({ name: requiredText('Name', 120), username, password: newPassword() }).strict(),
    AuthStatus
  ),
  'auth.signIn': channel(z.object({ username: requiredText('Username', 40), password: typedPassword }).strict(), AuthStatus),
  /** The locked screen: the signed-in operator's password opens it again, on the same page. */
  'auth.unlock': channel(z.object({ password: typedPassword }).strict(), AuthStatus),
  'auth.signOut': channel(Empty, AuthStatus),
  /** Locks the screen now (the operator steps away). */
  'auth.lock': channel(Empty, AuthStatus),
  /** The operator is using the window (keys, mouse): keeps the session from locking. */
  'auth.touch': channel(Empty, AuthStatus),
  'auth.changePassword': channel(
    z.object({ current: typedPassword, next: newPassword('New password') }).strict(),
    AuthStatus
  ),
  'operators.list': channel(Empty, z.object({ operators: z.array(Operator) })),
  'operators.create': channel(OperatorInput.extend({ password: newPassword('Temporary password') }).strict(), Operator),
  'operators.update': channel(OperatorInput.extend({ id, version }).strict(), Operator),
  'operators.setActive': channel(z.object({ id, version, active: z.boolean() }).strict(), Operator),
  /** Sets a temporary password (the operator must choose a new one) and clears a lockout. */
  'operators.resetPassword': channel(z.object({ id, password: newPassword('Temporary password') }).strict(), Operator),
  'security.get': channel(Empty, SecuritySettings),
  'security.save': channel(SecuritySettings, SecuritySettings),
  'audit.list': channel(AuditQuery, AuditPage),
  /** The filtered trail as an Excel workbook in the data folder's exports. */
  'audit.export': channel(AuditFilter, z.object({ file: z.string(), rows: z.number().int() })),
  /** Walks the whole hash chain. */
  'audit.verify': channel(Empty, AuditVerifyResult)
}
