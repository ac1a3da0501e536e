import { asc, eq, sql } from 'drizzle-orm'
import type { Statement } from 'better-sqlite3'
import {
  CHANNEL_PERMISSIONS,
  PERMISSION_WORDS,
  READ_PERMISSIONS,
  ROLE_WORDS,
  SecuritySettings,
  roleCan,
  type AuthStatus,
  type Channel,
  type MakerCheckerKind,
  type Operator,
  type ParsedInput,
  type Permission,
  type Role,
  type SessionOperator
} from '../../shared/contract'
import { formatInstant } from '../../shared/words'
import { calendarDateInZone } from '../../shared/dates'
import { nowIso, type ServiceContext } from '../platform/context'
import { DomainError, conflict, invalid, notFound } from '../platform/errors'
import { writeSettings } from '../platform/settings'
import { becomeActor, type Actor, type CallScope } from '../platform/actor'
import { operators } from './schema'
import { decoyHash, hashPassword, verifyPassword, type HashOptions } from './passwords'

type Row = typeof operators.$inferSelect

export const DEFAULT_SECURITY: SecuritySettings = {
  idleMinutes: 10,
  maxAttempts: 5,
  lockoutMinutes: 15,
  // Payments need two people from the start; manual journal entries and reopening a month when the treasurer turns them on.
  makerChecker: { payments: true, journal: false, journalThresholdMinor: 0, reopen: false }
}

/**
 * Settings saved before a kind of maker-checker existed lack its keys: those
 * (and only those, inside makerChecker) take the default. Anything else
 * unreadable is refused, never defaulted.
 */
function withNewKinds(parsed: unknown): unknown {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return parsed
  const p = parsed as Record<string, unknown>
  const mc = p.makerChecker
  if (!mc || typeof mc !== 'object' || Array.isArray(mc)) return parsed
  return { ...p, makerChecker: { ...DEFAULT_SECURITY.makerChecker, ...(mc as Record<string, unknown>) } }
}
const SECURITY_KEY = 'security'

const toOperator = (r: Row): Operator => ({
  id: r.id,
  username: r.username,
  name: r.name,
  role: r.role,
  active: r.active,
  mustChangePassword: r.mustChangePassword,
  lockedUntil: r.lockedUntil,
  lastSignedInAt: r.lastSignedInAt,
  createdAt: r.createdAt,
  version: r.version
})

const toSession = (r: Row): SessionOperator => ({
  id: r.id,
  username: r.username,
  name: r.name,
  role: r.role,
  mustChangePassword: r.mustChangePassword
})

/** Before anyone signs in: the actor of a sign-in's own writes (failed attempts). */
const ANONYMOUS: Actor = Object.freeze({ operatorId: null, name: 'Not signed in' })

/** What a signed-in operator may still do while they must choose a new password. */
const WHILE_PASSWORD_MUST_CHANGE: ReadonlySet<Channel> = new Set([
  'auth.status',
  'auth.changePassword',
  'auth.signOut',
  'auth.lock',
  'auth.touch',
  'auth.signIn',
  'auth.unlock',
  'app.status',
  'app.systemDefaults',
  'profile.get'
])

/** What a permission check reads of the signed-in operator, before every call. */
interface GuardRow {
  id: number
  name: string
  role: Role
  active: boolean
  mustChangePassword: boolean
}

interface Session {
  operatorId: number
  /** The clock's ms at the last thing the operator did (a write, a key or a click). */
  lastActivity: number
  locked: boolean
}

export interface OperatorsOptions {
  hash?: HashOptions
  /** Words for times in messages ("locked until 14:05"). */
  locale: () => string
  timeZone: () => string
}

const BAD_PASSWORD = 'The username or password is not right.'

/**
 * Operators, their passwords, and this process's session: who is signed in
 * at this window (or this command line), whether the screen is locked, and
 * what they may call. One session per core: the app has one window, the
 * CLI one operator.
 */
