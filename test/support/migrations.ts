import fs from 'node:fs'
import path from 'node:path'
import { MIGRATIONS, tempDir } from './temp-core'

/**
 * The migrations folder as an older Coffer shipped it: every migration up to
 * and including `lastTag` (the journal cut after it), in a new temporary
 * folder. Throws when the tag is not in the journal.
 */
export function migrationsUpTo(lastTag: string): string {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
  const last = journal.entries.findIndex((e) => e.tag === lastTag)
  if (last < 0) throw new Error(`No migration ${lastTag} in ${MIGRATIONS}`)
  const dir = tempDir('coffer-migrations-')
  fs.mkdirSync(path.join(dir, 'meta'))
  const entries = journal.entries.slice(0, last + 1)
  fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }))
  for (const e of entries) fs.copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`))
  return dir
}
