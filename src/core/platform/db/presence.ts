import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { systemClock } from '../clock'
import { ownerAlive } from '../jobs/lease'
import { privateDir } from './files'

/**
 * Which processes have the data folder open. Each core writes
 * `<data>/processes/<owner>.json` (its pid, host, kind, a heartbeat) while
 * its file is open and removes it on close. A restore refuses while any other
 * live process has one: its later writes would go to the replaced file.
 *
 * A process is live as the job leases judge it (same host: its pid exists;
 * another host, through a network folder: its heartbeat is recent). A file
 * left by a crash is ignored and removed.
 *
 * A restore first writes `restoring.json`; a core that starts meanwhile sees
 * it after writing its own presence and refuses to start. Either the restore
 * sees the new process, or the new process sees the restore: never neither.
 */
export const PROCESSES_DIR = 'processes'
const RESTORING = 'restoring.json'
/** How often a heartbeat is written; a process on another host is gone after STALE_MS without one. */
export const HEARTBEAT_MS = 15_000
const STALE_MS = 2 * 60_000
/** On this host a live pid counts, unless its heartbeat stopped this long ago (the pid was reused after a crash). */
const STALE_LOCAL_MS = 15 * 60_000

export interface Presence {
  owner: string
  kind: string
  pid: number
  host: string
  since: string
  heartbeatAt: string
}

const safe = (owner: string) => owner.replace(/[^A-Za-z0-9._-]/g, '_')
const now = () => systemClock.now()

function read(file: string): Presence | null {
  try {
    const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Presence>
    return typeof p.owner === 'string' && typeof p.heartbeatAt === 'string' ? (p as Presence) : null
  } catch {
    return null
  }
}

function live(p: Presence): boolean {
  const age = now().getTime() - Date.parse(p.heartbeatAt)
  if (p.host !== os.hostname()) return age < STALE_MS
  return age < STALE_LOCAL_MS && ownerAlive(p.owner)
}

function write(file: string, p: Presence): void {
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify(p), { mode: 0o600 })
  fs.renameSync(tmp, file)
}

/** This process's presence in a data folder. */
export class PresenceFile {
  private readonly file: string
  private readonly since = now().toISOString()

  constructor(
    private readonly dataDir: string,
    private readonly owner: string
  ) {
    this.file = path.join(dataDir, PROCESSES_DIR, `${safe(owner)}.json`)
  }

  /** Writes (or refreshes) the presence file. */
  beat(): void {
    privateDir(path.dirname(this.file))
    const at = now().toISOString()
    write(this.file, { owner: this.owner, kind: this.owner.split(':')[0] ?? 'app', pid: process.pid, host: os.hostname(), since: this.since, heartbeatAt: at })
  }

  release(): void {
    fs.rmSync(this.file, { force: true })
  }

  /** Other live processes with this data folder open (files left by dead ones are removed). */
  others(): Presence[] {
    const dir = path.join(this.dataDir, PROCESSES_DIR)
    if (!fs.existsSync(dir)) return []
    const found: Presence[] = []
    for (const name of fs.readdirSync(dir)) {
      if (!name.endsWith('.json')) continue
      const file = path.join(dir, name)
      const p = read(file)
      if (!p) continue
      if (p.owner === this.owner) continue
      if (live(p)) found.push(p)
      else fs.rmSync(file, { force: true })
    }
    return found
  }

  /** A restore by another live process going on now, if any. */
  restoreInProgress(): Presence | null {
    const p = read(path.join(this.dataDir, PROCESSES_DIR, RESTORING))
    if (!p || p.owner === this.owner) return null
    return live(p) ? p : null
  }

  /** Marks a restore as going on; returns the function that clears the mark. */
  claimRestore(): () => void {
    const file = path.join(this.dataDir, PROCESSES_DIR, RESTORING)
    privateDir(path.dirname(file))
    const at = now().toISOString()
    write(file, { owner: this.owner, kind: this.owner.split(':')[0] ?? 'app', pid: process.pid, host: os.hostname(), since: at, heartbeatAt: at })
    return () => fs.rmSync(file, { force: true })
  }
}

/** "the command line (pid 4242)", "another Coffer window (pid 17)". */
export function describePresence(p: Presence): string {
  const who = p.kind === 'cli' ? 'the Coffer command line' : p.kind === 'test' ? 'another Coffer process' : 'another Coffer window'
  return `${who} (process ${p.pid}${p.host !== os.hostname() ? ` on ${p.host}` : ''})`
}
