import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm'
import { memberEvents, members } from './schema'
import type {
  ParsedInput,
  Member,
  MemberDetail,
  MemberEvent,
  MemberInputParsed,
  MemberListPage,
  MemberRow
} from '../../shared/contract'
import { calendarDateInZone, compareDates } from '../../shared/dates'
import { WARNING_CODES, type Warning } from '../../shared/contract/warnings'
import { conflict, invalid, notFound, requireAcknowledged } from '../platform/errors'
import { nowIso, type ServiceContext } from '../platform/context'
import { readSetting } from '../platform/settings'
import { collationFor, type Collation } from './sort-key'
import type { ProfileService } from '../profile'

type ListQuery = ParsedInput<'members.list'>

type MemberRecord = typeof members.$inferSelect

const toMember = (r: MemberRecord): Member => ({
  id: r.id,
  memberNo: r.memberNo,
  fullName: r.fullName,
  email: r.email,
  phone: r.phone,
  address: r.address,
  nationalId: r.nationalId,
  joinedOn: r.joinedOn,
  notes: r.notes,
  active: r.active,
  deactivatedAt: r.deactivatedAt,
  deactivationReason: r.deactivationReason,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  version: r.version
})

/** Fields a member edit may change, in the order the history lists them. */
const EDITABLE = ['memberNo', 'fullName', 'email', 'phone', 'address', 'nationalId', 'joinedOn', 'notes'] as const

/**
 * Turns what the treasurer typed into an FTS5 query: every word must match
 * the start of a word in the name, member number or email ("jo sm" finds
 * "John Smith"). Quotes are doubled so nothing typed is read as FTS syntax.
 * Returns null when no word has a letter or digit (nothing could match).
 */
export function ftsQuery(search: string): string | null {
  const terms = search
    .split(/\s+/)
    .map((t) => t.normalize('NFKC'))
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, 8)
  if (terms.length === 0) return null
  return terms.map((t) => `"${t.replaceAll('"', '""')}"*`).join(' ')
}

/** Which collation made the stored sort keys (Collation.version). */
export const SORT_KEYS_SETTING = 'members.sortKeys'