export class OperatorsService {
  private session: Session | null = null
  /**
   * The permission check runs before every call, so what it reads is read by
   * statements prepared once, and the security settings are parsed again only
   * when their stored text changed (another process may change them: the text
   * is still read each time). With the operator read through drizzle and the
   * settings parsed on every call it took ~0.85 ms; ~0.05 ms so (test/bench/guard.bench.ts).
   */
  private guardRowStatement: Statement<[number], { id: number; name: string; role: Role; active: number; mustChangePassword: number }> | null = null
  private securityStatement: Statement<[string], string> | null = null
  private securityParsed: { text: string; value: SecuritySettings } | null = null

  constructor(
    private readonly ctx: ServiceContext,
    private readonly opts: OperatorsOptions
  ) {}

  // ------------------------------------------------------------ settings
  security(): SecuritySettings {
    this.securityStatement ??= this.ctx.sqlite.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck()
    const text = this.securityStatement.get(SECURITY_KEY) ?? null
    if (text === null) return DEFAULT_SECURITY
    if (this.securityParsed?.text === text) return this.securityParsed.value
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = null
    }
    const checked = SecuritySettings.safeParse(withNewKinds(parsed))
    if (!checked.success) {
      throw conflict('The security settings in the data file cannot be read. Save them again in Settings, Security.')
    }
    this.securityParsed = { text, value: checked.data }
    return checked.data
  }

  saveSecurity(values: SecuritySettings): SecuritySettings {
    writeSettings(this.ctx.sqlite, { [SECURITY_KEY]: JSON.stringify(values) })
    return this.security()
  }

  /** Manual journal entries of at least this total wait for a second operator (when makerChecker('journal')). */
  journalThresholdMinor(): number {
    return this.security().makerChecker.journalThresholdMinor
  }

  /** Whether this kind of work needs a second operator to approve it. */
  makerChecker(kind: MakerCheckerKind): boolean {
    return this.security().makerChecker[kind]
  }

  // ------------------------------------------------------------ operators
  private row(id: number): Row {
    const r = this.ctx.db.select().from(operators).where(eq(operators.id, id)).get()
    if (!r) throw notFound('The operator')
    return r
  }

  private byUsername(username: string): Row | undefined {
    return this.ctx.db
      .select()
      .from(operators)
      .where(sql`${operators.username} = ${username} COLLATE NOCASE`)
      .get()
  }

  count(): number {
    return this.ctx.sqlite.prepare('SELECT count(*) FROM operators').pluck().get() as number
  }

  list(): { operators: Operator[] } {
    return { operators: this.ctx.db.select().from(operators).orderBy(asc(operators.name), asc(operators.id)).all().map(toOperator) }
  }

  get(id: number): Operator {
    return toOperator(this.row(id))
  }

  /** The operator's name, for vouchers and approvals. */
  nameOf(id: number): string {
    return this.row(id).name
  }

  private usernameFree(username: string, exceptId?: number): void {
    const taken = this.byUsername(username)
    if (taken && taken.id !== exceptId) throw invalid('This username is taken.', { username: `“${username}” is already someone’s username` })
  }

  private activeAdministrators(exceptId: number): number {
    return this.ctx.sqlite
      .prepare("SELECT count(*) FROM operators WHERE role = 'administrator' AND active = 1 AND id <> ?")
      .pluck()
      .get(exceptId) as number
  }

  private passwordProblem(password: string, username: string): void {
    if (password.trim().toLowerCase() === username.toLowerCase()) {
      throw invalid('Choose a password that is not the username.', { password: 'The password cannot be the username' })
    }
  }

  /** The first launch's administrator (the window asks after the profile). Refused once any operator exists. */
  async createAdministrator(input: ParsedInput<'auth.createAdministrator'>): Promise<AuthStatus> {
    this.passwordProblem(input.password, input.username)
    const hash = await hashPassword(input.password, this.opts.hash)
    const row = this.ctx.sqlite
      .transaction(() => {
        if (this.count() > 0) throw conflict('Coffer already has an administrator. Sign in instead.')
        return this.insert({ name: input.name, username: input.username, role: 'administrator' }, hash, false)
      })
      .immediate()
    this.startSession(row)
    this.signedInRow(row)
    return this.status()
  }

  private insert(v: { name: string; username: string; role: Role }, hash: string, mustChange: boolean): Row {
    this.usernameFree(v.username)
    const at = nowIso(this.ctx)
    return this.ctx.db
      .insert(operators)
      .values({
        name: v.name,
        username: v.username,
        role: v.role,
        passwordHash: hash,
        passwordChangedAt: at,
        mustChangePassword: mustChange,
        createdAt: at,
        updatedAt: at
      })
      .returning()
      .get()
  }

  async create(input: ParsedInput<'operators.create'>): Promise<Operator> {
    this.passwordProblem(input.password, input.username)
    this.usernameFree(input.username)
    const hash = await hashPassword(input.password, this.opts.hash)
    return toOperator(this.ctx.sqlite.transaction(() => this.insert(input, hash, true)).immediate())
  }

  update(input: ParsedInput<'operators.update'>): Operator {
    return this.ctx.sqlite
      .transaction(() => {
        const before = this.row(input.id)
        if (before.version !== input.version) throw conflict('Someone changed this operator meanwhile. Reload and try again.')
        this.usernameFree(input.username, input.id)
        if (before.role === 'administrator' && input.role !== 'administrator' && before.active && this.activeAdministrators(input.id) === 0) {
          throw invalid('Coffer needs at least one active administrator.', { role: 'This is the only active administrator' })
        }
        const row = this.ctx.db
          .update(operators)
          .set({ name: input.name, username: input.username, role: input.role, updatedAt: nowIso(this.ctx), version: sql`${operators.version} + 1` })
          .where(eq(operators.id, input.id))
          .returning()
          .get()
        return toOperator(row)
      })
      .immediate()
  }

  setActive(input: ParsedInput<'operators.setActive'>): Operator {
    return this.ctx.sqlite
      .transaction(() => {
        const before = this.row(input.id)
        if (before.version !== input.version) throw conflict('Someone changed this operator meanwhile. Reload and try again.')
        if (!input.active) {
          if (this.session?.operatorId === input.id) throw conflict('You cannot switch off your own account while you are signed in with it.')
          if (before.role === 'administrator' && this.activeAdministrators(input.id) === 0) {
            throw conflict('Coffer needs at least one active administrator: make someone else administrator first.')
          }
        }
        return toOperator(
          this.ctx.db
            .update(operators)
            .set({ active: input.active, updatedAt: nowIso(this.ctx), version: sql`${operators.version} + 1` })
            .where(eq(operators.id, input.id))
            .returning()
            .get()
        )
      })
      .immediate()
  }

  async resetPassword(input: ParsedInput<'operators.resetPassword'>): Promise<Operator> {
    const target = this.row(input.id)
    if (this.session?.operatorId === input.id) throw conflict('To change your own password, use Change password (top right).')
    this.passwordProblem(input.password, target.username)
    const hash = await hashPassword(input.password, this.opts.hash)
    const at = nowIso(this.ctx)
    return toOperator(
      this.ctx.db
        .update(operators)
        .set({
          passwordHash: hash,
          passwordChangedAt: at,
          mustChangePassword: true,
          failedAttempts: 0,
          lockedUntil: null,
          updatedAt: at,
          version: sql`${operators.version} + 1`
        })
        .where(eq(operators.id, input.id))
        .returning()
        .get()
    )
  }

  // ------------------------------------------------------------ signing in
  private nowMs(): number {
    return this.ctx.clock.now().getTime()
  }

  /** "12:15" when the lock ends today in the cooperative's zone, else the date and time. */
  private lockedUntilWords(until: string): string {
    const zone = this.opts.timeZone()
    const locale = this.opts.locale()
    if (calendarDateInZone(Date.parse(until), zone) === calendarDateInZone(this.nowMs(), zone)) {
      return new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: zone }).format(Date.parse(until))
    }
    return formatInstant(until, locale, zone)
  }

  /** A wrong password: counted, and the account locked after too many in a row. */
  private failed(row: Row): DomainError {
    const s = this.security()
    const attempts = row.failedAttempts + 1
    const locks = attempts >= s.maxAttempts
    const until = locks ? new Date(this.nowMs() + s.lockoutMinutes * 60_000).toISOString() : null
    this.ctx.sqlite
      .transaction(() => {
        this.ctx.db
          .update(operators)
          .set({ failedAttempts: locks ? 0 : attempts, lockedUntil: until })
          .where(eq(operators.id, row.id))
          .run()
      })
      .immediate()
    if (until) {
      if (this.session?.operatorId === row.id) this.session = null
      return new DomainError(
        'VALIDATION',
        `Too many wrong passwords: this account is locked until ${this.lockedUntilWords(until)}. An administrator can unlock it sooner by resetting the password.`,
        { password: 'Too many wrong passwords' }
      )
    }
    return new DomainError('VALIDATION', BAD_PASSWORD, { password: BAD_PASSWORD })
  }

  private refuseIfLocked(row: Row): void {
    if (row.lockedUntil && Date.parse(row.lockedUntil) > this.nowMs()) {
      throw new DomainError(
        'VALIDATION',
        `Too many wrong passwords: this account is locked until ${this.lockedUntilWords(row.lockedUntil)}. An administrator can unlock it sooner by resetting the password.`,
        { password: 'This account is locked for now' }
      )
    }
  }

  private startSession(row: Row): void {
    this.session = { operatorId: row.id, lastActivity: this.nowMs(), locked: false }
    becomeActor({ operatorId: row.id, name: row.name })
  }

  private signedInRow(row: Row): void {
    this.ctx.sqlite
      .transaction(() => {
        this.ctx.db
          .update(operators)
          .set({ failedAttempts: 0, lockedUntil: null, lastSignedInAt: nowIso(this.ctx) })
          .where(eq(operators.id, row.id))
          .run()
      })
      .immediate()
  }

  async signIn(input: ParsedInput<'auth.signIn'>): Promise<AuthStatus> {
    const row = this.byUsername(input.username)
    if (!row) {
      // The same work as a real check: how long it takes says nothing about which usernames exist.
      await verifyPassword(input.password, await decoyHash(this.opts.hash))
      throw new DomainError('VALIDATION', BAD_PASSWORD, { password: BAD_PASSWORD })
    }
    this.refuseIfLocked(row)
    if (!(await verifyPassword(input.password, row.passwordHash))) throw this.failed(this.row(row.id))
    const now = this.row(row.id)
    if (!now.active) throw new DomainError('VALIDATION', 'This account is switched off. Ask an administrator.', { username: 'This account is switched off' })
    this.startSession(now)
    this.signedInRow(now)
    return this.status()
  }

  async unlock(input: ParsedInput<'auth.unlock'>): Promise<AuthStatus> {
    const s = this.session
    if (!s) throw new DomainError('UNAUTHENTICATED', 'Nobody is signed in. Sign in first.')
    const row = this.row(s.operatorId)
    this.refuseIfLocked(row)
    if (!(await verifyPassword(input.password, row.passwordHash))) throw this.failed(this.row(row.id))
    if (!row.active) {
      this.session = null
      throw new DomainError('UNAUTHENTICATED', 'This account was switched off. Ask an administrator.')
    }
    this.startSession(row)
    this.signedInRow(row)
    return this.status()
  }

  async changePassword(input: ParsedInput<'auth.changePassword'>): Promise<AuthStatus> {
    const s = this.requireSession()
    const row = this.row(s.operatorId)
    this.refuseIfLocked(row)
    if (!(await verifyPassword(input.current, row.passwordHash))) {
      const e = this.failed(this.row(row.id))
      throw new DomainError('VALIDATION', e.message, { current: e.fields?.password ?? BAD_PASSWORD })
    }
    if (input.next === input.current) throw invalid('Choose a new password that differs from the current one.', { next: 'This is the current password' })
    try {
      this.passwordProblem(input.next, row.username)
    } catch {
      throw invalid('Choose a password that is not your username.', { next: 'The password cannot be your username' })
    }
    const hash = await hashPassword(input.next, this.opts.hash)
    const at = nowIso(this.ctx)
    this.ctx.db
      .update(operators)
      .set({ passwordHash: hash, passwordChangedAt: at, mustChangePassword: false, updatedAt: at, version: sql`${operators.version} + 1` })
      .where(eq(operators.id, row.id))
      .run()
    return this.status()
  }

  /**
   * The session as it stands, for the same book opened again by this core
   * (encryption turned on or off rewrites the file and builds every service
   * anew): `resumeSession` on the new service takes it over. Not for a
   * restore, whose file has its own operators.
   */
  sessionToCarry(): Readonly<Session> | null {
    return this.session && { ...this.session }
  }

  resumeSession(carried: Readonly<Session> | null): void {
    this.session = carried && { ...carried }
  }

  signOut(): AuthStatus {
    this.session = null
    return this.status()
  }

  lock(): AuthStatus {
    if (this.session) this.session.locked = true
    return this.status()
  }

  touch(): AuthStatus {
    return this.status()
  }

  private requireSession(): Session {
    if (!this.session) throw new DomainError('UNAUTHENTICATED', 'Nobody is signed in. Sign in first.')
    return this.session
  }

  /** Locks the session once it has been idle longer than the setting allows. */
  private checkIdle(): void {
    const s = this.session
    if (!s || s.locked) return
    if (this.nowMs() - s.lastActivity >= this.security().idleMinutes * 60_000) s.locked = true
  }

  status(): AuthStatus {
    this.checkIdle()
    const s = this.session
    const row = s ? this.ctx.db.select().from(operators).where(eq(operators.id, s.operatorId)).get() : undefined
    if (s && (!row || !row.active)) this.session = null
    return {
      setupNeeded: this.count() === 0,
      operator: this.session && row ? toSession(row) : null,
      locked: this.session?.locked ?? false,
      idleMinutes: this.security().idleMinutes
    }
  }

  // ------------------------------------------------------------ permissions
  /**
   * Who may make this call, decided before its input is read. Answers the
   * scope it runs as; throws UNAUTHENTICATED (nobody signed in), LOCKED
   * (idle), FORBIDDEN (the role may not). Anything not declared is refused.
   */
  authorize(channel: Channel): CallScope {
    const permission = (CHANNEL_PERMISSIONS as Record<string, Permission | undefined>)[channel]
    if (!permission) throw new DomainError('FORBIDDEN', 'Nobody may do this.')
    if (permission === 'open') return { actor: this.sessionActor() ?? ANONYMOUS, channel }
    if (permission === 'setup' && this.count() === 0) return { actor: ANONYMOUS, channel }
    const s = this.session
    if (!s) throw new DomainError('UNAUTHENTICATED', 'Nobody is signed in. Sign in first.')
    const row = this.guardRow(s.operatorId)
    if (!row || !row.active) {
      this.session = null
      throw new DomainError('UNAUTHENTICATED', 'This account was switched off. Ask an administrator.')
    }
    this.checkIdle()
    if (s.locked && channel !== 'auth.signOut') {
      throw new DomainError('LOCKED', 'Coffer is locked. Enter your password to go on.')
    }
    if (row.mustChangePassword && !WHILE_PASSWORD_MUST_CHANGE.has(channel)) {
      throw new DomainError('FORBIDDEN', 'Choose a new password first.')
    }
    if (!roleCan(row.role, permission)) {
      throw new DomainError('FORBIDDEN', `${ROLE_WORDS[row.role]}s may not ${PERMISSION_WORDS[permission]}. Ask an operator who may.`)
    }
    if (!READ_PERMISSIONS.includes(permission) || channel === 'auth.touch') s.lastActivity = this.nowMs()
    return { actor: { operatorId: row.id, name: row.name }, channel }
  }

  private sessionActor(): Actor | null {
    const s = this.session
    if (!s) return null
    const row = this.guardRow(s.operatorId)
    return row ? { operatorId: row.id, name: row.name } : null
  }

  /** The signed-in operator as a permission check needs them (fresh from the file: another window or process may have changed them). */
  private guardRow(id: number): GuardRow | undefined {
    this.guardRowStatement ??= this.ctx.sqlite.prepare(
      'SELECT id, name, role, active, must_change_password AS mustChangePassword FROM operators WHERE id = ?'
    )
    const r = this.guardRowStatement.get(id)
    return r && { id: r.id, name: r.name, role: r.role, active: r.active === 1, mustChangePassword: r.mustChangePassword === 1 }
  }
}