const isUniqueViolation = (e: unknown): boolean =>
  typeof (e as { code?: unknown })?.code === 'string' &&
  (e as { code: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'

/**
 * What another area has to say before a member is deactivated (bonds: units
 * still held; payments: payments still owed to them), or null. Read inside
 * the deactivating transaction.
 */
export type DeactivationCheck = (member: { id: number; memberNo: string; fullName: string }) => Warning | null

export class MembersService {
  /** The collation the stored sort keys were made with, once checked in this process. */
  private keyed: Collation | null = null
  private readonly deactivationChecks: DeactivationCheck[] = []

  constructor(
    private readonly ctx: ServiceContext,
    private readonly profile: ProfileService
  ) {}

  /**
   * The collation of the cooperative's locale, with every stored sort key made
   * by it: on first use in a process, and whenever the locale changed, keys
   * made by another locale, rule or ICU version are rebuilt and missing ones
   * (rows seeded or written before the column existed) filled, all in one
   * transaction.
   */
  collation(): Collation {
    const locale = this.profile.get()?.locale ?? 'en'
    if (this.keyed?.locale === locale) return this.keyed
    const c = collationFor(locale)
    const { sqlite } = this.ctx
    const changed = sqlite
      .transaction(() => {
        const stale = readSetting(sqlite, SORT_KEYS_SETTING) !== c.version
        const rows = sqlite
          .prepare(stale ? 'SELECT id, full_name AS name FROM members' : "SELECT id, full_name AS name FROM members WHERE sort_name = ''")
          .all() as { id: number; name: string }[]
        const put = sqlite.prepare('UPDATE members SET sort_name = ? WHERE id = ?')
        for (const r of rows) put.run(c.key(r.name), r.id)
        if (stale) {
          sqlite
            .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
            .run(SORT_KEYS_SETTING, c.version)
        }
        return rows.length
      })
      .immediate()
    // Statistics gathered before the keys existed (all '') would make the
    // planner skip-scan the key index for a search: refresh them if there are any.
    if (changed > 1000 && sqlite.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get()) {
      sqlite.exec('ANALYZE members')
    }
    this.keyed = c
    return c
  }

  list(q: ListQuery): MemberListPage {
    const { db } = this.ctx
    this.collation()
    const where: SQL[] = []
    if (q.status !== 'all') where.push(eq(members.active, q.status === 'active'))
    if (q.search) {
      const match = ftsQuery(q.search)
      if (match === null) return { rows: [], total: 0, offset: q.offset }
      where.push(sql`${members.id} IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ${match})`)
    }
    const filter = where.length > 0 ? and(...where) : undefined
    const dir = q.direction === 'asc' ? asc : desc
    const sortKey: SQL = {
      fullName: sql`${members.sortName}`,
      memberNo: sql`${members.memberNo} COLLATE NOCASE`,
      joinedOn: sql`${members.joinedOn}`,
      createdAt: sql`${members.id}`
    }[q.sort]
    const rows: MemberRow[] = db
      .select({
        id: members.id,
        memberNo: members.memberNo,
        fullName: members.fullName,
        email: members.email,
        phone: members.phone,
        joinedOn: members.joinedOn,
        active: members.active
      })
      .from(members)
      .where(filter)
      .orderBy(dir(sortKey), dir(members.id))
      .limit(q.limit)
      .offset(q.offset)
      .all()
    return { rows, total: this.count(q.status, filter, !!q.search), offset: q.offset }
  }

  /**
   * Counting the active members walks ~90% of an index; counting all and
   * subtracting the (few) inactive ones reads far less. `active` is 0 or 1
   * by a CHECK constraint, so the two agree.
   */
  private count(status: ListQuery['status'], filter: SQL | undefined, searching: boolean): number {
    const { db } = this.ctx
    if (status === 'active' && !searching) {
      const r = db
        .select({
          n: sql<number>`(SELECT count(*) FROM ${members}) - (SELECT count(*) FROM ${members} WHERE ${members.active} = 0)`
        })
        .from(sql`(SELECT 1)`)
        .get()
      return r?.n ?? 0
    }
    return (
      db
        .select({ n: sql<number>`count(*)` })
        .from(members)
        .where(filter)
        .get()?.n ?? 0
    )
  }

  private find(id: number): MemberRecord {
    const row = this.ctx.db.select().from(members).where(eq(members.id, id)).get()
    if (!row) throw notFound(`Member #${id}`)
    return row
  }

  get(id: number): MemberDetail {
    const member = toMember(this.find(id))
    const history: MemberEvent[] = this.ctx.db
      .select()
      .from(memberEvents)
      .where(eq(memberEvents.memberId, id))
      .orderBy(desc(memberEvents.id))
      .all()
      .map((e) => ({
        id: e.id,
        at: e.at,
        kind: e.kind,
        changes: e.changes ? (JSON.parse(e.changes) as Record<string, { from: unknown; to: unknown }>) : null,
        reason: e.reason
      }))
    return { member, history }
  }

  /** Business rules a schema cannot check: they need the database or today's date. */
  private check(values: MemberInputParsed, selfId: number | null): void {
    const profile = this.profile.get()
    if (!profile) throw conflict("Set up the cooperative's profile in Settings first.")
    const today = calendarDateInZone(this.ctx.clock.now(), profile.timeZone)
    if (compareDates(values.joinedOn, today) > 0) {
      throw invalid('The joining date cannot be in the future.', {
        joinedOn: 'The joining date cannot be in the future'
      })
    }
    const taken = this.ctx.db
      .select({ id: members.id, fullName: members.fullName })
      .from(members)
      .where(sql`${members.memberNo} = ${values.memberNo} COLLATE NOCASE`)
      .get()
    if (taken && taken.id !== selfId) {
      throw conflict(`Member number ${values.memberNo} is already used.`, {
        memberNo: `Member number ${values.memberNo} is already used by ${taken.fullName}`
      })
    }
  }

  private duplicateNumber(values: MemberInputParsed): never {
    throw conflict(`Member number ${values.memberNo} is already used.`, {
      memberNo: `Member number ${values.memberNo} is already used`
    })
  }

  /**
   * `announce: false`: the caller (an import, inside its own transaction) announces
   * the new members with announceCreated once its transaction is committed.
   */
  create(values: MemberInputParsed, { announce = true }: { announce?: boolean } = {}): Member {
    this.check(values, null)
    const sortName = this.collation().key(values.fullName)
    const at = nowIso(this.ctx)
    let created: MemberRecord
    try {
      created = this.ctx.db.transaction((tx) => {
        const row = tx
          .insert(members)
          .values({ ...values, sortName, active: true, createdAt: at, updatedAt: at, version: 1 })
          .returning()
          .get()
        tx.insert(memberEvents).values({ memberId: row.id, at, kind: 'created' }).run()
        return row
      }, { behavior: 'immediate' })
    } catch (e) {
      if (isUniqueViolation(e)) this.duplicateNumber(values)
      throw e
    }
    if (announce) this.ctx.emit('members.changed', { id: created.id, change: 'created' })
    return toMember(created)
  }

  /** Tells the window about members created without announcing (an import, after its commit). */
  announceCreated(ids: readonly number[]): void {
    for (const id of ids) this.ctx.emit('members.changed', { id, change: 'created' })
  }

  update(id: number, expectedVersion: number, values: MemberInputParsed): Member {
    const current = this.find(id)
    if (current.version !== expectedVersion) {
      throw conflict('This member was changed since you opened it. Reload the page to see the changes, then edit again.')
    }
    this.check(values, id)
    const changes: Record<string, { from: unknown; to: unknown }> = {}
    for (const k of EDITABLE) {
      if (current[k] !== values[k]) changes[k] = { from: current[k], to: values[k] }
    }
    if (Object.keys(changes).length === 0) return toMember(current)
    const sortName = this.collation().key(values.fullName)
    const at = nowIso(this.ctx)
    let updated: MemberRecord | undefined
    try {
      updated = this.ctx.db.transaction((tx) => {
        const row = tx
          .update(members)
          .set({ ...values, sortName, updatedAt: at, version: current.version + 1 })
          .where(and(eq(members.id, id), eq(members.version, expectedVersion)))
          .returning()
          .get()
        if (!row) return undefined
        tx.insert(memberEvents)
          .values({ memberId: id, at, kind: 'updated', changes: JSON.stringify(changes) })
          .run()
        return row
      }, { behavior: 'immediate' })
    } catch (e) {
      if (isUniqueViolation(e)) this.duplicateNumber(values)
      throw e
    }
    if (!updated) throw conflict('This member was changed since you opened it. Reload the page, then edit again.')
    this.ctx.emit('members.changed', { id, change: 'updated' })
    return toMember(updated)
  }

  /** Another area's warning before a member is deactivated (registered when that area's service is built). */
  warnBeforeDeactivating(check: DeactivationCheck): void {
    this.deactivationChecks.push(check)
  }

  /**
   * Deactivates or reactivates. A member is never deleted: history and holdings stay.
   * Deactivating a member the other areas warn about (bonds still held, payments still
   * owed) is refused with CONFIRM_REQUIRED unless each warning's code is acknowledged.
   */
  setActive(id: number, active: boolean, expectedVersion: number, reason: string | null, acknowledged: readonly string[] = []): Member {
    const current = this.find(id)
    if (current.version !== expectedVersion) {
      throw conflict('This member was changed since you opened it. Reload the page, then try again.')
    }
    if (current.active === active) return toMember(current)
    const at = nowIso(this.ctx)
    const kind = active ? 'reactivated' : 'deactivated'
    const updated = this.ctx.db.transaction((tx) => {
      if (!active) {
        const warnings = this.deactivationChecks
          .map((check) => check(current))
          .filter((w): w is Warning => w !== null)
          .sort((a, b) => WARNING_CODES.indexOf(a.code) - WARNING_CODES.indexOf(b.code))
        requireAcknowledged(warnings, acknowledged)
      }
      const row = tx
        .update(members)
        .set({
          active,
          deactivatedAt: active ? null : at,
          deactivationReason: active ? null : reason,
          updatedAt: at,
          version: current.version + 1
        })
        .where(and(eq(members.id, id), eq(members.version, expectedVersion)))
        .returning()
        .get()
      if (!row) return undefined
      tx.insert(memberEvents)
        .values({ memberId: id, at, kind, reason: active ? null : reason })
        .run()
      return row
    }, { behavior: 'immediate' })
    if (!updated) throw conflict('This member was changed since you opened it. Reload the page, then try again.')
    this.ctx.emit('members.changed', { id, change: kind })
    return toMember(updated)
  }

  /**
   * The next member number after the latest one, keeping its prefix and
   * zero padding: M-000123 -> M-000124. The first member gets M-00001.
   */
  suggestNumber(): { memberNo: string } {
    const latest = this.ctx.db
      .select({ memberNo: members.memberNo })
      .from(members)
      .orderBy(desc(members.id))
      .limit(1)
      .get()
    const exists = this.ctx.sqlite.prepare('SELECT 1 FROM members WHERE member_no = ? COLLATE NOCASE')
    let candidate = nextNumber(latest?.memberNo ?? null)
    for (let i = 0; i < 1000 && exists.get(candidate); i++) candidate = nextNumber(candidate)
    return { memberNo: candidate }
  }
}

export function nextNumber(previous: string | null): string {
  if (!previous) return 'M-00001'
  const m = /^(.*?)(\d+)$/.exec(previous)
  if (!m) return `${previous}-1`
  const [, prefix = '', digits = ''] = m
  const next = (BigInt(digits) + 1n).toString()
  return prefix + next.padStart(digits.length, '0')
}
